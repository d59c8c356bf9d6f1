"""The customer & balance view: holdings, appointments (unpaid first, focused) and the balance
history; checkout, cancel (the unit comes back), and the manager's assign, adjust and void with a
reason — refused to the reception desk. Each test asserts the screen and the database."""

from __future__ import annotations

import threading

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, RadioButton, Static

from frontdesk.app import FrontDeskApp
from frontdesk.domain.kinds import EntryKind, Tender
from frontdesk.screens.customer import CustomerScreen
from frontdesk.screens.dialogs.assign import AssignDialog
from frontdesk.screens.dialogs.confirm import ConfirmDialog
from frontdesk.screens.dialogs.customer import CustomerFormDialog
from frontdesk.screens.dialogs.reason import ReasonDialog
from frontdesk.screens.dialogs.receipt import RefundReceiptDialog, SaleReceiptDialog
from frontdesk.services import appointments, catalogue, customers, ledger
from frontdesk.services.customers import customer_page
from frontdesk.services.sales import TenderLine
from frontdesk.widgets.fitted import FittedTable
from frontdesk.widgets.footer import KeysFooter
from tests.screens.customer_data import Spa
from tests.screens.test_checkout import receipt_text
from tests.screens.keys import type_text
from tests.screens.notifications import Notifications
from tests.screens.settle import settle, until
from tests.world import World

SIZE = (100, 32)


def rows(app: FrontDeskApp, selector: str) -> list[list[str]]:
    table = app.screen.query_one(selector, DataTable)
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


