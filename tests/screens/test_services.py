"""The services and providers screen: add, edit and archive by keys; what is on screen and what is
in the database afterwards; reception sees the lists read-only."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from frontdesk.app import FrontDeskApp
from frontdesk.screens.dialogs.catalogue import ProviderDialog, ServiceDialog
from frontdesk.screens.dialogs.confirm import ConfirmDialog
from frontdesk.screens.services import ServicesScreen
from frontdesk.services import catalogue
from frontdesk.services.desk import Desk
from frontdesk.services.views import ProviderView, ServiceView, StaffView
from tests.screens.keys import type_text
from tests.screens.settle import settle
from tests.world import World

SIZE = (100, 32)


class Catalogue(World):
    """Two services and a provider; Grace Kim (manager) at the desk."""

    def __init__(self, desk: Desk) -> None:
        super().__init__(desk, services=("Swedish Massage", "Sauna"), providers=("Anna",))
        desk.staff = self.grace

    @property
    def manager(self) -> StaffView:
        return self.grace

    @property
    def reception(self) -> StaffView:
        return self.rita


def build(desk: Desk) -> Catalogue:
    return Catalogue(desk)


def services(desk: Desk) -> dict[str, ServiceView]:
    return {s.name: s for s in desk.read(catalogue.list_services, include_archived=True)}


def providers(desk: Desk) -> dict[str, ProviderView]:
    return {p.name: p for p in desk.read(catalogue.list_providers, include_archived=True)}


def cells(pilot: Pilot, table_id: str) -> list[list[str]]:
    table = pilot.app.screen.query_one(f"#{table_id}", DataTable)
    return [[str(cell) for cell in table.get_row_at(row)] for row in range(table.row_count)]


async def open_screen(pilot: Pilot) -> ServicesScreen:
    await settle(pilot)
    await pilot.press("f3")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ServicesScreen)
    return screen


def error_text(pilot: Pilot, field: str) -> str:
    error = pilot.app.screen.query_one(f"#{field}-error", Static)
    return str(error.content) if error.display else ""


async def test_lists_services_and_providers(screen_desk: Desk) -> None:
    build(screen_desk)
    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot)
        assert cells(pilot, "services") == [["Sauna", "30 min", "$25.00", ""], ["Swedish Massage", "1 h", "$80.00", ""]]
        assert cells(pilot, "providers") == [["Anna", ""]]
        assert str(screen.query_one("#services-title", Static).content) == "Services · 2 offered"
        assert screen.query_one("#services", DataTable).has_focus
        await pilot.press("tab")
        assert screen.query_one("#providers", DataTable).has_focus
        assert screen.check_action("edit", ()) is False  # providers have nothing to edit
        await pilot.press("tab")
        assert screen.query_one("#services", DataTable).has_focus
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, ServicesScreen)


async def test_add_a_service_by_keys(screen_desk: Desk) -> None:
    build(screen_desk)
    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        await open_screen(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ServiceDialog)
        assert pilot.app.screen.query_one("#name", Input).has_focus
        await type_text(pilot, "Hot Stone Massage")
        await pilot.press("enter", *"75", "enter", *"95.50", "enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ServicesScreen)
        assert ["Hot Stone Massage", "1 h 15 min", "$95.50", ""] in cells(pilot, "services")
        table = pilot.app.screen.query_one("#services", DataTable)
        assert str(table.get_row_at(table.cursor_row)[0]) == "Hot Stone Massage"  # the new row is highlighted
        saved = services(screen_desk)["Hot Stone Massage"]
        assert (saved.duration_min, saved.price, saved.archived) == (75, 9550, False)


async def test_invalid_price_and_duration_are_shown_and_nothing_is_saved(screen_desk: Desk) -> None:
    build(screen_desk)
    before = services(screen_desk)
    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        await open_screen(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "Facial")
        await pilot.press("enter", *"ten", "enter", *"abc", "ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ServiceDialog)
        assert error_text(pilot, "duration_min") == "Enter minutes like 90, 1h30 or 1:30."
        assert error_text(pilot, "price") != ""
        assert error_text(pilot, "name") == ""
        assert pilot.app.screen.query_one("#duration_min", Input).has_focus  # the first bad field
        assert services(screen_desk) == before

        # a zero duration, and a name taken by another service (the use case's message)
        pilot.app.screen.query_one("#name", Input).value = "sauna"
        pilot.app.screen.query_one("#duration_min", Input).value = "0"
        pilot.app.screen.query_one("#price", Input).value = "20"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert error_text(pilot, "duration_min") == "The duration must be at least 1 minute."
        assert error_text(pilot, "price") == ""
        pilot.app.screen.query_one("#duration_min", Input).value = "50"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ServiceDialog)
        assert error_text(pilot, "name") == "There is already a service called sauna."
        assert error_text(pilot, "duration_min") == ""
        assert services(screen_desk) == before

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ServicesScreen)
        assert services(screen_desk) == before


async def test_edit_a_price(screen_desk: Desk) -> None:
    spa = build(screen_desk)
    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        await open_screen(pilot)
        await pilot.press("enter")  # Sauna is first
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ServiceDialog)
        assert [dialog.query_one(f"#{f}", Input).value for f in ("name", "duration_min", "price")] == \
            ["Sauna", "30", "25.00"]
        await pilot.press("tab", "tab")  # to the price; focusing selects it, typing replaces it
        assert dialog.query_one("#price", Input).has_focus
        await pilot.press(*"27.50", "enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ServicesScreen)
        assert cells(pilot, "services")[0] == ["Sauna", "30 min", "$27.50", ""]
        sauna = services(screen_desk)["Sauna"]
        assert (sauna.id, sauna.duration_min, sauna.price) == (spa.sauna, 30, 2750)


async def test_archive_with_confirm_then_restore(screen_desk: Desk) -> None:
    build(screen_desk)
    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot)
        assert screen.check_action("archive", ()) is True
        assert screen.check_action("restore", ()) is False
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("escape")  # keep as is
        await settle(pilot)
        assert not services(screen_desk)["Sauna"].archived

        await pilot.press("a")
        await settle(pilot)
        assert "Archive" in str(pilot.app.screen.query_one("#question", Static).content)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ServicesScreen)
        assert services(screen_desk)["Sauna"].archived
        assert "Sauna" not in {s.name for s in screen_desk.read(catalogue.list_services)}
        assert cells(pilot, "services")[0] == ["Sauna", "30 min", "$25.00", "archived"]
        assert str(screen.query_one("#services-title", Static).content) == "Services · 1 offered, 1 archived"
        assert screen.check_action("archive", ()) is False
        assert screen.check_action("restore", ()) is True

        await pilot.press("a", "enter")
        await settle(pilot)
        assert not services(screen_desk)["Sauna"].archived
        assert cells(pilot, "services")[0][3] == ""


async def test_add_and_archive_a_provider(screen_desk: Desk) -> None:
    build(screen_desk)
    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        await open_screen(pilot)
        await pilot.press("tab", "n")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ProviderDialog)
        await pilot.press("enter")  # empty name
        await settle(pilot)
        assert error_text(pilot, "name") == "Enter a name."
        await type_text(pilot, "Carla")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ServicesScreen)
        assert cells(pilot, "providers") == [["Anna", ""], ["Carla", ""]]
        assert "Carla" in providers(screen_desk)
        await pilot.press("a", "enter")  # Carla is highlighted
        await settle(pilot)
        assert providers(screen_desk)["Carla"].archived
        assert cells(pilot, "providers")[1] == ["Carla", "archived"]


async def test_reception_sees_the_lists_read_only(screen_desk: Desk) -> None:
    spa = build(screen_desk)
    screen_desk.staff = spa.reception
    before = services(screen_desk)
    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot)
        assert screen.query_one("#catalogue-readonly", Static).display
        for action in ("new", "edit", "archive"):
            assert screen.check_action(action, ()) is None, action  # shown greyed out
        await pilot.press("n", "e", "a", "enter")
        await settle(pilot)
        assert pilot.app.screen is screen
        await pilot.press("tab")
        assert screen.check_action("new", ()) is None
        assert screen.check_action("archive", ()) is None
        assert services(screen_desk) == before
        assert list(providers(screen_desk)) == ["Anna"]
