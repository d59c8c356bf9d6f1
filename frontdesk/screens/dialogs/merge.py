"""A manager merges another record of the same person into the customer on screen: her likely
duplicates (same phone or email) are offered first, any other customer can be found by name,
phone or email; what will move is shown for the one highlighted, a reason is asked, and ctrl+s
twice confirms. ctrl+r keeps the other record instead of this one."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Input, Label, Static

from frontdesk.screens.dialogs.form import FormDialog
from frontdesk.services.customers import MergePlan, find_duplicates, merge_plan, search_customers
from frontdesk.services.views import CustomerView
from frontdesk.widgets.fields import field_error
from frontdesk.widgets.keys_in_order import FieldInput
from frontdesk.widgets.footer import KeysFooter


@dataclass(frozen=True, slots=True)
class Merging:
    """Which customer stays, which one is merged into her, and why."""

    keep_id: int
    merge_id: int
    reason: str


class MergeDialog(FormDialog[Merging]):
    """Choose the other record of this customer, see what moves, give a reason, confirm."""

    FIELDS = ("find", "customer", "reason")

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without merging", id="cancel"),
        Binding("ctrl+r", "swap", "Keep other", tooltip="Keep the chosen record instead of this one", id="swap"),
        Binding("ctrl+s", "submit", "Merge", tooltip="Merge the two records (asks once more)", id="merge"),
    ]

    @dataclass
    class Found(Message):
        customers: list[CustomerView]
        duplicates: int  # how many of them, first, have her phone or email

    @dataclass
    class Planned(Message):
        plan: MergePlan

    def __init__(self, customer: CustomerView) -> None:
        super().__init__()
        self.customer = customer
        self.found: list[CustomerView] = []
        self.keep_other = False
        self.plan: MergePlan | None = None
        self.confirming: tuple[int, int] | None = None  # (kept, merged) asked to confirm

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Static(f"Merge another record into {self.customer.name} (#{self.customer.id})",
                         classes="dialog-title")
            yield Static("Her packages, appointments and payments move to the one kept; its empty phone, email "
                         "and note are filled in. The other stays in the history, and is found no more.",
                         classes="dialog-prompt")
            yield Label("Find the other record (her likely duplicates are listed first)", classes="field-label")
            yield FieldInput(id="find", placeholder="name, phone or email")
            yield DataTable(id="customer", cursor_type="row", zebra_stripes=True)
            yield field_error("customer")
            yield Static("", id="merge-moves", classes="dialog-prompt")
            yield Label("Reason", classes="field-label")
            yield FieldInput(id="reason", placeholder="Why? The audit trail keeps it.")
            yield field_error("reason")
            yield field_error("form")
            yield self.buttons("Merge")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#customer", DataTable).add_columns("Customer", "Phone", "Email")
        super().on_mount()
        self.search("")

    @on(Input.Changed, "#find")
    def find(self, event: Input.Changed) -> None:
        self.search(event.value)

    @work(thread=True, exclusive=True, group="find", exit_on_error=False)
    def search(self, query: str) -> None:
        """Her likely duplicates (same phone or email, then the same name) before what is typed finds."""
        me, desk = self.customer, self.desk
        likely = desk.read(find_duplicates, desk.business, phone=me.phone, email=me.email, exclude_id=me.id)
        same_name = desk.read(search_customers, me.name, limit=10)
        found = desk.read(search_customers, query, limit=20) if query.strip() else []
        shown: dict[int, CustomerView] = {}
        for customer in likely + same_name + found:
            if customer.id != me.id:
                shown.setdefault(customer.id, customer)
        self.post_fresh(self.Found(list(shown.values()), len(likely)))

    @on(Found)
    def show_found(self, message: Found) -> None:
        self.found = message.customers
        table = self.query_one("#customer", DataTable)
        table.clear()
        for number, customer in enumerate(self.found):
            name = Text(customer.name, style="bold")
            if number < message.duplicates:
                name.append(" · same phone or email", style="italic")
            table.add_row(name, customer.phone or "—", customer.email or "—", key=str(customer.id))
        if self.found:
            self.read_plan()
        else:
            self.query_one("#merge-moves", Static).update("No other record found: type a name, phone or email.")

    @on(DataTable.RowHighlighted, "#customer")
    def highlighted(self) -> None:
        self.read_plan()

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

    def pair(self, other: CustomerView) -> tuple[int, int]:
        """(kept, merged)."""
        return (other.id, self.customer.id) if self.keep_other else (self.customer.id, other.id)

    def read_plan(self) -> None:
        other = self.chosen
        self.confirming = None
        if other is not None:
            keep_id, merge_id = self.pair(other)
            self.plan_for(keep_id, merge_id)

    @work(thread=True, exclusive=True, group="plan", exit_on_error=False)
    def plan_for(self, keep_id: int, merge_id: int) -> None:
        self.post_fresh(self.Planned(self.desk.read(merge_plan, keep_id=keep_id, merge_id=merge_id)))

    @on(Planned)
    def show_plan(self, message: Planned) -> None:
        plan = self.plan = message.plan
        filled = f"; her {' and '.join(plan.filled)} filled in" if plan.filled else ""
        self.query_one("#merge-moves", Static).update(Text.assemble(
            "Keeps ", (f"{plan.kept.name} (#{plan.kept.id})", "bold"), "; moves ", plan.moves, " from ",
            (f"{plan.merged.name} (#{plan.merged.id})", "bold"), filled, ". ctrl+r keeps the other."))

    def action_swap(self) -> None:
        self.keep_other = not self.keep_other
        self.read_plan()

    def action_submit(self) -> None:
        other, reason = self.chosen, self.value("reason").strip()
        problems = {}
        if other is None:
            problems["customer"] = "Find and choose the other record of this customer."
        if not reason:
            problems["reason"] = "Give a reason: the audit trail keeps it."
        if problems or other is None:
            self.show_errors(problems)
            return
        keep_id, merge_id = self.pair(other)
        plan = self.plan
        if plan is None or (plan.kept.id, plan.merged.id) != (keep_id, merge_id):
            return  # what moves is still being read
        if self.confirming != (keep_id, merge_id):
            self.confirming = (keep_id, merge_id)
            self.clear_errors()
            self.set_error("form", f"Press ctrl+s again to merge: {plan.summary}. It cannot be undone.")
            return
        self.finish(Merging(keep_id, merge_id, reason))
