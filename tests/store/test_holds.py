"""Held at booking: an appointment booked "to be covered by" a package holds what its checkout will
take, while it is booked and no redemption stands for it. Available = left − held by the other
bookings; a booking that would take more than is available is refused at the cover field, with
nothing saved; checkout settles a hold, cancel and no-show release it, moving the appointment moves
it. SQLite and PostgreSQL. (The races are in `test_races.py`.)"""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import func, select

from frontdesk.domain.terms import Contents, FixedLine, Period, PeriodUnit, Terms, ValueType
from frontdesk.models import Appointment, LedgerEntry
from frontdesk.services import appointments, checkout, ledger, lifecycle
from frontdesk.services.errors import InvalidInput, NotCovered
from frontdesk.services.views import HoldingView
from tests.store.conftest import Spa
from tests.store.test_examples import MON, TUE, at, pay

WED, THU, FRI = date(2026, 3, 4), date(2026, 3, 5), date(2026, 3, 6)
NEXT_MON = date(2026, 3, 9)


def book(spa: Spa, customer: int, starts_at, service: int | None = None, **extra: object) -> int:  # noqa: ANN001
    return spa.desk.by(spa.reception).write(appointments.book, spa.business, customer_id=customer,
                                            service_id=service or spa.swedish, starts_at=starts_at,
                                            **extra).appointment.id


def view(spa: Spa, holding_id: int) -> HoldingView:
    owner = spa.desk.read(ledger.get_holding, holding_id).customer_id
    return next(h for h in spa.desk.read(appointments.customer_holdings, spa.business, customer_id=owner)
                if h.id == holding_id)


def counts(spa: Spa) -> tuple[int, int]:
    """How many appointments and ledger entries there are."""
    return spa.desk.read(lambda session: (session.exec(select(func.count()).select_from(Appointment)).one(),
                                          session.exec(select(func.count()).select_from(LedgerEntry)).one()))


def visits(spa: Spa, quantity: int = 5, **terms: object) -> int:
    return spa.package(Terms(title="Massage Pack", value_type=ValueType.VISITS, quantity=quantity, price=0,
                             **terms))


# ---- what is held, per kind ------------------------------------------------------------------------

def test_a_visits_pack_holds_one_visit_per_booking(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits(spa))
    book(spa, maria, at(TUE, 10), cover_holding_id=pack)
    book(spa, maria, at(WED, 10), cover_holding_id=pack)
    book(spa, maria, at(THU, 10))  # not covered by it: holds nothing
    held = view(spa, pack)
    assert (held.remaining, held.held, held.available) == (5, 2, 5 - 2)
    assert held.balance_text == "5 of 5 visits · 2 held"


def test_one_held_reads_in_words_and_nothing_held_says_nothing(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits(spa))
    assert view(spa, pack).balance_text == "5 of 5 visits"
    first = book(spa, maria, at(TUE, 10), cover_holding_id=pack)
    pay(spa, first, "first")
    book(spa, maria, at(WED, 10), cover_holding_id=pack)
    pay(spa, book(spa, maria, at(THU, 10), cover_holding_id=pack), "third")
    assert view(spa, pack).balance_text == "3 of 5 visits · 1 held"


def test_a_minutes_pack_holds_the_appointments_minutes(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, spa.package(Terms(title="Massage hours", value_type=ValueType.MINUTES, quantity=240,
                                             price=0)))
    book(spa, maria, at(TUE, 10), cover_holding_id=pack)  # Swedish, 60 min
    book(spa, maria, at(WED, 10), spa.thai, cover_holding_id=pack)  # Thai, 90 min
    held = view(spa, pack)
    assert (held.held, held.available) == (60 + 90, 240 - 150)
    assert held.balance_text == "4 h of 4 h · 2 h 30 min held"
    # 90 min free: a third 90-minute Thai fits, a fourth does not
    book(spa, maria, at(THU, 10), spa.thai, cover_holding_id=pack)
    with pytest.raises(InvalidInput) as refused:
        book(spa, maria, at(FRI, 10), spa.swedish, cover_holding_id=pack)
    assert refused.value.fields["cover"] == (
        "Massage hours has no minutes free: 4 h left, 4 h held for Tue 3 Mar, Wed 4 Mar, Thu 5 Mar. "
        "Book it without the package, or free one of those.")


