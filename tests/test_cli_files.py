"""The command line never damages a file it is given: a missing, empty, corrupt, damaged, foreign,
newer or read-only database, and wrong settings, each end in one line on stderr and exit code 2,
with the file byte for byte as it was. Commands that only read open the database read-only; two
desks migrating a new database at once both end up at the newest schema, migrated once."""

from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text

from frontdesk.db import alembic_config, create_db_engine, current_revision, migrate
from tests.conftest import BACKENDS
from tests.pgserver import PostgresServer
from tests.test_cli import (HEAD, a_sale, assert_one_line_failure, backups, clean_environment,  # noqa: F401
                            newer_version, run, run_process, sql, sqlite_url)

_counter = itertools.count()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder(path: Path) -> dict[str, str]:
    """Every file beside `path`, with its hash: nothing created, nothing changed."""
    return {child.name: sha256(child) for child in sorted(path.parent.iterdir()) if child.is_file()}


def settled(path: Path) -> Path:
    """Everything in the main file (no -wal beside it), as a copy or a download would leave it."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode=DELETE")
    return path


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """`path` (a file or a folder) cannot be written, even by root (the immutable attribute), for
    the duration."""
    if os.geteuid() == 0:
        made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
        # no quiet way out: root on a filesystem without the immutable attribute cannot run this test
        assert made.returncode == 0, f"cannot make {path} read-only for root (chattr +i): {made.stderr.strip()}"
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        return
    mode = path.stat().st_mode
    path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        yield
    finally:
        path.chmod(mode)


# ---- bad files ----------------------------------------------------------------------------------

def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(9).randbytes(64 * 1024))


def _foreign(path: Path) -> None:
    """Another program's SQLite file: its own tables, the default (rollback) journal."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE recipe (id INTEGER PRIMARY KEY, title TEXT)")
        connection.execute("INSERT INTO recipe (title) VALUES ('Pancakes')")
        connection.commit()


