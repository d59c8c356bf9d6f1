"""Checkout at the desk: pay from the balance, sell a package and apply it in one go, partial
cover with the rest by card or split, Not-for-sale packages never offered, retries that never
spend twice, and errors that leave the screen usable. Each test asserts the screen and the
database (read back through the use cases)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlmodel import select
from textual.widgets import DataTable, OptionList, Static

from frontdesk.app import FrontDeskApp
from frontdesk.db import create_db_engine
from frontdesk.domain.business import Business
from frontdesk.domain.kinds import Tender
from frontdesk.localization import desk_currency
from frontdesk.models import Payment
from frontdesk.screens.checkout import CheckoutScreen
from frontdesk.screens.dialogs.receipt import ReceiptDialog
from frontdesk.screens.dialogs.sell import SellDialog
from frontdesk.services import appointments, checkout, customers
from frontdesk.services.desk import Desk
from frontdesk.services.sales import TenderLine
from frontdesk.services.views import HoldingView
from frontdesk.widgets.money_input import MoneyInput
from frontdesk.widgets.tenders import TenderChooser
from tests.conftest import NOW, fresh_database_url
from tests.screens.keys import burst, chars
from tests.screens.salon import Salon, build_salon
from tests.screens.notifications import Notifications
from tests.screens.settle import settle

SIZE = (100, 32)


async def open_checkout(pilot, appointment_id: int) -> CheckoutScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    pilot.app.open_checkout(appointment_id)
    await settle(pilot)
    assert isinstance(pilot.app.screen, CheckoutScreen)
    return pilot.app.screen


def rows(table: DataTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


def text_of(screen, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(screen.query_one(selector, Static).content)


def receipt_text(screen: ReceiptDialog) -> str:
    """Everything the receipt shows, as plain text."""
    parts = []
    for static in screen.query(Static):
        content = static.content
        if hasattr(content, "columns"):  # a rich Table: read its cells
            for column in content.columns:
                parts.extend(str(cell) for cell in column.cells)
        else:
            parts.append(str(content))
    return "\n".join(parts)


# ---- F3: pay from the balance with the default holding -------------------------------------------

async def test_pay_from_balance_with_the_default_holding_is_one_key(screen_desk: Desk) -> None:
    salon = build_salon(screen_desk)
    older = salon.sell(salon.massage_pack, days_ago=20)
    salon.sell(salon.monday_massage, days_ago=3)
    visit = salon.book(salon.at(1, 14))  # Tue 3 Mar 14:00: the Monday pack does not cover it

    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        screen = await open_checkout(pilot, visit)
        table = screen.query_one(DataTable)
        assert rows(table) == [
            ["✓", "Massage Pack  default", "5 of 5 visits", "takes 1 visit"],
            ["✗", "Monday Massage", "4 of 4 visits", "Mondays only"],
            ["–", "No package — pay by money", "", "$80.00"],
        ]
        assert table.cursor_row == 0 and screen.focused is table
        head = text_of(screen, "#checkout-appointment")
        assert "Maria Lopez · Swedish Massage · Tue 3 Mar 14:00 · 1 h" in head
        assert "due $80.00" in head
        assert "Massage Pack pays $80.00 (takes 1 visit)" in text_of(screen, "#checkout-pays")

        await pilot.press("enter")  # key 1: pay
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReceiptDialog)
        shown = receipt_text(pilot.app.screen)
        assert "1 visit from Massage Pack, 4 visits left" in shown
        assert "Massage Pack: 4 of 5 visits left" in shown

        await pilot.press("enter")  # closes the receipt, back where checkout was opened from
        await settle(pilot)
        assert not isinstance(pilot.app.screen, (ReceiptDialog, CheckoutScreen))

    assert salon.appointment(visit).is_paid
    assert salon.holding(older).balance_text == "4 of 5 visits"
    assert salon.payments(visit) == [("package", 8000)]
    assert salon.redemptions(visit) == 1


async def test_not_covering_row_greys_pay_and_enter_explains(screen_desk: Desk) -> None:
    salon = build_salon(screen_desk)
    salon.sell(salon.monday_massage)
    visit = salon.book(salon.at(1, 14))
    notifications = Notifications()

    async with FrontDeskApp(screen_desk).run_test(size=SIZE, message_hook=notifications.hook) as pilot:
        screen = await open_checkout(pilot, visit)
        table = screen.query_one(DataTable)
        assert table.cursor_row == 1  # nothing covers: "No package" preselected
        await pilot.press("up")
        await pilot.pause()
        assert screen.active_bindings["p"].enabled is False
        assert "does not cover this appointment: Mondays only" in text_of(screen, "#checkout-pays")
        await pilot.press("p")  # greyed: it says why, in one line, rather than nothing
        await settle(pilot)
        assert "Monday Massage does not cover this appointment: Mondays only" in str(notifications)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CheckoutScreen)
        assert "Monday Massage does not cover" in text_of(screen, "#checkout-message")
        await pilot.press("down")
        await pilot.pause()
        assert screen.active_bindings["p"].enabled is True
    assert salon.checkouts(visit) == 0


# ---- F2: sell a package at checkout and apply it in one go -------------------------------------

async def test_sell_the_massage_pack_at_checkout_and_apply_it_in_three_keys(screen_desk: Desk) -> None:
    salon = build_salon(screen_desk)
    regular = screen_desk.write(customers.create_customer, screen_desk.business, name="Ann Regular").id
    salon.sell(salon.massage_pack, customer=regular)  # the most sold package is offered first
    visit = salon.book(salon.at(0, 9), provider_id=salon.anna)  # this morning, done, unpaid

    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        screen = await open_checkout(pilot, visit)
        assert rows(screen.query_one(DataTable)) == [["–", "No package — pay by money", "", "$80.00"]]

        await pilot.press("s")  # key 1: sell & apply
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, SellDialog)
        offered = dialog.query_one(OptionList)
        titles = [choice.package.title for choice in dialog.choices]
        # covering ones first, those made for a Swedish Massage ahead of credit, then the most sold
        assert titles == ["Massage Pack", "Monday Massage", "$200 Spa Credit", "Morning Thai"]
        assert "Goodwill Visit" not in titles  # Not for sale: never offered
        first = str(offered.get_option_at_index(0).prompt)
        assert first.startswith("✓ Massage Pack  $350.00  covers — takes 1 visit")
        assert "5 visits · Swedish Massage · expires 6 months after purchase" in first
        assert str(offered.get_option_at_index(3).prompt).startswith(
            "✗ Morning Thai  $270.00  Swedish Massage not included; 10:00–13:00 only")

        await pilot.press("enter")  # key 2: pick the Massage Pack
        await pilot.pause()
        assert "Price $350.00 by" in str(dialog.query_one("#tender-line", Static).content)
        await pilot.press("enter")  # key 3: card for the full price — sold and applied
        await settle(pilot)

        receipt = pilot.app.screen
        assert isinstance(receipt, ReceiptDialog)
        shown = receipt_text(receipt)
        assert "card for Massage Pack" in shown and "$350.00" in shown
        assert "1 visit from Massage Pack, 4 visits left" in shown and "$80.00" in shown
        assert "Massage Pack: 4 of 5 visits left" in shown
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, (ReceiptDialog, CheckoutScreen))

    assert salon.appointment(visit).is_paid
    holdings = screen_desk.read(appointments.customer_holdings, salon.business, customer_id=salon.maria)
    assert [(h.title, h.balance_text) for h in holdings] == [("Massage Pack", "4 of 5 visits")]
    assert salon.payments(visit) == [("package", 8000)]
    assert salon.redemptions(visit) == 1


async def test_a_package_that_would_not_cover_is_not_sold_at_checkout(screen_desk: Desk) -> None:
    salon = build_salon(screen_desk)
    visit = salon.book(salon.at(1, 14))  # Tuesday: the Monday pack would not cover it

    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        await open_checkout(pilot, visit)
        await pilot.press("s")
        await settle(pilot)
        dialog = pilot.app.screen
        titles = [choice.package.title for choice in dialog.choices]
        assert titles.index("Monday Massage") == 2
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert "Monday Massage would not cover this appointment: Mondays only" in str(
            dialog.query_one("#sell-message", Static).content)
        assert dialog.picked is None
        await pilot.press("escape")  # closes the dialog: nothing sold
        await settle(pilot)
        assert isinstance(pilot.app.screen, CheckoutScreen)
    assert screen_desk.read(appointments.customer_holdings, salon.business, customer_id=salon.maria) == []


def maria_holdings(salon: Salon) -> list[HoldingView]:
    return salon.desk.read(appointments.customer_holdings, salon.business, customer_id=salon.maria)


async def test_sell_dialog_from_the_customer_screen_sells_it_paid_in_cash(screen_desk: Desk) -> None:
    salon = build_salon(screen_desk)

    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        await settle(pilot)
        pilot.app.open_customer(salon.maria)
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, SellDialog) and dialog.customer_id == salon.maria
        titles = [choice.package.title for choice in dialog.choices]
        assert titles == ["$200 Spa Credit", "Massage Pack", "Monday Massage", "Morning Thai"]
        await pilot.press("down", "enter", "h")
        await pilot.pause()
        assert "▸cash◂" in str(dialog.query_one("#tender-line", Static).content)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, SellDialog)

    [holding] = maria_holdings(salon)
    assert (holding.title, holding.balance_text) == ("Massage Pack", "5 of 5 visits")
    assert salon.holding(holding.id).status == "active"
    paid = screen_desk.read(lambda session: [(row.tender, row.amount) for row in session.exec(
        select(Payment).where(Payment.sale_holding_id == holding.id))])
    assert paid == [("cash", 35000)]


async def test_sell_dialog_split_must_add_up_to_the_price(screen_desk: Desk) -> None:
    salon = build_salon(screen_desk)

    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        await settle(pilot)
        pilot.app.open_customer(salon.maria)
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        dialog = pilot.app.screen
        await pilot.press("down", "enter", "t")
        await pilot.pause()
        cash = dialog.query_one("#split-cash", MoneyInput)
        assert dialog.focused is cash
        await pilot.press(*"100")
        await pilot.pause()
        assert dialog.query_one("#split-card", MoneyInput).amount == 25000  # the card follows the rest
        await pilot.press("tab", *"300")
        await pilot.pause()
        assert "$50.00 more than is due." in str(dialog.query_one("#split-diff", Static).content)
        await pilot.press("enter")  # does not add up: nothing sold
        await pilot.pause()
        assert isinstance(pilot.app.screen, SellDialog) and maria_holdings(salon) == []
        await pilot.press("backspace", "backspace", "backspace", *"250")
        await pilot.pause()
        assert "✓ adds up to $350.00" in str(dialog.query_one("#split-diff", Static).content)
        await pilot.press("enter")
        await settle(pilot)

    [holding] = maria_holdings(salon)
    paid = screen_desk.read(lambda session: sorted((row.tender, row.amount) for row in session.exec(
        select(Payment).where(Payment.sale_holding_id == holding.id))))
    assert paid == [("card", 25000), ("cash", 10000)]


# ---- F4: partial cover, the rest by card or split ----------------------------------------------

def credit_with_40_left(salon: Salon) -> int:
    credit = salon.sell(salon.spa_credit, days_ago=5)
    big = salon.book(salon.at(-1, 11), price=16000)
    salon.desk.write(checkout.checkout, salon.business, key="earlier", appointment_id=big,
                     package=credit)
    assert salon.holding(credit).balance_text == "$40.00 of $200.00"
    return credit


async def test_partial_cover_package_pays_40_and_card_the_rest(screen_desk: Desk) -> None:
    salon = build_salon(screen_desk)
    credit = credit_with_40_left(salon)
    visit = salon.book(salon.at(0, 14))

    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        screen = await open_checkout(pilot, visit)
        assert rows(screen.query_one(DataTable))[0] == [
            "✓", "$200 Spa Credit  default", "$40.00 of $200.00", "pays $40.00 of $80.00"]
        assert "$200 Spa Credit pays $40.00" in text_of(screen, "#checkout-pays")
        line = str(screen.query_one("#tender-line", Static).content)
        assert "Rest $40.00 by" in line and "▸card◂" in line
        await pilot.press("enter")
        await settle(pilot)
        shown = receipt_text(pilot.app.screen)
        assert "$40.00 of $80.00 from $200 Spa Credit, $0.00 left" in shown
        assert "card" in shown and "$80.00" in shown
        assert "$200 Spa Credit: $0.00 of $200.00 left" in shown

    assert salon.payments(visit) == [("package", 4000), ("card", 4000)]
    assert salon.holding(credit).balance_text == "$0.00 of $200.00"


async def test_partial_cover_split_20_cash_and_20_card(screen_desk: Desk) -> None:
    salon = build_salon(screen_desk)
    credit_with_40_left(salon)
    visit = salon.book(salon.at(0, 14))

    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        screen = await open_checkout(pilot, visit)
        await pilot.press("t")
        await pilot.pause()
        chooser = screen.query_one(TenderChooser)
        cash, card, _ = chooser.split_inputs
        assert screen.focused is cash and card.amount == 4000
        await pilot.press(*"20")
        await pilot.pause()
        assert card.amount == 2000
        await pilot.press("tab", *"30")  # the card typed by hand: the difference shows live
        await pilot.pause()
        assert "$10.00 more than is due." in str(screen.query_one("#split-diff", Static).content)
        assert screen.check_action("pay", ()) is None  # greyed (the footer shows it once the table has focus)
        await pilot.press("enter")
        await pilot.pause()
        assert "$10.00 more than is due." in text_of(screen, "#checkout-message")
        assert salon.checkouts(visit) == 0
        await pilot.press("backspace", "backspace", *"20")
        await pilot.pause()
        assert "✓ adds up to $40.00" in str(screen.query_one("#split-diff", Static).content)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReceiptDialog)

    assert salon.payments(visit) == [("package", 4000), ("cash", 2000), ("card", 2000)]


async def test_a_burst_of_keys_in_the_split_lands_where_it_was_typed(screen_desk: Desk) -> None:
    """A paste or typing over SSH reaches the app as one burst: " $12.50 ", eight backspaces
    (the whole of it gone) and "30" mean $30.00 in cash, and the card takes the rest of the $80."""
    salon = build_salon(screen_desk)
    visit = salon.book(salon.at(0, 14))  # $80.00, nothing covers it

    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        screen = await open_checkout(pilot, visit)
        await pilot.press("t")
        await burst(pilot, *chars(" $12.50 "), *["backspace"] * 8, *chars("30"))
        cash, card, other = screen.query_one(TenderChooser).split_inputs
        assert (cash.value, card.value, other.value) == ("30", "50.00", "")
        assert screen.focused is cash
        assert "✓ adds up to $80.00" in str(screen.query_one("#split-diff", Static).content)

        await burst(pilot, "tab", *chars("45"), "shift+tab", *chars("35"))  # back in the cash, all of it selected
        assert (cash.value, card.value) == ("35", "45")  # the card typed by hand no longer follows
        await burst(pilot, "enter")
        assert isinstance(pilot.app.screen, ReceiptDialog)
        shown = receipt_text(pilot.app.screen)
        assert "cash" in shown and "$35.00" in shown and "card" in shown and "$45.00" in shown

    assert salon.payments(visit) == [("cash", 3500), ("card", 4500)]


async def test_the_rest_never_overwrites_the_card_while_staff_type_in_it(screen_desk: Desk) -> None:
    """Split, cash typed, Tab, a card amount typed, in one burst: the cash gets the keys after the
    `t`, and the card keeps what was typed even when the cash's changes are read after its keys."""
    salon = build_salon(screen_desk)
    visit = salon.book(salon.at(0, 14))  # $80.00

    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        screen = await open_checkout(pilot, visit)
        await burst(pilot, "t", *chars("12"), "tab", *chars("68"))
        cash, card, _ = screen.query_one(TenderChooser).split_inputs
        assert (cash.value, card.value) == ("12", "68") and screen.focused is card
        await burst(pilot, "shift+tab", *chars("20"))
        assert (cash.value, card.value) == ("20", "68")  # typed by hand: the card stays as typed
        assert "$8.00 more than is due." in str(screen.query_one("#split-diff", Static).content)