def text_of(app: FrontDeskApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


class Maria:
    """Maria with a Massage Pack used twice, a Facial paid by card, an expired credit, and an
    unpaid massage today."""

    def __init__(self, spa: Spa) -> None:
        self.pack = spa.sell(spa.massage_pack, days_ago=20)
        self.credit = spa.sell(spa.spa_credit, days_ago=60)  # expired after a month
        self.used = [spa.book(spa.at(-10, 11), provider=spa.anna), spa.book(spa.at(-3, 14))]
        spa.pay_by_package(self.used[0], self.pack, days_ago=10)
        spa.pay_by_package(self.used[1], self.pack, days_ago=3)
        self.facial = spa.book(spa.at(2, 15), service=spa.facial)
        spa.pay_by_card(self.facial, 7000, days_ago=1)
        self.unpaid = spa.book(spa.at(0, 14), provider=spa.anna)


async def select_appointment(pilot: Pilot, screen: CustomerScreen, appointment_id: int) -> None:
    table = screen.query_one("#appointments", DataTable)
    table.move_cursor(row=[appointment.id for appointment in screen.page.appointments].index(appointment_id))
    await pilot.pause()


async def open_customer(app: FrontDeskApp, pilot: Pilot, customer_id: int) -> CustomerScreen:
    await pilot.app.workers.wait_for_complete()
    app.open_customer(customer_id)
    await settle(pilot)
    assert isinstance(app.screen, CustomerScreen)
    return app.screen


@pytest.mark.parametrize("size", [(80, 24), SIZE, (120, 40)])
async def test_opening_her_screen_fills_each_table_once_and_builds_its_keys_once(
    spa: Spa, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    """Her page is read before her screen opens and shown as it is built: her rows are there
    when it is first laid out, each table is given them once (not fitted again to the width it
    was laid out at), the sections keep the heights they were given, and the footer's keys are
    built once — those that can act on what was read are lit in place, not built again."""
    Maria(spa)
    filled: list[str | None] = []
    built: list[KeysFooter] = []
    first_layout: list[tuple[list[int], list[int]]] = []  # rows per table, lines per section
    rebuild, recompose, resized = FittedTable.rebuild, KeysFooter.recompose, CustomerScreen.on_resize

    def sections(screen: CustomerScreen) -> tuple[list[int], list[int]]:
        return ([screen.query_one(table, DataTable).row_count for table in ("#holdings", "#appointments", "#history")],
                [screen.query_one(box).styles.height.cells for box in ("#holdings-box", "#appointments-box",
                                                                        "#history-box")])

    def first_resize(screen: CustomerScreen) -> None:
        if not first_layout:
            first_layout.append(sections(screen))
        resized(screen)

    def counted_rebuild(table: FittedTable, *args: object, **kwargs: object) -> None:
        if table.fit_rows and isinstance(table.screen, CustomerScreen):
            filled.append(table.id)
        rebuild(table, *args, **kwargs)  # type: ignore[arg-type]

    async def counted_recompose(footer: KeysFooter) -> None:
        if isinstance(footer.screen, CustomerScreen):
            built.append(footer)
        await recompose(footer)

    monkeypatch.setattr(FittedTable, "rebuild", counted_rebuild)
    monkeypatch.setattr(KeysFooter, "recompose", counted_recompose)
    monkeypatch.setattr(CustomerScreen, "on_resize", first_resize)
    app = FrontDeskApp(spa.desk)
    app.open_wait = 60  # her page read first, however slowly a busy machine reads it
    async with app.run_test(size=size) as pilot:
        screen = await open_customer(app, pilot, spa.maria)
        assert sorted(filled) == ["appointments", "history", "holdings"]
        assert len(built) == 1
        [(rows_then, heights_then)] = first_layout
        assert all(rows_then) and (rows_then, heights_then) == sections(screen)
        pay = next(key for key in screen.query_one(KeysFooter).query("FooterKey") if key.action == "checkout")
        assert not pay.has_class("-disabled")  # her unpaid massage today is selected: Pay acts on it


async def test_a_customer_that_cannot_be_read_is_said_and_nothing_opens(spa: Spa) -> None:
    notes = Notifications()
    app = FrontDeskApp(spa.desk)
    app.open_wait = 60  # the read fails before her screen would open without it
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await settle(pilot)
        home = app.screen
        app.open_customer(spa.maria + 1000)  # no such customer (merged away at another desk, say)
        for _ in range(500):  # until it is said (the read failed in its worker)
            if notes.messages:
                break
            await pilot.pause()
        assert notes.messages == ["No such customer."]
        await pilot.pause()
        assert app.screen is home


async def test_her_screen_opens_reading_when_her_page_is_slow_to_come(spa: Spa) -> None:
    """Her page slow to come (a busy server): her screen opens after `open_wait`, reading it
    itself; "c" typed meanwhile waits for her page, then opens the checkout of her unpaid
    appointment; the first read, once it comes, opens nothing more."""
    from frontdesk.screens.checkout import CheckoutScreen

    unpaid = spa.book(spa.at(0, 14))
    reads, release = [], threading.Event()
    read = spa.desk.read

    def held(use_case, *args, **kwargs):  # type: ignore[no-untyped-def]
        if use_case is customer_page:
            reads.append(use_case)
            release.wait(30)  # her page comes once the test says so
        return read(use_case, *args, **kwargs)

    spa.desk.read = held  # type: ignore[method-assign]
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        try:
            await settle(pilot)
            app.open_customer(spa.maria)
            await until(pilot, lambda: isinstance(app.screen, CustomerScreen) and len(reads) == 2,
                        "her screen, reading her page again itself")
            screen = app.screen
            assert screen.customer_id == spa.maria and screen.page is None
            await pilot.press("c")  # before her page is there
            assert app.screen is screen
        finally:
            release.set()
        await until(pilot, lambda: isinstance(app.screen, CheckoutScreen), "the checkout")
        await settle(pilot)
        assert app.screen.appointment_id == unpaid
        assert app.screen_stack[-2] is screen and screen.page is not None  # opened once


async def test_customer_screen_shows_holdings_appointments_and_history(spa: Spa) -> None:
    maria = Maria(spa)
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customer(app, pilot, spa.maria)
        contact = text_of(app, "#contact")
        assert "Maria Lopez" in contact and "(555) 201-3344" in contact and "maria.lopez@example.com" in contact
        assert rows(app, "#holdings") == [["Massage Pack", "3 of 5 visits", "expires 10 Aug, in 161 days",
                                           "Swedish Massage"]]  # what it covers: its one service
        assert text_of(app, "#holdings-note") == "1 active · 1 used up or closed — h shows them"
        assert rows(app, "#appointments") == [
            ["Mon 2 Mar 14:00", "Swedish Massage", "Anna", "$80.00", "UNPAID $80.00"],
            ["Wed 4 Mar 15:00", "Facial", "—", "$70.00", "paid"],
            ["Fri 27 Feb 14:00", "Swedish Massage", "—", "$80.00", "paid"],
            ["Fri 20 Feb 11:00", "Swedish Massage", "Anna", "$80.00", "paid"],
        ]
        assert rows(app, "#history")[:2] == [
            ["27 Feb 10:00", "Used Massage Pack", "-1 visit", "3 visits", "Rita Alvarez"],
            ["20 Feb 10:00", "Used Massage Pack", "-1 visit", "4 visits", "Rita Alvarez"],
        ]
        assert ["10 Feb 10:00", "Sold Massage Pack", "+5 visits", "5 visits", "Rita Alvarez"] in rows(app, "#history")
        # the focus is on the appointments, on the unpaid one
        appointments_table = screen.query_one("#appointments", DataTable)
        assert app.focused is appointments_table and appointments_table.cursor_row == 0
        assert screen.selected_appointment.id == maria.unpaid
        # Tab / shift+Tab move between the three tables
        await pilot.press("tab")
        assert app.focused is screen.query_one("#history", DataTable)
        await pilot.press("shift+tab", "shift+tab")
        assert app.focused is screen.query_one("#holdings", DataTable)


async def test_show_all_unfolds_used_up_expired_and_void_holdings(spa: Spa) -> None:
    Maria(spa)
    app = FrontDeskApp(spa.desk)
    notifications = Notifications()
    async with app.run_test(size=SIZE, message_hook=notifications.hook) as pilot:
        await open_customer(app, pilot, spa.maria)
        assert [row[0] for row in rows(app, "#holdings")] == ["Massage Pack"]
        await pilot.press("h")
        await pilot.pause()
        assert rows(app, "#holdings") == [
            ["Massage Pack", "active", "3 of 5 visits", "expires 10 Aug, in 161 days", "Swedish Massage"],
            ["$200 Spa Credit", "expired", "$200.00 of $200.00", "expired 2 Feb", "all services"],
        ]
        assert "shown — h folds them" in text_of(app, "#holdings-note")
        await pilot.press("tab", "down", "down", "down", "enter")  # the whole oldest history entry
        assert "Sold $200 Spa Credit · +$200.00 → $200.00 · Rita Alvarez" in str(notifications)
        await pilot.press("h")
        await pilot.pause()
        assert len(rows(app, "#holdings")) == 1


async def test_from_home_two_keys_open_the_checkout_of_her_unpaid_appointment(spa: Spa) -> None:
    """Keystroke target: after typing her name, Enter opens her, `c` opens the checkout."""
    from frontdesk.screens.checkout import CheckoutScreen

    maria = Maria(spa)
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "maria")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CheckoutScreen)
        assert app.screen.appointment_id == maria.unpaid
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")  # Enter on the unpaid appointment does the same
        await settle(pilot)
        assert isinstance(app.screen, CheckoutScreen)


