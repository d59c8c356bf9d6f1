"""The day book (f9): a day's appointments by provider; turning the days, going to a typed day,
Enter to the checkout or the customer, `n` for a no-show, and the cursor kept on its appointment
when the day is read again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import DataTable, Static

from frontdesk.app import FrontDeskApp
from frontdesk.domain.kinds import Tender
from frontdesk.domain.terms import Terms, ValueType
from frontdesk.screens.checkout import CheckoutScreen
from frontdesk.screens.customer import CustomerScreen
from frontdesk.screens.day_book import DayBookScreen
from frontdesk.screens.dialogs.reason import ReasonDialog
from frontdesk.screens.home import HomeScreen
from frontdesk.services import appointments, checkout
from frontdesk.services.desk import Desk
from frontdesk.services.sales import TenderLine
from tests.conftest import NOW
from tests.screens.keys import type_text
from tests.screens.notifications import Notifications
from tests.screens.settle import settle
from tests.world import World

SIZE = (100, 32)
LONG_NAME = "Alexandra Konstantinopoulou-Vanderbilt de la Fontaine"


class Day(World):
    """Monday 2 March at 10:00 (the test clock): Anna, Ben and Chloe; Rita at the desk.

    Anna: 08:30 Maria's Swedish Massage paid from her Spa Pack, 09:30 John's Facial unpaid (begun),
    11:00 a Thai Massage to be covered by a Spa Pack for the customer with a very long name.
    Ben: 08:00 Sam's Sauna, a no-show; 09:00 Priya's Swedish paid by card; 13:00 John's Thai,
    cancelled. Chloe: nothing. No provider: 15:00 Maria's Sauna, unpaid. Tuesday: Priya at 10:00."""

    def __init__(self, desk: Desk) -> None:
        super().__init__(desk, services=("Swedish Massage", "Thai Massage", "Sauna", "Facial"),
                         providers=("Anna", "Ben", "Chloe"))
        desk.staff = self.rita
        self.spa_pack = self.package(Terms(title="Spa Pack", value_type=ValueType.VISITS, quantity=5, price=40000))
        self.maria = self.customer("Maria Lopez")
        self.john = self.customer("John Carter")
        self.sam = self.customer("Sam Lee")
        self.priya = self.customer("Priya Natarajan")
        self.long = self.customer(LONG_NAME)
        marias_pack = self.sell(self.maria, self.spa_pack)
        long_pack = self.sell(self.long, self.spa_pack)
        self.from_pack = self.booked(self.maria, self.swedish, 8, 30, self.anna)
        self.checkout(self.from_pack, package=marias_pack)
        self.unpaid = self.booked(self.john, self.facial, 9, 30, self.anna)
        self.covered = self.booked(self.long, self.thai, 11, 0, self.anna, cover_holding_id=long_pack)
        self.missed = self.booked(self.sam, self.sauna, 8, 0, self.ben)
        self.paid = self.booked(self.priya, self.swedish, 9, 0, self.ben)
        self.checkout(self.paid, tenders=[TenderLine(Tender.CARD, 8000)])
        self.cancelled = self.booked(self.john, self.thai, 13, 0, self.ben)
        self.sauna_later = self.booked(self.maria, self.sauna, 15, 0, None)
        self.desk.write(appointments.no_show, self.business, appointment_id=self.missed)
        self.desk.write(appointments.cancel, self.business, appointment_id=self.cancelled)
        self.tuesday = self.book(self.priya, self.swedish, self.at(1, 10), provider_id=self.anna,
                                 now=NOW - timedelta(days=30))

    def booked(self, customer: int, service: int, hour: int, minute: int, provider: int | None,
               **extra: object) -> int:
        return self.book(customer, service, self.at(0, hour, minute), provider_id=provider,
                         now=NOW - timedelta(days=30), **extra)

    def checkout(self, appointment_id: int, **paid: object) -> None:
        self.desk.write(checkout.checkout, self.business, key=f"pay-{appointment_id}",
                        appointment_id=appointment_id, **paid)


@pytest.fixture
def day(screen_desk: Desk) -> Day:
    return Day(screen_desk)


