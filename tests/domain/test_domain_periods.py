"""Validity periods: days, weeks and calendar months; local dates and times."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.periods import add_period, local_date, local_time, valid_until
from frontdesk.domain.terms import Period, PeriodUnit

MONTH, WEEK, DAY = PeriodUnit.MONTHS, PeriodUnit.WEEKS, PeriodUnit.DAYS


@pytest.mark.parametrize(
    ("start", "period", "end"),
    [
        (date(2027, 1, 31), Period(1, MONTH), date(2027, 2, 28)),
        (date(2028, 1, 31), Period(1, MONTH), date(2028, 2, 29)),
        (date(2027, 3, 31), Period(1, MONTH), date(2027, 4, 30)),
        (date(2027, 11, 30), Period(3, MONTH), date(2028, 2, 29)),
        (date(2027, 12, 15), Period(1, MONTH), date(2028, 1, 15)),
        (date(2027, 3, 15), Period(2, MONTH), date(2027, 5, 15)),
        (date(2027, 3, 2), Period(1, WEEK), date(2027, 3, 9)),
        (date(2027, 12, 31), Period(1, DAY), date(2028, 1, 1)),
    ],
)
def test_add_period(start, period, end):
    assert add_period(start, period) == end


def test_valid_until_is_the_last_valid_day():
    assert valid_until(date(2027, 1, 31), Period(1, MONTH)) == date(2027, 2, 28)
    assert valid_until(date(2028, 1, 31), Period(1, MONTH)) == date(2028, 2, 29)
    assert valid_until(date(2026, 3, 2), Period(1, WEEK)) == date(2026, 3, 9)  # Monday to Monday
    assert valid_until(date(2027, 3, 2), None) is None


dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2200, 12, 31))


@given(dates, st.integers(min_value=0, max_value=400))
def test_days_and_weeks_are_exact(start, n):
    assert add_period(start, Period(n, DAY)) - start == timedelta(days=n)
    assert add_period(start, Period(n, WEEK)) - start == timedelta(days=7 * n)


@given(dates, st.integers(min_value=0, max_value=120))
def test_months_land_in_the_right_month_and_clamp_only_at_month_end(start, n):
    end = add_period(start, Period(n, MONTH))
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == n
    assert end.day <= start.day
    if end.day < start.day:  # clamped: it is the last day of that month
        assert (end + timedelta(days=1)).month != end.month


@given(dates, st.integers(min_value=0, max_value=60), st.integers(min_value=0, max_value=60))
def test_months_are_monotonic(start, a, b):
    low, high = sorted((a, b))
    assert add_period(start, Period(low, MONTH)) <= add_period(start, Period(high, MONTH))


def test_local_date_and_time():
    new_york = ZoneInfo("America/New_York")
    moment = datetime(2027, 3, 2, 4, 30, tzinfo=UTC)  # Tuesday in UTC, Monday 23:30 in New York
    assert local_date(moment, new_york) == date(2027, 3, 1)
    assert local_time(moment, new_york) == time(23, 30)
    assert local_date(moment, ZoneInfo("UTC")) == date(2027, 3, 2)
    with pytest.raises(ValueError, match="timezone-aware"):
        local_date(datetime(2027, 3, 2, 4, 30), new_york)
