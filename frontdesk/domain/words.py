"""Plain words for counts, durations, dates, weekdays and times of day.

Every module that shows a rule in words (validation messages, `terms.summary`, the reasons of
`coverage.covers`, `describe`) builds its text from these helpers, so the same thing is always
said the same way. They know nothing of packages or holdings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta

from frontdesk.domain.periods import Period

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """"1 visit", "5 visits", "7,106 appointments"."""
    return f"{count:,} {singular if count == 1 else (plural_form or singular + 's')}"


def join_words(items: Sequence[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def format_duration(minutes: int) -> str:
    """45 → "45 min", 60 → "1 h", 150 → "2 h 30 min"."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h" + (f" {rest} min" if rest else "")


def format_period(period: Period) -> str:
    """"1 day", "2 weeks", "2 months"."""
    return plural(period.count, period.unit.value.removesuffix("s"))


def format_day(day: date, current_year: int | None = None) -> str:
    """"5 Mar" when `day` is in `current_year`, else "5 Mar 2027" (always with the year when None)."""
    text = f"{day.day} {MONTHS[day.month - 1]}"
    return text if day.year == current_year else f"{text} {day.year}"


def format_days(days: Iterable[date], current_year: int | None = None) -> str:
    """Sorted dates, the year said once per year: "5 Mar, 12 Mar 2027", "30 Dec 2026, 5 Jan 2027"."""
    ordered = sorted(set(days))
    # Only the last date of each year says the year (and not even that in the current year).
    parts = [
        format_day(d, d.year if i + 1 < len(ordered) and ordered[i + 1].year == d.year else current_year)
        for i, d in enumerate(ordered)
    ]
    return ", ".join(parts)


def format_date_range(start: date, end: date, current_year: int | None = None) -> str:
    """"1–31 Mar 2027", "28 Feb–3 Mar 2027", "28 Dec 2026–3 Jan 2027" (year left out when current)."""
    if start == end:
        return format_day(start, current_year)
    last = format_day(end, current_year)
    if start.year != end.year:
        return f"{format_day(start, current_year)}–{last}"
    if start.month == end.month:
        return f"{start.day}–{last}"
    return f"{format_day(start, start.year)}–{last}"


def format_weekdays(days: Iterable[int]) -> str:
    """{0} → "Mondays", {0, 2} → "Mondays and Wednesdays", {0, 2, 4} → "Mon, Wed, Fri"."""
    ordered = sorted(set(days))
    if len(ordered) <= 2:
        return join_words([DAY_NAMES[d] + "s" for d in ordered]) or "no weekdays"
    return ", ".join(DAY_NAMES[d][:3] for d in ordered)


def format_time(moment: time) -> str:
    """"10:00"."""
    return moment.strftime("%H:%M")


def format_window(window: tuple[time, time]) -> str:
    """"10:00–13:00"."""
    return f"{format_time(window[0])}–{format_time(window[1])}"


def provider_only(provider_name: str | None) -> str:
    """"with Anna only"."""
    return f"with {provider_name or 'one provider'} only"


def expired_on(valid_until: date, current_year: int | None = None) -> str:
    """"expired 13 Jan" for a holding valid through 12 Jan: the date is the first day it no longer works."""
    return f"expired {format_day(valid_until + timedelta(days=1), current_year)}"


def weekday_day(day: date) -> str:
    """"Tue 3 Mar" (the year left out)."""
    return f"{DAY_NAMES[day.weekday()][:3]} {day.day} {MONTHS[day.month - 1]}"


def when_words(moment: datetime) -> str:
    """"Tue 3 Mar 14:00" for a local datetime (the year left out)."""
    return f"{DAY_NAMES[moment.weekday()][:3]} {moment.day} {MONTHS[moment.month - 1]} {format_time(moment.time())}"
