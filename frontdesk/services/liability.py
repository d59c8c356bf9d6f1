"""What the business owes for prepaid service, as of any day, and how it moved over a period
(managers). Computed from the ledger entries and the payments up to that day, never from the
cached balances, with the valuation rules of `frontdesk.domain.valuation`.

A period runs from the start of its first local day to the start of the day after its last, or
to the desk's clock when that comes first (this month so far). Opening is the liability at its
start, closing at its end; every movement in between is valued as the change in liability it
made, so opening + movements = closing, to the cent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from frontdesk.domain.business import Business
from frontdesk.domain.kinds import EntryKind
from frontdesk.domain.periods import local_date
from frontdesk.domain.terms import Contents, Terms, ValueType
from frontdesk.domain.valuation import (
    AGING,
    ROLL_FORWARD,
    HoldingValue,
    Method,
    Movement,
    aging_bucket,
    days_between,
    method_of,
)
from frontdesk.models import Customer, Holding, HoldingLine, LedgerEntry, Payment, Service
from frontdesk.services.roles import clock, require_manager
from frontdesk.services.tenders import MONEY_TENDERS
from frontdesk.services.views import holding_views


@dataclass(frozen=True, slots=True)
class Behind:
    """One holding's part of a movement: when, how much, and the ledger entry (None for an expiry,
    or an unlimited pass's days going by)."""

    holding_id: int
    at: datetime
    amount: int
    entry_id: int | None


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
    methods: dict[int, Method] = field(default_factory=dict)  # how each holding's worth is worked out
    behind: dict[Movement, list[Behind]] = field(default_factory=dict)  # what makes up each movement

    def by_method(self) -> list[tuple[Method, int, int]]:
        """(method, holdings still worth something or complimentary, their worth) for each method."""
        rows = []
        for method in Method:
            ids = [holding for holding, how in self.methods.items() if how is method and
                   (self.holdings[holding] > 0 or method is Method.COMPLIMENTARY)]
            rows.append((method, len(ids), sum(self.holdings[holding] for holding in ids)))
        return rows

    @property
    def balanced(self) -> bool:
        return self.opening + sum(self.movements.values()) == self.closing


def _start(day: date, business: Business) -> datetime:
    return datetime.combine(day, time(0), business.tz)


def _weights(prices: dict[int, int], terms: Terms) -> list[int]:
    """How a Fixed bundle's price is shared among its lines: the services' list prices × quantity."""
    return [prices.get(line.service_id, 0) * line.quantity for line in terms.fixed_lines]


@dataclass
class _Followed:
    """One holding followed from its opening to the end of a period."""

    opening: int = 0  # worth at the period's start (0 when it opened within the period)
    closing: int = 0
    complimentary: bool = False  # given free within the period
    movements: dict[Movement, int] = field(default_factory=dict)
    behind: dict[Movement, list[Behind]] = field(default_factory=dict)


