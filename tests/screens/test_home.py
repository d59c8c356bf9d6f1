"""Home: find a customer as you type (name, phone or email fragments), open her with Enter, add a
new one (duplicate phone warned before saving), and today's appointments with the unpaid ones
marked. Each test asserts what is on screen and what is in the database."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import DataTable, Input, Static

from frontdesk.app import FrontDeskApp
from frontdesk.screens.dialogs.confirm import ConfirmDialog
from frontdesk.screens.customer import CustomerScreen
from frontdesk.screens.dialogs.customer import CustomerFormDialog
from frontdesk.screens.home import HomeScreen, prefill
from frontdesk.services import appointments, customers
from frontdesk.widgets.fitted import FittedTable
from tests.screens.customer_data import Spa
from tests.screens.keys import burst, chars, type_text
from tests.screens.notifications import Notifications
from tests.screens.settle import settle, until

SIZE = (100, 32)


def rows(table: DataTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


def status(app: FrontDeskApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


def _today_bookings(spa: Spa) -> tuple[int, int, int]:
    """09:00 Maria paid by card, 14:00 Maria unpaid, 16:00 Marta unpaid facial."""
    paid = spa.book(spa.at(0, 9))
    spa.pay_by_card(paid, 8000)
    unpaid = spa.book(spa.at(0, 14), provider=spa.anna)
    facial = spa.book(spa.at(0, 16), customer=spa.marta, service=spa.facial)
    return paid, unpaid, facial


async def test_home_lists_todays_appointments_with_unpaid_marked(spa: Spa) -> None:
    _today_bookings(spa)
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert rows(app.screen.query_one("#today", DataTable)) == [
            ["09:00", "Maria Lopez", "Swedish Massage", "—", "$80.00", "paid"],
            ["14:00", "Maria Lopez", "Swedish Massage", "Anna", "$80.00", "UNPAID $80.00"],
            ["16:00", "Marta Jones", "Facial", "—", "$70.00", "UNPAID $70.00"],
        ]
        assert status(app, "#status") == "3 appointments today, 2 unpaid"
        assert "Monday 2 March 2026" in status(app, "#day-title")
        # the search has the focus, empty, with its placeholder
        search = app.screen.query_one("#search", Input)
        assert app.focused is search and search.value == ""
        assert "Find a customer" in search.placeholder


async def test_command_palette_offers_the_screens_actions(spa: Spa) -> None:
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for title in ("New", "Today", "Clear", "Refresh", "Packages", "Quit"):
            assert title in titles


async def test_find_by_name_phone_or_email_fragment_and_open_with_enter(spa: Spa) -> None:
    """F1: name, phone (typed with spaces or dashes) and email fragments all find Maria."""
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        results = app.screen.query_one("#results", DataTable)
        search = app.screen.query_one("#search", Input)

        await type_text(pilot, "mar", then_settle=True)  # Maria and Marta, as you type
        assert [row[0] for row in rows(results)] == ["Maria Lopez", "Marta Jones"]
        assert status(app, "#results-status").startswith("2 customers found")
        await type_text(pilot, "ia", then_settle=True)
        assert rows(results) == [["Maria Lopez", "(555) 201-3344", "maria.lopez@example.com"]]

        for fragment in ("201-33", "555 201 33", "(555) 2013", "lopez@exa", "LOPEZ"):
            search.value = ""
            await settle(pilot)
            await type_text(pilot, fragment, then_settle=True)
            assert [row[0] for row in rows(results)] == ["Maria Lopez"], fragment

        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert app.screen.customer_id == spa.maria
        assert "Maria Lopez" in str(app.screen.query_one("#contact", Static).content)


async def test_enter_before_the_results_arrive_opens_the_first_match(spa: Spa) -> None:
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "o", "h", "n", "enter")  # no wait between the keys
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert app.screen.customer_id == spa.john


async def test_only_the_latest_search_is_shown(spa: Spa) -> None:
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        await type_text(pilot, "john", then_settle=True)
        maria = spa.desk.read(customers.get_customer, spa.maria)
        home.post_message(HomeScreen.Found("mar", [maria]))  # a late answer to an earlier search
        await pilot.pause()
        assert [row[0] for row in rows(home.query_one("#results", DataTable))] == ["John Carter"]


async def test_arrows_move_between_search_and_results(spa: Spa) -> None:
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        results = app.screen.query_one("#results", DataTable)
        search = app.screen.query_one("#search", Input)
        await type_text(pilot, "mar", then_settle=True)
        await pilot.press("down")
        assert app.focused is results and results.cursor_row == 0
        await pilot.press("down")
        assert results.cursor_row == 1
        await pilot.press("up", "up")  # up from the first row: back to the search
        assert app.focused is search
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert app.screen.customer_id == spa.marta


async def test_no_match_says_so_and_escape_clears(spa: Spa) -> None:
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        search = app.screen.query_one("#search", Input)
        await type_text(pilot, "xyz", then_settle=True)
        assert status(app, "#results-status") == "No customer matches 'xyz' — ctrl+n to add one."
        assert not app.screen.query_one("#results", DataTable).display
        await pilot.press("escape")
        await settle(pilot)
        assert search.value == "" and app.focused is search
        assert status(app, "#results-status").startswith("Type a name, phone or email")


async def test_today_key_enter_opens_checkout_or_customer(spa: Spa) -> None:
    from frontdesk.screens.checkout import CheckoutScreen

    paid, unpaid, _ = _today_bookings(spa)
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        today = app.screen.query_one("#today", DataTable)
        await pilot.press("ctrl+t")
        assert app.focused is today
        await pilot.press("escape")  # back to the search
        assert app.focused is app.screen.query_one("#search", Input)
        await pilot.press("ctrl+t", "enter")  # the paid 09:00: her customer screen
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen) and app.screen.customer_id == spa.maria
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("ctrl+t", "down", "enter")  # the unpaid 14:00: its checkout
        await settle(pilot)
        assert isinstance(app.screen, CheckoutScreen)
        assert app.screen.appointment_id == unpaid


async def test_home_shows_a_payment_made_elsewhere_when_resumed(spa: Spa) -> None:
    _, unpaid, _ = _today_bookings(spa)
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        today = app.screen.query_one("#today", DataTable)
        assert str(today.get_row_at(1)[-1]) == "UNPAID $80.00"
        await type_text(pilot, "maria", then_settle=True)
        await pilot.press("enter")
        await settle(pilot)
        spa.pay_by_card(unpaid, 8000)  # paid at the checkout, meanwhile
        await pilot.press("escape")
        await settle(pilot)
        assert str(today.get_row_at(1)[-1]) == "paid"
        assert status(app, "#status") == "3 appointments today, 1 unpaid"


def test_prefill_takes_the_typed_text_as_name_phone_or_email() -> None:
    assert prefill("maria lopez") == {"name": "Maria Lopez"}
    assert prefill("McKay") == {"name": "McKay"}
    assert prefill("555-201 3344") == {"phone": "555-201 3344"}
    assert prefill("ann@example.com") == {"email": "ann@example.com"}
    assert prefill("  ") == {}


async def test_new_customer_warns_about_a_duplicate_phone_then_saves_anyway(spa: Spa) -> None:
    """F10: the same phone as Maria: the warning names her; ctrl+s again creates the second."""
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "mary lopez", then_settle=True)
        assert "No customer matches" in status(app, "#results-status")
        await pilot.press("ctrl+n")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CustomerFormDialog)
        assert dialog.query_one("#name", Input).value == "Mary Lopez"
        assert app.focused is dialog.query_one("#phone", Input)
        await type_text(pilot, "555-201-3344", then_settle=True)
        await pilot.press("ctrl+s")
        await settle(pilot)
        warning = dialog.query_one("#duplicate-warning", Static)
        assert warning.display and "Maria Lopez" in str(warning.content)
        assert "ctrl+s again" in str(warning.content)
        same = spa.desk.read(customers.find_duplicates, spa.desk.business, phone="5552013344")
        assert len(same) == 1  # nothing saved yet
        await pilot.press("ctrl+s")
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        same_phone = spa.desk.read(customers.find_duplicates, spa.desk.business, phone="5552013344")
        assert sorted(c.name for c in same_phone) == ["Maria Lopez", "Mary Lopez"]
        mary = next(c for c in same_phone if c.name == "Mary Lopez")
        assert app.screen.customer_id == mary.id


async def test_new_customer_cancelled_after_the_warning_creates_nothing(spa: Spa) -> None:
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        results = app.screen.query_one("#results", DataTable)
        await pilot.press("ctrl+t", "n")  # `n` works from a table too
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CustomerFormDialog)
        assert app.focused is dialog.query_one("#name", Input)
        await type_text(pilot, "Mary Lopez", then_settle=True)
        await pilot.press("enter")  # to the phone
        await type_text(pilot, "(555) 201-3344", then_settle=True)
        await pilot.press("enter", "enter", "enter")  # email, note, then save
        await settle(pilot)
        assert "Maria Lopez" in str(dialog.query_one("#duplicate-warning", Static).content)
        await pilot.press("escape")  # something typed: it asks first
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")  # discard
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert len(spa.desk.read(customers.find_duplicates, spa.desk.business, phone="5552013344")) == 1
        assert spa.desk.read(customers.search_customers, "mary") == []
        assert not results.display


async def test_new_customer_shows_invalid_fields_under_them(spa: Spa) -> None:
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "nora@bad", then_settle=True)
        await pilot.press("ctrl+n")
        await settle(pilot)
        dialog = app.screen
        assert dialog.query_one("#email", Input).value == "nora@bad"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert str(dialog.query_one("#name-error", Static).content) == "Enter the customer's name."
        assert "email" in str(dialog.query_one("#email-error", Static).content)
        assert app.focused is dialog.query_one("#name", Input)
        await type_text(pilot, "Nora Thomas", then_settle=True)
        dialog.query_one("#email", Input).value = "nora@example.com"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert [c.email for c in spa.desk.read(customers.search_customers, "nora")] == ["nora@example.com"]


async def test_a_very_long_name_is_cut_and_its_neighbours_keep_their_words(spa: Spa) -> None:
    """One 169-character name on today's list shortens itself ("…"), not every service beside it."""
    long_name = "Maria " + "Antonia " * 17 + "de la Cruz y Fernández Ruiz"  # 6 + 136 + 27 = 169 characters
    assert len(long_name) == 169
    someone = spa.customer(long_name)
    _today_bookings(spa)
    spa.book(spa.at(0, 11), customer=someone)
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        today = app.screen.query_one("#today", FittedTable)
        shown = rows(today)
        assert [row[2] for row in shown] == ["Swedish Massage", "Swedish Massage", "Swedish Massage", "Facial"]
        assert shown[1][1] == long_name
        widths = today.fitted_widths
        assert widths["service"] == len("Swedish Massage")  # every service in full
        assert len("Marta Jones") <= widths["customer"] < 40  # the long name is the one cut ("…")
        assert sum(widths.values()) + 2 * today.cell_padding * len(widths) <= 80


