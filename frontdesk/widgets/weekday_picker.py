"""Seven toggles, Monday to Sunday, in one focusable line.

Keys: ←/→ move between days, space or Enter turns the day under the cursor on or off, 1–7 turn
Monday…Sunday on or off directly. A click toggles the day clicked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
CELL = 7  # " ✓ Mon " — each day's width on screen


class WeekdayPicker(Widget, can_focus=True):
    """Which weekdays are on (0 = Monday … 6 = Sunday)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "Previous day", show=False),
        Binding("right", "move(1)", "Next day", show=False),
        Binding("space,enter", "toggle", "Toggle day", tooltip="Turn the day under the cursor on or off",
                id="weekday-toggle"),
        *(Binding(str(number), f"toggle_day({number - 1})", DAY_NAMES[number - 1], show=False)
          for number in range(1, 8)),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"weekday-picker--on", "weekday-picker--cursor"}

    DEFAULT_CSS = """
    WeekdayPicker {
        height: 1;
        width: auto;
        min-width: 49;
        & > .weekday-picker--on { color: $text-success; text-style: bold; }
        & > .weekday-picker--cursor { text-style: underline; }
        &:focus > .weekday-picker--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """

    days: reactive[frozenset[int]] = reactive(frozenset, init=False)
    cursor: reactive[int] = reactive(0, init=False)

    @dataclass
    class Changed(Message):
        """The set of days changed by a key press or a click."""

        picker: WeekdayPicker
        days: frozenset[int]

        @property
        def control(self) -> WeekdayPicker:
            return self.picker

    def __init__(self, days: Iterable[int] = (), *, id: str | None = None, classes: str | None = None,
                 disabled: bool = False) -> None:
        super().__init__(id=id, classes=classes, disabled=disabled)
        self.set_reactive(WeekdayPicker.days, frozenset(days))

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        on_style = self.get_component_rich_style("weekday-picker--on", partial=True)
        cursor_style = self.get_component_rich_style("weekday-picker--cursor", partial=True)
        for day, name in enumerate(DAY_NAMES):
            mark = "✓" if day in self.days else "·"
            style = on_style if day in self.days else ""
            if day == self.cursor:
                style = (on_style + cursor_style) if day in self.days else cursor_style
            text.append(f" {mark} {name} ", style=style)
        return text

    def get_content_width(self, container, viewport) -> int:  # type: ignore[no-untyped-def]
        return CELL * len(DAY_NAMES)

    def action_move(self, step: int) -> None:
        self.cursor = (self.cursor + step) % len(DAY_NAMES)

    def action_toggle(self) -> None:
        self.action_toggle_day(self.cursor)

    def action_toggle_day(self, day: int) -> None:
        self.cursor = day
        self.days = self.days ^ {day}
        self.post_message(self.Changed(self, self.days))

    def _on_click(self, event: events.Click) -> None:
        day = event.x // CELL
        if 0 <= day < len(DAY_NAMES):
            self.action_toggle_day(day)
