"""The managers' balances list: every holding's balance, or one line per customer or per package,
filtered, sorted and paged in SQL so a page stays instant at 100k holdings.

A holding's status is the domain's (`describe.status`): void, else expired (its last valid day is
before today), else used up (nothing left on any line; an unlimited pass never is), else active.
The filters and sorts read only the holding's own columns that `ix_holding_balances` covers (its
unit and provider copied from its terms; `remaining` and `last_used_at`, which the database keeps
from its lines and redemptions), so a page never reads every holding's terms and lines: only the
rows of the page are read whole and put in words.

Balance left is counted in each holding's unit (visits, minutes, money or uses): "at least N left"
means N visits, N minutes or N whole units of money (dollars); an unlimited pass always has
enough. Sorting by what is left orders by unit first, then by the amount left.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, case, exists, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from frontdesk.domain.business import Business
from frontdesk.domain.describe import HoldingStatus, describe_amount, provider_only
from frontdesk.domain.periods import local_date
from frontdesk.domain.terms import Terms, ValueType
from frontdesk.models import Customer, Holding, Package, Provider
from frontdesk.services.errors import InvalidInput
from frontdesk.services.matching import contains_every, search_terms
from frontdesk.services.roles import clock, require_manager
from frontdesk.services.views import holding_views

UNLIMITED = "uses"  # the unit of an unlimited pass (`Terms.unit`)
MONEY = "money"
UNIT_TERMS = {"visits": ValueType.VISITS, "minutes": ValueType.MINUTES, MONEY: ValueType.AMOUNT,
              UNLIMITED: ValueType.UNLIMITED}
MAX_LIMIT = 500


class Group(StrEnum):
    """What one row of the list stands for."""

    HOLDING = "holding"
    CUSTOMER = "customer"
    PACKAGE = "package"


# what each grouping can be sorted by, the default first
SORTS: dict[Group, tuple[str, ...]] = {
    Group.HOLDING: ("expiry", "customer", "package", "left", "last used", "bought"),
    Group.CUSTOMER: ("customer", "holdings", "active", "expiry"),
    Group.PACKAGE: ("package", "holdings", "active", "left"),
}


@dataclass(frozen=True, slots=True)
class BalanceRow:
    """One holding: whose, what, what is left and until when."""

    holding_id: int
    customer_id: int
    customer_name: str
    phone: str
    title: str
    provider: str  # "with Anna only", or "" when any provider will do
    status: HoldingStatus
    balance_text: str  # "3 of 5 visits", "$40.00 of $300.00", "unlimited"
    valid_until: date | None
    expiry_text: str  # "expires 12 Mar, in 9 days", "no expiry", "expired 13 Mar"
    last_used: datetime | None  # its last redemption; None when never used
    purchased_at: datetime


@dataclass(frozen=True, slots=True)
class CustomerBalanceRow:
    """One customer's holdings among those listed."""

    customer_id: int
    customer_name: str
    phone: str
    holdings: int
    active: int
    soonest_expiry: date | None  # the first day one of her active holdings runs out; None: none does


@dataclass(frozen=True, slots=True)
class PackageBalanceRow:
    """One catalogue package's holdings among those listed."""

    package_id: int | None
    title: str
    holdings: int
    active: int
    left_text: str  # what its active holdings have left in all: "42 visits", "$1,250.00", "unlimited"


@dataclass(frozen=True, slots=True)
class BalancesPage:
    """A page of the list, how many rows there are in all, and what the listed holdings add up to."""

    group: Group
    sort: str
    descending: bool
    rows: list[Any]  # BalanceRow, CustomerBalanceRow or PackageBalanceRow, as `group` says
    offset: int
    limit: int
    total: int  # rows in all (holdings, customers or packages)
    holdings: int  # holdings listed (every page)
    active: int  # of which active
    left: list[str] = field(default_factory=list)  # what the active ones have left, per unit: ["120 visits", …]
    packages: list[tuple[int, str]] = field(default_factory=list)  # to filter by: (id, title)
    providers: list[tuple[int, str]] = field(default_factory=list)  # to filter by: (id, name)

    @property
    def first(self) -> int:
        """The number of the page's first row (1-based; 0 when there are none)."""
        return self.offset + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.offset + len(self.rows)

    @property
    def more(self) -> bool:
        return self.last < self.total


