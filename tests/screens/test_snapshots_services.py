"""Snapshot of the services and providers screen at 100×32 on the demo day spa (fixed clock,
Grace Kim the manager at the desk), with the providers table focused."""

from __future__ import annotations

from textual.pilot import Pilot

from frontdesk.app import FrontDeskApp
from frontdesk.screens.services import ServicesScreen
from frontdesk.services.desk import Desk
from tests.screens.settle import settle

SIZE = (100, 32)


def test_services_and_providers(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    async def open_screen(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.app.push_screen(ServicesScreen())
        await settle(pilot)
        await pilot.press("down", "down")
        await settle(pilot)

    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=SIZE, run_before=open_screen)
