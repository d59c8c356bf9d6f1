"""Coverage: every rule, every reason, what a redemption takes, and the default choice."""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.coverage import (
    AppointmentFacts,
    HoldingFacts,
    LineBalance,
    Take,
    allows_day,
    covers,
    default_choice,
    rank,
)
from frontdesk.domain.money import currency_for
from frontdesk.domain.periods import local_date, valid_until
from frontdesk.domain.terms import Contents, FixedLine, Period, PeriodUnit, Terms, ValueType

USD = currency_for("USD")
UTC_ZONE = ZoneInfo("UTC")
NEW_YORK = ZoneInfo("America/New_York")
SWEDISH, THAI, SAUNA = 1, 2, 3
NAMES = {SWEDISH: "Swedish Massage", THAI: "Thai Massage", SAUNA: "Sauna"}
ANNA, BEN = 7, 8
NOW = datetime(2027, 3, 1, 8, tzinfo=UTC)  # Monday 1 Mar 2027
MON_1_MAR = datetime(2027, 3, 1, 10, tzinfo=UTC)


def any_terms(value_type=ValueType.VISITS, quantity=5, services=(SWEDISH,), **changes) -> Terms:
    return Terms(
        "Pack", value_type=value_type, quantity=quantity, all_services=not services, service_ids=tuple(services),
        service_names=tuple(NAMES[s] for s in services), **changes,
    )


FIXED = Terms(
    "Swedish then Thai", contents=Contents.FIXED, value_type=None,
    fixed_lines=(FixedLine(SWEDISH, "Swedish Massage", 1), FixedLine(THAI, "Thai Massage", 2)),
)


def holding(terms: Terms, *, remaining=None, id=1, customer_id=1, voided=False,
            purchased_at=datetime(2027, 2, 20, 9, tzinfo=UTC), until="auto", tz=UTC_ZONE) -> HoldingFacts:
    if terms.contents is Contents.FIXED:
        counts = remaining or [line.quantity for line in terms.fixed_lines]
        lines = tuple(LineBalance(10 + i, line.service_id, line.quantity, left)
                      for i, line in enumerate(terms.fixed_lines, start=0) for left in [counts[i]])
    else:
        initial = terms.quantity or 0
        lines = (LineBalance(10, None, initial, initial if remaining is None else remaining),)
    if until == "auto":
        until = valid_until(local_date(purchased_at, tz), terms.expires_in)
    return HoldingFacts(id, customer_id, terms, purchased_at, until, voided, lines)


def appointment(service=SWEDISH, starts_at=MON_1_MAR, duration=60, price=8000, due=None, provider=None,
                customer_id=1) -> AppointmentFacts:
    return AppointmentFacts(
        None, customer_id, service, NAMES[service], provider, {ANNA: "Anna", BEN: "Ben"}.get(provider),
        starts_at, duration, price, price if due is None else due,
    )


def check(h: HoldingFacts, a: AppointmentFacts, now=NOW, tz=UTC_ZONE):
    return covers(h, a, now, tz=tz, currency=USD)


def reasons(h, a, now=NOW, tz=UTC_ZONE) -> tuple[str, ...]:
    return check(h, a, now, tz).reasons


# --- the feature's examples ------------------------------------------------------------------


def test_five_swedish_massage_visits():
    five = any_terms()
    verdict = check(holding(five), appointment())
    assert verdict.ok and verdict.holding_id == 1
    assert verdict.take == Take(line_id=10, units=1, value=8000, description="1 visit")
    assert reasons(holding(five), appointment(THAI)) == ("Thai Massage not included",)
    assert reasons(holding(five, remaining=0), appointment()) == ("no visits left",)
    assert check(holding(five, remaining=1), appointment()).ok


