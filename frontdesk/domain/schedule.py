"""The day book's rules: when two appointments clash, whether one falls within opening hours, and
the next free start for a provider.

An appointment takes the interval [start, start + duration): one that starts as another ends
does not clash with it. Opening hours are kept per weekday (0 = Monday), in the business's local
time; a whole appointment must fit in its day's hours. Without hours kept at all nothing is
checked against them. Starts are offered on a 15-minute grid of the local clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
GRID_MIN = 15  # offered starts fall on the quarter hours
SEARCH_DAYS = 60  # how far ahead a free start is looked for


@dataclass(frozen=True, slots=True)
class DayHours:
    """When the business opens and closes on a day (opens < closes, the same day)."""

    opens: time
    closes: time

    @property
    def words(self) -> str:
        return f"{self.opens:%H:%M}–{self.closes:%H:%M}"


@dataclass(frozen=True, slots=True)
class OpeningHours:
    """The week's hours, Monday first; None: closed that day."""

    days: tuple[DayHours | None, ...]

    def __post_init__(self) -> None:
        if len(self.days) != 7:
            raise ValueError("opening hours need one entry per weekday")

    def on(self, day: date) -> DayHours | None:
        return self.days[day.weekday()]

    @property
    def words(self) -> str:
        """"Mon–Fri 09:00–20:00 · Sat 10:00–17:00 · Sun closed": runs of days alike, together."""
        parts: list[str] = []
        start = 0
        for index in range(1, 8):
            if index == 7 or self.days[index] != self.days[start]:
                names = WEEKDAY_NAMES[start][:3] if index - 1 == start else \
                    f"{WEEKDAY_NAMES[start][:3]}–{WEEKDAY_NAMES[index - 1][:3]}"
                hours = self.days[start]
                parts.append(f"{names} {hours.words if hours else 'closed'}")
                start = index
        return " · ".join(parts)


def hours_problem(hours: OpeningHours | None, starts_at: datetime, duration_min: int, tz: ZoneInfo) -> str | None:
    """Why an appointment from `starts_at` for `duration_min` does not fit the opening hours
    ("We are closed on Sundays", "We open 09:00–18:00 on Saturdays"), or None when it fits or no
    hours are kept."""
    if hours is None:
        return None
    local = starts_at.astimezone(tz).replace(tzinfo=None)  # the wall clock
    day = hours.on(local.date())
    name = WEEKDAY_NAMES[local.weekday()]
    if day is None:
        return f"We are closed on {name}s."
    end = local + timedelta(minutes=duration_min)
    if local.time() < day.opens or end > datetime.combine(local.date(), day.closes):
        return f"We open {day.words} on {name}s."
    return None


def overlaps(start: datetime, duration_min: int, other_start: datetime, other_duration_min: int) -> bool:
    """Do [start, start + duration) and the other interval share a moment? Back to back is fine."""
    return (start < other_start + timedelta(minutes=other_duration_min)
            and other_start < start + timedelta(minutes=duration_min))


def _round_up(moment: datetime, tz: ZoneInfo) -> datetime:
    """`moment` on the local clock, moved up to the next quarter hour (unchanged when on one)."""
    local = moment.astimezone(tz)
    midnight = datetime.combine(local.date(), time(0))
    minutes = (local.replace(tzinfo=None) - midnight) / timedelta(minutes=1)
    steps = -(-minutes // GRID_MIN)  # ceiling
    return datetime.combine(local.date(), time(0), tz) + timedelta(minutes=steps * GRID_MIN) \
        if steps * GRID_MIN < 24 * 60 else datetime.combine(local.date() + timedelta(days=1), time(0), tz)


def _windows(hours: OpeningHours | None, first: date, days: int, tz: ZoneInfo) -> Iterable[tuple[datetime, datetime]]:
    """Each open day's (opens, closes) as moments, from `first` on (a whole day without hours)."""
    for offset in range(days):
        day = first + timedelta(days=offset)
        if hours is None:
            yield datetime.combine(day, time(0), tz), datetime.combine(day + timedelta(days=1), time(0), tz)
            continue
        today = hours.on(day)
        if today is not None:
            yield datetime.combine(day, today.opens, tz), datetime.combine(day, today.closes, tz)


def next_free_start(
    hours: OpeningHours | None, busy: Sequence[tuple[datetime, int]], duration_min: int, earliest: datetime,
    tz: ZoneInfo, *, days: int = SEARCH_DAYS,
) -> datetime | None:
    """The first start on the quarter-hour grid, not before `earliest`, at which an appointment of
    `duration_min` fits in the opening hours and overlaps none of `busy` (start, minutes); None when
    nothing is free within `days` days."""
    length = timedelta(minutes=duration_min)
    taken = sorted((start, start + timedelta(minutes=minutes)) for start, minutes in busy)
    first_day = earliest.astimezone(tz).date()
    for opens, closes in _windows(hours, first_day, days, tz):
        start = _round_up(max(opens, earliest), tz)
        while start + length <= closes:
            clash = next((end for other_start, end in taken if other_start < start + length and start < end), None)
            if clash is None:
                return start
            start = _round_up(clash, tz)
    return None
