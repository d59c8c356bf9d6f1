"""What the rules know about a customer's holding and an appointment, as plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from frontdesk.domain.terms import Terms


@dataclass(frozen=True, slots=True)
class LineBalance:
    """One balance bucket of a holding. Any-from-list holdings have one line (service_id None);
    Fixed holdings have one line per (service, quantity) line, in order."""

    line_id: int
    service_id: int | None
    initial: int
    remaining: int


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
