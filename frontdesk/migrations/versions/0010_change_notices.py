"""PostgreSQL tells the other desks when data changes (NOTIFY on commit)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30

A statement-level trigger on each table a desk shows sends `NOTIFY frontdesk_changes` with the
table's name. PostgreSQL delivers it only when the transaction commits, once per table however
many rows changed, to every desk listening (`services/changes.py`), so a sale at one desk shows at
the others at once. Staff (sign-in attempts) and the audit trail are left out: no screen a desk
refreshes shows them. SQLite needs nothing: each desk polls `PRAGMA data_version`.
"""

from alembic import op


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

CHANNEL = 'frontdesk_changes'
WATCHED = ('service', 'provider', 'provider_service', 'opening_hours', 'package', 'package_service',
           'package_line', 'customer', 'holding', 'holding_line', 'appointment', 'ledger_entry', 'checkout',
           'payment')


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(f"""CREATE OR REPLACE FUNCTION frontdesk_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME); RETURN NULL; END $$""")
    for table in WATCHED:
        op.execute(f"""CREATE OR REPLACE TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
            ON {table} FOR EACH STATEMENT EXECUTE FUNCTION frontdesk_changed()""")


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table in WATCHED:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_changed ON {table}")
    op.execute("DROP FUNCTION IF EXISTS frontdesk_changed()")
