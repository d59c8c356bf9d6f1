"""Services and providers: the lists, and the dialogs that add and edit them (managers).

`ServicesScreen` shows two tables — Services (name, duration, price, archived) and Providers
(name, archived); Tab moves between them. Managers add (`n`) to the focused table, edit a service
(Enter / `e`) and archive or restore (`a`, after a confirmation) the highlighted row; reception
sees the lists read-only. Archived rows stay listed (dimmed), so they can be brought back.

`ServiceDialog` and `ProviderDialog` are modal forms: each message sits under its field and
nothing is saved while a field is invalid; ctrl+s (or Enter in the last field) saves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Static

from frontdesk.domain.describe import format_duration
from frontdesk.domain.money import format_money, parse_money
from frontdesk.screens.base import DeskScreen
from frontdesk.screens.dialogs import ConfirmDialog, FormDialog
from frontdesk.services import catalogue
from frontdesk.services.errors import InvalidInput
from frontdesk.services.views import ProviderView, ServiceView

if TYPE_CHECKING:
    from sqlmodel import Session

SERVICE_FIELDS = ("name", "duration_min", "price")


def parse_duration(text: str) -> int:
    """Whole minutes ("60", "90 min"); ValueError with the message to show otherwise."""
    cleaned = text.strip().lower().removesuffix("minutes").removesuffix("min").strip()
    if not cleaned.isdigit():
        raise ValueError("Enter the duration in whole minutes, like 60.")
    return int(cleaned)


def load_catalogue(session: Session) -> tuple[list[ServiceView], list[ProviderView]]:
    """Every service and provider, archived ones too, through the catalogue use cases."""
    return (catalogue.list_services(session, include_archived=True),
            catalogue.list_providers(session, include_archived=True))


# ---- the dialogs ------------------------------------------------------------------------------

class _CatalogueForm(FormDialog):
    """A small form: a message under each field, Enter moves on, ctrl+s saves, Escape cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving", id="cancel"),
        Binding("ctrl+s", "submit", "Save", tooltip="Save and close", id="save"),
    ]

    def field_row(self, field: str, label: str, value: str, placeholder: str) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Label(label, classes="field-label")
            yield Input(value, id=field, placeholder=placeholder)
        error = Static("", id=f"{field}-error", classes="field-error")
        error.display = False
        yield error

    def buttons(self) -> ComposeResult:
        error = Static("", id="form-error", classes="field-error")
        error.display = False
        yield error
        with Horizontal(classes="dialog-buttons"):
            yield Button("Save", variant="primary", id="save")
            yield Button("Cancel", id="close")

    def on_mount(self) -> None:
        self.query_one(f"#{self.FIELDS[0]}", Input).focus()

    def value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        if not self.focus_field_after(event.input.id):
            self.action_submit()

    @on(Button.Pressed, "#save")
    def action_submit(self) -> None:
        if self.saving:
            return
        problems: dict[str, str] = {}
        values = self.read_form(problems)
        if problems:
            self.show_field_errors(InvalidInput(problems), self.FIELDS)
            return
        self.clear_errors()
        self.saving = True
        self.save(values)

    def read_form(self, problems: dict[str, str]) -> dict[str, Any]:
        raise NotImplementedError

    def save(self, values: dict[str, Any]) -> None:
        raise NotImplementedError

    @on(Button.Pressed, "#close")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ServiceDialog(_CatalogueForm):
    """New service (`service=None`) or edit one; dismisses with the saved ServiceView (or None)."""

    FIELDS = SERVICE_FIELDS

    def __init__(self, service: ServiceView | None = None) -> None:
        super().__init__()
        self.service = service

    def compose(self) -> ComposeResult:
        currency = self.desk.business.currency
        service = self.service
        price = format_money(service.price, currency).replace(currency.symbol, "", 1).strip() if service else ""
        with Vertical(classes="dialog"):
            yield Static(f"Edit {escape(service.name)}" if service else "New service", classes="dialog-title")
            yield from self.field_row("name", "Name", service.name if service else "", "e.g. Swedish Massage")
            yield from self.field_row("duration_min", "Minutes", str(service.duration_min) if service else "",
                                      "Duration in minutes, e.g. 60")
            yield from self.field_row("price", "Price", price, f"e.g. {format_money(8000, currency)}")
            if service:
                yield Static("Packages already sold keep what they cover.", classes="dialog-note")
            yield from self.buttons()
        yield Footer()

    def read_form(self, problems: dict[str, str]) -> dict[str, Any]:
        values: dict[str, Any] = {"name": self.value("name")}
        if not values["name"].strip():
            problems["name"] = "Enter a name."
        try:
            values["duration_min"] = parse_duration(self.value("duration_min"))
            if values["duration_min"] < 1:
                problems["duration_min"] = "The duration must be at least 1 minute."
        except ValueError as error:
            problems["duration_min"] = str(error)
        try:
            values["price"] = parse_money(self.value("price"), self.desk.business.currency)
        except ValueError as error:
            message = str(error).strip()
            problems["price"] = message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")
        return values

    def save(self, values: dict[str, Any]) -> None:
        actor = self.desk.staff_id
        if self.service is None:
            self.run_db(catalogue.add_service, **values, actor=actor, write=True,
                        then=self.saved, failed=self.refused)
        else:
            self.run_db(catalogue.update_service, service_id=self.service.id, **values, actor=actor,
                        write=True, then=self.saved, failed=self.refused)