def test_four_hours_of_swedish_massage():
    four_hours = any_terms(ValueType.MINUTES, 240)
    assert check(holding(four_hours), appointment(duration=60)).take == Take(10, 60, 8000, "1 h")
    assert check(holding(four_hours), appointment(duration=90)).take == Take(10, 90, 8000, "1 h 30 min")
    assert check(holding(four_hours, remaining=60), appointment(duration=60)).ok
    assert reasons(holding(four_hours, remaining=30), appointment(duration=60)) == ("only 30 min left, needs 60",)
    assert reasons(holding(four_hours, remaining=0), appointment()) == ("no minutes left",)


def test_200_dollars_of_credit_within_one_month():
    credit = any_terms(ValueType.AMOUNT, 20000, services=(), expires_in=Period(1, PeriodUnit.MONTHS))
    partial = check(holding(credit, remaining=4000), appointment(THAI, price=8000))
    assert partial.take == Take(10, 4000, 4000, "$40.00 of $80.00")
    full = check(holding(credit), appointment(price=8000))
    assert full.take == Take(10, 8000, 8000, "$80.00 of $80.00")
    half_paid = check(holding(credit), appointment(price=8000, due=3000))
    assert half_paid.take == Take(10, 3000, 3000, "$30.00 of $30.00")
    assert reasons(holding(credit, remaining=0), appointment()) == ("no credit left",)
    # bought 31 Jan 2027: valid through 28 Feb, so 1 Mar is the first day it no longer works
    late = holding(credit, purchased_at=datetime(2027, 1, 31, 12, tzinfo=UTC))
    assert late.valid_until == date(2027, 2, 28)
    assert check(late, appointment(starts_at=datetime(2027, 2, 28, 18, tzinfo=UTC))).ok
    assert reasons(late, appointment(starts_at=MON_1_MAR)) == ("expired 1 Mar",)


def test_unlimited_sauna_for_one_week():
    sauna = any_terms(ValueType.UNLIMITED, None, services=(SAUNA,), expires_in=Period(1, PeriodUnit.WEEKS))
    week = holding(sauna, purchased_at=datetime(2027, 3, 1, 9, tzinfo=UTC))
    assert week.valid_until == date(2027, 3, 8)
    last_day = check(week, appointment(SAUNA, starts_at=datetime(2027, 3, 8, 20, tzinfo=UTC)))
    assert last_day.take == Take(10, 0, 8000, "unlimited use")
    assert reasons(week, appointment(SAUNA, starts_at=datetime(2027, 3, 9, 9, tzinfo=UTC))) == ("expired 9 Mar",)
    assert check(holding(sauna, remaining=0, purchased_at=NOW), appointment(SAUNA, starts_at=MON_1_MAR)).ok


def test_fixed_one_swedish_then_two_thai():
    fresh = holding(FIXED)
    assert check(fresh, appointment(SWEDISH)).take == Take(10, 1, 8000, "1 × Swedish Massage")
    assert check(fresh, appointment(THAI)).take == Take(11, 1, 8000, "1 × Thai Massage")
    swedish_used = holding(FIXED, remaining=[0, 2])
    assert reasons(swedish_used, appointment(SWEDISH)) == ("no Swedish Massage left",)
    assert reasons(fresh, appointment(SAUNA)) == ("Sauna not included",)


def test_fixed_takes_from_the_first_line_of_that_service_with_something_left():
    twice = replace(FIXED, fixed_lines=FIXED.fixed_lines + (FixedLine(SWEDISH, "Swedish Massage", 1),))
    assert check(holding(twice), appointment()).take.line_id == 10
    assert check(holding(twice, remaining=[0, 2, 1]), appointment()).take.line_id == 12
    assert reasons(holding(twice, remaining=[0, 2, 0]), appointment()) == ("no Swedish Massage left",)


