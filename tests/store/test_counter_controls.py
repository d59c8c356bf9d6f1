"""Controls at the counter, on SQLite and PostgreSQL: who may cancel what, refunds recorded as
negative payments, one standing redemption per appointment (a reversed one can be paid again),
paid and attended as separate facts, and free appointments paid from a visits package."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from frontdesk.domain.kinds import Tender
from frontdesk.services import appointments, audit, checkout, ledger
from frontdesk.services.errors import AlreadyPaid, InvalidInput, NotAllowed
from frontdesk.services.sales import TenderLine
from tests.store.conftest import Spa
from tests.store.test_cancel_adjust_void import cancel, history, holding, ledger_ok, visits_pack
from tests.store.test_examples import TUE, at, pay


def appointment(spa: Spa, appointment_id: int) -> appointments.AppointmentView:
    return spa.desk.read(appointments.get_appointment, appointment_id)


def rows(spa: Spa, sql: str, **params: object) -> list[tuple]:
    with spa.desk.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql), params)]


def payments_of(spa: Spa, appointment_id: int) -> list[tuple]:
    return rows(spa, "SELECT tender, amount, note FROM payment WHERE appointment_id = :a ORDER BY id", a=appointment_id)


def earlier(spa: Spa, hours: int = 2):  # noqa: ANN201
    """A start time `hours` before the test clock: the appointment has begun."""
    return spa.desk.now() - timedelta(hours=hours)


# ---- who may cancel what ------------------------------------------------------------------------

def test_reception_cancels_a_booked_appointment_paid_ahead_and_the_visit_goes_back(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits_pack(spa))
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    pay(spa, visit, "ahead")
    assert holding(spa, pack).remaining == 4
    cancelled = cancel(spa, visit)  # reception, no reason needed: it has not happened yet
    assert cancelled.returned == "1 visit back to Massage Pack"
    assert holding(spa, pack).remaining == 5
    ledger_ok(spa)


def test_cancelling_a_completed_appointment_is_a_managers_with_a_reason(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits_pack(spa))
    visit = spa.book(maria, spa.swedish, earlier(spa))
    pay(spa, visit, "came")  # paid after it began: completed
    assert appointment(spa, visit).status == "completed"
    entries = len(history(spa, maria))
    with pytest.raises(NotAllowed, match="Only a manager can cancel an appointment that took place."):
        cancel(spa, visit, reason="she asked")
    with pytest.raises(InvalidInput) as no_reason:
        cancel(spa, visit, actor=spa.manager)
    assert no_reason.value.fields == {"reason": "Give a reason."}
    # refused twice, nothing written
    assert (appointment(spa, visit).status, holding(spa, pack).remaining, len(history(spa, maria))) == (
        "completed", 4, entries)
    cancelled = cancel(spa, visit, actor=spa.manager, reason="class called off by the teacher")
    assert (cancelled.returned, holding(spa, pack).remaining) == ("1 visit back to Massage Pack", 5)
    newest = history(spa, maria)[0]
    assert (newest.kind, newest.note, newest.staff_name) == ("reverse", "class called off by the teacher",
                                                             "Grace (manager)")
    ledger_ok(spa)


def test_giving_a_visit_back_after_the_start_is_a_managers(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits_pack(spa))
    visit = spa.book(maria, spa.swedish, spa.desk.now() + timedelta(hours=1))
    pay(spa, visit, "ahead")  # paid an hour ahead: still booked
    later = spa.desk.now() + timedelta(hours=3)
    with pytest.raises(NotAllowed, match="give back a visit or money after the appointment began"):
        cancel(spa, visit, now=later, reason="forgot")
    assert holding(spa, pack).remaining == 4
    assert cancel(spa, visit, now=later, actor=spa.manager, reason="stuck in traffic, goodwill").returned


def test_reception_may_cancel_an_unpaid_appointment_after_its_start(spa: Spa, maria: int) -> None:
    visit = spa.book(maria, spa.swedish, earlier(spa))
    cancelled = cancel(spa, visit)  # nothing goes back, so nothing to guard
    assert (cancelled.appointment.status, cancelled.returned, cancelled.refunded) == ("cancelled", None, 0)


# ---- refunds: negative payments with their tender, who and why ----------------------------------

def test_a_full_refund_is_a_negative_payment_by_the_tender_chosen(spa: Spa, maria: int) -> None:
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    pay(spa, visit, "cash", package=None, tenders=[TenderLine(Tender.CASH, 8000)])
    cancelled = cancel(spa, visit, refunds=[TenderLine(Tender.CASH, 8000)])
    assert (cancelled.refunded, cancelled.kept) == (8000, 0)
    assert payments_of(spa, visit) == [("cash", 8000, ""), ("cash", -8000, "")]
    receipt = cancelled.receipt
    assert [(line.tender, line.amount, line.description) for line in receipt.payments] == [
        ("cash", -8000, "cash refund")]
    assert (receipt.total, receipt.appointment_id) == (-8000, visit)
    after = appointment(spa, visit)
    assert (after.paid, after.paid_money, after.refunded, after.is_paid) == (0, 0, 8000, False)


def test_a_part_refund_needs_a_reason_and_keeps_it_with_the_payment(spa: Spa, maria: int) -> None:
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    pay(spa, visit, "card", package=None, tenders=[TenderLine(Tender.CARD, 8000)])
    with pytest.raises(InvalidInput) as refused:
        cancel(spa, visit, refunds=[TenderLine(Tender.CARD, 5000)])
    assert refused.value.fields == {"reason": "$30.00 paid is not refunded: give the reason."}
    assert payments_of(spa, visit) == [("card", 8000, "")]  # nothing half-saved
    assert appointment(spa, visit).status == "booked"
    cancelled = cancel(spa, visit, refunds=[TenderLine(Tender.CARD, 5000)], reason="late cancel fee")
    assert (cancelled.refunded, cancelled.kept) == (5000, 3000)
    assert payments_of(spa, visit) == [("card", 8000, ""), ("card", -5000, "late cancel fee")]
    assert cancelled.receipt.payments[0].description == "card refund — late cancel fee"


def test_no_refund_at_all_needs_a_reason(spa: Spa, maria: int) -> None:
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    pay(spa, visit, "card", package=None, tenders=[TenderLine(Tender.CARD, 8000)])
    with pytest.raises(InvalidInput) as refused:
        cancel(spa, visit)
    assert refused.value.fields == {"reason": "$80.00 paid is not refunded: give the reason."}
    cancelled = cancel(spa, visit, reason="gift voucher instead")
    assert (cancelled.refunded, cancelled.kept, cancelled.receipt) == (0, 8000, None)
    assert payments_of(spa, visit) == [("card", 8000, "")]


@pytest.mark.parametrize(("refunds", "message"), [
    ([TenderLine(Tender.CARD, 9000)], "Only $80.00 was paid in money; refund at most that."),
    ([TenderLine(Tender.CARD, 4000), TenderLine(Tender.CASH, 4001)], "Only $80.00 was paid in money; refund at most that."),
    ([TenderLine(Tender.CARD, 0)], "Each refund must be more than 0."),
    ([TenderLine(Tender.CARD, -100)], "Each refund must be more than 0."),
    ([TenderLine(Tender.PACKAGE, 8000)], "Refund in cash, card or other."),
])
def test_wrong_refunds_are_refused_at_the_field_and_save_nothing(
        spa: Spa, maria: int, refunds: list[TenderLine], message: str) -> None:
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    pay(spa, visit, "card", package=None, tenders=[TenderLine(Tender.CARD, 8000)])
    with pytest.raises(InvalidInput) as refused:
        cancel(spa, visit, refunds=refunds, reason="testing")
    assert refused.value.fields == {"refund": message}
    assert payments_of(spa, visit) == [("card", 8000, "")]
    assert appointment(spa, visit).status == "booked"


def test_voiding_a_sold_package_refunds_its_money(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits_pack(spa))  # $350.00 by card
    voided = spa.desk.by(spa.manager).write(ledger.void, spa.desk.business, holding_id=pack,
                                            reason="sold to the wrong Maria", refunds=[TenderLine(Tender.CARD, 35000)])
    assert (voided.holding.voided, voided.refunded) == (True, 35000)
    assert [(line.tender, line.amount, line.holding_title) for line in voided.receipt.payments] == [
        ("card", -35000, "Massage Pack")]
    assert voided.receipt.payments[0].description == "card refund for Massage Pack — sold to the wrong Maria"
    assert rows(spa, "SELECT tender, amount FROM payment WHERE sale_holding_id = :h ORDER BY id", h=pack) == [
        ("card", 35000), ("card", -35000)]
    assert holding(spa, pack).paid_money == 0
    [event] = spa.desk.by(spa.manager).read(audit.events, kind=audit.AuditKind.VOID)
    assert event.detail == "Massage Pack: sold to the wrong Maria; $350.00 refunded (card)"


def test_a_void_refunds_at_most_the_sales_money(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits_pack(spa))
    with pytest.raises(InvalidInput) as refused:
        spa.desk.by(spa.manager).write(ledger.void, spa.desk.business, holding_id=pack, reason="duplicate",
                                       refunds=[TenderLine(Tender.CASH, 35001)])
    assert refused.value.fields == {"refund": "Only $350.00 was paid in money; refund at most that."}
    assert not holding(spa, pack).voided
    assert rows(spa, "SELECT count(*) FROM payment WHERE amount < 0") == [(0,)]


def test_refunds_are_shown_in_the_history(spa: Spa, maria: int) -> None:
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    pay(spa, visit, "card", package=None, tenders=[TenderLine(Tender.CARD, 8000)])
    cancel(spa, visit, refunds=[TenderLine(Tender.CARD, 6000)], reason="late cancel fee",
           now=spa.desk.now() + timedelta(minutes=5))
    newest = history(spa, maria)[0]
    assert (newest.kind, newest.delta, newest.delta_text, newest.note, newest.appointment_id) == (
        "refund", -6000, "-$60.00 card", "late cancel fee", visit)


# ---- one standing redemption; a reversed one can be paid again ----------------------------------

def test_a_reversed_redemption_can_be_paid_from_a_package_again(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits_pack(spa))
    visit = spa.book(maria, spa.swedish, earlier(spa))
    pay(spa, visit, "first")
    spa.desk.by(spa.manager).write(appointments.reverse_redemption, spa.desk.business, appointment_id=visit,
                                   reason="paid from the wrong pack")
    assert holding(spa, pack).remaining == 5
    reopened = appointment(spa, visit)
    assert (reopened.paid, reopened.paid_from, reopened.needs_payment) == (0, None, True)
    [option] = spa.desk.read(checkout.options, spa.desk.business, appointment_id=visit)
    assert (option.holding.id, option.is_default, option.coverage.ok) == (pack, True, True)
    receipt = pay(spa, visit, "second")  # a new key: the first checkout was undone
    assert receipt.total == 8000
    assert holding(spa, pack).remaining == 4
    assert rows(spa, "SELECT kind, seq FROM ledger_entry WHERE appointment_id = :a ORDER BY id", a=visit) == [
        ("redeem", 0), ("reverse", 0), ("redeem", 1)]
    ledger_ok(spa)


def test_options_know_a_standing_redemption_and_no_other_package_pays(spa: Spa, maria: int) -> None:
    first = spa.sell(maria, visits_pack(spa))
    second = spa.sell(maria, visits_pack(spa, title="Second Pack"))
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    pay(spa, visit, "paid", package=first)
    options = spa.desk.read(checkout.options, spa.desk.business, appointment_id=visit)
    assert {option.holding.id for option in options} == {first, second}
    assert all(not option.is_default and option.coverage.reasons[0] == "already paid from Massage Pack"
               for option in options)
    with pytest.raises(AlreadyPaid, match="already paid"):
        pay(spa, visit, "again", package=second)
    assert (holding(spa, first).remaining, holding(spa, second).remaining) == (4, 5)


SECOND_REDEMPTION = """
    INSERT INTO ledger_entry (holding_id, line_id, kind, delta, balance_after, appointment_id, staff_id,
                              created_at, note, seq)
    SELECT holding_id, line_id, 'redeem', delta, balance_after, appointment_id, staff_id, created_at, note, :seq
    FROM ledger_entry WHERE appointment_id = :a AND kind = 'redeem'
