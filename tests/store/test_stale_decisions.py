"""A decision is made on what is committed when the holding is locked, never on a read made before
another desk's change: with a void held open (not yet committed) while a second desk voids, adjusts
or redeems the same holding, the second desk waits for the lock and then refuses — one void entry,
no balance on a void holding, no use after the void.

On PostgreSQL the second desk is seen waiting on the lock (pg_stat_activity) before the void
commits, so the interleaving that used to go wrong is the one tested. On SQLite a write transaction
holds the database: the second desk cannot read until the void commits, and must refuse all the same.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import select

from frontdesk.db import write_session
from frontdesk.domain.kinds import EntryKind
from frontdesk.domain.terms import Period, PeriodUnit, Terms, ValueType
from frontdesk.models import HoldingLine, LedgerEntry
from frontdesk.services import checkout, ledger
from frontdesk.services.desk import Desk
from frontdesk.services.errors import FrontDeskError, InvalidInput, NotCovered
from frontdesk.services.roles import at_desk
from tests.store.conftest import Spa

UNLIMITED = Terms(title="Sauna Month", value_type=ValueType.UNLIMITED, price=9000,
                  expires_in=Period(1, PeriodUnit.MONTHS))
VISITS = Terms(title="Massage Pack", value_type=ValueType.VISITS, quantity=5, price=35000)


def waiting_on_a_lock(desk: Desk) -> bool:
    """Whether another PostgreSQL backend of this database is waiting on a lock."""
    with desk.engine.connect() as connection:
        return bool(connection.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'")).scalar_one())


def while_a_void_is_open(spa: Spa, holding: int, second: Callable[[], Any]) -> BaseException | Any:
    """Void `holding` in a transaction held open; run `second` at another desk meanwhile (on
    PostgreSQL: until it waits on the lock); commit the void; return what `second` returned or raised."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(second())
        except BaseException as error:  # noqa: BLE001 (handed to the test)
            outcome.append(error)

    postgres = spa.desk.engine.dialect.name == "postgresql"
    with write_session(spa.desk.engine) as session:
        at_desk(session, spa.manager, spa.desk.now())
        ledger.void(session, spa.desk.business, holding_id=holding, reason="sold by mistake")
        session.flush()
        other = threading.Thread(target=run)
        other.start()
        if postgres:
            deadline = time.monotonic() + 30
            while not waiting_on_a_lock(spa.desk) and other.is_alive():
                assert time.monotonic() < deadline, "the second desk never waited on the lock"
        # leaving the block commits the void
    other.join(timeout=60)
    assert not other.is_alive()
    return outcome[0]


def entries(spa: Spa, holding: int, kind: EntryKind) -> int:
    return len(spa.desk.read(lambda session: list(session.exec(
        select(LedgerEntry.id).where(LedgerEntry.holding_id == holding, LedgerEntry.kind == kind)))))


def test_two_desks_voiding_one_holding_write_one_void(spa: Spa, maria: int) -> None:
    held = spa.sell(maria, spa.package(VISITS))
    second = while_a_void_is_open(spa, held, lambda: spa.desk.by(spa.manager).write(
        ledger.void, spa.desk.business, holding_id=held, reason="also voided"))
    assert isinstance(second, InvalidInput) and "already void" in str(second)
    assert entries(spa, held, EntryKind.VOID) == 1
    assert spa.desk.read(ledger.check) == []


def test_an_adjustment_racing_a_void_is_refused(spa: Spa, maria: int) -> None:
    held = spa.sell(maria, spa.package(VISITS))
    second = while_a_void_is_open(spa, held, lambda: spa.desk.by(spa.manager).write(
        ledger.adjust, spa.desk.business, holding_id=held, delta=5, reason="goodwill"))
    assert isinstance(second, InvalidInput) and "void" in str(second)
    remaining = spa.desk.read(lambda session: list(session.exec(
        select(HoldingLine.remaining).where(HoldingLine.holding_id == held))))
    assert remaining == [0]
    assert entries(spa, held, EntryKind.ADJUST) == 0


@pytest.mark.parametrize("terms", [UNLIMITED, VISITS], ids=["unlimited", "visits"])
def test_a_redemption_racing_a_void_is_refused(spa: Spa, maria: int, terms: Terms) -> None:
    held = spa.sell(maria, spa.package(terms, service_ids=(spa.sauna,), all_services=False))
    visit = spa.book(maria, spa.sauna, spa.at(0, 14))
    second = while_a_void_is_open(spa, held, lambda: spa.desk.write(
        checkout.checkout, spa.desk.business, key="race", appointment_id=visit, package=held))
    assert isinstance(second, NotCovered) and "void" in second.reasons
    assert isinstance(second, FrontDeskError)
    assert entries(spa, held, EntryKind.REDEEM) == 0
    assert spa.desk.read(ledger.check) == []
