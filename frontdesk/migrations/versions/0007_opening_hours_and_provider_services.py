"""opening hours per weekday, and the services each provider gives

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30

A booking is checked against the business's hours (one row per weekday: opens and closes, or
closed) and against what its provider gives. No hours kept means no hours check, so a database
from before keeps booking as it did; every provider keeps giving every service
(`provider.all_services`, true) until a manager lists theirs in `provider_service`.
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'opening_hours',
        sa.Column('weekday', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('opens', sa.Time(), nullable=True),
        sa.Column('closes', sa.Time(), nullable=True),
        sa.CheckConstraint('weekday BETWEEN 0 AND 6', name='ck_opening_hours_weekday'),
        sa.CheckConstraint('(opens IS NULL AND closes IS NULL) OR (opens < closes)', name='ck_opening_hours_order'),
        sa.PrimaryKeyConstraint('weekday'),
    )
    op.create_table(
        'provider_service',
        sa.Column('provider_id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['provider_id'], ['provider.id']),
        sa.ForeignKeyConstraint(['service_id'], ['service.id']),
        sa.PrimaryKeyConstraint('provider_id', 'service_id'),
    )
    # a plain ADD COLUMN on both databases (no table copy)
    op.add_column('provider', sa.Column('all_services', sa.Boolean(), nullable=False,
                                        server_default=sa.text('true')))


def downgrade() -> None:
    with op.batch_alter_table('provider') as batch:
        batch.drop_column('all_services')
    op.drop_table('provider_service')
    op.drop_table('opening_hours')