async def test_at_a_euro_desk_40_comma_50_in_cash_is_40_euros_50(request, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A German euro desk writes decimals with a comma: "40,50" in cash is €40,50 and the card takes
    the other €39,50 of the €80,00; "40.50" there is refused with what to type."""
    url = next(fresh_database_url("sqlite", request, tmp_path))
    engine = create_db_engine(url)
    euro = Business(tz=ZoneInfo("Europe/Berlin"), currency=desk_currency("EUR", "de_DE"))
    desk = Desk(engine, euro, clock=lambda: NOW)
    salon = build_salon(desk)
    visit = salon.book(salon.at(0, 14))  # 80,00 €

    async with FrontDeskApp(desk).run_test(size=SIZE) as pilot:
        screen = await open_checkout(pilot, visit)
        assert "due €80,00" in text_of(screen, "#checkout-appointment")
        await pilot.press("t")
        await burst(pilot, *chars("40.50"))
        assert "Cash: Did you mean 40,50 or 4.050,00? Type 40,50." in text_of(screen, "#split-diff")
        await burst(pilot, *["backspace"] * 5, *chars("40,50"))
        cash, card, _ = screen.query_one(TenderChooser).split_inputs
        assert (cash.amount, card.value) == (4050, "39,50")
        await burst(pilot, "enter")
        shown = receipt_text(pilot.app.screen)
        assert "€40,50" in shown and "€39,50" in shown

    assert salon.payments(visit) == [("cash", 4050), ("card", 3950)]
    engine.dispose()


async def test_escape_leaves_split_then_goes_back(screen_desk: Desk) -> None:
    salon = build_salon(screen_desk)
    visit = salon.book(salon.at(0, 14))
    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        screen = await open_checkout(pilot, visit)
        await pilot.press("t")
        await pilot.pause()
        assert screen.query_one(TenderChooser).mode == "split"
        await pilot.press("escape")
        await pilot.pause()
        assert screen.query_one(TenderChooser).mode == "card" and screen.focused is screen.query_one(DataTable)
        await pilot.press("h", "o")
        await pilot.pause()
        assert screen.query_one(TenderChooser).mode == "other"
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, CheckoutScreen)
    assert salon.checkouts(visit) == 0


# ---- F6: retries never spend twice; errors leave the screen usable -------------------------------

async def test_pressing_pay_twice_quickly_spends_once(screen_desk: Desk) -> None:
    salon = build_salon(screen_desk)
    pack = salon.sell(salon.massage_pack)
    visit = salon.book(salon.at(0, 14))
    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        screen = await open_checkout(pilot, visit)
        await pilot.press("enter", "p")
        screen.action_pay()  # and once more from code, before the first answer is back
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReceiptDialog)
    assert salon.redemptions(visit) == 1 and salon.checkouts(visit) == 1
    assert salon.holding(pack).balance_text == "4 of 5 visits"


async def test_a_retry_after_a_lost_answer_returns_the_first_receipt(screen_desk: Desk, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The write is saved but the desk never hears back (a dropped connection): the retry sends
    the same key and gets the first receipt; nothing is spent twice."""
    from frontdesk.services.errors import Busy

    salon = build_salon(screen_desk)
    pack = salon.sell(salon.massage_pack)
    visit = salon.book(salon.at(0, 14))
    real_write = screen_desk.write
    lost = []

    def write_then_lose_the_answer(use_case, *args, **kwargs):  # type: ignore[no-untyped-def]
        result = real_write(use_case, *args, **kwargs)
        if not lost:
            lost.append(result)
            raise Busy("Cannot reach the database; nothing was saved, try again.")
        return result

    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        screen = await open_checkout(pilot, visit)
        monkeypatch.setattr(screen_desk, "write", write_then_lose_the_answer)
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert "try again" in text_of(screen, "#checkout-message")
        await pilot.press("enter")  # the retry, same key
        await settle(pilot)
        receipt = pilot.app.screen
        assert isinstance(receipt, ReceiptDialog) and receipt.paid.receipt.replayed
        assert "nothing was charged twice" in receipt_text(receipt)
        assert receipt.paid.receipt.key == screen.key
    assert salon.redemptions(visit) == 1 and salon.checkouts(visit) == 1
    assert salon.holding(pack).balance_text == "4 of 5 visits"


async def test_balance_spent_at_another_desk_shows_why_and_the_screen_stays_usable(screen_desk: Desk) -> None:
    salon = build_salon(screen_desk)
    pack = salon.sell(salon.massage_pack, days_ago=3)
    for hour in (9, 10, 11, 12):
        salon.spend(pack, salon.at(-1, hour))
    visit = salon.book(salon.at(0, 14))
    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        screen = await open_checkout(pilot, visit)
        assert rows(screen.query_one(DataTable))[0][:3] == ["✓", "Massage Pack  default", "1 of 5 visits"]
        key = screen.key
        salon.spend(pack, salon.at(0, 16))  # another desk takes the last visit
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen is screen
        message = text_of(screen, "#checkout-message")
        assert "Massage Pack does not cover this appointment: no visits left" in message
        assert rows(screen.query_one(DataTable))[0] == ["✗", "Massage Pack", "0 of 5 visits", "no visits left"]
        assert screen.query_one(DataTable).cursor_row == 1  # now "No package"
        await pilot.press("enter")  # pay by card instead: same checkout, same key
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReceiptDialog)
        assert pilot.app.screen.paid.receipt.key == key
    assert salon.payments(visit) == [("card", 8000)]
    assert salon.redemptions(visit) == 0


