"""Appointments: reading them, booking (with the "to be covered by" check), cancel, no-show and
reversing a redemption. Paying them is `frontdesk.services.checkout`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from frontdesk.domain.bounds import day_problem, duration_problem, text_problem
from frontdesk.domain.business import Business
from frontdesk.domain.controls import cancel_needs_manager
from frontdesk.domain.coverage import AppointmentFacts, Coverage, cover_refusal, covers
from frontdesk.domain.describe import HoldingStatus, describe_amount
from frontdesk.domain.kinds import AppointmentStatus, EntryKind, Tender
from frontdesk.domain.money import Currency, amount_problem
from frontdesk.domain.lifecycle import Outcome, PolicyVerdict, policy_verdict
from frontdesk.domain.periods import to_local
from frontdesk.domain.terms import Terms
from frontdesk.models import (
    Appointment,
    Customer,
    Holding,
    LedgerEntry,
    Payment,
    Provider,
    ProviderService,
    Service,
)
from frontdesk.services.audit import AuditKind, record
from frontdesk.services.catalogue import list_providers, list_services
from frontdesk.services.errors import InvalidInput, NotFound
from frontdesk.services.ledger import append_entry, credit, get_holding, lock_holding, lock_lines, require_reason, spend
from frontdesk.services.tenders import TenderLine, check_refunds, describe_refunds, money_paid, record_refunds
from frontdesk.services.roles import clock, require_manager, require_staff
from frontdesk.services.schedule import booking_checks, lock_provider
from frontdesk.services.views import (
    AppointmentView,
    CustomerView,
    ProviderView,
    ServiceView,
    customer_view,
    HoldingView,
    appointment_views,
    holding_views,
    next_round,
    Receipt,
    receipt_view,
    standing_redemptions,
)

@dataclass(frozen=True, slots=True)
class Booking:
    appointment: AppointmentView
    coverage: Coverage | None  # the check against the "to be covered by" holding, if any
    warnings: tuple[str, ...] = ()  # booked all the same: "Maria Lopez is already booked 15:00–16:00 (Sauna)."


@dataclass(frozen=True, slots=True)
class Rescheduled:
    """An appointment moved: where it is now, the warnings of its new time, and whether the package
    it is to be covered by still covers it there."""

    appointment: AppointmentView
    warnings: tuple[str, ...] = ()
    coverage: Coverage | None = None


@dataclass(frozen=True, slots=True)
class Cancellation:
    appointment: AppointmentView
    returned: str | None  # "1 visit back to Massage Pack", when a redemption was reversed
    refunded: int  # money given back (cash, card, other), minor units
    kept: int  # money paid for it and not given back
    receipt: Receipt | None  # the refund's receipt, when money went back
    forfeited: str | None = None  # "1 visit of Massage Pack forfeited", under the package's policy
    policy: str = ""  # what the package's policy said, in words


@dataclass(frozen=True, slots=True)
class PolicyPreview:
    """What cancelling (or marking a no-show) will do to the package it is tied to, said before it is
    confirmed: the package, the outcome and why."""

    holding_title: str | None  # None: no package is tied to it (the policy does not apply)
    verdict: PolicyVerdict | None
    paid_ahead: bool  # a redemption already stands for it

    @property
    def words(self) -> str:
        if self.holding_title is None or self.verdict is None or not self.verdict.policy:
            return ""
        unit = "what it paid" if self.paid_ahead else "the unit"
        outcome = "is forfeited" if self.verdict.forfeits else (
            "goes back to the package" if self.paid_ahead else "stays on the package")
        return f"{self.holding_title}: {self.verdict.why}, so {unit} {outcome}."


# ---- reading ----------------------------------------------------------------------------------

def get_appointment(session: Session, appointment_id: int) -> AppointmentView:
    row = session.get(Appointment, appointment_id)
    if row is None:
        raise NotFound("No such appointment.")
    return appointment_views(session, [row])[0]


def customer_holdings(
    session: Session, business: Business, *, customer_id: int
) -> list[HoldingView]:
    """All of a customer's holdings: active ones first (expiring first), then the rest."""
    rows = session.exec(select(Holding).where(Holding.customer_id == customer_id).order_by(Holding.id)).all()
    views = holding_views(session, rows, business, clock(session))
    return sorted(views, key=lambda view: (view.status is not HoldingStatus.ACTIVE, view.valid_until or date.max,
                                           view.id))


