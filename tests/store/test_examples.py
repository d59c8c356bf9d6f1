"""The examples of the feature description, each sold (or assigned), redeemed and checked
against the ledger, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from frontdesk.domain.kinds import Tender
from frontdesk.domain.terms import Contents, FixedLine, Period, PeriodUnit, Terms, ValueType
from frontdesk.services import appointments, catalogue, checkout, ledger, sales
from frontdesk.services.checkout import DEFAULT
from frontdesk.services.errors import InvalidInput, NotAllowed, NotCovered
from frontdesk.services.sales import TenderLine
from tests.store.conftest import Spa

NY = ZoneInfo("America/New_York")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), NY)


MON = date(2026, 3, 2)  # the test clock's day
TUE = date(2026, 3, 3)


def pay(spa: Spa, appointment_id: int, key: str, package: object = DEFAULT, **extra: object):
    return spa.desk.by(spa.reception).write(checkout.checkout, spa.desk.business, key=key,
                                            appointment_id=appointment_id, package=package, **extra)


def balance(spa: Spa, holding_id: int) -> str:
    holdings = spa.desk.read(appointments.customer_holdings, spa.desk.business,
                             customer_id=_owner(spa, holding_id))
    return next(view.balance_text for view in holdings if view.id == holding_id)


def _owner(spa: Spa, holding_id: int) -> int:
    return spa.desk.read(ledger.get_holding, holding_id).customer_id


def assert_ledger_balances(spa: Spa) -> None:
    assert spa.desk.read(ledger.check) == []


def test_massage_pack_five_visits(spa: Spa) -> None:
    package = spa.package(Terms(title="Massage Pack", value_type=ValueType.VISITS, quantity=5,
                                all_services=False, service_ids=(spa.swedish,), price=35000))
    maria = spa.customer()
    holding = spa.sell(maria, package)
    assert balance(spa, holding) == "5 of 5 visits"
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    receipt = pay(spa, visit, "k1")
    assert [(line.tender, line.amount) for line in receipt.payments] == [("package", 8000)]
    assert balance(spa, holding) == "4 of 5 visits"
    thai = spa.book(maria, spa.thai, at(TUE, 14))
    with pytest.raises(NotCovered, match="Thai Massage not included"):
        pay(spa, thai, "k2", package=holding)
    assert_ledger_balances(spa)


def test_four_hours_of_swedish_massage(spa: Spa) -> None:
    package = spa.package(Terms(title="4 hours of Swedish", value_type=ValueType.MINUTES, quantity=240,
                                all_services=False, service_ids=(spa.swedish,), price=28000))
    maria = spa.customer()
    holding = spa.sell(maria, package)
    for hour in (9, 11, 13):
        pay(spa, spa.book(maria, spa.swedish, at(TUE, hour)), f"k{hour}")
    assert balance(spa, holding) == "1 h of 4 h"
    long_one = spa.book(maria, spa.swedish, at(TUE, 15), duration_min=90)
    with pytest.raises(NotCovered, match="only 60 min left, needs 90"):
        pay(spa, long_one, "k15", package=holding)
    pay(spa, spa.book(maria, spa.swedish, at(TUE, 17)), "k17")
    assert balance(spa, holding) == "0 min of 4 h"
    assert_ledger_balances(spa)


def test_two_hundred_dollars_within_a_month_with_partial_cover(spa: Spa) -> None:
    package = spa.package(Terms(title="$200 credit", value_type=ValueType.AMOUNT, quantity=20000,
                                price=18000, expires_in=Period(1, PeriodUnit.MONTHS)))
    maria = spa.customer()
    holding = spa.sell(maria, package)
    pay(spa, spa.book(maria, spa.thai, at(TUE, 10)), "a")  # $100
    pay(spa, spa.book(maria, spa.swedish, at(TUE, 12)), "b")  # $80
    assert balance(spa, holding) == "$20.00 of $200.00"
    third = spa.book(maria, spa.swedish, at(TUE, 14))
    with pytest.raises(InvalidInput, match=r"Still \$60.00 to pay"):
        pay(spa, third, "c")
    receipt = pay(spa, third, "c", tenders=[TenderLine(Tender.CARD, 6000)])
    assert [(line.tender, line.amount) for line in receipt.payments] == [("package", 2000), ("card", 6000)]
    assert balance(spa, holding) == "$0.00 of $200.00"
    # bought 2 Mar + 1 month → valid through 2 Apr
    assert spa.desk.read(ledger.get_holding, holding).valid_until == date(2026, 4, 2)
    assert_ledger_balances(spa)


def test_unlimited_sauna_for_one_week(spa: Spa) -> None:
    package = spa.package(Terms(title="Sauna week", value_type=ValueType.UNLIMITED, all_services=False,
                                service_ids=(spa.sauna,), price=6000, expires_in=Period(1, PeriodUnit.WEEKS)))
    maria = spa.customer()
    holding = spa.sell(maria, package)
    for day in range(2, 10):  # 2..9 March: valid through Mon 9 March
        pay(spa, spa.book(maria, spa.sauna, at(date(2026, 3, day), 18)), f"s{day}")
    assert balance(spa, holding) == "unlimited"
    late = spa.book(maria, spa.sauna, at(date(2026, 3, 10), 18))
    with pytest.raises(NotCovered, match="expired 10 Mar"):
        pay(spa, late, "s10", package=holding)
    history = spa.desk.read(ledger.history, spa.desk.business, customer_id=maria)
    assert [line.kind for line in history].count("redeem") == 8
    assert_ledger_balances(spa)


def test_fixed_one_swedish_then_two_thai(spa: Spa) -> None:
    package = spa.package(Terms(title="Massage journey", contents=Contents.FIXED, value_type=None, price=25000,
                                fixed_lines=(FixedLine(spa.swedish, "", 1), FixedLine(spa.thai, "", 2))))
    maria = spa.customer()
    holding = spa.sell(maria, package)
    pay(spa, spa.book(maria, spa.swedish, at(TUE, 10)), "f1")
    second_swedish = spa.book(maria, spa.swedish, at(TUE, 12))
    with pytest.raises(NotCovered, match="no Swedish Massage left"):
        pay(spa, second_swedish, "f2", package=holding)
    pay(spa, spa.book(maria, spa.thai, at(TUE, 14)), "f3")
    assert balance(spa, holding) == "Swedish Massage 0 of 1, Thai Massage 1 of 2"
    assert_ledger_balances(spa)


def test_ten_massages_within_two_months(spa: Spa) -> None:
    package = spa.package(Terms(title="10 massages", value_type=ValueType.VISITS, quantity=10, all_services=False,
                                service_ids=(spa.swedish, spa.thai), price=70000,
                                expires_in=Period(2, PeriodUnit.MONTHS)))
    maria = spa.customer()
    holding = spa.sell(maria, package)
    pay(spa, spa.book(maria, spa.thai, at(date(2026, 5, 2), 10)), "in-time")  # the last valid day
    too_late = spa.book(maria, spa.swedish, at(date(2026, 5, 3), 10))
    with pytest.raises(NotCovered, match="expired 3 May"):
        pay(spa, too_late, "late", package=holding)
    assert balance(spa, holding) == "9 of 10 visits"
    assert_ledger_balances(spa)


def test_five_basic_lessons_sold_for_250(spa: Spa) -> None:
    package = spa.package(Terms(title="Five lessons", value_type=ValueType.VISITS, quantity=5, all_services=False,
                                service_ids=(spa.lesson,), price=25000))
    maria = spa.customer()
    with pytest.raises(InvalidInput, match=r"Still \$50.00 to pay"):
        spa.desk.by(spa.reception).write(sales.sell, spa.desk.business, customer_id=maria, package_id=package,
                                         tenders=[TenderLine(Tender.CASH, 20000)])
    holding = spa.desk.by(spa.reception).write(sales.sell, spa.desk.business, customer_id=maria, package_id=package,
                                               tenders=[TenderLine(Tender.CASH, 5000), TenderLine(Tender.CARD, 20000)])
    assert holding.terms.price == 25000 and holding.balance_text == "5 of 5 visits"
    receipt = pay(spa, spa.book(maria, spa.lesson, at(TUE, 10)), "l1")
    assert receipt.total == 6000  # each lesson is worth $60 of service
    assert_ledger_balances(spa)


@pytest.mark.parametrize(
    ("restriction", "good", "bad", "reason"),
    [
        ({"weekdays": frozenset({0})}, at(date(2026, 3, 9), 10), at(TUE, 10), "Mondays only"),
        ({"window": (time(10), time(13))}, at(TUE, 12), at(TUE, 12, 30), "10:00–13:00 only"),
        ({"date_range": (date(2026, 3, 1), date(2026, 3, 31))}, at(date(2026, 3, 31), 10),
         at(date(2026, 4, 1), 10), "only"),
        ({"fixed_dates": (date(2026, 3, 5), date(2026, 3, 12))}, at(date(2026, 3, 12), 10),
         at(date(2026, 3, 6), 10), "only on 5 Mar, 12 Mar"),
    ],
    ids=["mondays", "window", "date-range", "fixed-dates"],
)
def test_restrictions(spa: Spa, restriction: dict, good: datetime, bad: datetime, reason: str) -> None:
    package = spa.package(Terms(title="Restricted", value_type=ValueType.VISITS, quantity=3, price=20000,
                                **restriction))
    maria = spa.customer()
    holding = spa.sell(maria, package)
    pay(spa, spa.book(maria, spa.swedish, good), "good")
    refused = spa.book(maria, spa.swedish, bad)
    with pytest.raises(NotCovered, match=reason):
        pay(spa, refused, "bad", package=holding)
    assert balance(spa, holding) == "2 of 3 visits"
    assert_ledger_balances(spa)


def test_one_provider_only(spa: Spa) -> None:
    package = spa.package(Terms(title="With Anna", value_type=ValueType.VISITS, quantity=2, price=15000,
                                provider_id=spa.anna))
    maria = spa.customer()
    holding = spa.sell(maria, package)
    with_ben = spa.book(maria, spa.swedish, at(TUE, 10), provider_id=spa.ben)
    with pytest.raises(NotCovered, match="with Anna only"):
        pay(spa, with_ben, "ben", package=holding)
    pay(spa, spa.book(maria, spa.swedish, at(TUE, 12), provider_id=spa.anna), "anna")
    assert balance(spa, holding) == "1 of 2 visits"
    assert_ledger_balances(spa)


def test_not_for_sale_package_assigned_by_a_manager(spa: Spa) -> None:
    package = spa.package(Terms(title="Goodwill massage", value_type=ValueType.VISITS, quantity=1,
                                for_sale=False, price=0))
    maria = spa.customer()
    with pytest.raises(NotAllowed, match="not for sale"):
        spa.sell(maria, package)
    with pytest.raises(NotAllowed, match="Only a manager"):
        spa.desk.by(spa.reception).write(sales.assign, spa.desk.business, customer_id=maria, package_id=package,
                                         reason="sorry for the wait")
    with pytest.raises(InvalidInput, match="Give a reason"):
        spa.desk.by(spa.manager).write(sales.assign, spa.desk.business, customer_id=maria, package_id=package,
                                       reason="  ")
    holding = spa.desk.by(spa.manager).write(sales.assign, spa.desk.business, customer_id=maria, package_id=package,
                                             reason="sorry for the wait")
    assert holding.assigned and holding.balance_text == "1 of 1 visit"
    for_sale = spa.desk.read(catalogue.list_packages, spa.desk.business, for_sale_only=True)
    assert package not in [view.id for view in for_sale]
    history = spa.desk.read(ledger.history, spa.desk.business, customer_id=maria)
    assert [(line.kind, line.note, line.staff_name) for line in history] == [
        ("assign", "sorry for the wait", "Grace (manager)")]
    assert_ledger_balances(spa)


def test_buy_a_package_and_pay_an_existing_unpaid_appointment(spa: Spa) -> None:
    package = spa.package(Terms(title="Massage Pack", value_type=ValueType.VISITS, quantity=5,
                                all_services=False, service_ids=(spa.swedish,), price=35000))
    maria = spa.customer()
    unpaid = spa.book(maria, spa.swedish, at(MON, 9))
    receipt = pay(spa, unpaid, "sell-and-apply", package=None, sell_package_id=package,
                  sale_tenders=[TenderLine(Tender.CARD, 35000)])
    assert [(line.tender, line.amount) for line in receipt.payments] == [("card", 35000), ("package", 8000)]
    appointment = spa.desk.read(appointments.get_appointment, unpaid)
    assert appointment.is_paid and appointment.status == "completed"
    history = spa.desk.read(ledger.history, spa.desk.business, customer_id=maria)
    assert [(line.kind, line.delta_text, line.balance_text) for line in history] == [
        ("redeem", "-1 visit", "4 visits"), ("sale", "+5 visits", "5 visits")]
    assert history[0].appointment_id == unpaid
    assert_ledger_balances(spa)
