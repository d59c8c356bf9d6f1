"""Plain read models the screens receive, and the conversions from table rows.

Rows never leave a session: every use case returns these frozen dataclasses instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import exists, func
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, col, select

from frontdesk.domain.business import Business
from frontdesk.domain.coverage import AppointmentFacts, Coverage, Hold, HoldingFacts, LineBalance, holds_on
from frontdesk.domain.describe import (
    HoldingStatus,
    describe_amount,
    describe_balance,
    describe_cover,
    describe_expiry,
    describe_held,
    describe_restrictions,
    status,
)
from frontdesk.domain.facts import held_on
from frontdesk.domain.kinds import AppointmentStatus, EntryKind, Role, Tender
from frontdesk.domain.periods import local_date
from frontdesk.domain.terms import Terms, summary
from frontdesk.models import (
    Appointment,
    Checkout,
    Customer,
    Holding,
    HoldingLine,
    LedgerEntry,
    Payment,
    Provider,
    Service,
    Staff,
)


@dataclass(frozen=True, slots=True)
class StaffView:
    """Someone who works at the desk, and whether they may do a manager's work."""

    id: int
    name: str
    role: Role
    active: bool

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER


@dataclass(frozen=True, slots=True)
class CatalogueRow:
    """A named row of the catalogue that is archived, never deleted, once used."""

    id: int
    name: str
    archived: bool


@dataclass(frozen=True, slots=True)
class ProviderView(CatalogueRow):
    """Who gives the treatments (a bookable resource)."""


@dataclass(frozen=True, slots=True)
class ServiceView(CatalogueRow):
    """A bookable service with its default length and list price (minor units)."""

    duration_min: int
    price: int


@dataclass(frozen=True, slots=True)
class PackageView:
    """A catalogue package: its current terms in words, and how often it was sold."""

    id: int
    terms: Terms
    summary: str
    archived: bool
    sold_count: int  # holdings made from it; editing never changes their terms

    @property
    def title(self) -> str:
        return self.terms.title


@dataclass(frozen=True, slots=True)
class CustomerView:
    """A customer's contact details."""

    id: int
    name: str
    phone: str
    email: str
    note: str


@dataclass(frozen=True, slots=True)
class HoldingView:
    """A customer's package with its balance and plain words for the screens."""

    id: int
    customer_id: int
    title: str
    terms: Terms
    purchased_at: datetime
    valid_until: date | None
    assigned: bool
    voided: bool
    lines: tuple[LineBalance, ...]
    status: HoldingStatus
    balance_text: str  # "3 of 5 visits", "3 of 5 visits · 1 held"
    expiry_text: str  # "expires 12 Mar, in 9 days"
    restrictions_text: str  # "Mondays · 10:00–13:00"
    summary: str
    covers_text: str = ""  # "Mondays 10:00–13:00 · Swedish Massage", "all services"
    paid_money: int = 0  # money paid for it (cash, card, other), less refunds: what a void may refund
    paid_tender: Tender | None = None  # how most of that money was paid
    frozen: tuple[date, date] | None = None  # a freeze in force or to come (local days)
    moved: bool = False  # its balance was moved to another customer
    holds: tuple[Hold, ...] = ()  # what its booked appointments hold on it until their checkout
    held_text: str = ""  # "1 held", "$80.00 held", "3 held, 2 more than is left"; "" when nothing is held

    @property
    def facts(self) -> HoldingFacts:
        return HoldingFacts(
            id=self.id, customer_id=self.customer_id, terms=self.terms,
            purchased_at=self.purchased_at, valid_until=self.valid_until,
            voided=self.voided, lines=self.lines, frozen=self.frozen, moved=self.moved, holds=self.holds,
        )

    @property
    def remaining(self) -> int:
        return sum(line.remaining for line in self.lines)

    @property
    def held(self) -> int:
        """What its booked appointments hold, in its unit."""
        return sum(hold.units for hold in self.holds)

    @property
    def available(self) -> int:
        """What is left and not held by a booking, in its unit (never below 0 on any line)."""
        return sum(max(0, line.remaining - held_on(self.holds, line.line_id)) for line in self.lines)


