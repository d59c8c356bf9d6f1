"""The ledger: every balance change is an entry written with the change, in one transaction.

`spend` and `credit` are the only ways a holding line's cached balance moves. `spend` is a
conditional UPDATE (``… WHERE remaining >= n``), so two desks can never both take the last visit,
whatever the isolation level; the `CHECK (remaining >= 0)` constraint is the last guard.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from typing import Any

from sqlalchemy import BigInteger, and_, bindparam, cast, func, insert, or_, union_all, update
from sqlmodel import Session, col, select

from frontdesk.domain.business import Business
from frontdesk.domain.describe import describe_amount
from frontdesk.domain.kinds import EntryKind
from frontdesk.domain.terms import Terms, ValueType, most_units
from frontdesk.domain.money import format_money
from frontdesk.domain.periods import to_local
from frontdesk.models import Appointment, Holding, HoldingLine, LedgerEntry, Payment, Service, Staff
from frontdesk.services.audit import AuditKind, record
from frontdesk.services.roles import clock, require_manager
from frontdesk.services.errors import REASON_MAX_LENGTH, InvalidInput, NoBalanceLeft, NotFound, require_reason  # noqa: F401,E501
from frontdesk.services.tenders import (
    MONEY_TENDERS,
    TenderLine,
    check_refunds,
    describe_refunds,
    money_paid,
    record_refunds,
)
from frontdesk.services.views import (
    ENTRY_RANK,
    REFUND,
    REFUND_RANK,
    HistoryCursor,
    HoldingView,
    LedgerLine,
    Mismatch,
    Receipt,
    holding_views,
    receipt_view,
)


NOTE_MAX_LENGTH = 500  # the ledger entry's note column


def append_entry(
    session: Session, *, holding_id: int, line_id: int, kind: EntryKind, delta: int,
    balance_after: int, actor: int, at: datetime, appointment_id: int | None = None, note: str = "",
    seq: int = 0, valid_until: date | None = None,
) -> LedgerEntry:
    """Write one ledger entry (the caller has just moved the line's balance by `delta`). A
    redemption and its reversal carry their round, `seq` (see `views.next_round`)."""
    entry = LedgerEntry(
        holding_id=holding_id, line_id=line_id, kind=kind, delta=delta,
        balance_after=balance_after, appointment_id=appointment_id, staff_id=actor,
        note=entry_note(note), created_at=at, seq=seq, valid_until=valid_until,
    )
    session.add(entry)
    session.flush()
    return entry


def write_entry(
    session: Session, *, holding_id: int, line_id: int, kind: EntryKind, delta: int,
    balance_after: int, actor: int, at: datetime, appointment_id: int | None = None, note: str = "",
    seq: int = 0, valid_until: date | None = None,
) -> int:
    """`append_entry` as one INSERT … RETURNING its id, without loading an object (the checkout's
    hot path); returns the entry's id."""
    return session.execute(_INSERT_ENTRY, dict(
        holding_id=holding_id, line_id=line_id, kind=kind, delta=delta, balance_after=balance_after,
        appointment_id=appointment_id, staff_id=actor, note=entry_note(note), created_at=at, seq=seq,
        valid_until=valid_until,
    )).scalar_one()


_INSERT_ENTRY = insert(LedgerEntry.__table__).returning(LedgerEntry.__table__.c.id)


def entry_note(note: str) -> str:
    """The note as an entry keeps it: a full-length reason with the words an entry adds to it
    ("… (expiry …)") is cut to the column's size."""
    return note if len(note) <= NOTE_MAX_LENGTH else note[:NOTE_MAX_LENGTH - 1] + "…"


def spend(session: Session, line_id: int, units: int, *, loaded: bool = True) -> int:
    """Take `units` from a line if it still has them; returns the balance after. With `loaded`
    the session's object of the line (if any) is refreshed; without, one plain statement.

    Raises NoBalanceLeft when another transaction got there first.
    """
    if loaded:
        row = session.exec(  # type: ignore[call-overload]
            update(HoldingLine)
            .where(col(HoldingLine.id) == line_id, col(HoldingLine.remaining) >= units)
            .values(remaining=HoldingLine.remaining - units)
            .returning(HoldingLine.remaining)
            .execution_options(synchronize_session="fetch")  # only the line changed, not every one loaded
        ).first()
    else:
        row = session.execute(_SPEND, {"line": line_id, "units": units}).first()
    if row is None:
        raise NoBalanceLeft("No balance left on this package: it was just used, perhaps at another desk.")
    return row[0]


_LINE = HoldingLine.__table__
_SPEND = (update(_LINE).where(_LINE.c.id == bindparam("line"), _LINE.c.remaining >= bindparam("units"))
          .values(remaining=_LINE.c.remaining - bindparam("units")).returning(_LINE.c.remaining))


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


def lock_holding(session: Session, holding_id: int) -> tuple[Holding, list[HoldingLine]]:
    """The holding and its lines, locked for this transaction and read fresh: its lines first, then
    the holding row (the order every writer takes them in; a redemption's trigger updates the
    holding). What is decided after this (void? frozen? expired?) is decided on what is committed
    now, not on a read made before another desk's change."""
    lines = lock_lines(session, holding_id)
    holding = session.exec(select(Holding).where(Holding.id == holding_id).with_for_update()
                           .execution_options(populate_existing=True)).first()
    if holding is None:
        raise NotFound("No such package on this account.")
    return holding, lines


def get_holding(session: Session, holding_id: int) -> Holding:
    holding = session.get(Holding, holding_id)
    if holding is None:
        raise NotFound("No such package on this account.")
    return holding


def adjust(
    session: Session, business: Business, *, holding_id: int, delta: int, reason: str,
    line_id: int | None = None,
) -> HoldingView:
    """A manager raises or lowers a holding's balance, with a reason."""
    actor = require_manager(session, "adjust a balance")
    now = clock(session)
    reason = require_reason(reason)
    holding, lines = lock_holding(session, holding_id)
    terms = Terms.from_dict(holding.terms)
    if holding.voided_at is not None:
        raise InvalidInput({"delta": "This package is void."})
    if terms.value_type is ValueType.UNLIMITED:
        raise InvalidInput({"delta": "An unlimited package has no balance to adjust."})
    if delta == 0:
        raise InvalidInput({"delta": "Enter a change other than 0."})
    most = most_units(terms.unit)
    if abs(delta) > most:  # checked before the number goes anywhere near the database
        raise InvalidInput({"delta": f"A change can be at most {describe_amount(terms, most, business.currency)}."})
    line = next((line for line in lines if line.id == line_id), None) if line_id else lines[0]
    if line is None:
        raise NotFound("No such line on this package.")
    if line.remaining + delta < 0:
        left = describe_amount(terms, line.remaining, business.currency)
        raise InvalidInput({"delta": f"Only {left} left; the balance cannot go below zero."})
    if line.remaining + delta > most:
        raise InvalidInput({"delta": f"The balance can be at most {describe_amount(terms, most, business.currency)}."})
    after = credit(session, line.id, delta) if delta > 0 else spend(session, line.id, -delta)
    append_entry(session, holding_id=holding_id, line_id=line.id, kind=EntryKind.ADJUST,
                 delta=delta, balance_after=after, actor=actor, note=reason, at=now)
    record(session, kind=AuditKind.ADJUST, at=now, staff_id=actor, customer_id=holding.customer_id,
           subject=f"holding {holding_id}", detail=f"{describe_amount(terms, abs(delta), business.currency)} "
                                                   f"{'added' if delta > 0 else 'taken'}: {reason}")
    return holding_views(session, [holding], business, now)[0]


@dataclass(frozen=True, slots=True)
class Voided:
    """A void: the holding afterwards, and the refund's receipt when money went back."""

    holding: HoldingView
    refunded: int
    receipt: Receipt | None


def void(
    session: Session, business: Business, *, holding_id: int, reason: str,
    refunds: Sequence[TenderLine] = (),
) -> Voided:
    """A manager voids a holding, with a reason: its balance goes to zero and it covers nothing.
    The money paid for it is refunded by `refunds` (negative payments), in full, in part or not at
    all; the reason says why."""
    actor = require_manager(session, "void a package")
    reason = require_reason(reason)
    holding, lines = lock_holding(session, holding_id)
    if holding.voided_at is not None:
        raise InvalidInput({"reason": "This package is already void."})
    paid = money_paid(session, sale_holding_id=holding_id)
    refunded = check_refunds(refunds, paid, reason, business)
    now = clock(session)
    for line in lines:
        left = line.remaining  # read before spending: the ORM refreshes `line` on UPDATE
        after = spend(session, line.id, left)
        append_entry(session, holding_id=holding_id, line_id=line.id, kind=EntryKind.VOID,
                     delta=-left, balance_after=after, actor=actor, note=reason, at=now)
    holding.voided_at = now
    session.add(holding)
    till = record_refunds(session, refunds, customer_id=holding.customer_id, actor=actor, now=now, reason=reason,
                          sale_holding_id=holding_id)
    session.flush()
    record(session, kind=AuditKind.VOID, at=now, staff_id=actor, customer_id=holding.customer_id,
           subject=f"holding {holding_id}",
           detail=f"{holding.title}: {reason}" + (f"; {describe_refunds(refunds, business)}" if paid else ""))
    return Voided(holding_views(session, [holding], business, now)[0], refunded,
                  receipt_view(session, business, till) if till else None)


def history(
    session: Session, business: Business, *, customer_id: int, limit: int = 50,
    before: HistoryCursor | None = None,
) -> list[LedgerLine]:
    """A customer's balance history, newest first: every ledger entry of her holdings, and every
    refund (money given back on a cancellation or void). Paged: `before` is the `cursor` of the
    oldest line shown."""
    entries = (
        select(LedgerEntry, Holding.title, Holding.terms, Staff.name)
        .join(Holding, col(Holding.id) == LedgerEntry.holding_id)
        .join(Staff, col(Staff.id) == LedgerEntry.staff_id)
        .where(Holding.customer_id == customer_id)
        .order_by(col(LedgerEntry.created_at).desc(), col(LedgerEntry.id).desc())
        .limit(limit)
    )
    refunds = (
        select(Payment, Staff.name, Holding.title, Service.name, Appointment.starts_at)
        .join(Staff, col(Staff.id) == Payment.staff_id)
        .outerjoin(Holding, col(Holding.id) == Payment.sale_holding_id)
        .outerjoin(Appointment, col(Appointment.id) == Payment.appointment_id)
        .outerjoin(Service, col(Service.id) == Appointment.service_id)
        .where(col(Payment.id).in_(_her_payments(customer_id)), Payment.amount < 0,
               col(Payment.tender).in_(MONEY_TENDERS))
        .order_by(col(Payment.created_at).desc(), col(Payment.id).desc())
        .limit(limit)
    )
    if before is not None:
        entries = entries.where(_older(LedgerEntry.created_at, LedgerEntry.id, ENTRY_RANK, before))
        refunds = refunds.where(_older(Payment.created_at, Payment.id, REFUND_RANK, before))
    lines = []
    terms_of: dict[int, Terms] = {}  # a holding's terms, read once for all its entries
    for entry, title, terms_dict, staff_name in session.exec(entries):
        terms = terms_of.get(entry.holding_id) or terms_of.setdefault(entry.holding_id, Terms.from_dict(terms_dict))
        sign = "+" if entry.delta > 0 else "-" if entry.delta < 0 else ""
        change = describe_amount(terms, abs(entry.delta), business.currency)
        lines.append(LedgerLine(
            id=entry.id, at=entry.created_at, holding_id=entry.holding_id, holding_title=title,
            kind=EntryKind(entry.kind), delta=entry.delta,
            delta_text=f"{sign}{change}" if entry.delta
            else f"to {entry.valid_until:%-d %b %Y}" if entry.valid_until is not None and entry.kind != EntryKind.REDEEM
            else "use" if entry.kind in (EntryKind.REDEEM, EntryKind.REVERSE) else "—",
            balance_after=entry.balance_after,
            balance_text=describe_amount(terms, entry.balance_after, business.currency),
            appointment_id=entry.appointment_id, staff_name=staff_name, note=entry.note,
        ))
    for payment, staff_name, holding_title, service_name, starts_at in session.exec(refunds):
        what = holding_title or f"{service_name} {to_local(starts_at, business.tz):%-d %b}"
        lines.append(LedgerLine(
            id=payment.id, at=payment.created_at, holding_id=payment.sale_holding_id, holding_title=what,
            kind=REFUND, delta=payment.amount,
            delta_text=f"{format_money(payment.amount, business.currency)} {payment.tender}",
            balance_after=0, balance_text="—", appointment_id=payment.appointment_id, staff_name=staff_name,
            note=payment.note,
        ))
    lines.sort(key=lambda line: line.cursor, reverse=True)
    return lines[:limit]


def _her_payments(customer_id: int) -> Any:
    """The ids of the payments for a customer's packages or appointments: each half found by its
    index (the sold package's, the appointment's), where "the package's customer or the
    appointment's" in one condition would read every payment of the spa."""
    payment, holding, appointment = _HERS
    return union_all(
        select(payment.c.id).join(holding, holding.c.id == payment.c.sale_holding_id)
        .where(holding.c.customer_id == customer_id),
        select(payment.c.id).join(appointment, appointment.c.id == payment.c.appointment_id)
        .where(appointment.c.customer_id == customer_id),
    )


# not the outer query's tables; made once (an alias's columns are slow to make)
_HERS = tuple(model.__table__.alias() for model in (Payment, Holding, Appointment))


def _older(at_column: Any, id_column: Any, rank: int, cursor: HistoryCursor) -> Any:
    """Rows of one kind (`rank`) that come after `cursor` in the newest-first order."""
    at, cursor_rank, row_id = cursor
    if rank < cursor_rank:
        return col(at_column) <= at
    if rank > cursor_rank:
        return col(at_column) < at
    return or_(col(at_column) < at, and_(col(at_column) == at, col(id_column) < row_id))


def check(session: Session, holding_ids: Sequence[int] | None = None) -> list[Mismatch]:
    """Every holding line whose cached balance differs from the sum of its ledger entries."""
    sums = (
        # cast: PostgreSQL sums a BIGINT column as NUMERIC (a Decimal here)
        select(LedgerEntry.line_id, cast(func.coalesce(func.sum(LedgerEntry.delta), 0), BigInteger).label("total"))
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