def _follow(
    holding: Holding, own: list[HoldingLine], entries: list[LedgerEntry], *, refunded: int, prices: dict[int, int],
    business: Business, start: datetime, end: datetime, imported_at: datetime | None = None,
) -> _Followed:
    """Value `holding` through its entries (up to `end`) and the expiries they set: what it was
    worth at `start`, what each movement from `start` on changed, and what it is worth at `end`.
    A holding brought over from another system (`imported_at`) is on the books from its import."""
    terms = Terms.from_dict(holding.terms)
    price = 0 if holding.assigned else holding.price_paid
    unlimited = terms.contents is Contents.ANY and terms.value_type is ValueType.UNLIMITED
    bought_on = local_date(holding.purchased_at, business.tz)
    until = holding.opened_until  # the expiry in force; entries that change it carry the new one
    value = HoldingValue(
        price=price, lines=[line.initial for line in own],
        weights=_weights(prices, terms) if terms.contents is Contents.FIXED else (),
        unlimited=unlimited, validity_days=days_between(bought_on, until) if unlimited and until else None)
    index = {line.id: position for position, line in enumerate(own)}
    followed = _Followed()
    sold_in_period = (imported_at or holding.purchased_at) >= start  # its sale (import) is a movement
    state = {"opened": False, "expired": False, "ended": False, "day": bought_on}  # ended: void or moved away

    def book(kind: Movement, amount: int, at: datetime, entry: int | None = None) -> None:
        if at >= start:
            followed.movements[kind] = followed.movements.get(kind, 0) + amount
            if amount:
                followed.behind.setdefault(kind, []).append(Behind(holding.id, at, amount, entry))

    def pass_days(until_moment: datetime, count: bool = True) -> None:
        """An unlimited holding's days used up to `until_moment` (counted in the period when `count`)."""
        target = local_date(until_moment, business.tz)
        if unlimited and target > state["day"]:
            used = value.use_days((target - state["day"]).days)
            if count:
                book(Movement.REDEEMED, used, until_moment)
            state["day"] = target

    def reach(moment: datetime) -> None:
        """Bring the holding up to `moment`: the period's opening, and an expiry that falls before it."""
        expires = None if until is None else _start(until + timedelta(days=1), business)
        for at, what in sorted(((start, "open"), *(((expires, "expire"),) if expires is not None else ())),
                               key=lambda pair: (pair[0], pair[1] != "open")):
            if at > moment:
                break
            if what == "open" and not state["opened"]:
                pass_days(start, count=False)
                followed.opening = 0 if sold_in_period else value.liability
                state["opened"] = True
            elif what == "expire" and not state["expired"] and not state["ended"]:
                pass_days(at)
                book(Movement.EXPIRED, value.close(), at)
                state["expired"] = True

    for entry in entries:
        reach(entry.created_at)
        pass_days(entry.created_at, count=entry.kind != EntryKind.IMPORT)  # (days before the import: used elsewhere)
        at, line = entry.created_at, index[entry.line_id]
        first_line = entry.line_id == own[0].id
        match entry.kind:
            case EntryKind.SALE | EntryKind.ASSIGN:  # the holding opens (an entry per line), worth its price
                if first_line:
                    book(Movement.SOLD if price else Movement.ASSIGNED, price, at, entry.id)
                    followed.complimentary = not price and at >= start
            case EntryKind.IMPORT:  # opens worth what is left of what was paid: the rest was used elsewhere
                value.redeem(line, own[line].initial - entry.delta)
                if entry.line_id == own[-1].id:  # (an entry per line: booked once, every line taken)
                    book(Movement.IMPORTED, value.liability, at, entry.id)
            case EntryKind.REDEEM:  # a redemption and its reversal share (appointment, round)
                book(Movement.REDEEMED, value.redeem(line, -entry.delta, entry=(entry.appointment_id, entry.seq)),
                     at, entry.id)
            case EntryKind.REVERSE:
                book(Movement.REVERSED, value.reverse(line, entry.delta, redemption=(entry.appointment_id, entry.seq)),
                     at, entry.id)
            case EntryKind.ADJUST:  # units added are complimentary: they move nothing
                book(Movement.ADJUSTED, value.adjust(line, entry.delta), at, entry.id)
            case EntryKind.VOID:  # (one entry per line: the first closes the holding)
                written_off = value.close()
                given = max(written_off, -refunded)  # as negatives: at most what was written off
                book(Movement.REFUNDED, given, at, entry.id)
                book(Movement.VOIDED, written_off - given, at, entry.id)
                state["ended"] = True
            case EntryKind.TRANSFER if holding.source_holding_id is not None and at == holding.purchased_at:
                # arrived (the holding opened with it): worth what moved
                if first_line:
                    book(Movement.TRANSFERRED, price, at, entry.id)
            case EntryKind.TRANSFER:  # moved to another customer (an entry per line: the first closes it)
                book(Movement.TRANSFERRED, value.close(), at, entry.id)
                state["ended"] = True
        if entry.valid_until is not None and entry.valid_until != until:  # the expiry moved
            today = local_date(at, business.tz)
            reopen = state["expired"] and not state["ended"] and entry.valid_until >= today
            moved = value.revalidate(days_more=None if until is None else (entry.valid_until - until).days,
                                     days_left=days_between(max(today, state["day"]), entry.valid_until),
                                     reopen=reopen)
            book(Movement.EXTENDED, moved, at, entry.id)
            until = entry.valid_until
            if reopen:
                state["expired"] = False
    reach(end - timedelta(microseconds=1))
    if not state["opened"]:
        pass_days(start, count=False)
        followed.opening = 0 if sold_in_period else value.liability
    pass_days(end)
    followed.closing = value.liability
    return followed


