"""Reading a customer file from another system: its columns, each row as a customer (and the
package she still holds there) or every reason the row cannot be imported.

The columns, in any order, their headings in any case and spacing ("Price paid", "PRICE_PAID",
"price paid (USD)" are one column): name, phone, email, notes, package, remaining, purchased,
expires, price_paid. Only `name` is required; a heading not understood is left out (and said so).

- A row without a package is a customer only. A customer with several packages is several rows
  with the same name and phone; her email and notes may be repeated or left blank on the others.
- `package` is a catalogue package's title (any case); an active package is preferred to an
  archived one of the same title (customers still hold packages no longer sold). A Fixed bundle
  of several services is refused: one `remaining` cannot say what is left of each line.
- `remaining` is in the package's unit: visits ("3"), minutes ("90", "1h30"), money in the
  business's currency ("125.50", "$125.50"); more than 0 and at most what the package holds;
  empty for an unlimited package.
- `purchased` and `expires` are dates with a year: "2025-11-03" (also the start of an ISO time,
  as `frontdesk export balances` writes it), "11/3/2025" (month first), "3 Nov 2025". A blank
  expiry is worked out from the package's terms. The purchase cannot be after today, the expiry
  cannot be before the purchase nor already past (nothing left to use).
- `price_paid` is money, 0 or more (0: the package was given free, complimentary).

Every reason is a short phrase ("unknown package 'Gold Pack'"); a row is imported only when it
has none. A problem with a customer's details rejects every row of that customer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from frontdesk.domain.contacts import DEFAULT_REGION, contact_errors, kept_phone, phone_digits
from frontdesk.domain.money import Currency
from frontdesk.domain.parsing import parse_amount, parse_date, parse_minutes
from frontdesk.domain.periods import valid_until
from frontdesk.domain.terms import Contents, Terms, ValueType, describe_amount, opening_balances
from frontdesk.domain.valuation import HoldingValue, days_between

COLUMNS = ("name", "phone", "email", "notes", "package", "remaining", "purchased", "expires", "price_paid")
ALIASES = {  # other headings old systems use for the same column
    "customer": "name", "customer_name": "name", "client": "name", "client_name": "name", "full_name": "name",
    "telephone": "phone", "phone_number": "phone", "mobile": "phone",
    "e_mail": "email", "email_address": "email",
    "note": "notes",
    "package_title": "package",
    "balance": "remaining", "remaining_balance": "remaining", "left": "remaining",
    "purchase_date": "purchased", "purchased_on": "purchased", "bought": "purchased", "bought_on": "purchased",
    "expiry": "expires", "expiry_date": "expires", "expires_on": "expires", "valid_until": "expires",
    "paid": "price_paid", "amount_paid": "price_paid",
}
PACKAGE_COLUMNS = ("remaining", "purchased", "expires", "price_paid")


def column_key(heading: str) -> str:
    """A heading as a column name: "Price paid (USD)" → "price_paid", " E-mail " → "e_mail"."""
    text = re.sub(r"\(.*?\)", " ", heading.replace("\ufeff", "")).strip().lower()
    return re.sub(r"[^0-9a-z]+", "_", text).strip("_")


@dataclass(frozen=True, slots=True)
class Header:
    """Where each known column is (its index), and the headings left out."""

    columns: dict[str, int]
    ignored: tuple[str, ...] = ()


def read_header(cells: Sequence[str]) -> Header:
    """The columns of a header row; `ValueError` (a sentence) without a name column or with a
    column twice."""
    columns: dict[str, int] = {}
    ignored = []
    for index, heading in enumerate(cells):
        key = column_key(heading)
        key = ALIASES.get(key, key)
        if key in COLUMNS:
            if key in columns:
                raise ValueError(f"The column '{key}' is there twice (headings {columns[key] + 1} and {index + 1}).")
            columns[key] = index
        elif heading.strip():
            ignored.append(heading.strip())
    if "name" not in columns:
        raise ValueError(f"The first row names the columns and needs a 'name' column; the columns are "
                         f"{', '.join(COLUMNS)}.")
    return Header(columns, tuple(ignored))


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One row of the file as text, by column; `row` is its number as a spreadsheet shows it (the
    header is row 1)."""

    row: int
    name: str = ""
    phone: str = ""
    email: str = ""
    notes: str = ""
    package: str = ""
    remaining: str = ""
    purchased: str = ""
    expires: str = ""
    price_paid: str = ""


