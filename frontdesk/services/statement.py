"""A customer's statement: what she holds, each balance and expiry, and every change to her
balances (ledger entries and refunds) with who and when, read in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from frontdesk.domain.business import Business
from frontdesk.models import Staff
from frontdesk.services import ledger
from frontdesk.services.appointments import customer_holdings
from frontdesk.services.customers import get_customer
from frontdesk.services.roles import acting, clock
from frontdesk.services.views import CustomerView, HoldingView, LedgerLine


@dataclass(frozen=True, slots=True)
class Statement:
    """Everything a customer's statement shows, as of `at` (the desk's clock)."""

    customer: CustomerView
    holdings: list[HoldingView]  # active first (expiring first), then the rest
    history: list[LedgerLine]  # every change, newest first
    at: datetime
    prepared_by: str


def statement(session: Session, business: Business, *, customer_id: int) -> Statement:
    """The customer's statement: anyone at the desk may print one for her, and whoever holds the
    database from the shell (`frontdesk statement`)."""
    actor = acting(session)
    staff = session.get(Staff, actor) if actor is not None else None
    return Statement(
        customer=get_customer(session, customer_id),
        holdings=customer_holdings(session, business, customer_id=customer_id),
        history=ledger.history(session, business, customer_id=customer_id, limit=1_000_000),
        at=clock(session),
        prepared_by=staff.name if staff is not None else "Front Desk, from the shell",
    )
