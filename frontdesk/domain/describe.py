"""Plain words for screens: durations, dates, restrictions, balances, expiry and status.

Every other module that shows a rule in words (`terms.summary`, `coverage.covers`) builds its
text from these helpers, so the same thing is always said the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from frontdesk.domain.money import Currency, format_money
from frontdesk.domain.periods import local_date
from frontdesk.domain.terms import Contents, Period, Terms, ValueType

if TYPE_CHECKING:
    from frontdesk.domain.coverage import HoldingFacts, LineBalance

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class HoldingStatus(StrEnum):
    """A holding's derived status."""

    ACTIVE = "active"
    USED_UP = "used up"
    EXPIRED = "expired"
    VOID = "void"


# --- small wording helpers -------------------------------------------------------------------


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """"1 visit", "5 visits"."""
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


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
    text = f"{day.day} {_MONTHS[day.month - 1]}"
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
        return join_words([_DAY_NAMES[d] + "s" for d in ordered]) or "no weekdays"
    return ", ".join(_DAY_NAMES[d][:3] for d in ordered)


def format_time(moment: time) -> str:
    """"10:00"."""
    return moment.strftime("%H:%M")


def format_window(window: tuple[time, time]) -> str:
    """"10:00–13:00"."""
    return f"{format_time(window[0])}–{format_time(window[1])}"


def restriction_parts(terms: Terms, current_year: int | None = None) -> list[str]:
    """When and with whom a package may be used, one phrase per restriction:
    ["Mondays 10:00–13:00", "1–31 Mar 2027", "with Anna only"]."""
    parts: list[str] = []
    when = " ".join(
        text
        for text in (
            format_weekdays(terms.weekdays) if terms.weekdays is not None else "",
            format_window(terms.window) if terms.window is not None else "",
        )
        if text
    )
    if when:
        parts.append(when)
    if terms.date_range is not None:
        parts.append(format_date_range(*terms.date_range, current_year))
    if terms.fixed_dates is not None:
        parts.append(f"on {format_days(terms.fixed_dates, current_year) or 'no dates'}")
    if terms.provider_id is not None:
        parts.append(provider_only(terms.provider_name))
    return parts


def provider_only(provider_name: str | None) -> str:
    """"with Anna only"."""
    return f"with {provider_name or 'one provider'} only"


# --- what screens show about a package or holding --------------------------------------------


def describe_restrictions(terms: Terms) -> str:
    """Restrictions only, e.g. "Mondays 10:00–13:00 · with Anna only"; "" when there are none."""
    return " · ".join(restriction_parts(terms))


def describe_amount(terms: Terms, units: int, currency: Currency) -> str:
    """A quantity in the unit of `terms`: "5 visits", "2 h 30 min", "$40.00"; "unlimited" for unlimited."""
    if terms.contents is Contents.ANY:
        if terms.value_type is ValueType.MINUTES:
            return format_duration(units)
        if terms.value_type is ValueType.AMOUNT:
            return format_money(units, currency)
        if terms.value_type is ValueType.UNLIMITED:
            return "unlimited"
    return plural(units, "visit")


def describe_balance(terms: Terms, lines: Sequence[LineBalance], currency: Currency) -> str:
    """"3 of 5 visits", "2 h 30 min of 4 h", "$40.00 of $200.00", "unlimited",
    "Swedish Massage 0 of 1, Thai Massage 2 of 2"."""
    if terms.contents is Contents.FIXED:
        names = {line.service_id: line.service_name for line in terms.fixed_lines}
        return ", ".join(
            f"{names.get(line.service_id, 'Service')} {line.remaining} of {line.initial}" for line in lines
        )
    if terms.value_type is ValueType.UNLIMITED:
        return describe_amount(terms, 0, currency)
    remaining = sum(line.remaining for line in lines)
    initial = sum(line.initial for line in lines)
    if terms.value_type is ValueType.VISITS:
        return f"{remaining} of {plural(initial, 'visit')}"
    return f"{describe_amount(terms, remaining, currency)} of {describe_amount(terms, initial, currency)}"


def expired_on(valid_until: date, current_year: int | None = None) -> str:
    """"expired 13 Jan" for a holding valid through 12 Jan: the date is the first day it no longer works."""
    return f"expired {format_day(valid_until + timedelta(days=1), current_year)}"


def describe_expiry(valid_until: date | None, now: datetime, *, tz: ZoneInfo) -> str:
    """"no expiry", "expires today", "expires tomorrow", "expires 12 Mar, in 9 days" (usable through
    12 Mar), or "expired 13 Mar" once past (the first day it no longer works)."""
    if valid_until is None:
        return "no expiry"
    today = local_date(now, tz)
    days = (valid_until - today).days
    if days < 0:
        return expired_on(valid_until, today.year)
    if days <= 1:
        return "expires today" if days == 0 else "expires tomorrow"
    return f"expires {format_day(valid_until, today.year)}, in {days} days"


def status(holding: HoldingFacts, now: datetime, *, tz: ZoneInfo) -> HoldingStatus:
    """void, else expired (today is after `valid_until`), else used up (nothing left on any line;
    unlimited is never used up), else active."""
    if holding.voided:
        return HoldingStatus.VOID
    if holding.valid_until is not None and local_date(now, tz) > holding.valid_until:
        return HoldingStatus.EXPIRED
    terms = holding.terms
    unlimited = terms.contents is Contents.ANY and terms.value_type is ValueType.UNLIMITED
    if not unlimited and not any(line.remaining > 0 for line in holding.lines):
        return HoldingStatus.USED_UP
    return HoldingStatus.ACTIVE