async def test_checkout_is_disabled_on_a_paid_appointment_and_says_why(spa: Spa) -> None:
    Maria(spa)
    app = FrontDeskApp(spa.desk)
    notifications = Notifications()
    async with app.run_test(size=SIZE, message_hook=notifications.hook) as pilot:
        screen = await open_customer(app, pilot, spa.maria)
        await pilot.press("down")  # the paid facial
        assert screen.check_action("checkout", ()) is None
        await pilot.press("c")
        await settle(pilot)
        assert app.screen is screen
        assert "Nothing to pay: this appointment is paid." in str(notifications)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen


async def test_reception_cannot_give_a_visit_back_after_the_appointment_and_is_told_why(spa: Spa) -> None:
    maria = Maria(spa)
    app = FrontDeskApp(spa.desk)
    notifications = Notifications()
    async with app.run_test(size=SIZE, message_hook=notifications.hook) as pilot:
        screen = await open_customer(app, pilot, spa.maria)
        await select_appointment(pilot, screen, maria.used[1])
        assert screen.check_action("cancel_appointment", ()) is None  # shown dimmed
        await pilot.press("x")
        await settle(pilot)
        assert app.screen is screen  # no dialog
        assert ("Managers only: give back a visit or money after the appointment began. "
                "Ask a manager to sign in (ctrl+l).") in str(notifications)
        assert spa.desk.read(appointments.get_appointment, maria.used[1]).paid_from == "Massage Pack"