def test_ten_massage_visits_within_two_months():
    ten = any_terms(quantity=10, services=(SWEDISH, THAI), expires_in=Period(2, PeriodUnit.MONTHS))
    h = holding(ten, purchased_at=datetime(2027, 3, 15, 9, tzinfo=UTC))
    assert h.valid_until == date(2027, 5, 15)
    assert check(h, appointment(THAI, starts_at=datetime(2027, 5, 15, 16, tzinfo=UTC))).ok
    assert reasons(h, appointment(starts_at=datetime(2027, 5, 16, 9, tzinfo=UTC))) == ("expired 16 May",)
    assert reasons(h, appointment(SAUNA, starts_at=datetime(2027, 4, 1, 9, tzinfo=UTC))) == ("Sauna not included",)


def test_five_basic_lessons_sold_for_250_pay_each_lesson_in_full():
    lessons = replace(any_terms(), service_names=("Basic Lesson",), price=25000)
    verdict = check(holding(lessons), appointment(price=6000))
    assert verdict.take == Take(10, 1, 6000, "1 visit")  # the lesson is paid, whatever the pack cost


def test_a_holding_without_balance_lines_covers_nothing():
    assert reasons(replace(holding(any_terms()), lines=()), appointment()) == ("no balance",)


def test_all_services():
    assert check(holding(any_terms(services=())), appointment(SAUNA)).ok


# --- restrictions ----------------------------------------------------------------------------


def test_provider_only():
    anna = any_terms(provider_id=ANNA, provider_name="Anna")
    assert check(holding(anna), appointment(provider=ANNA)).ok
    assert reasons(holding(anna), appointment(provider=BEN)) == ("with Anna only",)
    assert reasons(holding(anna), appointment(provider=None)) == ("with Anna only",)
    assert check(holding(any_terms()), appointment(provider=BEN)).ok


def test_weekdays():
    tuesday = appointment(starts_at=datetime(2027, 3, 2, 10, tzinfo=UTC))
    assert check(holding(any_terms(weekdays=frozenset({0}))), appointment()).ok
    assert reasons(holding(any_terms(weekdays=frozenset({0}))), tuesday) == ("Mondays only",)
    assert reasons(holding(any_terms(weekdays=frozenset({0, 2}))), tuesday) == ("Mondays and Wednesdays only",)
    assert reasons(holding(any_terms(weekdays=frozenset({4, 0, 2}))), tuesday) == ("Mon, Wed, Fri only",)


def at(hour, minute=0, day=1):
    return datetime(2027, 3, day, hour, minute, tzinfo=UTC)


def test_time_window_holds_the_whole_appointment():
    morning = holding(any_terms(window=(time(10), time(13))))
    assert check(morning, appointment(starts_at=at(12), duration=60)).ok  # 12:00–13:00
    assert check(morning, appointment(starts_at=at(10), duration=180)).ok  # 10:00–13:00
    assert reasons(morning, appointment(starts_at=at(12, 30), duration=60)) == ("10:00–13:00 only",)
    assert reasons(morning, appointment(starts_at=at(9, 30), duration=60)) == ("10:00–13:00 only",)
    assert reasons(morning, appointment(starts_at=at(13), duration=30)) == ("10:00–13:00 only",)
    late = holding(any_terms(window=(time(20), time(23, 59))))
    assert reasons(late, appointment(starts_at=at(23), duration=90)) == ("20:00–23:59 only",)  # past midnight


def test_date_range():
    march = holding(any_terms(date_range=(date(2027, 3, 1), date(2027, 3, 31))))
    assert check(march, appointment(starts_at=at(10, day=31))).ok
    april = appointment(starts_at=datetime(2027, 4, 1, 10, tzinfo=UTC))
    assert reasons(march, april) == ("1–31 Mar only",)
    assert reasons(march, april, now=datetime(2026, 12, 1, tzinfo=UTC)) == ("1–31 Mar 2027 only",)


def test_fixed_dates():
    two_days = holding(any_terms(fixed_dates=(date(2027, 3, 12), date(2027, 3, 5))))
    assert check(two_days, appointment(starts_at=at(10, day=5))).ok
    assert reasons(two_days, appointment(starts_at=at(10, day=6))) == ("only on 5 Mar, 12 Mar",)