def test_a_minutes_pack_with_some_minutes_free_says_how_many(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, spa.package(Terms(title="Massage hours", value_type=ValueType.MINUTES, quantity=120,
                                             price=0)))
    book(spa, maria, at(TUE, 10), spa.sauna, cover_holding_id=pack)  # 30 min held, 90 free
    coverage = spa.desk.read(appointments.preview_cover, spa.business, customer_id=maria, service_id=spa.thai,
                             holding_id=pack, starts_at=at(WED, 10), duration_min=100)
    assert coverage.reasons == ("only 1 h 30 min free of 2 h left, needs 1 h 40 min: 30 min held for "
                                "Tue 3 Mar 10:00",)


def test_a_money_pack_holds_the_price_shared_out_in_booking_order(spa: Spa, maria: int) -> None:
    credit = spa.sell(maria, spa.package(Terms(title="Spa Credit", value_type=ValueType.AMOUNT, quantity=20000,
                                               price=0)))
    book(spa, maria, at(TUE, 10), cover_holding_id=credit)  # $80
    book(spa, maria, at(WED, 10), spa.thai, cover_holding_id=credit)  # $100
    assert (view(spa, credit).held, view(spa, credit).available) == (8000 + 10000, 20000 - 18000)
    # $20 free: an $80 massage is covered in part, and says why only in part
    third = spa.desk.by(spa.reception).write(appointments.book, spa.business, customer_id=maria,
                                             service_id=spa.swedish, starts_at=at(THU, 10), cover_holding_id=credit)
    assert third.coverage.ok and third.coverage.take.value == 2000
    assert third.coverage.note == "only $20.00 free of $200.00 left: $180.00 held for Tue 3 Mar, Wed 4 Mar"
    held = view(spa, credit)
    assert (held.held, held.available) == (20000, 0)  # never more than is left
    assert held.balance_text == "$200.00 of $200.00 · $200.00 held"
    with pytest.raises(InvalidInput) as refused:
        book(spa, maria, at(FRI, 10), cover_holding_id=credit)
    assert refused.value.fields["cover"] == (
        "Spa Credit has no credit free: $200.00 left, $200.00 held for Tue 3 Mar, Wed 4 Mar, Thu 5 Mar. "
        "Book it without the package, or free one of those.")


def test_a_fixed_bundle_holds_one_on_the_matching_line(spa: Spa, maria: int) -> None:
    journey = spa.sell(maria, spa.package(Terms(
        title="Journey", contents=Contents.FIXED, value_type=None, price=0,
        fixed_lines=(FixedLine(spa.swedish, "Swedish Massage", 1), FixedLine(spa.thai, "Thai Massage", 2)))))
    book(spa, maria, at(TUE, 10), spa.thai, cover_holding_id=journey)
    held = view(spa, journey)
    thai_line = held.lines[1].line_id
    assert [(hold.line_id, hold.units) for hold in held.holds] == [(thai_line, 1)]
    assert held.balance_text == "Swedish Massage 1 of 1, Thai Massage 2 of 2 · 1 held"
    book(spa, maria, at(WED, 10), spa.swedish, cover_holding_id=journey)
    book(spa, maria, at(THU, 10), spa.thai, cover_holding_id=journey)
    with pytest.raises(InvalidInput) as refused:
        book(spa, maria, at(FRI, 10), spa.swedish, cover_holding_id=journey)
    assert refused.value.fields["cover"] == (
        "Journey has no Swedish Massage free: 1 left, held for Wed 4 Mar 10:00. "
        "Book it without the package, or free that booking.")


