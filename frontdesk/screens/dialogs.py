"""Dialogs shared by the screens: confirm, give a reason (and a balance change), a customer's
details, and assigning a package.

Each is a modal screen that `dismiss`es with its result (None when cancelled). Escape cancels;
ctrl+s (or Enter in the last field) saves. Dialogs that write (`CustomerFormDialog`,
`AssignDialog`, and `ReasonDialog` given `save=`) stay open on a refusal and show each message
under its field, so nothing typed is lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Footer, Input, Label, Static

from frontdesk.domain.describe import format_duration
from frontdesk.domain.money import Currency, format_money, parse_money
from frontdesk.screens.base import DeskModal
from frontdesk.services import customers, sales
from frontdesk.services.catalogue import list_packages
from frontdesk.services.errors import DuplicateCustomer, FrontDeskError, InvalidInput
from frontdesk.services.views import CustomerView, PackageView

DeltaParser = Callable[[str], int]


# ---- parsing a balance change -------------------------------------------------------------------

_SIGNED = re.compile(r"^\s*([+-]?)\s*(.+?)\s*$")
_DURATION = re.compile(r"^(?:(\d+)\s*h(?:ours?|rs?)?)?\s*(?:(\d+)\s*m(?:in(?:utes?)?)?)?$")


def _split_sign(text: str) -> tuple[int, str]:
    """-1 and the rest for "-…", else +1 (a change without a sign adds)."""
    match = _SIGNED.match(text)
    if match is None:
        raise ValueError("Enter + to add or - to take away, e.g. +1 or -1.")
    return (-1 if match.group(1) == "-" else 1), match.group(2)


def parse_visits(text: str) -> int:
    """ "+2" → 2, "-1" → -1."""
    sign, rest = _split_sign(text)
    if not rest.isdigit():
        raise ValueError("Enter whole visits, e.g. +1 or -2.")
    return sign * int(rest)


def parse_minutes(text: str) -> int:
    """ "+30" → 30, "-1h" → -60, "+1 h 30 min" → 90."""
    sign, rest = _split_sign(text)
    if rest.isdigit():
        return sign * int(rest)
    match = _DURATION.match(rest.lower())
    if match is None or not (match.group(1) or match.group(2)):
        raise ValueError("Enter minutes, e.g. +30, -60 or +1h 30m.")
    return sign * (int(match.group(1) or 0) * 60 + int(match.group(2) or 0))


def money_parser(currency: Currency) -> DeltaParser:
    """ "-10.00" → -1000 cents, "+$5" → 500."""

    def parse(text: str) -> int:
        sign, rest = _split_sign(text)
        try:
            return sign * parse_money(rest, currency)
        except ValueError as error:
            raise ValueError(f"Enter an amount like +{format_money(1000, currency)} or "
                             f"-{format_money(1000, currency)} ({error}).") from None

    return parse


def delta_parser(unit: str, currency: Currency) -> tuple[DeltaParser, str]:
    """The parser and a hint for a change to a balance counted in `unit` ("visits", "minutes",
    "money"; see `Terms.unit`)."""
    if unit == "minutes":
        return parse_minutes, f"in minutes: +30, -60, +1h 30m ({format_duration(90)})"
    if unit == "money":
        return money_parser(currency), f"in money: +{format_money(1000, currency)} or -{format_money(1000, currency)}"
    return parse_visits, "in visits: +1 to add one, -1 to take one away"


# ---- shared look ------------------------------------------------------------------------------

def relabel(screen: DeskModal, key: str, description: str) -> None:
    """Show this dialog's own word for a binding in its footer and the command palette (e.g.
    "Void package" instead of "Save")."""
    bindings = screen._bindings.key_to_bindings  # noqa: SLF001 - per-instance copy of BINDINGS
    bindings[key] = [replace(binding, description=description) for binding in bindings.get(key, [])]


def _field_error(field: str) -> Static:
    error = Static("", id=f"{field}-error", classes="field-error")
    error.display = False
    return error


class FormDialog(DeskModal):
    """Shared behaviour: messages under fields, Enter moves to the next field, a save in a
    worker that closes the dialog with its result or shows why it was refused."""

    FIELDS: tuple[str, ...] = ()  # the inputs, in the order Enter walks them
    saving = False  # True while a save runs, so a second press does nothing

    def focus_field_after(self, field_id: str | None) -> bool:
        """Focus the field after `field_id`; False when it was the last one."""
        index = self.FIELDS.index(field_id or "")
        if index + 1 < len(self.FIELDS):
            self.query_one(f"#{self.FIELDS[index + 1]}", Input).focus()
            return True
        return False

    def saved(self, result: Any) -> None:
        self.saving = False
        self.dismiss(result)

    def refused(self, error: FrontDeskError) -> None:
        self.saving = False
        self.show_field_errors(error, self.FIELDS)

    def set_error(self, field: str, message: str) -> None:
        error = self.query_one(f"#{field}-error", Static)
        error.update(message)
        error.display = bool(message)

    def clear_errors(self) -> None:
        for error in self.query(".field-error").results(Static):
            error.update("")
            error.display = False

    def show_field_errors(self, error: FrontDeskError, fields: Sequence[str], general: str = "form") -> None:
        """Each message of an InvalidInput under its field; anything else in the general line."""
        self.clear_errors()
        if isinstance(error, InvalidInput):
            first = None
            for field, message in error.fields.items():
                target = field if field in fields else general
                self.set_error(target, message)
                first = first or (target if target in fields else None)
            if first:
                self.query_one(f"#{first}").focus()
        else:
            self.set_error(general, error.message)

    def action_cancel(self) -> None:
        self.dismiss(None)


# ---- confirm --------------------------------------------------------------------------------------

class ConfirmDialog(DeskModal):
    """A yes/no question; dismisses with True (confirm) or False (Escape / the other button)."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without doing it", id="cancel"),
        Binding("enter", "confirm", "Confirm", tooltip="Do it", id="confirm"),
    ]

    def __init__(self, question: str, confirm_label: str = "Yes", cancel_label: str = "No") -> None:
        super().__init__()
        self.question = question
        self.confirm_label = confirm_label
        self.cancel_label = cancel_label
        relabel(self, "enter", confirm_label)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, id="question", classes="dialog-prompt")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.confirm_label, variant="primary", id="yes")
                yield Button(self.cancel_label, id="no")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed, "#yes")
    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_cancel(self) -> None:
        self.dismiss(False)