@dataclass(frozen=True, slots=True)
class AppointmentView:
    """An appointment with the names it refers to and what has been paid of it."""

    id: int
    customer_id: int
    customer_name: str
    service_id: int
    service_name: str
    provider_id: int | None
    provider_name: str | None
    starts_at: datetime
    duration_min: int
    price: int
    paid: int
    status: AppointmentStatus
    cover_holding_id: int | None
    paid_from: str | None = None  # the package of its standing redemption, if one paid it
    paid_money: int = 0  # paid in cash, card or other, less refunds: what cancelling may refund
    paid_tender: Tender | None = None  # how most of that money was paid
    refunded: int = 0  # money given back for it (cash, card, other), minor units
    checked_out: bool = False  # a checkout stands for it (one not undone by reversing its redemption)

    @property
    def due(self) -> int:
        return max(self.price - self.paid, 0)

    @property
    def is_paid(self) -> bool:
        """Paid in full. A free appointment (price 0) is paid once checked out, from a package or
        as it is, so that a visits package can still pay it."""
        return self.paid >= self.price and (self.price > 0 or self.checked_out)

    @property
    def needs_payment(self) -> bool:
        """Booked or completed and not paid in full (cancelled and no-shows owe nothing unless
        charged)."""
        return self.status in (AppointmentStatus.BOOKED, AppointmentStatus.COMPLETED) and not self.is_paid

    @property
    def facts(self) -> AppointmentFacts:
        return AppointmentFacts(
            id=self.id, customer_id=self.customer_id, service_id=self.service_id,
            service_name=self.service_name, provider_id=self.provider_id,
            provider_name=self.provider_name, starts_at=self.starts_at,
            duration_min=self.duration_min, price=self.price, due=self.due, paid_from=self.paid_from,
        )


@dataclass(frozen=True, slots=True)
class Option:
    """One of a customer's holdings judged against an appointment, for the checkout screen."""

    holding: HoldingView
    coverage: Coverage
    is_default: bool


@dataclass(frozen=True, slots=True)
class LedgerLine:
    """One line of a customer's balance history: a ledger entry, or a refund (`kind` REFUND: the
    money given back, `delta` its negative amount, `holding_title` what it was for)."""

    id: int  # the entry's id, or the refund payment's
    at: datetime
    holding_id: int | None
    holding_title: str
    kind: EntryKind | str  # an EntryKind, or REFUND
    delta: int
    delta_text: str  # "-1 visit", "+$40.00", "-$60.00 card"
    balance_after: int
    balance_text: str  # the holding line's balance after the entry, in its unit ("—" for a refund)
    appointment_id: int | None
    staff_name: str
    note: str

    @property
    def key(self) -> str:
        """Unique among the lines of a history: "e12" (entry 12), "r3" (refund 3)."""
        return f"{'r' if self.kind == REFUND else 'e'}{self.id}"

    @property
    def cursor(self) -> HistoryCursor:
        """Where the line stands in the history's order (newest first: by time, then entries
        before refunds of the same moment, then id); the next page starts before it."""
        return (self.at, REFUND_RANK if self.kind == REFUND else ENTRY_RANK, self.id)


REFUND = "refund"  # the kind of a history line that is money given back
ENTRY_RANK, REFUND_RANK = 1, 0
HistoryCursor = tuple[datetime, int, int]  # (at, rank, id) of a history line


@dataclass(frozen=True, slots=True)
class PaymentLine:
    """One line of a receipt: a tender and its amount, in words."""

    tender: Tender
    amount: int
    holding_id: int | None
    holding_title: str | None
    description: str  # "1 visit from Massage Pack — 4 of 5 visits left", "card"


@dataclass(frozen=True, slots=True)
class Receipt:
    """What a checkout did: the tenders, and each used holding's balance afterwards."""

    checkout_id: int
    key: str
    appointment_id: int | None
    sold_holding_id: int | None
    payments: tuple[PaymentLine, ...]
    total: int
    replayed: bool = False  # True when a retry returned the first result


