"""What makes up one figure of the roll-forward: each holding's part, with when, whose, which
package and why (the ledger entry's note), newest first."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from frontdesk.domain.money import format_money
from frontdesk.domain.periods import local_date, to_local
from frontdesk.screens.base import DeskModal
from frontdesk.services.liability import MovementLine
from frontdesk.widgets.fitted import FitColumn, FittedTable
from frontdesk.widgets.footer import KeysFooter

COLUMNS = (
    FitColumn("When", "when"),
    FitColumn("Customer", "customer", min_width=8),
    FitColumn("Package", "package", min_width=8),
    FitColumn("Amount", "amount"),
    FitColumn("Why", "why", min_width=6),
)


def moment_text(local: datetime, this_year: int) -> str:
    """ "2 Mar 10:05" this year, "14 Nov 2025 10:05" another year."""
    return f"{local:%-d %b %H:%M}" if local.year == this_year else f"{local:%-d %b %Y %H:%M}"


class MovementDialog(DeskModal[None]):
    """The lines behind a figure; Enter or Escape closes it."""

    BINDINGS = [
        Binding("escape", "close", "Close", tooltip="Back to the figures", id="movement-close"),
        Binding("enter", "close", "Close", show=False),
    ]

    def __init__(self, title: str, lines: list[MovementLine]) -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical(id="movement-box"):
            yield Static(self.title_text, id="movement-title")
            yield FittedTable(id="movement-lines")
            yield Static("" if self.lines else "Nothing moved here in this period.", id="movement-note")
        yield KeysFooter()

    def on_mount(self) -> None:
        business = self.desk.business
        this_year = local_date(self.desk.now(), business.tz).year
        table = self.query_one(FittedTable)
        table.set_columns(COLUMNS, shrink_order=("why", "package", "customer"))
        table.set_rows([
            (str(index), [Text(moment_text(to_local(line.at, business.tz), this_year)), Text(line.customer_name),
                          Text(line.title), Text(format_money(line.amount, business.currency)), Text(line.what)])
            for index, line in enumerate(self.lines)
        ])
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
