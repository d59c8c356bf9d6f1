"""What the business owes (managers, f7): the prepaid service still owed, how each figure is
valued, how it moved over a period (this month so far by default), and who to call before their
package expires.

`/` goes to the period and the expiring window; Tab moves between them and the tables; Enter in
a field reads the page again. The aging shows the usable holdings by days since their last use.
Enter on a movement shows the lines behind it; `b` lists the balances. `x` writes the period's ledger and roll-forward,
the balances and the call list as CSV files. Every figure comes from the ledger and the payments
(`liability.owed_page`); opening + movements = closing is checked and said.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Header, Input, Label, Sparkline, Static

from frontdesk.documents.tables import exports_folder, write_csv
from frontdesk.domain.money import format_money
from frontdesk.domain.parsing import parse_count, parse_day
from frontdesk.domain.periods import local_date
from frontdesk.domain.valuation import Movement
from frontdesk.screens.base import DeskScreen
from frontdesk.screens.dialogs.movement import MovementDialog
from frontdesk.services import exports
from frontdesk.services.liability import MovementLine, OwedPage, Trends, movement_lines, owed_page, trends
from frontdesk.widgets.appointments import day_text
from frontdesk.widgets.fitted import FitColumn, FittedTable
from frontdesk.widgets.parsed_input import ParsedInput
from frontdesk.widgets.footer import KeysFooter

FIGURES = (FitColumn("What moved", "what", min_width=16), FitColumn("Amount", "amount"))
EXPIRING = (  # who and how to reach her first; what and how much after, shortened when narrow
    FitColumn("Expires", "expires"),
    FitColumn("Customer", "customer", min_width=8),
    FitColumn("Phone", "phone"),
    FitColumn("Worth", "worth"),
    FitColumn("Package", "package", min_width=6),
    FitColumn("Left", "left", min_width=5),
)
WORDS = {
    Movement.SOLD: "+ sold",
    Movement.ASSIGNED: "+ given free (worth 0)",
    Movement.IMPORTED: "+ imported",
    Movement.REDEEMED: "− used",
    Movement.REVERSED: "+ given back",
    Movement.ADJUSTED: "± adjusted",
    Movement.VOIDED: "− voided",
    Movement.REFUNDED: "− refunded",
    Movement.EXPIRED: "− expired unused",
    Movement.EXTENDED: "± expiry moved",
    Movement.TRANSFERRED: "± moved between customers",
}
WHEN_MOVED = {Movement.IMPORTED, Movement.EXTENDED, Movement.TRANSFERRED}  # rows shown only in a period they moved in


def parse_days(text: str) -> int:
    days = parse_count(text, "14")
    if days > 366:
        raise ValueError("At most 366 days.")
    return days


class OwedScreen(DeskScreen[None]):
    """The liability for prepaid service, its roll-forward, and the call list."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # the tables side by side when there is room
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to where you were", id="owed-back"),
        Binding("slash", "period", "Period", tooltip="Change the period and the expiring window", id="owed-period"),
        Binding("x", "export", "Export", tooltip="Write the period's ledger, roll-forward, the balances and the "
                "call list as CSV files", id="owed-export"),
        Binding("b", "balances", "Balances", tooltip="Outstanding balances by holding, customer or package: "
                "filter, sort, page through them", id="owed-balances"),
        Binding("f5", "refresh", "Refresh", tooltip="Read the figures again", id="owed-refresh"),
    ]

    @dataclass
    class PageRead(Message):
        page: OwedPage

    @dataclass
    class Exported(Message):
        files: list[Path]

    @dataclass
    class TrendsRead(Message):
        trends: Trends

    @dataclass
    class Behind(Message):
        title: str
        lines: list[MovementLine]

    shown: OwedPage | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        today = self.today
        with Horizontal(id="owed-filters"):
            yield Label("From", classes="owed-label")
            yield ParsedInput(f"{today.replace(day=1):%-d %b %Y}", parse=self.day, id="owed-from", compact=True)
            yield Label("to", classes="owed-label")
            yield ParsedInput(f"{today:%-d %b %Y}", parse=self.day, id="owed-to", compact=True)
            yield Label("Expiring within", classes="owed-label")
            yield ParsedInput("14", parse=parse_days, id="owed-within", compact=True)
            yield Label("days", classes="owed-label")
        yield Static("", id="owed-filter-error")
        yield Static("", id="owed-total")
        with Horizontal(id="owed-tables"):
            with Vertical(id="owed-roll-box"):
                yield Static("", id="owed-roll-title", classes="section-title")
                yield FittedTable(id="owed-roll")
                yield Static("", id="owed-check")
                yield Static("", id="owed-aging")
            with Vertical(id="owed-expiring-box"):
                yield Static("", id="owed-expiring-title", classes="section-title")
                yield FittedTable(id="owed-expiring")
                with Horizontal(id="owed-trends"):
                    for name in ("sold", "used", "owed"):
                        with Vertical(classes="owed-trend"):
                            yield Static("", id=f"owed-{name}-title", classes="owed-trend-title")
                            yield Sparkline([], id=f"owed-{name}", summary_function=max)
        yield KeysFooter()

    @property
    def today(self) -> date:
        return local_date(self.desk.now(), self.desk.business.tz)

    def day(self, text: str) -> date:
        return parse_day(text, self.today)

    def on_mount(self) -> None:
        self.query_one("#owed-roll", FittedTable).set_columns(FIGURES)
        self.query_one("#owed-expiring", FittedTable).set_columns(EXPIRING,
                                                                  shrink_order=("left", "package", "customer"))
        self.query_one("#owed-roll", FittedTable).focus()
        self.load()
        self.read_trends()

    def on_screen_resume(self) -> None:
        self.load()
        self.read_trends()

    def load(self) -> None:
        fields = [self.query_one(f"#owed-{name}", ParsedInput) for name in ("from", "to", "within")]
        problem = next((field.error for field in fields if field.error), None)
        if problem is None and any(field.parsed is None for field in fields):
            problem = "Fill in the period and the days."
        error = self.query_one("#owed-filter-error", Static)
        error.update(problem or "")
        error.display = problem is not None
        if problem:
            return  # the figures stay as they were
        first, last, within = (field.parsed for field in fields)
        if last < first:
            self.notify("The period ends before it begins: swap the days.", severity="warning")
            return
        self.read(first, last, within)

    @work(thread=True, exclusive=True, group="trends", exit_on_error=False)
    def read_trends(self) -> None:
        """The weekly trends: they don't depend on the period typed, so they are read on opening
        and on f5 only (twelve weeks of roll-forwards), not on every key typed in a field."""
        desk = self.desk
        self.post_fresh(self.TrendsRead(desk.read(trends, desk.business)))

    @on(TrendsRead)
    def trends_read(self, message: TrendsRead) -> None:
        self.show_trends(message.trends)

    @work(thread=True, exclusive=True, group="read", exit_on_error=False)
    def read(self, first: date, last: date, within: int) -> None:
        desk = self.desk
        self.post_fresh(self.PageRead(desk.read(owed_page, desk.business, first_day=first, last_day=last,
                                                within_days=within)))

    @on(PageRead)
    def show(self, message: PageRead) -> None:
        page, currency = message.page, self.desk.business.currency
        self.shown = page
        money = lambda amount: format_money(amount, currency)  # noqa: E731
        roll = page.roll
        until = min(roll.last_day, self.today)
        total = Text.assemble(("We owe ", "bold"), (money(roll.closing), "bold"),
                              (f" for prepaid service as of {until:%-d %b %Y}", "bold"))
        for method, count, worth in roll.by_method():
            total.append(f"\n  {money(worth):>12}  {count:>4} × {method}")
        self.query_one("#owed-total", Static).update(total)
        self.query_one("#owed-roll-title", Static).update(
            f"What moved, {roll.first_day:%-d %b} to {until:%-d %b %Y}")
        rows = [("opening", [Text(f"Owed on {roll.first_day:%-d %b}"), Text(money(roll.opening))])]
        for kind, amount in roll.movements.items():
            if kind in WHEN_MOVED and not roll.behind.get(kind):
                continue
            words = WORDS[kind]
            if kind is Movement.ASSIGNED:
                words = f"+ {roll.assigned_holdings} given free"
            rows.append((str(kind), [Text(words), Text(money(amount))]))
        rows.append(("closing", [Text("= owed now" if until == self.today else f"= owed on {until:%-d %b}",
                                      style="bold"), Text(money(roll.closing), style="bold")]))
        self.query_one("#owed-roll", FittedTable).set_rows(rows)
        self.query_one("#owed-check", Static).update(
            "opening + movements = closing ✓" if roll.balanced
            else "opening + movements ≠ closing: report this")
        aging = Text.assemble(("Since last use (or purchase)", "bold"))
        for label, count, worth in page.aging:
            aging.append(f"\n  {label:<14}{count:>5}  {money(worth):>12}")
        self.query_one("#owed-aging", Static).update(aging)
        self.query_one("#owed-expiring-title", Static).update(
            f"Expiring within {page.within_days} days: {len(page.expiring)} to call" if page.expiring
            else f"Nothing with a balance expires within {page.within_days} days")
        self.query_one("#owed-expiring", FittedTable).set_rows([
            (str(row.holding_id), [Text(day_text(row.valid_until, self.today)), Text(row.customer_name),
                                   Text(row.phone or "—"), Text(money(row.worth)), Text(row.title),
                                   Text(row.balance_text)])
            for row in page.expiring
        ])

    def show_trends(self, trends: Trends) -> None:
        """Sold, used and owed, week by week: a sparkline each, with the last week's figure."""
        money = lambda amount: format_money(amount, self.desk.business.currency)  # noqa: E731
        since = f"{trends.weeks[0]:%-d %b}" if trends.weeks else ""
        for name, words, series in (("sold", "Sold a week", trends.sold), ("used", "Used a week", trends.used),
                                    ("owed", "Owed at week's end", trends.owed)):
            self.query_one(f"#owed-{name}", Sparkline).data = series
            last = money(series[-1]) if series else "—"
            when = "now" if name == "owed" else "this week"
            self.query_one(f"#owed-{name}-title", Static).update(f"{words} since {since}: {last} {when}")

    def action_export(self) -> None:
        fields = [self.query_one(f"#owed-{name}", ParsedInput) for name in ("from", "to", "within")]
        if any(field.error or field.parsed is None for field in fields):
            self.notify("Fix the period first: the files are written for the days shown.", severity="warning")
            return
        first, last, within = (field.parsed for field in fields)
        self.notify("Writing the CSV files…", timeout=3)
        self.export(first, last, within)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def export(self, first: date, last: date, within: int) -> None:
        desk, folder = self.desk, exports_folder()
        span = f"{first.isoformat()}-to-{last.isoformat()}"
        tables = {
            f"ledger-{span}.csv": desk.read(exports.ledger_table, desk.business, first_day=first, last_day=last),
            f"rollforward-{span}.csv": desk.read(exports.roll_forward_table, desk.business, first_day=first,
                                                  last_day=last),
            f"balances-{last.isoformat()}.csv": desk.read(exports.balances_table, desk.business, day=last),
            f"call-list-{within}-days.csv": desk.read(exports.call_list_table, desk.business, within_days=within),
        }
        self.post_fresh(self.Exported([write_csv(table, folder / name) for name, table in tables.items()]))

    @on(Exported)
    def exported(self, message: Exported) -> None:
        folder = message.files[0].parent
        self.notify(f"Written in {folder}: " + ", ".join(path.name for path in message.files) + ".",
                    title="Export", timeout=12)

    @on(DataTable.RowSelected, "#owed-roll")
    def figure_chosen(self, event: DataTable.RowSelected) -> None:
        """Enter on a movement: the lines behind it."""
        key = event.row_key.value
        if key not in {str(kind) for kind in Movement} or self.shown is None:
            self.notify("Enter on a movement (sold, used, …) shows what makes it up.", timeout=5)
            return
        roll = self.shown.roll
        movement = Movement(key)
        self.behind(roll.first_day, roll.last_day, movement,
                    f"{WORDS[movement]}, {roll.first_day:%-d %b} to {roll.last_day:%-d %b %Y}: "
                    f"{format_money(roll.movements[movement], self.desk.business.currency)}")

    @work(thread=True, exclusive=True, group="behind", exit_on_error=False)
    def behind(self, first: date, last: date, movement: Movement, title: str) -> None:
        desk = self.desk
        lines = desk.read(movement_lines, desk.business, first_day=first, last_day=last, movement=movement)
        self.post_fresh(self.Behind(title, lines))

    @on(Behind)
    def show_behind(self, message: Behind) -> None:
        self.app.push_screen(MovementDialog(message.title, message.lines))

    @on(Input.Changed)
    def changed(self) -> None:
        self.load()

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.load()
        self.query_one("#owed-roll", FittedTable).focus()

    def action_period(self) -> None:
        self.query_one("#owed-from", ParsedInput).focus()

    def action_refresh(self) -> None:
        self.load()
        self.read_trends()

    def action_balances(self) -> None:
        self.app.open_balances()

    def action_back(self) -> None:
        self.app.back_from_area()
