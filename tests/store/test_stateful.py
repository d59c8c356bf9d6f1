"""A stateful model of the desk (issue 9, keep proving it, point 3), on SQLite and PostgreSQL.

A hypothesis `RuleBasedStateMachine` sells and assigns packages, books appointments in the past
and the future, pays them from a chosen holding (or by card) with a fresh checkout key, retries a
checkout with its key, cancels (with or without a refund of the money paid), marks no-shows,
reverses redemptions, adjusts and voids holdings (with or without a refund), and moves the
desk's clock forward. Beside the database it keeps its own model of the rules (`Model`): what
each holding holds, per balance line, and what each appointment was paid with. Each rule asks
the model first whether the desk should do it and what it should move; the desk must agree (a
refusal the model expects, a change it predicts), and a refused step must leave everything as it
was.

After every step (`invariant`): each balance equals the model's own arithmetic (never read back
from the ledger), every cached balance equals the sum of its ledger entries, nothing is
negative, an appointment has at most one standing redemption (and the one the model says), the
money paid for an appointment never exceeds its price, and the money paid for a sale is what the
model says is left of it after refunds.

Each example works on two new customers in the test's database, so examples do not interfere;
the model never reads balances from the database. The steps run per backend are counted in
`STEPS` and printed at the end (``pytest -s``).
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import case, func
from sqlmodel import col, select

from frontdesk.domain.kinds import Tender
from frontdesk.domain.terms import Contents, FixedLine, Period, PeriodUnit, Terms, ValueType
from frontdesk.models import Appointment, Holding, HoldingLine, LedgerEntry, Payment
from frontdesk.services import appointments, checkout, customers, ledger, sales
from frontdesk.services.errors import FrontDeskError
from frontdesk.services.sales import TenderLine
from frontdesk.services.views import Receipt, holding_views
from tests.conftest import NOW
from tests.store.conftest import Spa
from tests.world import SERVICES

pytestmark = pytest.mark.slow
T = TypeVar("T")

STEPS: Counter[str] = Counter()  # rule executions per backend, over the whole run
OUTCOMES: Counter[tuple[str, str, str]] = Counter()  # (backend, rule, "done" / "refused")
_numbers = itertools.count()  # customer names and checkout keys unique across examples

EXAMPLES, STEPS_PER_EXAMPLE = 40, 20
FLOOR = 500  # rule executions per backend the run must reach (hypothesis may stop some examples early)

# the packages on sale here: each one's balance lines when sold, its price and its validity
KINDS = ["visits", "minutes", "credit", "unlimited", "journey", "strict"]
OPENING = {"visits": [3], "minutes": [150], "credit": [15000], "unlimited": [0], "journey": [1, 2], "strict": [5]}
PRICES = {"visits": 20000, "minutes": 20000, "credit": 12000, "unlimited": 9000, "journey": 25000, "strict": 35000}
WEEK_DAYS = {"unlimited": 7}  # valid through the purchase day plus this many days; the others never expire
JOURNEY = ["Swedish Massage", "Thai Massage"]  # the Journey's lines, one Swedish and two Thai
NOTICE = timedelta(hours=24)  # the strict pack: a cancel with less notice, or a no-show, forfeits the visit
FIT = st.sampled_from([True, True, True, False])  # mostly pick what the rule should go through for
BOOKABLE = ["Swedish Massage", "Thai Massage", "Sauna", "Basic Lesson"]


def _packages(spa: Spa) -> dict[str, int]:
    week = Period(1, PeriodUnit.WEEKS)
    return {
        "visits": spa.package(Terms(title="Visits", value_type=ValueType.VISITS, quantity=3, price=PRICES["visits"])),
        "minutes": spa.package(Terms(title="Minutes", value_type=ValueType.MINUTES, quantity=150,
                                     price=PRICES["minutes"])),
        "credit": spa.package(Terms(title="Credit", value_type=ValueType.AMOUNT, quantity=15000,
                                    price=PRICES["credit"])),
        "unlimited": spa.package(Terms(title="Unlimited week", value_type=ValueType.UNLIMITED,
                                       price=PRICES["unlimited"], expires_in=week)),
        "journey": spa.package(Terms(title="Journey", contents=Contents.FIXED, value_type=None,
                                     price=PRICES["journey"],
                                     fixed_lines=(FixedLine(spa.swedish, "", 1), FixedLine(spa.thai, "", 2)))),
        "strict": spa.package(Terms(title="Strict Pack", value_type=ValueType.VISITS, quantity=5,
                                    price=PRICES["strict"], cancel_notice_hours=24, late_cancel_forfeits=True,
                                    no_show_forfeits=True)),
    }


# ---- the model ------------------------------------------------------------------------------------

@dataclass
class Held:
    """What the model says one holding holds."""

    id: int
    customer: int
    kind: str
    line_ids: list[int]  # its balance lines in order (their ids, read once: structure, not balance)
    lines: list[int]  # the balance of each line, by the model's arithmetic
    purchased_on: date  # local date of the sale
    valid_until: date | None
    sale_money: int  # money paid for it, less refunds
    void: bool = False


@dataclass
class Standing:
    """A redemption that stands for an appointment: where it took from, how much, what it paid."""

    holding: Held
    line: int
    units: int
    value: int


@dataclass
class Booked:
    """What the model says one appointment is and was paid with."""

    id: int
    customer: int
    service: str
    starts_at: datetime
    price: int
    duration: int
    cover: Held | None  # booked "to be covered by" this holding
    status: str = "booked"
    money: int = 0  # cash/card paid, less refunds
    standing: Standing | None = None

    @property
    def paid(self) -> int:
        return self.money + (self.standing.value if self.standing else 0)

    @property
    def due(self) -> int:
        return max(self.price - self.paid, 0)


@dataclass
class Model:
    """The rules of DESIGN.md for the packages above, with the desk's time zone."""

    tz: ZoneInfo
    holdings: list[Held] = field(default_factory=list)
    booked: list[Booked] = field(default_factory=list)

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()

    def wanted(self, holding: Held, appointment: Booked) -> tuple[int, int] | None:
        """What paying `appointment` from `holding` would take whatever is left, (line, units) (money:
        all it is due), or None when the holding would not cover it for another reason than its balance."""
        if appointment.standing is not None or holding.customer != appointment.customer or holding.void:
            return None
        day = self.local_day(appointment.starts_at)
        if day < holding.purchased_on or (holding.valid_until is not None and day > holding.valid_until):
            return None
        match holding.kind:
            case "journey":
                lines = [n for n, name in enumerate(JOURNEY) if name == appointment.service]
                return (lines[0], 1) if lines else None
            case "visits" | "strict":
                return (0, 1)
            case "minutes":
                return (0, appointment.duration)
            case "credit":
                return (0, appointment.due)
            case _:  # unlimited: nothing taken
                return (0, 0)

    def held(self, holding: Held, but: Booked | None = None) -> list[int]:
        """What the booked appointments covered by `holding` hold on each of its lines (all but `but`'s
        own): in booking order, each what it would take; money no more than is left after the holds before."""
        held = [0] * len(holding.lines)
        for appointment in self.booked:
            if appointment.cover is not holding or appointment.status != "booked" or appointment is but \
                    or appointment.paid >= appointment.price:
                continue  # only a booked appointment still to pay holds
            wanted = self.wanted(holding, appointment)
            if wanted is None:
                continue
            line, units = wanted
            if holding.kind == "credit":
                units = min(units, max(0, holding.lines[line] - held[line]))
            held[line] += units
        return held

    def take(self, holding: Held, appointment: Booked) -> tuple[int, int, int] | None:
        """What paying `appointment` from `holding` takes: (line, units, value paid), or None when it
        does not cover it, judged against what is free of the other bookings' holds."""
        wanted = self.wanted(holding, appointment)
        if wanted is None:
            return None
        line, units = wanted
        free = holding.lines[line] - self.held(holding, but=appointment)[line]
        due, left = appointment.due, holding.lines[line]
        match holding.kind:
            case "journey" | "visits" | "strict":
                return (line, 1, due) if left >= 1 and free >= 1 else None
            case "minutes":
                return (0, units, due) if left > 0 and left >= units and free >= units else None
            case "credit":
                return (0, min(free, due), min(free, due)) if left > 0 and free > 0 else None
            case _:
                return (0, 0, due)

    def redeem(self, holding: Held, appointment: Booked, taken: tuple[int, int, int]) -> None:
        line, units, value = taken
        holding.lines[line] -= units
        appointment.standing = Standing(holding, line, units, value)

    def reverse(self, appointment: Booked) -> None:
        """The units go back to the line they came from, whatever became of the holding since."""
        standing = appointment.standing
        assert standing is not None
        standing.holding.lines[standing.line] += standing.units
        appointment.standing = None

    def tied(self, appointment: Booked) -> Held | None:
        """The holding whose policy applies: the standing redemption's, else the one it was booked for."""
        return appointment.standing.holding if appointment.standing else appointment.cover

    def forfeit(self, appointment: Booked) -> None:
        """The strict pack takes what the appointment would have taken, when it can."""
        tied = self.tied(appointment)
        if tied is not None and appointment.standing is None:
            taken = self.take(tied, appointment)
            if taken is not None:
                self.redeem(tied, appointment, taken)


