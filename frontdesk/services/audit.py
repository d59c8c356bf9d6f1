"""The audit trail: who did what, when, and to whom. Append-only: the database refuses UPDATE and
DELETE on it, like the ledger. Use cases record their events in the same transaction as their
change, so an event is on the trail exactly when the change is saved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session, col, select

from frontdesk.models import AuditEvent, Staff


class AuditKind(StrEnum):
    SIGN_IN = "sign-in"
    SIGN_IN_FAILED = "sign-in failed"
    LOCKED_OUT = "locked out"
    STAFF_ADDED = "staff added"
    PIN_SET = "PIN set"
    SALE = "sale"
    ASSIGN = "assign"
    CHECKOUT = "checkout"
    BOOKED = "booked"
    CANCEL = "cancel"
    NO_SHOW = "no-show"
    REVERSE = "reverse"
    ADJUST = "adjust"
    VOID = "void"
    CUSTOMER_ADDED = "customer added"
    CUSTOMER_EDITED = "customer edited"
    PACKAGE_SAVED = "package saved"
    PACKAGE_ARCHIVED = "package archived"
    SERVICE_SAVED = "service saved"
    PROVIDER_SAVED = "provider saved"
    ARCHIVED = "archived"
    RESTORED = "restored"


@dataclass(frozen=True, slots=True)
class AuditLine:
    """One event of the trail, with the name of who did it."""

    id: int
    at: datetime
    staff_name: str
    kind: str
    customer_id: int | None
    subject: str
    detail: str


def record(
    session: Session, *, kind: AuditKind, at: datetime, staff_id: int | None, customer_id: int | None = None,
    subject: str = "", detail: str = "",
) -> None:
    """Add an event to the trail (in the caller's transaction)."""
    session.add(AuditEvent(at=at, staff_id=staff_id, kind=kind, customer_id=customer_id,
                           subject=subject[:200], detail=detail[:1000]))
    session.flush()


def events(session: Session, *, kind: AuditKind | None = None, staff_id: int | None = None,
           limit: int = 100) -> list[AuditLine]:
    """The newest events first, optionally of one kind or one person."""
    statement = (select(AuditEvent, Staff.name).outerjoin(Staff, col(Staff.id) == AuditEvent.staff_id)
                 .order_by(col(AuditEvent.id).desc()).limit(limit))
    if kind is not None:
        statement = statement.where(AuditEvent.kind == kind)
    if staff_id is not None:
        statement = statement.where(AuditEvent.staff_id == staff_id)
    return [AuditLine(id=event.id, at=event.at, staff_name=name or "—", kind=event.kind,
                      customer_id=event.customer_id, subject=event.subject, detail=event.detail)
            for event, name in session.exec(statement)]