def _foreign_with_alembic(path: Path) -> None:
    """Another program that also uses Alembic: its own tables and revision."""
    _foreign(path)
    sql(path, "CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
    sql(path, "INSERT INTO alembic_version VALUES ('3f2a9c1b7d4e')")


def _newer(path: Path) -> None:
    engine = create_db_engine(sqlite_url(path))
    migrate(engine)
    engine.dispose()
    sql(settled(path), "UPDATE alembic_version SET version_num = '0099'")


BAD_FILES = {
    "empty": (_empty, "is an empty file, not a Front Desk database"),
    "random bytes": (_random_bytes, "file is not a database"),
    "foreign": (_foreign, "is not a Front Desk database (it holds other tables, such as 'recipe')"),
    "foreign alembic": (_foreign_with_alembic, "is not a Front Desk database (its schema revision 3f2a9c1b7d4e"),
    "newer revision": (_newer, "revision 0099, which this version of Front Desk does not know"),
}
COMMANDS = {
    "check": ["check"],
    "migrate": ["migrate"],
    "export": ["export", "balances", "--out", "balances.csv"],
    "staff add": ["staff", "add", "Grace Kim", "--role", "manager"],
}


@pytest.mark.parametrize("command_name", COMMANDS)
@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_file_is_one_line_exit_2_and_unchanged(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                     kind: str, command_name: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    make, fragment = BAD_FILES[kind]
    path = tmp_path / "db" / "spa.db"
    path.parent.mkdir()
    make(path)
    before = folder(path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("frontdesk.cli.getpass.getpass", lambda prompt: "2468")
    code, out, err = run(capsys, "--db", sqlite_url(path), *COMMANDS[command_name])
    assert_one_line_failure(code, out, err, fragment)
    assert folder(path) == before  # the file as it was, its journal mode too, and nothing beside it
    assert not (tmp_path / "balances.csv").exists()


def test_a_foreign_file_keeps_its_journal_mode_and_gets_no_tables(capsys: pytest.CaptureFixture[str],
                                                                  tmp_path: Path) -> None:
    path = tmp_path / "recipes.db"
    _foreign(path)
    for command_name in ("migrate", "check", "run"):
        code, out, err = run(capsys, "--db", sqlite_url(path), command_name)
        assert_one_line_failure(code, out, err, str(path), "not a Front Desk database")
    assert sql(path, "PRAGMA journal_mode") == [("delete",)]
    assert sql(path, "SELECT name FROM sqlite_master WHERE type = 'table'") == [("recipe",)]


@pytest.mark.parametrize("args", [["check"], ["statement", "1", "--out", "s.html"],
                                  ["export", "ledger", "--out", "l.csv"]], ids=["check", "statement", "export"])
def test_a_missing_file_is_not_created_by_a_command_that_reads(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                                args: list[str],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    missing = tmp_path / "typo" / "frontdesk.db"
    code, out, err = run(capsys, *args, "--db", sqlite_url(missing))
    assert (code, out, err) == (2, "", f"frontdesk: No database at {missing}.\n")
    assert list(tmp_path.iterdir()) == []


def _damage(path: Path) -> None:
    """Overwrite the first page of the `service` table (which `check`'s balance query never reads)."""
    settled(path)
    [(page,)] = sql(path, "SELECT rootpage FROM sqlite_master WHERE name = 'service'")
    [(size,)] = sql(path, "PRAGMA page_size")
    with open(path, "r+b") as file:
        file.seek((page - 1) * size)
        file.write(b"\xff" * 64)


def test_check_finds_damaged_pages(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "frontdesk.db"
    a_sale(path)
    _damage(path)
    before = folder(path)
    code, out, err = run(capsys, "--db", sqlite_url(path), "check")
    assert_one_line_failure(code, out, err, f"{path} is damaged", "restore a backup")
    assert folder(path) == before


def test_a_read_only_database_is_checked_and_exported_but_not_written(capsys: pytest.CaptureFixture[str],
                                                                      tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "db" / "frontdesk.db"
    path.parent.mkdir()
    a_sale(path)  # one 5-visit pack, paid by card: no package payment yet
    settled(path)
    before = folder(path)
    out_file = tmp_path / "balances.csv"
    with read_only(path), read_only(path.parent):
        code, out, err = run(capsys, "--db", sqlite_url(path), "check")
        assert (code, out, err) == (0, "Ledger OK: 1 balance matches its ledger entries; 0 package payments "
                                       "match their entries.\n", "")
        code, out, err = run(capsys, "--db", sqlite_url(path), "export", "balances", "--out", str(out_file))
        assert (code, out, err) == (0, f"1 row: {out_file}\n", "")
        monkeypatch.setattr("frontdesk.cli.getpass.getpass", lambda prompt: "1357")
        code, out, err = run(capsys, "--db", sqlite_url(path), "staff", "add", "Rita Alvarez")
        assert_one_line_failure(code, out, err)
    assert folder(path) == before


def test_a_backup_that_cannot_be_written_migrates_nothing(tmp_path: Path, newer_version: str) -> None:  # noqa: F811
    """The disk is full: the backup before migrating fails, in a real process (a file size limit
    stands in for the full disk, which even root cannot write past)."""
    path = tmp_path / "frontdesk.db"
    engine = create_db_engine(sqlite_url(path))
    command.upgrade(alembic_config(engine), HEAD)
    engine.dispose()
    settled(path)
    before = sha256(path)
    limit = path.stat().st_size - 1

    def full_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    code = ("import sys, frontdesk.db as db; from tests.test_cli_files import with_newer; with_newer(sys.argv[1]); "
            "from frontdesk.cli import main; sys.exit(main(sys.argv[2:]))")
    environment = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path / "migrations"), "--db", sqlite_url(path),
                             "migrate"], capture_output=True, text=True, env=environment, preexec_fn=full_disk,
                            timeout=120)
    assert_one_line_failure(result.returncode, result.stdout, result.stderr, f"cannot back up {path}",
                            "nothing was migrated")
    assert sha256(path) == before
    assert backups(path) == []
    assert sql(path, "SELECT version_num FROM alembic_version") == [(HEAD,)]


def with_newer(scripts: str) -> None:
    """In a child process: use the migrations at `scripts` (the newer version's)."""
    import frontdesk.db

    frontdesk.db.MIGRATIONS = Path(scripts)


def test_a_read_only_folder_refuses_the_backup_and_migrates_nothing(capsys: pytest.CaptureFixture[str],
                                                                    tmp_path: Path,
                                                                    newer_version: str) -> None:  # noqa: F811
    path = tmp_path / "db" / "frontdesk.db"
    path.parent.mkdir()
    engine = create_db_engine(sqlite_url(path))
    command.upgrade(alembic_config(engine), HEAD)
    engine.dispose()
    settled(path)
    before = folder(path)
    with read_only(path.parent):
        code, out, err = run(capsys, "--db", sqlite_url(path), "migrate")
    assert_one_line_failure(code, out, err, str(path))
    assert folder(path) == before
    assert sql(path, "SELECT version_num FROM alembic_version") == [(HEAD,)]


def test_backups_are_rotated_keeping_the_newest_five(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                     newer_version: str) -> None:  # noqa: F811
    path = tmp_path / "frontdesk.db"
    engine = create_db_engine(sqlite_url(path))
    command.upgrade(alembic_config(engine), HEAD)
    engine.dispose()
    old = [tmp_path / f"frontdesk.db.backup-0004-2025010{day}-120000" for day in range(1, 7)]  # six older ones
    for copy in old:
        copy.write_bytes(b"an old backup")
    code, out, err = run(capsys, "--db", sqlite_url(path), "migrate")
    assert (code, err) == (0, "")
    new = Path(out.splitlines()[1].removeprefix("Backup: "))
    assert backups(path) == sorted([*old[-4:], new])  # 2 Jan .. 6 Jan kept with today's; 1 Jan and 2 Jan gone
    assert not old[0].exists() and not old[1].exists()


# ---- wrong settings -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("sqlite+aiosqlite:///spa.db", "unsupported driver 'sqlite+aiosqlite'"),
        ("postgresql+psycopg2://desk@localhost/spa", "unsupported driver 'postgresql+psycopg2'"),
        ("sqlite://", "'sqlite://' is a database in memory, lost at exit"),
        ("sqlite:///:memory:", "is a database in memory, lost at exit"),
        ("postgresql+psycopg://desk@localhost:fivefour/spa", "the port is not a number"),
    ],
    ids=["aiosqlite", "psycopg2", "memory", "memory-path", "port"],
)
@pytest.mark.parametrize("where", ["option", "option after", "environment"])
def test_a_url_that_cannot_work_is_one_line_naming_what_can(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch, url: str,
                                                           fragment: str, where: str) -> None:
    monkeypatch.chdir(tmp_path)
    if where == "environment":
        monkeypatch.setenv("FRONTDESK_DATABASE_URL", url)
        args = ["check"]
    else:
        args = ["--db", url, "check"] if where == "option" else ["check", "--db", url]
    code, out, err = run(capsys, *args)
    assert_one_line_failure(code, out, err, fragment, "sqlite:///PATH", "postgresql+psycopg://")
    assert "invalid literal" not in err and "ModuleNotFound" not in err
    assert list(tmp_path.iterdir()) == [tmp_path / "home"] or list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("variable", "value", "fragment"), [
    ("FRONTDESK_TIMEZONE", "Mars/Olympus_Mons", "unknown time zone"),
    ("FRONTDESK_CURRENCY", "DOLLARS", "currency"),
    ("FRONTDESK_IDLE_LOCK_MINUTES", "0", "idle lock"),
])
def test_a_wrong_setting_in_the_environment_leaves_the_file_alone(capsys: pytest.CaptureFixture[str],
                                                                  tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  variable: str, value: str, fragment: str) -> None:
    path = tmp_path / "frontdesk.db"
    a_sale(path)
    before = folder(path)
    monkeypatch.setenv(variable, value)
    for command_name in ("check", "migrate"):
        code, out, err = run(capsys, command_name, "--db", sqlite_url(path))
        assert_one_line_failure(code, out, err, fragment)
    assert folder(path) == before


