"""Data for the lookup, customer and dialog screen tests.

`Spa` is a small spa built through the use cases (fast, for Pilot tests); `demo_desk` is a desk
on a copy of the demo day spa (`frontdesk.demo.populate`, built once per test run), for
snapshots that should look like a real day at the desk.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from frontdesk.db import create_db_engine
from frontdesk.demo import populate
from frontdesk.domain.money import currency_for
from frontdesk.domain.terms import Period, PeriodUnit, Terms, ValueType
from frontdesk.models import Role, Tender
from frontdesk.services import appointments, catalogue, checkout, customers, sales
from frontdesk.services.desk import Desk
from frontdesk.services.sales import TenderLine
from frontdesk.services.views import Business, StaffView
from tests.conftest import NOW


@dataclass
class Spa:
    """Grace (manager), Rita (reception), two services, Anna, three packages, three customers."""

    desk: Desk
    grace: StaffView
    rita: StaffView
    swedish: int
    facial: int
    anna: int
    massage_pack: int
    goodwill: int
    spa_credit: int
    maria: int
    marta: int
    john: int

    @classmethod
    def build(cls, desk: Desk) -> Spa:
        business = desk.business
        write = desk.write
        grace = write(catalogue.add_staff, name="Grace Kim", role=Role.MANAGER)
        rita = write(catalogue.add_staff, name="Rita Alvarez", role=Role.RECEPTION)
        swedish = write(catalogue.add_service, name="Swedish Massage", duration_min=60, price=8000).id
        facial = write(catalogue.add_service, name="Facial", duration_min=45, price=7000).id
        anna = write(catalogue.add_provider, name="Anna").id
        massage_pack = write(catalogue.save_package, business, actor=grace.id, terms=Terms(
            title="Massage Pack", value_type=ValueType.VISITS, quantity=5, all_services=False,
            service_ids=(swedish,), price=35000, expires_in=Period(6, PeriodUnit.MONTHS))).id
        goodwill = write(catalogue.save_package, business, actor=grace.id, terms=Terms(
            title="Goodwill Visit", value_type=ValueType.VISITS, quantity=1, price=0, for_sale=False,
            expires_in=Period(3, PeriodUnit.MONTHS))).id
        spa_credit = write(catalogue.save_package, business, actor=grace.id, terms=Terms(
            title="$200 Spa Credit", value_type=ValueType.AMOUNT, quantity=20000, price=18000,
            expires_in=Period(1, PeriodUnit.MONTHS))).id
        maria = write(customers.create_customer, name="Maria Lopez", phone="(555) 201-3344",
                      email="maria.lopez@example.com", note="Regular since 2019.").id
        marta = write(customers.create_customer, name="Marta Jones", phone="(555) 300-1111").id
        john = write(customers.create_customer, name="John Carter", phone="(555) 248-9012",
                     email="john.carter@example.com").id
        desk.staff = rita
        return cls(desk, grace, rita, swedish, facial, anna, massage_pack, goodwill, spa_credit,
                   maria, marta, john)

    @property
    def business(self) -> Business:
        return self.desk.business

    def day(self, offset: int = 0) -> date:
        return NOW.astimezone(self.business.tz).date() + timedelta(days=offset)

    def at(self, offset: int, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(self.day(offset), time(hour, minute), self.business.tz)

    def book(self, starts_at: datetime, *, customer: int | None = None, service: int | None = None,
             provider: int | None = None) -> int:
        return self.desk.write(
            appointments.book, self.business, customer_id=customer or self.maria,
            service_id=service or self.swedish, provider_id=provider, starts_at=starts_at,
            actor=self.rita.id, now=NOW - timedelta(days=30)).appointment.id

    def sell(self, package_id: int, *, customer: int | None = None, days_ago: int = 0) -> int:
        price = self.desk.read(catalogue.get_package, self.business, package_id).terms.price
        return self.desk.write(
            sales.sell, self.business, customer_id=customer or self.maria, package_id=package_id,
            tenders=[TenderLine(Tender.CARD, price)] if price else [], actor=self.rita.id,
            now=NOW - timedelta(days=days_ago)).id

    def pay_by_package(self, appointment_id: int, holding_id: int, *, days_ago: int = 0) -> None:
        self.desk.write(checkout.checkout, self.business, key=f"package-{appointment_id}",
                        appointment_id=appointment_id, actor=self.rita.id, package=holding_id,
                        now=NOW - timedelta(days=days_ago))

    def pay_by_card(self, appointment_id: int, amount: int, *, days_ago: int = 0) -> None:
        self.desk.write(checkout.checkout, self.business, key=f"card-{appointment_id}",
                        appointment_id=appointment_id, actor=self.rita.id,
                        tenders=[TenderLine(Tender.CARD, amount)], now=NOW - timedelta(days=days_ago))

    def holdings(self, customer: int | None = None) -> list:  # type: ignore[type-arg]
        return self.desk.read(appointments.customer_holdings, self.business,
                              customer_id=customer or self.maria, now=NOW)


@pytest.fixture
def spa(screen_desk: Desk) -> Spa:
    return Spa.build(screen_desk)


# ---- the demo day spa, built once per run ---------------------------------------------------------

@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    shutil.copy(sqlite_template, path)
    engine = create_db_engine(f"sqlite:///{path}")
    business = Business(tz=ZoneInfo("America/New_York"), currency=currency_for("USD"))
    populate(Desk(engine, business, clock=lambda: NOW))
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture
def demo_desk(demo_file: Path, tmp_path: Path, business: Business) -> Iterator[Desk]:
    """A desk on a fresh copy of the demo, with the manager Grace Kim at the desk."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    engine = create_db_engine(f"sqlite:///{path}")
    desk = Desk(engine, business, clock=lambda: NOW)
    desk.staff = next(member for member in desk.read(catalogue.list_staff) if member.name == "Grace Kim")
    yield desk
    engine.dispose()
