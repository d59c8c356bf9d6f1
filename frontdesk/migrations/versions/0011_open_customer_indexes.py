"""what opening a customer looks up on the payments, indexed

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

Her packages show what was paid for each (`views.holding_views`) and her balance history lists
the refunds given back on a voided package (`ledger.history`): both find the payments by the
package they sold, `payment.sale_holding_id`, which had no index, so each read went through every
payment of the spa. Now an index finds them. Most payments are for appointments and sold no
package: the index leaves them out, so it stays small and the planners see how few rows a
package has (an index full of NULLs looks to SQLite's statistics like one huge group).
"""

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

SOLD = sa.text('sale_holding_id IS NOT NULL')


def upgrade() -> None:
    op.create_index('ix_payment_sale_holding_id', 'payment', ['sale_holding_id'], unique=False,
                    sqlite_where=SOLD, postgresql_where=SOLD)


def downgrade() -> None:
    op.drop_index('ix_payment_sale_holding_id', table_name='payment')
