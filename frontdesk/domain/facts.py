"""What the rules know about a customer's holding and an appointment, as plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from frontdesk.domain.periods import local_date, valid_until
from frontdesk.domain.terms import Terms, opening_balances


@dataclass(frozen=True, slots=True)
class LineBalance:
    """One balance bucket of a holding. Any-from-list holdings have one line (service_id None);
    Fixed holdings have one line per (service, quantity) line, in order."""

    line_id: int
    service_id: int | None
    initial: int
    remaining: int


@dataclass(frozen=True, slots=True)
class Hold:
    """What one booked appointment holds on a holding until its checkout settles it (a cancel or a
    no-show releases it): the units its redemption will take from one balance line. Holds are
    worked out from the booked appointments (`coverage.holds_on`), never stored."""

    appointment_id: int
    starts_at: datetime  # timezone-aware
    line_id: int
    units: int


def held_on(holds: tuple[Hold, ...] | list[Hold], line_id: int) -> int:
    """The units `holds` hold on one balance line."""
    return sum(hold.units for hold in holds if hold.line_id == line_id)


@dataclass(frozen=True, slots=True)
class HoldingFacts:
    """A customer's holding as the rules see it."""

    id: int
    customer_id: int
    terms: Terms
    purchased_at: datetime  # timezone-aware
    valid_until: date | None  # last valid local date, inclusive; None = never expires
    voided: bool
    lines: tuple[LineBalance, ...]
    frozen: tuple[date, date] | None = None  # local days on which it pays for nothing (a freeze)
    moved: bool = False  # its balance was moved to another customer's holding
    holds: tuple[Hold, ...] = ()  # what its booked appointments hold on it, in booking order

    def holds_except(self, appointment_id: int | None) -> tuple[Hold, ...]:
        """The holds of the other appointments: an appointment's own hold is free to itself."""
        return tuple(hold for hold in self.holds if hold.appointment_id != appointment_id)


@dataclass(frozen=True, slots=True)
class AppointmentFacts:
    """An appointment as the rules see it."""

    id: int | None
    customer_id: int
    service_id: int
    service_name: str
    provider_id: int | None
    provider_name: str | None
    starts_at: datetime  # timezone-aware
    duration_min: int
    price: int  # minor units
    due: int  # what is still unpaid, minor units
    paid_from: str | None = None  # the package whose redemption stands for it: no other may pay it


def opening_holding(
    terms: Terms, *, customer_id: int, purchased_at: datetime, tz: ZoneInfo, holding_id: int = 0
) -> HoldingFacts:
    """The holding a sale (or assignment) of `terms` at `purchased_at` opens: valid through
    `valid_until` of the local purchase date and `terms.expires_in` (open until the first visit when
    its validity starts then), every line full at its
    `opening_balances`. Its line ids are placeholders (-1, -2, …) until the lines are stored;
    `holding_id` likewise (a preview may pass any id it can recognise)."""
    lines = tuple(
        LineBalance(line_id=-(index + 1), service_id=service_id, initial=quantity, remaining=quantity)
        for index, (service_id, quantity) in enumerate(opening_balances(terms))
    )
    return HoldingFacts(
        id=holding_id, customer_id=customer_id, terms=terms, purchased_at=purchased_at,
        valid_until=None if terms.starts_on_first_visit
        else valid_until(local_date(purchased_at, tz), terms.expires_in),
        voided=False, lines=lines,
    )