def customer_appointments(session: Session, *, customer_id: int, limit: int = 100) -> list[AppointmentView]:
    """A customer's appointments: every unpaid one (booked or completed) first, oldest first, then the
    `limit` newest others."""
    # what each of her appointments was paid, summed by its payment index: not every payment of
    # the spa grouped first and joined after
    paid = (select(func.coalesce(func.sum(Payment.amount), 0)).where(Payment.appointment_id == Appointment.id)
            .correlate(Appointment).scalar_subquery())
    unpaid = col(Appointment.status).in_((AppointmentStatus.BOOKED, AppointmentStatus.COMPLETED)) & (
        Appointment.price > paid)
    base = select(Appointment).where(Appointment.customer_id == customer_id)
    rows = [*session.exec(base.where(unpaid).order_by(Appointment.starts_at)),
            *session.exec(base.where(~unpaid).order_by(col(Appointment.starts_at).desc()).limit(limit))]
    return appointment_views(session, rows)


def day_appointments(session: Session, business: Business, *, day: date) -> list[AppointmentView]:
    """The appointments of a local day, in time order."""
    start = datetime.combine(day, time(0), business.tz)
    end = start + timedelta(days=1)
    rows = session.exec(
        select(Appointment).where(Appointment.starts_at >= start, Appointment.starts_at < end)
        .order_by(Appointment.starts_at, Appointment.id)
    ).all()
    return appointment_views(session, rows)


DAY_PAGE = 100  # appointments read and shown at once on home: a chain's busy day is paged
DAY_PAGE_LEAD = timedelta(hours=2)  # the page of "now" starts with those begun this long ago (still to pay)


@dataclass(frozen=True, slots=True)
class DayPage:
    """Some of a day's appointments in time order: `appointments` are the day's numbers
    `first` + 1 … `first` + len(appointments) of `total`."""

    appointments: list[AppointmentView]
    first: int
    total: int

    @property
    def earlier(self) -> bool:
        return self.first > 0

    @property
    def later(self) -> bool:
        return self.first + len(self.appointments) < self.total


def day_page(session: Session, business: Business, *, day: date, first: int | None = None,
             limit: int = DAY_PAGE) -> DayPage:
    """A page of the appointments of a local day, in time order, from the day's number `first`
    (0: the first of the day). Without `first`, the page of now: from the first appointment that
    began at most `DAY_PAGE_LEAD` ago (or the day's last page); a day that fits on one page is
    read whole. A `first` past the end (appointments moved away meanwhile) reads the last page."""
    start = datetime.combine(day, time(0), business.tz)
    on_day = (Appointment.starts_at >= start, Appointment.starts_at < start + timedelta(days=1))
    total = session.exec(select(func.count()).select_from(Appointment).where(*on_day)).one()
    if first is None:
        begun = session.exec(select(func.count()).select_from(Appointment).where(
            *on_day, Appointment.starts_at < clock(session) - DAY_PAGE_LEAD)).one()
        first = min(begun, total - limit)
    if first >= total:
        first = total - limit
    first = max(0, first)
    rows = session.exec(
        select(Appointment).where(*on_day).order_by(Appointment.starts_at, Appointment.id)
        .offset(first).limit(limit)
    ).all() if total else []
    return DayPage(appointment_views(session, rows), first, total)


# ---- booking ----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class BookingForm:
    """What the booking form offers: the customer, what can be booked, her active holdings."""

    customer: CustomerView
    services: list[ServiceView]
    providers: list[ProviderView]
    holdings: list[HoldingView]  # her active ones, to be covered by
    gives: dict[int, frozenset[int] | None] = field(default_factory=dict)  # provider → services (None: all)


def booking_form(session: Session, business: Business, *, customer_id: int) -> BookingForm:
    """The customer, the services and providers on offer, and her active holdings, in one read."""
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound("No such customer.")
    return BookingForm(
        customer=customer_view(customer),
        services=list_services(session),
        providers=list_providers(session),
        holdings=[view for view in customer_holdings(session, business, customer_id=customer_id)
                  if view.status == HoldingStatus.ACTIVE],
        gives=_provider_skills(session),
    )


