"""The demo day spa behind `frontdesk demo`, built only through the use cases.

`build_demo` makes a fresh SQLite file and fills it with `populate`. Everything comes from the
files in `data/` (installed as the package `frontdesk.demo_data`) and one `random.Random(seed)`;
every moment is counted from `desk.now()` in the business's time zone. The same seed at the
same moment builds the same spa:

- the catalogue: staff, services, providers, and every package of the feature description;
- about 200 customers, two near-duplicate pairs among them;
- about half of them hold packages bought (a few assigned by the manager) over the last four
  months: some expired, some expiring within days, two voided, a few adjusted;
- four months of appointments checked out with packages and with money, some packages sold at
  checkout, a few cancellations (with reversals) and no-shows (some charged to the package,
  some of those forgiven by the manager);
- today: 12 to 16 appointments from 09:00, those already over mostly paid, the rest waiting for
  checkout (some covered by a package, one booked "to be covered by" a holding);
- the bookings of the next two weeks, the regulars of names.json among them.

The past is planned first, then replayed in time order, so the ledger is numbered in the order
things happened. Checkouts use `checkout.options` to find the package that covers a visit
(the desk's default choice) and fall back to money when none does.
"""

from __future__ import annotations

import heapq
import itertools
import json
import random
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import event
from sqlmodel import Session, func, select

from frontdesk.db import create_db_engine, migrate
from frontdesk.domain.business import Business
from frontdesk.domain.coverage import allows_day
from frontdesk.domain.kinds import AppointmentStatus, Role, Tender
from frontdesk.domain.money import parse_money
from frontdesk.domain.periods import local_date, valid_until
from frontdesk.domain.terms import Contents, FixedLine, Period, PeriodUnit, Terms, ValueType
from frontdesk.models import Holding, LedgerEntry, utcnow
from frontdesk.services import appointments, catalogue, checkout, customers, ledger, sales, schedule
from frontdesk.services import staff as staff_use_cases
from frontdesk.services.desk import Desk
from frontdesk.services.roles import at_desk
from frontdesk.services.sales import TenderLine
from frontdesk.services.views import AppointmentView, HoldingView, PackageView, ServiceView

DATA = files("frontdesk.demo_data")  # the top-level data/ folder, installed with the package

HISTORY_DAYS = 120  # how far back purchases and appointments go
WALK_IN_DAYS = 90
UPCOMING_DAYS = 14
CUSTOMERS = 200
STEP = timedelta(minutes=30)  # appointments start on the half hour
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What `populate` made; holdings, entries and today's figures are read back from the database."""

    customers: int
    holdings: int
    appointments: int  # booked by the demo: past, today and upcoming
    appointments_today: int
    unpaid_today: int  # today's, not cancelled and not fully paid
    ledger_entries: int


def load_data(folder: Traversable = DATA) -> dict[str, Any]:
    """The demo's data files: catalogue.json, names.json and reasons.json."""
    return {name: json.loads(folder.joinpath(f"{name}.json").read_text(encoding="utf-8"))
            for name in ("catalogue", "names", "reasons")}


def build_demo(path: Path, business: Business, *, now: datetime | None = None, seed: int = 7) -> DemoSummary:
    """A fresh demo database at `path` (any file there is replaced); `now` fixes the clock."""
    path = Path(path)
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    engine = create_db_engine(f"sqlite:///{path}")
    try:
        migrate(engine, phone_region=business.phone_region)
        desk = Desk(engine, business, clock=(lambda: now) if now is not None else utcnow)
        return populate(desk, seed=seed)
    finally:
        engine.dispose()


def populate(desk: Desk, *, seed: int = 7) -> DemoSummary:
    """Fill an empty, migrated database with the demo spa, through the use cases only.

    The use cases run back to back in three write transactions (the catalogue and the customers;
    the past; today and the coming days) instead of a transaction, and a commit to disk, per use
    case."""
    demo = _Demo(desk, random.Random(seed), load_data())
    desk.write(demo.within, demo.add_catalogue, demo.add_customers)
    desk.write(demo.within, demo.plan_history, demo.replay)
    desk.write(demo.within, demo.take_stock, demo.add_today, demo.add_upcoming)
    return desk.read(demo.within, demo.summary)


# ---- plans ------------------------------------------------------------------------------------

@dataclass(eq=False)
class _Holding:
    """A package a customer buys (or is given by the manager, with `reason`) at `bought_at`."""

    customer_id: int
    package: PackageView
    bought_at: datetime
    reason: str = ""
    id: int | None = None  # known once replayed


