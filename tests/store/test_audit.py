"""The audit rows each action writes: who, to whom, what — in the same transaction as the change,
so a refused change leaves no row. SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from frontdesk.domain.kinds import Tender
from frontdesk.domain.terms import Terms, ValueType
from frontdesk.services import appointments, audit, catalogue, checkout, customers, ledger, sales
from frontdesk.services.errors import InvalidInput
from frontdesk.services.sales import TenderLine
from tests.store.conftest import Spa
from tests.store.test_examples import TUE, at

PACK = Terms(title="Massage Pack", value_type=ValueType.VISITS, quantity=5, all_services=False, price=35000)


def trail(spa: Spa, since: int) -> list[tuple[str, str, int | None]]:
    """(kind, who, customer) of every event after the `since`-th, oldest first."""
    lines = list(reversed(spa.desk.by(spa.manager).read(audit.events, limit=1000)))
    return [(line.kind, line.staff_name, line.customer_id) for line in lines[since:]]


def test_each_action_writes_its_row(spa: Spa) -> None:
    business, manager, reception = spa.desk.business, spa.manager, spa.reception
    grace, rita = "Grace (manager)", "Rita (reception)"
    start = len(spa.desk.by(spa.manager).read(audit.events, limit=1000))  # the world's own setting up

    pack = spa.desk.by(manager).write(catalogue.save_package, business,
                                      terms=replace(PACK, service_ids=(spa.swedish,))).id
    maria = spa.desk.by(reception).write(customers.create_customer, business, name="Maria Lopez", phone="555 201 3344").id
    spa.desk.by(reception).write(customers.update_customer, business, customer_id=maria, name="Maria Lopez",
                                 phone="555 201 3345")
    holding = spa.desk.by(reception).write(sales.sell, business, customer_id=maria, package_id=pack,
                                           tenders=[TenderLine(Tender.CARD, 35000)]).id
    visit = spa.desk.by(reception).write(appointments.book, business, customer_id=maria, service_id=spa.swedish,
                                         starts_at=at(TUE, 11)).appointment.id
    spa.desk.by(reception).write(checkout.checkout, business, key="k", appointment_id=visit, package=holding)
    spa.desk.by(manager).write(appointments.reverse_redemption, business, appointment_id=visit, reason="forgiven")
    spa.desk.by(manager).write(ledger.adjust, business, holding_id=holding, delta=1, reason="birthday")
    gift = spa.desk.by(manager).write(sales.assign, business, customer_id=maria, package_id=pack, reason="goodwill").id
    spa.desk.by(manager).write(ledger.void, business, holding_id=gift, reason="given twice")
    later = spa.desk.by(reception).write(appointments.book, business, customer_id=maria, service_id=spa.swedish,
                                         starts_at=at(TUE, 15)).appointment.id
    spa.desk.by(reception).write(appointments.cancel, business, appointment_id=later)
    spa.desk.by(manager).write(catalogue.archive_service, spa.sauna)

    assert trail(spa, start) == [
        ("package saved", grace, None),
        ("customer added", rita, maria),
        ("customer edited", rita, maria),
        ("sale", rita, maria),
        ("booked", rita, maria),
        ("checkout", rita, maria),
        ("reverse", grace, maria),
        ("adjust", grace, maria),
        ("assign", grace, maria),
        ("void", grace, maria),
        ("booked", rita, maria),
        ("cancel", rita, maria),
        ("archived", grace, None),
    ]
    sale = spa.desk.by(spa.manager).read(audit.events, kind=audit.AuditKind.SALE)[0]
    assert (sale.subject, sale.detail) == (f"holding {holding}", "Massage Pack: card $350.00")


def test_a_refused_change_leaves_no_row(spa: Spa) -> None:
    before = spa.desk.by(spa.manager).read(audit.events, limit=1000)
    with pytest.raises(InvalidInput):
        spa.desk.by(spa.reception).write(customers.create_customer, spa.desk.business, name=" ")
    assert spa.desk.by(spa.manager).read(audit.events, limit=1000) == before


def test_the_managers_page_filters_by_customer_and_days(spa: Spa) -> None:
    """Maria's sale two days ago, Ben's today, Maria's booking today; the filters pick them out."""
    pack = spa.package(PACK, service_ids=(spa.swedish,))
    maria = spa.customer("Maria Lopez", phone="555 201 3344")
    ben = spa.customer("Ben Okafor", email="ben@okafor.io")
    two_days_ago = spa.desk.now() - timedelta(days=2)
    spa.sell(maria, pack, now=two_days_ago)
    spa.sell(ben, pack)
    spa.book(maria, spa.swedish, at(TUE, 11))
    today, business = spa.day(0), spa.desk.business

    def page(**filters: object) -> list[tuple[str, str]]:
        lines = spa.desk.by(spa.manager).read(audit.audit_page, business, kind=None, **filters).lines
        return [(line.kind, line.customer_name) for line in lines if line.customer_name]

    everything = [("booked", "Maria Lopez"), ("sale", "Ben Okafor"), ("customer added", "Ben Okafor"),
                  ("customer added", "Maria Lopez"), ("sale", "Maria Lopez")]
    assert sorted(page()) == sorted(everything)
    assert page(customer="maria") == [("booked", "Maria Lopez"), ("customer added", "Maria Lopez"),
                                      ("sale", "Maria Lopez")]
    assert page(customer="201 3344") == page(customer="maria")  # her phone finds her too
    assert page(customer="okafor.io") == [("sale", "Ben Okafor"), ("customer added", "Ben Okafor")]
    assert page(first_day=today - timedelta(days=2), last_day=today - timedelta(days=2)) == [("sale", "Maria Lopez")]
    assert ("sale", "Maria Lopez") not in page(first_day=today)
    assert page(customer="maria", last_day=today - timedelta(days=1)) == [("sale", "Maria Lopez")]
    assert page(customer="nobody") == []
