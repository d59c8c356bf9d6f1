"""Services and providers: the lists, and the dialogs that add and edit them (managers).

`ServicesScreen` shows two tables — Services (name, duration, price, archived) and Providers
(name, archived); Tab moves between them. Managers add (`n`) to the focused table, edit a service
(Enter / `e`) and archive or restore (`a`, after a confirmation) the highlighted row, keep the
opening hours (`o`) and say which services the highlighted provider gives (`g`); reception sees
the lists read-only. Archived rows stay listed (dimmed), so they can be brought back.

Adding and editing go through `ServiceDialog` and `ProviderDialog` (frontdesk/screens/dialogs):
each message sits under its field and nothing is saved while a field is invalid.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.message import Message
from textual.widgets import DataTable, Header, Static

from frontdesk.domain.describe import format_duration
from frontdesk.domain.money import format_money
from frontdesk.screens.base import DeskScreen
from frontdesk.screens.dialogs.catalogue import ProviderDetails, ProviderDialog, ServiceDetails, ServiceDialog
from frontdesk.screens.dialogs.confirm import ConfirmDialog
from frontdesk.domain.schedule import OpeningHours
from frontdesk.screens.dialogs.schedule import Gives, OpeningHoursDialog, ProviderServicesDialog, Week
from frontdesk.services import catalogue, schedule
from frontdesk.services.schedule import ProviderServices, opening_hours
from frontdesk.services.catalogue import ServicesAndProviders, services_and_providers
from frontdesk.services.views import ProviderView, ServiceView
from frontdesk.widgets.footer import KeysFooter


# ---- the screen -------------------------------------------------------------------------------

class ServicesScreen(DeskScreen[None]):
    """The services and providers the desk books; managers add, edit and archive them."""

    MANAGER_ACTIONS = frozenset({"new", "edit", "archive", "restore", "hours", "provider_services"})
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
        Binding("o", "hours", "Hours", tooltip="The opening hours bookings must fit (managers)", id="opening-hours"),
        Binding("g", "provider_services", "Gives", tooltip="The services the highlighted provider gives (managers)",
                id="provider-services"),
    ]

    @dataclass
    class ListsRead(Message):
        lists: ServicesAndProviders
        select: tuple[str, int] | None  # (table, row id) to highlight
        hours: OpeningHours | None = None

    @dataclass
    class GivesRead(Message):
        gives: ProviderServices

    @dataclass
    class Saved(Message):
        table: str
        row: ServiceView | ProviderView
        done: str  # "saved", "archived", "restored"

    def __init__(self) -> None:
        super().__init__()
        self.services: list[ServiceView] = []
        self.providers: list[ProviderView] = []
        self.hours: OpeningHours | None = None

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
        yield KeysFooter()

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

    @work(thread=True, exclusive=True, group="read", exit_on_error=False)
    def load(self, select: tuple[str, int] | None = None) -> None:
        desk = self.desk
        self.post_fresh(self.ListsRead(desk.read(services_and_providers), select, desk.read(opening_hours)))

    @on(ListsRead)
    def lists_read(self, message: ListsRead) -> None:
        self.hours = message.hours
        self.show(message.lists.services, message.lists.providers, select=message.select)

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

    def why_not(self, action: str) -> str | None:
        if self.desk.is_manager and action in ("edit", "archive") and self.current is None:
            return "Nothing highlighted: n adds one."
        if action == "provider_services" and self.desk.is_manager:
            return "Highlight a provider first (Tab moves to the providers)."
        return super().why_not(action)

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
        if action == "hours":
            return True if manager else None
        if action == "provider_services":
            return True if manager and self.focused_table == "providers" and row is not None else None
        return True

    # ---- opening hours and what each provider gives ------------------------------------------------

    def action_hours(self) -> None:
        self.ask("save-hours", OpeningHoursDialog(self.hours), self.save_hours)

    @work(thread=True, exclusive=True, group="save-hours", exit_on_error=False)
    def save_hours(self, week: Week) -> None:
        desk = self.desk
        self.post_fresh(self.HoursSaved(desk.write(schedule.set_opening_hours, days=list(week))))

    @dataclass
    class HoursSaved(Message):
        hours: OpeningHours

    @on(HoursSaved)
    def hours_saved(self, message: HoursSaved) -> None:
        self.answered("save-hours")
        self.hours = message.hours
        self.notify(f"Opening hours saved: {message.hours.words}.")

    def action_provider_services(self) -> None:
        row = self._current("providers")
        if self.focused_table == "providers" and row is not None:
            self.read_gives(row.id)

    @work(thread=True, exclusive=True, group="read-gives", exit_on_error=False)
    def read_gives(self, provider_id: int) -> None:
        self.post_fresh(self.GivesRead(self.desk.read(schedule.provider_services, provider_id=provider_id)))

    @on(GivesRead)
    def gives_read(self, message: GivesRead) -> None:
        provider_id = message.gives.provider.id
        self.ask("save-gives", ProviderServicesDialog(message.gives),
                 lambda gives: self.save_gives(provider_id, gives))

    @work(thread=True, exclusive=True, group="save-gives", exit_on_error=False)
    def save_gives(self, provider_id: int, gives: Gives) -> None:
        saved = self.desk.write(schedule.set_provider_services, provider_id=provider_id,
                                all_services=gives.all_services, service_ids=gives.service_ids)
        self.post_fresh(self.GivesSaved(saved))

    @dataclass
    class GivesSaved(Message):
        gives: ProviderServices

    @on(GivesSaved)
    def gives_saved(self, message: GivesSaved) -> None:
        self.answered("save-gives")
        gives = message.gives
        names = [service.name for service in gives.services if service.id in gives.service_ids]
        self.notify(f"{gives.provider.name} gives " + ("every service." if gives.all_services
                                                       else ", ".join(names) + "."))

    def action_back(self) -> None:
        self.app.back_from_area()

    def action_switch(self) -> None:
        other = "services" if self.focused_table == "providers" else "providers"
        self.query_one(f"#{other}", DataTable).focus()

    def action_new(self) -> None:
        if self.focused_table == "providers":
            self.ask("save-provider", ProviderDialog(), self.save_provider)
        else:
            self.ask("save-service", ServiceDialog(), self.save_service)

    def action_edit(self) -> None:
        row = self._current("services")
        if self.focused_table == "services" and isinstance(row, ServiceView):
            self.ask("save-service", ServiceDialog(row), self.save_service)

    @work(thread=True, exclusive=True, group="save-service", exit_on_error=False)
    def save_service(self, details: ServiceDetails) -> None:
        desk = self.desk
        fields = {"name": details.name, "duration_min": details.duration_min, "price": details.price}
        if details.service_id is None:
            view = desk.write(catalogue.add_service, desk.business, **fields)
        else:
            view = desk.write(catalogue.update_service, desk.business, service_id=details.service_id, **fields)
        self.post_fresh(self.Saved("services", view, "saved"))

    @work(thread=True, exclusive=True, group="save-provider", exit_on_error=False)
    def save_provider(self, details: ProviderDetails) -> None:
        desk = self.desk
        self.post_fresh(self.Saved("providers", desk.write(catalogue.add_provider, name=details.name), "saved"))

    @on(Saved)
    def saved(self, message: Saved) -> None:
        self.answered(f"save-{message.table.removesuffix('s')}")
        self.notify(f"{message.row.name} {message.done}.")
        self.load(select=(message.table, message.row.id))

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
            effect = ("It can no longer be booked or added to packages; past appointments and "
                      "packages already sold keep it.") if archived else "It can be booked again."
        else:
            effect = ("They can no longer be booked; past appointments keep their name."
                      if archived else "They can be booked again.")
        verb = "Archive" if archived else "Restore"
        question = f"{verb} [b]{name}[/b]? {effect}"

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.archive(table_id, row.id, archived)

        self.app.push_screen(ConfirmDialog(question, confirm_label=verb, cancel_label="Keep as is"), confirmed)

    @work(thread=True, exclusive=True, group="archive", exit_on_error=False)
    def archive(self, table_id: str, row_id: int, archived: bool) -> None:
        desk = self.desk
        use_case = catalogue.archive_service if table_id == "services" else catalogue.archive_provider
        view = desk.write(use_case, row_id, archived)
        self.post_fresh(self.Saved(table_id, view, "archived" if archived else "restored"))
