"""An input for an amount of money in the business currency.

`MoneyInput` parses what staff type with `domain.money.parse_money` ("40", "40.5", "$40.50",
"1,250.00"), exposes the amount in minor units as `.amount` (None when blank or unreadable) and
shows why an amount is unreadable in its bottom border ("enter an amount like 40.00").
"""

from __future__ import annotations

from collections.abc import Callable

from textual.validation import ValidationResult, Validator
from textual.widgets import Input

from frontdesk.domain.money import Currency, format_money, parse_money


class _ReadableMoney(Validator):
    """Valid when `parse_money` can read the text in the (lazily known) currency."""

    def __init__(self, currency: Callable[[], Currency]) -> None:
        super().__init__()
        self._currency = currency

    def validate(self, value: str) -> ValidationResult:
        try:
            parse_money(value, self._currency())
        except ValueError as error:
            return self.failure(str(error), value)
        return self.success()


def plain_amount(amount: int, currency: Currency) -> str:
    """An amount as staff would type it: 4000 → "40.00", 125000 → "1,250.00" (no symbol)."""
    text = format_money(amount, currency)
    return text.replace(currency.symbol, "", 1).strip() if amount >= 0 else text


class MoneyInput(Input):
    """An amount of money; `.amount` in minor units, `.error` the parse message (also shown in
    the bottom border, unless `border_message=False` because the owner shows it in full
    elsewhere). A blank field has no amount and no error."""

    DEFAULT_CSS = """
    MoneyInput {
        width: 18;
    }
    MoneyInput > .input--placeholder {
        color: $text-muted;
    }
    """

    def __init__(
        self,
        amount: int | None = None,
        *,
        currency: Currency | None = None,
        placeholder: str = "",
        id: str | None = None,
        classes: str | None = None,
        label: str = "",
        border_message: bool = True,
    ) -> None:
        self._currency = currency
        self._border_message = border_message
        super().__init__(
            placeholder=placeholder,
            validators=[_ReadableMoney(lambda: self.currency)],
            valid_empty=True,
            id=id,
            classes=classes,
        )
        self._initial_amount = amount
        if label:
            self.border_title = label

    @property
    def currency(self) -> Currency:
        """The currency given, else the business currency of the app's desk."""
        if self._currency is None:
            self._currency = self.app.desk.business.currency  # type: ignore[attr-defined]
        return self._currency

    def on_mount(self) -> None:
        if self._initial_amount is not None:
            self.set_amount(self._initial_amount)

    @property
    def amount(self) -> int | None:
        """The amount in minor units; None when the field is blank or cannot be read."""
        if not self.value.strip():
            return None
        try:
            return parse_money(self.value, self.currency)
        except ValueError:
            return None

    @property
    def error(self) -> str | None:
        """Why the text is not an amount, or None (blank counts as no error)."""
        if not self.value.strip():
            return None
        try:
            parse_money(self.value, self.currency)
        except ValueError as error:
            return str(error)
        return None

    def set_amount(self, amount: int | None) -> None:
        """Show `amount` (None: blank) without posting `Input.Changed`."""
        with self.prevent(Input.Changed):
            self.value = "" if amount is None else plain_amount(amount, self.currency)
        self.validate(self.value)

    def validate(self, value: str) -> ValidationResult | None:
        result = super().validate(value)
        if self._border_message:
            self.border_subtitle = (
                result.failure_descriptions[0] if result is not None and not result.is_valid else ""
            )
        return result
