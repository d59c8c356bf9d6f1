"""A small day spa to run use cases against: staff, services, providers."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import pytest

from frontdesk.domain.kinds import Role, Tender
from frontdesk.domain.terms import Terms
from frontdesk.services import appointments, catalogue, customers, sales
from frontdesk.services.desk import Desk
from frontdesk.services.sales import TenderLine


@dataclass
class Spa:
    """Ids of a small catalogue, and shortcuts for the common steps of a test."""

    desk: Desk
    manager: int
    reception: int
    swedish: int  # 60 min, $80
    thai: int  # 90 min, $100
    sauna: int  # 30 min, $25
    lesson: int  # 60 min, $60
    anna: int
    ben: int

    def package(self, terms: Terms, **changes: Any) -> int:
        view = self.desk.write(catalogue.save_package, self.desk.business, terms=replace(terms, **changes),
                               actor=self.manager)
        return view.id

    def customer(self, name: str = "Maria Lopez", **fields: str) -> int:
        return self.desk.write(customers.create_customer, name=name, **fields).id

    def sell(self, customer_id: int, package_id: int, *, now: datetime | None = None, tender: Tender = Tender.CARD) -> int:
        price = self.desk.read(catalogue.get_package, self.desk.business, package_id).terms.price
        tenders = [TenderLine(tender, price)] if price else []
        return self.desk.write(sales.sell, self.desk.business, customer_id=customer_id, package_id=package_id,
                               tenders=tenders, actor=self.reception, now=now or self.desk.now()).id

    def book(self, customer_id: int, service_id: int, starts_at: datetime, **extra: Any) -> int:
        booking = self.desk.write(appointments.book, self.desk.business, customer_id=customer_id,
                                  service_id=service_id, starts_at=starts_at, actor=self.reception,
                                  now=self.desk.now(), **extra)
        return booking.appointment.id


@pytest.fixture
def spa(desk: Desk) -> Spa:
    manager = desk.write(catalogue.add_staff, name="Grace (manager)", role=Role.MANAGER).id
    reception = desk.write(catalogue.add_staff, name="Rita (reception)", role=Role.RECEPTION).id
    service = lambda name, minutes, price: desk.write(  # noqa: E731
        catalogue.add_service, name=name, duration_min=minutes, price=price).id
    provider = lambda name: desk.write(catalogue.add_provider, name=name).id  # noqa: E731
    return Spa(
        desk=desk, manager=manager, reception=reception,
        swedish=service("Swedish Massage", 60, 8000), thai=service("Thai Massage", 90, 10000),
        sauna=service("Sauna", 30, 2500), lesson=service("Basic Lesson", 60, 6000),
        anna=provider("Anna"), ben=provider("Ben"),
    )
