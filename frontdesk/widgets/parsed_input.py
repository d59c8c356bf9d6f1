"""Inputs that read what staff type with one of the domain's parsers, through a Textual `Validator`.

`Parsed(parse)` is valid when `parse` reads the text; the `ValueError`'s message (a sentence fit
to show under the field) is the failure. `ParsedInput` is an Input with such a parser: `.parsed`
is the value read (None when blank or unreadable), `.error` says why it cannot be read, and,
unless the owner shows messages elsewhere, the bottom border says it too. Every form reads
typed dates, times, durations, money and balance changes this way, so they all accept the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, Literal, TypeVar

from textual.validation import ValidationResult, Validator

from frontdesk.widgets.keys_in_order import FieldInput

T = TypeVar("T")


class Parsed(Validator):
    """Valid when `parse(text)` succeeds; blank is valid unless `required` gives its message."""

    def __init__(self, parse: Callable[[str], Any], *, required: str | None = None) -> None:
        super().__init__()
        self.parse = parse
        self.required = required

    def validate(self, value: str) -> ValidationResult:
        if not value.strip():
            return self.failure(self.required, value) if self.required else self.success()
        try:
            self.parse(value)
        except ValueError as error:
            return self.failure(str(error), value)
        return self.success()


class ParsedInput(FieldInput, Generic[T]):
    """An input read by `parse`; `.parsed` the value, `.error` the message (blank: neither). It takes
    a burst of keys in order (see `FieldInput`)."""

    def __init__(
        self,
        value: str = "",
        *,
        parse: Callable[[str], T],
        placeholder: str = "",
        id: str | None = None,
        classes: str | None = None,
        label: str = "",
        border_message: bool = False,
        compact: bool = False,
        type: Literal["integer", "number", "text"] = "text",
    ) -> None:
        self.parse = parse
        self._border_message = border_message
        super().__init__(value, placeholder=placeholder, validators=[Parsed(self._read)], valid_empty=True,
                         id=id, classes=classes, compact=compact, type=type)
        if label:
            self.border_title = label

    def _read(self, text: str) -> T:
        return self.parse(text)

    @property
    def parsed(self) -> T | None:
        """The value read; None when the field is blank or cannot be read."""
        if not self.value.strip():
            return None
        try:
            return self._read(self.value)
        except ValueError:
            return None

    @property
    def error(self) -> str | None:
        """Why the text cannot be read, or None (blank counts as no error)."""
        result = Parsed(self._read).validate(self.value)
        return None if result.is_valid else result.failure_descriptions[0]

    def validate(self, value: str) -> ValidationResult | None:
        result = super().validate(value)
        if self._border_message:
            self.border_subtitle = (
                result.failure_descriptions[0] if result is not None and not result.is_valid else ""
            )
        return result
