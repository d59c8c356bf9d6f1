"""Checkout: pay an appointment from a package (redeem) and/or with money tenders — or sell a
package and apply it — in one transaction; and what the checkout screen reads.

A checkout locks the appointment, then the holding's lines, re-checks coverage on the fresh
balance, spends with a conditional UPDATE, writes the ledger entry and the payments. It carries a
key made when it started: a retry with the same key returns the first receipt. One appointment
can be redeemed once: a unique index refuses a second redemption.

On PostgreSQL each statement is a round trip to the server, taken while the locks are held, so a
redemption is three: the appointment and the holdings locked and read; the checkout record written
with what the customer's bookings hold (read after both locks); the spending, its ledger entry, the
payment and the audit event (data-modifying CTEs). SQLite, which has no such CTEs and no round
trips, sends them one by one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from datetime import datetime
from typing import Any, Literal, NamedTuple

from sqlalchemy import Row, Text, and_, bindparam, case, cast, exists, func, insert, literal, true, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal
from sqlmodel import Session, select

from frontdesk.domain.bounds import text_problem
from frontdesk.domain.business import Business
from frontdesk.domain.coverage import HoldingFacts, LineBalance, covers, default_choice, rank
from frontdesk.domain.kinds import AppointmentStatus, EntryKind, Tender
from frontdesk.domain.money import format_money
from frontdesk.domain.terms import terms_from_json
from frontdesk.domain.lifecycle import first_visit_expiry
from frontdesk.models import (
    Appointment,
    AuditEvent,
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
from frontdesk.services import audit
from frontdesk.services.appointments import customer_holdings, get_appointment
from frontdesk.services.errors import AlreadyPaid, FrontDeskError, InvalidInput, NoBalanceLeft, NotCovered, NotFound
from frontdesk.services.ledger import entry_note, spend, write_entry
from frontdesk.services.roles import acting, clock, require_staff
from frontdesk.services.sales import TenderLine, check_tenders, sell
from frontdesk.services.views import (
    AppointmentView,
    HoldingView,
    Option,
    PaymentLine,
    Receipt,
    booked_columns,
    current_round,
    money_line,
    package_line,
    receipt_of,
    receipt_view,
    standing_title,
    with_holds,
)

APPOINTMENT, AUDIT_EVENT, CHECKOUT, CUSTOMER, HOLDING, HOLDING_LINE, LEDGER_ENTRY, PAYMENT, PROVIDER, SERVICE, STAFF = (
    model.__table__ for model in (Appointment, AuditEvent, Checkout, Customer, Holding, HoldingLine, LedgerEntry,
                                  Payment, Provider, Service, Staff))  # the tables: checkout writes plain statements
INSERT_PAYMENT = insert(PAYMENT)

class _Returned(ColumnElement[Any]):
    """A subquery in a RETURNING clause with its columns named with their tables: SQLite's
    compiler names a RETURNING clause's columns bare (`id`), the subqueries' too, which SQLite
    then finds ambiguous with the written table's."""

    inherit_cache = True
    _traverse_internals = [("element", InternalTraversal.dp_clauseelement)]

    def __init__(self, element: ColumnElement[Any]) -> None:
        self.element = element
        self.type = element.type


