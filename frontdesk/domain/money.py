"""Money as integer minor units (cents) in one currency: look-up, formatting and parsing.

Amounts are never floats. Formatting and parsing work on digits and integers only, so
`parse_money(format_money(m, c), c) == m` for every non-negative `m`.

A currency carries the desk's way of writing numbers (`decimal` and `group` marks: "1,234.50" at
a dollar desk, "1.234,50" at a German euro desk, "1 234,50" at a French one), set from the
desk's locale (`frontdesk.localization`); `currency_for` alone gives "." and ",". What staff type
is read the desk's way, and an entry that another way would read differently is refused with
what to type: "40,50" at a dollar desk says "Did you mean 40.50 or 4,050.00? Type 40.50.".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class Currency:
    """An ISO 4217 currency: its code, how many minor digits it has, the symbol shown before amounts,
    and the desk's decimal mark ("." or ",") and group mark ("," "." " " or "'")."""

    code: str
    exponent: int
    symbol: str
    decimal: str = "."
    group: str = ","


_CURRENCIES: dict[str, Currency] = {
    c.code: c
    for c in (
        Currency("USD", 2, "$"),
        Currency("EUR", 2, "€"),
        Currency("GBP", 2, "£"),
        Currency("CAD", 2, "CA$"),
        Currency("AUD", 2, "A$"),
        Currency("NZD", 2, "NZ$"),
        Currency("SGD", 2, "S$"),
        Currency("HKD", 2, "HK$"),
        Currency("MXN", 2, "MX$"),
        Currency("BRL", 2, "R$"),
        Currency("CHF", 2, "CHF "),
        Currency("SEK", 2, "kr "),
        Currency("NOK", 2, "kr "),
        Currency("DKK", 2, "kr "),
        Currency("PLN", 2, "zł "),
        Currency("CZK", 2, "Kč "),
        Currency("HUF", 2, "Ft "),
        Currency("ZAR", 2, "R "),
        Currency("AED", 2, "AED "),
        Currency("INR", 2, "₹"),
        Currency("CNY", 2, "CN¥"),
        Currency("JPY", 0, "¥"),
        Currency("KRW", 0, "₩"),
        Currency("ISK", 0, "kr "),
        Currency("KWD", 3, "KD "),
        Currency("BHD", 3, "BD "),
        Currency("OMR", 3, "OMR "),
        Currency("JOD", 3, "JD "),
        Currency("TND", 3, "DT "),
    )
}

# The one bound on an amount of money, in minor units ($1,000,000,000.00, ¥100,000,000,000): far beyond
# any price, balance or payment at a desk, and far below a 64-bit column's limit even when summed.
MAX_MINOR = 10**11


def amount_problem(minor: int, currency: Currency, *, what: str = "amount") -> str | None:
    """Why `minor` cannot be an amount of money (a price, a payment, a balance), or None: it is
    negative or above `MAX_MINOR`. `what` names it in the message ("The price cannot be negative.")."""
    if minor < 0:
        return f"The {what} cannot be negative."
    if minor > MAX_MINOR:
        return f"The {what} can be at most {format_money(MAX_MINOR, currency)}."
    return None


def currency_for(code: str) -> Currency:
    """The currency for an ISO 4217 code (any case); `ValueError` for a code not in the table."""
    found = _CURRENCIES.get(code.strip().upper())
    if found is None:
        raise ValueError(f"unknown currency {code!r} (use an ISO 4217 code such as USD, EUR, JPY)")
    return found


def with_marks(currency: Currency, decimal: str, group: str) -> Currency:
    """`currency` written the desk's way: `decimal` "." or ","; `group` another mark, or a space."""
    if decimal not in ".," or not group or group == decimal or group.isdigit():
        raise ValueError(f"cannot write amounts with {decimal!r} for decimals and {group!r} between thousands")
    return replace(currency, decimal=decimal, group=" " if group.isspace() else group)


def format_money(minor: int, currency: Currency) -> str:
    """`4000` USD → "$40.00", `-4000` → "-$40.00", `125000` → "$1,250.00", JPY 5000 → "¥5,000";
    at a German euro desk 125000 → "€1.250,00"."""
    sign = "-" if minor < 0 else ""
    major, fraction = divmod(abs(minor), 10**currency.exponent)
    text = f"{major:,}".replace(",", currency.group)
    if currency.exponent:
        text += f"{currency.decimal}{fraction:0{currency.exponent}d}"
    return f"{sign}{currency.symbol}{text}"