def test_allows_day_judges_weekdays_date_range_and_fixed_dates():
    monday, tuesday, april = date(2027, 3, 1), date(2027, 3, 2), date(2027, 4, 5)
    assert allows_day(any_terms(), tuesday)  # no restriction
    assert allows_day(any_terms(weekdays=frozenset({0})), monday)
    assert not allows_day(any_terms(weekdays=frozenset({0})), tuesday)
    march = any_terms(date_range=(date(2027, 3, 1), date(2027, 3, 31)))
    assert allows_day(march, monday) and allows_day(march, date(2027, 3, 31)) and not allows_day(march, april)
    two_days = any_terms(fixed_dates=(date(2027, 3, 12), date(2027, 3, 5)))
    assert allows_day(two_days, date(2027, 3, 5)) and not allows_day(two_days, monday)
    mondays_in_march = any_terms(weekdays=frozenset({0}), date_range=(date(2027, 3, 1), date(2027, 3, 31)))
    assert allows_day(mondays_in_march, monday)
    assert not allows_day(mondays_in_march, tuesday) and not allows_day(mondays_in_march, april)  # 5 Apr is a Monday
    assert allows_day(any_terms(window=(time(10), time(13))), monday)  # the time of day is not a day rule


def test_not_valid_before_the_purchase_day():
    h = holding(any_terms(), purchased_at=datetime(2027, 3, 3, 15, tzinfo=UTC))
    assert reasons(h, appointment(starts_at=at(10, day=2))) == ("not valid before 3 Mar",)
    assert check(h, appointment(starts_at=at(9, day=3))).ok  # earlier the same day is fine


def test_expired_in_another_year_says_the_year():
    h = holding(any_terms(), until=date(2027, 1, 12), purchased_at=datetime(2027, 1, 2, tzinfo=UTC))
    a = appointment(starts_at=datetime(2027, 1, 20, 10, tzinfo=UTC))
    assert reasons(h, a, now=datetime(2027, 1, 20, tzinfo=UTC)) == ("expired 13 Jan",)
    assert reasons(h, a, now=datetime(2028, 1, 5, tzinfo=UTC)) == ("expired 13 Jan 2027",)


def test_other_customer_and_void():
    assert reasons(holding(any_terms(), customer_id=2), appointment()) == ("belongs to another customer",)
    assert reasons(holding(any_terms(), voided=True), appointment()) == ("void",)


def test_all_failing_rules_are_reported_in_rule_order():
    terms = any_terms(ValueType.MINUTES, 240, provider_id=ANNA, provider_name="Anna", weekdays=frozenset({0}),
                      window=(time(10), time(13)), date_range=(date(2027, 3, 1), date(2027, 3, 31)),
                      fixed_dates=None)
    h = holding(terms, remaining=30, customer_id=2, voided=True, until=date(2027, 3, 5),
                purchased_at=datetime(2027, 3, 1, 9, tzinfo=UTC))
    a = appointment(THAI, starts_at=datetime(2027, 4, 6, 12, 30, tzinfo=UTC), duration=60, provider=BEN)
    verdict = check(h, a)
    assert verdict.take is None and not verdict.ok
    assert verdict.reasons == (
        "belongs to another customer",
        "void",
        "Thai Massage not included",
        "with Anna only",
        "expired 6 Mar",
        "Mondays only",
        "10:00–13:00 only",
        "1–31 Mar only",
        "only 30 min left, needs 60",
    )
    early = holding(any_terms(fixed_dates=(date(2027, 3, 12),)), remaining=0,
                    purchased_at=datetime(2027, 3, 3, 9, tzinfo=UTC))
    assert reasons(early, appointment(starts_at=at(10, day=2))) == (
        "not valid before 3 Mar", "only on 12 Mar", "no visits left",
    )


# --- time zones --------------------------------------------------------------------------------


