"""Appointments: booking, checkout (redeem and/or tenders), cancel, no-show, and what covers what.

A checkout is one transaction: it locks the appointment, then the holding's lines, re-checks
coverage on the fresh balance, spends with a conditional UPDATE, writes the ledger entry and the
payments. It carries a key made when it started: a retry with the same key returns the first
receipt. One appointment can be redeemed once: a unique index refuses a second redemption.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from sqlalchemy import func
from sqlmodel import Session, col, select

from frontdesk.domain.business import Business
from frontdesk.domain.coverage import AppointmentFacts, Coverage, HoldingFacts, LineBalance, covers, default_choice, rank
from frontdesk.domain.describe import HoldingStatus, describe_amount
from frontdesk.domain.kinds import AppointmentStatus, EntryKind, Tender
from frontdesk.domain.terms import Terms
from frontdesk.models import (
    Appointment,
    Checkout,
    Customer,
    Holding,
    LedgerEntry,
    Payment,
    Provider,
    Service,
    utcnow,
)
from frontdesk.services.catalogue import list_providers, list_services
from frontdesk.services.errors import AlreadyPaid, InvalidInput, NotCovered, NotFound
from frontdesk.services.ledger import (
    append_entry,
    credit,
    get_holding,
    lock_lines,
    require_manager,
    require_reason,
    require_staff,
    spend,
)
from frontdesk.services.sales import TenderLine, check_tenders, sell
from frontdesk.services.views import (
    AppointmentView,
    CustomerView,
    ProviderView,
    ServiceView,
    customer_view,
    HoldingView,
    Option,
    PaymentLine,
    Receipt,
    appointment_views,
    holding_views,
)

DEFAULT: Literal["default"] = "default"
"""Pass as `package` to checkout to use the default covering holding."""


@dataclass(frozen=True, slots=True)
class Booking:
    appointment: AppointmentView
    coverage: Coverage | None  # the check against the "to be covered by" holding, if any


@dataclass(frozen=True, slots=True)
class Cancellation:
    appointment: AppointmentView
    returned: str | None  # "1 visit back to Massage Pack", when a redemption was reversed
    to_refund: int  # cash / card / other paid for it: refund by hand


# ---- reading ----------------------------------------------------------------------------------

def get_appointment(session: Session, appointment_id: int) -> AppointmentView:
    row = session.get(Appointment, appointment_id)
    if row is None:
        raise NotFound("No such appointment.")
    return appointment_views(session, [row])[0]


def customer_holdings(
    session: Session, business: Business, *, customer_id: int, now: datetime | None = None
) -> list[HoldingView]:
    """All of a customer's holdings: active ones first (expiring first), then the rest."""
    rows = session.exec(select(Holding).where(Holding.customer_id == customer_id).order_by(Holding.id)).all()
    views = holding_views(session, rows, business, now or utcnow())
    return sorted(views, key=lambda view: (view.status is not HoldingStatus.ACTIVE, view.valid_until or date.max, view.id))


def customer_appointments(session: Session, *, customer_id: int, limit: int = 100) -> list[AppointmentView]:
    """A customer's appointments: every unpaid one (booked or completed) first, oldest first, then the
    `limit` newest others."""
    paid = (select(Payment.appointment_id, func.sum(Payment.amount).label("paid"))
            .group_by(Payment.appointment_id).subquery())
    unpaid = col(Appointment.status).in_((AppointmentStatus.BOOKED, AppointmentStatus.COMPLETED)) & (
        Appointment.price > func.coalesce(paid.c.paid, 0))
    base = (select(Appointment).outerjoin(paid, paid.c.appointment_id == Appointment.id)
            .where(Appointment.customer_id == customer_id))
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


def options(
    session: Session, business: Business, *, appointment_id: int, now: datetime | None = None
) -> list[Option]:
    """Every holding of the appointment's customer judged against it, the default first: the
    holding it was booked "to be covered by" when that still covers it, else the covering one
    that expires first, then the oldest purchase (`coverage.rank` and `default_choice`)."""
    now = now or utcnow()
    appointment = get_appointment(session, appointment_id)
    holdings = {view.id: view for view in customer_holdings(
        session, business, customer_id=appointment.customer_id, now=now)}
    facts = [view.facts for view in holdings.values()]
    ranked = rank(facts, appointment.facts, now, tz=business.tz, currency=business.currency,
                  booked_for=appointment.cover_holding_id)
    default = default_choice(facts, appointment.facts, now, tz=business.tz, currency=business.currency,
                             booked_for=appointment.cover_holding_id)
    return [Option(holding=holdings[coverage.holding_id], coverage=coverage,
                   is_default=default is not None and coverage.holding_id == default.holding_id)
            for coverage in ranked]


