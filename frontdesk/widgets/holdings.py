"""A customer's packages (holdings) as a table: balance, expiry and what each covers (which services,
when, with whom) in plain words; what it covers is cut ("…") rather than wrapped on a narrow terminal.

Used-up, expired and void holdings are folded away unless `show_all` is on; then they are listed
after the active ones with their status in words. On a narrow terminal long covers,
titles and balances wrap onto a second line rather than disappear.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from frontdesk.domain.describe import HoldingStatus
from frontdesk.services.views import HoldingView
from frontdesk.widgets.fitted import FitColumn, FittedTable

PACKAGE = FitColumn("Package", "package", min_width=14, wrap=True)
STATUS = FitColumn("Status", "status")
BALANCE = FitColumn("Balance", "balance", min_width=14, wrap=True)
EXPIRY = FitColumn("Expiry", "expiry", min_width=12, wrap=True)
COVERS = FitColumn("Covers", "covers", min_width=12)  # which services, when, with whom; cut with "…" when narrow


class HoldingsTable(FittedTable):
    """One row per holding, keyed by the holding id."""

    DEFAULT_CSS = """
    HoldingsTable {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.holdings: list[HoldingView] = []
        self.show_all = False
        self.set_columns((PACKAGE, BALANCE, EXPIRY, COVERS),
                         shrink_order=("covers", "package", "balance", "expiry"))

    @staticmethod
    def folded(holdings: Sequence[HoldingView]) -> list[HoldingView]:
        """The holdings that are not active (used up, expired, void)."""
        return [holding for holding in holdings if holding.status != HoldingStatus.ACTIVE]

    def show(self, holdings: Sequence[HoldingView], *, show_all: bool = False) -> None:
        """List `holdings` (active first, as the use case sorts them); keep the cursor on the
        same holding when it is still listed."""
        keep = self.selected.id if self.selected else None
        self.show_all = show_all
        self.holdings = [h for h in holdings if show_all or h.status == HoldingStatus.ACTIVE]
        columns = (PACKAGE, STATUS, BALANCE, EXPIRY, COVERS) if show_all else \
            (PACKAGE, BALANCE, EXPIRY, COVERS)
        self.set_columns(columns, shrink_order=("covers", "package", "balance", "expiry"))
        rows = []
        for holding in self.holdings:
            style = "" if holding.status == HoldingStatus.ACTIVE else "dim"
            cells = [Text(holding.title, style=style or "bold")]
            if show_all:
                cells.append(Text(str(holding.status), style=style))
            cells += [
                Text(holding.balance_text, style=style),
                Text(holding.expiry_text, style=style),
                Text(holding.covers_text or "—", style=style),
            ]
            rows.append((str(holding.id), cells))
        row = next((i for i, h in enumerate(self.holdings) if h.id == keep), 0)
        self.set_rows(rows, cursor_row=row)

    def select(self, holding_id: int) -> bool:
        """Put the cursor on `holding_id` if it is listed."""
        for row, holding in enumerate(self.holdings):
            if holding.id == holding_id:
                self.move_cursor(row=row)
                return True
        return False

    @property
    def selected(self) -> HoldingView | None:
        if not self.holdings or not 0 <= self.cursor_row < len(self.holdings):
            return None
        return self.holdings[self.cursor_row]
