"""Customers: create, edit, find by name / phone / email fragments, and warn about duplicates.

Search uses an index on both databases so it stays instant at 100k customers: FTS5 with the
trigram tokenizer on SQLite, a pg_trgm GIN index on PostgreSQL. Each word typed must appear
somewhere in "name phone-digits email"; phones match whatever spaces or dashes were typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, text
from sqlmodel import Session, col, select

from frontdesk.domain.business import Business
from frontdesk.domain.contacts import contact_errors
from frontdesk.domain.periods import local_date
from frontdesk.models import Customer
from frontdesk.services import appointments, ledger
from frontdesk.services.audit import AuditKind, record
from frontdesk.services.errors import DuplicateCustomer, InvalidInput, NotFound
from frontdesk.services.matching import contains_every, phone_digits, search_terms
from frontdesk.services.roles import clock, require_staff
from frontdesk.services.views import (
    AppointmentView,
    CustomerView,
    HoldingView,
    LedgerLine,
    customer_view,
)

TRIGRAM = 3  # the index finds fragments of at least this many characters


def _search_text(name: str, phone: str, email: str) -> str:
    return " ".join(part for part in (name.lower(), phone_digits(phone), email.lower()) if part)


def _validated(name: str, phone: str, email: str, note: str = "") -> tuple[str, str, str]:
    errors = contact_errors(name, phone, email, note)
    if errors:
        raise InvalidInput(errors)
    return name.strip(), phone.strip(), email.strip()


def find_duplicates(
    session: Session, *, phone: str = "", email: str = "", exclude_id: int | None = None
) -> list[CustomerView]:
    """Customers with the same phone digits or the same email (case-insensitive)."""
    conditions = []
    if phone_digits(phone):
        conditions.append(Customer.phone_digits == phone_digits(phone))
    if email.strip():
        conditions.append(func.lower(Customer.email) == email.strip().lower())
    if not conditions:
        return []
    statement = select(Customer).where(or_(*conditions)).order_by(Customer.name).limit(10)
    if exclude_id is not None:
        statement = statement.where(Customer.id != exclude_id)
    return [customer_view(row) for row in session.exec(statement)]


def customer_row(*, name: str, phone: str, email: str, note: str, at: datetime) -> Customer:
    """A new customer's row with what search reads (phone digits, search text) filled in; the
    details must have passed `contact_errors`."""
    name, phone, email = name.strip(), phone.strip(), email.strip()
    return Customer(name=name, phone=phone, email=email, note=note.strip(), phone_digits=phone_digits(phone),
                    search_text=_search_text(name, phone, email), created_at=at)


def create_customer(
    session: Session, *, name: str, phone: str = "", email: str = "", note: str = "",
    allow_duplicate: bool = False,
) -> CustomerView:
    """A new customer. A same phone or email raises DuplicateCustomer unless `allow_duplicate`."""
    actor = require_staff(session)
    name, phone, email = _validated(name, phone, email, note)
    if not allow_duplicate:
        duplicates = find_duplicates(session, phone=phone, email=email)
        if duplicates:
            raise DuplicateCustomer([(match.id, match.name) for match in duplicates])
    customer = customer_row(name=name, phone=phone, email=email, note=note, at=clock(session))
    session.add(customer)
    session.flush()
    record(session, kind=AuditKind.CUSTOMER_ADDED, at=clock(session), staff_id=actor, customer_id=customer.id,
           subject=f"customer {customer.id}", detail=_contact(customer))
    return customer_view(customer)


def _contact(customer: Customer) -> str:
    return " · ".join(part for part in (customer.name, customer.phone, customer.email, customer.note) if part)


def update_customer(
    session: Session, *, customer_id: int, name: str, phone: str = "", email: str = "",
    note: str = "", allow_duplicate: bool = False,
) -> CustomerView:
    actor = require_staff(session)
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound("No such customer.")
    name, phone, email = _validated(name, phone, email, note)
    if not allow_duplicate:
        duplicates = find_duplicates(session, phone=phone, email=email, exclude_id=customer_id)
        if duplicates:
            raise DuplicateCustomer([(match.id, match.name) for match in duplicates])
    customer.name, customer.phone, customer.email, customer.note = name, phone, email, note.strip()
    customer.phone_digits = phone_digits(phone)
    customer.search_text = _search_text(name, phone, email)
    session.add(customer)
    session.flush()
    record(session, kind=AuditKind.CUSTOMER_EDITED, at=clock(session), staff_id=actor, customer_id=customer.id,
           subject=f"customer {customer.id}", detail=_contact(customer))
    return customer_view(customer)


def get_customer(session: Session, customer_id: int) -> CustomerView:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound("No such customer.")
    return customer_view(customer)


def search_customers(session: Session, query: str, limit: int = 50) -> list[CustomerView]:
    """Customers whose name, phone or email contain every word of `query`, best first."""
    words = search_terms(query)
    if not words:
        return []
    statement = select(Customer)
    long_words = [word for word in words if len(word) >= TRIGRAM]
    if long_words and session.get_bind().dialect.name == "sqlite":
        match = " AND ".join('"' + word.replace('"', '""') + '"' for word in long_words)
        statement = statement.where(col(Customer.id).in_(
            text("SELECT rowid FROM customer_fts WHERE customer_fts MATCH :match").bindparams(match=match)
        ))
    # on PostgreSQL the trigram index serves these; on SQLite they re-check what FTS found
    statement = statement.where(*contains_every(words))
    starts = func.lower(Customer.name).like(f"{words[0]}%")
    statement = statement.order_by(starts.desc(), Customer.name, Customer.id).limit(limit)
    return [customer_view(row) for row in session.exec(statement)]


# ---- the customer & balance page ----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CustomerPage:
    """Everything the customer screen shows, read in one transaction."""

    customer: CustomerView
    holdings: list[HoldingView]
    appointments: list[AppointmentView]  # unpaid first (today's, then the nearest), then the rest
    history: list[LedgerLine]  # the newest entries
    more_history: bool  # older entries exist


def desk_order(found: list[AppointmentView], business: Business, now: datetime) -> list[AppointmentView]:
    """Unpaid first — today's, then the nearest to now (a booking next month waits) — then the
    others as given (newest first)."""
    today = local_date(now, business.tz)

    def nearness(appointment: AppointmentView) -> tuple[bool, float]:
        day = local_date(appointment.starts_at, business.tz)
        return (day != today, abs((appointment.starts_at - now).total_seconds()))

    unpaid = sorted((a for a in found if a.needs_payment), key=nearness)
    return unpaid + [a for a in found if not a.needs_payment]


def customer_page(
    session: Session, business: Business, *, customer_id: int, history_limit: int
) -> CustomerPage:
    """The customer, all her holdings, her appointments (unpaid first) and the newest
    `history_limit` entries of her balance history."""
    history = ledger.history(session, business, customer_id=customer_id, limit=history_limit + 1)
    return CustomerPage(
        customer=get_customer(session, customer_id),
        holdings=appointments.customer_holdings(session, business, customer_id=customer_id),
        appointments=desk_order(appointments.customer_appointments(session, customer_id=customer_id),
                                business, clock(session)),
        history=history[:history_limit],
        more_history=len(history) > history_limit,
    )
