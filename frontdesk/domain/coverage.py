"""Whether a holding covers an appointment, what a redemption takes, and the default choice."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from frontdesk.domain.describe import held_for
from frontdesk.domain.facts import AppointmentFacts, Hold, HoldingFacts, LineBalance, held_on
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
    "Hold",
    "HoldingFacts",
    "LineBalance",
    "Take",
    "allows_day",
    "covers",
    "cover_refusal",
    "default_choice",
    "holds_on",
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
    short: bool = False  # what is left, or free of holds, is the only reason it does not cover
    held_by: int = 0  # how many other bookings hold what it would take (when that limits it)
    note: str = ""  # why a money take is less than it could be: "only $20.00 free of $80.00 left: …"

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


@dataclass(frozen=True, slots=True)
class _Balance:
    """Rule 6's answer: what a redemption would take, or why the balance (or what is free of the
    other bookings' holds) is not enough; and the holds that limited it."""

    take: Take | None = None
    reason: str | None = None
    held_by: tuple[Hold, ...] = ()
    note: str = ""


def _take_or_reason(
    holding: HoldingFacts, appt: AppointmentFacts, currency: Currency, tz: ZoneInfo
) -> _Balance:
    """Rule 6 and the take, judged against what is free: what is left less what other booked
    appointments hold (an appointment's own hold is free to itself)."""
    terms = holding.terms
    others = holding.holds_except(appt.id)

    def free(line: LineBalance) -> int:
        return max(0, line.remaining - held_on(others, line.line_id))

    def holding_back(line: LineBalance) -> tuple[Hold, ...]:
        return tuple(hold for hold in others if hold.line_id == line.line_id and hold.units)

    def amount(units: int) -> str:
        return describe_amount(terms, units, currency)

    if terms.contents is Contents.FIXED:
        own = [b for b in holding.lines if b.service_id == appt.service_id and b.remaining >= 1]
        line = next((b for b in own if free(b) >= 1), None)
        if line is not None:
            return _Balance(Take(line.line_id, 1, appt.due, f"1 × {appt.service_name}"))
        if not own:  # already reported by rule 2
            return _Balance()
        held = tuple(hold for b in own for hold in holding_back(b))
        left = sum(b.remaining for b in own)
        return _Balance(reason=f"no {appt.service_name} free: {_left_held(left, held, str, tz)}",
                        held_by=held)
    if not holding.lines:
        return _Balance(reason="no balance")
    line = holding.lines[0]
    remaining, available, held = line.remaining, free(line), holding_back(line)
    match terms.value_type:
        case ValueType.VISITS:
            if remaining < 1:
                return _Balance(reason="no visits left")
            if available < 1:
                return _Balance(reason=f"no visit free: {_left_held(remaining, held, str, tz)}",
                                held_by=held)
            return _Balance(Take(line.line_id, 1, appt.due, amount(1)))
        case ValueType.MINUTES:
            if remaining <= 0:
                return _Balance(reason="no minutes left")
            if remaining < appt.duration_min:
                return _Balance(reason=f"only {remaining} min left, needs {appt.duration_min}")
            if available <= 0:
                return _Balance(reason=f"no minutes free: {_left_held(remaining, held, amount, tz)}",
                                held_by=held)
            if available < appt.duration_min:
                return _Balance(reason=f"only {amount(available)} free of {amount(remaining)} left, needs "
                                       f"{amount(appt.duration_min)}: {_held(held, amount, tz)}", held_by=held)
            minutes = appt.duration_min
            return _Balance(Take(line.line_id, minutes, appt.due, amount(minutes)))
        case ValueType.AMOUNT:
            if remaining <= 0:
                return _Balance(reason="no credit left")
            if available <= 0:
                return _Balance(reason=f"no credit free: {_left_held(remaining, held, amount, tz)}",
                                held_by=held)
            taken = max(0, min(available, appt.due))
            text = f"{format_money(taken, currency)} of {format_money(appt.due, currency)}"
            note = f"only {amount(available)} free of {amount(remaining)} left: {_held(held, amount, tz)}" \
                if available < min(remaining, appt.due) else ""
            return _Balance(Take(line.line_id, taken, taken, text), held_by=held if note else (), note=note)
        case _:  # unlimited: nothing is taken, the use is still recorded
            return _Balance(Take(line.line_id, 0, appt.due, "unlimited use"))


