"""The desk's locale: how it writes amounts, from Babel, set by FRONTDESK_LOCALE or the currency."""

import pytest

from frontdesk.config import SettingsError, load_settings
from frontdesk.domain.money import format_money, parse_money
from frontdesk.localization import desk_currency, known_locale, usual_locale


def test_a_currency_is_written_its_locales_way() -> None:
    assert (desk_currency("USD").decimal, desk_currency("USD").group) == (".", ",")
    assert (desk_currency("EUR").decimal, desk_currency("EUR").group) == (",", ".")  # de_DE, the usual one
    assert (desk_currency("EUR", "fr_FR").decimal, desk_currency("EUR", "fr_FR").group) == (",", " ")
    assert (desk_currency("EUR", "en_IE").decimal, desk_currency("EUR", "en_IE").group) == (".", ",")
    assert (desk_currency("CHF").decimal, desk_currency("CHF").group) == (".", "'")
    assert usual_locale("usd") == "en_US" and usual_locale("EUR") == "de_DE"
    assert known_locale("fr-FR") == "fr_FR"


def test_the_locale_setting_reaches_the_money_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRONTDESK_CURRENCY", "EUR")
    assert parse_money("40,50", load_settings().money) == 4050
    monkeypatch.setenv("FRONTDESK_LOCALE", "en_IE")
    euro = load_settings().money
    assert parse_money("40.50", euro) == 4050 and format_money(123450, euro) == "€1,234.50"
    assert load_settings(locale="de-AT").locale == "de_AT"


def test_an_unknown_locale_is_one_line() -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(locale="xx_YY")
    assert str(error.value) == "locale: unknown locale 'xx_YY' (use a name such as en_US, de_DE or fr_FR)"