@dataclass(frozen=True, slots=True)
class Mismatch:
    """A holding line whose cached balance differs from the sum of its ledger entries."""

    holding_id: int
    line_id: int
    cached: int
    ledger_sum: int


# ---- conversions ------------------------------------------------------------------------------

def staff_view(row: Staff) -> StaffView:
    return StaffView(id=row.id, name=row.name, role=Role(row.role), active=row.active)


def service_view(row: Service) -> ServiceView:
    return ServiceView(id=row.id, name=row.name, duration_min=row.duration_min, price=row.price,
                       archived=row.archived)


def provider_view(row: Provider) -> ProviderView:
    return ProviderView(id=row.id, name=row.name, archived=row.archived)


def customer_view(row: Customer) -> CustomerView:
    return CustomerView(id=row.id, name=row.name, phone=row.phone, email=row.email, note=row.note)


def holding_views(
    session: Session, rows: Sequence[Holding], business: Business, now: datetime
) -> list[HoldingView]:
    """Read models for `rows`, their balance lines loaded fresh from the database."""
    ids = [row.id for row in rows]
    lines: dict[int, list[LineBalance]] = {holding_id: [] for holding_id in ids}
    if ids:
        statement = (
            select(HoldingLine)
            .where(col(HoldingLine.holding_id).in_(ids))
            .order_by(HoldingLine.holding_id, HoldingLine.position)
            .execution_options(populate_existing=True)
        )
        for line in session.exec(statement):
            lines[line.holding_id].append(
                LineBalance(line_id=line.id, service_id=line.service_id, initial=line.initial,
                            remaining=line.remaining)
            )
    money = _money_paid(session.exec(
        select(Payment.sale_holding_id, Payment.tender, Payment.amount)
        .where(col(Payment.sale_holding_id).in_(ids), Payment.tender != Tender.PACKAGE))) if ids else {}
    moved = set(session.exec(select(Holding.source_holding_id).where(
        col(Holding.source_holding_id).in_(ids)))) if ids else set()
    today = local_date(now, business.tz)
    views = []
    all_facts = []
    for row in rows:
        frozen = (row.frozen_from, row.frozen_until) if row.frozen_from and row.frozen_until \
            and row.frozen_until >= today else None
        all_facts.append(HoldingFacts(
            id=row.id, customer_id=row.customer_id, terms=Terms.from_dict(row.terms), purchased_at=row.purchased_at,
            valid_until=row.valid_until, voided=row.voided_at is not None,
            lines=tuple(lines[row.id]), frozen=frozen, moved=row.id in moved,
        ))
    for row, facts in zip(rows, with_holds(session, all_facts, business, now), strict=True):
        terms, frozen = facts.terms, facts.frozen
        views.append(HoldingView(
            id=row.id, customer_id=row.customer_id, title=row.title, terms=terms,
            purchased_at=row.purchased_at, valid_until=row.valid_until, assigned=row.assigned,
            voided=facts.voided, lines=facts.lines,
            status=status(facts, now, tz=business.tz),
            balance_text=describe_balance(terms, facts.lines, business.currency, facts.holds),
            holds=facts.holds, held_text=describe_held(terms, facts.lines, facts.holds, business.currency),
            expiry_text=describe_expiry(row.valid_until, now, tz=business.tz, terms=terms, frozen=frozen),
            restrictions_text=describe_restrictions(terms), covers_text=describe_cover(terms),
            summary=summary(terms, business.currency),
            paid_money=money.get(row.id, (0, None))[0], paid_tender=money.get(row.id, (0, None))[1],
            frozen=frozen, moved=facts.moved,
        ))
    return views


