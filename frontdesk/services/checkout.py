"""Checkout: pay an appointment from a package (redeem) and/or with money tenders — or sell a
package and apply it — in one transaction; and what the checkout screen reads.

A checkout locks the appointment, then the holding's lines, re-checks coverage on the fresh
balance, spends with a conditional UPDATE, writes the ledger entry and the payments. It carries a
key made when it started: a retry with the same key returns the first receipt. One appointment
can be redeemed once: a unique index refuses a second redemption.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlmodel import Session, select

from frontdesk.domain.bounds import text_problem
from frontdesk.domain.business import Business
from frontdesk.domain.coverage import HoldingFacts, LineBalance, covers, default_choice, rank
from frontdesk.domain.kinds import AppointmentStatus, EntryKind, Tender
from frontdesk.domain.money import format_money
from frontdesk.domain.terms import Terms
from frontdesk.domain.lifecycle import first_visit_expiry
from frontdesk.models import Checkout, Holding, Payment
from frontdesk.services import audit
from frontdesk.services.appointments import customer_holdings, get_appointment, lock_appointment
from frontdesk.services.errors import AlreadyPaid, FrontDeskError, InvalidInput, NotCovered
from frontdesk.services.ledger import append_entry, lock_holding, spend
from frontdesk.services.roles import clock, require_staff
from frontdesk.services.sales import TenderLine, check_tenders, sell
from frontdesk.services.views import (
    AppointmentView,
    HoldingView,
    Option,
    Receipt,
    appointment_views,
    next_round,
    receipt_view,
    with_holds,
)

KEY_MAX_LENGTH = 64  # the key column's size


def key_problem(key: str) -> str | None:
    """Why `key` cannot be a checkout's key: empty, too long, or with control characters."""
    if not key:
        return "A checkout needs a key."
    return text_problem(key, KEY_MAX_LENGTH)


DEFAULT: Literal["default"] = "default"
"""Pass as `package` to checkout to use the default covering holding."""


def options(
    session: Session, business: Business, *, appointment_id: int
) -> list[Option]:
    """Every holding of the appointment's customer judged against it, the default first: the
    holding it was booked "to be covered by" when that still covers it, else the covering one
    that expires first, then the oldest purchase (`coverage.rank` and `default_choice`)."""
    now = clock(session)
    appointment = get_appointment(session, appointment_id)
    holdings = {view.id: view for view in customer_holdings(
        session, business, customer_id=appointment.customer_id)}
    facts = [view.facts for view in holdings.values()]
    ranked = rank(facts, appointment.facts, now, tz=business.tz, currency=business.currency,
                  booked_for=appointment.cover_holding_id)
    default = default_choice(facts, appointment.facts, now, tz=business.tz, currency=business.currency,
                             booked_for=appointment.cover_holding_id)
    return [Option(holding=holdings[coverage.holding_id], coverage=coverage,
                   is_default=default is not None and coverage.holding_id == default.holding_id)
            for coverage in ranked]


def _redeem(
    session: Session, business: Business, *, appointment: AppointmentView, holding_id: int,
    checkout_id: int, actor: int, now: datetime,
) -> int:
    """Spend the holding on the appointment; returns the money value it paid."""
    holding, lines = lock_holding(session, holding_id)  # void, expiry and freeze as committed now
    if holding.customer_id != appointment.customer_id:
        raise InvalidInput({"package": "That package belongs to another customer."})
    terms = Terms.from_dict(holding.terms)
    facts = HoldingFacts(
        id=holding.id, customer_id=holding.customer_id, terms=terms,
        purchased_at=holding.purchased_at, valid_until=holding.valid_until,
        voided=holding.voided_at is not None,
        lines=tuple(LineBalance(line.id, line.service_id, line.initial, line.remaining) for line in lines),
        frozen=(holding.frozen_from, holding.frozen_until) if holding.frozen_from and holding.frozen_until else None,
        moved=session.exec(select(Holding.id).where(Holding.source_holding_id == holding.id)).first() is not None,
    )
    facts = with_holds(session, [facts], business, now)[0]  # judged against what other bookings leave free
    coverage = covers(facts, appointment.facts, now, tz=business.tz, currency=business.currency)
    if not coverage.ok:
        raise NotCovered(holding.title, coverage.reasons)
    take = coverage.take
    after = spend(session, take.line_id, take.units)
    starts = None  # a validity that runs from the first visit starts with this one
    if terms.starts_on_first_visit and holding.valid_until is None and terms.expires_in is not None:
        starts = first_visit_expiry(terms, appointment.starts_at, business.tz)
        holding.valid_until = starts
        session.add(holding)
    entry = append_entry(session, holding_id=holding.id, line_id=take.line_id, kind=EntryKind.REDEEM,
                         delta=-take.units, balance_after=after, actor=actor,
                         appointment_id=appointment.id, note=take.description + (
                             f" (first visit: valid to {starts:%-d %b %Y})" if starts else ""), at=now,
                         seq=next_round(session, appointment.id), valid_until=starts)
    session.add(Payment(checkout_id=checkout_id, appointment_id=appointment.id, holding_id=holding.id,
                        entry_id=entry.id, tender=Tender.PACKAGE, amount=take.value, staff_id=actor,
                        created_at=now))
    return take.value


