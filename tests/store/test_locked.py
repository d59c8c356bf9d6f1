"""Another desk holds the lock: this desk waits a moment, then gets a clear message (never a
crash or a half-saved checkout), and succeeds once the other desk is done."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from frontdesk.db import WRITE, create_db_engine
from frontdesk.services import appointments, checkout
from frontdesk.services.desk import Desk
from frontdesk.services.errors import Busy
from tests.store.conftest import Spa
from tests.store.test_checkout import massage_pack
from tests.store.test_examples import TUE, at, balance


def test_a_locked_balance_gives_a_clear_message_and_saves_nothing(spa: Spa, database_url: str) -> None:
    maria = spa.customer()
    holding = spa.sell(maria, massage_pack(spa))
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    impatient = Desk(create_db_engine(database_url, wait_ms=200), spa.desk.business, clock=spa.desk.clock)
    other_desk = create_db_engine(database_url)
    # the other desk is mid-checkout of the same appointment: a write transaction (BEGIN IMMEDIATE
    # on SQLite) holding the appointment's row lock (PostgreSQL)
    with other_desk.execution_options(**{WRITE: True}).connect() as connection:
        lock = "" if other_desk.dialect.name == "sqlite" else " FOR UPDATE"
        connection.execute(text(f"SELECT id FROM appointment WHERE id = :id{lock}"), {"id": visit})
        with pytest.raises(Busy, match="Another desk is changing the same record; nothing was saved, try again."):
            impatient.write(checkout.checkout, spa.desk.business, key="k", appointment_id=visit,
                            package=holding, actor=spa.reception)
        connection.rollback()
    assert not spa.desk.read(appointments.get_appointment, visit).is_paid
    assert balance(spa, holding) == "5 of 5 visits"
    impatient.write(checkout.checkout, spa.desk.business, key="k", appointment_id=visit,
                    package=holding, actor=spa.reception)  # the retry, same key, goes through
    assert balance(spa, holding) == "4 of 5 visits"
    impatient.engine.dispose()
    other_desk.dispose()
