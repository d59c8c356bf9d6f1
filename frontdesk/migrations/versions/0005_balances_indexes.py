"""what the managers' balances list filters and sorts on, on the holding and indexed

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30

The balances list filters and sorts 100k holdings in SQL, a page at a time; reading each
holding's terms and lines to do so would read every row in full. So a holding carries what the
list needs, and one index covers it all (led by the customer, for the list by customer):

- `unit` (visits, minutes, money, uses) and `provider_id` (the provider its terms are restricted
  to): facts of its frozen terms, copied at the sale like the terms and never changed;
- `remaining`: the sum of its lines' balances, kept by triggers on `holding_line` in the same
  statement that moves a line, so it can never disagree with them;
- `last_used_at`: its latest redemption, kept by a trigger on `ledger_entry`.

Existing holdings get all four from their terms, lines and entries. Customers get an index by
name, for the list sorted by customer.
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

BALANCES_COLUMNS = ['customer_id', 'valid_until', 'voided_at', 'unit', 'remaining', 'package_id', 'provider_id',
                    'purchased_at', 'last_used_at']

UNIT = """CASE WHEN {contents} = 'fixed' THEN 'visits' WHEN {value_type} = 'minutes' THEN 'minutes'
               WHEN {value_type} = 'amount' THEN 'money' WHEN {value_type} = 'unlimited' THEN 'uses'
               ELSE 'visits' END"""
FROM_LINES = """UPDATE holding SET
    remaining = (SELECT coalesce(sum(remaining), 0) FROM holding_line WHERE holding_line.holding_id = holding.id),
    last_used_at = (SELECT max(created_at) FROM ledger_entry
                    WHERE ledger_entry.holding_id = holding.id AND ledger_entry.kind = 'redeem')"""

SQLITE_EXTRAS = [
    "UPDATE holding SET unit = " + UNIT.format(contents="json_extract(terms, '$.contents')",
                                              value_type="json_extract(terms, '$.value_type')")
    + ", provider_id = json_extract(terms, '$.provider_id')",
    FROM_LINES,
    """CREATE TRIGGER holding_line_remaining_insert AFTER INSERT ON holding_line BEGIN
           UPDATE holding SET remaining = remaining + NEW.remaining WHERE id = NEW.holding_id; END""",
    """CREATE TRIGGER holding_line_remaining_update AFTER UPDATE OF remaining ON holding_line BEGIN
           UPDATE holding SET remaining = remaining - OLD.remaining WHERE id = OLD.holding_id;
           UPDATE holding SET remaining = remaining + NEW.remaining WHERE id = NEW.holding_id; END""",
    """CREATE TRIGGER holding_line_remaining_delete AFTER DELETE ON holding_line BEGIN
           UPDATE holding SET remaining = remaining - OLD.remaining WHERE id = OLD.holding_id; END""",
    """CREATE TRIGGER ledger_entry_last_use AFTER INSERT ON ledger_entry WHEN NEW.kind = 'redeem' BEGIN
           UPDATE holding SET last_used_at = NEW.created_at
           WHERE id = NEW.holding_id AND (last_used_at IS NULL OR last_used_at < NEW.created_at); END""",
]

POSTGRES_EXTRAS = [
    "UPDATE holding SET unit = " + UNIT.format(contents="terms ->> 'contents'", value_type="terms ->> 'value_type'")
    + ", provider_id = (terms ->> 'provider_id')::integer",
    FROM_LINES,
    """CREATE FUNCTION holding_line_remaining() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP IN ('UPDATE', 'DELETE') THEN
           UPDATE holding SET remaining = remaining - OLD.remaining WHERE id = OLD.holding_id;
         END IF;
         IF TG_OP IN ('INSERT', 'UPDATE') THEN
           UPDATE holding SET remaining = remaining + NEW.remaining WHERE id = NEW.holding_id;
         END IF;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER holding_line_remaining AFTER INSERT OR UPDATE OF remaining OR DELETE ON holding_line
       FOR EACH ROW EXECUTE FUNCTION holding_line_remaining()""",
    """CREATE FUNCTION ledger_entry_last_use() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         UPDATE holding SET last_used_at = NEW.created_at
         WHERE id = NEW.holding_id AND (last_used_at IS NULL OR last_used_at < NEW.created_at);
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER ledger_entry_last_use AFTER INSERT ON ledger_entry
       FOR EACH ROW WHEN (NEW.kind = 'redeem') EXECUTE FUNCTION ledger_entry_last_use()""",
]


def upgrade() -> None:
    # plain ADD COLUMN (no table copy): the tables that refer to holdings stay as they are
    op.add_column('holding', sa.Column('unit', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True))
    op.add_column('holding', sa.Column('provider_id', sa.Integer(), nullable=True))
    op.add_column('holding', sa.Column('remaining', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('holding', sa.Column('last_used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    for statement in SQLITE_EXTRAS if op.get_bind().dialect.name == "sqlite" else POSTGRES_EXTRAS:
        op.execute(statement)
    op.create_index('ix_holding_balances', 'holding', BALANCES_COLUMNS, unique=False)
    op.create_index('ix_customer_name', 'customer', ['name'], unique=False)
    # a redemption's round is checked against the appointment's reversals (0003's trigger), and an
    # appointment's standing redemption is looked up: by appointment, not by a scan of the ledger
    op.create_index('ix_ledger_entry_appointment_id', 'ledger_entry', ['appointment_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_ledger_entry_appointment_id', table_name='ledger_entry')
    op.drop_index('ix_customer_name', table_name='customer')
    op.drop_index('ix_holding_balances', table_name='holding')
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("holding_line_remaining_insert", "holding_line_remaining_update",
                        "holding_line_remaining_delete", "ledger_entry_last_use"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    else:
        op.execute("DROP TRIGGER IF EXISTS holding_line_remaining ON holding_line")
        op.execute("DROP FUNCTION IF EXISTS holding_line_remaining()")
        op.execute("DROP TRIGGER IF EXISTS ledger_entry_last_use ON ledger_entry")
        op.execute("DROP FUNCTION IF EXISTS ledger_entry_last_use()")
    for column in ('last_used_at', 'remaining', 'provider_id', 'unit'):
        op.drop_column('holding', column)
