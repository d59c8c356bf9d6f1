"""The package catalogue: validation with a message per field, unique active titles, archived
things, managers only, and sold holdings keeping the terms they were sold with. SQLite and
PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest

from frontdesk.domain.kinds import Tender
from frontdesk.domain.terms import Contents, FixedLine, Period, PeriodUnit, Terms, ValueType
from frontdesk.services import appointments, catalogue, sales
from frontdesk.services.errors import InvalidInput, NotAllowed, NotFound
from frontdesk.services.sales import TenderLine
from frontdesk.services.views import PackageView
from tests.store.conftest import Spa
from tests.store.test_examples import MON, TUE, at, pay

PACK = Terms(title="Massage Pack", value_type=ValueType.VISITS, quantity=5, all_services=False, price=35000)


def save(spa: Spa, terms: Terms, *, package_id: int | None = None, actor: int | None = None) -> PackageView:
    return spa.desk.by(actor or spa.manager).write(catalogue.save_package, spa.desk.business, terms=terms,
                                                   package_id=package_id)


def listed(spa: Spa, **options: bool) -> list[str]:
    return [view.title for view in spa.desk.read(catalogue.list_packages, spa.desk.business, **options)]


def refused(spa: Spa, terms: Terms, package_id: int | None = None) -> dict[str, str]:
    """The field messages of a refused save; asserts the catalogue did not change."""
    before = spa.desk.read(catalogue.list_packages, spa.desk.business, include_archived=True)
    with pytest.raises(InvalidInput) as error:
        save(spa, terms, package_id=package_id)
    assert spa.desk.read(catalogue.list_packages, spa.desk.business, include_archived=True) == before
    return error.value.fields


def archive(spa: Spa, package_id: int, archived: bool = True) -> PackageView:
    return spa.desk.by(spa.manager).write(catalogue.archive_package, spa.desk.business, package_id=package_id,
                                          archived=archived)


# ---- saving and validation ----------------------------------------------------------------------

def test_a_saved_package_reads_back_with_names_and_a_summary(spa: Spa) -> None:
    view = save(spa, replace(PACK, title="  Monday mornings ", service_ids=(spa.swedish,), weekdays=frozenset({0}),
                             window=(time(10), time(13)), expires_in=Period(2, PeriodUnit.MONTHS), price=25000))
    assert view.title == "Monday mornings"
    assert view.terms.service_names == ("Swedish Massage",)
    assert view.summary == ("5 visits · Swedish Massage · Mondays 10:00–13:00 · "
                            "expires 2 months after purchase · $250.00")
    assert (view.archived, view.sold_count) == (False, 0)
    assert spa.desk.read(catalogue.get_package, spa.desk.business, view.id) == view
    fixed = save(spa, Terms(title="Massage journey", contents=Contents.FIXED, value_type=None, price=25000,
                            fixed_lines=(FixedLine(spa.swedish, "", 1), FixedLine(spa.thai, "", 2))))
    assert [line.service_name for line in fixed.terms.fixed_lines] == ["Swedish Massage", "Thai Massage"]
    assert fixed.summary == "1 × Swedish Massage, then 2 × Thai Massage · $250.00"


def test_every_bad_field_has_one_message_and_nothing_is_saved(spa: Spa) -> None:
    save(spa, replace(PACK, service_ids=(spa.swedish,)))
    bad = Terms(title="   ", value_type=ValueType.VISITS, quantity=0, price=-100, all_services=False,
                window=(time(13), time(10)), date_range=(date(2026, 4, 30), date(2026, 4, 1)),
                weekdays=frozenset(), expires_in=Period(0, PeriodUnit.DAYS))
    assert refused(spa, bad) == {
        "title": "Enter a title.",
        "quantity": "At least 1 visit.",
        "services": "Choose at least one service.",
        "price": "The price cannot be negative.",
        "expires_in": "Expiry must be at least 1 day.",
        "window": "The end time must be after the start time.",
        "date_range": "The end date is before the start date.",
        "weekdays": "Pick at least one weekday.",
    }
    assert listed(spa) == ["Massage Pack"]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"value_type": ValueType.UNLIMITED, "quantity": None},
         {"expires_in": "An unlimited package needs an expiry or dates."}),
        ({"value_type": ValueType.MINUTES, "quantity": 0}, {"quantity": "At least 1 minute."}),
        ({"value_type": ValueType.AMOUNT, "quantity": -5}, {"quantity": "The amount must be more than 0."}),
        ({"value_type": None}, {"value_type": "Choose a value type."}),
        ({"contents": Contents.FIXED, "value_type": None}, {"fixed_lines": "Add at least one service line."}),
        ({"window": (time(10), time(10))}, {"window": "The end time must be after the start time."}),
        ({"fixed_dates": ()}, {"fixed_dates": "Pick at least one date."}),
        ({"fixed_dates": (date(2026, 3, 5), date(2026, 3, 5))}, {"fixed_dates": "5 Mar 2026 is listed twice."}),
        ({"fixed_dates": (date(2026, 3, 5),), "date_range": (date(2026, 3, 1), date(2026, 3, 31))},
         {"fixed_dates": "Choose a date range or fixed dates, not both."}),
        ({"weekdays": frozenset({7})}, {"weekdays": "Weekdays go from Monday (0) to Sunday (6)."}),
        ({"service_ids": (999,)}, {"services": "Unknown service."}),
    ],
    ids=["unlimited-forever", "minutes-0", "amount-negative", "no-value-type", "fixed-empty", "window-empty",
         "no-dates", "date-twice", "range-and-dates", "weekday-7", "unknown-service"],
)
def test_one_bad_field(spa: Spa, changes: dict, expected: dict[str, str]) -> None:
    terms = replace(PACK, service_ids=(spa.swedish,))
    assert refused(spa, replace(terms, **changes)) == expected
    assert listed(spa, include_archived=True) == []


def test_a_title_too_long_is_refused_alike_on_every_database(spa: Spa) -> None:
    assert refused(spa, replace(PACK, title="T" * 121, quantity=0, service_ids=(spa.swedish,))) == {
        "title": "At most 120 characters.", "quantity": "At least 1 visit."}
    assert save(spa, replace(PACK, title="T" * 120, service_ids=(spa.swedish,))).title == "T" * 120


def test_a_fixed_line_needs_a_quantity(spa: Spa) -> None:
    terms = Terms(title="Journey", contents=Contents.FIXED, value_type=None,
                  fixed_lines=(FixedLine(spa.swedish, "", 1), FixedLine(spa.thai, "", 0)))
    assert refused(spa, terms) == {"fixed_lines": "Each line needs a quantity of at least 1."}


def test_an_unlimited_package_with_dates_is_fine(spa: Spa) -> None:
    view = save(spa, Terms(title="March sauna", value_type=ValueType.UNLIMITED, all_services=False,
                           service_ids=(spa.sauna,), date_range=(date(2026, 3, 1), date(2026, 3, 31)), price=9000))
    assert view.summary == "unlimited · Sauna · 1–31 Mar 2026 · $90.00"


def test_a_bad_edit_leaves_the_package_as_it_was(spa: Spa) -> None:
    view = save(spa, replace(PACK, service_ids=(spa.swedish,)))
    assert refused(spa, replace(view.terms, quantity=0, price=-1), package_id=view.id) == {
        "quantity": "At least 1 visit.", "price": "The price cannot be negative."}
    assert spa.desk.read(catalogue.get_package, spa.desk.business, view.id) == view


def test_editing_a_missing_package(spa: Spa) -> None:
    with pytest.raises(NotFound):
        save(spa, replace(PACK, service_ids=(spa.swedish,)), package_id=999)


# ---- titles, archived things, managers ----------------------------------------------------------

def test_an_active_title_is_unique_whatever_its_case(spa: Spa) -> None:
    first = save(spa, replace(PACK, service_ids=(spa.swedish,)))
    assert refused(spa, replace(PACK, title=" massage PACK ", all_services=True)) == {
        "title": "Another active package is already called 'massage PACK'."}
    # a package may keep its own title when edited
    assert save(spa, replace(first.terms, price=30000), package_id=first.id).terms.price == 30000
    other = save(spa, replace(PACK, title="Other pack", all_services=True))
    assert refused(spa, replace(other.terms, title="MASSAGE pack"), package_id=other.id) == {
        "title": "Another active package is already called 'MASSAGE pack'."}


def test_a_title_is_free_again_once_the_other_package_is_archived(spa: Spa) -> None:
    old = save(spa, replace(PACK, service_ids=(spa.swedish,)))
    assert archive(spa, old.id).archived
    new = save(spa, replace(PACK, title="massage pack", all_services=True))
    assert listed(spa) == ["massage pack"]
    assert sorted(listed(spa, include_archived=True)) == ["Massage Pack", "massage pack"]
    # the archived one cannot come back while its title is taken
    with pytest.raises(InvalidInput) as error:
        archive(spa, old.id, archived=False)
    assert error.value.fields == {"title": "Another active package is already called 'Massage Pack'."}
    archive(spa, new.id)
    assert not archive(spa, old.id, archived=False).archived
    assert listed(spa) == ["Massage Pack"]


def test_archived_services_and_providers_cannot_be_put_in_a_package(spa: Spa) -> None:
    spa.desk.by(spa.manager).write(catalogue.archive_service, spa.sauna)
    spa.desk.by(spa.manager).write(catalogue.archive_provider, spa.ben)
    assert refused(spa, replace(PACK, service_ids=(spa.swedish, spa.sauna))) == {"services": "Sauna is archived."}
    assert refused(spa, Terms(title="Journey", contents=Contents.FIXED, value_type=None,
                              fixed_lines=(FixedLine(spa.sauna, "", 2),))) == {"services": "Sauna is archived."}
    assert refused(spa, replace(PACK, service_ids=(spa.swedish,), provider_id=spa.ben)) == {
        "provider": "Ben is archived."}
    spa.desk.by(spa.manager).write(catalogue.archive_service, spa.thai)
    assert refused(spa, replace(PACK, service_ids=(spa.thai, spa.sauna)))["services"] == (
        "Thai Massage and Sauna are archived.")
    assert listed(spa, include_archived=True) == []


def test_reception_cannot_save_or_archive_packages(spa: Spa) -> None:
    with pytest.raises(NotAllowed, match="Only a manager can edit packages."):
        save(spa, replace(PACK, service_ids=(spa.swedish,)), actor=spa.reception)
    assert listed(spa, include_archived=True) == []
    package = save(spa, replace(PACK, service_ids=(spa.swedish,)))
    with pytest.raises(NotAllowed, match="Only a manager can archive packages."):
        spa.desk.by(spa.reception).write(catalogue.archive_package, spa.desk.business, package_id=package.id)
    assert listed(spa) == ["Massage Pack"]


# ---- sold packages ------------------------------------------------------------------------------

def test_editing_a_sold_package_never_changes_what_the_customer_bought(spa: Spa) -> None:
    original = save(spa, replace(PACK, service_ids=(spa.swedish,), weekdays=frozenset({0}),
                                 window=(time(10), time(13))))
    maria = spa.customer()
    bought = spa.sell(maria, original.id)
    pay(spa, spa.book(maria, spa.swedish, at(MON, 11)), "monday")
    edited = save(spa, Terms(title="Massage Pack XL", value_type=ValueType.VISITS, quantity=10, price=50000),
                  package_id=original.id)
    assert edited.summary == "10 visits · all services · $500.00"
    assert spa.desk.read(catalogue.get_package, spa.desk.business, original.id) == edited

    holding = spa.desk.read(appointments.customer_holdings, spa.desk.business, customer_id=maria)[0]
    assert holding.id == bought
    assert (holding.title, holding.terms) == ("Massage Pack", original.terms)
    assert (holding.terms.quantity, holding.terms.price, holding.terms.service_ids) == (5, 35000, (spa.swedish,))
    assert holding.balance_text == "4 of 5 visits"
    assert holding.restrictions_text == "Mondays 10:00–13:00"
    # the old holding is still Mondays-only Swedish; a new sale follows the new terms
    tuesday_thai = spa.book(maria, spa.thai, at(TUE, 15))
    coverage = spa.desk.read(appointments.preview_cover, spa.desk.business, customer_id=maria,
                             service_id=spa.thai, holding_id=bought, starts_at=at(TUE, 15))
    assert coverage.reasons == ("Thai Massage not included", "Mondays only", "10:00–13:00 only")
    new = spa.sell(maria, original.id)
    receipt = pay(spa, tuesday_thai, "tuesday")
    assert [(line.holding_id, line.description) for line in receipt.payments] == [
        (new, "1 visit from Massage Pack XL, 9 visits left")]
    assert spa.desk.read(catalogue.get_package, spa.desk.business, original.id).sold_count == 2


def test_sold_count_counts_holdings_sold_and_assigned(spa: Spa) -> None:
    package = save(spa, replace(PACK, service_ids=(spa.swedish,)))
    other = save(spa, replace(PACK, title="Other", all_services=True))
    maria, ben = spa.customer(), spa.customer("Ben Okafor")
    spa.sell(maria, package.id)
    spa.sell(ben, package.id)
    spa.desk.by(spa.manager).write(sales.assign, spa.desk.business, customer_id=maria, package_id=package.id,
                                   reason="gift")
    views = {view.title: view.sold_count for view in spa.desk.read(catalogue.list_packages, spa.desk.business)}
    assert views == {"Massage Pack": 3, "Other": 0}
    assert spa.desk.read(catalogue.get_package, spa.desk.business, other.id).sold_count == 0


def test_archived_packages_are_not_sold_nor_listed(spa: Spa) -> None:
    package = save(spa, replace(PACK, service_ids=(spa.swedish,)))
    maria = spa.customer()
    bought = spa.sell(maria, package.id)
    archive(spa, package.id)
    with pytest.raises(InvalidInput) as not_sold:
        spa.desk.by(spa.reception).write(sales.sell, spa.desk.business, customer_id=maria, package_id=package.id,
                                         tenders=[TenderLine(Tender.CARD, 35000)])
    assert not_sold.value.fields == {"package": "Massage Pack is archived and no longer sold."}
    with pytest.raises(InvalidInput, match="archived"):
        spa.desk.by(spa.manager).write(sales.assign, spa.desk.business, customer_id=maria, package_id=package.id,
                                       reason="gift")
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    with pytest.raises(InvalidInput, match="archived"):
        pay(spa, visit, "sell", package=None, sell_package_id=package.id,
            sale_tenders=[TenderLine(Tender.CARD, 35000)])
    assert listed(spa) == [] and listed(spa, for_sale_only=True) == []
    archived = spa.desk.read(catalogue.list_packages, spa.desk.business, include_archived=True)
    assert [(view.title, view.archived, view.sold_count) for view in archived] == [("Massage Pack", True, 1)]
    # what was bought before still works
    receipt = pay(spa, visit, "use")
    assert [line.holding_id for line in receipt.payments] == [bought]


def test_for_sale_only_hides_not_for_sale_packages(spa: Spa) -> None:
    save(spa, replace(PACK, service_ids=(spa.swedish,)))
    save(spa, Terms(title="Goodwill massage", value_type=ValueType.VISITS, quantity=1, for_sale=False))
    archived = save(spa, replace(PACK, title="Old pack", all_services=True))
    archive(spa, archived.id)
    assert listed(spa) == ["Goodwill massage", "Massage Pack"]
    assert listed(spa, for_sale_only=True) == ["Massage Pack"]
    assert listed(spa, include_archived=True) == ["Goodwill massage", "Massage Pack", "Old pack"]
    assert listed(spa, include_archived=True, for_sale_only=True) == ["Massage Pack", "Old pack"]
