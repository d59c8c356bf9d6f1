"""What the business owes for prepaid service, as of any day, and how it moved over a period
(managers). Computed from the ledger entries and the payments up to that day, never from the
cached balances, with the valuation rules of `frontdesk.domain.valuation`.

A period runs from the start of its first local day to the start of the day after its last.
Opening is the liability at its start, closing at its end; every movement in between is valued
as the change in liability it made, so opening + movements = closing, to the cent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from frontdesk.domain.business import Business
from frontdesk.domain.kinds import EntryKind
from frontdesk.domain.periods import local_date
from frontdesk.domain.terms import Contents, Terms, ValueType
from frontdesk.domain.valuation import ROLL_FORWARD, HoldingValue, Movement, days_between
from frontdesk.models import Holding, HoldingLine, LedgerEntry, Payment, Service
from frontdesk.services.roles import require_manager
from frontdesk.services.tenders import MONEY_TENDERS


@dataclass(frozen=True, slots=True)
class RollForward:
    """Opening + each movement = closing, in minor units, for the local days `first_day` to `last_day`."""

    first_day: date
    last_day: date
    opening: int
    movements: dict[Movement, int]  # every one of ROLL_FORWARD, 0 when nothing moved
    closing: int
    assigned_holdings: int = 0  # holdings given free (complimentary, worth 0) in the period
    holdings: dict[int, int] = field(default_factory=dict)  # what each holding is worth at the closing

    @property
    def balanced(self) -> bool:
        return self.opening + sum(self.movements.values()) == self.closing


def _start(day: date, business: Business) -> datetime:
    return datetime.combine(day, time(0), business.tz)


@dataclass
class _Event:
    at: datetime
    order: int  # entries in id order; an expiry after the entries of its moment
    entry: LedgerEntry | None = None
    expiry: bool = False


def _weights(session: Session, terms: Terms) -> list[int]:
    """How a Fixed bundle's price is shared among its lines: the services' list prices × quantity."""
    prices = dict(session.exec(select(Service.id, Service.price)).all())
    return [prices.get(line.service_id, 0) * line.quantity for line in terms.fixed_lines]


def roll_forward(session: Session, business: Business, *, first_day: date, last_day: date) -> RollForward:
    """The liability at the start of `first_day`, what moved it until the end of `last_day` (by
    kind), and the liability then."""
    require_manager(session, "see what the business owes")
    start, end = _start(first_day, business), _start(last_day + timedelta(days=1), business)
    holdings = list(session.exec(select(Holding).where(Holding.purchased_at < end).order_by(Holding.id)))
    lines: dict[int, list[HoldingLine]] = defaultdict(list)
    for line in session.exec(select(HoldingLine).order_by(HoldingLine.holding_id, HoldingLine.position)):
        lines[line.holding_id].append(line)
    entries: dict[int, list[LedgerEntry]] = defaultdict(list)
    for entry in session.exec(select(LedgerEntry).where(LedgerEntry.created_at < end).order_by(LedgerEntry.id)):
        entries[entry.holding_id].append(entry)
    refunds: dict[int, int] = defaultdict(int)  # sale holding → money given back (on its void)
    for payment in session.exec(select(Payment).where(
            col(Payment.sale_holding_id).is_not(None), Payment.amount < 0, col(Payment.tender).in_(MONEY_TENDERS),
            Payment.created_at < end)):
        refunds[payment.sale_holding_id] -= payment.amount

    opening = closing = complimentary = 0
    movements = dict.fromkeys(ROLL_FORWARD, 0)
    worth = {}
    for holding in holdings:
        terms = Terms.from_dict(holding.terms)
        own = lines[holding.id]
        price = 0 if holding.assigned else holding.price_paid
        unlimited = terms.contents is Contents.ANY and terms.value_type is ValueType.UNLIMITED
        bought_on = local_date(holding.purchased_at, business.tz)
        value = HoldingValue(
            price=price, lines=[line.initial for line in own],
            weights=_weights(session, terms) if terms.contents is Contents.FIXED else (),
            unlimited=unlimited,
            validity_days=days_between(bought_on, holding.valid_until) if unlimited and holding.valid_until else None)
        index = {line.id: position for position, line in enumerate(own)}
        events = [_Event(entry.created_at, entry.id, entry=entry) for entry in entries[holding.id]]
        if holding.valid_until is not None:
            expires = _start(holding.valid_until + timedelta(days=1), business)
            if expires < end:
                events.append(_Event(expires, 2**62, expiry=True))
        events.sort(key=lambda event: (event.at, event.order))
        counted_opening = False
        day = bought_on  # the day an unlimited holding's validity has been used up to

        def book(kind: Movement, amount: int, at: datetime) -> None:
            if at >= start:
                movements[kind] += amount

        def pass_days(until: datetime, count: bool = True) -> None:
            """An unlimited holding's days used up to `until` (counted in the period when `count`)."""
            nonlocal day
            target = local_date(until, business.tz)
            if unlimited and target > day:
                used = value.use_days((target - day).days)
                if count:
                    book(Movement.REDEEMED, used, until)
                day = target

        sold_in_period = holding.purchased_at >= start  # not owed at the opening: its sale is a movement

        for event in events:
            if not counted_opening and event.at >= start:
                pass_days(start, count=False)
                opening += 0 if sold_in_period else value.liability
                counted_opening = True
            pass_days(event.at)
            if event.expiry:
                book(Movement.EXPIRED, value.close(), event.at)
                continue
            entry = event.entry
            line = index[entry.line_id]
            match entry.kind:
                case EntryKind.SALE | EntryKind.ASSIGN:  # the holding opens (an entry per line), worth its price
                    if entry.line_id == own[0].id:
                        book(Movement.SOLD if price else Movement.ASSIGNED, price, event.at)
                        if not price and event.at >= start:
                            complimentary += 1
                case EntryKind.REDEEM:  # a redemption and its reversal share (appointment, round)
                    taken = value.redeem(line, -entry.delta, entry=(entry.appointment_id, entry.seq))
                    book(Movement.REDEEMED, taken, event.at)
                case EntryKind.REVERSE:
                    given = value.reverse(line, entry.delta, redemption=(entry.appointment_id, entry.seq))
                    book(Movement.REVERSED, given, event.at)
                case EntryKind.ADJUST:  # units added are complimentary: they move nothing
                    book(Movement.ADJUSTED, value.adjust(line, entry.delta), event.at)
                case EntryKind.VOID:  # (one entry per line: the first closes the holding)
                    written_off = value.close()
                    refunded = max(written_off, -refunds[holding.id])  # as negatives: at most what was written off
                    book(Movement.REFUNDED, refunded, event.at)
                    book(Movement.VOIDED, written_off - refunded, event.at)
        if not counted_opening:
            pass_days(start, count=False)
            opening += 0 if sold_in_period else value.liability
        pass_days(end)
        worth[holding.id] = value.liability
        closing += value.liability
    return RollForward(first_day, last_day, opening, movements, closing, complimentary, worth)
