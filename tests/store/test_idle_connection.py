"""A PostgreSQL connection lost while the desk sat idle (a server restart, a dropped link): the
pool checks a connection that sat idle before using it and replaces it, so the desk carries on;
a busy desk's connections are used without that check, and one found lost fails one transaction
(with the plain "cannot reach" message, nothing saved) before the pool starts afresh."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import select

from frontdesk import db
from frontdesk.models import Customer
from frontdesk.services import customers
from frontdesk.services.desk import Desk
from frontdesk.services.errors import Busy
from frontdesk.services.staff import add_staff_member
from tests.conftest import NOW, fresh_database_url, new_business


@pytest.fixture
def postgres_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    for url in fresh_database_url("postgresql", request, tmp_path):
        engine = db.create_db_engine(url)
        yield engine
        engine.dispose()


def _end_the_pooled_connection(engine: Engine) -> None:
    """End the server side of the connection the pool holds (as a server restart would)."""
    with engine.connect() as connection:
        pid = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
    other = db.create_db_engine(engine.url.render_as_string(hide_password=False))
    with other.connect().execution_options(isolation_level="AUTOCOMMIT") as admin:  # fresh activity each time
        assert admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
        # wait until the server has ended it
        while admin.execute(text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}).scalar_one():
            pass
    other.dispose()


def _desk(engine: Engine) -> Desk:
    """A desk where the owner, just added, is signed in."""
    desk = Desk(engine, new_business(), clock=lambda: NOW)
    return desk.by(desk.by(None).write(add_staff_member, name="Grace Kim", role="manager", pin=None).id)


def _names(desk: Desk) -> list[str]:
    return list(desk.read(lambda session: session.exec(select(Customer.name)).all()))


def test_a_connection_lost_while_idle_is_replaced_before_use(
    postgres_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = _desk(postgres_engine)
    desk.write(customers.create_customer, desk.business, name="Maria Lopez")
    _end_the_pooled_connection(postgres_engine)
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 0.0)  # every connection counts as idle
    desk.write(customers.create_customer, desk.business, name="Ben Okafor")
    assert sorted(_names(desk)) == ["Ben Okafor", "Maria Lopez"]


def test_a_connection_lost_while_busy_fails_one_transaction_then_the_desk_carries_on(
    postgres_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = _desk(postgres_engine)
    desk.write(customers.create_customer, desk.business, name="Maria Lopez")
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", float("inf"))  # never idle long enough to be checked
    _end_the_pooled_connection(postgres_engine)
    with pytest.raises(Busy, match="Cannot reach the database; nothing was saved, try again."):
        desk.write(customers.create_customer, desk.business, name="Ben Okafor")
    desk.write(customers.create_customer, desk.business, name="Ben Okafor")
    assert sorted(_names(desk)) == ["Ben Okafor", "Maria Lopez"]
