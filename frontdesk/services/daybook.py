"""The day book: one day's appointments by provider, the way a spa's paper appointment book reads.

Each working provider has a group (in name order, with nothing booked too), a provider no longer
working has one when she has appointments that day, and "No provider" comes last for those booked
without one. Each appointment reads its start and end, customer, service and its state in words:
"unpaid $80.00", "paid", "paid from Massage Pack", "no-show", "cancelled", "to be covered by
Massage Pack". The day's appointments are read once (`appointments.day_appointments`); the
providers and the titles of the packages they are to be covered by take one query each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from enum import StrEnum

from sqlmodel import Session, col, or_, select

from frontdesk.domain.business import Business
from frontdesk.domain.kinds import AppointmentStatus
from frontdesk.domain.money import format_money
from frontdesk.domain.periods import to_local
from frontdesk.domain.words import plural
from frontdesk.models import Holding, Provider
from frontdesk.services.appointments import day_appointments
from frontdesk.services.views import AppointmentView

NO_PROVIDER = "No provider"


class DayState(StrEnum):
    """Where an appointment of the day stands."""

    UNPAID = "unpaid"
    TO_BE_COVERED = "to be covered"  # unpaid, booked to be covered by a package
    PAID = "paid"
    PAID_FROM = "paid from"  # paid by a package's redemption
    NO_SHOW = "no-show"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class DayLine:
    """One appointment of the day book: when (local start and end), and its state in words."""

    appointment: AppointmentView
    starts: time
    ends: time
    state: DayState
    words: str  # "unpaid $80.00", "paid from Massage Pack", "to be covered by Massage Pack", …

    @property
    def needs_payment(self) -> bool:
        return self.appointment.needs_payment

    @property
    def span(self) -> str:
        """"10:00–11:00"."""
        return f"{self.starts:%H:%M}–{self.ends:%H:%M}"


@dataclass(frozen=True, slots=True)
class ProviderDay:
    """A provider's appointments of the day in time order (none: free all day)."""

    provider_id: int | None  # None: the appointments booked without a provider
    name: str
    lines: tuple[DayLine, ...]


@dataclass(frozen=True, slots=True)
class DayBook:
    """A day's appointments, grouped by provider."""

    day: date
    providers: tuple[ProviderDay, ...]

    @property
    def lines(self) -> list[DayLine]:
        return [line for provider in self.providers for line in provider.lines]

    @property
    def count(self) -> int:
        return len(self.lines)

    @property
    def unpaid(self) -> int:
        """Still to be paid: unpaid, and to be covered by a package."""
        return sum(1 for line in self.lines if line.needs_payment)

    @property
    def no_shows(self) -> int:
        return sum(1 for line in self.lines if line.state is DayState.NO_SHOW)

    @property
    def cancelled(self) -> int:
        return sum(1 for line in self.lines if line.state is DayState.CANCELLED)

    @property
    def summary(self) -> str:
        """"5 appointments, 2 unpaid, 1 no-show, 1 cancelled" (no-shows and cancelled only when
        there are some); "No appointments on Sunday 6 December."."""
        if not self.count:
            return f"No appointments on {self.day:%A} {self.day.day} {self.day:%B}."
        words = [plural(self.count, "appointment"), f"{self.unpaid:,} unpaid" if self.unpaid else "none unpaid"]
        if self.no_shows:
            words.append(plural(self.no_shows, "no-show"))
        if self.cancelled:
            words.append(f"{self.cancelled:,} cancelled")
        return ", ".join(words)


def day_state(appointment: AppointmentView, cover_title: str | None, business: Business) -> tuple[DayState, str]:
    """The appointment's state, and in words. `cover_title`: the package it is to be covered by."""
    if appointment.status == AppointmentStatus.CANCELLED:
        return DayState.CANCELLED, "cancelled"
    if appointment.status == AppointmentStatus.NO_SHOW:
        return DayState.NO_SHOW, "no-show"
    if appointment.is_paid:
        if appointment.paid_from:
            return DayState.PAID_FROM, f"paid from {appointment.paid_from}"
        return DayState.PAID, "paid"
    if cover_title is not None:
        return DayState.TO_BE_COVERED, f"to be covered by {cover_title}"
    due = f" {format_money(appointment.due, business.currency)}" if appointment.due else ""
    return DayState.UNPAID, f"unpaid{due}"


def day_book(session: Session, business: Business, *, day: date) -> DayBook:
    """The local `day`'s appointments by provider: working providers in name order (and any other
    provider with appointments that day), then "No provider"."""
    found = day_appointments(session, business, day=day)
    booked_with = {appointment.provider_id for appointment in found if appointment.provider_id is not None}
    providers = sorted(session.exec(  # in name order the same on both databases, whatever their collation
        select(Provider.id, Provider.name)
        .where(or_(~col(Provider.archived), col(Provider.id).in_(booked_with or {-1})))
    ).all(), key=lambda provider: (provider[1].casefold(), provider[0]))
    covering = {appointment.cover_holding_id for appointment in found
                if appointment.cover_holding_id is not None and appointment.needs_payment}
    titles = dict(session.exec(select(Holding.id, Holding.title).where(col(Holding.id).in_(covering))).all()) \
        if covering else {}
    by_provider: dict[int | None, list[DayLine]] = {}
    for appointment in found:
        start = to_local(appointment.starts_at, business.tz)
        end = start + timedelta(minutes=appointment.duration_min)
        state, words = day_state(appointment, titles.get(appointment.cover_holding_id), business)
        by_provider.setdefault(appointment.provider_id, []).append(
            DayLine(appointment, start.time(), end.time(), state, words))
    groups = [ProviderDay(provider_id, name, tuple(by_provider.get(provider_id, ())))
              for provider_id, name in providers]
    if None in by_provider:
        groups.append(ProviderDay(None, NO_PROVIDER, tuple(by_provider[None])))
    return DayBook(day, tuple(groups))
