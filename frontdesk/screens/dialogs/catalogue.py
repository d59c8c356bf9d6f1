"""A service's or a provider's details (managers): small forms, a message under each field."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.widgets import Input, Label, Static

from frontdesk.domain.money import format_money
from frontdesk.domain.parsing import parse_minutes
from frontdesk.screens.dialogs.form import FormDialog, ResultType
from frontdesk.widgets.fields import field_error
from frontdesk.services.views import ServiceView
from frontdesk.widgets.keys_in_order import FieldInput
from frontdesk.widgets.money_input import MoneyInput
from frontdesk.widgets.parsed_input import ParsedInput
from frontdesk.widgets.footer import KeysFooter


@dataclass(frozen=True, slots=True)
class ServiceDetails:
    service_id: int | None  # None: a new service
    name: str
    duration_min: int
    price: int


@dataclass(frozen=True, slots=True)
class ProviderDetails:
    name: str


class CatalogueForm(FormDialog[ResultType]):
    """A small form: a message under each field, Enter moves on, ctrl+s saves, Escape cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving", id="cancel"),
        Binding("ctrl+s", "submit", "Save", tooltip="Save and close", id="save"),
    ]

    def field_row(self, field: str, label: str, box: Input) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Label(label, classes="field-label")
            yield box
        yield field_error(field)

    def action_submit(self) -> None:
        problems = {field: box.error for field in self.FIELDS
                    for box in self.query(f"#{field}").results(ParsedInput) if box.error}
        if not self.value("name").strip():
            problems["name"] = "Enter a name."
        for field in self.FIELDS:
            box = self.query_one(f"#{field}", Input)
            if not box.value.strip() and field in self.REQUIRED:
                problems.setdefault(field, self.REQUIRED[field])
        if problems:
            self.show_errors(problems)
            return
        self.finish(self.answer_from_fields())

    REQUIRED: dict[str, str] = {}

    def answer_from_fields(self) -> ResultType:
        raise NotImplementedError



class ServiceDialog(CatalogueForm[ServiceDetails]):
    """New service (`service=None`) or edit one."""

    FIELDS = ("name", "duration_min", "price")
    REQUIRED = {"duration_min": "Enter the duration, like 60 or 1h30.",
                "price": "Enter a price, like 80.00 (0 for free)."}

    def __init__(self, service: ServiceView | None = None) -> None:
        super().__init__()
        self.service = service

    def compose(self) -> ComposeResult:
        currency = self.desk.business.currency
        service = self.service
        with Vertical(classes="dialog"):
            yield Static(f"Edit {escape(service.name)}" if service else "New service", classes="dialog-title")
            yield from self.field_row("name", "Name", FieldInput(service.name if service else "", id="name",
                                                              placeholder="e.g. Swedish Massage"))
            yield from self.field_row("duration_min", "Minutes", ParsedInput(
                str(service.duration_min) if service else "", parse=parse_minutes, id="duration_min",
                placeholder="Duration in minutes, e.g. 60"))
            yield from self.field_row("price", "Price", MoneyInput(
                service.price if service else None, id="price", border_message=False,
                placeholder=f"e.g. {format_money(8000, currency)}"))
            if service:
                yield Static("Packages already sold keep what they cover.", classes="dialog-note")
            yield field_error("form")
            yield self.buttons()
        yield KeysFooter()

    def answer_from_fields(self) -> ServiceDetails:
        duration = self.query_one("#duration_min", ParsedInput).parsed
        price = self.query_one("#price", MoneyInput).amount
        assert duration is not None and price is not None
        return ServiceDetails(self.service.id if self.service else None, self.value("name"), duration, price)


class ProviderDialog(CatalogueForm[ProviderDetails]):
    """New provider."""

    FIELDS = ("name",)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("New provider", classes="dialog-title")
            yield from self.field_row("name", "Name", FieldInput(id="name",
                                                              placeholder="Who gives the treatments, e.g. Anna"))
            yield field_error("form")
            yield self.buttons()
        yield KeysFooter()

    def answer_from_fields(self) -> ProviderDetails:
        return ProviderDetails(self.value("name"))


