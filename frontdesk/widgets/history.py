"""A customer's balance history (the ledger, and the refunds) as a table, newest first, loaded
page by page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo

from rich.text import Text

from frontdesk.domain.describe import entry_words
from frontdesk.domain.kinds import EntryKind
from frontdesk.domain.periods import to_local
from frontdesk.services.views import HistoryCursor, LedgerLine
from frontdesk.widgets.fitted import FitColumn, FittedTable


COLUMNS = (
    FitColumn("Date", "date"),
    FitColumn("What happened", "what", min_width=18),
    FitColumn("Change", "change"),
    FitColumn("Balance after", "balance", min_width=8),
    FitColumn("Who", "who", min_width=5),
)


def what_happened(line: LedgerLine) -> str:
    """ "Assigned Goodwill Visit — birthday gift", "Used Massage Pack", "Given back Massage Pack — …".

    A redemption's note only repeats what it took ("1 visit"), so it is left out unless it says
    more (e.g. "1 × Thai Massage")."""
    text = f"{entry_words(line.kind)} {line.holding_title}"
    note = line.note.strip()
    if line.kind == EntryKind.REDEEM and note in (line.delta_text.lstrip("+-"), "unlimited use"):
        note = ""
    return f"{text} — {note}" if note else text


def entry_date(line: LedgerLine, tz: ZoneInfo, today: date) -> str:
    """ "2 Mar 10:05" this year, "14 Nov 2025" before."""
    local = to_local(line.at, tz)
    return f"{local:%-d %b %H:%M}" if local.year == today.year else f"{local:%-d %b %Y}"


class HistoryTable(FittedTable):
    """Date, what happened, change, balance after, who — one row per ledger entry. On a narrow
    terminal "what happened" (then "who") is shortened with "…" so the change and the balance
    stay in view."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.set_columns(COLUMNS, shrink_order=("what", "who", "balance"))
        self.lines: list[LedgerLine] = []

    def on_mount(self) -> None:
        self.rebuild()

    @staticmethod
    def cells(line: LedgerLine, tz: ZoneInfo, today: date) -> list[Text]:
        return [
            Text(entry_date(line, tz, today)),
            Text(what_happened(line)),
            Text(line.delta_text, style="bold" if line.delta > 0 else ""),
            Text(line.balance_text),
            Text(line.staff_name),
        ]

    def show(self, lines: Sequence[LedgerLine], *, tz: ZoneInfo, today: date, append: bool = False) -> None:
        """List `lines` (newest first), after the ones shown when `append`."""
        rows = [(line.key, self.cells(line, tz, today)) for line in lines]
        if append:
            self.lines.extend(lines)
            self.append_rows(rows)
        else:
            self.lines = list(lines)
            self.set_rows(rows)

    @property
    def oldest(self) -> HistoryCursor | None:
        """Where the next (older) page starts."""
        return self.lines[-1].cursor if self.lines else None
