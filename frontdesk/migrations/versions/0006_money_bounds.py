"""64-bit money and balances on PostgreSQL

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07

Money (minor units) and balances were 32-bit INTEGER columns on PostgreSQL, so any amount of
$21,474,836.48 or more failed there while SQLite (whose integers are 64-bit) took it. They become
BIGINT: prices, payments, a package's quantity, a holding's and its lines' balances, a ledger
entry's change and the balance after it. The bounds themselves are checked where the values are
typed (`frontdesk.domain.bounds`, `money.MAX_MINOR`); SQLite needs nothing.

A holding line's balance has a trigger on its column (`UPDATE OF remaining`, 0005), which
PostgreSQL will not let a column's type change under: it is dropped and made again around it.
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

COLUMNS = [
    ('service', 'price'),
    ('package', 'price'),
    ('package', 'quantity'),
    ('package_line', 'quantity'),
    ('holding', 'price_paid'),
    ('holding', 'remaining'),
    ('holding_line', 'initial'),
    ('holding_line', 'remaining'),
    ('appointment', 'price'),
    ('ledger_entry', 'delta'),
    ('ledger_entry', 'balance_after'),
    ('payment', 'amount'),
]

DROP_TRIGGER = "DROP TRIGGER holding_line_remaining ON holding_line"
CREATE_TRIGGER = """CREATE TRIGGER holding_line_remaining AFTER INSERT OR UPDATE OF remaining OR DELETE ON holding_line
       FOR EACH ROW EXECUTE FUNCTION holding_line_remaining()"""


def _retype(old: sa.types.TypeEngine, new: sa.types.TypeEngine) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite's INTEGER is already 64-bit
    op.execute(DROP_TRIGGER)
    for table, column in COLUMNS:
        op.alter_column(table, column, existing_type=old, type_=new)
    op.execute(CREATE_TRIGGER)


def upgrade() -> None:
    _retype(sa.Integer(), sa.BigInteger())


def downgrade() -> None:
    _retype(sa.BigInteger(), sa.Integer())
