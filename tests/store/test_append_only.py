"""Ledger entries and audit events cannot be rewritten by any SQL: not by UPDATE or DELETE, not by
SQLite's INSERT OR REPLACE (which deletes the old row without firing the delete trigger), not by
PostgreSQL's INSERT … ON CONFLICT DO UPDATE; and a future migration that rebuilds the table (SQLite's
batch mode copies it and drops its triggers) leaves the guards standing, because every migration
installs them again. SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError as SQLDatabaseError

from frontdesk.db import migrate
from frontdesk.domain.terms import Terms, ValueType
from frontdesk.services import checkout, ledger
from tests.store.conftest import Spa

PACK = Terms(title="Massage Pack", value_type=ValueType.VISITS, quantity=5, price=35000)


def a_redemption(spa: Spa, maria: int) -> int:
    """The id of a redemption entry (one visit of five)."""
    held = spa.sell(maria, spa.package(PACK))
    visit = spa.book(maria, spa.swedish, spa.at(0, 14))
    spa.desk.write(checkout.checkout, spa.desk.business, key="k", appointment_id=visit, package=held)
    return spa.desk.read(lambda session: session.execute(text(
        "SELECT id FROM ledger_entry WHERE kind = 'redeem'")).scalar_one())


def rewrite(spa: Spa, entry: int) -> None:
    """Try to turn the redemption into a +5 adjustment with one statement of the database's dialect."""
    columns = ("id, holding_id, line_id, kind, delta, balance_after, appointment_id, staff_id, created_at, note, "
               "seq")
    copy = (f"SELECT id, holding_id, line_id, 'adjust', 5, balance_after + 6, NULL, staff_id, created_at, "
            f"'rewritten', 0 FROM ledger_entry WHERE id = {entry}")
    if spa.desk.engine.dialect.name == "sqlite":
        statement = f"INSERT OR REPLACE INTO ledger_entry ({columns}) {copy}"
    else:
        statement = (f"INSERT INTO ledger_entry ({columns}) {copy} ON CONFLICT (id) DO UPDATE "
                     "SET kind = EXCLUDED.kind, delta = EXCLUDED.delta, note = EXCLUDED.note")
    with spa.desk.engine.begin() as connection:
        connection.exec_driver_sql(statement)


def the_entry(spa: Spa, entry: int) -> tuple[str, int, str]:
    return spa.desk.read(lambda session: tuple(session.execute(text(
        f"SELECT kind, delta, note FROM ledger_entry WHERE id = {entry}")).one()))


def test_a_ledger_entry_cannot_be_replaced_in_place(spa: Spa, maria: int) -> None:
    entry = a_redemption(spa, maria)
    before = the_entry(spa, entry)
    with pytest.raises(SQLDatabaseError, match="append-only"):
        rewrite(spa, entry)
    assert the_entry(spa, entry) == before == ("redeem", -1, "1 visit")
    assert spa.desk.read(ledger.check) == []


@pytest.mark.parametrize("statement", ["UPDATE {table} SET id = id", "DELETE FROM {table}"])
@pytest.mark.parametrize("table", ["ledger_entry", "audit_event"])
def test_updates_and_deletes_are_refused(spa: Spa, maria: int, table: str, statement: str) -> None:
    a_redemption(spa, maria)
    count = f"SELECT count(*) FROM {table}"
    before = spa.desk.read(lambda session: session.execute(text(count)).scalar_one())
    with pytest.raises(SQLDatabaseError, match="append-only"), spa.desk.engine.begin() as connection:
        connection.exec_driver_sql(statement.format(table=table))
    assert spa.desk.read(lambda session: session.execute(text(count)).scalar_one()) == before > 0


def test_a_migration_that_rebuilds_the_ledger_leaves_it_guarded(spa: Spa, maria: int) -> None:
    entry = a_redemption(spa, maria)
    if spa.desk.engine.dialect.name == "sqlite":
        # what a future migration adding a column in SQLite's batch mode does: copy, drop, rename
        with spa.desk.engine.connect() as connection:
            # as a table rebuild must, outside any transaction (where the pragma would do nothing)
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
            with connection.begin():
                operations = Operations(MigrationContext.configure(connection))
                with operations.batch_alter_table("ledger_entry", recreate="always") as batch:
                    batch.add_column(sa.Column("future", sa.Integer(), nullable=True))
            triggers = connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'ledger_entry'").all()
        assert triggers == []  # the rebuild took every trigger with it
    else:
        with spa.desk.engine.begin() as connection:  # the same loss, on PostgreSQL
            connection.exec_driver_sql("DROP TRIGGER ledger_entry_no_change ON ledger_entry")
    migrate(spa.desk.engine)  # the migration run ends by installing the guards again
    with pytest.raises(SQLDatabaseError, match="append-only"):
        rewrite(spa, entry)
    assert the_entry(spa, entry) == ("redeem", -1, "1 visit")
