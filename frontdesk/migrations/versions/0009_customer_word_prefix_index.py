"""customer search: a B-tree prefix index of name words; the trigram index also covers the name

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30

- `customer_word` holds, for each word of a customer's folded name, the rest of the name from
  that word on, with her name to sort by (`models.CustomerWord`); it is filled for the
  customers on file (not those merged into another) by 0011, which gives it the form it has now.
- The trigram index covers the folded name on its own as well, for fragments inside a name's
  words: on SQLite a second FTS5 table, `customer_fts_name` (an FTS5 query reads the postings of
  every column, so a column of the first would not spare the emails' many matches), on
  PostgreSQL a second column of the GIN index.
"""

from alembic import op
import sqlalchemy as sa

from frontdesk.models import BYTEWISE_WORD


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


NAME_TRIGRAMS = [  # SQLite: the folded names on their own (FTS5 reads every column's postings)
    """CREATE VIRTUAL TABLE customer_fts_name USING fts5(
           search_name, content='customer', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER customer_fts_name_insert AFTER INSERT ON customer BEGIN
           INSERT INTO customer_fts_name(rowid, search_name) VALUES (new.id, new.search_name); END""",
    """CREATE TRIGGER customer_fts_name_delete AFTER DELETE ON customer BEGIN
           INSERT INTO customer_fts_name(customer_fts_name, rowid, search_name)
           VALUES ('delete', old.id, old.search_name); END""",
    """CREATE TRIGGER customer_fts_name_update AFTER UPDATE OF search_name ON customer BEGIN
           INSERT INTO customer_fts_name(customer_fts_name, rowid, search_name)
           VALUES ('delete', old.id, old.search_name);
           INSERT INTO customer_fts_name(rowid, search_name) VALUES (new.id, new.search_name); END""",
    "INSERT INTO customer_fts_name(customer_fts_name) VALUES ('rebuild')",
]


def _trigram_index(columns: str) -> None:
    """PostgreSQL: the trigram index over `columns` of customer."""
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
    op.create_index('ix_customer_word_word', 'customer_word', ['whole', 'word', 'name', 'customer_id'], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        for statement in NAME_TRIGRAMS:
            op.execute(statement)
    else:
        _trigram_index("search_text, search_name")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER customer_fts_name_{trigger}")
        op.execute("DROP TABLE customer_fts_name")
    else:
        _trigram_index("search_text")
    op.drop_index('ix_customer_word_word', table_name='customer_word')
    op.drop_table('customer_word')
