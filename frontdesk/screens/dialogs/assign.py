"""A manager gives a customer a package without payment, with a reason."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Label, Static

from frontdesk.domain.money import format_money
from frontdesk.screens.dialogs.form import FormDialog
from frontdesk.widgets.fields import field_error
from frontdesk.services.catalogue import list_packages
from frontdesk.services.views import PackageView
from frontdesk.widgets.keys_in_order import FieldInput
from frontdesk.widgets.footer import KeysFooter


@dataclass(frozen=True, slots=True)
class Assignment:
    """Which package to give, and why."""

    package_id: int
    title: str
    reason: str


class AssignDialog(FormDialog[Assignment]):
    """Choose a package (Not-for-sale ones listed first) and give a reason."""

    FIELDS = ("package", "reason")

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without assigning", id="cancel"),
        Binding("ctrl+s", "submit", "Assign", tooltip="Give the chosen package with this reason", id="assign"),
    ]

    @dataclass
    class PackagesRead(Message):
        packages: list[PackageView]

    def __init__(self, customer_id: int, customer_name: str = "") -> None:
        super().__init__()
        self.customer_id = customer_id
        self.customer_name = customer_name
        self.packages: list[PackageView] = []

    def compose(self) -> ComposeResult:
        whom = f" to {self.customer_name}" if self.customer_name else ""
        with Vertical(classes="dialog"):
            yield Static(f"Assign a package{whom}", classes="dialog-title")
            yield Static("Given without payment. Not-for-sale packages are listed first.", classes="dialog-prompt")
            yield DataTable(id="package", cursor_type="row", zebra_stripes=True)
            yield field_error("package")
            yield Label("Reason", classes="field-label")
            yield FieldInput(id="reason", placeholder="Why? It is kept in the balance history.")
            yield field_error("reason")
            yield field_error("form")
            yield self.buttons("Assign")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#package", DataTable).add_columns("Package", "Sold for", "Contents")
        super().on_mount()
        self.read_packages()

    def focus_first(self) -> None:
        self.query_one("#package", DataTable).focus()

    @work(thread=True, exclusive=True, group="packages", exit_on_error=False)
    def read_packages(self) -> None:
        self.post_fresh(self.PackagesRead(self.desk.read(list_packages, self.desk.business)))

    @on(PackagesRead)
    def show_packages(self, message: PackagesRead) -> None:
        self.packages = sorted(message.packages, key=lambda p: (p.terms.for_sale, p.title.lower()))
        table = self.query_one("#package", DataTable)
        table.clear()
        currency = self.desk.business.currency
        for package in self.packages:
            sold_for = format_money(package.terms.price, currency) if package.terms.for_sale else "Not for sale"
            table.add_row(Text(package.title, style="bold"), Text(sold_for), Text(package.summary),
                          key=str(package.id))
        if not self.packages:
            self.set_error("package", "There are no packages to assign: add one in the package editor (F2).")

    @property
    def chosen(self) -> PackageView | None:
        table = self.query_one("#package", DataTable)
        if not self.packages or not 0 <= table.cursor_row < len(self.packages):
            return None
        return self.packages[table.cursor_row]

    @on(DataTable.RowSelected, "#package")
    def to_reason(self) -> None:
        self.query_one("#reason", Input).focus()

    def action_submit(self) -> None:
        package = self.chosen
        reason = self.value("reason").strip()
        problems = {}
        if package is None:
            problems["package"] = "Choose a package."
        if not reason:
            problems["reason"] = "Give a reason: it is kept in the balance history."
        if problems or package is None:
            self.show_errors(problems)
            return
        self.finish(Assignment(package.id, package.title, reason))
