"""Money across the till: tenders that pay (cash, card, other), and refunds.

Money that leaves the till: a refund is a payment with a negative amount, its tender, who and
why, written with the cancellation or void it belongs to, under a checkout record of its own so
that it has a receipt like any payment.

What may be refunded is the money paid (cash, card, other; less any refund already made), never
more. Refunding less than that, or nothing, needs a reason: it is kept with the payment.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import BigInteger, cast, func
from sqlmodel import Session, col, select

from frontdesk.domain.business import Business
from frontdesk.domain.kinds import Tender
from frontdesk.domain.money import MAX_MINOR, format_money
from frontdesk.models import Checkout, Payment
from frontdesk.services.errors import InvalidInput, reason_problem

MONEY_TENDERS = (Tender.CASH, Tender.CARD, Tender.OTHER)


@dataclass(frozen=True, slots=True)
class TenderLine:
    """Money handed over: cash, card or other, in minor units."""

    tender: Tender
    amount: int


def check_tenders(tenders: Sequence[TenderLine], due: int, business: Business, field: str = "tenders") -> None:
    """Tenders must be cash/card/other, positive, and add up to exactly what is due."""
    for line in tenders:
        if line.tender not in MONEY_TENDERS:
            raise InvalidInput({field: "Pay with cash, card or other."})
        if line.amount <= 0:
            raise InvalidInput({field: "Each payment must be more than 0."})
        if line.amount > MAX_MINOR:
            raise InvalidInput({field: f"Each payment can be at most {format_money(MAX_MINOR, business.currency)}."})
    total = sum(line.amount for line in tenders)
    if total < due:
        raise InvalidInput({field: f"Still {format_money(due - total, business.currency)} to pay."})
    if total > due:
        raise InvalidInput({field: f"That is {format_money(total - due, business.currency)} more than is due."})


REFUND_KEY = "refund-"  # how a refund's checkout key begins


def money_paid(session: Session, *, appointment_id: int | None = None, sale_holding_id: int | None = None) -> int:
    """The money (not package) paid for an appointment or a package sale, net of refunds."""
    # cast: PostgreSQL sums a BIGINT column as NUMERIC (a Decimal here)
    statement = select(cast(func.coalesce(func.sum(Payment.amount), 0), BigInteger)).where(
        col(Payment.tender).in_(MONEY_TENDERS))
    if appointment_id is not None:
        statement = statement.where(Payment.appointment_id == appointment_id)
    else:
        statement = statement.where(Payment.sale_holding_id == sale_holding_id)
    return session.exec(statement).one()


def check_refunds(refunds: Sequence[TenderLine], paid: int, reason: str, business: Business) -> int:
    """The total refunded, once the refund is sound: cash, card or other, each more than 0, at
    most what was paid, and a reason when less than that goes back."""
    for line in refunds:
        if line.tender not in MONEY_TENDERS:
            raise InvalidInput({"refund": "Refund in cash, card or other."})
        if line.amount <= 0:
            raise InvalidInput({"refund": "Each refund must be more than 0."})
        if line.amount > MAX_MINOR:
            raise InvalidInput({"refund": f"Each refund can be at most {format_money(MAX_MINOR, business.currency)}."})
    total = sum(line.amount for line in refunds)
    if total > paid:
        raise InvalidInput({"refund": f"Only {format_money(paid, business.currency)} was paid in money; "
                                      "refund at most that."})
    if total < paid and not reason.strip():
        kept = format_money(paid - total, business.currency)
        raise InvalidInput({"reason": f"{kept} paid is not refunded: give the reason."})
    if problem := reason_problem(reason):
        raise InvalidInput({"reason": problem})
    return total


def record_refunds(
    session: Session, refunds: Sequence[TenderLine], *, customer_id: int, actor: int, now: datetime, reason: str,
    appointment_id: int | None = None, sale_holding_id: int | None = None,
) -> Checkout | None:
    """Write the refunds as negative payments under a new checkout record (for the receipt)."""
    if not refunds:
        return None
    record = Checkout(key=f"{REFUND_KEY}{uuid.uuid4().hex}", customer_id=customer_id, appointment_id=appointment_id,
                      staff_id=actor, created_at=now)
    session.add(record)
    session.flush()
    session.add_all(Payment(checkout_id=record.id, appointment_id=appointment_id, sale_holding_id=sale_holding_id,
                            tender=line.tender, amount=-line.amount, staff_id=actor, created_at=now,
                            note=reason.strip())
                    for line in refunds)
    session.flush()
    return record


def describe_refunds(refunds: Sequence[TenderLine], business: Business) -> str:
    """ "$80.00 refunded (card)", "$30.00 refunded (cash), $20.00 refunded (card)", "nothing refunded"."""
    if not refunds:
        return "nothing refunded"
    return ", ".join(f"{format_money(line.amount, business.currency)} refunded ({line.tender})" for line in refunds)

