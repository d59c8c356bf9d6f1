"""The audit trail (managers): who did what, when, and for whom, newest first, paged.

Filter by kind of event and by person (Tab moves between the filters and the list); `m` loads
older events; Enter on a row shows the whole event. The trail is append-only: nothing here edits it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Select, Static

from frontdesk.domain.periods import to_local
from frontdesk.screens.base import DeskScreen
from frontdesk.services.audit import AuditKind, AuditLine, AuditPage, audit_page
from frontdesk.widgets.fitted import FitColumn, FittedTable

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
        yield FittedTable(id="audit-lines")
        yield Static("", id="audit-note")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(FittedTable).set_columns(COLUMNS, shrink_order=("detail", "customer", "who"))
        self.query_one(FittedTable).focus()
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def _filters(self) -> tuple[str | None, int | None]:
        kind = self.query_one("#audit-kind", Select).value
        person = self.query_one("#audit-person", Select).value
        return (None if kind is Select.NULL else str(kind)), (None if person is Select.NULL else int(person))

    def load(self, before_id: int | None = None) -> None:
        kind, staff_id = self._filters()
        self.read(kind, staff_id, before_id)

    @work(thread=True, exclusive=True, group="read", exit_on_error=False)
    def read(self, kind: str | None, staff_id: int | None, before_id: int | None) -> None:
        page = self.desk.read(audit_page, kind=kind, staff_id=staff_id, before_id=before_id, limit=PAGE)
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
    def filtered(self) -> None:
        self.load()

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

    def action_more(self) -> None:
        if self.more and self.lines:
            self.load(before_id=self.lines[-1].id)

    def action_refresh(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.app.back_from_area()
