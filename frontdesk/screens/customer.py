"""The customer & balance view: contact, packages (holdings), appointments and balance history.

The focus lands on the appointments, with the cursor on the first unpaid one, so `c` (or Enter)
opens its checkout at once. Actions by key: checkout, book, sell, cancel an appointment, edit the
contact; managers also assign, adjust and void. Everything is read again after each change and
when the screen comes back from another one (a checkout, a booking).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from rich.text import Text
from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Header, Static

from frontdesk.domain.money import format_money
from frontdesk.domain.periods import local_date
from frontdesk.screens.base import DeskScreen
from frontdesk.screens.dialogs import AssignDialog, CustomerFormDialog, ReasonDialog, delta_parser
from frontdesk.services import appointments, ledger
from frontdesk.services.appointments import Cancellation
from frontdesk.services.customers import get_customer
from frontdesk.services.views import AppointmentView, Business, CustomerView, HoldingView, LedgerLine
from frontdesk.widgets.appointments import needs_payment, state_text, when_text
from frontdesk.widgets.fitted import FitColumn, FittedTable
from frontdesk.widgets.history import HistoryTable, entry_date, what_happened
from frontdesk.widgets.holdings import HoldingsTable

HISTORY_PAGE = 50
APPOINTMENT_COLUMNS = (
    FitColumn("When", "when"),
    FitColumn("Service", "service", min_width=10),
    FitColumn("With", "with", min_width=4),
    FitColumn("Price", "price"),
    FitColumn("Paid", "paid"),
)


@dataclass(frozen=True, slots=True)
class CustomerPage:
    """Everything the screen shows, read in one transaction."""

    customer: CustomerView
    holdings: list[HoldingView]
    appointments: list[AppointmentView]
    history: list[LedgerLine]
    more_history: bool


def read_customer_page(
    session: Session, business: Business, *, customer_id: int, now: datetime, history_limit: int
) -> CustomerPage:
    """The customer, all her holdings, her appointments (unpaid first) and the newest
    `history_limit` entries of her balance history."""
    history = ledger.history(session, business, customer_id=customer_id, limit=history_limit + 1)
    return CustomerPage(
        customer=get_customer(session, customer_id),
        holdings=appointments.customer_holdings(session, business, customer_id=customer_id, now=now),
        appointments=desk_order(appointments.customer_appointments(session, customer_id=customer_id),
                                business, now),
        history=history[:history_limit],
        more_history=len(history) > history_limit,
    )


def desk_order(found: list[AppointmentView], business: Business, now: datetime) -> list[AppointmentView]:
    """Unpaid first — today's, then the nearest to now (a booking next month waits) — then the
    others as the use case gives them (newest first)."""
    today = local_date(now, business.tz)

    def nearness(appointment: AppointmentView) -> tuple[bool, float]:
        day = local_date(appointment.starts_at, business.tz)
        return (day != today, abs((appointment.starts_at - now).total_seconds()))

    unpaid = sorted((a for a in found if needs_payment(a)), key=nearness)
    return unpaid + [a for a in found if not needs_payment(a)]


class CustomerScreen(DeskScreen):
    """One customer: what she holds, what she booked, and every change to her balances."""

    AUTO_FOCUS = "#appointments"

    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to the previous screen", id="back"),
        Binding("c", "checkout", "Checkout", tooltip="Pay the selected appointment", id="checkout"),
        Binding("b", "book", "Book", tooltip="Book an appointment for this customer", id="book"),
        Binding("s", "sell", "Sell", tooltip="Sell a package to this customer", id="sell"),
        Binding("x", "cancel_appointment", "Cancel", tooltip="Cancel the selected appointment",
                id="cancel-appointment"),
        Binding("a", "assign", "Assign", tooltip="Give a package without payment (managers)", id="assign"),
        Binding("j", "adjust", "Adjust", tooltip="Change the selected package's balance (managers)", id="adjust"),
        Binding("v", "void", "Void", tooltip="Void the selected package (managers)", id="void"),
        Binding("e", "edit", "Edit", tooltip="Edit name, phone, email and note", id="edit"),
        Binding("h", "show_all", "All", tooltip="Show or fold used-up, expired and void packages",
                id="show-all"),
        Binding("m", "more_history", "More", tooltip="Load older balance history", id="more-history"),
    ]

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.page: CustomerPage | None = None
        self.show_all = False
        self.first_load = True
        self.select_holding: int | None = None  # put the cursor here once read again

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="contact")
        with Vertical(id="holdings-box", classes="section"):
            with Horizontal(classes="section-heading"):
                yield Static("Packages", classes="section-title")
                yield Static("", id="holdings-note", classes="section-note")
            yield HoldingsTable(id="holdings")
        with Vertical(id="appointments-box", classes="section"):
            with Horizontal(classes="section-heading"):
                yield Static("Appointments", classes="section-title")
                yield Static("", id="appointments-note", classes="section-note")
            yield FittedTable(id="appointments")
        with Vertical(id="history-box", classes="section"):
            with Horizontal(classes="section-heading"):
                yield Static("Balance history", classes="section-title")
                yield Static("", id="history-note", classes="section-note")
            yield HistoryTable(id="history")
        yield Footer(compact=True, show_command_palette=False)  # room for every action at 80 columns

    def on_mount(self) -> None:
        self.query_one("#appointments", FittedTable).set_columns(APPOINTMENT_COLUMNS)
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.page and self.show_page(self.page))

    def on_screen_resume(self) -> None:
        self.reload()

    # ---- reading ----------------------------------------------------------------------------------

    @property
    def today(self) -> date:
        return local_date(self.desk.now(), self.desk.business.tz)

    def reload(self) -> None:
        """Read everything again, keeping as much history as is shown."""
        shown = len(self.page.history) if self.page else 0
        limit = max(HISTORY_PAGE, shown)
        desk = self.desk
        self.run_db(read_customer_page, desk.business, customer_id=self.customer_id, now=desk.now(),
                    history_limit=limit, then=self.show_page)

    def show_page(self, page: CustomerPage) -> None:
        selected = self.selected_appointment
        keep = selected.id if selected and not self.first_load else None
        self.page = page
        customer = page.customer
        contact = Text.assemble((customer.name, "bold"))
        for part in (customer.phone, customer.email):
            if part:
                contact.append(f"  ·  {part}")
        if customer.note:
            contact.append(f"\n{customer.note}", style="italic")
        self.query_one("#contact", Static).update(contact)
        self.show_holdings()
        self.show_appointments(keep)
        self.query_one("#history", HistoryTable).show(page.history, tz=self.desk.business.tz, today=self.today)
        self.show_history_note()
        self.first_load = False
        self.refresh_bindings()

    def show_holdings(self) -> None:
        assert self.page is not None
        table = self.query_one("#holdings", HoldingsTable)
        table.show(self.page.holdings, show_all=self.show_all)
        if self.select_holding is not None and table.select(self.select_holding):
            self.select_holding = None
        folded = len(HoldingsTable.folded(self.page.holdings))
        active = len(self.page.holdings) - folded
        note = f"{active} active" if active else "no active package"
        if folded:
            note += f" · {folded} used up, expired or void " + ("shown — h folds them" if self.show_all
                                                                 else "folded away — h shows them")
        self.query_one("#holdings-note", Static).update(note)
        table.display = bool(table.holdings)

    def show_appointments(self, keep: int | None = None) -> None:
        """List the appointments; the cursor stays on `keep`, else goes to the first unpaid."""
        assert self.page is not None
        business = self.desk.business
        today = self.today
        rows = self.page.appointments
        row = next((i for i, a in enumerate(rows) if a.id == keep), None)
        if row is None:
            row = next((i for i, a in enumerate(rows) if needs_payment(a)), 0)
        self.query_one("#appointments", FittedTable).set_rows([
            (str(appointment.id), [
                Text(when_text(appointment.starts_at, business.tz, today)), Text(appointment.service_name),
                Text(appointment.provider_name or "—"), Text(format_money(appointment.price, business.currency)),
                state_text(appointment, business.currency, self.app),
            ])
            for appointment in rows
        ], cursor_row=row)
        unpaid = sum(1 for a in rows if needs_payment(a))
        note = (f"{unpaid} unpaid — c or Enter: checkout" if unpaid else "nothing to pay") if rows \
            else "none yet — b books one"
        self.query_one("#appointments-note", Static).update(note)

    def show_history_note(self) -> None:
        assert self.page is not None
        shown = len(self.query_one("#history", HistoryTable).lines)
        if not shown:
            note = "no changes yet"
        else:
            note = f"newest {shown}" + (" — m loads older" if self.page.more_history else ", all shown")
        self.query_one("#history-note", Static).update(note)

    # ---- what is selected --------------------------------------------------------------------------

    @property
    def selected_appointment(self) -> AppointmentView | None:
        if self.page is None or not self.page.appointments:
            return None
        row = self.query_one("#appointments", DataTable).cursor_row
        return self.page.appointments[row] if 0 <= row < len(self.page.appointments) else None

    @property
    def selected_holding(self) -> HoldingView | None:
        return self.query_one("#holdings", HoldingsTable).selected

    @on(DataTable.RowHighlighted)
    def selection_moved(self) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        manager = self.desk.is_manager
        if action == "checkout":
            appointment = self.selected_appointment
            return True if appointment and needs_payment(appointment) else None
        if action == "cancel_appointment":
            appointment = self.selected_appointment
            return True if appointment and appointment.status != "cancelled" else None
        if action == "assign":
            return True if manager else None
        if action == "adjust":
            holding = self.selected_holding
            return True if manager and holding and not holding.voided and holding.terms.unit != "uses" else None
        if action == "void":
            holding = self.selected_holding
            return True if manager and holding and not holding.voided else None
        if action == "more_history":
            return True if self.page and self.page.more_history else None
        return True

    # ---- actions ------------------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#history")
    def entry_chosen(self, event: DataTable.RowSelected) -> None:
        """Enter on a history row: the whole entry, for when the table had to shorten it."""
        table = self.query_one("#history", HistoryTable)
        line = next((line for line in table.lines if str(line.id) == event.row_key.value), None)
        if line is not None:
            when = entry_date(line, self.desk.business.tz, self.today)
            self.notify(f"{when} · {what_happened(line)} · {line.delta_text} → {line.balance_text} · "
                        f"{line.staff_name}", title="Balance history", timeout=10)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_checkout(self) -> None:
        appointment = self.selected_appointment
        if appointment and needs_payment(appointment):
            self.app.open_checkout(appointment.id)  # type: ignore[attr-defined]

    @on(DataTable.RowSelected, "#appointments")
    def appointment_chosen(self) -> None:
        appointment = self.selected_appointment
        if appointment is None:
            return
        if needs_payment(appointment):
            self.app.open_checkout(appointment.id)  # type: ignore[attr-defined]
        else:
            state = {"cancelled": "cancelled", "no-show": "a no-show"}.get(appointment.status, "paid")
            self.notify(f"Nothing to pay: this appointment is {state}.")

    def action_book(self) -> None:
        self.app.open_booking(self.customer_id)  # type: ignore[attr-defined]

    def action_sell(self) -> None:
        try:
            from frontdesk.screens.sell import SellDialog
        except ImportError:
            self.notify("Selling a package is not available yet.", severity="warning")
            return
        self.app.push_screen(SellDialog(self.customer_id, appointment_id=None), self.package_sold)

    def package_sold(self, holding: HoldingView | None) -> None:
        if holding is not None:
            self.notify(f"Sold {holding.title}: {holding.balance_text}.")
            self.select_holding_after_reload(holding.id)

    def action_assign(self) -> None:
        if not self.desk.is_manager:
            return
        name = self.page.customer.name if self.page else ""
        self.app.push_screen(AssignDialog(self.customer_id, name), self.package_assigned)

    def package_assigned(self, holding: HoldingView | None) -> None:
        if holding is not None:
            self.notify(f"Assigned {holding.title}: {holding.balance_text}.")
            self.select_holding_after_reload(holding.id)

    def select_holding_after_reload(self, holding_id: int) -> None:
        self.select_holding = holding_id
        self.reload()

    def action_cancel_appointment(self) -> None:
        appointment = self.selected_appointment
        if appointment is None or appointment.status == "cancelled":
            return
        desk = self.desk
        business, actor, now = desk.business, desk.staff_id, desk.now()
        when = when_text(appointment.starts_at, business.tz, self.today)
        paid = ""
        if appointment.paid:
            paid = (f"\n{format_money(appointment.paid, business.currency)} was paid: "
                    "a package use goes back to the package; money paid is refunded by hand.")

        def cancel(session: Session, *, reason: str) -> Cancellation:
            return appointments.cancel(session, business, appointment_id=appointment.id, actor=actor,
                                       reason=reason, now=now)

        self.app.push_screen(ReasonDialog(
            "Cancel appointment", f"Cancel {appointment.service_name} on {when}?{paid}", required=False,
            confirm_label="Cancel appointment", cancel_label="Keep it", save=cancel,
        ), self.cancelled)

    def cancelled(self, result: Cancellation | None) -> None:
        if result is None:
            return
        words = [f"{result.appointment.service_name} cancelled."]
        if result.returned:
            words.append(result.returned[0].upper() + result.returned[1:] + ".")
        if result.to_refund:
            words.append(f"Refund {format_money(result.to_refund, self.desk.business.currency)} "
                         "paid in cash, card or other.")
        self.notify(" ".join(words), timeout=8)
        self.reload()

    def action_adjust(self) -> None:
        holding = self.selected_holding
        if holding is None or not self.desk.is_manager:
            return
        desk = self.desk
        business, actor, now = desk.business, desk.staff_id, desk.now()
        parse, hint = delta_parser(holding.terms.unit, business.currency)
        line = ""
        if len(holding.lines) > 1:
            line = f" The change goes to its first line ({holding.terms.fixed_lines[0].service_name})."

        def adjust(session: Session, *, delta: int, reason: str) -> HoldingView:
            return ledger.adjust(session, business, holding_id=holding.id, delta=delta, reason=reason,
                                 actor=actor, now=now)

        self.app.push_screen(ReasonDialog(
            f"Adjust {holding.title}", f"Balance now: {holding.balance_text}.{line}", ask_delta=True,
            unit_hint=hint, parse_delta=parse, confirm_label="Adjust", save=adjust,
        ), self.holding_changed)

    def action_void(self) -> None:
        holding = self.selected_holding
        if holding is None or not self.desk.is_manager:
            return
        desk = self.desk
        business, actor, now = desk.business, desk.staff_id, desk.now()

        def void(session: Session, *, reason: str) -> HoldingView:
            return ledger.void(session, business, holding_id=holding.id, reason=reason, actor=actor, now=now)

        self.app.push_screen(ReasonDialog(
            f"Void {holding.title}",
            f"Its balance ({holding.balance_text}) goes to zero and it covers nothing any more. "
            "The history keeps every entry.", confirm_label="Void package", save=void,
        ), self.holding_changed)

    def holding_changed(self, holding: HoldingView | None) -> None:
        if holding is not None:
            self.notify(f"{holding.title}: {holding.balance_text}" + (" (void)" if holding.voided else "") + ".")
            self.reload()

    def action_edit(self) -> None:
        if self.page is None:
            return
        self.app.push_screen(CustomerFormDialog(self.page.customer), self.customer_saved)

    def customer_saved(self, customer: CustomerView | None) -> None:
        if customer is not None:
            self.notify(f"Saved {customer.name}.")
            self.reload()

    def action_show_all(self) -> None:
        self.show_all = not self.show_all
        if self.page is not None:
            self.show_holdings()
            self.refresh_bindings()

    def action_more_history(self) -> None:
        if self.page is None or not self.page.more_history:
            return
        oldest = self.query_one("#history", HistoryTable).oldest_id
        desk = self.desk
        self.run_db(ledger.history, desk.business, customer_id=self.customer_id, limit=HISTORY_PAGE + 1,
                    before_id=oldest, then=self.show_more_history)

    def show_more_history(self, lines: list[LedgerLine]) -> None:
        assert self.page is not None
        table = self.query_one("#history", HistoryTable)
        table.show(lines[:HISTORY_PAGE], tz=self.desk.business.tz, today=self.today, append=True)
        self.page = CustomerPage(customer=self.page.customer, holdings=self.page.holdings,
                                 appointments=self.page.appointments, history=list(table.lines),
                                 more_history=len(lines) > HISTORY_PAGE)
        self.show_history_note()
        self.refresh_bindings()
