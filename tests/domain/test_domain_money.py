"""Money: currency look-up, formatting and parsing of integer minor units."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.money import _CURRENCIES, MAX_MINOR, Currency, currency_for, format_money, parse_money

USD, JPY, KWD = currency_for("USD"), currency_for("JPY"), currency_for("KWD")


def test_currency_table_and_case_insensitive_lookup():
    assert currency_for("usd") == Currency("USD", 2, "$")
    assert currency_for(" eur ") == Currency("EUR", 2, "€")
    assert (JPY.exponent, JPY.symbol) == (0, "¥")
    assert (KWD.exponent, KWD.symbol) == (3, "KD ")
    assert currency_for("BHD").exponent == currency_for("OMR").exponent == 3
    assert {currency_for(c).symbol for c in ("SEK", "NOK", "DKK")} == {"kr "}
    assert currency_for("INR").symbol == "₹"
    assert currency_for("KRW").exponent == currency_for("ISK").exponent == 0
    for code in ("GBP", "CAD", "AUD", "CHF", "PLN", "CZK", "NZD", "SGD", "HKD"):
        assert currency_for(code).exponent == 2


def test_unknown_currency():
    with pytest.raises(ValueError, match=r"unknown currency 'XYZ' \(use an ISO 4217 code such as USD, EUR, JPY\)"):
        currency_for("XYZ")


@pytest.mark.parametrize(
    ("minor", "currency", "text"),
    [
        (4000, USD, "$40.00"),
        (-4000, USD, "-$40.00"),
        (125000, USD, "$1,250.00"),
        (5, USD, "$0.05"),
        (0, USD, "$0.00"),
        (5000, JPY, "¥5,000"),
        (1500, KWD, "KD 1.500"),
        (123456789, currency_for("CHF"), "CHF 1,234,567.89"),
    ],
)
def test_format_money(minor, currency, text):
    assert format_money(minor, currency) == text


@pytest.mark.parametrize(
    ("text", "minor"),
    [("40", 4000), ("40.5", 4050), ("40.50", 4050), ("$40.50", 4050), ("1,250.00", 125000), (" 40 ", 4000),
     ("usd 12", 1200), (".5", 50), ("0", 0)],
)
def test_parse_money_usd(text, minor):
    assert parse_money(text, USD) == minor


def test_parse_money_other_exponents():
    assert parse_money("¥5,000", JPY) == 5000
    assert parse_money("KD 1.5", KWD) == 1500
    assert parse_money("CA$ 12.30", currency_for("CAD")) == 1230


@pytest.mark.parametrize(
    ("text", "currency", "message"),
    [
        ("", USD, "enter an amount like 40.00"),
        ("   ", USD, "enter an amount like 40.00"),
        ("forty", USD, "enter an amount like 40.00"),
        ("12a", USD, "enter an amount like 40.00"),
        ("1.2.3", USD, "enter an amount like 40.00"),
        ("abc", JPY, "enter an amount like 40"),
        ("40.505", USD, "at most 2 decimals for USD"),
        ("40.5", JPY, "no decimals for JPY"),
        ("1.2345", KWD, "at most 3 decimals for KWD"),
        ("-40", USD, "amount cannot be negative"),
        ("-$40.00", USD, "amount cannot be negative"),
        ("99999999999999999", USD, "amount is too large"),
    ],
)
def test_parse_money_refuses(text, currency, message):
    with pytest.raises(ValueError) as error:
        parse_money(text, currency)
    assert str(error.value) == message


@given(st.sampled_from(sorted(_CURRENCIES)), st.integers(min_value=0, max_value=MAX_MINOR))
def test_format_then_parse_round_trips(code, minor):
    currency = currency_for(code)
    assert parse_money(format_money(minor, currency), currency) == minor


@given(st.integers(min_value=1, max_value=10**12))
def test_negative_amounts_format_with_a_minus_and_are_refused_as_input(minor):
    text = format_money(-minor, USD)
    assert text == "-" + format_money(minor, USD)
    with pytest.raises(ValueError, match="amount cannot be negative"):
        parse_money(text, USD)


def test_the_bound_on_money_is_the_parsers_bound() -> None:
    """One bound: $1,000,000,000.00 parses, a cent more is too large, and so is a number of any length."""
    usd = currency_for("USD")
    assert parse_money("1,000,000,000.00", usd) == 10**11
    with pytest.raises(ValueError, match="too large"):
        parse_money("1,000,000,000.01", usd)
    with pytest.raises(ValueError, match="too large"):
        parse_money("9" * 5000, usd)  # never read as a number: no "Exceeds the limit" from int()
