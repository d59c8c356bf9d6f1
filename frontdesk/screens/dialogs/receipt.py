"""The receipt after a checkout: every payment line, the money taken, and each used holding's
balance afterwards; the receipt of a package sold on its own (from the customer's page); and the
receipt of a refund (money given back on a cancellation or void)."""

from __future__ import annotations

from collections.abc import Callable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from frontdesk.domain.kinds import Tender
from frontdesk.domain.money import format_money
from frontdesk.screens.base import DeskModal
from frontdesk.services.checkout import Paid
from frontdesk.services.tenders import TenderLine
from frontdesk.services.views import HoldingView, PaymentLine, Receipt
from frontdesk.domain.periods import local_date
from frontdesk.widgets.appointments import when_text
from frontdesk.widgets.footer import KeysFooter


def payment_table(payments: tuple[PaymentLine, ...], money: Callable[[int], str], *, taken_words: str) -> Table:
    """Each payment line and its amount, then the money by tender ("Money taken: card $40.00")."""
    lines = Table.grid(padding=(0, 2), expand=True)
    lines.add_column(ratio=1)
    lines.add_column(justify="right")
    for line in payments:
        lines.add_row(Text(line.description), money(line.amount))
    taken: dict[str, int] = {}
    for line in payments:
        if line.tender != Tender.PACKAGE:
            taken[line.tender] = taken.get(line.tender, 0) + line.amount
    if taken:
        lines.add_row(Text(f"{taken_words}: " + " + ".join(f"{tender} {money(abs(amount))}"
                                                            for tender, amount in taken.items()),
                           style="bold"), Text(money(abs(sum(taken.values()))), style="bold"))
    return lines


class ReceiptDialog(DeskModal[Receipt]):
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
        when = when_text(appointment.starts_at, business.tz, local_date(self.desk.now(), business.tz))
        with Vertical(id="receipt-box"):
            yield Static(Text.assemble(("Paid ✓ ", "bold"), (appointment.customer_name, "bold")), id="receipt-title")
            yield Static(Text(f"{appointment.service_name} · {when}"
                              + (f" · with {appointment.provider_name}" if appointment.provider_name else "")),
                         id="receipt-appointment")
            lines = payment_table(paid.receipt.payments, money, taken_words="Money taken")
            if not any(line.tender != Tender.PACKAGE for line in paid.receipt.payments):
                lines.add_row(Text("No money taken: paid from the package.", style="dim"), "")
            yield Static(lines, id="receipt-lines")
            balances = Text()
            for holding in paid.holdings:
                if balances:
                    balances.append("\n")
                balances.append(holding.title, style="bold")
                held = f" · {holding.held_text}" if holding.held_text else ""
                left = "unlimited" if holding.balance_text == "unlimited" else \
                    f"{holding.balance_text.removesuffix(held)} left{held}"
                balances.append(f": {left} · {holding.expiry_text}")
            yield Static(balances, id="receipt-balances")
            if paid.receipt.replayed:
                yield Static("This checkout had already been recorded: nothing was charged twice.",
                             id="receipt-replayed")
            yield Static("Enter or Esc: done", id="receipt-hint")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#receipt-box").border_title = "Receipt"

    def action_done(self) -> None:
        self.dismiss(self.paid.receipt)


class SaleReceiptDialog(ReceiptDialog):
    """The receipt of a package sold on its own, as a checkout ends on one: what was sold to whom,
    each tender, the money taken, and the new package's balance and expiry."""

    def __init__(self, holding: HoldingView, tenders: tuple[TenderLine, ...], *, customer: str) -> None:
        DeskModal.__init__(self)
        self.holding = holding
        self.tenders = tenders
        self.customer = customer

    def compose(self) -> ComposeResult:
        money = lambda amount: format_money(amount, self.desk.business.currency)  # noqa: E731
        holding = self.holding
        payments = tuple(PaymentLine(tender=line.tender, amount=line.amount, holding_id=holding.id,
                                     holding_title=holding.title, description=f"{line.tender} for {holding.title}")
                         for line in self.tenders if line.amount)
        with Vertical(id="receipt-box"):
            yield Static(Text.assemble(("Sold ✓ ", "bold"), (self.customer, "bold")), id="receipt-title")
            yield Static(Text(holding.title), id="receipt-appointment")
            lines = payment_table(payments, money, taken_words="Money taken")
            if not payments:
                lines.add_row(Text("No money taken: it was free.", style="dim"), "")
            yield Static(lines, id="receipt-lines")
            left = "unlimited" if holding.balance_text == "unlimited" else f"{holding.balance_text} left"
            yield Static(Text.assemble((holding.title, "bold"), f": {left} · {holding.expiry_text}"),
                         id="receipt-balances")
            yield Static("Enter or Esc: done", id="receipt-hint")
        yield KeysFooter()

    def action_done(self) -> None:
        self.dismiss(None)


class RefundReceiptDialog(DeskModal[Receipt]):
    """The receipt of a refund: for whom and what, each tender given back, and the total."""

    BINDINGS = ReceiptDialog.BINDINGS

    def __init__(self, receipt: Receipt, *, customer: str, subject: str) -> None:
        super().__init__()
        self.receipt = receipt
        self.customer = customer
        self.subject = subject  # "Swedish Massage · Tue 3 Mar 11:00", "Massage Pack (void)"

    def compose(self) -> ComposeResult:
        money = lambda amount: format_money(amount, self.desk.business.currency)  # noqa: E731
        with Vertical(id="receipt-box"):
            yield Static(Text.assemble(("Refunded ✓ ", "bold"), (self.customer, "bold")), id="receipt-title")
            yield Static(self.subject, id="receipt-appointment")
            yield Static(payment_table(self.receipt.payments, money, taken_words="Money given back"),
                         id="receipt-lines")
            yield Static("Enter or Esc: done", id="receipt-hint")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#receipt-box").border_title = "Refund"

    def action_done(self) -> None:
        self.dismiss(self.receipt)
