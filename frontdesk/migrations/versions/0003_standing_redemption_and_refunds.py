"""one standing redemption per appointment, and refunds that say why

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30

A redemption that was reversed no longer stands: the appointment can be paid from a package
again. Each redemption and its reversal carry the round they belong to (`seq`: 0 for the first
redemption, 1 for the one after the first reversal, …), and a unique index on (appointment, kind,
round) lets the database refuse a second standing redemption, or a second reversal of one.
A trigger refuses a redemption whose round is not the number of reversals so far, so a
redemption can only follow the reversal of the one before. Payments get a note: a refund (a negative payment) says why.
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

STANDING = sa.text("kind IN ('redeem', 'reverse')")
ROUND_MESSAGE = "a redemption follows the reversal of the one before"

SQLITE_EXTRAS = [
    f"""CREATE TRIGGER ledger_entry_redeem_round BEFORE INSERT ON ledger_entry
       WHEN NEW.kind = 'redeem' AND NEW.seq <> (SELECT count(*) FROM ledger_entry
            WHERE appointment_id = NEW.appointment_id AND kind = 'reverse')
       BEGIN SELECT RAISE(ABORT, '{ROUND_MESSAGE}'); END""",
]

POSTGRES_EXTRAS = [
    f"""CREATE FUNCTION ledger_entry_redeem_round() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.kind = 'redeem' AND NEW.seq <> (SELECT count(*) FROM ledger_entry
              WHERE appointment_id = NEW.appointment_id AND kind = 'reverse') THEN
           RAISE EXCEPTION '{ROUND_MESSAGE}';
         END IF;
         RETURN NEW;
       END $$""",
    """CREATE TRIGGER ledger_entry_redeem_round BEFORE INSERT ON ledger_entry
       FOR EACH ROW EXECUTE FUNCTION ledger_entry_redeem_round()""",
]


def upgrade() -> None:
    # plain ADD COLUMN (no table copy): the ledger's append-only triggers stay as they are
    op.add_column('ledger_entry', sa.Column('seq', sa.Integer(), nullable=False, server_default='0'))
    op.drop_index('ux_ledger_redeem_once', table_name='ledger_entry')
    op.create_index('ux_ledger_standing_redeem', 'ledger_entry', ['appointment_id', 'kind', 'seq'], unique=True,
                    sqlite_where=STANDING, postgresql_where=STANDING)
    op.add_column('payment', sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False,
                                       server_default=''))
    for statement in SQLITE_EXTRAS if op.get_bind().dialect.name == "sqlite" else POSTGRES_EXTRAS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS ledger_entry_redeem_round")
    else:
        op.execute("DROP TRIGGER IF EXISTS ledger_entry_redeem_round ON ledger_entry")
        op.execute("DROP FUNCTION IF EXISTS ledger_entry_redeem_round()")
    op.drop_column('payment', 'note')
    op.drop_index('ux_ledger_standing_redeem', table_name='ledger_entry')
    redeem = sa.text("kind = 'redeem'")
    op.create_index('ux_ledger_redeem_once', 'ledger_entry', ['appointment_id'], unique=True,
                    sqlite_where=redeem, postgresql_where=redeem)
    op.drop_column('ledger_entry', 'seq')