def roll_forward(session: Session, business: Business, *, first_day: date, last_day: date) -> RollForward:
    """The liability at the start of `first_day`, what moved it until the end of `last_day` (by
    kind), and the liability then."""
    require_manager(session, "see what the business owes")
    start, end = _start(first_day, business), _start(last_day + timedelta(days=1), business)
    now = clock(session)
    if now < end:  # up to now: what has happened, entries of this very moment included
        end = max(start, now + timedelta(microseconds=1))
    holdings = list(session.exec(select(Holding).where(Holding.purchased_at < end).order_by(Holding.id)))
    lines: dict[int, list[HoldingLine]] = defaultdict(list)
    for line in session.exec(select(HoldingLine).order_by(HoldingLine.holding_id, HoldingLine.position)):
        lines[line.holding_id].append(line)
    entries: dict[int, list[LedgerEntry]] = defaultdict(list)
    for entry in session.exec(select(LedgerEntry).where(LedgerEntry.created_at < end)
                              .order_by(LedgerEntry.created_at, LedgerEntry.id)):
        entries[entry.holding_id].append(entry)
    refunds: dict[int, int] = defaultdict(int)  # sale holding → money given back (on its void)
    for payment in session.exec(select(Payment).where(
            col(Payment.sale_holding_id).is_not(None), Payment.amount < 0, col(Payment.tender).in_(MONEY_TENDERS),
            Payment.created_at < end)):
        refunds[payment.sale_holding_id] -= payment.amount

    prices = dict(session.exec(select(Service.id, Service.price)).all())  # read once, for Fixed bundles
    # a holding brought over from another system is on the books from its import, not its purchase
    imported = dict(session.exec(select(LedgerEntry.holding_id, func.min(LedgerEntry.created_at))
                                 .where(LedgerEntry.kind == EntryKind.IMPORT).group_by(LedgerEntry.holding_id)).all())
    opening = closing = complimentary = 0
    movements = dict.fromkeys(ROLL_FORWARD, 0)
    worth, methods = {}, {}
    behind: dict[Movement, list[Behind]] = defaultdict(list)
    for holding in holdings:
        if holding.id in imported and imported[holding.id] >= end:
            continue  # imported after the period
        terms = Terms.from_dict(holding.terms)
        price = 0 if holding.assigned else holding.price_paid
        unlimited = terms.contents is Contents.ANY and terms.value_type is ValueType.UNLIMITED
        money = terms.contents is Contents.ANY and terms.value_type is ValueType.AMOUNT
        methods[holding.id] = method_of(money=money, unlimited=unlimited, paid=price > 0)
        followed = _follow(holding, lines[holding.id], entries[holding.id], refunded=refunds[holding.id],
                           prices=prices, business=business, start=start, end=end,
                           imported_at=imported.get(holding.id))
        opening += followed.opening
        closing += followed.closing
        complimentary += followed.complimentary
        worth[holding.id] = followed.closing
        for kind, amount in followed.movements.items():
            movements[kind] += amount
        for kind, parts in followed.behind.items():
            behind[kind] += parts
    return RollForward(first_day, last_day, opening, movements, closing, complimentary, worth, methods, dict(behind))


def worth_now(session: Session, business: Business, holding: Holding) -> int:
    """What `holding` is worth at the desk's clock (for moving it to another customer)."""
    now = clock(session)
    lines = list(session.exec(select(HoldingLine).where(HoldingLine.holding_id == holding.id)
                              .order_by(HoldingLine.position)))
    entries = list(session.exec(select(LedgerEntry).where(LedgerEntry.holding_id == holding.id)
                                .order_by(LedgerEntry.created_at, LedgerEntry.id)))
    refunded = -sum(session.exec(select(Payment.amount).where(
        Payment.sale_holding_id == holding.id, Payment.amount < 0, col(Payment.tender).in_(MONEY_TENDERS))).all())
    prices = dict(session.exec(select(Service.id, Service.price)).all())
    end = now + timedelta(microseconds=1)
    return _follow(holding, lines, entries, refunded=refunded, prices=prices, business=business,
                   start=end, end=end).closing


# ---- what the managers' Owed screen reads ------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ExpiringRow:
    """A holding with something left that expires soon: who to call."""

    holding_id: int
    customer_id: int
    customer_name: str
    phone: str
    title: str
    balance_text: str
    valid_until: date
    worth: int


@dataclass(frozen=True, slots=True)
class Trends:
    """Week by week (Monday to Sunday, the last one this week so far): money sold, value used, and
    what was owed at each week's end."""

    weeks: list[date]  # each week's Monday
    sold: list[int]
    used: list[int]  # positive: the value redeemed (and days of unlimited passes used)
    owed: list[int]


