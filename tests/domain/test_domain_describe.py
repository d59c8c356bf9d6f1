"""Plain words for screens: status, balance, expiry, restrictions and durations."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from frontdesk.domain.coverage import HoldingFacts, LineBalance
from frontdesk.domain.describe import (
    HoldingStatus,
    describe_amount,
    describe_balance,
    describe_expiry,
    describe_restrictions,
    format_date_range,
    format_days,
    format_duration,
    format_weekdays,
    status,
)
from frontdesk.domain.money import currency_for
from frontdesk.domain.terms import Contents, FixedLine, Terms, ValueType

USD = currency_for("USD")
UTC_ZONE = ZoneInfo("UTC")
NOW = datetime(2027, 3, 3, 15, tzinfo=UTC)  # 3 Mar 2027


@pytest.mark.parametrize(("minutes", "text"), [(45, "45 min"), (60, "1 h"), (150, "2 h 30 min"), (240, "4 h"),
                                                (0, "0 min"), (61, "1 h 1 min")])
def test_format_duration(minutes, text):
    assert format_duration(minutes) == text


def test_weekdays_and_dates_in_words():
    assert format_weekdays({0}) == "Mondays"
    assert format_weekdays({2, 0}) == "Mondays and Wednesdays"
    assert format_weekdays({4, 0, 2}) == "Mon, Wed, Fri"
    assert format_days([date(2027, 3, 12), date(2027, 3, 5)], 2027) == "5 Mar, 12 Mar"
    assert format_days([date(2026, 12, 30), date(2027, 1, 5)], 2027) == "30 Dec 2026, 5 Jan"
    assert format_date_range(date(2027, 3, 1), date(2027, 3, 31)) == "1–31 Mar 2027"
    assert format_date_range(date(2026, 12, 28), date(2027, 1, 3)) == "28 Dec 2026–3 Jan 2027"
    assert format_date_range(date(2027, 3, 5), date(2027, 3, 5), 2027) == "5 Mar"


def any_terms(value_type, quantity=None) -> Terms:
    return Terms("Pack", value_type=value_type, quantity=quantity)


FIXED = Terms("Fixed", contents=Contents.FIXED, value_type=None,
              fixed_lines=(FixedLine(1, "Swedish Massage", 1), FixedLine(2, "Thai Massage", 2)))


@pytest.mark.parametrize(
    ("terms", "lines", "text"),
    [
        (any_terms(ValueType.VISITS, 5), [LineBalance(1, None, 5, 3)], "3 of 5 visits"),
        (any_terms(ValueType.VISITS, 1), [LineBalance(1, None, 1, 1)], "1 of 1 visit"),
        (any_terms(ValueType.MINUTES, 240), [LineBalance(1, None, 240, 150)], "2 h 30 min of 4 h"),
        (any_terms(ValueType.AMOUNT, 20000), [LineBalance(1, None, 20000, 4000)], "$40.00 of $200.00"),
        (any_terms(ValueType.UNLIMITED), [LineBalance(1, None, 0, 0)], "unlimited"),
        (FIXED, [LineBalance(1, 1, 1, 0), LineBalance(2, 2, 2, 2)], "Swedish Massage 0 of 1, Thai Massage 2 of 2"),
    ],
)
def test_describe_balance(terms, lines, text):
    assert describe_balance(terms, lines, USD) == text


@pytest.mark.parametrize(
    ("until", "text"),
    [
        (None, "no expiry"),
        (date(2027, 3, 12), "expires 12 Mar, in 9 days"),
        (date(2027, 3, 3), "expires today"),
        (date(2027, 3, 4), "expires tomorrow"),
        (date(2028, 1, 5), "expires 5 Jan 2028, in 308 days"),
        (date(2027, 3, 2), "expired 3 Mar"),
        (date(2027, 2, 11), "expired 12 Feb"),
        (date(2026, 12, 31), "expired 1 Jan"),
        (date(2026, 12, 30), "expired 31 Dec 2026"),
    ],
)
def test_describe_expiry(until, text):
    assert describe_expiry(until, NOW, tz=UTC_ZONE) == text


def test_describe_expiry_uses_the_local_date():
    late_evening = datetime(2027, 3, 4, 2, tzinfo=UTC)  # 3 Mar 21:00 in New York
    assert describe_expiry(date(2027, 3, 3), late_evening, tz=ZoneInfo("America/New_York")) == "expires today"
    assert describe_expiry(date(2027, 3, 3), late_evening, tz=UTC_ZONE) == "expired 4 Mar"


def test_describe_restrictions():
    assert describe_restrictions(any_terms(ValueType.VISITS, 5)) == ""
    terms = Terms("Pack", quantity=5, weekdays=frozenset({0}), window=(time(10), time(13)), provider_id=7,
                  provider_name="Anna")
    assert describe_restrictions(terms) == "Mondays 10:00–13:00 · with Anna only"
    dated = Terms("Pack", quantity=5, fixed_dates=(date(2027, 3, 5), date(2027, 3, 12)), window=(time(10), time(13)))
    assert describe_restrictions(dated) == "10:00–13:00 · on 5 Mar, 12 Mar 2027"


def holding(terms, remaining, *, voided=False, until=None) -> HoldingFacts:
    lines = tuple(LineBalance(i, None, 5, left) for i, left in enumerate(remaining))
    return HoldingFacts(1, 1, terms, datetime(2027, 1, 1, tzinfo=UTC), until, voided, lines)


def test_status_precedence():
    visits = any_terms(ValueType.VISITS, 5)
    assert status(holding(visits, [3]), NOW, tz=UTC_ZONE) is HoldingStatus.ACTIVE
    assert status(holding(visits, [0]), NOW, tz=UTC_ZONE) is HoldingStatus.USED_UP
    assert status(holding(FIXED, [0, 1]), NOW, tz=UTC_ZONE) is HoldingStatus.ACTIVE
    assert status(holding(FIXED, [0, 0]), NOW, tz=UTC_ZONE) is HoldingStatus.USED_UP
    assert status(holding(any_terms(ValueType.UNLIMITED), [0]), NOW, tz=UTC_ZONE) is HoldingStatus.ACTIVE
    assert status(holding(visits, [3], until=date(2027, 3, 3)), NOW, tz=UTC_ZONE) is HoldingStatus.ACTIVE
    assert status(holding(visits, [0], until=date(2027, 3, 2)), NOW, tz=UTC_ZONE) is HoldingStatus.EXPIRED
    assert status(holding(visits, [0], until=date(2027, 3, 2), voided=True), NOW, tz=UTC_ZONE) is HoldingStatus.VOID
    assert HoldingStatus.USED_UP == "used up"


def test_describe_amount_in_the_holdings_unit():
    assert describe_amount(any_terms(ValueType.VISITS, 5), 1, USD) == "1 visit"
    assert describe_amount(any_terms(ValueType.VISITS, 5), 4, USD) == "4 visits"
    assert describe_amount(any_terms(ValueType.MINUTES, 240), 90, USD) == "1 h 30 min"
    assert describe_amount(any_terms(ValueType.AMOUNT, 20000), 4000, USD) == "$40.00"
    assert describe_amount(any_terms(ValueType.UNLIMITED), 0, USD) == "unlimited"
    assert describe_amount(FIXED, 2, USD) == "2 visits"
