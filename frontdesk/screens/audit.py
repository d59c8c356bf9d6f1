"""The audit trail (managers): who did what, when, and for whom, newest first, paged.

Filter by kind of event, by person, by customer (words of her name, phone or email) and by days
("1/11" to "today"); `/` goes to the filters, Tab moves between them and the list. `m` loads older
events; Enter on a row shows the whole event. The trail is append-only: nothing here edits it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Header, Input, Select, Static

from frontdesk.domain.parsing import parse_day
from frontdesk.domain.periods import local_date, to_local
from frontdesk.screens.base import DeskScreen
from frontdesk.services.audit import AuditKind, AuditLine, AuditPage, audit_page
from frontdesk.widgets.fitted import FitColumn, FittedTable
from frontdesk.widgets.keys_in_order import FieldInput
from frontdesk.widgets.parsed_input import ParsedInput
from frontdesk.widgets.footer import KeysFooter

PAGE = 50
COLUMNS = (
    FitColumn("When", "when"),
    FitColumn("Who", "who", min_width=8),
    FitColumn("What", "what"),
    FitColumn("Customer", "customer", min_width=10),
    FitColumn("Detail", "detail", min_width=16),
)


class AuditScreen(DeskScreen[None]):
    """Every sign-in, sale, payment, balance change and edit, with who and when."""

    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to where you were", id="audit-back"),
        Binding("m", "more", "Older", tooltip="Load older events", id="audit-more"),
        Binding("slash", "filter", "Filter", tooltip="Go to the filters (kind, person, customer, days)",
                id="audit-filter"),
        Binding("f5", "refresh", "Refresh", tooltip="Read the trail again", id="audit-refresh"),
    ]

    @dataclass
    class PageRead(Message):
        page: AuditPage
        append: bool

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[AuditLine] = []
        self.more = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="audit-filters"):
            yield Select([(kind.value, kind.value) for kind in AuditKind], prompt="Every kind", id="audit-kind")
            yield Select([], prompt="Everyone", id="audit-person")
        with Horizontal(id="audit-more-filters"):
            yield FieldInput(placeholder="Customer: name, phone or email", id="audit-customer")
            yield ParsedInput(parse=self.day, placeholder="From day", id="audit-from", border_message=True)
            yield ParsedInput(parse=self.day, placeholder="To day", id="audit-to", border_message=True)
        yield FittedTable(id="audit-lines")
        yield Static("", id="audit-note")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(FittedTable).set_columns(COLUMNS, shrink_order=("detail", "customer", "who"))
        self.query_one(FittedTable).focus()
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def day(self, text: str) -> date:
        return parse_day(text, local_date(self.desk.now(), self.desk.business.tz))

    def _filters(self) -> dict[str, Any] | None:
        """The filters as typed, or None while a day cannot be read (its field says why)."""
        kind = self.query_one("#audit-kind", Select).value
        person = self.query_one("#audit-person", Select).value
        first, last = self.query_one("#audit-from", ParsedInput), self.query_one("#audit-to", ParsedInput)
        if first.error or last.error:
            return None
        return {"kind": None if kind is Select.NULL else str(kind),
                "staff_id": None if person is Select.NULL else int(person),
                "customer": self.query_one("#audit-customer", Input).value,
                "first_day": first.parsed, "last_day": last.parsed}

    def load(self, before_id: int | None = None) -> None:
        filters = self._filters()
        if filters is not None:
            self.read(filters, before_id)

    @work(thread=True, exclusive=True, group="read", exit_on_error=False)
    def read(self, filters: dict[str, Any], before_id: int | None) -> None:
        page = self.desk.read(audit_page, self.desk.business, **filters, before_id=before_id, limit=PAGE)
        self.post_fresh(self.PageRead(page, append=before_id is not None))

    @on(PageRead)
    def page_read(self, message: PageRead) -> None:
        page = message.page
        self.lines = [*self.lines, *page.lines] if message.append else list(page.lines)
        self.more = page.more
        person = self.query_one("#audit-person", Select)
        if not message.append:
            with self.prevent(Select.Changed):
                chosen = person.value
                person.set_options(page.staff)
                if chosen is not Select.NULL and any(staff_id == chosen for staff_id, _ in page.staff):
                    person.value = chosen
        table = self.query_one(FittedTable)
        tz = self.desk.business.tz
        keep = table.cursor_row if message.append else 0
        table.set_rows([
            (str(line.id), [Text(f"{to_local(line.at, tz):%-d %b %Y %H:%M}"), Text(line.staff_name),
                            Text(line.kind), Text(line.customer_name or "—"), Text(line.detail)])
            for line in self.lines
        ], cursor_row=keep)
        shown = len(self.lines)
        self.query_one("#audit-note", Static).update(
            f"newest {shown}" + (" — m loads older" if self.more else ", all shown") if shown else "nothing recorded yet")
        self.refresh_bindings()

    @on(Select.Changed)
    @on(Input.Changed)
    def filtered(self) -> None:
        self.load()

    @on(Input.Submitted)
    def to_the_list(self) -> None:
        self.query_one(FittedTable).focus()

    def action_filter(self) -> None:
        self.query_one("#audit-kind", Select).focus()

    @on(DataTable.RowSelected)
    def line_chosen(self, event: DataTable.RowSelected) -> None:
        line = next((line for line in self.lines if str(line.id) == event.row_key.value), None)
        if line is not None:
            customer = f" · {line.customer_name}" if line.customer_name else ""
            self.notify(f"{line.kind} by {line.staff_name}{customer} · {line.subject} · {line.detail}",
                        title="Audit", timeout=10)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "more":
            return True if self.more else None
        return True

    def why_not(self, action: str) -> str | None:
        if action == "more":
            return "All of it is shown: nothing older matches."
        return super().why_not(action)

    def action_more(self) -> None:
        if self.more and self.lines:
            self.load(before_id=self.lines[-1].id)

    def action_refresh(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.app.back_from_area()
