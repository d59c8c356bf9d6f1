"""The contact rules: folding for search, and a phone number's one form and key."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.contacts import fold, known_region, phone_key, read_phone, search_text


@given(st.text())
def test_folding_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=127)))
def test_folding_ascii_is_lowering_it(text: str) -> None:
    assert fold(text) == text.lower()


@pytest.mark.parametrize(("text", "folded"), [
    ("Ångström", "angstrom"), ("Zoë", "zoe"), ("Søren", "soren"), ("Æsir", "aesir"), ("Œuvre", "oeuvre"),
    ("Straße", "strasse"), ("Łódź", "lodz"), ("Đorđe", "dorde"), ("Þór", "thor"), ("José Núñez", "jose nunez"),
    ("ＦＵＬＬ", "full"),
])
def test_folding_spells_letters_plainly(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize("typed", ["(555) 201-1234", "555.201.1234", "+1 555 201 1234", "1-555-201-1234"])
def test_one_number_in_four_formats(typed: str) -> None:
    assert (read_phone(typed, "US").shown, phone_key(typed, "US")) == ("(555) 201-1234", "15552011234")


def test_the_region_says_where_a_number_without_a_code_is() -> None:
    assert read_phone("020 7946 0958", "GB").shown == "020 7946 0958"
    assert read_phone("+44 20 7946 0958", "US").shown == "+44 20 7946 0958"
    assert phone_key("020 7946 0958", "GB") == phone_key("+44 20 7946 0958", "US") == "442079460958"


def test_an_unreadable_number_keeps_its_digits_as_key() -> None:
    assert phone_key("12-34", "US") == "1234"
    assert phone_key("", "US") == ""


def test_search_text_holds_the_national_digits_the_key_lacks() -> None:
    assert search_text("Ian Hale", "020 7946 0958", "Ian@Example.com", "GB") == (
        "ian hale 442079460958 02079460958 ian@example.com")
    assert search_text("Zoë", "(555) 201-1234", "", "US") == "zoe 15552011234"


def test_a_region_must_be_known() -> None:
    assert known_region(" gb ") == "GB"
    with pytest.raises(ValueError, match="unknown phone region 'XX'"):
        known_region("XX")
