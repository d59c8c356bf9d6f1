"""A customer's contact details: what a name, phone number, email address and note must be, the
same at the desk's customer form, in an imported file and in the demo; and the forms search and
duplicates compare them in.

Phone numbers are read with `phonenumbers` (the maintained port of Google's libphonenumber, which
knows every country's numbering plan). A number typed without a country code is read as one of
the desk's region (the `phone_region` setting). It is kept written one way: the national format
in the desk's region ("(555) 201-1234"), the international one otherwise ("+44 20 7946 0958"); and
it is compared by its E.164 digits ("15552011234"), so "555.201.1234", "+1 555 201 1234" and
"1-555-201-1234" are the same person. A number the plan calls *possible* is taken (the demo's 555
numbers are possible but not *valid*: no such line exists).

Search text is folded: lower case, accents dropped and the letters that do not decompose spelt
plainly ("Ångström" → "angstrom", "Zoë" → "zoe", "Łódź" → "lodz"), the stored text and what is
typed alike.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

from frontdesk.domain.bounds import text_problem

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DEFAULT_REGION = "US"
# the column sizes (PostgreSQL enforces them, SQLite does not: checked here so both behave alike)
MAX_LENGTH = {"name": 200, "phone": 40, "email": 200, "note": 1000}
SEARCH_TEXT_LENGTH = 500  # the search text's column
# letters that Unicode does not decompose into a plain letter and a mark
PLAIN = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "þ": "th",
                       "ð": "d", "ı": "i", "ħ": "h", "ŧ": "t"})


@lru_cache(maxsize=4096)  # one customer's name is folded for each of her search columns
def fold(text: str) -> str:
    """Text as search compares it: lower case, without accents ("Zoë Ångström" → "zoe angstrom")."""
    folded = text
    for _ in range(4):  # a round can uncover what the next one folds ("ℌ" → "H" → "h"); stops when stable
        decomposed = unicodedata.normalize("NFKD", folded.lower()).translate(PLAIN)
        once = unicodedata.normalize("NFKD", "".join(c for c in decomposed if not unicodedata.combining(c)))
        once = "".join(c for c in once if not unicodedata.combining(c))
        if once == folded:
            break
        folded = once
    return folded


def phone_digits(phone: str) -> str:
    """The digits of what was typed: "(555) 123-4567" → "5551234567"."""
    return re.sub(r"\D", "", phone)


def known_region(region: str) -> str:
    """A region code the numbering plans know ("us" → "US"), else ValueError saying so."""
    code = region.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(f"unknown phone region {region!r} (use a two-letter country code such as US or GB)")
    return code


@dataclass(frozen=True, slots=True)
class Phone:
    """A phone number as it is kept (`shown`) and compared (`key`, its E.164 digits)."""

    shown: str
    key: str


@lru_cache(maxsize=1024)  # one number is read for its kept form, its key and the search text
def read_phone(typed: str, region: str) -> Phone:
    """`typed` in its one written form, a number without a country code read as one of `region`;
    ValueError with the message for the field when it cannot be a phone number."""
    typed = typed.strip()
    another = "for another country start with + and its code."
    try:
        number = phonenumbers.parse(typed, region)
    except NumberParseException as error:
        if error.error_type == NumberParseException.INVALID_COUNTRY_CODE:
            raise ValueError("That is not a phone number: no country has the code it starts with.") from None
        if error.error_type == NumberParseException.TOO_LONG:
            raise ValueError("That is not a phone number: too many digits.") from None
        if error.error_type == NumberParseException.NOT_A_NUMBER and len(phone_digits(typed)) < 2:
            raise ValueError("That is not a phone number: type its digits.") from None
        raise ValueError(f"That is not a phone number: too few digits for {region}; {another}") from None
    reason = phonenumbers.is_possible_number_with_reason(number)
    if typed.startswith("+"):  # a country code was typed: no other country to suggest
        where, another = f"+{number.country_code}", "check the number."
    else:
        where = region
    if reason in (ValidationResult.TOO_SHORT, ValidationResult.IS_POSSIBLE_LOCAL_ONLY):
        raise ValueError(f"That is not a phone number: too few digits for {where}; {another}")
    if reason == ValidationResult.TOO_LONG:
        raise ValueError(f"That is not a phone number: too many digits for {where}; {another}")
    if reason == ValidationResult.INVALID_COUNTRY_CODE:
        raise ValueError("That is not a phone number: no country has the code it starts with.")
    if reason != ValidationResult.IS_POSSIBLE:
        raise ValueError(f"That is not a phone number: not a length numbers have in {where}; {another}")
    home = number.country_code == phonenumbers.country_code_for_region(region)
    shown = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL if home else PhoneNumberFormat.INTERNATIONAL)
    key = phonenumbers.format_number(number, PhoneNumberFormat.E164).lstrip("+")
    return Phone(shown, key)


def phone_key(phone: str, region: str) -> str:
    """What two numbers are compared by: the E.164 digits ("(555) 201-1234" → "15552011234"); a
    number that cannot be read (kept as typed before numbers were checked) by its digits."""
    if not phone.strip():
        return ""
    try:
        return read_phone(phone, region).key
    except ValueError:
        return phone_digits(phone)


def kept_phone(phone: str, region: str) -> str:
    """A phone number in the form it is kept in; one that cannot be read as it was typed."""
    try:
        return read_phone(phone, region).shown if phone.strip() else ""
    except ValueError:
        return phone.strip()


def search_text(name: str, phone: str, email: str, region: str) -> str:
    """What customer search looks in, folded: "name key email", with the national digits as well
    when the key does not hold them ("020 7946 0958" typed at a desk in GB finds +44 20 7946 0958)."""
    key = phone_key(phone, region)
    national = phone_digits(phone)
    digits = key if not national or national in key else f"{key} {national}"
    text = " ".join(part for part in (fold(name.strip()), digits, fold(email.strip())) if part)
    return text[:SEARCH_TEXT_LENGTH]


def name_words(folded_name: str) -> list[str]:
    """What customer search looks typed words up in: the folded name from each of its words on
    ("maria lopez-ruiz" → "maria lopez-ruiz", "lopez-ruiz", "ruiz"); a word starts the name or
    follows a space or a hyphen. A typed word begins a word of the name when one of these begins
    with it; the first is the whole name."""
    starts = [0] + [at + 1 for at, letter in enumerate(folded_name[:-1]) if letter in " -"]
    return [folded_name[start:] for start in starts] if folded_name else []


def contact_words(phone: str, key: str, email: str) -> list[str]:
    """What customer search looks typed words up in besides her name, as `name_words` does: her
    phone's digits from each group of digits on, as the number is written ("(555) 201-1234" →
    "5552011234", "2011234", "1234"), and its `key` ("15552011234", `phone_key`); her folded email from each of
    its words on ("mei.li@example.org" → "mei.li@example.org", "li@example.org", "example.org",
    "org"), a word being a run of letters and digits (FTS5's words). A typed word begins a word of
    her phone or email when one of these begins with it; each is a part of her search text."""
    digits = phone_digits(phone)
    groups = [match.start() for match in re.finditer(r"\d+", phone)]
    words = [digits[len(phone_digits(phone[:start])):] for start in groups]
    if key:
        words.append(key)
    folded = fold(email.strip())
    words += [folded[at:] for at, letter in enumerate(folded)
              if letter.isalnum() and (at == 0 or not folded[at - 1].isalnum())]
    return list(dict.fromkeys(words))


def contact_errors(
    name: str, phone: str, email: str, note: str = "", *, region: str = DEFAULT_REGION
) -> dict[str, str]:
    """Field → message for each detail that will not do (the values as typed, trimmed here); a
    phone number without a country code is read as one of `region`."""
    name, phone, email, note = name.strip(), phone.strip(), email.strip(), note.strip()
    errors = {}
    if not name:
        errors["name"] = "Enter the customer's name."
    if phone:
        try:
            kept = read_phone(phone, region).shown
        except ValueError as error:
            errors["phone"] = str(error)
        else:
            if problem := text_problem(kept, MAX_LENGTH["phone"]):
                errors["phone"] = problem
    if email and not EMAIL.match(email):
        errors["email"] = "That does not look like an email address."
    for field, value in (("name", name), ("phone", phone), ("email", email), ("note", note)):
        problem = text_problem(value, MAX_LENGTH[field], lines=field == "note")
        if problem:  # what cannot be saved at all comes before what does not look right
            errors[field] = problem
    return errors
