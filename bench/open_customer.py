"""Opening a busy customer: `python -m bench.open_customer --db PATH [--rounds N] [--profile]`.

A regular with years of visits: 2,000 balance history entries and 100 appointments, added to a
demo database through the use cases (`add_busy_customer`). Then the time from `open_customer`
to the customer screen painted with her rows is measured with Pilot (`time_customer_screen`),
against the baseline of a bare Textual screen — Header, DataTable, Footer — filled from raw
sqlite3 queries of the same rows (`time_bare_screen`), in the same run, rounds interleaved.

Two figures per opening, both read from the app's own paints (headless, the compositor still
renders every frame; nothing is slept): *shown*, the first paint with her rows in the tables,
and *settled*, the last paint before the app goes idle (every later layout or footer rebuild is
in it); each also as the CPU time of the process until then (steadier when the machine is
shared), and the time spent collecting garbage. Medians, and their ratio to the bare screen's,
because the machines are noisy. `--freeze` freezes what each app holds once started
(`gc.freeze()`), so that a full collection does not walk it again during an opening.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sqlite3
import statistics
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from time import perf_counter, process_time
from typing import Any

from sqlmodel import Session, col, func, select
from textual import work
from textual.app import App, ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header

from frontdesk.db import create_db_engine, write_session
from frontdesk.domain.business import Business
from frontdesk.domain.kinds import Role, Tender
from frontdesk.models import Holding, LedgerEntry, Package, Service, Staff
from frontdesk.services import appointments, catalogue, checkout, ledger, sales
from frontdesk.services.customers import create_customer
from frontdesk.services.desk import Desk
from frontdesk.services.errors import InvalidInput, NotCovered
from frontdesk.services.roles import at_desk
from frontdesk.services.sales import TenderLine

SIZE = (100, 32)
BUSY_NAME = "Bea Busy"


# ---- her years of visits ------------------------------------------------------------------------------

def add_busy_customer(engine: Any, business: Business, *, entries: int = 2000, visits: int = 100,
                      now: datetime | None = None) -> int:
    """A customer with `visits` appointments over the last two years (most paid from her spa
    credits, some by card, the newest few booked and unpaid, a few cancelled) and, with the
    manager's small corrections to a credit, `entries` balance history entries in all; her id.
    Everything goes through the use cases, in one transaction."""
    now = now or datetime.now(timezone.utc)
    with write_session(engine) as session:
        manager = session.exec(select(Staff.id).where(Staff.role == Role.MANAGER).order_by(Staff.id)).first()
        credit = session.exec(select(Package.id).where(Package.value_type == "amount", col(Package.for_sale))
                              .order_by(Package.id)).first()
        service_ids = list(session.exec(select(Service.id).order_by(Service.id)))[:4]
        assert manager is not None and credit is not None and service_ids, "a demo database is needed"
        start = now - timedelta(days=730)

        def at(moment: datetime) -> Session:
            return at_desk(session, manager, moment)

        customer = create_customer(at(start), business, name=BUSY_NAME, phone="(555) 777-0100",
                                   email="bea.busy@example.com", note="Comes every week.")
        price = catalogue.get_package(at(start), business, credit).terms.price

        def sell(moment: datetime) -> int:
            return sales.sell(at(moment), business, customer_id=customer.id, package_id=credit,
                              tenders=[TenderLine(Tender.CARD, price)]).id

        holdings = [sell(start)]
        step = timedelta(days=700) / visits
        for number in range(visits):
            starts_at = (start + step * (number + 1)).replace(minute=0, second=0, microsecond=0)
            late = number >= visits - 4  # the newest few: booked, in the days to come, unpaid
            if late:
                starts_at = (now + timedelta(days=number - visits + 5)).replace(minute=0, second=0, microsecond=0)
            booking = appointments.book(at(min(now, starts_at) - timedelta(days=2)), business,
                                        customer_id=customer.id, service_id=service_ids[number % len(service_ids)],
                                        starts_at=starts_at, override=True, reason="a regular's standing slot")
            appointment = booking.appointment
            if late:
                continue
            paid_at = at(starts_at + timedelta(hours=1))
            if number % 10 == 3:
                appointments.cancel(at(starts_at - timedelta(days=1)), business, appointment_id=appointment.id,
                                    reason="she was away")
            elif number % 5 == 1:
                checkout.checkout(paid_at, business, key=f"busy-card-{appointment.id}", appointment_id=appointment.id,
                                  tenders=[TenderLine(Tender.CARD, appointment.price)])
            else:  # from her newest credit; a new one bought at the desk when it no longer covers the visit
                try:
                    checkout.checkout(paid_at, business, key=f"busy-credit-{appointment.id}",
                                      appointment_id=appointment.id, package=holdings[-1])
                except (NotCovered, InvalidInput):  # spent or expired: a new credit
                    holdings.append(sell(starts_at))
                    checkout.checkout(paid_at, business, key=f"busy-credit-{appointment.id}",
                                      appointment_id=appointment.id, package=holdings[-1])
        written = session.exec(select(func.count()).select_from(LedgerEntry).join(Holding)
                               .where(Holding.customer_id == customer.id)).one()
        corrected = holdings[-1]
        for number in range(entries - written):  # a cent off and back: the corrections a busy desk makes
            ledger.adjust(at(start + timedelta(days=700) * number / (entries - written)), business,
                          holding_id=corrected, delta=-1 if number % 2 == 0 else 1, reason="rounding")
        return customer.id


# ---- the bare screen: the same rows, straight from SQL -------------------------------------------------

HOLDINGS_SQL = """SELECT title, remaining, valid_until FROM holding WHERE customer_id = ? AND voided_at IS NULL
                  ORDER BY id"""
APPOINTMENTS_SQL = """SELECT a.starts_at, s.name, coalesce(p.name, '—'), a.price, a.status
                      FROM appointment a JOIN service s ON s.id = a.service_id
                      LEFT JOIN provider p ON p.id = a.provider_id
                      WHERE a.customer_id = ? ORDER BY a.starts_at DESC LIMIT 100"""
HISTORY_SQL = """SELECT e.created_at, e.kind || ' ' || h.title, e.delta, e.balance_after, st.name
                 FROM ledger_entry e JOIN holding h ON h.id = e.holding_id JOIN staff st ON st.id = e.staff_id
                 WHERE h.customer_id = ? ORDER BY e.created_at DESC, e.id DESC LIMIT 51"""


class BareScreen(Screen[None]):
    """Header, one DataTable, Footer: her holdings, appointments and newest history read by raw
    SQL in a thread worker, as the customer screen reads hers."""

    @dataclass
    class Read(Message):
        rows: list[tuple[str, ...]]

    def __init__(self, path: Path, customer_id: int) -> None:
        super().__init__()
        self.path, self.customer_id = path, customer_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.read()

    @work(thread=True)
    def read(self) -> None:
        connection = sqlite3.connect(self.path)
        try:
            rows = [tuple(str(value) for value in row) + ("",) * (5 - len(row))
                    for sql in (HOLDINGS_SQL, APPOINTMENTS_SQL, HISTORY_SQL)
                    for row in connection.execute(sql, (self.customer_id,))]
        finally:
            connection.close()
        self.post_message(self.Read(rows))

    def on_bare_screen_read(self, message: Read) -> None:
        table = self.query_one(DataTable)
        table.add_columns("When", "What", "Change", "Balance", "Who")
        table.add_rows(message.rows)


class BareApp(App[None]):
    BINDINGS = [("escape", "app.pop_screen", "Back")]


# ---- timing with Pilot ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Opening:
    shown: float  # seconds to the first paint with her rows
    settled: float  # seconds to the last paint before the app went idle
    shown_cpu: float  # the process's CPU seconds (every thread) spent until then: steadier on a busy machine
    settled_cpu: float
    collecting: float  # seconds of it spent collecting garbage (Python's cyclic collector), until settled


async def time_opening(pilot: Any, open_screen: Callable[[], object], ready: Callable[[Screen], bool]) -> Opening:
    """Open a screen (`open_screen`) and time, from the app's own paints, when it first showed
    its rows (`ready`) and when it last painted before going idle; then close it again."""
    app = pilot.app
    await app.workers.wait_for_complete()
    await pilot.pause()
    before = app.screen
    paints: list[tuple[float, float, bool]] = []
    display = app._display

    def painted(screen: Screen, renderable: Any) -> None:
        display(screen, renderable)
        if screen is not before:
            paints.append((perf_counter(), process_time(), ready(screen)))

    collected = [0.0, 0.0]  # seconds collecting; when the running collection began

    def collecting(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            collected[1] = perf_counter()
        else:
            collected[0] += perf_counter() - collected[1]

    app._display = painted
    gc.callbacks.append(collecting)
    try:
        started, started_cpu = perf_counter(), process_time()
        open_screen()
        while not any(shown for _, _, shown in paints):
            if perf_counter() - started > 20:
                raise TimeoutError(f"{app.screen!r} never painted its rows ({len(paints)} paints)")
            await asyncio.sleep(0.005)
        await app.workers.wait_for_complete()
        await pilot.pause()
    finally:
        del app._display
        gc.callbacks.remove(collecting)
    first, first_cpu = next((moment, cpu) for moment, cpu, shown in paints if shown)
    last, last_cpu, _ = paints[-1]
    opening = Opening(first - started, last - started, first_cpu - started_cpu, last_cpu - started_cpu,
                      collected[0])
    app.pop_screen()
    await pilot.pause()
    return opening


def customer_ready(customer_id: int) -> Callable[[Screen], bool]:
    def ready(screen: Screen) -> bool:
        from frontdesk.screens.customer import CustomerScreen

        return (isinstance(screen, CustomerScreen) and screen.page is not None
                and screen.query_one("#history", DataTable).row_count > 0
                and screen.query_one("#appointments", DataTable).row_count > 0)
    return ready


def bare_ready(screen: Screen) -> bool:
    return isinstance(screen, BareScreen) and screen.query_one(DataTable).row_count > 0


async def time_customer_screen(desk: Desk, customer_id: int, times: int, *, freeze: bool = False) -> list[Opening]:
    """Open her customer screen `times` times in one app (the desk's manager signed in)."""
    from frontdesk.app import FrontDeskApp

    app = FrontDeskApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        with frozen(freeze):
            return [await time_opening(pilot, lambda: app.open_customer(customer_id), customer_ready(customer_id))
                    for _ in range(times)]


async def time_bare_screen(path: Path, customer_id: int, times: int, *, freeze: bool = False) -> list[Opening]:
    app = BareApp()
    async with app.run_test(size=SIZE) as pilot:
        with frozen(freeze):
            return [await time_opening(pilot, lambda: app.push_screen(BareScreen(path, customer_id)), bare_ready)
                    for _ in range(times)]


@contextmanager
def frozen(freeze: bool) -> Iterator[None]:
    """With `freeze`, what the process holds now is left out of garbage collections until the end."""
    if freeze:
        gc.collect()
        gc.freeze()
    try:
        yield
    finally:
        if freeze:
            gc.unfreeze()


def manager_desk(path: Path, business: Business) -> Desk:
    engine = create_db_engine(f"sqlite:///{path}")
    desk = Desk(engine, business)
    desk.staff = next(member for member in desk.read(catalogue.list_staff) if member.is_manager)
    return desk


async def compare(path: Path, business: Business, customer_id: int, *, rounds: int = 7,
                  per_round: int = 3, freeze: bool = False) -> dict[str, list[Opening]]:
    """Rounds of the customer screen and the bare screen, interleaved (the first opening of each
    app is left out: imports and first styles)."""
    desk = manager_desk(path, business)
    found: dict[str, list[Opening]] = {"customer": [], "bare": []}
    for _ in range(rounds):
        found["customer"] += (await time_customer_screen(desk, customer_id, per_round + 1, freeze=freeze))[1:]
        found["bare"] += (await time_bare_screen(path, customer_id, per_round + 1, freeze=freeze))[1:]
    desk.engine.dispose()
    return found


def summary(found: dict[str, list[Opening]]) -> str:
    lines = []
    fields = ("shown", "settled", "shown_cpu", "settled_cpu", "collecting")
    medians = {name: [statistics.median(getattr(opening, field) for opening in openings) for field in fields]
               for name, openings in found.items()}
    for name, figures in medians.items():
        lines.append(f"{name:9}" + "".join(f" {field} {figure * 1000:6.1f} ms"
                                           for field, figure in zip(fields, figures, strict=True))
                     + f"   (n={len(found[name])})")
    lines.append("ratio    " + "".join(f" {field} {mine / bare:6.2f}×   " for field, mine, bare
                                       in zip(fields, medians["customer"], medians["bare"], strict=True)))
    return "\n".join(lines)


def busy_customer(path: Path) -> int | None:
    connection = sqlite3.connect(path)
    try:
        row = connection.execute("SELECT id FROM customer WHERE name = ?", (BUSY_NAME,)).fetchone()
    finally:
        connection.close()
    return row[0] if row else None


def main() -> None:
    from frontdesk.config import load_settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a demo SQLite database (frontdesk demo --path)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--per-round", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="profile the customer screen with pyinstrument")
    parser.add_argument("--freeze", action="store_true", help="gc.freeze() each app once started")
    arguments = parser.parse_args()
    settings = load_settings()
    business = Business(tz=settings.zone, currency=settings.money, phone_region=settings.phone_region)
    customer_id = busy_customer(arguments.db)
    if customer_id is None:
        engine = create_db_engine(f"sqlite:///{arguments.db}")
        customer_id = add_busy_customer(engine, business)
        engine.dispose()
    if arguments.profile:
        from pyinstrument import Profiler

        desk = manager_desk(arguments.db, business)
        with Profiler(async_mode="enabled") as profiler:
            asyncio.run(time_customer_screen(desk, customer_id, 10))
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        return
    print(summary(asyncio.run(compare(arguments.db, business, customer_id, rounds=arguments.rounds,
                                      per_round=arguments.per_round, freeze=arguments.freeze))))


if __name__ == "__main__":
    main()
