"""Shared fixtures: a fresh, migrated database per test on SQLite and on PostgreSQL, and the demo
spa built once.

The PostgreSQL server is a throwaway cluster started once per test run (see `pgserver.py`);
each test gets its own database cloned from a migrated template, and each SQLite test its own
copy of a migrated file. The demo spa (`built_demo`) is built once per test run, whatever the
number of workers; tests work on copies of it.
"""

from __future__ import annotations

import fcntl
import itertools
import json
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, text

from frontdesk.db import create_db_engine, migrate
from frontdesk.demo import DemoSummary, build_demo
from frontdesk.domain.business import Business
from frontdesk.domain.money import currency_for
from frontdesk.services.desk import Desk
from tests.pgserver import PostgresServer

BACKENDS = ["sqlite", "postgresql"]
TEMPLATE = "frontdesk_template"
_counter = itertools.count()

# Monday 2 Mar 2026, 15:00 UTC = 10:00 in New York
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer.start()
    admin = create_db_engine(server.url())
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f"CREATE DATABASE {TEMPLATE}"))
    template = create_db_engine(server.url(TEMPLATE))
    migrate(template)
    template.dispose()
    admin.dispose()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = create_db_engine(f"sqlite:///{path}")
    migrate(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


def fresh_database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path,
                       template: str | None = None) -> Iterator[str]:
    """A URL of a new migrated database of `backend`, dropped after the test: a copy of the empty
    migrated template, or of `template` (a fixture giving a SQLite file's path or a PostgreSQL
    template database's name, e.g. one with a small world already in it)."""
    if backend == "sqlite":
        path = tmp_path / "frontdesk.db"
        shutil.copy(request.getfixturevalue(template or "sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    source = request.getfixturevalue(template) if template else TEMPLATE
    name = f"test_{next(_counter)}"
    admin = create_db_engine(server.url())
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        # FILE_COPY copies the template's few files; the default (WAL_LOG) writes every page through
        # the WAL, twice the time for a database this small
        connection.execute(text(f"CREATE DATABASE {name} TEMPLATE {source} STRATEGY FILE_COPY"))
    try:
        yield server.url(name)
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    # a test of the small spa starts from a copy of a database the spa was built in once
    template = f"spa_{request.param}_template" if "spa" in request.fixturenames else None
    yield from fresh_database_url(request.param, request, tmp_path, template)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_db_engine(database_url)
    yield engine
    engine.dispose()


def new_business() -> Business:
    """The business of every test: New York, dollars."""
    return Business(tz=ZoneInfo("America/New_York"), currency=currency_for("USD"))


@pytest.fixture
def business() -> Business:
    return new_business()


@pytest.fixture
def desk(engine: Engine, business: Business) -> Desk:
    return Desk(engine, business, clock=lambda: NOW)


# ---- the demo spa, built once per test session ---------------------------------------------------

@dataclass(frozen=True)
class BuiltDemo:
    """The demo spa of `frontdesk demo` at the test clock: its SQLite file, and what it holds."""

    path: Path
    summary: DemoSummary


@pytest.fixture(scope="session")
def built_demo(tmp_path_factory: pytest.TempPathFactory) -> BuiltDemo:
    """Built once per test run: the first worker to need it builds it while the others wait, then
    each reads it. Tests use copies of its file, never the file."""
    if "PYTEST_XDIST_WORKER" not in os.environ:  # not under xdist: this process is the whole run
        return _build_demo(tmp_path_factory.mktemp("demo") / "demo.db")
    shared = tmp_path_factory.getbasetemp().parent / "demo"  # the run's folder, shared by the workers
    shared.mkdir(exist_ok=True)
    path, done = shared / "demo.db", shared / "summary.json"
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if not done.exists():
            done.write_text(json.dumps(asdict(_build_demo(path).summary)))
    return BuiltDemo(path, DemoSummary(**json.loads(done.read_text())))


def _build_demo(path: Path) -> BuiltDemo:
    summary = build_demo(path, new_business(), now=NOW)
    with closing(sqlite3.connect(path)) as connection:  # everything in the main file, for a plain copy
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return BuiltDemo(path, summary)
