"""Another desk holds the lock: this desk waits a moment, then gets a clear message (never a
crash or a half-saved checkout), and succeeds once the other desk is done."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text

from frontdesk.db import WRITE, create_db_engine, write_session
from frontdesk.services import appointments, checkout
from frontdesk.services.desk import Desk
from frontdesk.services.errors import Busy
from frontdesk.services.roles import at_desk
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
            impatient.by(spa.reception).write(checkout.checkout, spa.desk.business, key="k", appointment_id=visit,
                                              package=holding)
        connection.rollback()
    assert not spa.desk.read(appointments.get_appointment, visit).is_paid
    assert balance(spa, holding) == "5 of 5 visits"
    impatient.by(spa.reception).write(checkout.checkout, spa.desk.business, key="k", appointment_id=visit,
                                      package=holding)  # the retry, same key, goes through
    assert balance(spa, holding) == "4 of 5 visits"
    impatient.engine.dispose()
    other_desk.dispose()


def test_the_same_checkout_key_from_two_desks_at_once_returns_the_first_receipt(spa: Spa, database_url: str) -> None:
    """Desk A is mid-checkout (its transaction open); desk B sends the same key and waits for A's
    lock; A commits; B finds A's checkout and returns its receipt: one payment, never "already paid"."""
    maria = spa.customer()
    holding = spa.sell(maria, massage_pack(spa))
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    desk_a = create_db_engine(database_url)
    desk_b = Desk(create_db_engine(database_url), spa.desk.business, clock=spa.desk.clock)
    answers: list[object] = []

    def send_again() -> None:
        try:
            answers.append(desk_b.by(spa.reception).write(checkout.checkout, spa.desk.business, key="same",
                                                          appointment_id=visit, package=holding))
        except Exception as error:  # noqa: BLE001 - the answer is what the test checks
            answers.append(error)

    with write_session(desk_a) as session:
        first = checkout.checkout(at_desk(session, spa.reception, spa.desk.now()), spa.desk.business, key="same",
                                  appointment_id=visit, package=holding)
        second = threading.Thread(target=send_again)
        second.start()
        if desk_a.dialect.name == "postgresql":  # until desk B waits for A's row lock (a condition, not a pause)
            deadline = time.monotonic() + 20
            # autocommit: each look sees pg_stat_activity afresh (a transaction would keep its first snapshot)
            with desk_a.connect().execution_options(isolation_level="AUTOCOMMIT") as watcher:
                while not watcher.execute(text(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                        "AND datname = current_database()")).scalar_one():
                    assert time.monotonic() < deadline, "desk B never waited for desk A's lock"
    second.join()
    [again] = answers
    assert not isinstance(again, Exception), again
    assert again.replayed and again.checkout_id == first.checkout_id and again.payments == first.payments
    assert balance(spa, holding) == "4 of 5 visits"  # spent once
    desk_a.dispose()
    desk_b.engine.dispose()
