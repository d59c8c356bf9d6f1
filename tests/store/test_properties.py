"""Property: any sequence of sell / redeem / cancel / adjust / void keeps every balance
non-negative, keeps the cached balance equal to the sum of its ledger entries, and moves each
balance exactly as a simple model of the rules says.

The model (`Expected`) knows the packages on sale here and the rules of DESIGN.md, and nothing of
the ledger: it says whether each operation goes through and what it does to each balance line,
and the database must agree after every step.

Each example works on a new customer in the test's database, so examples do not interfere.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from frontdesk.domain.terms import (
    Contents,
    FixedLine,
    Period,
    PeriodUnit,
    Terms,
    ValueType,
)
from frontdesk.models import HoldingLine
from frontdesk.services import appointments, checkout, customers, ledger, liability
from frontdesk.services.errors import FrontDeskError
from tests.store.conftest import Spa

NY = ZoneInfo("America/New_York")
_names = itertools.count()

KINDS = ["visits", "minutes", "amount", "unlimited", "fixed"]

operation = st.one_of(
    st.tuples(st.just("sell"), st.sampled_from(KINDS)),
    st.tuples(st.just("redeem"), st.integers(0, 5), st.sampled_from(["swedish", "thai", "sauna"]),
              st.integers(0, 20)),
    st.tuples(st.just("cancel"), st.integers(0, 9)),
    st.tuples(st.just("adjust"), st.integers(0, 5), st.integers(-150, 150)),
    st.tuples(st.just("void"), st.integers(0, 5)),
)


# the services booked here: (minutes, price)
SERVICES = {"swedish": (60, 8000), "thai": (90, 10000), "sauna": (30, 2500)}
# each package's balance lines when sold (see `_packages`); the Journey has a Swedish and a Thai line
OPENING = {"visits": [3], "minutes": [150], "amount": [15000], "unlimited": [0], "fixed": [1, 2]}
JOURNEY_LINES = ["swedish", "thai"]
# what was paid for the single-line packages, and how many units it bought (see `_packages`)
BOUGHT = {"visits": (20000, 3), "minutes": (20000, 150), "amount": (12000, 15000)}


@dataclass
class Expected:
    """What one holding should hold: its balance per line, and whether it is void. Each method
    says what an operation does to it (a change to apply once the desk has done it), or None
    when the rules refuse it."""

    kind: str
    lines: list[int]
    void: bool = False

    def redemption(self, service: str, redeemed: list[Redemption]) -> Callable[[], None] | None:
        """Paying a `service` booked tomorrow (inside every validity) from this holding alone,
        with no money: 1 visit, its minutes, its price in credit (less credit than the price
        would leave the rest to pay, and no money is offered), nothing for unlimited, 1 from
        the Journey's line for that service."""
        minutes, price = SERVICES[service]
        if self.void:
            return None
        if self.kind == "fixed":
            found = [number for number, name in enumerate(JOURNEY_LINES) if name == service and self.lines[number] >= 1]
            if not found:
                return None
            line, units = found[0], 1
        else:
            line, units = 0, {"visits": 1, "minutes": minutes, "amount": price, "unlimited": 0}[self.kind]
            if self.lines[0] < units:
                return None

        def redeem() -> None:
            self.lines[line] -= units
            redeemed.append(Redemption(self, line, units))

        return redeem

    def adjustment(self, delta: int) -> Callable[[], None] | None:
        """A manager's change to the first line: not on a void or unlimited holding, not 0, and
        never below zero."""
        if self.void or self.kind == "unlimited" or delta == 0 or self.lines[0] + delta < 0:
            return None

        def adjust() -> None:
            self.lines[0] += delta

        return adjust

    def voiding(self) -> Callable[[], None] | None:
        """Every line to zero, once."""
        if self.void:
            return None

        def void() -> None:
            self.lines[:] = [0] * len(self.lines)
            self.void = True

        return void


@dataclass
class Redemption:
    """What paying one appointment took, and whether the appointment has been cancelled since."""

    holding: Expected
    line: int
    units: int
    cancelled: bool = False

    def cancellation(self) -> Callable[[], None] | None:
        """Cancelling gives the units back to the line they came from, whatever became of the
        holding since; cancelling twice is refused."""
        if self.cancelled:
            return None

        def cancel() -> None:
            self.holding.lines[self.line] += self.units
            self.cancelled = True

        return cancel


def _packages(spa: Spa) -> dict[str, int]:
    week = Period(1, PeriodUnit.WEEKS)
    return {
        "visits": spa.package(Terms(title="Visits", value_type=ValueType.VISITS, quantity=3, price=20000)),
        "minutes": spa.package(Terms(title="Minutes", value_type=ValueType.MINUTES, quantity=150, price=20000)),
        "amount": spa.package(Terms(title="Credit", value_type=ValueType.AMOUNT, quantity=15000, price=12000)),
        "unlimited": spa.package(Terms(title="Unlimited", value_type=ValueType.UNLIMITED, price=9000, expires_in=week)),
        "fixed": spa.package(Terms(title="Journey", contents=Contents.FIXED, value_type=None, price=25000,
                                   fixed_lines=(FixedLine(spa.swedish, "", 1), FixedLine(spa.thai, "", 2)))),
    }


