"""package lifecycle: expiry history on the ledger, freezes, transfers

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30

A holding keeps the expiry it opened with (`opened_until`); every later change of expiry (an
extension, a freeze or its early end, the start of a validity that runs from the first visit) is a
ledger entry carrying the new last valid day (`ledger_entry.valid_until`), so a past roll-forward
reads the expiry as it stood then and never changes. A freeze in force is on the holding
(`frozen_from`–`frozen_until`); a holding moved to another customer names where it came from.
A package gets its cancellation policy (hours of notice; late cancel and no-show returned or
forfeited) and whether its validity runs from the first visit.
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN (no table copy): the ledger's append-only triggers stay as they are
    op.add_column('ledger_entry', sa.Column('valid_until', sa.Date(), nullable=True))
    op.add_column('holding', sa.Column('opened_until', sa.Date(), nullable=True))
    op.add_column('holding', sa.Column('frozen_from', sa.Date(), nullable=True))
    op.add_column('holding', sa.Column('frozen_until', sa.Date(), nullable=True))
    if op.get_bind().dialect.name == "sqlite":  # SQLite adds a column's reference only in its definition
        op.execute("ALTER TABLE holding ADD COLUMN source_holding_id INTEGER REFERENCES holding (id)")
    else:
        op.add_column('holding', sa.Column('source_holding_id', sa.Integer(), nullable=True))
        op.create_foreign_key('fk_holding_source_holding', 'holding', 'holding', ['source_holding_id'], ['id'])
    op.create_index('ix_holding_source_holding_id', 'holding', ['source_holding_id'])
    op.execute("UPDATE holding SET opened_until = valid_until")
    # the package's cancellation policy and where its validity starts, copied into the terms at sale
    op.add_column('package', sa.Column('starts_on_first_visit', sa.Boolean(), nullable=False,
                                       server_default=sa.text('false')))
    op.add_column('package', sa.Column('cancel_notice_hours', sa.Integer(), nullable=True))
    op.add_column('package', sa.Column('late_cancel_forfeits', sa.Boolean(), nullable=False,
                                       server_default=sa.text('false')))
    op.add_column('package', sa.Column('no_show_forfeits', sa.Boolean(), nullable=False,
                                       server_default=sa.text('false')))  # no expiry had changed before this


def downgrade() -> None:
    op.drop_index('ix_holding_source_holding_id', table_name='holding')
    with op.batch_alter_table('package') as batch:
        for column in ('no_show_forfeits', 'late_cancel_forfeits', 'cancel_notice_hours', 'starts_on_first_visit'):
            batch.drop_column(column)
    with op.batch_alter_table('holding') as batch:
        for column in ('source_holding_id', 'frozen_until', 'frozen_from', 'opened_until'):
            batch.drop_column(column)
    op.drop_column('ledger_entry', 'valid_until')
