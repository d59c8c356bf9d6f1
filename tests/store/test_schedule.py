"""The day book's checks (DESIGN §9): a provider busy then, a service they do not give, outside
opening hours, a time gone by (a manager may enter it, with a reason), the customer's own overlap
as a warning; the next free start; moving an appointment; two desks booking one provider at
once. SQLite and PostgreSQL."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from datetime import datetime, time, timedelta

import pytest

from frontdesk.db import create_db_engine
from frontdesk.domain.terms import Terms, ValueType
from frontdesk.services import appointments, audit, schedule
from frontdesk.services.desk import Desk
from frontdesk.services.errors import InvalidInput, NotAllowed
from tests.store.conftest import Spa
from tests.store.test_examples import MON, TUE, at

WED, SAT, SUN = TUE + timedelta(days=1), TUE + timedelta(days=4), TUE + timedelta(days=5)
WEEK = [(time(9), time(18))] * 5 + [(time(10), time(17)), None]  # Mon–Fri 9–18, Sat 10–17, Sun closed


def book(spa: Spa, customer: int, service: int, starts_at: datetime, *, by: int | None = None, **extra: object):
    return spa.desk.by(by or spa.reception).write(appointments.book, spa.business, customer_id=customer,
                                                  service_id=service, starts_at=starts_at, **extra)


def refusal(spa: Spa, customer: int, service: int, starts_at: datetime, **extra: object) -> dict[str, str]:
    with pytest.raises(InvalidInput) as refused:
        book(spa, customer, service, starts_at, **extra)
    return refused.value.fields


def trail(spa: Spa, kind: audit.AuditKind) -> list[str]:
    return [line.detail for line in spa.desk.by(spa.manager).read(audit.events, kind=kind)]


def count(spa: Spa, customer: int) -> int:
    return len(spa.desk.read(appointments.customer_appointments, customer_id=customer))


def test_a_provider_busy_then_is_refused_and_back_to_back_is_fine(spa: Spa, maria: int) -> None:
    ana = spa.customer("Ana Silva")
    first = book(spa, maria, spa.swedish, at(TUE, 15), provider_id=spa.anna).appointment.id
    # Thai is 90 minutes: 14:00–15:30 runs into Anna's 15:00–16:00
    assert refusal(spa, ana, spa.thai, at(TUE, 14), provider_id=spa.anna) == {
        "provider": "Anna is booked 15:00–16:00 (Swedish Massage)."}
    assert refusal(spa, ana, spa.swedish, at(TUE, 15, 45), provider_id=spa.anna) == {
        "provider": "Anna is booked 15:00–16:00 (Swedish Massage)."}
    book(spa, ana, spa.swedish, at(TUE, 14), provider_id=spa.anna)  # ends as hers begins
    book(spa, ana, spa.swedish, at(TUE, 16), provider_id=spa.anna)  # begins as hers ends
    book(spa, ana, spa.sauna, at(TUE, 15))  # no provider: nobody's time
    assert count(spa, ana) == 3

    # a cancelled appointment and a no-show leave the time free
    spa.desk.by(spa.reception).write(appointments.cancel, spa.business, appointment_id=first)
    again = book(spa, ana, spa.swedish, at(TUE, 15), provider_id=spa.anna).appointment.id
    spa.desk.by(spa.reception).at(at(TUE, 15, 20)).write(appointments.no_show, spa.business, appointment_id=again)
    book(spa, maria, spa.swedish, at(TUE, 15), provider_id=spa.anna)
    assert count(spa, maria) == 2


def test_a_provider_who_does_not_give_the_service_is_refused(spa: Spa, maria: int) -> None:
    with pytest.raises(NotAllowed, match="Only a manager"):
        spa.desk.by(spa.reception).write(schedule.set_provider_services, provider_id=spa.anna, all_services=False,
                                         service_ids=[spa.swedish])
    given = spa.desk.by(spa.manager).write(schedule.set_provider_services, provider_id=spa.anna, all_services=False,
                                           service_ids=[spa.swedish, spa.sauna])
    assert (given.all_services, given.service_ids) == (False, {spa.swedish, spa.sauna})
    assert trail(spa, audit.AuditKind.PROVIDER_SERVICES) == ["Anna: every service → Sauna, Swedish Massage"]
    assert refusal(spa, maria, spa.thai, at(TUE, 11), provider_id=spa.anna) == {
        "provider": "Anna doesn't give Thai Massage."}
    book(spa, maria, spa.thai, at(TUE, 11), provider_id=spa.ben)  # Ben gives every service still
    book(spa, maria, spa.swedish, at(TUE, 14), provider_id=spa.anna)
    with pytest.raises(InvalidInput) as nothing:
        spa.desk.by(spa.manager).write(schedule.set_provider_services, provider_id=spa.ben, all_services=False)
    assert set(nothing.value.fields) == {"services"}


def test_bookings_fit_the_opening_hours_once_there_are_any(spa: Spa, maria: int) -> None:
    book(spa, maria, spa.sauna, at(TUE, 3))  # no hours kept: no hours check
    with pytest.raises(NotAllowed):
        spa.desk.by(spa.reception).write(schedule.set_opening_hours, days=WEEK)
    with pytest.raises(InvalidInput) as backwards:
        spa.desk.by(spa.manager).write(schedule.set_opening_hours, days=WEEK[:2] + [(time(18), time(9))] + WEEK[3:])
    assert backwards.value.fields == {"day-2": "Wednesday: closing must be after opening."}
    assert spa.desk.read(schedule.opening_hours) is None  # nothing half-saved
    spa.desk.by(spa.manager).write(schedule.set_opening_hours, days=WEEK)
    assert trail(spa, audit.AuditKind.HOURS_SET) == [
        "none kept → Mon–Fri 09:00–18:00 · Sat 10:00–17:00 · Sun closed"]

    assert refusal(spa, maria, spa.sauna, at(TUE, 8, 30)) == {"starts_at": "We open 09:00–18:00 on Tuesdays."}
    # the whole appointment inside the hours: 17:30 + 60 min ends at 18:30
    assert refusal(spa, maria, spa.swedish, at(TUE, 17, 30)) == {"starts_at": "We open 09:00–18:00 on Tuesdays."}
    assert refusal(spa, maria, spa.swedish, at(SAT, 9, 30)) == {"starts_at": "We open 10:00–17:00 on Saturdays."}
    assert refusal(spa, maria, spa.sauna, at(SUN, 12)) == {"starts_at": "We are closed on Sundays."}
    book(spa, maria, spa.swedish, at(TUE, 17))  # ends at closing
    book(spa, maria, spa.swedish, at(SAT, 10))
    assert count(spa, maria) == 3


def test_a_time_gone_by_is_a_managers_with_a_reason(spa: Spa, maria: int) -> None:
    gone = at(MON, 8)  # two hours before the test clock (Monday 10:00)
    past = {"starts_at": "That time has passed; a manager can enter it with a reason."}
    assert refusal(spa, maria, spa.swedish, gone) == past
    assert refusal(spa, maria, spa.swedish, gone, by=spa.manager) == past
    with pytest.raises(NotAllowed, match="Only a manager"):
        book(spa, maria, spa.swedish, gone, override=True, reason="came in, not entered")
    assert refusal(spa, maria, spa.swedish, gone, by=spa.manager, override=True) == {"reason": "Give a reason."}
    assert count(spa, maria) == 0
    booking = book(spa, maria, spa.swedish, gone, by=spa.manager, override=True, reason="came in, not entered",
                   provider_id=spa.anna)
    assert booking.appointment.starts_at == gone
    [detail] = trail(spa, audit.AuditKind.BOOKED)
    assert detail == ("Swedish Massage Mon 2 Mar 2026 08:00; entered by a manager "
                      "(That time has passed; a manager can enter it with a reason.): came in, not entered")
    # an override lets a start through, never a clash
    assert refusal(spa, spa.customer("Ana Silva"), spa.swedish, at(MON, 8, 30), by=spa.manager, override=True,
                   reason="late entry", provider_id=spa.anna) == {
        "provider": "Anna is booked 08:00–09:00 (Swedish Massage)."}


def test_the_customers_own_overlap_is_a_warning(spa: Spa, maria: int) -> None:
    book(spa, maria, spa.swedish, at(TUE, 15), provider_id=spa.anna)
    booking = book(spa, maria, spa.sauna, at(TUE, 15, 30))
    assert booking.warnings == ("Maria Lopez is already booked 15:00–16:00 (Swedish Massage with Anna).",)
    assert book(spa, maria, spa.sauna, at(TUE, 16)).warnings == ()
    checked = spa.desk.read(schedule.check_booking, spa.business, customer_id=maria, service_id=spa.thai,
                            starts_at=at(TUE, 15, 30), provider_id=spa.anna)
    assert checked.errors == {"provider": "Anna is booked 15:00–16:00 (Swedish Massage)."}
    # Thai is 90 minutes: 15:30–17:00 meets all three of hers
    assert checked.warnings == ("Maria Lopez is already booked 15:00–16:00 (Swedish Massage with Anna).",
                                "Maria Lopez is already booked 15:30–16:00 (Sauna).",
                                "Maria Lopez is already booked 16:00–16:30 (Sauna).")
    assert count(spa, maria) == 3  # the check saved nothing


def test_the_suggested_start_is_the_next_free_slot(spa: Spa, maria: int) -> None:
    spa.desk.by(spa.manager).write(schedule.set_opening_hours, days=[(time(9), time(18))] * 7)
    early = spa.desk.at(at(TUE, 5, 10))

    def suggest(service: int, provider: int | None = None, after: datetime | None = None):
        return early.read(schedule.suggest_start, spa.business, service_id=service, provider_id=provider,
                          after=after)

    assert suggest(spa.swedish, spa.anna) == schedule.Suggestion(at(TUE, 9), spa.anna, "Anna")
    spa.desk.by(spa.reception).at(at(TUE, 5, 10)).write(
        appointments.book, spa.business, customer_id=maria, service_id=spa.swedish, starts_at=at(TUE, 9),
        provider_id=spa.anna)
    assert suggest(spa.swedish, spa.anna).starts_at == at(TUE, 10)
    assert suggest(spa.swedish) == schedule.Suggestion(at(TUE, 9), spa.ben, "Ben")  # the earliest of the two
    # 90 minutes from 17:00 would end after closing: the next morning
    assert suggest(spa.thai, spa.anna, after=at(TUE, 17)).starts_at == at(WED, 9)
    # on the quarter hour after `after`
    assert suggest(spa.sauna, spa.ben, after=at(TUE, 11, 5)).starts_at == at(TUE, 11, 15)
    spa.desk.by(spa.manager).write(schedule.set_provider_services, provider_id=spa.ben, all_services=False,
                                   service_ids=[spa.sauna])
    assert suggest(spa.swedish) == schedule.Suggestion(at(TUE, 10), spa.anna, "Anna")  # Ben does not give it


def test_moving_an_appointment_is_checked_and_on_the_trail(spa: Spa, maria: int) -> None:
    ana = spa.customer("Ana Silva")
    book(spa, ana, spa.swedish, at(TUE, 11), provider_id=spa.anna)
    moving = book(spa, maria, spa.swedish, at(TUE, 15), provider_id=spa.anna).appointment.id

    def move(starts_at: datetime, provider: int | None, **extra: object):
        return spa.desk.by(spa.reception).write(appointments.reschedule, spa.business, appointment_id=moving,
                                                starts_at=starts_at, provider_id=provider, **extra)

    with pytest.raises(InvalidInput) as clash:
        move(at(TUE, 11, 30), spa.anna)
    assert clash.value.fields == {"provider": "Anna is booked 11:00–12:00 (Swedish Massage)."}
    with pytest.raises(InvalidInput) as gone:
        move(at(MON, 9), spa.anna)
    assert gone.value.fields == {"starts_at": "That time has passed; a manager can enter it with a reason."}
    moved = move(at(TUE, 15, 30), spa.anna)  # overlapping only its own old time
    assert (moved.appointment.starts_at, moved.appointment.provider_name, moved.warnings) == (
        at(TUE, 15, 30), "Anna", ())
    move(at(TUE, 11, 30), spa.ben)
    assert trail(spa, audit.AuditKind.RESCHEDULED) == [
        "Swedish Massage: Tue 3 Mar 2026 15:30 with Anna → Tue 3 Mar 2026 11:30 with Ben",
        "Swedish Massage: Tue 3 Mar 2026 15:00 with Anna → Tue 3 Mar 2026 15:30 with Anna",
    ]
    spa.desk.by(spa.reception).write(appointments.cancel, spa.business, appointment_id=moving)
    with pytest.raises(InvalidInput, match="Only a booked appointment can be moved"):
        move(at(TUE, 16), spa.ben)


def test_moving_a_covered_appointment_says_whether_it_is_still_covered(spa: Spa, maria: int) -> None:
    mondays = spa.package(Terms(title="Monday pack", value_type=ValueType.VISITS, quantity=5, all_services=False,
                                service_ids=(spa.swedish,), price=35000, weekdays=frozenset({0})))
    holding = spa.sell(maria, mondays)
    monday = MON + timedelta(days=7)
    booked = book(spa, maria, spa.swedish, at(monday, 11), cover_holding_id=holding).appointment.id
    moved = spa.desk.by(spa.reception).write(appointments.reschedule, spa.business, appointment_id=booked,
                                             starts_at=at(TUE, 11), provider_id=None)
    assert not moved.coverage.ok and moved.coverage.reasons
    back = spa.desk.by(spa.reception).write(appointments.reschedule, spa.business, appointment_id=booked,
                                            starts_at=at(monday, 12), provider_id=None)
    assert back.coverage.ok


# ---- two desks at once --------------------------------------------------------------------------

DESKS = 4


def _desk(url: str, staff: int, customer: int, service: int, provider: int, starts_at: datetime,
          barrier: multiprocessing.synchronize.Barrier, results: multiprocessing.Queue) -> None:
    """One desk: book the provider at `starts_at`, once everyone is at the start line."""
    from tests.conftest import NOW, new_business
    engine = create_db_engine(url)
    desk = Desk(engine, new_business(), clock=lambda: NOW)
    with engine.connect():
        pass  # connected before the start line: the race is about the bookings
    barrier.wait()
    try:
        desk.by(staff).write(appointments.book, desk.business, customer_id=customer, service_id=service,
                             starts_at=starts_at, provider_id=provider)
        results.put("booked")
    except InvalidInput as error:
        results.put("busy" if error.fields.get("provider", "").startswith("Anna is booked") else f"other: {error}")
    except Exception as error:  # reported, so the test shows it instead of hanging
        results.put(f"error: {type(error).__name__}: {error}")
    engine.dispose()


def test_desks_booking_one_provider_at_overlapping_times_book_once(spa: Spa, database_url: str) -> None:
    customers = [spa.customer(f"Customer {n}") for n in range(DESKS)]
    context = multiprocessing.get_context("fork")  # the parent has imported everything: a child starts at once
    barrier = context.Barrier(DESKS, timeout=60)
    results = context.Queue()
    # 15:00, 15:15, 15:30, 15:45, each an hour: every two of them overlap
    processes = [context.Process(target=_desk, args=(database_url, spa.reception, customer, spa.swedish, spa.anna,
                                                     at(TUE, 15, 15 * n), barrier, results))
                 for n, customer in enumerate(customers)]
    for process in processes:
        process.start()
    outcomes = Counter(results.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    assert outcomes == Counter({"booked": 1, "busy": DESKS - 1})
    assert sum(count(spa, customer) for customer in customers) == 1