def trends(session: Session, business: Business, *, weeks: int = 12) -> Trends:
    """The last `weeks` weeks' roll-forwards, for the charts (managers)."""
    today = local_date(clock(session), business.tz)
    monday = today - timedelta(days=today.weekday())
    starts = [monday - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
    rolls = [roll_forward(session, business, first_day=start, last_day=start + timedelta(days=6)) for start in starts]
    return Trends(starts, [roll.movements[Movement.SOLD] for roll in rolls],
                  [-roll.movements[Movement.REDEEMED] for roll in rolls], [roll.closing for roll in rolls])


@dataclass(frozen=True, slots=True)
class OwedPage:
    """The roll-forward of a period, what is owed by method, the call list, and the aging."""

    roll: RollForward
    expiring: list[ExpiringRow]
    within_days: int
    aging: list[tuple[str, int, int]] = field(default_factory=list)  # (bucket, holdings, worth) of live ones


def owed_page(
    session: Session, business: Business, *, first_day: date, last_day: date, within_days: int = 14,
) -> OwedPage:
    """The period's roll-forward (managers), and every holding with balance left that expires in
    the next `within_days` days (soonest first), with the customer's phone."""
    roll = roll_forward(session, business, first_day=first_day, last_day=last_day)
    today = local_date(clock(session), business.tz)
    rows = session.exec(
        select(Holding, Customer).join(Customer, col(Customer.id) == Holding.customer_id)
        .where(col(Holding.voided_at).is_(None), col(Holding.valid_until).is_not(None),
               col(Holding.valid_until) >= today, col(Holding.valid_until) <= today + timedelta(days=within_days))
        .order_by(Holding.valid_until, Customer.name, Holding.id)).all()
    views = {view.id: view for view in holding_views(session, [holding for holding, _ in rows], business,
                                                      clock(session))}
    expiring = [
        ExpiringRow(holding.id, customer.id, customer.name, customer.phone, holding.title,
                    views[holding.id].balance_text, holding.valid_until,
                    roll.holdings.get(holding.id, 0))
        for holding, customer in rows
        if views[holding.id].remaining > 0 or views[holding.id].terms.value_type is ValueType.UNLIMITED
    ]
    return OwedPage(roll, expiring, within_days, _aging(session, business, roll, today))


def _aging(session: Session, business: Business, roll: RollForward, today: date) -> list[tuple[str, int, int]]:
    """Holdings still usable (not void, not expired, something left), by days since their last
    use (or their purchase, when never used): how many, and what they are worth."""
    last_use = dict(session.exec(select(LedgerEntry.holding_id, func.max(LedgerEntry.created_at))
                                 .where(LedgerEntry.kind == EntryKind.REDEEM).group_by(LedgerEntry.holding_id)).all())
    left: dict[int, int] = defaultdict(int)
    for holding_id, remaining in session.exec(select(HoldingLine.holding_id, HoldingLine.remaining)):
        left[holding_id] += remaining
    buckets = {label: [0, 0] for _, _, label in AGING}
    for holding in session.exec(select(Holding).where(col(Holding.voided_at).is_(None))):
        unlimited = Terms.from_dict(holding.terms).value_type is ValueType.UNLIMITED
        expired = holding.valid_until is not None and holding.valid_until < today
        if expired or holding.id not in roll.holdings or not (left[holding.id] or unlimited):
            continue
        since = local_date(last_use.get(holding.id) or holding.purchased_at, business.tz)
        bucket = buckets[aging_bucket((today - since).days)]
        bucket[0] += 1
        bucket[1] += roll.holdings[holding.id]
    return [(label, count, worth) for label, (count, worth) in buckets.items()]


@dataclass(frozen=True, slots=True)
class MovementLine:
    """A line behind a roll-forward figure, in words."""

    at: datetime
    customer_name: str
    title: str
    amount: int
    what: str  # the entry's note, or "expired unused", "days of the pass used"


def movement_lines(
    session: Session, business: Business, *, first_day: date, last_day: date, movement: Movement,
) -> list[MovementLine]:
    """What makes up one figure of the period's roll-forward, newest first (managers)."""
    roll = roll_forward(session, business, first_day=first_day, last_day=last_day)
    parts = roll.behind.get(movement, [])
    holdings = {row.id: row for row in session.exec(select(Holding).where(
        col(Holding.id).in_({part.holding_id for part in parts})))} if parts else {}
    names = dict(session.exec(select(Customer.id, Customer.name).where(
        col(Customer.id).in_({row.customer_id for row in holdings.values()}))).all()) if holdings else {}
    notes = dict(session.exec(select(LedgerEntry.id, LedgerEntry.note).where(
        col(LedgerEntry.id).in_({part.entry_id for part in parts} - {None}))).all()) if parts else {}
    default = {Movement.EXPIRED: "expired unused", Movement.REDEEMED: "days of the pass used"}
    lines = [MovementLine(part.at, names.get(holdings[part.holding_id].customer_id, ""),
                          holdings[part.holding_id].title, part.amount,
                          notes.get(part.entry_id) or default.get(movement, "") if part.entry_id else
                          default.get(movement, ""))
             for part in parts]
    return sorted(lines, key=lambda line: line.at, reverse=True)