@dataclass(eq=False)
class _Visit:
    """An appointment and what becomes of it.

    outcome: "paid" (checked out after it), "buy" (a package sold at its checkout and applied),
    "cancelled", "prepaid-cancelled" (paid when booked, cancelled later: the redemption is
    reversed), "no-show", "forfeit" (a no-show charged to the customer's package), "open"
    (left booked and unpaid).
    """

    customer_id: int
    service: ServiceView
    provider: str | None
    start: datetime
    booked_at: datetime
    outcome: str = "paid"
    settle_at: datetime | None = None  # when it is checked out, cancelled or marked a no-show
    sells: _Holding | None = None  # outcome "buy"
    forgiven: bool = False  # a forfeit the manager gives back the next morning
    covered_by: int | None = None  # the holding the desk said covers it, when planned
    cover_holding_id: int | None = None  # booked "to be covered by" this holding
    id: int | None = None
    due: int = 0  # the price, once booked

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.service.duration_min)


class _Schedule:
    """Who is busy when, so no provider is booked twice at once (a group class is shared)."""

    def __init__(self, groups: set[str]) -> None:
        self.groups = groups
        self.busy: dict[tuple[str, date], list[tuple[datetime, datetime, str]]] = defaultdict(list)

    def free(self, provider: str | None, service: ServiceView, start: datetime) -> bool:
        if provider is None:
            return True
        end = start + timedelta(minutes=service.duration_min)
        for other_start, other_end, other in self.busy[(provider, start.date())]:
            same_class = service.name in self.groups and other == service.name and other_start == start
            if other_start < end and start < other_end and not same_class:
                return False
        return True

    def take(self, provider: str | None, service: ServiceView, start: datetime) -> None:
        if provider is not None:
            end = start + timedelta(minutes=service.duration_min)
            self.busy[(provider, start.date())].append((start, end, service.name))


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _hhmm(text: str) -> time:
    return time.fromisoformat(text)


def _allows_day(terms: Terms | None, day: date) -> bool:
    """The package's weekday and date restrictions (checkout re-checks every rule)."""
    return terms is None or allows_day(terms, day)


