"""What each screen reads, in one use case each: the customer page, the checkout page and a
checkout that returns its balances, the booking form, the sell dialog's offer, the package
editor and the services lists. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from frontdesk.domain.kinds import Tender
from frontdesk.domain.terms import Period, PeriodUnit, Terms, ValueType
from frontdesk.services import appointments, catalogue, checkout, customers, ledger, sales
from frontdesk.services.errors import NotFound
from frontdesk.services.sales import TenderLine
from tests.store.conftest import Spa
from tests.store.test_examples import MON, TUE, at

VISITS_5 = Terms(title="Massage Pack", value_type=ValueType.VISITS, quantity=5, all_services=False, price=35000)
CREDIT = Terms(title="Spa Credit", value_type=ValueType.AMOUNT, quantity=20000, price=18000)
SAUNA_MONDAYS = Terms(title="Monday Sauna", value_type=ValueType.VISITS, quantity=3, all_services=False,
                      price=6000, weekdays=frozenset({0}))


def test_the_customer_page_puts_unpaid_appointments_first_today_first(spa: Spa) -> None:
    maria = spa.customer()
    pack = spa.sell(maria, spa.package(VISITS_5, service_ids=(spa.swedish,)))
    credit = spa.sell(maria, spa.package(CREDIT))
    next_week = spa.book(maria, spa.swedish, at(MON + timedelta(days=7), 11))
    tomorrow = spa.book(maria, spa.swedish, at(TUE, 11))
    today = spa.book(maria, spa.swedish, at(MON, 16))
    paid = spa.book(maria, spa.sauna, at(MON, 9))
    spa.desk.by(spa.reception).write(checkout.checkout, spa.desk.business, key="sauna", appointment_id=paid,
                                     tenders=[TenderLine(Tender.CARD, 2500)])

    page = spa.desk.read(customers.customer_page, spa.desk.business, customer_id=maria, history_limit=1)

    assert page.customer.name == "Maria Lopez"
    assert sorted(view.id for view in page.holdings) == [pack, credit]
    # unpaid: today's first, then the nearest (tomorrow before next week); then the paid one
    assert [a.id for a in page.appointments] == [today, tomorrow, next_week, paid]
    # two sales, two entries: the newest one is read, and the page knows there is more
    assert [line.holding_id for line in page.history] == [credit] and page.more_history


def test_the_customer_page_of_nobody_is_refused(spa: Spa) -> None:
    with pytest.raises(NotFound):
        spa.desk.read(customers.customer_page, spa.desk.business, customer_id=999, history_limit=5)


def test_the_checkout_page_marks_the_default_and_pay_returns_the_balance_left(spa: Spa) -> None:
    maria = spa.customer()
    pack = spa.sell(maria, spa.package(VISITS_5, service_ids=(spa.swedish,)))
    credit = spa.sell(maria, spa.package(CREDIT))
    visit = spa.book(maria, spa.swedish, at(TUE, 11))

    page = spa.desk.read(checkout.checkout_page, spa.desk.business, appointment_id=visit)
    assert page.appointment.due == 8000
    # neither expires: the older purchase is the default
    assert page.default is not None and page.default.holding.id == pack
    assert {option.holding.id for option in page.options} == {pack, credit}

    paid = spa.desk.by(spa.reception).write(checkout.pay, spa.desk.business, key="k", appointment_id=visit,
                                            package=pack)
    assert paid.appointment.is_paid and paid.receipt.total == 8000
    assert [(view.id, view.remaining) for view in paid.holdings] == [(pack, 5 - 1)]


def test_the_booking_form_offers_what_can_be_booked_and_her_active_holdings(spa: Spa) -> None:
    maria = spa.customer()
    pack = spa.sell(maria, spa.package(VISITS_5, service_ids=(spa.swedish,)))
    void = spa.sell(maria, spa.package(CREDIT))
    spa.desk.by(spa.manager).write(ledger.void, spa.desk.business, holding_id=void, reason="sold by mistake")
    spa.desk.by(spa.manager).write(catalogue.archive_service, spa.lesson)

    form = spa.desk.read(appointments.booking_form, spa.desk.business, customer_id=maria)

    assert form.customer.id == maria
    assert [service.name for service in form.services] == ["Sauna", "Swedish Massage", "Thai Massage"]
    assert [provider.name for provider in form.providers] == ["Anna", "Ben"]
    assert [holding.id for holding in form.holdings] == [pack]  # the void one is not offered


def test_the_sale_offer_puts_packages_that_would_cover_the_visit_first(spa: Spa) -> None:
    maria = spa.customer()
    massage = spa.package(VISITS_5, service_ids=(spa.swedish,))
    credit = spa.package(CREDIT)
    mondays = spa.package(SAUNA_MONDAYS, service_ids=(spa.sauna,))
    spa.package(VISITS_5, title="Gift Visits", service_ids=(spa.swedish,), for_sale=False)
    visit = spa.book(maria, spa.swedish, at(TUE, 11))

    offer = spa.desk.read(sales.sale_page, spa.desk.business, customer_id=maria, appointment_id=visit)

    ids = [choice.package.id for choice in offer.choices]
    # the massage pack (made for the service) and the credit cover it; the sauna package does not;
    # a package not for sale is never offered
    assert ids == [massage, credit, mondays]
    assert [choice.covers for choice in offer.choices] == [True, True, False]
    assert offer.choices[2].coverage is not None
    assert offer.choices[2].coverage.reasons == ("Swedish Massage not included", "Mondays only")
    assert offer.choices[1].coverage.take.value == 8000  # $200 of credit pays the $80 in full

    no_visit = spa.desk.read(sales.sale_page, spa.desk.business, customer_id=maria, appointment_id=None)
    assert no_visit.appointment is None and all(choice.coverage is None for choice in no_visit.choices)


def test_a_sale_offer_judges_the_expiry_a_new_holding_would_have(spa: Spa) -> None:
    maria = spa.customer()
    one_week = spa.package(VISITS_5, service_ids=(spa.swedish,), expires_in=Period(1, PeriodUnit.WEEKS))
    visit = spa.book(maria, spa.swedish, at(MON + timedelta(days=10), 11))

    offer = spa.desk.read(sales.sale_page, spa.desk.business, customer_id=maria, appointment_id=visit)

    [choice] = offer.choices
    assert choice.package.id == one_week and not choice.covers
    # bought today (Mon 2 Mar) for one week: valid through Mon 9 Mar, no longer on Tue 10 Mar
    assert "expired 10 Mar" in choice.coverage.reasons


def test_the_package_editor_and_the_services_lists_include_archived_rows(spa: Spa) -> None:
    pack = spa.package(VISITS_5, service_ids=(spa.swedish,))
    spa.package(CREDIT)
    spa.desk.by(spa.manager).write(catalogue.archive_provider, spa.ben)

    editor = spa.desk.read(catalogue.package_editor, spa.desk.business, package_id=pack)
    assert editor.package is not None and editor.package.title == "Massage Pack"
    assert {provider.name for provider in editor.providers} == {"Anna", "Ben"}  # archived ones are named
    assert editor.facts.other_active_titles == frozenset({"spa credit"})  # itself excepted
    assert spa.ben in editor.facts.archived_provider_ids

    new = spa.desk.read(catalogue.package_editor, spa.desk.business, package_id=None)
    assert new.package is None and new.facts.other_active_titles == frozenset({"massage pack", "spa credit"})

    lists = spa.desk.read(catalogue.services_and_providers)
    assert [(p.name, p.archived) for p in lists.providers] == [("Anna", False), ("Ben", True)]
    assert len(lists.services) == 4


def test_her_history_pages_through_entries_and_both_kinds_of_refund_newest_first(spa: Spa) -> None:
    """The refunds of her appointments and of her packages sold are in her history among the
    entries, in time order (an entry before a refund of the same moment), and page by page the
    same as at once; another customer's refunds are not."""
    maria, anna = spa.customer(), spa.customer("Anna Smith")
    pack = spa.package(VISITS_5, service_ids=(spa.swedish,))
    start = spa.desk.now()

    def minutes(count: int):  # noqa: ANN202
        return start + timedelta(minutes=count)

    manager = spa.desk.by(spa.manager, at=minutes(3))
    sold = spa.sell(maria, pack, now=minutes(0))  # +5 visits; $350.00 by card
    spa.sell(anna, pack, now=minutes(0))
    visit = spa.book(maria, spa.swedish, at(TUE, 11), now=minutes(1))
    spa.desk.by(spa.reception, at=minutes(1)).write(checkout.checkout, spa.desk.business, key="card",
                                                    appointment_id=visit, tenders=[TenderLine(Tender.CARD, 8000)])
    spa.desk.by(spa.manager, at=minutes(2)).write(appointments.cancel, spa.desk.business, appointment_id=visit,
                                                  reason="she is ill", refunds=[TenderLine(Tender.CARD, 8000)])
    manager.write(ledger.void, spa.desk.business, holding_id=sold, reason="sold twice",
                  refunds=[TenderLine(Tender.CARD, 35000)])  # -5 visits and $350.00 back, at the same moment
    others = spa.desk.read(ledger.history, spa.desk.business, customer_id=anna)
    assert [(line.kind, line.delta) for line in others] == [("sale", 5)]

    def read(limit: int, before: ledger.HistoryCursor | None = None) -> list[ledger.LedgerLine]:
        return spa.desk.read(ledger.history, spa.desk.business, customer_id=maria, limit=limit, before=before)

    everything = read(50)
    assert [(line.kind, line.delta, line.at) for line in everything] == [
        ("void", -5, minutes(3)), ("refund", -35000, minutes(3)), ("refund", -8000, minutes(2)),
        ("sale", 5, minutes(0))]
    assert [line.holding_id for line in everything] == [sold, sold, None, sold]
    for size in (1, 2, 3):
        pages: list[ledger.LedgerLine] = []
        while page := read(size, pages[-1].cursor if pages else None):
            assert len(page) <= size
            pages += page
        assert [line.key for line in pages] == [line.key for line in everything]