MONDAY = [
    ["Anna", "", "", ""],
    ["08:30–09:30", "Maria Lopez", "Swedish Massage", "paid from Spa Pack"],
    ["09:30–10:15", "John Carter", "Facial", "unpaid $70.00"],
    ["11:00–12:30", LONG_NAME, "Thai Massage", "to be covered by Spa Pack"],
    ["Ben", "", "", ""],
    ["08:00–08:30", "Sam Lee", "Sauna", "no-show"],
    ["09:00–10:00", "Priya Natarajan", "Swedish Massage", "paid"],
    ["13:00–14:30", "John Carter", "Thai Massage", "cancelled"],
    ["Chloe", "nothing booked", "", ""],
    ["No provider", "", "", ""],
    ["15:00–15:30", "Maria Lopez", "Sauna", "unpaid $25.00"],
]


def rows(app: FrontDeskApp) -> list[list[str]]:
    table = app.screen.query_one("#daybook", DataTable)
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


def text_of(app: FrontDeskApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


def cursor(app: FrontDeskApp) -> int:
    return app.screen.query_one("#daybook", DataTable).cursor_row


async def open_day_book(app: FrontDeskApp, pilot) -> DayBookScreen:  # noqa: ANN001
    await settle(pilot)
    await pilot.press("f9")
    await settle(pilot)
    assert isinstance(app.screen, DayBookScreen)
    return app.screen


async def go_to_row(pilot, app: FrontDeskApp, row: int) -> None:  # noqa: ANN001
    table = app.screen.query_one("#daybook", DataTable)
    table.move_cursor(row=row)
    await settle(pilot)


async def test_f9_opens_today_by_provider_with_each_state_in_words(day: Day) -> None:
    app = FrontDeskApp(day.desk)
    async with app.run_test(size=SIZE) as pilot:
        await open_day_book(app, pilot)
        assert text_of(app, "#daybook-title") == "Monday 2 March 2026 · today"
        # 7 on the day (3 with Anna, 3 with Ben, 1 without); still to be paid: John's Facial, the
        # long-named customer's Thai (to be covered by her pack) and Maria's Sauna
        assert text_of(app, "#daybook-summary") == "7 appointments, 3 unpaid, 1 no-show, 1 cancelled"
        assert rows(app) == MONDAY
        assert cursor(app) == 1  # the first appointment, not Anna's name
        keys = {key for key, active in app.screen.active_bindings.items() if active.binding.show and active.enabled}
        assert {"left", "right", "t", "g", "f5", "escape", "enter"} <= keys
        await go_to_row(pilot, app, 2)  # John's Facial, booked and begun: it can be a no-show
        palette = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Day before", "Day after", "Today", "Go to", "Open", "No-show", "Refresh", "Back",
                "Day book"} <= palette
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_arrows_turn_the_days_and_t_comes_back_to_today(day: Day) -> None:
    app = FrontDeskApp(day.desk)
    async with app.run_test(size=SIZE) as pilot:
        await open_day_book(app, pilot)
        await pilot.press("right")
        await settle(pilot)
        assert text_of(app, "#daybook-title") == "Tuesday 3 March 2026 · tomorrow"
        assert rows(app) == [["Anna", "", "", ""], ["10:00–11:00", "Priya Natarajan", "Swedish Massage",
                                                     "unpaid $80.00"],
                             ["Ben", "nothing booked", "", ""], ["Chloe", "nothing booked", "", ""]]
        await pilot.press("right")
        await settle(pilot)
        assert text_of(app, "#daybook-title") == "Wednesday 4 March 2026"
        assert text_of(app, "#daybook-summary") == "No appointments on Wednesday 4 March."
        assert rows(app) == []
        await pilot.press("t")
        await settle(pilot)
        assert text_of(app, "#daybook-title") == "Monday 2 March 2026 · today"
        assert rows(app) == MONDAY
        await pilot.press("left")
        await settle(pilot)
        assert text_of(app, "#daybook-title") == "Sunday 1 March 2026 · yesterday"
        assert text_of(app, "#daybook-summary") == "No appointments on Sunday 1 March."


