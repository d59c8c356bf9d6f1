"""Snapshots of the day book at 100×32 and 80×24: a Monday with three providers (one with nothing
booked), an unpaid, a paid-from-package, a no-show, a cancelled, one to be covered by a package,
and a customer with a very long name, cut with "…"; and the day typed after `g`."""

from __future__ import annotations

from textual.pilot import Pilot

from frontdesk.app import FrontDeskApp
from tests.screens.keys import type_text
from tests.screens.settle import settle
from tests.screens.test_day_book import Day, day  # noqa: F401


async def open_day_book(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("f9")
    await settle(pilot)


def test_day_book(snap_compare, day: Day) -> None:  # noqa: ANN001,F811
    assert snap_compare(FrontDeskApp(day.desk), terminal_size=(100, 32), run_before=open_day_book)


def test_day_book_80x24(snap_compare, day: Day) -> None:  # noqa: ANN001,F811
    assert snap_compare(FrontDeskApp(day.desk), terminal_size=(80, 24), run_before=open_day_book)


def test_day_book_going_to_a_typed_day_80x24(snap_compare, day: Day) -> None:  # noqa: ANN001,F811
    async def typed(pilot: Pilot) -> None:
        await open_day_book(pilot)
        await pilot.press("g")
        await type_text(pilot, "someday", then_settle=True)

    assert snap_compare(FrontDeskApp(day.desk), terminal_size=(80, 24), run_before=typed)