def with_holds(
    session: Session, holdings: Sequence[HoldingFacts], business: Business, now: datetime,
    booked: Iterable[Sequence[Any]] | None = None,
) -> list[HoldingFacts]:
    """`holdings` with what their booked appointments hold on them (`coverage.holds_on`): the
    appointments booked "to be covered by" one of them, still booked, not paid (by a standing
    redemption or in full by money). Read in one batch for all of them (by the holdings' customers, an indexed
    column), fresh from the database: after `ledger.lock_holding` this counts every booking
    committed before the lock. A caller that read them already (the `booked_columns` of each, in
    a statement of its own) passes them as `booked`."""
    ids = [holding.id for holding in holdings]
    if not ids:
        return list(holdings)
    if booked is None:
        appointment = Appointment.__table__
        booked = session.execute(
            select(*booked_columns(appointment))
            .where(appointment.c.customer_id.in_({holding.customer_id for holding in holdings}),
                   appointment.c.cover_holding_id.in_(ids), appointment.c.status == AppointmentStatus.BOOKED)
        ).all()
    by_holding: dict[int, list[AppointmentFacts]] = {}
    for (appointment_id, customer_id, service_id, provider_id, starts_at, duration, price, holding_id,
         paid_so_far, standing) in booked:
        if standing or 0 < price <= paid_so_far:
            continue  # its redemption stands for it (or money paid it in full): it holds nothing more
        by_holding.setdefault(holding_id, []).append(AppointmentFacts(
            id=appointment_id, customer_id=customer_id, service_id=service_id, service_name="",
            provider_id=provider_id, provider_name=None, starts_at=starts_at, duration_min=duration,
            price=price, due=max(price - int(paid_so_far), 0)))
    return [replace(holding, holds=holds_on(holding, by_holding[holding.id], now, tz=business.tz,
                                            currency=business.currency))
            if holding.id in by_holding else holding for holding in holdings]


def booked_columns(appointment: Any) -> list[Any]:
    """What `with_holds` reads of a booked appointment (`appointment`: the table or an alias of
    it): its facts, its holding, what was paid of it and whether a redemption stands for it."""
    payment = Payment.__table__
    return [appointment.c.id, appointment.c.customer_id, appointment.c.service_id, appointment.c.provider_id,
            appointment.c.starts_at, appointment.c.duration_min, appointment.c.price, appointment.c.cover_holding_id,
            select(func.coalesce(func.sum(payment.c.amount), 0)).where(payment.c.appointment_id == appointment.c.id)
            .scalar_subquery(),
            standing_exists(appointment.c.id)]


def _money_paid(rows: Iterable[tuple[int, str, int]]) -> dict[int, tuple[int, Tender | None]]:
    """(owner, tender, amount) money payments → each owner's net money paid and the tender that
    paid the most of it."""
    by_tender: dict[int, dict[str, int]] = {}
    for owner, tender, amount in rows:
        tenders = by_tender.setdefault(owner, {})
        tenders[tender] = tenders.get(tender, 0) + amount
    return {owner: (sum(tenders.values()), Tender(max(tenders, key=lambda tender: tenders[tender])))
            for owner, tenders in by_tender.items()}


def appointment_views(session: Session, rows: Sequence[Appointment]) -> list[AppointmentView]:
    """Read models for appointments, with names and what has been paid."""
    if not rows:
        return []
    ids = [row.id for row in rows]
    paid: dict[int, int] = {}
    refunded: dict[int, int] = {}
    money_rows: list[tuple[int, str, int]] = []
    for appointment_id, amount, tender in session.exec(
        select(Payment.appointment_id, Payment.amount, Payment.tender).where(col(Payment.appointment_id).in_(ids))
    ):
        paid[appointment_id] = paid.get(appointment_id, 0) + amount
        if tender != Tender.PACKAGE:
            money_rows.append((appointment_id, tender, amount))
            if amount < 0:
                refunded[appointment_id] = refunded.get(appointment_id, 0) - amount
    money = _money_paid(money_rows)
    rounds = _redemption_rounds(session, ids)
    standing = _standing(rounds)
    titles = {}
    if standing:
        titles = {holding_id: title for holding_id, title in session.exec(select(Holding.id, Holding.title).where(
            col(Holding.id).in_({entry.holding_id for entry in standing.values()})))}
    checkouts: dict[int, int] = {}  # counted for free appointments only: what "paid" means for them
    free = [row.id for row in rows if row.price == 0]
    for appointment_id in session.exec(select(Checkout.appointment_id).where(
            col(Checkout.appointment_id).in_(free), ~col(Checkout.key).startswith("refund-"))) if free else ():
        checkouts[appointment_id] = checkouts.get(appointment_id, 0) + 1
    reversals = {appointment_id: sum(EntryKind.REVERSE in entries for entries in by_round.values())
                 for appointment_id, by_round in rounds.items()}
    customers = _names(session, Customer, {row.customer_id for row in rows})
    services = _names(session, Service, {row.service_id for row in rows})
    providers = _names(session, Provider, {row.provider_id for row in rows if row.provider_id})
    return [
        AppointmentView(
            id=row.id, customer_id=row.customer_id, customer_name=customers[row.customer_id],
            service_id=row.service_id, service_name=services[row.service_id],
            provider_id=row.provider_id,
            provider_name=providers.get(row.provider_id) if row.provider_id else None,
            starts_at=row.starts_at, duration_min=row.duration_min, price=row.price,
            paid=paid.get(row.id, 0), status=AppointmentStatus(row.status), cover_holding_id=row.cover_holding_id,
            paid_from=titles[standing[row.id].holding_id] if row.id in standing else None,
            refunded=refunded.get(row.id, 0),
            paid_money=money.get(row.id, (0, None))[0], paid_tender=money.get(row.id, (0, None))[1],
            checked_out=checkouts.get(row.id, 0) > reversals.get(row.id, 0),
        )
        for row in rows
    ]


