"""Ask why (and, for an adjustment, by how much) before a change that the history must explain."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Input, Label, Static

from frontdesk.screens.dialogs.form import FormDialog
from frontdesk.widgets.fields import field_error
from frontdesk.widgets.parsed_input import ParsedInput


class Change(NamedTuple):
    """A balance change and why: what the adjust dialog returns."""

    delta: int
    reason: str


class ReasonDialog(FormDialog[str | Change]):
    """Dismisses with the reason, or a `Change` (delta, reason) with `parse_delta`, or None.

    `required=False` makes the reason optional (e.g. cancelling an appointment). The delta is
    read by `parse_delta` (a signed amount in the holding's unit); 0 is refused."""

    FIELDS = ("delta", "reason")

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without changing anything", id="cancel"),
        Binding("ctrl+s", "submit", "Save", tooltip="Do it, with this reason", id="save"),
    ]

    def __init__(
        self, title: str, prompt: str, *, parse_delta: Callable[[str], int] | None = None, unit_hint: str = "",
        required: bool = True, confirm_label: str = "Save", cancel_label: str = "Cancel",
    ) -> None:
        super().__init__()
        self.dialog_title = title
        self.prompt = prompt
        self.parse_delta = parse_delta
        self.unit_hint = unit_hint
        self.required = required
        self.confirm_label = confirm_label
        self.cancel_label = cancel_label
        self.labels = {"submit": confirm_label}

    @property
    def ask_delta(self) -> bool:
        return self.parse_delta is not None

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Static(self.dialog_title, classes="dialog-title")
            yield Static(self.prompt, id="prompt", classes="dialog-prompt")
            if self.parse_delta is not None:
                yield Label("Change" + (f" ({self.unit_hint})" if self.unit_hint else ""), classes="field-label")
                yield ParsedInput(parse=self.parse_delta, id="delta", placeholder="+1 or -1")
                yield field_error("delta")
            yield Label("Reason" if self.required else "Reason (optional)", classes="field-label")
            yield Input(id="reason", placeholder="Why? It is kept in the balance history.")
            yield field_error("reason")
            yield field_error("form")
            yield self.buttons(self.confirm_label, self.cancel_label)
        yield Footer()

    def focus_first(self) -> None:
        self.query_one("#delta" if self.ask_delta else "#reason", Input).focus()

    def action_submit(self) -> None:
        reason = self.value("reason").strip()
        problems = {}
        delta = None
        if self.ask_delta:
            box = self.query_one("#delta", ParsedInput)
            delta = box.parsed
            if not box.value.strip():
                problems["delta"] = "Enter the change, e.g. +1 or -1."
            elif box.error:
                problems["delta"] = box.error
            elif delta == 0:
                problems["delta"] = "Enter a change other than 0."
        if self.required and not reason:
            problems["reason"] = "Give a reason: it is kept in the balance history."
        if problems:
            self.show_errors(problems)
            return
        self.finish(Change(delta, reason) if delta is not None else reason)