@compiles(_Returned)
def _compile_returned(element: _Returned, compiler: Any, **kw: Any) -> str:
    kw.pop("include_table", None)
    return compiler.process(element.element, **kw)


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
    `sale_tenders`) and applied to this appointment in the same transaction.

    A redemption is a handful of statements (see `_lock_appointment`, `_open_checkout`,
    `_redeem`): what is read comes with the locks and the writes, and the receipt is made from
    what was written."""
    actor = acting(session)
    if actor is None:
        require_staff(session)  # says why not
    if problem := key_problem(key):
        raise InvalidInput({"key": problem})
    now = clock(session)
    # PostgreSQL takes the package's locks with the appointment's, and reads the bookings that hold
    # it with the checkout record (after both locks): fewer round trips, the same reads
    ahead = session.get_bind().dialect.name != "sqlite" and package is not None and sell_package_id is None
    locked, held = _lock_appointment(session, appointment_id=appointment_id, key=key, actor=actor, now=now,
                                     holdings=package if ahead else None)
    if not locked.staff_active:
        require_staff(session)  # says why not
    opened, booked = _open_checkout(session, locked, key=key, actor=actor, now=now, with_bookings=ahead)
    if opened is None:  # the key was used before: the first checkout's receipt, or a refusal
        existing = session.exec(select(Checkout).where(Checkout.key == key)).one()
        if existing.appointment_id != appointment_id:
            raise InvalidInput({"key": "This checkout key belongs to another appointment."})
        return receipt(session, business, existing, replayed=True)
    appointment = AppointmentView(
        id=locked.id, customer_id=locked.customer_id, customer_name=opened.customer_name,
        service_id=locked.service_id, service_name=opened.service_name, provider_id=locked.provider_id,
        provider_name=opened.provider_name, starts_at=locked.starts_at, duration_min=locked.duration_min,
        price=locked.price, paid=int(opened.paid), status=AppointmentStatus(locked.status),
        cover_holding_id=locked.cover_holding_id, paid_from=opened.paid_from,
        checked_out=opened.checkouts > opened.round,
    )  # what a checkout needs of `appointment_views` (the money paid and refunded by tender aside)
    refusal = unpayable(appointment)
    if refusal is not None:
        raise refusal
    lines: list[PaymentLine] = []
    taking: _Taking | None = None  # PostgreSQL: the redemption decided, written with the audit event
    if sell_package_id is not None:
        sold = sell(session, business, customer_id=locked.customer_id, package_id=sell_package_id,
                    tenders=sale_tenders, checkout_id=opened.id)
        session.execute(update(CHECKOUT).where(CHECKOUT.c.id == opened.id).values(sold_holding_id=sold.id))
        package = sold.id
    if package is not None:
        line, taking = _redeem(session, business, appointment=appointment,
                               holding_id=None if package == DEFAULT else package, checkout_id=opened.id,
                               actor=actor, now=now, round=opened.round, others_booked=opened.others_booked,
                               locked=(held, booked) if ahead else None)
        lines.append(line)
    check_tenders(tenders, appointment.due - sum(line.amount for line in lines), business)
    if taking is not None and (tenders or sell_package_id is not None):  # written before what follows it
        _write_taking(session, taking, event=None)  # (the receipt lists payments in the order written)
        taking = None
    if tenders:
        session.execute(INSERT_PAYMENT, [
            dict(checkout_id=opened.id, appointment_id=locked.id, tender=line.tender, amount=line.amount,
                 staff_id=actor, created_at=now, note="") for line in tenders])
        lines += [money_line(line.tender, line.amount) for line in tenders]
    if sell_package_id is not None:  # the sale's payments are on the receipt too: read it back
        session.expire_all()  # the sold holding as the statements above left it
        paid = receipt(session, business, session.get(Checkout, opened.id))
    else:
        paid = receipt_of(opened.id, key, locked.id, None, lines)
    event = dict(kind=audit.AuditKind.CHECKOUT, at=now, staff_id=actor, customer_id=locked.customer_id,
                 subject=f"appointment {locked.id}",
                 detail="; ".join(f"{line.description} {format_money(line.amount, business.currency)}"
                                  for line in paid.payments))
    if taking is not None:
        _write_taking(session, taking, event=audit.event(**event))
    else:
        audit.record_now(session, **event)
    return paid


class _Locked(NamedTuple):
    """The appointment as `_lock_appointment` read it, and whether the person acting is active staff."""

    id: int
    customer_id: int
    service_id: int
    provider_id: int | None
    starts_at: datetime
    duration_min: int
    price: int
    status: str
    cover_holding_id: int | None
    staff_active: bool | None


Held = list[tuple[HoldingFacts, str, int]]  # holdings as `_lock_holdings` reads them: (facts, title, id)


def _lock_appointment(
    session: Session, *, appointment_id: int, key: str, actor: int, now: datetime,
    holdings: int | Literal["default"] | None = None,
) -> tuple[_Locked, Held | None]:
    """Lock the appointment (an UPDATE: a row lock on PostgreSQL; SQLite's write transaction holds
    the database already) and read it, with whether the person acting is active staff.

    The same statement sets it COMPLETED when it is paid at or after its start: she came. Paid
    ahead, it stays booked (and can be a no-show). A checkout that fails rolls this back with
    everything else; a retry of a checkout already made (its key is there) leaves it as it is.

    On PostgreSQL, `holdings` (a holding id, or DEFAULT: every holding of the customer not void)
    are locked and read in the same statement, after the appointment (`_lock_holdings`)."""
    values = {"for_appointment": appointment_id, "now": now, "for_key": key, "actor": actor}
    if holdings is None:
        row = session.execute(_lock_appointment_statement(), values).first()
        if row is None:
            raise NotFound("No such appointment.")
        return _Locked(*row), None
    rows = session.execute(_lock_appointment_and_holdings_statement(by_id=holdings != DEFAULT),
                           dict(values, holding_id=None if holdings == DEFAULT else holdings)).all()
    if not rows:
        raise NotFound("No such appointment.")
    width = len(_Locked._fields)
    return _Locked(*rows[0][:width]), _holdings_of(row for row in rows if row.id is not None)[0]


@cache
def _lock_appointment_statement() -> Any:
    """`_lock_appointment`'s statement, built once (its values are parameters)."""
    appointment = APPOINTMENT
    completed = and_(appointment.c.status == AppointmentStatus.BOOKED,
                     appointment.c.starts_at <= bindparam("now", type_=appointment.c.starts_at.type),
                     ~exists().where(CHECKOUT.c.key == bindparam("for_key")))
    return (
        update(appointment).where(appointment.c.id == bindparam("for_appointment"))
        .values(status=case((completed, AppointmentStatus.COMPLETED.value), else_=appointment.c.status))
        .returning(appointment.c.id, appointment.c.customer_id, appointment.c.service_id,
                   appointment.c.provider_id, appointment.c.starts_at, appointment.c.duration_min,
                   appointment.c.price, appointment.c.status, appointment.c.cover_holding_id,
                   _Returned(select(STAFF.c.active).where(STAFF.c.id == bindparam("actor")).scalar_subquery())
                   .label("staff_active"))
    )


