"""The day book's settings (managers): the opening hours, one line per weekday, and the services
a provider gives, ticked on a checklist. Each message sits under its field; nothing is saved
while one is wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.widgets import Checkbox, Label, Static

from frontdesk.domain.parsing import parse_clock
from frontdesk.domain.schedule import WEEKDAY_NAMES, OpeningHours
from frontdesk.screens.dialogs.form import FormDialog
from frontdesk.services.schedule import ProviderServices
from frontdesk.widgets.fields import field_error
from frontdesk.widgets.parsed_input import ParsedInput
from frontdesk.widgets.service_checklist import ServiceChecklist
from frontdesk.widgets.footer import KeysFooter

Week = tuple[tuple[time, time] | None, ...]  # Monday first; None: closed


def parse_day_hours(text: str) -> tuple[time, time] | None:
    """ "9-18", "09:00–20:00", "10am to 5pm" → (opens, closes); "closed" (or blank) → None."""
    word = text.strip().lower()
    if word in ("", "closed", "-", "—"):
        return None
    parts = re.split(r"\s*(?:–|—|-|to)\s*", word)
    if len(parts) != 2 or not all(parts):
        raise ValueError("Enter the hours like 09:00–18:00, or closed.")
    opens, closes = parse_clock(parts[0]), parse_clock(parts[1])
    if not opens < closes:
        raise ValueError("Closing must be after opening.")
    return opens, closes


class OpeningHoursDialog(FormDialog[Week]):
    """The week's hours; dismisses with seven days (None: closed) or None when cancelled."""

    FIELDS = tuple(f"day-{index}" for index in range(7))
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving", id="cancel"),
        Binding("ctrl+s", "submit", "Save", tooltip="Save the opening hours", id="save"),
    ]

    def __init__(self, hours: OpeningHours | None) -> None:
        super().__init__()
        self.hours = hours

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="hours-dialog"):
            yield Static("Opening hours", classes="dialog-title")
            for index, name in enumerate(WEEKDAY_NAMES):
                day = self.hours.days[index] if self.hours else None
                text = "" if self.hours is None else (day.words if day else "closed")
                with Horizontal(classes="form-row hours-row"):
                    yield Label(name, classes="field-label")
                    yield ParsedInput(text, parse=parse_day_hours, id=f"day-{index}", placeholder="09:00–18:00",
                                      compact=True)
                yield field_error(f"day-{index}")
            yield Static("Bookings fit in these hours; 'closed' for a day off." if self.hours
                         else "None kept yet: bookings are not checked against hours.",
                         classes="dialog-note")
            yield field_error("form")
            yield self.buttons()
        yield KeysFooter()

    def action_submit(self) -> None:
        problems = {field: box.error for field in self.FIELDS
                    for box in self.query(f"#{field}").results(ParsedInput) if box.error}
        if problems:
            self.show_errors(problems)
            return
        self.finish(tuple(self.query_one(f"#{field}", ParsedInput).parsed for field in self.FIELDS))


@dataclass(frozen=True, slots=True)
class Gives:
    """What a provider gives: every service, or those ticked."""

    all_services: bool
    service_ids: tuple[int, ...]


class ProviderServicesDialog(FormDialog[Gives]):
    """The services a provider gives; dismisses with `Gives` or None when cancelled."""

    FIELDS = ("every", "services")
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving", id="cancel"),
        Binding("ctrl+s", "submit", "Save", tooltip="Save what they give", id="save"),
    ]

    def __init__(self, gives: ProviderServices) -> None:
        super().__init__()
        self.gives = gives

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(f"What {escape(self.gives.provider.name)} gives", classes="dialog-title")
            yield Checkbox("Every service (new ones too)", self.gives.all_services, id="every")
            yield field_error("every")
            yield ServiceChecklist(id="services")
            yield field_error("services")
            yield Static("Space ticks a service; bookings with them are only for the services ticked.",
                         classes="dialog-note")
            yield field_error("form")
            yield self.buttons()
        yield KeysFooter()

    def on_mount(self) -> None:
        checklist = self.query_one("#services", ServiceChecklist)
        checklist.set_services(self.gives.services,
                               [] if self.gives.all_services else sorted(self.gives.service_ids))
        checklist.disabled = self.gives.all_services
        super().on_mount()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.query_one("#services", ServiceChecklist).disabled = event.value

    def action_submit(self) -> None:
        every = self.query_one("#every", Checkbox).value
        chosen = self.query_one("#services", ServiceChecklist).selected_ids
        if not every and not chosen:
            self.show_errors({"services": "Tick at least one service, or every service."})
            return
        self.finish(Gives(every, () if every else chosen))