"""


@pytest.mark.parametrize("seq", [0, 1])
def test_the_database_refuses_a_second_standing_redemption(spa: Spa, maria: int, seq: int) -> None:
    """Round 0 stands: a second redemption in its round breaks the unique index; one in the next
    round is refused by the trigger, since round 0 was never reversed."""
    spa.sell(maria, visits_pack(spa))
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    pay(spa, visit, "paid")
    with pytest.raises(DBAPIError):
        with spa.desk.engine.begin() as connection:
            connection.execute(text(SECOND_REDEMPTION), {"a": visit, "seq": seq})
    assert rows(spa, "SELECT kind FROM ledger_entry WHERE appointment_id = :a", a=visit) == [("redeem",)]


# ---- paid and attended ----------------------------------------------------------------------------

def test_paid_ahead_from_a_package_can_still_be_a_no_show_and_keeps_the_visit(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits_pack(spa))
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    pay(spa, visit, "ahead")
    assert (appointment(spa, visit).status, appointment(spa, visit).is_paid) == ("booked", True)
    marked = spa.desk.by(spa.reception, at=at(TUE, 11) + timedelta(minutes=30)).write(appointments.no_show,
                                                                                      spa.desk.business,
                                                                                      appointment_id=visit)
    marked = marked.appointment
    assert (marked.status, marked.is_paid, marked.paid_from) == ("no-show", True, "Massage Pack")
    assert holding(spa, pack).remaining == 4  # the no-show rule: the visit is used


def test_paid_once_it_has_begun_means_she_came(spa: Spa, maria: int) -> None:
    spa.sell(maria, visits_pack(spa))
    visit = spa.book(maria, spa.swedish, earlier(spa, hours=1))
    pay(spa, visit, "after")
    assert appointment(spa, visit).status == "completed"


# ---- free appointments and visits packages --------------------------------------------------------

def test_a_free_appointment_can_be_paid_from_a_visits_package(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits_pack(spa))
    visit = spa.book(maria, spa.swedish, at(TUE, 11), price=0)
    free = appointment(spa, visit)
    assert (free.due, free.is_paid, free.needs_payment) == (0, False, True)
    [option] = spa.desk.read(checkout.options, spa.desk.business, appointment_id=visit)
    assert (option.is_default, option.coverage.take.units, option.coverage.take.value) == (True, 1, 0)
    receipt = pay(spa, visit, "free")
    assert [(line.tender, line.amount) for line in receipt.payments] == [("package", 0)]
    assert holding(spa, pack).remaining == 4
    after = appointment(spa, visit)
    assert (after.is_paid, after.paid_from) == (True, "Massage Pack")
    with pytest.raises(AlreadyPaid):
        pay(spa, visit, "twice")
    ledger_ok(spa)


def test_a_free_appointment_with_no_package_is_checked_out_as_it_is(spa: Spa, maria: int) -> None:
    visit = spa.book(maria, spa.swedish, at(TUE, 11), price=0)
    receipt = pay(spa, visit, "free", package=None)
    assert (receipt.payments, receipt.total) == ((), 0)
    assert appointment(spa, visit).is_paid


def test_a_reversed_free_redemption_makes_it_payable_again(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits_pack(spa))
    visit = spa.book(maria, spa.swedish, earlier(spa), price=0)
    pay(spa, visit, "free")
    spa.desk.by(spa.manager).write(appointments.reverse_redemption, spa.desk.business, appointment_id=visit,
                                   reason="wrong customer's pack")
    assert appointment(spa, visit).needs_payment
    pay(spa, visit, "free again")
    assert (appointment(spa, visit).is_paid, holding(spa, pack).remaining) == (True, 4)
    ledger_ok(spa)
