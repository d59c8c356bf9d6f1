"""The package catalogue: every package (archived ones too) with its contents, price and how often
it was sold. Managers create (`n`), edit (Enter / `e`, in `PackageEditorScreen`) and archive or
restore (`a`) packages; reception sees the list read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.markup import escape
from textual.message import Message
from textual.widgets import DataTable, Header, Static

from frontdesk.domain.describe import format_duration, plural
from frontdesk.domain.lifecycle import parse_days
from frontdesk.domain.money import Currency, format_money
from frontdesk.domain.terms import Contents, Terms, ValueType
from frontdesk.screens.base import MANAGERS_ONLY, DeskScreen
from frontdesk.screens.dialogs.confirm import ConfirmDialog
from frontdesk.screens.dialogs.reason import Change, ReasonDialog
from frontdesk.screens.package_editor import PackageEditorScreen
from frontdesk.services import catalogue, lifecycle
from frontdesk.services.lifecycle import BulkExtension
from frontdesk.services.views import PackageView
from frontdesk.widgets.footer import KeysFooter


def short_contents(terms: Terms, currency: Currency) -> str:
    """What a package holds in a few words: "5 visits", "4 h", "$200.00 credit", "unlimited",
    "fixed: 1 Swedish, 2 Thai" (a last word shared by every line, like "Massage", is left out)."""
    if terms.contents is Contents.FIXED:
        names = [line.service_name for line in terms.fixed_lines]
        words = [name.split() for name in names]
        if words and all(len(w) > 1 for w in words) and len({w[-1] for w in words}) == 1:
            names = [" ".join(w[:-1]) for w in words]
        return "fixed: " + ", ".join(f"{line.quantity} {name}" for line, name in zip(terms.fixed_lines, names))
    quantity = terms.quantity or 0
    if terms.value_type is ValueType.VISITS:
        return plural(quantity, "visit")
    if terms.value_type is ValueType.MINUTES:
        return format_duration(quantity)
    if terms.value_type is ValueType.AMOUNT:
        return f"{format_money(quantity, currency)} credit"
    return "unlimited"


class PackagesScreen(DeskScreen[None]):
    """Every package: title, contents, price, for sale, archived, how many sold."""

    MANAGER_ACTIONS = frozenset({"new", "edit", "archive", "restore", "extend_held"})
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to the previous screen", id="back"),
        Binding("n", "new", "New package", tooltip="Create a package (managers)", id="new-package"),
        Binding("e", "edit", "Edit", tooltip="Edit the highlighted package (managers)", id="edit-package"),
        Binding("a", "archive", "Archive", tooltip="Stop selling the highlighted package (managers)",
                id="archive-package"),
        Binding("a", "restore", "Restore", tooltip="Sell the highlighted archived package again (managers)",
                id="restore-package"),
        Binding("x", "extend_held", "Extend held", tooltip="Give every customer holding the highlighted package "
                "(or every package) more days: \"we were closed two weeks\" (managers)", id="extend-held"),
        Binding("r", "refresh", "Refresh", tooltip="Read the catalogue again", id="refresh-packages"),
        Binding("f2", "refresh", "Packages", show=False),  # already here
    ]

    @dataclass
    class PackagesRead(Message):
        packages: list[PackageView]
        select_id: int | None

    @dataclass
    class Archived(Message):
        package: PackageView

    @dataclass
    class ExtensionCounted(Message):
        """How many holdings a bulk extension would move, read before it is confirmed."""

        extension: BulkExtension
        package_id: int | None
        reason: str

    @dataclass
    class Extended(Message):
        extension: BulkExtension

    def __init__(self) -> None:
        super().__init__()
        self.packages: list[PackageView] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Packages", id="packages-title")
        yield Static("", id="packages-readonly")
        yield DataTable(id="packages", cursor_type="row", zebra_stripes=True)
        yield Static("", id="package-detail")
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one("#packages", DataTable)
        table.add_column("Title", key="title")
        table.add_column("Contents", key="contents")
        table.add_column("Price", key="price")
        table.add_column("For sale", key="for_sale")
        table.add_column("Sold", key="sold")
        table.add_column("Archived", key="archived")
        readonly = self.query_one("#packages-readonly", Static)
        readonly.update("" if self.desk.is_manager else "Read only: only a manager can change packages.")
        readonly.display = not self.desk.is_manager
        table.focus()
        self.load()

    # ---- loading ----------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="read", exit_on_error=False)
    def load(self, select_id: int | None = None) -> None:
        desk = self.desk
        self.post_fresh(self.PackagesRead(desk.read(catalogue.list_packages, desk.business, include_archived=True),
                                          select_id))

    @on(PackagesRead)
    def packages_read(self, message: PackagesRead) -> None:
        self.show(message.packages, message.select_id)

    def show(self, packages: list[PackageView], select_id: int | None = None) -> None:
        table = self.query_one("#packages", DataTable)
        keep = select_id if select_id is not None else (self.current.id if self.current else None)
        self.packages = packages
        currency = self.desk.business.currency
        table.clear()
        for package in packages:
            terms = package.terms
            dim = "dim" if package.archived else ""
            table.add_row(
                Text(package.title, style=dim),
                Text(short_contents(terms, currency), style=dim),
                Text(format_money(terms.price, currency), style=dim, justify="right"),
                Text("yes" if terms.for_sale else "no", style=dim),
                Text(str(package.sold_count), style=dim, justify="right"),
                Text("archived" if package.archived else "", style=dim),
                key=str(package.id),
            )
        ids = [package.id for package in packages]
        if keep in ids:
            table.move_cursor(row=ids.index(keep))
        active = sum(1 for package in packages if not package.archived)
        title = f"Packages · {active} on offer"
        if len(packages) > active:
            title += f", {len(packages) - active} archived"
        self.query_one("#packages-title", Static).update(title)
        self.show_detail()
        self.refresh_bindings()

    @property
    def current(self) -> PackageView | None:
        table = self.query_one("#packages", DataTable)
        if not self.packages or not 0 <= table.cursor_row < len(self.packages):
            return None
        return self.packages[table.cursor_row]

    def show_detail(self) -> None:
        package = self.current
        detail = self.query_one("#package-detail", Static)
        if package is None:
            detail.update("No packages yet." + ("  Press n to create one." if self.desk.is_manager else ""))
            return
        sold = f"sold {plural(package.sold_count, 'time')}" if package.sold_count else "never sold"
        line = Text.assemble((package.title, "bold"), ": ", package.summary, " · ", sold)
        if package.archived:
            line.append(" · archived", style="italic")
        detail.update(line)

    @on(DataTable.RowHighlighted, "#packages")
    def highlighted(self) -> None:
        self.show_detail()
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#packages")
    def selected(self) -> None:
        if self.check_action("edit", ()):
            self.action_edit()
        elif not self.desk.is_manager:
            self.notify(MANAGERS_ONLY, severity="warning")

    # ---- actions ----------------------------------------------------------------------------------

    def why_not(self, action: str) -> str | None:
        if self.desk.is_manager and action in ("edit", "archive") and self.current is None:
            return "No package highlighted: n creates one."
        return super().why_not(action)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        package = self.current
        if action == "restore":
            if package is None or not package.archived:
                return False
            return True if self.desk.is_manager else None
        if action == "archive":
            if package is not None and package.archived:
                return False
            return True if self.desk.is_manager and package is not None else None
        if action == "edit":
            return True if self.desk.is_manager and package is not None else None
        if action in ("new", "extend_held"):
            return True if self.desk.is_manager else None
        return True

    def action_back(self) -> None:
        self.app.back_from_area()

    def action_refresh(self) -> None:
        self.load()

    def action_new(self) -> None:
        self.app.push_screen(PackageEditorScreen(None), self.edited)

    def action_edit(self) -> None:
        if self.current is not None:
            self.app.push_screen(PackageEditorScreen(self.current.id), self.edited)

    def edited(self, saved: PackageView | None) -> None:
        self.load(select_id=saved.id if saved is not None else None)

    def action_archive(self) -> None:
        self._set_archived(True)

    def action_restore(self) -> None:
        self._set_archived(False)

    def _set_archived(self, archived: bool) -> None:
        package = self.current
        if package is None:
            return
        title = escape(package.title)
        if archived:
            question = (f"Archive [b]{title}[/b]? It will no longer be sold; "
                        f"customers who hold it keep using it.")
            label = "Archive"
        else:
            question = f"Restore [b]{title}[/b]? It can be sold again."
            label = "Restore"

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.archive(package.id, archived)

        self.app.push_screen(ConfirmDialog(question, confirm_label=label, cancel_label="Keep as is"), confirmed)

    @work(thread=True, exclusive=True, group="archive", exit_on_error=False)
    def archive(self, package_id: int, archived: bool) -> None:
        desk = self.desk
        self.post_fresh(self.Archived(desk.write(catalogue.archive_package, desk.business, package_id=package_id,
                                                 archived=archived)))

    # ---- managers: extend every holding of a package (or of all) --------------------------------------

    def action_extend_held(self) -> None:
        package = self.current
        if package is None or not self.desk.is_manager:
            return
        self.ask("extend-held", ReasonDialog(
            "Extend packages customers hold",
            f"Every {package.title} in use (not void, not expired, something left) gets more days, with one "
            "reason, in one go. You see how many before it is done.",
            parse_delta=parse_days, delta_label="Days more", delta_placeholder="e.g. 14", confirm_label="Count them",
            override_label="Every package in use, not only " + package.title,
        ), partial(self._count_extension, package.id))

    @work(thread=True, exclusive=True, group="extend-held", exit_on_error=False)
    def _count_extension(self, package_id: int, change: Change) -> None:
        desk = self.desk
        chosen = None if change.override else package_id
        counted = desk.read(lifecycle.bulk_extend_preview, desk.business, days=change.delta, package_id=chosen)
        self.post_fresh(self.ExtensionCounted(counted, chosen, change.reason))

    @on(ExtensionCounted)
    def extension_counted(self, message: ExtensionCounted) -> None:
        self.answered("extend-held")
        counted = message.extension
        which = escape(counted.package_title) if counted.package_title else "every package"
        if not counted.holdings:
            self.notify(f"No holding of {which} is in use: nothing to extend.", severity="warning")
            return
        question = (f"Extend [b]{plural(counted.holdings, 'holding')}[/b] of {plural(counted.customers, 'customer')}"
                    f" ({which}) by [b]{plural(counted.days, 'day')}[/b]? Reason: {escape(message.reason)}")

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.extend_held(counted.days, message.reason, message.package_id)

        self.app.push_screen(ConfirmDialog(question, confirm_label="Extend", cancel_label="Don't"), confirmed)

    @work(thread=True, exclusive=True, group="extend", exit_on_error=False)
    def extend_held(self, days: int, reason: str, package_id: int | None) -> None:
        desk = self.desk
        self.post_fresh(self.Extended(desk.write(lifecycle.bulk_extend, desk.business, days=days, reason=reason,
                                                 package_id=package_id)))

    @on(Extended)
    def extended(self, message: Extended) -> None:
        done = message.extension
        self.notify(f"Extended {plural(done.holdings, 'holding')} of {plural(done.customers, 'customer')} by "
                    f"{plural(done.days, 'day')}.", timeout=8)

    @on(Archived)
    def archived(self, message: Archived) -> None:
        view = message.package
        self.notify(f"{view.title} {'archived' if view.archived else 'restored'}.")
        self.load(select_id=view.id)