def receipt_view(session: Session, business: Business, record: Checkout, replayed: bool = False) -> Receipt:
    """The receipt of a checkout, rebuilt from what it wrote."""
    lines = []
    payments = session.exec(select(Payment).where(Payment.checkout_id == record.id).order_by(Payment.id)).all()
    for payment in payments:
        if payment.tender == Tender.PACKAGE:
            entry = session.get(LedgerEntry, payment.entry_id)
            holding = session.get(Holding, payment.holding_id)
            lines.append(package_line(business, amount=payment.amount, holding_id=holding.id, title=holding.title,
                                      terms=Terms.from_dict(holding.terms), taken=entry.note,
                                      balance_after=entry.balance_after, note=payment.note))
        else:
            sold = session.get(Holding, payment.sale_holding_id) if payment.sale_holding_id is not None else None
            lines.append(money_line(Tender(payment.tender), payment.amount, note=payment.note,
                                    sold_holding_id=payment.sale_holding_id, sold_title=sold.title if sold else None))
    return receipt_of(record.id, record.key, record.appointment_id, record.sold_holding_id, lines, replayed)


def receipt_of(checkout_id: int, key: str, appointment_id: int | None, sold_holding_id: int | None,
               lines: Sequence[PaymentLine], replayed: bool = False) -> Receipt:
    """A receipt of its payment lines (in the order they were written)."""
    return Receipt(checkout_id=checkout_id, key=key, appointment_id=appointment_id,
                   sold_holding_id=sold_holding_id, payments=tuple(lines),
                   total=sum(line.amount for line in lines), replayed=replayed)


def package_line(business: Business, *, amount: int, holding_id: int, title: str, terms: Terms, taken: str,
                 balance_after: int, note: str = "") -> PaymentLine:
    """A receipt line paid from a package: what its ledger entry took (`taken`, the entry's note) and
    what is left after it ("1 visit from Massage Pack, 4 of 5 visits left")."""
    description = f"{taken} from {title}, {describe_amount(terms, balance_after, business.currency)} left"
    if amount < 0 and note:
        description += f" — {note}"
    return PaymentLine(tender=Tender.PACKAGE, amount=amount, holding_id=holding_id, holding_title=title,
                       description=description)


def money_line(tender: Tender, amount: int, *, note: str = "", sold_holding_id: int | None = None,
               sold_title: str | None = None) -> PaymentLine:
    """A receipt line paid (or refunded, when negative) in money; for a package sold, "card for Massage Pack"."""
    if sold_holding_id is not None:
        description = f"{tender} {'refund ' if amount < 0 else ''}for {sold_title}"
    else:
        description = f"{tender} refund" if amount < 0 else str(tender)
    if amount < 0 and note:
        description += f" — {note}"
    return PaymentLine(tender=tender, amount=amount, holding_id=sold_holding_id, holding_title=sold_title,
                       description=description)


