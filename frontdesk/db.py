"""The database: engines configured for safe concurrent use, sessions, migrations and backups.

SQLite follows SQLAlchemy's recipe for driver-level transaction control: the driver's own
transaction handling is switched off and every transaction is begun explicitly, ``BEGIN
IMMEDIATE`` for writes so two desks never both read a balance and then both spend it.
PostgreSQL uses row locks and a lock timeout.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session

from frontdesk import guards

WRITE = "frontdesk_write"
SQLITE_BUSY_TIMEOUT_MS = 10_000
POSTGRES_LOCK_TIMEOUT_MS = 5_000


class DatabaseError(Exception):
    """The database cannot be opened or used; the message is one plain line."""


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def create_db_engine(url: str, *, wait_ms: int | None = None) -> Engine:
    """An engine for `url` with the pragmas / timeouts Front Desk relies on. `wait_ms` is how
    long a transaction waits for another desk's lock before giving up (SQLite's busy timeout,
    PostgreSQL's lock timeout)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            folder = Path(database).expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise DatabaseError(f"cannot create the database folder {folder}: {error.strerror}") from None
        wait = SQLITE_BUSY_TIMEOUT_MS if wait_ms is None else wait_ms
        engine = create_engine(parsed, connect_args={"timeout": wait / 1000, "check_same_thread": False})
        _configure_sqlite(engine, wait)
        return engine
    wait = POSTGRES_LOCK_TIMEOUT_MS if wait_ms is None else wait_ms
    return create_engine(
        parsed,
        pool_pre_ping=True,
        connect_args={"options": f"-c lock_timeout={wait} -c timezone=UTC"},
    )


def _configure_sqlite(engine: Engine, wait_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(wait_ms)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        mode = "IMMEDIATE" if connection.get_execution_options().get(WRITE) else "DEFERRED"
        connection.exec_driver_sql(f"BEGIN {mode}")


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """One write transaction: committed on success, rolled back on any error."""
    with Session(engine.execution_options(**{WRITE: True}), expire_on_commit=False) as session:
        with session.begin():
            yield session


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A read-only unit of work (a deferred transaction, rolled back at the end)."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


# ---- migrations ---------------------------------------------------------------------------

def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.attributes["engine"] = engine
    return config


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def backup_sqlite(engine: Engine, label: str) -> Path | None:
    """Copy a SQLite database file beside itself (consistent, WAL included); returns the copy."""
    database = engine.url.database
    if not is_sqlite(engine) or not database or database == ":memory:" or not Path(database).exists():
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = Path(f"{database}.backup-{label}-{stamp}")
    source = sqlite3.connect(database)
    try:
        copy = sqlite3.connect(target)
        with copy:
            source.backup(copy)
        copy.close()
    finally:
        source.close()
    return target


def _require_known_revision(engine: Engine, revision: str) -> None:
    """A schema revision this version has no migration for (made by a newer version) is refused."""
    try:
        ScriptDirectory.from_config(alembic_config(engine)).get_revision(revision)
    except CommandError:
        raise DatabaseError(f"the database schema is at revision {revision}, which this version of Front Desk "
                            "does not know (was it opened by a newer version?)") from None


def migrate(engine: Engine) -> tuple[str | None, str | None, Path | None]:
    """Upgrade the schema to the newest revision, backing up a SQLite file first.

    Returns (revision before, revision after, backup path or None).
    """
    before = current_revision(engine)
    head = head_revision(engine)
    backup = None
    if before != head:
        if before is not None:
            _require_known_revision(engine, before)
            backup = backup_sqlite(engine, before)
        command.upgrade(alembic_config(engine), "head")
    with engine.begin() as connection:  # whatever a migration rebuilt, the append-only guards stand
        guards.install(connection)
    return before, head, backup
