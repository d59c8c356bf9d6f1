"""Concurrent redemptions never overspend: 8 processes × 10 redemptions of one 20-visit holding.

Each process has its own engine and connections, waits at a barrier, then redeems its own ten
appointments from the shared holding as fast as it can. Exactly 20 succeed; every other attempt
gets the "no balance left" outcome; the ledger balances. A naive read-then-write redemption
run the same way overspends, which shows the race is real and the guard is what stops it.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from frontdesk.db import create_db_engine, read_session, write_session
from frontdesk.domain.business import Business
from frontdesk.domain.kinds import EntryKind
from frontdesk.domain.money import currency_for
from frontdesk.domain.terms import Terms, ValueType
from frontdesk.models import HoldingLine
from frontdesk.services import appointments, catalogue, checkout, customers, ledger, sales
from frontdesk.services import staff as staff_use_cases
from frontdesk.services.desk import Desk
from frontdesk.services.errors import NoBalanceLeft, NotCovered
from tests.conftest import NOW

PROCESSES = 8
ATTEMPTS = 10
NY = ZoneInfo("America/New_York")
BUSINESS = Business(tz=NY, currency=currency_for("USD"))

pytestmark = pytest.mark.slow


def _setup(url: str, visits: int) -> tuple[int, int, list[list[int]]]:
    """A customer with one `visits`-visit holding and PROCESSES × ATTEMPTS booked appointments."""
    engine = create_db_engine(url)
    desk = Desk(engine, BUSINESS, clock=lambda: NOW)
    staff = desk.by(None).write(staff_use_cases.add_staff_member, name="Manager", role="manager", pin=None).id
    service = desk.by(staff).write(catalogue.add_service, BUSINESS, name="Yoga class", duration_min=60, price=2000).id
    package = desk.by(staff).write(catalogue.save_package, BUSINESS, terms=Terms(
        title="Yoga pass", value_type=ValueType.VISITS, quantity=visits, price=0)).id
    customer = desk.by(staff).write(customers.create_customer, desk.business, name="Maria Lopez").id
    holding = desk.by(staff).write(sales.sell, BUSINESS, customer_id=customer, package_id=package, tenders=[]).id

    def book(index: int) -> int:
        start = datetime.combine(NOW.astimezone(NY).date() + timedelta(days=1 + index // 8),
                                 time(9 + index % 8), NY)
        return desk.by(staff).write(appointments.book, BUSINESS, customer_id=customer, service_id=service,
                                    starts_at=start).appointment.id

    plan = [[book(p * ATTEMPTS + a) for a in range(ATTEMPTS)] for p in range(PROCESSES)]
    engine.dispose()
    return staff, holding, plan


def _redeem_worker(url: str, staff: int, holding: int, appointment_ids: list[int],
                   barrier: multiprocessing.synchronize.Barrier, results: multiprocessing.Queue) -> None:
    """Redeem each appointment from the shared holding; report each outcome."""
    engine = create_db_engine(url)
    desk = Desk(engine, BUSINESS, clock=lambda: NOW)
    with engine.connect():
        pass  # connect before the start line, so the race is about the redemptions
    barrier.wait()
    for appointment_id in appointment_ids:
        try:
            desk.by(staff).write(checkout.checkout, BUSINESS, key=f"race-{appointment_id}",
                                 appointment_id=appointment_id, package=holding)
            results.put("redeemed")
        except NoBalanceLeft:
            results.put("no balance left")
        except NotCovered as error:
            results.put("no balance left" if error.reasons == ("no visits left",) else f"other: {error}")
        except Exception as error:  # reported, so the test shows it instead of hanging
            results.put(f"error: {type(error).__name__}: {error}")
    engine.dispose()


def _naive_worker(url: str, staff: int, holding: int, appointment_ids: list[int],
                  barrier: multiprocessing.synchronize.Barrier, results: multiprocessing.Queue) -> None:
    """The control: read the balance, then write balance - 1 (no lock, no conditional update)."""
    engine = create_db_engine(url)
    appointment_id = appointment_ids[0]
    with read_session(engine) as session:
        line = session.exec(select(HoldingLine).where(HoldingLine.holding_id == holding)).one()
        line_id, seen = line.id, line.remaining
    barrier.wait()  # everyone has read the balance before anyone writes
    if seen >= 1:
        with write_session(engine) as session:
            written = session.get(HoldingLine, line_id)
            written.remaining = seen - 1
            session.add(written)
            ledger.append_entry(session, holding_id=holding, line_id=line_id, kind=EntryKind.REDEEM,
                                delta=-1, balance_after=seen - 1, actor=staff, at=NOW,
                                appointment_id=appointment_id, note="naive")
        results.put("redeemed")
    else:
        results.put("no balance left")
    engine.dispose()


def _run(worker, url: str, staff: int, holding: int, plan: list[list[int]]) -> Counter:  # type: ignore[no-untyped-def]
    context = multiprocessing.get_context("fork")  # the parent has imported everything: a child starts at once
    barrier = context.Barrier(PROCESSES)
    results = context.Queue()
    processes = [context.Process(target=worker, args=(url, staff, holding, ids, barrier, results))
                 for ids in plan]
    for process in processes:
        process.start()
    expected = sum(len(ids) for ids in plan) if worker is _redeem_worker else len(plan)
    outcomes = Counter(results.get(timeout=120) for _ in range(expected))
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    return outcomes


def _balance(url: str, holding: int) -> tuple[int, list]:
    engine = create_db_engine(url)
    with read_session(engine) as session:
        remaining = session.exec(select(HoldingLine.remaining).where(HoldingLine.holding_id == holding)).one()
        mismatches = ledger.check(session, [holding])
    engine.dispose()
    return remaining, mismatches


def test_concurrent_redemptions_never_overspend(database_url: str) -> None:
    staff, holding, plan = _setup(database_url, visits=20)
    outcomes = _run(_redeem_worker, database_url, staff, holding, plan)
    assert outcomes == Counter({"redeemed": 20, "no balance left": PROCESSES * ATTEMPTS - 20})
    remaining, mismatches = _balance(database_url, holding)
    assert remaining == 0
    assert mismatches == []


def test_naive_read_then_write_overspends(database_url: str) -> None:
    """The control: without the guard, 8 desks each spend one of 4 visits and all succeed."""
    staff, holding, plan = _setup(database_url, visits=4)
    outcomes = _run(_naive_worker, database_url, staff, holding, plan)
    assert outcomes == Counter({"redeemed": PROCESSES})  # 8 visits given from a 4-visit package
    remaining, mismatches = _balance(database_url, holding)
    assert remaining == 3  # every desk wrote "4 - 1": the cache no longer matches the ledger
    assert [(m.cached, m.ledger_sum) for m in mismatches] == [(3, 4 - PROCESSES)]