# ---- booking ----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class BookingForm:
    """What the booking form offers: the customer, what can be booked, her active holdings."""

    customer: CustomerView
    services: list[ServiceView]
    providers: list[ProviderView]
    holdings: list[HoldingView]  # her active ones, to be covered by


def booking_form(session: Session, business: Business, *, customer_id: int, now: datetime) -> BookingForm:
    """The customer, the services and providers on offer, and her active holdings, in one read."""
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound("No such customer.")
    return BookingForm(
        customer=customer_view(customer),
        services=list_services(session),
        providers=list_providers(session),
        holdings=[view for view in customer_holdings(session, business, customer_id=customer_id, now=now)
                  if view.status == HoldingStatus.ACTIVE],
    )


def _booking_facts(
    session: Session, *, customer_id: int, service_id: int, provider_id: int | None,
    starts_at: datetime, duration_min: int | None, price: int | None,
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
    if starts_at.tzinfo is None:
        errors["starts_at"] = "The start time needs a time zone."
    if duration_min is not None and duration_min < 1:
        errors["duration"] = "The duration must be at least 1 minute."
    if price is not None and price < 0:
        errors["price"] = "The price cannot be negative."
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
    price: int | None = None, now: datetime | None = None,
) -> Coverage:
    """Would `holding_id` cover this appointment? Asked before booking it."""
    facts = _booking_facts(session, customer_id=customer_id, service_id=service_id,
                           provider_id=provider_id, starts_at=starts_at,
                           duration_min=duration_min, price=price)
    holding = holding_views(session, [get_holding(session, holding_id)], business, now or utcnow())[0]
    return covers(holding.facts, facts, now or utcnow(), tz=business.tz, currency=business.currency)


def book(
    session: Session, business: Business, *, customer_id: int, service_id: int,
    starts_at: datetime, actor: int, provider_id: int | None = None,
    duration_min: int | None = None, price: int | None = None,
    cover_holding_id: int | None = None, note: str = "", now: datetime | None = None,
) -> Booking:
    """Book an appointment; duration and price default from the service. With
    `cover_holding_id` it is marked "to be covered by" that holding and the coverage is checked
    now (the verdict is returned; the redemption happens at checkout)."""
    require_staff(session, actor)
    now = now or utcnow()
    coverage = None
    if cover_holding_id is not None:
        coverage = preview_cover(session, business, customer_id=customer_id, service_id=service_id,
                                 holding_id=cover_holding_id, starts_at=starts_at,
                                 provider_id=provider_id, duration_min=duration_min, price=price, now=now)
    facts = _booking_facts(session, customer_id=customer_id, service_id=service_id,
                           provider_id=provider_id, starts_at=starts_at,
                           duration_min=duration_min, price=price)
    row = Appointment(customer_id=customer_id, service_id=service_id, provider_id=provider_id,
                      starts_at=starts_at, duration_min=facts.duration_min, price=facts.price,
                      cover_holding_id=cover_holding_id, note=note.strip(), created_by=actor,
                      created_at=now)
    session.add(row)
    session.flush()
    return Booking(appointment=appointment_views(session, [row])[0], coverage=coverage)


# ---- checkout ---------------------------------------------------------------------------------

