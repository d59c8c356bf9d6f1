"""What a crash or a lost connection leaves behind: nothing half-done, and a retry with the same
checkout key completes exactly once.

- A checkout storm on a SQLite file, its process killed (SIGKILL) 30 times, each after 1–5 reported
  checkouts, wherever the next one has got to: every
  checkout the process reported as done is there, the file passes SQLite's integrity check, every
  balance matches its ledger, and no appointment is half paid (a redemption without its payment, or
  a checkout record without either).
- On PostgreSQL, the server ends the desk's connection in the middle of a checkout (after its
  checkout record is written, while it waits for the package's lock): the desk says the database
  could not be reached and nothing was saved, and the retry with the same key pays once.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import threading
import time
from collections.abc import Iterator
from datetime import datetime, time as clock_time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from frontdesk.db import create_db_engine, read_session
from frontdesk.domain.business import Business
from frontdesk.domain.money import currency_for
from frontdesk.domain.terms import Terms, ValueType
from frontdesk.services import appointments, catalogue, checkout, customers, ledger, sales
from frontdesk.services import staff as staff_use_cases
from frontdesk.services.desk import Desk
from frontdesk.services.errors import Busy
from tests.conftest import NOW, fresh_database_url

NY = ZoneInfo("America/New_York")
BUSINESS = Business(tz=NY, currency=currency_for("USD"))
KILLS = 30
APPOINTMENTS = 240

pytestmark = pytest.mark.slow


@pytest.fixture
def sqlite_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from fresh_database_url("sqlite", request, tmp_path)


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from fresh_database_url("postgresql", request, tmp_path)


def _setup(url: str, appointment_count: int) -> tuple[int, int, list[int]]:
    """A manager, a customer with a 1,000-visit pass, and `appointment_count` booked yoga classes."""
    engine = create_db_engine(url)
    desk = Desk(engine, BUSINESS, clock=lambda: NOW)
    staff = desk.by(None).write(staff_use_cases.add_staff_member, name="Manager", role="manager", pin=None).id
    service = desk.by(staff).write(catalogue.add_service, BUSINESS, name="Yoga class", duration_min=30,
                                   price=2000).id
    package = desk.by(staff).write(catalogue.save_package, BUSINESS, terms=Terms(
        title="Yoga pass", value_type=ValueType.VISITS, quantity=1000, price=0)).id
    customer = desk.by(staff).write(customers.create_customer, desk.business, name="Maria Lopez").id
    holding = desk.by(staff).write(sales.sell, BUSINESS, customer_id=customer, package_id=package, tenders=[]).id
    first = NOW.astimezone(NY).date() + timedelta(days=1)
    booked = [desk.by(staff).write(appointments.book, BUSINESS, customer_id=customer, service_id=service,
                                   starts_at=datetime.combine(first + timedelta(days=n // 20),
                                                              clock_time(8), NY) + timedelta(minutes=30 * (n % 20)),
                                   ).appointment.id
              for n in range(appointment_count)]
    engine.dispose()
    return staff, holding, booked


def _storm(url: str, staff: int, holding: int, appointment_ids: list[int], report) -> None:  # noqa: ANN001
    """Pay each appointment from the pass, as fast as possible; report each one once it is committed."""
    engine = create_db_engine(url)
    desk = Desk(engine, BUSINESS, clock=lambda: NOW)
    for appointment_id in appointment_ids:
        desk.by(staff).write(checkout.checkout, BUSINESS, key=f"storm-{appointment_id}",
                             appointment_id=appointment_id, package=holding)
        report.send(appointment_id)
    report.close()
    os._exit(0)


def _state(url: str, holding: int) -> dict:
    """What the file holds: its integrity, the redemptions, package payments and checkout records by
    appointment, the pass's balance, and the ledger check."""
    engine = create_db_engine(url)
    with read_session(engine) as session:
        run = lambda sql: session.execute(text(sql)).all()  # noqa: E731
        state = {
            "integrity": run("PRAGMA integrity_check"),
            "redeemed": run("SELECT appointment_id, count(*) FROM ledger_entry WHERE kind = 'redeem' "
                            "GROUP BY appointment_id"),
            "paid": run("SELECT appointment_id, count(*) FROM payment WHERE tender = 'package' "
                        "AND entry_id IS NOT NULL GROUP BY appointment_id"),
            "checkouts": run("SELECT appointment_id FROM checkout"),
            "remaining": run(f"SELECT remaining FROM holding_line WHERE holding_id = {holding}")[0][0],
            "mismatches": ledger.check(session),
        }
    engine.dispose()
    return state


