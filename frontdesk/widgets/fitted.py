"""A DataTable whose long columns give way on a narrow terminal, so the key columns stay in view.

Each column says how narrow it may get (`min_width`) and whether its text then wraps onto more
lines (`wrap`, nothing is lost) or ends in "…". Columns shrink in the order they are listed in
`shrink_order` until the table fits its width; it is fitted again whenever it is resized (its
rows are measured once, when they are given). Rows are keyed by the record they show: after a
refresh the cursor stays on its record, not on its row number (`set_rows`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.dom import DOMNode
from textual.geometry import Size
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable

from frontdesk.widgets.keys_in_order import KeysInOrder

SCROLLBAR = 2  # room kept for the vertical scrollbar


@dataclass(frozen=True, slots=True)
class FitColumn:
    label: str
    key: str
    min_width: int | None = None  # None: keeps its natural width
    wrap: bool = False  # when shrunk: wrap onto more lines (True) or end in "…" (False)


def share_lines(available: int, wanted: Sequence[int], *, least: int = 2) -> list[int]:
    """Heights for sections stacked in `available` lines, each wanting `wanted[i]`: each gets what
    it wants when that fits; the rest share what is left evenly (what one does not need goes to
    the others), none under `least` (a heading and a row)."""
    heights = [0] * len(wanted)
    left, waiting = max(available, 0), sorted(range(len(wanted)), key=lambda index: wanted[index])
    while waiting:
        index = waiting.pop(0)
        share = left // (len(waiting) + 1)
        heights[index] = max(min(wanted[index], share), least)
        left -= heights[index]
    return heights


def row_of(rows: Sequence[tuple[str, list[Text]]], key: str | None) -> int | None:
    """Where the row keyed `key` is among `rows`, or None."""
    return next((index for index, (row_key, _) in enumerate(rows) if row_key == key), None) if key else None


class FittedTable(KeysInOrder, DataTable):
    """Rows are given whole with `set_rows`; the table lays them out for its width. Keys typed in
    a burst act in the order they were typed (`KeysInOrder`): "c⏎" on a customer's appointments
    opens her checkout, then pays, instead of the Enter acting on the table first."""

    @dataclass
    class LinesChanged(Message):
        """The lines it takes to show every row whole changed (new rows, or a new width wrapped
        them differently): a screen that sizes its sections by them sizes them again."""

        table: FittedTable

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)
        self.fit_columns: tuple[FitColumn, ...] = ()
        self.shrink_order: tuple[str, ...] = ()
        self.widest_first = False  # shrink the widest column first (one long value is cut, not its neighbours)
        self.fit_rows: list[tuple[str, list[Text]]] = []
        self.fitted_widths: dict[str, int] | None = None
        self._natural: dict[str, int] | None = None  # natural_widths, measured once per set of rows
        self.lines_wanted = 0  # the lines it takes to show every row whole, its header included

    def set_columns(self, columns: Sequence[FitColumn], shrink_order: Sequence[str] = (), *,
                    widest_first: bool = False) -> None:
        """`shrink_order`: which columns give up width, in turn; with `widest_first`, the columns
        that may shrink are instead cut to one common width, as wide as still fits, so a very long
        value gives way before its neighbours do."""
        self.fit_columns = tuple(columns)
        self.shrink_order = tuple(shrink_order) or tuple(c.key for c in columns if c.min_width)
        self.widest_first = widest_first
        self._natural = None

    def set_rows(self, rows: Sequence[tuple[str, list[Text]]], *, cursor_row: int | None = None) -> None:
        """Replace the rows (key, cells). The cursor stays on the same record — the row with the
        same key, wherever a refresh put it — when it is still listed, else on the same row number;
        or it goes to `cursor_row`."""
        if cursor_row is None:
            cursor_row = row_of(rows, self.cursor_key)
        self.fit_rows = list(rows)
        self._natural = None
        self.rebuild(cursor_row)

    @property
    def cursor_key(self) -> str | None:
        """The key of the row under the cursor (which record it is); None when there is none."""
        return self.fit_rows[self.cursor_row][0] if 0 <= self.cursor_row < len(self.fit_rows) else None

    def append_rows(self, rows: Sequence[tuple[str, list[Text]]]) -> None:
        if self._natural is not None:
            self._natural = self._widest(rows, self._natural)
        self.fit_rows.extend(rows)
        self.rebuild(self.cursor_row)

    def natural_widths(self) -> dict[str, int]:
        """How wide each column is with nothing cut: its widest cell, or its label. Measured once
        for the rows given (a resize only fits them again)."""
        if self._natural is None:
            labels = {column.key: Text(column.label).cell_len for column in self.fit_columns}
            self._natural = self._widest(self.fit_rows, labels)
        return self._natural

    def _widest(self, rows: Sequence[tuple[str, list[Text]]], widths: dict[str, int]) -> dict[str, int]:
        widths = dict(widths)
        for _, cells in rows:
            for column, cell in zip(self.fit_columns, cells, strict=False):
                widths[column.key] = max(widths[column.key], cell.cell_len)
        return widths

    def fitted(self) -> dict[str, int]:
        """The width of each column: its natural width, less what it gives up to fit. (Every
        width is set explicitly, so the table never waits for an idle moment to measure.)"""
        available = self.width_to_fit() - SCROLLBAR
        widths = self.natural_widths()
        result = dict(widths)
        if available <= 0:
            return result
        padding = 2 * self.cell_padding
        excess = sum(width + padding for width in widths.values()) - available
        columns = {column.key: column for column in self.fit_columns}
        if self.widest_first and excess > 0:
            return self._cut_to_common_width(widths, columns, excess)
        for key in self.shrink_order:
            if excess <= 0:
                break
            column = columns.get(key)
            if column is None or column.min_width is None:
                continue
            give = min(excess, widths[key] - column.min_width)
            if give > 0:
                result[key] = widths[key] - give
                excess -= give
        return result

    def width_to_fit(self) -> int:
        """Its width; before it is first laid out (rows given as its screen is built), the width it
        will have in a screen of full-width parts, as the customer's is: the terminal's, less the
        margins, borders and padding around it. Wherever it is, it is fitted again once laid out."""
        if self.size.width or not self.is_attached:
            return self.size.width
        width = self.app.size.width
        node: DOMNode | None = self
        while isinstance(node, Widget):
            styles = node.styles
            width -= styles.gutter.width + (0 if isinstance(node, Screen) else styles.margin.width)
            node = None if isinstance(node, Screen) else node.parent
        return max(width, 0)

    def _cut_to_common_width(self, widths: dict[str, int], columns: dict[str, FitColumn],
                             excess: int) -> dict[str, int]:
        """The shrinkable columns cut to the widest common width that removes `excess` (never below
        their `min_width`); the others keep their natural width."""
        shrinkable = [key for key in self.shrink_order
                      if key in columns and columns[key].min_width is not None]

        def cut(cap: int) -> dict[str, int]:
            return {key: min(widths[key], max(cap, columns[key].min_width or 0)) for key in shrinkable}

        total = sum(widths[key] for key in shrinkable)
        cap = max((widths[key] for key in shrinkable), default=0)
        while cap > 0 and total - sum(cut(cap).values()) < excess:
            cap -= 1
        return {**widths, **cut(cap)}

    def rebuild(self, cursor_row: int | None = None) -> None:
        row = self.cursor_row if cursor_row is None else cursor_row
        widths = self.fitted()
        self.fitted_widths = widths
        natural = self.natural_widths()
        shrunk = {key for key, width in widths.items() if width < natural[key]}
        wraps = any(column.wrap and column.key in shrunk for column in self.fit_columns)
        before = self.lines_wanted
        self.lines_wanted = int(self.show_header) + sum(
            max((-(-cell.cell_len // max(widths[column.key], 1)) if column.wrap and column.key in shrunk else 1
                 for column, cell in zip(self.fit_columns, cells, strict=False)), default=1)
            for _, cells in self.fit_rows)
        self.clear(columns=True)
        for column in self.fit_columns:
            self.add_column(column.label, key=column.key, width=widths[column.key])
        cut = [column.key in shrunk and not column.wrap for column in self.fit_columns]
        for key, cells in self.fit_rows:
            # a cell to be cut is a copy ending in "…" (the row as given stays whole, for a wider
            # table); cells beyond the columns shown are left out
            shown = [self._cut(cell) if ends else cell for ends, cell in zip(cut, cells, strict=False)]
            self.add_row(*shown, key=key, height=None if wraps else 1)
        self._measure_now(wraps)
        if self.fit_rows:
            self.move_cursor(row=max(0, min(row, len(self.fit_rows) - 1)))
        if self.lines_wanted != before:
            self.post_message(self.LinesChanged(self))

    @staticmethod
    def _cut(cell: Text) -> Text:
        cell = cell.copy()
        cell.no_wrap, cell.overflow = True, "ellipsis"
        return cell

    def _measure_now(self, wraps: bool) -> None:
        """Size the table for its rows now, not when it is next idle as Textual's table does: the
        screen then lays it out once, its scrollbar already there when the rows overflow, instead
        of once without it and again with it (every row drawn twice). Every column's width is set,
        so rows one line high need no measuring: only wrapped rows are measured, for their height."""
        if not self._require_update_dimensions:
            return
        self._require_update_dimensions = False
        new_rows = self._new_rows.copy()
        self._new_rows.clear()
        if wraps:
            self._update_dimensions(new_rows)
            return
        self.virtual_size = Size(sum(column.get_render_width(self) for column in self.columns.values()),
                                 self._total_row_height + (self.header_height if self.show_header else 0))

    def on_resize(self, event: events.Resize) -> None:
        if self.fit_columns and self.fitted() != self.fitted_widths:
            self.rebuild()
