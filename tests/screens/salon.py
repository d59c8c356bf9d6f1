"""The small spa of the checkout and booking screen tests (see `tests/world.py`): the demo spa's
catalogue trimmed to what they need, with the manager at the desk."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlmodel import func, select

from frontdesk.domain.kinds import EntryKind
from frontdesk.domain.terms import Period, PeriodUnit, Terms, ValueType
from frontdesk.models import Checkout, LedgerEntry, Payment
from frontdesk.services import appointments, checkout
from frontdesk.services.desk import Desk
from frontdesk.services.views import AppointmentView, HoldingView
from tests.conftest import NOW
from tests.world import World


class Salon(World):
    """Grace Kim (manager, at the desk), Rita Alvarez; Swedish and Thai Massage, Sauna; Anna, Ben;
    five packages and Maria. The shortcuts act for Maria, by whoever is at the desk."""

    def __init__(self, desk: Desk) -> None:
        super().__init__(desk)
        desk.staff = self.grace
        months = lambda n: Period(n, PeriodUnit.MONTHS)  # noqa: E731
        self.massage_pack = self.package(Terms(
            title="Massage Pack", value_type=ValueType.VISITS, quantity=5, all_services=False,
            service_ids=(self.swedish,), price=35000, expires_in=months(6)))
        self.monday_massage = self.package(Terms(
            title="Monday Massage", value_type=ValueType.VISITS, quantity=4, all_services=False,
            service_ids=(self.swedish,), price=26000, weekdays=frozenset({0}), expires_in=months(3)))
        self.spa_credit = self.package(Terms(
            title="$200 Spa Credit", value_type=ValueType.AMOUNT, quantity=20000, price=18000,
            expires_in=months(1)))
        self.package(Terms(title="Morning Thai", value_type=ValueType.VISITS, quantity=3, all_services=False,
                           service_ids=(self.thai,), price=27000, window=(time(10), time(13))))
        self.goodwill = self.package(Terms(
            title="Goodwill Visit", value_type=ValueType.VISITS, quantity=1, price=0, for_sale=False,
            expires_in=months(3)))
        self.maria = self.customer("Maria Lopez", phone="(555) 201-3344")

    def book(self, starts_at: datetime, service: int | None = None,  # type: ignore[override]
             price: int | None = None, customer: int | None = None, **kwargs: object) -> int:
        """Maria's Swedish Massage (unless told otherwise), booked now (one begun already: when it began)."""
        return super().book(customer or self.maria, service or self.swedish, starts_at,
                            actor=self.desk.acting_id, now=min(NOW, starts_at), price=price, **kwargs)

    def sell(self, package_id: int, customer: int | None = None, *,  # type: ignore[override]
             days_ago: int = 0) -> int:
        """Sold to Maria (unless told otherwise), paid by card."""
        return super().sell(customer or self.maria, package_id, now=NOW - timedelta(days=days_ago),
                            actor=self.desk.acting_id)

    def spend(self, holding_id: int, starts_at: datetime) -> None:
        """Someone spends from the holding (another desk, another appointment)."""
        other = self.book(starts_at)
        self.desk.write(checkout.checkout, self.business, key=f"elsewhere-{other}",
                        appointment_id=other, package=holding_id)

    def holding(self, holding_id: int) -> HoldingView:
        return next(view for view in self.holdings(self.maria, NOW) if view.id == holding_id)

    def appointment(self, appointment_id: int) -> AppointmentView:
        return self.desk.read(appointments.get_appointment, appointment_id)

    def redemptions(self, appointment_id: int) -> int:
        return self.desk.read(lambda session: session.exec(
            select(func.count()).select_from(LedgerEntry).where(
                LedgerEntry.appointment_id == appointment_id, LedgerEntry.kind == EntryKind.REDEEM)).one())

    def checkouts(self, appointment_id: int) -> int:
        return self.desk.read(lambda session: session.exec(
            select(func.count()).select_from(Checkout).where(Checkout.appointment_id == appointment_id)).one())

    def payments(self, appointment_id: int) -> list[tuple[str, int]]:
        return self.desk.read(lambda session: [
            (row.tender, row.amount) for row in session.exec(
                select(Payment).where(Payment.appointment_id == appointment_id).order_by(Payment.id))])


def build_salon(desk: Desk) -> Salon:
    return Salon(desk)
