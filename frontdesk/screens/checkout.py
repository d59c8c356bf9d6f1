"""Appointment checkout: pay from a package, with money, or both — or sell a package and apply it.

The screen shows the appointment, every holding of the customer judged against it (✓ and what it
takes, or ✗ and every reason), and a last row "No package — pay by money". The cursor starts on
the holding the appointment was booked to be covered by (if it covers), else on the default (the
one that expires first), else on "No package". Below: what the package pays, the rest and how
the rest is paid (card by default; cash, other, or split).

A checkout key is made when the screen is created and sent with every attempt, so a double press
or a retry after an error can never spend twice: the use case returns the first receipt for a
key it knows. The receipt opens on screen; closing it returns to the previous screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import uuid4

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Input, Static

from frontdesk.domain.describe import format_duration
from frontdesk.domain.money import format_money
from frontdesk.screens.base import DeskModal, DeskScreen
from frontdesk.screens.sell import Sale, SellDialog, take_words
from frontdesk.services.appointments import checkout, customer_holdings, get_appointment, options
from frontdesk.models import Tender
from frontdesk.services.errors import AlreadyPaid, FrontDeskError, InvalidInput, NoBalanceLeft, NotCovered
from frontdesk.services.sales import TenderLine
from frontdesk.services.views import AppointmentView, Business, HoldingView, Option, Receipt
from frontdesk.widgets.tenders import TenderChooser

NO_PACKAGE = "no-package"
TENDERS = Binding.Group("Rest by")


# ---- reads and writes the screen runs in workers ------------------------------------------------

@dataclass(frozen=True, slots=True)
class CheckoutFacts:
    appointment: AppointmentView
    options: list[Option]


def load_checkout(session: Session, business: Business, *, appointment_id: int, now) -> CheckoutFacts:
    """The appointment and every holding of its customer judged against it, in one read."""
    return CheckoutFacts(get_appointment(session, appointment_id),
                         options(session, business, appointment_id=appointment_id, now=now))


@dataclass(frozen=True, slots=True)
class Paid:
    """What a checkout did, with the appointment and the used holdings as they are afterwards."""

    receipt: Receipt
    appointment: AppointmentView
    holdings: list[HoldingView]


def pay_and_read(session: Session, business: Business, *, now, **checkout_args) -> Paid:
    """`appointments.checkout`, then (in the same transaction) the balances it left."""
    receipt = checkout(session, business, now=now, **checkout_args)
    appointment = get_appointment(session, receipt.appointment_id)
    used = {line.holding_id for line in receipt.payments if line.holding_id is not None}
    holdings = [view for view in customer_holdings(session, business, customer_id=appointment.customer_id, now=now)
                if view.id in used]
    return Paid(receipt, appointment, holdings)


def when_text(appointment: AppointmentView, business: Business) -> str:
    """"Tue 3 Mar 14:00"."""
    start = appointment.starts_at.astimezone(business.tz)
    return f"{start:%a} {start.day} {start:%b %H:%M}"


# ---- widgets ------------------------------------------------------------------------------------

class OptionsTable(DataTable):
    """The holdings table; Enter (the key, not a mouse click) asks to pay with the highlighted row."""

    @dataclass
    class Chosen(Message):
        table: OptionsTable

    def action_select_cursor(self) -> None:
        self.post_message(self.Chosen(self))


class ReceiptDialog(DeskModal):
    """The receipt: every payment line, the total, and the balance left on each used holding."""

    BINDINGS = [
        Binding("enter", "done", "Done", tooltip="Close the receipt and go back", id="receipt-done"),
        Binding("escape", "done", "Done", show=False),
    ]

    def __init__(self, paid: Paid) -> None:
        super().__init__()
        self.paid = paid

    def compose(self) -> ComposeResult:
        business = self.desk.business
        money = lambda amount: format_money(amount, business.currency)  # noqa: E731
        paid = self.paid
        appointment = paid.appointment
        with Vertical(id="receipt-box"):
            yield Static(Text.assemble(("Paid ✓ ", "bold"), (appointment.customer_name, "bold")), id="receipt-title")
            yield Static(Text(f"{appointment.service_name} · {when_text(appointment, business)}"
                              + (f" · with {appointment.provider_name}" if appointment.provider_name else "")),
                         id="receipt-appointment")
            lines = Table.grid(padding=(0, 2), expand=True)
            lines.add_column(ratio=1)
            lines.add_column(justify="right")
            for line in paid.receipt.payments:
                lines.add_row(Text(line.description), money(line.amount))
            taken: dict[str, int] = {}
            for line in paid.receipt.payments:
                if line.tender != Tender.PACKAGE:
                    taken[line.tender] = taken.get(line.tender, 0) + line.amount
            if taken:
                lines.add_row(Text("Money taken: " + " + ".join(f"{tender} {money(amount)}"
                                                                for tender, amount in taken.items()),
                                   style="bold"), Text(money(sum(taken.values())), style="bold"))
            else:
                lines.add_row(Text("No money taken: paid from the package.", style="dim"), "")
            yield Static(lines, id="receipt-lines")
            balances = Text()
            for holding in paid.holdings:
                if balances:
                    balances.append("\n")
                balances.append(holding.title, style="bold")
                left = "unlimited" if holding.balance_text == "unlimited" else f"{holding.balance_text} left"
                balances.append(f": {left} · {holding.expiry_text}")
            yield Static(balances, id="receipt-balances")
            if paid.receipt.replayed:
                yield Static("This checkout had already been recorded: nothing was charged twice.",
                             id="receipt-replayed")
            yield Static("Enter or Esc: done", id="receipt-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#receipt-box").border_title = "Receipt"

    def action_done(self) -> None:
        self.dismiss(self.paid.receipt)


# ---- the screen ---------------------------------------------------------------------------------

class CheckoutScreen(DeskScreen):
    """Check out one appointment."""

    TITLE = "Checkout"
    BINDINGS = [
        Binding("p", "pay", "Pay", key_display="⏎/p", tooltip="Pay with the highlighted package and the rest as shown",
                id="pay"),
        Binding("k", "tender('card')", "Card", tooltip="Pay the rest by card", id="rest-card", group=TENDERS),
        Binding("h", "tender('cash')", "Cash", tooltip="Pay the rest in cash", id="rest-cash", group=TENDERS),
        Binding("o", "tender('other')", "Other", tooltip="Pay the rest by another tender", id="rest-other",
                group=TENDERS),
        Binding("t", "tender('split')", "Split", tooltip="Split the rest between cash, card and other",
                id="rest-split", group=TENDERS),
        Binding("s", "sell", "Sell & apply", tooltip="Sell a package and apply it to this appointment now",
                id="sell-apply"),
        Binding("escape", "back", "Back", tooltip="Back without paying (or leave split)", id="checkout-back"),
    ]

    def __init__(self, appointment_id: int) -> None:
        super().__init__()
        self.appointment_id = appointment_id
        self.key = uuid4().hex  # one checkout, one key: every retry of it sends the same key
        self.appointment: AppointmentView | None = None
        self.options: list[Option] = []
        self.paying = False
        self._table_width = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading the appointment…", id="checkout-appointment")
        yield OptionsTable(id="checkout-options", cursor_type="row", zebra_stripes=False)
        yield Static(id="checkout-pays")
        yield TenderChooser(id="checkout-tenders")
        yield Static(id="checkout-message")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    # ---- loading ----------------------------------------------------------------------------------

    def reload(self) -> None:
        self.run_db(load_checkout, self.desk.business, appointment_id=self.appointment_id,
                    now=self.desk.now(), then=self._show_facts, failed=self._load_failed)

    def _load_failed(self, error: FrontDeskError) -> None:
        self._say(error.message, error=True)

    def _show_facts(self, facts: CheckoutFacts) -> None:
        business = self.desk.business
        money = lambda amount: format_money(amount, business.currency)  # noqa: E731
        self.appointment = appointment = facts.appointment
        self.options = facts.options
        head = Text.assemble(
            (appointment.customer_name, "bold"), " · ", (appointment.service_name, "bold"), " · ",
            when_text(appointment, business), " · ", format_duration(appointment.duration_min),
            f" · with {appointment.provider_name}" if appointment.provider_name else "",
        )
        head.append("\n")
        if appointment.status == "cancelled":
            head.append("Cancelled: nothing to pay.", style="bold")
        elif appointment.due == 0:
            head.append(f"Paid in full ({money(appointment.price)}).", style="bold")
        else:
            head.append(f"Price {money(appointment.price)} · paid {money(appointment.paid)} · ")
            head.append(f"due {money(appointment.due)}", style="bold")
        self.query_one("#checkout-appointment", Static).update(head)

        self._fill_table(self._preselected_row())
        self.query_one(OptionsTable).focus()
        self._update_choice()

    def _fill_table(self, cursor_row: int) -> None:
        """One row per holding and a last "No package" row. The reasons column takes the width
        that is left and wraps, so every reason stays readable at 80 columns."""
        assert self.appointment is not None
        appointment = self.appointment
        table = self.query_one(OptionsTable)
        table.clear(columns=True)
        cells = []
        for option in self.options:
            holding, coverage = option.holding, option.coverage
            title = Text(holding.title)
            marks = (["default"] if option.is_default else []) + (
                ["booked"] if coverage.ok and holding.id == appointment.cover_holding_id else [])
            if marks:
                title.append("  " + " · ".join(marks), style="bold")
            if coverage.ok:
                mark, why = Text("✓", style="bold green"), Text(take_words(coverage, holding.terms))
            else:
                mark, why = Text("✗", style="bold red"), Text("; ".join(coverage.reasons))
            cells.append((str(holding.id), mark, title, Text(holding.balance_text), why))
        money = format_money(appointment.due, self.desk.business.currency)
        cells.append((NO_PACKAGE, Text("–"), Text("No package — pay by money", style="italic"), Text(""),
                      Text(money)))
        title_width = max(cell_len(row[2].plain) for row in cells)
        balance_width = max([cell_len("Balance")] + [cell_len(row[3].plain) for row in cells])
        width = table.size.width or self.size.width - 2
        why_width = max(24, width - 1 - title_width - balance_width - 4 * 2 - 2)
        table.add_column("", width=1)
        table.add_column("Package", width=title_width)
        table.add_column("Balance", width=balance_width)
        table.add_column("This appointment", width=why_width)
        for key, *row in cells:
            table.add_row(*row, key=key, height=None)
        self._table_width = width
        table.move_cursor(row=cursor_row, animate=False)

    def on_resize(self) -> None:
        table = self.query_one(OptionsTable)
        if self.appointment is not None and table.size.width and table.size.width != self._table_width:
            self._fill_table(table.cursor_row)

    def _preselected_row(self) -> int:
        """The holding it was booked to be covered by (if it covers), else the default, else money."""
        assert self.appointment is not None
        covering = [index for index, option in enumerate(self.options) if option.coverage.ok]
        for index in covering:
            if self.options[index].holding.id == self.appointment.cover_holding_id:
                return index
        for index in covering:
            if self.options[index].is_default:
                return index
        return len(self.options)

    # ---- the choice -------------------------------------------------------------------------------

    def chosen(self) -> Option | None:
        """The highlighted holding, or None for "No package"."""
        table = self.query_one(OptionsTable)
        if not self.options or table.cursor_row >= len(self.options) or table.cursor_row < 0:
            return None
        return self.options[table.cursor_row]

    def package_pays(self) -> int:
        option = self.chosen()
        if option is None or not option.coverage.ok or option.coverage.take is None:
            return 0
        return option.coverage.take.value

    def rest(self) -> int:
        if self.appointment is None:
            return 0
        return max(self.appointment.due - self.package_pays(), 0)

    @on(DataTable.RowHighlighted, "#checkout-options")
    def _highlighted(self) -> None:
        if self.appointment is not None:
            self._update_choice()

    def _update_choice(self) -> None:
        assert self.appointment is not None
        business = self.desk.business
        money = lambda amount: format_money(amount, business.currency)  # noqa: E731
        option = self.chosen()
        pays = self.query_one("#checkout-pays", Static)
        if self.appointment.due == 0 or self.appointment.status == "cancelled":
            pays.update("")
        elif option is None:
            pays.update(Text.assemble(("No package: ", "bold"), f"{money(self.appointment.due)} to pay with money."))
        elif option.coverage.ok:
            holding = option.holding
            pays.update(Text.assemble(
                (holding.title, "bold"), f" pays {money(self.package_pays())}",
                f" ({take_words(option.coverage, holding.terms)})", f" · {holding.expiry_text}",
            ))
        else:
            pays.update(Text.assemble(
                ("✗ ", "bold red"), (option.holding.title, "bold"), " does not cover this appointment: ",
                "; ".join(option.coverage.reasons), ". Choose another row, or “No package”.",
            ))
        chooser = self.query_one(TenderChooser)
        chooser.set_due(self.rest(), lead="Pay" if option is None else "Rest")
        chooser.display = not (self.appointment.due == 0 or self.appointment.status == "cancelled"
                               or (option is not None and not option.coverage.ok))
        self.refresh_bindings()

    # ---- actions ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return None if self.paying else True
        if action not in ("pay", "tender", "sell"):
            return True
        appointment = self.appointment
        if appointment is None or self.paying or appointment.due == 0 or appointment.status == "cancelled":
            return None
        if action == "sell":
            return True
        option = self.chosen()
        if option is not None and not option.coverage.ok:
            return None
        if action == "tender":
            return True if self.rest() > 0 else None
        return True if self.query_one(TenderChooser).tenders is not None else None

    @on(OptionsTable.Chosen)
    def _enter_on_row(self) -> None:
        self.action_pay()

    @on(Input.Submitted)
    def _enter_in_split(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_pay()

    @on(TenderChooser.Changed)
    def _tenders_changed(self) -> None:
        self.refresh_bindings()

    def action_tender(self, mode: str) -> None:
        self.query_one(TenderChooser).set_mode(mode)
        if mode == "split":
            self._say("Type the amounts (Tab moves between them); Enter pays; Esc leaves split.")
        else:
            self.query_one(OptionsTable).focus()
            self._say("")
        self.refresh_bindings()

    def action_back(self) -> None:
        if self.paying:
            return
        chooser = self.query_one(TenderChooser)
        if chooser.mode == "split" and self.focused in chooser.split_inputs:
            chooser.set_mode("card")
            self.query_one(OptionsTable).focus()
            self._say("")
            return
        self.dismiss(None)

    def _problem(self) -> str | None:
        """Why Pay cannot go ahead now, in words; None when it can."""
        appointment = self.appointment
        if appointment is None:
            return "Still loading the appointment."
        if appointment.status == "cancelled":
            return "This appointment was cancelled: nothing to pay."
        if appointment.due == 0:
            return "This appointment is already paid."
        option = self.chosen()
        if option is not None and not option.coverage.ok:
            return (f"{option.holding.title} does not cover this appointment: "
                    f"{'; '.join(option.coverage.reasons)}. Choose another row, or “No package”.")
        return self.query_one(TenderChooser).problem

    def action_pay(self) -> None:
        if self.paying:
            return
        problem = self._problem()
        if problem:
            self._say(problem, error=True)
            return
        option = self.chosen()
        tenders = self.query_one(TenderChooser).tenders or []
        self._checkout(package=option.holding.id if option else None, tenders=tenders,
                       doing=f"Paying with {option.holding.title}…" if option else "Paying…")

    def action_sell(self) -> None:
        if self.appointment is None or self.paying:
            return
        self.app.push_screen(SellDialog(self.appointment.customer_id, self.appointment_id), self._sold)

    def _sold(self, sale: Sale | None) -> None:
        if sale is None or self.appointment is None:
            self.query_one(OptionsTable).focus()
            return
        rest = max(self.appointment.due - sale.pays, 0)
        mode = self.query_one(TenderChooser).mode
        if rest and mode == "split":
            self._say(f"{sale.title} would pay {format_money(sale.pays, self.desk.business.currency)}: "
                      "choose card, cash or other for the rest (k, h, o), then sell again.", error=True)
            return
        tenders = [TenderLine(Tender(mode), rest)] if rest else []
        self._checkout(package=None, tenders=tenders, sell_package_id=sale.package_id,
                       sale_tenders=list(sale.tenders), doing=f"Selling {sale.title} and applying it…")

    def _checkout(self, *, doing: str, **kwargs) -> None:
        try:
            actor = self.desk.staff_id
        except FrontDeskError as error:
            self._say(error.message, error=True)
            return
        self.paying = True
        self._say(doing)
        self.refresh_bindings()
        self.run_db(pay_and_read, self.desk.business, key=self.key, appointment_id=self.appointment_id,
                    actor=actor, now=self.desk.now(), write=True, then=self._paid, failed=self._failed,
                    **kwargs)

    def _paid(self, paid: Paid) -> None:
        self.paying = False
        self._say("")
        self.app.push_screen(ReceiptDialog(paid), self._receipt_closed)

    def _receipt_closed(self, receipt: Receipt | None) -> None:
        self.dismiss(receipt)

    def _failed(self, error: FrontDeskError) -> None:
        self.paying = False
        if isinstance(error, InvalidInput):
            text = " ".join(error.fields.values())
        else:
            text = error.message
        if isinstance(error, (NotCovered, NoBalanceLeft, AlreadyPaid)):
            text += " The choices were read again: check the highlighted row, then pay."
            self.reload()
        self._say(text, error=True)
        self.refresh_bindings()

    def _say(self, text: str, error: bool = False) -> None:
        message = self.query_one("#checkout-message", Static)
        message.update(text)
        message.set_class(error, "-error")
