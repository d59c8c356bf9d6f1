"""A redemption is a handful of statements, whichever package pays: at most eight reach SQLite,
counting its BEGIN IMMEDIATE, and three reach PostgreSQL (its driver begins by itself): the
appointment and the package locked and read; the checkout record written with what the
customer's bookings hold; the spending, the ledger entry, the payment and the audit event. Each
statement is a round trip taken while the appointment and the package are locked, so their
number is what a busy desk waits for. A retry reads the first receipt back: at most eight too."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event

from frontdesk.domain.terms import Terms, ValueType
from frontdesk.services import checkout
from frontdesk.services.checkout import DEFAULT
from tests.store.conftest import Spa
from tests.store.test_examples import TUE, at, balance

MOST = {"sqlite": 8, "postgresql": 3}  # statements per redemption, by backend
RETRY_MOST = 8
PACK = Terms(title="Massage Pack", value_type=ValueType.VISITS, quantity=5, all_services=True, price=35000)


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """Every statement sent on `engine` inside the block, as sent."""
    sent: list[str] = []

    def count(_connection, _cursor, statement, _parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", count)


def most(spa: Spa) -> int:
    """How many statements a redemption may take on the spa's backend."""
    return MOST[spa.desk.engine.dialect.name]


def redeem(spa: Spa, appointment_id: int, key: str, package: object = DEFAULT) -> list[str]:
    """Redeem the appointment; the statements it took."""
    with statements(spa.desk.engine) as sent:
        receipt = spa.desk.by(spa.reception).write(checkout.checkout, spa.business, key=key,
                                                   appointment_id=appointment_id, package=package)
    assert [line.tender for line in receipt.payments] == ["package"] and not receipt.replayed
    return sent


def test_a_redemption_from_the_default_package_takes_at_most_its_statements(spa: Spa) -> None:
    maria = spa.customer()
    holding = spa.sell(maria, spa.package(PACK))
    sent = redeem(spa, spa.book(maria, spa.swedish, at(TUE, 11)), "k-1")
    assert len(sent) <= most(spa), sent
    assert balance(spa, holding) == f"{5 - 1} of 5 visits"


def test_a_redemption_from_a_named_package_among_several_takes_at_most_its_statements(spa: Spa) -> None:
    maria = spa.customer()
    spa.sell(maria, spa.package(PACK))
    second = spa.sell(maria, spa.package(PACK, title="Second Pack"))
    sent = redeem(spa, spa.book(maria, spa.swedish, at(TUE, 11)), "k-1", package=second)
    assert len(sent) <= most(spa), sent
    assert balance(spa, second) == f"{5 - 1} of 5 visits"


def test_a_redemption_with_other_bookings_holding_the_package_takes_at_most_its_statements(spa: Spa) -> None:
    maria = spa.customer()
    holding = spa.sell(maria, spa.package(PACK))
    visit = spa.book(maria, spa.swedish, at(TUE, 11), cover_holding_id=holding)
    spa.book(maria, spa.swedish, at(TUE, 14), cover_holding_id=holding)  # holds one more visit
    sent = redeem(spa, visit, "k-1")
    assert len(sent) <= most(spa), sent
    assert balance(spa, holding) == f"{5 - 1} of 5 visits · 1 held"


def test_a_retry_takes_at_most_eight_statements(spa: Spa) -> None:
    maria = spa.customer()
    spa.sell(maria, spa.package(PACK))
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    first = redeem(spa, visit, "k-1")
    with statements(spa.desk.engine) as again:
        receipt = spa.desk.by(spa.reception).write(checkout.checkout, spa.business, key="k-1", appointment_id=visit,
                                                   package=DEFAULT)
    assert receipt.replayed
    assert len(first) <= most(spa) and len(again) <= RETRY_MOST, again
