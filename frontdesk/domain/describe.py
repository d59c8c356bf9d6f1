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
    "ENTRY_WORDS",
    "HoldingStatus",
    "describe_amount",
    "describe_balance",
    "describe_expiry",
    "describe_cover",
    "describe_restrictions",
    "entry_words",
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
    MOVED = "moved"  # transferred to another customer


ENTRY_WORDS = {  # what a ledger entry (or a refund) did, as the history and the statement say it
    "sale": "Sold", "assign": "Assigned", "redeem": "Used", "reverse": "Given back", "adjust": "Adjusted",
    "void": "Voided", "extend": "Extended", "freeze": "Frozen", "unfreeze": "Unfrozen", "transfer": "Moved",
    "import": "Imported", "refund": "Refunded",
}


def entry_words(kind: str) -> str:
    """"Sold", "Extended", …: what an entry of `kind` did."""
    return ENTRY_WORDS.get(str(kind), str(kind).capitalize())


def describe_cover(terms: Terms) -> str:
    """What a package may be used for: when and with whom first (what most often turns a package
    down), then which services: "Mondays 10:00–13:00 · Swedish Massage", "all services", "the
    services listed" (a Fixed bundle's balance names them)."""
    if terms.contents is Contents.FIXED:
        services = "the services listed"
    elif terms.all_services:
        services = "all services"
    else:
        services = join_words(list(terms.service_names)) or "no service"
    return " · ".join([*restriction_parts(terms), services])


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


def describe_expiry(
    valid_until: date | None, now: datetime, *, tz: ZoneInfo, terms: Terms | None = None,
    frozen: tuple[date, date] | None = None,
) -> str:
    """"no expiry", "expires today", "expires tomorrow", "expires 12 Mar, in 9 days" (usable through
    12 Mar), or "expired 13 Mar" once past (the first day it no longer works); "starts at the first
    visit" before a validity that runs from it; a freeze in force or to come leads: "frozen 1–14 Dec ·
    expires …"."""
    today = local_date(now, tz)
    if frozen is not None and frozen[1] >= today:
        return f"frozen {format_date_range(*frozen, today.year)} · " + describe_expiry(valid_until, now, tz=tz,
                                                                                     terms=terms)
    if valid_until is None:
        return "starts at the first visit" if terms is not None and terms.starts_on_first_visit \
            and terms.expires_in is not None else "no expiry"
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
    if holding.moved:
        return HoldingStatus.MOVED
    if holding.valid_until is not None and local_date(now, tz) > holding.valid_until:
        return HoldingStatus.EXPIRED
    terms = holding.terms
    unlimited = terms.contents is Contents.ANY and terms.value_type is ValueType.UNLIMITED
    if not unlimited and not any(line.remaining > 0 for line in holding.lines):
        return HoldingStatus.USED_UP
    return HoldingStatus.ACTIVE
