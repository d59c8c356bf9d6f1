"""Sharing a screen's height between stacked sections (`share_lines`), and a table's columns
fitted to its width (`FittedTable`)."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st
from rich.text import Text
from textual.app import App, ComposeResult

from frontdesk.widgets.fitted import FitColumn, FittedTable, share_lines


def test_each_section_gets_what_it_wants_when_all_fit() -> None:
    assert share_lines(29, [5, 6, 8]) == [5, 6, 8]  # 19 of 29 lines: the rest stays free


def test_what_a_short_section_does_not_need_goes_to_the_others() -> None:
    # 20 lines: the 5-line section takes its 5; 15 are left for two that want 30: 7 and 8
    assert share_lines(20, [30, 5, 30]) == [7, 5, 8]


def test_none_goes_under_a_heading_and_a_row() -> None:
    assert share_lines(3, [10, 10, 10]) == [2, 2, 2]


@given(st.integers(6, 200), st.lists(st.integers(2, 300), min_size=1, max_size=5))
def test_never_more_than_there_is_nor_more_than_wanted(available: int, wanted: list[int]) -> None:
    heights = share_lines(available, wanted)
    assert all(2 <= height <= max(want, 2) for height, want in zip(heights, wanted, strict=True))
    if sum(wanted) <= available:
        assert heights == wanted
    elif 2 * len(wanted) <= available:
        assert sum(heights) <= available


# ---- a FittedTable on screen: its columns fitted to its width ---------------------------------------

COLUMNS = (FitColumn("When", "when"), FitColumn("What", "what", min_width=6), FitColumn("Who", "who"))


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        table = FittedTable(id="table")
        table.set_columns(COLUMNS, shrink_order=("what",))
        yield table


def row(key: str, when: str, what: str, who: str) -> tuple[str, list[Text]]:
    return key, [Text(when), Text(what), Text(who)]


async def test_natural_widths_follow_the_rows_given_replaced_or_added() -> None:
    async with TableApp().run_test(size=(80, 10)) as pilot:
        table = pilot.app.query_one(FittedTable)
        table.set_rows([row("1", "2 Mar", "Used", "Ann")])
        assert table.natural_widths() == {"when": 5, "what": 4, "who": 3}  # "When" and "What", 4, give way to 5
        table.append_rows([row("2", "14 Nov 2025", "Given back", "Bea")])
        assert table.natural_widths() == {"when": 11, "what": 10, "who": 3}
        table.set_rows([row("3", "1 Jan", "Sold", "Cy")])
        assert table.natural_widths() == {"when": 5, "what": 4, "who": 3}


async def test_a_resize_fits_the_columns_again_without_measuring_the_rows_again(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    what = "Assigned Goodwill Visit — birthday gift"  # 39 cells
    async with TableApp().run_test(size=(80, 10)) as pilot:
        table = pilot.app.query_one(FittedTable)
        table.set_rows([row("1", "2 Mar 10:05", what, "Grace Kim")])
        await pilot.pause()
        assert table.fitted_widths == {"when": 11, "what": 39, "who": 9}  # 11 + 39 + 9 + 3 × 2 padding: 65 of 78
        measured: list[FittedTable] = []
        widest = FittedTable._widest

        def counted(self: FittedTable, *args: object) -> dict[str, int]:
            measured.append(self)
            return widest(self, *args)  # type: ignore[arg-type]

        monkeypatch.setattr(FittedTable, "_widest", counted)
        await pilot.resize_terminal(50, 10)
        for _ in range(100):  # until the table has been given its new width and refitted to it
            if table.fitted_widths != {"when": 11, "what": 39, "who": 9}:
                break
            await pilot.pause()
        # 48 for the cells (2 kept for the scrollbar); 11 + 39 + 9 + 3 × 2 padding = 65: "what" gives up 17
        assert table.fitted_widths == {"when": 11, "what": 22, "who": 9}
        await pilot.resize_terminal(80, 10)
        for _ in range(100):
            if table.fitted_widths == {"when": 11, "what": 39, "who": 9}:
                break
            await pilot.pause()
        assert table.fitted_widths == {"when": 11, "what": 39, "who": 9}
        assert measured == []


class FilledFirstApp(App[None]):
    """A table given its rows as its screen is built, before anything is laid out."""

    def compose(self) -> ComposeResult:
        yield FittedTable(id="table")

    def on_mount(self) -> None:
        table = self.query_one(FittedTable)
        table.set_columns(COLUMNS, shrink_order=("what",))
        table.set_rows([row("1", "2 Mar 10:05", "Assigned Goodwill Visit — birthday gift", "Grace Kim")])


async def test_rows_given_before_the_first_layout_are_fitted_to_the_width_it_then_has(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    fitted: list[dict[str, int]] = []
    rebuild = FittedTable.rebuild

    def counted(table: FittedTable, *args: object, **kwargs: object) -> None:
        rebuild(table, *args, **kwargs)  # type: ignore[arg-type]
        if table.fit_rows:
            fitted.append(dict(table.fitted_widths or {}))

    monkeypatch.setattr(FittedTable, "rebuild", counted)
    async with FilledFirstApp().run_test(size=(50, 10)) as pilot:
        await pilot.pause()
        table = pilot.app.query_one(FittedTable)
        assert table.size.width == 50
        # as at 50 columns above: fitted once, to the width it was then laid out at, not again
        assert fitted == [{"when": 11, "what": 22, "who": 9}]
