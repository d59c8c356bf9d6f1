"""Booking: defaults from the service, field messages, "to be covered by" a package checked at
booking time, and the customer's and the day's appointment lists. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import update
from sqlmodel import func, select

from frontdesk.domain.kinds import Role, Tender
from frontdesk.domain.terms import Terms, ValueType
from frontdesk.models import Appointment, Staff
from frontdesk.services import appointments, catalogue, sales, staff
from frontdesk.services.appointments import Booking
from frontdesk.services.errors import InvalidInput, NotAllowed, NotFound
from frontdesk.services.sales import TenderLine
from tests.store.conftest import Spa
from tests.store.test_examples import MON, NY, TUE, at, balance, pay


def book(spa: Spa, customer_id: int, service_id: int, starts_at: datetime, **extra: object) -> Booking:
    return spa.desk.by(spa.reception).write(appointments.book, spa.desk.business, customer_id=customer_id,
                                            service_id=service_id, starts_at=starts_at, **extra)


def appointment_count(spa: Spa) -> int:
    return spa.desk.read(lambda session: session.exec(select(func.count()).select_from(Appointment)).one())


def mondays_pack(spa: Spa) -> int:
    return spa.package(Terms(title="Monday pack", value_type=ValueType.VISITS, quantity=5, all_services=False,
                             service_ids=(spa.swedish,), price=35000, weekdays=frozenset({0})))


# ---- booking ------------------------------------------------------------------------------------

def test_duration_and_price_default_from_the_service(spa: Spa) -> None:
    maria = spa.customer()
    booking = book(spa, maria, spa.thai, at(TUE, 11), provider_id=spa.anna, note="  window seat ")
    view = booking.appointment
    assert (view.service_name, view.provider_name, view.duration_min, view.price) == (
        "Thai Massage", "Anna", 90, 10000)
    assert (view.status, view.paid, view.due, view.is_paid, view.customer_name) == (
        "booked", 0, 10000, False, "Maria Lopez")
    assert view.starts_at == at(TUE, 11)
    assert booking.coverage is None
    assert spa.desk.read(appointments.get_appointment, view.id) == view


def test_explicit_duration_and_price_are_kept(spa: Spa) -> None:
    maria = spa.customer()
    view = book(spa, maria, spa.swedish, at(TUE, 11), duration_min=90, price=5000).appointment
    assert (view.duration_min, view.price) == (90, 5000)
    free = book(spa, maria, spa.swedish, at(TUE, 14), price=0).appointment
    # nothing is due, but it still waits for its checkout (a visits package may pay it)
    assert (free.price, free.due, free.is_paid, free.needs_payment) == (0, 0, False, True)


def test_archived_service_and_provider_are_refused_with_field_messages(spa: Spa) -> None:
    maria = spa.customer()
    spa.desk.by(spa.manager).write(catalogue.archive_service, spa.sauna)
    spa.desk.by(spa.manager).write(catalogue.archive_provider, spa.ben)
    with pytest.raises(InvalidInput) as both:
        book(spa, maria, spa.sauna, at(TUE, 11), provider_id=spa.ben)
    assert both.value.fields == {"service": "Choose a service that is offered.",
                                 "provider": "Choose a provider who is working."}
    with pytest.raises(InvalidInput) as service_only:
        book(spa, maria, spa.sauna, at(TUE, 11), provider_id=spa.anna)
    assert service_only.value.fields == {"service": "Choose a service that is offered."}
    with pytest.raises(InvalidInput) as provider_only:
        book(spa, maria, spa.swedish, at(TUE, 11), provider_id=spa.ben)
    assert provider_only.value.fields == {"provider": "Choose a provider who is working."}
    with pytest.raises(InvalidInput) as unknown:
        book(spa, maria, 999, at(TUE, 11), provider_id=999)
    assert set(unknown.value.fields) == {"service", "provider"}
    assert appointment_count(spa) == 0


def test_bad_duration_price_and_naive_time_are_refused(spa: Spa) -> None:
    maria = spa.customer()
    with pytest.raises(InvalidInput) as refused:
        book(spa, maria, spa.swedish, datetime(2026, 3, 3, 11, 0), duration_min=0, price=-1)
    assert refused.value.fields == {"starts_at": "The start time needs a time zone.",
                                    "duration": "The duration must be at least 1 minute.",
                                    "price": "The price cannot be negative."}
    assert appointment_count(spa) == 0


def test_unknown_customer_and_reception_rights(spa: Spa) -> None:
    with pytest.raises(NotFound, match="No such customer"):
        book(spa, 999, spa.swedish, at(TUE, 11))
    inactive = spa.desk.by(spa.manager).write(staff.add_staff_member, name="Former colleague", role=Role.RECEPTION,
                                              pin=None).id
    spa.desk.write(lambda session: session.execute(update(Staff).where(Staff.id == inactive).values(active=False)))
    with pytest.raises(NotAllowed, match="inactive"):
        spa.desk.by(inactive).write(appointments.book, spa.desk.business, customer_id=spa.customer(),
                                    service_id=spa.swedish, starts_at=at(TUE, 11))
    assert appointment_count(spa) == 0


# ---- "to be covered by" -------------------------------------------------------------------------

def test_to_be_covered_by_a_package_that_covers(spa: Spa) -> None:
    maria = spa.customer()
    pack = spa.sell(maria, mondays_pack(spa))
    booking = book(spa, maria, spa.swedish, at(date(2026, 3, 9), 11), cover_holding_id=pack)
    assert booking.coverage is not None and booking.coverage.ok
    assert (booking.coverage.holding_id, booking.coverage.take.units, booking.coverage.take.value,
            booking.coverage.take.description) == (pack, 1, 8000, "1 visit")
    assert booking.appointment.cover_holding_id == pack
    assert balance(spa, pack) == "5 of 5 visits · 1 held"  # redeemed at checkout, held until then
    receipt = pay(spa, booking.appointment.id, "k")
    assert [line.holding_id for line in receipt.payments] == [pack]
    assert balance(spa, pack) == "4 of 5 visits"  # the redemption settles the hold


def test_to_be_covered_by_a_package_that_does_not_cover_warns_and_still_books(spa: Spa) -> None:
    maria = spa.customer()
    pack = spa.sell(maria, mondays_pack(spa))
    booking = book(spa, maria, spa.thai, at(TUE, 11), cover_holding_id=pack)
    assert booking.coverage is not None and not booking.coverage.ok
    assert booking.coverage.reasons == ("Thai Massage not included", "Mondays only")
    assert booking.coverage.take is None
    saved = spa.desk.read(appointments.get_appointment, booking.appointment.id)
    assert (saved.status, saved.cover_holding_id, saved.service_name) == ("booked", pack, "Thai Massage")
    assert appointment_count(spa) == 1


def test_to_be_covered_by_someone_elses_package_warns(spa: Spa) -> None:
    maria, ben = spa.customer(), spa.customer("Ben Okafor")
    bens = spa.sell(ben, mondays_pack(spa))
    booking = book(spa, maria, spa.swedish, at(date(2026, 3, 9), 11), cover_holding_id=bens)
    assert booking.coverage.reasons == ("belongs to another customer",)


def test_preview_cover_saves_nothing(spa: Spa) -> None:
    maria = spa.customer()
    pack = spa.sell(maria, mondays_pack(spa))
    ok = spa.desk.write(appointments.preview_cover, spa.desk.business, customer_id=maria, service_id=spa.swedish,
                        holding_id=pack, starts_at=at(date(2026, 3, 9), 11))
    assert ok.ok and ok.take.description == "1 visit"
    not_ok = spa.desk.read(appointments.preview_cover, spa.desk.business, customer_id=maria,
                           service_id=spa.swedish, holding_id=pack, starts_at=at(TUE, 11), duration_min=30)
    assert not_ok.reasons == ("Mondays only",)
    assert appointment_count(spa) == 0
    assert spa.desk.read(appointments.customer_appointments, customer_id=maria) == []
    assert balance(spa, pack) == "5 of 5 visits"


def test_preview_cover_of_a_minutes_package_uses_the_given_duration(spa: Spa) -> None:
    maria = spa.customer()
    hours = spa.sell(maria, spa.package(Terms(title="1 hour", value_type=ValueType.MINUTES, quantity=60,
                                              price=7000)))

    def preview(duration: int | None) -> tuple[str, ...]:
        return spa.desk.read(appointments.preview_cover, spa.desk.business, customer_id=maria, service_id=spa.thai,
                             holding_id=hours, starts_at=at(TUE, 11), duration_min=duration).reasons

    assert preview(None) == ("only 60 min left, needs 90",)
    assert preview(60) == ()


# ---- lists --------------------------------------------------------------------------------------

def test_customer_appointments_list_unpaid_first(spa: Spa) -> None:
    maria = spa.customer()
    paid = spa.book(maria, spa.swedish, at(MON, 9))
    pay(spa, paid, "paid", package=None, tenders=[TenderLine(Tender.CARD, 8000)])
    unpaid_early = spa.book(maria, spa.swedish, at(date(2026, 3, 4), 9))
    unpaid_late = spa.book(maria, spa.swedish, at(date(2026, 3, 6), 9))
    cancelled = spa.book(maria, spa.swedish, at(date(2026, 3, 10), 9))
    spa.desk.by(spa.reception).write(appointments.cancel, spa.desk.business, appointment_id=cancelled)
    old_paid = spa.book(maria, spa.swedish, at(date(2026, 2, 20), 9))
    pay(spa, old_paid, "old", package=None, tenders=[TenderLine(Tender.CASH, 8000)])
    other = spa.book(spa.customer("Ben Okafor"), spa.swedish, at(TUE, 9))
    listed = spa.desk.read(appointments.customer_appointments, customer_id=maria)
    assert [view.id for view in listed] == [unpaid_early, unpaid_late, cancelled, paid, old_paid]
    assert other not in [view.id for view in listed]
    # the limit applies to the paid and cancelled ones: an old debt is never paged away
    limited = spa.desk.read(appointments.customer_appointments, customer_id=maria, limit=1)
    assert [view.id for view in limited] == [unpaid_early, unpaid_late, cancelled]
    assert [(view.status, view.is_paid) for view in listed] == [
        ("booked", False), ("booked", False), ("cancelled", False), ("completed", True), ("completed", True)]


def test_day_appointments_are_those_of_the_local_day(spa: Spa) -> None:
    maria = spa.customer()
    late_monday = spa.book(maria, spa.sauna, at(MON, 23, 30))  # 04:30 UTC on Tuesday
    assert spa.desk.read(appointments.get_appointment, late_monday).starts_at.astimezone(timezone.utc).date() == TUE
    early_monday = spa.book(maria, spa.swedish, at(MON, 0, 0))
    monday_noon = spa.book(maria, spa.swedish, at(MON, 12))
    sunday_late = spa.book(maria, spa.swedish, at(date(2026, 3, 1), 23, 59))
    tuesday_early = spa.book(maria, spa.swedish, at(TUE, 0, 0))
    monday = spa.desk.read(appointments.day_appointments, spa.desk.business, day=MON)
    assert [view.id for view in monday] == [early_monday, monday_noon, late_monday]
    tuesday = spa.desk.read(appointments.day_appointments, spa.desk.business, day=TUE)
    assert [view.id for view in tuesday] == [tuesday_early]
    sunday = spa.desk.read(appointments.day_appointments, spa.desk.business, day=date(2026, 3, 1))
    assert [view.id for view in sunday] == [sunday_late]


def test_day_appointments_on_the_day_clocks_change(spa: Spa) -> None:
    maria = spa.customer()
    spring = date(2026, 3, 8)  # New York moves to summer time at 02:00: a 23-hour day
    first = spa.book(maria, spa.swedish, datetime.combine(spring, time(0, 30), NY))
    last = spa.book(maria, spa.swedish, datetime.combine(spring, time(23, 30), NY))
    next_day = spa.book(maria, spa.swedish, datetime.combine(spring + timedelta(days=1), time(0, 15), NY))
    day = spa.desk.read(appointments.day_appointments, spa.desk.business, day=spring)
    assert [view.id for view in day] == [first, last]
    assert [view.id for view in spa.desk.read(appointments.day_appointments, spa.desk.business,
                                              day=spring + timedelta(days=1))] == [next_day]


def test_a_busy_day_is_read_a_page_at_a_time(spa: Spa) -> None:
    """Twelve appointments on the hour from 08:00 to 19:00, read five at a time: each page holds
    the day's next five in time order; a page past the end is the day's last."""
    maria = spa.customer()
    hourly = [spa.book(maria, spa.swedish, at(MON, hour)) for hour in range(8, 20)]
    spa.book(maria, spa.swedish, at(TUE, 9))  # another day: never counted

    def page(first: int | None, *, desk=spa.desk) -> appointments.DayPage:
        return desk.read(appointments.day_page, desk.business, day=MON, first=first, limit=5)

    pages = [page(first) for first in (0, 5, 10)]
    assert [[view.id for view in each.appointments] for each in pages] == [hourly[0:5], hourly[5:10], hourly[10:12]]
    assert [(each.first, each.total, each.earlier, each.later) for each in pages] == [
        (0, 12, False, True), (5, 12, True, True), (10, 12, True, False)]
    assert [view.id for view in page(40).appointments] == hourly[7:12]  # the last five


def test_the_page_of_now_starts_with_what_began_two_hours_ago(spa: Spa) -> None:
    maria = spa.customer()
    hourly = [spa.book(maria, spa.swedish, at(MON, hour)) for hour in range(8, 20)]

    def now_page(hour: int, minute: int, limit: int = 5) -> list[int]:
        desk = spa.desk.at(at(MON, hour, minute))
        return [view.id for view in desk.read(appointments.day_page, desk.business, day=MON, limit=limit).appointments]

    assert now_page(7, 0) == hourly[0:5]  # before the day: its first page
    assert now_page(12, 30) == hourly[3:8]  # 10:30 and after: 11:00 is the first that began under two hours ago
    assert now_page(13, 0) == hourly[3:8]  # 11:00 began two hours ago to the minute: still on the page
    assert now_page(19, 30) == hourly[7:12]  # late: the last five, a full page
    assert now_page(19, 30, limit=20) == hourly  # a day that fits on a page is read whole
    empty = spa.desk.read(appointments.day_page, spa.desk.business, day=date(2026, 3, 4))
    assert (empty.appointments, empty.total, empty.earlier, empty.later) == ([], 0, False, False)


def test_an_uncharged_no_show_owes_nothing(spa: Spa) -> None:
    maria = spa.customer()
    missed = spa.book(maria, spa.swedish, at(MON, 9))
    spa.desk.by(spa.reception).write(appointments.no_show, spa.desk.business, appointment_id=missed)
    view = spa.desk.read(appointments.get_appointment, missed)
    assert view.status == "no-show" and not view.is_paid and not view.needs_payment
    booked = spa.book(maria, spa.swedish, at(TUE, 9))
    listed = spa.desk.read(appointments.customer_appointments, customer_id=maria)
    assert [view.id for view in listed] == [booked, missed]  # the booked one is the one to pay


def test_the_desk_clock_is_used_when_no_time_is_given(spa: Spa) -> None:
    maria = spa.customer()
    pack = spa.package(Terms(title="Pack", value_type=ValueType.VISITS, quantity=1))
    holding = spa.desk.by(spa.reception).write(sales.sell, spa.desk.business, customer_id=maria, package_id=pack,
                                               tenders=[])
    assert holding.purchased_at == spa.desk.now()
