"""Plain words for screens about a package or a holding: restrictions, balance, expiry, status.

The words for counts, durations, dates and times come from `words`, the amounts and
restrictions of a package from `terms`; they are importable from here as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from frontdesk.domain.facts import Hold, HoldingFacts, LineBalance, held_on
from frontdesk.domain.money import Currency
from frontdesk.domain.periods import local_date, to_local
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
    weekday_day,
    when_words,
)

__all__ = [
    "ENTRY_WORDS",
    "HoldingStatus",
    "describe_amount",
    "describe_balance",
    "describe_expiry",
    "describe_held",
    "held_for",
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


def describe_balance(
    terms: Terms, lines: Sequence[LineBalance], currency: Currency, holds: Sequence[Hold] = (),
) -> str:
    """"3 of 5 visits", "2 h 30 min of 4 h", "$40.00 of $200.00", "unlimited",
    "Swedish Massage 0 of 1, Thai Massage 2 of 2"; and what booked appointments hold of it, when
    they hold something: "3 of 5 visits · 1 held" (`describe_held`)."""
    if terms.contents is Contents.FIXED:
        names = {line.service_id: line.service_name for line in terms.fixed_lines}
        text = ", ".join(
            f"{names.get(line.service_id, 'Service')} {line.remaining} of {line.initial}" for line in lines
        )
    elif terms.value_type is ValueType.UNLIMITED:
        text = describe_amount(terms, 0, currency)
    else:
        remaining = sum(line.remaining for line in lines)
        initial = sum(line.initial for line in lines)
        if terms.value_type is ValueType.VISITS:
            text = f"{remaining} of {plural(initial, 'visit')}"
        else:
            text = f"{describe_amount(terms, remaining, currency)} of {describe_amount(terms, initial, currency)}"
    held = describe_held(terms, lines, holds, currency)
    return f"{text} · {held}" if held else text


def describe_held(terms: Terms, lines: Sequence[LineBalance], holds: Sequence[Hold], currency: Currency) -> str:
    """What booked appointments hold of a holding: "1 held", "$80.00 held", "1 h held"; with what
    they hold beyond what is left (after a void, an adjustment down, …): "3 held, 2 more than is
    left"; "" when nothing is held."""
    held = sum(hold.units for hold in holds)
    if not held:
        return ""
    beyond = sum(max(0, held_on(tuple(holds), line.line_id) - line.remaining) for line in lines)
    text = f"{describe_amount(terms, held, currency)} held" if terms.contents is Contents.ANY \
        and terms.value_type in (ValueType.MINUTES, ValueType.AMOUNT) else f"{held} held"
    if beyond:
        more = describe_amount(terms, beyond, currency) if terms.contents is Contents.ANY \
            and terms.value_type in (ValueType.MINUTES, ValueType.AMOUNT) else str(beyond)
        text += f", {more} more than is left"
    return text


def held_for(holds: Sequence[Hold], tz: ZoneInfo) -> str:
    """For whom units are held, in local time: "held for Tue 3 Dec 10:00" (one booking), "held for
    Tue 3 Dec, Fri 6 Dec" (up to three), "held for 5 bookings from Tue 3 Dec"."""
    ordered = sorted(holds, key=lambda hold: (hold.starts_at, hold.appointment_id))
    if not ordered:
        return ""
    if len(ordered) == 1:
        return f"held for {when_words(to_local(ordered[0].starts_at, tz))}"
    if len(ordered) <= 3:
        return "held for " + ", ".join(weekday_day(to_local(hold.starts_at, tz).date()) for hold in ordered)
    return f"held for {len(ordered)} bookings from {weekday_day(to_local(ordered[0].starts_at, tz).date())}"


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
