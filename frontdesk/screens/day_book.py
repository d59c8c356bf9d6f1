"""The day book (f9): one day's appointments by provider, the way a spa's paper appointment book
reads. Each provider's name heads the group of her appointments (time, customer, service, and
where each stands, in words); the summary says how many, how many unpaid and missed.

← and → turn to the day before and after, `t` back to today, `g` goes to a typed day
("tomorrow", "fri", "3/12"). Enter opens the checkout of an unpaid appointment and the customer of
any other; `n` marks a booked one that has begun a no-show (the package's policy said first).
Whatever is read again (back from a checkout, after a no-show, f5, another day and back), the
cursor stays on the appointment it was on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from rich.text import Text
from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Header, Input, Label, Static

from frontdesk.app import FrontDeskApp
from frontdesk.domain.kinds import AppointmentStatus
from frontdesk.domain.parsing import parse_day
from frontdesk.domain.periods import local_date
from frontdesk.screens.dialogs.no_show import MarksNoShows
from frontdesk.services.daybook import DayBook, DayLine, DayState, ProviderDay, day_book
from frontdesk.widgets.appointments import tone
from frontdesk.widgets.fitted import FitColumn, FittedTable
from frontdesk.widgets.parsed_input import ParsedInput
from frontdesk.widgets.footer import KeysFooter

COLUMNS = (
    FitColumn("Time", "time", min_width=11),  # a provider's name heads her group in this column
    FitColumn("Customer", "customer", min_width=10),
    FitColumn("Service", "service", min_width=10),
    FitColumn("State", "state", min_width=10),
)
NOT_AN_APPOINTMENT = "No appointment on this row."


def day_words(day: date, today: date) -> str:
    """"Monday 2 March 2026 · today" ("tomorrow", "yesterday" where true)."""
    words = f"{day:%A} {day.day} {day:%B %Y}"
    near = {0: "today", 1: "tomorrow", -1: "yesterday"}.get((day - today).days)
    return f"{words} · {near}" if near else words


class DayTable(FittedTable):
    """The day's rows: Enter opens the appointment on the cursor's row."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", tooltip="Checkout for an unpaid appointment; the customer "
                "for any other", id="daybook-open"),
    ]

    def action_select_cursor(self) -> None:
        if not self.row_count:
            self.notify("No appointments on this day.", severity="warning")
            return
        super().action_select_cursor()


class DayField(ParsedInput[date]):
    """The day typed after `g`; Escape closes it."""

    BINDINGS = [Binding("escape", "close", "Close", tooltip="Close without going to another day",
                        id="daybook-goto-close")]

    def action_close(self) -> None:
        screen = self.screen
        if isinstance(screen, DayBookScreen):
            screen.close_goto()


