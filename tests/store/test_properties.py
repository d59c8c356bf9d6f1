"""Property: any sequence of sell / redeem / cancel / adjust / void keeps every balance
non-negative, keeps the cached balance equal to the sum of its ledger entries, and moves each
balance exactly as a simple model of the rules says.

Each example works on a new customer in the test's database, so examples do not interfere.
"""

from __future__ import annotations

import itertools
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from frontdesk.domain.terms import Contents, FixedLine, Period, PeriodUnit, Terms, ValueType
from frontdesk.models import HoldingLine, LedgerEntry
from frontdesk.services import appointments, checkout, customers, ledger
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


def test_random_sequences_keep_the_ledger_balanced(spa: Spa) -> None:
    packages = _packages(spa)
    services = {"swedish": spa.swedish, "thai": spa.thai, "sauna": spa.sauna}
    tomorrow = spa.desk.now().astimezone(NY).date() + timedelta(days=1)

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(operation, min_size=1, max_size=15))
    def run(operations: list[tuple]) -> None:
        desk = spa.desk
        customer = desk.write(customers.create_customer, name=f"Prop {next(_names)}").id
        holdings: list[int] = []
        paid: list[int] = []
        model: dict[int, int] = {}  # line id → expected remaining
        for number, op in enumerate(operations):
            before = _lines(spa, holdings)
            try:
                if op[0] == "sell":
                    holdings.append(spa.sell(customer, packages[op[1]]))
                    model.update(_lines(spa, [holdings[-1]]))
                elif op[0] == "redeem" and holdings:
                    holding = holdings[op[1] % len(holdings)]
                    start = datetime.combine(tomorrow, time(8), NY) + timedelta(minutes=30 * op[3])
                    appointment = spa.book(customer, services[op[2]], start)
                    receipt = desk.write(checkout.checkout, desk.business, key=f"p{customer}-{number}",
                                         appointment_id=appointment, package=holding, actor=spa.reception,
                                         now=desk.now(), tenders=[])
                    paid.append(appointment)
                    entry = desk.read(ledger.history, desk.business, customer_id=customer, limit=1)[0]
                    assert entry.kind == "redeem" and receipt.payments[0].tender == "package"
                    model[_line_of(spa, entry.id)] += entry.delta
                elif op[0] == "cancel" and paid:
                    result = desk.write(appointments.cancel, desk.business, appointment_id=paid[op[1] % len(paid)],
                                        actor=spa.reception, now=desk.now())
                    if result.returned:
                        entry = desk.read(ledger.history, desk.business, customer_id=customer, limit=1)[0]
                        assert entry.kind == "reverse"
                        model[_line_of(spa, entry.id)] += entry.delta
                elif op[0] == "adjust" and holdings:
                    holding = holdings[op[1] % len(holdings)]
                    desk.write(ledger.adjust, desk.business, holding_id=holding, delta=op[2], reason="count",
                               actor=spa.manager, now=desk.now())
                    entry = desk.read(ledger.history, desk.business, customer_id=customer, limit=1)[0]
                    model[_line_of(spa, entry.id)] += op[2]
                elif op[0] == "void" and holdings:
                    holding = holdings[op[1] % len(holdings)]
                    desk.write(ledger.void, desk.business, holding_id=holding, reason="refunded",
                               actor=spa.manager, now=desk.now())
                    for line_id in _lines(spa, [holding]):
                        model[line_id] = 0
            except FrontDeskError:
                assert _lines(spa, holdings) == before  # a refused change saves nothing
            lines = _lines(spa, holdings)
            assert all(remaining >= 0 for remaining in lines.values())
            assert lines == model
            assert desk.read(ledger.check, holdings) == []

    run()


def _line_of(spa: Spa, entry_id: int) -> int:
    with spa.desk.engine.connect() as connection:
        return connection.execute(select(LedgerEntry.line_id).where(LedgerEntry.id == entry_id)).scalar_one()
