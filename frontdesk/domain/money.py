"""Money as integer minor units (cents) in one currency: look-up, formatting and parsing.

Amounts are never floats. Formatting and parsing work on digits and integers only, so
`parse_money(format_money(m, c), c) == m` for every non-negative `m`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Currency:
    """An ISO 4217 currency: its code, how many minor digits it has, and the symbol shown before amounts."""

    code: str
    exponent: int
    symbol: str


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


def format_money(minor: int, currency: Currency) -> str:
    """`4000` USD → "$40.00", `-4000` → "-$40.00", `125000` → "$1,250.00", JPY 5000 → "¥5,000"."""
    sign = "-" if minor < 0 else ""
    major, fraction = divmod(abs(minor), 10**currency.exponent)
    text = f"{major:,}"
    if currency.exponent:
        text += f".{fraction:0{currency.exponent}d}"
    return f"{sign}{currency.symbol}{text}"


_AMOUNT = re.compile(r"(\d+)(?:\.(\d*))?|\.(\d+)")


def _example(currency: Currency) -> str:
    return "40" + ("." + "0" * currency.exponent if currency.exponent else "")


def parse_money(text: str, currency: Currency) -> int:
    """Minor units from what staff typed: "40", "40.5", "$40.50", "1,250.00", " 40 ".

    Raises `ValueError` with a short message to show under the input field.
    """
    cleaned = text.strip()
    for mark in (currency.symbol.strip(), currency.code, "$" if "$" in currency.symbol else ""):
        if mark:
            cleaned = re.sub(re.escape(mark), "", cleaned, flags=re.IGNORECASE)
    cleaned = cleaned.replace(",", "").replace(" ", "")
    if cleaned.startswith("-"):
        if _AMOUNT.fullmatch(cleaned[1:]):
            raise ValueError("amount cannot be negative")
    match = _AMOUNT.fullmatch(cleaned)
    if match is None:
        raise ValueError(f"enter an amount like {_example(currency)}")
    whole, fraction = match.group(1) or "0", match.group(2) or match.group(3) or ""
    if len(whole.lstrip("0")) > len(str(MAX_MINOR)):  # too large, and never read as a huge number
        raise ValueError("amount is too large")
    if len(fraction) > currency.exponent:
        if currency.exponent == 0:
            raise ValueError(f"no decimals for {currency.code}")
        plural = "decimal" if currency.exponent == 1 else "decimals"
        raise ValueError(f"at most {currency.exponent} {plural} for {currency.code}")
    minor = int(whole) * 10**currency.exponent + int(fraction.ljust(currency.exponent, "0") or "0")
    if minor > MAX_MINOR:
        raise ValueError("amount is too large")
    return minor
