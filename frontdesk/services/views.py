"""Plain read models the screens receive, and the conversions from table rows.

Rows never leave a session: every use case returns these frozen dataclasses instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, col, select

from frontdesk.domain.business import Business
from frontdesk.domain.coverage import AppointmentFacts, Coverage, HoldingFacts, LineBalance
from frontdesk.domain.describe import (
    HoldingStatus,
    describe_balance,
    describe_expiry,
    describe_restrictions,
    status,
)
from frontdesk.domain.kinds import AppointmentStatus, EntryKind, Role, Tender
from frontdesk.domain.terms import Terms, summary
from frontdesk.models import (
    Appointment,
    Customer,
    Holding,
    HoldingLine,
    Payment,
    Provider,
    Service,
    Staff,
)


@dataclass(frozen=True, slots=True)
class StaffView:
    """Someone who works at the desk, and whether they may do a manager's work."""

    id: int
    name: str
    role: Role
    active: bool

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER


@dataclass(frozen=True, slots=True)
class CatalogueRow:
    """A named row of the catalogue that is archived, never deleted, once used."""

    id: int
    name: str
    archived: bool


@dataclass(frozen=True, slots=True)
class ProviderView(CatalogueRow):
    """Who gives the treatments (a bookable resource)."""


@dataclass(frozen=True, slots=True)
class ServiceView(CatalogueRow):
    """A bookable service with its default length and list price (minor units)."""

    duration_min: int
    price: int


@dataclass(frozen=True, slots=True)
class PackageView:
    """A catalogue package: its current terms in words, and how often it was sold."""

    id: int
    terms: Terms
    summary: str
    archived: bool
    sold_count: int  # holdings made from it; editing never changes their terms

    @property
    def title(self) -> str:
        return self.terms.title


@dataclass(frozen=True, slots=True)
class CustomerView:
    """A customer's contact details."""

    id: int
    name: str
    phone: str
    email: str
    note: str


@dataclass(frozen=True, slots=True)
class HoldingView:
    """A customer's package with its balance and plain words for the screens."""

    id: int
    customer_id: int
    title: str
    terms: Terms
    purchased_at: datetime
    valid_until: date | None
    assigned: bool
    voided: bool
    lines: tuple[LineBalance, ...]
    status: HoldingStatus
    balance_text: str  # "3 of 5 visits"
    expiry_text: str  # "expires 12 Mar, in 9 days"
    restrictions_text: str  # "Mondays · 10:00–13:00"
    summary: str

    @property
    def facts(self) -> HoldingFacts:
        return HoldingFacts(
            id=self.id, customer_id=self.customer_id, terms=self.terms,
            purchased_at=self.purchased_at, valid_until=self.valid_until,
            voided=self.voided, lines=self.lines,
        )

    @property
    def remaining(self) -> int:
        return sum(line.remaining for line in self.lines)


@dataclass(frozen=True, slots=True)
class AppointmentView:
    """An appointment with the names it refers to and what has been paid of it."""

    id: int
    customer_id: int
    customer_name: str
    service_id: int
    service_name: str
    provider_id: int | None
    provider_name: str | None
    starts_at: datetime
    duration_min: int
    price: int
    paid: int
    status: AppointmentStatus
    cover_holding_id: int | None

    @property
    def due(self) -> int:
        return max(self.price - self.paid, 0)

    @property
    def is_paid(self) -> bool:
        return self.paid >= self.price

    @property
    def needs_payment(self) -> bool:
        """Booked or completed and not paid in full (cancelled and no-shows owe nothing unless
        charged)."""
        return self.status in (AppointmentStatus.BOOKED, AppointmentStatus.COMPLETED) and not self.is_paid

    @property
    def facts(self) -> AppointmentFacts:
        return AppointmentFacts(
            id=self.id, customer_id=self.customer_id, service_id=self.service_id,
            service_name=self.service_name, provider_id=self.provider_id,
            provider_name=self.provider_name, starts_at=self.starts_at,
            duration_min=self.duration_min, price=self.price, due=self.due,
        )


@dataclass(frozen=True, slots=True)
class Option:
    """One of a customer's holdings judged against an appointment, for the checkout screen."""

    holding: HoldingView
    coverage: Coverage
    is_default: bool


@dataclass(frozen=True, slots=True)
class LedgerLine:
    """One entry of a customer's balance history."""

    id: int
    at: datetime
    holding_id: int
    holding_title: str
    kind: EntryKind
    delta: int
    delta_text: str  # "-1 visit", "+$40.00"
    balance_after: int
    balance_text: str  # the holding line's balance after the entry, in its unit
    appointment_id: int | None
    staff_name: str
    note: str


