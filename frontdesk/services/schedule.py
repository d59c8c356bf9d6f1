"""The day book's checks over the database: opening hours and the services each provider gives
(kept by managers, on the audit trail), the next free start to suggest, and what would stop a
booking or a move (a provider busy then, a service they do not give, outside hours, in the past)
or only warn about it (the customer booked elsewhere at that time).

`booking_checks` is what `appointments.book` and `appointments.reschedule` run before they save;
`check_booking` runs the same checks for the booking form while staff type, saving nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlmodel import Session, col, delete, select

from frontdesk.domain.bounds import MAX_DURATION_MIN, day_problem, duration_problem
from frontdesk.domain.business import Business
from frontdesk.domain.kinds import AppointmentStatus
from frontdesk.domain.periods import to_local
from frontdesk.domain.schedule import (
    WEEKDAY_NAMES,
    DayHours,
    OpeningHours,
    hours_problem,
    next_free_start,
    overlaps,
)
from frontdesk.models import Appointment, Customer, OpeningHours as HoursRow, Provider, ProviderService, Service
from frontdesk.services.audit import AuditKind, record
from frontdesk.services.errors import InvalidInput, NotFound
from frontdesk.services.roles import clock, require_manager
from frontdesk.services.views import ProviderView, ServiceView, provider_view, service_view

PAST_GRACE = timedelta(minutes=15)  # a walk-in starting now, typed as the quarter hour just gone
BLOCKING = (AppointmentStatus.BOOKED, AppointmentStatus.COMPLETED)  # cancelled and no-show free the time
PAST = "That time has passed; a manager can enter it with a reason."


# ---- opening hours ----------------------------------------------------------------------------

def opening_hours(session: Session) -> OpeningHours | None:
    """The week's hours, or None when none are kept (then bookings are not checked against them)."""
    rows = {row.weekday: row for row in session.exec(select(HoursRow))}
    if not rows:
        return None
    return OpeningHours(tuple(
        DayHours(row.opens, row.closes) if (row := rows.get(day)) and row.opens and row.closes else None
        for day in range(7)))


def set_opening_hours(session: Session, *, days: Sequence[tuple[time, time] | None]) -> OpeningHours:
    """Keep the week's hours, Monday first (None: closed that day) (managers). A day that closes
    before it opens is refused (the field `day-N`, 0 = Monday) and nothing is saved; the trail
    records the week before and after."""
    actor = require_manager(session, "change the opening hours")
    if len(days) != 7:
        raise InvalidInput({"hours": "Give the hours of all seven days."})
    errors = {f"day-{index}": f"{WEEKDAY_NAMES[index]}: closing must be after opening."
              for index, hours in enumerate(days) if hours is not None and not hours[0] < hours[1]}
    if errors:
        raise InvalidInput(errors)
    before = opening_hours(session)
    after = OpeningHours(tuple(DayHours(*hours) if hours else None for hours in days))
    session.exec(delete(HoursRow))  # type: ignore[call-overload]
    session.add_all(HoursRow(weekday=index, opens=hours.opens if hours else None,
                             closes=hours.closes if hours else None) for index, hours in enumerate(after.days))
    session.flush()
    record(session, kind=AuditKind.HOURS_SET, at=clock(session), staff_id=actor, subject="opening hours",
           detail=f"{before.words if before else 'none kept'} → {after.words}")
    return after


# ---- the services a provider gives ------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ProviderServices:
    """A provider and what they give: every service, or those listed."""

    provider: ProviderView
    all_services: bool
    service_ids: frozenset[int]
    services: list[ServiceView] = field(default_factory=list)  # every service on offer, to choose from

    def _gives(self, service_id: int) -> bool:
        return self.all_services or service_id in self.service_ids


def _provider(session: Session, provider_id: int) -> Provider:
    row = session.get(Provider, provider_id)
    if row is None:
        raise NotFound("No such provider.")
    return row


def _listed(session: Session, provider_id: int) -> frozenset[int]:
    return frozenset(session.exec(select(ProviderService.service_id).where(ProviderService.provider_id == provider_id)))


def provider_services(session: Session, *, provider_id: int) -> ProviderServices:
    """What a provider gives, with every service on offer to choose from."""
    row = _provider(session, provider_id)
    services = [service_view(service) for service in session.exec(
        select(Service).where(Service.archived == False).order_by(Service.name))]  # noqa: E712
    return ProviderServices(provider_view(row), row.all_services, _listed(session, provider_id), services)