def test_weekday_and_window_are_judged_in_local_time():
    mondays = holding(any_terms(weekdays=frozenset({0}), window=(time(22), time(23, 59))),
                      purchased_at=datetime(2027, 2, 1, tzinfo=UTC))
    # Monday 1 Mar 23:30 in New York is Tuesday 2 Mar 04:30 UTC
    a = appointment(starts_at=datetime(2027, 3, 2, 4, 30, tzinfo=UTC), duration=20)
    assert check(mondays, a, tz=NEW_YORK).ok
    assert reasons(mondays, a, tz=UTC_ZONE) == ("Mondays only", "22:00–23:59 only")
    # 23:30 UTC on Monday is 18:30 in New York: still Monday there, but outside the window
    b = appointment(starts_at=datetime(2027, 3, 1, 23, 30, tzinfo=UTC), duration=20)
    assert check(mondays, b, tz=UTC_ZONE).ok
    assert reasons(mondays, b, tz=NEW_YORK) == ("22:00–23:59 only",)


def test_purchase_day_is_the_local_day():
    # bought Monday 1 Mar 20:00 in New York (01:00 UTC on 2 Mar); a visit at 21:00 that evening is fine
    h = holding(any_terms(), purchased_at=datetime(2027, 3, 2, 1, tzinfo=UTC), tz=NEW_YORK)
    a = appointment(starts_at=datetime(2027, 3, 2, 2, tzinfo=UTC))
    assert check(h, a, tz=NEW_YORK).ok
    assert reasons(h, appointment(starts_at=datetime(2027, 3, 1, 20, tzinfo=UTC)), tz=UTC_ZONE) == (
        "not valid before 2 Mar",
    )


# --- default choice --------------------------------------------------------------------------


def test_rank_and_default_choice():
    terms = any_terms()
    forever = holding(terms, id=1, until=None)
    april = holding(terms, id=2, until=date(2027, 4, 30))
    march_new = holding(terms, id=3, until=date(2027, 3, 31), purchased_at=datetime(2027, 2, 25, tzinfo=UTC))
    march_old = holding(terms, id=4, until=date(2027, 3, 31), purchased_at=datetime(2027, 2, 10, tzinfo=UTC))
    march_old_twin = holding(terms, id=5, until=date(2027, 3, 31), purchased_at=datetime(2027, 2, 10, tzinfo=UTC))
    empty_soonest = holding(terms, id=6, until=date(2027, 3, 10), remaining=0)
    empty_never = holding(terms, id=7, until=None, remaining=0)
    holdings = [forever, empty_never, april, march_new, empty_soonest, march_old_twin, march_old]
    ranked = rank(holdings, appointment(), NOW, tz=UTC_ZONE, currency=USD)
    assert [c.holding_id for c in ranked] == [4, 5, 3, 2, 1, 6, 7]
    assert [c.ok for c in ranked] == [True] * 5 + [False] * 2
    choice = default_choice(holdings, appointment(), NOW, tz=UTC_ZONE, currency=USD)
    assert choice is not None and choice.holding_id == 4 and choice.take.units == 1
    assert default_choice([empty_soonest, empty_never], appointment(), NOW, tz=UTC_ZONE, currency=USD) is None
    assert default_choice([], appointment(), NOW, tz=UTC_ZONE, currency=USD) is None


def _three_packs():
    """Three visit packs: one expiring in March (the usual default), one in April, one never."""
    terms = any_terms()
    return [holding(terms, id=1, until=None), holding(terms, id=2, until=date(2027, 4, 30)),
            holding(terms, id=3, until=date(2027, 3, 31))]


def test_the_holding_booked_for_is_the_default_when_it_covers():
    packs = _three_packs()
    ranked = rank(packs, appointment(), NOW, tz=UTC_ZONE, currency=USD, booked_for=1)
    assert [c.holding_id for c in ranked] == [1, 3, 2]  # booked for, then expiry order
    choice = default_choice(packs, appointment(), NOW, tz=UTC_ZONE, currency=USD, booked_for=1)
    assert choice is not None and choice.holding_id == 1