class DayBookScreen(MarksNoShows):
    """A day's appointments by provider."""

    AUTO_FOCUS = "#daybook"
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to where you were", id="daybook-back"),
        # priority: ← and → turn the page wherever the focus is (but in the day typed, where they move the cursor)
        Binding("left", "previous_day", "Day before", tooltip="The day before", id="daybook-previous",
                priority=True),
        Binding("right", "next_day", "Day after", tooltip="The day after", id="daybook-next", priority=True),
        Binding("t", "today", "Today", tooltip="Back to today", id="daybook-today"),
        Binding("g", "go_to", "Go to", tooltip="Go to a day you type: tomorrow, fri, 3/12, 2026-12-24",
                id="daybook-go-to"),
        Binding("n", "no_show", "No-show", tooltip="Mark the highlighted appointment a no-show (it has begun and "
                "she did not come)", id="daybook-no-show"),
        Binding("f5", "refresh", "Refresh", tooltip="Read the day again", id="daybook-refresh"),
    ]

    @dataclass
    class BookRead(Message):
        book: DayBook

    def __init__(self) -> None:
        super().__init__()
        self.day: date | None = None  # None: today, whichever day that is when it is read
        self.book: DayBook | None = None  # the day on screen
        self.lines: list[DayLine | None] = []  # the table's rows: an appointment, or None for a heading
        self.selected: dict[date, int] = {}  # the appointment the cursor was on, by day

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="daybook-heading"):
            yield Static("", id="daybook-title")
            yield Static("", id="daybook-summary")
        with Vertical(id="daybook-goto-box"):
            with Horizontal(id="daybook-goto"):
                yield Label("Go to day", id="daybook-goto-label")
                yield DayField(parse=self.parse_goto, id="daybook-goto-day", compact=True,
                              placeholder="tomorrow, fri, 3/12, 2026-12-24")
            yield Static("", id="daybook-goto-error")
        yield DayTable(id="daybook")
        yield KeysFooter(compact=True, show_command_palette=False)  # room for every key at 80 columns

    def on_mount(self) -> None:
        self.query_one("#daybook", DayTable).set_columns(COLUMNS, widest_first=True)
        self.query_one("#daybook-goto-box").display = False
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.book and self.show_book(self.book))

    def on_screen_resume(self) -> None:
        self.reload()

    @on(FrontDeskApp.DeskChanged)
    def desk_changed(self) -> None:
        """Changed at another desk: read the day again (the cursor stays on its appointment)."""
        self.reload()

    # ---- the day ------------------------------------------------------------------------------------

    @property
    def today(self) -> date:
        return local_date(self.desk.now(), self.desk.business.tz)

    @property
    def shown_day(self) -> date:
        return self.day if self.day is not None else self.today

    def parse_goto(self, text: str) -> date:
        return parse_day(text, self.today)

    def turn_to(self, day: date | None) -> None:
        """Show `day` (None: today): the title at once, the appointments when read."""
        self.remember()
        self.day = day
        self.reload()

    def reload(self) -> None:
        day = self.shown_day
        self.query_one("#daybook-title", Static).update(day_words(day, self.today))
        self.read_book(day)

    @work(thread=True, exclusive=True, group="read", exit_on_error=False)
    def read_book(self, day: date) -> None:
        desk = self.desk
        self.post_fresh(self.BookRead(desk.read(day_book, desk.business, day=day)))

    @on(BookRead)
    def book_read(self, message: BookRead) -> None:
        if message.book.day == self.shown_day:  # not a day turned past meanwhile
            self.show_book(message.book)

    def remember(self) -> None:
        """Keep the appointment the cursor is on, to put it back there when the day is shown again."""
        line = self.line
        if self.book is not None and line is not None:
            self.selected[self.book.day] = line.appointment.id

    def show_book(self, book: DayBook) -> None:
        if self.book is not None and self.book.day == book.day:
            self.remember()
        self.book = book
        rows: list[tuple[str, list[Text]]] = []
        self.lines = []
        for provider in book.providers if book.count else ():
            rows.append(self.heading(provider))
            self.lines.append(None)
            for line in provider.lines:
                rows.append((str(line.appointment.id), self.cells(line)))
                self.lines.append(line)
        keep = self.selected.get(book.day)
        cursor = next((row for row, line in enumerate(self.lines) if line and line.appointment.id == keep), None)
        if cursor is None:
            cursor = next((row for row, line in enumerate(self.lines) if line is not None), 0)
        self.query_one("#daybook", DayTable).set_rows(rows, cursor_row=cursor)
        self.query_one("#daybook-summary", Static).update(book.summary)
        self.refresh_bindings()

    def heading(self, provider: ProviderDay) -> tuple[str, list[Text]]:
        """A provider's name over her appointments; "nothing booked" when she has none."""
        free = Text("nothing booked", style="dim italic") if not provider.lines else Text("")
        name = Text(provider.name, style=f"bold {tone(self.app, 'accent')}".strip())
        return f"provider-{provider.provider_id or 'none'}", [name, free, Text(""), Text("")]

    def cells(self, line: DayLine) -> list[Text]:
        appointment = line.appointment
        dim = "dim" if line.state is DayState.CANCELLED else ""
        error, warning, success = (tone(self.app, name) for name in ("error", "warning", "success"))
        styles = {DayState.UNPAID: f"bold {error}", DayState.NO_SHOW: f"bold {warning}", DayState.PAID: success,
                  DayState.PAID_FROM: success, DayState.CANCELLED: "dim"}
        return [Text(line.span, style=dim), Text(appointment.customer_name, style=dim),
                Text(appointment.service_name, style=dim), Text(line.words, style=styles.get(line.state, "").strip())]

    # ---- the row under the cursor -------------------------------------------------------------------

    @property
    def line(self) -> DayLine | None:
        row = self.query_one("#daybook", DayTable).cursor_row
        return self.lines[row] if 0 <= row < len(self.lines) else None

    @on(DataTable.RowHighlighted, "#daybook")
    def moved(self) -> None:
        self.refresh_bindings()

    def no_show_problem(self, line: DayLine | None) -> str | None:
        if line is None:
            return NOT_AN_APPOINTMENT
        appointment = line.appointment
        if appointment.status == AppointmentStatus.NO_SHOW:
            return "This one is a no-show already."
        if appointment.status != AppointmentStatus.BOOKED:
            state = "cancelled" if appointment.status == AppointmentStatus.CANCELLED else (
                "paid" if appointment.is_paid else "one that took place")
            return f"Only a booked appointment can be a no-show: this one is {state}."
        if not self.may_be_no_show(appointment):
            return "It has not begun yet: a no-show is marked once it has."
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "no_show":
            return True if self.no_show_problem(self.line) is None else None
        return True

    def why_not(self, action: str) -> str | None:
        if action == "no_show":
            return self.no_show_problem(self.line)
        return super().why_not(action)

    @on(DataTable.RowSelected, "#daybook")
    def open_row(self) -> None:
        """Enter: the checkout of an unpaid appointment, the customer of any other."""
        line = self.line
        if line is None:
            self.notify(NOT_AN_APPOINTMENT, severity="warning")
        elif line.needs_payment:
            self.app.open_checkout(line.appointment.id)
        else:
            self.app.open_customer(line.appointment.customer_id)

    def action_no_show(self) -> None:
        line = self.line
        if line is not None and self.no_show_problem(line) is None:
            self.mark_no_show(line.appointment)

    # ---- turning the pages --------------------------------------------------------------------------

    @property
    def typing_day(self) -> bool:
        return self.focused is self.query_one("#daybook-goto-day", ParsedInput)

    def action_previous_day(self) -> None:
        if self.typing_day:
            raise SkipAction()  # the arrow moves the cursor in the day typed
        self.turn_to(self.shown_day - timedelta(days=1))

    def action_next_day(self) -> None:
        if self.typing_day:
            raise SkipAction()
        self.turn_to(self.shown_day + timedelta(days=1))

    def action_today(self) -> None:
        self.turn_to(None)

    def action_refresh(self) -> None:
        self.reload()

    def action_go_to(self) -> None:
        field = self.query_one("#daybook-goto-day", ParsedInput)
        with self.prevent(Input.Changed):
            field.value = ""
        self.show_goto_error(None)
        self.query_one("#daybook-goto-box").display = True
        field.focus()

    def show_goto_error(self, problem: str | None) -> None:
        error = self.query_one("#daybook-goto-error", Static)
        error.update(problem or "")
        error.display = problem is not None

    @on(Input.Changed, "#daybook-goto-day")
    def goto_typed(self) -> None:
        self.show_goto_error(self.query_one("#daybook-goto-day", ParsedInput).error)

    @on(Input.Submitted, "#daybook-goto-day")
    def goto_submitted(self) -> None:
        field = self.query_one("#daybook-goto-day", ParsedInput)
        if field.error or field.parsed is None:
            self.show_goto_error(field.error or "Type a day: tomorrow, fri, 3/12, 2026-12-24.")
            return
        self.close_goto()
        self.turn_to(None if field.parsed == self.today else field.parsed)

    def close_goto(self) -> None:
        self.query_one("#daybook-goto-box").display = False
        self.query_one("#daybook", DayTable).focus()

    def action_back(self) -> None:
        if self.query_one("#daybook-goto-box").display:
            self.close_goto()  # it was open, the focus elsewhere
            return
        self.app.back_from_area()