def describe_left(unit: str | None, amount: int, business: Business) -> str:
    """An amount left in a unit: "42 visits", "3 h", "$1,250.00", "unlimited"."""
    value_type = UNIT_TERMS.get(unit or "visits", ValueType.VISITS)
    return describe_amount(Terms(title="", value_type=value_type), amount, business.currency)


def balances_page(
    session: Session, business: Business, *, group: Group | str = Group.HOLDING, sort: str | None = None,
    descending: bool = False, package_id: int | None = None, status: HoldingStatus | str | None = None,
    provider_id: int | None = None, expiring_within: int | None = None, min_left: int | None = None,
    customer: str = "", offset: int = 0, limit: int = 50,
) -> BalancesPage:
    """A page of the outstanding balances (managers): holdings, or one row per customer or per
    package, of the holdings that pass every filter given: a package, a status, a provider
    restriction, expiring within `expiring_within` days (today included), at least `min_left`
    left, a customer's name, phone or email (`customer`, words). Sorted by `sort` (one of
    `SORTS[group]`; its first by default), then by id, so every row is on exactly one page."""
    require_manager(session, "see the balances")
    group = Group(group)
    sort = sort or SORTS[group][0]
    problems = {}
    if sort not in SORTS[group]:
        problems["sort"] = f"Sort by {', '.join(SORTS[group])}."
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        problems["page"] = f"A page has 1 to {MAX_LIMIT} rows, from row 0 on."
    if expiring_within is not None and expiring_within < 0:
        problems["expiring_within"] = "Days to come: 0 or more."
    if min_left is not None and min_left < 0:
        problems["min_left"] = "Left: 0 or more."
    if status is not None and status not in set(HoldingStatus):
        problems["status"] = f"A status is {', '.join(HoldingStatus)}."
    if problems:
        raise InvalidInput(problems)
    today = local_date(clock(session), business.tz)
    listed = _Listed(today, business)
    conditions = listed.conditions(package_id=package_id, status=status, provider_id=provider_id,
                                   expiring_within=expiring_within, min_left=min_left)
    words = search_terms(customer)
    if words:
        conditions += contains_every(words)
    joined = bool(words)  # the filter reads the customer
    holdings, active, left = _totals(session, business, listed, conditions, joined)
    rows: list[Any]
    if group is Group.HOLDING:
        rows, total = _holding_rows(session, business, listed, conditions, sort, descending, offset, limit,
                                    joined), holdings
    elif group is Group.CUSTOMER:
        rows, total = _customer_rows(session, listed, conditions, sort, descending, offset, limit, joined)
    else:
        rows, total = _package_rows(session, business, listed, conditions, sort, descending, offset, limit, joined)
    packages = [(row.id, row.title + (" (archived)" if row.archived else ""))
                for row in session.exec(select(Package).order_by(Package.archived, Package.title, Package.id))]
    providers = [(row.id, row.name) for row in session.exec(select(Provider).order_by(Provider.name))]
    return BalancesPage(group, sort, descending, rows, offset, limit, total, holdings, active, left,
                        packages, providers)


