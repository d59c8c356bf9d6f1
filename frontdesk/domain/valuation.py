"""What a holding is worth: the business's liability for prepaid service, and what each movement
of a holding changes it by, to the cent (DESIGN §8).

A holding's price paid is spread over the units it was sold with so that they add up to exactly
that price: with `units` bought for `price`, `left` paid units are worth ``price * left // units``
(3 visits for $250.00: 250.00, 166.66, 83.33, 0 — units worth $83.34, $83.33, $83.33). Minutes and
money credit work the same way ($200 of credit sold for $180: $50 left is worth $45.00). A Fixed
bundle first spreads its price over its lines (by the weights given, e.g. the services' list
prices), then over each line's units. An unlimited holding is worth its price pro rata of the
validity days left. An assigned (free) holding is worth nothing: its units are complimentary.

Units added by an adjustment are complimentary too (worth 0). **A redemption takes paid units
first, then complimentary ones; an adjustment down takes complimentary units first, then paid
ones; a reversal gives back exactly what its redemption took.** Every movement is valued as the
change in the liability it makes, so opening + movements = closing holds to the cent by
construction, for any period.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Movement(StrEnum):
    """What moved a holding's value: the lines of a roll-forward."""

    SOLD = "sold"
    ASSIGNED = "assigned"  # complimentary: worth 0, counted apart
    IMPORTED = "imported"  # brought over from another system: what is left of what was paid there
    REDEEMED = "redeemed"  # for unlimited holdings, the validity used up as days pass
    REVERSED = "reversed"
    ADJUSTED = "adjusted"
    VOIDED = "voided"
    REFUNDED = "refunded"  # the part of a void's value given back in money
    EXPIRED = "expired"  # breakage: what was left on the day the holding expired
    EXTENDED = "extended"  # an expiry moved: an expired holding owed again, an unlimited pass's days
    TRANSFERRED = "transferred"  # a balance moved to another customer: out and in, 0 in all


ROLL_FORWARD = (Movement.SOLD, Movement.ASSIGNED, Movement.IMPORTED, Movement.REDEEMED, Movement.REVERSED,
                Movement.ADJUSTED, Movement.VOIDED, Movement.REFUNDED, Movement.EXPIRED, Movement.EXTENDED,
                Movement.TRANSFERRED)


