"""The day book's rules: clashes, opening hours and the next free start (pure, no database)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, strategies as st

from frontdesk.domain.schedule import DayHours, OpeningHours, hours_problem, next_free_start, overlaps

NY = ZoneInfo("America/New_York")
TUE = date(2026, 3, 3)
NINE_TO_SIX = OpeningHours((DayHours(time(9), time(18)),) * 5 + (DayHours(time(10), time(17)), None))


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), NY)


moments = st.builds(lambda minutes: at(TUE, 0) + timedelta(minutes=minutes), st.integers(0, 3 * 24 * 60))
lengths = st.integers(1, 240)


@given(moments, lengths, moments, lengths)
def test_overlap_is_symmetric_and_means_a_shared_minute(a: datetime, a_min: int, b: datetime, b_min: int) -> None:
    shared = max(a, b) < min(a + timedelta(minutes=a_min), b + timedelta(minutes=b_min))
    assert overlaps(a, a_min, b, b_min) == overlaps(b, b_min, a, a_min) == shared


def test_back_to_back_does_not_overlap() -> None:
    assert not overlaps(at(TUE, 15), 60, at(TUE, 16), 60)
    assert not overlaps(at(TUE, 16), 60, at(TUE, 15), 60)
    assert overlaps(at(TUE, 15), 61, at(TUE, 16), 60)


def test_the_whole_appointment_fits_its_days_hours() -> None:
    assert hours_problem(None, at(TUE, 3), 60, NY) is None  # no hours kept: no check
    assert hours_problem(NINE_TO_SIX, at(TUE, 9), 60, NY) is None
    assert hours_problem(NINE_TO_SIX, at(TUE, 17), 60, NY) is None  # ends at closing
    assert hours_problem(NINE_TO_SIX, at(TUE, 17, 1), 60, NY) == "We open 09:00–18:00 on Tuesdays."
    assert hours_problem(NINE_TO_SIX, at(TUE, 8, 45), 30, NY) == "We open 09:00–18:00 on Tuesdays."
    assert hours_problem(NINE_TO_SIX, at(date(2026, 3, 7), 9), 60, NY) == "We open 10:00–17:00 on Saturdays."
    assert hours_problem(NINE_TO_SIX, at(date(2026, 3, 8), 12), 60, NY) == "We are closed on Sundays."
    assert NINE_TO_SIX.words == "Mon–Fri 09:00–18:00 · Sat 10:00–17:00 · Sun closed"


def test_the_next_free_start() -> None:
    assert next_free_start(NINE_TO_SIX, [], 60, at(TUE, 5, 10), NY) == at(TUE, 9)
    assert next_free_start(NINE_TO_SIX, [(at(TUE, 9), 60)], 60, at(TUE, 5, 10), NY) == at(TUE, 10)
    assert next_free_start(NINE_TO_SIX, [(at(TUE, 9), 60)], 60, at(TUE, 9, 20), NY) == at(TUE, 10)
    assert next_free_start(NINE_TO_SIX, [(at(TUE, 9, 10), 25)], 60, at(TUE, 9), NY) == at(TUE, 9, 45)
    assert next_free_start(NINE_TO_SIX, [], 90, at(TUE, 17), NY) == at(TUE + timedelta(days=1), 9)
    assert next_free_start(NINE_TO_SIX, [], 30, at(TUE, 11, 1), NY) == at(TUE, 11, 15)
    friday_evening = at(date(2026, 3, 6), 17, 30)
    assert next_free_start(NINE_TO_SIX, [], 60, friday_evening, NY) == at(date(2026, 3, 7), 10)  # Saturday's hours
    closed = OpeningHours((None,) * 7)
    assert next_free_start(closed, [], 60, at(TUE, 9), NY) is None
    assert next_free_start(None, [], 60, at(TUE, 5, 10), NY) == at(TUE, 5, 15)  # no hours: any time


@given(st.lists(st.tuples(st.integers(0, 4 * 24 * 4), st.integers(1, 180)), max_size=12),
       st.integers(1, 180), st.integers(0, 3 * 24 * 60))
def test_the_next_free_start_is_free_open_on_the_grid_and_the_first(busy_raw, minutes, after_min) -> None:
    busy = [(at(TUE, 0) + timedelta(minutes=15 * start + 5), length) for start, length in busy_raw]
    earliest = at(TUE, 0) + timedelta(minutes=after_min)
    found = next_free_start(NINE_TO_SIX, busy, minutes, earliest, NY, days=7)

    def fits(start: datetime) -> bool:
        return (hours_problem(NINE_TO_SIX, start, minutes, NY) is None
                and not any(overlaps(start, minutes, other, length) for other, length in busy))

    grid = at(TUE, 0)
    candidates = [grid + timedelta(minutes=15 * n) for n in range(8 * 24 * 4)]
    first = next((start for start in candidates if start >= earliest and fits(start)
                  and start.date() < TUE + timedelta(days=7)), None)
    assert found == first