async def test_a_manager_cancels_a_past_appointment_with_a_reason(spa: Spa) -> None:
    maria = Maria(spa)
    spa.desk.staff = spa.grace
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customer(app, pilot, spa.maria)
        await select_appointment(pilot, screen, maria.used[1])
        await pilot.press("x")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ReasonDialog)
        assert "A manager's change (give back a visit or money after the appointment began)" in str(
            dialog.query_one("#prompt", Static).content)
        await pilot.press("enter")  # no reason: refused at the field
        await settle(pilot)
        assert app.screen is dialog
        assert "Give a reason" in str(dialog.query_one("#reason-error", Static).content)
        await type_text(pilot, "therapist ill, visit restored")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert rows(app, "#history")[0][1:4] == ["Given back Massage Pack — therapist ill, visit restored",
                                                  "+1 visit", "4 visits"]


async def test_a_no_show_owes_nothing_and_is_said_in_words(spa: Spa) -> None:
    missed = spa.book(spa.at(-1, 10))
    spa.desk.by(spa.rita.id).write(appointments.no_show, spa.desk.business, appointment_id=missed)
    app = FrontDeskApp(spa.desk)
    notifications = Notifications()
    async with app.run_test(size=SIZE, message_hook=notifications.hook) as pilot:
        screen = await open_customer(app, pilot, spa.maria)
        assert rows(app, "#appointments") == [["Sun 1 Mar 10:00", "Swedish Massage", "—", "$80.00", "no-show"]]
        assert text_of(app, "#appointments-note") == "nothing to pay"
        assert screen.check_action("checkout", ()) is None
        await pilot.press("enter")
        assert app.screen is screen and "Nothing to pay: this appointment is a no-show." in str(notifications)


async def test_manager_assigns_a_not_for_sale_package_with_a_reason(spa: Spa) -> None:
    """F6: the assignment shows in the history with the reason and the manager's name."""
    spa.desk.staff = spa.grace
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customer(app, pilot, spa.maria)
        assert text_of(app, "#holdings-note") == "no active package"
        await pilot.press("a")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AssignDialog)
        packages = dialog.query_one("#package", DataTable)
        assert [str(packages.get_row_at(i)[0]) for i in range(packages.row_count)][0] == "Goodwill Visit"
        assert str(packages.get_row_at(0)[1]) == "Not for sale"
        await pilot.press("enter")  # the highlighted package: on to the reason
        assert app.focused is dialog.query_one("#reason", Input)
        await pilot.press("enter")  # no reason yet
        await settle(pilot)
        assert "Give a reason" in str(dialog.query_one("#reason-error", Static).content)
        await type_text(pilot, "birthday gift")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert rows(app, "#holdings")[0][:2] == ["Goodwill Visit", "1 of 1 visit"]
        assert rows(app, "#history")[0][1:] == ["Assigned Goodwill Visit — birthday gift", "+1 visit",
                                                  "1 visit", "Grace Kim"]
        holding = spa.holdings()[0]
        assert holding.title == "Goodwill Visit" and holding.assigned
        entry = spa.desk.read(ledger.history, spa.business, customer_id=spa.maria)[0]
        assert (entry.kind, entry.note, entry.staff_name) == (EntryKind.ASSIGN, "birthday gift", "Grace Kim")


async def test_reception_cannot_assign_adjust_or_void(spa: Spa) -> None:
    Maria(spa)
    assert spa.desk.staff == spa.rita
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customer(app, pilot, spa.maria)
        for action in ("assign", "adjust", "void"):
            assert screen.check_action(action, ()) is None
        enabled = {active.binding.action: active.enabled for active in screen.active_bindings.values()}
        assert enabled["assign"] is False and enabled["adjust"] is False and enabled["void"] is False
        titles = [command.title for command in app.get_system_commands(screen)]
        assert "Give" not in titles and "Pay" in titles
        await pilot.press("a", "j", "v")
        await settle(pilot)
        assert app.screen is screen
        assert len(spa.holdings()) == 2


