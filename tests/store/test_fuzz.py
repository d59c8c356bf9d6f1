"""Fuzzing what staff type: every use case that takes typed input, and the parsers and validators
behind the forms, fed empty, huge, negative, ≥ 2^63, unicode, NUL and control characters,
SQL-looking text, far dates and naive datetimes.

Each use-case call runs on SQLite and on PostgreSQL side by side (the `desks` fixture holds one
spa on each), the same input on both. Each call either saves what was typed or raises a
FrontDeskError (InvalidInput naming its fields) and writes nothing (every table's row count is
unchanged); never another exception; and both databases give the same answer: saved on both, or
refused on both for the same fields. What must be refused (a NUL in a name, an amount beyond the
bound, a date in year 1) is said here from the bounds the desk promises, not read from the code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
import itertools
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from frontdesk.db import create_db_engine
from frontdesk.domain import bounds
from frontdesk.domain.contacts import contact_errors, read_phone
from frontdesk.domain.kinds import Role, Tender
from frontdesk.domain.lifecycle import parse_days
from frontdesk.domain.money import MAX_MINOR, currency_for, parse_money
from frontdesk.domain.parsing import (
    parse_amount,
    parse_clock,
    parse_count,
    parse_dates,
    parse_day,
    parse_delta,
    parse_minutes,
)
from frontdesk.domain.terms import Contents, FixedLine, Period, PeriodUnit, Terms, ValueType, validate_terms
from frontdesk.services import appointments, catalogue, checkout, customers, ledger, lifecycle, sales, staff
from frontdesk.services.desk import Desk
from frontdesk.services.errors import FrontDeskError, InvalidInput
from frontdesk.services.sales import TenderLine
from tests.conftest import NOW, fresh_database_url, new_business
from tests.store.conftest import Spa
from tests.store.test_roles import counts

pytestmark = pytest.mark.slow

NY = ZoneInfo("America/New_York")
USD = currency_for("USD")
FUZZ = settings(max_examples=40, deadline=None, derandomize=False,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])
FUZZ_MORE = settings(FUZZ, max_examples=60)  # the pure parsers are cheap

# ---- what is typed ------------------------------------------------------------------------------

ODD_TEXT = [
    "", " ", "  \t ", "\x00", "Anna\x00", "a\x1bb", "line\nbreak", "tab\there", "\r\n", "\u2028", "\u200b",
    "'; DROP TABLE customer; --", "Robert'); DELETE FROM ledger_entry;--", "%", "_", "\\", "' OR '1'='1",
    "Zoë Ångström", "İstanbul", "ß", "STRASSE", "😀" * 3, "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "x" * 64, "x" * 65, "x" * 120, "x" * 121,
    "x" * 200, "x" * 201, "x" * 500, "x" * 501, "İ" * 200, "n" * 1000, "n" * 1001, "x" * 1_000_000,
]
text = st.one_of(st.sampled_from(ODD_TEXT), st.text(max_size=40),
                 st.text(alphabet=st.characters(max_codepoint=0x7f), max_size=20),
                 st.builds(lambda n, c: c * n, st.integers(0, 1500), st.sampled_from("xé😀")))
BIG = [2**31 - 1, 2**31, 2**53 + 1, 2**63 - 1, 2**63, 2**64, 10**11, 10**11 + 1, 10**15, 10**30]
integer = st.one_of(st.integers(-5, 200), st.integers(-10**6, 10**6), st.sampled_from(BIG + [-b for b in BIG]),
                    st.integers())
zones = st.sampled_from([timezone.utc, NY, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12))])
moment = st.one_of(
    st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=zones),
    st.datetimes(timezones=zones),  # year 1 to 9999
    st.datetimes(),  # naive
    st.sampled_from([datetime(1, 1, 1, tzinfo=timezone.utc), datetime(9999, 12, 31, 23, 59, tzinfo=timezone.utc),
                     datetime(1999, 12, 31, 23, 0, tzinfo=timezone.utc), datetime(2101, 1, 1, tzinfo=NY)]),
)
day = st.one_of(st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)), st.dates(),
                st.sampled_from([date.min, date.max, date(2000, 1, 1), date(2100, 12, 31), date(2101, 1, 1)]))
reason = st.one_of(st.just("miscounted"), text)


def no_text_trouble(value: str, most: int, *, lines: bool = False) -> bool:
    """The test's own reading of what a text field of `most` characters may hold."""
    value = value.strip()
    allowed = {"\n", "\t"} if lines else set()
    return len(value) <= most and not any(
        (ord(char) < 32 or 0x7f <= ord(char) <= 0x9f or char in "\u2028\u2029") and char not in allowed
        for char in value)


