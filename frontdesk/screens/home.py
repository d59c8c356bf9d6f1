"""Home: find a customer as you type, and today's appointments with the unpaid ones marked.

The search field has the focus from the start. Each keystroke starts a search in a thread worker
(group "search"); only the results of what is typed now are shown. Enter opens the highlighted
result (the first one by default), Down moves into the results, ctrl+n adds a customer (with
what was typed as the name, phone or email), ctrl+t goes to today's list, where Enter opens the
checkout of an unpaid appointment. A day longer than a page (a chain's desks sharing one
database) is read a page at a time, from the appointments of now: ← and → (or PageUp at the
top, PageDown at the bottom) turn to earlier and later ones.
"""

from __future__ import annotations

import re
from datetime import date
from dataclasses import dataclass
from typing import cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Header, Input, Static

from frontdesk.app import FrontDeskApp
from frontdesk.domain.money import format_money
from frontdesk.domain.periods import local_date, to_local
from frontdesk.screens.dialogs.customer import EditsCustomers
from frontdesk.services.appointments import DAY_PAGE, DayPage, day_page
from frontdesk.services.customers import search_customers
from frontdesk.services.views import AppointmentView, CustomerView
from frontdesk.widgets.appointments import state_text
from frontdesk.widgets.fitted import FitColumn, FittedTable
from frontdesk.widgets.keys_in_order import FieldInput
from frontdesk.widgets.footer import KeysFooter

RESULTS_LIMIT = 50
RESULT_COLUMNS = (
    FitColumn("Name", "name", min_width=12),
    FitColumn("Phone", "phone"),
    FitColumn("Email", "email", min_width=12),
)
TODAY_COLUMNS = (
    FitColumn("Time", "time"),
    FitColumn("Customer", "customer", min_width=10),
    FitColumn("Service", "service", min_width=10),
    FitColumn("With", "with", min_width=4),
    FitColumn("Price", "price"),
    FitColumn("Paid", "paid"),
)
PHONE_LIKE = re.compile(r"^[\d\s()+\-.]+$")


def prefill(typed: str) -> dict[str, str]:
    """What was typed in the search as the new customer's email, phone or name."""
    typed = typed.strip()
    if not typed:
        return {}
    if "@" in typed:
        return {"email": typed}
    if PHONE_LIKE.match(typed) and sum(c.isdigit() for c in typed) >= 3:
        return {"phone": typed}
    if any(c.isalpha() for c in typed):
        return {"name": typed.title() if typed == typed.lower() else typed}
    return {}


class SearchInput(FieldInput):
    """The lookup: Enter on what is typed opens a customer, so the keys typed after it are held
    for her screen (`FrontDeskApp.hold_keys`) — "maria⏎c" typed at once pays, not "maria c"."""

    async def action_submit(self) -> None:
        if self.value.strip():
            cast(FrontDeskApp, self.app).hold_keys()
        await super().action_submit()


class ResultsTable(FittedTable):
    """The search results; Up on the first row goes back to the search field; Enter opens the
    one highlighted, the keys typed after it held for her screen."""

    def action_select_cursor(self) -> None:
        if self.row_count:
            cast(FrontDeskApp, self.app).hold_keys()
        super().action_select_cursor()

    def action_cursor_up(self) -> None:
        if self.cursor_row <= 0:
            self.screen.query_one("#search", Input).focus()
        else:
            super().action_cursor_up()