def test_the_holding_booked_for_that_does_not_cover_gives_way_to_the_next_default():
    terms = any_terms()
    used_up = holding(terms, id=4, until=date(2027, 3, 5), remaining=0)  # would expire first
    packs = [*_three_packs(), used_up]
    ranked = rank(packs, appointment(), NOW, tz=UTC_ZONE, currency=USD, booked_for=4)
    assert [c.holding_id for c in ranked] == [3, 2, 1, 4]
    assert [c.ok for c in ranked] == [True, True, True, False]
    choice = default_choice(packs, appointment(), NOW, tz=UTC_ZONE, currency=USD, booked_for=4)
    assert choice is not None and choice.holding_id == 3


def test_without_a_holding_booked_for_the_usual_order():
    packs = _three_packs()
    usual = [c.holding_id for c in rank(packs, appointment(), NOW, tz=UTC_ZONE, currency=USD)]
    assert usual == [3, 2, 1]
    for absent in (None, 99):  # none given, or one that is not among these holdings
        ranked = rank(packs, appointment(), NOW, tz=UTC_ZONE, currency=USD, booked_for=absent)
        assert [c.holding_id for c in ranked] == usual
        choice = default_choice(packs, appointment(), NOW, tz=UTC_ZONE, currency=USD, booked_for=absent)
        assert choice is not None and choice.holding_id == 3
    assert default_choice([], appointment(), NOW, tz=UTC_ZONE, currency=USD, booked_for=1) is None


# --- properties ------------------------------------------------------------------------------

moments = st.datetimes(min_value=datetime(2027, 1, 1), max_value=datetime(2027, 12, 31)).map(
    lambda d: d.replace(tzinfo=UTC)
)
mostly = st.sampled_from([True, True, True, False])  # most drawn restrictions let the appointment through


@st.composite
def cases(draw):
    """A holding and an appointment where each rule holds more often than not, so both verdicts occur."""
    tz = draw(st.sampled_from([UTC_ZONE, NEW_YORK]))
    a = appointment(draw(st.sampled_from([SWEDISH, THAI, SAUNA])), draw(moments), draw(st.integers(1, 240)),
                    price=draw(st.integers(0, 50000)), provider=draw(st.sampled_from([None, ANNA, BEN])))
    a = replace(a, due=draw(st.integers(0, a.price)))
    start = a.starts_at.astimezone(tz)
    day, days = start.date(), st.integers(0, 40).map(lambda n: timedelta(days=n))

    def maybe(passing, failing=st.nothing()):
        return draw(st.none() | (mostly.flatmap(lambda ok: passing if ok else failing)))

    window = maybe(st.just((time(start.hour), time(23, 59))), st.just((time(10), time(13))))
    terms = any_terms(
        draw(st.sampled_from(ValueType)),
        draw(st.integers(1, 300)),
        services=draw(st.sampled_from([(), (a.service_id,), (SWEDISH,), (THAI, SAUNA)])),
        provider_id=maybe(st.just(a.provider_id), st.just(ANNA)),
        provider_name="Anna",
        weekdays=maybe(st.frozensets(st.integers(0, 6)).map(lambda w: w | {day.weekday()}),
                       st.frozensets(st.integers(0, 6), min_size=1)),
        window=window,
        date_range=maybe(st.tuples(days, days).map(lambda d: (day - d[0], day + d[1])),
                         st.just((date(2027, 3, 1), date(2027, 6, 30)))),
        fixed_dates=maybe(st.lists(st.dates(date(2027, 1, 1), date(2027, 12, 31))).map(lambda ds: (*ds, day)),
                          st.lists(st.dates(date(2027, 1, 1), date(2027, 12, 31)), min_size=1).map(tuple)),
    )
    purchased = draw(mostly.flatmap(lambda ok: days.map(lambda d: a.starts_at - d) if ok else moments))
    until = maybe(days.map(lambda d: day + d), st.dates(date(2027, 1, 1), date(2027, 12, 31)))
    h = holding(terms, remaining=draw(st.sampled_from([0, 30, 60, 300, 50000])), purchased_at=purchased,
                until=until, customer_id=draw(st.sampled_from([1, 1, 1, 2])), voided=not draw(mostly))
    return h, a, tz


