"""The `frontdesk` command: start the app, build a demo, migrate, check the ledger, write
statements and CSV files, import customers.

A wrong setting or an unusable database prints one line and exits with code 2.

What a command needs loads when it runs: opening the app shows the sign-in first, and the
settings, SQLAlchemy, the models and the database are read behind it (`_open_desk`, in the app's
worker), so the desk takes keys while they load.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from frontdesk.domain.business import Business
from frontdesk.domain.kinds import Role
from frontdesk.domain.money import format_money
from frontdesk.domain.terms import ValueType
from frontdesk.services.errors import FrontDeskError, InvalidInput

if TYPE_CHECKING:  # SQLAlchemy, the settings, the database and the use cases load where they are used
    from sqlalchemy import Engine
    from sqlalchemy.exc import SQLAlchemyError

    from frontdesk.config import Settings
    from frontdesk.services.desk import Desk
    from frontdesk.services.imports import ImportPlan


def _settings_options(parser: argparse.ArgumentParser, default: object) -> None:
    """--db, --timezone, --currency and --locale: before the command or after it (`frontdesk check --db URL`)."""
    parser.add_argument("--db", metavar="URL", default=default, help="database URL: sqlite:///PATH or "
                        "postgresql+psycopg://USER@HOST[:PORT]/DATABASE (default: a SQLite file in your data "
                        "folder; or set FRONTDESK_DATABASE_URL)")
    parser.add_argument("--timezone", metavar="ZONE", default=default,
                        help="the business's IANA time zone, e.g. Europe/Paris")
    parser.add_argument("--currency", metavar="CODE", default=default, help="ISO 4217 currency code, e.g. USD")
    parser.add_argument("--locale", metavar="LOCALE", default=default,
                        help="how amounts are written and read, e.g. de_DE for 1.234,50")


def _parser() -> argparse.ArgumentParser:
    after = argparse.ArgumentParser(add_help=False)  # after a command they must not reset what came before
    _settings_options(after, argparse.SUPPRESS)
    common = [after]
    parser = argparse.ArgumentParser(
        prog="frontdesk", description="Sell and redeem prepaid appointment packages.",
        epilog="The options --db, --timezone, --currency and --locale go before or after the command. 'check', 'statement' "
               "and 'export' only read: they open an existing database read-only and never migrate it. "
               "Exit codes: 0 done; 1 'check' found a balance that differs from its ledger (or a payment from its "
               "entry, or a stored amount that is not a whole number), or 'import' imported "
               "nothing (a dry run with rejected rows, the question answered no, no row to import); 2 an error "
               "(a wrong setting, an unusable database or file), with one line saying what.")
    _settings_options(parser, None)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", parents=common, help="open the app (the default)")
    demo = commands.add_parser("demo", parents=common, help="build a fresh demo database and open the app on it")
    demo.add_argument("--path", type=Path, help="where to write the demo database (default: demo.db in your "
                      "data folder); a file there is replaced only if it is a demo database made by Front Desk")
    demo.add_argument("--replace", action="store_true", help="overwrite the file at --path even if it is not a "
                      "demo database")
    demo.add_argument("--no-start", action="store_true", help="build it, but do not open the app")
    commands.add_parser("migrate", parents=common, help="upgrade the database schema (a SQLite file is backed up "
                        "first; the last 5 backups are kept)")
    commands.add_parser("check", parents=common, help="verify the file is intact, every balance against its ledger "
                        "entries and every package payment against its entry (reads only)")
    statement = commands.add_parser("statement", parents=common,
                                    help="write a customer's statement (HTML, or PDF for .pdf)")
    statement.add_argument("customer", metavar="CUSTOMER", help="the customer's number, or words of the name, "
                           "phone or email")
    statement.add_argument("--out", required=True, type=Path, metavar="FILE",
                           help="where to write it: a .pdf file, or .html")
    export = commands.add_parser("export", parents=common,
                                 help="write the ledger, the balances or the roll-forward as CSV")
    export.add_argument("what", choices=("ledger", "balances", "rollforward"))
    export.add_argument("--from", dest="first", metavar="DAY", help="the first day (YYYY-MM-DD; default: "
                        "the first of this month); for balances, unused")
    export.add_argument("--to", dest="last", metavar="DAY", help="the last day (YYYY-MM-DD; default: today); "
                        "for balances, the day they are worth")
    export.add_argument("--out", required=True, type=Path, metavar="FILE", help="the CSV file to write")
    importing = commands.add_parser(
        "import", parents=common,
        help="import customers and the packages they still hold elsewhere from a CSV file",
        description="Import customers and the packages they still hold in another system. The first row names "
                    "the columns (any case): name, phone, email, notes, package, remaining, purchased, expires, "
                    "price_paid; one row per package, several rows with the same name and phone for a customer "
                    "with several, no package for a customer only. The report lists every row to import and "
                    "every row rejected with why; nothing is imported until you answer yes, and then all of it "
                    "in one go. Exit codes: 0 imported (or a dry run with nothing rejected), 1 nothing imported, "
                    "2 an error.")
    importing.add_argument("file", type=Path, metavar="FILE", help="the CSV file (commas, semicolons or tabs)")
    importing.add_argument("--dry-run", action="store_true", help="only print the report: import nothing")
    importing.add_argument("--yes", action="store_true", help="do not ask: import the rows that can be "
                           "imported, leaving the rejected ones out")
    staff_command = commands.add_parser("staff", parents=common, help="people at the desk")
    staff_commands = staff_command.add_subparsers(dest="staff_command", metavar="ACTION", required=True)
    add = staff_commands.add_parser("add", parents=common,
                                    help="add someone (their PIN is asked, never given as an argument)")
    add.add_argument("name", help="their name as the sign-in list shows it")
    add.add_argument("--role", choices=[role.value for role in Role], default=Role.RECEPTION.value)
    return parser


READ_ONLY_COMMANDS = {"check", "statement", "export"}  # open the database read-only, never migrate it


def shown(url: str) -> str:
    """A database URL fit to print: the password hidden."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _fail(message: str) -> int:
    print(f"frontdesk: {message}", file=sys.stderr)
    return 2


