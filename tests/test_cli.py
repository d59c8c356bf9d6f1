"""The `frontdesk` command: wrong settings and unusable databases give one plain line and exit
code 2; `migrate` reports the schema revision and backs a SQLite file up before upgrading it;
`check` verifies the ledger. Runs in-process and, at least once, as a real subprocess."""

from __future__ import annotations

import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from sqlalchemy import text

import frontdesk.db
from frontdesk.cli import main
from frontdesk.db import alembic_config, create_db_engine, current_revision, head_revision, migrate
from frontdesk.domain.business import Business
from frontdesk.domain.kinds import Role, Tender
from frontdesk.domain.money import currency_for
from frontdesk.domain.terms import Terms, ValueType
from frontdesk.services import catalogue, customers, sales
from frontdesk.services.desk import Desk
from frontdesk.services.sales import TenderLine
from frontdesk.services.staff import add_staff_member

REPO = Path(__file__).resolve().parents[1]
HEAD = "0012"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No FRONTDESK_* setting leaks in, and the default database folder is a temporary one."""
    for name in list(os.environ):
        if name.startswith("FRONTDESK_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_process(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    environment = {name: value for name, value in os.environ.items() if not name.startswith("FRONTDESK_")}
    environment.update(XDG_DATA_HOME=str(tmp_path / "xdg"), HOME=str(tmp_path / "home"),
                       PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "frontdesk", *args], capture_output=True, text=True,
                          cwd=tmp_path, env=environment, timeout=120)


def assert_one_line_failure(code: int, out: str, err: str, *fragments: str) -> None:
    assert code == 2
    assert "Traceback" not in err and "Traceback" not in out
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("frontdesk: ")
    for fragment in fragments:
        assert fragment in lines[0]


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def backups(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.backup-*"))


def sql(path: Path, statement: str) -> list[tuple]:
    """Run one statement on a SQLite file with a plain connection, committed and closed."""
    connection = sqlite3.connect(path)
    try:
        with connection:
            return connection.execute(statement).fetchall()
    finally:
        connection.close()


@pytest.fixture
def not_a_database(tmp_path: Path) -> Path:
    path = tmp_path / "notes.db"
    path.write_text("These are my notes, not a database.\n" * 200)
    return path


# ---- wrong settings and unusable databases ------------------------------------------------------

@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--timezone", "Mars/Olympus_Mons"], ["timezone", "unknown time zone 'Mars/Olympus_Mons'"]),
        (["--currency", "XYZ"], ["currency", "unknown currency 'XYZ'"]),
        (["--db", "not a url"], ["database_url", "cannot read database URL 'not a url'"]),
        (["--db", "mysql://user@localhost/spa"], ["unsupported database 'mysql'"]),
    ],
    ids=["timezone", "currency", "url", "backend"],
)
@pytest.mark.parametrize("command_name", ["check", "migrate"])
def test_a_wrong_setting_is_one_line_and_exit_code_2(capsys: pytest.CaptureFixture[str], args: list[str],
                                                    fragments: list[str], command_name: str) -> None:
    code, out, err = run(capsys, *args, command_name)
    assert_one_line_failure(code, out, err, *fragments)
    assert out == ""


def test_a_wrong_setting_from_the_environment(capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRONTDESK_TIMEZONE", "Europe/Atlantis")
    code, out, err = run(capsys, "check")
    assert_one_line_failure(code, out, err, "unknown time zone 'Europe/Atlantis'")


@pytest.mark.parametrize("command_name", ["check", "migrate"])
def test_a_file_that_is_not_a_database(capsys: pytest.CaptureFixture[str], not_a_database: Path,
                                       command_name: str) -> None:
    before = not_a_database.read_bytes()
    code, out, err = run(capsys, "--db", sqlite_url(not_a_database), command_name)
    assert_one_line_failure(code, out, err, str(not_a_database), "file is not a database")
    assert not_a_database.read_bytes() == before
    assert backups(not_a_database) == []


def test_opening_the_app_on_a_file_that_is_not_a_database(capsys: pytest.CaptureFixture[str], not_a_database: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The app shows its sign-in before the database is open; when it cannot be, the app closes
    and the same one line is printed, with exit code 2."""
    from frontdesk.app import FrontDeskApp

    run_app = FrontDeskApp.run
    monkeypatch.setattr(FrontDeskApp, "run", lambda app: run_app(app, headless=True, size=(100, 32)))
    before = not_a_database.read_bytes()
    code, out, err = run(capsys, "--db", sqlite_url(not_a_database))
    assert_one_line_failure(code, out, err, str(not_a_database), "file is not a database")
    assert not_a_database.read_bytes() == before


