"""Ask why (and, for an adjustment, by how much; for a cancellation or void of something paid
with money, what goes back and how) before a change that the history must explain."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Checkbox, Input, Label, RadioButton, RadioSet, Static

from frontdesk.domain.kinds import Tender
from frontdesk.domain.money import format_money
from frontdesk.screens.dialogs.form import FormDialog
from frontdesk.services.tenders import MONEY_TENDERS, TenderLine
from frontdesk.widgets.fields import field_error
from frontdesk.widgets.keys_in_order import FieldInput
from frontdesk.widgets.money_input import MoneyInput
from frontdesk.widgets.parsed_input import ParsedInput
from frontdesk.widgets.footer import KeysFooter


class Change(NamedTuple):
    """A balance change (or days) and why: what the adjust and extend dialogs return; `override`
    says whether the dialog's `override_label` box was ticked."""

    delta: int
    reason: str
    override: bool = False


class Refunding(NamedTuple):
    """What goes back to the customer, and why: what the dialog returns with `refund_of` or
    `override_label` (then `override` says whether the manager turned the policy's outcome)."""

    refunds: tuple[TenderLine, ...]  # none when nothing is refunded
    reason: str
    override: bool = False


class ReasonDialog(FormDialog[str | Change | Refunding]):
    """Dismisses with the reason, a `Change` (delta, reason) with `parse_delta`, a `Refunding`
    with `refund_of`, or None.

    `required=False` makes the reason optional (e.g. cancelling an appointment); it is needed all
    the same when less than `refund_of` goes back. The delta is read by `parse_delta` (a signed
    amount in the holding's unit); 0 is refused. The refund starts at the whole of `refund_of`
    (minor units), by `refund_tender`: Enter through it refunds everything the way it was paid."""

    FIELDS = ("delta", "refund", "reason")

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without changing anything", id="cancel"),
        Binding("ctrl+s", "submit", "Save", tooltip="Do it, with this reason", id="save"),
    ]

    def __init__(
        self, title: str, prompt: str, *, parse_delta: Callable[[str], int] | None = None, unit_hint: str = "",
        required: bool = True, confirm_label: str = "Save", cancel_label: str = "Cancel",
        refund_of: int = 0, refund_tender: Tender | None = None, delta_label: str = "Change",
        delta_placeholder: str = "+1 or -1", override_label: str | None = None,
    ) -> None:
        super().__init__()
        self.delta_label = delta_label
        self.delta_placeholder = delta_placeholder
        self.override_label = override_label
        self.refund_of = refund_of
        self.refund_tender = refund_tender or Tender.CARD
        self.FIELDS = tuple(field for field, shown in (("delta", parse_delta is not None), ("refund", refund_of > 0),
                                                       ("reason", True)) if shown)
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
                yield Label(self.delta_label + (f" ({self.unit_hint})" if self.unit_hint else ""),
                            classes="field-label")
                yield ParsedInput(parse=self.parse_delta, id="delta", placeholder=self.delta_placeholder)
                yield field_error("delta")
            if self.refund_of:
                yield Label(f"Refund (of {self.money(self.refund_of)} paid)", classes="field-label")
                with Horizontal(id="refund-row"):
                    yield MoneyInput(self.refund_of, id="refund")
                    yield Static("by", id="refund-by")
                    with RadioSet(id="refund-tender", compact=True):
                        for tender in MONEY_TENDERS:
                            yield RadioButton(str(tender), value=tender == self.refund_tender,
                                              id=f"refund-{tender}")
                yield field_error("refund")
            if self.override_label:
                yield Checkbox(self.override_label, id="override", compact=True)
            yield Label(self.reason_label, classes="field-label")
            yield FieldInput(id="reason", placeholder="Why? It is kept in the balance history.")
            yield field_error("reason")
            yield field_error("form")
            yield self.buttons(self.confirm_label, self.cancel_label)
        yield KeysFooter()

    @property
    def reason_label(self) -> str:
        if self.required:
            return "Reason"
        if self.refund_of:
            return "Reason (needed if less than all of it goes back)"
        if self.override_label:
            return "Reason (needed to override)"
        return "Reason (optional)"

    def money(self, amount: int) -> str:
        return format_money(amount, self.desk.business.currency)

    def focus_first(self) -> None:
        self.query_one("#delta" if self.ask_delta else "#refund" if self.refund_of else "#reason", Input).focus()

    def refund_problem(self) -> tuple[Refunding | None, str | None]:
        """The refund typed, or why it cannot be (said at the field)."""
        box = self.query_one("#refund", MoneyInput)
        if not box.value.strip():
            return None, f"Enter the refund: 0 to {self.money(self.refund_of)}."
        if box.error or box.parsed is None:
            return None, box.error or "Enter an amount like 40.00."
        amount = box.parsed
        if amount < 0 or amount > self.refund_of:
            return None, f"Refund 0 to {self.money(self.refund_of)}: no more than was paid."
        choice = self.query_one("#refund-tender", RadioSet)
        tender = MONEY_TENDERS[choice.pressed_index] if choice.pressed_button else self.refund_tender
        return Refunding((TenderLine(tender, amount),) if amount else (), ""), None

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
        refunding = None
        if self.refund_of:
            refunding, problem = self.refund_problem()
            if problem:
                problems["refund"] = problem
            elif not reason and sum(line.amount for line in refunding.refunds) < self.refund_of:
                problems["reason"] = "Say why not all of it goes back: it is kept with the refund."
        override = self.override_label is not None and self.query_one("#override", Checkbox).value
        if (self.required or override) and not reason:
            problems["reason"] = "Give a reason: it is kept in the balance history."
        if problems:
            self.show_errors(problems)
            return
        if refunding is not None:
            self.finish(refunding._replace(reason=reason, override=override))
        elif self.override_label is not None and delta is None:
            self.finish(Refunding((), reason, override))
        else:
            self.finish(Change(delta, reason, override) if delta is not None else reason)
