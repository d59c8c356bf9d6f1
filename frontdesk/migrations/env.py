"""Alembic environment: runs migrations on the engine Front Desk hands over.

The customer search objects (the FTS5 table and its shadow tables on SQLite, the trigram index on
PostgreSQL) are made by raw SQL in the migrations and have no model: `include_object` keeps them
out of autogenerate, and the schema drift test compares with the same filter.
"""

from alembic import context
from sqlmodel import SQLModel

import frontdesk.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from frontdesk.db import WRITE

SEARCH_TABLE = "customer_fts"  # SQLite's FTS5 table; its shadow tables are customer_fts_*
SEARCH_INDEX = "ix_customer_search_trgm"  # PostgreSQL's trigram index on customer.search_text


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Whether autogenerate compares this object: everything but the customer search objects."""
    if type_ == "table" and name is not None and (name == SEARCH_TABLE or name.startswith(f"{SEARCH_TABLE}_")):
        return False
    return not (type_ == "index" and name == SEARCH_INDEX)


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations() -> None:
    """On the connection `migrate` hands over (holding the migration lock), else on the engine."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    with context.config.attributes["engine"].execution_options(**{WRITE: True}).connect() as connection:
        _run(connection)


if hasattr(context, "config"):  # run by Alembic; imported elsewhere only for `include_object`
    run_migrations()
