"""Alembic environment: runs migrations on the engine Front Desk hands over."""

from alembic import context
from sqlmodel import SQLModel

import frontdesk.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from frontdesk.db import WRITE

engine = context.config.attributes["engine"]

with engine.execution_options(**{WRITE: True}).connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
