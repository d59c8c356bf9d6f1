"""A yes/no question before something that cannot be taken back lightly."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from frontdesk.screens.base import DeskModal
from frontdesk.widgets.footer import KeysFooter


class ConfirmDialog(DeskModal[bool]):
    """Dismisses with True (Enter / the first button) or False (Escape / the other button)."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without doing it", id="cancel"),
        Binding("enter", "confirm", "Confirm", tooltip="Do it", id="confirm"),
    ]

    def __init__(self, question: str, confirm_label: str = "Yes", cancel_label: str = "No") -> None:
        super().__init__()
        self.question = question
        self.confirm_label = confirm_label
        self.cancel_label = cancel_label
        self.labels = {"confirm": confirm_label}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, id="question", classes="dialog-prompt")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.confirm_label, variant="primary", id="yes")
                yield Button(self.cancel_label, id="no")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed, "#yes")
    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_cancel(self) -> None:
        self.dismiss(False)
