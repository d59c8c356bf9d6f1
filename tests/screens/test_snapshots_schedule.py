"""Snapshots of the day book's settings and checks on the demo day spa (fixed clock), at 100×32
and 80×24: what a provider gives (services screen, Tab to the providers, g), and an appointment
being moved onto a time its provider is already booked (the clash shown under the provider)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from frontdesk.app import FrontDeskApp
from frontdesk.domain.kinds import AppointmentStatus
from frontdesk.screens.book import RescheduleScreen
from frontdesk.screens.services import ServicesScreen
from frontdesk.services import appointments
from frontdesk.services.desk import Desk
from tests.conftest import NOW
from tests.screens.settle import settle

SIZES = pytest.mark.parametrize("size", [(100, 32), (80, 24)], ids=["100x32", "80x24"])


@SIZES
def test_what_a_provider_gives(snap_compare, demo_desk: Desk, size: tuple[int, int]) -> None:  # noqa: ANN001
    async def open_dialog(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.app.push_screen(ServicesScreen())
        await settle(pilot)
        await pilot.press("tab", "down", "g")  # the providers, the second one
        await settle(pilot)

    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=size, run_before=open_dialog)


def two_with_one_provider(desk: Desk) -> tuple[int, str]:
    """A booked appointment in the coming week, and the start ("HH:MM") of another booked one of
    the same provider that day: where moving the first would clash."""
    business = desk.business
    today = NOW.astimezone(business.tz).date()
    for ahead in range(1, 8):
        booked = [row for row in desk.read(appointments.day_appointments, business, day=today + timedelta(days=ahead))
                  if row.status == AppointmentStatus.BOOKED and row.provider_id is not None]
        for first in booked:
            other = next((row for row in booked if row.provider_id == first.provider_id and row.id != first.id), None)
            if other is not None:
                return first.id, f"{other.starts_at.astimezone(business.tz):%H:%M}"
    raise AssertionError("the demo has no provider with two bookings on a day of the coming week")


@SIZES
def test_moving_onto_a_booked_time(snap_compare, demo_desk: Desk, size: tuple[int, int]) -> None:  # noqa: ANN001
    appointment_id, clash = two_with_one_provider(demo_desk)

    async def move(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.app.push_screen(RescheduleScreen(appointment_id))
        await settle(pilot)
        box = pilot.app.screen.query_one("#time", Input)
        box.focus()
        box.clear()
        await pilot.press(*clash)
        await settle(pilot)

    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=size, run_before=move)