def test_opening_the_app_migrates_a_new_file_behind_the_sign_in(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The app opens the database in its worker as the command line did: a new file gets the
    schema, and with nobody on the staff list the owner is set up first."""
    from frontdesk.app import FrontDeskApp
    from frontdesk.screens.sign_in import OwnerSetupScreen

    asked: list[bool] = []

    async def owner_asked(pilot) -> None:  # type: ignore[no-untyped-def]
        for _ in range(2000):  # each round waits for the app to go idle
            if isinstance(pilot.app.screen, OwnerSetupScreen):
                asked.append(True)
                break
            await pilot.pause()
        pilot.app.exit()

    run_app = FrontDeskApp.run
    monkeypatch.setattr(FrontDeskApp, "run",
                        lambda app: run_app(app, headless=True, size=(100, 32), auto_pilot=owner_asked))
    path = tmp_path / "new.db"
    code, out, err = run(capsys, "--db", sqlite_url(path))
    assert (code, out, err, asked) == (0, "", "", [True])
    assert sql(path, "SELECT version_num FROM alembic_version") == [(HEAD,)]


def test_a_database_folder_that_cannot_be_made(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    code, out, err = run(capsys, "--db", sqlite_url(blocker / "sub" / "frontdesk.db"), "migrate")
    assert_one_line_failure(code, out, err, "cannot create the database folder")


def test_an_unreachable_postgresql_server(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, out, err = run(capsys, "--db", f"postgresql+psycopg://nobody@127.0.0.1:{port}/spa", "check")
    assert_one_line_failure(code, out, err, "cannot use the database", "refused")


def test_a_database_from_a_newer_version_is_refused_without_a_traceback(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "frontdesk.db"
    assert run(capsys, "--db", sqlite_url(path), "migrate")[0] == 0
    sql(path, "UPDATE alembic_version SET version_num = '0099'")
    for command_name in ("migrate", "check"):
        code, out, err = run(capsys, "--db", sqlite_url(path), command_name)
        assert_one_line_failure(code, out, err, "revision 0099", "newer version")
    assert backups(path) == []
    assert sql(path, "SELECT version_num FROM alembic_version") == [("0099",)]


def test_failures_as_a_real_process(tmp_path: Path, not_a_database: Path) -> None:
    for args, fragment in (
        (["--timezone", "Nowhere/Special", "check"], "unknown time zone 'Nowhere/Special'"),
        (["--currency", "ABC", "migrate"], "unknown currency 'ABC'"),
        (["--db", "::nonsense::", "check"], "cannot read database URL"),
        (["--db", sqlite_url(not_a_database), "check"], "file is not a database"),
    ):
        result = run_process(*args, tmp_path=tmp_path)
        assert_one_line_failure(result.returncode, result.stdout, result.stderr, fragment)


def test_migrate_and_check_as_a_real_process(tmp_path: Path) -> None:
    path = tmp_path / "spa.db"
    migrated = run_process("--db", sqlite_url(path), "migrate", tmp_path=tmp_path)
    assert (migrated.returncode, migrated.stderr) == (0, "")
    assert migrated.stdout == f"Schema empty → {HEAD}\n"
    checked = run_process("--db", sqlite_url(path), "check", tmp_path=tmp_path)
    assert (checked.returncode, checked.stderr) == (0, "")
    assert checked.stdout.startswith("Ledger OK")


# ---- migrate and its backups --------------------------------------------------------------------

def test_migrate_a_new_file_prints_the_revision_and_makes_no_backup(capsys: pytest.CaptureFixture[str],
                                                                   tmp_path: Path) -> None:
    path = tmp_path / "new" / "frontdesk.db"
    code, out, err = run(capsys, "--db", sqlite_url(path), "migrate")
    assert (code, out, err) == (0, f"Schema empty → {HEAD}\n", "")
    assert path.exists() and backups(path) == []
    code, out, err = run(capsys, "--db", sqlite_url(path), "migrate")
    assert (code, out, err) == (0, f"Schema is up to date ({HEAD}).\n", "")
    assert backups(path) == []


def test_the_newest_migration_file_names_alembics_head(tmp_path: Path) -> None:
    """Start-up knows the head from the file names alone; Alembic, reading the scripts, agrees."""
    engine = create_db_engine(sqlite_url(tmp_path / "spa.db"))
    assert frontdesk.db.newest_revision() == head_revision(engine) == HEAD
    engine.dispose()


def test_opening_a_current_database_does_not_load_alembic(tmp_path: Path) -> None:
    """Alembic and Mako load only when there is something to migrate: not when the app opens a
    database at the newest revision, nor for a command that only reads it."""
    path = tmp_path / "spa.db"
    assert run_process("--db", sqlite_url(path), "migrate", tmp_path=tmp_path).returncode == 0
    code = ("import sys; from frontdesk.cli import _open; from frontdesk.config import load_settings; "
            "settings = load_settings(database_url=sys.argv[1]); _open(settings).dispose(); "
            "_open(settings, read_only=True).dispose(); "
            "print(sorted(name for name in sys.modules if name.split('.')[0] in ('alembic', 'mako')))")
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    opened = subprocess.run([sys.executable, "-c", code, sqlite_url(path)], capture_output=True, text=True,
                            env=environment, timeout=120)
    assert (opened.returncode, opened.stderr, opened.stdout) == (0, "", "[]\n")


def test_migrate_uses_the_default_file_when_no_url_is_given(capsys: pytest.CaptureFixture[str],
                                                           tmp_path: Path) -> None:
    code, out, _ = run(capsys, "migrate")
    assert (code, out) == (0, f"Schema empty → {HEAD}\n")
    assert list((tmp_path / "xdg").rglob("frontdesk.db"))


def test_a_file_downgraded_to_no_revision_is_rebuilt_without_a_backup(capsys: pytest.CaptureFixture[str],
                                                                      tmp_path: Path) -> None:
    """`migrate` backs up only a file that had a revision: at base there is no schema to keep."""
    path = tmp_path / "frontdesk.db"
    engine = create_db_engine(sqlite_url(path))
    migrate(engine)
    command.downgrade(alembic_config(engine), "base")
    assert current_revision(engine) is None
    engine.dispose()
    code, out, err = run(capsys, "--db", sqlite_url(path), "migrate")
    assert (code, out, err) == (0, f"Schema empty → {HEAD}\n", "")
    assert backups(path) == []


SECOND_REVISION = '''"""a later schema change (test only)"""
from alembic import op
import sqlalchemy as sa

revision = "0099"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("gift_card", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("gift_card")
'''


@pytest.fixture
def newer_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Front Desk's migrations plus a revision 0099, as the next version of the app would ship them."""
    scripts = tmp_path / "migrations"
    shutil.copytree(Path(frontdesk.db.__file__).parent / "migrations", scripts,
                    ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "0099_gift_card.py").write_text(SECOND_REVISION.replace("{head}", HEAD))
    monkeypatch.setattr(frontdesk.db, "MIGRATIONS", scripts)
    yield "0099"


def test_migrating_a_file_at_an_older_revision_backs_it_up_first(capsys: pytest.CaptureFixture[str],
                                                                tmp_path: Path, newer_version: str) -> None:
    path = tmp_path / "frontdesk.db"
    engine = create_db_engine(sqlite_url(path))
    command.upgrade(alembic_config(engine), HEAD)  # the file as the current version left it
    engine.dispose()
    sql(path, "INSERT INTO customer (name, phone, email, note, search_text, phone_digits, created_at) "
              "VALUES ('Maria Lopez', '', '', '', 'maria lopez', '', '2026-03-02 15:00:00')")
    code, out, err = run(capsys, "--db", sqlite_url(path), "migrate")
    assert (code, err) == (0, "")
    [backup] = backups(path)
    assert re.fullmatch(rf"{re.escape(path.name)}\.backup-{HEAD}-\d{{8}}-\d{{6}}", backup.name)
    assert out == f"Schema {HEAD} → {newer_version}\nBackup: {backup}\n"
    assert sql(backup, "SELECT version_num FROM alembic_version") == [(HEAD,)]
    assert sql(backup, "SELECT name FROM customer") == [("Maria Lopez",)]
    assert sql(backup, "SELECT count(*) FROM sqlite_master WHERE name = 'gift_card'") == [(0,)]
    assert sql(path, "SELECT version_num FROM alembic_version") == [(newer_version,)]
    assert sql(path, "SELECT count(*) FROM sqlite_master WHERE name = 'gift_card'") == [(1,)]
    assert sql(path, "SELECT name FROM customer") == [("Maria Lopez",)]
    # up to date now: no second backup
    code, out, _ = run(capsys, "--db", sqlite_url(path), "migrate")
    assert (code, out) == (0, f"Schema is up to date ({newer_version}).\n")
    assert backups(path) == [backup]


def test_opening_a_file_at_an_older_revision_also_backs_it_up(capsys: pytest.CaptureFixture[str],
                                                             tmp_path: Path, newer_version: str,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "frontdesk.db"
    engine = create_db_engine(sqlite_url(path))
    command.upgrade(alembic_config(engine), HEAD)
    engine.dispose()
    code, out, err = run(capsys, "--db", sqlite_url(path), "check")  # `check` only reads: migrate first
    assert_one_line_failure(code, out, err, f"schema revision {HEAD}", "frontdesk migrate")
    assert backups(path) == []
    typed = iter(["2468", "2468"])
    monkeypatch.setattr("frontdesk.cli.getpass.getpass", lambda prompt: next(typed))
    code, out, _ = run(capsys, "--db", sqlite_url(path), "staff", "add", "Grace Kim", "--role", "manager")
    assert (code, out, _) == (0, "Added Grace Kim (manager).\n", "")
    assert len(backups(path)) == 1
    engine = create_db_engine(sqlite_url(path))
    assert current_revision(engine) == head_revision(engine) == newer_version
    engine.dispose()


# ---- check --------------------------------------------------------------------------------------

def a_sale(path: Path) -> int:
    """A migrated file with one customer who bought a 5-visit pack; returns the holding id."""
    engine = create_db_engine(sqlite_url(path))
    migrate(engine)
    desk = Desk(engine, Business(tz=ZoneInfo("America/New_York"), currency=currency_for("USD")))
    manager = desk.by(None).write(add_staff_member, name="Grace", role=Role.MANAGER, pin=None).id
    service = desk.by(manager).write(catalogue.add_service, desk.business, name="Swedish Massage", duration_min=60, price=8000).id
    package = desk.by(manager).write(catalogue.save_package, desk.business, terms=Terms(
        title="Massage Pack", value_type=ValueType.VISITS, quantity=5, all_services=False,
        service_ids=(service,), price=35000)).id
    maria = desk.by(manager).write(customers.create_customer, desk.business, name="Maria Lopez").id
    holding = desk.by(manager).write(sales.sell, desk.business, customer_id=maria, package_id=package,
                                     tenders=[TenderLine(Tender.CARD, 35000)]).id
    engine.dispose()
    return holding


def test_check_on_a_healthy_database(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "frontdesk.db"
    a_sale(path)
    code, out, err = run(capsys, "--db", sqlite_url(path), "check")
    assert (code, err) == (0, "")
    assert out.startswith("Ledger OK") and "1 balance" in out


def test_check_on_a_mistyped_path_creates_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "frontdsk.db"
    for command_name in (["check"], ["statement", "1", "--out", str(tmp_path / "s.html")],
                         ["export", "ledger", "--out", str(tmp_path / "l.csv")]):
        code, out, err = run(capsys, "--db", sqlite_url(missing), *command_name)
        assert (code, out, err) == (2, "", f"frontdesk: No database at {missing}.\n")
    assert list(tmp_path.iterdir()) == []


def test_check_reports_a_broken_balance_and_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "frontdesk.db"
    holding = a_sale(path)
    engine = create_db_engine(sqlite_url(path))
    with engine.begin() as connection:
        line = connection.execute(text("SELECT id FROM holding_line WHERE holding_id = :h"), {"h": holding}).scalar_one()
        connection.execute(text("UPDATE holding_line SET remaining = 2 WHERE id = :id"), {"id": line})
    engine.dispose()
    code, out, err = run(capsys, "--db", sqlite_url(path), "check")
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        "Ledger MISMATCH on 1 balance(s):",
        f"  holding {holding} line {line}: cached 2, ledger sum 5",
    ]


def test_staff_add_asks_the_pin_twice_and_stores_only_its_hash(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """`frontdesk staff add NAME --role manager`: the PIN is typed at the terminal, never an argument."""
    path = tmp_path / "frontdesk.db"
    typed = iter(["2468", "2468", "1357", "1358"])
    monkeypatch.setattr("frontdesk.cli.getpass.getpass", lambda prompt: next(typed))
    code, out, err = run(capsys, "--db", sqlite_url(path), "staff", "add", "Grace Kim", "--role", "manager")
    assert (code, out, err) == (0, "Added Grace Kim (manager).\n", "")
    code, out, err = run(capsys, "--db", sqlite_url(path), "staff", "add", "Rita Alvarez")
    assert (code, out) == (2, "") and "two PINs differ" in err
    engine = create_db_engine(sqlite_url(path))
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT name, role, pin_hash FROM staff")).all()
    engine.dispose()
    assert [(name, role) for name, role, _ in stored] == [("Grace Kim", "manager")]
    assert stored[0][2].startswith("scrypt$") and "2468" not in stored[0][2]


# ---- statement ----------------------------------------------------------------------------------

def test_statement_writes_the_customers_page_found_by_name_or_number(capsys: pytest.CaptureFixture[str],
                                                                    tmp_path: Path) -> None:
    path = tmp_path / "frontdesk.db"
    a_sale(path)  # Maria Lopez, customer 1, bought a Massage Pack
    out = tmp_path / "out" / "maria.html"
    code, printed, err = run(capsys, "--db", sqlite_url(path), "statement", "lopez", "--out", str(out))
    assert (code, printed, err) == (0, f"Statement of Maria Lopez: {out}\n", "")
    page = out.read_text(encoding="utf-8")
    assert "Maria Lopez" in page and "Massage Pack" in page and "prepared by Front Desk, from the shell" in page
    code, printed, _ = run(capsys, "--db", sqlite_url(path), "statement", "1", "--out", str(tmp_path / "m.pdf"))
    assert code == 0 and (tmp_path / "m.pdf").read_bytes().startswith(b"%PDF-")


def test_statement_of_nobody_says_so(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "frontdesk.db"
    a_sale(path)
    code, _, err = run(capsys, "--db", sqlite_url(path), "statement", "zelda", "--out", str(tmp_path / "z.html"))
    assert (code, err) == (2, "frontdesk: No customer matches 'zelda'.\n")
    assert not (tmp_path / "z.html").exists()


# ---- export -------------------------------------------------------------------------------------

def test_export_writes_the_roll_forward_balances_and_ledger_as_csv(capsys: pytest.CaptureFixture[str],
                                                                   tmp_path: Path) -> None:
    from frontdesk.documents.tables import read_csv

    path = tmp_path / "frontdesk.db"
    a_sale(path)  # today: a $350.00 pack sold by card
    out = tmp_path / "rollforward.csv"
    assert run(capsys, "--db", sqlite_url(path), "export", "rollforward", "--out", str(out)) == (
        0, f"13 rows: {out}\n", "")
    figures = dict(read_csv(out)[1:])
    assert (figures["opening"], figures["sold"], figures["closing"]) == ("0.00", "350.00", "350.00")
    code, printed, _ = run(capsys, "--db", sqlite_url(path), "export", "balances", "--out", str(tmp_path / "b.csv"))
    assert (code, printed) == (0, f"1 row: {tmp_path / 'b.csv'}\n")
    code, printed, _ = run(capsys, "--db", sqlite_url(path), "export", "ledger", "--out", str(tmp_path / "l.csv"))
    assert [row[1] for row in read_csv(tmp_path / "l.csv")[1:]] == ["entry", "payment"]


def test_export_refuses_days_it_cannot_read(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "frontdesk.db"
    a_sale(path)
    code, _, err = run(capsys, "--db", sqlite_url(path), "export", "ledger", "--from", "yesterday",
                       "--out", str(tmp_path / "l.csv"))
    assert code == 2 and "give days as YYYY-MM-DD" in err
    code, _, err = run(capsys, "--db", sqlite_url(path), "export", "ledger", "--from", "2026-03-05", "--to",
                       "2026-03-01", "--out", str(tmp_path / "l.csv"))
    assert (code, err) == (2, "frontdesk: --to is before --from\n")


# ---- import -------------------------------------------------------------------------------------

CUSTOMER_FILE = """\
Name;Phone;Email;Package;Remaining;Purchased;Price paid (USD);Loyalty tier
Zoe Adams;201-555-0201;zoe@example.com;Massage Pack;3;2025-11-03;350.00;gold
Zoe Adams;201-555-0201;;massage pack;1;2025-12-01;0;
Ivo Marr;201-555-0204;;Gold Pack;2;2025-12-01;100;
Lena Berg;;;;;;;
"""


def customer_file(tmp_path: Path, content: str = CUSTOMER_FILE) -> Path:
    path = tmp_path / "old system.csv"
    path.write_text(content, encoding="utf-8")
    return path


REPORT = [
    "old system.csv: 4 rows, 3 to import, 1 rejected",
    "Columns left out: Loyalty tier",
    "",
    "To import:",
    "  row 2  Zoe Adams · Massage Pack: 3 visits left, bought 2025-11-03, no expiry, paid $350.00, worth $210.00",
    "  row 3  Zoe Adams (same customer as row 2) · Massage Pack: 1 visit left, bought 2025-12-01, no expiry, "
    "given free, worth $0.00",
    "  row 5  Lena Berg: customer only",
    "",
    "Rejected:",
    "  row 4  Ivo Marr: unknown package 'Gold Pack'",
    "",
    "Totals: 2 customers and 2 packages to import, worth $210.00 of prepaid service owed; 1 row rejected.",
]


def test_import_dry_run_reports_every_row_and_imports_nothing(capsys: pytest.CaptureFixture[str],
                                                               tmp_path: Path) -> None:
    path = tmp_path / "frontdesk.db"
    a_sale(path)  # Grace (manager), the Massage Pack ($350.00 for 5 visits), Maria Lopez
    code, out, err = run(capsys, "--db", sqlite_url(path), "import", str(customer_file(tmp_path)), "--dry-run")
    assert (code, out.splitlines(), err) == (1, REPORT, "")  # 1: rows were rejected
    assert sql(path, "SELECT count(*) FROM customer") == [(1,)]
    clean = customer_file(tmp_path, "name,phone\nLena Berg,201-555-0999\n")
    code, out, _ = run(capsys, "--db", sqlite_url(path), "import", str(clean), "--dry-run")
    assert code == 0 and out.splitlines()[-1] == ("Totals: 1 customer and 0 packages to import, worth $0.00 of "
                                                  "prepaid service owed; 0 rows rejected.")


def test_import_asks_first_and_no_imports_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "frontdesk.db"
    a_sale(path)
    asked = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "n")
    code, out, err = run(capsys, "--db", sqlite_url(path), "import", str(customer_file(tmp_path)))
    assert asked == ["Import 2 customers and 2 packages (1 row rejected will be left out)? [y/N] "]
    assert (code, out.splitlines()[-1], err) == (1, "Nothing was imported.", "")
    assert sql(path, "SELECT count(*) FROM customer") == [(1,)]


def test_import_yes_imports_the_good_rows_and_the_ledger_checks(capsys: pytest.CaptureFixture[str],
                                                                 tmp_path: Path) -> None:
    path = tmp_path / "frontdesk.db"
    a_sale(path)
    code, out, err = run(capsys, "--db", sqlite_url(path), "import", str(customer_file(tmp_path)), "--yes")
    assert (code, out.splitlines()[:-1], err) == (0, REPORT, "")
    assert out.splitlines()[-1] == "Imported 2 customers and 2 packages, worth $210.00; 1 rejected row left out."
    assert sql(path, "SELECT c.name, e.kind, e.delta, e.note FROM ledger_entry e JOIN holding h ON h.id = "
                     "e.holding_id JOIN customer c ON c.id = h.customer_id WHERE e.kind = 'import' ORDER BY e.id") == [
        ("Zoe Adams", "import", 3, "imported from old system.csv, row 2"),
        ("Zoe Adams", "import", 1, "imported from old system.csv, row 3")]
    assert run(capsys, "--db", sqlite_url(path), "check")[0] == 0


def test_import_of_a_file_it_cannot_use_is_one_line_and_exit_code_2(capsys: pytest.CaptureFixture[str],
                                                                    tmp_path: Path) -> None:
    path = tmp_path / "frontdesk.db"
    a_sale(path)
    code, out, err = run(capsys, "--db", sqlite_url(path), "import", str(tmp_path / "missing.csv"))
    assert_one_line_failure(code, out, err, "cannot read", "missing.csv")
    code, out, err = run(capsys, "--db", sqlite_url(path), "import",
                         str(customer_file(tmp_path, "phone,package\n201-555-0101,Massage Pack\n")))
    assert_one_line_failure(code, out, err, "old system.csv: The first row names the columns")