async def test_cancel_a_package_paid_appointment_gives_the_unit_back(spa: Spa) -> None:
    """F7: the visit returns to the Massage Pack, and the history shows "Given back"."""
    maria = Maria(spa)
    upcoming = spa.book(spa.at(3, 10))
    spa.pay_by_package(upcoming, maria.pack)  # paid ahead from the pack: 2 of 5 left
    app = FrontDeskApp(spa.desk)
    notifications = Notifications()
    async with app.run_test(size=SIZE, message_hook=notifications.hook) as pilot:
        screen = await open_customer(app, pilot, spa.maria)
        assert rows(app, "#holdings")[0][1] == "2 of 5 visits"
        table = screen.query_one("#appointments", DataTable)
        table.move_cursor(row=[row[0] for row in rows(app, "#appointments")].index("Thu 5 Mar 10:00"))
        await pilot.pause()
        await pilot.press("x")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ReasonDialog)
        assert "Cancel Swedish Massage on Thu 5 Mar 10:00?" in str(dialog.query_one("#prompt", Static).content)
        await type_text(pilot, "customer ill")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert rows(app, "#holdings")[0][1] == "3 of 5 visits"
        assert rows(app, "#history")[0][1:4] == ["Given back Massage Pack — customer ill", "+1 visit", "3 visits"]
        cancelled = next(row for row in rows(app, "#appointments") if row[0] == "Thu 5 Mar 10:00")
        assert cancelled[-1] == "cancelled"
        assert screen.selected_appointment.id == upcoming  # the cursor stayed on it
        assert "Swedish Massage cancelled. 1 visit back to Massage Pack." in str(notifications)
        assert spa.desk.read(appointments.get_appointment, upcoming).status == "cancelled"
        assert spa.holdings()[0].remaining == 3
        assert spa.desk.read(ledger.check) == []


async def test_cancel_refunds_money_paid_the_way_it_was_paid(spa: Spa) -> None:
    maria = Maria(spa)
    app = FrontDeskApp(spa.desk)
    notifications = Notifications()
    async with app.run_test(size=SIZE, message_hook=notifications.hook) as pilot:
        screen = await open_customer(app, pilot, spa.maria)
        await pilot.press("down", "x")  # the facial, paid $70.00 by card, is tomorrow: reception may refund it
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ReasonDialog)
        assert dialog.query_one("#refund", Input).value == "70.00"  # all of it, by card, unless changed
        assert dialog.query_one("#refund-card", RadioButton).value
        await pilot.press("enter", "enter")  # through the refund and the (optional) reason
        await settle(pilot)
        receipt = app.screen
        assert isinstance(receipt, RefundReceiptDialog)
        assert [(line.tender, line.amount) for line in receipt.receipt.payments] == [("card", -7000)]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert "Refunded $70.00" in str(notifications)
        facial = spa.desk.read(appointments.get_appointment, maria.facial)
        assert (facial.status, facial.paid, facial.refunded) == ("cancelled", 0, 7000)
        assert screen.check_action("cancel_appointment", ()) is None  # it is cancelled now


async def test_keeping_part_of_the_money_needs_a_reason_at_the_field(spa: Spa) -> None:
    maria = Maria(spa)
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customer(app, pilot, spa.maria)
        await pilot.press("down", "x")
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#refund", Input).value = "50"
        dialog.query_one("#refund-cash", RadioButton).value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        assert "Say why not all of it goes back" in str(dialog.query_one("#reason-error", Static).content)
        dialog.query_one("#refund", Input).value = "90"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "no more than was paid" in str(dialog.query_one("#refund-error", Static).content)
        dialog.query_one("#refund", Input).value = "50"
        dialog.query_one("#reason", Input).value = "late cancel: $20 fee"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RefundReceiptDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        facial = spa.desk.read(appointments.get_appointment, maria.facial)
        assert (facial.status, facial.paid, facial.refunded) == ("cancelled", 7000 - 5000, 5000)


