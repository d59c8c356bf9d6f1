"""Reading what staff type: the same forgiving forms in every field, a sentence when it cannot."""

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.money import MAX_MINOR, currency_for, format_money, with_marks
from frontdesk.domain.parsing import (
    delta_hint,
    next_half_hour,
    parse_amount,
    parse_clock,
    parse_count,
    parse_date,
    parse_dates,
    parse_day,
    parse_delta,
    parse_minutes,
    parse_money,
    typed_money,
)
from frontdesk.domain.words import format_duration, format_time, when_words

MON = date(2026, 3, 2)  # a Monday
USD = currency_for("USD")
JPY = currency_for("JPY")
EUR_DE = with_marks(currency_for("EUR"), ",", ".")  # a German euro desk: 1.234,50
EUR_FR = with_marks(currency_for("EUR"), ",", "\u202f")  # a French one: 1 234,50 (a narrow space)
KWD = currency_for("KWD")  # three decimals, written 1,234.500


def _is_a_sentence(message: str) -> bool:
    """Begins with a capital (or quotes what was typed) and ends with a full stop."""
    return (message[:1].isupper() or message.startswith("'")) and message.endswith(".")


# ---- dates ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "day"), [
    ("", MON), ("today", MON), ("tomorrow", date(2026, 3, 3)), ("tmrw", date(2026, 3, 3)),
    ("mon", date(2026, 3, 9)), ("tue", date(2026, 3, 3)), ("Friday", date(2026, 3, 6)),
    ("th", date(2026, 3, 5)), ("next wed", date(2026, 3, 4)), ("+3", date(2026, 3, 5)),
    ("2026-03-03", date(2026, 3, 3)), ("3/3", date(2026, 3, 3)), ("3/14/2026", date(2026, 3, 14)),
    ("3/1", date(2026, 3, 1)), ("1/5", date(2026, 1, 5)), ("10/1", date(2026, 10, 1)),
    ("9/1", date(2026, 9, 1)), ("12/25", date(2026, 12, 25)), ("12/31/25", date(2025, 12, 31)),
    ("3 Mar", date(2026, 3, 3)), ("Mar 3", date(2026, 3, 3)),
    ("12 march 2027", date(2027, 3, 12)), ("tue 3 mar", date(2026, 3, 3)),
])
def test_parse_day_reads_what_a_receptionist_types(typed: str, day: date) -> None:
    assert parse_day(typed, MON) == day


@pytest.mark.parametrize(("typed", "message"), [
    ("soon", "Enter a date like 3/3, 3 Mar, 2026-03-03, tomorrow or mon."),
    ("2/30", "There is no such date."), ("2026-02-30", "There is no such date."),
    ("13/40", "There is no such date."),
])
def test_parse_day_says_what_is_wrong(typed: str, message: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_day(typed, MON)
    assert str(error.value) == message


def test_a_date_without_a_year_more_than_two_months_past_is_next_year() -> None:
    december = date(2026, 12, 10)
    assert parse_day("1/5", december) == date(2027, 1, 5)
    assert parse_day("10/11", december) == date(2026, 10, 11)  # 60 days back: still this year
    assert parse_day("10/10", december) == date(2027, 10, 10)  # 61 days back: next year's


def test_a_package_date_reads_every_form_of_a_booking_date_but_not_nothing() -> None:
    assert parse_date("2026-3-5", MON) == date(2026, 3, 5)
    for typed in ("3/5", "5 Mar", "mar 5", "Mar 5 2026", "thu"):
        assert parse_date(typed, MON) == date(2026, 3, 5)
    for typed in ("", "  "):
        with pytest.raises(ValueError, match="Enter a date like"):
            parse_date(typed, MON)


def test_fixed_dates_in_the_order_typed() -> None:
    assert parse_dates("2026-03-05, 2026-03-12;2026-03-19", MON) == (
        date(2026, 3, 5), date(2026, 3, 12), date(2026, 3, 19))
    assert parse_dates("3/5, 12 Mar; mar 19", MON) == (date(2026, 3, 5), date(2026, 3, 12), date(2026, 3, 19))
    assert parse_dates("2026-03-05 2026-03-12", MON) == (date(2026, 3, 5), date(2026, 3, 12))
    assert parse_dates(" , ", MON) == ()
    with pytest.raises(ValueError, match="'2026-02-30' is not a date"):
        parse_dates("2026-03-05, 2026-02-30", MON)
    with pytest.raises(ValueError) as error:
        parse_dates("3/5, soon", MON)
    assert str(error.value) == "'soon' is not a date: enter dates like 3/5, 12 Mar or 2026-03-19, separated by commas."


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_an_iso_date_reads_back(day: date) -> None:
    assert parse_day(day.isoformat(), MON) == day == parse_date(day.isoformat(), MON)


# ---- times of day -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "moment"), [
    ("14:00", time(14)), ("14.30", time(14, 30)), ("1430", time(14, 30)), ("14", time(14)),
    ("9", time(9)), ("2", time(14)), ("2pm", time(14)), ("2:30 pm", time(14, 30)), ("9am", time(9)),
    ("12pm", time(12)), ("12am", time(0)), ("noon", time(12)), ("10:00", time(10)),
    ("05:00", time(5)), ("0530", time(5, 30)), ("5:30", time(17, 30)),  # two-digit hours are literal
])
def test_parse_clock_reads_what_a_receptionist_types(typed: str, moment: time) -> None:
    assert parse_clock(typed) == moment


