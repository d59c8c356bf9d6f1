"""The shared form dialog: a message under each field, Enter moves to the next field, Escape
cancels, and the result goes back to the caller, who does the write.

Opened with `DeskWork.ask`, the form stays open while the screen writes its answer: a refusal
comes back to it (`refused`), each message under its field (InvalidInput) or in the form's
general line, the cursor on the first bad field — nothing typed is lost and nothing is
half-saved. Opened with a plain `push_screen`, it dismisses with its answer at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from textual import on
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from frontdesk.screens.base import DeskModal
from frontdesk.widgets.fields import sentence
from frontdesk.services.errors import FrontDeskError, InvalidInput

ResultType = TypeVar("ResultType")


class FormDialog(DeskModal[ResultType]):
    """Messages under fields, Enter walks the fields, and `refused` errors shown on opening.
    Its fields are `FieldInput`s (or built on one), so a burst of keys lands where it was typed."""

    FIELDS: tuple[str, ...] = ()  # the inputs, in the order Enter walks them
    GENERAL = "form"  # where a message that belongs to no field goes

    answer_to: Callable[[ResultType], object] | None = None  # who writes the answer (see `ask`)
    answer: ResultType | None = None  # the answer being written
    saving = False  # True while it is written: a second press does nothing

    def finish(self, result: ResultType) -> None:
        """Send the answer: to the screen that writes it (the form waits), else close with it."""
        if self.saving:
            return
        if self.answer_to is None:
            self.dismiss(result)
            return
        self.saving = True
        self.answer = result
        self.clear_errors()
        self.answer_to(result)

    def refused(self, error: FrontDeskError) -> None:
        """The answer was not saved: say why, here, and let staff correct it."""
        self.saving = False
        self.show_refusal(error)

    def on_mount(self) -> None:
        self.focus_first()

    def show_refusal(self, refusal: FrontDeskError) -> None:
        if isinstance(refusal, InvalidInput):
            self.show_errors(refusal.fields)
        else:
            self.show_errors({self.GENERAL: refusal.message})

    def focus_first(self) -> None:
        """Where typing starts when nothing is wrong yet (the first field by default)."""
        self.query_one(f"#{self.FIELDS[0]}").focus()

    def value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value

    def field_after(self, field: Widget) -> Widget | None:
        """The field Enter in `field` moves to; None in the last one (Enter sends the form)."""
        if field.id not in self.FIELDS:
            return None
        index = self.FIELDS.index(field.id)
        return self.query_one(f"#{self.FIELDS[index + 1]}") if index + 1 < len(self.FIELDS) else None

    def set_error(self, field: str, message: str) -> None:
        error = self.query_one(f"#{field}-error", Static)
        error.update(sentence(message))
        error.display = bool(message)

    def clear_errors(self) -> None:
        for error in self.query(".field-error").results(Static):
            error.update("")
            error.display = False

    def show_errors(self, errors: Mapping[str, str]) -> None:
        """Each message under its field (others in the general line); the cursor on the first."""
        self.clear_errors()
        first = None
        for field, message in errors.items():
            target = field if field in self.FIELDS else self.GENERAL
            self.set_error(target, message)
            first = first or (target if target in self.FIELDS else None)
        if first:
            self.query_one(f"#{first}").focus()
        else:
            self.focus_first()

    # ---- keys and buttons every form shares ---------------------------------------------------------

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        """Enter moves to the next field; in the last one it sends the form. A `FieldInput` has
        already moved the focus (before the keys typed after the Enter were read)."""
        event.stop()
        following = self.field_after(event.input)
        if following is None:
            self.action_submit()
        elif self.focused is event.input:
            following.focus()

    @on(Button.Pressed, "#save")
    def save_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#close")
    def close_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        """Escape or the Cancel button: close without an answer (a form may ask first)."""
        self.dismiss(None)

    def action_submit(self) -> None:
        """Read the fields; show what is wrong at them, or `finish` with the answer."""
        raise NotImplementedError

    @staticmethod
    def buttons(save: str = "Save", cancel: str = "Cancel") -> Horizontal:
        """The form's buttons, under its general message line."""
        return Horizontal(Button(save, variant="primary", id="save"), Button(cancel, id="close"),
                          classes="dialog-buttons")
