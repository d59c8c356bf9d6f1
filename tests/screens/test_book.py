"""Booking: forgiving dates and times, defaults from the service, the coverage verdict shown
before saving, "book anyway" when the package would not cover it, and field errors."""

from __future__ import annotations

import threading
from datetime import date

from textual.widgets import Input, Select, Static

from frontdesk.app import FrontDeskApp
from frontdesk.screens.book import BookScreen
from frontdesk.services import appointments
from frontdesk.services.desk import Desk
from frontdesk.widgets.money_input import MoneyInput
from tests.conftest import NOW
from tests.screens.notifications import Notifications
from tests.screens.salon import build_salon
from tests.screens.settle import settle, until

SIZE = (100, 32)
MON = date(2026, 3, 2)  # the test clock's local day


# ---- the screen -----------------------------------------------------------------------------------

async def open_booking(pilot, customer_id: int) -> BookScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    pilot.app.open_booking(customer_id)
    await settle(pilot)
    assert isinstance(pilot.app.screen, BookScreen)
    return pilot.app.screen


def shown(screen: BookScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


async def type_into(pilot, screen: BookScreen, selector: str, text: str) -> None:  # type: ignore[no-untyped-def]
    box = screen.query_one(selector, Input)
    box.focus()
    box.clear()
    await pilot.pause()
    await pilot.press(*text)
    await settle(pilot)


async def test_defaults_and_booking_covered_by_a_package(screen_desk: Desk) -> None:
    salon = build_salon(screen_desk)
    pack = salon.sell(salon.massage_pack)
    app = FrontDeskApp(screen_desk)
    notifications = Notifications()
    async with app.run_test(size=SIZE, message_hook=notifications.hook) as pilot:
        screen = await open_booking(pilot, salon.maria)
        assert "Book an appointment for Maria Lopez" in shown(screen, "#book-title")
        assert screen.focused is screen.query_one("#service", Select)
        assert screen.query_one("#date", Input).value == "2026-03-02"
        assert shown(screen, "#date-error") == "Mon 2 Mar 2026"
        assert screen.query_one("#time", Input).value == "10:30"

        await pilot.press("enter", *"swe", "enter")  # the service, typed to search
        await settle(pilot)
        assert screen.query_one("#service", Select).value == salon.swedish
        assert screen.query_one("#duration", Input).value == "60"
        assert screen.query_one("#price", MoneyInput).amount == 8000

        await type_into(pilot, screen, "#date", "tomorrow")
        assert shown(screen, "#date-error") == "Tue 3 Mar 2026"
        await type_into(pilot, screen, "#time", "2pm")
        assert shown(screen, "#time-error") == "14:00"
        screen.query_one("#cover", Select).focus()
        await pilot.press("enter", "down", "enter")
        await settle(pilot)
        assert screen.query_one("#cover", Select).value == pack
        assert shown(screen, "#verdict") == "✓ covers — takes 1 visit"

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, BookScreen)
        assert notifications.messages == [
            "Booked Tue 3 Mar 14:00 Swedish Massage, to be covered by Massage Pack"]

    [booked] = screen_desk.read(appointments.customer_appointments, customer_id=salon.maria)
    assert booked.starts_at == salon.at(1, 14)
    assert (booked.service_name, booked.duration_min, booked.price, booked.cover_holding_id) == (
        "Swedish Massage", 60, 8000, pack)


async def test_a_package_that_would_not_cover_says_why_before_saving_and_books_when_confirmed(
        screen_desk: Desk) -> None:
    salon = build_salon(screen_desk)
    monday = salon.sell(salon.monday_massage)
    app = FrontDeskApp(screen_desk)
    notifications = Notifications()
    async with app.run_test(size=SIZE, message_hook=notifications.hook) as pilot:
        screen = await open_booking(pilot, salon.maria)
        screen.query_one("#service", Select).value = salon.swedish
        await settle(pilot)
        await type_into(pilot, screen, "#date", "tue")
        await type_into(pilot, screen, "#time", "14:00")
        screen.query_one("#cover", Select).value = monday
        await settle(pilot)
        assert shown(screen, "#verdict") == "✗ Mondays only"
        assert screen.query_one("#verdict").has_class("-off")

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is screen  # not saved yet: it says why first
        assert "Monday Massage would not cover it: Mondays only. ctrl+s again books it anyway" in shown(
            screen, "#book-message")
        assert screen_desk.read(appointments.customer_appointments, customer_id=salon.maria) == []

        await pilot.press("ctrl+s")  # the receptionist confirms
        await settle(pilot)
        assert not isinstance(pilot.app.screen, BookScreen)
        assert notifications.messages == [
            "Booked Tue 3 Mar 14:00 Swedish Massage — not covered by Monday Massage: Mondays only"]

    [booked] = screen_desk.read(appointments.customer_appointments, customer_id=salon.maria)
    assert (booked.starts_at, booked.cover_holding_id) == (salon.at(1, 14), monday)


async def test_changing_the_day_to_a_monday_turns_the_verdict_green(screen_desk: Desk) -> None:
    salon = build_salon(screen_desk)
    monday = salon.sell(salon.monday_massage)
    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        screen = await open_booking(pilot, salon.maria)
        screen.query_one("#service", Select).value = salon.swedish
        screen.query_one("#cover", Select).value = monday
        await settle(pilot)
        await type_into(pilot, screen, "#date", "tue")
        assert shown(screen, "#verdict") == "✗ Mondays only"
        await type_into(pilot, screen, "#date", "mon")
        assert shown(screen, "#verdict") == "✓ covers — takes 1 visit"
        assert shown(screen, "#date-error") == "Mon 9 Mar 2026"