def split(amount: int, weights: Sequence[int]) -> list[int]:
    """`amount` shared in proportion to `weights`, in whole minor units that add up to exactly
    `amount` (largest remainders get the odd cents; all-zero weights share equally)."""
    if not weights:
        return []
    if not any(weights):
        weights = [1] * len(weights)
    total = sum(weights)
    shares = [amount * weight // total for weight in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (-(amount * weights[i] % total), i))
    for i in remainders[:amount - sum(shares)]:
        shares[i] += 1
    return shares


def worth(price: int, units: int, left: int) -> int:
    """What `left` of `units` paid units bought for `price` are worth."""
    return price * left // units if units > 0 else 0


@dataclass
class _Line:
    price: int  # its share of the price paid
    units: int  # paid units it was sold with
    paid: int  # paid units left
    free: int = 0  # complimentary units left

    @property
    def value(self) -> int:
        return worth(self.price, self.units, self.paid)


@dataclass
class HoldingValue:
    """One holding followed through its movements; each method returns the value it moved
    (negative when the liability went down). `liability` is what it is worth now.

    `price` is what was paid for it (0 when assigned); `lines` the units each line was sold
    with, and `weights` how the price is shared among them (one line: ignored)."""

    price: int
    lines: Sequence[int]
    weights: Sequence[int] = ()
    unlimited: bool = False  # worth its price pro rata of `validity_days` left, not by units
    validity_days: int | None = None  # how many days an unlimited holding is valid (None: for ever)
    _lines: list[_Line] = field(init=False)
    _taken: dict[Hashable, tuple[int, int]] = field(init=False, default_factory=dict)  # redemption → (paid, free)
    _days_left: int | None = field(init=False, default=None)
    _closed: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        shares = split(self.price, self.weights if len(self.weights) == len(self.lines) else [1] * len(self.lines))
        if len(self.lines) == 1:
            shares = [self.price]
        if self.price == 0:  # assigned: every unit complimentary
            self._lines = [_Line(0, units, 0, units) for units in self.lines]
        else:
            self._lines = [_Line(share, units, units) for share, units in zip(shares, self.lines, strict=True)]
        self._days_left = self.validity_days

    @property
    def liability(self) -> int:
        if self._closed:
            return 0
        if self.unlimited:
            return self.price if self._days_left is None else worth(self.price, self.validity_days, self._days_left)
        return sum(line.value for line in self._lines)

    def _moved(self, before: int) -> int:
        return self.liability - before

    def redeem(self, line: int, units: int, entry: Hashable | None = None) -> int:
        """A redemption of `units` from `line` (paid units first); `entry` names it for its reversal."""
        before, bucket = self.liability, self._lines[line]
        paid = min(units, bucket.paid)
        free = min(units - paid, bucket.free)
        bucket.paid -= paid
        bucket.free -= free
        if entry is not None:
            self._taken[entry] = (paid, free)
        return self._moved(before)

    def reverse(self, line: int, units: int, redemption: Hashable | None = None) -> int:
        """Give back what `redemption` took (or `units` as paid units, when it is unknown)."""
        before, bucket = self.liability, self._lines[line]
        paid, free = self._taken.pop(redemption, (units, 0)) if redemption is not None else (units, 0)
        bucket.paid += paid
        bucket.free += free
        return self._moved(before)

    def adjust(self, line: int, delta: int) -> int:
        """A manager's adjustment: units added are complimentary; units taken are complimentary first."""
        before, bucket = self.liability, self._lines[line]
        if delta >= 0:
            bucket.free += delta
        else:
            free = min(-delta, bucket.free)
            bucket.free -= free
            bucket.paid -= min(-delta - free, bucket.paid)
        return self._moved(before)

    def use_days(self, days: int) -> int:
        """An unlimited holding's validity used up by `days` more days passing."""
        if not self.unlimited or self._days_left is None:
            return 0
        before = self.liability
        self._days_left = max(0, self._days_left - days)
        return self._moved(before)

    def close(self) -> int:
        """Void, expiry or transfer out: nothing is owed any more."""
        before = self.liability
        self._closed = True
        return self._moved(before)

    def revalidate(self, *, days_more: int | None, days_left: int, reopen: bool) -> int:
        """The expiry moved: an unlimited holding is valid `days_more` days longer in all (None: its
        validity starts now, `days_left` days long, as when it runs from the first visit), with
        `days_left` days still to use; `reopen` owes an expired holding again."""
        before = self.liability
        if reopen:
            self._closed = False
        if self.unlimited:
            if days_more is None or self.validity_days is None:
                self.validity_days = days_left
            else:
                self.validity_days = max(days_left, self.validity_days + days_more)
            self._days_left = days_left
        return self._moved(before)


def days_between(first: date, last: date) -> int:
    """How many validity days run from `first` to `last`, both included (0 when `last` is before)."""
    return max(0, (last - first).days + 1)


class Method(StrEnum):
    """How a holding's worth is worked out: said beside every figure."""

    CREDIT = "credit: price paid for what is left"
    UNITS = "visits, minutes, bundles: price per unit × left"
    UNLIMITED = "unlimited: price × days left ÷ days valid"
    COMPLIMENTARY = "given free: complimentary, worth 0"


def method_of(*, money: bool, unlimited: bool, paid: bool) -> Method:
    """The valuation method of a holding: money credit, unlimited, units; free ones are complimentary."""
    if not paid:
        return Method.COMPLIMENTARY
    if unlimited:
        return Method.UNLIMITED
    return Method.CREDIT if money else Method.UNITS


AGING = ((0, 30, "0–30 days"), (31, 90, "31–90 days"), (91, 180, "91–180 days"), (181, None, "over 180 days"))


def aging_bucket(days: int) -> str:
    """The aging bucket of a holding last used (or bought) `days` ago."""
    for first, last, label in AGING:
        if days >= first and (last is None or days <= last):
            return label
    return AGING[0][2]  # (a use dated after today counts as recent)
