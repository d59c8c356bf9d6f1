"""The desk's way of writing numbers, from its locale (Babel's CLDR data): "1,234.50" in en_US,
"1.234,50" in de_DE, "1 234,50" in fr_FR. Amounts are shown and read that way (see
`domain.money`); without a locale setting, the usual one for the currency is used.
"""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from babel.numbers import get_decimal_symbol, get_group_symbol

from frontdesk.domain.money import Currency, currency_for, with_marks

# the locale a desk taking each currency most likely writes numbers in
USUAL_LOCALES = {
    "USD": "en_US", "EUR": "de_DE", "GBP": "en_GB", "CAD": "en_CA", "AUD": "en_AU", "NZD": "en_NZ",
    "SGD": "en_SG", "HKD": "en_HK", "MXN": "es_MX", "BRL": "pt_BR", "CHF": "de_CH", "SEK": "sv_SE",
    "NOK": "nb_NO", "DKK": "da_DK", "PLN": "pl_PL", "CZK": "cs_CZ", "HUF": "hu_HU", "ZAR": "en_ZA",
    "AED": "en_AE", "INR": "en_IN", "CNY": "zh_CN", "JPY": "ja_JP", "KRW": "ko_KR", "ISK": "is_IS",
    "KWD": "ar_KW", "BHD": "ar_BH", "OMR": "ar_OM", "JOD": "ar_JO", "TND": "fr_TN",
}


def usual_locale(currency_code: str) -> str:
    """The locale used when none is set: en_US for USD, de_DE for EUR, en_US for anything else."""
    return USUAL_LOCALES.get(currency_code.strip().upper(), "en_US")


def known_locale(name: str) -> str:
    """`name` ("de_DE", "fr-FR") as Babel spells it; `ValueError` for one Babel does not know."""
    try:
        return str(Locale.parse(name.strip().replace("-", "_")))
    except (UnknownLocaleError, ValueError, TypeError):
        raise ValueError(f"unknown locale {name!r} (use a name such as en_US, de_DE or fr_FR)") from None


def desk_currency(code: str, locale: str = "") -> Currency:
    """The currency `code` written the way of `locale` (default: `usual_locale(code)`)."""
    currency = currency_for(code)
    name = known_locale(locale or usual_locale(currency.code))
    return with_marks(currency, get_decimal_symbol(name), get_group_symbol(name))
