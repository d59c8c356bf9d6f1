"""customer search: phones and emails in the prefix index, each row of the index of a kind

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01

`customer_word` gains rows for each word of a customer's phone and email (the rest of it from
that word on: `contacts.contact_words`), so a phone or email fragment typed from a word's start
is one range of the B-tree like a name's. Its `whole` flag becomes `kind`: 0 her whole name, 1
her name from a later word on, 2 her phone or email (`models.CustomerWord`), part of the primary
key since a contact's word may equal a name's. The table is made afresh and filled for the
customers on file.
"""

from alembic import op
import sqlalchemy as sa

from frontdesk.models import BYTEWISE_WORD
from frontdesk.services.customers import rebuild_search_index


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def _table(name: str, flag: sa.Column) -> None:
    op.create_table(name,
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('word', BYTEWISE_WORD, nullable=False),
    flag,
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.PrimaryKeyConstraint('customer_id', 'word', *(['kind'] if flag.name == 'kind' else []))
    )


def upgrade() -> None:
    op.drop_index('ix_customer_word_word', table_name='customer_word')
    op.drop_table('customer_word')
    _table('customer_word', sa.Column('kind', sa.Integer(), nullable=False))
    op.create_index('ix_customer_word_word', 'customer_word', ['kind', 'word', 'name', 'customer_id'], unique=False)
    rebuild_search_index(op.get_bind())


def downgrade() -> None:
    """Back to the names' rows alone, marked `whole`."""
    _table('customer_word_names', sa.Column('whole', sa.Boolean(), nullable=False))
    op.execute("INSERT INTO customer_word_names (customer_id, word, whole, name) "
               "SELECT customer_id, word, kind = 0, name FROM customer_word WHERE kind IN (0, 1)")
    op.drop_index('ix_customer_word_word', table_name='customer_word')
    op.drop_table('customer_word')
    op.rename_table('customer_word_names', 'customer_word')
    op.create_index('ix_customer_word_word', 'customer_word', ['whole', 'word', 'name', 'customer_id'], unique=False)