_NUMBER = re.compile(r"[\d.,]*\d[\d.,]*")


def _example(currency: Currency) -> str:
    return "40" + (currency.decimal + "0" * currency.exponent if currency.exponent else "")


def _typed(minor: int, currency: Currency, *, grouped: bool = True) -> str:
    text = format_money(minor, currency).removeprefix(currency.symbol)
    return text if grouped else text.replace(currency.group, "")


def _minor(whole: str, fraction: str, currency: Currency) -> int:
    if len(whole.lstrip("0")) > len(str(MAX_MINOR)):  # too large, and never read as a huge number
        raise ValueError("amount is too large")
    if len(fraction) > currency.exponent:
        if currency.exponent == 0:
            raise ValueError(f"no decimals for {currency.code}")
        plural = "decimal" if currency.exponent == 1 else "decimals"
        raise ValueError(f"at most {currency.exponent} {plural} for {currency.code}")
    minor = int(whole or "0") * 10**currency.exponent + int(fraction.ljust(currency.exponent, "0") or "0")
    if minor > MAX_MINOR:
        raise ValueError("amount is too large")
    return minor


class _Unreadable(ValueError):
    """Not a number written with these marks (as opposed to a number with too many decimals)."""


def _read(number: str, decimal: str, group: str, currency: Currency) -> int:
    """`number` (digits, "." and ",") read with `decimal` and `group` marks, thousands grouped by 3."""
    whole, _, fraction = number.partition(decimal)
    if decimal in fraction or group in fraction or not (whole or fraction):
        raise _Unreadable()
    if group in whole:
        if re.fullmatch(rf"[1-9]\d{{0,2}}(?:{re.escape(group)}\d{{3}})+", whole) is None:
            raise _Unreadable()
        whole = whole.replace(group, "")
    return _minor(whole, fraction, currency)


def parse_money(text: str, currency: Currency) -> int:
    """Minor units from what staff typed, read the desk's way (see the module docstring): "40",
    "40.5", "$40.50", "1,250.00", " 40 " at a dollar desk; "40,50", "1.234,50", "€ 1 234,50" at
    a German euro desk. Spaces and apostrophes between digits are thousands marks.

    Raises `ValueError` with a short message to show under the input field; for an entry that
    the other way of writing numbers reads differently, a sentence saying what to type.
    """
    cleaned = text.strip()
    for mark in (currency.symbol.strip(), currency.code, "$" if "$" in currency.symbol else ""):
        if mark:
            cleaned = re.sub(re.escape(mark), "", cleaned, flags=re.IGNORECASE)
    cleaned = re.sub(r"[\s'’]", "", cleaned)
    number = cleaned.removeprefix("-")
    if _NUMBER.fullmatch(number) is None:
        raise ValueError(f"enter an amount like {_example(currency)}")
    if number != cleaned:
        raise ValueError("amount cannot be negative")
    other = "," if currency.decimal == "." else "."  # a thousands mark here, the decimal mark elsewhere
    try:
        here: int | None = _read(number, currency.decimal, other, currency)
    except _Unreadable:
        here = None
    try:
        elsewhere: int | None = _read(number, other, currency.decimal, currency)
    except ValueError:
        elsewhere = None
    if here is not None and elsewhere not in (None, here) and currency.decimal not in number:
        # only thousands marks the desk's way, a decimal mark elsewhere: "1,234" KWD at a dot desk
        raise ValueError(f"Did you mean {_typed(here, currency)} or {_typed(elsewhere, currency)}? "
                         f"Type {_typed(here, currency, grouped=False)} or {_typed(elsewhere, currency)}.")
    if here is not None:
        return here
    if elsewhere is None:
        raise ValueError(f"enter an amount like {_example(currency)}")
    readings = [elsewhere]
    digits = int(re.sub(r"[.,]", "", number)) * 10**currency.exponent
    if number.count(".") + number.count(",") == 1 and digits <= MAX_MINOR:  # "40,50" at a dollar desk: 4,050.00
        readings.append(digits)
    meant = " or ".join(_typed(reading, currency) for reading in readings)
    raise ValueError(f"Did you mean {meant}? Type {_typed(elsewhere, currency, grouped=False)}.")
