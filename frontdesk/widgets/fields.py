"""What every form shares: the line under a field that says what is wrong with it, worded as a
sentence."""

from __future__ import annotations

from textual.widgets import Static


def sentence(message: str) -> str:
    """A message as a sentence under a field: "amount cannot be negative" → "Amount cannot be negative."."""
    message = message.strip()
    if not message:
        return ""
    return message[:1].upper() + message[1:] + ("" if message.endswith((".", "?", "!")) else ".")


def field_error(field: str) -> Static:
    """The (hidden until needed) line under a field, `#<field>-error`."""
    error = Static("", id=f"{field}-error", classes="field-error")
    error.display = False
    return error
