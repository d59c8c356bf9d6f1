"""The lines of a Fixed package: an ordered list of (service, quantity), edited by keys.

In the list: del or x removes the line, shift+↑/shift+↓ move it, + and - change its quantity.
Below it: type how many (1 unless changed), then pick a service: the pick adds the line with that
quantity at once (the same service again adds to its quantity), and the cursor goes back to the
quantity for the next line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Select, Static

from frontdesk.domain.describe import format_duration
from frontdesk.domain.terms import FixedLine
from frontdesk.services.views import ServiceView
from frontdesk.widgets.keys_in_order import FieldInput


class LinesTable(DataTable[str]):
    """The lines, one row each; its keys act on the line under the cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("delete,x", "remove_line", "Remove", tooltip="Remove the line under the cursor (del or x)",
                key_display="del", id="remove-line"),
        Binding("shift+up,ctrl+up", "move_line(-1)", "Move", key_display="shift+↑↓",
                tooltip="Move the line up (shift+↓ moves it down)", id="line-up"),
        Binding("shift+down,ctrl+down", "move_line(1)", "Move down", show=False, id="line-down"),
        Binding("plus,equals_sign", "change_quantity(1)", "Qty", key_display="+/-",
                tooltip="One more of this service (- one fewer, at least 1)", id="line-more"),
        Binding("minus", "change_quantity(-1)", "Fewer", show=False, id="line-fewer"),
    ]

    @property
    def editor(self) -> FixedLinesEditor:
        return self.query_ancestor(FixedLinesEditor)

    def action_remove_line(self) -> None:
        self.editor.remove_line(self.cursor_row)

    def action_move_line(self, step: int) -> None:
        self.editor.move_line(self.cursor_row, step)

    def action_change_quantity(self, step: int) -> None:
        self.editor.change_quantity(self.cursor_row, step)


