"""An input for an amount of money in the business currency.

`MoneyInput` reads what staff type with `domain.money.parse_money` ("40", "40.5", "$40.50",
"1,250.00"), exposes the amount in minor units as `.amount` (None when blank or unreadable) and
shows why an amount is unreadable in its bottom border ("enter an amount like 40.00").
"""

from __future__ import annotations

from textual import getters
from textual.widgets import Input

from frontdesk.app import FrontDeskApp
from frontdesk.domain.money import Currency, format_money, parse_money
from frontdesk.widgets.parsed_input import ParsedInput


def plain_amount(amount: int, currency: Currency) -> str:
    """An amount as staff would type it: 4000 → "40.00", 125000 → "1,250.00" (no symbol)."""
    text = format_money(amount, currency)
    return text.replace(currency.symbol, "", 1).strip() if amount >= 0 else text


class MoneyInput(ParsedInput[int]):
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

    app = getters.app(FrontDeskApp)

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
        super().__init__(parse=self._money, placeholder=placeholder, id=id, classes=classes, label=label,
                         border_message=border_message)
        self._initial_amount = amount

    @property
    def currency(self) -> Currency:
        """The currency given, else the business currency of the app's desk."""
        if self._currency is None:
            self._currency = self.app.desk.business.currency
        return self._currency

    def _money(self, text: str) -> int:
        return parse_money(text, self.currency)

    def on_mount(self) -> None:
        if self._initial_amount is not None:
            self.set_amount(self._initial_amount)

    @property
    def amount(self) -> int | None:
        """The amount in minor units; None when the field is blank or cannot be read."""
        return self.parsed

    def set_amount(self, amount: int | None) -> None:
        """Show `amount` (None: blank) without posting `Input.Changed`."""
        with self.prevent(Input.Changed):
            self.value = "" if amount is None else plain_amount(amount, self.currency)
        self.validate(self.value)
