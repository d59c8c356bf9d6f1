"""The managers' balances list (from Owed, `b`): every holding's balance left, or one row per
customer or per package, filtered, sorted and a page at a time, so it stays instant at 100k
holdings.

The filters sit at the top (`/` goes to them; Tab moves on, Enter back to the list): words of the
customer's name, phone or email, a package, a status (active by default: what is still owed), a
provider, expiring within N days, at least N left (visits, minutes or dollars). `s` sorts by the
next column (or click a heading), `r` reverses, `g` shows holdings, customers or packages; `n`/`p`
(or PageDown at the last row, PageUp at the first) turn the page. Enter on a holding or a customer
opens her page; on a package, lists its holdings. Every figure comes from `balances.balances_page`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Header, Input, Select, Static

from frontdesk.domain.describe import HoldingStatus
from frontdesk.domain.parsing import parse_count
from frontdesk.domain.periods import local_date, to_local
from frontdesk.screens.base import DeskScreen
from frontdesk.services.balances import SORTS, BalancesPage, Group, balances_page
from frontdesk.widgets.fitted import FitColumn, FittedTable, row_of
from frontdesk.widgets.keys_in_order import FieldInput
from frontdesk.widgets.parsed_input import ParsedInput
from frontdesk.widgets.footer import KeysFooter

PAGE = 50
GROUPS = (Group.HOLDING, Group.CUSTOMER, Group.PACKAGE)
NAMES = {Group.HOLDING: "Holdings", Group.CUSTOMER: "Customers", Group.PACKAGE: "Packages"}
COLUMNS = {  # the key of a column that can be sorted by is its sort's name
    Group.HOLDING: (  # the provider a package is restricted to is said with its title
        FitColumn("Customer", "customer", min_width=10),
        FitColumn("Phone", "phone"),  # whole: who to call
        FitColumn("Package", "package", min_width=10),
        FitColumn("Left", "left", min_width=10),
        FitColumn("Expires", "expiry"),
        FitColumn("Used", "last used"),
        FitColumn("Status", "status"),  # shown when the list is not of one status
    ),
    Group.CUSTOMER: (
        FitColumn("Customer", "customer", min_width=10),
        FitColumn("Phone", "phone", min_width=6),
        FitColumn("Holdings", "holdings"),
        FitColumn("Active", "active"),
        FitColumn("First to expire", "expiry"),
    ),
    Group.PACKAGE: (
        FitColumn("Package", "package", min_width=10),
        FitColumn("Holdings", "holdings"),
        FitColumn("Active", "active"),
        FitColumn("Left in all (active)", "left", min_width=8),
    ),
}
SHRINK = {Group.HOLDING: ("package", "left", "customer"),
          Group.CUSTOMER: ("phone", "customer"), Group.PACKAGE: ("package", "left")}
STATUSES = [(str(status).capitalize(), str(status)) for status in HoldingStatus]


def parse_days(text: str) -> int:
    days = parse_count(text, "14")
    if days > 3660:
        raise ValueError("At most 3660 days.")
    return days


def parse_left(text: str) -> int:
    return parse_count(text, "3")


class BalancesScreen(DeskScreen[None]):
    """Outstanding balances by holding, customer or package (managers)."""

    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to what is owed", id="balances-back"),
        Binding("slash", "filter", "Filter", tooltip="Go to the filters (customer, package, status, provider, "
                "expiring within, at least left)", id="balances-filter"),
        Binding("s", "sort", "Sort", tooltip="Sort by the next column (or click its heading)", id="balances-sort"),
        Binding("r", "reverse", "Reverse", tooltip="Reverse the order", id="balances-reverse"),
        Binding("g", "group", "Group", tooltip="Show holdings, customers or packages", id="balances-group"),
        Binding("n", "next_page", "Next", tooltip="The next page", id="balances-next"),
        Binding("p", "previous_page", "Prev", tooltip="The previous page", id="balances-previous"),
        Binding("pagedown", "page_down", "Next page", show=False, priority=True),
        Binding("pageup", "page_up", "Previous page", show=False, priority=True),
        Binding("f5", "refresh", "Refresh", tooltip="Read the balances again", id="balances-refresh"),
    ]

    @dataclass
    class PageRead(Message):
        page: BalancesPage
        at_end: bool  # put the cursor on the last row (paged back with PageUp)
        turned: bool = False  # another page, order or grouping: the cursor starts at its first (or last) row

    def __init__(self) -> None:
        super().__init__()
        self.group = Group.HOLDING
        self.sort = SORTS[Group.HOLDING][0]
        self.descending = False
        self.first_row = 0
        self.listed: BalancesPage | None = None
        self.offered: dict[str, list[tuple[str, int]]] = {}  # the packages and providers in the filters

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="balances-filters"):
            yield FieldInput(placeholder="Customer: name, phone or email", id="balances-customer", compact=True)
            yield Select([], prompt="Every package", id="balances-package", compact=True)
            yield Select(STATUSES, prompt="Every status", value=str(HoldingStatus.ACTIVE), id="balances-status",
                         compact=True)
        with Horizontal(id="balances-more-filters"):
            yield Select([], prompt="Any provider", id="balances-provider", compact=True)
            yield ParsedInput(parse=parse_days, placeholder="Expiring within … days", id="balances-within",
                              compact=True)
            yield ParsedInput(parse=parse_left, placeholder="At least … left", id="balances-left", compact=True)
        yield Static("", id="balances-filter-error")
        yield Static("", id="balances-status-line")
        yield FittedTable(id="balances-rows")
        yield Static("", id="balances-totals")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.set_columns()
        self.query_one(FittedTable).focus()
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    # ---- reading a page -------------------------------------------------------------------------

    def filters(self) -> dict[str, Any] | None:
        """The filters as typed, or None while a number cannot be read (the line under them says why)."""
        fields = [self.query_one(f"#balances-{name}", ParsedInput) for name in ("within", "left")]
        problem = next((field.error for field in fields if field.error), None)
        error = self.query_one("#balances-filter-error", Static)
        error.update(problem or "")
        error.display = problem is not None
        if problem:
            return None
        within, left = (field.parsed for field in fields)

        def chosen(name: str) -> Any:
            value = self.query_one(f"#balances-{name}", Select).value
            return None if value is Select.NULL else value

        return {"customer": self.query_one("#balances-customer", Input).value, "package_id": chosen("package"),
                "status": chosen("status"), "provider_id": chosen("provider"), "expiring_within": within,
                "min_left": left}

    def load(self, *, at_end: bool = False, turned: bool = False) -> None:
        """Read the page shown; `turned`: another page, order or grouping (else the cursor stays
        on its row)."""
        filters = self.filters()
        if filters is not None:
            self.read(dict(filters, group=self.group, sort=self.sort, descending=self.descending,
                           offset=self.first_row, limit=PAGE), at_end, turned)

    @work(thread=True, exclusive=True, group="read", exit_on_error=False)
    def read(self, options: dict[str, Any], at_end: bool, turned: bool) -> None:
        self.post_fresh(self.PageRead(self.desk.read(balances_page, self.desk.business, **options), at_end, turned))

    @on(PageRead)
    def page_read(self, message: PageRead) -> None:
        page = message.page
        if page.group is not self.group:
            return  # a page of the grouping shown before: the one asked for next is on its way
        self.listed = page
        self.offer(page)
        self.set_columns()
        rows = [self.row(row) for row in page.rows]
        table = self.query_one(FittedTable)
        first = len(rows) - 1 if message.at_end else 0
        kept = None if message.turned else row_of(rows, table.cursor_key)  # read again: the same row stays
        table.set_rows(rows, cursor_row=first if kept is None else kept)
        arrow = "↓" if page.descending else "↑"
        name = NAMES[page.group]
        if page.rows:
            shown = f"{name} {page.first:,}–{page.last:,} of {page.total:,}"
        else:
            shown = f"{name} none of {page.total:,}" if page.total else f"No {name.lower()}"
        self.query_one("#balances-status-line", Static).update(
            Text.assemble((shown, "bold"), f" · sorted by {page.sort} {arrow}"))
        totals = f"{page.active:,} of {page.holdings:,} active"
        if page.left:
            totals += ", with " + " · ".join(page.left) + " left"
        self.query_one("#balances-totals", Static).update(totals if page.holdings else "No holding matches these "
                                                          "filters.")
        self.refresh_bindings()

    def offer(self, page: BalancesPage) -> None:
        """The packages and providers to filter by, as the page lists them (the choice kept)."""
        for name, options in (("package", page.packages), ("provider", page.providers)):
            select = self.query_one(f"#balances-{name}", Select)
            choices = [(label, row_id) for row_id, label in options]
            if choices == self.offered.get(name):
                continue
            with self.prevent(Select.Changed):
                chosen = select.value
                select.set_options(choices)
                if chosen is not Select.NULL and any(row_id == chosen for _, row_id in choices):
                    select.value = chosen
            self.offered[name] = choices

    def row(self, row: Any) -> tuple[str, list[Text]]:
        """A row of the page as the table shows it: its key says what Enter opens."""
        if self.group is Group.CUSTOMER:
            return (f"c{row.customer_id}", [Text(row.customer_name), Text(row.phone or "—"), Text(str(row.holdings)),
                                            Text(str(row.active)), Text(self.day(row.soonest_expiry, "no expiry"))])
        if self.group is Group.PACKAGE:
            return (f"p{row.package_id or 0}", [Text(row.title), Text(str(row.holdings)), Text(str(row.active)),
                                                Text(row.left_text)])
        status = Text(str(row.status), style="" if row.status is HoldingStatus.ACTIVE else "dim")
        title = Text(row.title)
        if row.provider:
            title.append(f" · {row.provider}", style="italic")
        return (f"h{row.holding_id}:{row.customer_id}", [
            Text(row.customer_name), Text(row.phone or "—"), title, Text(row.balance_text),
            Text(self.day(row.valid_until, "no expiry")), Text(self.when(row.last_used)), status])

    def day(self, value: date | None, none: str = "—") -> str:
        if value is None:
            return none
        return f"{value:%-d %b}" if value.year == self.today.year else f"{value:%-d %b %Y}"

    def when(self, moment: datetime | None) -> str:
        return self.day(local_date(moment, self.desk.business.tz)) if moment else "never"

    @property
    def today(self) -> date:
        return to_local(self.desk.now(), self.desk.business.tz).date()

    def set_columns(self) -> None:
        """The grouping's columns; a list of one status does not say it on every row."""
        one_status = self.query_one("#balances-status", Select).value is not Select.NULL
        columns = [column for column in COLUMNS[self.group] if not (one_status and column.key == "status")]
        self.query_one(FittedTable).set_columns(columns, shrink_order=SHRINK[self.group])

    # ---- filters ----------------------------------------------------------------------------------

    @on(Select.Changed)
    @on(Input.Changed)
    def filtered(self) -> None:
        self.first_row = 0
        self.load()

    @on(Input.Submitted)
    def to_the_list(self) -> None:
        self.query_one(FittedTable).focus()

    def action_filter(self) -> None:
        self.query_one("#balances-customer", Input).focus()

    # ---- order, grouping and pages --------------------------------------------------------------

    def action_sort(self) -> None:
        sorts = SORTS[self.group]
        self.sort_by(sorts[(sorts.index(self.sort) + 1) % len(sorts)])

    def sort_by(self, sort: str) -> None:
        self.sort, self.first_row = sort, 0
        self.load(turned=True)

    @on(DataTable.HeaderSelected)
    def heading_clicked(self, event: DataTable.HeaderSelected) -> None:
        key = event.column_key.value
        if key == self.sort:
            self.action_reverse()
        elif key in SORTS[self.group]:
            self.sort_by(key)
        else:
            self.notify(f"{NAMES[self.group]} sort by {', '.join(SORTS[self.group])}.", timeout=4)

    def action_reverse(self) -> None:
        self.descending, self.first_row = not self.descending, 0
        self.load(turned=True)

    def action_group(self) -> None:
        self.show_group(GROUPS[(GROUPS.index(self.group) + 1) % len(GROUPS)])

    def show_group(self, group: Group) -> None:
        self.group, self.first_row = group, 0
        self.sort, self.descending = SORTS[group][0], False
        self.set_columns()
        self.query_one(FittedTable).set_rows([])
        self.load(turned=True)

    def action_next_page(self) -> None:
        if self.listed is not None and self.listed.more:
            self.first_row += PAGE
            self.load(turned=True)

    def action_previous_page(self, at_end: bool = False) -> None:
        if self.first_row:
            self.first_row = max(0, self.first_row - PAGE)
            self.load(at_end=at_end, turned=True)

    def action_page_down(self) -> None:
        """PageDown scrolls the page; at its last row, it turns to the next one."""
        table = self.query_one(FittedTable)
        if table.row_count and table.cursor_row < table.row_count - 1:
            table.action_page_down()
        elif self.listed is not None and self.listed.more:
            self.action_next_page()

    def action_page_up(self) -> None:
        table = self.query_one(FittedTable)
        if table.cursor_row > 0:
            table.action_page_up()
        else:
            self.action_previous_page(at_end=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_page":
            return True if self.listed is not None and self.listed.more else None
        if action == "previous_page":
            return True if self.first_row else None
        return True

    def why_not(self, action: str) -> str | None:
        if action == "next_page":
            shown = self.listed is not None and self.listed.rows
            return "This is the last page." if shown else "Nothing to page through."
        if action == "previous_page":
            return "This is the first page."
        return super().why_not(action)

    # ---- opening what a row stands for ----------------------------------------------------------

    @on(DataTable.RowSelected)
    def row_chosen(self, event: DataTable.RowSelected) -> None:
        key = str(event.row_key.value)
        if key.startswith("p"):  # a package: its holdings
            package = int(key[1:])
            if package:
                select = self.query_one("#balances-package", Select)
                with self.prevent(Select.Changed):
                    select.value = package
                self.show_group(Group.HOLDING)
            return
        customer = int(key.split(":")[-1]) if key.startswith("h") else int(key[1:])
        self.app.open_customer(customer)

    def action_refresh(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()
