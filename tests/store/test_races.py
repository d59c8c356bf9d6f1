"""Desks racing on one holding or one appointment, with real processes, on SQLite and PostgreSQL.

Issue 9, "Keep proving it", point 2 (the 8 × 10 redemption race is `test_race.py`). Four desks,
each a process with its own engine, connect before the start line; every round begins at a barrier,
so they collide round after round: a cancel against a redemption on one holding, one checkout key
sent by every desk, every desk selling a package to pay one appointment, a void, a second void
and an adjustment against a redemption, every desk booking the last free visit of a holding "to
be covered by" it, and a booking against a checkout of that last visit. Each test checks what every
desk was told and what the database holds afterwards: the ledger balances, the balance is the
test's own arithmetic, and the entries and payments are exactly those the outcomes account for.
"""

from __future__ import annotations

import multiprocessing
import queue
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as clock_time
from itertools import accumulate
from typing import Any

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from frontdesk.db import create_db_engine
from frontdesk.domain.kinds import AppointmentStatus, EntryKind, Tender
from frontdesk.domain.terms import Terms, ValueType
from frontdesk.models import Appointment, Checkout, Holding, HoldingLine, LedgerEntry, Payment
from frontdesk.services import appointments, catalogue, checkout, customers, ledger, sales
from frontdesk.services import staff as staff_use_cases
from frontdesk.services.desk import Desk
from frontdesk.services.errors import FrontDeskError
from frontdesk.services.tenders import TenderLine
from frontdesk.services.views import holding_views, standing_redemptions
from tests.conftest import NOW
from tests.store.test_race import BUSINESS, NY

DESKS = 4
ROUNDS = 10
VOID_ROUNDS = 24  # a checkout locks the appointment before the holding, so it rarely reaches the
# holding ahead of a void (about 1 round in 3 on SQLite, 1 in 30 on PostgreSQL): more rounds, more orders
WAIT_S = 120  # a desk that never reaches the barrier breaks it instead of hanging the suite

pytestmark = pytest.mark.slow

Step = tuple[str, dict[str, Any]]  # what a desk does in one round: an action and its arguments
Outcome = tuple[Any, ...]  # ("ok", what it returned) or (the error's class name, its message)


# ---- the spa every race starts from -----------------------------------------------------------

