"""The package catalogue: the list of packages, and the editor form (managers).

`PackagesScreen` lists every package (archived ones too) with its contents, price and how often
it was sold; managers create (`n`), edit (Enter / `e`) and archive or restore (`a`) packages,
reception sees the list read-only.

`PackageEditorScreen` is one scrollable form with every field of a package. On every change it
builds the domain `Terms` from the form, checks them with the pure `validate_terms` and shows
each message under its field, and the plain one-line summary above the form follows along.
ctrl+s saves only a valid form; Escape cancels (asking first when something was changed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.widget import Widget
from textual.widgets import (
    Checkbox,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    RadioButton,
    RadioSet,
    Select,
    Static,
)

from frontdesk.domain.describe import format_duration, plural
from frontdesk.domain.money import Currency, format_money, parse_money
from frontdesk.domain.terms import (
    CatalogueFacts,
    Contents,
    Period,
    PeriodUnit,
    Terms,
    ValueType,
    summary,
    validate_terms,
)
from frontdesk.screens.base import DeskScreen
from frontdesk.services import catalogue
from frontdesk.services.errors import FrontDeskError, InvalidInput
from frontdesk.services.views import Business, PackageView, ProviderView, ServiceView
from frontdesk.widgets.fixed_lines import FixedLinesEditor
from frontdesk.widgets.service_checklist import ServiceChecklist
from frontdesk.widgets.weekday_picker import WeekdayPicker

if TYPE_CHECKING:
    from sqlmodel import Session

# ---- plain words for the list -----------------------------------------------------------------


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


def sold_note(sold_count: int) -> str:
    """What the editor says about a package customers already hold."""
    if sold_count == 1:
        return ("Sold or assigned once: that customer keeps the terms they bought — "
                "changes apply to future sales only.")
    return (f"Sold or assigned {sold_count} times: those customers keep the terms they bought — "
            "changes apply to future sales only.")


# ---- reading what was typed -------------------------------------------------------------------

_MIN_WORD = r"(?:m|min|mins|minutes?)"
_HOUR_WORD = r"(?:h|hr|hrs|hours?)"
_HOURS_MINUTES = re.compile(rf"(\d+)\s*{_HOUR_WORD}\s*(?:(\d+)\s*{_MIN_WORD}?)?")
_CLOCK_MINUTES = re.compile(r"(\d+):(\d{2})")
_PLAIN_MINUTES = re.compile(rf"(\d+)\s*{_MIN_WORD}?")


def parse_minutes(text: str) -> int:
    """ "90", "90 min", "1h30", "1 h 30 min", "1:30", "2h" → minutes. ValueError with a message."""
    cleaned = text.strip().lower()
    if match := _PLAIN_MINUTES.fullmatch(cleaned):
        return int(match.group(1))
    if match := _HOURS_MINUTES.fullmatch(cleaned):
        minutes = int(match.group(2) or 0)
    elif match := _CLOCK_MINUTES.fullmatch(cleaned):
        minutes = int(match.group(2))
    else:
        raise ValueError("Enter minutes like 90, 1h30 or 1:30.")
    if minutes > 59:
        raise ValueError("Enter minutes like 90, 1h30 or 1:30.")
    return int(match.group(1)) * 60 + minutes


def parse_count(text: str, example: str) -> int:
    """A whole number ≥ 0; ValueError("Enter a whole number, like 5.")."""
    cleaned = text.strip()
    if not cleaned.isdigit():
        raise ValueError(f"Enter a whole number, like {example}.")
    return int(cleaned)


_TIME = re.compile(r"(\d{1,2})(?:[:.h]?(\d{2}))?")


def parse_time(text: str) -> time:
    """ "10:00", "9:30", "10", "0930", "9.30" → a time of day; ValueError otherwise."""
    match = _TIME.fullmatch(text.strip())
    if match is None or int(match.group(1)) > 23 or int(match.group(2) or 0) > 59:
        raise ValueError("Enter a time like 10:00.")
    return time(int(match.group(1)), int(match.group(2) or 0))


_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_date(text: str) -> date:
    """ "2026-03-05" (or "2026-3-5") → a date; ValueError otherwise."""
    match = _DATE.fullmatch(text.strip())
    try:
        if match is None:
            raise ValueError
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise ValueError("Enter a date like 2026-03-05.") from None


def parse_dates(text: str) -> tuple[date, ...]:
    """ "2026-03-05, 2026-03-12" → the dates in the order typed (commas, semicolons or spaces)."""
    dates = []
    for part in re.split(r"[,;\s]+", text.strip()):
        if not part:
            continue
        try:
            dates.append(parse_date(part))
        except ValueError:
            raise ValueError(f"'{part}' is not a date: enter dates like 2026-03-05, 2026-03-12.") from None
    return tuple(dates)


def typed_money(amount: int, currency: Currency) -> str:
    """An amount as staff would type it: 25000 → "250.00" (no symbol)."""
    return format_money(amount, currency).replace(currency.symbol, "", 1).strip()


def _sentence(message: str) -> str:
    message = message.strip()
    message = message[:1].upper() + message[1:]
    return message if message.endswith(".") else message + "."


# ---- what the editor loads once ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EditorData:
    """Everything the editor needs: the package (None for a new one), every service and provider
    (archived included, to name them), and the facts `validate_terms` checks against."""

    package: PackageView | None
    services: list[ServiceView]
    providers: list[ProviderView]
    facts: CatalogueFacts


def load_editor(session: Session, business: Business, package_id: int | None) -> EditorData:
    """Read the package and the catalogue around it through the catalogue use cases."""
    package = catalogue.get_package(session, business, package_id) if package_id is not None else None
    services = catalogue.list_services(session, include_archived=True)
    providers = catalogue.list_providers(session, include_archived=True)
    active = catalogue.list_packages(session, business, include_archived=False)
    facts = CatalogueFacts(
        other_active_titles=frozenset(p.title.strip().casefold() for p in active if p.id != package_id),
        archived_service_ids=frozenset(s.id for s in services if s.archived),
        archived_provider_ids=frozenset(p.id for p in providers if p.archived),
        known_service_ids=frozenset(s.id for s in services),
    )
    return EditorData(package=package, services=services, providers=providers, facts=facts)


# ---- the list ---------------------------------------------------------------------------------


class PackagesScreen(DeskScreen):
    """Every package: title, contents, price, for sale, archived, how many sold."""

    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to the previous screen", id="back"),
        Binding("n", "new", "New package", tooltip="Create a package (managers)", id="new-package"),
        Binding("e", "edit", "Edit", tooltip="Edit the highlighted package (managers)", id="edit-package"),
        Binding("a", "archive", "Archive", tooltip="Stop selling the highlighted package (managers)",
                id="archive-package"),
        Binding("a", "restore", "Restore", tooltip="Sell the highlighted archived package again (managers)",
                id="restore-package"),
        Binding("r", "refresh", "Refresh", tooltip="Read the catalogue again", id="refresh-packages"),
        Binding("f2", "refresh", "Packages", show=False),  # already here
    ]

    def __init__(self) -> None:
        super().__init__()
        self.packages: list[PackageView] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Packages", id="packages-title")
        yield Static("", id="packages-readonly")
        yield DataTable(id="packages", cursor_type="row", zebra_stripes=True)
        yield Static("", id="package-detail")
        yield Footer()

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

    def load(self, select_id: int | None = None) -> None:
        self.run_db(catalogue.list_packages, self.desk.business, include_archived=True,
                    then=lambda packages: self.show(packages, select_id))

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
            self.notify("Only a manager can edit packages.", severity="warning")

    # ---- actions ----------------------------------------------------------------------------------

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
        if action == "new":
            return True if self.desk.is_manager else None
        return True

    def action_back(self) -> None:
        self.app.pop_screen()

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
        from frontdesk.screens.dialogs import ConfirmDialog

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
                self.run_db(catalogue.archive_package, self.desk.business, package_id=package.id,
                            actor=self.desk.staff_id, archived=archived, write=True, then=done)

        def done(view: PackageView) -> None:
            self.notify(f"{view.title} {'archived' if view.archived else 'restored'}.")
            self.load(select_id=view.id)

        self.app.push_screen(ConfirmDialog(question, confirm_label=label, cancel_label="Keep as is"), confirmed)


# ---- the form ---------------------------------------------------------------------------------

FIELD_ORDER = ("title", "value_type", "services", "quantity", "fixed_lines", "price", "provider",
               "expires_in", "weekdays", "window", "date_range", "fixed_dates")
REQUIRED_BLANKS = {"title": "a title", "quantity": "the quantity", "price": "a price"}


def _row(label: str, *widgets: Widget, id: str | None = None) -> Horizontal:
    """One line of the form: a label, then the field's widgets."""
    return Horizontal(Label(label, classes="field-label"), *widgets, classes="field-row", id=id)