# ---- one spa on each database, side by side -----------------------------------------------------

@pytest.fixture
def desks(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Spa]]:
    """The same spa on SQLite and on PostgreSQL, for one test."""
    urls = {backend: fresh_database_url(backend, request, tmp_path / backend) for backend in ("sqlite", "postgresql")}
    engines: dict[str, Engine] = {}
    try:
        for backend, url in urls.items():
            (tmp_path / backend).mkdir()
            engines[backend] = create_db_engine(next(url))
        yield {backend: Spa(Desk(engine, new_business(), clock=lambda: NOW)) for backend, engine in engines.items()}
    finally:
        for engine in engines.values():
            engine.dispose()
        for url in urls.values():
            next(url, None)


@dataclass(frozen=True)
class Outcome:
    saved: bool
    refused: tuple[str, ...] = ()  # InvalidInput's fields, or the kind of error


def attempt(spa: Spa, call: Callable[[Spa], Any]) -> tuple[Outcome, Any]:
    """Run `call` on one spa: what it returned, or that it was refused and wrote nothing."""
    before = counts(spa)
    try:
        result = call(spa)
    except InvalidInput as error:
        assert error.fields and all(isinstance(m, str) and m.strip() for m in error.fields.values()), error.fields
        assert counts(spa) == before, "a refusal wrote something"
        return Outcome(False, tuple(sorted(error.fields))), None
    except FrontDeskError as error:
        assert str(error).strip()
        assert counts(spa) == before, "a refusal wrote something"
        return Outcome(False, (type(error).__name__,)), None
    return Outcome(True), result


def on_both(desks: dict[str, Spa], call: Callable[[Spa], Any]) -> tuple[Outcome, dict[str, Any]]:
    """`call` on both databases: the same outcome, and each one's result."""
    outcomes, results = {}, {}
    for backend, spa in desks.items():
        outcomes[backend], results[backend] = attempt(spa, call)
    assert outcomes["sqlite"] == outcomes["postgresql"], outcomes
    return outcomes["sqlite"], results


def as_manager(spa: Spa) -> Desk:
    return spa.desk.by(spa.manager)


PACK = Terms(title="Five Visits", value_type=ValueType.VISITS, quantity=5, price=35000,
             expires_in=Period(3, PeriodUnit.MONTHS))


# ---- the catalogue --------------------------------------------------------------------------------

@FUZZ
@given(name=text, duration=integer, price=integer)
def test_add_service(desks: dict[str, Spa], name: str, duration: int, price: int) -> None:
    outcome, results = on_both(desks, lambda spa: as_manager(spa).write(
        catalogue.add_service, spa.business, name=name, duration_min=duration, price=price))
    if not no_text_trouble(name, 120) or not name.strip():
        assert "name" in outcome.refused
    if not 1 <= duration <= bounds.MAX_DURATION_MIN:
        assert "duration_min" in outcome.refused
    if not 0 <= price <= MAX_MINOR:
        assert "price" in outcome.refused
    if outcome.saved:
        for backend, spa in desks.items():
            saved = {(s.name, s.duration_min, s.price) for s in spa.desk.read(catalogue.list_services)}
            assert (name.strip(), duration, price) in saved, backend


@FUZZ
@given(name=text, duration=integer, price=integer)
def test_update_service(desks: dict[str, Spa], name: str, duration: int, price: int) -> None:
    outcome, _ = on_both(desks, lambda spa: as_manager(spa).write(
        catalogue.update_service, spa.business, service_id=spa.sauna, name=name, duration_min=duration, price=price))
    if not 0 <= price <= MAX_MINOR or not 1 <= duration <= bounds.MAX_DURATION_MIN:
        assert not outcome.saved
    if outcome.saved:
        for spa in desks.values():
            sauna = next(s for s in spa.desk.read(catalogue.list_services) if s.id == spa.sauna)
            assert (sauna.name, sauna.duration_min, sauna.price) == (name.strip(), duration, price)