def source_rows(table: Sequence[Sequence[str]]) -> tuple[Header, list[SourceRow]]:
    """The header and the rows of a table read from a CSV file (header first). Blank rows are
    skipped (they keep their number); missing cells are blank, extra ones left out."""
    if not table:
        raise ValueError("The file is empty.")
    header = read_header(table[0])
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {key: cells[index].strip() if index < len(cells) else "" for key, index in header.columns.items()}
        rows.append(SourceRow(number, **values))
    return header, rows


@dataclass(frozen=True, slots=True)
class CataloguePackage:
    """A package of the catalogue, as the file names it."""

    id: int
    terms: Terms
    archived: bool = False


@dataclass(frozen=True, slots=True)
class KnownCustomer:
    """A customer already on file, to find duplicates of."""

    id: int
    name: str
    phone: str
    email: str


@dataclass(frozen=True, slots=True)
class Contact:
    """A customer's details from the file, trimmed."""

    name: str
    phone: str
    email: str
    notes: str

    @property
    def key(self) -> tuple[str, str]:
        """Who she is in the file: her name (any case or spacing) and her phone's digits."""
        return name_key(self.name), phone_digits(self.phone)


@dataclass(frozen=True, slots=True)
class HoldingRecord:
    """A package a customer still holds in the old system, as it will open here."""

    package_id: int
    terms: Terms
    initial: int  # the units it was sold with (the package's quantity; 0 for unlimited)
    remaining: int
    purchased_on: date
    valid_until: date | None  # the last valid day (given, or from the package's terms)
    price_paid: int
    worth: int  # what it is worth on the day of the import (DESIGN §8)

    @property
    def complimentary(self) -> bool:
        return self.price_paid == 0


@dataclass(frozen=True, slots=True)
class CheckedRow:
    """A row of the file: the customer (her details merged over all her rows) and the package it
    brings, or every reason it is rejected."""

    row: int
    contact: Contact
    holding: HoldingRecord | None
    reasons: tuple[str, ...] = ()
    first_row: int = 0  # the first row of the same customer (this row's own number for her first)

    @property
    def accepted(self) -> bool:
        return not self.reasons


def name_key(name: str) -> str:
    """A name or title as two are compared: any case, any spacing."""
    return " ".join(name.casefold().split())


def _phrase(sentence: str) -> str:
    """ "A phone number needs at least 5 digits." → "a phone number needs at least 5 digits"."""
    sentence = sentence.strip().rstrip(".")
    return sentence[:1].lower() + sentence[1:]


def find_package(title: str, packages: Sequence[CataloguePackage]) -> CataloguePackage | str:
    """The package a title names (any case or spacing), the active one first; else why not."""
    wanted = name_key(title)
    found = [package for package in packages if name_key(package.terms.title) == wanted]
    active = [package for package in found if not package.archived]
    if active:
        return active[0]
    if len(found) == 1:
        return found[0]
    if found:
        return f"several archived packages are called '{title}'"
    return f"unknown package '{title}'"


def read_file_date(text: str, today: date) -> date:
    """A date of the file: with its year ("2025-11-03", "11/3/2025", "3 Nov 2025"), or the start
    of an ISO time ("2025-11-03T12:00:00-05:00"); `ValueError` otherwise."""
    cleaned = text.strip()
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}[T ].*", cleaned):
        cleaned = re.split(r"[T ]", cleaned, maxsplit=1)[0]
    if not re.search(r"\d{4}|\d{1,2}\s*[/.]\s*\d{1,2}\s*[/.]\s*\d{2}", cleaned):
        raise ValueError("enter a date with its year, like 2025-11-03")
    try:
        return parse_date(cleaned, today)
    except ValueError as error:
        if "no such date" in str(error):
            raise ValueError("there is no such date") from None
        raise ValueError("enter a date with its year, like 2025-11-03") from None


def worth_on(today: date, *, terms: Terms, initial: int, remaining: int, purchased_on: date,
             last_day: date | None, price_paid: int) -> int:
    """What an imported holding is worth on `today`: what is left of what was paid (the price
    spread over the units it was sold with; an unlimited pass pro rata of its days left)."""
    unlimited = terms.contents is Contents.ANY and terms.value_type is ValueType.UNLIMITED
    value = HoldingValue(price=price_paid, lines=[initial], unlimited=unlimited,
                         validity_days=days_between(purchased_on, last_day) if unlimited and last_day else None)
    if unlimited:
        value.use_days((today - purchased_on).days)
    else:
        value.redeem(0, initial - remaining)
    return value.liability


