"""A manager's dialogs for a holding's life after its sale: freeze it for some days, or move what
is left of it to another customer. Each asks why; the history keeps the answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Input, Label, Static

from frontdesk.domain.lifecycle import Freeze
from frontdesk.domain.parsing import parse_date
from frontdesk.domain.words import format_day, plural
from frontdesk.screens.dialogs.form import FormDialog
from frontdesk.services.customers import search_customers
from frontdesk.services.views import CustomerView, HoldingView
from frontdesk.widgets.fields import field_error
from frontdesk.widgets.keys_in_order import FieldInput
from frontdesk.widgets.parsed_input import ParsedInput
from frontdesk.widgets.footer import KeysFooter


@dataclass(frozen=True, slots=True)
class Freezing:
    """The days to freeze, and why."""

    first_day: date
    last_day: date
    reason: str


class FreezeDialog(FormDialog[Freezing]):
    """First and last day of the freeze (both included) and a reason; the new expiry is shown as
    the days are typed."""

    FIELDS = ("first_day", "last_day", "reason")

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without freezing", id="cancel"),
        Binding("ctrl+s", "submit", "Freeze", tooltip="Freeze the package for these days", id="freeze"),
    ]

    def __init__(self, holding: HoldingView, today: date) -> None:
        super().__init__()
        self.holding = holding
        self.today = today

    def compose(self) -> ComposeResult:
        until = self.holding.valid_until
        with VerticalScroll(classes="dialog"):
            yield Static(f"Freeze {self.holding.title}", classes="dialog-title")
            yield Static(f"It pays for nothing on the frozen days, and its expiry moves by as many days"
                         f" ({'now ' + format_day(until, self.today.year) if until else 'it has no expiry'}).",
                         classes="dialog-prompt")
            with Horizontal(classes="dialog-row"):
                with Vertical(classes="dialog-field"):
                    yield Label("First day", classes="field-label")
                    yield ParsedInput(parse=self._day, id="first_day", value=self.today.isoformat())
                    yield field_error("first_day")
                with Vertical(classes="dialog-field"):
                    yield Label("Last day", classes="field-label")
                    yield ParsedInput(parse=self._day, id="last_day", placeholder="e.g. 14 Dec")
                    yield field_error("last_day")
            yield Static("", id="freeze-effect", classes="dialog-hint")
            yield Label("Reason", classes="field-label")
            yield FieldInput(id="reason", placeholder="Why? It is kept in the balance history.")
            yield field_error("reason")
            yield field_error("form")
            yield self.buttons("Freeze")
        yield KeysFooter()

    def _day(self, text: str) -> date:
        return parse_date(text, self.today)

    def focus_first(self) -> None:
        self.query_one("#last_day", ParsedInput).focus()

    def span(self) -> Freeze | None:
        first = self.query_one("#first_day", ParsedInput).parsed
        last = self.query_one("#last_day", ParsedInput).parsed
        return Freeze(first, last) if first is not None and last is not None and last >= first else None

    @on(Input.Changed)
    def show_effect(self) -> None:
        span = self.span()
        until = self.holding.valid_until
        words = ""
        if span is not None:
            words = f"{plural(span.days, 'day')} frozen, {span.words(self.today.year)}"
            if until is not None:
                words += f": expiry {format_day(until, self.today.year)} → " \
                         f"{format_day(until + timedelta(days=span.days), self.today.year)}"
        self.query_one("#freeze-effect", Static).update(words)

    def action_submit(self) -> None:
        problems = {}
        days = {}
        for field in ("first_day", "last_day"):
            box = self.query_one(f"#{field}", ParsedInput)
            if box.error or box.parsed is None:
                problems[field] = box.error or "Enter a date like 14 Dec."
            days[field] = box.parsed
        reason = self.value("reason").strip()
        if not reason:
            problems["reason"] = "Give a reason: it is kept in the balance history."
        if problems:
            self.show_errors(problems)
            return
        self.finish(Freezing(days["first_day"], days["last_day"], reason))


@dataclass(frozen=True, slots=True)
class Moving:
    """Who gets what is left of the holding, and why."""

    customer_id: int
    customer_name: str
    reason: str


class TransferDialog(FormDialog[Moving]):
    """Find the customer who gets the balance (name, phone or email), pick her, give a reason."""

    FIELDS = ("find", "customer", "reason")

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without moving anything", id="cancel"),
        Binding("ctrl+s", "submit", "Move", tooltip="Move what is left to the chosen customer", id="move"),
    ]

    @dataclass
    class Found(Message):
        customers: list[CustomerView]

    def __init__(self, holding: HoldingView, owner: str) -> None:
        super().__init__()
        self.holding = holding
        self.owner = owner
        self.found: list[CustomerView] = []

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Static(f"Move {self.holding.title} to another customer", classes="dialog-title")
            yield Static(f"What is left ({self.holding.balance_text}, {self.holding.expiry_text}) leaves "
                         f"{self.owner} and opens for the customer chosen, worth the same.", classes="dialog-prompt")
            yield Label("Find the customer", classes="field-label")
            yield FieldInput(id="find", placeholder="name, phone or email")
            yield DataTable(id="customer", cursor_type="row", zebra_stripes=True)
            yield field_error("customer")
            yield Label("Reason", classes="field-label")
            yield FieldInput(id="reason", placeholder="Why? Both histories keep it.")
            yield field_error("reason")
            yield field_error("form")
            yield self.buttons("Move")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#customer", DataTable).add_columns("Customer", "Phone", "Email")
        super().on_mount()

    @on(Input.Changed, "#find")
    def find(self, event: Input.Changed) -> None:
        self.search(event.value)

    @work(thread=True, exclusive=True, group="find", exit_on_error=False)
    def search(self, query: str) -> None:
        found = self.desk.read(search_customers, query, limit=20) if query.strip() else []
        self.post_fresh(self.Found([customer for customer in found if customer.id != self.holding.customer_id]))

    @on(Found)
    def show_found(self, message: Found) -> None:
        self.found = message.customers
        table = self.query_one("#customer", DataTable)
        table.clear()
        for customer in self.found:
            table.add_row(Text(customer.name, style="bold"), customer.phone or "—", customer.email or "—",
                          key=str(customer.id))

    @on(Input.Submitted, "#find")
    def to_list(self, event: Input.Submitted) -> None:
        event.stop()
        if self.found:
            self.query_one("#customer", DataTable).focus()

    @on(DataTable.RowSelected, "#customer")
    def to_reason(self) -> None:
        self.query_one("#reason", Input).focus()

    @property
    def chosen(self) -> CustomerView | None:
        table = self.query_one("#customer", DataTable)
        return self.found[table.cursor_row] if self.found and 0 <= table.cursor_row < len(self.found) else None

    def action_submit(self) -> None:
        customer, reason = self.chosen, self.value("reason").strip()
        problems = {}
        if customer is None:
            problems["customer"] = "Find and choose the customer who gets it."
        if not reason:
            problems["reason"] = "Give a reason: both histories keep it."
        if problems or customer is None:
            self.show_errors(problems)
            return
        self.finish(Moving(customer.id, customer.name, reason))
