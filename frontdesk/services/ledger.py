"""The ledger: every balance change is an entry written with the change, in one transaction.

`spend` and `credit` are the only ways a holding line's cached balance moves. `spend` is a
conditional UPDATE (``… WHERE remaining >= n``), so two desks can never both take the last visit,
whatever the isolation level; the `CHECK (remaining >= 0)` constraint is the last guard.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from frontdesk.domain.business import Business
from frontdesk.domain.describe import describe_amount
from frontdesk.domain.kinds import EntryKind
from frontdesk.domain.terms import Terms, ValueType
from frontdesk.models import Holding, HoldingLine, LedgerEntry, Staff, utcnow
from frontdesk.services.audit import AuditKind, record
from frontdesk.services.roles import require_manager
from frontdesk.services.errors import InvalidInput, NoBalanceLeft, NotFound
from frontdesk.services.views import HoldingView, LedgerLine, Mismatch, holding_views


REASON_MAX_LENGTH = 500


def require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise InvalidInput({"reason": "Give a reason."})
    if len(reason) > REASON_MAX_LENGTH:  # the note column's size, enforced by PostgreSQL only
        raise InvalidInput({"reason": f"At most {REASON_MAX_LENGTH} characters."})
    return reason


def append_entry(
    session: Session, *, holding_id: int, line_id: int, kind: EntryKind, delta: int,
    balance_after: int, actor: int, appointment_id: int | None = None, note: str = "",
    at: datetime | None = None,
) -> LedgerEntry:
    """Write one ledger entry (the caller has just moved the line's balance by `delta`)."""
    entry = LedgerEntry(
        holding_id=holding_id, line_id=line_id, kind=kind, delta=delta,
        balance_after=balance_after, appointment_id=appointment_id, staff_id=actor,
        note=note, created_at=at or utcnow(),
    )
    session.add(entry)
    session.flush()
    return entry


def spend(session: Session, line_id: int, units: int) -> int:
    """Take `units` from a line if it still has them; returns the balance after.

    Raises NoBalanceLeft when another transaction got there first.
    """
    row = session.exec(  # type: ignore[call-overload]
        update(HoldingLine)
        .where(col(HoldingLine.id) == line_id, col(HoldingLine.remaining) >= units)
        .values(remaining=HoldingLine.remaining - units)
        .returning(HoldingLine.remaining)
        .execution_options(synchronize_session="fetch")  # only the line changed, not every one loaded
    ).first()
    if row is None:
        raise NoBalanceLeft("No balance left on this package: it was just used, perhaps at another desk.")
    return row[0]


def credit(session: Session, line_id: int, units: int) -> int:
    """Give `units` back to a line; returns the balance after."""
    row = session.exec(  # type: ignore[call-overload]
        update(HoldingLine)
        .where(col(HoldingLine.id) == line_id)
        .values(remaining=HoldingLine.remaining + units)
        .returning(HoldingLine.remaining)
        .execution_options(synchronize_session="fetch")
    ).one()
    return row[0]


def lock_lines(session: Session, holding_id: int) -> list[HoldingLine]:
    """The holding's lines, locked for this transaction (row locks on PostgreSQL, in id order;
    SQLite's write transaction already holds the database lock)."""
    return list(session.exec(
        select(HoldingLine).where(HoldingLine.holding_id == holding_id)
        .order_by(HoldingLine.id).with_for_update()
        .execution_options(populate_existing=True)
    ))


def get_holding(session: Session, holding_id: int) -> Holding:
    holding = session.get(Holding, holding_id)
    if holding is None:
        raise NotFound("No such package on this account.")
    return holding


def adjust(
    session: Session, business: Business, *, holding_id: int, delta: int, reason: str,
    actor: int, line_id: int | None = None, now: datetime | None = None,
) -> HoldingView:
    """A manager raises or lowers a holding's balance, with a reason."""
    require_manager(session, actor, "adjust a balance")
    reason = require_reason(reason)
    holding = get_holding(session, holding_id)
    terms = Terms.from_dict(holding.terms)
    if holding.voided_at is not None:
        raise InvalidInput({"delta": "This package is void."})
    if terms.value_type is ValueType.UNLIMITED:
        raise InvalidInput({"delta": "An unlimited package has no balance to adjust."})
    if delta == 0:
        raise InvalidInput({"delta": "Enter a change other than 0."})
    lines = lock_lines(session, holding_id)
    line = next((line for line in lines if line.id == line_id), None) if line_id else lines[0]
    if line is None:
        raise NotFound("No such line on this package.")
    if line.remaining + delta < 0:
        left = describe_amount(terms, line.remaining, business.currency)
        raise InvalidInput({"delta": f"Only {left} left; the balance cannot go below zero."})
    after = credit(session, line.id, delta) if delta > 0 else spend(session, line.id, -delta)
    append_entry(session, holding_id=holding_id, line_id=line.id, kind=EntryKind.ADJUST,
                 delta=delta, balance_after=after, actor=actor, note=reason, at=now)
    record(session, kind=AuditKind.ADJUST, at=now or utcnow(), staff_id=actor, customer_id=holding.customer_id,
           subject=f"holding {holding_id}", detail=f"{describe_amount(terms, abs(delta), business.currency)} "
                                                   f"{'added' if delta > 0 else 'taken'}: {reason}")
    return holding_views(session, [holding], business, now or utcnow())[0]


def void(
    session: Session, business: Business, *, holding_id: int, reason: str, actor: int,
    now: datetime | None = None,
) -> HoldingView:
    """A manager voids a holding, with a reason: its balance goes to zero and it covers nothing."""
    require_manager(session, actor, "void a package")
    reason = require_reason(reason)
    holding = get_holding(session, holding_id)
    if holding.voided_at is not None:
        raise InvalidInput({"reason": "This package is already void."})
    now = now or utcnow()
    for line in lock_lines(session, holding_id):
        left = line.remaining  # read before spending: the ORM refreshes `line` on UPDATE
        after = spend(session, line.id, left)
        append_entry(session, holding_id=holding_id, line_id=line.id, kind=EntryKind.VOID,
                     delta=-left, balance_after=after, actor=actor, note=reason, at=now)
    holding.voided_at = now
    session.add(holding)
    session.flush()
    record(session, kind=AuditKind.VOID, at=now, staff_id=actor, customer_id=holding.customer_id,
           subject=f"holding {holding_id}", detail=f"{holding.title}: {reason}")
    return holding_views(session, [holding], business, now)[0]


def history(
    session: Session, business: Business, *, customer_id: int, limit: int = 50,
    before_id: int | None = None,
) -> list[LedgerLine]:
    """A customer's balance history, newest first, paged by entry id."""
    statement = (
        select(LedgerEntry, Holding.title, Holding.terms, Staff.name)
        .join(Holding, col(Holding.id) == LedgerEntry.holding_id)
        .join(Staff, col(Staff.id) == LedgerEntry.staff_id)
        .where(Holding.customer_id == customer_id)
        .order_by(col(LedgerEntry.id).desc())
        .limit(limit)
    )
    if before_id is not None:
        statement = statement.where(col(LedgerEntry.id) < before_id)
    lines = []
    for entry, title, terms_dict, staff_name in session.exec(statement):
        terms = Terms.from_dict(terms_dict)
        sign = "+" if entry.delta > 0 else "-" if entry.delta < 0 else ""
        change = describe_amount(terms, abs(entry.delta), business.currency)
        lines.append(LedgerLine(
            id=entry.id, at=entry.created_at, holding_id=entry.holding_id, holding_title=title,
            kind=EntryKind(entry.kind), delta=entry.delta,
            delta_text=f"{sign}{change}" if entry.delta
            else "use" if entry.kind in (EntryKind.REDEEM, EntryKind.REVERSE) else "—",
            balance_after=entry.balance_after,
            balance_text=describe_amount(terms, entry.balance_after, business.currency),
            appointment_id=entry.appointment_id, staff_name=staff_name, note=entry.note,
        ))
    return lines


def check(session: Session, holding_ids: Sequence[int] | None = None) -> list[Mismatch]:
    """Every holding line whose cached balance differs from the sum of its ledger entries."""
    sums = (
        select(LedgerEntry.line_id, func.coalesce(func.sum(LedgerEntry.delta), 0).label("total"))
        .group_by(LedgerEntry.line_id)
        .subquery()
    )
    statement = (
        select(HoldingLine.holding_id, HoldingLine.id, HoldingLine.remaining,
               func.coalesce(sums.c.total, 0))
        .outerjoin(sums, sums.c.line_id == HoldingLine.id)
        .where(HoldingLine.remaining != func.coalesce(sums.c.total, 0))
        .order_by(HoldingLine.holding_id, HoldingLine.id)
    )
    if holding_ids is not None:
        statement = statement.where(col(HoldingLine.holding_id).in_(holding_ids))
    return [
        Mismatch(holding_id=holding_id, line_id=line_id, cached=cached, ledger_sum=total)
        for holding_id, line_id, cached, total in session.exec(statement)
    ]


def count_lines(session: Session) -> int:
    """How many balance lines there are (what `check` looked at)."""
    return session.exec(select(func.count()).select_from(HoldingLine)).one()