def _held(holds: tuple[Hold, ...], amount: Callable[[int], str], tz: ZoneInfo) -> str:
    """"$60.00 held for Tue 3 Dec, Fri 6 Dec"."""
    return f"{amount(sum(hold.units for hold in holds))} {held_for(holds, tz)}"


def _left_held(left: int, holds: tuple[Hold, ...], words: Callable[[int], str], tz: ZoneInfo) -> str:
    """"1 left, held for Tue 3 Dec 10:00" (one booking holds all that is left), "3 left, 3 held for
    Tue 3 Dec, Fri 6 Dec, Mon 9 Dec", "1 h left, 1 h held for …"."""
    held = sum(hold.units for hold in holds)
    if len(holds) == 1 and held == left:
        return f"{words(left)} left, {held_for(holds, tz)}"
    return f"{words(left)} left, {words(held)} {held_for(holds, tz)}"


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
    others = len(reasons)  # every reason so far is about something other than the balance
    if terms.contents is Contents.FIXED and reasons[-1:] == [f"no {appointment.service_name} left"]:
        others -= 1  # rule 2 of a Fixed bundle: nothing left on the line for this service
    balance = _take_or_reason(holding, appointment, currency, tz)
    if balance.reason:
        reasons.append(balance.reason)
    return Coverage(holding.id, tuple(reasons), None if reasons else balance.take,
                    short=bool(reasons) and others == 0, held_by=len(balance.held_by), note=balance.note)


def cover_refusal(title: str, coverage: Coverage) -> str | None:
    """Why a booking "to be covered by" a package is refused, or None when it is not: refused when
    the package would cover it but for what is left or free of the other bookings' holds, since it
    would hold more than is there. "Massage Pack has no visit free: 3 left, 3 held for Tue 3 Dec,
    Fri 6 Dec, Mon 9 Dec. Book it without the package, or free one of those." Any other reason
    (weekday, provider, …) is a warning: the booking holds nothing on it."""
    if coverage.ok or not coverage.short:
        return None
    free = {0: "", 1: ", or free that booking"}.get(coverage.held_by, ", or free one of those")
    return f"{title} has {'; '.join(coverage.reasons)}. Book it without the package{free}."


PLENTY = 10**15  # a balance no appointment could exhaust: what it would take, whatever is left


def holds_on(
    holding: HoldingFacts,
    booked: Sequence[AppointmentFacts],
    now: datetime,
    *,
    tz: ZoneInfo,
    currency: Currency,
) -> tuple[Hold, ...]:
    """What the `booked` appointments (booked "to be covered by" `holding`, none of them paid by a
    standing redemption) hold on it: each, in booking order (by id), what its redemption would
    take by `covers`, whatever is left: 1 visit, its minutes, its due in money, 1 on the matching
    line of a Fixed bundle, nothing for unlimited. One the holding would not cover for another
    reason (another service, weekday, provider, expired, void, …) holds nothing. Money is shared
    out in booking order: a hold takes what its appointment is due, at most what is left after the
    holds before it (a partial cover), so money is never held beyond what is left; visits, minutes
    and Fixed lines can be, once the balance is lowered under them (void, adjustment)."""
    full = replace(holding, holds=(), lines=tuple(replace(line, remaining=PLENTY) for line in holding.lines))
    remaining = {line.line_id: line.remaining for line in holding.lines}
    money = holding.terms.contents is Contents.ANY and holding.terms.value_type is ValueType.AMOUNT
    holds: list[Hold] = []
    for appointment in sorted(booked, key=lambda a: a.id or 0):
        take = covers(full, appointment, now, tz=tz, currency=currency).take
        if take is None or take.units <= 0:
            continue
        units = min(take.units, max(0, remaining[take.line_id] - held_on(holds, take.line_id))) if money \
            else take.units
        if units > 0:
            holds.append(Hold(appointment.id or 0, appointment.starts_at, take.line_id, units))
    return tuple(holds)


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