def unpayable(appointment: AppointmentView) -> FrontDeskError | None:
    """Why `appointment` cannot be paid now (cancelled, or paid in full), or None when it can."""
    if appointment.status == AppointmentStatus.CANCELLED:
        return InvalidInput({"appointment": "This appointment was cancelled."})
    if appointment.is_paid:
        return AlreadyPaid("This appointment is already paid.")
    return None


def checkout(
    session: Session, business: Business, *, key: str, appointment_id: int,
    package: int | Literal["default"] | None = None, tenders: Sequence[TenderLine] = (),
    sell_package_id: int | None = None, sale_tenders: Sequence[TenderLine] = (),
) -> Receipt:
    """Pay an appointment: from a package (a holding id, or DEFAULT) and/or money tenders that
    make up exactly the rest. With `sell_package_id` the package is sold (paid by
    `sale_tenders`) and applied to this appointment in the same transaction."""
    actor = require_staff(session)
    if problem := key_problem(key):
        raise InvalidInput({"key": problem})
    # the appointment is locked before the key is looked up: a second desk sending the same key at
    # the same moment waits here, then finds the first desk's checkout and gets its receipt
    row = lock_appointment(session, appointment_id)
    existing = session.exec(select(Checkout).where(Checkout.key == key)).first()
    if existing is not None:
        if existing.appointment_id != appointment_id:
            raise InvalidInput({"key": "This checkout key belongs to another appointment."})
        return receipt(session, business, existing, replayed=True)
    now = clock(session)
    appointment = appointment_views(session, [row])[0]
    refusal = unpayable(appointment)
    if refusal is not None:
        raise refusal
    record = Checkout(key=key, customer_id=row.customer_id, appointment_id=row.id, staff_id=actor,
                      created_at=now)
    session.add(record)
    session.flush()
    if sell_package_id is not None:
        sold = sell(session, business, customer_id=row.customer_id, package_id=sell_package_id,
                    tenders=sale_tenders, checkout_id=record.id)
        record.sold_holding_id = sold.id
        package = sold.id
    paid_by_package = 0
    if package == DEFAULT:
        choice = next((option for option in options(session, business, appointment_id=row.id)
                       if option.is_default), None)
        if choice is None:
            raise InvalidInput({"package": "No package of this customer covers this appointment."})
        package = choice.holding.id
    if package is not None:
        paid_by_package = _redeem(session, business, appointment=appointment, holding_id=package,
                                  checkout_id=record.id, actor=actor, now=now)
    check_tenders(tenders, appointment.due - paid_by_package, business)
    session.add_all(Payment(checkout_id=record.id, appointment_id=row.id, tender=line.tender,
                            amount=line.amount, staff_id=actor, created_at=now) for line in tenders)
    if row.status == AppointmentStatus.BOOKED and row.starts_at <= now:
        # paid at or after its start: she came. Paid ahead, it stays booked (and can be a no-show).
        row.status = AppointmentStatus.COMPLETED
    session.add(row)
    session.add(record)
    session.flush()
    paid = receipt(session, business, record)
    audit.record(session, kind=audit.AuditKind.CHECKOUT, at=now, staff_id=actor, customer_id=row.customer_id,
                 subject=f"appointment {row.id}",
                 detail="; ".join(f"{line.description} {format_money(line.amount, business.currency)}"
                                  for line in paid.payments))
    return paid


def receipt(session: Session, business: Business, record: Checkout, replayed: bool = False) -> Receipt:
    """The receipt of a checkout, rebuilt from what it wrote."""
    return receipt_view(session, business, record, replayed)


# ---- what the checkout screen reads and does --------------------------------------------------

@dataclass(frozen=True, slots=True)
class CheckoutPage:
    """The appointment and every holding of its customer judged against it (the default first)."""

    appointment: AppointmentView
    options: list[Option]

    @property
    def default(self) -> Option | None:
        return next((option for option in self.options if option.is_default), None)


def checkout_page(session: Session, business: Business, *, appointment_id: int) -> CheckoutPage:
    """The appointment and every holding of its customer judged against it, in one read."""
    return CheckoutPage(get_appointment(session, appointment_id),
                        options(session, business, appointment_id=appointment_id))


@dataclass(frozen=True, slots=True)
class Paid:
    """What a checkout did, with the appointment and the used holdings as they are afterwards."""

    receipt: Receipt
    appointment: AppointmentView
    holdings: list[HoldingView]


def pay(
    session: Session, business: Business, *, key: str, appointment_id: int,
    package: int | Literal["default"] | None = None, tenders: Sequence[TenderLine] = (),
    sell_package_id: int | None = None, sale_tenders: Sequence[TenderLine] = (),
) -> Paid:
    """`checkout`, then (in the same transaction) the appointment and the balances it left."""
    receipt = checkout(session, business, key=key, appointment_id=appointment_id,
                       package=package, tenders=tenders, sell_package_id=sell_package_id,
                       sale_tenders=sale_tenders)
    appointment = get_appointment(session, receipt.appointment_id)
    used = {line.holding_id for line in receipt.payments if line.holding_id is not None}
    holdings = [view for view in customer_holdings(session, business, customer_id=appointment.customer_id)
                if view.id in used]
    return Paid(receipt, appointment, holdings)
