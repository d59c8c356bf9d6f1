"""Checkout: idempotent retries, one payment per appointment, the default package, split
tenders, and "all or nothing" when anything is wrong. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlmodel import func, select

from frontdesk.domain.kinds import Tender
from frontdesk.domain.terms import Contents, FixedLine, Period, PeriodUnit, Terms, ValueType
from frontdesk.models import Checkout, LedgerEntry, Payment
from frontdesk.services import appointments, catalogue, checkout, ledger
from frontdesk.services.checkout import DEFAULT
from frontdesk.services.errors import AlreadyPaid, InvalidInput, NotCovered
from frontdesk.services.sales import TenderLine
from tests.store.conftest import Spa
from tests.store.test_examples import MON, TUE, at, balance, pay

MASSAGE_PACK = Terms(title="Massage Pack", value_type=ValueType.VISITS, quantity=5, all_services=False,
                     price=35000)


def massage_pack(spa: Spa, **changes: object) -> int:
    return spa.package(MASSAGE_PACK, service_ids=(spa.swedish,), **changes)


def count(spa: Spa, table: type, *where: object) -> int:
    return spa.desk.read(lambda session: session.exec(select(func.count()).select_from(table).where(*where)).one())


def saved_nothing(spa: Spa, appointment_id: int) -> None:
    """No checkout, payment or redemption was written for the appointment, and it is still unpaid."""
    assert count(spa, Checkout, Checkout.appointment_id == appointment_id) == 0
    assert count(spa, Payment, Payment.appointment_id == appointment_id) == 0
    assert count(spa, LedgerEntry, LedgerEntry.appointment_id == appointment_id) == 0
    appointment = spa.desk.read(appointments.get_appointment, appointment_id)
    assert (appointment.status, appointment.paid, appointment.is_paid) == ("booked", 0, False)


def kinds(spa: Spa, customer_id: int) -> list[str]:
    return [line.kind for line in spa.desk.read(ledger.history, spa.desk.business, customer_id=customer_id)]


def payments(receipt) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(line.tender, line.amount, line.holding_id) for line in receipt.payments]


# ---- one payment per appointment ----------------------------------------------------------------

def test_a_retry_with_the_same_key_returns_the_first_receipt_and_spends_once(spa: Spa) -> None:
    maria = spa.customer()
    holding = spa.sell(maria, massage_pack(spa))
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    first = pay(spa, visit, "key-1")
    assert not first.replayed
    again = pay(spa, visit, "key-1")
    assert again.replayed
    assert payments(again) == payments(first) == [("package", 8000, holding)]
    assert (again.checkout_id, again.key, again.appointment_id, again.total) == (
        first.checkout_id, "key-1", visit, 8000)
    assert balance(spa, holding) == "4 of 5 visits"
    assert kinds(spa, maria) == ["redeem", "sale"]
    assert count(spa, Checkout) == 1
    assert spa.desk.read(ledger.check) == []


def test_a_key_reused_for_another_appointment_is_refused(spa: Spa) -> None:
    maria = spa.customer()
    spa.sell(maria, massage_pack(spa))
    pay(spa, spa.book(maria, spa.swedish, at(TUE, 11)), "key-1")
    other = spa.book(maria, spa.swedish, at(TUE, 14))
    with pytest.raises(InvalidInput, match="belongs to another appointment"):
        pay(spa, other, "key-1")
    assert not spa.desk.read(appointments.get_appointment, other).is_paid


def test_a_retry_of_a_split_payment_returns_every_tender(spa: Spa) -> None:
    maria = spa.customer()
    credit = spa.sell(maria, spa.package(Terms(title="$50 credit", value_type=ValueType.AMOUNT, quantity=5000,
                                               price=5000)))
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    tenders = [TenderLine(Tender.CARD, 3000)]
    first = pay(spa, visit, "split", package=credit, tenders=tenders)
    again = pay(spa, visit, "split", package=credit, tenders=tenders)
    assert again.replayed and payments(again) == payments(first) == [("package", 5000, credit), ("card", 3000, None)]
    assert count(spa, Payment, Payment.appointment_id == visit) == 2
    assert balance(spa, credit) == "$0.00 of $50.00"


def test_a_different_key_on_a_paid_appointment_is_refused(spa: Spa) -> None:
    maria = spa.customer()
    holding = spa.sell(maria, massage_pack(spa))
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    pay(spa, visit, "first")
    with pytest.raises(AlreadyPaid, match="already paid"):
        pay(spa, visit, "second")
    with pytest.raises(AlreadyPaid, match="already paid"):
        pay(spa, visit, "third", package=None, tenders=[TenderLine(Tender.CASH, 8000)])
    assert balance(spa, holding) == "4 of 5 visits"
    assert count(spa, Checkout) == 1
    assert kinds(spa, maria) == ["redeem", "sale"]


def test_a_failed_checkout_can_be_retried_with_the_same_key(spa: Spa) -> None:
    maria = spa.customer()
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    with pytest.raises(InvalidInput):
        pay(spa, visit, "retry", package=None, tenders=[TenderLine(Tender.CARD, 7000)])
    saved_nothing(spa, visit)
    receipt = pay(spa, visit, "retry", package=None, tenders=[TenderLine(Tender.CARD, 8000)])
    assert not receipt.replayed and payments(receipt) == [("card", 8000, None)]


# ---- which package ------------------------------------------------------------------------------

def test_default_is_the_holding_that_expires_first(spa: Spa) -> None:
    maria = spa.customer()
    forever = spa.sell(maria, massage_pack(spa))
    monthly = spa.sell(maria, massage_pack(spa, title="Monthly pack", expires_in=Period(1, PeriodUnit.MONTHS)))
    weekly = spa.sell(maria, massage_pack(spa, title="Weekly pack", expires_in=Period(1, PeriodUnit.WEEKS)))
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    options = spa.desk.read(checkout.options, spa.desk.business, appointment_id=visit)
    assert [(option.holding.id, option.is_default) for option in options] == [
        (weekly, True), (monthly, False), (forever, False)]
    receipt = pay(spa, visit, "default")
    assert payments(receipt) == [("package", 8000, weekly)]
    assert [balance(spa, h) for h in (weekly, monthly, forever)] == ["4 of 5 visits", "5 of 5 visits", "5 of 5 visits"]


def test_default_is_the_holding_the_appointment_was_booked_to_be_covered_by(spa: Spa) -> None:
    maria = spa.customer()
    weekly = spa.sell(maria, massage_pack(spa, title="Weekly pack", expires_in=Period(1, PeriodUnit.WEEKS)))
    forever = spa.sell(maria, massage_pack(spa))
    visit = spa.book(maria, spa.swedish, at(TUE, 11), cover_holding_id=forever)
    options = spa.desk.read(checkout.options, spa.desk.business, appointment_id=visit)
    assert [(option.holding.id, option.is_default) for option in options] == [(forever, True), (weekly, False)]
    assert payments(pay(spa, visit, "booked-for")) == [("package", 8000, forever)]
    # when the booked-for holding no longer covers, the usual default applies
    spa.desk.by(spa.manager).write(ledger.void, spa.desk.business, holding_id=forever, reason="refunded")
    later = spa.book(maria, spa.swedish, at(TUE, 14), cover_holding_id=forever)
    assert payments(pay(spa, later, "fallback")) == [("package", 8000, weekly)]


def test_default_among_equal_expiries_is_the_oldest_purchase(spa: Spa) -> None:
    maria = spa.customer()
    package = massage_pack(spa)
    newer = spa.sell(maria, package)  # sold first (lower id), but bought today
    older = spa.sell(maria, package, now=spa.desk.now() - timedelta(days=10))
    assert newer < older
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    receipt = pay(spa, visit, "oldest")
    assert payments(receipt) == [("package", 8000, older)]
    assert (balance(spa, older), balance(spa, newer)) == ("4 of 5 visits", "5 of 5 visits")


def test_default_skips_holdings_that_do_not_cover(spa: Spa) -> None:
    maria = spa.customer()
    mondays = spa.sell(maria, massage_pack(spa, title="Monday pack", weekdays=frozenset({0}),
                                           expires_in=Period(1, PeriodUnit.WEEKS)))
    anyday = spa.sell(maria, massage_pack(spa))
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    receipt = pay(spa, visit, "default")
    assert payments(receipt) == [("package", 8000, anyday)]
    assert balance(spa, mondays) == "5 of 5 visits"


def test_default_with_no_covering_package_is_refused(spa: Spa) -> None:
    maria = spa.customer()
    spa.sell(maria, massage_pack(spa))
    thai = spa.book(maria, spa.thai, at(TUE, 11))
    with pytest.raises(InvalidInput) as refused:
        pay(spa, thai, "none")
    assert refused.value.fields == {"package": "No package of this customer covers this appointment."}
    saved_nothing(spa, thai)


def test_staff_can_pick_a_holding_other_than_the_default(spa: Spa) -> None:
    maria = spa.customer()
    weekly = spa.sell(maria, massage_pack(spa, title="Weekly pack", expires_in=Period(1, PeriodUnit.WEEKS)))
    forever = spa.sell(maria, massage_pack(spa))
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    receipt = pay(spa, visit, "chosen", package=forever)
    assert payments(receipt) == [("package", 8000, forever)]
    assert (balance(spa, weekly), balance(spa, forever)) == ("5 of 5 visits", "4 of 5 visits")


def test_a_holding_of_another_customer_is_refused(spa: Spa) -> None:
    maria, ben = spa.customer(), spa.customer("Ben Okafor")
    bens = spa.sell(ben, massage_pack(spa))
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    with pytest.raises(InvalidInput) as refused:
        pay(spa, visit, "not-hers", package=bens)
    assert refused.value.fields == {"package": "That package belongs to another customer."}
    saved_nothing(spa, visit)
    assert balance(spa, bens) == "5 of 5 visits"


# ---- tenders ------------------------------------------------------------------------------------

def test_paying_by_split_cash_and_card(spa: Spa) -> None:
    maria = spa.customer()
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    receipt = pay(spa, visit, "split", package=None,
                  tenders=[TenderLine(Tender.CASH, 3000), TenderLine(Tender.CARD, 5000)])
    assert payments(receipt) == [("cash", 3000, None), ("card", 5000, None)]
    assert [line.description for line in receipt.payments] == ["cash", "card"]
    assert receipt.total == 8000 and receipt.sold_holding_id is None
    appointment = spa.desk.read(appointments.get_appointment, visit)
    # paid ahead (it is tomorrow's): paid, and still booked, since attending is another fact
    assert (appointment.status, appointment.paid, appointment.is_paid) == ("booked", 8000, True)
    assert kinds(spa, maria) == []


@pytest.mark.parametrize(
    ("tenders", "message"),
    [
        ([TenderLine(Tender.CASH, 3000), TenderLine(Tender.CARD, 4000)], "Still $10.00 to pay."),
        ([TenderLine(Tender.CASH, 3000), TenderLine(Tender.CARD, 5500)], "That is $5.00 more than is due."),
        ([], "Still $80.00 to pay."),
        ([TenderLine(Tender.CASH, 8000), TenderLine(Tender.CARD, 0)], "Each payment must be more than 0."),
        ([TenderLine(Tender.CASH, 9000), TenderLine(Tender.CARD, -1000)], "Each payment must be more than 0."),
        ([TenderLine(Tender.PACKAGE, 8000)], "Pay with cash, card or other."),
    ],
    ids=["short", "over", "nothing", "zero", "negative", "package-as-money"],
)
def test_wrong_tenders_are_refused_and_save_nothing(spa: Spa, tenders: list[TenderLine], message: str) -> None:
    maria = spa.customer()
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    with pytest.raises(InvalidInput) as refused:
        pay(spa, visit, "wrong", package=None, tenders=tenders)
    assert refused.value.fields == {"tenders": message}
    assert str(refused.value) == message
    saved_nothing(spa, visit)


def test_wrong_tenders_after_a_partial_package_cover_roll_the_redemption_back(spa: Spa) -> None:
    maria = spa.customer()
    credit = spa.sell(maria, spa.package(Terms(title="$200 credit", value_type=ValueType.AMOUNT, quantity=20000,
                                               price=18000)))
    pay(spa, spa.book(maria, spa.thai, at(TUE, 9)), "a")  # $100
    pay(spa, spa.book(maria, spa.swedish, at(TUE, 11)), "b")  # $80, $20 left
    third = spa.book(maria, spa.swedish, at(TUE, 13))
    with pytest.raises(InvalidInput) as refused:
        pay(spa, third, "c", package=credit, tenders=[TenderLine(Tender.CARD, 5000)])
    assert refused.value.fields == {"tenders": "Still $10.00 to pay."}
    saved_nothing(spa, third)
    assert balance(spa, credit) == "$20.00 of $200.00"
    assert kinds(spa, maria) == ["redeem", "redeem", "sale"]
    assert spa.desk.read(ledger.check) == []


# ---- coverage at checkout -----------------------------------------------------------------------

def test_not_covered_gives_every_reason_and_saves_nothing(spa: Spa) -> None:
    maria = spa.customer()
    holding = spa.sell(maria, spa.package(Terms(title="Monday mornings", value_type=ValueType.VISITS, quantity=3,
                                                price=20000, weekdays=frozenset({0}),
                                                window=(time(10), time(13)))))
    late_tuesday = spa.book(maria, spa.swedish, at(TUE, 15))
    with pytest.raises(NotCovered) as refused:
        pay(spa, late_tuesday, "nope", package=holding)
    assert refused.value.reasons == ("Mondays only", "10:00–13:00 only")
    assert str(refused.value) == "Monday mornings does not cover this appointment: Mondays only; 10:00–13:00 only."
    saved_nothing(spa, late_tuesday)
    assert balance(spa, holding) == "3 of 3 visits"


def test_not_covered_lists_service_provider_and_expiry_together(spa: Spa) -> None:
    maria = spa.customer()
    holding = spa.sell(maria, massage_pack(spa, provider_id=spa.anna, expires_in=Period(1, PeriodUnit.WEEKS)))
    thai_with_ben = spa.book(maria, spa.thai, at(date(2026, 3, 20), 10), provider_id=spa.ben)
    with pytest.raises(NotCovered) as refused:
        pay(spa, thai_with_ben, "nope", package=holding)
    assert refused.value.reasons == ("Thai Massage not included", "with Anna only", "expired 10 Mar")
    saved_nothing(spa, thai_with_ben)


def test_selling_a_package_that_does_not_cover_rolls_the_sale_back(spa: Spa) -> None:
    maria = spa.customer()
    mondays = massage_pack(spa, weekdays=frozenset({0}))
    tuesday = spa.book(maria, spa.swedish, at(TUE, 11))
    with pytest.raises(NotCovered, match="Mondays only"):
        pay(spa, tuesday, "sell", package=None, sell_package_id=mondays,
            sale_tenders=[TenderLine(Tender.CARD, 35000)])
    saved_nothing(spa, tuesday)
    assert spa.desk.read(appointments.customer_holdings, spa.desk.business, customer_id=maria) == []
    assert count(spa, Payment) == 0
    assert spa.desk.read(catalogue.get_package, spa.desk.business, mondays).sold_count == 0


def test_selling_at_checkout_with_wrong_sale_tenders_saves_nothing(spa: Spa) -> None:
    maria = spa.customer()
    package = massage_pack(spa)
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    with pytest.raises(InvalidInput) as refused:
        pay(spa, visit, "sell", package=None, sell_package_id=package,
            sale_tenders=[TenderLine(Tender.CARD, 30000)])
    assert refused.value.fields == {"sale_tenders": "Still $50.00 to pay."}
    saved_nothing(spa, visit)
    assert spa.desk.read(appointments.customer_holdings, spa.desk.business, customer_id=maria) == []


def test_selling_at_checkout_and_applying_it(spa: Spa) -> None:
    maria = spa.customer()
    package = massage_pack(spa)
    visit = spa.book(maria, spa.swedish, at(MON, 9))
    receipt = pay(spa, visit, "sell", package=None, sell_package_id=package,
                  sale_tenders=[TenderLine(Tender.CASH, 5000), TenderLine(Tender.CARD, 30000)])
    sold = receipt.sold_holding_id
    assert payments(receipt) == [("cash", 5000, sold), ("card", 30000, sold), ("package", 8000, sold)]
    assert [line.description for line in receipt.payments] == [
        "cash for Massage Pack", "card for Massage Pack", "1 visit from Massage Pack, 4 visits left"]
    assert balance(spa, sold) == "4 of 5 visits"
    assert spa.desk.read(appointments.get_appointment, visit).is_paid


def test_a_cancelled_appointment_cannot_be_checked_out(spa: Spa) -> None:
    maria = spa.customer()
    holding = spa.sell(maria, massage_pack(spa))
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    spa.desk.by(spa.reception).write(appointments.cancel, spa.desk.business, appointment_id=visit)
    for package, tenders in ((DEFAULT, []), (holding, []), (None, [TenderLine(Tender.CASH, 8000)])):
        with pytest.raises(InvalidInput) as refused:
            pay(spa, visit, "after-cancel", package=package, tenders=tenders)
        assert refused.value.fields == {"appointment": "This appointment was cancelled."}
    assert count(spa, Checkout) == 0 and count(spa, Payment, Payment.appointment_id == visit) == 0
    assert balance(spa, holding) == "5 of 5 visits"


def test_a_no_show_can_be_charged_and_keeps_its_status(spa: Spa) -> None:
    maria = spa.customer()
    holding = spa.sell(maria, massage_pack(spa))
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    spa.desk.by(spa.reception).write(appointments.no_show, spa.desk.business, appointment_id=visit)
    pay(spa, visit, "charge-no-show")
    appointment = spa.desk.read(appointments.get_appointment, visit)
    assert (appointment.status, appointment.is_paid) == ("no-show", True)
    assert balance(spa, holding) == "4 of 5 visits"


# ---- receipts -----------------------------------------------------------------------------------

def test_receipts_describe_what_each_package_paid(spa: Spa) -> None:
    maria = spa.customer()
    visits = spa.sell(maria, massage_pack(spa))
    minutes = spa.sell(maria, spa.package(Terms(title="4 hours", value_type=ValueType.MINUTES, quantity=240,
                                                price=28000)))
    credit = spa.sell(maria, spa.package(Terms(title="$100 credit", value_type=ValueType.AMOUNT, quantity=10000,
                                               price=9000)))
    sauna = spa.sell(maria, spa.package(Terms(title="Sauna week", value_type=ValueType.UNLIMITED,
                                              all_services=False, service_ids=(spa.sauna,), price=6000,
                                              expires_in=Period(1, PeriodUnit.WEEKS))))
    journey = spa.sell(maria, spa.package(Terms(title="Massage journey", contents=Contents.FIXED, value_type=None,
                                                price=25000,
                                                fixed_lines=(FixedLine(spa.swedish, "", 1),
                                                             FixedLine(spa.thai, "", 2)))))

    def describe(service: int, hour: int, package: int) -> list[str]:
        receipt = pay(spa, spa.book(maria, service, at(TUE, hour)), f"r{hour}", package=package)
        return [line.description for line in receipt.payments]

    assert describe(spa.swedish, 8, visits) == ["1 visit from Massage Pack, 4 visits left"]
    assert describe(spa.thai, 9, minutes) == ["1 h 30 min from 4 hours, 2 h 30 min left"]
    assert describe(spa.thai, 11, credit) == ["$100.00 of $100.00 from $100 credit, $0.00 left"]
    assert describe(spa.thai, 13, journey) == ["1 × Thai Massage from Massage journey, 1 visit left"]
    assert describe(spa.sauna, 18, sauna) == ["unlimited use from Sauna week, unlimited left"]
    assert spa.desk.read(ledger.check) == []


def test_a_receipt_for_a_partial_cover_says_how_much_the_package_paid(spa: Spa) -> None:
    maria = spa.customer()
    credit = spa.sell(maria, spa.package(Terms(title="$50 credit", value_type=ValueType.AMOUNT, quantity=5000,
                                               price=5000)))
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    receipt = pay(spa, visit, "partial", package=credit, tenders=[TenderLine(Tender.CARD, 3000)])
    assert [line.description for line in receipt.payments] == ["$50.00 of $80.00 from $50 credit, $0.00 left", "card"]
    assert [line.holding_title for line in receipt.payments] == ["$50 credit", None]
    assert receipt.total == 8000