def _lock_appointment(session: Session, appointment_id: int) -> Appointment:
    row = session.exec(
        select(Appointment).where(Appointment.id == appointment_id).with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if row is None:
        raise NotFound("No such appointment.")
    return row


def _redeem(
    session: Session, business: Business, *, appointment: AppointmentView, holding_id: int,
    checkout_id: int, actor: int, now: datetime,
) -> int:
    """Spend the holding on the appointment; returns the money value it paid."""
    holding = get_holding(session, holding_id)
    if holding.customer_id != appointment.customer_id:
        raise InvalidInput({"package": "That package belongs to another customer."})
    lines = lock_lines(session, holding_id)
    facts = HoldingFacts(
        id=holding.id, customer_id=holding.customer_id, terms=Terms.from_dict(holding.terms),
        purchased_at=holding.purchased_at, valid_until=holding.valid_until,
        voided=holding.voided_at is not None,
        lines=tuple(LineBalance(line.id, line.service_id, line.initial, line.remaining) for line in lines),
    )
    coverage = covers(facts, appointment.facts, now, tz=business.tz, currency=business.currency)
    if not coverage.ok:
        raise NotCovered(holding.title, coverage.reasons)
    take = coverage.take
    after = spend(session, take.line_id, take.units)
    entry = append_entry(session, holding_id=holding.id, line_id=take.line_id, kind=EntryKind.REDEEM,
                         delta=-take.units, balance_after=after, actor=actor,
                         appointment_id=appointment.id, note=take.description, at=now)
    session.add(Payment(checkout_id=checkout_id, appointment_id=appointment.id, holding_id=holding.id,
                        entry_id=entry.id, tender=Tender.PACKAGE, amount=take.value, staff_id=actor,
                        created_at=now))
    return take.value


def checkout(
    session: Session, business: Business, *, key: str, appointment_id: int, actor: int,
    package: int | Literal["default"] | None = None, tenders: Sequence[TenderLine] = (),
    sell_package_id: int | None = None, sale_tenders: Sequence[TenderLine] = (),
    now: datetime | None = None,
) -> Receipt:
    """Pay an appointment: from a package (a holding id, or DEFAULT) and/or money tenders that
    make up exactly the rest. With `sell_package_id` the package is sold (paid by
    `sale_tenders`) and applied to this appointment in the same transaction."""
    require_staff(session, actor)
    existing = session.exec(select(Checkout).where(Checkout.key == key)).first()
    if existing is not None:
        if existing.appointment_id != appointment_id:
            raise InvalidInput({"key": "This checkout key belongs to another appointment."})
        return receipt(session, business, existing, replayed=True)
    now = now or utcnow()
    row = _lock_appointment(session, appointment_id)
    if row.status == AppointmentStatus.CANCELLED:
        raise InvalidInput({"appointment": "This appointment was cancelled."})
    appointment = appointment_views(session, [row])[0]
    if appointment.due == 0:
        raise AlreadyPaid("This appointment is already paid.")
    record = Checkout(key=key, customer_id=row.customer_id, appointment_id=row.id, staff_id=actor,
                      created_at=now)
    session.add(record)
    session.flush()
    if sell_package_id is not None:
        sold = sell(session, business, customer_id=row.customer_id, package_id=sell_package_id,
                    tenders=sale_tenders, actor=actor, now=now, checkout_id=record.id)
        record.sold_holding_id = sold.id
        package = sold.id
    paid_by_package = 0
    if package == DEFAULT:
        choice = next((option for option in options(session, business, appointment_id=row.id, now=now)
                       if option.is_default), None)
        if choice is None:
            raise InvalidInput({"package": "No package of this customer covers this appointment."})
        package = choice.holding.id
    if package is not None:
        paid_by_package = _redeem(session, business, appointment=appointment, holding_id=package,
                                  checkout_id=record.id, actor=actor, now=now)
    check_tenders(tenders, appointment.due - paid_by_package, business)
    session.add_all(Payment(checkout_id=record.id, appointment_id=row.id, tender=line.tender,
                            amount=line.amount, staff_id=actor, created_at=now) for line in tenders)
    if row.status == AppointmentStatus.BOOKED:
        row.status = AppointmentStatus.COMPLETED
    session.add(row)
    session.add(record)
    session.flush()
    return receipt(session, business, record)


def receipt(session: Session, business: Business, record: Checkout, replayed: bool = False) -> Receipt:
    """The receipt of a checkout, rebuilt from what it wrote."""
    lines = []
    payments = session.exec(select(Payment).where(Payment.checkout_id == record.id).order_by(Payment.id)).all()
    for payment in payments:
        title = None
        if payment.tender == Tender.PACKAGE:
            entry = session.get(LedgerEntry, payment.entry_id)
            holding = session.get(Holding, payment.holding_id)
            terms = Terms.from_dict(holding.terms)
            title = holding.title
            left = describe_amount(terms, entry.balance_after, business.currency)
            description = f"{entry.note} from {title}, {left} left"
        elif payment.sale_holding_id is not None:
            title = session.get(Holding, payment.sale_holding_id).title
            description = f"{payment.tender} for {title}"
        else:
            description = str(payment.tender)
        lines.append(PaymentLine(tender=Tender(payment.tender), amount=payment.amount,
                                 holding_id=payment.holding_id or payment.sale_holding_id,
                                 holding_title=title, description=description))
    return Receipt(checkout_id=record.id, key=record.key, appointment_id=record.appointment_id,
                   sold_holding_id=record.sold_holding_id, payments=tuple(lines),
                   total=sum(line.amount for line in lines), replayed=replayed)


# ---- cancel, no-show, reverse -----------------------------------------------------------------

def _outstanding_redemption(session: Session, appointment_id: int) -> LedgerEntry | None:
    """The appointment's redemption, unless it has been given back already."""
    redemption = session.exec(select(LedgerEntry).where(
        LedgerEntry.appointment_id == appointment_id, LedgerEntry.kind == EntryKind.REDEEM)).first()
    if redemption is None:
        return None
    if session.exec(select(LedgerEntry).where(
            LedgerEntry.appointment_id == appointment_id, LedgerEntry.kind == EntryKind.REVERSE)).first():
        return None
    return redemption


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
                         actor=actor, appointment_id=appointment_id, note=note, at=now)
    paid = session.exec(select(Payment).where(Payment.entry_id == redemption.id)).one()
    session.add(Payment(appointment_id=appointment_id, holding_id=redemption.holding_id,
                        entry_id=entry.id, tender=Tender.PACKAGE, amount=-paid.amount,
                        staff_id=actor, created_at=now))
    holding = session.get(Holding, redemption.holding_id)
    amount = describe_amount(Terms.from_dict(holding.terms), -redemption.delta, business.currency)
    return f"{amount} back to {holding.title}" if redemption.delta else f"use returned to {holding.title}"


