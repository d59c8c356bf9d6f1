"""customers: search folded and ranked by name, phones in one form, merged customers marked

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30

- `search_text` becomes folded (lower case, accents dropped, "ø" spelt "o" …) and holds the
  phone's E.164 digits, so "zoe" finds Zoë and "+1 555 201 1234" finds (555) 201-1234; the
  new `search_name` is the folded name, which search ranks by.
- Each phone number is written in its one form (national in the desk's region, international
  otherwise; read with the `phone_region` setting the migration runs with) and `phone_digits`
  becomes its E.164 digits, what duplicates compare. A number that cannot be read keeps what was
  typed, and its digits.
- `merged_into_id` marks a customer a manager merged into another one.

SQLite's FTS5 index is rebuilt from the new search text.
"""

from alembic import context, op
import sqlalchemy as sa
import sqlmodel

from frontdesk.domain.contacts import DEFAULT_REGION, fold, kept_phone, phone_key, search_text


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

BATCH = 2000
SEARCH_NAME_LENGTH = 400


def _region() -> str:
    return context.config.attributes.get("phone_region") or DEFAULT_REGION


def _reform(region: str) -> None:
    connection = op.get_bind()
    customer = sa.table('customer', sa.column('id', sa.Integer), sa.column('name', sa.String),
                        sa.column('phone', sa.String), sa.column('email', sa.String),
                        sa.column('search_text', sa.String), sa.column('search_name', sa.String),
                        sa.column('phone_digits', sa.String))
    change = (customer.update().where(customer.c.id == sa.bindparam('row_id'))
              .values(phone=sa.bindparam('new_phone'), phone_digits=sa.bindparam('new_digits'),
                      search_text=sa.bindparam('new_text'), search_name=sa.bindparam('new_name')))
    last = 0
    while True:
        rows = connection.execute(sa.select(customer.c.id, customer.c.name, customer.c.phone, customer.c.email)
                                  .where(customer.c.id > last).order_by(customer.c.id).limit(BATCH)).all()
        if not rows:
            break
        last = rows[-1].id
        changes = []
        for row in rows:
            phone = kept_phone(row.phone, region)
            changes.append({'row_id': row.id, 'new_phone': phone if len(phone) <= 40 else row.phone,
                            'new_digits': phone_key(row.phone, region)[:40],
                            'new_text': search_text(row.name, row.phone, row.email, region),
                            'new_name': fold(row.name)[:SEARCH_NAME_LENGTH]})
        connection.execute(change, changes)


def upgrade() -> None:
    op.add_column('customer', sa.Column('search_name', sqlmodel.sql.sqltypes.AutoString(length=400),
                                        nullable=False, server_default=''))
    op.add_column('customer', sa.Column('merged_into_id', sa.Integer(), nullable=True))
    _reform(_region())
    if op.get_bind().dialect.name == "sqlite":
        op.execute("INSERT INTO customer_fts(customer_fts) VALUES ('rebuild')")


def downgrade() -> None:
    """The new columns go; phones and the search text stay as they are (the older search reads them)."""
    op.drop_column('customer', 'merged_into_id')
    op.drop_column('customer', 'search_name')