class ProviderDialog(_CatalogueForm):
    """New provider; dismisses with the saved ProviderView (or None)."""

    FIELDS = ("name",)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("New provider", classes="dialog-title")
            yield from self.field_row("name", "Name", "", "Who gives the treatments, e.g. Anna")
            yield from self.buttons()
        yield Footer()

    def read_form(self, problems: dict[str, str]) -> dict[str, Any]:
        name = self.value("name")
        if not name.strip():
            problems["name"] = "Enter a name."
        return {"name": name}

    def save(self, values: dict[str, Any]) -> None:
        self.run_db(catalogue.add_provider, **values, actor=self.desk.staff_id, write=True,
                    then=self.saved, failed=self.refused)


# ---- the screen -------------------------------------------------------------------------------

class ServicesScreen(DeskScreen):
    """The services and providers the desk books; managers add, edit and archive them."""

    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to the previous screen", id="back"),
        Binding("tab", "switch", "Switch table", tooltip="Move between the services and the providers", id="switch-table"),
        Binding("n", "new", "New", tooltip="Add a service or provider to the focused table (managers)",
                id="new-catalogue-item"),
        Binding("e", "edit", "Edit", tooltip="Change the highlighted service (managers)", id="edit-service"),
        Binding("a", "archive", "Archive", tooltip="Stop offering the highlighted row (managers)",
                id="archive-catalogue-item"),
        Binding("a", "restore", "Restore", tooltip="Offer the highlighted archived row again (managers)",
                id="restore-catalogue-item"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.services: list[ServiceView] = []
        self.providers: list[ProviderView] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="catalogue-readonly")
        with Horizontal(id="catalogue"):
            with Vertical(id="services-pane", classes="pane"):
                yield Static("Services", id="services-title", classes="pane-title")
                yield DataTable(id="services", cursor_type="row", zebra_stripes=True)
            with Vertical(id="providers-pane", classes="pane"):
                yield Static("Providers", id="providers-title", classes="pane-title")
                yield DataTable(id="providers", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        services = self.query_one("#services", DataTable)
        services.add_column("Service", key="name")
        services.add_column("Duration", key="duration")
        services.add_column("Price", key="price")
        services.add_column("", key="archived")
        providers = self.query_one("#providers", DataTable)
        providers.add_column("Provider", key="name")
        providers.add_column("", key="archived")
        readonly = self.query_one("#catalogue-readonly", Static)
        readonly.update("Read only: only a manager can change services and providers.")
        readonly.display = not self.desk.is_manager
        services.focus()
        self.load()

    # ---- loading ----------------------------------------------------------------------------------

    def load(self, select: tuple[str, int] | None = None) -> None:
        self.run_db(load_catalogue, then=lambda lists: self.show(*lists, select=select))

    def show(self, services: list[ServiceView], providers: list[ProviderView],
             select: tuple[str, int] | None = None) -> None:
        currency = self.desk.business.currency
        self.services, self.providers = services, providers
        rows: dict[str, list[tuple[int, list[Text], bool]]] = {
            "services": [(s.id, [Text(s.name), Text(format_duration(s.duration_min)),
                                 Text(format_money(s.price, currency)),
                                 Text("archived" if s.archived else "")], s.archived) for s in services],
            "providers": [(p.id, [Text(p.name), Text("archived" if p.archived else "")], p.archived)
                          for p in providers],
        }
        for table_id, table_rows in rows.items():
            table = self.query_one(f"#{table_id}", DataTable)
            keep = self._current_id(table_id)
            if select is not None and select[0] == table_id:
                keep = select[1]
            table.clear()
            for row_id, cells, archived in table_rows:
                if archived:
                    for cell in cells:
                        cell.stylize("dim")
                table.add_row(*cells, key=str(row_id))
            ids = [row_id for row_id, _, _ in table_rows]
            if keep in ids:
                table.move_cursor(row=ids.index(keep))
        self.query_one("#services-title", Static).update(self._title("Services", services, "offered"))
        self.query_one("#providers-title", Static).update(self._title("Providers", providers, "working"))
        self.refresh_bindings()

    @staticmethod
    def _title(label: str, rows: list[ServiceView] | list[ProviderView], word: str) -> str:
        active = sum(1 for row in rows if not row.archived)
        if not rows:
            return f"{label} · none yet"
        title = f"{label} · {active} {word}"
        return title + (f", {len(rows) - active} archived" if len(rows) > active else "")

    # ---- what is highlighted ----------------------------------------------------------------------

    @property
    def focused_table(self) -> str:
        return "providers" if self.query_one("#providers", DataTable).has_focus else "services"

    def _current_id(self, table_id: str) -> int | None:
        row = self._current(table_id)
        return row.id if row is not None else None

    def _current(self, table_id: str) -> ServiceView | ProviderView | None:
        rows: list[Any] = self.providers if table_id == "providers" else self.services
        cursor = self.query_one(f"#{table_id}", DataTable).cursor_row
        return rows[cursor] if rows and 0 <= cursor < len(rows) else None

    @property
    def current(self) -> ServiceView | ProviderView | None:
        return self._current(self.focused_table)

    @on(DataTable.RowHighlighted)
    def highlighted(self) -> None:
        self.refresh_bindings()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#services")
    def selected(self) -> None:
        if self.check_action("edit", ()):
            self.action_edit()

    # ---- actions ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        manager = self.desk.is_manager
        row = self.current
        if action == "new":
            return True if manager else None
        if action == "edit":
            if self.focused_table != "services":
                return False
            return True if manager and row is not None else None
        if action == "restore":
            if row is None or not row.archived:
                return False
            return True if manager else None
        if action == "archive":
            if row is not None and row.archived:
                return False
            return True if manager and row is not None else None
        return True

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_switch(self) -> None:
        other = "services" if self.focused_table == "providers" else "providers"
        self.query_one(f"#{other}", DataTable).focus()

    def action_new(self) -> None:
        table_id = self.focused_table
        dialog = ProviderDialog() if table_id == "providers" else ServiceDialog()
        self.app.push_screen(dialog, lambda view: self.saved(table_id, view))

    def action_edit(self) -> None:
        row = self._current("services")
        if self.focused_table == "services" and isinstance(row, ServiceView):
            self.app.push_screen(ServiceDialog(row), lambda view: self.saved("services", view))

    def saved(self, table_id: str, view: ServiceView | ProviderView | None) -> None:
        if view is not None:
            self.notify(f"{view.name} saved.")
            self.load(select=(table_id, view.id))

    def action_archive(self) -> None:
        self._set_archived(True)

    def action_restore(self) -> None:
        self._set_archived(False)

    def _set_archived(self, archived: bool) -> None:
        table_id = self.focused_table
        row = self.current
        if row is None:
            return
        name = escape(row.name)
        if table_id == "services":
            use_case = catalogue.archive_service
            effect = ("It can no longer be booked or added to packages; past appointments and "
                      "packages already sold keep it.") if archived else "It can be booked again."
        else:
            use_case = catalogue.archive_provider
            effect = ("They can no longer be booked; past appointments keep their name."
                      if archived else "They can be booked again.")
        verb = "Archive" if archived else "Restore"
        question = f"{verb} [b]{name}[/b]? {effect}"

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.run_db(use_case, row.id, archived, actor=self.desk.staff_id, write=True, then=done)

        def done(view: ServiceView | ProviderView) -> None:
            self.notify(f"{view.name} {'archived' if view.archived else 'restored'}.")
            self.load(select=(table_id, view.id))

        self.app.push_screen(ConfirmDialog(question, confirm_label=verb, cancel_label="Keep as is"), confirmed)
