"""Home: today's appointments at a glance, unpaid ones marked."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from frontdesk.domain.money import format_money
from frontdesk.domain.periods import local_date, to_local
from frontdesk.services.appointments import day_appointments
from frontdesk.services.errors import FrontDeskError
from frontdesk.services.views import AppointmentView


class HomeScreen(Screen[None]):
    """Today's appointments, read through the use cases in a thread worker."""

    BINDINGS = [
        Binding("r", "refresh", "Refresh", tooltip="Read today's appointments again", id="refresh"),
    ]

    @dataclass
    class Loaded(Message):
        appointments: list[AppointmentView]

    @dataclass
    class Failed(Message):
        message: str

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="day-title")
        yield DataTable(id="today", cursor_type="row", zebra_stripes=True)
        yield Static("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#today", DataTable)
        table.add_columns("Time", "Customer", "Service", "With", "Price", "Paid")
        desk = self.app.desk
        today = local_date(desk.now(), desk.business.tz)
        self.query_one("#day-title", Static).update(f"Today · {today:%A %-d %B %Y}")
        self.action_refresh()

    def action_refresh(self) -> None:
        self.query_one("#status", Static).update("Loading…")
        self.load_today()

    @work(thread=True, exclusive=True, group="db", exit_on_error=False)
    def load_today(self) -> None:
        desk = self.app.desk
        try:
            day = local_date(desk.now(), desk.business.tz)
            self.post_message(self.Loaded(desk.read(day_appointments, desk.business, day=day)))
        except FrontDeskError as error:
            self.post_message(self.Failed(error.message))

    @on(Loaded)
    def show_today(self, message: Loaded) -> None:
        desk = self.app.desk
        table = self.query_one("#today", DataTable)
        table.clear()
        for appointment in message.appointments:
            start = to_local(appointment.starts_at, desk.business.tz)
            if appointment.status == "cancelled":
                paid = Text("cancelled", style="dim")
            elif appointment.is_paid:
                paid = Text("paid", style="green")
            else:
                paid = Text(f"UNPAID {format_money(appointment.due, desk.business.currency)}", style="bold red")
            table.add_row(
                f"{start:%H:%M}", Text(appointment.customer_name), Text(appointment.service_name),
                Text(appointment.provider_name or "—"),
                format_money(appointment.price, desk.business.currency), paid,
                key=str(appointment.id),
            )
        unpaid = sum(1 for a in message.appointments if not a.is_paid and a.status != "cancelled")
        count = len(message.appointments)
        self.query_one("#status", Static).update(
            f"{count} appointment{'s' if count != 1 else ''} today, {unpaid} unpaid" if count
            else "No appointments today.")

    @on(Failed)
    def show_failure(self, message: Failed) -> None:
        self.query_one("#status", Static).update(Text(message.message, style="bold red"))
        self.notify(message.message, severity="error")