async def test_paid_elsewhere_meanwhile_says_so_and_greys_pay(screen_desk: Desk) -> None:
    salon = build_salon(screen_desk)
    visit = salon.book(salon.at(0, 14))
    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        screen = await open_checkout(pilot, visit)
        screen_desk.write(checkout.checkout, salon.business, key="other-desk", appointment_id=visit,
                          tenders=[TenderLine(Tender.CASH, 8000)])
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert "already paid" in text_of(screen, "#checkout-message")
        assert "Paid in full" in text_of(screen, "#checkout-appointment")
        assert screen.active_bindings["p"].enabled is False
        assert screen.active_bindings["s"].enabled is False
    assert salon.payments(visit) == [("cash", 8000)]


async def test_the_holding_it_was_booked_with_is_preselected(screen_desk: Desk) -> None:
    salon = build_salon(screen_desk)
    credit = salon.sell(salon.spa_credit)  # expires first: it would be the default
    pack = salon.sell(salon.massage_pack)
    visit = salon.book(salon.at(1, 14), cover_holding_id=pack)
    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        screen = await open_checkout(pilot, visit)
        assert [row[:2] for row in rows(screen.query_one(DataTable))] == [
            ["✓", "Massage Pack  default · booked"], ["✓", "$200 Spa Credit"],
            ["–", "No package — pay by money"]]
        assert screen.query_one(DataTable).cursor_row == 0
        await pilot.press("enter")
        await settle(pilot)
    assert salon.holding(pack).balance_text == "4 of 5 visits"
    assert salon.holding(credit).balance_text == "$200.00 of $200.00"


