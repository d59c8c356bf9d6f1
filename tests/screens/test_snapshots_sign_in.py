"""Snapshots of sign-in on the demo day spa at 100×32 and 80×24: nobody at the desk, the demo
staff to choose from, and a wrong PIN's message."""

from __future__ import annotations

from textual.pilot import Pilot

from frontdesk.app import FrontDeskApp
from frontdesk.services.desk import Desk
from tests.screens.settle import settle


async def wrong_pin(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("down", *"0000", "enter")
    await settle(pilot)


def test_sign_in_with_a_wrong_pin(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    demo_desk.staff = None
    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=(100, 32), run_before=wrong_pin)


def test_sign_in_80x24(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    demo_desk.staff = None
    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=(80, 24), run_before=settle)


async def open_area(pilot: Pilot, key: str) -> None:
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)


def test_staff_list(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    async def run_before(pilot: Pilot) -> None:
        await open_area(pilot, "f6")

    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=(100, 32), run_before=run_before)


def test_audit_trail(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    async def run_before(pilot: Pilot) -> None:
        await open_area(pilot, "f4")

    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=(100, 32), run_before=run_before)