@dataclass(frozen=True, slots=True)
class PaymentLine:
    """One line of a receipt: a tender and its amount, in words."""

    tender: Tender
    amount: int
    holding_id: int | None
    holding_title: str | None
    description: str  # "1 visit from Massage Pack — 4 of 5 visits left", "card"


@dataclass(frozen=True, slots=True)
class Receipt:
    """What a checkout did: the tenders, and each used holding's balance afterwards."""

    checkout_id: int
    key: str
    appointment_id: int | None
    sold_holding_id: int | None
    payments: tuple[PaymentLine, ...]
    total: int
    replayed: bool = False  # True when a retry returned the first result


@dataclass(frozen=True, slots=True)
class Mismatch:
    """A holding line whose cached balance differs from the sum of its ledger entries."""

    holding_id: int
    line_id: int
    cached: int
    ledger_sum: int


# ---- conversions ------------------------------------------------------------------------------

def staff_view(row: Staff) -> StaffView:
    return StaffView(id=row.id, name=row.name, role=Role(row.role), active=row.active)


def service_view(row: Service) -> ServiceView:
    return ServiceView(id=row.id, name=row.name, duration_min=row.duration_min, price=row.price,
                       archived=row.archived)


def provider_view(row: Provider) -> ProviderView:
    return ProviderView(id=row.id, name=row.name, archived=row.archived)


def customer_view(row: Customer) -> CustomerView:
    return CustomerView(id=row.id, name=row.name, phone=row.phone, email=row.email, note=row.note)


def holding_views(
    session: Session, rows: Sequence[Holding], business: Business, now: datetime
) -> list[HoldingView]:
    """Read models for `rows`, their balance lines loaded fresh from the database."""
    ids = [row.id for row in rows]
    lines: dict[int, list[LineBalance]] = {holding_id: [] for holding_id in ids}
    if ids:
        statement = (
            select(HoldingLine)
            .where(col(HoldingLine.holding_id).in_(ids))
            .order_by(HoldingLine.holding_id, HoldingLine.position)
            .execution_options(populate_existing=True)
        )
        for line in session.exec(statement):
            lines[line.holding_id].append(
                LineBalance(line_id=line.id, service_id=line.service_id, initial=line.initial,
                            remaining=line.remaining)
            )
    views = []
    for row in rows:
        terms = Terms.from_dict(row.terms)
        facts = HoldingFacts(
            id=row.id, customer_id=row.customer_id, terms=terms, purchased_at=row.purchased_at,
            valid_until=row.valid_until, voided=row.voided_at is not None,
            lines=tuple(lines[row.id]),
        )
        views.append(HoldingView(
            id=row.id, customer_id=row.customer_id, title=row.title, terms=terms,
            purchased_at=row.purchased_at, valid_until=row.valid_until, assigned=row.assigned,
            voided=facts.voided, lines=facts.lines,
            status=status(facts, now, tz=business.tz),
            balance_text=describe_balance(terms, facts.lines, business.currency),
            expiry_text=describe_expiry(row.valid_until, now, tz=business.tz),
            restrictions_text=describe_restrictions(terms),
            summary=summary(terms, business.currency),
        ))
    return views


def appointment_views(session: Session, rows: Sequence[Appointment]) -> list[AppointmentView]:
    """Read models for appointments, with names and what has been paid."""
    if not rows:
        return []
    ids = [row.id for row in rows]
    paid: dict[int, int] = {}
    for appointment_id, amount in session.exec(
        select(Payment.appointment_id, Payment.amount).where(col(Payment.appointment_id).in_(ids))
    ):
        paid[appointment_id] = paid.get(appointment_id, 0) + amount
    customers = _names(session, Customer, {row.customer_id for row in rows})
    services = _names(session, Service, {row.service_id for row in rows})
    providers = _names(session, Provider, {row.provider_id for row in rows if row.provider_id})
    return [
        AppointmentView(
            id=row.id, customer_id=row.customer_id, customer_name=customers[row.customer_id],
            service_id=row.service_id, service_name=services[row.service_id],
            provider_id=row.provider_id,
            provider_name=providers.get(row.provider_id) if row.provider_id else None,
            starts_at=row.starts_at, duration_min=row.duration_min, price=row.price,
            paid=paid.get(row.id, 0), status=AppointmentStatus(row.status), cover_holding_id=row.cover_holding_id,
        )
        for row in rows
    ]


def _names(session: Session, table: type, ids: set[int]) -> dict[int, str]:
    """The names of rows `ids` of `table`: those this transaction has loaded already, and the
    others in one query."""
    names = {}
    for row_id in ids:
        row = session.identity_map.get(identity_key(table, row_id))
        if row is not None:
            names[row_id] = row.name
    missing = ids - names.keys()
    if missing:
        names.update(session.exec(select(table.id, table.name).where(col(table.id).in_(missing))).all())
    return names