@FUZZ
@given(name=text)
def test_add_provider(desks: dict[str, Spa], name: str) -> None:
    outcome, _ = on_both(desks, lambda spa: as_manager(spa).write(catalogue.add_provider, name=name))
    if not no_text_trouble(name, 120) or not name.strip():
        assert outcome.refused == ("name",)
    if outcome.saved:
        for spa in desks.values():
            assert name.strip() in {p.name for p in spa.desk.read(catalogue.list_providers)}


periods = st.one_of(st.none(), st.builds(Period, integer, st.sampled_from(list(PeriodUnit))))
terms = st.builds(
    Terms,
    title=text,
    contents=st.sampled_from(list(Contents)),
    value_type=st.sampled_from(list(ValueType)),
    quantity=st.one_of(st.none(), integer),
    all_services=st.booleans(),
    fixed_lines=st.lists(st.builds(FixedLine, st.just(0), st.just(""), integer), max_size=3).map(tuple),
    price=integer,
    for_sale=st.booleans(),
    expires_in=periods,
    date_range=st.one_of(st.none(), st.tuples(day, day)),
    fixed_dates=st.one_of(st.none(), st.lists(day, max_size=4).map(tuple)),
    cancel_notice_hours=st.one_of(st.none(), integer),
    starts_on_first_visit=st.booleans(),
)


@FUZZ
@given(typed=terms)
def test_save_package(desks: dict[str, Spa], typed: Terms) -> None:
    def save(spa: Spa) -> Any:
        lines = tuple(FixedLine(spa.swedish, "", line.quantity) for line in typed.fixed_lines)
        chosen = replace(typed, fixed_lines=lines, service_ids=() if typed.all_services else (spa.swedish,))
        return as_manager(spa).write(catalogue.save_package, spa.business, terms=chosen)

    outcome, results = on_both(desks, save)
    if not 0 <= typed.price <= MAX_MINOR:
        assert "price" in outcome.refused
    if typed.expires_in is not None and not 1 <= typed.expires_in.count <= bounds.MAX_EXPIRY[typed.expires_in.unit]:
        assert "expires_in" in outcome.refused
    if typed.date_range is not None and not all(bounds.FIRST_DAY <= d <= bounds.LAST_DAY for d in typed.date_range):
        assert "date_range" in outcome.refused
    if outcome.saved:
        for backend, spa in desks.items():
            package = results[backend]
            assert package.terms.title == typed.title.strip()
            assert package.terms.price == typed.price
            assert package.terms.expires_in == typed.expires_in
            # a package that saves can be sold: its expiry is on the calendar (10^9 days used to fail here)
            if package.terms.for_sale and typed.contents is Contents.ANY:
                holding = spa.sell(spa.customer(), package.id)
                assert holding


# ---- customers and staff ----------------------------------------------------------------------------

@FUZZ
@given(name=text, phone=st.one_of(st.just(""), st.just("201-555-0100"), text), email=st.one_of(
    st.just(""), st.just("maria@example.com"), text.map(lambda t: f"{t}@example.com"), text), note=text)
def test_create_and_update_customer(desks: dict[str, Spa], name: str, phone: str, email: str, note: str) -> None:
    outcome, results = on_both(desks, lambda spa: spa.desk.write(
        customers.create_customer, spa.desk.business, name=name, phone=phone, email=email, note=note,
        allow_duplicate=True))
    if "\x00" in name + phone + email or not no_text_trouble(note, 1000, lines=True):
        assert not outcome.saved
    if outcome.saved:
        for backend, spa in desks.items():
            found = spa.desk.read(customers.get_customer, results[backend].id)
            kept = read_phone(phone, spa.business.phone_region).shown if phone.strip() else ""
            assert (found.name, found.phone, found.email, found.note) == (
                name.strip(), kept, email.strip(), note.strip())
    # the same details over an existing customer
    ada = {backend: spa.customer("Ada Lovelace") for backend, spa in desks.items()}
    again, _ = on_both(desks, lambda spa: spa.desk.write(
        customers.update_customer, spa.desk.business, customer_id=ada[backend_of(desks, spa)], name=name, phone=phone,
        email=email, note=note, allow_duplicate=True))
    assert again == outcome  # the same details, the same answer