def set_provider_services(
    session: Session, *, provider_id: int, all_services: bool, service_ids: Sequence[int] = (),
) -> ProviderServices:
    """Say what a provider gives: every service, or those of `service_ids` (managers). The trail
    records the list before and after."""
    actor = require_manager(session, "change what a provider gives")
    row = _provider(session, provider_id)
    names = dict(session.exec(select(Service.id, Service.name)).all())
    chosen = frozenset(service_ids)
    if unknown := chosen - set(names):
        raise InvalidInput({"services": f"No such service ({', '.join(map(str, sorted(unknown)))})."})
    if not all_services and not chosen:
        raise InvalidInput({"services": "Choose at least one service, or every service."})

    def words(every: bool, ids: frozenset[int]) -> str:
        return "every service" if every else ", ".join(sorted(names[service_id] for service_id in ids))

    before = words(row.all_services, _listed(session, provider_id))
    session.exec(delete(ProviderService).where(ProviderService.provider_id == provider_id))  # type: ignore[call-overload]
    if not all_services:
        session.add_all(ProviderService(provider_id=provider_id, service_id=service_id)
                        for service_id in sorted(chosen))
    row.all_services = all_services
    session.add(row)
    session.flush()
    record(session, kind=AuditKind.PROVIDER_SERVICES, at=clock(session), staff_id=actor,
           subject=f"provider {provider_id}", detail=f"{row.name}: {before} → {words(all_services, chosen)}")
    return provider_services(session, provider_id=provider_id)


def _gives(session: Session, provider: Provider, service_id: int) -> bool:
    """Does `provider` give the service?"""
    return provider.all_services or session.get(ProviderService, (provider.id, service_id)) is not None


def _providers_giving(session: Session, service_id: int) -> list[Provider]:
    """The providers at work who give the service, by name."""
    listed = select(ProviderService.provider_id).where(ProviderService.service_id == service_id)
    return list(session.exec(select(Provider).where(
        Provider.archived == False,  # noqa: E712
        col(Provider.all_services) | col(Provider.id).in_(listed)).order_by(Provider.name)))


def lock_provider(session: Session, provider_id: int) -> None:
    """Hold the provider's row until the transaction ends: two desks booking the same provider
    check for clashes one after the other (a row lock on PostgreSQL; SQLite's writes are one at
    a time already)."""
    session.exec(select(Provider.id).where(Provider.id == provider_id).with_for_update()).first()


# ---- what is booked when ----------------------------------------------------------------------

def _booked_between(session: Session, start: datetime, end: datetime, *, provider_id: int | None = None,
                    customer_id: int | None = None, ignore_id: int | None = None) -> list[Appointment]:
    """Appointments that hold time (booked or completed) of the provider or the customer, starting
    from a longest appointment before `start` up to `end`, in time order."""
    statement = select(Appointment).where(
        col(Appointment.status).in_(BLOCKING),
        Appointment.starts_at >= start - timedelta(minutes=MAX_DURATION_MIN), Appointment.starts_at < end,
    ).order_by(Appointment.starts_at, Appointment.id)
    if provider_id is not None:
        statement = statement.where(Appointment.provider_id == provider_id)
    if customer_id is not None:
        statement = statement.where(Appointment.customer_id == customer_id)
    if ignore_id is not None:
        statement = statement.where(Appointment.id != ignore_id)
    return list(session.exec(statement))


def _span(row: Appointment, business: Business) -> str:
    start = to_local(row.starts_at, business.tz)
    end = start + timedelta(minutes=row.duration_min)
    return f"{start:%H:%M}–{end:%H:%M}"


