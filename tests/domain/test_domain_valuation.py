"""What holdings are worth and what each movement moves, against the examples of DESIGN §8 and a
model of paid and complimentary units written here."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.domain.valuation import HoldingValue, days_between, split, worth


def test_three_visits_for_250_are_worth_83_34_then_83_33_twice() -> None:
    pack = HoldingValue(price=25000, lines=[3])
    assert pack.liability == 25000
    moves = [pack.redeem(0, 1, entry=n) for n in range(3)]
    assert moves == [-8334, -8333, -8333]
    assert sum(moves) == -25000 and pack.liability == 0


def test_credit_sold_below_face_value_is_worth_the_price_paid_in_proportion() -> None:
    credit = HoldingValue(price=18000, lines=[20000])  # $200 of credit for $180
    assert credit.redeem(0, 15000, entry=1) == -13500  # $150 used: $135 of what she paid
    assert credit.liability == 4500  # $50 left is worth $45


def test_minutes_are_valued_like_visits() -> None:
    hours = HoldingValue(price=30000, lines=[240])  # 4 hours for $300
    assert hours.redeem(0, 90, entry=1) == -11250
    assert hours.liability == 30000 * 150 // 240


def test_a_fixed_bundle_shares_its_price_by_weight_then_over_each_lines_units() -> None:
    # 2 massages (list $80) and 3 saunas (list $25) for $200: weights 160 and 75
    bundle = HoldingValue(price=20000, lines=[2, 3], weights=[2 * 8000, 3 * 2500])
    massages, saunas = split(20000, [16000, 7500])
    assert (massages, saunas) == (13617, 6383) and massages + saunas == 20000
    assert bundle.redeem(1, 1, entry=1) == -(saunas - saunas * 2 // 3)
    assert bundle.liability == massages + saunas * 2 // 3


def test_an_assigned_holding_is_complimentary_and_worth_nothing() -> None:
    gift = HoldingValue(price=0, lines=[1])
    assert gift.liability == 0
    assert gift.redeem(0, 1, entry=1) == 0


def test_units_added_by_an_adjustment_are_complimentary_and_redemptions_take_paid_units_first() -> None:
    pack = HoldingValue(price=10000, lines=[4])  # $25.00 a visit
    assert pack.adjust(0, +2) == 0  # 6 visits, 2 of them free
    assert pack.redeem(0, 1, entry=1) == -2500  # a paid one first
    assert pack.adjust(0, -2) == 0  # an adjustment down takes the free ones first
    assert pack.adjust(0, -1) == -2500  # then paid ones
    assert pack.liability == 5000


def test_a_reversal_gives_back_exactly_what_its_redemption_took() -> None:
    pack = HoldingValue(price=10000, lines=[2])
    pack.adjust(0, +1)
    first = pack.redeem(0, 1, entry=1)  # paid
    second = pack.redeem(0, 1, entry=2)  # paid
    third = pack.redeem(0, 1, entry=3)  # the free one
    assert (first, second, third) == (-5000, -5000, 0)
    assert pack.reverse(0, 1, redemption=3) == 0
    assert pack.reverse(0, 1, redemption=1) == 5000
    assert pack.liability == 5000


def test_unlimited_is_worth_its_price_pro_rata_of_the_validity_left() -> None:
    days = days_between(date(2026, 3, 2), date(2026, 3, 8))  # a week, both ends included
    assert days == 7 and days_between(date(2026, 3, 8), date(2026, 3, 2)) == 0
    week = HoldingValue(price=7000, lines=[0], unlimited=True, validity_days=days)
    assert week.liability == 7000
    assert week.redeem(0, 0, entry=1) == 0  # a use takes nothing
    assert week.use_days(3) == -3000  # 3 of 7 days gone
    assert week.use_days(10) == -4000 and week.liability == 0
    forever = HoldingValue(price=9000, lines=[0], unlimited=True)
    assert forever.use_days(400) == 0 and forever.liability == 9000


def test_a_void_or_an_expiry_writes_off_what_is_left() -> None:
    pack = HoldingValue(price=25000, lines=[3])
    pack.redeem(0, 1, entry=1)
    assert pack.close() == -16666
    assert pack.liability == 0 and pack.reverse(0, 1, redemption=1) == 0  # a unit given back to it is unusable


@given(st.integers(0, 10**9), st.lists(st.integers(0, 1000), min_size=1, max_size=8))
def test_split_adds_up_exactly_and_follows_the_weights(amount: int, weights: list[int]) -> None:
    shares = split(amount, weights)
    assert sum(shares) == amount and all(share >= 0 for share in shares)
    total = sum(weights)
    if total:
        for share, weight in zip(shares, weights, strict=True):
            assert abs(share * total - amount * weight) < total  # within one minor unit of exact


OPERATIONS = st.lists(st.tuples(st.sampled_from(["redeem", "reverse", "up", "down", "close"]),
                                st.integers(1, 4)), max_size=40)


@settings(max_examples=300)
@given(st.integers(0, 500_00), st.integers(1, 20), OPERATIONS)
def test_movements_add_up_to_the_change_in_liability_and_follow_the_model(
        price: int, units: int, operations: list[tuple[str, int]]) -> None:
    """The model: paid and free units, taken and given back by the rules in the module docstring;
    the liability is the price's share of the paid units left, rounded down."""
    holding = HoldingValue(price=price, lines=[units])
    paid, free = (units, 0) if price else (0, units)
    taken: list[tuple[int, int, int]] = []  # (entry, paid, free) of redemptions not reversed
    closed, moved, entry = False, 0, 0
    for operation, count in operations:
        if operation == "redeem" and paid + free >= 1:
            entry += 1
            take_paid = 1 if paid else 0
            paid, free = paid - take_paid, free - (1 - take_paid)
            taken.append((entry, take_paid, 1 - take_paid))
            moved += holding.redeem(0, 1, entry=entry)
        elif operation == "reverse" and taken:
            which, back_paid, back_free = taken.pop(count % len(taken))
            paid, free = paid + back_paid, free + back_free
            moved += holding.reverse(0, 1, redemption=which)
        elif operation == "up":
            free += count
            moved += holding.adjust(0, count)
        elif operation == "down" and paid + free >= count:
            from_free = min(count, free)
            paid, free = paid - (count - from_free), free - from_free
            moved += holding.adjust(0, -count)
        elif operation == "close":
            closed = True
            moved += holding.close()
            break
        expected = price * paid // units
        assert holding.liability == expected
        assert expected == worth(price, units, paid)
    assert price + moved == holding.liability == (0 if closed else price * paid // units)