def cancel(
    session: Session, business: Business, *, appointment_id: int, actor: int, reason: str = "",
    now: datetime | None = None,
) -> Cancellation:
    """Cancel an appointment. A package redemption is reversed: the unit goes back to the
    holding (even if it has expired since). Money paid is reported for a refund by hand. A no-show
    keeps its redemption: cancelling it is refused until a manager reverses the redemption."""
    require_staff(session, actor)
    now = now or utcnow()
    row = _lock_appointment(session, appointment_id)
    if row.status == AppointmentStatus.CANCELLED:
        raise InvalidInput({"appointment": "This appointment is already cancelled."})
    if row.status == AppointmentStatus.NO_SHOW and _outstanding_redemption(session, row.id) is not None:
        raise InvalidInput({"appointment": "A no-show keeps its package redemption; a manager can reverse it."})
    returned = _reverse(session, business, appointment_id=row.id, actor=actor,
                        note=reason.strip() or "appointment cancelled", now=now)
    money = session.exec(select(Payment.amount).where(
        Payment.appointment_id == row.id, Payment.tender != Tender.PACKAGE)).all()
    row.status = AppointmentStatus.CANCELLED
    session.add(row)
    session.flush()
    return Cancellation(appointment=appointment_views(session, [row])[0], returned=returned,
                        to_refund=sum(money))


def no_show(session: Session, *, appointment_id: int, actor: int) -> AppointmentView:
    """Mark a booked appointment as a no-show; a redemption already made is kept."""
    require_staff(session, actor)
    row = _lock_appointment(session, appointment_id)
    if row.status != AppointmentStatus.BOOKED:
        raise InvalidInput({"appointment": f"Only a booked appointment can be a no-show (this one is {row.status})."})
    row.status = AppointmentStatus.NO_SHOW
    session.add(row)
    session.flush()
    return appointment_views(session, [row])[0]


def reverse_redemption(
    session: Session, business: Business, *, appointment_id: int, reason: str, actor: int,
    now: datetime | None = None,
) -> str:
    """A manager gives back what a redemption took (e.g. a forgiven no-show), with a reason."""
    require_manager(session, actor, "reverse a redemption")
    reason = require_reason(reason)
    _lock_appointment(session, appointment_id)
    returned = _reverse(session, business, appointment_id=appointment_id, actor=actor, note=reason,
                        now=now or utcnow())
    if returned is None:
        raise InvalidInput({"appointment": "Nothing was redeemed for this appointment, or it was already given back."})
    return returned
