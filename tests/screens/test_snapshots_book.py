"""Snapshots of the booking screen on the demo day spa at the fixed clock: a package that would
not cover the appointment says why before anything is saved (100×32 and 80×24)."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input, Select

from frontdesk.app import FrontDeskApp
from frontdesk.domain.kinds import Tender
from frontdesk.screens.book import BookScreen
from frontdesk.services import appointments, catalogue, sales
from frontdesk.services.desk import Desk
from frontdesk.services.sales import TenderLine
from tests.conftest import NOW
from tests.screens.settle import settle


def morning_yoga_holder(desk: Desk) -> tuple[int, int]:
    """(customer, holding): one of today's customers with an active Morning Yoga (10:00–13:00
    only); if the demo has none today, the first customer of the day buys one now."""
    business = desk.business
    day = NOW.astimezone(business.tz).date()
    customers = [row.customer_id for row in desk.read(appointments.day_appointments, business, day=day)]
    for customer in customers:
        for holding in desk.read(appointments.customer_holdings, business, customer_id=customer):
            if holding.title == "Morning Yoga" and holding.status == "active":
                return customer, holding.id
    package = next(view for view in desk.read(catalogue.list_packages, business) if view.title == "Morning Yoga")
    sold = desk.write(sales.sell, business, customer_id=customers[0], package_id=package.id,
                      tenders=[TenderLine(Tender.CARD, package.terms.price)])
    return customers[0], sold.id


async def yoga_at_five_with_morning_yoga(pilot: Pilot) -> None:
    """A customer books a Yoga class tomorrow at 17:00 "to be covered by" her Morning Yoga
    (10:00–13:00 only): the verdict shows ✗ before saving."""
    desk: Desk = pilot.app.desk
    customer, morning = morning_yoga_holder(desk)
    yoga = next(service.id for service in desk.read(catalogue.list_services) if service.name == "Yoga class")
    await settle(pilot)
    await pilot.app.push_screen(BookScreen(customer))
    await settle(pilot)
    screen = pilot.app.screen
    screen.query_one("#service", Select).value = yoga
    screen.query_one("#cover", Select).value = morning
    await settle(pilot)
    for field, text in (("#date", "tomorrow"), ("#time", "5pm")):
        box = screen.query_one(field, Input)
        box.focus()
        box.clear()
        await pilot.press(*text)
        await settle(pilot)


def test_book_with_a_package_that_would_not_cover(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=(100, 32), run_before=yoga_at_five_with_morning_yoga)


def test_book_with_a_package_that_would_not_cover_80x24(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=(80, 24), run_before=yoga_at_five_with_morning_yoga)