def _lines(spa: Spa, holding_ids: list[int]) -> dict[int, int]:
    with spa.desk.engine.connect() as connection:
        rows = connection.execute(
            select(HoldingLine.id, HoldingLine.remaining).where(HoldingLine.holding_id.in_(holding_ids))
        ).all()
    return dict(rows)


def _line_ids(spa: Spa, holding_id: int) -> list[int]:
    """The holding's balance lines, in their order."""
    with spa.desk.engine.connect() as connection:
        return list(connection.execute(
            select(HoldingLine.id).where(HoldingLine.holding_id == holding_id).order_by(HoldingLine.position)
        ).scalars())


def test_random_sequences_keep_the_ledger_balanced(spa: Spa) -> None:
    packages = _packages(spa)
    services = {"swedish": spa.swedish, "thai": spa.thai, "sauna": spa.sauna}
    tomorrow = spa.desk.now().astimezone(NY).date() + timedelta(days=1)

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(operation, min_size=1, max_size=15))
    def run(operations: list[tuple]) -> None:
        desk = spa.desk
        customer = desk.write(customers.create_customer, desk.business, name=f"Prop {next(_names)}").id
        holdings: list[int] = []
        paid: list[int] = []
        expected: list[Expected] = []  # what the rules say each holding holds, beside `holdings`
        redeemed: list[Redemption] = []  # what each paid appointment took, beside `paid`
        adjusted: set[int] = set()  # holdings (by index) with complimentary units or units taken by hand
        for number, op in enumerate(operations):
            before = _lines(spa, holdings)
            change: Callable[[], None] | None = None  # what the model says the operation does; None: refused
            acted = True
            try:
                if op[0] == "sell":
                    holdings.append(spa.sell(customer, packages[op[1]]))
                    expected.append(Expected(op[1], list(OPENING[op[1]])))
                elif op[0] == "redeem" and holdings:
                    index = op[1] % len(holdings)
                    holding = holdings[index]
                    change = expected[index].redemption(op[2], redeemed)
                    start = datetime.combine(tomorrow, time(8), NY) + timedelta(minutes=30 * op[3])
                    appointment = spa.book(customer, services[op[2]], start)
                    receipt = desk.by(spa.reception).write(checkout.checkout, desk.business,
                                                           key=f"p{customer}-{number}", appointment_id=appointment,
                                                           package=holding, tenders=[])
                    paid.append(appointment)
                    entry = desk.read(ledger.history, desk.business, customer_id=customer, limit=1)[0]
                    assert entry.kind == "redeem" and receipt.payments[0].tender == "package"
                elif op[0] == "cancel" and paid:
                    index = op[1] % len(paid)
                    change = redeemed[index].cancellation()
                    result = desk.by(spa.reception).write(appointments.cancel, desk.business,
                                                          appointment_id=paid[index])
                    assert result.returned  # every appointment here was paid by a package
                    entry = desk.read(ledger.history, desk.business, customer_id=customer, limit=1)[0]
                    assert entry.kind == "reverse"
                elif op[0] == "adjust" and holdings:
                    index = op[1] % len(holdings)
                    change = expected[index].adjustment(op[2])
                    adjusted.add(index)
                    desk.by(spa.manager).write(ledger.adjust, desk.business, holding_id=holdings[index], delta=op[2],
                                               reason="count")
                elif op[0] == "void" and holdings:
                    index = op[1] % len(holdings)
                    change = expected[index].voiding()
                    desk.by(spa.manager).write(ledger.void, desk.business, holding_id=holdings[index],
                                               reason="refunded")
                else:
                    acted = False  # nothing to redeem, cancel, adjust or void yet
            except FrontDeskError:
                assert change is None, f"{op} was refused, but the rules allow it"
                assert _lines(spa, holdings) == before  # a refused change saves nothing
            else:
                if acted and op[0] != "sell":
                    assert change is not None, f"{op} went through, but the rules refuse it"
                    change()
            lines = _lines(spa, holdings)
            assert all(remaining >= 0 for remaining in lines.values())
            model = {line_id: remaining for holding, model_holding in zip(holdings, expected, strict=True)
                     for line_id, remaining in zip(_line_ids(spa, holding), model_holding.lines, strict=True)}
            assert lines == model
            assert desk.read(ledger.check, holdings) == []
        # what the business owes for them today: it closes to the cent, and a holding of paid units
        # only is worth its price's share of the units the model says are left
        today = spa.day(0)
        owed = desk.by(spa.manager).read(liability.roll_forward, desk.business, first_day=today, last_day=today)
        assert owed.balanced
        for index, (holding, model_holding) in enumerate(zip(holdings, expected, strict=True)):
            if model_holding.kind in BOUGHT and index not in adjusted:
                price, units = BOUGHT[model_holding.kind]
                # a void owes nothing, even for a unit a later cancellation gives back to it
                worth = 0 if model_holding.void else price * model_holding.lines[0] // units
                assert owed.holdings[holding] == worth

    run()