# ---- reason (and change) ------------------------------------------------------------------------

class ReasonDialog(FormDialog):
    """Ask why (and, with `ask_delta`, by how much) before a manager's change.

    Dismisses with the reason, or `(delta, reason)` with `ask_delta`, or None when cancelled. With
    `save=` the dialog runs it in a write transaction as `save(session, reason=...)` (plus
    `delta=...`), stays open on InvalidInput with the messages under the fields, and dismisses
    with what `save` returned. `required=False` makes the reason optional (e.g. cancelling).
    """

    FIELDS = ("delta", "reason")

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without changing anything", id="cancel"),
        Binding("ctrl+s", "submit", "Save", tooltip="Do it, with this reason", id="save"),
    ]

    def __init__(
        self, title: str, prompt: str, *, ask_delta: bool = False, unit_hint: str = "",
        parse_delta: DeltaParser | None = None, required: bool = True, confirm_label: str = "Save",
        cancel_label: str = "Cancel", save: Callable[..., Any] | None = None,
    ) -> None:
        super().__init__()
        self.dialog_title = title
        self.prompt = prompt
        self.ask_delta = ask_delta
        self.unit_hint = unit_hint
        self.parse_delta = parse_delta or parse_visits
        self.required = required
        self.confirm_label = confirm_label
        self.cancel_label = cancel_label
        self.save = save
        self.saving = False
        relabel(self, "ctrl+s", confirm_label)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Static(self.dialog_title, classes="dialog-title")
            yield Static(self.prompt, id="prompt", classes="dialog-prompt")
            if self.ask_delta:
                yield Label("Change" + (f" ({self.unit_hint})" if self.unit_hint else ""), classes="field-label")
                yield Input(id="delta", placeholder="+1 or -1")
                yield _field_error("delta")
            yield Label("Reason" if self.required else "Reason (optional)", classes="field-label")
            yield Input(id="reason", placeholder="Why? It is kept in the balance history.")
            yield _field_error("reason")
            yield _field_error("form")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.confirm_label, variant="primary", id="save")
                yield Button(self.cancel_label, id="close")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#delta" if self.ask_delta else "#reason", Input).focus()

    @on(Input.Submitted, "#delta")
    def next_field(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted, "#reason")
    @on(Button.Pressed, "#save")
    def action_submit(self) -> None:
        if self.saving:
            return
        self.clear_errors()
        reason = self.query_one("#reason", Input).value.strip()
        delta = None
        problems = {}
        if self.ask_delta:
            text = self.query_one("#delta", Input).value
            if not text.strip():
                problems["delta"] = "Enter the change, e.g. +1 or -1."
            else:
                try:
                    delta = self.parse_delta(text)
                except ValueError as error:
                    problems["delta"] = str(error)
                else:
                    if delta == 0:
                        problems["delta"] = "Enter a change other than 0."
        if self.required and not reason:
            problems["reason"] = "Give a reason: it is kept in the balance history."
        if problems:
            self.show_field_errors(InvalidInput(problems), ["delta", "reason"])
            return
        if self.save is None:
            self.dismiss((delta, reason) if self.ask_delta else reason)
            return
        self.saving = True
        extra = {"delta": delta} if self.ask_delta else {}
        self.run_db(self.save, reason=reason, **extra, write=True, then=self.saved, failed=self.refused)


    @on(Button.Pressed, "#close")
    def close(self) -> None:
        self.dismiss(None)


