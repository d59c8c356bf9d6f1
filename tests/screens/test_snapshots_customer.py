"""Snapshots of the customer & balance view (holdings, appointments, history; with the folded
holdings shown; at 80×24), of the reason (adjust, cancel, cancel with a refund) and assign dialogs
and of a refund's receipt, on the demo
day spa with the fixed clock and the manager at the desk."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, time, timedelta

from textual.pilot import Pilot

from frontdesk.app import FrontDeskApp
from frontdesk.domain.periods import local_date
from frontdesk.domain.kinds import Tender
from frontdesk.services import appointments, catalogue, checkout, customers, ledger, sales
from frontdesk.services.sales import TenderLine
from frontdesk.services.desk import Desk
from tests.conftest import NOW
from tests.screens.settle import settle


def busy_customer(desk: Desk) -> int:
    """Of today's customers with an unpaid appointment and an active package, the one with the
    longest balance history."""
    business = desk.business
    today = desk.read(appointments.day_appointments, business, day=local_date(NOW, business.tz))

    def weight(customer_id: int) -> tuple[int, int]:
        holdings = desk.read(appointments.customer_holdings, business, customer_id=customer_id)
        active = any(h.status == "active" for h in holdings)
        history = desk.read(ledger.history, business, customer_id=customer_id, limit=500)
        return (active, len(history))

    unpaid = sorted({a.customer_id for a in today if a.needs_payment})
    return max(unpaid, key=lambda customer_id: (weight(customer_id), -customer_id))


def folded_customer(desk: Desk) -> int:
    """A customer with an active package and folded ones (used up, expired, void): the one with
    the most kinds of status, then the most packages."""
    best, best_weight = 0, (0, 0)
    for customer_id in range(1, 401):
        holdings = desk.read(appointments.customer_holdings, desk.business, customer_id=customer_id)
        statuses = {str(h.status) for h in holdings}
        weight = (len(statuses), len(holdings))
        if "active" in statuses and len(statuses) > 1 and weight > best_weight:
            best, best_weight = customer_id, weight
    assert best, "the demo has a customer with an active and a folded package"
    return best


def on_customer(customer_id: int, *keys: str, then: Callable[[Pilot], Awaitable[None]] | None = None):  # noqa: ANN201
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        pilot.app.open_customer(customer_id)
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)
        if then is not None:
            await then(pilot)
            await settle(pilot)

    return run_before


def test_customer_screen(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    app = FrontDeskApp(demo_desk)
    assert snap_compare(app, terminal_size=(100, 32), run_before=on_customer(busy_customer(demo_desk)))


def test_customer_screen_80x24(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    app = FrontDeskApp(demo_desk)
    assert snap_compare(app, terminal_size=(80, 24), run_before=on_customer(busy_customer(demo_desk)))


def test_customer_screen_show_all(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    app = FrontDeskApp(demo_desk)
    assert snap_compare(app, terminal_size=(100, 32), run_before=on_customer(folded_customer(demo_desk), "h"))


def test_adjust_dialog_with_a_refusal(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    async def refused(pilot: Pilot) -> None:
        await pilot.press("-", "9", "9", "9", "enter", "t", "y", "p", "o", "ctrl+s")

    app = FrontDeskApp(demo_desk)
    assert snap_compare(app, terminal_size=(100, 32),
                        run_before=on_customer(busy_customer(demo_desk), "shift+tab", "j", then=refused))


def test_cancel_appointment_dialog(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    app = FrontDeskApp(demo_desk)
    assert snap_compare(app, terminal_size=(100, 32), run_before=on_customer(busy_customer(demo_desk), "x"))


def test_assign_dialog(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    async def reason(pilot: Pilot) -> None:
        await pilot.press("enter", *"birthday", "space", *"gift")

    app = FrontDeskApp(demo_desk)
    assert snap_compare(app, terminal_size=(100, 32),
                        run_before=on_customer(busy_customer(demo_desk), "a", then=reason))


def paid_ahead_by_card(desk: Desk) -> tuple[int, int]:
    """The busy customer's Facial tomorrow at 10:00, booked and paid ahead by card: (customer, appointment)."""
    customer_id = busy_customer(desk)
    business = desk.business
    facial = next(service.id for service in desk.read(catalogue.list_services) if service.name == "Facial")
    tomorrow = datetime.combine(local_date(NOW, business.tz) + timedelta(days=1), time(10), business.tz)
    visit = desk.write(appointments.book, business, customer_id=customer_id, service_id=facial,
                       starts_at=tomorrow).appointment
    desk.write(checkout.checkout, business, key="snapshot-card", appointment_id=visit.id, package=None,
               tenders=[TenderLine(Tender.CARD, visit.price)])
    return customer_id, visit.id


