"""The small day spa the store and screen tests work in, built through the use cases.

`World(desk)` adds a manager and a receptionist, a few services and providers; the shortcuts do
the common steps of a test (a package, a customer, a sale, a booking) the way the desk does.
The variants (the store tests' `Spa`, the screen tests' spas and salon) are small extensions:
each picks its staff names, services and providers, and adds its own packages and customers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

from frontdesk.domain.business import Business
from frontdesk.domain.kinds import Role, Tender
from frontdesk.domain.terms import Terms
from frontdesk.services import appointments, catalogue, customers, sales
from frontdesk.services.desk import Desk
from frontdesk.services.sales import TenderLine
from frontdesk.services.staff import add_staff_member
from frontdesk.services.views import HoldingView, StaffView
from tests.conftest import NOW

# every service a test spa may offer: (minutes, price in cents)
SERVICES = {
    "Swedish Massage": (60, 8000),
    "Thai Massage": (90, 10000),
    "Deep Tissue Massage": (60, 9500),
    "Sauna": (30, 2500),
    "Basic Lesson": (60, 6000),
    "Facial": (45, 7000),
}


class World:
    """A manager (Grace) and a receptionist (Rita), `services` and `providers`, on `desk`."""

    def __init__(self, desk: Desk, *, staff: tuple[str, str] = ("Grace Kim", "Rita Alvarez"),
                 services: Sequence[str] = ("Swedish Massage", "Thai Massage", "Sauna"),
                 providers: Sequence[str] = ("Anna", "Ben")) -> None:
        self.desk = desk
        manager, reception = staff
        # the owner first, then the receptionist she adds (no PINs: nobody signs in in these tests)
        self.grace: StaffView = desk.by(None).write(add_staff_member, name=manager, role=Role.MANAGER, pin=None)
        self.rita: StaffView = desk.by(self.grace.id).write(add_staff_member, name=reception, role=Role.RECEPTION,
                                                            pin=None)
        self.services: dict[str, int] = {
            name: desk.by(self.grace.id).write(catalogue.add_service, self.business, name=name,
                                               duration_min=SERVICES[name][0], price=SERVICES[name][1]).id
            for name in services
        }
        self.providers: dict[str, int] = {
            name: desk.by(self.grace.id).write(catalogue.add_provider, name=name).id for name in providers}

    # -- the catalogue by name --

    @property
    def business(self) -> Business:
        return self.desk.business

    @property
    def swedish(self) -> int:
        return self.services["Swedish Massage"]

    @property
    def thai(self) -> int:
        return self.services["Thai Massage"]

    @property
    def sauna(self) -> int:
        return self.services["Sauna"]

    @property
    def lesson(self) -> int:
        return self.services["Basic Lesson"]

    @property
    def facial(self) -> int:
        return self.services["Facial"]

    @property
    def anna(self) -> int:
        return self.providers["Anna"]

    @property
    def ben(self) -> int:
        return self.providers["Ben"]

    # -- days at the test clock --

    def day(self, offset: int = 0) -> date:
        """The test clock's local day, `offset` days on."""
        return NOW.astimezone(self.business.tz).date() + timedelta(days=offset)

    def at(self, offset: int, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(self.day(offset), time(hour, minute), self.business.tz)

    # -- the shortcuts --

    def package(self, terms: Terms, **changes: Any) -> int:
        """A package for sale, saved by the manager."""
        return self.desk.by(self.grace.id).write(catalogue.save_package, self.business,
                                                 terms=replace(terms, **changes)).id

    def customer(self, name: str = "Maria Lopez", **fields: Any) -> int:
        """A new customer, added by whoever is at the desk (the receptionist when nobody is)."""
        desk = self.desk.by(self.desk.acting_id or self.rita.id)
        return desk.write(customers.create_customer, desk.business, name=name, **fields).id

    def sell(self, customer_id: int, package_id: int, *, now: datetime | None = None,
             tender: Tender = Tender.CARD, actor: int | None = None) -> int:
        """Sell the package at its price (paid by `tender`); the receptionist, unless `actor`."""
        price = self.desk.read(catalogue.get_package, self.business, package_id).terms.price
        tenders = [TenderLine(tender, price)] if price else []
        desk = self.desk.by(actor or self.rita.id, at=now or self.desk.now())
        return desk.write(sales.sell, self.business, customer_id=customer_id, package_id=package_id,
                          tenders=tenders).id

    def book(self, customer_id: int, service_id: int, starts_at: datetime, *, now: datetime | None = None,
             actor: int | None = None, **extra: Any) -> int:
        """Book an appointment; the receptionist, unless `actor`. One that has begun by the desk's
        time was booked when it began, unless `now` says when (the desk refuses a time gone by)."""
        desk = self.desk.by(actor or self.rita.id, at=now or min(self.desk.now(), starts_at))
        booking = desk.write(appointments.book, self.business, customer_id=customer_id, service_id=service_id,
                             starts_at=starts_at, **extra)
        return booking.appointment.id

    def holdings(self, customer_id: int, now: datetime | None = None) -> list[HoldingView]:
        return self.desk.at(now or self.desk.now()).read(appointments.customer_holdings, self.business,
                                                         customer_id=customer_id)