# ---- customer form ------------------------------------------------------------------------------

CUSTOMER_FIELDS = ("name", "phone", "email", "note")


class CustomerFormDialog(FormDialog):
    """New or edit customer; dismisses with the saved CustomerView (or None).

    A same phone or email as another customer is shown, with their names, before anything is
    saved: ctrl+s again saves anyway; ctrl+o opens the existing customer instead (new only).
    """

    FIELDS = CUSTOMER_FIELDS

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving", id="cancel"),
        Binding("ctrl+s", "submit", "Save", tooltip="Save this customer", id="save"),
        Binding("ctrl+o", "open_existing", "Open existing", tooltip="Open the customer with the same phone or email",
                id="open-existing"),
    ]

    def __init__(self, customer: CustomerView | None = None, *, name: str = "", phone: str = "",
                 email: str = "", note: str = "") -> None:
        super().__init__()
        self.customer = customer
        self.values = {
            "name": customer.name if customer else name,
            "phone": customer.phone if customer else phone,
            "email": customer.email if customer else email,
            "note": customer.note if customer else note,
        }
        self.duplicates: tuple[tuple[int, str], ...] = ()
        self.confirmed_for: tuple[str, str] | None = None  # the phone and email the warning was about
        self.saving = False

    def compose(self) -> ComposeResult:
        title = f"Edit {self.customer.name}" if self.customer else "New customer"
        labels = {"name": "Name", "phone": "Phone", "email": "Email", "note": "Note"}
        placeholders = {"name": "First and last name", "phone": "(555) 201-3344",
                        "email": "name@example.com", "note": "Anything the desk should know"}
        with VerticalScroll(classes="dialog"):
            yield Static(title, classes="dialog-title")
            for field in CUSTOMER_FIELDS:
                with Horizontal(classes="form-row"):
                    yield Label(labels[field], classes="field-label")
                    yield Input(self.values[field], id=field, placeholder=placeholders[field])
                yield _field_error(field)
            warning = Static("", id="duplicate-warning")
            warning.display = False
            yield warning
            yield _field_error("form")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="close")
        yield Footer()

    def on_mount(self) -> None:
        first_empty = next((f for f in ("name", "phone", "email") if not self.values[f]), "name")
        self.query_one(f"#{first_empty if not self.customer else 'name'}", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_existing":
            return bool(self.duplicates) and self.customer is None
        return True

    def field_values(self) -> dict[str, str]:
        return {field: self.query_one(f"#{field}", Input).value for field in CUSTOMER_FIELDS}

    @on(Input.Changed, "#phone, #email")
    def contact_changed(self) -> None:
        """A new phone or email needs a new duplicate check."""
        values = self.field_values()
        if self.confirmed_for is not None and self.confirmed_for != (values["phone"], values["email"]):
            self.confirmed_for = None
            self.duplicates = ()
            self.query_one("#duplicate-warning", Static).display = False
            self.query_one("#save", Button).label = "Save"
            self.refresh_bindings()

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        if not self.focus_field_after(event.input.id):
            self.action_submit()

    @on(Button.Pressed, "#save")
    def action_submit(self) -> None:
        if self.saving:
            return
        self.clear_errors()
        values = self.field_values()
        allow = self.confirmed_for == (values["phone"], values["email"])
        self.saving = True
        if self.customer is None:
            self.run_db(customers.create_customer, **values, allow_duplicate=allow, write=True,
                        then=self.saved, failed=self.refused)
        else:
            self.run_db(customers.update_customer, customer_id=self.customer.id, **values,
                        allow_duplicate=allow, write=True, then=self.saved, failed=self.refused)

    def refused(self, error: FrontDeskError) -> None:
        self.saving = False
        if isinstance(error, DuplicateCustomer):
            values = self.field_values()
            self.duplicates = error.matches
            self.confirmed_for = (values["phone"], values["email"])
            names = ", ".join(name for _, name in error.matches)
            keys = "ctrl+s again: save anyway · ctrl+o: open " + error.matches[0][1] if self.customer is None \
                else "ctrl+s again: save anyway · Escape: cancel"
            warning = self.query_one("#duplicate-warning", Static)
            warning.update(Text.assemble(("Same phone or email as ", ""), (names, "bold"), (".\n", ""), keys))
            warning.display = True
            self.query_one("#save", Button).label = "Save anyway"
            self.refresh_bindings()
            warning.scroll_visible()
            return
        self.show_field_errors(error, self.FIELDS)

    def action_open_existing(self) -> None:
        if self.duplicates:
            self.run_db(customers.get_customer, self.duplicates[0][0], then=self.dismiss)

    @on(Button.Pressed, "#close")
    def close(self) -> None:
        self.dismiss(None)


# ---- assign a package ---------------------------------------------------------------------------

class AssignDialog(FormDialog):
    """A manager gives a customer a package without payment (Not-for-sale ones listed first),
    with a reason; dismisses with the new HoldingView (or None)."""

    FIELDS = ("reason", "package")

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without assigning", id="cancel"),
        Binding("ctrl+s", "submit", "Assign", tooltip="Give the chosen package with this reason", id="assign"),
    ]

    def __init__(self, customer_id: int, customer_name: str = "") -> None:
        super().__init__()
        self.customer_id = customer_id
        self.customer_name = customer_name
        self.packages: list[PackageView] = []
        self.saving = False

    def compose(self) -> ComposeResult:
        whom = f" to {self.customer_name}" if self.customer_name else ""
        with Vertical(classes="dialog"):
            yield Static(f"Assign a package{whom}", classes="dialog-title")
            yield Static("Given without payment. Not-for-sale packages are listed first.", classes="dialog-prompt")
            yield DataTable(id="package", cursor_type="row", zebra_stripes=True)
            yield _field_error("package")
            yield Label("Reason", classes="field-label")
            yield Input(id="reason", placeholder="Why? It is kept in the balance history.")
            yield _field_error("reason")
            yield _field_error("form")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Assign", variant="primary", id="save")
                yield Button("Cancel", id="close")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#package", DataTable)
        table.add_columns("Package", "Sold for", "Contents")
        table.focus()
        self.run_db(list_packages, self.desk.business, then=self.show_packages)

    def show_packages(self, packages: list[PackageView]) -> None:
        self.packages = sorted(packages, key=lambda p: (p.terms.for_sale, p.title.lower()))
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

    @on(Input.Submitted, "#reason")
    @on(Button.Pressed, "#save")
    def action_submit(self) -> None:
        if self.saving:
            return
        self.clear_errors()
        package = self.chosen
        reason = self.query_one("#reason", Input).value.strip()
        problems = {}
        if package is None:
            problems["package"] = "Choose a package."
        if not reason:
            problems["reason"] = "Give a reason: it is kept in the balance history."
        if problems:
            self.show_field_errors(InvalidInput(problems), ["reason", "package"])
            return
        assert package is not None
        desk = self.desk
        self.saving = True
        self.run_db(sales.assign, desk.business, customer_id=self.customer_id, package_id=package.id,
                    reason=reason, actor=desk.staff_id, now=desk.now(), write=True,
                    then=self.saved, failed=self.refused)


    @on(Button.Pressed, "#close")
    def close(self) -> None:
        self.dismiss(None)
