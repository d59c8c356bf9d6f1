"""Validity periods and local dates.

A holding is valid from the local date of its purchase through `valid_until`, inclusive.
All calendar rules use the business's local time zone.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo


class PeriodUnit(StrEnum):
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"


@dataclass(frozen=True, slots=True)
class Period:
    """A validity period counted from the purchase, e.g. 2 months."""

    count: int
    unit: PeriodUnit


def add_period(start: date, period: Period) -> date:
    """`start` plus `period`; calendar months clamp to the month's end (31 Jan + 1 month → 28/29 Feb)."""
    if period.unit is PeriodUnit.DAYS:
        return start + timedelta(days=period.count)
    if period.unit is PeriodUnit.WEEKS:
        return start + timedelta(weeks=period.count)
    months = start.year * 12 + (start.month - 1) + period.count
    year, month = divmod(months, 12)
    month += 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def valid_until(purchased_on: date, period: Period | None) -> date | None:
    """The last valid local date (inclusive) of a holding bought on `purchased_on`; None: no expiry.

    Bought 31 Jan with 1 month → through 28/29 Feb; bought Mon 2 Mar with 1 week → through Mon 9 Mar.
    """
    return None if period is None else add_period(purchased_on, period)


def to_local(moment: datetime, tz: ZoneInfo) -> datetime:
    """An aware `moment` as wall-clock time in `tz`; `ValueError` for a naive datetime."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a timezone-aware datetime is required")
    return moment.astimezone(tz)


def local_date(moment: datetime, tz: ZoneInfo) -> date:
    """The calendar date of an aware `moment` in the time zone `tz`."""
    return to_local(moment, tz).date()


def local_time(moment: datetime, tz: ZoneInfo) -> time:
    """The wall-clock time of an aware `moment` in the time zone `tz` (naive `time`)."""
    return to_local(moment, tz).time()
