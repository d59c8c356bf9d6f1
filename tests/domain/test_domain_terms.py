"""Terms: JSON round trip, validation messages and the one-line summary."""

import json
from dataclasses import replace
from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.money import currency_for
from frontdesk.domain.terms import (
    CatalogueFacts,
    Contents,
    FixedLine,
    Period,
    PeriodUnit,
    Terms,
    ValueType,
    summary,
    terms_from_json,
    validate_terms,
)

USD = currency_for("USD")
SWEDISH, THAI, SAUNA = 1, 2, 3
MONDAY, WEDNESDAY, FRIDAY = 0, 2, 4


def visits(n=5, **changes) -> Terms:
    base = Terms(
        "Massage Pack", quantity=n, all_services=False, service_ids=(SWEDISH,), service_names=("Swedish Massage",)
    )
    return replace(base, **changes)


FIXED = Terms(
    "Swedish then Thai",
    contents=Contents.FIXED,
    value_type=None,
    fixed_lines=(FixedLine(SWEDISH, "Swedish Massage", 1), FixedLine(THAI, "Thai Massage", 2)),
    price=30000,
)


# --- round trip ------------------------------------------------------------------------------

times = st.times().map(lambda t: t.replace(microsecond=0))
terms_strategy = st.builds(
    Terms,
    title=st.text(max_size=20),
    contents=st.sampled_from(Contents),
    value_type=st.none() | st.sampled_from(ValueType),
    quantity=st.none() | st.integers(-5, 10**9),
    all_services=st.booleans(),
    service_ids=st.lists(st.integers(1, 99), max_size=4).map(tuple),
    service_names=st.lists(st.text(max_size=8), max_size=4).map(tuple),
    fixed_lines=st.lists(st.builds(FixedLine, st.integers(1, 99), st.text(max_size=8), st.integers(0, 9)), max_size=3).map(tuple),
    price=st.integers(-10, 10**9),
    for_sale=st.booleans(),
    provider_id=st.none() | st.integers(1, 99),
    provider_name=st.none() | st.text(max_size=8),
    expires_in=st.none() | st.builds(Period, st.integers(0, 24), st.sampled_from(PeriodUnit)),
    weekdays=st.none() | st.frozensets(st.integers(0, 6)),
    window=st.none() | st.tuples(times, times),
    date_range=st.none() | st.tuples(st.dates(), st.dates()),
    fixed_dates=st.none() | st.lists(st.dates(), max_size=4).map(tuple),
)


@given(terms_strategy)
def test_to_dict_is_json_safe_and_round_trips(terms):
    data = json.loads(json.dumps(terms.to_dict()))
    assert Terms.from_dict(data) == terms


@given(terms_strategy)
def test_terms_stored_as_text_read_back_the_same_and_once(terms):
    stored = json.dumps(terms.to_dict())
    assert terms_from_json(stored) == terms
    assert terms_from_json(stored) is terms_from_json(stored)  # one text, one (frozen) Terms


def test_to_dict_shape():
    terms = visits(weekdays=frozenset({WEDNESDAY, MONDAY}), window=(time(10), time(13)),
                   expires_in=Period(2, PeriodUnit.MONTHS), date_range=(date(2027, 3, 1), date(2027, 3, 31)))
    data = terms.to_dict()
    assert data["weekdays"] == [0, 2]
    assert data["window"] == ["10:00:00", "13:00:00"]
    assert data["expires_in"] == {"count": 2, "unit": "months"}
    assert data["date_range"] == ["2027-03-01", "2027-03-31"]
    assert data["fixed_dates"] is None and data["provider_id"] is None
    assert data["contents"] == "any" and data["value_type"] == "visits"
    assert FIXED.to_dict()["value_type"] is None
    assert FIXED.to_dict()["fixed_lines"][1] == {"service_id": THAI, "service_name": "Thai Massage", "quantity": 2}


def test_from_dict_fills_missing_keys_with_defaults():
    assert Terms.from_dict({"title": "Old"}) == Terms("Old")


# --- validation ------------------------------------------------------------------------------


def errors(terms, facts=CatalogueFacts()) -> dict[str, str]:
    return validate_terms(terms, facts).messages


def test_valid_terms_have_no_errors():
    assert not validate_terms(visits())
    assert not validate_terms(FIXED)
    assert errors(visits(expires_in=Period(2, PeriodUnit.MONTHS), weekdays=frozenset({0}),
                         window=(time(10), time(13)), provider_id=7, provider_name="Anna")) == {}


