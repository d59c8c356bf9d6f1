"""A holding's life after its sale: its expiry moved (extend, freeze, validity from the first visit)
and what a cancellation or a no-show does under its package's policy (DESIGN §6).

Plain rules over dates and terms; the use cases write what they decide as ledger entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from frontdesk.domain.bounds import day_problem, last_valid_day
from frontdesk.domain.periods import local_date, valid_until
from frontdesk.domain.terms import Terms
from frontdesk.domain.words import format_date_range, format_day, plural

MAX_EXTEND_DAYS = 3650  # ten years: more is a typing mistake
MAX_FREEZE_DAYS = 366


def check_days(days: int, *, most: int = MAX_EXTEND_DAYS) -> str | None:
    """Why `days` is no good for an extension, or None."""
    if days < 1:
        return "Extend by at least 1 day."
    if days > most:
        return f"At most {most:,} days."
    return None


def parse_days(text: str) -> int:
    """Days typed for an extension ("14", "+14"), checked like `check_days`."""
    cleaned = text.strip().removeprefix("+").removesuffix("days").removesuffix("day").strip()
    if not (cleaned.isascii() and cleaned.isdigit()):
        raise ValueError("Enter a number of days, like 14.")
    if len(cleaned.lstrip("0")) > len(str(MAX_EXTEND_DAYS)):
        raise ValueError(f"At most {MAX_EXTEND_DAYS:,} days.")
    problem = check_days(int(cleaned))
    if problem:
        raise ValueError(problem)
    return int(cleaned)


def extended(until: date, days: int) -> date:
    """The last valid day after an extension by `days`."""
    return until + timedelta(days=days)


def check_new_expiry(until: date, today: date) -> str | None:
    """Why a holding's expiry may not move to `until` on `today` (see `bounds.MAX_VALID_YEARS_AHEAD`)."""
    latest = last_valid_day(today)
    if until > latest:
        return f"The expiry would pass {format_day(latest)}: that is too far ahead."
    return None


@dataclass(frozen=True, slots=True)
class Freeze:
    """A freeze of the local days `first`–`last`, both included."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last

    def words(self, year: int | None = None) -> str:
        return format_date_range(self.first, self.last, year)


def check_freeze(first: date, last: date, today: date, *, current: Freeze | None) -> dict[str, str]:
    """Field → message for a freeze from `first` to `last` asked on `today`; empty when it is fine."""
    errors: dict[str, str] = {}
    for field, day in (("first_day", first), ("last_day", last)):
        if problem := day_problem(day):
            errors[field] = problem
    if errors:
        return errors
    if first < today:
        errors["first_day"] = "A freeze starts today or later."
    if last < first:
        errors["last_day"] = "The last day is before the first."
    elif (last - first).days + 1 > MAX_FREEZE_DAYS:
        errors["last_day"] = f"A freeze lasts at most {MAX_FREEZE_DAYS} days."
    if current is not None and current.last >= today:
        errors.setdefault("first_day", f"Already frozen {current.words(today.year)}: unfreeze it first.")
    return errors


def unfrozen_days(freeze: Freeze, today: date) -> int:
    """The frozen days not used when a freeze ends early on `today` (today is usable again)."""
    if today > freeze.last:
        return 0
    return (freeze.last - max(freeze.first, today)).days + 1


def first_visit_expiry(terms: Terms, visit: datetime, tz: ZoneInfo) -> date | None:
    """The last valid day of a holding whose validity starts at its first visit, on that visit."""
    return valid_until(local_date(visit, tz), terms.expires_in)


class Outcome:
    """What a cancellation or no-show does to the unit a package would pay with."""

    RETURNED = "returned"
    FORFEITED = "forfeited"


@dataclass(frozen=True, slots=True)
class PolicyVerdict:
    """The policy's outcome, and why, in words a receptionist can read aloud."""

    outcome: str  # Outcome.RETURNED or Outcome.FORFEITED
    why: str
    policy: bool  # False: the package has no cancellation policy (the unit always comes back)

    @property
    def forfeits(self) -> bool:
        return self.outcome == Outcome.FORFEITED


def policy_verdict(terms: Terms, *, no_show: bool, starts_at: datetime, now: datetime) -> PolicyVerdict:
    """What the package's cancellation policy does with a cancellation asked `now` (or a no-show)
    of an appointment starting at `starts_at`."""
    hours = terms.cancel_notice_hours
    if hours is None:
        return PolicyVerdict(Outcome.RETURNED, "no cancellation policy", False)
    if no_show:
        return PolicyVerdict(Outcome.FORFEITED if terms.no_show_forfeits else Outcome.RETURNED, "a no-show", True)
    notice = starts_at - now
    if notice >= timedelta(hours=hours):
        return PolicyVerdict(Outcome.RETURNED, f"cancelled with {hours}-hour notice or more", True)
    given = max(0, int(notice.total_seconds() // 3600))
    late = (f"cancelled {plural(given, 'hour')} before, under its {hours}-hour notice"
            if notice > timedelta(0) else "cancelled after it began")
    return PolicyVerdict(Outcome.FORFEITED if terms.late_cancel_forfeits else Outcome.RETURNED, late, True)


def describe_policy(terms: Terms) -> str:
    """"Cancel 24 h ahead; late cancel forfeited; no-show forfeited", or "" without a policy."""
    hours = terms.cancel_notice_hours
    if hours is None:
        return ""
    late = "forfeited" if terms.late_cancel_forfeits else "returned"
    missed = "forfeited" if terms.no_show_forfeits else "returned"
    return f"cancel {hours} h ahead; late cancel {late}; no-show {missed}"


def describe_validity_start(terms: Terms, until: date | None, year: int | None = None) -> str:
    """How a holding's validity reads when it runs from the first visit."""
    if until is not None:
        return f"valid to {format_day(until, year)}"
    return "validity starts at the first visit"