@FUZZ
@given(name=text)
def test_add_staff_member(desks: dict[str, Spa], name: str) -> None:
    outcome, _ = on_both(desks, lambda spa: as_manager(spa).write(
        staff.add_staff_member, name=name, role=Role.RECEPTION, pin=None))
    if "\x00" in name or len(" ".join(name.split())) > 120:
        assert outcome.refused == ("name",)


# ---- booking ---------------------------------------------------------------------------------------

@FUZZ
@given(starts_at=moment, duration=st.one_of(st.none(), integer), price=st.one_of(st.none(), integer), note=text)
def test_book(desks: dict[str, Spa], starts_at: datetime, duration: int | None, price: int | None,
              note: str) -> None:
    who = {backend: spa.customer() for backend, spa in desks.items()}
    outcome, results = on_both(desks, lambda spa: spa.desk.write(
        appointments.book, spa.business, customer_id=who[backend_of(desks, spa)], service_id=spa.swedish,
        starts_at=starts_at,
        duration_min=duration, price=price, note=note))
    if starts_at.tzinfo is None or not 2000 <= starts_at.year <= 2100:
        assert "starts_at" in outcome.refused
    if outcome.saved:
        for backend, spa in desks.items():
            booked = results[backend].appointment
            assert booked.starts_at == starts_at
            assert booked.price == (8000 if price is None else price)
            # what books can be paid: no "date value out of range" at checkout
            paid = spa.desk.write(checkout.checkout, spa.business, key=f"pay-{booked.id}",
                                  appointment_id=booked.id, tenders=[TenderLine(Tender.CASH, booked.price)]
                                  if booked.price else [])
            assert paid.appointment_id == booked.id


# ---- paying ----------------------------------------------------------------------------------------

amounts = st.lists(st.tuples(st.sampled_from([Tender.CASH, Tender.CARD, Tender.OTHER, Tender.PACKAGE]),
                             st.one_of(st.just(8000), st.just(4000), integer)), max_size=3)


@FUZZ
@given(key=st.one_of(st.uuids().map(str), text), tenders=amounts)
def test_checkout_with_tenders(desks: dict[str, Spa], key: str, tenders: list[tuple[Tender, int]]) -> None:
    lines = [TenderLine(tender, amount) for tender, amount in tenders]
    booked = {backend: spa.book(spa.customer(), spa.swedish, spa.at(1, 11)) for backend, spa in desks.items()}
    outcome, results = on_both(desks, lambda spa: spa.desk.write(
        checkout.checkout, spa.business, key=key, appointment_id=booked[backend_of(desks, spa)], tenders=lines))
    if any(not 0 < line.amount <= MAX_MINOR for line in lines) or not 0 < len(key) <= 64 or "\x00" in key:
        assert not outcome.saved
    if outcome.saved:
        assert sum(line.amount for line in lines) == 8000  # the massage's price, exactly
        for result in results.values():
            assert sum(p.amount for p in result.payments) == 8000


@FUZZ
@given(tenders=amounts)
def test_sell_with_tenders(desks: dict[str, Spa], tenders: list[tuple[Tender, int]]) -> None:
    lines = [TenderLine(tender, amount) for tender, amount in tenders]
    who = {backend: (spa.customer(), pack_of(spa)) for backend, spa in desks.items()}
    outcome, _ = on_both(desks, lambda spa: spa.desk.write(
        sales.sell, spa.business, customer_id=who[backend_of(desks, spa)][0], package_id=who[backend_of(desks, spa)][1],
        tenders=lines))
    assert outcome.saved == (sum(line.amount for line in lines) == PACK.price
                             and all(line.tender != Tender.PACKAGE and 0 < line.amount for line in lines))