async def test_the_command_palette_offers_the_checkout_actions(screen_desk: Desk) -> None:
    salon = build_salon(screen_desk)
    visit = salon.book(salon.at(0, 14))
    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        screen = await open_checkout(pilot, visit)
        titles = [command.title for command in pilot.app.get_system_commands(screen)]
        assert {"Pay", "Card", "Cash", "Other", "Split", "Sell & apply", "Back"} <= set(titles)


async def test_no_balance_left_from_a_race_shows_why_and_reads_the_choices_again(
        screen_desk: Desk, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The other desk wins the race for the last visit between our re-check and our spend: the
    database refuses ours (NoBalanceLeft). The screen says so, reads the options again and stays
    usable."""
    from frontdesk.services.errors import NoBalanceLeft

    salon = build_salon(screen_desk)
    pack = salon.sell(salon.massage_pack, days_ago=3)
    for hour in (9, 10, 11, 12):
        salon.spend(pack, salon.at(-1, hour))
    visit = salon.book(salon.at(0, 14))
    real_write = screen_desk.write

    def lose_the_race(use_case, *args, **kwargs):  # type: ignore[no-untyped-def]
        monkeypatch.setattr(screen_desk, "write", real_write)
        salon.spend(pack, salon.at(0, 16))  # the other desk, a moment earlier
        raise NoBalanceLeft("No balance left on this package: it was just used, perhaps at another desk.")

    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        screen = await open_checkout(pilot, visit)
        monkeypatch.setattr(screen_desk, "write", lose_the_race)
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert "No balance left on this package" in text_of(screen, "#checkout-message")
        assert rows(screen.query_one(DataTable))[0] == ["✗", "Massage Pack", "0 of 5 visits", "no visits left"]
        await pilot.press("h", "enter")  # cash instead
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReceiptDialog)
    assert salon.payments(visit) == [("cash", 8000)]


async def test_cash_above_what_is_due_shows_the_change_and_pays_what_was_due(screen_desk: Desk) -> None:
    """$100 handed for an $80 massage: "Change $20.00", and the payment is $80.00 cash."""
    salon = build_salon(screen_desk)
    visit = salon.book(salon.at(0, 14))  # $80.00

    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        screen = await open_checkout(pilot, visit)
        await pilot.press("t", *"100")
        await pilot.pause()
        cash, card, _ = screen.query_one(TenderChooser).split_inputs
        assert (cash.amount, card.amount) == (10000, None)  # the card follows the rest: nothing left
        assert str(screen.query_one("#split-diff", Static).content) == \
            "✓ Change $20.00: give it back from the cash"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReceiptDialog)

    assert salon.payments(visit) == [("cash", 8000)]