async def test_the_highlighted_appointment_stays_highlighted_when_the_list_is_read_again(spa: Spa) -> None:
    """The cursor follows its appointment, not its row number: one booked earlier in the day at
    another desk moves it down a row, and f5 keeps the cursor on it."""
    _, unpaid, _ = _today_bookings(spa)
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        today = app.screen.query_one("#today", FittedTable)
        today.focus()
        today.move_cursor(row=1)  # 14:00 Maria
        await pilot.pause()
        assert today.cursor_key == str(unpaid)
        spa.book(spa.at(0, 10), customer=spa.john)  # another desk, meanwhile
        await pilot.press("f5")
        await settle(pilot)
        assert [row[0] for row in rows(today)] == ["09:00", "10:00", "14:00", "16:00"]
        assert today.cursor_row == 2 and today.cursor_key == str(unpaid)


def shown_keys(app: FrontDeskApp) -> dict[str, bool]:
    """The footer's keys: each one's words, and whether it can act now."""
    return {active.binding.description: active.enabled for active in app.screen.active_bindings.values()
            if active.binding.show}


async def test_a_day_longer_than_a_page_is_shown_from_now_and_paged(spa: Spa) -> None:
    """230 appointments today, every three minutes from 06:00: home shows 100 at a time. It is
    10:00, so the page starts with those begun at most two hours ago (08:00, the day's 41st);
    → and ← turn the page (the cursor on its first row), PageDown on the last row turns it too,
    and a key that cannot turn says why."""
    from frontdesk.screens.checkout import CheckoutScreen
    from frontdesk.services.appointments import DAY_PAGE

    count, first_now = 2 * DAY_PAGE + 30, 40  # 06:00 + 40 × 3 min = 08:00
    booked = [spa.book(spa.at(0, 6) + timedelta(minutes=3 * index)) for index in range(count)]
    times = [f"{6 + 3 * index // 60:02d}:{3 * index % 60:02d}" for index in range(count)]
    notes = Notifications()
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await settle(pilot)
        home = app.screen
        today = home.query_one("#today", DataTable)
        assert [row[0] for row in rows(today)] == times[first_now:first_now + DAY_PAGE]
        assert status(app, "#status") == f"41–140 of {count} today, {DAY_PAGE} unpaid"
        await pilot.press("ctrl+t")
        assert app.focused is today and today.cursor_row == 0
        assert shown_keys(app)["Earlier"] and shown_keys(app)["Later"]
        await pilot.press("right")
        await settle(pilot)
        later = first_now + DAY_PAGE
        assert [row[0] for row in rows(today)] == times[later:]  # the last 90
        assert status(app, "#status") == f"141–{count} of {count} today, {count - later} unpaid"
        assert today.cursor_row == 0 and shown_keys(app)["Later"] is False
        await pilot.press("right")  # nothing later: it says so
        await settle(pilot)
        assert notes.messages[-1] == "These are today's last appointments."
        await pilot.press("left", "left")  # back a page, then the day's first (the pages overlap there)
        await settle(pilot)
        assert [row[0] for row in rows(today)] == times[:DAY_PAGE]
        assert status(app, "#status") == f"1–100 of {count} today, {DAY_PAGE} unpaid"
        await pilot.press("left")
        await settle(pilot)
        assert notes.messages[-1] == "These are today's first appointments."
        await pilot.press("ctrl+end", "pagedown")  # the last row, then on: the next page from its first row
        await settle(pilot)
        assert [row[0] for row in rows(today)] == times[DAY_PAGE:2 * DAY_PAGE]
        assert today.cursor_row == 0
        await pilot.press("pageup")  # on the first row: back a page, on its last row
        await settle(pilot)
        assert [row[0] for row in rows(today)] == times[:DAY_PAGE] and today.cursor_row == DAY_PAGE - 1
        await pilot.press("enter")  # the 100th of the day, unpaid: its checkout
        await settle(pilot)
        assert isinstance(app.screen, CheckoutScreen) and app.screen.appointment_id == booked[DAY_PAGE - 1]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is home and [row[0] for row in rows(today)] == times[:DAY_PAGE]  # the same page