class TodayTable(FittedTable):
    """Today's list: ← and → turn to the day's earlier and later appointments when it is longer
    than a page (shown in the footer then, hidden otherwise); PageUp on the first row and
    PageDown on the last turn too."""

    BINDINGS = [
        Binding("left", "earlier", "Earlier", tooltip="Today's earlier appointments (the page before)",
                id="today-earlier"),
        Binding("right", "later", "Later", tooltip="Today's later appointments (the next page)", id="today-later"),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        page = cast("HomeScreen", self.screen).page
        if action in ("earlier", "later"):
            if page is None or not (page.earlier or page.later):
                return False  # the whole day is on the list: ← and → scroll it as in any table
            return True if (page.earlier if action == "earlier" else page.later) else None
        return super().check_action(action, parameters)

    def action_earlier(self) -> None:
        cast("HomeScreen", self.screen).turn_page(-1)

    def action_later(self) -> None:
        cast("HomeScreen", self.screen).turn_page(+1)

    def action_page_down(self) -> None:
        page = cast("HomeScreen", self.screen).page
        if self.row_count and self.cursor_row >= self.row_count - 1 and page is not None and page.later:
            self.action_later()
        else:
            super().action_page_down()

    def action_page_up(self) -> None:
        page = cast("HomeScreen", self.screen).page
        if self.cursor_row <= 0 and page is not None and page.earlier:
            cast("HomeScreen", self.screen).turn_page(-1, at_end=True)
        else:
            super().action_page_up()


class HomeScreen(EditsCustomers):
    """Customer lookup and today's appointments."""

    @dataclass
    class Found(Message):
        """The customers found for `query`."""

        query: str
        customers: list[CustomerView]

    @dataclass
    class TodayRead(Message):
        page: DayPage
        cursor_row: int | None = None  # where the cursor goes (None: it stays on its appointment)

    AUTO_FOCUS = "#search"

    BINDINGS = [
        Binding("ctrl+n", "new_customer", "New", tooltip="Add a customer (what you typed is filled in)",
                id="new-customer"),
        Binding("n", "new_customer", "New customer", show=False),
        Binding("ctrl+t", "today", "Today", tooltip="Go to today's appointments", id="today"),
        Binding("escape", "escape", "Clear", tooltip="Clear the search and type a new one", id="clear",
                show=False),  # the key every field clears with; the footer keeps room for the areas
        Binding("f5", "refresh", "Refresh", tooltip="Read today's appointments and the results again",
                id="refresh"),
        Binding("down", "results", "Results", show=False),
        # the desk's every day, so before the catalogue and the managers' areas (seen at 80 columns too)
        Binding("f9", "app.open_day_book", "Day book", tooltip="A day's appointments by provider: turn the days, "
                "check out, mark a no-show", id="home-day-book"),
        Binding("f2", "app.open_packages", "Packages", tooltip="The package catalogue (managers edit it)",
                id="home-packages"),
        Binding("f3", "app.open_services", "Services", tooltip="Services and providers (managers edit them)",
                id="home-services"),
        Binding("f4", "app.open_audit", "Audit", tooltip="The audit trail: who did what, when (managers)",
                id="home-audit"),
        Binding("f7", "app.open_owed", "Owed", tooltip="What the business owes, how it moved, who to call (managers)",
                id="home-owed"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.query_text = ""  # what the results on screen (or on their way) were searched for
        self.shown_for: str | None = None  # the query whose results are on screen
        self.results: list[CustomerView] = []
        self.today: list[AppointmentView] = []
        self.page: DayPage | None = None  # the part of today's list on screen (all of it on most days)
        self.today_first: int | None = None  # where the page starts in the day (None: at now, as time goes on)
        self.today_shown = False  # the list has been drawn from a read once
        self.read_for: tuple[int, int, date] | None = None  # `state_now` when the lists were last read
        self.open_when_found = False  # Enter was pressed before the results arrived

    def compose(self) -> ComposeResult:
        yield Header()
        yield SearchInput(id="search", placeholder="Find a customer — name, phone or email")
        yield Static("Type a name, phone or email; Enter opens the first match.", id="results-status")
        yield ResultsTable(id="results")
        with Vertical(id="day"):
            with Horizontal(id="day-heading"):
                yield Static(id="day-title")
                yield Static("", id="status")
            yield TodayTable(id="today")
        yield KeysFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#results", ResultsTable).set_columns(RESULT_COLUMNS)
        today_table = self.query_one("#today", FittedTable)
        today_table.set_columns(TODAY_COLUMNS, shrink_order=("service", "customer", "with"), widest_first=True)
        self.query_one("#results", DataTable).display = False
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.page and self.show_today(self.page))

    def on_screen_resume(self) -> None:
        """Shown (first, or back from a customer or a checkout): read today's list and the
        results again if anything may have changed meanwhile (written at this desk, heard from
        another, or a new day), so what was paid or added shows; a busy day is not read again
        for nothing while the next customer is opened. The search is focused with its text
        selected: typing the next customer's name replaces it, arrows keep it."""
        watcher = self.app.watcher
        hearing = watcher is not None and watcher.ready.is_set()  # else other desks' changes go unheard
        if not hearing or self.read_for != self.state_now():
            self.action_refresh()
        search = self.query_one("#search", Input)
        search.focus()
        search.select_all()
        if self.app.keys_for_home:  # typed ahead of it after the PIN (a customer's name): into the search
            self.app.keys_for_home = False
            self.app.release_keys()

    def state_now(self) -> tuple[int, int, date]:
        """What tells whether a read may be out of date: changes heard from the database, writes
        committed at this desk, and the day."""
        desk = self.desk
        return self.app.changes, desk.writes, local_date(desk.now(), desk.business.tz)

    def action_refresh(self) -> None:
        day = self.state_now()[2]
        if self.read_for is not None and self.read_for[2] != day:
            self.today_first = None  # a new day starts at its now
        self.read_for = self.state_now()
        self.query_one("#day-title", Static).update(f"Today · {day:%A %-d %B %Y}")  # a new day too
        self.load_today(self.today_first)
        if self.query_text:
            self.search(self.query_text)

    @on(FrontDeskApp.DeskChanged)
    def desk_changed(self) -> None:
        """Changed at another desk: today's list and the results again; what is typed and the
        cursor stay."""
        self.action_refresh()

    # ---- search ---------------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def typed(self, event: Input.Changed) -> None:
        self.open_when_found = False
        self.search(event.value)

    def search(self, text: str) -> None:
        self.query_text = text.strip()
        if not self.query_text:
            self.workers.cancel_group(self, "search")
            self.shown_for = None
            self.show_results("", [])
            return
        self.find(self.query_text)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def find(self, query: str) -> None:
        """Each keystroke replaces the search before it: only what is typed now is shown."""
        self.post_fresh(self.Found(query, self.desk.read(search_customers, query, limit=RESULTS_LIMIT)))

    @on(Found)
    def found(self, message: Found) -> None:
        if message.query == self.query_text:  # an answer to what was typed before is of no use
            self.show_results(message.query, message.customers)

    def show_results(self, query: str, found: list[CustomerView]) -> None:
        refreshed = query == self.shown_for  # read again (back from a customer, f5): the same customer stays
        self.shown_for = query  # highlighted; a new search starts at its best match
        self.results = found
        table = self.query_one("#results", ResultsTable)
        table.set_rows([
            (str(customer.id), [Text(customer.name), Text(customer.phone or "—"), Text(customer.email or "—")])
            for customer in found
        ], cursor_row=None if refreshed else 0)
        table.display = bool(found)
        status = self.query_one("#results-status", Static)
        if not query:
            status.update("Type a name, phone or email; Enter opens the first match.")
        elif not found:
            status.update(Text.assemble("No customer matches ", (f"'{query}'", "bold"), " — ctrl+n to add one."))
        else:
            more = f" (first {RESULTS_LIMIT}; type more to narrow)" if len(found) >= RESULTS_LIMIT else ""
            count = f"{len(found)} customer{'s' if len(found) != 1 else ''}"
            status.update(f"{count} found{more} — Enter opens the highlighted one, ↓ to choose.")
        if self.open_when_found:
            self.open_when_found = False
            self.open_result()

    @on(Input.Submitted, "#search")
    def open_result(self) -> None:
        """Enter in the search: open the highlighted result (wait for the results if they are
        still on their way). The keys typed after Enter are held for her screen; when nobody
        is found they go on in the search."""
        if self.query_text and self.shown_for != self.query_text:
            self.open_when_found = True
            return
        table = self.query_one("#results", DataTable)
        if self.query_text and self.results:
            self.app.open_customer(self.results[max(table.cursor_row, 0)].id)
        else:
            self.app.release_keys()

    @on(DataTable.RowSelected, "#results")
    def result_chosen(self, event: DataTable.RowSelected) -> None:
        self.app.open_customer(int(event.row_key.value))

    def action_results(self) -> None:
        """Down in the search: into the results on the first one (not the one left highlighted
        when the search was last left: the next Down would seem to skip), or today's list when
        there are none."""
        if self.results and self.shown_for == self.query_text:
            table = self.query_one("#results", DataTable)
            table.move_cursor(row=0)
            table.focus()
        elif not self.query_text and self.today:
            self.action_today()

    def action_escape(self) -> None:
        search = self.query_one("#search", Input)
        if self.focused is search:
            search.value = ""
        else:
            search.focus()

    # ---- new customer ---------------------------------------------------------------------------

    def action_new_customer(self) -> None:
        self.edit_customer(**prefill(self.query_one("#search", Input).value))

    def customer_saved(self, customer: CustomerView) -> None:
        self.app.open_customer(customer.id)

    # ---- today ----------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="today", exit_on_error=False)
    def load_today(self, first: int | None, cursor_row: int | None = None) -> None:
        desk = self.desk
        day = local_date(desk.now(), desk.business.tz)
        self.post_fresh(self.TodayRead(desk.read(day_page, desk.business, day=day, first=first), cursor_row))

    def turn_page(self, step: int, *, at_end: bool = False) -> None:
        """To today's earlier (-1) or later (+1) appointments, the cursor on the first of them
        (on the last, `at_end`, for PageUp from the top)."""
        page = self.page
        if page is None or not (page.earlier if step < 0 else page.later):
            return
        self.today_first = max(0, page.first + step * DAY_PAGE)
        self.load_today(self.today_first, cursor_row=DAY_PAGE - 1 if at_end else 0)

    @on(TodayRead)
    def today_read(self, message: TodayRead) -> None:
        if self.today_shown and message.page == self.page and message.cursor_row is None:
            return  # as shown (back from a customer, nothing changed): a busy day is not drawn again
        self.today_shown = True
        self.show_today(message.page, cursor_row=message.cursor_row)

    def show_today(self, page: DayPage, *, cursor_row: int | None = None) -> None:
        self.page = page
        self.today = found = page.appointments
        business = self.desk.business
        rows = []
        for appointment in found:
            start = to_local(appointment.starts_at, business.tz)
            rows.append((str(appointment.id), [
                Text(f"{start:%H:%M}"), Text(appointment.customer_name), Text(appointment.service_name),
                Text(appointment.provider_name or "—"), Text(format_money(appointment.price, business.currency)),
                state_text(appointment, business.currency, self.app),
            ]))
        table = self.query_one("#today", TodayTable)
        table.set_rows(rows, cursor_row=None if cursor_row is None else max(0, min(cursor_row, len(rows) - 1)))
        unpaid = sum(1 for appointment in found if appointment.needs_payment)
        count = len(found)
        if page.earlier or page.later:  # part of a long day: which part, and how many are unpaid in it
            status = f"{page.first + 1:,}–{page.first + count:,} of {page.total:,} today, {unpaid} unpaid"
        elif count:
            status = f"{count} appointment{'s' if count != 1 else ''} today, {unpaid} unpaid"
        else:
            status = "No appointments today."
        self.query_one("#status", Static).update(status)
        self.refresh_bindings()  # Earlier and Later show when there is more of the day

    def why_not(self, action: str) -> str | None:
        if action == "earlier":
            return "These are today's first appointments."
        if action == "later":
            return "These are today's last appointments."
        return super().why_not(action)

    def action_today(self) -> None:
        self.query_one("#today", DataTable).focus()

    @on(DataTable.RowSelected, "#today")
    def appointment_chosen(self, event: DataTable.RowSelected) -> None:
        appointment = next((a for a in self.today if str(a.id) == event.row_key.value), None)
        if appointment is None:
            return
        if appointment.needs_payment:
            self.app.open_checkout(appointment.id)
        else:
            self.app.open_customer(appointment.customer_id)
