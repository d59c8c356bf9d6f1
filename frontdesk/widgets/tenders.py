"""How an amount is paid with money: card (the default), cash, other, or split between them.

`TenderChooser` shows the amount and the chosen way of paying on one line; in split mode it shows
a money input each for cash, card and other and, live, whether they add up. The card input
follows the rest (amount − cash − other) until staff type into it, so "$20 cash, rest on card"
is `t`, `20`, Enter. The rest is never written into a field staff are in or have typed into since
it was last filled, however fast the keys come (a paste, typing over SSH). Cash above what is left
to pay, while the card follows the rest, is change ("Change $5.00"): the cash paid is what was due.
The screen that owns it maps its keys (k / h / o / t) to `set_mode` and reads `tenders` (None while
a split does not add up; `problem` says why).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import var
from textual.widgets import Input, Static

from frontdesk.app import FrontDeskApp
from frontdesk.domain.money import Currency, format_money
from frontdesk.domain.kinds import Tender
from frontdesk.services.sales import TenderLine
from frontdesk.widgets.money_input import MoneyInput

MODES = ("card", "cash", "other", "split")
KEYS = {"card": "k", "cash": "h", "other": "o", "split": "t"}
SPLIT_ORDER = (Tender.CASH, Tender.CARD, Tender.OTHER)  # cash first: it is what staff count


def tender_bindings(*, group: str, amount: str, id_prefix: str) -> list[Binding]:
    """The keys that choose how `amount` ("the rest", "the price") is paid, for the screen or
    dialog that owns a TenderChooser; each runs `action_tender(mode)` there."""
    shown = Binding.Group(group)
    words = {"card": "by card", "cash": "in cash", "other": "by another tender"}
    bindings = [
        Binding(KEYS[mode], f"tender('{mode}')", mode.capitalize(), tooltip=f"Pay {amount} {words[mode]}",
                id=f"{id_prefix}-{mode}", group=shown)
        for mode in ("card", "cash", "other")
    ]
    bindings.append(Binding(KEYS["split"], "tender('split')", "Split", group=shown, id=f"{id_prefix}-split",
                            tooltip=f"Split {amount} between cash, card and other"))
    return bindings


class TenderChooser(Vertical):
    """The money tenders for `due` (minor units)."""

    DEFAULT_CSS = """
    TenderChooser {
        height: auto;
    }
    TenderChooser #tender-line {
        height: auto;
    }
    TenderChooser #split-row {
        height: auto;
        display: none;
    }
    TenderChooser.-split #split-row {
        display: block;
    }
    TenderChooser #split-row MoneyInput {
        width: 16;
        margin-right: 1;
        border-title-color: $foreground;
    }
    TenderChooser #split-diff {
        width: 1fr;
        height: 3;
        content-align: left middle;
    }
    TenderChooser #split-diff.-off {
        color: $error;
    }
    TenderChooser #split-diff.-ok {
        color: $success;
    }
    """

    app = getters.app(FrontDeskApp)
    mode: var[str] = var("card")

    @dataclass
    class Changed(Message):
        """The mode or a split amount changed; read `chooser.tenders`."""

        chooser: TenderChooser

    def __init__(self, due: int = 0, *, lead: str = "Rest", currency: Currency | None = None,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._due = due
        self._lead = lead
        self._currency = currency
        self._card_filled = ""  # what the card input was last filled with (the rest)
        self._card_typed = False  # staff typed into the card input since

    @property
    def currency(self) -> Currency:
        if self._currency is None:
            self._currency = self.app.desk.business.currency
        return self._currency

    def compose(self) -> ComposeResult:
        yield Static(id="tender-line")
        with Horizontal(id="split-row"):
            for tender in SPLIT_ORDER:  # what is wrong is said in full beside them (#split-diff)
                yield MoneyInput(currency=self._currency, label=tender.value.capitalize(),
                                 id=f"split-{tender.value}", border_message=False)
            yield Static(id="split-diff")

    def on_mount(self) -> None:
        self._show()

    # ---- what the owner calls -------------------------------------------------------------------

    @property
    def due(self) -> int:
        return self._due

    def set_due(self, due: int, lead: str | None = None) -> None:
        """Pay `due` now (e.g. the rest after the package); a card that follows the rest follows."""
        self._due = max(due, 0)
        if lead is not None:
            self._lead = lead
        if self.mode == "split":
            self._follow()
        self._show()

    def set_mode(self, mode: str) -> None:
        """Card, cash or other for all of it, or split (the cash input takes focus)."""
        if mode not in MODES:
            raise ValueError(mode)
        entering_split = mode == "split" and self.mode != "split"
        self.mode = mode
        if entering_split:
            self.query_one("#split-cash", MoneyInput).set_amount(None)
            self.query_one("#split-other", MoneyInput).set_amount(None)
            self._follow(afresh=True)
        self._show()
        if mode == "split":  # at once: the keys typed after the `t` go to the cash (see keys_in_order)
            self.screen.set_focus(self.query_one("#split-cash", MoneyInput))
        self.post_message(self.Changed(self))

    @property
    def split_inputs(self) -> list[MoneyInput]:
        return list(self.query(MoneyInput))

    @property
    def tenders(self) -> list[TenderLine] | None:
        """The tenders that pay `due` exactly, or None while a split does not add up."""
        if self._due == 0:
            return []
        if self.mode != "split":
            return [TenderLine(Tender(self.mode), self._due)]
        if self.problem is not None:
            return None
        change = self.change
        return [TenderLine(tender, amount - (change if tender is Tender.CASH else 0))
                for tender, amount in self._split_amounts() if amount]

    @property
    def change(self) -> int:
        """Cash handed beyond what is due, given back: only while the card follows the rest (a card
        typed by hand that is too much is a mistake, not change) and only out of the cash."""
        if self._due == 0 or self.mode != "split" or self._card_typed:
            return 0
        cash, card, other = (amount for _, amount in self._split_amounts())
        surplus = cash + other - self._due
        return surplus if not card and 0 < surplus <= cash else 0

    @property
    def problem(self) -> str | None:
        """Why the tenders cannot be used yet ("Still $20.00 to split"), or None."""
        if self._due == 0 or self.mode != "split":
            return None
        for box, tender in zip(self._boxes(), SPLIT_ORDER, strict=True):
            if box.error:
                return f"{tender.value.capitalize()}: {box.error.rstrip('.')}."
        total = sum(amount for _, amount in self._split_amounts())
        if total < self._due:
            return f"Still {self._money(self._due - total)} to split."
        if total > self._due and not self.change:
            return f"{self._money(total - self._due)} more than is due."
        return None

    def describe(self) -> str:
        """How it is paid, in words: "card $40.00", "cash $20.00 + card $20.00"."""
        lines = self.tenders or []
        return " + ".join(f"{line.tender.value} {self._money(line.amount)}" for line in lines)

    # ---- inside -----------------------------------------------------------------------------------

    def _money(self, amount: int) -> str:
        return format_money(amount, self.currency)

    def _boxes(self) -> tuple[MoneyInput, MoneyInput, MoneyInput]:
        return (self.query_one("#split-cash", MoneyInput), self.query_one("#split-card", MoneyInput),
                self.query_one("#split-other", MoneyInput))

    def _split_amounts(self) -> list[tuple[Tender, int]]:
        return [(tender, box.amount or 0) for tender, box in zip(SPLIT_ORDER, self._boxes(), strict=True)]

    def _follow(self, *, afresh: bool = False) -> None:
        """The card takes whatever cash and other leave, unless staff are in the card input or have
        typed into it since it was last filled (`afresh`: a new split, filled whatever it holds)."""
        cash, card, other = self._boxes()
        if not afresh and (self._card_typed or card.value != self._card_filled or self.screen.focused is card):
            return
        rest = self._due - (cash.amount or 0) - (other.amount or 0)
        card.set_amount(rest if rest > 0 else None)
        self._card_filled, self._card_typed = card.value, False

    def _show(self) -> None:
        self.set_class(self.mode == "split", "-split")
        line = Text()
        if self._due == 0:
            line.append("Nothing more to pay.", style="bold")
        else:
            line.append(f"{self._lead} {self._money(self._due)} by  ", style="bold")
            for mode in MODES:
                label = f" {mode} " if mode != self.mode else f"▸{mode}◂"
                line.append(label, style="bold reverse" if mode == self.mode else "")
                line.append(f"({KEYS[mode]})  ", style="dim")
        self.query_one("#tender-line", Static).update(line)
        diff = self.query_one("#split-diff", Static)
        problem = self.problem
        change = self.change
        diff.update(problem or (f"✓ Change {self._money(change)}: give it back from the cash" if change
                                else "✓ adds up to " + self._money(self._due)))
        diff.set_class(problem is not None, "-off")
        diff.set_class(problem is None, "-ok")

    @on(Input.Changed)
    def _split_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.input.id == "split-card":
            self._card_typed = True
        else:
            self._follow()
        self._show()
        self.post_message(self.Changed(self))
