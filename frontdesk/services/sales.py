"""Selling and assigning packages: a holding with the terms copied at that moment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from frontdesk.domain.business import Business
from frontdesk.domain.coverage import Coverage, covers
from frontdesk.domain.facts import opening_holding
from frontdesk.domain.kinds import EntryKind
from frontdesk.domain.money import format_money
from frontdesk.domain.terms import Terms
from frontdesk.models import Appointment, Customer, Holding, HoldingLine, Package, Payment
from frontdesk.services.audit import AuditKind, record
from frontdesk.services.catalogue import list_packages, package_terms
from frontdesk.services.errors import InvalidInput, NotAllowed, NotFound
from frontdesk.services.ledger import append_entry, require_reason
from frontdesk.services.roles import clock, require_manager, require_staff
from frontdesk.services.tenders import MONEY_TENDERS, TenderLine, check_tenders  # noqa: F401 (used from here too)
from frontdesk.services.views import (
    AppointmentView,
    CustomerView,
    HoldingView,
    PackageView,
    appointment_views,
    customer_view,
    holding_views,
)

def _package_for_sale(session: Session, package_id: int) -> tuple[Package, Terms]:
    package = session.get(Package, package_id)
    if package is None:
        raise NotFound("No such package.")
    if package.archived:
        raise InvalidInput({"package": f"{package.title} is archived and no longer sold."})
    return package, package_terms(session, package)


def open_holding(
    session: Session, business: Business, *, customer_id: int, package: Package, terms: Terms,
    kind: EntryKind, actor: int, now: datetime, price_paid: int, note: str = "",
) -> Holding:
    """Create the holding with a copy of `terms`, its balance lines, and their first entries."""
    if session.get(Customer, customer_id) is None:
        raise NotFound("No such customer.")
    opening = opening_holding(terms, customer_id=customer_id, purchased_at=now, tz=business.tz)
    holding = Holding(
        customer_id=customer_id, package_id=package.id, title=terms.title, terms=terms.to_dict(),
        purchased_at=now, valid_until=opening.valid_until, opened_until=opening.valid_until,
        price_paid=price_paid, assigned=kind is EntryKind.ASSIGN, created_by=actor,
        unit=terms.unit, provider_id=terms.provider_id,
    )
    session.add(holding)
    session.flush()
    for position, balance in enumerate(opening.lines):
        line = HoldingLine(holding_id=holding.id, position=position, service_id=balance.service_id,
                           initial=balance.initial, remaining=balance.remaining)
        session.add(line)
        session.flush()
        append_entry(session, holding_id=holding.id, line_id=line.id, kind=kind, delta=balance.initial,
                     balance_after=balance.remaining, actor=actor, note=note, at=now)
    return holding


def sell(
    session: Session, business: Business, *, customer_id: int, package_id: int,
    tenders: Sequence[TenderLine], checkout_id: int | None = None,
) -> HoldingView:
    """Sell a package: the tenders (split allowed) must pay its price exactly."""
    actor = require_staff(session)
    now = clock(session)
    package, terms = _package_for_sale(session, package_id)
    if not terms.for_sale:
        raise NotAllowed(f"{terms.title} is not for sale; a manager can assign it.")
    check_tenders(tenders, terms.price, business, field="sale_tenders")
    holding = open_holding(session, business, customer_id=customer_id, package=package, terms=terms,
                           kind=EntryKind.SALE, actor=actor, now=now, price_paid=terms.price)
    session.add_all(
        Payment(checkout_id=checkout_id, sale_holding_id=holding.id, tender=line.tender,
                amount=line.amount, staff_id=actor, created_at=now)
        for line in tenders
    )
    session.flush()
    paid = " + ".join(f"{line.tender} {format_money(line.amount, business.currency)}" for line in tenders)
    record(session, kind=AuditKind.SALE, at=now, staff_id=actor, customer_id=customer_id,
           subject=f"holding {holding.id}", detail=f"{terms.title}: {paid or 'free'}")
    return holding_views(session, [holding], business, now)[0]


def assign(
    session: Session, business: Business, *, customer_id: int, package_id: int, reason: str,
) -> HoldingView:
    """A manager gives a customer a package without payment (Not-for-sale ones included)."""
    actor = require_manager(session, "assign a package")
    reason = require_reason(reason)
    now = clock(session)
    package, terms = _package_for_sale(session, package_id)
    holding = open_holding(session, business, customer_id=customer_id, package=package, terms=terms,
                           kind=EntryKind.ASSIGN, actor=actor, now=now, price_paid=0, note=reason)
    record(session, kind=AuditKind.ASSIGN, at=now, staff_id=actor, customer_id=customer_id,
           subject=f"holding {holding.id}", detail=f"{terms.title}: {reason}")
    return holding_views(session, [holding], business, now)[0]


# ---- what the sell dialog offers ----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SaleChoice:
    """A package for sale and, with an appointment, whether a fresh holding of it would cover it."""

    package: PackageView
    coverage: Coverage | None

    @property
    def covers(self) -> bool:
        return self.coverage is not None and self.coverage.ok


@dataclass(frozen=True, slots=True)
class SalePage:
    """The customer, the appointment being paid (if any) and the packages for sale, in the order
    offered."""

    customer: CustomerView
    appointment: AppointmentView | None
    choices: list[SaleChoice]


def _made_for(package: PackageView, appointment: AppointmentView | None) -> bool:
    """Does the package name the appointment's service (rather than any service, or money)?"""
    if appointment is None:
        return False
    terms = package.terms
    return (appointment.service_id in terms.service_ids
            or any(line.service_id == appointment.service_id for line in terms.fixed_lines))


def sale_page(
    session: Session, business: Business, *, customer_id: int, appointment_id: int | None
) -> SalePage:
    """The packages for sale (never Not-for-sale or archived ones), in the order offered: those
    that would cover the appointment first, among them the ones made for its service (a massage
    pack for a massage), then the most sold, then by title."""
    now = clock(session)
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound("No such customer.")
    appointment = None
    if appointment_id is not None:
        row = session.get(Appointment, appointment_id)
        if row is None:
            raise NotFound("No such appointment.")
        appointment = appointment_views(session, [row])[0]
    choices = []
    for package in list_packages(session, business, for_sale_only=True):
        coverage = None
        if appointment is not None:
            # the holding a sale right now would open: full balance, the package's terms as today
            holding = opening_holding(package.terms, customer_id=customer_id, purchased_at=now, tz=business.tz,
                                      holding_id=-package.id)
            coverage = covers(holding, appointment.facts, now, tz=business.tz, currency=business.currency)
        choices.append(SaleChoice(package, coverage))
    choices.sort(key=lambda c: (not c.covers, not _made_for(c.package, appointment),
                                -c.package.sold_count, c.package.title.lower()))
    return SalePage(customer=customer_view(customer), appointment=appointment, choices=choices)