def pack_of(spa: Spa) -> int:
    """The spa's Five Visits package, saved the first time it is asked for."""
    found = [p.id for p in spa.desk.read(catalogue.list_packages, spa.business) if p.terms.title == PACK.title]
    return found[0] if found else spa.package(PACK)


# ---- a holding's balance and expiry ---------------------------------------------------------------

_titles = itertools.count()
UNITS = {  # a package in each unit a balance is counted in, and its bound
    "visits": (Terms(title="Visits", value_type=ValueType.VISITS, quantity=5, price=100,
                     expires_in=Period(1, PeriodUnit.MONTHS)), bounds.MAX_VISITS),
    "minutes": (Terms(title="Minutes", value_type=ValueType.MINUTES, quantity=300, price=100,
                      expires_in=Period(1, PeriodUnit.MONTHS)), bounds.MAX_MINUTES),
    "money": (Terms(title="Credit", value_type=ValueType.AMOUNT, quantity=30000, price=100,
                    expires_in=Period(1, PeriodUnit.MONTHS)), MAX_MINOR),
}


@FUZZ
@given(unit=st.sampled_from(sorted(UNITS)), delta=integer, why=reason)
def test_adjust(desks: dict[str, Spa], unit: str, delta: int, why: str) -> None:
    package, most = UNITS[unit]
    title = f"{unit} {next(_titles)}"
    holdings = {backend: spa.sell(spa.customer(), spa.package(package, title=title)) for backend, spa in desks.items()}
    outcome, results = on_both(desks, lambda spa: as_manager(spa).write(
        ledger.adjust, spa.business, holding_id=holdings[backend_of(desks, spa)], delta=delta, reason=why))
    if (abs(delta) > most or package.quantity + delta > most) and why.strip() and no_text_trouble(why, 500, lines=True):
        assert "delta" in outcome.refused  # e.g. +9223372036854775807
    if outcome.saved:
        for backend, spa in desks.items():
            assert results[backend].lines[0].remaining == package.quantity + delta
            assert not spa.desk.read(ledger.check)


@FUZZ
@given(days=integer, first=day, last=day, why=reason)
def test_extend_and_freeze(desks: dict[str, Spa], days: int, first: date, last: date, why: str) -> None:
    holdings = {backend: spa.sell(spa.customer(), pack_of(spa)) for backend, spa in desks.items()}
    outcome, _ = on_both(desks, lambda spa: as_manager(spa).write(
        lifecycle.extend, spa.business, holding_id=holdings[backend_of(desks, spa)], days=days, reason=why))
    if not 1 <= days <= 3650:
        assert not outcome.saved
    outcome, _ = on_both(desks, lambda spa: as_manager(spa).write(
        lifecycle.freeze, spa.business, holding_id=holdings[backend_of(desks, spa)], first_day=first,
        last_day=last, reason=why))
    if not bounds.FIRST_DAY <= first <= bounds.LAST_DAY:
        assert not outcome.saved


def backend_of(desks: dict[str, Spa], spa: Spa) -> str:
    return next(backend for backend, one in desks.items() if one is spa)


# ---- the parsers and validators behind the forms ------------------------------------------------

def parsed(parse: Callable[[], Any]) -> Any:
    """A parser's value, or None when it said why not in a sentence (never another exception)."""
    try:
        return parse()
    except ValueError as error:
        message = str(error)
        starts = ("amount", "enter", "at most", "no ", "'")  # money's own lower-case messages; a quoted entry
        assert message.strip() and (message[0].isupper() or message.startswith(starts)), message
        assert "Exceeds the limit" not in message and "invalid literal" not in message, message
        return None


typed = st.one_of(text, st.from_regex(r"[+-]?\s*\$?[0-9,]{0,30}(\.[0-9]{0,4})?", fullmatch=True),
                  st.from_regex(r"[0-9]{1,3}\s*h\s*[0-9]{0,3}\s*m?", fullmatch=True),
                  st.sampled_from(["9" * 5000, "+" + "9" * 5000, "-" + "9" * 19, "9223372036854775807",
                                   "+9223372036854775807", "1,000,000,000.00", "1,000,000,000.01", "²", "١٢"]))