@dataclass(frozen=True)
class Spa:
    """A manager, one service ($20, 60 min) and one customer, in the database at `url`."""

    url: str
    manager: int
    service: int
    customer: int

    def desk(self) -> tuple[Desk, Engine]:
        engine = create_db_engine(self.url)
        return Desk(engine, BUSINESS, clock=lambda: NOW).by(self.manager), engine

    def package(self, *, visits: int, price: int = 0) -> int:
        desk, engine = self.desk()
        package = desk.write(catalogue.save_package, BUSINESS, terms=Terms(
            title="Yoga pass", value_type=ValueType.VISITS, quantity=visits, price=price)).id
        engine.dispose()
        return package

    def sell(self, package: int, count: int = 1) -> list[int]:
        desk, engine = self.desk()
        sold = [desk.write(sales.sell, BUSINESS, customer_id=self.customer, package_id=package, tenders=[]).id
                for _ in range(count)]
        engine.dispose()
        return sold

    def book(self, count: int) -> list[int]:
        """`count` appointments from tomorrow on, eight a day, none begun at the test's clock."""
        desk, engine = self.desk()
        booked = []
        for index in range(count):
            start = datetime.combine(NOW.astimezone(NY).date() + timedelta(days=1 + index // 8),
                                     clock_time(9 + index % 8), NY)
            booked.append(desk.write(appointments.book, BUSINESS, customer_id=self.customer,
                                     service_id=self.service, starts_at=start).appointment.id)
        engine.dispose()
        return booked

    def redeem(self, holding: int, appointment_ids: Sequence[int]) -> None:
        desk, engine = self.desk()
        for appointment_id in appointment_ids:
            desk.write(checkout.checkout, BUSINESS, key=f"ahead-{appointment_id}",
                       appointment_id=appointment_id, package=holding)
        engine.dispose()

    def read(self, query: Any) -> Any:
        """`query(session)` on a fresh engine, as the desks left the database."""
        engine = create_db_engine(self.url)
        try:
            return Desk(engine, BUSINESS, clock=lambda: NOW).read(query)
        finally:
            engine.dispose()


def _open_spa(url: str) -> Spa:
    desk, engine = Spa(url, 0, 0, 0).desk()
    manager = desk.by(None).write(staff_use_cases.add_staff_member, name="Manager", role="manager", pin=None).id
    desk = desk.by(manager)
    service = desk.write(catalogue.add_service, BUSINESS, name="Yoga class", duration_min=60, price=2000).id
    customer = desk.write(customers.create_customer, desk.business, name="Maria Lopez").id
    engine.dispose()
    return Spa(url, manager, service, customer)


# ---- the desks ----------------------------------------------------------------------------------

def _receipt(receipt: Any) -> tuple[Any, ...]:
    """A receipt as plain values, the same in every process that is given it."""
    return (receipt.checkout_id, receipt.sold_holding_id, receipt.replayed,
            tuple((str(line.tender), line.amount, line.holding_id, line.description) for line in receipt.payments))


def _act(desk: Desk, action: str, args: dict[str, Any]) -> Any:
    if action == "cancel":
        return desk.write(appointments.cancel, BUSINESS, **args).returned
    if action == "checkout":
        return _receipt(desk.write(checkout.checkout, BUSINESS, **args))
    if action == "sell and apply":
        return _receipt(desk.write(checkout.checkout, BUSINESS, package=None, **args))
    if action == "void":
        return desk.write(ledger.void, BUSINESS, reason="sold by mistake", **args).refunded
    if action == "adjust":
        return desk.write(ledger.adjust, BUSINESS, reason="goodwill", **args).id
    if action == "book":
        return desk.write(appointments.book, BUSINESS, **args).appointment.id
    raise AssertionError(f"no such step: {action}")


def _desk_worker(url: str, staff: int, steps: list[Step], barrier: Any, results: Any, desk_number: int) -> None:
    """One desk: at each round's barrier, take this desk's step; report every outcome at the end."""
    engine = create_db_engine(url)
    desk = Desk(engine, BUSINESS, clock=lambda: NOW).by(staff)
    outcomes: list[Outcome] = []
    try:
        with engine.connect():
            pass  # connect before the start line, so the race is about the steps
        for action, args in steps:
            barrier.wait()
            try:
                outcomes.append(("ok", _act(desk, action, args)))
            except FrontDeskError as error:
                outcomes.append((type(error).__name__, str(error)))
    except BaseException as error:  # reported, so the test shows it instead of hanging
        barrier.abort()
        outcomes.append(("crash", f"{type(error).__name__}: {error}"))
    finally:
        results.put((desk_number, outcomes))
        engine.dispose()


def _race(spa: Spa, plans: list[list[Step]]) -> list[list[Outcome]]:
    """Run one process per plan, all released together at every round; each desk's outcomes, in
    its rounds' order."""
    assert len({len(plan) for plan in plans}) == 1, "every desk takes part in every round"
    context = multiprocessing.get_context("fork")  # the parent has imported everything: a child starts at once
    barrier = context.Barrier(len(plans), timeout=WAIT_S)
    results = context.Queue()
    processes = [context.Process(target=_desk_worker, args=(spa.url, spa.manager, plan, barrier, results, number))
                 for number, plan in enumerate(plans)]
    for process in processes:
        process.start()
    reported: dict[int, list[Outcome]] = {}
    deadline = time.monotonic() + WAIT_S * 2
    while len(reported) < len(processes):
        try:
            number, outcomes = results.get(timeout=1)
        except queue.Empty:  # waiting for the desks; one that died before reporting fails the test now
            died = [process.exitcode for process in processes if process.exitcode not in (None, 0)]
            assert not died, f"a desk died before reporting: exit codes {died}"
            assert time.monotonic() < deadline, "the desks did not report in time"
            continue
        reported[number] = outcomes
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    outcomes = [reported[number] for number in range(len(plans))]
    crashes = [outcome for desk in outcomes for outcome in desk if outcome[0] == "crash"]
    assert crashes == []
    return outcomes


# ---- what the database holds afterwards ---------------------------------------------------------

def _entries(session: Session, holding: int) -> list[LedgerEntry]:
    return list(session.exec(select(LedgerEntry).where(LedgerEntry.holding_id == holding).order_by(LedgerEntry.id)))


def _balance(session: Session, holding: int) -> int:
    return session.exec(select(HoldingLine.remaining).where(HoldingLine.holding_id == holding)).one()


def _count(session: Session, table: type, *where: Any) -> int:
    return session.exec(select(func.count()).select_from(table).where(*where)).one()


def _chained(entries: Sequence[LedgerEntry]) -> bool:
    """Each entry's balance_after is the running sum of the deltas before it, in the order written:
    no change was made on a balance another desk had already moved."""
    return list(accumulate(entry.delta for entry in entries)) == [entry.balance_after for entry in entries]


# ---- 1. a cancel and a redemption on one holding --------------------------------------------------

def test_cancels_and_redemptions_on_one_holding_lose_no_reversal(database_url: str) -> None:
    """Two desks cancel appointments paid ahead from a holding while two redeem others from it.
    Its balance is exactly enough for every redemption happening before every reversal, so every
    step must succeed, in whatever order, and each reversal must count."""
    spa = _open_spa(database_url)
    cancellers = redeemers = DESKS // 2
    quantity = 2 * ROUNDS * redeemers  # half paid ahead (and given back), half for the redemptions
    holding, = spa.sell(spa.package(visits=quantity))
    booked = spa.book(ROUNDS * (cancellers + redeemers))
    paid_ahead, to_redeem = booked[:ROUNDS * cancellers], booked[ROUNDS * cancellers:]
    spa.redeem(holding, paid_ahead)
    before = quantity - len(paid_ahead)
    assert before == len(to_redeem)  # all redemptions first would take the last visit, not one more

    plans = ([[("cancel", {"appointment_id": a}) for a in paid_ahead[d::cancellers]] for d in range(cancellers)]
             + [[("checkout", {"key": f"redeem-{a}", "appointment_id": a, "package": holding})
                 for a in to_redeem[d::redeemers]] for d in range(redeemers)])
    outcomes = _race(spa, plans)

    cancelled = [outcome for desk in outcomes[:cancellers] for outcome in desk]
    redeemed = [outcome for desk in outcomes[cancellers:] for outcome in desk]
    assert cancelled == [("ok", "1 visit back to Yoga pass")] * len(paid_ahead)
    assert Counter(outcome[0] for outcome in redeemed) == Counter({"ok": len(to_redeem)})

    def after(session: Session) -> dict[str, Any]:
        entries = _entries(session, holding)
        standing = standing_redemptions(session, [*paid_ahead, *to_redeem])
        return {
            "balance": _balance(session, holding),
            "mismatches": ledger.check(session),
            "entries": Counter(EntryKind(entry.kind) for entry in entries),
            "chained": _chained(entries),
            "standing": sorted(standing),
            "cancelled": [appointments.get_appointment(session, a).status for a in paid_ahead],
            "package paid": {a: session.exec(select(func.coalesce(func.sum(Payment.amount), 0)).where(
                Payment.appointment_id == a, Payment.tender == Tender.PACKAGE)).one()
                for a in [*paid_ahead, *to_redeem]},
        }

    state = spa.read(after)
    assert state["balance"] == before + len(paid_ahead) - len(to_redeem)
    assert state["mismatches"] == []
    assert state["entries"] == Counter({EntryKind.SALE: 1, EntryKind.REDEEM: len(paid_ahead) + len(to_redeem),
                                        EntryKind.REVERSE: len(paid_ahead)})
    assert state["chained"]
    assert state["standing"] == sorted(to_redeem)
    assert state["cancelled"] == [AppointmentStatus.CANCELLED] * len(paid_ahead)
    assert [a for a, paid in state["package paid"].items() if paid] == to_redeem  # given back nets to 0


# ---- 2. one checkout key from every desk --------------------------------------------------------

def test_one_checkout_key_from_every_desk_spends_once_and_all_get_the_receipt(database_url: str) -> None:
    """Every round, all four desks send the same key for the same appointment at once (a retry that
    raced the first try): one spend, and every desk is given that checkout's receipt."""
    spa = _open_spa(database_url)
    quantity = ROUNDS + 2  # "… 2 visits left" on the last receipt
    holding, = spa.sell(spa.package(visits=quantity))
    visits = spa.book(ROUNDS)
    step = [("checkout", {"key": f"one-key-{a}", "appointment_id": a, "package": holding}) for a in visits]
    outcomes = _race(spa, [step] * DESKS)

    for round_number, appointment_id in enumerate(visits):
        told = [desk[round_number] for desk in outcomes]
        assert {outcome[0] for outcome in told} == {"ok"}, told
        receipts = [outcome[1] for outcome in told]
        assert sorted(replayed for _, _, replayed, _ in receipts) == [False] + [True] * (DESKS - 1)
        assert len({(checkout_id, payments) for checkout_id, _, _, payments in receipts}) == 1, receipts
        payments = receipts[0][3]
        assert [(tender, amount, paid_by) for tender, amount, paid_by, _ in payments] == [
            ("package", 2000, holding)]
        assert payments[0][3] == f"1 visit from Yoga pass, {quantity - round_number - 1} visits left"

    def after(session: Session) -> dict[str, Any]:
        return {
            "balance": _balance(session, holding),
            "mismatches": ledger.check(session),
            "redemptions": Counter(session.exec(select(LedgerEntry.appointment_id).where(
                LedgerEntry.kind == EntryKind.REDEEM))),
            "checkouts": Counter(session.exec(select(Checkout.appointment_id))),
            "payments": Counter(session.exec(select(Payment.appointment_id))),
        }

    state = spa.read(after)
    assert state["balance"] == quantity - len(visits)
    assert state["mismatches"] == []
    assert state["redemptions"] == Counter(visits)  # one spend per appointment
    assert state["checkouts"] == Counter(visits)
    assert state["payments"] == Counter(visits)


# ---- 3. every desk selling a package to pay one appointment ------------------------------------

def test_desks_selling_and_applying_to_one_appointment_sell_once(database_url: str) -> None:
    """Every round, all four desks sell the customer a package and apply it to the same appointment,
    each with its own checkout key: one sale and redemption go through; every other desk is told
    it is already paid and sold nothing (no holding, no payment, no checkout)."""
    spa = _open_spa(database_url)
    price, quantity = 35000, 5
    package = spa.package(visits=quantity, price=price)
    visits = spa.book(ROUNDS)
    plans = [[("sell and apply", {"key": f"sell-{a}-desk-{d}", "appointment_id": a, "sell_package_id": package,
                                  "sale_tenders": [TenderLine(Tender.CARD, price)]}) for a in visits]
             for d in range(DESKS)]
    outcomes = _race(spa, plans)

    sold: dict[int, int] = {}
    for round_number, appointment_id in enumerate(visits):
        told = [desk[round_number] for desk in outcomes]
        paid = [outcome[1] for outcome in told if outcome[0] == "ok"]
        assert len(paid) == 1, told
        assert sorted(outcome for outcome in told if outcome[0] != "ok") == [
            ("AlreadyPaid", "This appointment is already paid.")] * (DESKS - 1)
        _, holding, replayed, payments = paid[0]
        assert not replayed
        assert [(tender, amount, paid_by) for tender, amount, paid_by, _ in payments] == [
            ("card", price, holding), ("package", 2000, holding)]
        sold[appointment_id] = holding

    def after(session: Session) -> dict[str, Any]:
        holdings = list(session.exec(select(Holding.id).where(Holding.customer_id == spa.customer)))
        return {
            "holdings": sorted(holdings),
            "balances": {h: _balance(session, h) for h in holdings},
            "mismatches": ledger.check(session),
            "entries": Counter(EntryKind(kind) for kind in session.exec(select(LedgerEntry.kind))),
            "checkouts": sorted((c.appointment_id, c.sold_holding_id) for c in session.exec(select(Checkout))),
            "money": session.exec(select(func.coalesce(func.sum(Payment.amount), 0)).where(
                Payment.tender == Tender.CARD)).one(),
            "payments": _count(session, Payment),
            "paid": [appointments.get_appointment(session, a).is_paid for a in visits],
        }

    state = spa.read(after)
    assert state["holdings"] == sorted(sold.values())  # one holding per appointment, no second sale
    assert state["balances"] == {holding: quantity - 1 for holding in sold.values()}
    assert state["mismatches"] == []
    assert state["entries"] == Counter({EntryKind.SALE: len(visits), EntryKind.REDEEM: len(visits)})
    assert state["checkouts"] == sorted(sold.items())
    assert state["money"] == price * len(visits)
    assert state["payments"] == 2 * len(visits)  # the card for the sale, the package for the visit
    assert state["paid"] == [True] * len(visits)


# ---- 4. void, a second void and an adjustment racing a redemption ------------------------------

def test_void_and_adjust_racing_a_redemption_never_use_or_fill_a_void_holding(database_url: str) -> None:
    """Every round, on a fresh holding: two desks void it, one adds 3 visits, one redeems a visit
    from it. Whatever order the database puts them in: one void entry, nothing written after the
    void, no balance left on the void holding, and the void took exactly what the others left."""
    spa = _open_spa(database_url)
    quantity, added = 5, 3
    holdings = spa.sell(spa.package(visits=quantity), VOID_ROUNDS)
    visits = spa.book(VOID_ROUNDS)
    void = [("void", {"holding_id": h}) for h in holdings]
    plans = [void, void,
             [("adjust", {"holding_id": h, "delta": added}) for h in holdings],
             [("checkout", {"key": f"redeem-{a}", "appointment_id": a, "package": h})
              for h, a in zip(holdings, visits)]]
    outcomes = _race(spa, plans)

    expected: dict[int, dict[str, Any]] = {}
    for round_number, (holding, appointment_id) in enumerate(zip(holdings, visits)):
        voids, second_void, adjusted, redeemed = (desk[round_number] for desk in outcomes)
        assert sorted([voids, second_void]) == [
            ("InvalidInput", "This package is already void."), ("ok", 0)], (voids, second_void)
        assert adjusted[0] == "ok" or adjusted == ("InvalidInput", "This package is void."), adjusted
        assert redeemed[0] == "ok" or redeemed == (  # a void holding also has no visits left
            "NotCovered", "Yoga pass does not cover this appointment: void; no visits left."), redeemed
        took = (quantity + added * (adjusted[0] == "ok") - (redeemed[0] == "ok"))
        expected[holding] = {
            "kinds": [EntryKind.SALE, *(  # the void last; what it raced before it, in either order
                sorted([EntryKind.ADJUST] * (adjusted[0] == "ok") + [EntryKind.REDEEM] * (redeemed[0] == "ok"))),
                EntryKind.VOID],
            "void took": -took,
            "balance": 0,
            "voided": True,
            "paid": redeemed[0] == "ok",
        }

    def after(session: Session) -> tuple[dict[int, dict[str, Any]], list[Any]]:
        found = {}
        for holding, appointment_id in zip(holdings, visits):
            entries = _entries(session, holding)
            kinds = [EntryKind(entry.kind) for entry in entries]
            assert _chained(entries), kinds
            found[holding] = {
                "kinds": [kinds[0], *sorted(kinds[1:-1]), kinds[-1]],
                "void took": sum(entry.delta for entry in entries if entry.kind == EntryKind.VOID),
                "balance": _balance(session, holding),
                "voided": session.get(Holding, holding).voided_at is not None,
                "paid": appointments.get_appointment(session, appointment_id).is_paid,
            }
        return found, ledger.check(session)

    state, mismatches = spa.read(after)
    assert mismatches == []
    assert state == expected


# ---- 5. holds: every desk booking the last free visit; a booking against a checkout ---------------

def _starts(index: int) -> datetime:
    return datetime.combine(NOW.astimezone(NY).date() + timedelta(days=1 + index // 8), clock_time(9 + index % 8), NY)


def _held_and_left(session: Session, holdings: Sequence[int]) -> dict[int, tuple[int, int]]:
    """Each holding's (held, remaining), as the desks read them."""
    rows = session.exec(select(Holding).where(col(Holding.id).in_(holdings))).all()
    return {view.id: (view.held, view.remaining) for view in holding_views(session, rows, BUSINESS, NOW)}


def test_desks_booking_the_last_free_visit_of_a_holding_hold_it_once(database_url: str) -> None:
    """Every round, on a fresh 2-visit holding with one visit held already, all four desks book an
    appointment "to be covered by" it at once: exactly one holds the last visit; the others are
    refused at the cover field, and nothing of theirs is saved."""
    spa = _open_spa(database_url)
    holdings = spa.sell(spa.package(visits=2), ROUNDS)
    desk, engine = spa.desk()
    for number, holding in enumerate(holdings):  # the first visit of each, held ahead
        desk.write(appointments.book, BUSINESS, customer_id=spa.customer, service_id=spa.service,
                   starts_at=_starts(number), cover_holding_id=holding)
    engine.dispose()
    plans = [[("book", {"customer_id": spa.customer, "service_id": spa.service,
                        "starts_at": _starts(ROUNDS + 4 * number + d), "cover_holding_id": holding})
              for number, holding in enumerate(holdings)] for d in range(DESKS)]
    outcomes = _race(spa, plans)

    booked = []
    for round_number in range(ROUNDS):
        told = [desk[round_number] for desk in outcomes]
        assert [outcome[0] for outcome in told].count("ok") == 1, told
        refused = [outcome for outcome in told if outcome[0] != "ok"]
        assert {kind for kind, _ in refused} == {"InvalidInput"}, refused
        assert all("no visit free: 2 left, 2 held for" in message for _, message in refused), refused
        booked += [outcome[1] for outcome in told if outcome[0] == "ok"]

    def after(session: Session) -> dict[str, Any]:
        return {"appointments": _count(session, Appointment),
                "held and left": _held_and_left(session, holdings),
                "covered by": sorted(session.exec(select(Appointment.id).where(
                    col(Appointment.cover_holding_id).in_(holdings), col(Appointment.id).in_(booked))))}

    state = spa.read(after)
    assert state["appointments"] == ROUNDS + ROUNDS  # one held ahead and one won, per holding
    assert state["held and left"] == {holding: (2, 2) for holding in holdings}
    assert state["covered by"] == sorted(booked)


def test_a_booking_and_a_checkout_racing_for_the_last_visit_get_it_once(database_url: str) -> None:
    """Every round, on a fresh 1-visit holding: one desk books an appointment "to be covered by" it
    while another pays a walk-in from it. Whichever the database takes first gets the visit: the
    booking holds it and the checkout is told it is held, or the checkout spends it and the booking
    is told nothing is left. Never both; held never more than is left."""
    spa = _open_spa(database_url)
    holdings = spa.sell(spa.package(visits=1), ROUNDS)
    walk_ins = spa.book(ROUNDS)
    plans = [[("book", {"customer_id": spa.customer, "service_id": spa.service,
                        "starts_at": _starts(ROUNDS + number), "cover_holding_id": holding})
              for number, holding in enumerate(holdings)],
             [("checkout", {"key": f"walk-in-{a}", "appointment_id": a, "package": holding})
              for holding, a in zip(holdings, walk_ins)]]
    outcomes = _race(spa, plans)

    expected = {}
    for round_number, holding in enumerate(holdings):
        booking, paid = outcomes[0][round_number], outcomes[1][round_number]
        assert [booking[0], paid[0]].count("ok") == 1, (booking, paid)
        if booking[0] == "ok":
            assert paid[0] == "NotCovered" and "no visit free: 1 left, held for" in paid[1], paid
            expected[holding] = (1, 1)  # held, not spent
        else:
            assert booking == ("InvalidInput", "Yoga pass has no visits left. Book it without the package."), \
                booking
            expected[holding] = (0, 0)  # spent, nothing held
    state = spa.read(lambda session: (_held_and_left(session, holdings), ledger.check(session)))
    assert state == (expected, [])