def _open_checkout(
    session: Session, appointment: _Locked, *, key: str, actor: int, now: datetime, with_bookings: bool = False,
) -> tuple[Row | None, list[Row]]:
    """Write the checkout record unless its key is taken (then None: a retry, or a key reused).

    Made after the appointment's lock, so on PostgreSQL what it reads besides is as committed
    when the lock was granted: what was paid, the standing redemption, the round, whether other
    bookings of the customer are to be covered by a package (and may hold some of it).
    `with_bookings` (PostgreSQL, the holdings locked with the appointment) reads those bookings
    too (`views.booked_columns`), for `with_holds`."""
    values = {
        "for_appointment": appointment.id, "for_customer": appointment.customer_id, "for_staff": actor,
        "for_now": now, "for_service": appointment.service_id, "for_provider": appointment.provider_id, "for_key": key,
    }
    if not with_bookings:
        return session.execute(_open_checkout_statement(session.get_bind().dialect.name), values).first(), []
    rows = session.execute(_open_checkout_with_bookings_statement(), values).all()
    if not rows:
        return None, []
    width = len(rows[0]) - len(_bookings_statement().selected_columns)
    return rows[0], [row[width:] for row in rows if row[width] is not None]


@cache
def _open_checkout_statement(dialect: str) -> Any:
    """`_open_checkout`'s statement for a dialect, built once (its values are parameters)."""
    appointment_id, appointment_customer = bindparam("for_appointment"), bindparam("for_customer")
    table = APPOINTMENT
    others_booked = exists().where(
        table.c.customer_id == appointment_customer, table.c.id != appointment_id,
        table.c.cover_holding_id.is_not(None), table.c.status == AppointmentStatus.BOOKED)
    upsert = sqlite_insert if dialect == "sqlite" else postgresql_insert
    return (
        upsert(CHECKOUT)
        .values(key=bindparam("for_key"), customer_id=appointment_customer, appointment_id=appointment_id,
                staff_id=bindparam("for_staff"), created_at=bindparam("for_now", type_=CHECKOUT.c.created_at.type))
        .on_conflict_do_nothing(index_elements=[CHECKOUT.c.key])
        .returning(
            CHECKOUT.c.id,
            _Returned(select(CUSTOMER.c.name).where(CUSTOMER.c.id == bindparam("for_customer"))
                      .scalar_subquery()).label("customer_name"),
            _Returned(select(SERVICE.c.name).where(SERVICE.c.id == bindparam("for_service"))
                      .scalar_subquery()).label("service_name"),
            _Returned(select(PROVIDER.c.name).where(PROVIDER.c.id == bindparam("for_provider"))
                      .scalar_subquery()).label("provider_name"),
            _Returned(select(func.coalesce(func.sum(PAYMENT.c.amount), 0))
                      .where(PAYMENT.c.appointment_id == appointment_id).scalar_subquery()).label("paid"),
            _Returned(standing_title(appointment_id)).label("paid_from"),
            _Returned(current_round(appointment_id)).label("round"),
            # checkouts that stand for it (what "paid" means for a free appointment): not this one, no refunds
            _Returned(select(func.count()).where(
                CHECKOUT.c.appointment_id == appointment_id, CHECKOUT.c.key != bindparam("for_key"),
                ~CHECKOUT.c.key.startswith("refund-")).scalar_subquery()).label("checkouts"),
            _Returned(others_booked).label("others_booked"),
        )
    )


