"""Plain words for screens about a package or a holding: restrictions, balance, expiry, status.

The words for counts, durations, dates and times come from `words`, the amounts and
restrictions of a package from `terms`; they are importable from here as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from frontdesk.domain.facts import HoldingFacts, LineBalance
from frontdesk.domain.money import Currency
from frontdesk.domain.periods import local_date
from frontdesk.domain.terms import Contents, Terms, ValueType, describe_amount, restriction_parts, summary
from frontdesk.domain.words import (
    expired_on,
    format_date_range,
    format_day,
    format_days,
    format_duration,
    format_period,
    format_time,
    format_weekdays,
    format_window,
    join_words,
    plural,
    provider_only,
)

__all__ = [
    "HoldingStatus",
    "describe_amount",
    "describe_balance",
    "describe_expiry",
    "describe_restrictions",
    "expired_on",
    "format_date_range",
    "format_day",
    "format_days",
    "format_duration",
    "format_period",
    "format_time",
    "format_weekdays",
    "format_window",
    "join_words",
    "plural",
    "provider_only",
    "restriction_parts",
    "status",
    "summary",
]


class HoldingStatus(StrEnum):
    """A holding's derived status."""

    ACTIVE = "active"
    USED_UP = "used up"
    EXPIRED = "expired"
    VOID = "void"


def describe_restrictions(terms: Terms) -> str:
    """Restrictions only, e.g. "Mondays 10:00–13:00 · with Anna only"; "" when there are none."""
    return " · ".join(restriction_parts(terms))


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
