"""What managers take away as CSV: the ledger with the payments of a period, the balances and
what each holding is worth as of a day, and the roll-forward. Plain rows of text, money in the
currency's decimal form ("350.00", no symbol), times in the business's time zone, which the
header names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from frontdesk.domain.business import Business
from frontdesk.domain.money import Currency
from frontdesk.domain.periods import to_local
from frontdesk.domain.terms import Terms, describe_amount
from frontdesk.models import Appointment, Customer, Holding, LedgerEntry, Payment, Staff
from frontdesk.services.liability import owed_page, roll_forward
from frontdesk.services.roles import clock, require_manager


@dataclass(frozen=True, slots=True)
class Table:
    """A CSV's header and rows, every cell text."""

    header: list[str]
    rows: list[list[str]]


def decimal(amount: int, currency: Currency) -> str:
    """Minor units in the currency's decimal form: 35000 → "350.00", -150 → "-1.50", JPY 500 → "500"."""
    digits = currency.exponent
    sign, amount = ("-" if amount < 0 else ""), abs(amount)
    if digits == 0:
        return f"{sign}{amount}"
    return f"{sign}{amount // 10 ** digits}.{amount % 10 ** digits:0{digits}d}"


def _when(moment: datetime, business: Business) -> str:
    return to_local(moment, business.tz).isoformat(timespec="seconds")


def _bounds(business: Business, first_day: date, last_day: date) -> tuple[datetime, datetime]:
    return (datetime.combine(first_day, time(0), business.tz),
            datetime.combine(last_day + timedelta(days=1), time(0), business.tz))


def ledger_table(session: Session, business: Business, *, first_day: date, last_day: date) -> Table:
    """Every ledger entry and every payment of the local days `first_day` to `last_day`, in time order."""
    require_manager(session, "export the ledger")
    start, end = _bounds(business, first_day, last_day)
    names = dict(session.exec(select(Staff.id, Staff.name)).all())
    rows: list[tuple[datetime, int, list[str]]] = []
    for entry, holding, customer in session.exec(
            select(LedgerEntry, Holding, Customer).join(Holding, col(Holding.id) == LedgerEntry.holding_id)
            .join(Customer, col(Customer.id) == Holding.customer_id)
            .where(LedgerEntry.created_at >= start, LedgerEntry.created_at < end)):
        terms = Terms.from_dict(holding.terms)
        rows.append((entry.created_at, entry.id, [
            _when(entry.created_at, business), "entry", customer.name, holding.title, entry.kind,
            str(entry.delta), describe_amount(terms, abs(entry.delta), business.currency) if entry.delta else "",
            str(entry.balance_after), "", names.get(entry.staff_id, ""), entry.note,
            str(entry.appointment_id or "")]))
    payments = list(session.exec(select(Payment).where(Payment.created_at >= start, Payment.created_at < end)))
    holdings = {row.id: row for row in session.exec(select(Holding).where(col(Holding.id).in_(
        {payment.sale_holding_id or payment.holding_id for payment in payments} - {None})))}
    booked = dict(session.exec(select(Appointment.id, Appointment.customer_id).where(col(Appointment.id).in_(
        {payment.appointment_id for payment in payments} - {None}))).all())
    customers = dict(session.exec(select(Customer.id, Customer.name)).all())
    for payment in payments:
        holding = holdings.get(payment.sale_holding_id or payment.holding_id)
        owner = holding.customer_id if holding is not None else booked.get(payment.appointment_id)
        rows.append((payment.created_at, payment.id, [
            _when(payment.created_at, business), "payment", customers.get(owner, ""),
            holding.title if holding is not None else "", payment.tender, "", "", "",
            decimal(payment.amount, business.currency), names.get(payment.staff_id, ""), payment.note,
            str(payment.appointment_id or "")]))
    rows.sort(key=lambda row: (row[0], row[2][1], row[1]))
    zone = business.tz.key
    return Table([f"when ({zone})", "record", "customer", "package", "kind or tender", "units", "change",
                  "balance after (units)", f"money ({business.currency.code})", "who", "note", "appointment"],
                 [row for _, _, row in rows])


def balances_table(session: Session, business: Business, *, day: date) -> Table:
    """Every holding and what it is worth at the end of `day` (or now, for today), with its method."""
    rolled = roll_forward(session, business, first_day=day, last_day=day)
    rows = []
    for holding, customer in session.exec(
            select(Holding, Customer).join(Customer, col(Customer.id) == Holding.customer_id)
            .where(col(Holding.id).in_(list(rolled.holdings))).order_by(Customer.name, Holding.id)):
        rows.append([customer.name, customer.phone, holding.title, _when(holding.purchased_at, business),
                     holding.valid_until.isoformat() if holding.valid_until else "",
                     "void" if holding.voided_at else "", decimal(holding.price_paid, business.currency),
                     decimal(rolled.holdings[holding.id], business.currency), rolled.methods[holding.id].value])
    return Table(["customer", "phone", "package", f"bought ({business.tz.key})", "valid until", "void",
                  f"price paid ({business.currency.code})", f"worth on {day.isoformat()} ({business.currency.code})",
                  "how it is valued"], rows)


def roll_forward_table(session: Session, business: Business, *, first_day: date, last_day: date) -> Table:
    """The roll-forward of the period: opening, each movement, closing."""
    rolled = roll_forward(session, business, first_day=first_day, last_day=last_day)
    money = business.currency
    rows = [["opening", decimal(rolled.opening, money)]]
    rows += [[str(kind), decimal(amount, money)] for kind, amount in rolled.movements.items()]
    rows.append(["closing", decimal(rolled.closing, money)])
    return Table([f"{first_day.isoformat()} to {last_day.isoformat()}", f"amount ({money.code})"], rows)



def call_list_table(session: Session, business: Business, *, within_days: int = 14) -> Table:
    """Who to call: every holding with balance left that expires within `within_days` days."""
    today = to_local(clock(session), business.tz).date()
    page = owed_page(session, business, first_day=today, last_day=today, within_days=within_days)
    return Table(["expires", "customer", "phone", "package", "left", f"worth ({business.currency.code})"],
                 [[row.valid_until.isoformat(), row.customer_name, row.phone, row.title, row.balance_text,
                   decimal(row.worth, business.currency)] for row in page.expiring])