def _provider_skills(session: Session) -> dict[int, frozenset[int] | None]:
    """Each provider's services (None: every service), for the form to mark who gives what."""
    listed: dict[int, set[int]] = {}
    for provider_id, service_id in session.exec(select(ProviderService.provider_id, ProviderService.service_id)):
        listed.setdefault(provider_id, set()).add(service_id)
    return {row.id: None if row.all_services else frozenset(listed.get(row.id, ()))
            for row in session.exec(select(Provider))}


NOTE_MAX_LENGTH = 500  # the note column's size


def _booking_facts(
    session: Session, *, customer_id: int, service_id: int, provider_id: int | None,
    starts_at: datetime, duration_min: int | None, price: int | None, currency: Currency, note: str = "",
) -> AppointmentFacts:
    errors = {}
    service = session.get(Service, service_id)
    if session.get(Customer, customer_id) is None:
        raise NotFound("No such customer.")
    if service is None or service.archived:
        errors["service"] = "Choose a service that is offered."
    provider = session.get(Provider, provider_id) if provider_id else None
    if provider_id and (provider is None or provider.archived):
        errors["provider"] = "Choose a provider who is working."
    if starts_at.tzinfo is None or starts_at.utcoffset() is None:
        errors["starts_at"] = "The start time needs a time zone."
    elif problem := day_problem(starts_at.date()):  # checked before any arithmetic on it
        errors["starts_at"] = problem
    if duration_min is not None and (problem := duration_problem(duration_min)):
        errors["duration"] = problem
    if price is not None and (problem := amount_problem(price, currency, what="price")):
        errors["price"] = problem
    if problem := text_problem(note.strip(), NOTE_MAX_LENGTH, lines=True):
        errors["note"] = problem
    if errors:
        raise InvalidInput(errors)
    duration = duration_min if duration_min is not None else service.duration_min
    amount = price if price is not None else service.price
    return AppointmentFacts(
        id=None, customer_id=customer_id, service_id=service_id, service_name=service.name,
        provider_id=provider_id, provider_name=provider.name if provider else None,
        starts_at=starts_at, duration_min=duration, price=amount, due=amount,
    )


def preview_cover(
    session: Session, business: Business, *, customer_id: int, service_id: int, holding_id: int,
    starts_at: datetime, provider_id: int | None = None, duration_min: int | None = None,
    price: int | None = None, appointment_id: int | None = None,
) -> Coverage:
    """Would `holding_id` cover this appointment? Asked before booking it, judged against what is
    free of the other bookings' holds; with `appointment_id` (re-checking or moving a booked
    one) its own hold is free to it."""
    facts = _booking_facts(session, customer_id=customer_id, service_id=service_id,
                           provider_id=provider_id, starts_at=starts_at,
                           duration_min=duration_min, price=price, currency=business.currency)
    now = clock(session)
    holding = holding_views(session, [get_holding(session, holding_id)], business, now)[0]
    return covers(holding.facts, replace(facts, id=appointment_id), now, tz=business.tz, currency=business.currency)


def hold_or_refuse(
    session: Session, business: Business, *, holding_id: int, appointment: AppointmentFacts,
) -> Coverage:
    """Check that `holding_id` can hold what `appointment` would take, with the holding locked
    (`ledger.lock_holding`) so that two desks booking its last free unit are judged one after the
    other: the second counts the first one's hold. Refused at the `cover` field (InvalidInput)
    when it would take more than is free (`coverage.cover_refusal`); any other reason it would
    not cover is returned as a warning."""
    holding, _ = lock_holding(session, holding_id)
    now = clock(session)
    view = holding_views(session, [holding], business, now)[0]
    coverage = covers(view.facts, appointment, now, tz=business.tz, currency=business.currency)
    if (refusal := cover_refusal(holding.title, coverage)) is not None:
        raise InvalidInput({"cover": refusal})
    return coverage