@dataclass(frozen=True, slots=True)
class BookingCheck:
    """What stops a booking (field → message) and what only warns about it. `overridable`: the
    start's problem (in the past, outside hours) is one a manager may enter anyway, with a reason."""

    errors: dict[str, str]
    warnings: tuple[str, ...] = ()
    overridable: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def booking_checks(
    session: Session, business: Business, *, customer_id: int, service_id: int, provider_id: int | None,
    starts_at: datetime, duration_min: int, ignore_id: int | None = None,
) -> BookingCheck:
    """The day book's checks of an appointment whose fields are otherwise valid: its provider gives
    the service and is free then (`ignore_id`: the appointment being moved), it fits the opening
    hours and has not passed; the customer booked at an overlapping time is a warning."""
    errors: dict[str, str] = {}
    warnings: list[str] = []
    end = starts_at + timedelta(minutes=duration_min)
    provider = session.get(Provider, provider_id) if provider_id is not None else None
    names = dict(session.exec(select(Service.id, Service.name)).all())
    if provider is not None:
        if not _gives(session, provider, service_id):
            errors["provider"] = f"{provider.name} doesn't give {names.get(service_id, 'this service')}."
        else:
            for row in _booked_between(session, starts_at, end, provider_id=provider.id, ignore_id=ignore_id):
                if overlaps(starts_at, duration_min, row.starts_at, row.duration_min):
                    errors["provider"] = f"{provider.name} is booked {_span(row, business)} ({names[row.service_id]})."
                    break
    start_problem = None
    if starts_at < clock(session) - PAST_GRACE:
        start_problem = PAST
    else:
        start_problem = hours_problem(opening_hours(session), starts_at, duration_min, business.tz)
    if start_problem:
        errors["starts_at"] = start_problem
    customer = session.get(Customer, customer_id)
    for row in _booked_between(session, starts_at, end, customer_id=customer_id, ignore_id=ignore_id):
        if overlaps(starts_at, duration_min, row.starts_at, row.duration_min):
            who = session.get(Provider, row.provider_id).name if row.provider_id else None
            warnings.append(f"{customer.name if customer else 'The customer'} is already booked {_span(row, business)} "
                            f"({names[row.service_id]}{f' with {who}' if who else ''}).")
    return BookingCheck(errors, tuple(warnings), overridable=bool(start_problem) and set(errors) == {"starts_at"})


def check_booking(
    session: Session, business: Business, *, customer_id: int, service_id: int, starts_at: datetime,
    provider_id: int | None = None, duration_min: int | None = None, appointment_id: int | None = None,
) -> BookingCheck:
    """The booking form's live check, saving nothing: the same checks `book` (or, with
    `appointment_id`, `reschedule`) makes, as messages per field and warnings."""
    service = session.get(Service, service_id)
    if service is None:
        return BookingCheck({"service": "Choose a service that is offered."})
    if starts_at.tzinfo is None or (problem := day_problem(to_local(starts_at, business.tz).date())):
        return BookingCheck({"starts_at": problem or "The start time needs a time zone."})
    minutes = duration_min if duration_min is not None else service.duration_min
    if problem := duration_problem(minutes):
        return BookingCheck({"duration": problem})
    return booking_checks(session, business, customer_id=customer_id, service_id=service_id,
                          provider_id=provider_id, starts_at=starts_at, duration_min=minutes,
                          ignore_id=appointment_id)


# ---- the next free start ----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Suggestion:
    """The next free start, and with whom (None: no provider asked for, none giving the service)."""

    starts_at: datetime
    provider_id: int | None
    provider_name: str | None


def suggest_start(
    session: Session, business: Business, *, service_id: int, provider_id: int | None = None,
    after: datetime | None = None, duration_min: int | None = None, ignore_id: int | None = None,
) -> Suggestion | None:
    """The first start from `after` (now, by default) within opening hours when the provider is
    free for the service; with no provider, the earliest among those who give it (and which). None
    when nothing is free within the search's days."""
    service = session.get(Service, service_id)
    if service is None:
        raise NotFound("No such service.")
    minutes = duration_min or service.duration_min
    earliest = max(after or clock(session), clock(session))
    hours = opening_hours(session)
    if provider_id is not None:
        candidates = [_provider(session, provider_id)]
    else:
        candidates = _providers_giving(session, service_id)
    if not candidates:
        start = next_free_start(hours, [], minutes, earliest, business.tz)
        return Suggestion(start, None, None) if start else None
    until = earliest + timedelta(days=62)
    best: Suggestion | None = None
    for provider in candidates:
        busy = [(row.starts_at, row.duration_min)
                for row in _booked_between(session, earliest, until, provider_id=provider.id, ignore_id=ignore_id)]
        start = next_free_start(hours, busy, minutes, earliest, business.tz)
        if start is not None and (best is None or start < best.starts_at):
            best = Suggestion(start, provider.id, provider.name)
    return best
