"""Sharing a screen's height between stacked sections (`share_lines`)."""

from __future__ import annotations

from hypothesis import given, strategies as st

from frontdesk.widgets.fitted import share_lines


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
