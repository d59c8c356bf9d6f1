"""The day book: a day's appointments by provider, each with its times and its state in words, and
the day's counts. SQLite and PostgreSQL."""

from __future__ import annotations

from contextlib import contextmanager
from collections.abc import Iterator
from datetime import date

from sqlalchemy import event

from frontdesk.domain.kinds import Tender
from frontdesk.domain.terms import Terms, ValueType
from frontdesk.services import appointments, catalogue
from frontdesk.services.daybook import DayBook, DayState, day_book
from frontdesk.services.sales import TenderLine
from tests.store.conftest import Spa
from tests.store.test_examples import MON, TUE, at, pay


def read_book(spa: Spa, day: date) -> DayBook:
    return spa.desk.read(day_book, spa.desk.business, day=day)


def table(book: DayBook) -> list[tuple[str, list[tuple[str, str, str, str]]]]:
    """Each provider with (time, customer, service, state) of each appointment."""
    return [(provider.name, [(line.span, line.appointment.customer_name, line.appointment.service_name, line.words)
                             for line in provider.lines])
            for provider in book.providers]


def test_a_day_by_provider_with_each_state_in_words(spa: Spa) -> None:
    grace = spa.desk.by(spa.manager)
    cleo = grace.write(catalogue.add_provider, name="Cleo").id  # she leaves after the day is booked
    grace.write(catalogue.add_provider, name="Dora")  # she left before; nothing booked with her
    dora = next(p.id for p in grace.read(catalogue.list_providers) if p.name == "Dora")
    grace.write(catalogue.archive_provider, dora)
    grace.write(catalogue.add_provider, name="aaron")  # working, nothing booked: free all day
    pack = spa.package(Terms(title="Massage Pack", value_type=ValueType.VISITS, quantity=5, price=35000))
    maria, ben, chloe, zoe = (spa.customer(name) for name in ("Maria Lopez", "Ben Ode", "Chloe Wu", "Zoe Hart"))
    marias_pack = spa.sell(maria, pack)
    bens_pack = spa.sell(ben, pack)

    paid_by_card = spa.book(maria, spa.swedish, at(MON, 9), provider_id=spa.anna)
    pay(spa, paid_by_card, "card", package=None, tenders=[TenderLine(Tender.CARD, 8000)])
    to_be_covered = spa.book(ben, spa.thai, at(MON, 11, 30), provider_id=spa.anna, cover_holding_id=bens_pack)
    missed = spa.book(chloe, spa.sauna, at(MON, 8), provider_id=spa.ben)
    spa.desk.by(spa.reception).write(appointments.no_show, spa.desk.business, appointment_id=missed)
    unpaid = spa.book(zoe, spa.swedish, at(MON, 9, 30), provider_id=spa.ben)
    cancelled = spa.book(maria, spa.swedish, at(MON, 12), provider_id=spa.ben)
    spa.desk.by(spa.reception).write(appointments.cancel, spa.desk.business, appointment_id=cancelled)
    with_cleo = spa.book(zoe, spa.sauna, at(MON, 14), provider_id=cleo)
    grace.write(catalogue.archive_provider, cleo)
    from_pack = spa.book(maria, spa.sauna, at(MON, 13))  # no provider
    pay(spa, from_pack, "pack", package=marias_pack)
    spa.book(maria, spa.swedish, at(TUE, 9), provider_id=spa.anna)  # another day

    book = read_book(spa, MON)
    assert table(book) == [
        ("aaron", []),
        ("Anna", [("09:00–10:00", "Maria Lopez", "Swedish Massage", "paid"),
                  ("11:30–13:00", "Ben Ode", "Thai Massage", "to be covered by Massage Pack")]),
        ("Ben", [("08:00–08:30", "Chloe Wu", "Sauna", "no-show"),
                 ("09:30–10:30", "Zoe Hart", "Swedish Massage", "unpaid $80.00"),
                 ("12:00–13:00", "Maria Lopez", "Swedish Massage", "cancelled")]),
        ("Cleo", [("14:00–14:30", "Zoe Hart", "Sauna", "unpaid $25.00")]),
        ("No provider", [("13:00–13:30", "Maria Lopez", "Sauna", "paid from Massage Pack")]),
    ]
    assert [provider.provider_id for provider in book.providers][1:] == [spa.anna, spa.ben, cleo, None]
    states = {line.appointment.id: line.state for line in book.lines}
    assert states == {paid_by_card: DayState.PAID, to_be_covered: DayState.TO_BE_COVERED,
                      missed: DayState.NO_SHOW, unpaid: DayState.UNPAID, cancelled: DayState.CANCELLED,
                      with_cleo: DayState.UNPAID, from_pack: DayState.PAID_FROM}
    # 7 on the day; still to pay: Ben's (to be covered), Zoe's two
    assert (book.count, book.unpaid, book.no_shows, book.cancelled) == (7, 3, 1, 1)
    assert book.summary == "7 appointments, 3 unpaid, 1 no-show, 1 cancelled"


def test_a_day_with_nothing_booked_says_so(spa: Spa) -> None:
    maria = spa.customer()
    spa.book(maria, spa.swedish, at(MON, 9), provider_id=spa.anna)
    sunday = date(2026, 3, 8)
    book = read_book(spa, sunday)
    assert table(book) == [("Anna", []), ("Ben", [])]
    assert (book.count, book.unpaid, book.no_shows) == (0, 0, 0)
    assert book.summary == "No appointments on Sunday 8 March."


def test_once_paid_it_no_longer_reads_to_be_covered(spa: Spa) -> None:
    pack = spa.package(Terms(title="Massage Pack", value_type=ValueType.VISITS, quantity=5, price=35000))
    maria = spa.customer()
    holding = spa.sell(maria, pack)
    visit = spa.book(maria, spa.swedish, at(MON, 9), provider_id=spa.anna, cover_holding_id=holding)
    assert [line.words for line in read_book(spa, MON).lines] == ["to be covered by Massage Pack"]
    pay(spa, visit, "k1", package=holding)
    book = read_book(spa, MON)
    assert [line.words for line in book.lines] == ["paid from Massage Pack"]
    assert book.summary == "1 appointment, none unpaid"


@contextmanager
def counted_queries(spa: Spa) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(spa.desk.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(spa.desk.engine, "before_cursor_execute", count)


def test_a_full_day_takes_no_more_queries_than_a_short_one(spa: Spa) -> None:
    pack = spa.package(Terms(title="Massage Pack", value_type=ValueType.VISITS, quantity=20, price=35000))
    customers = [spa.customer(f"Customer {n}") for n in range(8)]
    holdings = [spa.sell(customer, pack) for customer in customers]
    first = spa.book(customers[0], spa.swedish, at(TUE, 8), provider_id=spa.anna, cover_holding_id=holdings[0])
    pay(spa, first, "first", package=holdings[0])
    spa.book(customers[0], spa.sauna, at(TUE, 10), cover_holding_id=holdings[0])
    with counted_queries(spa) as short_day:
        assert read_book(spa, TUE).count == 2
    for n, (customer, holding) in enumerate(zip(customers[1:], holdings[1:], strict=True)):
        booked = spa.book(customer, spa.swedish, at(TUE, 9 + n), provider_id=spa.ben, cover_holding_id=holding)
        if n % 2:
            pay(spa, booked, f"k{n}", package=holding)
    with counted_queries(spa) as full_day:
        assert read_book(spa, TUE).count == 2 + 7
    assert 0 < len(full_day) == len(short_day)
