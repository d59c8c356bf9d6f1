"""Snapshots of the opening hours dialog (services screen, o) at 100×32 and 80×24 on the demo day
spa (fixed clock, Grace Kim the manager at the desk)."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from frontdesk.app import FrontDeskApp
from frontdesk.screens.services import ServicesScreen
from frontdesk.services.desk import Desk
from tests.screens.settle import settle


@pytest.mark.parametrize("size", [(100, 32), (80, 24)], ids=["100x32", "80x24"])
def test_opening_hours_dialog(snap_compare, demo_desk: Desk, size: tuple[int, int]) -> None:  # noqa: ANN001
    async def open_dialog(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.app.push_screen(ServicesScreen())
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)

    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=size, run_before=open_dialog)