async def test_unreadable_fields_show_messages_and_nothing_is_saved(screen_desk: Desk) -> None:
    salon = build_salon(screen_desk)
    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        screen = await open_booking(pilot, salon.maria)
        await type_into(pilot, screen, "#date", "someday")
        assert shown(screen, "#date-error") == "Enter a date like 3/3, 3 Mar, 2026-03-03, tomorrow or mon."
        await type_into(pilot, screen, "#time", "25:00")
        assert shown(screen, "#time-error") == "There is no such time."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert shown(screen, "#service-error") == "Choose a service."
        assert "Correct the fields marked in red" in shown(screen, "#book-message")

        screen.query_one("#service", Select).value = salon.swedish
        await settle(pilot)
        await type_into(pilot, screen, "#date", "3/4")
        await type_into(pilot, screen, "#time", "11")
        await type_into(pilot, screen, "#duration", "0")  # the use case refuses it: shown under the field
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert shown(screen, "#duration-error") == "The duration must be at least 1 minute."
        assert shown(screen, "#service-error") == ""
        await type_into(pilot, screen, "#price", "abc")
        assert shown(screen, "#price-error") == "Enter an amount like 40.00."
        assert screen.query_one("#price", MoneyInput).has_class("-invalid")
    assert screen_desk.read(appointments.customer_appointments, customer_id=salon.maria) == []


async def test_escape_cancels(screen_desk: Desk) -> None:
    salon = build_salon(screen_desk)
    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        screen = await open_booking(pilot, salon.maria)
        # she has no package: said of her by name
        assert shown(screen, "#verdict") == "Maria Lopez has no active package: paid at checkout."
        screen.query_one("#date").focus()
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, BookScreen)
    assert NOW and screen_desk.read(appointments.customer_appointments, customer_id=salon.maria) == []


async def massage_on_monday_at_11(pilot, salon) -> BookScreen:  # type: ignore[no-untyped-def]
    """Maria's booking form with a Swedish Massage on Monday at 11:00 typed in."""
    screen = await open_booking(pilot, salon.maria)
    screen.query_one("#service", Select).value = salon.swedish
    await settle(pilot)
    await type_into(pilot, screen, "#date", "mon")
    await type_into(pilot, screen, "#time", "11:00")
    return screen


async def test_the_cover_refusal_stays_when_the_day_book_check_comes_back_after_it(screen_desk: Desk) -> None:
    """The form is checked twice in parallel: the package (cover) and the day book (provider,
    time). Whichever comes back last, the other's message stays: here the day book's check is
    held until the package's refusal is shown, then let through."""
    from frontdesk.services.schedule import check_booking

    salon = build_salon(screen_desk)
    pack = salon.sell(salon.massage_pack)
    for day in (1, 2, 3, 4, 5):
        salon.book(salon.at(day, 11), cover_holding_id=pack)
    gate, read = threading.Event(), screen_desk.read
    gate.set()

    def held(use_case, *args, **kwargs):  # type: ignore[no-untyped-def]
        if use_case is check_booking:
            gate.wait(30)
        return read(use_case, *args, **kwargs)

    screen_desk.read = held  # type: ignore[method-assign]
    app = FrontDeskApp(screen_desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await massage_on_monday_at_11(pilot, salon)
        await settle(pilot)
        gate.clear()  # the day book's next check waits
        try:
            screen.query_one("#cover", Select).value = pack
            screen._check_schedule()  # as any change of the form starts it: held
            refusal = ("Massage Pack has no visit free: 5 left, 5 held for 5 bookings from Tue 3 Mar. "
                       "Book it without the package, or free one of those.")
            await until(pilot, lambda: shown(screen, "#cover-error") == refusal, "the package's refusal")
        finally:
            gate.set()
        await settle(pilot)
        assert screen.schedule is not None and screen.schedule[0] == screen.read_form().key  # it came back
        assert shown(screen, "#cover-error") == refusal


async def test_a_package_with_nothing_free_is_refused_at_the_cover_field_and_nothing_is_saved(
        screen_desk: Desk) -> None:
    """Five bookings hold the Massage Pack's five visits: a sixth cannot be covered by it, and the
    form says so under "Cover with" (no "book anyway": it would hold a visit that is not there)."""
    salon = build_salon(screen_desk)
    pack = salon.sell(salon.massage_pack)
    held = [salon.book(salon.at(day, 11), cover_holding_id=pack) for day in (1, 2, 3, 4, 5)]
    app = FrontDeskApp(screen_desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await massage_on_monday_at_11(pilot, salon)
        screen.query_one("#cover", Select).value = pack
        await settle(pilot)
        reason = "no visit free: 5 left, 5 held for 5 bookings from Tue 3 Mar"
        assert shown(screen, "#verdict") == f"✗ {reason}"
        refusal = f"Massage Pack has {reason}. Book it without the package, or free one of those."
        assert shown(screen, "#cover-error") == refusal
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert shown(screen, "#cover-error") == refusal
        assert "Correct the fields marked in red" in shown(screen, "#book-message")
        await pilot.press("ctrl+s")  # no second ctrl+s books it anyway
        await settle(pilot)
        assert pilot.app.screen is screen
    booked = screen_desk.read(appointments.customer_appointments, customer_id=salon.maria)
    assert sorted(appointment.id for appointment in booked) == sorted(held)
