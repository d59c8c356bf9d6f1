"""The database: engines configured for safe concurrent use, sessions, migrations and backups.

SQLite follows SQLAlchemy's recipe for driver-level transaction control: the driver's own
transaction handling is switched off and every transaction is begun explicitly, ``BEGIN
IMMEDIATE`` for writes so two desks never both read a balance and then both spend it.
PostgreSQL uses row locks and a lock timeout.
"""

from __future__ import annotations

import glob
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from frontdesk import guards
from frontdesk.domain.contacts import DEFAULT_REGION

if TYPE_CHECKING:  # Alembic (and Mako under it) loads only when a schema is to be migrated or checked
    from alembic.config import Config

WRITE = "frontdesk_write"
SQLITE_BUSY_TIMEOUT_MS = 10_000
POSTGRES_LOCK_TIMEOUT_MS = 5_000
KEEP_BACKUPS = 5  # a SQLite file's backups made before migrating: the newest five are kept
MIGRATION_LOCK = 0x4644_4D47  # PostgreSQL advisory lock key held while migrating ("FDMG")
DEMO_MARK = 0x4644_444D  # a demo database's SQLite application id ("FDDM")
VERSION_TABLE = "alembic_version"
MARK_TABLE = "ledger_entry"  # a table only Front Desk's schema has
BACKUP_STAMP = re.compile(r"\.backup-.*-(\d{8}-\d{6})$")
MIGRATIONS = Path(__file__).parent / "migrations"
REVISION_FILE = re.compile(r"^(\d{4})_\w+\.py$")  # versions/0008_customer_search_phones_merges.py is revision 0008


class DatabaseError(Exception):
    """The database cannot be opened or used; the message is one plain line."""


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def create_db_engine(url: str, *, wait_ms: int | None = None, read_only: bool = False) -> Engine:
    """An engine for `url` with the pragmas / timeouts Front Desk relies on. `wait_ms` is how
    long a transaction waits for another desk's lock before giving up (SQLite's busy timeout,
    PostgreSQL's lock timeout). A `read_only` engine cannot write (SQLite opens the file with
    ``mode=ro`` and leaves its journal mode alone; PostgreSQL transactions are READ ONLY)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if read_only:
            parsed = parsed.set(database=f"file:{quote(str(Path(database).expanduser()))}",
                                query={"mode": "ro", "uri": "true"})
        elif database and database != ":memory:":
            folder = Path(database).expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise DatabaseError(f"cannot create the database folder {folder}: {error.strerror}") from None
        wait = SQLITE_BUSY_TIMEOUT_MS if wait_ms is None else wait_ms
        engine = create_engine(parsed, connect_args={"timeout": wait / 1000, "check_same_thread": False})
        _configure_sqlite(engine, wait, read_only=read_only)
        return engine
    wait = POSTGRES_LOCK_TIMEOUT_MS if wait_ms is None else wait_ms
    read_only_option = " -c default_transaction_read_only=on" if read_only else ""
    engine = create_engine(
        parsed,
        connect_args={"options": f"-c lock_timeout={wait} -c timezone=UTC{read_only_option}"},
    )
    _ping_when_idle(engine)
    return engine


IDLE_PING_SECONDS = 30.0  # a pooled PostgreSQL connection unused this long is checked before use


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection before use only when it has sat idle a while: a server restarted
    (or a connection dropped by a firewall) while the desk was quiet is found here and replaced
    by a new connection, or, when the server is down, gives the usual "cannot reach" error. A busy
    desk reuses its connections without a round trip each time (`pool_pre_ping` pays one per
    transaction). A connection lost mid-transaction fails that transaction, which saves nothing;
    the pool then starts afresh."""
    import time

    from sqlalchemy.exc import DisconnectionError

    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: object, record: object) -> None:
        record.info["idle_since"] = time.monotonic()  # type: ignore[attr-defined]

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: object, record: object, _proxy: object) -> None:
        idle_since = record.info.pop("idle_since", None)  # type: ignore[attr-defined]
        if idle_since is None or time.monotonic() - idle_since < IDLE_PING_SECONDS:
            return
        try:
            dialect.do_ping(dbapi_connection)  # type: ignore[arg-type]
        except dialect.loaded_dbapi.Error as error:
            if not dialect.is_disconnect(error, dbapi_connection, None):  # type: ignore[arg-type]
                raise
            raise DisconnectionError("the connection was lost while idle") from error  # the pool connects anew