# ---- reading the database (for the checks, never for the model's expectations) ---------------------

@dataclass(frozen=True)
class Snapshot:
    """What the example's holdings and appointments are in the database: balances by line, how
    many ledger entries, every payment, statuses, and redemptions less reversals by appointment."""

    lines: dict[int, int]
    entries: int
    payments: list[tuple]
    statuses: dict[int, str]
    standing: dict[int, int]
    held: dict[int, int]  # what booked appointments hold on each holding that has something held


def snapshot(spa: Spa, holding_ids: list[int], appointment_ids: list[int], now: datetime) -> Snapshot:
    with spa.desk.engine.connect() as connection:
        lines = dict(connection.execute(select(HoldingLine.id, HoldingLine.remaining)
                                        .where(col(HoldingLine.holding_id).in_(holding_ids))).all())
        entries = connection.execute(select(func.count()).select_from(LedgerEntry)
                                     .where(col(LedgerEntry.holding_id).in_(holding_ids))).scalar_one()
        payments = [tuple(row) for row in connection.execute(
            select(Payment.id, Payment.appointment_id, Payment.sale_holding_id, Payment.tender, Payment.amount)
            .where(col(Payment.appointment_id).in_(appointment_ids) | col(Payment.sale_holding_id).in_(holding_ids))
            .order_by(Payment.id))]
        statuses = dict(connection.execute(select(Appointment.id, Appointment.status)
                                           .where(col(Appointment.id).in_(appointment_ids))).all())
        rounds = case((LedgerEntry.kind == "redeem", 1), (LedgerEntry.kind == "reverse", -1), else_=0)
        standing = dict(connection.execute(select(LedgerEntry.appointment_id, func.sum(rounds))
                                           .where(col(LedgerEntry.appointment_id).in_(appointment_ids))
                                           .group_by(LedgerEntry.appointment_id)).all())
    held = {view.id: view.held for view in spa.desk.read(lambda session: holding_views(
        session, session.exec(select(Holding).where(col(Holding.id).in_(holding_ids))).all(), spa.desk.business,
        now)) if view.held}
    return Snapshot(lines, entries, payments, statuses, {key: int(value) for key, value in standing.items()}, held)