class _Listed:
    """The SQL expressions of a holding's status, as of `today` (`describe.status`, on the columns
    the balances index covers)."""

    def __init__(self, today: date, business: Business) -> None:
        self.today = today
        self.business = business
        self.unlimited = col(Holding.unit) == UNLIMITED
        successor = aliased(Holding)  # a holding moved on to another customer is the source of one
        moved = exists().where(successor.source_holding_id == Holding.id)
        open_ = and_(col(Holding.voided_at).is_(None), ~moved)
        usable = and_(open_, or_(col(Holding.valid_until).is_(None), col(Holding.valid_until) >= today))
        self.status = {
            HoldingStatus.VOID: col(Holding.voided_at).is_not(None),
            HoldingStatus.MOVED: and_(col(Holding.voided_at).is_(None), moved),
            HoldingStatus.EXPIRED: and_(open_, col(Holding.valid_until) < today),
            HoldingStatus.USED_UP: and_(usable, func.coalesce(Holding.unit, "") != UNLIMITED,
                                        col(Holding.remaining) <= 0),
            HoldingStatus.ACTIVE: and_(usable, or_(self.unlimited, col(Holding.remaining) > 0)),
        }
        self.active = case((self.status[HoldingStatus.ACTIVE], 1), else_=0)
        self.left = case((self.status[HoldingStatus.ACTIVE], Holding.remaining), else_=0)  # what can still be used

    def conditions(self, *, package_id: int | None, status: str | None, provider_id: int | None,
                   expiring_within: int | None, min_left: int | None) -> list[Any]:
        conditions: list[Any] = []
        if package_id is not None:
            conditions.append(col(Holding.package_id) == package_id)
        if status is not None:
            conditions.append(self.status[HoldingStatus(status)])
        if provider_id is not None:
            conditions.append(col(Holding.provider_id) == provider_id)
        if expiring_within is not None:
            conditions.append(col(Holding.valid_until).between(self.today,
                                                               self.today + timedelta(days=expiring_within)))
        if min_left is not None:
            money = min_left * 10 ** self.business.currency.exponent
            conditions.append(or_(self.unlimited, col(Holding.remaining) >= case((col(Holding.unit) == MONEY, money),
                                                                                 else_=min_left)))
        return conditions


def _from(statement: Any, joined: bool) -> Any:
    """`statement` over the holdings, joined to their customers when a filter or sort reads them."""
    statement = statement.select_from(Holding)
    return statement.join(Customer, col(Customer.id) == Holding.customer_id) if joined else statement


def _ordered(keys: Sequence[Any], descending: bool) -> list[Any]:
    return [key.desc() if descending else key.asc() for key in keys]


def _holding_rows(session: Session, business: Business, listed: _Listed, conditions: list[Any], sort: str,
                  descending: bool, offset: int, limit: int, joined: bool) -> list[BalanceRow]:
    """The page's holdings: their ids found and ordered on narrow columns, then only those read whole."""
    keys = {
        "expiry": [col(Holding.valid_until).is_(None), col(Holding.valid_until)],
        "customer": [col(Customer.name), col(Customer.id)],
        "package": [col(Holding.title)],
        "left": [col(Holding.unit), col(Holding.remaining)],
        "last used": [col(Holding.last_used_at).is_(None), col(Holding.last_used_at)],
        "bought": [col(Holding.purchased_at)],
    }[sort]
    ids = list(session.exec(_from(select(Holding.id), joined or sort == "customer")
                            .where(*conditions).order_by(*_ordered([*keys, col(Holding.id)], descending))
                            .offset(offset).limit(limit)))
    if not ids:
        return []
    found = {holding.id: (holding, name, phone) for holding, name, phone in session.exec(
        select(Holding, Customer.name, Customer.phone).join(Customer, col(Customer.id) == Holding.customer_id)
        .where(col(Holding.id).in_(ids)).execution_options(populate_existing=True))}
    views = {view.id: view for view in holding_views(session, [found[row][0] for row in ids], business,
                                                      clock(session))}
    rows = []
    for holding_id in ids:
        holding, name, phone = found[holding_id]
        view = views[holding_id]
        rows.append(BalanceRow(
            holding_id=holding_id, customer_id=holding.customer_id, customer_name=name, phone=phone,
            title=holding.title, provider=provider_only(view.terms.provider_name) if view.terms.provider_id else "",
            status=view.status, balance_text=view.balance_text, valid_until=holding.valid_until,
            expiry_text=view.expiry_text, last_used=holding.last_used_at, purchased_at=holding.purchased_at))
    return rows


