"""The database's own guards on what must never change: ledger entries and audit events are
append-only. Created by the migrations; installed again after every migration (`db.migrate`), so a
future migration that rebuilds one of these tables (SQLite's batch mode copies a table and drops
its triggers) cannot leave it unguarded. Every statement here is idempotent.

SQLite also needs a guard against ``INSERT OR REPLACE`` with an existing id: the replace deletes
the old row without firing the delete trigger (recursive triggers are off), which would rewrite a
redemption as anything else. PostgreSQL's ``INSERT … ON CONFLICT DO UPDATE`` fires the update
trigger, which refuses it.
"""

from __future__ import annotations

from sqlalchemy import Connection

APPEND_ONLY = ("ledger_entry", "audit_event")


def _sqlite(table: str) -> list[str]:
    message = f"{table.replace('_', ' ')}s are append-only"
    return [
        f"""CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table}
            BEGIN SELECT RAISE(ABORT, '{message}'); END""",
        f"""CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table}
            BEGIN SELECT RAISE(ABORT, '{message}'); END""",
        f"""CREATE TRIGGER IF NOT EXISTS {table}_no_replace BEFORE INSERT ON {table}
            WHEN EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id)
            BEGIN SELECT RAISE(ABORT, '{message}'); END""",
    ]


def _postgres(table: str) -> list[str]:
    message = f"{table.replace('_', ' ')}s are append-only"
    return [
        f"""CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{message}'; END $$""",
        f"""CREATE OR REPLACE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {table}_append_only()""",
        f"""CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()""",
    ]


def install(connection: Connection) -> None:
    """Create every append-only guard that is missing (those present are left as they are)."""
    make = _sqlite if connection.dialect.name == "sqlite" else _postgres
    for table in APPEND_ONLY:
        for statement in make(table):
            connection.exec_driver_sql(statement)
