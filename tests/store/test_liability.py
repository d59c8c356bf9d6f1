"""What the business owes, as of a day and over a period, from the ledger and the payments: each
figure worked out here by hand from the prices paid. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from frontdesk.domain.kinds import Tender
from frontdesk.domain.terms import Contents, FixedLine, Period, PeriodUnit, Terms, ValueType
from frontdesk.domain.valuation import Method, Movement
from frontdesk.services import appointments, checkout, ledger, liability, sales
from frontdesk.services.errors import NotAllowed
from frontdesk.services.sales import TenderLine
from tests.store.conftest import Spa

PACK = Terms(title="Massage Pack", value_type=ValueType.VISITS, quantity=5, all_services=False, price=35000)
FEB_10, FEB_20 = date(2026, 2, 10), date(2026, 2, 20)
MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def moment(spa: Spa, day: date, hour: int = 11) -> datetime:
    return datetime.combine(day, time(hour), spa.desk.business.tz)


def redeem(spa: Spa, customer: int, holding: int, when: datetime) -> int:
    """A massage at `when`, paid from `holding` then."""
    visit = spa.book(customer, spa.swedish, when, now=when - timedelta(hours=1))
    spa.desk.by(spa.reception, at=when).write(checkout.checkout, spa.desk.business, key=f"k{visit}",
                                              appointment_id=visit, package=holding)
    return visit


def march(spa: Spa) -> liability.RollForward:
    first, last = MARCH
    return spa.desk.by(spa.manager).read(liability.roll_forward, spa.desk.business, first_day=first, last_day=last)


def test_the_months_roll_forward_closes_to_the_cent(spa: Spa, maria: int) -> None:
    pack = spa.package(PACK, service_ids=(spa.swedish,))
    old = spa.sell(maria, pack, now=moment(spa, FEB_10))  # $350 for 5 visits: $70.00 each
    redeem(spa, maria, old, moment(spa, FEB_20))  # February: 4 left, worth $280.00 on 1 March
    redeem(spa, maria, old, spa.desk.now() - timedelta(minutes=30))  # March: 3 left, worth $210.00
    spa.desk.by(spa.manager).write(ledger.adjust, spa.desk.business, holding_id=old, delta=+2, reason="goodwill")
    wrong = spa.sell(maria, pack)  # sold today by mistake, voided and refunded in full
    spa.desk.by(spa.manager).write(ledger.void, spa.desk.business, holding_id=wrong, reason="wrong customer",
                                   refunds=[TenderLine(Tender.CARD, 35000)])
    gift = spa.package(Terms(title="Goodwill Visit", quantity=1, price=0, for_sale=False))
    spa.desk.by(spa.manager).write(sales.assign, spa.desk.business, customer_id=maria, package_id=gift,
                                   reason="birthday")

    rolled = march(spa)
    assert rolled.opening == 35000 * 4 // 5 == 28000
    assert rolled.movements == {
        Movement.SOLD: 35000, Movement.ASSIGNED: 0, Movement.IMPORTED: 0, Movement.REDEEMED: -(28000 - 21000),
        Movement.REVERSED: 0, Movement.ADJUSTED: 0, Movement.VOIDED: 0, Movement.REFUNDED: -35000, Movement.EXPIRED: 0,
        Movement.EXTENDED: 0, Movement.TRANSFERRED: 0}
    assert rolled.closing == 21000 and rolled.balanced
    assert rolled.assigned_holdings == 1  # the gift, listed apart: worth 0
    assert rolled.holdings[old] == 21000 and rolled.holdings[wrong] == 0

    def behind(movement: Movement) -> list[tuple[str, str, int, str]]:
        lines = spa.desk.by(spa.manager).read(liability.movement_lines, spa.desk.business, first_day=MARCH[0],
                                              last_day=MARCH[1], movement=movement)
        return [(line.customer_name, line.title, line.amount, line.what) for line in lines]

    assert behind(Movement.REDEEMED) == [("Maria Lopez", "Massage Pack", -7000, "1 visit")]
    assert behind(Movement.REFUNDED) == [("Maria Lopez", "Massage Pack", -35000, "wrong customer")]
    assert behind(Movement.SOLD) == [("Maria Lopez", "Massage Pack", 35000, "")]
    assert behind(Movement.EXPIRED) == []


def test_a_void_refunded_in_part_is_split_between_refunded_and_voided(spa: Spa, maria: int) -> None:
    pack = spa.package(PACK, service_ids=(spa.swedish,))
    holding = spa.sell(maria, pack)
    redeem(spa, maria, holding, spa.desk.now() - timedelta(minutes=30))  # 4 left: $280.00
    spa.desk.by(spa.manager).write(ledger.void, spa.desk.business, holding_id=holding, reason="moving away",
                                   refunds=[TenderLine(Tender.CASH, 20000)])
    rolled = march(spa)
    assert (rolled.movements[Movement.REFUNDED], rolled.movements[Movement.VOIDED]) == (-20000, -8000)
    assert rolled.closing == 0 and rolled.balanced


def test_what_is_left_on_the_day_a_holding_expires_is_breakage(spa: Spa, maria: int) -> None:
    week = spa.package(PACK, title="Week of massage", quantity=2, price=10000,
                       expires_in=Period(1, PeriodUnit.WEEKS), service_ids=(spa.swedish,))
    holding = spa.sell(maria, week, now=moment(spa, FEB_20))  # valid through 27 Feb
    redeem(spa, maria, holding, moment(spa, date(2026, 2, 23)))
    first, last = date(2026, 2, 1), date(2026, 2, 28)
    february = spa.desk.by(spa.manager).read(liability.roll_forward, spa.desk.business, first_day=first,
                                             last_day=last)
    assert february.movements[Movement.SOLD] == 10000
    assert february.movements[Movement.REDEEMED] == -5000
    assert february.movements[Movement.EXPIRED] == -5000  # on 28 Feb, the day it expired
    assert february.closing == 0 and february.balanced
    assert march(spa).opening == 0


def test_unlimited_is_used_up_day_by_day(spa: Spa, maria: int) -> None:
    sauna = spa.package(Terms(title="Sauna fortnight", value_type=ValueType.UNLIMITED, all_services=False,
                              service_ids=(spa.sauna,), price=14000, expires_in=Period(2, PeriodUnit.WEEKS)))
    spa.sell(maria, sauna, now=moment(spa, date(2026, 2, 22)))  # 22 Feb to 8 Mar: 15 days
    rolled = march(spa)  # March so far: the desk's clock is 2 March
    assert rolled.opening == 14000 * 8 // 15  # 1–8 March left
    assert rolled.closing == 14000 * 7 // 15  # 2–8 March left
    assert rolled.movements[Movement.REDEEMED] == rolled.closing - rolled.opening and rolled.balanced
    whole = spa.desk.by(spa.manager).at(moment(spa, date(2026, 4, 1))).read(
        liability.roll_forward, spa.desk.business, first_day=MARCH[0], last_day=MARCH[1])
    assert whole.closing == 0 and whole.movements[Movement.REDEEMED] == -whole.opening  # all of it, by April


def test_as_of_now_is_todays_balances_valued(spa: Spa, maria: int) -> None:
    pack = spa.package(PACK, service_ids=(spa.swedish,))
    credit = spa.package(Terms(title="$200 credit", value_type=ValueType.AMOUNT, quantity=20000, price=18000))
    visits = spa.sell(maria, pack, now=moment(spa, FEB_10))
    money = spa.sell(maria, credit, now=moment(spa, FEB_10))
    redeem(spa, maria, visits, moment(spa, FEB_20))
    redeem(spa, maria, money, moment(spa, FEB_20, 15))  # an $80 massage from the credit
    today = spa.day(0)
    now = spa.desk.by(spa.manager).read(liability.roll_forward, spa.desk.business, first_day=today, last_day=today)
    holdings = {view.id: view for view in spa.holdings(maria)}
    assert holdings[visits].remaining == 4 and holdings[money].remaining == 12000
    assert now.holdings[visits] == 35000 * 4 // 5
    assert now.holdings[money] == 18000 * 12000 // 20000
    assert now.closing == 28000 + 10800


def test_reception_cannot_see_what_the_business_owes(spa: Spa) -> None:
    first, last = MARCH
    with pytest.raises(NotAllowed, match="Only a manager can see what the business owes."):
        spa.desk.read(liability.roll_forward, spa.desk.business, first_day=first, last_day=last)


def test_a_reversed_redemption_gives_back_its_value(spa: Spa, maria: int) -> None:
    pack = spa.package(PACK, service_ids=(spa.swedish,))
    holding = spa.sell(maria, pack, now=moment(spa, FEB_10))
    visit = redeem(spa, maria, holding, spa.desk.now() - timedelta(minutes=30))
    spa.desk.by(spa.manager).write(appointments.reverse_redemption, spa.desk.business, appointment_id=visit,
                                   reason="wrong pack")
    rolled = march(spa)
    assert (rolled.movements[Movement.REDEEMED], rolled.movements[Movement.REVERSED]) == (-7000, 7000)
    assert rolled.opening == rolled.closing == 35000


def test_a_fixed_bundle_shares_its_price_by_the_services_list_prices(spa: Spa, maria: int) -> None:
    journey = spa.package(Terms(title="Journey", contents=Contents.FIXED, value_type=None, price=25000,
                                fixed_lines=(FixedLine(spa.swedish, "", 1), FixedLine(spa.thai, "", 2))))
    holding = spa.sell(maria, journey, now=moment(spa, FEB_10))
    # list prices: a Swedish $80, two Thai $200: $250 shared 80:200, the odd cent to the larger remainder
    swedish_share, thai_share = 7143, 17857
    assert swedish_share + thai_share == 25000 and abs(swedish_share * 28000 - 25000 * 8000) < 28000
    visit = spa.book(maria, spa.thai, spa.desk.now() - timedelta(hours=2), now=moment(spa, FEB_20))
    spa.desk.by(spa.reception).write(checkout.checkout, spa.desk.business, key="thai", appointment_id=visit,
                                     package=holding)
    rolled = march(spa)
    assert rolled.opening == 25000
    assert rolled.holdings[holding] == swedish_share + thai_share * 1 // 2
    assert rolled.movements[Movement.REDEEMED] == -(thai_share - thai_share // 2) and rolled.balanced


def test_the_owed_page_says_how_each_figure_is_valued_and_who_to_call(spa: Spa) -> None:
    ana = spa.customer("Ana Silva", phone="(555) 300-1234")
    week = spa.package(PACK, title="Week of massage", quantity=2, price=10000,
                       expires_in=Period(1, PeriodUnit.WEEKS), service_ids=(spa.swedish,))
    credit = spa.package(Terms(title="$200 credit", value_type=ValueType.AMOUNT, quantity=20000, price=18000))
    gift = spa.package(Terms(title="Goodwill Visit", quantity=1, price=0, for_sale=False,
                             expires_in=Period(3, PeriodUnit.MONTHS)))
    soon = spa.sell(ana, week, now=spa.desk.now() - timedelta(days=2))  # valid through 7 March
    used_up = spa.sell(ana, week, now=spa.desk.now() - timedelta(days=4))  # valid through 5 March
    for hours in (3, 2):
        redeem(spa, ana, used_up, spa.desk.now() - timedelta(hours=hours))
    spa.sell(ana, credit)
    spa.desk.by(spa.manager).write(sales.assign, spa.desk.business, customer_id=ana, package_id=gift,
                                   reason="birthday")
    page = spa.desk.by(spa.manager).read(liability.owed_page, spa.desk.business, first_day=MARCH[0],
                                         last_day=MARCH[1], within_days=14)
    assert [(row.customer_name, row.phone, row.title, row.balance_text, row.valid_until, row.worth)
            for row in page.expiring] == [
        ("Ana Silva", "(555) 300-1234", "Week of massage", "2 of 2 visits", date(2026, 3, 7), 10000)]
    assert soon == page.expiring[0].holding_id
    assert page.roll.by_method() == [
        (Method.CREDIT, 1, 18000), (Method.UNITS, 1, 10000), (Method.UNLIMITED, 0, 0),
        (Method.COMPLIMENTARY, 1, 0)]


def test_aging_counts_usable_holdings_by_days_since_their_last_use(spa: Spa, maria: int) -> None:
    pack = spa.package(PACK, service_ids=(spa.swedish,))
    days = lambda count: spa.desk.now() - timedelta(days=count)  # noqa: E731
    recent = spa.sell(maria, pack, now=days(100))
    redeem(spa, maria, recent, days(10))  # used 10 days ago: 0–30, 4 left
    spa.sell(maria, pack, now=days(45))  # never used, bought 45 days ago: 31–90
    spa.sell(maria, pack, now=days(200))  # never used, bought 200 days ago: over 180
    gone = spa.sell(maria, pack, now=days(120))
    spa.desk.by(spa.manager).write(ledger.void, spa.desk.business, holding_id=gone, reason="moved away",
                                   refunds=[])  # void: not counted
    page = spa.desk.by(spa.manager).read(liability.owed_page, spa.desk.business, first_day=spa.day(0),
                                         last_day=spa.day(0))
    assert page.aging == [("0–30 days", 1, 35000 * 4 // 5), ("31–90 days", 1, 35000), ("91–180 days", 0, 0),
                          ("over 180 days", 1, 35000)]


def test_trends_give_each_weeks_sales_use_and_what_was_owed(spa: Spa, maria: int) -> None:
    pack = spa.package(PACK, service_ids=(spa.swedish,))
    holding = spa.sell(maria, pack, now=spa.desk.now() - timedelta(weeks=2))  # Mon 16 Feb
    redeem(spa, maria, holding, spa.desk.now() - timedelta(weeks=1))  # Mon 23 Feb
    weekly = spa.desk.by(spa.manager).read(liability.trends, spa.desk.business, weeks=4)
    assert weekly.weeks == [date(2026, 2, 9), date(2026, 2, 16), date(2026, 2, 23), date(2026, 3, 2)]
    assert weekly.sold == [0, 35000, 0, 0]
    assert weekly.used == [0, 0, 7000, 0]
    assert weekly.owed == [0, 35000, 28000, 28000]