@given(cases())
def test_a_take_exactly_when_every_rule_holds(case):
    h, a, tz = case
    verdict = covers(h, a, NOW, tz=tz, currency=USD)
    terms, start = h.terms, a.starts_at.astimezone(tz)
    end = (a.starts_at + timedelta(minutes=a.duration_min)).astimezone(tz)
    day, left = start.date(), h.lines[0].remaining
    rules = [
        h.customer_id == a.customer_id and not h.voided,
        terms.all_services or a.service_id in terms.service_ids,
        terms.provider_id is None or terms.provider_id == a.provider_id,
        local_date(h.purchased_at, tz) <= day and (h.valid_until is None or day <= h.valid_until),
        terms.weekdays is None or day.weekday() in terms.weekdays,
        terms.window is None or (terms.window[0] <= start.time() and end.date() == day and end.time() <= terms.window[1]),
        terms.date_range is None or terms.date_range[0] <= day <= terms.date_range[1],
        terms.fixed_dates is None or day in terms.fixed_dates,
        {ValueType.VISITS: left >= 1, ValueType.MINUTES: left >= a.duration_min, ValueType.AMOUNT: left > 0,
         ValueType.UNLIMITED: True}[terms.value_type],
    ]
    assert verdict.ok == all(rules)
    assert (verdict.take is None) == bool(verdict.reasons)
    assert len(verdict.reasons) >= rules.count(False)  # one reason per failing rule at least
    if verdict.take is not None and terms.value_type is ValueType.AMOUNT:
        assert 0 <= verdict.take.units == verdict.take.value <= min(left, a.due)
        assert verdict.take.units == min(left, a.due)


@given(cases())
def test_rank_keeps_every_holding_and_puts_covering_ones_first(case):
    h, a, tz = case
    others = [replace(h, id=2, valid_until=None), replace(h, id=3, voided=True)]
    ranked = rank([h, *others], a, NOW, tz=tz, currency=USD)
    assert sorted(c.holding_id for c in ranked) == [1, 2, 3]
    oks = [c.ok for c in ranked]
    assert oks == sorted(oks, reverse=True)
    assert not next(c for c in ranked if c.holding_id == 3).ok  # void never covers
    if next(c for c in ranked if c.holding_id == 1).ok:  # its never-expiring twin comes after it
        assert [c.holding_id for c in ranked][:2] == [1, 2]


@given(
    weekdays=st.none() | st.frozensets(st.integers(0, 6), min_size=1),
    date_range=st.none() | st.tuples(st.dates(date(2027, 3, 1), date(2027, 3, 31)),
                                     st.integers(0, 40)).map(lambda r: (r[0], r[0] + timedelta(days=r[1]))),
    fixed_dates=st.none() | st.lists(st.dates(date(2027, 3, 1), date(2027, 4, 30)), min_size=1,
                                     max_size=5).map(tuple),
    day=st.dates(date(2027, 3, 1), date(2027, 4, 30)),
)
def test_allows_day_agrees_with_covers(weekdays, date_range, fixed_dates, day):
    terms = any_terms(weekdays=weekdays, date_range=date_range, fixed_dates=fixed_dates)
    h = holding(terms, purchased_at=datetime(2027, 2, 1, tzinfo=UTC))
    visit = appointment(starts_at=datetime(day.year, day.month, day.day, 10, tzinfo=UTC))
    assert check(h, visit).ok == allows_day(terms, day)
