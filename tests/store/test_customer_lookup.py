"""Customer lookup from the prefix index of the words of names, phones and emails
(`customer_word`): the ranking, one and two letters, accents, merged customers hidden, the index
kept in step by every path that writes a customer, and the migration that fills it. Each search
runs twice: with the plans a small spa gets (the matches sorted) and with the plans of a chain's
million customers forced (the name order walked until enough match). SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, insert, select, text
from sqlmodel import Session

from frontdesk.db import alembic_config
from frontdesk.domain.contacts import fold, name_words
from frontdesk.models import Customer, CustomerWord
from frontdesk.services import customers, imports
from frontdesk.services.matching import search_terms
from tests.store.conftest import Spa


@pytest.fixture(params=["sorted", "walked"])
def plans(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """"walked": every set of matches counts as common, as at a chain (the name order is walked
    from a couple of rows on); "sorted": the few matches of a small spa are sorted."""
    if request.param == "walked":
        monkeypatch.setattr(customers, "WALK", 2)
        monkeypatch.setattr(customers, "FEWEST_SORTED", 1)
        monkeypatch.setattr(customers, "SORT_WEIGHT", 0)
    return request.param


def names(spa: Spa, query: str, limit: int = 50) -> list[str]:
    return [found.name for found in spa.desk.read(customers.search_customers, query, limit=limit)]


def add(spa: Spa, name: str, **fields: str) -> int:
    return spa.desk.write(customers.create_customer, spa.business, name=name, allow_duplicate=True, **fields).id


def merge(spa: Spa, kept: int, merged: int) -> None:
    spa.desk.by(spa.manager).write(customers.merge_customers, spa.business, keep_id=kept, merge_id=merged,
                                   reason="the same person")


WHOLE, NAME, CONTACT = 0, 1, 2  # the kinds of rows: her whole name, a later word of it, her phone or email


def words_of(spa: Spa, customer_id: int, kinds: tuple[int, ...] = (WHOLE, NAME)) -> list[tuple[str, int]]:
    return spa.desk.read(lambda session: [tuple(row) for row in session.execute(
        select(CustomerWord.word, CustomerWord.kind).where(CustomerWord.customer_id == customer_id,
                                                           CustomerWord.kind.in_(kinds))
        .order_by(CustomerWord.word))])


# ---- the ranking --------------------------------------------------------------------------------

PEOPLE = [  # name, email
    ("Anna Lopez", ""), ("Ann Marie Ito", ""), ("Joanna Anders", ""), ("Diana Annas", ""),
    ("Marianne Kim", ""), ("Luis Santana", ""), ("Omar Haddad", "anna.haddad@example.com"),
    ("Bea Ross-Annan", ""), ("anna Zed", ""), ("Ánna Ölund", ""), ("Annabel Lee", ""),
]


@pytest.fixture
def people(spa: Spa) -> None:
    for name, email in PEOPLE:
        add(spa, name, email=email)


def test_the_ranking_by_rank_then_a_name_starting_with_it_then_name_order(spa: Spa, people: None,
                                                                          plans: str) -> None:
    # rank 0 with the name starting with "ann" (in the order of the folded names: case and accents
    # aside), rank 0 with a later word starting with it (in name order), rank 1 (inside a word),
    # rank 2 (the email)
    assert names(spa, "ann") == [
        "Ann Marie Ito", "Anna Lopez", "Ánna Ölund", "anna Zed", "Annabel Lee",
        "Bea Ross-Annan", "Diana Annas", "Joanna Anders", "Marianne Kim",
        "Omar Haddad"]
    assert names(spa, "ann", limit=4) == ["Ann Marie Ito", "Anna Lopez", "Ánna Ölund", "anna Zed"]
    assert names(spa, "ann", limit=7) == ["Ann Marie Ito", "Anna Lopez", "Ánna Ölund", "anna Zed", "Annabel Lee",
                                          "Bea Ross-Annan", "Diana Annas"]


def test_every_word_typed_starts_a_word_in_the_first_rank(spa: Spa, people: None, plans: str) -> None:
    # the whole name starts with it; then inside a word; then "ann" in the email, "mar" in "Omar"
    assert names(spa, "ann mar") == ["Ann Marie Ito", "Marianne Kim", "Omar Haddad"]
    assert names(spa, "mar ann") == ["Ann Marie Ito", "Marianne Kim", "Omar Haddad"]
    assert names(spa, "ross-an") == ["Bea Ross-Annan"]  # a hyphen typed is a hyphen of the name
    assert names(spa, "anna haddad") == ["Omar Haddad"]  # the email holds both


def test_one_and_two_letters(spa: Spa, people: None, plans: str) -> None:
    assert names(spa, "a") == [
        "Ann Marie Ito", "Anna Lopez", "Ánna Ölund", "anna Zed", "Annabel Lee",  # the name starts with "a"
        "Bea Ross-Annan", "Diana Annas", "Joanna Anders",  # a later word does
        "Luis Santana", "Marianne Kim", "Omar Haddad"]  # inside a word
    assert names(spa, "an", limit=3) == ["Ann Marie Ito", "Anna Lopez", "Ánna Ölund"]
    assert names(spa, "o") == ["Omar Haddad", "Ánna Ölund",  # a word starts with "o": "Ölund" folds to "olund"
                               "Ann Marie Ito", "Anna Lopez", "Bea Ross-Annan", "Joanna Anders"]
    assert names(spa, "zz") == []


def test_accents_and_case_fold_both_ways(spa: Spa, people: None, plans: str) -> None:
    assert names(spa, "olund") == ["Ánna Ölund"]
    assert names(spa, "ÖLUND") == ["Ánna Ölund"]
    assert names(spa, "ánna ölu") == ["Ánna Ölund"]
    assert names(spa, "ANNA O") == ["Ánna Ölund", "Anna Lopez", "Bea Ross-Annan", "Joanna Anders", "Omar Haddad"]


def test_a_phone_or_email_word_starting_with_it_comes_before_a_fragment_inside(spa: Spa, plans: str) -> None:
    add(spa, "Kim Ode", phone="(555) 201-1234")  # a group of the phone starts with "1234"
    add(spa, "Al Berg", phone="(555) 212-3400")  # "15552123400" holds it inside
    add(spa, "Bo Chan", email="x1234@ex.io")  # inside the email's word "x1234"
    add(spa, "Cy Dunn", email="bo.1234@ex.io")  # the email's word "1234"
    assert names(spa, "1234") == ["Cy Dunn", "Kim Ode", "Al Berg", "Bo Chan"]
    assert names(spa, "201-12") == names(spa, "(555) 201") == ["Kim Ode"]  # spaces and dashes aside
    assert names(spa, "555 212") == ["Al Berg"]
    assert names(spa, "ex.io bo") == ["Bo Chan", "Cy Dunn"]  # a word of the name, a word of the email


def test_a_merged_customer_is_never_found(spa: Spa, plans: str) -> None:
    kept = add(spa, "Maria Lopez")
    merged = add(spa, "Maria Lopes", email="maria@example.com")
    merge(spa, kept, merged)
    assert names(spa, "maria") == ["Maria Lopez"]
    assert names(spa, "lopes") == []
    assert names(spa, "m") == ["Maria Lopez"]
    assert names(spa, "maria@example") == ["Maria Lopez"]  # her email was taken by the one kept
    assert words_of(spa, merged, (WHOLE, NAME, CONTACT)) == []


# ---- kept in step -------------------------------------------------------------------------------

def test_the_words_follow_an_edit(spa: Spa, plans: str) -> None:
    maria = add(spa, "Maria Lopez")
    assert words_of(spa, maria) == [("lopez", NAME), ("maria lopez", WHOLE)]
    assert words_of(spa, maria, (CONTACT,)) == []
    spa.desk.write(customers.update_customer, spa.business, customer_id=maria, name="Marie José López-Ruiz",
                   phone="555-201-1234", email="MJ.Lopez@Example.com")
    assert words_of(spa, maria) == [("jose lopez-ruiz", NAME), ("lopez-ruiz", NAME), ("marie jose lopez-ruiz", WHOLE),
                                    ("ruiz", NAME)]
    assert words_of(spa, maria, (CONTACT,)) == [  # the phone from each group of digits on, its key; the email
        ("1234", CONTACT), ("15552011234", CONTACT), ("2011234", CONTACT), ("5552011234", CONTACT),
        ("com", CONTACT), ("example.com", CONTACT), ("lopez@example.com", CONTACT), ("mj.lopez@example.com", CONTACT)]
    assert names(spa, "ruiz") == names(spa, "jo lo") == names(spa, "marie") == ["Marie José López-Ruiz"]
    assert names(spa, "201-12") == names(spa, "1234") == names(spa, "example.c") == ["Marie José López-Ruiz"]
    assert names(spa, "maria") == []


def test_the_words_of_imported_customers(spa: Spa, plans: str) -> None:
    rows = [["Name", "Phone"], ["Zoë Adams", "201-555-0201"], ["Yan Bo-Li", ""]]
    result = spa.desk.by(spa.manager).write(imports.run_import, spa.business, rows, source="old.csv")
    zoe, yan = result.customer_ids
    assert words_of(spa, zoe) == [("adams", NAME), ("zoe adams", WHOLE)]
    assert words_of(spa, zoe, (CONTACT,)) == [("0201", CONTACT), ("12015550201", CONTACT), ("2015550201", CONTACT),
                                              ("5550201", CONTACT)]
    assert words_of(spa, yan) == [("bo-li", NAME), ("li", NAME), ("yan bo-li", WHOLE)]
    assert names(spa, "li") == ["Yan Bo-Li"]
    assert names(spa, "zo") == ["Zoë Adams"]


def test_a_bulk_load_is_indexed_in_one_go(spa: Spa, engine: Engine, plans: str) -> None:
    with engine.begin() as connection:
        connection.execute(insert(Customer), [
            {"name": name, "search_name": fold(name), "search_text": fold(name), "created_at": spa.at(0, 9)}
            for name in ("Ines Silva", "Ivan Ito")])
        customers.rebuild_search_index(connection)
    assert names(spa, "i") == ["Ines Silva", "Ivan Ito"]
    assert names(spa, "it") == ["Ivan Ito"]


def test_the_migration_fills_the_index_for_customers_on_file(engine: Engine, plans: str) -> None:
    config = alembic_config(engine)
    command.downgrade(config, "0008")
    with engine.begin() as connection:
        for number, (name, email, merged) in enumerate(
                [("Zoë Walsh", "zw@ex.io", None), ("Ana Walsh-Kim", "", None), ("Zoe W", "", 1)], 1):
            connection.execute(text(
                "INSERT INTO customer (id, name, phone, email, note, search_text, search_name, phone_digits, "
                "merged_into_id, created_at) VALUES (:id, :name, '', :email, '', :folded, :folded, '', :merged, "
                "'2026-01-01 15:00:00')"),
                {"id": number, "name": name, "email": email, "folded": fold(name), "merged": merged})
    command.upgrade(config, "head")
    with engine.connect() as connection:
        assert [tuple(row) for row in connection.execute(text(
            "SELECT customer_id, word, kind FROM customer_word ORDER BY customer_id, word"))] == [
            (1, "ex.io", CONTACT), (1, "io", CONTACT), (1, "walsh", NAME), (1, "zoe walsh", WHOLE),
            (1, "zw@ex.io", CONTACT),
            (2, "ana walsh-kim", WHOLE), (2, "kim", NAME), (2, "walsh-kim", NAME)]  # none for the merged one
    with Session(engine) as session:
        assert [found.name for found in customers.search_customers(session, "wa")] == ["Ana Walsh-Kim", "Zoë Walsh"]
        assert [found.name for found in customers.search_customers(session, "alsh")] == [
            "Ana Walsh-Kim", "Zoë Walsh"]  # the trigram index of names, rebuilt
        assert [found.name for found in customers.search_customers(session, "z")] == ["Zoë Walsh"]


# ---- the index-backed search is the plain definition ------------------------------------------

FIRST = ["Ana", "Anna", "Ann-Marie", "anna", "Zoë", "Zoe", "Mariana", "Rosamaria", "Łukasz", "Ben", "Åsa", "Li"]
LAST = ["Lopez", "López", "Annan", "Marin", "Ito", "Walsh", "Ben-Ari", "Mar", "Lo", "Zola"]
PHONES = ["", "(555) 201-1234", "(555) 212-0555", "", "(555) 120-2012", "(555) 555-1201"]
POPULATION = [(f"{FIRST[(5 * n) % len(FIRST)]} {LAST[(7 * n + n // 5) % len(LAST)]}", PHONES[n % len(PHONES)],
               f"p{n}.{LAST[n % 4].lower()}@ex.io") for n in range(36)]
MERGED = {5, 17, 30}  # merged into the customer before each


@pytest.fixture
def population(spa: Spa) -> list[tuple[int, str, str, str]]:
    """(id, name, phone, email) of each customer still found; some others merged away (the one
    kept takes the merged one's phone when she had none)."""
    ids = [add(spa, name, phone=phone, email=email) for name, phone, email in POPULATION]
    for index in MERGED:
        merge(spa, ids[index - 1], ids[index])
    kept = {index - 1: POPULATION[index][1] for index in MERGED}
    return [(ids[n], name, phone or kept.get(n, ""), email) for n, (name, phone, email) in enumerate(POPULATION)
            if n not in MERGED]


def contact_starts(phone: str, email: str) -> list[str]:
    """Where a word of her phone or email starts, the rest of it: the phone's digits from each
    group as written, and its E.164 digits (+1, these being numbers of the US); the email from
    each run of letters and digits."""
    groups = re.findall(r"\d+", phone)
    email = fold(email)
    return (["".join(groups[at:]) for at in range(len(groups))] + (["1" + "".join(groups)] if groups else [])
            + [email[match.start():] for match in re.finditer(r"[^\W_]+", email)])


def expected(found: list[tuple[int, str, str, str]], query: str, limit: int) -> list[int]:
    """The definition, in plain Python over every customer: each word typed is in her folded name,
    phone's E.164 digits or email; the rank is 0 when a word of the name starts with each, 1 when
    the name contains each, 2 when a word of the name, phone or email starts with each, else 3;
    then a name that starts with all that was typed, those in the order of the folded name; then
    name order."""
    words = search_terms(query)
    if not words:
        return []
    typed = " ".join(words)
    ranked = []
    for customer_id, name, phone, email in found:
        folded = fold(name)
        key = "1" + "".join(re.findall(r"\d+", phone)) if phone else ""
        if not all(word in folded or word in key or word in fold(email) for word in words):
            continue
        name_starts = [folded[match.start():] for match in re.finditer(r"[^ -]+", folded)]
        starts = all(any(start.startswith(word) for start in name_starts) for word in words)
        contacts = name_starts + contact_starts(phone, email)
        rank = (0 if starts else 1 if all(word in folded for word in words)
                else 2 if all(any(start.startswith(word) for start in contacts) for word in words) else 3)
        whole = folded.startswith(typed)
        ranked.append((rank, not whole, folded if whole else "", name, customer_id))
    return [customer_id for *_, customer_id in sorted(ranked)][:limit]


typed_text = st.one_of(
    st.text(alphabet="anmrilozæåłö -.@", min_size=1, max_size=6),
    st.text(alphabet="0125 -()", min_size=1, max_size=8),
    st.sampled_from([text for name, phone, email in POPULATION for text in (name, phone, email) if text]).flatmap(
        lambda text: st.tuples(st.integers(0, len(text)), st.integers(1, 8)).map(
            lambda cut: text[cut[0]:cut[0] + cut[1]])),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=typed_text, limit=st.sampled_from([1, 2, 5, 50]))
def test_the_index_finds_exactly_what_a_plain_filter_finds_in_rank_order(
        spa: Spa, population: list[tuple[int, str, str, str]], plans: str, query: str, limit: int) -> None:
    found = [found.id for found in spa.desk.read(customers.search_customers, query, limit=limit)]
    assert found == expected(population, query, limit)


def test_the_index_rows_are_the_names_from_each_word() -> None:
    assert name_words("maria lopez-ruiz") == ["maria lopez-ruiz", "lopez-ruiz", "ruiz"]
    assert name_words("li") == ["li"]
    assert name_words("") == []
