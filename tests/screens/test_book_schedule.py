"""The booking form and the day book: a clash shown under the provider while typing, the next
free start suggested, Escape asking before it drops what was typed, a time gone by entered by a
manager with a reason, and moving an appointment from the customer screen with r."""

from __future__ import annotations

from datetime import time

from textual.widgets import Input, Select

from frontdesk.app import FrontDeskApp
from frontdesk.screens.book import BookScreen, RescheduleScreen
from frontdesk.screens.dialogs.confirm import ConfirmDialog
from frontdesk.screens.dialogs.reason import ReasonDialog
from frontdesk.services import appointments, audit, schedule
from frontdesk.services.desk import Desk
from tests.screens.notifications import Notifications
from tests.screens.salon import build_salon
from tests.screens.settle import settle
from tests.screens.test_book import SIZE, open_booking, shown, type_into


async def test_a_clash_shows_under_the_provider_and_nothing_is_booked(screen_desk: Desk) -> None:
    salon = build_salon(screen_desk)
    salon.book(salon.at(1, 14), provider_id=salon.anna, customer=salon.customer("Ana Silva"))
    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        screen = await open_booking(pilot, salon.maria)
        screen.query_one("#service", Select).value = salon.swedish
        screen.query_one("#provider", Select).value = salon.anna
        await settle(pilot)
        await type_into(pilot, screen, "#date", "tue")
        await type_into(pilot, screen, "#time", "14:30")
        assert shown(screen, "#provider-error") == "Anna is booked 14:00–15:00 (Swedish Massage)."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert shown(screen, "#provider-error") == "Anna is booked 14:00–15:00 (Swedish Massage)."
        await type_into(pilot, screen, "#time", "15:00")  # back to back: fine
        assert shown(screen, "#provider-error") == ""
    assert len(screen_desk.read(appointments.customer_appointments, customer_id=salon.maria)) == 0


async def test_the_time_offered_is_the_next_free_start(screen_desk: Desk) -> None:
    salon = build_salon(screen_desk)
    screen_desk.write(schedule.set_opening_hours, days=[(time(9), time(18))] * 7)
    # the test clock is Monday 10:00; Anna is busy until 11:00
    salon.book(salon.at(0, 10), provider_id=salon.anna, customer=salon.customer("Ana Silva"))
    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        screen = await open_booking(pilot, salon.maria)
        screen.query_one("#provider", Select).value = salon.anna
        await settle(pilot)
        screen.query_one("#service", Select).value = salon.swedish
        await settle(pilot)
        assert (screen.query_one("#date", Input).value, screen.query_one("#time", Input).value) == (
            "2026-03-02", "11:00")
        screen.query_one("#provider", Select).value = salon.ben  # Ben is free now
        await settle(pilot)
        assert screen.query_one("#time", Input).value == "10:00"
        await type_into(pilot, screen, "#time", "16:00")  # typed: no more suggestions
        screen.query_one("#provider", Select).value = salon.anna
        await settle(pilot)
        assert screen.query_one("#time", Input).value == "16:00"


async def test_escape_asks_before_dropping_a_changed_form(screen_desk: Desk) -> None:
    salon = build_salon(screen_desk)
    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        screen = await open_booking(pilot, salon.maria)
        screen.query_one("#service", Select).value = salon.swedish
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("escape")  # keep editing
        await settle(pilot)
        assert pilot.app.screen is screen
        await pilot.press("escape", "enter")  # discard
        await settle(pilot)
        assert not isinstance(pilot.app.screen, BookScreen)


async def test_a_manager_enters_a_time_gone_by_with_a_reason(screen_desk: Desk) -> None:
    salon = build_salon(screen_desk)
    notifications = Notifications()
    async with FrontDeskApp(screen_desk).run_test(size=SIZE, message_hook=notifications.hook) as pilot:
        screen = await open_booking(pilot, salon.maria)
        screen.query_one("#service", Select).value = salon.sauna
        await settle(pilot)
        await type_into(pilot, screen, "#time", "8:00")
        assert shown(screen, "#date-error") == "That time has passed; a manager can enter it with a reason."
        assert shown(screen, "#book-message") == "ctrl+o enters it anyway, with the reason."
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReasonDialog)
        await pilot.press(*"came at eight", "ctrl+s")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, BookScreen)
        assert notifications.messages == ["Booked Mon 2 Mar 08:00 Sauna"]
    [booked] = screen_desk.read(audit.events, kind=audit.AuditKind.BOOKED)
    assert booked.detail.endswith(": came at eight")


async def test_r_on_the_customer_screen_moves_the_appointment(screen_desk: Desk) -> None:
    salon = build_salon(screen_desk)
    booked = salon.book(salon.at(1, 14), provider_id=salon.anna)
    notifications = Notifications()
    async with FrontDeskApp(screen_desk).run_test(size=SIZE, message_hook=notifications.hook) as pilot:
        await settle(pilot)
        pilot.app.open_customer(salon.maria)
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, RescheduleScreen)
        assert (screen.query_one("#date", Input).value, screen.query_one("#time", Input).value) == (
            "2026-03-03", "14:00")
        assert screen.query_one("#service", Select).disabled
        await type_into(pilot, screen, "#time", "16:30")
        screen.query_one("#provider", Select).value = salon.ben
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, RescheduleScreen)
        assert notifications.messages[-1] == "Moved Swedish Massage to Tue 3 Mar 16:30 with Ben"
    moved = salon.appointment(booked)
    assert (moved.starts_at, moved.provider_name) == (salon.at(1, 16, 30), "Ben")
