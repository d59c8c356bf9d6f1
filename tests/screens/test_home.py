"""The app shell opens on a database and lists today's appointments."""

from __future__ import annotations

from datetime import datetime, time

from textual.widgets import DataTable, Static

from frontdesk.app import FrontDeskApp
from frontdesk.models import Role, Tender
from frontdesk.services import appointments, catalogue, customers
from frontdesk.services.desk import Desk
from frontdesk.services.sales import TenderLine
from tests.conftest import NOW


async def test_home_lists_todays_appointments_with_unpaid_marked(screen_desk: Desk) -> None:
    desk = screen_desk
    rita = desk.write(catalogue.add_staff, name="Rita", role=Role.RECEPTION)
    staff = rita.id
    massage = desk.write(catalogue.add_service, name="Swedish Massage", duration_min=60, price=8000).id
    maria = desk.write(customers.create_customer, name="Maria Lopez").id
    today = NOW.astimezone(desk.business.tz).date()
    book = lambda hour: desk.write(appointments.book, desk.business, customer_id=maria,  # noqa: E731
                                   service_id=massage, actor=staff, now=NOW,
                                   starts_at=datetime.combine(today, time(hour), desk.business.tz)).appointment.id
    paid, unpaid = book(9), book(14)
    desk.write(appointments.checkout, desk.business, key="k", appointment_id=paid, actor=staff,
               tenders=[TenderLine(Tender.CASH, 8000)], now=NOW)
    desk.staff = rita

    app = FrontDeskApp(desk)
    async with app.run_test() as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#today", DataTable)
        rows = [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]
        assert rows == [
            ["09:00", "Maria Lopez", "Swedish Massage", "—", "$80.00", "paid"],
            ["14:00", "Maria Lopez", "Swedish Massage", "—", "$80.00", "UNPAID $80.00"],
        ]
        assert str(app.screen.query_one("#status", Static).content) == "2 appointments today, 1 unpaid"
        assert "Monday 2 March 2026" in str(app.screen.query_one("#day-title", Static).content)
        assert unpaid


async def test_command_palette_offers_the_screens_actions(screen_desk: Desk) -> None:
    app = FrontDeskApp(screen_desk)
    async with app.run_test() as pilot:
        await pilot.app.workers.wait_for_complete()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Refresh" in titles and "Packages" in titles and "Quit" in titles
