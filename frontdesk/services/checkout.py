"""What the checkout screen reads and does: the appointment with every holding judged against
it, and a checkout that returns its receipt with the balances it left."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlmodel import Session

from frontdesk.domain.business import Business
from frontdesk.services.appointments import checkout, customer_holdings, get_appointment, options
from frontdesk.services.sales import TenderLine
from frontdesk.services.views import AppointmentView, HoldingView, Option, Receipt


@dataclass(frozen=True, slots=True)
class CheckoutPage:
    """The appointment and every holding of its customer judged against it (the default first)."""

    appointment: AppointmentView
    options: list[Option]

    @property
    def default(self) -> Option | None:
        return next((option for option in self.options if option.is_default), None)


def checkout_page(session: Session, business: Business, *, appointment_id: int, now: datetime) -> CheckoutPage:
    """The appointment and every holding of its customer judged against it, in one read."""
    return CheckoutPage(get_appointment(session, appointment_id),
                        options(session, business, appointment_id=appointment_id, now=now))


@dataclass(frozen=True, slots=True)
class Paid:
    """What a checkout did, with the appointment and the used holdings as they are afterwards."""

    receipt: Receipt
    appointment: AppointmentView
    holdings: list[HoldingView]


def pay(
    session: Session, business: Business, *, key: str, appointment_id: int, actor: int, now: datetime,
    package: int | Literal["default"] | None = None, tenders: Sequence[TenderLine] = (),
    sell_package_id: int | None = None, sale_tenders: Sequence[TenderLine] = (),
) -> Paid:
    """`checkout`, then (in the same transaction) the appointment and the balances it left."""
    receipt = checkout(session, business, key=key, appointment_id=appointment_id, actor=actor, now=now,
                       package=package, tenders=tenders, sell_package_id=sell_package_id,
                       sale_tenders=sale_tenders)
    appointment = get_appointment(session, receipt.appointment_id)
    used = {line.holding_id for line in receipt.payments if line.holding_id is not None}
    holdings = [view for view in customer_holdings(session, business, customer_id=appointment.customer_id, now=now)
                if view.id in used]
    return Paid(receipt, appointment, holdings)
