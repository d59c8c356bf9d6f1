"""Customers at the counter: search ranked by the name and blind to accents, phones kept in one
form and matched across formats and country codes, and a manager's merge of two records of one
person. SQLite (FTS5 trigram) and PostgreSQL (pg_trgm)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from frontdesk.config import SettingsError, load_settings
from frontdesk.domain.business import Business
from frontdesk.domain.money import currency_for
from frontdesk.domain.terms import Terms, ValueType
from frontdesk.services import appointments, audit, customers, ledger
from frontdesk.services.desk import Desk
from frontdesk.services.errors import DuplicateCustomer, InvalidInput, NotAllowed
from tests.store.conftest import Spa

PACK = Terms(title="Massage Pack", value_type=ValueType.VISITS, quantity=5, all_services=False, price=35000)


def names(spa: Spa, query: str) -> list[str]:
    return [found.name for found in spa.desk.read(customers.search_customers, query)]


def add(spa: Spa, name: str, **fields: str) -> int:
    return spa.desk.write(customers.create_customer, spa.business, name=name, allow_duplicate=True, **fields).id


# ---- ranking ----------------------------------------------------------------------------------

def test_a_name_with_a_word_for_each_word_typed_beats_an_email_that_has_them(spa: Spa) -> None:
    add(spa, "Felix Anderson", email="felix@example.net")  # the "t" of example.net
    add(spa, "Felix Turner")
    assert names(spa, "felix t") == ["Felix Turner", "Felix Anderson"]


def test_names_that_start_with_what_was_typed_come_first(spa: Spa) -> None:
    for name, email in [("Rosamaria Diaz", ""), ("Omar Kent", "maria.k@example.com"), ("Anna Mariana", ""),
                        ("Maria Harris", ""), ("Maria Anderson", "")]:
        add(spa, name, email=email)
    assert names(spa, "maria") == [
        "Maria Anderson", "Maria Harris",  # the whole name starts with it, in name order
        "Anna Mariana",  # a word of the name starts with it
        "Rosamaria Diaz",  # the name contains it
        "Omar Kent",  # only the email has it
    ]


def test_every_word_must_start_a_word_of_the_name_for_the_first_rank(spa: Spa) -> None:
    add(spa, "Lopez Maria")  # surname first: each word starts a word, not the whole name
    add(spa, "Maria Lopez")
    add(spa, "Maria Glopez")  # "lop" inside a word only
    assert names(spa, "maria lop") == ["Maria Lopez", "Lopez Maria", "Maria Glopez"]


# ---- accents ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("angstrom", ["Anders Ångström"]),
        ("ÅNGSTRÖM", ["Anders Ångström"]),
        ("zoe", ["Zoe Adams", "Zoë Walsh"]),
        ("zoë", ["Zoe Adams", "Zoë Walsh"]),  # the accent typed finds the plain spelling too
        ("soren", ["Søren Kierkegaard"]),
        ("søren", ["Søren Kierkegaard"]),
        ("strasse", ["Lena Straße"]),
        ("lodz", ["Marek Łódź"]),
        ("jose", ["José Núñez"]),
        ("nunez", ["José Núñez"]),
        ("aeth", ["Æthelred Þórsson"]),
        ("thors", ["Æthelred Þórsson"]),
    ],
)
def test_accents_fold_both_ways(spa: Spa, query: str, expected: list[str]) -> None:
    for name in ("Anders Ångström", "Zoë Walsh", "Zoe Adams", "Søren Kierkegaard", "Lena Straße", "Marek Łódź",
                 "José Núñez", "Æthelred Þórsson"):
        add(spa, name)
    assert names(spa, query) == expected


def test_an_accented_email_is_found_plain(spa: Spa) -> None:
    add(spa, "Chloé Martin", email="chloé@exämple.fr")
    assert names(spa, "chloe@exa") == ["Chloé Martin"]


# ---- phones -----------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["(555) 201-1234", "555.201.1234", "+1 555 201 1234", "1-555-201-1234",
                                   "5552011234", "+15552011234"])
def test_a_phone_is_kept_in_one_form(spa: Spa, typed: str) -> None:
    maria = spa.desk.write(customers.create_customer, spa.business, name="Maria Lopez", phone=typed)
    assert maria.phone == "(555) 201-1234"


def test_a_number_of_another_country_is_kept_international(spa: Spa) -> None:
    ian = spa.desk.write(customers.create_customer, spa.business, name="Ian Hale", phone="+44 (0)20 7946 0958")
    assert ian.phone == "+44 20 7946 0958"


@pytest.mark.parametrize("typed", ["555.201.1234", "+1 555 201 1234", "1-555-201-1234", "(555)2011234"])
def test_the_same_number_in_another_format_is_a_duplicate(spa: Spa, typed: str) -> None:
    maria = add(spa, "Maria Lopez", phone="(555) 201-1234")
    with pytest.raises(DuplicateCustomer) as refused:
        spa.desk.write(customers.create_customer, spa.business, name="M. Lopez", phone=typed)
    assert refused.value.matches == ((maria, "Maria Lopez"),)
    assert [c.id for c in spa.desk.read(customers.find_duplicates, spa.business, phone=typed)] == [maria]


@pytest.mark.parametrize("typed", ["+44 20 7946 0958", "011 44 20 7946 0958", "+44 (0) 20-7946-0958"])
def test_the_same_number_with_its_country_code_written_otherwise_is_a_duplicate(spa: Spa, typed: str) -> None:
    ian = add(spa, "Ian Hale", phone="+442079460958")
    assert [c.id for c in spa.desk.read(customers.find_duplicates, spa.business, phone=typed)] == [ian]


def test_another_country_with_the_same_digits_is_not_a_duplicate(spa: Spa) -> None:
    add(spa, "Maria Lopez", phone="(555) 201-1234")
    assert spa.desk.read(customers.find_duplicates, spa.business, phone="+52 555 201 1234") == []


@pytest.mark.parametrize("query", ["(555) 201-1234", "555.201.1234", "+1 555 201 1234", "1-555-201-1234",
                                   "201-12", "555 201"])
def test_search_by_any_format_of_the_number_finds_her(spa: Spa, query: str) -> None:
    add(spa, "Maria Lopez", phone="(555) 201-1234")
    add(spa, "Ben Okafor", phone="(555) 987-6543")
    assert names(spa, query) == ["Maria Lopez"]


def test_a_bad_number_is_refused_at_the_field(spa: Spa) -> None:
    with pytest.raises(InvalidInput) as refused:
        spa.desk.write(customers.create_customer, spa.business, name="Maria Lopez", phone="201-1234")
    assert refused.value.fields == {
        "phone": "That is not a phone number: too few digits for US; for another country start with + and its code."}


def test_the_phone_region_reads_numbers_without_a_country_code(desk: Desk) -> None:
    london = Desk(desk.engine, Business(tz=ZoneInfo("Europe/London"), currency=currency_for("GBP"),
                                       phone_region="GB"), clock=desk.clock)
    spa = Spa(london)
    ian = spa.desk.write(customers.create_customer, spa.business, name="Ian Hale", phone="020 7946 0958")
    assert ian.phone == "020 7946 0958"  # national: the desk's own country
    maria = spa.desk.write(customers.create_customer, spa.business, name="Maria Lopez", phone="+1 555 201 1234")
    assert maria.phone == "+1 555-201-1234"  # international: another country
    assert names(spa, "020 7946") == ["Ian Hale"]
    assert names(spa, "+44 20 7946 0958") == ["Ian Hale"]
    with pytest.raises(DuplicateCustomer):
        spa.desk.write(customers.create_customer, spa.business, name="I. Hale", phone="+44 20 7946 0958")
    with pytest.raises(InvalidInput, match="too few digits for GB"):
        spa.desk.write(customers.create_customer, spa.business, name="Al", phone="7946 09")


def test_the_phone_region_setting_is_checked() -> None:
    assert load_settings(phone_region="gb").phone_region == "GB"
    assert load_settings().phone_region == "US"
    with pytest.raises(SettingsError) as refused:
        load_settings(phone_region="XX")
    assert str(refused.value) == ("phone_region: unknown phone region 'XX' "
                                  "(use a two-letter country code such as US or GB)")


# ---- merging ----------------------------------------------------------------------------------

@pytest.fixture
def twins(spa: Spa) -> tuple[int, int]:
    """Maria Lopez (phone, no email) and Maria Lopes (#2: email and note), each with a package and
    appointments; Maria Lopes has 2 packages and 3 appointments."""
    pack = spa.package(PACK, service_ids=(spa.swedish,))
    kept = spa.customer("Maria Lopez", phone="(555) 201-1234")
    merged = spa.customer("Maria Lopes", phone="(555) 201-9999", email="maria@example.com", note="likes Anna")
    spa.sell(kept, pack)
    spa.book(kept, spa.swedish, spa.at(1, 10))
    for _ in range(2):
        spa.sell(merged, pack)
    for day in (2, 3, 4):
        spa.book(merged, spa.swedish, spa.at(day, 10))
    return kept, merged


def merge(spa: Spa, kept: int, merged: int, reason: str = "the same person", by: int | None = None) -> object:
    return spa.desk.by(by or spa.manager).write(customers.merge_customers, spa.business, keep_id=kept,
                                                merge_id=merged, reason=reason)


def test_merging_moves_everything_to_the_one_kept(spa: Spa, twins: tuple[int, int]) -> None:
    kept, merged = twins
    plan = spa.desk.by(spa.manager).read(customers.merge_plan, keep_id=kept, merge_id=merged)
    assert (plan.holdings, plan.appointments, plan.filled) == (2, 3, ("email", "note"))
    merge(spa, kept, merged)
    assert len(spa.holdings(kept)) == 1 + 2
    assert spa.holdings(merged) == []
    assert len(spa.desk.read(appointments.customer_appointments, customer_id=kept)) == 1 + 3
    assert spa.desk.read(appointments.customer_appointments, customer_id=merged) == []
    after = spa.desk.read(customers.get_customer, kept)
    # her empty details are filled from the other's; her own phone is not overwritten
    assert (after.phone, after.email, after.note) == ("(555) 201-1234", "maria@example.com", "likes Anna")
    assert spa.desk.read(ledger.check) == []  # every balance still the sum of its entries


def test_the_audit_trail_says_what_moved(spa: Spa, twins: tuple[int, int]) -> None:
    kept, merged = twins
    merge(spa, kept, merged, reason="booked twice under two spellings")
    last = spa.desk.by(spa.manager).read(audit.events, limit=1)[0]
    assert (last.kind, last.customer_id, last.staff_name) == ("customers merged", kept, "Grace (manager)")
    assert last.detail == (f"2 packages, 3 appointments moved from Maria Lopes (#{merged}); email and note "
                           "filled in: booked twice under two spellings")


def test_the_merged_customer_is_hidden_but_still_read(spa: Spa, twins: tuple[int, int]) -> None:
    kept, merged = twins
    merge(spa, kept, merged)
    assert names(spa, "maria lop") == ["Maria Lopez"]
    assert names(spa, "555 201 9999") == []
    assert [c.id for c in spa.desk.read(customers.find_duplicates, spa.business, phone="(555) 201-9999")] == []
    assert spa.desk.read(customers.get_customer, merged).name == "Maria Lopes"  # old audit lines name her


def test_a_merge_refuses_herself_a_merged_one_and_no_reason(spa: Spa, twins: tuple[int, int]) -> None:
    kept, merged = twins
    with pytest.raises(InvalidInput, match="cannot be merged into herself"):
        merge(spa, kept, kept)
    with pytest.raises(InvalidInput) as refused:
        merge(spa, kept, merged, reason="  ")
    assert refused.value.fields == {"reason": "Give a reason."}
    merge(spa, kept, merged)
    third = spa.customer("Mary Lopez")
    with pytest.raises(InvalidInput, match="already merged"):
        merge(spa, third, merged)
    with pytest.raises(InvalidInput, match="already merged"):
        merge(spa, merged, third)


def test_reception_cannot_merge_and_nothing_moves(spa: Spa, twins: tuple[int, int]) -> None:
    kept, merged = twins
    with pytest.raises(NotAllowed, match="Only a manager can merge customers"):
        merge(spa, kept, merged, by=spa.reception)
    assert len(spa.holdings(merged)) == 2
    assert spa.desk.read(customers.get_customer, kept).email == ""


def test_a_customer_merged_earlier_follows_to_the_one_kept_now(spa: Spa) -> None:
    first, second, third = (spa.customer(name) for name in ("Ann Lee", "Anne Lee", "Annie Lee"))
    merge(spa, second, third)
    merge(spa, first, second)
    plan = spa.desk.by(spa.manager).read(customers.merge_plan, keep_id=first, merge_id=spa.customer("Ana Lee"))
    assert plan.kept.id == first
    assert names(spa, "lee") == ["Ana Lee", "Ann Lee"]