@pytest.mark.parametrize("typed", ["", "25:00", "14:75", "13pm", "half past"])
def test_parse_clock_refuses_nonsense(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_clock(typed)


def test_a_package_window_reads_the_same_times_as_a_booking() -> None:
    assert [parse_clock(t) for t in ("10:00", "9:30", "10", "0930", "9.30")] == \
        [time(10), time(9, 30), time(10), time(9, 30), time(9, 30)]
    assert [parse_clock(t) for t in ("10h30", "10h", "9am", "9 am", "1:30pm", "13:00")] == \
        [time(10, 30), time(10), time(9), time(9), time(13, 30), time(13)]
    with pytest.raises(ValueError) as error:
        parse_clock("25:00")
    assert str(error.value) == "There is no such time."
    with pytest.raises(ValueError) as error:
        parse_clock("morning")
    assert str(error.value) == "Enter a time like 14:00 or 2pm."


@given(st.times().map(lambda t: t.replace(second=0, microsecond=0)))
def test_a_shown_time_reads_back(moment: time) -> None:
    assert parse_clock(format_time(moment)) == moment


def test_next_half_hour() -> None:
    assert next_half_hour(datetime(2026, 3, 2, 10, 0)) == time(10, 30)
    assert next_half_hour(datetime(2026, 3, 2, 10, 10)) == time(10, 30)
    assert next_half_hour(datetime(2026, 3, 2, 10, 30)) == time(11, 0)
    assert next_half_hour(datetime(2026, 3, 2, 23, 50)) == time(23, 30)


def test_when_words() -> None:
    assert when_words(datetime(2026, 3, 3, 14, 0)) == "Tue 3 Mar 14:00"
    assert when_words(datetime(2026, 12, 25, 9, 5)) == "Fri 25 Dec 09:05"


# ---- minutes and counts -----------------------------------------------------------------------------

def test_one_reading_of_minutes_for_every_minutes_field() -> None:
    assert [parse_minutes(t) for t in ("90", "90 min", "1h30", "1 h 30 min", "1:30", "2h", "45m")] == \
        [90, 90, 90, 90, 90, 120, 45]
    assert parse_minutes(" 90 ") == 90 and parse_minutes("45 min") == 45  # a service's duration
    assert [parse_minutes(t) for t in ("1h", "1 hour 30 minutes", "90 mins", "1hr", "1h 30m", "2 hrs")] == \
        [60, 90, 90, 60, 90, 120]
    for bad in ("", "1:75", "abc", "1h90", "-5", "ten"):
        with pytest.raises(ValueError) as error:
            parse_minutes(bad)
        assert str(error.value) == "Enter minutes like 90, 1h30 or 1:30."


@given(st.integers(min_value=0, max_value=100 * 60))
def test_shown_minutes_read_back(minutes: int) -> None:
    assert parse_minutes(format_duration(minutes)) == minutes


def test_parse_count() -> None:
    assert parse_count(" 5 ") == 5 and parse_count("0") == 0
    for bad in ("", "-1", "2.5", "five"):
        with pytest.raises(ValueError) as error:
            parse_count(bad, "2")
        assert str(error.value) == "Enter a whole number, like 2."


# ---- money ------------------------------------------------------------------------------------------

def test_parse_amount_says_it_in_sentences() -> None:
    assert parse_amount("$1,250.50", USD) == 125050 == parse_money("$1,250.50", USD)
    cases = {
        ("abc", USD): "Enter an amount like 40.00.",
        ("12.345", USD): "At most 2 decimals for USD.",
        ("40.5", JPY): "No decimals for JPY.",
        ("-5", USD): "The amount cannot be negative.",
        ("99999999999999999", USD): "The amount is too large.",
    }
    for (typed, currency), message in cases.items():
        with pytest.raises(ValueError) as error:
            parse_amount(typed, currency)
        assert str(error.value) == message
    with pytest.raises(ValueError) as error:
        parse_amount("-5", USD, what="price")
    assert str(error.value) == "The price cannot be negative."


@pytest.mark.parametrize(
    ("typed", "currency", "minor"),
    [
        # a dollar desk: a dot for decimals, commas between thousands
        ("1,234.50", USD, 123450), ("$1,234.50", USD, 123450), (" $ 12.50 ", USD, 1250), ("1234.5", USD, 123450),
        ("1,234", USD, 123400), ("1,234,567.89", USD, 123456789),
        # a German euro desk: a comma for decimals, dots between thousands
        ("40,50", EUR_DE, 4050), ("40,5", EUR_DE, 4050), ("1.234,50", EUR_DE, 123450), ("€1.234,50", EUR_DE, 123450),
        ("€ 40,50", EUR_DE, 4050), ("40,50 EUR", EUR_DE, 4050), ("1.234", EUR_DE, 123400), ("40", EUR_DE, 4000),
        ("1 234,50", EUR_DE, 123450),
        # a French one: spaces (any kind) between thousands
        ("1 234,50", EUR_FR, 123450), ("1\u202f234,50", EUR_FR, 123450), ("1\xa0234,50 €", EUR_FR, 123450),
        # three decimals with the decimal mark typed: the desk's way
        ("1.234", KWD, 1234), ("1,234.500", KWD, 1234500),
    ],
)
def test_money_is_read_the_desks_way(typed: str, currency, minor: int) -> None:  # type: ignore[no-untyped-def]
    assert parse_amount(typed, currency) == minor


@pytest.mark.parametrize(
    ("typed", "currency", "message"),
    [
        # a comma and two digits at a dollar desk are cents written the other way: not $4,050
        ("40,50", USD, "Did you mean 40.50 or 4,050.00? Type 40.50."),
        ("$12,5", USD, "Did you mean 12.50 or 125.00? Type 12.50."),
        # and the same at a euro desk the other way round
        ("40.50", EUR_DE, "Did you mean 40,50 or 4.050,00? Type 40,50."),
        ("40.50", EUR_FR, "Did you mean 40,50 or 4 050,00? Type 40,50."),
        # both marks, the other way round: one reading, typed the desk's way
        ("1,234.50", EUR_DE, "Did you mean 1.234,50? Type 1234,50."),
        ("1.234,50", USD, "Did you mean 1,234.50? Type 1234.50."),
        # a currency with three decimals: "1,234" is 1234 here and 1.234 where a comma marks decimals
        ("1,234", KWD, "Did you mean 1,234.000 or 1.234? Type 1234.000 or 1.234."),
        # what was refused before is refused as before
        ("1,234", EUR_DE, "At most 2 decimals for EUR."),
        ("12.345", USD, "At most 2 decimals for USD."),
        ("12,50.00", USD, "Enter an amount like 40.00."),
        ("1.2.3", USD, "Enter an amount like 40.00."),
        ("1,2,3", EUR_DE, "Enter an amount like 40,00."),
        ("-40,50", EUR_DE, "The amount cannot be negative."),
        ("-$40.00", USD, "The amount cannot be negative."),
    ],
)
def test_money_that_reads_differently_the_other_way_is_refused_with_what_to_type(
        typed: str, currency, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError) as error:
        parse_amount(typed, currency)
    assert str(error.value) == message


def test_amounts_are_shown_and_filled_in_the_desks_way() -> None:
    assert format_money(123450, EUR_DE) == "€1.234,50" and typed_money(123450, EUR_DE) == "1.234,50"
    assert format_money(123450, EUR_FR) == "€1 234,50"
    assert parse_amount(typed_money(123450, EUR_DE), EUR_DE) == 123450
    assert parse_delta("-10,50", "money", EUR_DE) == -1050
    with pytest.raises(ValueError) as error:
        parse_delta("+10.50", "money", EUR_DE)
    assert str(error.value) == "Did you mean 10,50 or 1.050,00? Type 10,50."


@given(st.integers(min_value=0, max_value=MAX_MINOR), st.sampled_from([USD, EUR_DE, EUR_FR, KWD, JPY]))
def test_what_the_desk_shows_it_reads_back(minor: int, currency) -> None:  # type: ignore[no-untyped-def]
    assert parse_money(format_money(minor, currency), currency) == minor
    assert parse_money(typed_money(minor, currency), currency) == minor


def test_typed_money_is_what_staff_would_type() -> None:
    assert typed_money(25000, USD) == "250.00"
    assert typed_money(125000, USD) == "1,250.00"
    assert typed_money(5000, JPY) == "5,000"
    assert parse_amount(typed_money(125000, USD), USD) == 125000


# ---- a change to a balance ----------------------------------------------------------------------------

def test_changes_are_parsed_in_the_holdings_unit() -> None:
    def visits(text: str) -> int:
        return parse_delta(text, "visits", USD)

    def minutes(text: str) -> int:
        return parse_delta(text, "minutes", USD)

    def money(text: str) -> int:
        return parse_delta(text, "money", USD)

    assert visits("+2") == 2 and visits("-1") == -1 and visits(" 3 ") == 3
    assert minutes("+30") == 30 and minutes("-1h") == -60 and minutes("+1h 30m") == 90
    assert minutes("-1 h 30 min") == -90
    assert money("-10.00") == -1000 and money("+$5") == 500
    for bad, parse in (("two", visits), ("+1.5", visits), ("soon", minutes), ("-ten", money), ("+1.234", money)):
        with pytest.raises(ValueError):
            parse(bad)
    assert "$10.00" in delta_hint("money", USD)
    assert "visits" in delta_hint("visits", USD) and "minutes" in delta_hint("minutes", USD)


def test_a_minutes_change_reads_every_form_of_minutes() -> None:
    assert [parse_delta(t, "minutes", USD) for t in ("+1:30", "-90 min", "1h", "- 2 h")] == [90, -90, 60, -120]


@pytest.mark.parametrize(("typed", "unit", "message"), [
    ("", "visits", "Enter + to add or - to take away, e.g. +1 or -1."),
    ("two", "visits", "Enter whole visits, e.g. +1 or -2."),
    ("soon", "minutes", "Enter minutes, e.g. +30, -60 or +1h 30m."),
    ("-ten", "money", "Enter an amount like +$10.00 or -$10.00."),
    ("+1.234", "money", "At most 2 decimals for USD."),
])
def test_a_change_that_cannot_be_read_says_why(typed: str, unit: str, message: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_delta(typed, unit, USD)
    assert str(error.value) == message


@given(st.integers(min_value=-10**9, max_value=10**9))
def test_a_money_change_reads_back(minor: int) -> None:
    text = ("-" if minor < 0 else "+") + format_money(abs(minor), USD)
    assert parse_delta(text, "money", USD) == minor


@pytest.mark.parametrize("typed", [
    "soon", "2/30", "", "25:00", "half past", "1:75", "-5", "two", "-ten", "12.345",
])
def test_every_message_is_a_sentence(typed: str) -> None:
    for parse in (lambda t: parse_date(t, MON), lambda t: parse_dates(t, MON), parse_clock, parse_minutes,
                  parse_count, lambda t: parse_amount(t, USD), lambda t: parse_delta(t, "visits", USD),
                  lambda t: parse_delta(t, "minutes", USD), lambda t: parse_delta(t, "money", USD)):
        try:
            parse(typed)
        except ValueError as error:
            assert _is_a_sentence(str(error)), str(error)


def test_booking_dates_move_with_today() -> None:
    for offset in range(7):
        today = MON + timedelta(days=offset)
        assert parse_day("tomorrow", today) == today + timedelta(days=1)
        assert parse_day(today.strftime("%m/%d"), today) == today


def test_counts_in_words_group_their_thousands() -> None:
    """A chain's day: "7,106 appointments" reads at a glance, as the amounts do; one stays singular."""
    from frontdesk.domain.words import plural

    assert [plural(count, "appointment") for count in (1, 5, 7106, 1_000_000)] == [
        "1 appointment", "5 appointments", "7,106 appointments", "1,000,000 appointments"]
    assert plural(2, "entry", "entries") == "2 entries"