def on_appointment(appointment_id: int, *keys: str) -> Callable[[Pilot], Awaitable[None]]:
    async def select(pilot: Pilot) -> None:
        screen = pilot.app.screen
        rows = [appointment.id for appointment in screen.page.appointments]
        screen.query_one("#appointments").move_cursor(row=rows.index(appointment_id))
        await pilot.pause()
        await pilot.press(*keys)

    return select


def test_cancel_dialog_with_a_refund(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    customer_id, visit = paid_ahead_by_card(demo_desk)
    app = FrontDeskApp(demo_desk)
    assert snap_compare(app, terminal_size=(100, 32),
                        run_before=on_customer(customer_id, then=on_appointment(visit, "x")))


def test_refund_receipt(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    customer_id, visit = paid_ahead_by_card(demo_desk)
    app = FrontDeskApp(demo_desk)
    assert snap_compare(app, terminal_size=(100, 32), run_before=on_customer(
        customer_id, then=on_appointment(visit, "x", "backspace", "backspace", "backspace", "backspace", "backspace",
                                         *"50", "enter", *"late cancel fee", "enter")))


def crowded_customer(desk: Desk) -> int:
    """Nora Quinn: ten packages, twenty appointments (eight paid from her 10 Massages, across the
    past month; the others unpaid, some to come) and a long balance history."""
    business = desk.business
    nora = desk.write(customers.create_customer, business, name="Nora Quinn", phone="(555) 010-2020").id
    for_sale = [package for package in desk.read(catalogue.list_packages, business)
                if package.terms.for_sale and package.terms.price > 0][:10]
    held = [desk.by(desk.acting_id, at=NOW - timedelta(days=40 - index)).write(
                sales.sell, business, customer_id=nora, package_id=package.id,
                tenders=[TenderLine(Tender.CARD, package.terms.price)]).id
            for index, package in enumerate(for_sale)]
    massages = next(holding for holding, package in zip(held, for_sale, strict=True)
                    if package.title == "10 Massages in 2 Months")
    service = next(service.id for service in desk.read(catalogue.list_services) if service.name == "Swedish Massage")
    day = local_date(NOW, business.tz)
    for index in range(20):
        starts = datetime.combine(day + timedelta(days=index - 30 if index < 12 else index - 8), time(11), business.tz)
        visit = desk.by(desk.acting_id, at=min(starts, NOW) - timedelta(days=1)).write(
            appointments.book, business, customer_id=nora, service_id=service, starts_at=starts).appointment
        if index < 8:
            desk.by(desk.acting_id, at=starts).write(checkout.checkout, business, key=f"crowded-{index}",
                                                     appointment_id=visit.id, package=massages)
    return nora


def test_crowded_customer_80x24(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    """Each section keeps a visible share and scrolls inside itself: the balance history is not
    pushed below the fold by twenty appointments."""
    app = FrontDeskApp(demo_desk)
    assert snap_compare(app, terminal_size=(80, 24), run_before=on_customer(crowded_customer(demo_desk)))


def test_crowded_customer_120x40(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    app = FrontDeskApp(demo_desk)
    assert snap_compare(app, terminal_size=(120, 40), run_before=on_customer(crowded_customer(demo_desk)))
