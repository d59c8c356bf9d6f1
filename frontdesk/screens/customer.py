"""The customer & balance view: contact, packages (holdings), appointments and balance history.

The focus lands on the appointments, with the cursor on the first unpaid one, so `c` (or Enter)
opens its checkout at once. Actions by key: checkout, book, sell, cancel an appointment, edit the
contact; managers also assign, adjust and void. Everything is read again after each change and
when the screen comes back from another one (a checkout, a booking).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable, Header, Static

from frontdesk.app import FrontDeskApp
from frontdesk.documents.statement import statements_folder, write_both
from frontdesk.domain.controls import cancel_needs_manager
from frontdesk.domain.kinds import AppointmentStatus
from frontdesk.domain.money import format_money
from frontdesk.domain.lifecycle import parse_days
from frontdesk.domain.parsing import delta_hint, parse_delta
from frontdesk.domain.periods import local_date
from frontdesk.domain.terms import ValueType
from frontdesk.screens.dialogs.assign import AssignDialog, Assignment
from frontdesk.screens.dialogs.customer import EditsCustomers
from frontdesk.screens.dialogs.lifecycle import FreezeDialog, Freezing, Moving, TransferDialog
from frontdesk.screens.dialogs.no_show import MarksNoShows
from frontdesk.screens.dialogs.merge import MergeDialog, Merging
from frontdesk.screens.dialogs.reason import Change, ReasonDialog, Refunding
from frontdesk.screens.dialogs.receipt import RefundReceiptDialog, SaleReceiptDialog
from frontdesk.screens.dialogs.sell import Sale, SellDialog
from frontdesk.services import appointments, ledger, sales
from frontdesk.services.appointments import Booking, Cancellation, PolicyPreview, policy_preview
from frontdesk.services import lifecycle
from frontdesk.services.lifecycle import Transfer
from frontdesk.services.customers import CustomerPage, MergePlan, customer_page, merge_customers
from frontdesk.services.errors import FrontDeskError
from frontdesk.services.statement import statement
from frontdesk.services.sales import TenderLine
from frontdesk.services.views import AppointmentView, CustomerView, HistoryCursor, HoldingView, LedgerLine
from frontdesk.widgets.appointments import state_text, when_text
from frontdesk.widgets.fitted import FitColumn, FittedTable, share_lines
from frontdesk.widgets.history import HistoryTable, entry_date, what_happened
from frontdesk.widgets.holdings import HoldingsTable
from frontdesk.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from frontdesk.services.desk import Desk

HISTORY_PAGE = 50
APPOINTMENT_COLUMNS = (
    FitColumn("When", "when"),
    FitColumn("Service", "service", min_width=10),
    FitColumn("With", "with", min_width=4),
    FitColumn("Price", "price"),
    FitColumn("Paid", "paid"),
)


def read_her_page(desk: Desk, customer_id: int, history_limit: int = HISTORY_PAGE) -> CustomerPage:
    """Her page: contact, holdings, appointments and the newest `history_limit` history entries
    (database work: in a thread worker)."""
    return desk.read(customer_page, desk.business, customer_id=customer_id, history_limit=history_limit)


def line_height(widget: Widget) -> int:
    """How many lines `widget` takes; before it is first laid out, the lines its styles fix (the
    header's, the footer's), or none."""
    if widget.outer_size.height:
        return widget.outer_size.height
    height = widget.styles.height
    return int(height.value) + widget.styles.gutter.height if height is not None and height.is_cells else 0


class CustomerScreen(MarksNoShows, EditsCustomers):
    """One customer: what she holds, what she booked, and every change to her balances."""

    AUTO_FOCUS = "#appointments"

    MANAGER_ACTIONS = frozenset({"assign", "adjust", "void", "extend", "freeze", "transfer"})
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to the previous screen", id="back"),
        Binding("c", "checkout", "Pay", tooltip="Check out: pay the selected appointment", id="checkout"),
        Binding("b", "book", "Book", tooltip="Book an appointment for this customer", id="book"),
        Binding("s", "sell", "Sell", tooltip="Sell a package to this customer", id="sell"),
        Binding("x", "cancel_appointment", "Cancel", tooltip="Cancel the selected appointment",
                id="cancel-appointment"),
        Binding("a", "assign", "Give", tooltip="Assign: give a package without payment (managers)", id="assign"),
        Binding("j", "adjust", "Adjust", tooltip="Change the selected package's balance (managers)", id="adjust"),
        Binding("v", "void", "Void", tooltip="Void the selected package (managers)", id="void"),
        Binding("e", "edit", "Edit", tooltip="Edit name, phone, email and note", id="edit"),
        Binding("p", "statement", "Print",
                tooltip="The customer's statement: written as HTML and PDF to the statements folder", id="statement"),
        # these two are named where they act, in the packages' and the history's notes ("h shows
        # them", "m loads older"), which leaves the footer room for the rest at 80 columns
        Binding("h", "show_all", "All", tooltip="Show or fold used-up, expired and void packages",
                id="show-all", show=False),
        Binding("m", "more_history", "More", tooltip="Load older balance history", id="more-history", show=False),
        # a manager's changes to a package's life, named in the packages' note; a no-show, named in
        # the appointments' note when the selected one has begun
        Binding("d", "extend", "Extend", tooltip="Give the selected package more days (managers)", id="extend",
                show=False),
        Binding("f", "freeze", "Freeze", tooltip="Freeze the selected package for some days, or end its freeze "
                "(managers)", id="freeze", show=False),
        Binding("t", "transfer", "Move", tooltip="Move what is left of the selected package to another customer "
                "(managers)", id="transfer", show=False),
        Binding("n", "no_show", "No-show", tooltip="Mark the selected appointment as a no-show", id="no-show",
                show=False),
        Binding("r", "reschedule", "Move", tooltip="Move the selected appointment to another time or provider",
                id="reschedule", show=False),
        Binding("M", "merge", "Merge", tooltip="Merge another record of this customer into this one (managers)",
                id="merge", show=False),
    ]

    @dataclass
    class PageRead(Message):
        page: CustomerPage

    @dataclass
    class OlderHistory(Message):
        lines: list[LedgerLine]

    @dataclass
    class HoldingChanged(Message):
        """A holding was sold, assigned, adjusted or voided; `done` says which ("Sold")."""

        holding: HoldingView
        done: str = ""
        form: str = ""  # the form whose answer it was, to close

    @dataclass
    class Sold(Message):
        holding: HoldingView
        tenders: tuple[TenderLine, ...]

    @dataclass
    class Cancelled(Message):
        cancellation: Cancellation

    @dataclass
    class Voided(Message):
        voided: ledger.Voided

    @dataclass
    class PolicyRead(Message):
        """What the package's policy will do, read before the cancel or no-show dialog opens."""

        appointment: AppointmentView
        preview: PolicyPreview
        no_show: bool

    @dataclass
    class Moved(Message):
        transfer: Transfer

    @dataclass
    class StatementWritten(Message):
        html: Path
        pdf: Path

    def __init__(self, customer_id: int, page: CustomerPage | None = None) -> None:
        """`page`: her page, read already (`read_her_page`): shown as the screen is built, so her
        rows are in its first paint; without it, the screen reads it as it opens."""
        super().__init__()
        self.customer_id = customer_id
        self.page: CustomerPage | None = None
        self.page_read_before = page
        self.show_all = False
        self.first_load = True
        self.select_holding: int | None = None  # put the cursor here once read again
        self.select_appointment: int | None = None  # likewise
        self.read_on_mount = False  # the first read starts in compose: the first resume does not start another

    def compose(self) -> ComposeResult:
        # without her page read already (`open_customer` reads it first): read at once, while the
        # empty screen is built and laid out, rather than once it is mounted (the read is shown
        # after `on_mount`: a screen handles its messages once mounted)
        self.read_on_mount = True
        if self.page_read_before is None:
            self.reload()
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
        yield KeysFooter(compact=True, show_command_palette=False)  # room for every action at 80 columns

    def on_mount(self) -> None:
        self.query_one("#appointments", FittedTable).set_columns(APPOINTMENT_COLUMNS)
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.page and self.show_page(self.page))
        if self.page_read_before is not None:  # before the screen is first laid out: laid out and painted once
            page, self.page_read_before = self.page_read_before, None
            self.show_page(page)

    def on_screen_resume(self) -> None:
        if self.read_on_mount:
            self.read_on_mount = False
            return
        self.reload()

    @on(FrontDeskApp.DeskChanged)
    def desk_changed(self) -> None:
        """Changed at another desk: read again (the cursor stays on its row)."""
        self.reload()

    # ---- reading ----------------------------------------------------------------------------------

    @property
    def today(self) -> date:
        return local_date(self.desk.now(), self.desk.business.tz)

    def reload(self) -> None:
        """Read everything again, keeping as much history as is shown."""
        shown = len(self.page.history) if self.page else 0
        self.read_page(max(HISTORY_PAGE, shown))

    @work(thread=True, exclusive=True, group="read", exit_on_error=False)
    def read_page(self, history_limit: int) -> None:
        self.post_fresh(self.PageRead(read_her_page(self.desk, self.customer_id, history_limit)))

    @on(PageRead)
    def page_read(self, message: PageRead) -> None:
        first = self.page is None
        self.show_page(message.page)
        if first:  # opened before her page came (a slow read): what was typed ahead is for her page
            self.app.release_keys()

    def work_failed(self, group: str, error: FrontDeskError) -> None:
        super().work_failed(group, error)
        if group == "read" and self.page is None:
            self.app.release_keys()  # her page cannot be read: the keys typed ahead meet the message

    def show_page(self, page: CustomerPage) -> None:
        selected = self.selected_appointment
        keep = selected.id if selected and not self.first_load else None
        if self.select_appointment is not None:
            keep, self.select_appointment = self.select_appointment, None
        self.page = page
        customer = page.customer
        contact = Text.assemble((customer.name, "bold"))
        for part in (customer.phone, customer.email):
            if part:
                contact.append(f"  ·  {part}")
        if customer.note:
            contact.append(f"\n{customer.note}", style="italic")
        self.say("#contact", contact)
        self.show_holdings()
        self.show_appointments(keep)
        self.query_one("#history", HistoryTable).show(page.history, tz=self.desk.business.tz, today=self.today)
        self.show_history_note()
        self.fit_sections()
        self.first_load = False
        self.refresh_bindings()

    def say(self, selector: str, words: str | Text) -> None:
        """Put `words` in the Static at `selector`, unless it says them already (the same words
        again would lay the screen out again: a note is said again on every highlighted row)."""
        static = self.query_one(selector, Static)
        if static.content != words:
            static.update(words)

    def fit_sections(self) -> None:
        """Packages, appointments and history share the height: each is as tall as its rows when
        that fits, the others share the rest (what one does not need goes to the others), and each
        scrolls inside itself, so twenty appointments never push the history out of view."""
        sections = [(self.query_one(box), self.query_one(table_id, FittedTable))
                    for box, table_id in (("#holdings-box", "#holdings"), ("#appointments-box", "#appointments"),
                                          ("#history-box", "#history"))]
        others = sum(line_height(widget) for widget in (self.query_one(Header), self.query_one(KeysFooter)))
        others += self.contact_height()
        wanted = [1 + (table.lines_wanted if table.display else 0) for _, table in sections]  # heading, rows
        height = self.size.height or self.app.size.height  # before its first layout: the terminal's, as it will be
        for (box, _), lines in zip(sections, share_lines(height - others, wanted), strict=True):
            box.styles.height = lines

    def contact_height(self) -> int:
        """The lines the contact takes with what it says now (her note may have just been read or
        changed), not as it was last laid out: the sections are fitted in the same pass. Before the
        screen is first laid out, at the terminal's width less its padding, as it will be."""
        contact = self.query_one("#contact", Static)
        size = self.size if self.size.width else self.app.size
        width = contact.size.width or size.width - contact.styles.gutter.width
        return contact.get_content_height(size, size, width) + contact.styles.gutter.height

    def on_resize(self) -> None:
        self.call_after_refresh(self.fit_sections)  # the tables refit their rows to the new width first

    @on(FittedTable.LinesChanged)
    def _table_lines_changed(self) -> None:
        """A table refitted to its width, or given rows, may want more or fewer lines than its share had."""
        self.fit_sections()

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
            note += f" · {folded} used up or closed " + ("shown — h folds them" if self.show_all
                                                         else "— h shows them")
        if self.desk.is_manager and self.page.holdings:
            note += " · d extend, f freeze, t move"
        self.say("#holdings-note", note)
        table.display = bool(table.holdings)

    def show_appointments(self, keep: int | None = None) -> None:
        """List the appointments; the cursor stays on `keep`, else goes to the first unpaid."""
        assert self.page is not None
        business = self.desk.business
        today = self.today
        rows = self.page.appointments
        row = next((i for i, a in enumerate(rows) if a.id == keep), None)
        if row is None:
            row = next((i for i, a in enumerate(rows) if a.needs_payment), 0)
        self.query_one("#appointments", FittedTable).set_rows([
            (str(appointment.id), [
                Text(when_text(appointment.starts_at, business.tz, today)), Text(appointment.service_name),
                Text(appointment.provider_name or "—"), Text(format_money(appointment.price, business.currency)),
                state_text(appointment, business.currency, self.app),
            ])
            for appointment in rows
        ], cursor_row=row)
        self.show_appointments_note()

    def show_appointments_note(self) -> None:
        assert self.page is not None
        rows = self.page.appointments
        unpaid = sum(1 for a in rows if a.needs_payment)
        note = (f"{unpaid} unpaid — c or Enter: checkout" if unpaid else "nothing to pay") if rows \
            else "none yet — b books one"
        selected = self.selected_appointment
        if selected is not None and self.may_be_no_show(selected):
            note += " · n no-show"
        self.say("#appointments-note", note)

    def show_history_note(self) -> None:
        assert self.page is not None
        shown = len(self.query_one("#history", HistoryTable).lines)
        if not shown:
            note = "no changes yet"
        else:
            note = f"newest {shown}" + (" — m loads older" if self.page.more_history else ", all shown")
        self.say("#history-note", note)

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
        if self.page is not None:
            self.show_appointments_note()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        manager = self.desk.is_manager
        if action == "checkout":
            appointment = self.selected_appointment
            return True if appointment and appointment.needs_payment else None
        if action == "cancel_appointment":  # reception: not one that took place, or was paid and has begun
            appointment = self.selected_appointment
            if appointment is None or appointment.status == AppointmentStatus.CANCELLED:
                return None
            return True if manager or self.cancel_job(appointment) is None else None
        if action == "assign":
            return True if manager else None
        if action == "adjust":
            holding = self.selected_holding
            return True if manager and holding and not holding.voided \
                and holding.terms.value_type is not ValueType.UNLIMITED else None
        if action == "void":
            holding = self.selected_holding
            return True if manager and holding and not holding.voided else None
        if action in ("extend", "freeze", "transfer"):
            return True if manager and self.lifecycle_problem(action) is None else None
        if action == "no_show":
            appointment = self.selected_appointment
            return True if appointment and self.may_be_no_show(appointment) else None
        if action == "more_history":
            return True if self.page and self.page.more_history else None
        return True

    def lifecycle_problem(self, action: str) -> str | None:
        """Why the selected package cannot be extended, frozen or moved, or None."""
        holding = self.selected_holding
        if holding is None:
            return "No package selected: tab to the packages first."
        if holding.voided:
            return "This package is void."
        if holding.moved:
            return "This package was moved to another customer."
        if action == "extend" and holding.valid_until is None:
            return "This package has no expiry to extend."
        if action in ("freeze", "transfer") and holding.status == "expired":
            return "This package has expired: extend it first (d)."
        if action == "transfer" and holding.status == "used up":
            return "Nothing is left on this package to move."
        return None

    # ---- actions ------------------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#history")
    def entry_chosen(self, event: DataTable.RowSelected) -> None:
        """Enter on a history row: the whole entry, for when the table had to shorten it."""
        table = self.query_one("#history", HistoryTable)
        line = next((line for line in table.lines if line.key == event.row_key.value), None)
        if line is not None:
            when = entry_date(line, self.desk.business.tz, self.today)
            self.notify(f"{when} · {what_happened(line)} · {line.delta_text} → {line.balance_text} · "
                        f"{line.staff_name}", title="Balance history", timeout=10)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_checkout(self) -> None:
        appointment = self.selected_appointment
        if appointment and appointment.needs_payment:
            self.app.open_checkout(appointment.id)

    @on(DataTable.RowSelected, "#appointments")
    def appointment_chosen(self) -> None:
        appointment = self.selected_appointment
        if appointment is None:
            return
        if appointment.needs_payment:
            self.app.open_checkout(appointment.id)
        else:
            state = {AppointmentStatus.CANCELLED: "cancelled", AppointmentStatus.NO_SHOW: "a no-show"}.get(
                appointment.status, "paid")
            self.notify(f"Nothing to pay: this appointment is {state}.")

    def action_book(self) -> None:
        self.app.open_booking(self.customer_id, self.booked)

    def action_reschedule(self) -> None:
        appointment = self.selected_appointment
        if appointment is None:
            self.notify("No appointment selected: b books one.", severity="warning")
        elif appointment.status != AppointmentStatus.BOOKED:
            self.notify(f"Only a booked appointment can be moved (this one is {appointment.status}).",
                        severity="warning")
        else:
            self.app.open_reschedule(appointment.id, self.booked)

    def booked(self, booking: Booking | None) -> None:
        """Back from booking: the cursor goes to the new appointment (once read again)."""
        if booking is not None:
            self.select_appointment = booking.appointment.id

    # ---- sell and assign ------------------------------------------------------------------------------

    def action_sell(self) -> None:
        self.app.push_screen(SellDialog(self.customer_id, appointment_id=None), self.sell)

    def sell(self, sale: Sale | None) -> None:
        if sale is not None:
            self._sell(sale.package_id, sale.tenders)

    @work(thread=True, exclusive=True, group="sell", exit_on_error=False)
    def _sell(self, package_id: int, tenders: tuple[TenderLine, ...]) -> None:
        desk = self.desk
        holding = desk.write(sales.sell, desk.business, customer_id=self.customer_id, package_id=package_id,
                             tenders=tenders)
        self.post_fresh(self.Sold(holding, tenders))

    @on(Sold)
    def sold(self, message: Sold) -> None:
        """A sale ends on its receipt, as a checkout does; the page shows the new package behind it."""
        self.select_holding = message.holding.id
        name = self.page.customer.name if self.page is not None else ""
        self.app.push_screen(SaleReceiptDialog(message.holding, message.tenders, customer=name))
        self.reload()

    def action_assign(self) -> None:
        if not self.desk.is_manager:
            return
        name = self.page.customer.name if self.page else ""
        self.ask("assign", AssignDialog(self.customer_id, name), self._assign)

    @work(thread=True, exclusive=True, group="assign", exit_on_error=False)
    def _assign(self, assignment: Assignment) -> None:
        desk = self.desk
        holding = desk.write(sales.assign, desk.business, customer_id=self.customer_id,
                             package_id=assignment.package_id, reason=assignment.reason)
        self.post_fresh(self.HoldingChanged(holding, "Assigned", form="assign"))

    # ---- cancel an appointment ------------------------------------------------------------------------

    def cancel_job(self, appointment: AppointmentView) -> str | None:
        """What cancelling `appointment` would do that only a manager may, or None."""
        return cancel_needs_manager(appointment.status, appointment.starts_at, self.desk.now(),
                                    gives_back=appointment.paid_from is not None or appointment.paid_money > 0)

    def why_not(self, action: str) -> str | None:
        appointment, holding = self.selected_appointment, self.selected_holding
        if action == "checkout":
            if appointment is None:
                return "No appointment selected: b books one."
            state = {AppointmentStatus.CANCELLED: "cancelled", AppointmentStatus.NO_SHOW: "a no-show"}.get(
                appointment.status, "paid")
            return f"Nothing to pay: this appointment is {state}."
        if action == "cancel_appointment":
            if appointment is None:
                return "No appointment selected."
            if appointment.status == AppointmentStatus.CANCELLED:
                return "This appointment is already cancelled."
            return f"Managers only: {self.cancel_job(appointment)}. Ask a manager to sign in (ctrl+l)."
        if action in ("extend", "freeze", "transfer") and self.desk.is_manager:
            return self.lifecycle_problem(action)
        if action == "no_show":
            if appointment is None:
                return "No appointment selected."
            if appointment.status != AppointmentStatus.BOOKED:
                return f"Only a booked appointment can be a no-show (this one is {appointment.status})."
            return "It has not begun yet: cancel it instead (x)."
        if action in ("adjust", "void") and self.desk.is_manager:
            if holding is None:
                return "No package selected: tab to the packages first."
            if holding.voided:
                return "This package is void."
            return "An unlimited package has no balance to adjust."
        if action == "more_history":
            return "All of the history is shown."
        return super().why_not(action)

    def action_cancel_appointment(self) -> None:
        appointment = self.selected_appointment
        if appointment is None or appointment.status == AppointmentStatus.CANCELLED:
            return
        job = self.cancel_job(appointment)
        if job and not self.desk.is_manager:
            return
        self.read_policy(appointment, no_show=False)

    @work(thread=True, exclusive=True, group="policy", exit_on_error=False)
    def read_policy(self, appointment: AppointmentView, no_show: bool) -> None:
        """What the package's policy will do: said in the dialog before it is confirmed."""
        preview = self.desk.read(policy_preview, appointment_id=appointment.id, no_show=no_show)
        self.post_fresh(self.PolicyRead(appointment, preview, no_show))

    @on(PolicyRead)
    def policy_read(self, message: PolicyRead) -> None:
        if message.no_show:
            self.ask_no_show(message.appointment, message.preview)
        else:
            self.ask_cancel(message.appointment, message.preview)

    def ask_cancel(self, appointment: AppointmentView, preview: PolicyPreview) -> None:
        job = self.cancel_job(appointment)
        business = self.desk.business
        when = when_text(appointment.starts_at, business.tz, self.today)
        prompt = f"Cancel {appointment.service_name} on {when}?"
        if preview.words:
            prompt += f"\n{preview.words}"
        elif appointment.paid_from:
            prompt += f"\nIts {appointment.paid_from} use goes back to the package."
        if appointment.paid_money:
            prompt += f"\n{format_money(appointment.paid_money, business.currency)} was paid in money."
        if job:
            prompt += f"\nA manager's change ({job}): give the reason."
        self.ask("cancel", ReasonDialog(
            "Cancel appointment", prompt, required=job is not None,
            confirm_label="Cancel appointment", cancel_label="Keep it",
            refund_of=appointment.paid_money, refund_tender=appointment.paid_tender,
            override_label=self.override_label(preview),
        ), partial(self._cancel, appointment.id))

    @work(thread=True, exclusive=True, group="cancel", exit_on_error=False)
    def _cancel(self, appointment_id: int, answer: str | Refunding) -> None:
        desk = self.desk
        reason, refunds, override = (answer.reason, answer.refunds, answer.override) \
            if isinstance(answer, Refunding) else (answer, (), False)
        self.post_fresh(self.Cancelled(desk.write(appointments.cancel, desk.business, appointment_id=appointment_id,
                                                  reason=reason, refunds=refunds, override=override)))

    @on(Cancelled)
    def cancelled(self, message: Cancelled) -> None:
        self.answered("cancel")
        result = message.cancellation
        currency = self.desk.business.currency
        words = [f"{result.appointment.service_name} cancelled."]
        if result.returned:
            words.append(result.returned[0].upper() + result.returned[1:] + ".")
        if result.forfeited:
            words.append(result.forfeited[0].upper() + result.forfeited[1:] + ".")
        if result.refunded:
            words.append(f"Refunded {format_money(result.refunded, currency)}.")
        if result.kept:
            words.append(f"Kept {format_money(result.kept, currency)}.")
        self.notify(" ".join(words), timeout=8)
        if result.receipt is not None:
            appointment = result.appointment
            when = when_text(appointment.starts_at, self.desk.business.tz, self.today)
            self.app.push_screen(RefundReceiptDialog(result.receipt, customer=appointment.customer_name,
                                                     subject=f"{appointment.service_name} · {when} · cancelled"))
        self.reload()

    # ---- a no-show ---------------------------------------------------------------------------------------

    def action_no_show(self) -> None:
        appointment = self.selected_appointment
        if appointment is not None and self.may_be_no_show(appointment):
            self.read_policy(appointment, no_show=True)

    # ---- managers: extend, freeze, move -------------------------------------------------------------

    def action_extend(self) -> None:
        holding = self.selected_holding
        if holding is None or not self.desk.is_manager or self.lifecycle_problem("extend"):
            return
        self.ask("extend", ReasonDialog(
            f"Extend {holding.title}", f"It {holding.expiry_text}. Extended, an expired package is usable again.",
            parse_delta=parse_days, delta_label="Days more", delta_placeholder="e.g. 14", confirm_label="Extend",
        ), partial(self._extend, holding.id))

    @work(thread=True, exclusive=True, group="extend", exit_on_error=False)
    def _extend(self, holding_id: int, change: Change) -> None:
        desk = self.desk
        holding = desk.write(lifecycle.extend, desk.business, holding_id=holding_id, days=change.delta,
                             reason=change.reason)
        self.post_fresh(self.HoldingChanged(holding, form="extend"))

    def action_freeze(self) -> None:
        holding = self.selected_holding
        if holding is None or not self.desk.is_manager or self.lifecycle_problem("freeze"):
            return
        if holding.frozen is not None:
            self.ask("freeze", ReasonDialog(
                f"End the freeze of {holding.title}", f"It is {holding.expiry_text}. Ended today, the frozen days "
                "not used come off its expiry again.", confirm_label="Unfreeze",
            ), partial(self._unfreeze, holding.id))
            return
        self.ask("freeze", FreezeDialog(holding, self.today), partial(self._freeze, holding.id))

    @work(thread=True, exclusive=True, group="freeze", exit_on_error=False)
    def _freeze(self, holding_id: int, freezing: Freezing) -> None:
        desk = self.desk
        holding = desk.write(lifecycle.freeze, desk.business, holding_id=holding_id, first_day=freezing.first_day,
                             last_day=freezing.last_day, reason=freezing.reason)
        self.post_fresh(self.HoldingChanged(holding, form="freeze"))

    @work(thread=True, exclusive=True, group="freeze", exit_on_error=False)
    def _unfreeze(self, holding_id: int, reason: str) -> None:
        desk = self.desk
        self.post_fresh(self.HoldingChanged(desk.write(lifecycle.unfreeze, desk.business, holding_id=holding_id,
                                                       reason=reason), form="freeze"))

    def action_transfer(self) -> None:
        holding = self.selected_holding
        if holding is None or not self.desk.is_manager or self.lifecycle_problem("transfer") or self.page is None:
            return
        self.ask("transfer", TransferDialog(holding, self.page.customer.name), partial(self._transfer, holding.id))

    @work(thread=True, exclusive=True, group="transfer", exit_on_error=False)
    def _transfer(self, holding_id: int, moving: Moving) -> None:
        desk = self.desk
        self.post_fresh(self.Moved(desk.write(lifecycle.transfer, desk.business, holding_id=holding_id,
                                              to_customer_id=moving.customer_id, reason=moving.reason)))

    @on(Moved)
    def moved(self, message: Moved) -> None:
        self.answered("transfer")
        done = message.transfer
        worth = format_money(done.worth, self.desk.business.currency)
        self.notify(f"{done.target.title} moved: {done.target.balance_text}, worth {worth}, is now on the other "
                    "customer's account.", timeout=8)
        self.reload()

    # ---- managers: merge two records of one customer ---------------------------------------------------

    def action_merge(self) -> None:
        """Merge another record of her into this one (managers); the screen then shows the one kept."""
        if not self.desk.is_manager:
            self.notify("Managers merge customers: ask a manager to sign in (ctrl+l).", severity="warning")
            return
        if self.page is not None:
            self.ask("merge", MergeDialog(self.page.customer), self._merge)

    @work(thread=True, exclusive=True, group="merge", exit_on_error=False)
    def _merge(self, merging: Merging) -> None:
        desk = self.desk
        plan = desk.write(merge_customers, desk.business, keep_id=merging.keep_id, merge_id=merging.merge_id,
                          reason=merging.reason)
        self.app.call_from_thread(self._merged, plan)

    def _merged(self, plan: MergePlan) -> None:
        self.answered("merge")
        self.notify(f"Merged: {plan.summary}.", timeout=8)
        self.customer_id = plan.kept.id
        self.reload()

    # ---- managers: adjust and void --------------------------------------------------------------------

    def action_adjust(self) -> None:
        holding = self.selected_holding
        if holding is None or not self.desk.is_manager:
            return
        currency = self.desk.business.currency
        unit = holding.terms.unit
        line = ""
        if len(holding.lines) > 1:
            line = f" The change goes to its first line ({holding.terms.fixed_lines[0].service_name})."

        self.ask("adjust", ReasonDialog(
            f"Adjust {holding.title}", f"Balance now: {holding.balance_text}.{line}",
            parse_delta=partial(parse_delta, unit=unit, currency=currency), unit_hint=delta_hint(unit, currency),
            confirm_label="Adjust",
        ), partial(self._adjust, holding.id))

    @work(thread=True, exclusive=True, group="adjust", exit_on_error=False)
    def _adjust(self, holding_id: int, change: Change) -> None:
        desk = self.desk
        self.post_fresh(self.HoldingChanged(desk.write(
            ledger.adjust, desk.business, holding_id=holding_id, delta=change.delta, reason=change.reason),
            form="adjust"))

    def action_void(self) -> None:
        holding = self.selected_holding
        if holding is None or not self.desk.is_manager:
            return
        paid = ""
        if holding.paid_money:
            paid = f"\n{format_money(holding.paid_money, self.desk.business.currency)} was paid for it in money."
        self.ask("void", ReasonDialog(
            f"Void {holding.title}",
            f"Its balance ({holding.balance_text}) goes to zero and it covers nothing any more. "
            f"The history keeps every entry.{paid}", confirm_label="Void package",
            refund_of=holding.paid_money, refund_tender=holding.paid_tender,
        ), partial(self._void, holding.id))

    @work(thread=True, exclusive=True, group="void", exit_on_error=False)
    def _void(self, holding_id: int, answer: str | Refunding) -> None:
        desk = self.desk
        reason, refunds = (answer.reason, answer.refunds) if isinstance(answer, Refunding) else (answer, ())
        self.post_fresh(self.Voided(desk.write(ledger.void, desk.business, holding_id=holding_id, reason=reason,
                                               refunds=refunds)))

    @on(Voided)
    def voided(self, message: Voided) -> None:
        self.answered("void")
        result = message.voided
        currency = self.desk.business.currency
        refund = f" Refunded {format_money(result.refunded, currency)}." if result.refunded else ""
        self.notify(f"{result.holding.title} is void.{refund}", timeout=8)
        if result.receipt is not None and self.page is not None:
            self.app.push_screen(RefundReceiptDialog(result.receipt, customer=self.page.customer.name,
                                                     subject=f"{result.holding.title} · void"))
        self.reload()

    @on(HoldingChanged)
    def holding_changed(self, message: HoldingChanged) -> None:
        if message.form:
            self.answered(message.form)
        holding = message.holding
        if message.done:
            self.notify(f"{message.done} {holding.title}: {holding.balance_text}.")
            self.select_holding = holding.id
        else:
            self.notify(f"{holding.title}: {holding.balance_text}" + (" (void)" if holding.voided else "")
                        + f", {holding.expiry_text}.")
        self.reload()

    # ---- her statement -----------------------------------------------------------------------------------

    def action_statement(self) -> None:
        name = self.page.customer.name if self.page is not None else "the customer"
        self.notify(f"Writing {name}'s statement…", timeout=3)
        self._statement()

    @work(thread=True, exclusive=True, group="statement", exit_on_error=False)
    def _statement(self) -> None:
        desk = self.desk
        held = desk.read(statement, desk.business, customer_id=self.customer_id)
        html, pdf = write_both(held, desk.business, statements_folder())
        self.post_fresh(self.StatementWritten(html, pdf))

    @on(StatementWritten)
    def statement_written(self, message: StatementWritten) -> None:
        self.notify(f"Statement written: {message.pdf} (and {message.html.name} beside it, to print).",
                    title="Statement", timeout=12)

    # ---- the customer's details, and more of the page -------------------------------------------------

    def action_edit(self) -> None:
        if self.page is not None:
            self.edit_customer(self.page.customer)

    def customer_saved(self, customer: CustomerView) -> None:
        self.notify(f"Saved {customer.name}.")
        self.reload()

    def action_show_all(self) -> None:
        self.show_all = not self.show_all
        if self.page is not None:
            self.show_holdings()
            self.fit_sections()
            self.refresh_bindings()

    def action_more_history(self) -> None:
        if self.page is None or not self.page.more_history:
            return
        self.read_older(self.query_one("#history", HistoryTable).oldest)

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def read_older(self, before: HistoryCursor | None) -> None:
        desk = self.desk
        self.post_fresh(self.OlderHistory(desk.read(ledger.history, desk.business, customer_id=self.customer_id,
                                                    limit=HISTORY_PAGE + 1, before=before)))

    @on(OlderHistory)
    def show_more_history(self, message: OlderHistory) -> None:
        assert self.page is not None
        lines = message.lines
        table = self.query_one("#history", HistoryTable)
        table.show(lines[:HISTORY_PAGE], tz=self.desk.business.tz, today=self.today, append=True)
        self.page = replace(self.page, history=list(table.lines), more_history=len(lines) > HISTORY_PAGE)
        self.show_history_note()
        self.fit_sections()
        self.refresh_bindings()