def test_an_unlimited_pass_holds_nothing(spa: Spa, maria: int) -> None:
    sauna = spa.sell(maria, spa.package(Terms(title="Sauna week", value_type=ValueType.UNLIMITED, price=0,
                                              expires_in=Period(1, PeriodUnit.WEEKS))))
    for day in (TUE, WED, THU):
        book(spa, maria, at(day, 10), spa.sauna, cover_holding_id=sauna)
    held = view(spa, sauna)
    assert (held.holds, held.balance_text) == ((), "unlimited")


def test_a_booking_it_would_not_cover_for_another_reason_holds_nothing_and_still_books(spa: Spa, maria: int) -> None:
    monday = spa.sell(maria, visits(spa, 1, weekdays=frozenset({0})))
    tuesday = spa.desk.by(spa.reception).write(appointments.book, spa.business, customer_id=maria,
                                               service_id=spa.swedish, starts_at=at(TUE, 10), cover_holding_id=monday)
    assert tuesday.coverage.reasons == ("Mondays only",)
    assert view(spa, monday).holds == ()
    book(spa, maria, at(NEXT_MON, 10), cover_holding_id=monday)
    assert view(spa, monday).balance_text == "1 of 1 visit · 1 held"


# ---- refused when it would take more than is available ------------------------------------------------

def test_booking_more_than_is_free_is_refused_at_the_cover_field_with_nothing_saved(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits(spa, 3))
    for day in (TUE, FRI, NEXT_MON):
        book(spa, maria, at(day, 10), cover_holding_id=pack)
    before = counts(spa)
    with pytest.raises(InvalidInput) as refused:
        book(spa, maria, at(WED, 11), cover_holding_id=pack)
    assert refused.value.fields == {"cover": (
        "Massage Pack has no visit free: 3 left, 3 held for Tue 3 Mar, Fri 6 Mar, Mon 9 Mar. "
        "Book it without the package, or free one of those.")}
    assert counts(spa) == before
    assert view(spa, pack).balance_text == "3 of 3 visits · 3 held"
    book(spa, maria, at(WED, 11))  # without the package it books


def test_one_held_visit_is_named_with_its_time(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits(spa, 1))
    book(spa, maria, at(TUE, 10), cover_holding_id=pack)
    coverage = spa.desk.read(appointments.preview_cover, spa.business, customer_id=maria, service_id=spa.swedish,
                             holding_id=pack, starts_at=at(WED, 10))
    assert coverage.reasons == ("no visit free: 1 left, held for Tue 3 Mar 10:00",)


def test_a_used_up_pack_is_refused_too(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits(spa, 1))
    pay(spa, book(spa, maria, at(MON, 16)), "used", package=pack)
    with pytest.raises(InvalidInput) as refused:
        book(spa, maria, at(TUE, 10), cover_holding_id=pack)
    assert refused.value.fields["cover"] == "Massage Pack has no visits left. Book it without the package."


# ---- settled, released, moved ----------------------------------------------------------------------

def test_checkout_settles_the_hold(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits(spa, 5))
    booked = book(spa, maria, at(TUE, 10), cover_holding_id=pack)
    assert (view(spa, pack).remaining, view(spa, pack).held) == (5, 1)
    pay(spa, booked, "settle")
    assert (view(spa, pack).remaining, view(spa, pack).held) == (5 - 1, 0)
    assert view(spa, pack).balance_text == "4 of 5 visits"