class FixedLinesEditor(Vertical):
    """Edit the ordered lines of a Fixed package; posts `Changed` after every change."""

    DEFAULT_CSS = """
    FixedLinesEditor {
        height: auto;
        & > LinesTable { height: auto; max-height: 8; }
        & > #lines-empty { color: $text-muted; }
        & > #add-line { height: auto; }
        & #line-service { width: 1fr; max-width: 36; }
        & #line-quantity-label { width: auto; padding: 0 1; }
        & #line-quantity { width: 6; }
        & > #line-hint { color: $text-muted; }
        & > #line-hint.-problem { color: $text-error; }
    }
    """

    @dataclass
    class Changed(Message):
        editor: FixedLinesEditor
        lines: tuple[FixedLine, ...]

        @property
        def control(self) -> FixedLinesEditor:
            return self.editor

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.lines: list[FixedLine] = []
        self._services: dict[int, ServiceView] = {}

    def compose(self) -> ComposeResult:
        table = LinesTable(id="lines-table", cursor_type="row", show_header=False, zebra_stripes=False)
        table.display = False
        yield table
        yield Static("No lines yet: type how many, then pick a service below.", id="lines-empty")
        with Horizontal(id="add-line"):
            yield FieldInput("1", id="line-quantity", type="integer", compact=True, select_on_focus=True)
            yield Static("×", id="line-quantity-label")
            yield Select[int]([], prompt="Add a service…", id="line-service", compact=True)
        hint = Static("", id="line-hint")
        hint.display = False
        yield hint

    def on_mount(self) -> None:
        self.query_one(LinesTable).add_columns("#", "Service", "Quantity")

    # ---- set up -----------------------------------------------------------------------------------

    def set_services(self, services: Sequence[ServiceView]) -> None:
        """Services known to the editor; only active ones can be added."""
        self._services = {service.id: service for service in services}
        self.query_one("#line-service", Select).set_options(
            (f"{service.name} ({format_duration(service.duration_min)})", service.id)
            for service in services if not service.archived
        )

    def set_lines(self, lines: Sequence[FixedLine]) -> None:
        self.lines = list(lines)
        self._show(0)

    # ---- editing ----------------------------------------------------------------------------------

    def add_line(self, service_id: int) -> None:
        """Add `service_id` with the quantity typed beside it (1 when blank), then make ready for
        the next line: the quantity back to 1 and the cursor on it."""
        select = self.query_one("#line-service", Select)
        quantity_input = self.query_one("#line-quantity", Input)
        text = quantity_input.value.strip() or "1"
        if not text.lstrip("-").isdigit() or int(text) < 1:
            self._hint("The quantity must be a whole number, at least 1.", problem=True)
            with select.prevent(Select.Changed):
                select.clear()
            self.screen.set_focus(quantity_input)
            return
        quantity = int(text)
        name = self._services[service_id].name
        for index, line in enumerate(self.lines):
            if line.service_id == service_id:
                self.lines[index] = FixedLine(service_id, line.service_name, line.quantity + quantity)
                row = index
                break
        else:
            self.lines.append(FixedLine(service_id, name, quantity))
            row = len(self.lines) - 1
        with select.prevent(Select.Changed):
            select.clear()
        with quantity_input.prevent(Input.Changed):
            quantity_input.value = "1"
        self._hint(f"Added {quantity} × {name}.")
        self._changed(row)
        self.screen.set_focus(quantity_input)
        quantity_input.select_all()

    def remove_line(self, row: int) -> None:
        if 0 <= row < len(self.lines):
            removed = self.lines.pop(row)
            self._hint(f"Removed {removed.service_name}.")
            self._changed(min(row, len(self.lines) - 1))
            if not self.lines:
                self.query_one("#line-quantity", Input).focus()

    def move_line(self, row: int, step: int) -> None:
        target = row + step
        if 0 <= row < len(self.lines) and 0 <= target < len(self.lines):
            self.lines[row], self.lines[target] = self.lines[target], self.lines[row]
            self._changed(target)

    def change_quantity(self, row: int, step: int) -> None:
        if 0 <= row < len(self.lines):
            line = self.lines[row]
            self.lines[row] = FixedLine(line.service_id, line.service_name, max(1, line.quantity + step))
            self._changed(row)

    # ---- events -----------------------------------------------------------------------------------

    @on(Select.Changed, "#line-service")
    def service_chosen(self, event: Select.Changed) -> None:
        """A service picked is a line added, with the quantity typed beside it."""
        event.stop()
        if event.value is not Select.NULL:
            self.add_line(int(event.value))  # type: ignore[arg-type]

    @on(Input.Submitted, "#line-quantity")
    def quantity_entered(self, event: Input.Submitted) -> None:
        """Enter in the quantity goes on to the service (a form that walks its fields has moved the
        focus there already)."""
        event.stop()
        if self.screen.focused is event.input:
            self.query_one("#line-service", Select).focus()

    @on(Input.Changed, "#line-quantity")
    def quantity_typed(self, event: Input.Changed) -> None:
        event.stop()  # the line is added on Enter, not while typing

    @on(DataTable.RowSelected)
    @on(DataTable.RowHighlighted)
    def table_event(self, event: Message) -> None:
        event.stop()

    # ---- helpers ----------------------------------------------------------------------------------

    def _changed(self, cursor_row: int) -> None:
        self._show(cursor_row)
        self.post_message(self.Changed(self, tuple(self.lines)))

    def _show(self, cursor_row: int) -> None:
        table = self.query_one(LinesTable)
        table.clear()
        for position, line in enumerate(self.lines, start=1):
            name = Text(line.service_name)
            service = self._services.get(line.service_id)
            if service is not None and service.archived:
                name.append("  archived", style="italic")
            table.add_row(str(position), name, f"× {line.quantity}", key=str(position))
        table.display = bool(self.lines)
        self.query_one("#lines-empty").display = not self.lines
        if self.lines:
            table.move_cursor(row=max(cursor_row, 0))

    def _hint(self, text: str, problem: bool = False) -> None:
        hint = self.query_one("#line-hint", Static)
        hint.update(text)
        hint.set_class(problem, "-problem")
        hint.display = bool(text)
