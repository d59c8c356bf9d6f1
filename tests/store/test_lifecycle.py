"""A holding's life after its sale: extend, bulk extend, freeze, validity from the first visit,
transfer, and the cancellation policy; each checked against coverage, the history and what the
business owes. The desk's clock is Monday 2 March 2026, 10:00 in New York. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontdesk.domain.kinds import AppointmentStatus
from frontdesk.domain.terms import Period, PeriodUnit, Terms, ValueType
from frontdesk.domain.valuation import Movement
from frontdesk.services import appointments, audit, checkout, ledger, liability, lifecycle
from frontdesk.services.errors import FrontDeskError, InvalidInput, NotAllowed, NotCovered
from tests.store.conftest import Spa

PACK = Terms(title="Massage Pack", value_type=ValueType.VISITS, quantity=5, all_services=False, price=35000)
WEEK = Terms(title="Week of massage", value_type=ValueType.VISITS, quantity=2, all_services=False, price=10000,
             expires_in=Period(1, PeriodUnit.WEEKS))
TODAY = date(2026, 3, 2)


def moment(spa: Spa, day: date, hour: int = 11) -> datetime:
    return datetime.combine(day, time(hour), spa.desk.business.tz)


def holding(spa: Spa, customer: int, holding_id: int, now: datetime | None = None):
    return next(view for view in spa.holdings(customer, now) if view.id == holding_id)


def redeem(spa: Spa, customer: int, holding_id: int, when: datetime) -> int:
    """A massage at `when`, paid from `holding_id` then."""
    visit = spa.book(customer, spa.swedish, when, now=when - timedelta(hours=1))
    spa.desk.by(spa.reception, at=when).write(checkout.checkout, spa.desk.business, key=f"k{visit}",
                                              appointment_id=visit, package=holding_id)
    return visit


def roll(spa: Spa, first: date, last: date, now: datetime | None = None) -> liability.RollForward:
    return spa.desk.by(spa.manager, at=now or spa.desk.now()).read(
        liability.roll_forward, spa.desk.business, first_day=first, last_day=last)


def history(spa: Spa, customer: int) -> list[tuple[str, str]]:
    return [(line.kind, line.note) for line in spa.desk.read(ledger.history, spa.desk.business, customer_id=customer)]


# ---- extend -----------------------------------------------------------------------------------------

def test_extend_moves_the_expiry_and_says_so_in_the_history(spa: Spa, maria: int) -> None:
    week = spa.package(WEEK, service_ids=(spa.swedish,))
    bought = spa.sell(maria, week)  # today, 2 March: valid through 9 March
    assert holding(spa, maria, bought).valid_until == date(2026, 3, 9)
    extended = spa.desk.by(spa.manager).write(lifecycle.extend, spa.desk.business, holding_id=bought, days=14,
                                              reason="closed for works")
    assert extended.valid_until == date(2026, 3, 23)
    assert history(spa, maria)[0] == ("extend", "closed for works (expiry 9 Mar → 23 Mar)")
    assert holding(spa, maria, bought).remaining == 2  # the balance did not move
    trail = spa.desk.by(spa.manager).read(audit.events)
    assert trail[0].kind == "extend" and "14 days more, to 23 Mar: closed for works" in trail[0].detail
    assert spa.desk.read(ledger.check) == []


@pytest.mark.parametrize("days, message", [(0, "at least 1 day"), (-3, "at least 1 day"), (4000, "At most 3,650")])
def test_an_extension_needs_a_sensible_number_of_days(spa: Spa, maria: int, days: int, message: str) -> None:
    bought = spa.sell(maria, spa.package(WEEK, service_ids=(spa.swedish,)))
    with pytest.raises(InvalidInput, match=message) as refused:
        spa.desk.by(spa.manager).write(lifecycle.extend, spa.desk.business, holding_id=bought, days=days,
                                       reason="x")
    assert "days" in refused.value.fields
    assert holding(spa, maria, bought).valid_until == date(2026, 3, 9)


def test_a_package_without_expiry_or_void_cannot_be_extended(spa: Spa, maria: int) -> None:
    forever = spa.sell(maria, spa.package(PACK, service_ids=(spa.swedish,)))
    with pytest.raises(InvalidInput, match="no expiry"):
        spa.desk.by(spa.manager).write(lifecycle.extend, spa.desk.business, holding_id=forever, days=5, reason="x")
    week = spa.sell(maria, spa.package(WEEK, service_ids=(spa.swedish,)))
    spa.desk.by(spa.manager).write(ledger.void, spa.desk.business, holding_id=week, reason="sold by mistake")
    with pytest.raises(InvalidInput, match="void"):
        spa.desk.by(spa.manager).write(lifecycle.extend, spa.desk.business, holding_id=week, days=5, reason="x")
    with pytest.raises(InvalidInput, match="reason"):
        spa.desk.by(spa.manager).write(lifecycle.extend, spa.desk.business, holding_id=forever, days=5, reason=" ")


def test_extending_an_expired_holding_owes_it_again_without_changing_the_past(spa: Spa, maria: int) -> None:
    week = spa.package(WEEK, service_ids=(spa.swedish,))
    bought = spa.sell(maria, week, now=moment(spa, date(2026, 2, 20)))  # valid through 27 Feb
    redeem(spa, maria, bought, moment(spa, date(2026, 2, 23)))  # 1 of 2 left: worth $50.00
    february = (date(2026, 2, 1), date(2026, 2, 28))
    before = roll(spa, *february)
    assert before.movements[Movement.EXPIRED] == -5000
    with pytest.raises(NotCovered, match="expired"):
        redeem(spa, maria, bought, moment(spa, TODAY, 14))

    spa.desk.by(spa.manager).write(lifecycle.extend, spa.desk.business, holding_id=bought, days=14,
                                   reason="she was ill")  # through 13 March
    after = roll(spa, *february)
    assert (after.opening, after.movements, after.closing) == (before.opening, before.movements, before.closing)
    march = roll(spa, date(2026, 3, 1), date(2026, 3, 31))
    assert march.opening == 0
    assert march.movements[Movement.EXTENDED] == 5000  # owed again: one paid visit of two, of $100.00
    assert march.closing == 5000 and march.balanced
    redeem(spa, maria, bought, moment(spa, TODAY, 14))  # usable again
    assert holding(spa, maria, bought).remaining == 0


def test_extending_an_unlimited_pass_adds_days_worth_their_share_of_the_price(spa: Spa, maria: int) -> None:
    sauna = spa.package(Terms(title="Sauna fortnight", value_type=ValueType.UNLIMITED, all_services=False,
                              service_ids=(spa.sauna,), price=15000, expires_in=Period(2, PeriodUnit.WEEKS)))
    bought = spa.sell(maria, sauna, now=moment(spa, date(2026, 2, 23)))  # 23 Feb to 9 Mar: 15 days
    opening = 15000 * 8 // 15  # 2–9 March left of 15 days
    assert roll(spa, TODAY, TODAY).closing == opening
    spa.desk.by(spa.manager).write(lifecycle.extend, spa.desk.business, holding_id=bought, days=5, reason="works")
    rolled = roll(spa, TODAY, TODAY)
    assert rolled.closing == 15000 * 13 // 20  # 13 of 20 days left
    assert rolled.movements[Movement.EXTENDED] == rolled.closing - opening and rolled.balanced


# ---- bulk extend ------------------------------------------------------------------------------------

def test_bulk_extend_moves_every_holding_in_use_once_with_one_reason(spa: Spa, maria: int) -> None:
    ben = spa.customer("Ben Ode")
    week = spa.package(WEEK, service_ids=(spa.swedish,))
    month = spa.package(WEEK, title="Month of massage", expires_in=Period(1, PeriodUnit.MONTHS),
                        service_ids=(spa.swedish,))
    active = [spa.sell(maria, week), spa.sell(ben, week)]
    other = spa.sell(ben, month)  # through 2 April
    expired = spa.sell(maria, week, now=moment(spa, date(2026, 2, 1)))  # through 8 Feb
    voided = spa.sell(maria, week)
    spa.desk.by(spa.manager).write(ledger.void, spa.desk.business, holding_id=voided, reason="mistake")
    used = spa.sell(maria, week)
    redeem(spa, maria, used, moment(spa, TODAY, 12))
    redeem(spa, maria, used, moment(spa, TODAY, 14))

    preview = spa.desk.by(spa.manager).read(lifecycle.bulk_extend_preview, spa.desk.business, days=14,
                                            package_id=week)
    assert (preview.holdings, preview.customers) == (2, 2)
    done = spa.desk.by(spa.manager).write(lifecycle.bulk_extend, spa.desk.business, days=14, package_id=week,
                                          reason="closed two weeks")
    assert (done.holdings, done.customers) == (2, 2)
    until = {view.id: view.valid_until for customer in (maria, ben) for view in spa.holdings(customer)}
    assert [until[h] for h in active] == [date(2026, 3, 23)] * 2
    assert (until[other], until[expired], until[voided], until[used]) == (
        date(2026, 4, 2), date(2026, 2, 8), date(2026, 3, 9), date(2026, 3, 9))

    everything = spa.desk.by(spa.manager).write(lifecycle.bulk_extend, spa.desk.business, days=1, reason="snow")
    assert everything.holdings == 3  # the two week packs and the month
    trail = [event for event in spa.desk.by(spa.manager).read(audit.events) if event.kind == "extend"]
    assert [event.detail for event in trail[:2]] == [
        "3 holdings of 2 customers extended by 1 day: snow",
        "2 holdings of 2 customers extended by 14 days: closed two weeks"]


# ---- freeze -----------------------------------------------------------------------------------------

def test_a_freeze_stops_redemptions_and_moves_the_expiry_by_its_days(spa: Spa, maria: int) -> None:
    bought = spa.sell(maria, spa.package(WEEK, service_ids=(spa.swedish,)))  # through 9 March
    frozen = spa.desk.by(spa.manager).write(lifecycle.freeze, spa.desk.business, holding_id=bought,
                                            first_day=date(2026, 3, 4), last_day=date(2026, 3, 8),
                                            reason="broken wrist")
    assert frozen.valid_until == date(2026, 3, 14)  # five days later
    assert frozen.expiry_text.startswith("frozen 4–8 Mar · expires 14 Mar")
    with pytest.raises(NotCovered, match="frozen 4–8 Mar"):
        redeem(spa, maria, bought, moment(spa, date(2026, 3, 6)))
    redeem(spa, maria, bought, moment(spa, date(2026, 3, 3)))  # the day before: fine
    redeem(spa, maria, bought, moment(spa, date(2026, 3, 12)))  # after, within the moved expiry: fine
    assert history(spa, maria)[2][0] == "freeze"


def test_a_freeze_ended_early_gives_back_the_days_not_used(spa: Spa, maria: int) -> None:
    bought = spa.sell(maria, spa.package(WEEK, service_ids=(spa.swedish,)))  # through 9 March
    spa.desk.by(spa.manager).write(lifecycle.freeze, spa.desk.business, holding_id=bought,
                                   first_day=TODAY, last_day=date(2026, 3, 11), reason="travel")  # 10 days
    on_5th = moment(spa, date(2026, 3, 5), 9)
    ended = spa.desk.by(spa.manager, at=on_5th).write(lifecycle.unfreeze, spa.desk.business, holding_id=bought,
                                                      reason="back early")
    # frozen 2–4 March (3 days used), 5–11 March not used (7 days): 19 March − 7 = 12 March
    assert ended.valid_until == date(2026, 3, 12) and ended.frozen is None
    redeem(spa, maria, bought, moment(spa, date(2026, 3, 5), 14))  # usable again that day
    with pytest.raises(InvalidInput, match="not frozen"):
        spa.desk.by(spa.manager, at=on_5th).write(lifecycle.unfreeze, spa.desk.business, holding_id=bought,
                                                  reason="again")


def test_a_freeze_must_start_today_or_later_and_one_at_a_time(spa: Spa, maria: int) -> None:
    bought = spa.sell(maria, spa.package(WEEK, service_ids=(spa.swedish,)))
    freeze = lambda first, last: spa.desk.by(spa.manager).write(  # noqa: E731
        lifecycle.freeze, spa.desk.business, holding_id=bought, first_day=first, last_day=last, reason="r")
    with pytest.raises(InvalidInput, match="starts today or later"):
        freeze(date(2026, 3, 1), date(2026, 3, 5))
    with pytest.raises(InvalidInput, match="before the first"):
        freeze(date(2026, 3, 5), date(2026, 3, 4))
    freeze(date(2026, 3, 5), date(2026, 3, 6))
    with pytest.raises(InvalidInput, match="Already frozen 5–6 Mar"):
        freeze(date(2026, 3, 7), date(2026, 3, 8))
    assert holding(spa, maria, bought).valid_until == date(2026, 3, 11)


# ---- validity from the first visit ------------------------------------------------------------------

def test_validity_from_the_first_visit_starts_at_that_visit(spa: Spa, maria: int) -> None:
    terms = Terms(title="Month from first visit", value_type=ValueType.VISITS, quantity=4, price=20000,
                  expires_in=Period(1, PeriodUnit.MONTHS), starts_on_first_visit=True)
    bought = spa.sell(maria, spa.package(terms), now=moment(spa, date(2026, 1, 5)))
    fresh = holding(spa, maria, bought)
    assert (fresh.valid_until, fresh.expiry_text) == (None, "starts at the first visit")
    assert "expires 1 month after the first visit" in fresh.summary
    redeem(spa, maria, bought, moment(spa, date(2026, 2, 20)))  # seven weeks after purchase: still fine
    started = holding(spa, maria, bought)
    assert started.valid_until == date(2026, 3, 20)  # a month from 20 Feb
    assert history(spa, maria)[0] == ("redeem", "1 visit (first visit: valid to 20 Mar 2026)")
    redeem(spa, maria, bought, moment(spa, date(2026, 3, 2), 14))
    with pytest.raises(NotCovered, match="expired"):
        redeem(spa, maria, bought, moment(spa, date(2026, 3, 21)))
    # breakage on the day the validity that started at the first visit ran out
    april = roll(spa, date(2026, 3, 1), date(2026, 3, 31), now=moment(spa, date(2026, 4, 1)))
    assert april.movements[Movement.EXPIRED] == -(20000 * 2 // 4) and april.balanced


def test_first_visit_validity_needs_a_length(spa: Spa) -> None:
    from frontdesk.services import catalogue
    with pytest.raises(InvalidInput, match="how long it lasts from the first visit"):
        spa.desk.by(spa.manager).write(catalogue.save_package, spa.desk.business,
                                       terms=Terms(title="Open", quantity=3, starts_on_first_visit=True))


# ---- transfer ---------------------------------------------------------------------------------------

def test_a_transfer_moves_the_balance_and_its_worth_and_owes_the_same(spa: Spa, maria: int) -> None:
    ben = spa.customer("Ben Lopez")
    bought = spa.sell(maria, spa.package(PACK, service_ids=(spa.swedish,)))  # $350 for 5 visits
    redeem(spa, maria, bought, moment(spa, TODAY, 8))  # 4 left: worth 350 × 4 ÷ 5 = $280.00
    owed_before = roll(spa, TODAY, TODAY).closing
    assert owed_before == 28000
    moved = spa.desk.by(spa.manager).write(lifecycle.transfer, spa.desk.business, holding_id=bought,
                                           to_customer_id=ben, reason="a gift to her husband")
    assert moved.worth == 35000 * 4 // 5
    assert (moved.source.status, moved.source.remaining) == ("moved", 0)
    assert (moved.target.customer_id, moved.target.remaining, moved.target.title) == (ben, 4, "Massage Pack")
    rolled = roll(spa, TODAY, TODAY)
    assert rolled.closing == owed_before and rolled.balanced
    assert rolled.movements[Movement.TRANSFERRED] == 0
    assert sorted(part.amount for part in rolled.behind[Movement.TRANSFERRED]) == [-28000, 28000]
    assert history(spa, maria)[0] == ("transfer", "moved to Ben Lopez: a gift to her husband")
    assert history(spa, ben)[0] == ("transfer", "moved from Maria Lopez: a gift to her husband")
    redeem(spa, ben, moved.target.id, moment(spa, TODAY, 14))  # his now: one visit worth $70.00
    assert roll(spa, TODAY, TODAY, now=moment(spa, TODAY, 15)).holdings[moved.target.id] == 28000 * 3 // 4
    with pytest.raises(NotCovered, match="moved to another customer"):
        redeem(spa, maria, bought, moment(spa, TODAY, 16))
    assert spa.desk.read(ledger.check) == []


def test_a_transfer_needs_something_to_move_and_someone_else(spa: Spa, maria: int) -> None:
    ben = spa.customer("Ben Lopez")
    bought = spa.sell(maria, spa.package(WEEK, service_ids=(spa.swedish,)))
    transfer = lambda to: spa.desk.by(spa.manager).write(  # noqa: E731
        lifecycle.transfer, spa.desk.business, holding_id=bought, to_customer_id=to, reason="r")
    with pytest.raises(InvalidInput, match="already hers"):
        transfer(maria)
    redeem(spa, maria, bought, moment(spa, TODAY, 12))
    redeem(spa, maria, bought, moment(spa, TODAY, 14))
    with pytest.raises(InvalidInput, match="Nothing is left"):
        transfer(ben)


# ---- the cancellation policy ------------------------------------------------------------------------

STRICT = Terms(title="Strict Pack", value_type=ValueType.VISITS, quantity=5, price=35000, cancel_notice_hours=24,
               late_cancel_forfeits=True, no_show_forfeits=True)


def booked(spa: Spa, customer: int, holding_id: int, starts: datetime) -> int:
    return spa.book(customer, spa.swedish, starts, cover_holding_id=holding_id)


def test_a_cancel_with_notice_keeps_the_unit_on_the_package(spa: Spa, maria: int) -> None:
    bought = spa.sell(maria, spa.package(STRICT))
    visit = booked(spa, maria, bought, moment(spa, date(2026, 3, 4)))  # two days ahead
    preview = spa.desk.read(appointments.policy_preview, appointment_id=visit)
    assert preview.words == "Strict Pack: cancelled with 24-hour notice or more, so the unit stays on the package."
    done = spa.desk.write(appointments.cancel, spa.desk.business, appointment_id=visit)
    assert (done.forfeited, done.returned) == (None, None)
    assert holding(spa, maria, bought).remaining == 5


def test_a_late_cancel_forfeits_the_unit_under_the_policy(spa: Spa, maria: int) -> None:
    bought = spa.sell(maria, spa.package(STRICT))
    visit = booked(spa, maria, bought, moment(spa, TODAY, 15))  # five hours from now
    preview = spa.desk.read(appointments.policy_preview, appointment_id=visit)
    assert preview.words == "Strict Pack: cancelled 5 hours before, under its 24-hour notice, so the unit is forfeited."
    done = spa.desk.write(appointments.cancel, spa.desk.business, appointment_id=visit)
    assert done.forfeited == "1 visit of Strict Pack forfeited"
    assert holding(spa, maria, bought).remaining == 4
    assert history(spa, maria)[0][0] == "redeem" and "forfeited" in history(spa, maria)[0][1]
    assert done.appointment.status == AppointmentStatus.CANCELLED and done.appointment.paid_from == "Strict Pack"


def test_a_manager_may_override_the_policy_with_a_reason(spa: Spa, maria: int) -> None:
    bought = spa.sell(maria, spa.package(STRICT))
    visit = booked(spa, maria, bought, moment(spa, TODAY, 15))
    with pytest.raises(NotAllowed, match="Only a manager can override"):
        spa.desk.write(appointments.cancel, spa.desk.business, appointment_id=visit, override=True, reason="flu")
    with pytest.raises(InvalidInput, match="reason"):
        spa.desk.by(spa.manager).write(appointments.cancel, spa.desk.business, appointment_id=visit, override=True)
    done = spa.desk.by(spa.manager).write(appointments.cancel, spa.desk.business, appointment_id=visit,
                                          override=True, reason="her child was ill")
    assert done.forfeited is None and "a manager returned it (the policy: forfeited)" in done.policy
    assert holding(spa, maria, bought).remaining == 5


def test_a_no_show_forfeits_or_returns_as_the_policy_says(spa: Spa, maria: int) -> None:
    lenient = spa.package(STRICT, title="Lenient Pack", no_show_forfeits=False)
    strict, kind = spa.sell(maria, spa.package(STRICT)), spa.sell(maria, lenient)
    missed = booked(spa, maria, strict, moment(spa, TODAY, 8))  # two hours ago
    marked = spa.desk.write(appointments.no_show, spa.desk.business, appointment_id=missed)
    assert marked.forfeited == "1 visit of Strict Pack forfeited"
    assert holding(spa, maria, strict).remaining == 4
    # paid ahead from a returning package: the no-show gives the visit back
    ahead = booked(spa, maria, kind, moment(spa, TODAY, 12))
    spa.desk.write(checkout.checkout, spa.desk.business, key="ahead", appointment_id=ahead, package=kind)
    assert holding(spa, maria, kind).remaining == 4
    marked = spa.desk.at(moment(spa, TODAY, 13)).write(appointments.no_show, spa.desk.business, appointment_id=ahead)
    assert marked.returned == "1 visit back to Lenient Pack"
    assert holding(spa, maria, kind).remaining == 5


def test_a_package_without_a_policy_keeps_the_old_rules(spa: Spa, maria: int) -> None:
    bought = spa.sell(maria, spa.package(PACK, service_ids=(spa.swedish,)))
    late = booked(spa, maria, bought, moment(spa, TODAY, 11))  # an hour from now
    assert spa.desk.read(appointments.policy_preview, appointment_id=late).words == ""
    done = spa.desk.write(appointments.cancel, spa.desk.business, appointment_id=late)
    assert (done.forfeited, done.policy) == (None, "")
    missed = booked(spa, maria, bought, moment(spa, TODAY, 8))
    assert spa.desk.write(appointments.no_show, spa.desk.business, appointment_id=missed).forfeited is None
    assert holding(spa, maria, bought).remaining == 5


def test_a_forfeit_can_be_given_back_by_a_manager(spa: Spa, maria: int) -> None:
    bought = spa.sell(maria, spa.package(STRICT))
    missed = booked(spa, maria, bought, moment(spa, TODAY, 8))
    spa.desk.write(appointments.no_show, spa.desk.business, appointment_id=missed)
    returned = spa.desk.by(spa.manager).write(appointments.reverse_redemption, spa.desk.business,
                                              appointment_id=missed, reason="forgiven")
    assert returned == "1 visit back to Strict Pack"
    assert holding(spa, maria, bought).remaining == 5


# ---- any history: the roll-forward closes, periods chain, and as of now is what is left, valued --------

step = st.tuples(st.integers(0, 27), st.sampled_from(["sell", "redeem", "extend", "freeze", "transfer", "void"]),
                 st.integers(0, 9), st.integers(1, 20))


def test_any_history_rolls_forward_to_the_cent_and_chains_period_to_period(spa: Spa) -> None:
    """Random sales, redemptions, extensions, freezes, transfers and voids over February: every
    period balances, each one opens where the one before closed, and on 2 March each holding is
    worth what the test's own model says is left of what was paid for it."""
    pack = spa.package(WEEK, title="Fortnight Pack", quantity=4, price=10000, expires_in=Period(2, PeriodUnit.WEEKS),
                       service_ids=(spa.swedish,))
    counter = iter(range(10**6))

    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(step, min_size=1, max_size=14))
    def run(steps: list[tuple[int, str, int, int]]) -> None:
        people = [spa.customer(f"Prop {next(counter)}") for _ in range(2)]
        held: list[dict] = []  # the model: customer, id, worth paid, units bought, left, until, closed
        for day, op, pick, days in sorted(steps, key=lambda s: s[0]):
            when = moment(spa, date(2026, 2, 1) + timedelta(days=day), 9 + len(held) % 8)
            manager = spa.desk.by(spa.manager, at=when)
            live = [h for h in held if not h["closed"]]
            try:
                if op == "sell" or not live:
                    hid = spa.sell(people[pick % 2], pack, now=when)
                    held.append({"customer": people[pick % 2], "id": hid, "paid": 10000, "units": 4, "left": 4,
                                 "until": when.date() + timedelta(days=14), "closed": False})
                    continue
                h = live[pick % len(live)]
                if op == "redeem":
                    redeem(spa, h["customer"], h["id"], when)
                    h["left"] -= 1
                elif op == "extend":
                    manager.write(lifecycle.extend, spa.desk.business, holding_id=h["id"], days=days, reason="r")
                    h["until"] += timedelta(days=days)
                elif op == "freeze":
                    manager.write(lifecycle.freeze, spa.desk.business, holding_id=h["id"], first_day=when.date(),
                                  last_day=when.date() + timedelta(days=days - 1), reason="r")
                    h["until"] += timedelta(days=days)
                elif op == "transfer":
                    to = people[0] if h["customer"] == people[1] else people[1]
                    moved = manager.write(lifecycle.transfer, spa.desk.business, holding_id=h["id"],
                                          to_customer_id=to, reason="r")
                    worth = h["paid"] * h["left"] // h["units"]
                    assert moved.worth == worth
                    h["closed"] = True
                    held.append({"customer": to, "id": moved.target.id, "paid": worth, "units": h["left"],
                                 "left": h["left"], "until": h["until"], "closed": False})
                else:
                    manager.write(ledger.void, spa.desk.business, holding_id=h["id"], reason="r")
                    h["closed"] = True
            except FrontDeskError:
                pass  # refused (expired, frozen, nothing left, already frozen): the model did not change
        cut = date(2026, 2, 14)
        first = roll(spa, date(2026, 2, 1), cut)
        second = roll(spa, cut + timedelta(days=1), TODAY)
        assert first.balanced and second.balanced
        assert second.opening == first.closing
        for h in held:
            expired = h["until"] < TODAY
            expected = 0 if h["closed"] or expired else h["paid"] * h["left"] // h["units"]
            assert second.holdings[h["id"]] == expected, h

    run()


def test_a_reason_as_long_as_allowed_still_fits_the_entry_with_its_new_expiry(spa: Spa, maria: int) -> None:
    """The entry's note is the reason and the expiry it moved; with a 500-character reason that is
    more than the column holds (PostgreSQL refused it, SQLite kept it): it is cut to fit, on both."""
    bought = spa.sell(maria, spa.package(WEEK, service_ids=(spa.swedish,)))
    spa.desk.by(spa.manager).write(lifecycle.extend, spa.desk.business, holding_id=bought, days=8, reason="x" * 500)
    kind, note = history(spa, maria)[0]
    assert kind == "extend" and len(note) == 500 and note == "x" * 499 + "…"
    assert holding(spa, maria, bought).valid_until == date(2026, 3, 17)