@pytest.mark.parametrize(
    ("terms", "field", "message"),
    [
        (visits(title="  "), "title", "Enter a title."),
        (visits(n=None), "quantity", "At least 1 visit."),
        (visits(n=0), "quantity", "At least 1 visit."),
        (visits(n=0, value_type=ValueType.MINUTES), "quantity", "At least 1 minute."),
        (visits(n=0, value_type=ValueType.AMOUNT), "quantity", "The amount must be more than 0."),
        (visits(n=None, value_type=ValueType.AMOUNT), "quantity", "The amount must be more than 0."),
        (visits(value_type=None), "value_type", "Choose a value type."),
        (visits(service_ids=(), service_names=()), "services", "Choose at least one service."),
        (replace(FIXED, fixed_lines=()), "fixed_lines", "Add at least one service line."),
        (replace(FIXED, fixed_lines=(FixedLine(SWEDISH, "Swedish Massage", 0),)), "fixed_lines",
         "Each line needs a quantity of at least 1."),
        (visits(price=-1), "price", "The price cannot be negative."),
        (visits(value_type=ValueType.UNLIMITED, n=None), "expires_in", "An unlimited package needs an expiry or dates."),
        (visits(expires_in=Period(0, PeriodUnit.DAYS)), "expires_in", "Expiry must be at least 1 day."),
        (visits(expires_in=Period(0, PeriodUnit.WEEKS)), "expires_in", "Expiry must be at least 1 week."),
        (visits(expires_in=Period(-1, PeriodUnit.MONTHS)), "expires_in", "Expiry must be at least 1 month."),
        (visits(window=(time(13), time(10))), "window", "The end time must be after the start time."),
        (visits(window=(time(10), time(10))), "window", "The end time must be after the start time."),
        (visits(date_range=(date(2027, 3, 31), date(2027, 3, 1))), "date_range", "The end date is before the start date."),
        (visits(date_range=(date(2027, 3, 1), date(2027, 3, 31)), fixed_dates=(date(2027, 3, 5),)), "fixed_dates",
         "Choose a date range or fixed dates, not both."),
        (visits(fixed_dates=()), "fixed_dates", "Pick at least one date."),
        (visits(fixed_dates=(date(2027, 3, 5), date(2027, 3, 12), date(2027, 3, 5))), "fixed_dates",
         "5 Mar 2027 is listed twice."),
        (visits(weekdays=frozenset()), "weekdays", "Pick at least one weekday."),
        (visits(weekdays=frozenset({0, 7})), "weekdays", "Weekdays go from Monday (0) to Sunday (6)."),
    ],
)
def test_each_validation_message(terms, field, message):
    assert errors(terms) == {field: message}


def test_duplicate_title_is_case_insensitive_and_trimmed():
    facts = CatalogueFacts(other_active_titles=frozenset({" massage PACK "}))
    assert errors(visits(title="Massage Pack  "), facts) == {
        "title": "Another active package is already called 'Massage Pack'."
    }
    assert errors(visits(title="Massage Pack 2"), facts) == {}


def test_archived_and_unknown_services():
    set_terms = visits(service_ids=(SWEDISH, THAI), service_names=("Swedish Massage", "Thai Massage"))
    assert errors(set_terms, CatalogueFacts(archived_service_ids=frozenset({THAI}))) == {
        "services": "Thai Massage is archived."
    }
    assert errors(set_terms, CatalogueFacts(archived_service_ids=frozenset({SWEDISH, THAI}))) == {
        "services": "Swedish Massage and Thai Massage are archived."
    }
    assert errors(FIXED, CatalogueFacts(archived_service_ids=frozenset({THAI}))) == {
        "services": "Thai Massage is archived."
    }
    assert errors(set_terms, CatalogueFacts(known_service_ids=frozenset({SWEDISH}))) == {"services": "Unknown service."}
    assert errors(FIXED, CatalogueFacts(known_service_ids=frozenset({SWEDISH, THAI}))) == {}
    # "all services" names no service, so nothing can be archived or unknown
    assert errors(visits(all_services=True), CatalogueFacts(archived_service_ids=frozenset({SWEDISH}),
                                                              known_service_ids=frozenset())) == {}


def test_archived_provider():
    terms = visits(provider_id=7, provider_name="Anna")
    assert errors(terms, CatalogueFacts(archived_provider_ids=frozenset({7}))) == {"provider": "Anna is archived."}
    assert errors(terms, CatalogueFacts(archived_provider_ids=frozenset({8}))) == {}