def _remaining(text: str, terms: Terms, quantity: int, currency: Currency) -> tuple[int | None, list[str]]:
    """The balance left in the package's unit, or why it will not do."""
    unit, title = terms.unit, terms.title
    if unit == "uses":  # unlimited: nothing to count
        if text and text.casefold() != "unlimited":
            return None, [f"remaining '{text}': '{title}' is unlimited, leave remaining empty"]
        return 0, []
    if not text:
        return None, ["no remaining balance given"]
    try:
        if unit == "minutes":
            left = parse_minutes(text)
        elif unit == "money":
            left = parse_amount(text, currency, what="remaining balance")
        elif text.isdigit():
            left = int(text)
        else:
            raise ValueError("Enter whole visits, like 3.")
    except ValueError as error:
        return None, [f"remaining '{text}': {_phrase(str(error))}"]
    if left <= 0:
        return None, [f"remaining '{text}': balance out of range, must be more than 0 (a used-up package "
                      "is not imported)"]
    if left > quantity:
        return None, [f"remaining '{text}': balance out of range, '{title}' holds "
                      f"{describe_amount(terms, quantity, currency)}"]
    return left, []


def check_holding(row: SourceRow, packages: Sequence[CataloguePackage], currency: Currency,
                  today: date) -> tuple[HoldingRecord | None, list[str]]:
    """The package a row brings (None for a customer only), or every reason it will not do."""
    if not row.package:
        given = [column for column in PACKAGE_COLUMNS if getattr(row, column)]
        if given:
            return None, [f"no package named, yet {', '.join(given)} given"]
        return None, []
    reasons: list[str] = []
    found = find_package(row.package, packages)
    package = found if isinstance(found, CataloguePackage) else None
    if package is None:
        reasons.append(str(found))
    elif package.terms.contents is Contents.FIXED and len(package.terms.fixed_lines) > 1:
        reasons.append(f"'{package.terms.title}' is a bundle of several services: one remaining balance "
                       "cannot say what is left of each, add it by hand")
        package = None

    left = quantity = None
    if package is not None:
        quantity = opening_balances(package.terms)[0][1]
        left, problems = _remaining(row.remaining, package.terms, quantity, currency)
        reasons += problems

    purchased = expires = None
    if not row.purchased:
        reasons.append("no purchase date given")
    else:
        try:
            purchased = read_file_date(row.purchased, today)
        except ValueError as error:
            reasons.append(f"purchase date '{row.purchased}': {error}")
        else:
            if purchased > today:
                reasons.append(f"purchase date {purchased.isoformat()} is after today")
    if row.expires:
        try:
            expires = read_file_date(row.expires, today)
        except ValueError as error:
            reasons.append(f"expiry '{row.expires}': {error}")
    last_day = expires
    if last_day is None and purchased is not None and package is not None and not row.expires:
        last_day = valid_until(purchased, package.terms.expires_in)
    if purchased is not None and expires is not None and expires < purchased:
        reasons.append(f"expiry {expires.isoformat()} is before the purchase {purchased.isoformat()}")
    elif last_day is not None and last_day < today:
        worked_out = "" if expires is not None else " (worked out from the package's terms)"
        reasons.append(f"expired on {last_day.isoformat()}{worked_out}: nothing left to use")

    price = None
    if not row.price_paid:
        reasons.append("no price paid given (0 for a package given free)")
    else:
        try:
            price = parse_amount(row.price_paid, currency, what="price paid")
        except ValueError as error:
            reasons.append(f"price paid '{row.price_paid}': {_phrase(str(error))}")

    if reasons or package is None or left is None or quantity is None or purchased is None or price is None:
        return None, reasons
    worth = worth_on(today, terms=package.terms, initial=quantity, remaining=left, purchased_on=purchased,
                     last_day=last_day, price_paid=price)
    return HoldingRecord(package.id, package.terms, quantity, left, purchased, last_day, price, worth), []


def contact_reasons(row: SourceRow, region: str = DEFAULT_REGION) -> list[str]:
    """Why a row's customer details will not do: "bad phone '12': a phone number needs at least 5 digits"."""
    words = {"name": "name", "phone": "phone", "email": "email", "note": "notes"}
    values = {"name": row.name, "phone": row.phone, "email": row.email, "note": row.notes}
    reasons = []
    for detail, message in contact_errors(row.name, row.phone, row.email, row.notes, region=region).items():
        if detail == "name" and not row.name.strip():
            reasons.append("no name given")
        else:
            shown = values[detail] if len(values[detail]) <= 40 else values[detail][:37] + "…"
            reasons.append(f"bad {words[detail]} '{shown}': {_phrase(message)}")
    return reasons