def test_settings_options_after_the_command_as_a_real_process(tmp_path: Path) -> None:
    path = tmp_path / "spa.db"
    migrated = run_process("migrate", "--db", sqlite_url(path), "--timezone", "Europe/Paris", tmp_path=tmp_path)
    assert (migrated.returncode, migrated.stdout, migrated.stderr) == (0, f"Schema empty → {HEAD}\n", "")
    checked = run_process("--currency", "EUR", "check", "--db", sqlite_url(path), tmp_path=tmp_path)
    assert (checked.returncode, checked.stderr) == (0, "")
    assert checked.stdout.startswith("Ledger OK: 0 balances")
    refused = run_process("check", "--db", "sqlite+aiosqlite:///spa.db", tmp_path=tmp_path)
    assert_one_line_failure(refused.returncode, refused.stdout, refused.stderr, "unsupported driver")


# ---- demo --path --------------------------------------------------------------------------------

def test_demo_refuses_to_overwrite_a_file_it_did_not_make(capsys: pytest.CaptureFixture[str],
                                                          tmp_path: Path) -> None:
    mine = tmp_path / "clients.db"
    _foreign(mine)
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database at all")
    before = folder(mine)
    for path in (mine, notes):
        code, out, err = run(capsys, "demo", "--path", str(path), "--no-start")
        assert_one_line_failure(code, out, err, f"{path} exists and is not a demo database", "--replace")
    assert folder(mine) == before


