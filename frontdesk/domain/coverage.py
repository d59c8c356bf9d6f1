"""Whether a holding covers an appointment, what a redemption takes, and the default choice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from frontdesk.domain.facts import AppointmentFacts, HoldingFacts, LineBalance
from frontdesk.domain.money import Currency, format_money
from frontdesk.domain.periods import local_date, to_local
from frontdesk.domain.terms import Contents, Terms, ValueType, describe_amount
from frontdesk.domain.words import (
    expired_on,
    format_date_range,
    format_day,
    format_days,
    format_weekdays,
    format_window,
    provider_only,
)

__all__ = [  # the facts the rules judge are importable from here as well
    "AppointmentFacts",
    "Coverage",
    "HoldingFacts",
    "LineBalance",
    "Take",
    "allows_day",
    "covers",
    "default_choice",
    "rank",
]


@dataclass(frozen=True, slots=True)
class Take:
    """What a redemption takes from a holding."""

    line_id: int
    units: int  # taken from the line's balance (0 for unlimited)
    value: int  # minor units of the appointment this pays
    description: str  # "1 visit", "60 min", "$40.00 of $80.00", "1 × Thai Massage", "unlimited use"


@dataclass(frozen=True, slots=True)
class Coverage:
    """The verdict of `covers`: every failing rule as a reason in plain words, or what it takes."""

    holding_id: int
    reasons: tuple[str, ...]
    take: Take | None

    @property
    def ok(self) -> bool:
        return not self.reasons


def _service_reasons(terms: Terms, lines: Sequence[LineBalance], appt: AppointmentFacts) -> list[str]:
    """Rule 2: the service is in the package (and, for Fixed, a line for it has something left)."""
    if terms.contents is Contents.FIXED:
        own = [line for line in lines if line.service_id == appt.service_id]
        if not own:
            return [f"{appt.service_name} not included"]
        if not any(line.remaining >= 1 for line in own):
            return [f"no {appt.service_name} left"]
        return []
    if not terms.all_services and appt.service_id not in terms.service_ids:
        return [f"{appt.service_name} not included"]
    return []


def _on_weekday(terms: Terms, day: date) -> bool:
    return terms.weekdays is None or day.weekday() in terms.weekdays


def _in_date_range(terms: Terms, day: date) -> bool:
    return terms.date_range is None or terms.date_range[0] <= day <= terms.date_range[1]


def _on_fixed_date(terms: Terms, day: date) -> bool:
    return terms.fixed_dates is None or day in terms.fixed_dates


def allows_day(terms: Terms, day: date) -> bool:
    """Whether the terms allow a local date `day`: one of their weekdays, inside their date range,
    among their fixed dates (rule 5 without the time of day; `covers` judges every rule)."""
    return _on_weekday(terms, day) and _in_date_range(terms, day) and _on_fixed_date(terms, day)


def _calendar_reasons(holding: HoldingFacts, appt: AppointmentFacts, tz: ZoneInfo, year: int) -> list[str]:
    """Rules 4 and 5: validity dates, weekdays, the time window and the allowed dates, in local time."""
    terms, reasons = holding.terms, []
    start = to_local(appt.starts_at, tz)
    day = start.date()
    purchased_on = local_date(holding.purchased_at, tz)
    if day < purchased_on:
        reasons.append(f"not valid before {format_day(purchased_on, year)}")
    if holding.valid_until is not None and day > holding.valid_until:
        reasons.append(expired_on(holding.valid_until, year))
    if holding.frozen is not None and holding.frozen[0] <= day <= holding.frozen[1]:
        reasons.append(f"frozen {format_date_range(*holding.frozen, year)}")
    if not _on_weekday(terms, day):
        reasons.append(f"{format_weekdays(terms.weekdays)} only")
    if terms.window is not None:
        end = to_local(appt.starts_at + timedelta(minutes=appt.duration_min), tz)
        first, last = terms.window
        if not (start.time() >= first and end.date() == day and end.time() <= last):
            reasons.append(f"{format_window(terms.window)} only")
    if not _in_date_range(terms, day):
        reasons.append(f"{format_date_range(*terms.date_range, year)} only")
    if not _on_fixed_date(terms, day):
        reasons.append(f"only on {format_days(terms.fixed_dates, year)}")
    return reasons


def _take_or_reason(
    holding: HoldingFacts, appt: AppointmentFacts, currency: Currency
) -> tuple[Take | None, str | None]:
    """Rule 6 and the take: what a redemption would take, or why the balance is not enough."""
    terms = holding.terms
    if terms.contents is Contents.FIXED:
        line = next((b for b in holding.lines if b.service_id == appt.service_id and b.remaining >= 1), None)
        if line is None:  # already reported by rule 2
            return None, None
        return Take(line.line_id, 1, appt.due, f"1 × {appt.service_name}"), None
    if not holding.lines:
        return None, "no balance"
    line = holding.lines[0]
    remaining = line.remaining
    match terms.value_type:
        case ValueType.VISITS:
            if remaining < 1:
                return None, "no visits left"
            return Take(line.line_id, 1, appt.due, describe_amount(terms, 1, currency)), None
        case ValueType.MINUTES:
            if remaining <= 0:
                return None, "no minutes left"
            if remaining < appt.duration_min:
                return None, f"only {remaining} min left, needs {appt.duration_min}"
            minutes = appt.duration_min
            return Take(line.line_id, minutes, appt.due, describe_amount(terms, minutes, currency)), None
        case ValueType.AMOUNT:
            if remaining <= 0:
                return None, "no credit left"
            taken = max(0, min(remaining, appt.due))
            text = f"{format_money(taken, currency)} of {format_money(appt.due, currency)}"
            return Take(line.line_id, taken, taken, text), None
        case _:  # unlimited: nothing is taken, the use is still recorded
            return Take(line.line_id, 0, appt.due, "unlimited use"), None


def covers(
    holding: HoldingFacts,
    appointment: AppointmentFacts,
    now: datetime,
    *,
    tz: ZoneInfo,
    currency: Currency,
) -> Coverage:
    """Whether `holding` covers `appointment`: every failing rule as a reason (all of them, in rule
    order), or, when none fails, what a redemption takes. Dates and times are judged in `tz`;
    `now` only decides whether dates in reasons need their year."""
    terms, reasons = holding.terms, []
    if appointment.paid_from is not None:  # one standing redemption per appointment
        reasons.append(f"already paid from {appointment.paid_from}")
    if holding.customer_id != appointment.customer_id:
        reasons.append("belongs to another customer")
    if holding.voided:
        reasons.append("void")
    if holding.moved:
        reasons.append("moved to another customer")
    reasons += _service_reasons(terms, holding.lines, appointment)
    if terms.provider_id is not None and appointment.provider_id != terms.provider_id:
        reasons.append(provider_only(terms.provider_name))
    reasons += _calendar_reasons(holding, appointment, tz, local_date(now, tz).year)
    take, reason = _take_or_reason(holding, appointment, currency)
    if reason:
        reasons.append(reason)
    return Coverage(holding.id, tuple(reasons), None if reasons else take)


def _default_order(holding: HoldingFacts) -> tuple[date, datetime, int]:
    """Expires first (never-expiring last), then the oldest purchase, then the lowest id."""
    return (holding.valid_until or date.max, holding.purchased_at, holding.id)


def rank(
    holdings: Sequence[HoldingFacts],
    appointment: AppointmentFacts,
    now: datetime,
    *,
    tz: ZoneInfo,
    currency: Currency,
    booked_for: int | None = None,
) -> list[Coverage]:
    """One `Coverage` per holding, the default first: those that cover come before the others;
    among them the holding the appointment was booked "to be covered by" (`booked_for`) leads,
    then the one that expires first, then the oldest purchase. Those that do not cover follow in
    that same order of expiry and purchase."""
    ordered = sorted(holdings, key=_default_order)
    verdicts = [covers(h, appointment, now, tz=tz, currency=currency) for h in ordered]
    covering = [v for v in verdicts if v.ok]
    covering.sort(key=lambda v: v.holding_id != booked_for)  # stable: the rest keep their order
    return covering + [v for v in verdicts if not v.ok]


def default_choice(
    holdings: Sequence[HoldingFacts],
    appointment: AppointmentFacts,
    now: datetime,
    *,
    tz: ZoneInfo,
    currency: Currency,
    booked_for: int | None = None,
) -> Coverage | None:
    """The holding checkout preselects (the first of `rank`) when it covers, else None."""
    best = rank(holdings, appointment, now, tz=tz, currency=currency, booked_for=booked_for)
    return best[0] if best and best[0].ok else None