def _configure_sqlite(engine: Engine, wait_ms: int, *, read_only: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        if not read_only:  # a reader leaves the file as it is
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
    with Session(_writer(engine), expire_on_commit=False) as session:
        with session.begin():
            yield session


def _writer(engine: Engine) -> Engine:
    """The engine as write transactions use it (made once per engine: making it costs a little)."""
    writer = engine.__dict__.get("_frontdesk_writer")
    if writer is None:
        writer = engine.__dict__["_frontdesk_writer"] = engine.execution_options(**{WRITE: True})
    return writer


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A read-only unit of work (a deferred transaction, rolled back at the end)."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


# ---- migrations ---------------------------------------------------------------------------

def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def current_revision(engine: Engine | Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    if isinstance(engine, Connection):
        return MigrationContext.configure(engine).get_current_revision()
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    """The newest revision as Alembic reads it from the migration scripts."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def newest_revision() -> str | None:
    """The newest revision, read from the names of the migration files without loading Alembic:
    each file is named after its revision (0008_….py), and each revision follows the one before,
    so the newest name is the head (a test holds this against `head_revision`). Opening a database
    that is already at it needs no migration, so Alembic is never imported then."""
    found = [match.group(1) for name in os.listdir(MIGRATIONS / "versions") if (match := REVISION_FILE.match(name))]
    return max(found, default=None)


def sqlite_file(engine: Engine) -> Path | None:
    """The file of a SQLite engine (None for PostgreSQL)."""
    if not is_sqlite(engine) or not engine.url.database:
        return None
    database = engine.url.database
    if database.startswith("file:"):  # a read-only engine's URI
        database = unquote(database.removeprefix("file:"))
    return Path(database).expanduser()


def _sqlite_reader(path: Path) -> sqlite3.Connection:
    """A plain read-only connection: it cannot change the file, not even its journal mode."""
    return sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _tables(engine: Engine) -> tuple[set[str], str | None]:
    """The tables of the database and its schema revision, read without changing anything.

    A SQLite file is read through a plain read-only connection, before any connection of ours
    touches it; a file SQLite cannot read raises DatabaseError."""
    path = sqlite_file(engine)
    if path is None:
        with engine.connect() as connection:
            names = set(inspect(connection).get_table_names())
            revision = None
            if VERSION_TABLE in names:
                revision = connection.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}").scalar()
        return names, revision
    if not path.exists():
        return set(), None
    if path.stat().st_size == 0:
        raise DatabaseError(f"{path} is an empty file, not a Front Desk database")
    try:
        with closing(_sqlite_reader(path)) as reader:
            names = {name for (name,) in reader.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            revision = None
            if VERSION_TABLE in names:
                row = reader.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()
                revision = row[0] if row else None
    except sqlite3.Error as error:
        raise DatabaseError(f"cannot use the database {path}: {_first_line(error)}") from None
    return names, revision


def front_desk_revision(engine: Engine) -> str | None:
    """The schema revision of a Front Desk database (None: a new, empty one). Anything else is
    refused with DatabaseError before it is touched: another program's database, or a schema this
    version does not know."""
    names, revision = _tables(engine)
    where = sqlite_file(engine) or engine.url.render_as_string(hide_password=True)
    user_tables = {name for name in names if not name.startswith("sqlite_")}
    if user_tables and VERSION_TABLE not in names:
        raise DatabaseError(f"{where} is not a Front Desk database (it holds other tables, such as "
                            f"{sorted(user_tables)[0]!r}); nothing was changed")
    if revision is not None and revision != newest_revision():  # the newest needs no script to be read
        if MARK_TABLE not in names and not _known_revision(engine, revision):
            raise DatabaseError(f"{where} is not a Front Desk database (its schema revision {revision} is "
                                "another program's); nothing was changed")
        _require_known_revision(engine, revision)
    return revision


def open_read_only(url: str) -> Engine:
    """An engine that can only read an existing Front Desk database at the newest revision: a
    missing file, another program's database, or a schema to migrate first is refused with
    DatabaseError, and nothing is created or changed."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "").expanduser()
        if not path.is_file():
            raise DatabaseError(f"No database at {path}.")
    engine = create_db_engine(url, read_only=True)
    try:
        revision = front_desk_revision(engine)
        head = newest_revision()
        where = sqlite_file(engine) or engine.url.render_as_string(hide_password=True)
        if revision is None:
            raise DatabaseError(f"{where} has no Front Desk schema yet (run 'frontdesk migrate' to make one)")
        if revision != head:
            raise DatabaseError(f"{where} has schema revision {revision}; this version reads {head}: run "
                                "'frontdesk migrate' first")
    except BaseException:
        engine.dispose()
        raise
    return engine


def is_demo_file(path: Path) -> bool:
    """Whether `path` is a demo database `frontdesk demo` made (its SQLite header carries the mark),
    read from the header without opening it as a database."""
    try:
        with open(path, "rb") as file:
            header = file.read(100)
    except OSError:
        return False
    return header.startswith(b"SQLite format 3\x00") and header[68:72] == DEMO_MARK.to_bytes(4, "big")


def mark_demo_file(path: Path) -> None:
    """Mark a demo database as one (SQLite's application id), so a later demo may replace it."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute(f"PRAGMA application_id = {DEMO_MARK}")
        connection.commit()


def integrity_problems(engine: Engine, *, quick: bool = False, limit: int = 20) -> list[str]:
    """What SQLite's integrity check finds wrong in the file (damaged pages, broken indexes), at
    most `limit` problems; none for PostgreSQL, which checks its pages as it reads them."""
    path = sqlite_file(engine)
    if path is None:
        return []
    pragma = "quick_check" if quick else "integrity_check"
    try:
        with closing(_sqlite_reader(path)) as reader:
            found = [row[0] for row in reader.execute(f"PRAGMA {pragma}({int(limit)})")]
    except sqlite3.Error as error:
        return [_first_line(error)]
    return [] if found == ["ok"] else found


def _backups(path: Path) -> list[Path]:
    """The backups of a SQLite file, oldest first (by the moment in their name)."""
    stamped = [(match.group(1), copy) for copy in path.parent.glob(f"{glob.escape(path.name)}.backup-*")
               if (match := BACKUP_STAMP.search(copy.name))]
    return [copy for _, copy in sorted(stamped)]


def backup_sqlite(engine: Engine, label: str) -> Path | None:
    """Copy a SQLite database file beside itself (consistent, WAL included); returns the copy.
    Only the newest KEEP_BACKUPS copies are kept. A copy that cannot be written raises
    DatabaseError (and leaves no partial copy)."""
    path = sqlite_file(engine)
    if path is None or not path.exists():
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.backup-{label}-{stamp}")
    try:
        with closing(_sqlite_reader(path)) as source, closing(sqlite3.connect(target)) as copy:
            source.backup(copy)
    except (OSError, sqlite3.Error) as error:
        with suppress(OSError):
            target.unlink(missing_ok=True)
        raise DatabaseError(f"cannot back up {path} to {target}: {_first_line(error)}; nothing was migrated") from None
    for old in _backups(path)[:-KEEP_BACKUPS]:
        with suppress(OSError):
            old.unlink()
    return target


def _known_revision(engine: Engine, revision: str) -> bool:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        return ScriptDirectory.from_config(alembic_config(engine)).get_revision(revision) is not None
    except CommandError:
        return False


def _require_known_revision(engine: Engine, revision: str) -> None:
    """A schema revision this version has no migration for (made by a newer version) is refused."""
    if not _known_revision(engine, revision):
        raise DatabaseError(f"the database schema is at revision {revision}, which this version of Front Desk "
                            "does not know (was it opened by a newer version?)")


def _create_sqlite_file(path: Path) -> None:
    """A new SQLite file appears whole (its header written, in WAL mode) or not at all: it is made
    under a private name and linked into place, so another desk starting at the same moment never
    finds an empty file there. If that desk made it first, its file stays."""
    draft = path.with_name(f".{path.name}.new-{os.getpid()}")
    try:
        with closing(sqlite3.connect(draft)) as connection:
            connection.execute("PRAGMA journal_mode=WAL")
        with suppress(FileExistsError):
            os.link(draft, path)
    except (OSError, sqlite3.Error) as error:
        raise DatabaseError(f"cannot create the database {path}: {_first_line(error)}") from None
    finally:
        for leftover in (draft, Path(f"{draft}-wal"), Path(f"{draft}-shm")):
            with suppress(OSError):
                leftover.unlink()


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[Connection]:
    """A connection that alone may migrate until it is closed: two desks starting at once on a new
    database migrate one after the other, and the second finds the schema current.

    SQLite: one write transaction (BEGIN IMMEDIATE) around reading the revision and upgrading.
    PostgreSQL: a session advisory lock on a fixed key, waited for as long as it takes."""
    with engine.execution_options(**{WRITE: True}).connect() as connection:
        if is_sqlite(engine):
            with connection.begin():
                yield connection
            return
        connection.exec_driver_sql("SET lock_timeout = 0")  # another desk's migration may take a while
        connection.exec_driver_sql(f"SELECT pg_advisory_lock({MIGRATION_LOCK})")
        connection.exec_driver_sql("RESET lock_timeout")
        connection.commit()
        try:
            yield connection
            connection.commit()
        finally:
            with suppress(SQLAlchemyError):  # a lost connection has lost its lock too
                connection.rollback()
                connection.exec_driver_sql(f"SELECT pg_advisory_unlock({MIGRATION_LOCK})")
                connection.commit()


def migrate(engine: Engine, *, phone_region: str = DEFAULT_REGION) -> tuple[str | None, str | None, Path | None]:
    """Upgrade the schema to the newest revision, backing up a SQLite file first. A migration
    that re-forms phone numbers reads those typed without a country code as `phone_region`'s.

    Another program's database, a schema from a newer version, a damaged file or a backup that
    cannot be written is refused with DatabaseError, and nothing is migrated.
    Returns (revision before, revision after, backup path or None).
    """
    path = sqlite_file(engine)
    if path is not None and not path.exists():
        _create_sqlite_file(path)
    found = front_desk_revision(engine)
    # the newest revision from the file names: a database already at it is opened without loading Alembic
    head = found if found is not None and found == newest_revision() else head_revision(engine)
    if found == head:  # the common case: nothing to migrate, nothing locked; the guards all the same
        with engine.begin() as connection:
            guards.install(connection)
        return head, head, None
    backup = None
    if found is not None:  # checked and copied before anything of ours writes to the file
        damage = integrity_problems(engine, quick=True, limit=1)
        if damage:
            raise DatabaseError(f"{sqlite_file(engine)} is damaged ({damage[0]}); nothing was migrated")
        backup = backup_sqlite(engine, found)
    with _migration_lock(engine) as connection:
        before = current_revision(connection)  # again, under the lock: another desk may have done it
        if before != head:
            if before is not None:
                _require_known_revision(engine, before)
            from alembic import command

            config = alembic_config(engine)
            config.attributes["connection"] = connection
            config.attributes["phone_region"] = phone_region
            command.upgrade(config, "head")
        guards.install(connection)  # whatever a migration rebuilt, the append-only guards stand
    return before, head, backup
