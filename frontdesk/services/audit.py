"""The audit trail: who did what, when, and to whom. Append-only: the database refuses UPDATE and
DELETE on it, like the ledger. Use cases record their events in the same transaction as their
change, so an event is on the trail exactly when the change is saved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from sqlalchemy import and_, insert, or_
from sqlmodel import Session, col, select

from frontdesk.domain.business import Business
from frontdesk.models import AuditEvent, Customer, Staff
from frontdesk.services.matching import contains_every, search_terms
from frontdesk.services.roles import require_manager


class AuditKind(StrEnum):
    SIGN_IN = "sign-in"
    SIGN_IN_FAILED = "sign-in failed"
    LOCKED_OUT = "locked out"
    STAFF_ADDED = "staff added"
    PIN_SET = "PIN set"
    ROLE_CHANGED = "role changed"
    DEACTIVATED = "deactivated"
    REACTIVATED = "reactivated"
    SALE = "sale"
    ASSIGN = "assign"
    CHECKOUT = "checkout"
    BOOKED = "booked"
    RESCHEDULED = "rescheduled"
    CANCEL = "cancel"
    NO_SHOW = "no-show"
    REVERSE = "reverse"
    ADJUST = "adjust"
    VOID = "void"
    EXTEND = "extend"
    FREEZE = "freeze"
    UNFREEZE = "unfreeze"
    TRANSFER = "transfer"
    CUSTOMER_ADDED = "customer added"
    CUSTOMER_EDITED = "customer edited"
    CUSTOMER_MERGED = "customers merged"  # a manager's merge of two records of one person
    IMPORT = "import"  # customers and packages brought over from another system (one event per file)
    PACKAGE_SAVED = "package saved"
    PACKAGE_ARCHIVED = "package archived"
    SERVICE_SAVED = "service saved"
    PROVIDER_SAVED = "provider saved"
    PROVIDER_SERVICES = "provider services"
    HOURS_SET = "opening hours"
    ARCHIVED = "archived"
    RESTORED = "restored"


@dataclass(frozen=True, slots=True)
class AuditLine:
    """One event of the trail, with the names of who did it and for whom."""

    id: int
    at: datetime
    staff_name: str
    kind: str
    customer_id: int | None
    subject: str
    detail: str
    customer_name: str = ""


@dataclass(frozen=True, slots=True)
class AuditPage:
    """A page of the trail for the managers' Audit screen, newest first."""

    lines: list[AuditLine]
    more: bool  # older events exist
    staff: list[tuple[int, str]]  # everyone who can appear, to filter by


def record(
    session: Session, *, kind: AuditKind, at: datetime, staff_id: int | None, customer_id: int | None = None,
    subject: str = "", detail: str = "",
) -> None:
    """Add an event to the trail (in the caller's transaction)."""
    session.add(AuditEvent(**_event(at, staff_id, kind, customer_id, subject, detail)))  # written with the next flush


def record_now(
    session: Session, *, kind: AuditKind, at: datetime, staff_id: int | None, customer_id: int | None = None,
    subject: str = "", detail: str = "",
) -> None:
    """`record` as one INSERT sent at once, without making an object (for a use case's hot path)."""
    session.execute(_INSERT_EVENT, _event(at, staff_id, kind, customer_id, subject, detail))


def event(
    *, kind: AuditKind, at: datetime, staff_id: int | None, customer_id: int | None = None, subject: str = "",
    detail: str = "",
) -> dict[str, object]:
    """An event's columns as `record_now` writes them, for a statement that writes it with other
    rows (the checkout's redemption on PostgreSQL)."""
    return _event(at, staff_id, kind, customer_id, subject, detail)


_INSERT_EVENT = insert(AuditEvent.__table__)
EVENT_COLUMNS = ("at", "staff_id", "kind", "customer_id", "subject", "detail")  # what `event` gives


def _event(at: datetime, staff_id: int | None, kind: AuditKind, customer_id: int | None, subject: str,
           detail: str) -> dict[str, object]:
    return dict(at=at, staff_id=staff_id, kind=kind, customer_id=customer_id, subject=subject[:200],
                detail=detail[:1000])


def events(session: Session, *, kind: str | None = None, staff_id: int | None = None,
           customer_id: int | None = None, customer: str = "", since: datetime | None = None,
           until: datetime | None = None, before_id: int | None = None, limit: int = 100) -> list[AuditLine]:
    """The newest events first (by when they happened; older than `before_id`), optionally of one
    kind, person or customer (by id, or `customer`: words of her name, phone or email), from
    `since` and before `until` (managers)."""
    require_manager(session, "read the audit trail")
    statement = (select(AuditEvent, Staff.name, Customer.name)
                 .outerjoin(Staff, col(Staff.id) == AuditEvent.staff_id)
                 .outerjoin(Customer, col(Customer.id) == AuditEvent.customer_id)
                 .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc()).limit(limit))
    if kind is not None:
        statement = statement.where(AuditEvent.kind == kind)
    if staff_id is not None:
        statement = statement.where(AuditEvent.staff_id == staff_id)
    if customer_id is not None:
        statement = statement.where(AuditEvent.customer_id == customer_id)
    if customer.strip():
        statement = statement.where(*contains_every(search_terms(customer)))
    if since is not None:
        statement = statement.where(col(AuditEvent.at) >= since)
    if until is not None:
        statement = statement.where(col(AuditEvent.at) < until)
    if before_id is not None:  # older than that event: earlier, or as early and recorded before it
        at = select(AuditEvent.at).where(AuditEvent.id == before_id).scalar_subquery()
        statement = statement.where(or_(col(AuditEvent.at) < at,
                                        and_(col(AuditEvent.at) == at, col(AuditEvent.id) < before_id)))
    return [AuditLine(id=event.id, at=event.at, staff_name=name or "—", kind=event.kind,
                      customer_id=event.customer_id, subject=event.subject, detail=event.detail,
                      customer_name=customer_name or "")
            for event, name, customer_name in session.exec(statement)]


def audit_page(session: Session, business: Business, *, kind: str | None = None, staff_id: int | None = None,
               customer: str = "", first_day: date | None = None, last_day: date | None = None,
               before_id: int | None = None, limit: int = 50) -> AuditPage:
    """What the Audit screen shows (managers): a page of the trail, filtered by kind, person,
    customer and the local days from `first_day` to `last_day` (both included)."""
    since = datetime.combine(first_day, time(0), business.tz) if first_day else None
    until = datetime.combine(last_day + timedelta(days=1), time(0), business.tz) if last_day else None
    lines = events(session, kind=kind, staff_id=staff_id, customer=customer, since=since, until=until,
                   before_id=before_id, limit=limit + 1)
    staff = [(row.id, row.name) for row in session.exec(select(Staff).order_by(Staff.name))]
    return AuditPage(lines=lines[:limit], more=len(lines) > limit, staff=staff)
