"""A customer's details: new or edit, with a warning before a second customer gets the same phone
or email."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, Label, Static

from frontdesk.screens.base import DeskScreen
from frontdesk.screens.dialogs.confirm import ConfirmDialog
from frontdesk.screens.dialogs.form import FormDialog
from frontdesk.widgets.fields import field_error
from frontdesk.services import customers
from frontdesk.services.errors import DuplicateCustomer, FrontDeskError
from frontdesk.services.views import CustomerView
from frontdesk.widgets.keys_in_order import FieldInput
from frontdesk.widgets.footer import KeysFooter

CUSTOMER_FIELDS = ("name", "phone", "email", "note")
LABELS = {"name": "Name", "phone": "Phone", "email": "Email", "note": "Note"}
PLACEHOLDERS = {"name": "First and last name", "phone": "(555) 201-3344", "email": "name@example.com",
                "note": "Anything the desk should know"}


@dataclass(frozen=True, slots=True)
class CustomerDetails:
    """What the form sends: the details, and whether a same phone or email was accepted."""

    customer_id: int | None  # None: a new customer
    name: str
    phone: str
    email: str
    note: str
    allow_duplicate: bool


@dataclass(frozen=True, slots=True)
class OpenExisting:
    """Open the customer who already has that phone or email, instead of adding another."""

    id: int


class CustomerFormDialog(FormDialog[CustomerDetails | OpenExisting]):
    """New or edit customer.

    When the desk refuses the details because another customer has the same phone or email
    (`DuplicateCustomer`), the form comes back with their names: ctrl+s again sends them anyway;
    ctrl+o opens the existing customer instead (new customers only).
    """

    FIELDS = CUSTOMER_FIELDS

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving (asks first if you changed something)",
                id="cancel"),
        Binding("ctrl+s", "submit", "Save", tooltip="Save this customer", id="save"),
        Binding("ctrl+o", "open_existing", "Open existing", tooltip="Open the customer with the same phone or email",
                id="open-existing"),
    ]

    def __init__(self, customer: CustomerView | None = None, *, name: str = "", phone: str = "",
                 email: str = "", note: str = "") -> None:
        super().__init__()
        self.customer = customer
        self.values = {"name": name, "phone": phone, "email": email, "note": note}
        if customer is not None:
            self.values = {"name": customer.name, "phone": customer.phone, "email": customer.email,
                           "note": customer.note}
        self.duplicates: tuple[tuple[int, str], ...] = ()
        self.confirmed_for: tuple[str, str] | None = None  # the phone and email the warning was about

    def compose(self) -> ComposeResult:
        title = f"Edit {self.customer.name}" if self.customer else "New customer"
        with VerticalScroll(classes="dialog"):
            yield Static(title, classes="dialog-title")
            for field in CUSTOMER_FIELDS:
                with Horizontal(classes="form-row"):
                    yield Label(LABELS[field], classes="field-label")
                    yield FieldInput(self.values[field], id=field, placeholder=PLACEHOLDERS[field])
                yield field_error(field)
            warning = Static("", id="duplicate-warning")
            warning.display = False
            yield warning
            yield field_error("form")
            yield self.buttons()
        yield KeysFooter()

    def focus_first(self) -> None:
        first_empty = next((f for f in ("name", "phone", "email") if not self.values[f]), "name")
        self.query_one(f"#{first_empty if not self.customer else 'name'}", Input).focus()

    def show_refusal(self, refusal: FrontDeskError) -> None:
        if not isinstance(refusal, DuplicateCustomer):
            super().show_refusal(refusal)
            return
        values = self.field_values()
        self.duplicates = refusal.matches
        self.confirmed_for = (values["phone"], values["email"])
        names = ", ".join(name for _, name in refusal.matches)
        keys = ("ctrl+s again: save anyway · ctrl+o: open " + refusal.matches[0][1] if self.customer is None
                else "ctrl+s again: save anyway · Escape: cancel")
        warning = self.query_one("#duplicate-warning", Static)
        warning.update(Text.assemble("Same phone or email as ", (names, "bold"), ".\n", keys))
        warning.display = True
        self.query_one("#save", Button).label = "Save anyway"
        self.refresh_bindings()
        warning.scroll_visible()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_existing":
            return bool(self.duplicates) and self.customer is None
        return True

    def field_values(self) -> dict[str, str]:
        return {field: self.value(field) for field in CUSTOMER_FIELDS}

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

    @property
    def changed(self) -> bool:
        """Something typed differs from what the form opened with."""
        return self.field_values() != self.values

    def action_cancel(self) -> None:
        """Escape (or Cancel): close; with changes typed, ask first, as the package editor does."""
        if not self.changed:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        what = f"to {self.customer.name}" if self.customer else "to this new customer"
        self.app.push_screen(ConfirmDialog(f"Discard your changes {what}?", confirm_label="Discard",
                                           cancel_label="Keep editing"), answered)

    def action_submit(self) -> None:
        values = self.field_values()
        self.finish(CustomerDetails(
            customer_id=self.customer.id if self.customer else None, **values,
            allow_duplicate=self.confirmed_for == (values["phone"], values["email"]),
        ))

    def action_open_existing(self) -> None:
        if self.duplicates and self.customer is None:
            self.finish(OpenExisting(self.duplicates[0][0]))


# ---- the screens that open it: ask, then save ----------------------------------------------------

@dataclass
class CustomerSaved(Message):
    """A customer was added or changed."""

    customer: CustomerView


class EditsCustomers(DeskScreen[None]):
    """For screens that add or edit customers: `edit_customer` opens the form and saves its answer
    in a worker (a refusal shows in the form), then posts `CustomerSaved`; ctrl+o in the form
    opens the existing customer instead."""

    def edit_customer(self, customer: CustomerView | None = None, **prefill: str) -> None:
        self.ask("customer-form", CustomerFormDialog(customer, **prefill), self._customer_answered)

    def _customer_answered(self, answer: CustomerDetails | OpenExisting) -> None:
        if isinstance(answer, OpenExisting):
            self.answered("customer-form")
            self.app.open_customer(answer.id)
        else:
            self._save_customer(answer)

    @work(thread=True, exclusive=True, group="customer-form", exit_on_error=False)
    def _save_customer(self, details: CustomerDetails) -> None:
        fields = {"name": details.name, "phone": details.phone, "email": details.email, "note": details.note,
                  "allow_duplicate": details.allow_duplicate}
        if details.customer_id is None:
            saved = self.desk.write(customers.create_customer, self.desk.business, **fields)
        else:
            saved = self.desk.write(customers.update_customer, self.desk.business, customer_id=details.customer_id,
                                    **fields)
        self.post_fresh(CustomerSaved(saved))

    def on_customer_saved(self, message: CustomerSaved) -> None:
        self.answered("customer-form")
        self.customer_saved(message.customer)

    def customer_saved(self, customer: CustomerView) -> None:
        """What the screen does once the customer is saved."""