async def test_g_goes_to_a_typed_day(day: Day) -> None:
    app = FrontDeskApp(day.desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_day_book(app, pilot)
        await pilot.press("g")
        await settle(pilot)
        field = screen.query_one("#daybook-goto-day")
        assert screen.focused is field
        await type_text(pilot, "someday", then_settle=True)
        assert text_of(app, "#daybook-goto-error").startswith("Enter a date like")
        await pilot.press("enter")
        await settle(pilot)
        assert text_of(app, "#daybook-title") == "Monday 2 March 2026 · today"  # still today
        assert "Close" in {active.binding.description for active in screen.active_bindings.values()}
        await pilot.press("escape")
        await settle(pilot)
        assert not screen.query_one("#daybook-goto-box").display and isinstance(app.screen, DayBookScreen)
        assert screen.focused is screen.query_one("#daybook")

        await pilot.press("g")
        await type_text(pilot, "tomorrow")
        await pilot.press("left", "left")  # in the field the arrows move its cursor: the day stays
        await settle(pilot)
        assert text_of(app, "#daybook-title") == "Monday 2 March 2026 · today"
        await pilot.press("enter")
        await settle(pilot)
        assert text_of(app, "#daybook-title") == "Tuesday 3 March 2026 · tomorrow"
        assert not screen.query_one("#daybook-goto-box").display
        assert screen.focused is screen.query_one("#daybook")
        await pilot.press("g")
        await type_text(pilot, "2026-12-24")
        await pilot.press("enter")
        await settle(pilot)
        assert text_of(app, "#daybook-title") == "Thursday 24 December 2026"


async def test_enter_opens_the_checkout_of_an_unpaid_one_and_the_customer_of_a_paid_one(day: Day) -> None:
    shown = Notifications()
    app = FrontDeskApp(day.desk)
    async with app.run_test(size=SIZE, message_hook=shown.hook) as pilot:
        screen = await open_day_book(app, pilot)
        await go_to_row(pilot, app, 2)  # John's Facial, unpaid
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CheckoutScreen) and app.screen.appointment_id == day.unpaid
        await pilot.press("f9")
        assert shown.messages[-1] == "The day book is open under this screen: esc goes back to it."
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and cursor(app) == 2
        await go_to_row(pilot, app, 6)  # Priya's, paid
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen) and app.screen.customer_id == day.priya
        await pilot.press("escape")
        await settle(pilot)
        await go_to_row(pilot, app, 4)  # Ben's name
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and shown.messages[-1] == "No appointment on this row."


async def test_n_marks_a_booked_one_a_no_show_and_says_why_not_on_the_others(day: Day) -> None:
    shown = Notifications()
    app = FrontDeskApp(day.desk)
    async with app.run_test(size=SIZE, message_hook=shown.hook) as pilot:
        screen = await open_day_book(app, pilot)
        await go_to_row(pilot, app, 6)  # Priya's, paid
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen
        assert shown.messages[-1] == "Only a booked appointment can be a no-show: this one is paid."
        await go_to_row(pilot, app, 0)
        await pilot.press("n")
        await settle(pilot)
        assert shown.messages[-1] == "No appointment on this row."
        await go_to_row(pilot, app, 3)  # 11:00, not begun yet
        await pilot.press("n")
        await settle(pilot)
        assert shown.messages[-1] == "It has not begun yet: a no-show is marked once it has."
        await go_to_row(pilot, app, 2)  # John's Facial at 09:30: booked, begun
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ReasonDialog)
        assert "John Carter did not come to Facial on Mon 2 Mar 09:30?" in str(
            app.screen.query_one("#prompt", Static).content)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert shown.messages[-1] == "Facial marked a no-show."
        assert rows(app)[2] == ["09:30–10:15", "John Carter", "Facial", "no-show"]
        assert cursor(app) == 2
        assert text_of(app, "#daybook-summary") == "7 appointments, 2 unpaid, 2 no-shows, 1 cancelled"


async def test_the_cursor_stays_on_its_appointment_when_the_day_is_read_again(day: Day) -> None:
    app = FrontDeskApp(day.desk)
    async with app.run_test(size=SIZE) as pilot:
        await open_day_book(app, pilot)
        await go_to_row(pilot, app, 6)  # Priya's at 09:00 with Ben
        # another desk books two more with Anna: Priya's row moves two down
        day.booked(day.sam, day.sauna, 7, 0, day.anna)
        day.booked(day.sam, day.sauna, 16, 0, day.anna)
        await pilot.press("f5")
        await settle(pilot)
        assert rows(app)[8] == ["09:00–10:00", "Priya Natarajan", "Swedish Massage", "paid"]
        assert cursor(app) == 8
        await pilot.press("right")
        await settle(pilot)
        assert cursor(app) == 1  # Tuesday: its first appointment
        await pilot.press("left")
        await settle(pilot)
        assert cursor(app) == 8  # back on Monday, back on Priya's
        await pilot.press("escape")  # home, and back with f9
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert text_of(app, "#daybook-title") == "Monday 2 March 2026 · today" and cursor(app) == 8