@cache
def _open_checkout_with_bookings_statement() -> Any:
    """PostgreSQL: `_open_checkout`'s statement with the customer's bookings that a package covers
    (`_bookings_statement`), one row for each (or one, with none)."""
    opened = _open_checkout_statement("postgresql").cte("opened")
    bookings = _bookings_statement("for_customer").subquery("booked")
    return (select(opened, *(column.label(f"booked_{number}") for number, column in enumerate(bookings.c)))
            .select_from(opened.outerjoin(bookings, true())))


@dataclass(frozen=True, slots=True)
class _Taking:
    """A redemption decided on PostgreSQL and not yet written: `_write_taking` spends the units
    and writes the ledger entry and the payment (and the checkout's audit event) in one statement."""

    line_id: int
    units: int
    after: int  # the line's balance after it, as the locked line says
    values: dict[str, Any]  # the entry's and the payment's columns


def _redeem(
    session: Session, business: Business, *, appointment: AppointmentView, holding_id: int | None,
    checkout_id: int, actor: int, now: datetime, round: int, others_booked: bool,
    locked: tuple[Held, list[Row]] | None = None,
) -> tuple[PaymentLine, _Taking | None]:
    """Spend a holding on the appointment (`holding_id`, or None: the default choice among the
    customer's holdings); returns the receipt's line. On PostgreSQL the spending is returned
    instead, for the caller to write with its audit event (one round trip for all the writes);
    SQLite writes it here.

    The holdings are read with their lines locked (lines, then the holding: the order every writer
    takes them in) and as committed now, so void, expiry and freeze are judged as they are; then
    what other bookings hold on them, read after the lock. SQLite's write transaction already
    keeps every other desk out: there the bookings come with the holdings, and only when the
    customer has any."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    if locked is not None:  # locked and read with the appointment, and the bookings with the checkout
        holdings, booked = locked
    else:
        holdings, booked = _lock_holdings(session, customer_id=appointment.customer_id, holding_id=holding_id,
                                          with_booked=sqlite and others_booked)
    if holding_id is not None:
        if not holdings:
            raise NotFound("No such package on this account.")
        if holdings[0][0].customer_id != appointment.customer_id:
            raise InvalidInput({"package": "That package belongs to another customer."})
    facts = [facts for facts, _, _ in holdings]
    if not sqlite and locked is None:  # what the customer's bookings hold, read after the lock
        booked = session.execute(_bookings_statement(), {"customer_id": appointment.customer_id}).all()
    if not sqlite or others_booked:  # judged against what other bookings leave free
        facts = with_holds(session, facts, business, now, booked=booked)
    if holding_id is None:
        coverage = default_choice(facts, appointment.facts, now, tz=business.tz, currency=business.currency,
                                  booked_for=appointment.cover_holding_id)
        if coverage is None:
            raise InvalidInput({"package": "No package of this customer covers this appointment."})
    else:
        coverage = covers(facts[0], appointment.facts, now, tz=business.tz, currency=business.currency)
        if not coverage.ok:
            raise NotCovered(holdings[0][1], coverage.reasons)
    chosen, title, _ = next(holding for holding in holdings if holding[0].id == coverage.holding_id)
    terms, take = chosen.terms, coverage.take
    taking = None
    if sqlite:
        after = spend(session, take.line_id, take.units, loaded=False)
    else:  # the line is locked: its balance after is known; `_write_taking` checks it
        after = next(line.remaining for line in chosen.lines if line.line_id == take.line_id) - take.units
    starts = None  # a validity that runs from the first visit starts with this one
    if terms.starts_on_first_visit and chosen.valid_until is None and terms.expires_in is not None:
        starts = first_visit_expiry(terms, appointment.starts_at, business.tz)
        session.execute(update(HOLDING).where(HOLDING.c.id == chosen.id).values(valid_until=starts))
    note = take.description + (f" (first visit: valid to {starts:%-d %b %Y})" if starts else "")
    if sqlite:
        entry_id = write_entry(session, holding_id=chosen.id, line_id=take.line_id, kind=EntryKind.REDEEM,
                               delta=-take.units, balance_after=after, actor=actor, appointment_id=appointment.id,
                               note=note, at=now, seq=round, valid_until=starts)
        session.execute(INSERT_PAYMENT, dict(
            checkout_id=checkout_id, appointment_id=appointment.id, holding_id=chosen.id, entry_id=entry_id,
            tender=Tender.PACKAGE, amount=take.value, staff_id=actor, created_at=now, note=""))
    else:
        taking = _Taking(take.line_id, take.units, after, dict(
            holding_id=chosen.id, kind=EntryKind.REDEEM, delta=-take.units, appointment_id=appointment.id,
            staff_id=actor, note=entry_note(note), created_at=now, seq=round, valid_until=starts,
            checkout_id=checkout_id, tender=Tender.PACKAGE, amount=take.value))
    return package_line(business, amount=take.value, holding_id=chosen.id, title=title, terms=terms,
                        taken=entry_note(note), balance_after=after), taking


def _write_taking(session: Session, taking: _Taking, *, event: dict[str, object] | None) -> None:
    """PostgreSQL: spend `taking`'s units with the conditional UPDATE and, in the same statement,
    write its ledger entry (with the balance the UPDATE left), its payment and `event` (the
    checkout's audit event), each only when the one before was written.

    Raises NoBalanceLeft when the line no longer has the units (nothing is then written)."""
    values = {f"taken_{name}": value for name, value in taking.values.items()}
    values.update(line=taking.line_id, units=taking.units)  # names no column has: an UPDATE would set those
    if event is not None:
        values.update({f"event_{name}": value for name, value in event.items()})
    row = session.execute(_taking_statement(with_event=event is not None), values).first()
    if row is None:
        raise NoBalanceLeft("No balance left on this package: it was just used, perhaps at another desk.")
    if row.balance_after != taking.after:  # the line is locked: it cannot have moved
        raise FrontDeskError("The package's balance changed during the checkout; nothing was saved, try again.")


@cache
def _taking_statement(*, with_event: bool) -> Any:
    """`_write_taking`'s statement, built once for each of its kinds (data-modifying CTEs: each
    insert reads what the one before returned, so a spending refused writes nothing)."""
    line, entry_table, event_table = HOLDING_LINE, LEDGER_ENTRY, AUDIT_EVENT

    def value(table: Any, name: str, prefix: str = "taken_") -> Any:  # typed: PostgreSQL is told its type
        return bindparam(f"{prefix}{name}", type_=table.c[name].type)

    spent = (update(line).where(line.c.id == bindparam("line"), line.c.remaining >= bindparam("units"))
             .values(remaining=line.c.remaining - bindparam("units"))
             .returning(line.c.id, line.c.remaining).cte("spent"))
    entry_columns = ["holding_id", "kind", "delta", "appointment_id", "staff_id", "note", "created_at", "seq",
                     "valid_until"]
    entry = (insert(entry_table).from_select(
        ["line_id", "balance_after", *entry_columns],
        select(spent.c.id, spent.c.remaining, *(value(entry_table, name) for name in entry_columns)))
        .returning(entry_table.c.id, entry_table.c.balance_after).cte("entry"))
    payment_columns = ["checkout_id", "appointment_id", "holding_id", "tender", "amount", "staff_id", "created_at"]
    paid = (insert(PAYMENT).from_select(
        ["entry_id", "note", *payment_columns],
        select(entry.c.id, literal(""), *(value(PAYMENT, name) for name in payment_columns)))
        .returning(PAYMENT.c.id).cte("paid"))
    statement = select(entry.c.id, entry.c.balance_after).add_cte(paid)
    if with_event:
        names = audit.EVENT_COLUMNS
        event = (insert(event_table).from_select(
            names, select(*(value(event_table, name, "event_") for name in names))
            .where(exists(select(paid.c.id))))
            .returning(event_table.c.id).cte("event"))
        statement = statement.add_cte(event)
    return statement


@cache
def _bookings_statement(customer: str = "customer_id") -> Any:
    """The customer's (the parameter `customer`) appointments booked to be covered by a package, as
    `with_holds` reads them."""
    appointment = APPOINTMENT
    return select(*booked_columns(appointment)).where(
        appointment.c.customer_id == bindparam(customer), appointment.c.cover_holding_id.is_not(None),
        appointment.c.status == AppointmentStatus.BOOKED)


def _lock_holdings(
    session: Session, *, customer_id: int, holding_id: int | None, with_booked: bool = False,
) -> tuple[list[tuple[HoldingFacts, str, int]], list[Row]]:
    """The holding `holding_id` (or every holding of the customer not void), with its lines, as
    (facts without holds, title, id), locked for this transaction and read fresh: one statement.
    `with_booked` adds the appointments booked to be covered by them (`views.booked_columns`),
    for `with_holds`."""
    statement, first_booked = _lock_holdings_statement(
        session.get_bind().dialect.name, by_id=holding_id is not None, with_booked=with_booked)
    rows = session.execute(statement, {"holding_id": holding_id, "customer_id": customer_id})
    return _holdings_of(rows, first_booked if with_booked else None)


def _holdings_of(rows: Iterable[Row], first_booked: int | None = None) -> tuple[Held, list[Row]]:
    """`_lock_holdings_statement`'s rows as (holdings, bookings); a row's booking starts at
    `first_booked` (None: the rows have none)."""
    with_booked = first_booked is not None
    found: dict[int, tuple[Row, dict[int, LineBalance]]] = {}
    bookings: dict[int, Row] = {}
    for row in rows:
        found.setdefault(row.id, (row, {}))[1][row.line_id] = LineBalance(
            row.line_id, row.service_id, row.initial, row.remaining)
        if with_booked and row[first_booked] is not None:  # a booking (its id first), once per line
            bookings[row[first_booked]] = row[first_booked:]
    holdings = [(HoldingFacts(
        id=row.id, customer_id=row.customer_id, terms=terms_from_json(row.terms), purchased_at=row.purchased_at,
        valid_until=row.valid_until, voided=row.voided_at is not None, lines=tuple(lines.values()),
        frozen=(row.frozen_from, row.frozen_until) if row.frozen_from and row.frozen_until else None,
        moved=bool(row.moved)), row.title, row.id) for row, lines in found.values()]
    return holdings, list(bookings.values())


@cache
def _lock_appointment_and_holdings_statement(*, by_id: bool) -> Any:
    """PostgreSQL: `_lock_appointment`'s statement with `_lock_holdings`' (the holding `holding_id`,
    or the appointment's customer's): the appointment is locked first, then the lines and the
    holdings, the order every writer takes them in. One row for each line (or one, with none)."""
    locked = _lock_appointment_statement().cte("locked")
    held = _lock_holdings_statement(
        "postgresql", by_id=by_id, with_booked=False,
        customer=None if by_id else select(locked.c.customer_id).scalar_subquery())[0].cte("held")
    return (select(*(locked.c[name].label(f"appointment_{name}") for name in _Locked._fields), held)
            .select_from(locked.outerjoin(held, true())).order_by(held.c.id, held.c.line_id))


@cache
def _lock_holdings_statement(dialect: str, *, by_id: bool, with_booked: bool, customer: Any = None,
                             ) -> tuple[Any, int]:
    """`_lock_holdings`' statement, built once for each of its kinds, and where a row's booking
    starts (with `with_booked`)."""
    holding, line = HOLDING, HOLDING_LINE
    moved_to = HOLDING.alias("moved_to")
    columns = [holding.c.id, holding.c.customer_id, holding.c.title,
               cast(holding.c.terms, Text).label("terms"),  # as stored: `terms_from_json` reads each text once
               holding.c.purchased_at,
               holding.c.valid_until, holding.c.voided_at, holding.c.frozen_from, holding.c.frozen_until,
               exists().where(moved_to.c.source_holding_id == holding.c.id).label("moved"),
               line.c.id.label("line_id"), line.c.service_id, line.c.initial, line.c.remaining]
    joined = line.join(holding, holding.c.id == line.c.holding_id)
    first_booked = len(columns)
    if with_booked:
        booked = APPOINTMENT.alias("booked")
        columns += booked_columns(booked)
        joined = joined.outerjoin(booked, and_(booked.c.customer_id == holding.c.customer_id,
                                               booked.c.cover_holding_id == holding.c.id,
                                               booked.c.status == AppointmentStatus.BOOKED))
    statement = (
        select(*columns).select_from(joined)
        .where(holding.c.id == bindparam("holding_id") if by_id
               else and_(holding.c.customer_id == (bindparam("customer_id") if customer is None else customer),
                         holding.c.voided_at.is_(None)))
        .order_by(holding.c.id, line.c.id)
    )
    if dialect != "sqlite":  # SQLite's write transaction locks the database
        statement = statement.with_for_update(of=[line, holding])
    return statement, first_booked


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
