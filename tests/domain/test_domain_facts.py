"""A new holding's facts: expiry from the local purchase date, every line full."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from frontdesk.domain.coverage import covers
from frontdesk.domain.describe import HoldingStatus, status
from frontdesk.domain.facts import AppointmentFacts, LineBalance, opening_holding
from frontdesk.domain.money import currency_for
from frontdesk.domain.periods import Period, PeriodUnit
from frontdesk.domain.terms import Contents, FixedLine, Terms, ValueType

NEW_YORK = ZoneInfo("America/New_York")
USD = currency_for("USD")
SWEDISH, THAI = 1, 2


def test_a_visit_pack_opens_full_and_expires_a_calendar_month_later() -> None:
    terms = Terms("5 visits", value_type=ValueType.VISITS, quantity=5, expires_in=Period(1, PeriodUnit.MONTHS))
    bought = datetime(2027, 1, 31, 15, tzinfo=UTC)  # 10:00 on 31 Jan in New York
    opened = opening_holding(terms, customer_id=7, purchased_at=bought, tz=NEW_YORK, holding_id=42)
    assert (opened.id, opened.customer_id, opened.terms, opened.purchased_at) == (42, 7, terms, bought)
    assert opened.valid_until == date(2027, 2, 28)  # 31 Jan + 1 month, clamped to the month's end
    assert opened.lines == (LineBalance(line_id=-1, service_id=None, initial=5, remaining=5),)
    assert not opened.voided


def test_expiry_counts_from_the_local_purchase_date() -> None:
    terms = Terms("week", value_type=ValueType.VISITS, quantity=1, expires_in=Period(1, PeriodUnit.WEEKS))
    late_evening = datetime(2027, 3, 2, 3, tzinfo=UTC)  # still 1 Mar in New York
    opened = opening_holding(terms, customer_id=1, purchased_at=late_evening, tz=NEW_YORK)
    assert opened.valid_until == date(2027, 3, 1) + timedelta(weeks=1)
    assert opened.id == 0  # not stored yet


def test_a_fixed_bundle_opens_one_line_per_service_line_and_unlimited_opens_empty() -> None:
    fixed = Terms("bundle", contents=Contents.FIXED, value_type=None, fixed_lines=(
        FixedLine(SWEDISH, "Swedish Massage", 1), FixedLine(THAI, "Thai Massage", 2)))
    opened = opening_holding(fixed, customer_id=1, purchased_at=datetime(2027, 3, 1, tzinfo=UTC), tz=NEW_YORK)
    assert opened.lines == (LineBalance(-1, SWEDISH, 1, 1), LineBalance(-2, THAI, 2, 2))
    assert opened.valid_until is None  # no expiry
    unlimited = Terms("sauna", value_type=ValueType.UNLIMITED, expires_in=Period(7, PeriodUnit.DAYS))
    opened = opening_holding(unlimited, customer_id=1, purchased_at=datetime(2027, 3, 1, 15, tzinfo=UTC),
                             tz=NEW_YORK)
    assert opened.lines == (LineBalance(-1, None, 0, 0),)
    assert opened.valid_until == date(2027, 3, 8)


def test_the_opened_holding_is_active_and_covers_an_appointment_that_day() -> None:
    terms = Terms("5 visits", value_type=ValueType.VISITS, quantity=5, expires_in=Period(2, PeriodUnit.MONTHS))
    now = datetime(2027, 3, 1, 15, tzinfo=UTC)
    opened = opening_holding(terms, customer_id=3, purchased_at=now, tz=NEW_YORK, holding_id=-9)
    massage = AppointmentFacts(None, 3, SWEDISH, "Swedish Massage", None, None, now + timedelta(hours=1),
                               60, 8000, 8000)
    verdict = covers(opened, massage, now, tz=NEW_YORK, currency=USD)
    assert verdict.ok and verdict.holding_id == -9 and verdict.take.units == 1
    assert status(opened, now, tz=NEW_YORK) is HoldingStatus.ACTIVE