# ---- the test -------------------------------------------------------------------------------------

def test_a_stateful_model_agrees_with_the_desk_after_every_step(spa: Spa) -> None:
    backend = spa.desk.engine.dialect.name
    packages = _packages(spa)
    services = {name: spa.services[name] for name in BOOKABLE}
    tz = spa.desk.business.tz
    business = spa.desk.business

    class DeskAndModel(RuleBasedStateMachine):
        """The desk and the model side by side; every rule asks the model, then the desk."""

        def __init__(self) -> None:
            super().__init__()
            self.model = Model(tz)
            self.now = NOW
            self.customers: list[int] = []
            self.last: Snapshot | None = None  # what the invariant read after the last step
            self.checkouts: list[tuple[str, Booked, int | None, list[TenderLine], Receipt]] = []

        # -- helpers --

        def desk(self, staff: int):  # noqa: ANN202
            return spa.desk.by(staff, at=self.now)

        def state(self) -> Snapshot:
            return snapshot(spa, [h.id for h in self.model.holdings], [a.id for a in self.model.booked], self.now)

        def attempt(self, name: str, allowed: bool, action: Callable[[], T]) -> T | None:
            """Run `action` on the desk: it must go through when the model says `allowed`, and be
            refused (changing nothing at all) when it says not. The model knows every rule these
            packages meet, dates included, so it always says. Returns what the desk returned, or
            None when it refused."""
            STEPS[backend] += 1
            before = self.last if self.last is not None else self.state()
            try:
                result = action()
            except FrontDeskError as refused:
                OUTCOMES[backend, name, "refused"] += 1
                assert not allowed, f"{name} was refused ({refused}), but the model allows it"
                assert self.state() == before, f"{name} was refused, yet something changed"
                return None
            self.last = None  # changed: read afresh
            OUTCOMES[backend, name, "done"] += 1
            assert allowed, f"{name} went through, but the model refuses it"
            return result

        @staticmethod
        def pick(items: list, fitting: list, which: int, fit: bool):  # noqa: ANN205
            """One of `fitting` (those the rule would go through for) when `fit` and there are any,
            else any of `items`: most attempts are meant to succeed, some to be refused."""
            pool = fitting if fit and fitting else items
            return pool[which % len(pool)]

        def own(self, customer: int) -> list[Held]:
            return [h for h in self.model.holdings if h.customer == customer]

        def open(self, customer: int, kind: str, holding_id: int, sale_money: int) -> None:
            with spa.desk.engine.connect() as connection:
                line_ids = list(connection.execute(select(HoldingLine.id).where(HoldingLine.holding_id == holding_id)
                                                   .order_by(HoldingLine.position)).scalars())
            today = self.model.local_day(self.now)
            days = WEEK_DAYS.get(kind)
            self.model.holdings.append(Held(holding_id, customer, kind, line_ids, list(OPENING[kind]), today,
                                            today + timedelta(days=days) if days else None, sale_money))

        # -- rules --

        @initialize(kinds=st.tuples(st.sampled_from(KINDS), st.sampled_from(KINDS)),
                    services=st.tuples(st.sampled_from(BOOKABLE), st.sampled_from(BOOKABLE)),
                    hours=st.tuples(st.integers(-72, 240), st.integers(-72, 240)))
        def two_customers(self, kinds: tuple[str, str], services: tuple[str, str], hours: tuple[int, int]) -> None:
            """Two new customers, each with a package bought and an appointment booked: something to pay
            from the first step on."""
            for who in range(2):
                self.customers.append(self.desk(spa.reception).write(
                    customers.create_customer, spa.desk.business, name=f"Stateful {next(_numbers)}").id)
                self.sell(who, kinds[who])
                self.book(who, services[who], hours[who], None)

        @rule(who=st.integers(0, 1), kind=st.sampled_from(KINDS))
        def sell(self, who: int, kind: str) -> None:
            customer = self.customers[who]
            sold = self.attempt("sell", True, lambda: self.desk(spa.reception).write(
                sales.sell, business, customer_id=customer, package_id=packages[kind],
                tenders=[TenderLine(Tender.CARD, PRICES[kind])]))
            self.open(customer, kind, sold.id, PRICES[kind])

        @rule(who=st.integers(0, 1), kind=st.sampled_from(KINDS), manager=FIT)
        def assign(self, who: int, kind: str, manager: bool) -> None:
            customer = self.customers[who]
            given = self.attempt("assign", manager, lambda: self.desk(spa.manager if manager else spa.reception).write(
                sales.assign, business, customer_id=customer, package_id=packages[kind], reason="goodwill"))
            if given is not None:
                self.open(customer, kind, given.id, 0)

        @rule(who=st.integers(0, 1), service=st.sampled_from(BOOKABLE), hours=st.integers(-72, 240),
              cover=st.none() | st.integers(0, 50))
        def book(self, who: int, service: str, hours: int, cover: int | None) -> None:
            customer = self.customers[who]
            own = self.own(customer)
            covered_by = own[cover % len(own)] if cover is not None and own else None
            starts_at = self.now + timedelta(hours=hours)
            minutes, price = SERVICES[service]
            new = Booked(0, customer, service, starts_at, price, minutes, covered_by)
            # refused when the package would cover it but has not enough free of the other bookings' holds
            allowed = covered_by is None or self.model.wanted(covered_by, new) is None \
                or self.model.take(covered_by, new) is not None
            # one that has begun was booked when it began (the desk refuses a time gone by)
            desk = spa.desk.by(spa.reception, at=min(self.now, starts_at))
            booking = self.attempt("book" if allowed else "book refused", allowed, lambda: desk.write(
                appointments.book, business, customer_id=customer, service_id=services[service], starts_at=starts_at,
                cover_holding_id=covered_by.id if covered_by else None))
            if booking is None:
                return
            new.id = booking.appointment.id
            self.model.booked.append(new)
            if covered_by is not None and covered_by.kind != "unlimited":
                # booking with cover never makes held exceed what is left
                assert all(held <= left or before == held for held, left, before in zip(
                    self.model.held(covered_by), covered_by.lines, self.model.held(covered_by, but=new)))

        def covering(self) -> list[tuple[Booked, Held]]:
            """Every (appointment, holding) the model says a checkout from the holding would pay."""
            return [(a, h) for a in self.payable() for h in self.model.holdings if self.model.take(h, a) is not None]

        @precondition(lambda self: self.covering())
        @rule(which=st.integers(0, 200))
        def redeem(self, which: int) -> None:
            """Checkout with a fresh key from a holding that covers it, the rest by card."""
            covering = self.covering()
            self._checkout(*covering[which % len(covering)])

        @precondition(lambda self: self.model.booked and self.model.holdings)
        @rule(which=st.integers(0, 50), holding=st.integers(0, 50))
        def redeem_any(self, which: int, holding: int) -> None:
            """Checkout from any holding for any appointment: the model says whether it covers it."""
            self._checkout(self.model.booked[which % len(self.model.booked)],
                           self.model.holdings[holding % len(self.model.holdings)])

        @precondition(lambda self: self.payable())
        @rule(which=st.integers(0, 50), fit=FIT)
        def pay_by_card(self, which: int, fit: bool) -> None:
            """Checkout with a fresh key, all by card (money a cancellation may refund)."""
            self._checkout(self.pick(self.model.booked, self.payable(), which, fit), None)

        def payable(self) -> list[Booked]:
            return [a for a in self.model.booked if a.status != "cancelled" and a.paid < a.price]

        def _checkout(self, appointment: Booked, chosen: Held | None) -> None:
            payable = appointment.status != "cancelled" and appointment.paid < appointment.price
            taken = self.model.take(chosen, appointment) if chosen is not None else None
            allowed = payable and (chosen is None or taken is not None)
            rest = appointment.due - (taken[2] if taken else 0)
            tenders = [TenderLine(Tender.CARD, rest)] if rest > 0 else []
            key = f"stateful-{next(_numbers)}"
            name = ("redeem" if allowed else "redeem refused") if chosen else "pay by card"
            receipt = self.attempt(name, bool(allowed), lambda: self.desk(spa.reception).write(
                checkout.checkout, business, key=key, appointment_id=appointment.id,
                package=chosen.id if chosen else None, tenders=tenders))
            if receipt is None:
                return
            assert not receipt.replayed and receipt.total == appointment.due
            if taken is not None:
                self.model.redeem(chosen, appointment, taken)
            appointment.money += rest
            if appointment.status == "booked" and appointment.starts_at <= self.now:
                appointment.status = "completed"  # paid at or after its start: she came
            self.checkouts.append((key, appointment, chosen.id if chosen else None, tenders, receipt))

        @precondition(lambda self: self.checkouts)
        @rule(which=st.integers(0, 50), elsewhere=st.booleans())
        def retry(self, which: int, elsewhere: bool) -> None:
            """The same key again: the same receipt, nothing changed. With another appointment: refused."""
            key, appointment, package, tenders, first = self.checkouts[which % len(self.checkouts)]
            others = [a for a in self.model.booked if a is not appointment]
            if elsewhere and others:
                other = others[which % len(others)]
                self.attempt("retry elsewhere", False, lambda: self.desk(spa.reception).write(
                    checkout.checkout, business, key=key, appointment_id=other.id, package=package, tenders=tenders))
                return
            before = self.last if self.last is not None else self.state()
            again = self.attempt("retry", True, lambda: self.desk(spa.reception).write(
                checkout.checkout, business, key=key, appointment_id=appointment.id, package=package,
                tenders=tenders))
            assert again == replace(first, replayed=True)
            assert self.state() == before

        def _cancel(self, name: str, appointment: Booked, manager: bool, reason: str, refund: int) -> None:
            model = self.model
            forfeits = (model.tied(appointment) is not None and model.tied(appointment).kind == "strict"
                        and appointment.starts_at - self.now < NOTICE)
            gives_back = (appointment.standing is not None and not forfeits) or appointment.money > 0
            manager_job = (appointment.status in ("completed", "no-show")
                           or (gives_back and appointment.starts_at <= self.now))
            allowed = (appointment.status != "cancelled"
                       and (not manager_job or (manager and reason))
                       and refund <= appointment.money
                       and (refund == appointment.money or reason))
            refunds = [TenderLine(Tender.CARD, refund)] if refund else []
            done = self.attempt(name, bool(allowed), lambda: self.desk(spa.manager if manager else spa.reception).write(
                appointments.cancel, business, appointment_id=appointment.id, reason=reason, refunds=refunds))
            if done is None:
                return
            assert done.refunded == refund
            if not forfeits:
                if appointment.standing is not None:
                    model.reverse(appointment)
            elif appointment.standing is None and appointment.status == "booked":
                model.forfeit(appointment)
            appointment.money -= refund
            appointment.status = "cancelled"

        @precondition(lambda self: any(a.status != "cancelled" for a in self.model.booked))
        @rule(which=st.integers(0, 50), manager=FIT, reason=st.sampled_from(["she called", "she called", ""]), fit=FIT)
        def cancel(self, which: int, manager: bool, reason: str, fit: bool) -> None:
            """Reception before the start; a manager with a reason after (both tried either way)."""
            standing = [a for a in self.model.booked if a.status != "cancelled"]
            self._cancel("cancel", self.pick(self.model.booked, standing, which, fit), manager, reason, 0)

        @precondition(lambda self: any(a.money > 0 and a.status != "cancelled" for a in self.model.booked))
        @rule(which=st.integers(0, 50), fit=FIT, manager=st.booleans(),
              share=st.sampled_from(["all", "part", "too much"]), reason=st.sampled_from(["late cancel fee", ""]))
        def refund_on_cancel(self, which: int, fit: bool, manager: bool, share: str, reason: str) -> None:
            """Cancel an appointment paid with money, refunding all or part by a manager with a reason; or
            anything (more than was paid, no reason, by reception after the start) for the model to judge."""
            if fit:
                manager, reason, share = True, "late cancel fee", "part" if share == "part" else "all"
            paid = [a for a in self.model.booked if a.money > 0]
            appointment = self.pick(paid, [a for a in paid if a.status != "cancelled"], which, True)
            refund = {"all": appointment.money, "part": appointment.money // 2 or 1,
                      "too much": appointment.money + 100}[share]
            self._cancel("refund on cancel", appointment, manager, reason, refund)

        @precondition(lambda self: any(a.status == "booked" for a in self.model.booked))
        @rule(which=st.integers(0, 50), fit=FIT)
        def no_show(self, which: int, fit: bool) -> None:
            appointment = self.pick(self.model.booked, [a for a in self.model.booked if a.status == "booked"], which,
                                    fit)
            done = self.attempt("no-show", appointment.status == "booked", lambda: self.desk(spa.reception).write(
                appointments.no_show, business, appointment_id=appointment.id))
            if done is None:
                return
            tied = self.model.tied(appointment)
            if tied is not None and tied.kind == "strict":
                self.model.forfeit(appointment)  # kept when it stands, taken now when it can be
            appointment.status = "no-show"

        @precondition(lambda self: any(a.standing for a in self.model.booked))
        @rule(which=st.integers(0, 50), manager=FIT, fit=FIT)
        def reverse(self, which: int, manager: bool, fit: bool) -> None:
            appointment = self.pick(self.model.booked, [a for a in self.model.booked if a.standing], which, fit)
            done = self.attempt("reverse", manager and appointment.standing is not None,
                                lambda: self.desk(spa.manager if manager else spa.reception).write(
                                    appointments.reverse_redemption, business, appointment_id=appointment.id,
                                    reason="paid from the wrong pack"))
            if done is not None:
                self.model.reverse(appointment)

        @precondition(lambda self: self.model.holdings)
        @rule(which=st.integers(0, 50), delta=st.integers(-200, 200), fit=FIT)
        def adjust(self, which: int, delta: int, fit: bool) -> None:
            holding = self.pick(self.model.holdings, [h for h in self.model.holdings if not h.void], which, fit)
            allowed = (not holding.void and holding.kind != "unlimited" and delta != 0
                       and holding.lines[0] + delta >= 0)
            done = self.attempt("adjust", allowed, lambda: self.desk(spa.manager).write(
                ledger.adjust, business, holding_id=holding.id, delta=delta, reason="stock count"))
            if done is not None:
                holding.lines[0] += delta

        @precondition(lambda self: self.model.holdings)
        @rule(which=st.integers(0, 50), share=st.sampled_from(["none", "all", "part", "too much"]), fit=FIT)
        def void(self, which: int, share: str, fit: bool) -> None:
            holding = self.pick(self.model.holdings, [h for h in self.model.holdings if not h.void], which, fit)
            refund = {"none": 0, "all": holding.sale_money, "part": holding.sale_money // 3,
                      "too much": holding.sale_money + 100}[share]
            refunds = [TenderLine(Tender.CARD, refund)] if refund else []
            allowed = not holding.void and refund <= holding.sale_money
            done = self.attempt("void", allowed, lambda: self.desk(spa.manager).write(
                ledger.void, business, holding_id=holding.id, reason="sold by mistake", refunds=refunds))
            if done is not None:
                assert done.refunded == refund
                holding.lines[:] = [0] * len(holding.lines)
                holding.void = True
                holding.sale_money -= refund

        @rule(step=st.one_of(st.integers(1, 12).map(lambda h: timedelta(hours=h)),
                             st.integers(1, 6).map(lambda d: timedelta(days=d))))
        def advance_clock(self, step: timedelta) -> None:
            STEPS[backend] += 1
            self.now += step

        # -- after every step --

        @invariant()
        def the_desk_agrees_with_the_model(self) -> None:
            model = self.model
            state = self.last = self.state()
            expected = {line_id: balance for holding in model.holdings
                        for line_id, balance in zip(holding.line_ids, holding.lines, strict=True)}
            assert state.lines == expected, "a balance differs from the model's arithmetic"
            assert all(balance >= 0 for balance in state.lines.values())
            assert spa.desk.read(ledger.check, [h.id for h in model.holdings]) == []
            assert all(count in (0, 1) for count in state.standing.values()), state.standing
            assert {a.id: state.standing.get(a.id, 0) for a in model.booked} == {
                a.id: int(a.standing is not None) for a in model.booked}
            assert state.statuses == {a.id: a.status for a in model.booked}
            money: Counter[int] = Counter()
            paid: Counter[int] = Counter()
            sale: Counter[int] = Counter()
            for _, appointment_id, sale_holding_id, tender, amount in state.payments:
                if appointment_id is not None:
                    paid[appointment_id] += amount
                    if tender != Tender.PACKAGE:
                        money[appointment_id] += amount
                if sale_holding_id is not None:
                    sale[sale_holding_id] += amount
            for appointment in model.booked:
                # money paid never exceeds the price, nor does everything paid with it
                assert 0 <= money[appointment.id] <= paid[appointment.id] <= appointment.price
                assert (money[appointment.id], paid[appointment.id]) == (appointment.money, appointment.paid)
            assert {h.id: sale[h.id] for h in model.holdings} == {h.id: h.sale_money for h in model.holdings}
            assert state.held == {h.id: sum(model.held(h)) for h in model.holdings if sum(model.held(h))}

    run_state_machine_as_test(DeskAndModel, settings=settings(
        max_examples=EXAMPLES, stateful_step_count=STEPS_PER_EXAMPLE, deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]))

    outcomes = ", ".join(f"{rule} {OUTCOMES[backend, rule, 'done']}/{OUTCOMES[backend, rule, 'refused']}"
                         for rule in sorted({rule for b, rule, _ in OUTCOMES if b == backend}))
    print(f"\n{backend}: {STEPS[backend]} state-machine steps (done/refused: {outcomes})")
    assert STEPS[backend] >= FLOOR