async def test_a_day_on_one_page_offers_no_paging(spa: Spa) -> None:
    _today_bookings(spa)
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        keys = shown_keys(app)
        assert "Earlier" not in keys and "Later" not in keys
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Earlier" not in titles and "Later" not in titles


async def test_keys_typed_after_enter_go_to_the_customer_it_opens(spa: Spa) -> None:
    """A receptionist typing ahead — her name, Enter and c (Pay) in one burst, as over SSH — gets
    her screen and then the checkout of her unpaid appointment, not a "c" in the search; a name
    that finds nobody keeps what follows in the search."""
    from frontdesk.screens.checkout import CheckoutScreen

    _, unpaid, _ = _today_bookings(spa)
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = app.screen
        await burst(pilot, *chars("maria lopez"), "enter", "c")
        await until(pilot, lambda: isinstance(app.screen, CheckoutScreen), "the checkout")
        await settle(pilot)
        assert app.screen.appointment_id == unpaid
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert app.screen is home
        await burst(pilot, "escape", *chars("zuzana"), "enter", *chars("x"))
        await settle(pilot)
        assert app.screen is home and home.query_one("#search", Input).value == "zuzanax"
        assert status(app, "#results-status") == "No customer matches 'zuzanax' — ctrl+n to add one."


async def test_her_name_enter_c_enter_typed_at_once_pays_from_her_package(spa: Spa) -> None:
    """The README's counter flow typed in one burst: her name, Enter (her screen), c (the
    checkout of her unpaid appointment), Enter (pay from the package preselected): paid, with
    one visit less on her package, as typed slowly."""
    from frontdesk.screens.dialogs.receipt import ReceiptDialog
    from tests.screens.test_checkout import receipt_text

    holding = spa.sell(spa.massage_pack)
    booked = spa.book(spa.at(0, 14))
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await burst(pilot, *chars("maria lopez"), "enter", "c", "enter")
        await until(pilot, lambda: isinstance(app.screen, ReceiptDialog), "the receipt")
        await settle(pilot)
        assert "Massage Pack" in receipt_text(app.screen)
    assert spa.desk.read(appointments.get_appointment, booked).paid == 8000
    assert next(view for view in spa.holdings() if view.id == holding).lines[0].remaining == 5 - 1