def test_a_paid_booking_holds_nothing_even_when_another_appointment_was_given_back(spa: Spa, maria: int) -> None:
    """Whether a redemption stands for an appointment counts that appointment's reversals only:
    a visit given back on another appointment (anyone's) changes nothing about this one. (A free
    appointment shows it: no money paid it, only its standing redemption says it is settled.)"""
    pack = spa.sell(maria, visits(spa, 5))
    paid_ahead = book(spa, maria, at(TUE, 10), cover_holding_id=pack, price=0)
    pay(spa, paid_ahead, "ahead")  # paid before it begins: still booked, its redemption stands
    book(spa, maria, at(WED, 10), cover_holding_id=pack)  # holds one
    given_back = book(spa, maria, at(THU, 10), cover_holding_id=pack)
    pay(spa, given_back, "given back")
    spa.desk.by(spa.reception).write(appointments.cancel, spa.business, appointment_id=given_back)
    held = view(spa, pack)
    left = 5 - 1  # Tuesday's visit taken; Thursday's taken and given back
    assert (held.remaining, held.held, held.available) == (left, 1, left - 1)
    assert held.balance_text == f"{left} of 5 visits · 1 held"
    # at checkout too: three more visits are free for Friday (Wednesday's is held), not two
    for number, day in enumerate((FRI, NEXT_MON, date(2026, 3, 10))):
        pay(spa, book(spa, maria, at(day, 10), cover_holding_id=pack), f"more-{number}")
    assert (view(spa, pack).remaining, view(spa, pack).held) == (left - 3, 1)


def test_its_own_hold_is_free_to_it_at_checkout(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits(spa, 1))
    booked = book(spa, maria, at(TUE, 10), cover_holding_id=pack)
    receipt = pay(spa, booked, "own")
    assert [line.holding_id for line in receipt.payments] == [pack]
    assert view(spa, pack).balance_text == "0 of 1 visit"


def test_checkout_of_another_appointment_judges_against_what_is_free_and_says_held(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits(spa, 1))
    book(spa, maria, at(TUE, 10), cover_holding_id=pack)
    walk_in = book(spa, maria, at(MON, 16))
    with pytest.raises(NotCovered) as refused:
        pay(spa, walk_in, "walk-in", package=pack)
    assert refused.value.reasons == ("no visit free: 1 left, held for Tue 3 Mar 10:00",)
    [option] = spa.desk.read(checkout.options, spa.business, appointment_id=walk_in)
    assert (option.coverage.ok, option.is_default, option.holding.balance_text) == (
        False, False, "1 of 1 visit · 1 held")
    assert view(spa, pack).remaining == 1


def test_cancel_releases_the_hold(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits(spa, 1))
    booked = book(spa, maria, at(TUE, 10), cover_holding_id=pack)
    spa.desk.by(spa.reception).write(appointments.cancel, spa.business, appointment_id=booked)
    assert (view(spa, pack).held, view(spa, pack).balance_text) == (0, "1 of 1 visit")
    book(spa, maria, at(WED, 10), cover_holding_id=pack)  # the visit is free again


@pytest.mark.parametrize("forfeits", [False, True], ids=["returning policy", "forfeiting policy"])
def test_a_no_show_releases_the_hold(spa: Spa, maria: int, forfeits: bool) -> None:
    pack = spa.sell(maria, visits(spa, 2, cancel_notice_hours=24, no_show_forfeits=forfeits))
    missed = book(spa, maria, at(TUE, 10), cover_holding_id=pack)
    book(spa, maria, at(WED, 10), cover_holding_id=pack)
    spa.desk.by(spa.reception, at=at(TUE, 12)).write(appointments.no_show, spa.business, appointment_id=missed)
    held = view(spa, pack)
    left = 2 - (1 if forfeits else 0)  # a forfeiting policy takes the visit; a returning one takes nothing
    assert (held.remaining, held.held) == (left, 1)  # only Wednesday's booking holds now
    assert held.balance_text == f"{left} of 2 visits · 1 held"