def _reason(error: SQLAlchemyError) -> str:
    return (str(getattr(error, "orig", None) or error).strip().splitlines() or [type(error).__name__])[0]


def _open(settings: Settings, *, read_only: bool = False) -> Engine:
    """The database engine, migrated first (or, `read_only`, an existing database at the newest
    revision, opened so that nothing can change it); failures raise DatabaseError with one line."""
    from sqlalchemy.exc import SQLAlchemyError

    from frontdesk.db import DatabaseError, create_db_engine, migrate, open_read_only

    try:
        if read_only:
            return open_read_only(settings.url)
        engine = create_db_engine(settings.url)
        migrate(engine, phone_region=settings.phone_region)
        return engine
    except SQLAlchemyError as error:
        raise DatabaseError(f"cannot use the database {shown(settings.url)}: {_reason(error)}") from None


def _desk(settings: Settings, engine: Engine) -> Desk:
    """The desk, with nobody at it: the app asks who is (sign-in with a PIN)."""
    from frontdesk.services.desk import Desk

    return Desk(engine, Business(tz=settings.zone, currency=settings.money, phone_region=settings.phone_region))


def _ask_pin(name: str) -> str:
    """The PIN, typed twice at the terminal without showing it."""
    pin = getpass.getpass(f"PIN for {name} (4 to 8 digits): ")
    if getpass.getpass("The same PIN again: ") != pin:
        raise FrontDeskError("The two PINs differ; nothing was saved.")
    return pin


def _add_staff(desk: Desk, name: str, role: Role) -> int:
    """`frontdesk staff add NAME --role R`: from the shell, for the person who runs the desk's
    machine (the first one on a new database, or anyone a manager asked for)."""
    from frontdesk.services import staff

    pin = _ask_pin(name)
    try:
        member = desk.write(staff.add_from_shell, name=name, role=role, pin=pin)
    except InvalidInput as error:
        return _fail(" ".join(error.fields.values()))
    print(f"Added {member.name} ({member.role}).")
    return 0


