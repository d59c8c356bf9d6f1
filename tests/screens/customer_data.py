"""The small spa of the lookup, customer and dialog screen tests (see `tests/world.py`)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from frontdesk.domain.kinds import Tender
from frontdesk.domain.terms import Period, PeriodUnit, Terms, ValueType
from frontdesk.services import checkout
from frontdesk.services.desk import Desk
from frontdesk.services.sales import TenderLine
from frontdesk.services.views import HoldingView
from tests.conftest import NOW
from tests.world import World


class Spa(World):
    """Grace Kim (manager), Rita Alvarez (reception, at the desk), Swedish Massage and Facial, Anna;
    three packages and three customers. The shortcuts act for Maria unless told otherwise."""

    def __init__(self, desk: Desk) -> None:
        super().__init__(desk, services=("Swedish Massage", "Facial"), providers=("Anna",))
        self.massage_pack = self.package(Terms(
            title="Massage Pack", value_type=ValueType.VISITS, quantity=5, all_services=False,
            service_ids=(self.swedish,), price=35000, expires_in=Period(6, PeriodUnit.MONTHS)))
        self.goodwill = self.package(Terms(
            title="Goodwill Visit", value_type=ValueType.VISITS, quantity=1, price=0, for_sale=False,
            expires_in=Period(3, PeriodUnit.MONTHS)))
        self.spa_credit = self.package(Terms(
            title="$200 Spa Credit", value_type=ValueType.AMOUNT, quantity=20000, price=18000,
            expires_in=Period(1, PeriodUnit.MONTHS)))
        self.maria = self.customer("Maria Lopez", phone="(555) 201-3344", email="maria.lopez@example.com",
                                   note="Regular since 2019.")
        self.marta = self.customer("Marta Jones", phone="(555) 300-1111")
        self.john = self.customer("John Carter", phone="(555) 248-9012", email="john.carter@example.com")
        desk.staff = self.rita

    def book(self, starts_at: datetime, *, customer: int | None = None,  # type: ignore[override]
             service: int | None = None, provider: int | None = None) -> int:
        """Maria's Swedish Massage (unless told otherwise), booked a month ago."""
        return super().book(customer or self.maria, service or self.swedish, starts_at, provider_id=provider,
                            now=NOW - timedelta(days=30))

    def sell(self, package_id: int, *, customer: int | None = None,  # type: ignore[override]
             days_ago: int = 0) -> int:
        """Sold to Maria (unless told otherwise), paid by card."""
        return super().sell(customer or self.maria, package_id, now=NOW - timedelta(days=days_ago))

    def pay_by_package(self, appointment_id: int, holding_id: int, *, days_ago: int = 0) -> None:
        self.desk.by(self.rita.id, at=NOW - timedelta(days=days_ago)).write(checkout.checkout, self.business,
                                                                            key=f"package-{appointment_id}",
                                                                            appointment_id=appointment_id,
                                                                            package=holding_id)

    def pay_by_card(self, appointment_id: int, amount: int, *, days_ago: int = 0) -> None:
        self.desk.by(self.rita.id, at=NOW - timedelta(days=days_ago)).write(checkout.checkout, self.business,
                                                                            key=f"card-{appointment_id}",
                                                                            appointment_id=appointment_id,
                                                                            tenders=[TenderLine(Tender.CARD, amount)])

    def holdings(self, customer: int | None = None, now: datetime | None = None) -> list[HoldingView]:
        return super().holdings(customer or self.maria, now or NOW)


@pytest.fixture
def spa(screen_desk: Desk) -> Spa:
    return Spa(screen_desk)