def _slug(text: str) -> str:
    """ASCII lower-case letters only: "O'Brien" → "obrien", "José" → "jose"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", plain.lower())


# ---- the builder ------------------------------------------------------------------------------

class _Demo:
    """Plans the spa's past, replays it through the use cases, then books today and the coming days."""

    def __init__(self, desk: Desk, rng: random.Random, data: dict[str, Any]) -> None:
        self.desk, self.rng, self.data = desk, rng, data
        self.business: Business = desk.business
        self.tz = desk.business.tz
        self.now = desk.now()  # one moment for the whole build, even on a running clock
        self.opened = datetime.combine(local_date(self.now, self.tz) - timedelta(days=HISTORY_DAYS + 1), time(9),
                                       self.tz)  # when the desk was set up: staff, catalogue, customers
        self.today = local_date(self.now, self.tz)
        self.yesterday = self.today - timedelta(days=1)
        spa = data["catalogue"]
        self.open, self.close = _hhmm(spa["hours"]["open"]), _hhmm(spa["hours"]["close"])
        self.class_times = {row["name"]: [_hhmm(t) for t in row["class_times"]]
                            for row in spa["services"] if "class_times" in row}
        self.schedule = _Schedule(set(self.class_times))
        self.last_open = self.last_opening_moment()
        self.keys = itertools.count(1)
        self.sequence = itertools.count()
        self.events: list[tuple[datetime, int, Callable[[datetime], None]]] = []
        self.customer_ids: list[int] = []
        self.holdings: list[_Holding] = []
        self.voided: list[_Holding] = []
        self.regulars: list[tuple[int, list[str]]] = []  # fixed customers and the packages they buy
        self.active: list[HoldingView] = []  # usable holdings after the past is replayed
        self.owners: set[int] = set()  # customers who hold (or held) a package so far
        self.booked = 0  # appointments booked
        self.session: Session | None = None  # the transaction the steps run in

    # -- transactions --

    def within(self, session: Session, *steps: Callable[[], Any]) -> Any:
        """Run `steps` one after another in `session`'s transaction; the last one's result.

        Every row the steps load or add stays at hand until the transaction ends (a session keeps
        a row only while something refers to it, so the next use case would read it again)."""
        self.session, result = session, None
        kept: list[object] = []
        keep = lambda _session, row: kept.append(row)  # noqa: E731
        event.listen(session, "loaded_as_persistent", keep)
        event.listen(session, "pending_to_persistent", keep)
        try:
            for step in steps:
                result = step()
        finally:
            self.session = None
        return result

    def run(self, use_case: Callable[..., R], *args: Any, actor: int | None = None, now: datetime | None = None,
            **kwargs: Any) -> R:
        """A use case, as a step of the current transaction, done by `actor` at the desk at `now`
        (the demo's clock by default): the demo replays months of a desk's days."""
        assert self.session is not None, "the demo runs use cases only inside a transaction"
        return use_case(at_desk(self.session, actor, now or self.now), *args, **kwargs)

    # -- small helpers --

    def last_opening_moment(self) -> datetime:
        """The latest moment, not after now, when the desk was open (now, during opening hours)."""
        opens, closes = self.at(self.today, self.open), self.at(self.today, self.close)
        if self.now < opens:
            return self.at(self.yesterday, self.close)
        return min(self.now, closes)

    def at(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, self.tz)

    def some_time(self, first_hour: int = 9, last_hour: int = 17) -> time:
        return time(self.rng.randint(first_hour, last_hour), self.rng.choice((0, 10, 20, 30, 40, 50)))

    def money(self, amount: float | str) -> int:
        return parse_money(str(amount), self.business.currency)

    def weighted(self, items: list[Any], weights: list[float]) -> Any:
        return self.rng.choices(items, weights=weights)[0]

    def popular_service(self) -> ServiceView:
        names = list(self.services)
        return self.services[self.weighted(names, [self.popularity[name] for name in names])]

    def clerk(self) -> int:
        """Who is at the desk: mostly reception, sometimes the manager."""
        return self.weighted(self.reception + [self.manager], [4] * len(self.reception) + [1])

    def tenders(self, amount: int, *, split: bool = False) -> list[TenderLine]:
        """How `amount` is paid: mostly card, else cash or other; split: some cash, the rest card."""
        if amount <= 0:
            return []
        cash = amount // 5 // 1000 * 1000
        if split and 0 < cash < amount:
            return [TenderLine(Tender.CASH, cash), TenderLine(Tender.CARD, amount - cash)]
        return [TenderLine(self.weighted([Tender.CARD, Tender.CASH, Tender.OTHER], [68, 26, 6]), amount)]

    def key(self) -> str:
        return f"demo-{next(self.keys):05d}"

    def schedule_event(self, when: datetime, action: Callable[[datetime], None]) -> None:
        assert when <= self.now, "the demo planned something in the future"
        heapq.heappush(self.events, (when, next(self.sequence), action))

    def replay(self) -> None:
        """Run the planned events in time order; an event may plan a later one."""
        while self.events:
            when, _, action = heapq.heappop(self.events)
            action(when)

    # -- the catalogue --

    def add_catalogue(self) -> None:
        spa, run = self.data["catalogue"], self.run
        owner, *others = spa["staff"]  # the owner (a manager) first; she adds the others
        manager = run(staff_use_cases.add_staff_member, name=owner["name"], role=Role(owner["role"]),
                      pin=owner["pin"], now=self.opened, actor=None)
        staff = [manager, *(run(staff_use_cases.add_staff_member, name=row["name"], role=Role(row["role"]),
                                pin=row["pin"], now=self.opened, actor=manager.id) for row in others)]
        self.manager = manager.id
        self.reception = [member.id for member in staff if not member.is_manager]
        self.services: dict[str, ServiceView] = {
            row["name"]: run(catalogue.add_service, self.business, name=row["name"], duration_min=row["minutes"],
                             price=self.money(row["price"]), actor=self.manager, now=self.opened)
            for row in spa["services"]
        }
        self.popularity = {row["name"]: row["popularity"] for row in spa["services"]}
        self.providers = {row["name"]: run(catalogue.add_provider, name=row["name"], actor=self.manager,
                                           now=self.opened).id
                          for row in spa["providers"]}
        self.skills: dict[str, list[str]] = defaultdict(list)
        for row in spa["providers"]:
            for service in row["services"]:
                self.skills[service].append(row["name"])
            run(schedule.set_provider_services, provider_id=self.providers[row["name"]], all_services=False,
                service_ids=[self.services[name].id for name in row["services"]], actor=self.manager, now=self.opened)
        week = spa["opening_hours"]  # the days' hours all contain the hours the demo books in
        run(schedule.set_opening_hours, days=[(_hhmm(week[day][0]), _hhmm(week[day][1])) if week.get(day) else None
                                              for day in WEEKDAYS], actor=self.manager, now=self.opened)
        self.package_specs = {row["title"]: row for row in spa["packages"]}
        self.packages: dict[str, PackageView] = {
            row["title"]: run(catalogue.save_package, self.business, terms=self.terms(row), actor=self.manager,
                              now=self.opened)
            for row in spa["packages"]
        }

    def terms(self, row: dict[str, Any]) -> Terms:
        """A package of catalogue.json as Terms: names resolved to ids, days counted from today."""
        ids = {name: service.id for name, service in self.services.items()}
        fixed = row.get("contents") == "fixed"
        value_type = None if fixed else ValueType(row["value_type"])
        everything = row.get("services", "all") == "all"
        expires, window = row.get("expires_in"), row.get("window")
        span, dates = row.get("date_range_from_today"), row.get("fixed_dates_from_today")
        return Terms(
            title=row["title"],
            contents=Contents.FIXED if fixed else Contents.ANY,
            value_type=value_type,
            quantity=self.money(row["amount"]) if value_type is ValueType.AMOUNT else row.get("quantity"),
            all_services=not fixed and everything,
            service_ids=() if fixed or everything else tuple(ids[name] for name in row["services"]),
            fixed_lines=tuple(FixedLine(ids[name], name, count) for name, count in row.get("lines", ())),
            price=self.money(row["price"]),
            for_sale=row.get("for_sale", True),
            provider_id=self.providers[row["provider"]] if "provider" in row else None,
            expires_in=Period(expires[0], PeriodUnit(expires[1])) if expires else None,
            weekdays=frozenset(WEEKDAYS.index(day) for day in row["weekdays"]) if "weekdays" in row else None,
            window=(_hhmm(window[0]), _hhmm(window[1])) if window else None,
            date_range=(self.today + timedelta(days=span[0]), self.today + timedelta(days=span[1])) if span else None,
            fixed_dates=tuple(self.today + timedelta(days=offset) for offset in dates) if dates else None,
            starts_on_first_visit=row.get("starts_on_first_visit", False),
            cancel_notice_hours=row.get("cancel_notice_hours"),
            late_cancel_forfeits=row.get("late_cancel_forfeits", False),
            no_show_forfeits=row.get("no_show_forfeits", False),
        )

    # -- customers --

    def add_customers(self) -> None:
        names, rng = self.data["names"], self.rng
        fixed = names["fixed_customers"]
        taken = {row["name"] for row in fixed}
        emails = {row["email"] for row in fixed if row["email"]}
        phones = {int(re.sub(r"\D", "", row["phone"])[3:]) for row in fixed}
        people = [(first, last) for first in names["first_names"] for last in names["last_names"]
                  if f"{first} {last}" not in taken]
        count = CUSTOMERS - len(fixed)
        numbers = [n for n in rng.sample(range(2_000_000, 3_000_000), count + len(phones)) if n not in phones]
        for (first, last), number in zip(rng.sample(people, count), numbers, strict=False):
            email = ""
            if rng.random() < names["share_with_email"]:
                email = self.email(first, last, names["email_domains"], emails)
            note = rng.choice(names["notes"]) if rng.random() < names["note_share"] else ""
            phone = f"(555) {number // 10_000:03d}-{number % 10_000:04d}"
            self.customer_ids.append(self.run(
                customers.create_customer, self.business, name=f"{first} {last}", phone=phone, email=email,
                note=note, actor=self.reception[0], now=self.opened).id)
        for row in fixed:  # regulars, and near-duplicates the desk was told to keep anyway
            customer_id = self.run(
                customers.create_customer, self.business, name=row["name"], phone=row["phone"], email=row["email"],
                note=row.get("note", ""), allow_duplicate=row.get("duplicate", False),
                actor=self.reception[0], now=self.opened).id
            self.customer_ids.append(customer_id)
            if row.get("packages"):
                self.regulars.append((customer_id, row["packages"]))

    def email(self, first: str, last: str, domains: list[str], used: set[str]) -> str:
        first, last = _slug(first), _slug(last)
        local = self.weighted([f"{first}.{last}", f"{first}{last}", f"{first[0]}{last}"], [6, 2, 2])
        domain = self.rng.choice(domains)
        candidate, number = f"{local}@{domain}", 1
        while candidate in used:
            number += 1
            candidate = f"{local}{number}@{domain}"
        used.add(candidate)
        return candidate

    # -- planning the past --

    def plan_history(self) -> None:
        rng = self.rng
        for_sale = [view for view in self.packages.values() if view.terms.for_sale]
        weights = [self.package_specs[view.title].get("popularity", 1) for view in for_sale]
        for customer_id in rng.sample(self.customer_ids, len(self.customer_ids) // 2):
            for _ in range(self.weighted([1, 2, 3], [68, 26, 6])):
                self.plan_holding(customer_id, self.weighted(for_sale, weights))
        for customer_id, titles in self.regulars:
            for title in titles:
                self.plan_holding(customer_id, self.packages[title], at_least=2)
        for row in self.data["reasons"]["assign"]:
            self.plan_holding(rng.choice(self.customer_ids), self.packages[row["package"]], reason=row["reason"])
        self.plan_voids()
        self.plan_adjustments()
        for customer_id in self.customer_ids:
            for _ in range(self.weighted([0, 1, 2], [65, 28, 7])):
                day = self.today - timedelta(days=rng.randint(1, WALK_IN_DAYS))
                self.plan_visit(customer_id, self.popular_service(), day,
                                outcome=self.weighted(["paid", "cancelled", "no-show"], [92, 5, 3]))

    def purchase_day(self, package: PackageView) -> date:
        span = self.package_specs[package.title].get("date_range_from_today")
        if span:  # festival passes sell in the weeks before the festival and during it
            return self.today + timedelta(days=self.rng.randint(span[0] - 20, -1))
        return self.today - timedelta(days=self.rng.randint(1, HISTORY_DAYS))

    def plan_holding(self, customer_id: int, package: PackageView, *, reason: str = "",
                     bought_at: datetime | None = None, uses: int | None = None, at_least: int = 0) -> _Holding:
        """Plan a purchase (or a manager's assignment) and the visits it pays for, before today
        (`uses` of them, or as many as usual, but `at_least`)."""
        terms, rng = package.terms, self.rng
        bought_at = bought_at or self.at(self.purchase_day(package), self.some_time(9, 17))
        holding = _Holding(customer_id, package, bought_at, reason=reason)
        self.holdings.append(holding)
        bought_on = local_date(holding.bought_at, self.tz)
        uses = max(at_least, self.planned_uses(terms, bought_on)) if uses is None else uses
        services = self.services_for(terms, uses)
        first = None
        if services and not reason and self.package_specs[package.title].get("sold_at_checkout") and rng.random() < 0.3:
            first = self.plan_visit(customer_id, self.services[services[0]], bought_on, terms=terms, outcome="buy")
        if first is not None:  # she had a massage and bought the pack at its checkout
            first.sells, holding.bought_at, services = holding, first.settle_at, services[1:]
        else:
            self.schedule_event(holding.bought_at, lambda when: self.open_holding(holding, when))
        last = min(valid_until(bought_on, terms.expires_in) or self.yesterday, self.yesterday)
        days = [day for day in _days(bought_on + timedelta(days=1), last) if _allows_day(terms, day)]
        chosen = sorted(rng.sample(days, min(len(days), len(services))))
        for name, day in zip(services, chosen, strict=False):
            self.plan_visit(customer_id, self.services[name], day, terms=terms, after=holding.bought_at,
                            outcome=self.weighted(["paid", "prepaid-cancelled", "forfeit"], [94, 2, 4]))
        return holding

    def planned_uses(self, terms: Terms, bought_on: date) -> int:
        """How many visits a holding has paid for by now: more the longer it has been held
        (against its validity, or three months without one); a few are used up."""
        if terms.contents is Contents.FIXED:
            most = sum(line.quantity for line in terms.fixed_lines)
        elif terms.value_type is ValueType.VISITS:
            most = terms.quantity or 0
        elif terms.value_type is ValueType.MINUTES:
            most = (terms.quantity or 0) // 60
        else:  # money runs out after a few visits; unlimited: a few saunas
            most = 3 if terms.value_type is ValueType.AMOUNT else 4
        ends = valid_until(bought_on, terms.expires_in) or bought_on + timedelta(days=90)
        held = min(1.0, (self.today - bought_on).days / max(1, (ends - bought_on).days))
        if held == 1.0 and self.rng.random() < 0.25:
            return most
        return round(most * held * self.rng.uniform(0.15, 0.85))

    def services_for(self, terms: Terms, count: int) -> list[str]:
        """`count` service names the terms cover, in the order they are used."""
        if terms.contents is Contents.FIXED:
            return [line.service_name for line in terms.fixed_lines for _ in range(line.quantity)][:count]
        if terms.all_services:
            return [self.popular_service().name for _ in range(count)]
        return [self.rng.choice(terms.service_names) for _ in range(count)]

    def plan_voids(self) -> None:
        """A package refunded unused a couple of weeks after the sale; one rung up twice, voided."""
        reasons, rng = self.data["reasons"], self.rng
        sold = [h for h in self.holdings if not h.reason and h.package.terms.price > 0]
        twice = rng.choice(sold)
        again = self.plan_holding(twice.customer_id, twice.package, bought_at=twice.bought_at + timedelta(minutes=2),
                                  uses=0)
        self.schedule_event(again.bought_at + timedelta(minutes=15),
                            lambda when: self.void(again, reasons["void_duplicate"], when))
        bought_at = self.at(self.today - timedelta(days=rng.randint(30, HISTORY_DAYS)), self.some_time(9, 17))
        refunded = self.plan_holding(rng.choice(self.customer_ids), rng.choice(sold).package, bought_at=bought_at,
                                     uses=0)
        self.schedule_event(bought_at + timedelta(days=rng.randint(8, 20)),
                            lambda when: self.void(refunded, reasons["void"], when))
        self.voided = [again, refunded]

    def plan_adjustments(self) -> None:
        """A manager gives back a visit, minutes or credit, each with a reason."""
        for row in self.data["reasons"]["adjust"]:
            kind = ValueType(row["value_type"])
            matches = [h for h in self.holdings if h.package.terms.value_type is kind and not h.reason
                       and h.package.terms.contents is Contents.ANY and h.bought_at < self.now - timedelta(days=10)
                       and h not in self.voided]
            if matches:
                holding = self.rng.choice(matches)
                delta = self.money(row["delta"]) if kind is ValueType.AMOUNT else row["delta"]
                when = holding.bought_at + timedelta(days=self.rng.randint(2, 9), hours=1)
                self.schedule_event(when, lambda at, h=holding, d=delta, r=row["reason"]: self.adjust(h, d, r, at))

    def find_slot(self, service: ServiceView, day: date, terms: Terms | None = None, *,
                  only_at: time | None = None) -> tuple[datetime, str | None] | None:
        """A free start on `day` within opening hours (and the package's time window), with a
        provider who does the service (the package's provider, if it names one)."""
        first, last = self.open, self.close
        if terms is not None and terms.window is not None:
            first, last = max(first, terms.window[0]), min(last, terms.window[1])
        length = timedelta(minutes=service.duration_min)
        if only_at is not None:
            starts = [self.at(day, only_at)]
        elif service.name in self.class_times:
            starts = [self.at(day, moment) for moment in self.class_times[service.name]]
        else:
            count = int((self.at(day, self.close) - self.at(day, self.open) - length) / STEP) + 1
            starts = [self.at(day, self.open) + STEP * n for n in range(max(count, 0))]
        starts = [s for s in starts if self.at(day, first) <= s and s + length <= self.at(day, last)]
        people: list[str | None] = list(self.skills.get(service.name, ())) or [None]
        if terms is not None and terms.provider_name:
            people = [terms.provider_name]
        self.rng.shuffle(starts)
        self.rng.shuffle(people)
        return next(((start, person) for start in starts for person in people
                     if self.schedule.free(person, service, start)), None)

    def plan_visit(self, customer_id: int, service: ServiceView, day: date, *, terms: Terms | None = None,
                   after: datetime | None = None, outcome: str = "paid") -> _Visit | None:
        """Plan a past appointment on `day` (booked a few days before, after `after`) and its end."""
        slot = self.find_slot(service, day, terms)
        if slot is None:
            return None
        start, provider = slot
        self.schedule.take(provider, service, start)
        booked_at = self.at(day - timedelta(days=self.rng.randint(1, 12)), self.some_time(9, 17))
        if after is not None:
            booked_at = max(booked_at, after + timedelta(minutes=30))
        visit = _Visit(customer_id, service, provider, start, booked_at, outcome)
        if outcome in ("paid", "buy"):
            visit.settle_at = visit.end + timedelta(minutes=self.rng.randint(2, 12))
            self.schedule_event(visit.settle_at, lambda when: self.check_out(visit, when))
        elif outcome == "cancelled":
            visit.settle_at = self.call_to_cancel(visit, booked_at)
            self.schedule_event(visit.settle_at, lambda when: self.cancel(visit, when))
        elif outcome == "prepaid-cancelled":
            paid_at = booked_at + timedelta(minutes=self.rng.randint(2, 8))
            visit.settle_at = self.call_to_cancel(visit, paid_at)
            self.schedule_event(paid_at, lambda when: self.check_out(visit, when))
            self.schedule_event(visit.settle_at, lambda when: self.cancel(visit, when))
        else:  # a no-show, perhaps charged to the package, perhaps forgiven by the manager later
            visit.settle_at = start + timedelta(minutes=20)
            visit.forgiven = outcome == "forfeit" and day <= self.today - timedelta(days=3) and self.rng.random() < 0.4
            self.schedule_event(visit.settle_at, lambda when: self.no_show(visit, when))
        return visit

    def call_to_cancel(self, visit: _Visit, after: datetime) -> datetime:
        """When the customer calls to cancel: a day or two before, in opening hours, after `after`."""
        called = self.at(visit.start.date() - timedelta(days=self.rng.randint(1, 2)), self.some_time(9, 17))
        return max(called, after + timedelta(minutes=30))

    # -- the use cases, as the desk would run them --

    def open_holding(self, holding: _Holding, when: datetime) -> None:
        common = dict(customer_id=holding.customer_id, package_id=holding.package.id, now=when)
        if holding.reason:
            view = self.run(sales.assign, self.business, reason=holding.reason, actor=self.manager, **common)
        else:
            price = holding.package.terms.price
            view = self.run(sales.sell, self.business, actor=self.clerk(),
                            tenders=self.tenders(price, split=self.rng.random() < 0.15), **common)
        holding.id = view.id
        self.owners.add(holding.customer_id)

    def book(self, visit: _Visit) -> AppointmentView:
        booking = self.run(
            appointments.book, self.business, customer_id=visit.customer_id, service_id=visit.service.id,
            starts_at=visit.start, actor=self.clerk(), now=visit.booked_at,
            # a class is booked without its teacher: the class, not each place in it, takes her time
            provider_id=self.providers[visit.provider]
            if visit.provider and visit.service.name not in self.class_times else None,
            cover_holding_id=visit.cover_holding_id)
        visit.id, visit.due = booking.appointment.id, booking.appointment.due
        self.booked += 1
        return booking.appointment

    def check_out(self, visit: _Visit, when: datetime) -> None:
        self.book(visit)
        if visit.sells is None:
            self.pay(visit, when)
            return
        package = visit.sells.package
        receipt = self.run(
            checkout.checkout, self.business, key=self.key(), appointment_id=visit.id,
            actor=self.clerk(), sell_package_id=package.id, sale_tenders=self.tenders(package.terms.price),
            now=when)
        visit.sells.id = receipt.sold_holding_id
        self.owners.add(visit.customer_id)

    def pay(self, visit: _Visit, when: datetime, *, package_only: bool = False) -> bool:
        """Check out with the package the desk preselects and money for the rest; with no
        covering package, money only (or nothing if `package_only`). True when paid."""
        choice = None
        if visit.customer_id in self.owners:  # (no need to ask for a customer who never had one)
            options = self.run(checkout.options, self.business, appointment_id=visit.id, now=when)
            choice = next((option for option in options if option.is_default), None)
        if choice is None and package_only:
            return False
        rest = visit.due - (choice.coverage.take.value if choice is not None else 0)
        self.run(checkout.checkout, self.business, key=self.key(), appointment_id=visit.id,
                 actor=self.clerk(), package=choice.holding.id if choice else None,
                 tenders=self.tenders(rest), now=when)
        return True

    def cancel(self, visit: _Visit, when: datetime) -> None:
        if visit.id is None:
            self.book(visit)
        paid = self.run(appointments.get_appointment, visit.id)
        refunds = [TenderLine(paid.paid_tender, paid.paid_money)] if paid.paid_money else []  # all of it back
        self.run(appointments.cancel, self.business, appointment_id=visit.id, actor=self.clerk(),
                 reason=self.rng.choice(self.data["reasons"]["cancel"]), refunds=refunds, now=when)

    def no_show(self, visit: _Visit, when: datetime) -> None:
        self.book(visit)
        self.run(appointments.no_show, self.business, appointment_id=visit.id, actor=self.clerk(), now=when)
        if visit.outcome == "forfeit" and self.pay(visit, when, package_only=True) and visit.forgiven:
            next_morning = self.at(visit.start.date() + timedelta(days=1), time(10, 30))
            self.schedule_event(next_morning, lambda at: self.forgive(visit, at))

    def forgive(self, visit: _Visit, when: datetime) -> None:
        self.run(appointments.reverse_redemption, self.business, appointment_id=visit.id,
                 reason=self.data["reasons"]["forgive"], actor=self.manager, now=when)

    def void(self, holding: _Holding, reason: str, when: datetime) -> None:
        sold = next(view for view in self.run(appointments.customer_holdings, self.business,
                                              customer_id=holding.customer_id, now=when) if view.id == holding.id)
        refunds = [TenderLine(sold.paid_tender, sold.paid_money)] if sold.paid_money else []  # the sale's money back
        self.run(ledger.void, self.business, holding_id=holding.id, reason=reason, actor=self.manager,
                 refunds=refunds, now=when)

    def adjust(self, holding: _Holding, delta: int, reason: str, when: datetime) -> None:
        self.run(ledger.adjust, self.business, holding_id=holding.id, delta=delta, reason=reason,
                 actor=self.manager, now=when)

    # -- today and the coming days --

    def take_stock(self) -> None:
        """After the past: the holdings still usable today."""
        self.active = self.active_holdings()

    def active_holdings(self) -> list[HoldingView]:
        """Every holding still usable today, as the desk shows it."""
        owners = sorted({holding.customer_id for holding in self.holdings})
        return [view for customer_id in owners
                for view in self.run(appointments.customer_holdings, self.business,
                                           customer_id=customer_id, now=self.now)
                if view.status == "active"]

    def covered_visit(self, holding: HoldingView, day: date, booked_at: datetime) -> _Visit | None:
        """A visit on `day` that `holding` covers (the desk's own coverage check says so), or None."""
        terms = holding.terms
        if not _allows_day(terms, day):
            return None
        if terms.contents is Contents.FIXED:
            names = {line.service_id: line.service_name for line in terms.fixed_lines}
            left = [names[line.service_id] for line in holding.lines if line.remaining > 0]
            service = self.services[self.rng.choice(left)] if left else None
        else:
            service = self.services[self.services_for(terms, 1)[0]]
        slot = service and self.find_slot(service, day, terms)
        if not slot:
            return None
        start, provider = slot
        coverage = self.run(appointments.preview_cover, self.business, customer_id=holding.customer_id,
                            service_id=service.id, holding_id=holding.id, starts_at=start,
                            provider_id=self.providers[provider] if provider else None, now=self.now)
        if not coverage.ok:
            return None
        self.schedule.take(provider, service, start)
        booked_at = min(self.last_open, max(booked_at, holding.purchased_at + timedelta(minutes=30)))
        return _Visit(holding.customer_id, service, provider, start, booked_at, outcome="open",
                      covered_by=holding.id)

    def walk_in(self, customer_id: int, day: date, booked_at: datetime, *, service: ServiceView | None = None,
                only_at: time | None = None) -> _Visit | None:
        service = service or self.popular_service()
        slot = self.find_slot(service, day, only_at=only_at)
        if slot is None:
            return None
        self.schedule.take(slot[1], service, slot[0])
        return _Visit(customer_id, service, slot[1], slot[0], booked_at, outcome="open")

    def booked_before(self, day: date) -> datetime:
        """A moment in the days before `day` when a visit was booked (the desk was open by then)."""
        return min(self.last_open, self.at(day - timedelta(days=self.rng.randint(1, 10)), self.some_time(9, 17)))

    def add_today(self) -> None:
        """Today's book: three short visits at opening, up to five a package covers (the last of
        them booked "to be covered by" its holding), walk-ins. Of those over by now, the opening
        ones, the first covered one and most walk-ins are paid; a customer called to cancel one."""
        rng, day = self.rng, self.today
        free = list(self.customer_ids)
        rng.shuffle(free)
        short = [service for service in self.services.values()
                 if service.duration_min <= 60 and service.name not in self.class_times]
        opening: list[_Visit] = []
        for service in rng.sample(short, len(short)):  # three short visits at opening
            if len(opening) == 3:
                break
            visit = self.walk_in(free[-1], day, self.booked_before(day), service=service, only_at=self.open)
            if visit is not None:
                opening.append(visit)
                free.pop()
        covered: list[_Visit] = []
        for holding in rng.sample(self.active, len(self.active)):
            if len(covered) < 5 and holding.customer_id in free:
                visit = self.covered_visit(holding, day, self.booked_before(day))
                if visit is not None:
                    free.remove(holding.customer_id)
                    covered.append(visit)
        covered.sort(key=lambda visit: visit.start)
        if covered:
            covered[-1].cover_holding_id = covered[-1].covered_by
        others = [visit for _ in range(rng.randint(13, 15) - len(opening) - len(covered))
                  if (visit := self.walk_in(free.pop(), day, self.booked_before(day))) is not None]
        for visit in sorted(opening + covered + others, key=lambda visit: visit.booked_at):
            self.book(visit)
        paid_when_over = opening + covered[:-1][:1] + [visit for visit in others if rng.random() < 0.6]
        for visit in paid_when_over:
            if visit.end <= self.now:
                self.schedule_event(min(visit.end + timedelta(minutes=5), self.now),
                                    lambda when, v=visit: self.pay(v, when))
        unpaid = [visit for visit in others if visit not in paid_when_over]
        if unpaid:  # a customer called to cancel, shortly before now (or before closing last night)
            late = max(unpaid, key=lambda visit: visit.start)
            called = max(late.booked_at + timedelta(minutes=30), self.last_open - timedelta(minutes=rng.randint(5, 60)))
            self.schedule_event(called, lambda when: self.cancel(late, when))
        self.replay()

    def add_upcoming(self) -> None:
        """The next two weeks: the regulars come back on their packages, and a few bookings a
        day, some "to be covered by" a package."""
        rng = self.rng
        for customer_id, _ in self.regulars:
            holding = next((view for view in self.active if view.customer_id == customer_id), None)
            for offset in range(1, 7) if holding else ():
                visit = self.covered_visit(holding, self.today + timedelta(days=offset), self.booked_before(self.today))
                if visit is not None:
                    visit.cover_holding_id = visit.covered_by
                    self.book(visit)
                    break
        for offset in range(1, UPCOMING_DAYS + 1):
            day = self.today + timedelta(days=offset)
            free = list(self.customer_ids)
            rng.shuffle(free)
            for _ in range(rng.randint(3, 6)):
                visit = None
                if self.active and rng.random() < 0.3:
                    holding = rng.choice(self.active)
                    visit = self.covered_visit(holding, day, self.booked_before(self.today + timedelta(days=1)))
                    if visit is not None:
                        visit.cover_holding_id = visit.covered_by
                if visit is None:
                    visit = self.walk_in(free.pop(), day, self.booked_before(self.today + timedelta(days=1)))
                if visit is not None:
                    self.book(visit)

    def summary(self) -> DemoSummary:
        """Count what the database holds now: its holdings and ledger entries, and today as the desk
        reads it."""
        assert self.session is not None
        holdings, entries = (self.session.exec(select(func.count()).select_from(table)).one()
                             for table in (Holding, LedgerEntry))
        today = self.run(appointments.day_appointments, self.business, day=self.today)
        unpaid = [row for row in today if not row.is_paid and row.status != AppointmentStatus.CANCELLED]
        return DemoSummary(customers=len(self.customer_ids), holdings=holdings, appointments=self.booked,
                           appointments_today=len(today), unpaid_today=len(unpaid), ledger_entries=entries)
