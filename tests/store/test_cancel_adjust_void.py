"""Giving units back and correcting balances: cancel, no-show, a manager's reversal, adjust and
void; each a new ledger entry, the ledger always agreeing with the balances. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from frontdesk.domain.kinds import Tender
from frontdesk.domain.terms import (
    Contents,
    FixedLine,
    Period,
    PeriodUnit,
    Terms,
    ValueType,
)
from frontdesk.services import appointments, checkout, ledger
from frontdesk.services.errors import InvalidInput, NotAllowed, NotCovered
from frontdesk.services.sales import TenderLine
from frontdesk.services.views import HoldingView, LedgerLine
from tests.store.conftest import Spa
from tests.store.test_examples import TUE, at, pay

LATER = datetime(2026, 3, 30, 15, 0, tzinfo=timezone.utc)  # four weeks after the test clock's day


def visits_pack(spa: Spa, **changes: object) -> int:
    return spa.package(Terms(title="Massage Pack", value_type=ValueType.VISITS, quantity=5, all_services=False,
                             service_ids=(spa.swedish,), price=35000), **changes)


def holding(spa: Spa, holding_id: int, now: datetime | None = None) -> HoldingView:
    owner = spa.desk.read(ledger.get_holding, holding_id).customer_id
    views = spa.desk.at(now or spa.desk.now()).read(appointments.customer_holdings, spa.desk.business,
                                                    customer_id=owner)
    return next(view for view in views if view.id == holding_id)


def history(spa: Spa, customer_id: int) -> list[LedgerLine]:
    return spa.desk.read(ledger.history, spa.desk.business, customer_id=customer_id)


def cancel(spa: Spa, appointment_id: int, *, now: datetime | None = None, actor: int | None = None,
           reason: str = "", refunds: list[TenderLine] | None = None) -> appointments.Cancellation:
    return spa.desk.by(actor or spa.reception, at=now or spa.desk.now()).write(appointments.cancel, spa.desk.business,
                                                                               appointment_id=appointment_id,
                                                                               reason=reason, refunds=refunds or [])


def adjust(spa: Spa, holding_id: int, delta: int, reason: str = "goodwill", actor: int | None = None) -> HoldingView:
    return spa.desk.by(actor or spa.manager).write(ledger.adjust, spa.desk.business, holding_id=holding_id, delta=delta,
                                                   reason=reason)


def void(spa: Spa, holding_id: int, reason: str = "refunded", actor: int | None = None,
         refunds: list[TenderLine] | None = None) -> HoldingView:
    return spa.desk.by(actor or spa.manager).write(ledger.void, spa.desk.business, holding_id=holding_id, reason=reason,
                                                   refunds=refunds or []).holding


def ledger_ok(spa: Spa) -> None:
    assert spa.desk.read(ledger.check) == []


# ---- cancel -------------------------------------------------------------------------------------

def test_cancelling_a_package_paid_appointment_gives_the_visit_back(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits_pack(spa))
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    pay(spa, visit, "k")
    assert holding(spa, pack).remaining == 4
    cancelled = cancel(spa, visit, reason="  customer called  ")
    assert cancelled.returned == "1 visit back to Massage Pack"
    assert (cancelled.refunded, cancelled.kept, cancelled.receipt) == (0, 0, None)
    assert (cancelled.appointment.status, cancelled.appointment.paid) == ("cancelled", 0)
    assert holding(spa, pack).balance_text == "5 of 5 visits"
    newest = history(spa, maria)[0]
    assert (newest.kind, newest.delta, newest.delta_text, newest.balance_after, newest.appointment_id,
            newest.note, newest.staff_name) == ("reverse", 1, "+1 visit", 5, visit, "customer called",
                                               "Rita (reception)")
    ledger_ok(spa)


def test_the_unit_returns_to_a_holding_that_has_expired_since_but_it_still_does_not_cover(
        spa: Spa, maria: int) -> None:
    week = spa.sell(maria, visits_pack(spa, title="Week pass", expires_in=Period(1, PeriodUnit.WEEKS)))
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    pay(spa, visit, "k")
    assert holding(spa, week).valid_until == date(2026, 3, 9)
    # four weeks on, giving the visit back is a manager's (it is after the appointment), with a reason
    cancelled = cancel(spa, visit, now=LATER, actor=spa.manager, reason="booked by mistake")
    assert cancelled.returned == "1 visit back to Week pass"
    after = holding(spa, week, now=LATER)
    assert (after.remaining, after.status, after.expiry_text) == (5, "expired", "expired 10 Mar")
    newest = history(spa, maria)[0]
    assert (newest.kind, newest.delta, newest.at) == ("reverse", 1, LATER)
    coverage = spa.desk.at(LATER).read(appointments.preview_cover, spa.desk.business, customer_id=maria,
                                       service_id=spa.swedish, holding_id=week, starts_at=at(date(2026, 3, 31), 11))
    assert (coverage.ok, coverage.reasons) == (False, ("expired 10 Mar",))
    ledger_ok(spa)


def test_cancelling_twice_is_refused(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits_pack(spa))
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    pay(spa, visit, "k")
    cancel(spa, visit)
    with pytest.raises(InvalidInput) as refused:
        cancel(spa, visit)
    assert refused.value.fields == {"appointment": "This appointment is already cancelled."}
    assert holding(spa, pack).remaining == 5
    assert [line.kind for line in history(spa, maria)] == ["reverse", "redeem", "sale"]
    ledger_ok(spa)


def test_cancelling_an_unpaid_appointment_returns_nothing(spa: Spa, maria: int) -> None:
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    cancelled = cancel(spa, visit)
    assert (cancelled.returned, cancelled.refunded, cancelled.kept, cancelled.appointment.status) == (
        None, 0, 0, "cancelled")
    assert history(spa, maria) == []


def test_cancelling_refunds_money_paid_by_card(spa: Spa, maria: int) -> None:
    by_card = spa.book(maria, spa.swedish, at(TUE, 11))
    pay(spa, by_card, "card", package=None, tenders=[TenderLine(Tender.CARD, 8000)])
    cancelled = cancel(spa, by_card, refunds=[TenderLine(Tender.CARD, 8000)])
    assert (cancelled.returned, cancelled.refunded, cancelled.kept) == (None, 8000, 0)
    assert [(line.tender, line.amount) for line in cancelled.receipt.payments] == [("card", -8000)]
    assert cancelled.receipt.total == -8000
    assert cancelled.appointment.paid == 0 and cancelled.appointment.refunded == 8000


def test_cancelling_a_split_payment_returns_the_credit_and_reports_the_card_part(spa: Spa, maria: int) -> None:
    credit = spa.sell(maria, spa.package(Terms(title="$50 credit", value_type=ValueType.AMOUNT, quantity=5000,
                                               price=5000)))
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    pay(spa, visit, "split", package=credit,
        tenders=[TenderLine(Tender.CASH, 1000), TenderLine(Tender.CARD, 2000)])
    cancelled = cancel(spa, visit, refunds=[TenderLine(Tender.CASH, 1000), TenderLine(Tender.CARD, 2000)])
    assert (cancelled.returned, cancelled.refunded) == ("$50.00 back to $50 credit", 3000)
    assert holding(spa, credit).balance_text == "$50.00 of $50.00"
    ledger_ok(spa)


def test_cancelling_an_unlimited_use_records_the_use_returned(spa: Spa, maria: int) -> None:
    sauna = spa.sell(maria, spa.package(Terms(title="Sauna week", value_type=ValueType.UNLIMITED,
                                              all_services=False, service_ids=(spa.sauna,), price=6000,
                                              expires_in=Period(1, PeriodUnit.WEEKS))))
    visit = spa.book(maria, spa.sauna, at(TUE, 18))
    pay(spa, visit, "k", package=sauna)
    assert cancel(spa, visit).returned == "use returned to Sauna week"
    assert [(line.kind, line.delta, line.delta_text) for line in history(spa, maria)] == [
        ("reverse", 0, "use"), ("redeem", 0, "use"), ("sale", 0, "—")]
    ledger_ok(spa)


# ---- no-show and a manager's reversal ----------------------------------------------------------

def charged_no_show(spa: Spa, maria: int) -> tuple[int, int]:
    """A visit marked no-show and charged to the pack: (holding, appointment)."""
    pack = spa.sell(maria, visits_pack(spa))
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    spa.desk.by(spa.reception).write(appointments.no_show, spa.desk.business, appointment_id=visit)
    pay(spa, visit, "charge")
    return pack, visit


def test_a_no_show_keeps_its_redemption(spa: Spa, maria: int) -> None:
    pack, visit = charged_no_show(spa, maria)
    appointment = spa.desk.read(appointments.get_appointment, visit)
    assert (appointment.status, appointment.is_paid) == ("no-show", True)
    assert holding(spa, pack).remaining == 4
    assert [line.kind for line in history(spa, maria)] == ["redeem", "sale"]
    # reception cannot get the unit back by cancelling the no-show instead
    with pytest.raises(NotAllowed, match="Only a manager can cancel a no-show."):
        cancel(spa, visit)
    assert holding(spa, pack).remaining == 4
    assert spa.desk.read(appointments.get_appointment, visit).status == "no-show"
    ledger_ok(spa)


def test_only_a_booked_appointment_can_be_a_no_show(spa: Spa, maria: int) -> None:
    visit = spa.book(maria, spa.swedish, spa.desk.now() - timedelta(hours=1))
    pay(spa, visit, "k", package=None, tenders=[TenderLine(Tender.CASH, 8000)])  # paid after it began: she came
    with pytest.raises(InvalidInput) as refused:
        spa.desk.by(spa.reception).write(appointments.no_show, spa.desk.business, appointment_id=visit)
    assert refused.value.fields == {"appointment": "Only a booked appointment can be a no-show (this one is completed)."}


def test_a_manager_reverses_a_no_show_redemption_with_a_reason(spa: Spa, maria: int) -> None:
    pack, visit = charged_no_show(spa, maria)

    def reverse(actor: int, reason: str) -> str:
        return spa.desk.by(actor).write(appointments.reverse_redemption, spa.desk.business, appointment_id=visit,
                                        reason=reason)

    with pytest.raises(NotAllowed, match="Only a manager can reverse a redemption."):
        reverse(spa.reception, "forgiven")
    with pytest.raises(InvalidInput) as no_reason:
        reverse(spa.manager, "   ")
    assert no_reason.value.fields == {"reason": "Give a reason."}
    assert holding(spa, pack).remaining == 4
    assert reverse(spa.manager, "flat tyre, forgiven") == "1 visit back to Massage Pack"
    assert holding(spa, pack).remaining == 5
    newest = history(spa, maria)[0]
    assert (newest.kind, newest.delta, newest.note, newest.staff_name, newest.appointment_id) == (
        "reverse", 1, "flat tyre, forgiven", "Grace (manager)", visit)
    with pytest.raises(InvalidInput, match="already given back"):
        reverse(spa.manager, "again")
    assert holding(spa, pack).remaining == 5
    appointment = spa.desk.read(appointments.get_appointment, visit)
    assert (appointment.status, appointment.paid, appointment.is_paid) == ("no-show", 0, False)
    # with nothing left to give back, a manager may now cancel the no-show without another reversal
    assert cancel(spa, visit, actor=spa.manager, reason="rebooked for Friday").returned is None
    assert holding(spa, pack).remaining == 5
    ledger_ok(spa)


def test_a_manager_can_cancel_an_unpaid_no_show(spa: Spa, maria: int) -> None:
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    spa.desk.by(spa.reception).write(appointments.no_show, spa.desk.business, appointment_id=visit)
    with pytest.raises(NotAllowed, match="Only a manager can cancel a no-show."):
        cancel(spa, visit)
    cancelled = cancel(spa, visit, actor=spa.manager, reason="marked by mistake")
    assert (cancelled.appointment.status, cancelled.returned) == ("cancelled", None)


def test_reversing_an_appointment_with_no_redemption_is_refused(spa: Spa, maria: int) -> None:
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    with pytest.raises(InvalidInput, match="Nothing was redeemed"):
        spa.desk.by(spa.manager).write(appointments.reverse_redemption, spa.desk.business, appointment_id=visit,
                                       reason="why not")


# ---- adjust -------------------------------------------------------------------------------------

def test_a_manager_adjusts_up_and_down_with_a_reason(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits_pack(spa))
    raised = adjust(spa, pack, +2, reason="  birthday gift  ")
    assert raised.remaining == 7
    lowered = adjust(spa, pack, -3, reason="entered twice")
    assert lowered.remaining == 4 and holding(spa, pack).remaining == 4
    assert [(line.kind, line.delta, line.delta_text, line.balance_after, line.note, line.staff_name)
            for line in history(spa, maria)[:2]] == [
        ("adjust", -3, "-3 visits", 4, "entered twice", "Grace (manager)"),
        ("adjust", 2, "+2 visits", 7, "birthday gift", "Grace (manager)"),
    ]
    ledger_ok(spa)


def test_adjusting_money_and_minutes_speaks_their_unit(spa: Spa, maria: int) -> None:
    credit = spa.sell(maria, spa.package(Terms(title="$50 credit", value_type=ValueType.AMOUNT, quantity=5000,
                                               price=5000)))
    minutes = spa.sell(maria, spa.package(Terms(title="4 hours", value_type=ValueType.MINUTES, quantity=240,
                                                price=28000)))
    assert adjust(spa, credit, 1250).balance_text == "$62.50 of $50.00"
    assert adjust(spa, minutes, -90).balance_text == "2 h 30 min of 4 h"
    assert [line.delta_text for line in history(spa, maria)[:2]] == ["-1 h 30 min", "+$12.50"]
    ledger_ok(spa)


def test_adjusting_below_zero_is_refused_with_what_is_left(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits_pack(spa))
    with pytest.raises(InvalidInput) as refused:
        adjust(spa, pack, -6)
    assert refused.value.fields == {"delta": "Only 5 visits left; the balance cannot go below zero."}
    credit = spa.sell(maria, spa.package(Terms(title="$50 credit", value_type=ValueType.AMOUNT, quantity=5000,
                                               price=5000)))
    with pytest.raises(InvalidInput, match=r"Only \$50.00 left; the balance cannot go below zero."):
        adjust(spa, credit, -5001)
    assert adjust(spa, pack, -5).remaining == 0  # down to exactly zero is fine
    assert [line.kind for line in history(spa, maria)] == ["adjust", "sale", "sale"]
    ledger_ok(spa)


def test_adjusting_an_unlimited_package_is_refused(spa: Spa, maria: int) -> None:
    sauna = spa.sell(maria, spa.package(Terms(title="Sauna week", value_type=ValueType.UNLIMITED, price=6000,
                                              expires_in=Period(1, PeriodUnit.WEEKS))))
    with pytest.raises(InvalidInput) as refused:
        adjust(spa, sauna, 1)
    assert refused.value.fields == {"delta": "An unlimited package has no balance to adjust."}
    assert [line.kind for line in history(spa, maria)] == ["sale"]


def test_adjust_needs_a_reason_and_a_change(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits_pack(spa))
    with pytest.raises(InvalidInput) as no_reason:
        adjust(spa, pack, 1, reason=" ")
    assert no_reason.value.fields == {"reason": "Give a reason."}
    with pytest.raises(InvalidInput) as no_change:
        adjust(spa, pack, 0)
    assert no_change.value.fields == {"delta": "Enter a change other than 0."}
    with pytest.raises(InvalidInput) as too_long:  # the same on SQLite and on PostgreSQL
        adjust(spa, pack, 1, reason="r" * 501)
    assert too_long.value.fields == {"reason": "At most 500 characters."}
    assert holding(spa, pack).remaining == 5
    assert adjust(spa, pack, 1, reason="r" * 500).remaining == 6
    assert history(spa, maria)[0].note == "r" * 500


def test_adjusting_one_line_of_a_fixed_package(spa: Spa, maria: int) -> None:
    journey = spa.sell(maria, spa.package(Terms(title="Massage journey", contents=Contents.FIXED, value_type=None,
                                                price=25000, fixed_lines=(FixedLine(spa.swedish, "", 1),
                                                                          FixedLine(spa.thai, "", 2)))))
    thai_line = holding(spa, journey).lines[1].line_id
    after = spa.desk.by(spa.manager).write(ledger.adjust, spa.desk.business, holding_id=journey, delta=1,
                                           reason="extra", line_id=thai_line)
    assert after.balance_text == "Swedish Massage 1 of 1, Thai Massage 3 of 2"
    ledger_ok(spa)


# ---- void ---------------------------------------------------------------------------------------

def test_void_empties_the_holding_and_it_no_longer_covers(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits_pack(spa))
    pay(spa, spa.book(maria, spa.swedish, at(TUE, 9)), "k")
    voided = void(spa, pack, reason="refunded at the counter")
    assert (voided.remaining, voided.status, voided.voided) == (0, "void", True)
    assert holding(spa, pack).status == "void"
    newest = history(spa, maria)[0]
    assert (newest.kind, newest.delta, newest.balance_after, newest.note, newest.staff_name) == (
        "void", -4, 0, "refunded at the counter", "Grace (manager)")
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    options = spa.desk.read(checkout.options, spa.desk.business, appointment_id=visit)
    assert [(option.holding.id, option.is_default, option.coverage.reasons) for option in options] == [
        (pack, False, ("void", "no visits left"))]
    with pytest.raises(InvalidInput, match="No package of this customer covers"):
        pay(spa, visit, "after-void")
    ledger_ok(spa)


def test_void_writes_one_entry_per_line(spa: Spa, maria: int) -> None:
    journey = spa.sell(maria, spa.package(Terms(title="Massage journey", contents=Contents.FIXED, value_type=None,
                                                price=25000, fixed_lines=(FixedLine(spa.swedish, "", 1),
                                                                          FixedLine(spa.thai, "", 2)))))
    voided = void(spa, journey)
    assert voided.balance_text == "Swedish Massage 0 of 1, Thai Massage 0 of 2"
    assert [(line.kind, line.delta) for line in history(spa, maria)[:2]] == [("void", -2), ("void", -1)]
    ledger_ok(spa)


def test_an_unlimited_holding_can_be_voided(spa: Spa, maria: int) -> None:
    sauna = spa.sell(maria, spa.package(Terms(title="Sauna week", value_type=ValueType.UNLIMITED, price=6000,
                                              expires_in=Period(1, PeriodUnit.WEEKS))))
    assert void(spa, sauna).status == "void"
    visit = spa.book(maria, spa.sauna, at(TUE, 18))
    with pytest.raises(NotCovered) as refused:
        pay(spa, visit, "k", package=sauna)
    assert refused.value.reasons == ("void",)
    ledger_ok(spa)


def test_void_twice_is_refused_and_a_void_holding_cannot_be_adjusted(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits_pack(spa))
    void(spa, pack)
    with pytest.raises(InvalidInput) as twice:
        void(spa, pack)
    assert twice.value.fields == {"reason": "This package is already void."}
    with pytest.raises(InvalidInput) as adjusted:
        adjust(spa, pack, 1)
    assert adjusted.value.fields == {"delta": "This package is void."}
    assert [line.kind for line in history(spa, maria)] == ["void", "sale"]
    ledger_ok(spa)


def test_void_needs_a_reason(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits_pack(spa))
    with pytest.raises(InvalidInput) as refused:
        void(spa, pack, reason="")
    assert refused.value.fields == {"reason": "Give a reason."}
    assert holding(spa, pack).status == "active"


def test_reception_cannot_adjust_or_void(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits_pack(spa))
    with pytest.raises(NotAllowed, match="Only a manager can adjust a balance."):
        adjust(spa, pack, 1, actor=spa.reception)
    with pytest.raises(NotAllowed, match="Only a manager can void a package."):
        void(spa, pack, actor=spa.reception)
    view = holding(spa, pack)
    assert (view.remaining, view.status) == (5, "active")
    assert [line.kind for line in history(spa, maria)] == ["sale"]


def test_the_ledger_agrees_after_every_step(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits_pack(spa))
    steps = [
        lambda: pay(spa, spa.book(maria, spa.swedish, at(TUE, 9)), "a"),
        lambda: adjust(spa, pack, 3),
        lambda: cancel(spa, spa.desk.read(appointments.customer_appointments, customer_id=maria)[0].id),
        lambda: adjust(spa, pack, -2),
        lambda: pay(spa, spa.book(maria, spa.swedish, at(TUE + timedelta(days=1), 9)), "b"),
        lambda: void(spa, pack),
    ]
    remaining = []
    for step in steps:
        step()
        ledger_ok(spa)
        remaining.append(holding(spa, pack).remaining)
    assert remaining == [4, 7, 8, 6, 5, 0]
