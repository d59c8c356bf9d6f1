"""customer search: a B-tree prefix index of name words; the trigram index also covers the name

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30

- `customer_word` holds, for each word of a customer's folded name, the rest of the name from
  that word on, with her name to sort by (`models.CustomerWord`); it is filled here for the
  customers on file (not those merged into another).
- The trigram index covers the folded name on its own as well, for fragments inside a name's
  words: SQLite's FTS5 table gets a `search_name` column (and is rebuilt), PostgreSQL's GIN index
  a second column.
"""

from alembic import op
import sqlalchemy as sa

from frontdesk.models import BYTEWISE_WORD
from frontdesk.services.customers import rebuild_search_index


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def _sqlite_search(columns: str) -> list[str]:
    """The FTS5 table over `columns` of customer and the triggers that keep it."""
    new = ", ".join(f"new.{column}" for column in columns.split(", "))
    old = ", ".join(f"old.{column}" for column in columns.split(", "))
    return [
        f"""CREATE VIRTUAL TABLE customer_fts USING fts5(
               {columns}, content='customer', content_rowid='id', tokenize='trigram')""",
        f"""CREATE TRIGGER customer_fts_insert AFTER INSERT ON customer BEGIN
               INSERT INTO customer_fts(rowid, {columns}) VALUES (new.id, {new}); END""",
        f"""CREATE TRIGGER customer_fts_delete AFTER DELETE ON customer BEGIN
               INSERT INTO customer_fts(customer_fts, rowid, {columns}) VALUES ('delete', old.id, {old}); END""",
        f"""CREATE TRIGGER customer_fts_update AFTER UPDATE OF {columns} ON customer BEGIN
               INSERT INTO customer_fts(customer_fts, rowid, {columns}) VALUES ('delete', old.id, {old});
               INSERT INTO customer_fts(rowid, {columns}) VALUES (new.id, {new}); END""",
        "INSERT INTO customer_fts(customer_fts) VALUES ('rebuild')",
    ]


def _replace_search(columns: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER customer_fts_{trigger}")
        op.execute("DROP TABLE customer_fts")
        for statement in _sqlite_search(columns):
            op.execute(statement)
    else:
        op.execute("DROP INDEX ix_customer_search_trgm")
        ops = ", ".join(f"{column} gin_trgm_ops" for column in columns.split(", "))
        op.execute(f"CREATE INDEX ix_customer_search_trgm ON customer USING gin ({ops})")


def upgrade() -> None:
    op.create_table('customer_word',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('word', BYTEWISE_WORD, nullable=False),
    sa.Column('whole', sa.Boolean(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.PrimaryKeyConstraint('customer_id', 'word')
    )
    op.create_index('ix_customer_word_word', 'customer_word', ['word', 'whole', 'name', 'customer_id'], unique=False)
    rebuild_search_index(op.get_bind())
    _replace_search("search_text, search_name")


def downgrade() -> None:
    _replace_search("search_text")
    op.drop_index('ix_customer_word_word', table_name='customer_word')
    op.drop_table('customer_word')