@dataclass
class _Customer:
    """The rows of one customer of the file, what she is, and what is wrong with her."""

    first_row: int
    contact: Contact
    rows: list[int] = field(default_factory=list)
    reasons: list[tuple[int, str]] = field(default_factory=list)  # (the row it is about, reason)


class _OnFile:
    """The customers on file, found by phone digits and by name and email."""

    def __init__(self, known: Sequence[KnownCustomer]) -> None:
        self.by_phone: dict[str, KnownCustomer] = {}
        self.by_name_email: dict[tuple[str, str], KnownCustomer] = {}
        for customer in known:
            if digits := phone_digits(customer.phone):
                self.by_phone.setdefault(digits, customer)
            if customer.email:
                self.by_name_email.setdefault((name_key(customer.name), customer.email.casefold()), customer)

    def duplicate_of(self, contact: Contact) -> str | None:
        digits = phone_digits(contact.phone)
        if digits and (customer := self.by_phone.get(digits)) is not None:
            return f"duplicate of customer {customer.id} {customer.name}: same phone"
        same = self.by_name_email.get((name_key(contact.name), contact.email.casefold())) if contact.email else None
        if same is not None:
            return f"duplicate of customer {same.id} {same.name}: same name and email"
        return None


def check_rows(rows: Sequence[SourceRow], *, packages: Sequence[CataloguePackage], known: Sequence[KnownCustomer],
               currency: Currency, today: date, region: str = DEFAULT_REGION) -> list[CheckedRow]:
    """Every row, accepted or with every reason it is rejected: its customer's details (a problem
    on any of her rows rejects them all), a duplicate of a customer on file (`known`: same phone
    number, or same name and email) or of another customer of the file, and its package. A phone
    number is read (and kept) in its one form, one without a country code as `region`'s, so
    "555.201.1234" and "(555) 201-1234" are one number."""
    on_file = _OnFile(known)
    customers: dict[tuple[str, str], _Customer] = {}
    by_phone: dict[str, _Customer] = {}
    by_name_email: dict[tuple[str, str], _Customer] = {}
    holdings: dict[int, tuple[HoldingRecord | None, list[str]]] = {}
    for row in rows:
        contact = Contact(row.name.strip(), kept_phone(row.phone, region), row.email.strip(), row.notes.strip())
        customer = customers.get(contact.key)
        if customer is None:
            customer = customers[contact.key] = _Customer(row.row, contact)
            if (other := by_phone.get(contact.key[1])) is not None and contact.key[1]:
                customer.reasons.append((row.row, f"same phone as row {other.first_row} ({other.contact.name}), "
                                                  "a different customer of the file"))
            by_phone.setdefault(contact.key[1], customer)
            name_email = (contact.key[0], contact.email.casefold())
            if contact.email and (other := by_name_email.get(name_email)) is not None:
                customer.reasons.append((row.row, f"same name and email as row {other.first_row}, "
                                                  "a different phone"))
            if contact.email:
                by_name_email.setdefault(name_email, customer)
            if (duplicate := on_file.duplicate_of(contact)) is not None:
                customer.reasons.append((row.row, duplicate))
        else:  # another package of hers: her details are those of her first rows, blanks filled in
            merged = customer.contact
            for detail, words in (("email", "email"), ("notes", "notes")):
                mine, theirs = getattr(contact, detail), getattr(merged, detail)
                if mine and theirs and mine.casefold() != theirs.casefold():
                    customer.reasons.append((row.row, f"a different {words} than row {customer.first_row} for "
                                                      "the same customer"))
                elif mine and not theirs:
                    merged = replace(merged, **{detail: mine})
            if merged.email and not customer.contact.email:
                name_email = (merged.key[0], merged.email.casefold())
                if (other := by_name_email.get(name_email)) not in (None, customer):
                    customer.reasons.append((row.row, f"same name and email as row {other.first_row}, "
                                                      "a different phone"))
                by_name_email.setdefault(name_email, customer)
                if (duplicate := on_file.duplicate_of(merged)) is not None:
                    customer.reasons.append((row.row, duplicate))
            customer.contact = merged
        customer.rows.append(row.row)
        customer.reasons += [(row.row, reason) for reason in contact_reasons(row, region)]
        holdings[row.row] = check_holding(row, packages, currency, today)

    checked = {}
    for customer in customers.values():
        for number in customer.rows:
            holding, reasons = holdings[number]
            theirs = [reason if about == number else f"{reason} (row {about})" for about, reason in customer.reasons]
            unique = list(dict.fromkeys(theirs + reasons))
            checked[number] = CheckedRow(number, customer.contact, None if unique else holding, tuple(unique),
                                         customer.first_row)
    return [checked[row.row] for row in rows]