async def test_manager_adjusts_and_voids_with_reasons(spa: Spa) -> None:
    maria = Maria(spa)
    spa.desk.staff = spa.grace
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customer(app, pilot, spa.maria)
        await pilot.press("j")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ReasonDialog)
        assert "Balance now: 3 of 5 visits" in str(dialog.query_one("#prompt", Static).content)
        await type_text(pilot, "-9")
        await pilot.press("enter")
        await type_text(pilot, "typo")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog  # refused, still open, the message under the change
        assert "Only 3 visits left" in str(dialog.query_one("#delta-error", Static).content)
        dialog.query_one("#delta", Input).value = "two"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "whole visits" in str(dialog.query_one("#delta-error", Static).content)
        dialog.query_one("#delta", Input).value = "+2"
        dialog.query_one("#reason", Input).value = "double booking courtesy"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert rows(app, "#holdings")[0][1] == "5 of 5 visits"
        assert rows(app, "#history")[0][1:] == ["Adjusted Massage Pack — double booking courtesy", "+2 visits",
                                                  "5 visits", "Grace Kim"]

        await pilot.press("v")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ReasonDialog)
        assert dialog.query_one("#refund", Input).value == "350.00"  # the pack's price, paid by card: all of it
        await pilot.press("enter")  # refund all of it
        await type_text(pilot, "refunded")
        await pilot.press("enter")
        await settle(pilot)
        receipt = app.screen
        assert isinstance(receipt, RefundReceiptDialog)
        assert [(line.tender, line.amount) for line in receipt.receipt.payments] == [("card", -35000)]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert rows(app, "#holdings") == []
        assert text_of(app, "#holdings-note").startswith("no active package · 2 used up or closed")
        assert rows(app, "#history")[0][1:] == ["Voided Massage Pack — refunded", "-5 visits", "0 visits",
                                                  "Grace Kim"]
        holding = next(h for h in spa.holdings() if h.id == maria.pack)
        assert holding.voided and holding.remaining == 0
        assert spa.desk.read(ledger.check) == []


async def test_escape_cancels_a_dialog_without_a_change(spa: Spa) -> None:
    Maria(spa)
    spa.desk.staff = spa.grace
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customer(app, pilot, spa.maria)
        await pilot.press("v")
        await settle(pilot)
        await type_text(pilot, "not sure")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert not any(h.voided for h in spa.holdings())
        await pilot.press("escape")  # Back
        await settle(pilot)
        assert not isinstance(app.screen, CustomerScreen)


async def test_more_history_loads_the_next_page(spa: Spa) -> None:
    maria = Maria(spa)
    for _ in range(55):
        spa.desk.by(spa.grace.id).write(ledger.adjust, spa.business, holding_id=maria.pack, delta=1, reason="test")
    total = len(spa.desk.read(ledger.history, spa.business, customer_id=spa.maria, limit=500))
    assert total == 59  # 2 sales, 2 uses, 55 adjustments
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customer(app, pilot, spa.maria)
        assert len(rows(app, "#history")) == 50
        assert text_of(app, "#history-note") == "newest 50 — m loads older"
        await pilot.press("m")
        await settle(pilot)
        history = rows(app, "#history")
        assert len(history) == 59 and history[-1][1] == "Sold $200 Spa Credit"  # the oldest: 60 days ago
        assert text_of(app, "#history-note") == "newest 59, all shown"
        assert screen.check_action("more_history", ()) is None


async def test_edit_the_contact_details(spa: Spa) -> None:
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await open_customer(app, pilot, spa.maria)
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CustomerFormDialog)
        assert dialog.query_one("#name", Input).value == "Maria Lopez"
        dialog.query_one("#phone", Input).value = "(555) 777-0000"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert "(555) 777-0000" in text_of(app, "#contact")
        assert spa.desk.read(customers.get_customer, spa.maria).phone == "(555) 777-0000"