def _error(field: str) -> Static:
    error = Static("", id=f"{field}-error", classes="field-error")
    error.display = False
    return error


def _set_text(static: Static, text: str | Text, hide_empty: bool = True) -> None:
    """Update a Static only when its text changes (each update lays the form out again)."""
    if static.content != text:
        static.update(text)
    if hide_empty:
        _show(static, bool(str(text)))


def _show(widget: Widget, visible: bool) -> None:
    if widget.display != visible:
        widget.display = visible


def _hint(text: str, id: str | None = None) -> Static:
    return Static(text, classes="field-hint", id=id)


class PackageEditorScreen(DeskScreen):
    """Create a package (`package_id=None`) or edit one; dismisses with the saved PackageView."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Back to the list (asks first if you changed something)",
                id="cancel-edit"),
        Binding("ctrl+s", "save", "Save", tooltip="Save the package (only when every field is valid)",
                id="save-package"),
        Binding("f2", "cancel", "Packages", show=False),
    ]

    AUTO_FOCUS = "#title"

    def __init__(self, package_id: int | None = None) -> None:
        super().__init__()
        self.package_id = package_id
        self.data: EditorData | None = None
        self.terms: Terms | None = None
        self.messages: dict[str, str] = {}  # every current problem, field → message
        self.server_messages: dict[str, str] = {}  # refusals from the last save, until the next change
        self.touched: set[str] = set()
        self.save_attempted = False
        self.saving = False
        self._initial_state: tuple[Any, ...] | None = None

    # ---- layout -----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="editor-head"):
            yield Static("Loading…", id="editor-title")
            yield Static("", id="sold-note")
            yield Static("", id="summary")
            yield Static("", id="form-status")
        with VerticalScroll(id="form"):
            yield _row("Title", Input(id="title", placeholder="e.g. Massage Pack", compact=True))
            yield _error("title")
            yield _row("Contents", RadioSet(
                RadioButton("Any from a list", id="contents-any", value=True),
                RadioButton("Fixed lines", id="contents-fixed"),
                id="contents", compact=True))
            with Vertical(id="any-section"):
                yield _row("Services", Checkbox("All services", value=True, id="all-services", compact=True))
                yield ServiceChecklist(id="services")
                yield _error("services")
                yield _row("Holds", RadioSet(
                    RadioButton("Visits", id="vt-visits", value=True),
                    RadioButton("Minutes", id="vt-minutes"),
                    RadioButton("Amount", id="vt-amount"),
                    RadioButton("Unlimited", id="vt-unlimited"),
                    id="value-type", compact=True))
                yield _error("value_type")
                yield _row("Quantity", Input(id="quantity", compact=True),
                           _hint("", id="quantity-hint"), id="quantity-row")
                yield _error("quantity")
            with Vertical(id="fixed-section"):
                yield _row("Lines", _hint("in the order they are used"))
                yield FixedLinesEditor(id="fixed-lines")
                yield _error("fixed_lines")
            yield _row("Price", Input(id="price", placeholder="0.00", compact=True),
                       Checkbox("Not for sale (a manager assigns it)", id="not-for-sale", compact=True))
            yield _error("price")
            yield _row("Provider", Select[int]([], prompt="Any provider", id="provider", compact=True))
            yield _error("provider")
            yield _row("Expires in", Input(id="expires-count", placeholder="never", type="integer", compact=True),
                       Select([(unit.value, unit) for unit in PeriodUnit], allow_blank=False,
                              value=PeriodUnit.MONTHS, id="expires-unit", compact=True),
                       _hint("after purchase; empty: never"))
            yield _error("expires_in")
            yield _row("Weekdays", Checkbox("Only on some weekdays", id="weekdays-on", compact=True))
            yield WeekdayPicker(id="weekdays")
            yield _error("weekdays")
            yield _row("Time of day", Input(id="window-from", placeholder="hh:mm", compact=True),
                       _hint("to", id="window-to-label"),
                       Input(id="window-to", placeholder="hh:mm", compact=True),
                       _hint("like 10:00 to 13:00; empty: any time"))
            yield _error("window")
            yield _row("Dates", RadioSet(
                RadioButton("Any date", id="dates-none", value=True),
                RadioButton("Date range", id="dates-range"),
                RadioButton("Fixed dates", id="dates-fixed"),
                id="dates-kind", compact=True))
            yield _row("From", Input(id="date-from", placeholder="2026-03-01", compact=True),
                       _hint("to", id="date-to-label"),
                       Input(id="date-to", placeholder="2026-03-31", compact=True),
                       _hint("both days included"), id="date-range-row")
            yield _error("date_range")
            yield _row("On", Input(id="fixed-dates", placeholder="2026-03-05, 2026-03-12", compact=True),
                       id="fixed-dates-row")
            yield _error("fixed_dates")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#form").display = False
        self.run_db(load_editor, self.desk.business, self.package_id, then=self.loaded, failed=self.load_failed)

    def load_failed(self, error: FrontDeskError) -> None:
        self.query_one("#editor-title", Static).update(Text(error.message))
        self.show_error(error)

    def loaded(self, data: EditorData) -> None:
        """Fill the form from the package (or defaults for a new one)."""
        self.data = data
        package = data.package
        currency = self.desk.business.currency
        terms = package.terms if package is not None else Terms(title="")
        title = f"Edit package · {package.title}" if package else "New package"
        self.query_one("#editor-title", Static).update(Text(title))
        note = self.query_one("#sold-note", Static)
        if package is not None and package.sold_count:
            note.update(sold_note(package.sold_count))
        note.display = bool(package and package.sold_count)

        self.query_one("#title", Input).value = terms.title
        self._press("contents", "contents-fixed" if terms.contents is Contents.FIXED else "contents-any")
        self.query_one("#all-services", Checkbox).value = terms.all_services
        self.query_one(ServiceChecklist).set_services(data.services, terms.service_ids)
        value_type = terms.value_type or ValueType.VISITS
        self._press("value-type", f"vt-{value_type.value}")
        quantity = ""
        if package is not None and terms.quantity is not None and terms.contents is Contents.ANY:
            quantity = (typed_money(terms.quantity, currency) if value_type is ValueType.AMOUNT
                        else str(terms.quantity))
        self.query_one("#quantity", Input).value = quantity
        lines = self.query_one(FixedLinesEditor)
        lines.set_services(data.services)
        lines.set_lines(terms.fixed_lines)
        self.query_one("#price", Input).value = typed_money(terms.price, currency) if package else ""
        self.query_one("#not-for-sale", Checkbox).value = not terms.for_sale
        provider = self.query_one("#provider", Select)
        provider.set_options(
            (p.name + ("  (archived)" if p.archived else ""), p.id)
            for p in data.providers if not p.archived or p.id == terms.provider_id
        )
        provider.value = terms.provider_id if terms.provider_id is not None else Select.NULL
        if terms.expires_in is not None:
            self.query_one("#expires-count", Input).value = str(terms.expires_in.count)
            self.query_one("#expires-unit", Select).value = terms.expires_in.unit
        self.query_one("#weekdays-on", Checkbox).value = terms.weekdays is not None
        self.query_one(WeekdayPicker).days = terms.weekdays or frozenset()
        if terms.window is not None:
            self.query_one("#window-from", Input).value = terms.window[0].strftime("%H:%M")
            self.query_one("#window-to", Input).value = terms.window[1].strftime("%H:%M")
        if terms.date_range is not None:
            self._press("dates-kind", "dates-range")
            self.query_one("#date-from", Input).value = terms.date_range[0].isoformat()
            self.query_one("#date-to", Input).value = terms.date_range[1].isoformat()
        elif terms.fixed_dates is not None:
            self._press("dates-kind", "dates-fixed")
            self.query_one("#fixed-dates", Input).value = ", ".join(d.isoformat() for d in terms.fixed_dates)
        else:
            self._press("dates-kind", "dates-none")

        self.query_one("#form").display = True
        self._initial_state = self.form_state()
        self.recheck()
        self.query_one("#title", Input).focus()
        self.refresh_bindings()

    def _press(self, radio_set: str, button_id: str) -> None:
        for button in self.query_one(f"#{radio_set}", RadioSet).query(RadioButton):
            button.value = button.id == button_id

    def _pressed(self, radio_set: str) -> str:
        for button in self.query_one(f"#{radio_set}", RadioSet).query(RadioButton):
            if button.value:
                return button.id or ""
        return ""

    # ---- reading the form -------------------------------------------------------------------------

    def form_state(self) -> tuple[Any, ...]:
        """Everything typed or chosen, to tell whether the form changed since it opened."""
        values: list[Any] = []
        for widget in self.query_one("#form").query("Input, Checkbox, Select"):
            if widget.id in ("line-service", "line-quantity"):
                continue
            values.append((widget.id, getattr(widget, "value", None)))
        values += [self._pressed("contents"), self._pressed("value-type"), self._pressed("dates-kind"),
                   self.query_one(ServiceChecklist).selected_ids, tuple(self.query_one(FixedLinesEditor).lines),
                   self.query_one(WeekdayPicker).days]
        return tuple(values)

    @property
    def changed(self) -> bool:
        return self._initial_state is not None and self.form_state() != self._initial_state

    def read_form(self) -> tuple[Terms, dict[str, str]]:
        """The domain terms the form describes, and the problems found while reading it (text
        that is not a number, a time or a date), field → message."""
        problems: dict[str, str] = {}
        currency = self.desk.business.currency

        def text(widget_id: str) -> str:
            return self.query_one(f"#{widget_id}", Input).value.strip()

        fixed = self._pressed("contents") == "contents-fixed"
        value_type = ValueType(self._pressed("value-type").removeprefix("vt-") or "visits")
        quantity: int | None = None
        quantity_text = text("quantity")
        if not fixed and value_type is not ValueType.UNLIMITED and quantity_text:
            try:
                if value_type is ValueType.MINUTES:
                    quantity = parse_minutes(quantity_text)
                elif value_type is ValueType.AMOUNT:
                    quantity = parse_money(quantity_text, currency)
                else:
                    quantity = parse_count(quantity_text, "5")
            except ValueError as error:
                problems["quantity"] = _sentence(str(error))
        elif not fixed and value_type is not ValueType.UNLIMITED:
            problems["quantity"] = {
                ValueType.VISITS: "Enter the number of visits, like 5.",
                ValueType.MINUTES: "Enter the minutes, like 90 or 1h30.",
                ValueType.AMOUNT: f"Enter the amount of credit, like {format_money(20000, currency)}.",
            }[value_type]

        price = 0
        price_text = text("price")
        if not price_text:
            problems["price"] = f"Enter a price, like {format_money(25000, currency)} (0 for free)."
        else:
            try:
                price = parse_money(price_text, currency)
            except ValueError as error:
                problems["price"] = ("The price cannot be negative." if "negative" in str(error)
                                     else _sentence(str(error)))

        all_services = self.query_one("#all-services", Checkbox).value
        checklist = self.query_one(ServiceChecklist)
        service_ids = () if all_services else checklist.selected_ids

        provider_value = self.query_one("#provider", Select).value
        provider_id = None if provider_value is Select.NULL else int(provider_value)  # type: ignore[arg-type]
        provider_name = None
        if provider_id is not None and self.data is not None:
            provider_name = next((p.name for p in self.data.providers if p.id == provider_id), None)

        expires_in = None
        expires_text = text("expires-count")
        if expires_text:
            try:
                unit = self.query_one("#expires-unit", Select).value
                expires_in = Period(parse_count(expires_text, "2"), PeriodUnit(unit))  # type: ignore[arg-type]
            except ValueError as error:
                problems["expires_in"] = _sentence(str(error))

        weekdays = self.query_one(WeekdayPicker).days if self.query_one("#weekdays-on", Checkbox).value else None

        window = None
        start_text, end_text = text("window-from"), text("window-to")
        if start_text or end_text:
            try:
                if not (start_text and end_text):
                    raise ValueError("Enter both times, like 10:00 and 13:00, or neither.")
                window = (parse_time(start_text), parse_time(end_text))
            except ValueError as error:
                problems["window"] = _sentence(str(error))

        date_range = None
        fixed_dates = None
        kind = self._pressed("dates-kind")
        if kind == "dates-range":
            try:
                if not (text("date-from") and text("date-to")):
                    raise ValueError("Enter the first and the last day, like 2026-03-01 and 2026-03-31.")
                date_range = (parse_date(text("date-from")), parse_date(text("date-to")))
            except ValueError as error:
                problems["date_range"] = _sentence(str(error))
        elif kind == "dates-fixed":
            try:
                fixed_dates = parse_dates(text("fixed-dates"))
            except ValueError as error:
                problems["fixed_dates"] = _sentence(str(error))

        terms = Terms(
            title=self.query_one("#title", Input).value.strip(),
            contents=Contents.FIXED if fixed else Contents.ANY,
            value_type=None if fixed else value_type,
            quantity=quantity,
            all_services=all_services or fixed,
            service_ids=() if fixed else service_ids,
            service_names=() if fixed else checklist.names_of(service_ids),
            fixed_lines=tuple(self.query_one(FixedLinesEditor).lines) if fixed else (),
            price=price,
            for_sale=not self.query_one("#not-for-sale", Checkbox).value,
            provider_id=provider_id,
            provider_name=provider_name,
            expires_in=expires_in,
            weekdays=weekdays,
            window=window,
            date_range=date_range,
            fixed_dates=fixed_dates,
        )
        return terms, problems

    # ---- checking on every change -----------------------------------------------------------------

    def recheck(self) -> None:
        """Read the form, validate, show the messages, the summary and which parts apply."""
        if self.data is None:
            return
        terms, problems = self.read_form()
        self.terms = terms
        messages = dict(validate_terms(terms, self.data.facts).messages)
        messages.update(problems)
        fixed = terms.contents is Contents.FIXED
        if fixed and "services" in messages:  # e.g. an archived service among the lines
            messages.setdefault("fixed_lines", messages.pop("services"))
        if fixed:
            for key in ("quantity", "value_type", "services"):
                messages.pop(key, None)
        for key, message in self.server_messages.items():
            messages.setdefault(key, message)
        self.messages = messages
        self._show_parts(terms)
        shown = self._shown_messages()
        for field in FIELD_ORDER:
            _set_text(self.query_one(f"#{field}-error", Static), shown.get(field, ""))
        summary_text = Text.assemble(("Summary  ", "bold"), summary(terms, self.desk.business.currency))
        _set_text(self.query_one("#summary", Static), summary_text, hide_empty=False)
        self._show_status(shown)

    def _shown_messages(self) -> dict[str, str]:
        """The messages to show now: a new form does not scold fields nobody has filled in yet."""
        hidden = set()
        if self.data is not None and self.data.package is None and not self.save_attempted:
            hidden = {field for field in REQUIRED_BLANKS if field not in self.touched}
        return {field: message for field, message in self.messages.items() if field not in hidden}

    def _show_status(self, shown: dict[str, str]) -> None:
        status = self.query_one("#form-status", Static)
        waiting = [REQUIRED_BLANKS[field] for field in REQUIRED_BLANKS
                   if field in self.messages and field not in shown]
        if shown:
            count = len(shown)
            text = f"{count} field{'s' if count != 1 else ''} to fix before saving (marked below)."
            state = "-problem"
        elif waiting:
            listed = ", ".join(waiting[:-1]) + " and " + waiting[-1] if len(waiting) > 1 else waiting[0]
            text, state = f"Enter {listed}; ctrl+s saves.", ""
        else:
            text, state = "Ready: ctrl+s saves.", "-ready"
        _set_text(status, text)
        for name in ("-problem", "-ready"):
            status.set_class(name == state, name)

    def _show_parts(self, terms: Terms) -> None:
        """Show only the fields that apply to the choices made."""
        fixed = terms.contents is Contents.FIXED
        _show(self.query_one("#any-section"), not fixed)
        _show(self.query_one("#fixed-section"), fixed)
        _show(self.query_one(ServiceChecklist), not terms.all_services)
        unlimited = terms.value_type is ValueType.UNLIMITED
        _show(self.query_one("#quantity-row"), not fixed and not unlimited)
        hints = {
            ValueType.VISITS: "visits",
            ValueType.MINUTES: "minutes: 90, 1h30 or 1:30",
            ValueType.AMOUNT: f"of credit in {self.desk.business.currency.code}",
        }
        if terms.value_type in hints:
            _set_text(self.query_one("#quantity-hint", Static), hints[terms.value_type])  # type: ignore[index]
        _show(self.query_one(WeekdayPicker), terms.weekdays is not None)
        kind = self._pressed("dates-kind")
        _show(self.query_one("#date-range-row"), kind == "dates-range")
        _show(self.query_one("#fixed-dates-row"), kind == "dates-fixed")

    def _changed(self, field: str | None = None) -> None:
        if field is not None:
            self.touched.add(field)
        self.server_messages = {}
        self.recheck()

    @on(Input.Changed)
    def input_changed(self, event: Input.Changed) -> None:
        field = {"title": "title", "quantity": "quantity", "price": "price"}.get(event.input.id or "")
        self._changed(field)

    @on(Checkbox.Changed)
    @on(RadioSet.Changed)
    @on(Select.Changed)
    @on(ServiceChecklist.SelectedChanged)
    @on(WeekdayPicker.Changed)
    @on(FixedLinesEditor.Changed)
    def choice_changed(self) -> None:
        self._changed()

    @on(Checkbox.Changed, "#all-services")
    def all_services_toggled(self, event: Checkbox.Changed) -> None:
        if not event.value and self.query_one("#all-services", Checkbox).has_focus:
            self.call_after_refresh(self.query_one(ServiceChecklist).focus)

    @on(Checkbox.Changed, "#weekdays-on")
    def weekdays_toggled(self, event: Checkbox.Changed) -> None:
        if event.value and self.query_one("#weekdays-on", Checkbox).has_focus:
            self.call_after_refresh(self.query_one(WeekdayPicker).focus)

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        """Enter in a field moves on to the next one, like Tab."""
        if event.input.id in ("line-quantity",):
            return
        event.stop()
        self.focus_next()

    # ---- saving -----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":
            return None if self.data is None or self.saving else True
        return True

    FOCUS_TARGETS = {
        "title": "#title", "value_type": "#value-type", "quantity": "#quantity", "price": "#price",
        "provider": "#provider", "expires_in": "#expires-count", "weekdays": "#weekdays",
        "window": "#window-from", "date_range": "#date-from", "fixed_dates": "#fixed-dates",
    }

    def focus_problem(self, field: str) -> None:
        """Put the cursor where the problem with `field` can be fixed."""
        target: Widget
        if field == "services":
            checkbox = self.query_one("#all-services", Checkbox)
            checklist = self.query_one(ServiceChecklist)
            target = checklist if checklist.display else checkbox
        elif field == "fixed_lines":
            lines = self.query_one(FixedLinesEditor)
            target = lines.query_one("#lines-table") if lines.lines else lines.query_one("#line-service")
        elif field == "expires_in" and not self.query_one("#expires-count", Input).value.strip():
            target = self.query_one("#expires-count")
        else:
            target = self.query_one(self.FOCUS_TARGETS.get(field, "#title"))
        target.focus()
        error = self.query_one(f"#{field}-error", Static) if field in FIELD_ORDER else None

        def into_view() -> None:
            form = self.query_one("#form", VerticalScroll)
            if error is not None and error.display:
                form.scroll_to_widget(error, animate=False)  # the message under the field too
            form.scroll_to_widget(target, animate=False)

        self.call_after_refresh(into_view)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Keep a field's message in view with the field (Tab scrolls only to the field)."""
        row = next((node for node in event.widget.ancestors_with_self
                    if isinstance(node, Widget) and node.has_class("field-row")), None)
        if row is None or row.parent is None:
            return
        siblings = list(row.parent.children)
        following = siblings[siblings.index(row) + 1] if siblings.index(row) + 1 < len(siblings) else None
        if following is not None and following.has_class("field-error") and following.display:
            form = self.query_one("#form", VerticalScroll)
            self.call_after_refresh(form.scroll_to_widget, following, animate=False)

    def action_save(self) -> None:
        if self.data is None or self.saving:
            return
        self.save_attempted = True
        self.recheck()
        if self.messages or self.terms is None:
            first = next(field for field in (*FIELD_ORDER, *self.messages) if field in self.messages)
            self.focus_problem(first)
            count = len(self.messages)
            self.notify(f"Not saved: {count} field{'s' if count != 1 else ''} to fix.", severity="warning")
            return
        self.saving = True
        self.refresh_bindings()
        self.run_db(catalogue.save_package, self.desk.business, terms=self.terms, actor=self.desk.staff_id,
                    package_id=self.package_id, write=True, then=self.saved, failed=self.save_failed)

    def saved(self, view: PackageView) -> None:
        self.saving = False
        self.notify(f"Saved {view.title}: {view.summary}.")
        self.dismiss(view)

    def save_failed(self, error: FrontDeskError) -> None:
        self.saving = False
        self.refresh_bindings()
        if isinstance(error, InvalidInput):
            self.server_messages = dict(error.fields)
            self.recheck()
            first = next((field for field in (*FIELD_ORDER, *error.fields) if field in error.fields), "title")
            self.focus_problem(first)
            self.notify(f"Not saved: {error.message}", severity="error", timeout=8)
        else:
            self.show_error(error)

    # ---- leaving ----------------------------------------------------------------------------------

    def action_cancel(self) -> None:
        if not self.changed:
            self.dismiss(None)
            return
        from frontdesk.screens.dialogs import ConfirmDialog

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog("Discard your changes to this package?", confirm_label="Discard",
                          cancel_label="Keep editing"),
            answered,
        )