@pytest.mark.slow
def test_demo_replaces_its_own_file_or_any_file_with_replace(capsys: pytest.CaptureFixture[str],
                                                             tmp_path: Path) -> None:
    """Two builds: a foreign file replaced with --replace, then a copy of the demo file that made,
    with a customer added, rebuilt without asking."""
    other = tmp_path / "other.db"
    _foreign(other)
    code, out, _ = run(capsys, "demo", "--path", str(other), "--no-start", "--replace")
    assert (code, out) == (0, f"Demo database: {other}\n")
    assert sql(other, "SELECT count(*) FROM sqlite_master WHERE name = 'recipe'") == [(0,)]
    path = tmp_path / "demo.db"
    shutil.copy(settled(other), path)  # a demo file as `frontdesk demo` made and marked it
    sql(path, "INSERT INTO customer (name, phone, email, note, search_text, phone_digits, created_at) "
              "VALUES ('Marker Only', '', '', '', 'marker only', '', '2026-03-02 15:00:00')")
    assert sql(path, "SELECT count(*) FROM customer WHERE name = 'Marker Only'") == [(1,)]
    code, out, _ = run(capsys, "demo", "--path", str(path), "--no-start")  # a demo file: rebuilt without asking
    assert (code, out) == (0, f"Demo database: {path}\n")
    assert sql(path, "SELECT count(*) FROM customer WHERE name = 'Marker Only'") == [(0,)]


# ---- both databases: check reads only, cross-checks payments; migrating races --------------------

def a_visit_paid_by_package(url: str) -> tuple[int, int]:
    """A 5-visit pack sold for $350.00 by card, one visit paid from it: (holding id, package payment id)."""
    from datetime import datetime, time, timedelta

    from frontdesk.domain.kinds import Role, Tender
    from frontdesk.domain.terms import Terms, ValueType
    from frontdesk.services import appointments, catalogue, checkout, customers, sales
    from frontdesk.services.desk import Desk
    from frontdesk.services.sales import TenderLine
    from frontdesk.services.staff import add_staff_member
    from tests.conftest import NOW, new_business

    engine = create_db_engine(url)
    migrate(engine)
    business = new_business()
    desk = Desk(engine, business, clock=lambda: NOW)
    manager = desk.by(None).write(add_staff_member, name="Grace", role=Role.MANAGER, pin=None).id
    desk = desk.by(manager)
    service = desk.write(catalogue.add_service, business, name="Swedish Massage", duration_min=60, price=8000).id
    package = desk.write(catalogue.save_package, business, terms=Terms(
        title="Massage Pack", value_type=ValueType.VISITS, quantity=5, all_services=False,
        service_ids=(service,), price=35000)).id
    maria = desk.write(customers.create_customer, desk.business, name="Maria Lopez").id
    holding = desk.write(sales.sell, business, customer_id=maria, package_id=package,
                         tenders=[TenderLine(Tender.CARD, 35000)]).id
    starts = datetime.combine(NOW.astimezone(business.tz).date() + timedelta(days=1), time(10), business.tz)
    visit = desk.write(appointments.book, business, customer_id=maria, service_id=service,
                       starts_at=starts).appointment.id
    desk.write(checkout.checkout, business, key="visit-1", appointment_id=visit, package=holding)
    with engine.connect() as connection:
        payment = connection.execute(text("SELECT id FROM payment WHERE tender = 'package'")).scalar_one()
    engine.dispose()
    return holding, payment


def test_check_cross_checks_payments_and_reads_only(capsys: pytest.CaptureFixture[str], database_url: str) -> None:
    url = database_url
    holding, payment = a_visit_paid_by_package(url)
    code, out, err = run(capsys, "check", "--db", url)
    assert (code, out, err) == (0, "Ledger OK: 1 balance matches its ledger entries; 1 package payment matches "
                                   "its entry.\n", "")
    engine = create_db_engine(url)
    with engine.begin() as connection:  # the package payment loses its ledger entry, as a bad edit would
        entry = connection.execute(text("SELECT entry_id FROM payment WHERE id = :p"), {"p": payment}).scalar_one()
        connection.execute(text("UPDATE payment SET entry_id = NULL WHERE id = :p"), {"p": payment})
    engine.dispose()
    code, out, err = run(capsys, "check", "--db", url)
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        "Package payments that do not match the ledger (2):",
        f"  payment {payment}: paid by package without a ledger entry",
        f"  ledger entry {entry} (redeem): 0 payments instead of one",
    ]
    assert holding


def _migrate_worker(url: str, barrier, results) -> None:  # type: ignore[no-untyped-def]
    engine = create_db_engine(url)
    barrier.wait()
    try:
        before, after, _ = migrate(engine)
        results.put(("ok", before, after))
    except Exception as error:  # reported, so the test shows it instead of hanging
        results.put(("error", f"{type(error).__name__}: {error}", None))
    finally:
        engine.dispose()


