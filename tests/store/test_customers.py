"""Customers: create and edit with per-field messages, duplicate warnings, and search by any
fragment of name, phone or email. SQLite (FTS5 trigram) and PostgreSQL (pg_trgm)."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from frontdesk.domain.kinds import Role
from frontdesk.models import Customer
from frontdesk.services import customers
from frontdesk.services.desk import Desk
from frontdesk.services.errors import DuplicateCustomer, InvalidInput, NotFound
from frontdesk.services.staff import add_staff_member
from frontdesk.services.views import CustomerView


def create(desk: Desk, name: str, **fields: object) -> CustomerView:
    return desk.write(customers.create_customer, desk.business, name=name, **fields)


def search(desk: Desk, query: str, limit: int = 50) -> list[str]:
    return [found.name for found in desk.read(customers.search_customers, query, limit=limit)]


TOO_FEW = "That is not a phone number: too few digits for US; for another country start with + and its code."


def customer_count(desk: Desk) -> int:
    return desk.read(lambda session: session.exec(select(func.count()).select_from(Customer)).one())


@pytest.fixture(autouse=True)
def owner_at_the_desk(desk: Desk) -> None:
    """The owner (a manager) is signed in: adding and editing customers needs someone at the desk."""
    desk.staff = desk.write(add_staff_member, name="Grace", role=Role.MANAGER, pin=None)


@pytest.fixture
def people(desk: Desk) -> dict[str, int]:
    rows = [
        ("Maria Lopez", "(555) 123-4567", "maria.lopez@example.com"),
        ("Anna Martin", "201-335-7788", "anna@spa-mail.net"),
        ("Mark Twain", "+1 212 555 0199", ""),
        ("Omar Haddad", "", "omar.h@example.org"),
        ("Ben Okafor", "555 987 6543", "BEN@Okafor.io"),
    ]
    return {name: create(desk, name, phone=phone, email=email).id for name, phone, email in rows}


# ---- create and edit ----------------------------------------------------------------------------

def test_create_and_edit_a_customer(desk: Desk) -> None:
    maria = create(desk, "  Maria Lopez ", phone=" 555 123 4567 ", email=" maria@example.com ", note=" VIP ")
    assert (maria.name, maria.phone, maria.email, maria.note) == (
        "Maria Lopez", "(555) 123-4567", "maria@example.com", "VIP")  # the phone in its one form
    edited = desk.write(customers.update_customer, desk.business, customer_id=maria.id, name="Maria López-Ruiz",
                        phone="555-765-4321", email="maria.ruiz@example.com", note="prefers Anna")
    assert desk.read(customers.get_customer, maria.id) == edited
    assert (edited.name, edited.phone, edited.email, edited.note) == (
        "Maria López-Ruiz", "(555) 765-4321", "maria.ruiz@example.com", "prefers Anna")
    assert customer_count(desk) == 1


def test_phone_and_email_are_optional(desk: Desk) -> None:
    walk_in = create(desk, "Walk-in guest")
    assert (walk_in.phone, walk_in.email) == ("", "")
    assert search(desk, "walk") == ["Walk-in guest"]


def test_every_bad_field_has_its_message_and_nothing_is_saved(desk: Desk) -> None:
    with pytest.raises(InvalidInput) as refused:
        create(desk, "   ", phone="12-34", email="maria@example")
    assert refused.value.fields == {
        "name": "Enter the customer's name.",
        "phone": TOO_FEW,
        "email": "That does not look like an email address.",
    }
    assert customer_count(desk) == 0


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"name": ""}, {"name": "Enter the customer's name."}),
        ({"phone": "call me"}, {"phone": "That is not a phone number: type its digits."}),
        ({"phone": "1234"}, {"phone": TOO_FEW}),
        ({"phone": "201-1234"}, {"phone": TOO_FEW}),  # no area code
        ({"phone": "+44 20 79"}, {"phone": "That is not a phone number: too few digits for +44; check the number."}),
        ({"phone": "+999 123 4567"}, {"phone": "That is not a phone number: no country has the code it starts with."}),
        ({"email": "maria"}, {"email": "That does not look like an email address."}),
        ({"email": "maria @example.com"}, {"email": "That does not look like an email address."}),
    ],
    ids=["empty-name", "no-digits", "short-phone", "no-area-code", "short-abroad", "no-such-country", "no-at",
         "space-in-email"],
)
def test_one_bad_field(desk: Desk, fields: dict[str, str], expected: dict[str, str]) -> None:
    given = {"name": "Maria Lopez", **fields}
    with pytest.raises(InvalidInput) as refused:
        desk.write(customers.create_customer, desk.business, **given)
    assert refused.value.fields == expected
    assert customer_count(desk) == 0


def test_too_long_fields_are_refused_alike_on_every_database(desk: Desk) -> None:
    with pytest.raises(InvalidInput) as refused:
        create(desk, "M" * 201, phone="5" * 41, email="m" * 190 + "@example.com", note="n" * 1001)
    assert refused.value.fields == {"name": "At most 200 characters.", "phone": "At most 40 characters.",
                                    "email": "At most 200 characters.", "note": "At most 1000 characters."}
    assert customer_count(desk) == 0
    longest = create(desk, "M" * 200, phone="(555) 201-1234", email="m" * 188 + "@example.com", note="n" * 1000)
    assert len(longest.name) == 200 and len(longest.email) == 200
    assert search(desk, "M" * 50) == ["M" * 200]


def test_a_bad_edit_changes_nothing(desk: Desk) -> None:
    maria = create(desk, "Maria Lopez", phone="555 123 4567")
    with pytest.raises(InvalidInput) as refused:
        desk.write(customers.update_customer, desk.business, customer_id=maria.id, name="", phone="555 123 4567")
    assert refused.value.fields == {"name": "Enter the customer's name."}
    assert desk.read(customers.get_customer, maria.id) == maria
    with pytest.raises(NotFound):
        desk.write(customers.update_customer, desk.business, customer_id=maria.id + 100, name="Nobody")


# ---- duplicates ---------------------------------------------------------------------------------

def test_same_phone_typed_differently_is_a_duplicate(desk: Desk, people: dict[str, int]) -> None:
    with pytest.raises(DuplicateCustomer) as refused:
        create(desk, "M. Lopez", phone="555-123 4567")
    assert refused.value.matches == ((people["Maria Lopez"], "Maria Lopez"),)
    assert str(refused.value) == "Same phone or email as Maria Lopez. Save anyway, or open the existing customer."
    assert customer_count(desk) == len(people)


def test_same_email_in_another_case_is_a_duplicate(desk: Desk, people: dict[str, int]) -> None:
    with pytest.raises(DuplicateCustomer, match="Same phone or email as Ben Okafor"):
        create(desk, "Benjamin Okafor", email="ben@okafor.IO")
    assert customer_count(desk) == len(people)


def test_a_duplicate_lists_every_match(desk: Desk, people: dict[str, int]) -> None:
    with pytest.raises(DuplicateCustomer) as refused:
        create(desk, "Someone", phone="5559876543", email="MARIA.LOPEZ@example.com")
    assert [name for _, name in refused.value.matches] == ["Ben Okafor", "Maria Lopez"]
    assert "Ben Okafor, Maria Lopez" in str(refused.value)


def test_allow_duplicate_saves_anyway(desk: Desk, people: dict[str, int]) -> None:
    twin = create(desk, "Maria Lopez", phone="555 123 4567", allow_duplicate=True)
    assert twin.id not in people.values()
    assert search(desk, "maria lopez") == ["Maria Lopez", "Maria Lopez"]


def test_editing_checks_duplicates_against_others_only(desk: Desk, people: dict[str, int]) -> None:
    maria = people["Maria Lopez"]
    kept = desk.write(customers.update_customer, desk.business, customer_id=maria, name="Maria Lopez",
                      phone="555.123.4567", email="Maria.Lopez@example.com")
    assert kept.phone == "(555) 123-4567"
    with pytest.raises(DuplicateCustomer, match="Anna Martin"):
        desk.write(customers.update_customer, desk.business, customer_id=maria, name="Maria Lopez", phone="2013357788")
    assert desk.read(customers.get_customer, maria).phone == "(555) 123-4567"
    desk.write(customers.update_customer, desk.business, customer_id=maria, name="Maria Lopez", phone="2013357788",
               allow_duplicate=True)
    assert desk.read(customers.get_customer, maria).phone == "(201) 335-7788"


def test_no_phone_and_no_email_is_never_a_duplicate(desk: Desk) -> None:
    create(desk, "Walk-in guest")
    create(desk, "Walk-in guest")
    assert customer_count(desk) == 2


# ---- search -------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("mar", ["Maria Lopez", "Mark Twain", "Anna Martin", "Omar Haddad"]),
        ("MARIA", ["Maria Lopez"]),
        ("ope", ["Maria Lopez"]),  # the middle of the surname
        ("mar lop", ["Maria Lopez"]),  # several words, each somewhere
        ("lop mar", ["Maria Lopez"]),
        ("maria martin", []),
        ("555 12", ["Maria Lopez"]),  # a phone typed with spaces
        ("201-33", ["Anna Martin"]),  # ... or with dashes
        ("(555) 123-45", ["Maria Lopez"]),
        ("5550199", ["Mark Twain"]),
        ("555", ["Ben Okafor", "Maria Lopez", "Mark Twain"]),
        ("spa-mail", ["Anna Martin"]),  # an email fragment
        ("example.org", ["Omar Haddad"]),
        ("okafor.io", ["Ben Okafor"]),
        ("@example", ["Maria Lopez", "Omar Haddad"]),
        ("nobody", []),
    ],
)
def test_search_finds_fragments_of_name_phone_and_email(desk: Desk, people: dict[str, int], query: str,
                                                        expected: list[str]) -> None:
    assert search(desk, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("m", ["Maria Lopez", "Mark Twain", "Anna Martin", "Omar Haddad"]),
        ("ma", ["Maria Lopez", "Mark Twain", "Anna Martin", "Omar Haddad"]),
        ("Tw", ["Mark Twain"]),
        ("z", ["Maria Lopez"]),
        ("99", ["Mark Twain"]),
        ("b", ["Ben Okafor"]),
    ],
)
def test_one_and_two_character_queries_still_work(desk: Desk, people: dict[str, int], query: str,
                                                  expected: list[str]) -> None:
    assert search(desk, query) == expected


def test_name_prefix_matches_come_first(desk: Desk) -> None:
    for name in ("Rosa Anderson", "Anders Berg", "Sandra Anders", "Andrea Costa"):
        create(desk, name)
    assert search(desk, "and") == ["Anders Berg", "Andrea Costa", "Rosa Anderson", "Sandra Anders"]


def test_results_are_limited(desk: Desk) -> None:
    for number in range(1, 8):
        create(desk, f"Maria {number}")
    assert search(desk, "maria", limit=3) == ["Maria 1", "Maria 2", "Maria 3"]
    assert len(search(desk, "maria")) == 7
    assert len(search(desk, "ma", limit=5)) == 5


def test_empty_and_odd_queries(desk: Desk, people: dict[str, int]) -> None:
    assert search(desk, "") == []
    assert search(desk, "   ") == []
    assert search(desk, "%") == []  # a LIKE wildcard typed is a character, not "everything"
    assert search(desk, "_") == []
    assert search(desk, 'mar"ia') == []
    assert search(desk, "o'brien") == []
    create(desk, "Siobhan O'Brien")
    assert search(desk, "o'brien") == ["Siobhan O'Brien"]
    assert search(desk, "o'b") == ["Siobhan O'Brien"]


def test_search_follows_an_edited_name(desk: Desk, people: dict[str, int]) -> None:
    maria = people["Maria Lopez"]
    desk.write(customers.update_customer, desk.business, customer_id=maria, name="Maria Garcia",
               phone="(555) 123-4567", email="maria.garcia@example.com")
    assert search(desk, "garc") == ["Maria Garcia"]
    assert search(desk, "lopez") == []
    assert search(desk, "lop") == []
    assert search(desk, "maria") == ["Maria Garcia"]
    assert search(desk, "555 123") == ["Maria Garcia"]


def test_search_follows_an_edited_phone_and_email(desk: Desk, people: dict[str, int]) -> None:
    ben = people["Ben Okafor"]
    desk.write(customers.update_customer, desk.business, customer_id=ben, name="Ben Okafor", phone="", email="")
    assert search(desk, "987") == []
    assert search(desk, "okafor.io") == []
    assert search(desk, "okafor") == ["Ben Okafor"]