@FUZZ_MORE
@given(value=typed)
def test_parsers_answer_in_sentences_within_the_bounds(value: str) -> None:
    today = date(2026, 3, 2)
    for minor in (parsed(lambda: parse_money(value, USD)), parsed(lambda: parse_amount(value, USD))):
        assert minor is None or 0 <= minor <= MAX_MINOR
    for unit, most in (("visits", bounds.MAX_VISITS), ("minutes", bounds.MAX_MINUTES), ("money", MAX_MINOR)):
        delta = parsed(lambda: parse_delta(value, unit, USD))
        assert delta is None or abs(delta) <= most, (unit, delta)
    days = parsed(lambda: parse_days(value))
    assert days is None or 1 <= days <= 3650
    for parse in (lambda: parse_minutes(value), lambda: parse_count(value), lambda: parse_clock(value),
                  lambda: parse_day(value, today), lambda: parse_dates(value, today)):
        parsed(parse)


@FUZZ_MORE
@given(typed=terms, name=text, phone=text, email=text, note=text)
def test_validators_answer_per_field(typed: Terms, name: str, phone: str, email: str, note: str) -> None:
    messages = validate_terms(typed).messages
    assert all(isinstance(m, str) and m for m in messages.values())
    assert set(messages) <= {"title", "value_type", "quantity", "services", "fixed_lines", "price", "expires_in",
                             "window", "date_range", "fixed_dates", "weekdays", "provider", "cancel_notice_hours"}
    if not 0 <= typed.price <= MAX_MINOR:
        assert "price" in messages
    errors = contact_errors(name, phone, email, note)
    if "\x00" in name.strip() or len(name.strip()) > 200:
        assert "name" in errors
    if not no_text_trouble(note, 1000, lines=True):
        assert "note" in errors


# ---- the holes the fuzzing is there to keep shut ---------------------------------------------------

def test_the_holes_found_stay_shut(desks: dict[str, Spa]) -> None:
    """An adjust of +9223372036854775807, an expiry of 10^9 days, a booking in year 1 or 9999 and a
    1 MB checkout key are refused at their field on both databases; $21,474,836.48 and more (past
    a 32-bit column) saves on both."""
    holdings = {backend: spa.sell(spa.customer(), pack_of(spa)) for backend, spa in desks.items()}
    outcome, _ = on_both(desks, lambda spa: as_manager(spa).write(
        ledger.adjust, spa.business, holding_id=holdings[backend_of(desks, spa)], delta=2**63 - 1, reason="typo"))
    assert outcome.refused == ("delta",)
    outcome, _ = on_both(desks, lambda spa: spa.package(PACK, title="Forever",
                                                         expires_in=Period(10**9, PeriodUnit.DAYS)))
    assert outcome.refused == ("expires_in",)
    maria = {backend: spa.customer() for backend, spa in desks.items()}
    for year in (1, 9999):
        outcome, _ = on_both(desks, lambda spa: spa.book(maria[backend_of(desks, spa)], spa.swedish,
                                                         datetime(year, 6, 1, 10, tzinfo=NY)))
        assert outcome.refused == ("starts_at",)
    visit = {backend: spa.book(maria[backend], spa.swedish, spa.at(1, 11)) for backend, spa in desks.items()}
    outcome, _ = on_both(desks, lambda spa: spa.desk.write(
        checkout.checkout, spa.business, key="k" * 1_000_000, appointment_id=visit[backend_of(desks, spa)],
        tenders=[TenderLine(Tender.CASH, 8000)]))
    assert outcome.refused == ("key",)
    outcome, results = on_both(desks, lambda spa: as_manager(spa).write(
        catalogue.add_service, spa.business, name="Island Retreat", duration_min=600, price=MAX_MINOR))
    assert outcome.saved and {r.price for r in results.values()} == {MAX_MINOR}
    outcome, _ = on_both(desks, lambda spa: as_manager(spa).write(
        catalogue.add_service, spa.business, name="Island Retreat II", duration_min=600, price=MAX_MINOR + 1))
    assert outcome.refused == ("price",)