def test_a_checkout_storm_killed_30_times_loses_no_reported_checkout_and_leaves_nothing_half_done(
        sqlite_url: str) -> None:
    staff, holding, booked = _setup(sqlite_url, APPOINTMENTS)
    rng = random.Random(20261130)
    context = multiprocessing.get_context("fork")
    reported: set[int] = set()
    kills = 0
    while kills < KILLS:
        left = [appointment for appointment in booked if appointment not in reported]
        receiving, sending = context.Pipe(duplex=False)
        storm = context.Process(target=_storm, args=(sqlite_url, staff, holding, left, sending))
        storm.start()
        sending.close()
        for _ in range(rng.randint(1, 5)):  # wait for a few checkouts to be reported, then kill it at
            reported.add(receiving.recv())  # once: wherever the next checkout has got to by then
        os.kill(storm.pid, signal.SIGKILL)
        storm.join()
        kills += storm.exitcode == -signal.SIGKILL
        while receiving.poll():  # what it reported before it died
            try:
                reported.add(receiving.recv())
            except EOFError:
                break
        receiving.close()

        state = _state(sqlite_url, holding)
        assert state["integrity"] == [("ok",)]
        redeemed = dict(state["redeemed"])
        assert reported <= set(redeemed)  # every reported checkout is there
        assert set(redeemed.values()) <= {1}  # one redemption per appointment
        assert dict(state["paid"]) == redeemed  # each with its package payment: none half paid
        assert sorted(appointment for (appointment,) in state["checkouts"]) == sorted(redeemed)
        assert state["remaining"] == 1000 - len(redeemed)
        assert state["mismatches"] == []
    assert kills == KILLS and len(reported) < APPOINTMENTS  # the storm was cut short every time


def _waiting_pid(engine, besides: int) -> int | None:  # noqa: ANN001
    with engine.connect() as connection:
        return connection.execute(text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' "
            "AND pid <> :besides"), {"besides": besides}).scalar()


def test_a_connection_ended_mid_checkout_saves_nothing_and_the_retry_pays_once(postgres_url: str) -> None:
    staff, holding, (appointment, *_) = _setup(postgres_url, 1)
    engine = create_db_engine(postgres_url)
    desk = Desk(engine, BUSINESS, clock=lambda: NOW)
    outcome: list[BaseException | object] = []

    def pay() -> None:
        try:
            outcome.append(desk.by(staff).write(checkout.checkout, BUSINESS, key="k-lost", appointment_id=appointment,
                                                package=holding))
        except BaseException as error:  # noqa: BLE001 (handed to the test)
            outcome.append(error)

    with engine.connect() as blocker:  # another desk holds the pass's lines: the checkout waits there
        blocker.execute(text(f"SELECT id FROM holding_line WHERE holding_id = {holding} FOR UPDATE"))
        blocker_pid = blocker.execute(text("SELECT pg_backend_pid()")).scalar_one()
        paying = threading.Thread(target=pay)
        paying.start()
        deadline = time.monotonic() + 30
        while (pid := _waiting_pid(engine, blocker_pid)) is None:
            assert time.monotonic() < deadline and paying.is_alive(), "the checkout never waited on the lock"
        with engine.connect() as admin:
            assert admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
        paying.join(timeout=60)
        blocker.rollback()
    assert isinstance(outcome[0], Busy)
    assert str(outcome[0]) == "Cannot reach the database; nothing was saved, try again."
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM checkout")).scalar_one() == 0  # its record too

    first = desk.by(staff).write(checkout.checkout, BUSINESS, key="k-lost", appointment_id=appointment,
                                 package=holding)
    again = desk.by(staff).write(checkout.checkout, BUSINESS, key="k-lost", appointment_id=appointment,
                                 package=holding)
    assert again.payments == first.payments
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM ledger_entry WHERE kind = 'redeem'")).scalar_one() == 1
        assert connection.execute(text(
            f"SELECT remaining FROM holding_line WHERE holding_id = {holding}")).scalar_one() == 999
    engine.dispose()
