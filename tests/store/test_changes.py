"""The change watcher: a commit made through another connection wakes it (on SQLite and
PostgreSQL), a rolled-back one does not, and a PostgreSQL server that stops neither crashes it nor
fills the log; it watches again once the server is back, and stops cleanly either way."""

from __future__ import annotations

import logging
import queue
from collections.abc import Iterator
from contextlib import suppress

import pytest
from sqlalchemy import Engine, text

from frontdesk.db import create_db_engine, migrate
from frontdesk.domain.terms import Terms, ValueType
from frontdesk.services import customers
from frontdesk.services.changes import ChangeWatcher, wake_seconds
from frontdesk.services.desk import Desk
from tests.conftest import NOW
from tests.pgserver import PostgresServer, PostgresUnavailable
from tests.store.conftest import Spa

WAIT_S = 30.0  # a bound on waiting for the watcher (a busy machine), never a measure of it


def watch(engine: Engine, **options: object) -> tuple[ChangeWatcher, queue.Queue[frozenset[str]]]:
    """A started watcher on `engine` and the queue its reports go to, once it watches."""
    reports: queue.Queue[frozenset[str]] = queue.Queue()
    watcher = ChangeWatcher(engine, reports.put, **options).start()  # type: ignore[arg-type]
    assert watcher.ready.wait(WAIT_S)
    return watcher, reports


@pytest.fixture
def other_desk(database_url: str, spa: Spa) -> Iterator[Desk]:
    """A second desk on the same database, with its own engine: "another desk"."""
    engine = create_db_engine(database_url)
    other = Desk(engine, spa.desk.business, clock=lambda: NOW, staff=spa.rita)
    yield other
    engine.dispose()


def test_a_commit_at_another_desk_wakes_the_watcher(spa: Spa, other_desk: Desk) -> None:
    watcher, reports = watch(spa.desk.engine)
    try:
        other_desk.write(customers.create_customer, other_desk.business, name="Zoë Adams")
        tables = reports.get(timeout=WAIT_S)
    finally:
        watcher.stop()
    assert not watcher.running
    if spa.desk.engine.dialect.name == "postgresql":  # the notice names what changed
        assert "customer" in tables
    else:  # SQLite only knows that something did
        assert tables == frozenset()


def test_a_rolled_back_change_is_not_reported(spa: Spa, maria: int, other_desk: Desk) -> None:
    """A transaction that fails changes nothing: the first report is the next commit's (on
    PostgreSQL it names only that commit's tables)."""
    watcher, reports = watch(spa.desk.engine)
    try:
        with pytest.raises(RuntimeError), other_desk.engine.begin() as connection:
            connection.execute(text("UPDATE customer SET name = 'Nobody'"))
            raise RuntimeError("the desk gives up: rolled back")
        spa.package(Terms(title="Sauna Ten", value_type=ValueType.VISITS, quantity=10, price=20000))
        tables = reports.get(timeout=WAIT_S)
    finally:
        watcher.stop()
    assert other_desk.read(customers.get_customer, maria).name == "Maria Lopez"
    if spa.desk.engine.dialect.name == "postgresql":
        assert "package" in tables and "customer" not in tables


def test_the_bench_measure_sees_each_commit(spa: Spa, other_desk: Desk) -> None:
    names = [f"Guest {number}" for number in range(3)]
    commits = [lambda name=name: other_desk.write(customers.create_customer, other_desk.business, name=name)
               for name in names]
    assert len(wake_seconds(spa.desk.engine, commits, timeout=WAIT_S)) == len(names)
    assert {customer.name for customer in other_desk.read(customers.search_customers, "Guest")} == set(names)


# ---- a PostgreSQL server that stops and comes back -----------------------------------------------

def _pg_ctl(server: PostgresServer, *args: str) -> None:
    server._run(str(server.bindir / "pg_ctl"), "-D", str(server.root / "data"), *args)


def _start_again(server: PostgresServer) -> None:
    options = f"-p {server.port} -k {server.root} -h 127.0.0.1 -c fsync=off -c synchronous_commit=off"
    _pg_ctl(server, "-o", options, "-l", str(server.root / "server.log"), "-w", "-t", "60", "start")


def test_a_stopped_server_neither_crashes_the_watcher_nor_fills_the_log(caplog: pytest.LogCaptureFixture) -> None:
    server = PostgresServer.start()  # its own server: this test stops it
    engine = create_db_engine(server.url())
    try:
        migrate(engine)
        caplog.set_level(logging.INFO, logger="frontdesk")
        watcher, reports = watch(engine, retry=(0.05, 0.1))
        _pg_ctl(server, "-m", "immediate", "stop")
        assert watcher.lost.wait(WAIT_S)
        assert watcher.wait_for_tries(5, WAIT_S), "five tries to reach the stopped server"
        assert watcher.running and not watcher.ready.is_set()
        _start_again(server)
        assert watcher.ready.wait(WAIT_S)
        assert reports.get(timeout=WAIT_S) == frozenset()  # what changed meanwhile was not heard: look again
        engine.dispose()  # its pooled connections died with the server
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO service (name, duration_min, price, archived) "
                                    "VALUES ('Sauna', 30, 2500, false)"))
        assert "service" in reports.get(timeout=WAIT_S)
        # stopped again, then the desk closes while the server is away: it ends at once
        _pg_ctl(server, "-m", "immediate", "stop")
        assert watcher.lost.wait(WAIT_S)
        watcher.stop()
        assert not watcher.running
        said = [record.getMessage() for record in caplog.records if record.name == "frontdesk"]
        assert [line.split(":")[0] for line in said] == ["Live updates paused", "Live updates resumed",
                                                         "Live updates paused"]
        assert all(record.levelno == logging.WARNING and record.exc_info is None for record in caplog.records
                   if record.name == "frontdesk")
    finally:
        engine.dispose()
        with suppress(PostgresUnavailable):  # stopped already; its files go all the same
            server.stop()