Rounds = dict[int, dict[int, dict[str, LedgerEntry]]]  # appointment → round → kind → entry


def _redemption_rounds(session: Session, appointment_ids: Sequence[int]) -> Rounds:
    """The redemptions and reversals of `appointment_ids`, by appointment and round (`seq`)."""
    rounds: Rounds = {}
    for entry in session.exec(select(LedgerEntry).where(
            col(LedgerEntry.appointment_id).in_(appointment_ids),
            col(LedgerEntry.kind).in_((EntryKind.REDEEM, EntryKind.REVERSE)))):
        rounds.setdefault(entry.appointment_id, {}).setdefault(entry.seq, {})[entry.kind] = entry
    return rounds


def _standing(rounds: Rounds) -> dict[int, LedgerEntry]:
    """Each appointment's standing redemption: its latest round's, unless that was reversed."""
    standing = {}
    for appointment_id, by_round in rounds.items():
        last = by_round[max(by_round)]
        if EntryKind.REDEEM in last and EntryKind.REVERSE not in last:
            standing[appointment_id] = last[EntryKind.REDEEM]
    return standing


def standing_redemptions(session: Session, appointment_ids: Sequence[int]) -> dict[int, LedgerEntry]:
    """The redemption that stands for each of `appointment_ids` that has one."""
    return _standing(_redemption_rounds(session, appointment_ids))


def next_round(session: Session, appointment_id: int) -> int:
    """The round (`seq`) a new redemption of the appointment belongs to: how many were reversed.
    While a redemption stands, that is its own round, so the database refuses a second one."""
    rounds = _redemption_rounds(session, [appointment_id]).get(appointment_id, {})
    return sum(EntryKind.REVERSE in entries for entries in rounds.values())


def current_round(appointment_id: Any) -> Any:
    """SQL for `next_round`: the number of the appointment's reversals (`appointment_id` a column or
    a value), to use inside a larger statement."""
    reversal = LedgerEntry.__table__.alias("reversal")
    return (select(func.count()).select_from(reversal)
            .where(reversal.c.appointment_id == appointment_id, reversal.c.kind == EntryKind.REVERSE)
            .correlate_except(reversal)  # to the appointment however deep it sits (`standing_exists`)
            .scalar_subquery())


def _standing_redeem(appointment_id: Any) -> tuple[Any, list[Any]]:
    """The ledger entry table aliased as the standing redemption of `appointment_id`, and its
    conditions: a redemption of the current round. The database makes a redemption's round the
    number of reversals before it, and a reversal carries the round of what it gives back, so a
    redemption stands exactly when its round is the count of reversals (`_standing` in SQL)."""
    redeem = LedgerEntry.__table__.alias("standing")
    return redeem, [redeem.c.appointment_id == appointment_id, redeem.c.kind == EntryKind.REDEEM,
                    redeem.c.seq == current_round(appointment_id)]


def standing_exists(appointment_id: Any) -> Any:
    """SQL: whether a redemption stands for the appointment (`standing_redemptions` in one expression)."""
    _, conditions = _standing_redeem(appointment_id)
    return exists().where(*conditions)


def standing_title(appointment_id: Any) -> Any:
    """SQL: the title of the package whose redemption stands for the appointment (None when none)."""
    redeem, conditions = _standing_redeem(appointment_id)
    holding = Holding.__table__
    return (select(holding.c.title).select_from(redeem.join(holding, holding.c.id == redeem.c.holding_id))
            .where(*conditions).scalar_subquery())


def _names(session: Session, table: type, ids: set[int]) -> dict[int, str]:
    """The names of rows `ids` of `table`: those this transaction has loaded already, and the
    others in one query."""
    names = {}
    for row_id in ids:
        row = session.identity_map.get(identity_key(table, row_id))
        if row is not None:
            names[row_id] = row.name
    missing = ids - names.keys()
    if missing:
        names.update(session.exec(select(table.id, table.name).where(col(table.id).in_(missing))).all())
    return names