def book(
    session: Session, business: Business, *, customer_id: int, service_id: int,
    starts_at: datetime, provider_id: int | None = None,
    duration_min: int | None = None, price: int | None = None,
    cover_holding_id: int | None = None, note: str = "", override: bool = False, reason: str = "",
) -> Booking:
    """Book an appointment; duration and price default from the service. With
    `cover_holding_id` it is marked "to be covered by" that holding and the coverage is checked
    now (the verdict is returned; the redemption happens at checkout): while it is booked it holds
    what it will take, and it is refused when that is more than is free (`hold_or_refuse`).

    Refused, with the reason at its field, when the provider is busy then or does not give the
    service, or it falls outside opening hours or in the past; a manager may `override` the last
    two, with a reason. The customer booked elsewhere at that time is a warning, returned."""
    actor = require_staff(session)
    now = clock(session)
    facts = _booking_facts(session, customer_id=customer_id, service_id=service_id,
                           provider_id=provider_id, starts_at=starts_at,
                           duration_min=duration_min, price=price, currency=business.currency, note=note)
    warnings, entered = _day_book_checks(session, business, facts, override=override, reason=reason)
    coverage = None
    if cover_holding_id is not None:
        coverage = hold_or_refuse(session, business, holding_id=cover_holding_id, appointment=facts)
    row = Appointment(customer_id=customer_id, service_id=service_id, provider_id=provider_id,
                      starts_at=starts_at, duration_min=facts.duration_min, price=facts.price,
                      cover_holding_id=cover_holding_id, note=note.strip(), created_by=actor,
                      created_at=now)
    session.add(row)
    session.flush()
    when = f"{to_local(starts_at, business.tz):%a %-d %b %Y %H:%M}"
    record(session, kind=AuditKind.BOOKED, at=now, staff_id=actor, customer_id=customer_id,
           subject=f"appointment {row.id}", detail=f"{facts.service_name} {when}{entered}")
    return Booking(appointment=appointment_views(session, [row])[0], coverage=coverage, warnings=warnings)


def _day_book_checks(session: Session, business: Business, facts: AppointmentFacts, *, override: bool,
                     reason: str, ignore_id: int | None = None) -> tuple[tuple[str, ...], str]:
    """Refuse what the day book does not allow (`schedule.booking_checks`), with its provider's row
    locked so two desks cannot both take the same time. A manager's `override` lets a start in the
    past or outside hours through, with a reason. Returns the warnings, and the words the audit
    trail adds for an override ("" without one)."""
    if facts.provider_id is not None:
        lock_provider(session, facts.provider_id)
    check = booking_checks(session, business, customer_id=facts.customer_id, service_id=facts.service_id,
                           provider_id=facts.provider_id, starts_at=facts.starts_at,
                           duration_min=facts.duration_min, ignore_id=ignore_id)
    errors = dict(check.errors)
    entered = ""
    if override and "starts_at" in errors:
        require_manager(session, "book a time that has passed or is outside the opening hours")
        entered = f"; entered by a manager ({errors.pop('starts_at')}): {require_reason(reason)}"
    if errors:
        raise InvalidInput(errors)
    return check.warnings, entered