async def test_sell_opens_the_sell_dialog_and_shows_the_new_package(spa: Spa) -> None:
    from frontdesk.screens.dialogs.sell import Sale, SellDialog

    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customer(app, pilot, spa.maria)
        await pilot.press("s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SellDialog)
        assert dialog.customer_id == spa.maria and dialog.appointment_id is None
        price = spa.desk.read(catalogue.get_package, spa.desk.business, spa.massage_pack).terms.price
        dialog.dismiss(Sale(package_id=spa.massage_pack, title="Massage Pack", price=price,
                            tenders=(TenderLine(Tender.CARD, price),), pays=0))  # the dialog's answer
        await settle(pilot)
        receipt = app.screen  # a sale ends on its receipt, as a checkout does
        assert isinstance(receipt, SaleReceiptDialog)
        assert text_of(app, "#receipt-title") == "Sold ✓ Maria Lopez"
        lines = receipt_text(receipt)
        assert "card for Massage Pack" in lines and "Money taken: card $350.00" in lines
        assert text_of(app, "#receipt-balances").startswith("Massage Pack: 5 of 5 visits left · ")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert rows(app, "#holdings")[0][:2] == ["Massage Pack", "5 of 5 visits"]
        assert screen.selected_holding is not None and screen.selected_holding.title == "Massage Pack"


async def test_book_opens_the_booking_screen_and_the_cursor_comes_back_on_the_new_appointment(spa: Spa) -> None:
    from frontdesk.screens.book import BookScreen

    Maria(spa)
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customer(app, pilot, spa.maria)
        await pilot.press("down", "down")  # away from the first row
        await pilot.press("b")
        await settle(pilot)
        booking = app.screen
        assert isinstance(booking, BookScreen)
        await pilot.click("#service")
        booking.query_one("#service").value = spa.facial
        booking.query_one("#date", Input).value = "next fri"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        selected = screen.selected_appointment
        assert (selected.service_name, selected.needs_payment) == ("Facial", True)


async def test_p_writes_her_statement_as_html_and_pdf(spa: Spa, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    Maria(spa)
    monkeypatch.setenv("FRONTDESK_STATEMENTS_DIR", str(tmp_path / "statements"))
    app = FrontDeskApp(spa.desk)
    notifications = Notifications()
    async with app.run_test(size=SIZE, message_hook=notifications.hook) as pilot:
        await open_customer(app, pilot, spa.maria)
        await pilot.press("p")
        await settle(pilot)
        written = sorted(path.name for path in (tmp_path / "statements").iterdir())
        assert written == ["statement-maria-lopez-2026-03-02.html", "statement-maria-lopez-2026-03-02.pdf"]
        assert "Writing Maria Lopez's statement…" in str(notifications)  # her name, not "her"
        assert "Statement written:" in str(notifications)
        page = (tmp_path / "statements" / written[0]).read_text(encoding="utf-8")
        assert "Massage Pack" in page and "3 of 5 visits" in page and "Regular since 2019." not in page


async def test_a_statement_folder_that_cannot_be_written_says_so(spa: Spa, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    monkeypatch.setenv("FRONTDESK_STATEMENTS_DIR", str(blocked))
    app = FrontDeskApp(spa.desk)
    notifications = Notifications()
    async with app.run_test(size=SIZE, message_hook=notifications.hook) as pilot:
        await open_customer(app, pilot, spa.maria)
        await pilot.press("p")
        await settle(pilot)
        assert f"Could not write the statement in {blocked}" in str(notifications)


async def test_a_booking_covered_by_a_package_shows_as_held_on_its_balance(spa: Spa) -> None:
    pack = spa.sell(spa.massage_pack, days_ago=20)
    spa.desk.by(spa.rita.id).write(appointments.book, spa.business, customer_id=spa.maria, service_id=spa.swedish,
                                   starts_at=spa.at(1, 11), cover_holding_id=pack)
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await open_customer(app, pilot, spa.maria)
        assert rows(app, "#holdings")[0][:2] == ["Massage Pack", "5 of 5 visits · 1 held"]


async def test_an_appointment_of_another_year_shows_its_year(spa: Spa) -> None:
    """This year's dates stay short; one of another year says which ("Wed 1 Jan 2025 10:00")."""
    old = World.book(spa, spa.maria, spa.swedish, spa.at(-425, 10), now=spa.at(-426, 9))  # 1 Jan 2025
    this_year = spa.book(spa.at(1, 10))
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customer(app, pilot, spa.maria)
        when = {row[0] for row in rows(app, "#appointments")}
        assert when == {"Wed 1 Jan 2025 10:00", "Tue 3 Mar 10:00"}
        assert {a.id for a in screen.page.appointments} == {old, this_year}


async def test_escape_on_the_customer_form_asks_before_discarding_changes(spa: Spa) -> None:
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customer(app, pilot, spa.maria)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CustomerFormDialog)
        await pilot.press("escape")  # nothing changed: closes at once
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        await pilot.press("end", *"a")  # "Maria Lopeza"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "Discard your changes to Maria Lopez?" in str(app.screen.query_one("#question", Static).content)
        await pilot.press("escape")  # keep editing: the form is back with what was typed
        await settle(pilot)
        assert app.screen is form and form.query_one("#name", Input).value == "Maria Lopeza"
        await pilot.press("escape", "enter")  # ask again, discard
        await settle(pilot)
        assert app.screen is screen
    assert spa.desk.read(customers.get_customer, spa.maria).name == "Maria Lopez"
