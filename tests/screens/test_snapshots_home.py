"""Snapshots of the home screen (lookup + today) at 100×32 and 80×24, and of the confirm and
customer-form dialogs, on the demo day spa with the fixed clock."""

from __future__ import annotations

from textual.pilot import Pilot

from frontdesk.app import FrontDeskApp
from frontdesk.screens.dialogs.confirm import ConfirmDialog
from frontdesk.services.desk import Desk
from tests.screens.settle import settle


async def search_mar(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("m", "a", "r")
    await settle(pilot)


def test_home_search_results_and_today(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=(100, 32), run_before=search_mar)


def test_home_search_results_and_today_80x24(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=(80, 24), run_before=search_mar)


def test_home_no_match(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    async def no_match(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("x", "y", "z")
        await settle(pilot)

    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=(80, 24), run_before=no_match)


def test_confirm_dialog(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    async def confirm(pilot: Pilot) -> None:
        await settle(pilot)
        pilot.app.push_screen(ConfirmDialog("Cancel Thai Massage for Sara Roberts on Mon 2 Mar 13:30?",
                                            "Cancel appointment", "Keep it"))
        await settle(pilot)

    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=(100, 32), run_before=confirm)


def test_customer_form_with_the_duplicate_warning(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    async def duplicate(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press(*"mary", "space", *"lopez")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press(*"555-201-3344", "ctrl+s")
        await settle(pilot)

    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=(100, 32), run_before=duplicate)


def test_home_in_the_light_theme(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    async def light(pilot: Pilot) -> None:
        pilot.app.theme = "textual-light"
        await search_mar(pilot)

    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=(100, 32), run_before=light)


def test_checkout_in_the_light_theme(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    async def light_checkout(pilot: Pilot) -> None:
        pilot.app.theme = "textual-light"
        await settle(pilot)
        await pilot.press("ctrl+t", "down", "down", "down", "enter")  # an unpaid appointment of today
        await settle(pilot)

    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=(100, 32), run_before=light_checkout)