def lock_appointment(session: Session, appointment_id: int) -> Appointment:
    row = session.exec(
        select(Appointment).where(Appointment.id == appointment_id).with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if row is None:
        raise NotFound("No such appointment.")
    return row


def reschedule(
    session: Session, business: Business, *, appointment_id: int, starts_at: datetime, provider_id: int | None,
    override: bool = False, reason: str = "",
) -> Rescheduled:
    """Move a booked appointment to another time or provider, with the checks of booking (the
    appointment itself aside); a manager may `override` a start in the past or outside hours,
    with a reason. The trail records from → to. When it is to be covered by a package, the
    verdict at the new time is returned (the redemption still happens at checkout)."""
    actor = require_staff(session)
    now = clock(session)
    row = lock_appointment(session, appointment_id)
    if row.status != AppointmentStatus.BOOKED:
        raise InvalidInput({"appointment": f"Only a booked appointment can be moved (this one is {row.status})."})
    facts = _booking_facts(session, customer_id=row.customer_id, service_id=row.service_id, provider_id=provider_id,
                           starts_at=starts_at, duration_min=row.duration_min, price=row.price,
                           currency=business.currency)
    warnings, entered = _day_book_checks(session, business, facts, override=override, reason=reason,
                                         ignore_id=row.id)
    before = _where(session, business, row.starts_at, row.provider_id)
    row.starts_at, row.provider_id = starts_at, provider_id
    session.add(row)
    session.flush()
    record(session, kind=AuditKind.RESCHEDULED, at=now, staff_id=actor, customer_id=row.customer_id,
           subject=f"appointment {row.id}",
           detail=f"{facts.service_name}: {before} → {_where(session, business, starts_at, provider_id)}{entered}")
    coverage = None
    if row.cover_holding_id is not None:
        holding = holding_views(session, [get_holding(session, row.cover_holding_id)], business, now)[0]
        # its own hold moves with it: free to it at the new time
        coverage = covers(holding.facts, replace(facts, id=row.id), now, tz=business.tz, currency=business.currency)
    return Rescheduled(appointment_views(session, [row])[0], warnings, coverage)


def _where(session: Session, business: Business, starts_at: datetime, provider_id: int | None) -> str:
    """ "Mon 2 Mar 2026 15:00 with Anna": when an appointment is, and with whom."""
    provider = session.get(Provider, provider_id) if provider_id is not None else None
    return f"{to_local(starts_at, business.tz):%a %-d %b %Y %H:%M}" + (f" with {provider.name}" if provider else "")


# ---- cancel, no-show, reverse -----------------------------------------------------------------

def _outstanding_redemption(session: Session, appointment_id: int) -> LedgerEntry | None:
    """The appointment's standing redemption, if it has one (not given back already)."""
    return standing_redemptions(session, [appointment_id]).get(appointment_id)


def _reverse(session: Session, business: Business, *, appointment_id: int, actor: int, note: str,
             now: datetime) -> str | None:
    """Give back the unit a redemption took, if it has not been given back yet."""
    redemption = _outstanding_redemption(session, appointment_id)
    if redemption is None:
        return None
    lock_lines(session, redemption.holding_id)
    after = credit(session, redemption.line_id, -redemption.delta)
    entry = append_entry(session, holding_id=redemption.holding_id, line_id=redemption.line_id,
                         kind=EntryKind.REVERSE, delta=-redemption.delta, balance_after=after,
                         actor=actor, appointment_id=appointment_id, note=note, at=now, seq=redemption.seq)
    paid = session.exec(select(Payment).where(Payment.entry_id == redemption.id)).one()
    session.add(Payment(appointment_id=appointment_id, holding_id=redemption.holding_id,
                        entry_id=entry.id, tender=Tender.PACKAGE, amount=-paid.amount,
                        staff_id=actor, created_at=now))
    holding = session.get(Holding, redemption.holding_id)
    amount = describe_amount(Terms.from_dict(holding.terms), -redemption.delta, business.currency)
    return f"{amount} back to {holding.title}" if redemption.delta else f"use returned to {holding.title}"


def _tied_holding(session: Session, row: Appointment) -> tuple[Holding | None, LedgerEntry | None]:
    """The package an appointment is tied to: the one whose redemption stands for it, else the one
    it was booked to be covered by; and that redemption."""
    redemption = _outstanding_redemption(session, row.id)
    holding_id = redemption.holding_id if redemption is not None else row.cover_holding_id
    holding = session.get(Holding, holding_id) if holding_id is not None else None
    return holding, redemption


def _verdict(holding: Holding | None, row: Appointment, now: datetime, *, no_show: bool,
             override: bool) -> PolicyVerdict | None:
    """The policy's outcome for `row`, turned the other way by a manager's `override`."""
    if holding is None:
        return None
    verdict = policy_verdict(Terms.from_dict(holding.terms), no_show=no_show, starts_at=row.starts_at, now=now)
    if override:
        flipped = Outcome.RETURNED if verdict.forfeits else Outcome.FORFEITED
        return PolicyVerdict(flipped, f"{verdict.why}; a manager {flipped} it (the policy: {verdict.outcome})", True)
    return verdict


def policy_preview(session: Session, *, appointment_id: int, no_show: bool = False) -> PolicyPreview:
    """What cancelling the appointment now (or marking it a no-show) will do under its package's
    cancellation policy: for the dialogs to say before confirming."""
    row = session.get(Appointment, appointment_id)
    if row is None:
        raise NotFound("No such appointment.")
    holding, redemption = _tied_holding(session, row)
    return PolicyPreview(holding.title if holding else None,
                         _verdict(holding, row, clock(session), no_show=no_show, override=False),
                         redemption is not None)


def _forfeit(session: Session, business: Business, *, row: Appointment, holding: Holding, actor: int,
             now: datetime, why: str) -> str:
    """Take what the appointment would have taken from its package, under the policy: a redemption
    like a checkout's (a manager can reverse it later). Nothing when the package cannot pay it."""
    view = appointment_views(session, [row])[0]
    holding, _ = lock_holding(session, holding.id)  # void or frozen as committed now
    fresh = holding_views(session, [holding], business, now)[0]
    coverage = covers(fresh.facts, view.facts, now, tz=business.tz, currency=business.currency)
    if not coverage.ok:
        return f"nothing forfeited from {holding.title} ({'; '.join(coverage.reasons)})"
    take = coverage.take
    after = spend(session, take.line_id, take.units)
    entry = append_entry(session, holding_id=holding.id, line_id=take.line_id, kind=EntryKind.REDEEM,
                         delta=-take.units, balance_after=after, actor=actor, appointment_id=row.id,
                         note=f"{take.description} forfeited: {why}", at=now, seq=next_round(session, row.id))
    session.add(Payment(appointment_id=row.id, holding_id=holding.id, entry_id=entry.id, tender=Tender.PACKAGE,
                        amount=take.value, staff_id=actor, created_at=now))
    return f"{take.description} of {holding.title} forfeited"


def _override_allowed(session: Session, override: bool, reason: str) -> None:
    if override:
        require_manager(session, "override the cancellation policy")
        require_reason(reason)


def cancel(
    session: Session, business: Business, *, appointment_id: int, reason: str = "",
    refunds: Sequence[TenderLine] = (), override: bool = False,
) -> Cancellation:
    """Cancel an appointment. The package it is tied to follows its cancellation policy (DESIGN §6):
    with enough notice, or without a policy, a redemption is reversed (the unit goes back, even if
    the package has expired since) and nothing is taken; a late cancel under a forfeiting policy
    keeps the redemption, or takes the unit now. A manager may `override` the outcome, with a
    reason. Money paid for it is refunded by `refunds` (each a negative payment), in full, in part
    or not at all; less than in full needs a reason.

    Reception cancels a booked appointment, and before it begins gives back what was paid.
    Cancelling one that took place or was missed, or giving anything back after it began, is a
    manager's, with a reason (`controls.cancel_needs_manager`)."""
    actor = require_staff(session)
    now = clock(session)
    row = lock_appointment(session, appointment_id)
    if row.status == AppointmentStatus.CANCELLED:
        raise InvalidInput({"appointment": "This appointment is already cancelled."})
    _override_allowed(session, override, reason)
    paid = money_paid(session, appointment_id=row.id)
    holding, redemption = _tied_holding(session, row)
    verdict = _verdict(holding, row, now, no_show=False, override=override)
    forfeits = verdict is not None and verdict.forfeits
    manager_job = cancel_needs_manager(AppointmentStatus(row.status), row.starts_at, now,
                                       gives_back=(redemption is not None and not forfeits) or paid > 0)
    if manager_job is not None:
        require_manager(session, manager_job)
        require_reason(reason)
    refunded = check_refunds(refunds, paid, reason, business)
    returned = forfeited = None
    why = reason.strip() or (verdict.why if verdict else "appointment cancelled")
    if not forfeits:
        returned = _reverse(session, business, appointment_id=row.id, actor=actor,
                            note=reason.strip() or "appointment cancelled", now=now)
    elif redemption is not None:
        forfeited = f"{redemption_words(session, business, redemption)} kept: {verdict.why}"
    elif holding is not None and row.status == AppointmentStatus.BOOKED:
        forfeited = _forfeit(session, business, row=row, holding=holding, actor=actor, now=now, why=why)
    till = record_refunds(session, refunds, customer_id=row.customer_id, actor=actor, now=now,
                          reason=reason, appointment_id=row.id)
    row.status = AppointmentStatus.CANCELLED
    session.add(row)
    session.flush()
    money = describe_refunds(refunds, business) if paid else ""
    record(session, kind=AuditKind.CANCEL, at=now, staff_id=actor, customer_id=row.customer_id,
           subject=f"appointment {row.id}",
           detail="; ".join(filter(None, [reason.strip(), returned, forfeited, money,
                                          f"policy: {verdict.why}" if verdict and verdict.policy else ""])))
    return Cancellation(appointment=appointment_views(session, [row])[0], returned=returned, refunded=refunded,
                        kept=paid - refunded, receipt=receipt_view(session, business, till) if till else None,
                        forfeited=forfeited, policy=verdict.why if verdict and verdict.policy else "")


def redemption_words(session: Session, business: Business, redemption: LedgerEntry) -> str:
    """"1 visit of Massage Pack": what a redemption took, in words."""
    holding = session.get(Holding, redemption.holding_id)
    amount = describe_amount(Terms.from_dict(holding.terms), -redemption.delta, business.currency)
    return f"{amount if redemption.delta else 'the use'} of {holding.title}"


@dataclass(frozen=True, slots=True)
class NoShow:
    """A no-show marked: the appointment, and what its package's policy did."""

    appointment: AppointmentView
    returned: str | None = None  # a redemption given back under the policy
    forfeited: str | None = None  # a unit taken (or kept) under the policy
    policy: str = ""


def no_show(
    session: Session, business: Business, *, appointment_id: int, override: bool = False, reason: str = "",
) -> NoShow:
    """Mark a booked appointment as a no-show. Its package follows its cancellation policy: a
    forfeiting one takes the unit (or keeps the redemption made ahead), a returning one gives a
    redemption made ahead back; without a policy a redemption made ahead is kept and nothing is
    taken. A manager may `override` the outcome, with a reason."""
    actor = require_staff(session)
    now = clock(session)
    row = lock_appointment(session, appointment_id)
    if row.status != AppointmentStatus.BOOKED:
        raise InvalidInput({"appointment": f"Only a booked appointment can be a no-show (this one is {row.status})."})
    _override_allowed(session, override, reason)
    holding, redemption = _tied_holding(session, row)
    verdict = _verdict(holding, row, now, no_show=True, override=override)
    returned = forfeited = None
    why = reason.strip() or (verdict.why if verdict else "no-show")
    if verdict is not None and verdict.policy:
        if verdict.forfeits and redemption is None:
            forfeited = _forfeit(session, business, row=row, holding=holding, actor=actor, now=now, why=why)
        elif verdict.forfeits:
            forfeited = f"{redemption_words(session, business, redemption)} kept: {verdict.why}"
        elif redemption is not None:
            returned = _reverse(session, business, appointment_id=row.id, actor=actor, note=why, now=now)
    row.status = AppointmentStatus.NO_SHOW
    session.add(row)
    session.flush()
    record(session, kind=AuditKind.NO_SHOW, at=now, staff_id=actor, customer_id=row.customer_id,
           subject=f"appointment {row.id}",
           detail="; ".join(filter(None, [reason.strip(), returned, forfeited,
                                          f"policy: {verdict.why}" if verdict and verdict.policy else ""])))
    return NoShow(appointment_views(session, [row])[0], returned, forfeited,
                  verdict.why if verdict and verdict.policy else "")


def reverse_redemption(
    session: Session, business: Business, *, appointment_id: int, reason: str,
) -> str:
    """A manager gives back what a redemption took (e.g. a forgiven no-show), with a reason."""
    actor = require_manager(session, "reverse a redemption")
    now = clock(session)
    reason = require_reason(reason)
    row = lock_appointment(session, appointment_id)
    returned = _reverse(session, business, appointment_id=appointment_id, actor=actor, note=reason, now=now)
    if returned is None:
        raise InvalidInput({"appointment": "Nothing was redeemed for this appointment, or it was already given back."})
    record(session, kind=AuditKind.REVERSE, at=now, staff_id=actor, customer_id=row.customer_id,
           subject=f"appointment {appointment_id}", detail=f"{returned}: {reason}")
    return returned
