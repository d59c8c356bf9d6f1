"""The ledger is protected by the database itself, not only by the use cases: raw SQL cannot
edit or delete an entry, drive a balance below zero, or redeem one appointment twice; and
`ledger.check` finds a cached balance that disagrees with its entries. SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session

from frontdesk.domain.kinds import Tender
from frontdesk.domain.terms import Contents, FixedLine, Period, PeriodUnit, Terms, ValueType
from frontdesk.services import appointments, catalogue, ledger, sales
from frontdesk.services.desk import translate
from frontdesk.services.errors import AlreadyPaid, FrontDeskError, NoBalanceLeft
from frontdesk.services.sales import TenderLine
from frontdesk.services.views import Mismatch
from tests.store.conftest import Spa
from tests.store.test_examples import TUE, at, balance, pay


def massage_pack(spa: Spa) -> int:
    return spa.package(Terms(title="Massage Pack", value_type=ValueType.VISITS, quantity=5,
                             all_services=False, service_ids=(spa.swedish,), price=35000))


def one_redemption(spa: Spa) -> tuple[int, int, int]:
    """Maria with a 5-visit pack, one visit redeemed: (holding, appointment, redeem entry id)."""
    maria = spa.customer()
    holding = spa.sell(maria, massage_pack(spa))
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    pay(spa, visit, "first")
    entry_id = scalar(spa.desk.engine, "SELECT id FROM ledger_entry WHERE appointment_id = :a AND kind = 'redeem'",
                      a=visit)
    return holding, visit, entry_id


def scalar(engine: Engine, sql: str, **params: object) -> object:
    with engine.connect() as connection:
        return connection.execute(text(sql), params).scalar_one()


def rows(engine: Engine, sql: str, **params: object) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql), params)]


ENTRY = "SELECT kind, delta, balance_after, note FROM ledger_entry WHERE id = :id"


# ---- append-only entries ------------------------------------------------------------------------

def test_raw_update_of_a_ledger_entry_is_refused(spa: Spa) -> None:
    _, _, entry_id = one_redemption(spa)
    before = rows(spa.desk.engine, ENTRY, id=entry_id)
    assert before == [("redeem", -1, 4, "1 visit")]
    with pytest.raises(DBAPIError, match="append-only"):
        with spa.desk.engine.begin() as connection:
            connection.execute(text("UPDATE ledger_entry SET delta = 0, note = 'oops' WHERE id = :id"),
                               {"id": entry_id})
    assert rows(spa.desk.engine, ENTRY, id=entry_id) == before


def test_raw_update_of_every_entry_is_refused(spa: Spa) -> None:
    one_redemption(spa)
    before = rows(spa.desk.engine, "SELECT id, kind, delta, balance_after FROM ledger_entry ORDER BY id")
    assert len(before) == 2  # the sale and the redemption
    with pytest.raises(DBAPIError, match="append-only"):
        with spa.desk.engine.begin() as connection:
            connection.execute(text("UPDATE ledger_entry SET balance_after = balance_after + 1"))
    assert rows(spa.desk.engine, "SELECT id, kind, delta, balance_after FROM ledger_entry ORDER BY id") == before


def test_raw_delete_of_a_ledger_entry_is_refused(spa: Spa) -> None:
    holding, visit, entry_id = one_redemption(spa)
    before = rows(spa.desk.engine, ENTRY, id=entry_id)
    with pytest.raises(DBAPIError, match="append-only"):
        with spa.desk.engine.begin() as connection:
            connection.execute(text("DELETE FROM ledger_entry WHERE id = :id"), {"id": entry_id})
    with pytest.raises(DBAPIError, match="append-only"):
        with spa.desk.engine.begin() as connection:
            connection.execute(text("DELETE FROM ledger_entry"))
    assert rows(spa.desk.engine, ENTRY, id=entry_id) == before
    assert scalar(spa.desk.engine, "SELECT count(*) FROM ledger_entry") == 2
    # the appointment is still paid from the package, and the balance still agrees with the entries
    assert spa.desk.read(appointments.get_appointment, visit).is_paid
    assert balance(spa, holding) == "4 of 5 visits"
    assert spa.desk.read(ledger.check) == []


# ---- constraints ------------------------------------------------------------------------------

def test_negative_remaining_is_refused_by_the_check_constraint(spa: Spa) -> None:
    holding, _, _ = one_redemption(spa)
    line_id = scalar(spa.desk.engine, "SELECT id FROM holding_line WHERE holding_id = :h", h=holding)
    with pytest.raises(IntegrityError, match="ck_holding_line_remaining"):
        with spa.desk.engine.begin() as connection:
            connection.execute(text("UPDATE holding_line SET remaining = -1 WHERE id = :id"), {"id": line_id})
    assert scalar(spa.desk.engine, "SELECT remaining FROM holding_line WHERE id = :id", id=line_id) == 4


def test_the_desk_reports_a_negative_balance_as_no_balance_left(spa: Spa) -> None:
    holding, _, _ = one_redemption(spa)

    def overspend(session: Session) -> None:
        session.execute(text("UPDATE holding_line SET remaining = remaining - 10 WHERE holding_id = :h"),
                        {"h": holding})

    with pytest.raises(NoBalanceLeft, match="No balance left on this package"):
        spa.desk.write(overspend)
    assert balance(spa, holding) == "4 of 5 visits"


COPY_REDEMPTION = """
    INSERT INTO ledger_entry (holding_id, line_id, kind, delta, balance_after, appointment_id,
                              staff_id, created_at, note)
    SELECT holding_id, line_id, :kind, delta, balance_after, appointment_id, staff_id, created_at, note
    FROM ledger_entry WHERE id = :id