def _log_to_file() -> Path:
    """While the app runs, the terminal is its screen: problems are logged to a file instead
    (an unexpected error's traceback, shown on screen as a plain message)."""
    folder = Path(platformdirs.user_log_dir("frontdesk", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "frontdesk.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("frontdesk")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return path


def _open_desk(args: argparse.Namespace, database_url: str | None = None) -> tuple[Desk, timedelta]:
    """The settings read and the database opened (migrated first) as the app needs them: run in the
    app's worker while the sign-in already shows. A wrong setting or an unusable database raises
    an error whose text is the one line to print."""
    from frontdesk.config import load_settings

    settings = load_settings(database_url=database_url or args.db, timezone=args.timezone, currency=args.currency,
                             locale=args.locale)
    return _desk(settings, _open(settings)), timedelta(minutes=settings.idle_lock_minutes)


def _start_app(opening: Callable[[], tuple[Desk, timedelta]]) -> int:
    """Open the app at sign-in; `opening` opens the desk behind it. If it cannot, the app closes
    and the one line saying why is printed (exit code 2)."""
    from frontdesk.app import FrontDeskApp, freeze_imports  # the UI loads only when it is needed

    freeze_imports("ui")
    _log_to_file()
    app = FrontDeskApp(opening=opening)
    app.run()
    if app.return_code == 2 and app.return_value:
        return _fail(app.return_value)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if (args.command or "run") == "run":
        return _start_app(partial(_open_desk, args))
    return _command(args)


def _command(args: argparse.Namespace) -> int:
    """Every command but opening the app: settings first, then the database, then the work."""
    from sqlalchemy.exc import SQLAlchemyError

    from frontdesk.config import SettingsError, default_database_path, load_settings, sqlite_url
    from frontdesk.db import DatabaseError, create_db_engine, is_demo_file, mark_demo_file, migrate

    try:
        settings = load_settings(database_url=args.db, timezone=args.timezone, currency=args.currency,
                                 locale=args.locale)
        command = args.command
        if command == "demo":
            from frontdesk.demo import build_demo

            path = (args.path or default_database_path().with_name("demo.db")).expanduser().resolve()
            if path.exists() and not args.replace and not is_demo_file(path):
                return _fail(f"{path} exists and is not a demo database made by Front Desk: give another --path, "
                             "or --replace to overwrite it")
            settings = settings.model_copy(update={"database_url": sqlite_url(path)})
            build_demo(path, Business(tz=settings.zone, currency=settings.money, phone_region=settings.phone_region))
            mark_demo_file(path)
            print(f"Demo database: {path}")
            if args.no_start:
                return 0
            return _start_app(partial(_open_desk, args, sqlite_url(path)))
        if command == "migrate":
            engine = create_db_engine(settings.url)
            try:
                before, after, backup = migrate(engine, phone_region=settings.phone_region)
            except SQLAlchemyError as error:
                raise DatabaseError(f"cannot migrate {shown(settings.url)}: {_reason(error)}") from None
            print(f"Schema {before or 'empty'} → {after}" if before != after else f"Schema is up to date ({after}).")
            if backup:
                print(f"Backup: {backup}")
            return 0
        engine = _open(settings, read_only=command in READ_ONLY_COMMANDS)
        if command == "check":
            return _check(engine)
        if command == "staff":
            return _add_staff(_desk(settings, engine), args.name, Role(args.role))
        if command == "statement":
            return _statement(_desk(settings, engine), args.customer, args.out)
        if command == "export":
            return _export(_desk(settings, engine), args.what, args.first, args.last, args.out)
        return _import(_desk(settings, engine), args.file, dry_run=args.dry_run, yes=args.yes)
    except (SettingsError, DatabaseError) as error:
        return _fail(str(error))
    except FrontDeskError as error:
        return _fail(error.message)
    except SQLAlchemyError as error:  # the database failed under a command that only reads
        return _fail(f"cannot use the database {shown(settings.url)}: {_reason(error)}")


def _statement(desk: Desk, customer: str, out: Path) -> int:
    """Write the statement of the one customer `customer` names (her number, or words that find
    only her)."""
    from frontdesk.documents.statement import write
    from frontdesk.services import customers, statement

    if customer.strip().isdigit():
        found = [desk.read(customers.get_customer, int(customer))]
    else:
        found = desk.read(customers.search_customers, customer, limit=6)
    if not found:
        return _fail(f"No customer matches '{customer}'.")
    if len(found) > 1:
        names = ", ".join(f"{match.name} ({match.id})" for match in found[:5])
        return _fail(f"Several customers match '{customer}': {names}{' and more' if len(found) > 5 else ''}. "
                     "Give the customer's number.")
    held = desk.read(statement.statement, desk.business, customer_id=found[0].id)
    try:
        path = write(held, desk.business, out.expanduser())
    except OSError as error:
        return _fail(f"cannot write {out}: {error.strerror or error}")
    print(f"Statement of {held.customer.name}: {path}")
    return 0


def _export(desk: Desk, what: str, first: str | None, last: str | None, out: Path) -> int:
    """Write one of the managers' tables as CSV, from the shell (which holds the database)."""
    from frontdesk.documents.tables import write_csv
    from frontdesk.domain.periods import local_date
    from frontdesk.services import exports
    from frontdesk.services.staff import shell_manager

    today = local_date(desk.now(), desk.business.tz)
    try:
        last_day = date.fromisoformat(last) if last else today
        first_day = date.fromisoformat(first) if first else last_day.replace(day=1)
    except ValueError as error:
        return _fail(f"{error}: give days as YYYY-MM-DD")
    if last_day < first_day:
        return _fail("--to is before --from")
    desk = desk.by(desk.read(shell_manager))
    if what == "ledger":
        table = desk.read(exports.ledger_table, desk.business, first_day=first_day, last_day=last_day)
    elif what == "balances":
        table = desk.read(exports.balances_table, desk.business, day=last_day)
    else:
        table = desk.read(exports.roll_forward_table, desk.business, first_day=first_day, last_day=last_day)
    path = write_csv(table, out.expanduser())
    print(f"{len(table.rows)} row{'' if len(table.rows) == 1 else 's'}: {path}")
    return 0


def _import_report(plan: ImportPlan, business: Business, source: str) -> list[str]:
    """The dry run in words: each row to import, each row rejected and why, the totals."""
    money = lambda amount: format_money(amount, business.currency)  # noqa: E731
    count = lambda number, word: f"{number} {word}{'' if number == 1 else 's'}"  # noqa: E731
    lines = [f"{source}: {count(len(plan.rows), 'row')}, {len(plan.accepted)} to import, "
             f"{len(plan.rejected)} rejected"]
    if plan.ignored_columns:
        lines.append(f"Columns left out: {', '.join(plan.ignored_columns)}")
    width = len(str(max((row.row for row in plan.rows), default=0)))
    if plan.accepted:
        lines += ["", "To import:"]
    for row in plan.accepted:
        customer = f"  row {row.row:<{width}}  {row.name}" + ("" if row.new_customer else
                                                             f" (same customer as row {row.first_row})")
        holding = row.holding
        if holding is None:
            lines.append(f"{customer}: customer only")
            continue
        left = row.left_text if holding.terms.value_type is ValueType.UNLIMITED else f"{row.left_text} left"
        expiry = f"valid through {holding.valid_until.isoformat()}" if holding.valid_until else "no expiry"
        paid = f"paid {money(holding.price_paid)}" if holding.price_paid else "given free"
        lines.append(f"{customer} · {holding.terms.title}: {left}, bought {holding.purchased_on.isoformat()}, "
                     f"{expiry}, {paid}, worth {money(holding.worth)}")
    if plan.rejected:
        lines += ["", "Rejected:"]
    for row in plan.rejected:
        lines.append(f"  row {row.row:<{width}}  {row.name or '(no name)'}: {'; '.join(row.reasons)}")
    lines += ["", f"Totals: {count(plan.customers, 'customer')} and {count(plan.holdings, 'package')} to import, "
                  f"worth {money(plan.worth)} of prepaid service owed; {count(len(plan.rejected), 'row')} rejected."]
    return lines


def _confirm(question: str) -> bool:
    try:
        return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")
    except EOFError:  # no one to answer: no
        print()
        return False


def _import(desk: Desk, file: Path, *, dry_run: bool, yes: bool) -> int:
    """`frontdesk import FILE`: the report, the question, then the import in one transaction (as
    the shell's manager: whoever runs the desk's machine holds the database)."""
    from frontdesk.documents.tables import read_table
    from frontdesk.services import imports
    from frontdesk.services.staff import shell_manager

    try:
        rows = read_table(file.expanduser())
    except OSError as error:
        return _fail(f"cannot read {file}: {error.strerror or error}")
    desk = desk.by(desk.read(shell_manager))
    try:
        plan = desk.read(imports.plan_import, desk.business, rows)
    except InvalidInput as error:
        return _fail(f"{file.name}: {' '.join(error.fields.values())}")
    print("\n".join(_import_report(plan, desk.business, file.name)))
    if dry_run:
        return 1 if plan.rejected else 0
    if not plan.accepted:
        print("Nothing to import.")
        return 1
    left_out = len(plan.rejected)
    question = (f"Import {plan.customers} customer{'' if plan.customers == 1 else 's'} and {plan.holdings} "
                f"package{'' if plan.holdings == 1 else 's'}"
                + (f" ({left_out} row{' rejected' if left_out == 1 else 's rejected'} will be left out)"
                   if left_out else "") + "?")
    if not yes and not _confirm(question):
        print("Nothing was imported.")
        return 1
    result = desk.write(imports.run_import, desk.business, rows, source=file.name, skip_rejected=True, agreed=plan)
    print(f"Imported {len(result.customer_ids)} customer{'' if len(result.customer_ids) == 1 else 's'} and "
          f"{len(result.holding_ids)} package{'' if len(result.holding_ids) == 1 else 's'}, worth "
          f"{format_money(result.worth, desk.business.currency)}"
          + (f"; {result.left_out} rejected row{'' if result.left_out == 1 else 's'} left out." if result.left_out
             else "."))
    return 0


def _check(engine: Engine) -> int:
    """`frontdesk check`: the file is intact (SQLite's integrity check), every stored amount is a
    whole number, every balance equals the sum of its ledger entries, and every package payment
    matches its ledger entry. Damage is an error (exit 2); any other finding is listed (exit 1)."""
    from frontdesk.db import integrity_problems, read_session, sqlite_file
    from frontdesk.services import checkup, ledger

    damage = integrity_problems(engine)
    if damage:
        more = f" (and {len(damage) - 1} more problem{'' if len(damage) == 2 else 's'})" if len(damage) > 1 else ""
        return _fail(f"{sqlite_file(engine)} is damaged: {damage[0]}{more}; restore a backup")
    with read_session(engine) as session:
        odd = checkup.stored_value_problems(session)
        mismatches = checkup.balance_mismatches(session)
        unmatched = checkup.payment_problems(session)
        lines = ledger.count_lines(session)
        payments = checkup.count_package_payments(session)
    if not (odd or mismatches or unmatched):
        noun = "balance matches its" if lines == 1 else "balances match their"
        print(f"Ledger OK: {lines} {noun} ledger entries; {payments} package "
              f"payment{' matches its' if payments == 1 else 's match their'} entr{'y' if payments == 1 else 'ies'}.")
        return 0
    if mismatches:
        print(f"Ledger MISMATCH on {len(mismatches)} balance(s):")
    for mismatch in mismatches:
        print(f"  holding {mismatch.holding_id} line {mismatch.line_id}: cached {mismatch.cached}, "
              f"ledger sum {mismatch.ledger_sum}")
    if odd:
        print(f"Stored values that are not whole numbers ({len(odd)}):")
        print("\n".join(f"  {problem}" for problem in odd))
    if unmatched:
        print(f"Package payments that do not match the ledger ({len(unmatched)}):")
        print("\n".join(f"  {problem}" for problem in unmatched))
    return 1