def test_moving_the_appointment_keeps_its_hold(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits(spa, 1))
    booked = book(spa, maria, at(TUE, 10), cover_holding_id=pack)
    moved_to = spa.desk.write(appointments.reschedule, spa.business, appointment_id=booked, starts_at=at(THU, 15),
                              provider_id=None)
    assert moved_to.coverage.ok and moved_to.coverage.take.units == 1  # its own hold is free to it there
    [hold] = view(spa, pack).holds
    assert (hold.appointment_id, hold.starts_at, hold.units) == (booked, at(THU, 15), 1)
    # re-checked at its new time, its own hold is free to it; another booking still finds none
    moved = spa.desk.read(appointments.preview_cover, spa.business, customer_id=maria, service_id=spa.swedish,
                          holding_id=pack, starts_at=at(FRI, 10), appointment_id=booked)
    assert moved.ok and moved.take.units == 1
    other = spa.desk.read(appointments.preview_cover, spa.business, customer_id=maria, service_id=spa.swedish,
                          holding_id=pack, starts_at=at(FRI, 10))
    assert other.reasons == ("no visit free: 1 left, held for Thu 5 Mar 15:00",)


# ---- void, transfer, adjust, expiry, freeze with bookings holding -----------------------------------

def test_held_beyond_what_is_left_after_an_adjustment_down(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits(spa, 3))
    for day in (TUE, WED, THU):
        book(spa, maria, at(day, 10), cover_holding_id=pack)
    spa.desk.by(spa.manager).write(ledger.adjust, spa.business, holding_id=pack, delta=-2, reason="count")
    held = view(spa, pack)
    assert (held.remaining, held.held, held.available) == (1, 3, 0)
    assert held.balance_text == "1 of 3 visits · 3 held, 2 more than is left"


def test_void_with_bookings_holding_on_it(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits(spa, 3))
    booked = book(spa, maria, at(TUE, 10), cover_holding_id=pack)
    spa.desk.by(spa.manager).write(ledger.void, spa.business, holding_id=pack, reason="sold by mistake")
    held = view(spa, pack)
    assert (held.remaining, held.held, held.available, held.balance_text) == (0, 0, 0, "0 of 3 visits")
    coverage = spa.desk.read(appointments.preview_cover, spa.business, customer_id=maria, service_id=spa.swedish,
                             holding_id=pack, starts_at=at(TUE, 10), appointment_id=booked)
    assert coverage.reasons == ("void", "no visits left")


def test_transfer_with_bookings_holding_on_it(spa: Spa, maria: int) -> None:
    ben = spa.customer("Ben Okafor")
    pack = spa.sell(maria, visits(spa, 3))
    book(spa, maria, at(TUE, 10), cover_holding_id=pack)
    moved = spa.desk.by(spa.manager).write(lifecycle.transfer, spa.business, holding_id=pack, to_customer_id=ben,
                                           reason="a gift")
    # Maria's booking no longer holds on the moved holding, and nothing on Ben's new one
    assert (view(spa, pack).held, view(spa, moved.target.id).held) == (0, 0)
    assert view(spa, moved.target.id).balance_text == "3 of 3 visits"


def test_expiry_and_freeze_with_bookings_holding_on_it(spa: Spa, maria: int) -> None:
    pack = spa.sell(maria, visits(spa, 2, expires_in=Period(3, PeriodUnit.DAYS)))
    book(spa, maria, at(TUE, 10), cover_holding_id=pack)
    late = book(spa, maria, at(NEXT_MON, 10), cover_holding_id=pack)  # after its expiry: a warning, no hold
    assert late not in [hold.appointment_id for hold in view(spa, pack).holds]
    assert view(spa, pack).held == 1
    spa.desk.by(spa.manager).write(lifecycle.freeze, spa.business, holding_id=pack, first_day=TUE, last_day=TUE,
                                   reason="away")
    # frozen on Tuesday: Tuesday's booking would not be covered, so it holds nothing (next Monday is still
    # after the expiry, moved a day on by the freeze)
    held = view(spa, pack)
    assert (held.held, held.available) == (0, 2)
    assert held.balance_text == "2 of 2 visits"