def test_unlimited_is_fine_with_an_expiry_or_dates_but_not_weekdays_alone():
    unlimited = visits(value_type=ValueType.UNLIMITED, n=None)
    assert errors(replace(unlimited, expires_in=Period(1, PeriodUnit.WEEKS))) == {}
    assert errors(replace(unlimited, date_range=(date(2027, 3, 1), date(2027, 3, 31)))) == {}
    assert errors(replace(unlimited, fixed_dates=(date(2027, 3, 5),))) == {}
    assert "expires_in" in errors(replace(unlimited, weekdays=frozenset({MONDAY})))


def test_fixed_ignores_value_type_and_quantity():
    assert errors(replace(FIXED, value_type=ValueType.VISITS, quantity=0)) == {}


def test_every_failing_field_is_reported_at_once():
    bad = visits(title="", n=0, price=-5, window=(time(13), time(10)), weekdays=frozenset(), service_ids=(),
                 service_names=(), fixed_dates=())
    assert set(errors(bad)) == {"title", "quantity", "price", "window", "weekdays", "services", "fixed_dates"}


# --- summary ---------------------------------------------------------------------------------


def test_summary_design_example_then_price_at_the_end():
    terms = visits(weekdays=frozenset({MONDAY}), window=(time(10), time(13)),
                   expires_in=Period(2, PeriodUnit.MONTHS), price=25000)
    text = summary(terms, USD)
    assert text.startswith("5 visits · Swedish Massage · Mondays 10:00–13:00 · expires 2 months after purchase")
    assert text == "5 visits · Swedish Massage · Mondays 10:00–13:00 · expires 2 months after purchase · $250.00"


@pytest.mark.parametrize(
    ("terms", "text"),
    [
        (visits(title="Five Basic Lessons", service_names=("Basic Lesson",), price=25000),
         "5 visits · Basic Lesson · $250.00"),
        (visits(n=1, price=0), "1 visit · Swedish Massage · free"),
        (visits(value_type=ValueType.MINUTES, n=240, price=30000), "4 h · Swedish Massage · $300.00"),
        (visits(value_type=ValueType.MINUTES, n=150, price=20000), "2 h 30 min · Swedish Massage · $200.00"),
        (visits(value_type=ValueType.MINUTES, n=45, for_sale=False), "45 min · Swedish Massage · not for sale"),
        (visits(value_type=ValueType.AMOUNT, n=20000, all_services=True, expires_in=Period(1, PeriodUnit.MONTHS),
                price=18000),
         "$200.00 of credit · all services · expires 1 month after purchase · $180.00"),
        (visits(value_type=ValueType.UNLIMITED, n=None, service_names=("Sauna",), service_ids=(SAUNA,),
                expires_in=Period(1, PeriodUnit.WEEKS), price=5000),
         "unlimited · Sauna · expires 1 week after purchase · $50.00"),
        (FIXED, "1 × Swedish Massage, then 2 × Thai Massage · $300.00"),
        (visits(n=10, service_ids=(SWEDISH, THAI), service_names=("Swedish Massage", "Thai Massage"),
                expires_in=Period(2, PeriodUnit.MONTHS), price=70000),
         "10 visits · Swedish Massage, Thai Massage · expires 2 months after purchase · $700.00"),
        (visits(provider_id=7, provider_name="Anna", price=1000), "5 visits · Swedish Massage · with Anna only · $10.00"),
        (visits(weekdays=frozenset({MONDAY, WEDNESDAY}), price=100), "5 visits · Swedish Massage · Mondays and Wednesdays · $1.00"),
        (visits(weekdays=frozenset({FRIDAY, MONDAY, WEDNESDAY}), price=100), "5 visits · Swedish Massage · Mon, Wed, Fri · $1.00"),
        (visits(window=(time(10), time(13)), price=100), "5 visits · Swedish Massage · 10:00–13:00 · $1.00"),
        (visits(date_range=(date(2027, 3, 1), date(2027, 3, 31)), price=100), "5 visits · Swedish Massage · 1–31 Mar 2027 · $1.00"),
        (visits(date_range=(date(2027, 2, 27), date(2027, 3, 3)), price=100), "5 visits · Swedish Massage · 27 Feb–3 Mar 2027 · $1.00"),
        (visits(fixed_dates=(date(2027, 3, 12), date(2027, 3, 5)), price=100), "5 visits · Swedish Massage · on 5 Mar, 12 Mar 2027 · $1.00"),
        (visits(fixed_dates=(date(2027, 1, 5), date(2026, 12, 30)), price=100),
         "5 visits · Swedish Massage · on 30 Dec 2026, 5 Jan 2027 · $1.00"),
        (visits(expires_in=Period(1, PeriodUnit.DAYS), price=100), "5 visits · Swedish Massage · expires 1 day after purchase · $1.00"),
    ],
)
def test_summary(terms, text):
    assert summary(terms, USD) == text