@contextmanager
def empty_database(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of a database with nothing in it (no schema): a SQLite file not yet made, or a new
    PostgreSQL database."""
    if backend == "sqlite":
        yield sqlite_url(tmp_path / "new.db")
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    name = f"empty_{os.getpid()}_{next(_counter)}"
    admin = create_db_engine(server.url())
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield server.url(name)
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_two_desks_migrating_a_new_database_at_once(tmp_path: Path, request: pytest.FixtureRequest,
                                                    backend: str) -> None:
    with empty_database(backend, request, tmp_path) as url:
        context = multiprocessing.get_context("fork")  # the parent has imported everything: a child starts at once
        barrier = context.Barrier(2)
        results = context.Queue()
        processes = [context.Process(target=_migrate_worker, args=(url, barrier, results)) for _ in range(2)]
        for process in processes:
            process.start()
        outcomes = sorted((results.get(timeout=120) for _ in processes), key=str)
        for process in processes:
            process.join(timeout=60)
        # both end at the newest schema; exactly one of them found it empty and migrated it
        assert outcomes == [("ok", HEAD, HEAD), ("ok", None, HEAD)]
        engine = create_db_engine(url)
        assert current_revision(engine) == HEAD
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
        engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_commands_that_read_create_no_schema(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                             request: pytest.FixtureRequest, backend: str) -> None:
    with empty_database(backend, request, tmp_path) as url:
        if backend == "sqlite":  # an existing file with nothing in it yet
            sql(tmp_path / "new.db", "PRAGMA user_version = 0")
        for args in (["check"], ["export", "ledger", "--out", str(tmp_path / "l.csv")]):
            code, out, err = run(capsys, *args, "--db", url)
            assert_one_line_failure(code, out, err, "has no Front Desk schema yet", "frontdesk migrate")
        engine = create_db_engine(url)
        with engine.connect() as connection:
            assert current_revision(engine) is None
            assert inspect(connection).get_table_names() == []
        engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_another_programs_database_gets_no_tables(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                  request: pytest.FixtureRequest, backend: str) -> None:
    with empty_database(backend, request, tmp_path) as url:
        engine = create_db_engine(url)
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE recipe (id INTEGER PRIMARY KEY, title TEXT)"))
        engine.dispose()
        for command_name in ("migrate", "check"):
            code, out, err = run(capsys, command_name, "--db", url)
            assert_one_line_failure(code, out, err, "is not a Front Desk database", "'recipe'")
        engine = create_db_engine(url)
        with engine.connect() as connection:
            assert inspect(connection).get_table_names() == ["recipe"]
        engine.dispose()


def test_check_survives_any_stored_value(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """SQLite keeps what it is given: a REAL where an integer belongs, text, and deltas whose sum
    is beyond 64 bits. `check` reports the rows; it never fails with a traceback."""
    path = tmp_path / "frontdesk.db"
    holding, _ = a_visit_paid_by_package(sqlite_url(path))
    [(line,)] = sql(path, f"SELECT id FROM holding_line WHERE holding_id = {holding}")
    [(payment,)] = sql(path, "SELECT id FROM payment WHERE tender = 'card'")
    big = 2**63 - 1
    sql(path, "DROP TRIGGER IF EXISTS ledger_entry_no_update")  # a raw tool, bypassing the app's guard
    sql(path, f"UPDATE holding_line SET remaining = 9.5e18 WHERE id = {line}")
    sql(path, f"UPDATE payment SET amount = 'lots' WHERE id = {payment}")
    sql(path, "INSERT INTO ledger_entry (holding_id, line_id, kind, delta, balance_after, staff_id, created_at, "
              f"note, seq) SELECT holding_id, line_id, 'adjust', {big}, 0, staff_id, created_at, '', 0 "
              f"FROM ledger_entry WHERE line_id = {line} LIMIT 1")
    before = folder(settled(path))
    code, out, err = run(capsys, "check", "--db", sqlite_url(path))
    assert (code, err) == (1, "")
    assert "Traceback" not in out
    lines = out.splitlines()
    # the ledger sum is 5 - 1 + (2**63 - 1) exactly, in whole numbers, not a float
    assert f"  holding {holding} line {line}: cached 9.5e+18, ledger sum {5 - 1 + big}" in lines
    assert f"  holding_line {line}: remaining is real 9.5e+18, not a whole number" in lines
    assert f"  payment {payment}: amount is text 'lots', not a whole number" in lines
    assert folder(path) == before
