"""The app shell: the command palette finds customers from any screen, packages and services are
areas that Escape leaves for where they were opened, and a failure nobody expected becomes a
plain message (its traceback in the log), never a crash."""

from __future__ import annotations

import logging

import pytest
from textual.command import CommandPalette
from textual.notifications import Notify
from textual.widgets import Input

from frontdesk.app import FrontDeskApp
from frontdesk.screens.customer import CustomerScreen
from frontdesk.screens.home import HomeScreen
from frontdesk.screens.packages import PackagesScreen
from frontdesk.screens.services import ServicesScreen
from tests.screens.customer_data import Spa
from tests.screens.settle import settle

SIZE = (100, 32)


async def palette_hits(pilot, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Open ctrl+p, type `text`, and read the options it offers."""
    await pilot.press("ctrl+p")
    await settle(pilot)
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    palette.query_one(Input).value = text
    await palette.workers.wait_for_complete()
    await settle(pilot)
    return [str(option.prompt) for option in palette.query_one("CommandList").options]


async def test_the_palette_finds_a_customer_from_another_area_and_opens_her(spa: Spa) -> None:
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f3")  # from the services area
        await settle(pilot)
        assert isinstance(app.screen, ServicesScreen)
        hits = await palette_hits(pilot, "marta")
        assert any("Customer: Marta Jones" in hit for hit in hits)
        assert not any("Maria Lopez" in hit for hit in hits)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen) and app.screen.customer_id == spa.marta
        assert app.current_mode == "home"
        await pilot.press("escape")  # her page was opened over home
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_the_palette_by_phone_digits(spa: Spa) -> None:
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        hits = await palette_hits(pilot, "201-3344")  # Maria's phone, typed with a dash
        assert any("Customer: Maria Lopez" in hit for hit in hits)


async def test_packages_is_an_area_that_escape_leaves_for_the_customer_it_was_opened_over(spa: Spa) -> None:
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_customer(spa.maria)
        await settle(pilot)
        customer = app.screen
        assert isinstance(customer, CustomerScreen)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, PackagesScreen) and app.current_mode == "packages"
        await pilot.press("f2")  # already there: nothing new is opened
        await settle(pilot)
        assert isinstance(app.screen, PackagesScreen) and len(app.screen_stack) == 1
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is customer  # back where she was, her page as it was


async def test_an_unexpected_failure_is_shown_plainly_and_logged(spa: Spa, monkeypatch: pytest.MonkeyPatch,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("frontdesk.screens.home.day_page", broken)
    shown: list[str] = []

    class Watched(FrontDeskApp):
        def on_notify(self, event: Notify) -> None:
            shown.append(event.notification.message)

    app = Watched(spa.desk)
    with caplog.at_level(logging.ERROR, logger="frontdesk"):
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("f5")  # read today's list again: the read fails
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen)  # still running, still on home
    assert any("Something went wrong (ZeroDivisionError)" in message for message in shown)
    assert any(record.exc_info and record.exc_info[0] is ZeroDivisionError for record in caplog.records)


async def test_the_palette_lists_quit_once(spa: Spa) -> None:
    """Quit is the app's own ctrl+q: listed once, with its key (Textual's system Quit was listed too)."""
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        hits = await palette_hits(pilot, "quit")
        quits = [hit for hit in hits if hit.splitlines()[0].strip() == "Quit"]
        assert len(quits) == 1
        assert quits[0].endswith("Leave Front Desk — key: ^q")