def _customer_rows(session: Session, listed: _Listed, conditions: list[Any], sort: str, descending: bool,
                   offset: int, limit: int, joined: bool) -> tuple[list[CustomerBalanceRow], int]:
    """Each customer's listed holdings counted first (on the index), then the page's names read."""
    soonest = func.min(case((listed.status[HoldingStatus.ACTIVE], Holding.valid_until), else_=None))
    counted = (_from(select(col(Holding.customer_id).label("customer_id"), func.count(Holding.id).label("holdings"),
                            func.sum(listed.active).label("active"), soonest.label("soonest")), joined)
               .where(*conditions).group_by(Holding.customer_id).subquery())
    keys = {
        "customer": [],
        "holdings": [counted.c.holdings],
        "active": [counted.c.active],
        "expiry": [counted.c.soonest.is_(None), counted.c.soonest],
    }[sort]
    statement = (select(Customer.id, Customer.name, Customer.phone, counted.c.holdings, counted.c.active,
                        counted.c.soonest, func.count().over())
                 .join(counted, counted.c.customer_id == Customer.id)
                 .order_by(*_ordered([*keys, col(Customer.name), col(Customer.id)], descending))
                 .offset(offset).limit(limit))
    found = session.exec(statement).all()
    return [CustomerBalanceRow(customer_id, name, phone, int(count), int(usable or 0), _day(first))
            for customer_id, name, phone, count, usable, first, _ in found], _counted(session, found, counted, offset)


def _package_rows(session: Session, business: Business, listed: _Listed, conditions: list[Any], sort: str,
                  descending: bool, offset: int, limit: int, joined: bool) -> tuple[list[PackageBalanceRow], int]:
    """Each package's listed holdings counted first (on the index), then the page's titles read."""
    counted = (_from(select(col(Holding.package_id).label("package_id"), func.count(Holding.id).label("holdings"),
                            func.sum(listed.active).label("active"), func.sum(listed.left).label("left"),
                            func.min(Holding.unit).label("unit"), func.max(Holding.unit).label("other_unit")),
                     joined)
               .where(*conditions).group_by(Holding.package_id).subquery())
    title = func.coalesce(Package.title, "—")
    keys = {
        "package": [],
        "holdings": [counted.c.holdings],
        "active": [counted.c.active],
        "left": [counted.c.unit, counted.c.left],
    }[sort]
    statement = (select(counted.c.package_id, title, counted.c.holdings, counted.c.active, counted.c.left,
                        counted.c.unit, counted.c.other_unit, func.count().over())
                 .select_from(counted).outerjoin(Package, col(Package.id) == counted.c.package_id)
                 .order_by(*_ordered([*keys, title, counted.c.package_id], descending))
                 .offset(offset).limit(limit))
    rows = []
    found = session.exec(statement).all()
    for package_id, name, count, usable, units, unit, other_unit, _ in found:
        # a package whose terms changed kind between sales holds different units: not added up
        words = describe_left(unit, int(units or 0), business) if unit == other_unit else "mixed units"
        rows.append(PackageBalanceRow(package_id, name, int(count), int(usable or 0), words))
    return rows, _counted(session, found, counted, offset)


def _counted(session: Session, found: Sequence[Any], groups: Any, offset: int) -> int:
    """How many groups there are: told by the page's own rows (a window count), or, on a page past
    the last, counted."""
    if found:
        return int(found[0][-1])
    return int(session.exec(select(func.count()).select_from(groups)).one()) if offset else 0


def _totals(session: Session, business: Business, listed: _Listed, conditions: list[Any],
            joined: bool) -> tuple[int, int, list[str]]:
    """In one pass over the index: how many holdings are listed, how many of them are active, and
    what those have left, per unit ("120 visits", "$40.00", "3 unlimited")."""
    by_unit = {unit: (int(count), int(usable or 0), int(left or 0)) for unit, count, usable, left in session.exec(
        _from(select(Holding.unit, func.count(Holding.id), func.sum(listed.active), func.sum(listed.left)), joined)
        .where(*conditions).group_by(Holding.unit))}
    words = [f"{by_unit[unit][1]} unlimited" if unit == UNLIMITED else describe_left(unit, by_unit[unit][2], business)
             for unit in UNIT_TERMS if unit in by_unit and by_unit[unit][1] and (unit == UNLIMITED or by_unit[unit][2])]
    return (sum(count for count, _, _ in by_unit.values()), sum(usable for _, usable, _ in by_unit.values()), words)


def _day(value: date | str | None) -> date | None:
    """A date from an aggregate (SQLite gives the text it stores)."""
    return date.fromisoformat(value) if isinstance(value, str) else value