"""


def test_a_second_redemption_of_one_appointment_is_refused_by_the_unique_index(spa: Spa) -> None:
    _, visit, entry_id = one_redemption(spa)
    with pytest.raises(IntegrityError) as refused:
        with spa.desk.engine.begin() as connection:
            connection.execute(text(COPY_REDEMPTION), {"kind": "redeem", "id": entry_id})
    message = str(refused.value.orig)
    assert "ux_ledger_standing_redeem" in message or "ledger_entry.appointment_id" in message
    count = "SELECT count(*) FROM ledger_entry WHERE appointment_id = :a"
    assert scalar(spa.desk.engine, count, a=visit) == 1
    # the index covers redemptions and their reversals only: other kinds of entry may name the
    # appointment again
    with spa.desk.engine.begin() as connection:
        connection.execute(text(COPY_REDEMPTION), {"kind": "adjust", "id": entry_id})
    assert scalar(spa.desk.engine, count, a=visit) == 2


def test_the_desk_reports_a_duplicate_redemption_as_already_paid(spa: Spa) -> None:
    holding, visit, entry_id = one_redemption(spa)

    def redeem_again(session: Session) -> None:
        session.execute(text(COPY_REDEMPTION), {"kind": "redeem", "id": entry_id})

    with pytest.raises(AlreadyPaid, match="already been paid from a package"):
        spa.desk.write(redeem_again)
    assert scalar(spa.desk.engine, "SELECT count(*) FROM ledger_entry WHERE appointment_id = :a", a=visit) == 1
    assert balance(spa, holding) == "4 of 5 visits"


def test_translate_maps_each_integrity_error_to_its_message(spa: Spa) -> None:
    _, _, entry_id = one_redemption(spa)
    with pytest.raises(IntegrityError) as duplicate:
        with spa.desk.engine.begin() as connection:
            connection.execute(text(COPY_REDEMPTION), {"kind": "redeem", "id": entry_id})
    assert isinstance(translate(duplicate.value), AlreadyPaid)
    with pytest.raises(IntegrityError) as negative:
        with spa.desk.engine.begin() as connection:
            connection.execute(text("UPDATE holding_line SET remaining = -1"))
    assert isinstance(translate(negative.value), NoBalanceLeft)
    with pytest.raises(IntegrityError) as other:
        with spa.desk.engine.begin() as connection:
            connection.execute(text("UPDATE service SET price = -5"))
    generic = translate(other.value)
    assert type(generic) is FrontDeskError
    assert generic.message == "The change clashed with another one and was not saved; try again."


# ---- ledger.check -------------------------------------------------------------------------------

def test_check_finds_a_cached_balance_that_disagrees_with_the_entries(spa: Spa) -> None:
    holding, _, _ = one_redemption(spa)
    other = spa.sell(spa.customer("Ben Okafor"), massage_pack_id(spa))
    assert spa.desk.read(ledger.check) == []
    line_id = scalar(spa.desk.engine, "SELECT id FROM holding_line WHERE holding_id = :h", h=holding)
    with spa.desk.engine.begin() as connection:
        connection.execute(text("UPDATE holding_line SET remaining = 2 WHERE id = :id"), {"id": line_id})
    expected = [Mismatch(holding_id=holding, line_id=line_id, cached=2, ledger_sum=4)]
    assert spa.desk.read(ledger.check) == expected
    assert spa.desk.read(ledger.check, [holding]) == expected
    assert spa.desk.read(ledger.check, [other]) == []


def test_check_finds_a_line_with_no_entries_at_all(spa: Spa) -> None:
    holding, _, _ = one_redemption(spa)
    with spa.desk.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO holding_line (holding_id, position, service_id, initial, remaining) "
            "VALUES (:h, 7, NULL, 3, 3)"), {"h": holding})
    line_id = scalar(spa.desk.engine, "SELECT id FROM holding_line WHERE position = 7")
    assert spa.desk.read(ledger.check) == [Mismatch(holding_id=holding, line_id=line_id, cached=3, ledger_sum=0)]


def test_check_is_empty_after_a_realistic_day(spa: Spa) -> None:
    desk, business = spa.desk, spa.desk.business
    maria, ben = spa.customer(), spa.customer("Ben Okafor", phone="555 987 6543")
    visits = spa.sell(maria, massage_pack(spa))
    minutes = spa.sell(maria, spa.package(Terms(title="4 hours", value_type=ValueType.MINUTES, quantity=240,
                                                price=28000)))
    credit = spa.sell(ben, spa.package(Terms(title="$200 credit", value_type=ValueType.AMOUNT, quantity=20000,
                                             price=18000, expires_in=Period(1, PeriodUnit.MONTHS))))
    sauna = spa.sell(ben, spa.package(Terms(title="Sauna week", value_type=ValueType.UNLIMITED,
                                            all_services=False, service_ids=(spa.sauna,), price=6000,
                                            expires_in=Period(1, PeriodUnit.WEEKS))))
    journey = spa.sell(maria, spa.package(Terms(
        title="Massage journey", contents=Contents.FIXED, value_type=None, price=25000,
        fixed_lines=(FixedLine(spa.swedish, "", 1), FixedLine(spa.thai, "", 2)))))

    pay(spa, spa.book(maria, spa.swedish, at(TUE, 9)), "v1", package=visits)
    pay(spa, spa.book(maria, spa.swedish, at(TUE, 10)), "m1", package=minutes)
    pay(spa, spa.book(maria, spa.thai, at(TUE, 12)), "j1", package=journey)
    pay(spa, spa.book(ben, spa.thai, at(TUE, 9)), "c1", package=credit)
    pay(spa, spa.book(ben, spa.swedish, at(TUE, 11)), "c2", package=credit)
    pay(spa, spa.book(ben, spa.swedish, at(TUE, 13)), "c3", package=credit, tenders=[TenderLine(Tender.CARD, 6000)])
    pay(spa, spa.book(ben, spa.sauna, at(TUE, 18)), "s1", package=sauna)
    cancelled = spa.book(maria, spa.swedish, at(TUE, 15))
    pay(spa, cancelled, "v2", package=visits)
    desk.by(spa.reception).write(appointments.cancel, business, appointment_id=cancelled)
    missed = spa.book(maria, spa.thai, at(date(2026, 3, 4), 10))
    desk.by(spa.reception).write(appointments.no_show, desk.business, appointment_id=missed)
    pay(spa, missed, "j2", package=journey)
    desk.by(spa.manager).write(appointments.reverse_redemption, business, appointment_id=missed, reason="forgiven")
    desk.by(spa.manager).write(ledger.adjust, business, holding_id=visits, delta=2, reason="birthday gift")
    desk.by(spa.manager).write(ledger.adjust, business, holding_id=minutes, delta=-30, reason="typo at sale")
    desk.by(spa.manager).write(ledger.void, business, holding_id=journey, reason="refunded")
    desk.by(spa.manager).write(sales.assign, business, customer_id=ben, package_id=massage_pack_id(spa),
                               reason="goodwill")

    assert desk.read(ledger.check) == []
    assert desk.read(ledger.count_lines) == 7  # one line each, two for the Fixed package, one assigned
    holdings = {view.id: view for customer in (maria, ben) for view in desk.read(
        appointments.customer_holdings, business, customer_id=customer)}
    assert holdings[visits].remaining == 6  # 5 - 2 redeemed + 1 given back + 2 adjusted
    assert balance(spa, minutes) == "2 h 30 min of 4 h"
    assert balance(spa, credit) == "$0.00 of $200.00"
    assert balance(spa, journey) == "Swedish Massage 0 of 1, Thai Massage 0 of 2"
    assert holdings[journey].status == "void" and holdings[credit].status == "used up"
    kinds = Counter(line.kind for line in desk.read(ledger.history, business, customer_id=maria, limit=100))
    # the Fixed package has two lines: two sale entries and two void entries
    assert kinds == {"sale": 4, "redeem": 5, "reverse": 2, "adjust": 2, "void": 2}


def massage_pack_id(spa: Spa) -> int:
    packages = spa.desk.read(catalogue.list_packages, spa.desk.business)
    return next(view.id for view in packages if view.title == "Massage Pack")
