"""A spa at chain scale, built in bulk for the benchmarks: `python -m bench.dataset [--scale 100k]`.

At the default scale: 100k customers, 300k holdings with their balance lines, about 1M ledger
entries and 500k appointments (`--scale 1m` multiplies every table by ten; `small` and `tiny`
are a tenth and a five-hundredth). The rows are those the use cases would have written: every
line's cached `remaining` is its opening balance plus its entries' deltas, each entry's
`balance_after` is the balance it left, every redemption pays a completed appointment (a package
payment refers to it), and the bookings still to come that a package covers never ask more of
it than it has left, so a checkout of any of them succeeds. `ledger.check` finds nothing.

One customer, `HER_NAME` (id 1), has 2,000 entries and 100 appointments: the customer screen's
worst case. The database is migrated first (`frontdesk.db.migrate`) and then filled with raw
executemany (SQLite) or COPY (PostgreSQL); the schema's triggers run as they would for the app
(the holdings' `remaining` and `last_used_at`, the customers' FTS index), which only asks that a
holding be written before its lines and an appointment before the entry that pays it.

A SQLite build is cached in the system's temp folder, keyed by scale and schema head.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import queue
import random
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, Engine, text

from frontdesk.db import create_db_engine, head_revision, migrate
from frontdesk.domain.contacts import DEFAULT_REGION, fold, kept_phone, phone_key, search_text
from frontdesk.domain.kinds import AppointmentStatus, EntryKind, Role, Tender
from frontdesk.domain.periods import local_date, valid_until
from frontdesk.domain.terms import Contents, Terms, ValueType, opening_balances
from frontdesk.services import customers as customer_service

from bench.balances import BUSINESS, NOW, catalogue

SCALES = {"tiny": 200, "small": 10_000, "100k": 100_000, "1m": 1_000_000}  # customers
HOLDINGS, ENTRIES, APPOINTMENTS = 3, 10, 5  # per customer
FUTURE_SHARE = 0.2  # of the appointments: booked, still to come; the rest took place and were paid
HER_ID, HER_NAME = 1, "Beatrix Vandermeer"
HER_ENTRIES, HER_APPOINTMENTS = 2000, 100
CHUNK = 20_000
GENERATOR = 2  # part of the cache key with the scale and the schema head: bump when the rows change

FIRST = ["Maria", "Anna", "John", "Li", "Sofia", "Omar", "Grace", "Ivan", "Chloe", "Dev", "Nora", "Paul", "Rita",
         "Sam", "Yuki", "Zoe", "Ben", "Ada", "Luis", "Mei", "Tom", "Ella", "Ravi", "Ines", "Annika", "Hannah",
         "Joanna", "Andrea", "Karl", "Priya", "Emma", "Noah", "Lena", "Carlos", "Fatima", "Jonas", "Marta", "Oscar"]
LAST = ["Lopez", "Smith", "Kim", "Patel", "Nguyen", "Garcia", "Brown", "Rossi", "Muller", "Silva", "Khan", "Cohen",
        "Dubois", "Novak", "Ito", "Okafor", "Larsen", "Moreau", "Haddad", "Walsh", "Andersen", "Schmidt", "Annan",
        "Fischer", "Tanaka", "Costa", "Jensen", "Kowalski", "Martin", "Reyes", "O'Brien", "Zhang", "Ahmed", "Berg"]
DOMAINS = ["example.com", "example.net", "mail.example.org"]
# the catalogue's services (bench.balances.catalogue): id → (duration, price)
SERVICES = {1: (60, 8000), 2: (90, 10000), 3: (30, 2500)}

COLUMNS = {
    "customer": ("id", "name", "phone", "email", "note", "search_text", "search_name", "phone_digits",
                 "merged_into_id", "created_at"),
    "holding": ("id", "customer_id", "package_id", "title", "terms", "purchased_at", "valid_until", "price_paid",
                "assigned", "voided_at", "created_by", "opened_until", "unit", "provider_id", "remaining"),
    "holding_line": ("id", "holding_id", "position", "service_id", "initial", "remaining"),
    "appointment": ("id", "customer_id", "service_id", "provider_id", "starts_at", "duration_min", "price", "status",
                    "cover_holding_id", "note", "created_by", "created_at"),
    "ledger_entry": ("id", "holding_id", "line_id", "kind", "delta", "balance_after", "appointment_id", "staff_id",
                     "created_at", "note", "seq"),
    "payment": ("id", "appointment_id", "holding_id", "entry_id", "tender", "amount", "staff_id", "created_at",
                "note"),
}
ORDER = tuple(COLUMNS)  # the order tables are written in: what a row refers to is written before it


@dataclass(frozen=True)
class Size:
    """How many rows of each kind a scale asks for."""

    customers: int

    @property
    def holdings(self) -> int:
        return self.customers * HOLDINGS

    @property
    def entries(self) -> int:
        return self.customers * ENTRIES

    @property
    def appointments(self) -> int:
        return self.customers * APPOINTMENTS


def size(scale: str | int) -> Size:
    return Size(SCALES[scale] if isinstance(scale, str) else int(scale))


# ---- writing rows in bulk ---------------------------------------------------------------------------

class Sink:
    """Rows buffered per table and written in `ORDER`, so a row's references exist before it.
    A thread writes them while the next rows are made: the database driver lets go of the
    interpreter while the database works, so the two overlap on two cores."""

    def __init__(self, write: Callable[[str, tuple[str, ...], list[tuple]], None]) -> None:
        self.write = write
        self.buffers: dict[str, list[tuple]] = {table: [] for table in ORDER}
        self.counts = dict.fromkeys(ORDER, 0)
        self.waiting: queue.Queue[tuple[str, list[tuple]] | None] = queue.Queue(maxsize=len(ORDER) * 2)
        self.failed: BaseException | None = None
        self.writer = threading.Thread(target=self._writing, name="spa-writer", daemon=True)
        self.writer.start()

    def _writing(self) -> None:
        while (item := self.waiting.get()) is not None:
            if self.failed is None:  # after a failure the rest is drained, not written
                try:
                    self.write(item[0], COLUMNS[item[0]], item[1])
                except BaseException as error:  # noqa: BLE001 - raised again by `close`
                    self.failed = error

    def add(self, table: str, row: tuple) -> None:
        self.buffers[table].append(row)

    def settled(self) -> None:
        """Between customers (every row they refer to is buffered): write once a buffer is full."""
        if any(len(buffer) >= CHUNK for buffer in self.buffers.values()):
            self.flush()

    def flush(self) -> None:
        if self.failed is not None:
            raise self.failed
        for table in ORDER:
            if rows := self.buffers[table]:
                self.waiting.put((table, rows))
                self.counts[table] += len(rows)
                self.buffers[table] = []

    def close(self) -> None:
        """Write what is buffered and wait for the writer; its failure is raised here."""
        self.flush()
        self.waiting.put(None)
        self.writer.join()
        if self.failed is not None:
            raise self.failed


def sqlite_writer(connection: Connection) -> Callable[[str, tuple[str, ...], list[tuple]], None]:
    raw = connection.connection.driver_connection

    def write(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        raw.executemany(statement, rows)
    return write


def postgres_writer(connection: Connection) -> Callable[[str, tuple[str, ...], list[tuple]], None]:
    raw = connection.connection.driver_connection

    def write(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    return write


# ---- the spa's rows ------------------------------------------------------------------------------------

def sqlite_moment(moment: datetime) -> str:
    """A UTC time as SQLAlchemy keeps it in SQLite."""
    return moment.replace(tzinfo=None).isoformat(" ", "microseconds")


def sqlite_day(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def postgres_moment(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)


def postgres_day(day: date | None) -> date | None:
    return day


class Spa:
    """Generates the rows into a sink; ids are given here, in order, from 1."""

    def __init__(self, sink: Sink, packs: list[Terms], wanted: Size, seed: int = 1, *, postgres: bool = False) -> None:
        self.sink, self.packs, self.wanted = sink, packs, wanted
        # values as each database's writer takes them (UTC times are kept naive)
        self.moment = postgres_moment if postgres else sqlite_moment
        self.day = postgres_day if postgres else sqlite_day
        self.terms_json = [json.dumps(terms.to_dict()) for terms in packs]
        self.rng = random.Random(seed)
        self.ids = dict.fromkeys(ORDER, 0)
        lines_per_holding = sum(len(opening_balances(terms)) for terms in packs) / len(packs)
        lines = wanted.holdings * lines_per_holding
        self.events_per_line = max(0.0, (wanted.entries - lines) / lines)  # beyond each line's sale
        past = wanted.appointments * (1 - FUTURE_SHARE)
        self.redeem_share = min(1.0, past / max(1.0, wanted.entries - lines))
        self.future_left = int(wanted.appointments * FUTURE_SHARE)

    def next_id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    def customer(self, number: int, name: str | None = None) -> int:
        rng = self.rng
        name = name or f"{rng.choice(FIRST)} {rng.choice(LAST)}{'' if number % 4 else '-' + rng.choice(LAST)}"
        typed = f"({rng.randint(201, 989)}) {rng.randint(201, 989)}-{rng.randint(1000, 9999)}"
        phone = kept_phone(typed, DEFAULT_REGION)
        email = f"{fold(name).replace(' ', '.').replace(chr(39), '')}{number}@{rng.choice(DOMAINS)}"
        customer_id = self.next_id("customer")
        created = NOW - timedelta(days=rng.randint(400, 1500), minutes=rng.randint(0, 1440))
        self.sink.add("customer", (customer_id, name, phone, email, "", search_text(name, phone, email, DEFAULT_REGION),
                                   fold(name), phone_key(phone, DEFAULT_REGION), None, self.moment(created)))
        return customer_id

    def holding(self, customer_id: int, package: int, bought: datetime, events: int, *,
                redeems: int | None = None, voided: bool = False
                ) -> tuple[int, Terms, date | None, list[tuple[int, int]]]:
        """A holding with its lines, their sale entries and `events` later changes per line (with
        `redeems`: that many redemptions spread evenly, the rest corrections up and down in turn);
        returns it with what each line has left (line id, remaining)."""
        terms = self.packs[package]
        until = valid_until(local_date(bought, BUSINESS.tz), terms.expires_in)
        holding_id = self.next_id("holding")
        voided_at = bought + timedelta(days=1) if voided else None
        self.sink.add("holding", (holding_id, customer_id, package + 1, terms.title, self.terms_json[package],
                                  self.moment(bought), self.day(until), terms.price, False,
                                  voided_at and self.moment(voided_at), 1, self.day(until), terms.unit,
                                  terms.provider_id, 0))
        left = []
        end = min(NOW, datetime.combine(until, datetime.min.time(), BUSINESS.tz)) if until else NOW
        end = voided_at or end
        for position, (service_id, quantity) in enumerate(opening_balances(terms)):
            line_id = self.next_id("holding_line")
            remaining = quantity
            self._entry(holding_id, line_id, EntryKind.SALE, quantity, remaining, bought, None, "")
            moments = sorted(bought + (end - bought) * self.rng.random() for _ in range(events)) if end > bought \
                else []
            step = max(1, len(moments) // redeems) if redeems else 0
            adjusts = 0
            for number, moment in enumerate(moments):
                change = None
                if redeems is not None:
                    if redeems and number % step == 0 and number // step < redeems:
                        change = "redeem"
                    else:
                        change, adjusts = ("up" if adjusts % 2 == 0 else "down"), adjusts + 1
                remaining = self._change(customer_id, holding_id, line_id, terms, service_id, remaining, moment,
                                         change)
            if voided_at and remaining:
                self._entry(holding_id, line_id, EntryKind.VOID, -remaining, 0, voided_at, None, "sold by mistake")
                remaining = 0
            self.sink.add("holding_line", (line_id, holding_id, position, service_id, quantity, remaining))
            left.append((line_id, remaining))
        return holding_id, terms, until, left

    def _use(self, terms: Terms, service_id: int | None) -> tuple[int, int, int | None]:
        """What one visit takes from a line of `terms`: (service, units, provider)."""
        if terms.contents is Contents.FIXED:
            return service_id or 1, 1, self.rng.choice((1, 2))
        if terms.value_type is ValueType.MINUTES:
            return 3, SERVICES[3][0], terms.provider_id or self.rng.choice((1, 2))
        if terms.value_type is ValueType.AMOUNT:
            service = self.rng.choice((1, 2))
            return service, SERVICES[service][1], self.rng.choice((1, 2))
        return self.rng.choice((1, 2)), 1, self.rng.choice((1, 2))

    def _change(self, customer_id: int, holding_id: int, line_id: int, terms: Terms, service_id: int | None,
                remaining: int, moment: datetime, change: str | None) -> int:
        """One change to a line after its sale: a redemption paying a visit, or a manager's count
        correction ("up" or "down"; None: chosen at random); returns the balance it leaves."""
        if terms.value_type is ValueType.UNLIMITED:
            return remaining  # nothing to count
        service, units, provider = self._use(terms, service_id)
        if change is None:
            change = "redeem" if self.rng.random() < self.redeem_share else self.rng.choice(("up", "down"))
        if change == "redeem" and remaining >= units:
            duration, price = SERVICES[service]
            starts = moment.replace(second=0, microsecond=0)
            appointment_id = self.appointment(customer_id, service, provider, starts, AppointmentStatus.COMPLETED,
                                              holding_id, booked=starts - timedelta(days=self.rng.randint(1, 20)))
            remaining -= units
            # paid at the desk a little after it began: in the order the line's changes were written
            entry_id = self._entry(holding_id, line_id, EntryKind.REDEEM, -units, remaining, moment, appointment_id,
                                   "1 visit" if units == 1 else f"{units} units")
            self.sink.add("payment", (self.next_id("payment"), appointment_id, holding_id, entry_id, Tender.PACKAGE,
                                      price, 2, self.moment(moment), ""))
            return remaining
        delta = -units if change == "down" and remaining >= units else units
        remaining += delta
        self._entry(holding_id, line_id, EntryKind.ADJUST, delta, remaining, moment, None,
                    "count corrected" if delta < 0 else "goodwill: a visit cut short")
        return remaining

    def _entry(self, holding_id: int, line_id: int, kind: EntryKind, delta: int, after: int, at: datetime,
               appointment_id: int | None, note: str) -> int:
        entry_id = self.next_id("ledger_entry")
        staff = 1 if kind in (EntryKind.ADJUST, EntryKind.VOID) else 2
        self.sink.add("ledger_entry", (entry_id, holding_id, line_id, kind, delta, after, appointment_id, staff,
                                       self.moment(at), note, 0))
        return entry_id

    def appointment(self, customer_id: int, service: int, provider: int | None, starts: datetime, status: str,
                    cover: int | None, booked: datetime) -> int:
        appointment_id = self.next_id("appointment")
        duration, price = SERVICES[service]
        self.sink.add("appointment", (appointment_id, customer_id, service, provider, self.moment(starts), duration,
                                      price, status, cover, "", 2, self.moment(booked)))
        return appointment_id

    def bookings(self, customer_id: int, holding_id: int, terms: Terms, until: date | None,
                 left: list[tuple[int, int]], most: int) -> int:
        """Visits to come, booked to be covered by this holding while it has room for them;
        only plain visits packages, which cover any service with any provider."""
        if (terms.contents is not Contents.ANY or terms.value_type is not ValueType.VISITS or terms.provider_id
                or (until is not None and until < local_date(NOW, BUSINESS.tz) + timedelta(days=9))):
            return 0
        count = min(most, left[0][1], self.future_left)
        for _ in range(count):
            starts = NOW + timedelta(days=self.rng.randint(0, 7), hours=self.rng.randint(1, 6))
            self.appointment(customer_id, self.rng.choice((1, 2)), self.rng.choice((1, 2)), starts,
                             AppointmentStatus.BOOKED, holding_id, booked=NOW - timedelta(days=1))
        self.future_left -= count
        return count

    def events(self) -> int:
        """How many changes a line gets after its sale: on average what the scale asks for."""
        mean = self.events_per_line
        return self.rng.randint(0, int(2 * mean)) + (1 if self.rng.random() < (2 * mean) % 1 else 0)

    def her(self) -> None:
        """The customer with 2,000 entries and 100 appointments: twenty 5-visit packs bought
        18 days apart, 95 visits paid from the first nineteen, 5 to come on the last one."""
        customer_id = self.customer(0, HER_NAME)
        packs, to_come = 20, 5
        changes = HER_ENTRIES - packs  # each pack's sale is one entry
        for number in range(packs):
            bought = NOW - timedelta(days=(packs - number) * 18 + 2)
            events = changes // packs + (1 if number < changes % packs else 0)
            redeems = (HER_APPOINTMENTS - to_come) // (packs - 1) if number < packs - 1 else 0
            holding_id, terms, until, left = self.holding(customer_id, 0, bought, events, redeems=redeems)
            if number == packs - 1:
                self.bookings(customer_id, holding_id, terms, until, left, to_come)

    def build(self) -> None:
        """Her first, then everyone else with about three holdings each; the bookings still to
        come that no package covers (paid by card at the desk) make up the count."""
        self.her()
        rng = self.rng
        customers = self.wanted.customers - 1
        holdings = self.wanted.holdings - 20
        for number in range(1, customers + 1):
            customer_id = self.customer(number)
            count = holdings // customers + (1 if rng.random() < (holdings % customers) / customers else 0)
            for _ in range(count):
                bought = NOW - timedelta(days=rng.randint(0, 400), minutes=rng.randint(0, 600))
                package = rng.randrange(len(self.packs))
                holding_id, terms, until, left = self.holding(customer_id, package, bought, self.events(),
                                                              voided=rng.random() < 0.01)
                self.bookings(customer_id, holding_id, terms, until, left, rng.randint(0, 3))
            self.sink.settled()
        while self.future_left > 0:
            starts = NOW + timedelta(days=rng.randint(0, 30), hours=rng.randint(1, 8))
            self.appointment(rng.randint(2, self.wanted.customers), rng.choice((1, 2, 3)), rng.choice((1, 2)),
                             starts, AppointmentStatus.BOOKED, None, booked=NOW - timedelta(days=2))
            self.future_left -= 1
        self.sink.flush()


# ---- building, caching ------------------------------------------------------------------------------

def fill(engine: Engine, wanted: Size, seed: int = 1) -> dict[str, int]:
    """Fill a migrated, empty database with the spa; returns how many rows each table got."""
    packs = catalogue(engine)  # with the manager, Grace Kim (1)
    with engine.begin() as connection:  # and a receptionist, who takes the payments
        connection.execute(text("INSERT INTO staff (id, name, role, active, failed_pins) "
                                "VALUES (2, 'Rita Alvarez', :role, true, 0)"), {"role": Role.RECEPTION})
    postgres = engine.dialect.name == "postgresql"
    with engine.begin() as connection:
        if not postgres:
            connection.exec_driver_sql("PRAGMA cache_size=-262144")  # 256 MB for the indexes being built
        sink = Sink(postgres_writer(connection) if postgres else sqlite_writer(connection))
        gc.disable()  # millions of small rows, none of them in a cycle: collections would only cost
        try:
            Spa(sink, packs, wanted, seed, postgres=postgres).build()
        finally:
            gc.enable()
            sink.close()
        rebuild = getattr(customer_service, "rebuild_search_index", None)
        if rebuild is not None:  # the customers' word index, when the schema has one
            rebuild(connection)
        if postgres:  # the ids were given: the sequences start after them
            for table in ORDER:
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                        f"(SELECT coalesce(max(id), 1) FROM {table}))"))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE" if postgres else "ANALYZE"))
    return sink.counts


def cache_folder() -> Path:
    folder = Path(tempfile.gettempdir()) / "frontdesk-bench"
    folder.mkdir(exist_ok=True)
    return folder


def schema_digest() -> str:
    """A short digest of the migrations' text: two schemas at the same head revision (work on two
    branches) never share a cached build."""
    folder = Path(migrate.__code__.co_filename).parent / "migrations" / "versions"
    digest = hashlib.sha256()
    for migration in sorted(folder.glob("*.py")):
        digest.update(migration.name.encode() + migration.read_bytes())
    return digest.hexdigest()[:8]


def sqlite_spa(scale: str | int, *, log: Callable[[str], None] = print) -> Path:
    """The path of a built SQLite spa at `scale` (built once, then reused): copy it before
    changing it."""
    engine = create_db_engine("sqlite://")
    head = head_revision(engine)
    engine.dispose()
    path = cache_folder() / f"spa-{scale}-{head}-{schema_digest()}-g{GENERATOR}.db"
    if path.exists():
        return path
    part = path.with_suffix(f".part{os.getpid()}")
    for leftover in (part, Path(f"{part}-wal"), Path(f"{part}-shm")):
        leftover.unlink(missing_ok=True)
    started = time.perf_counter()
    engine = create_db_engine(f"sqlite:///{part}")
    migrate(engine)
    counts = fill(engine, size(scale))
    with engine.connect() as connection:  # one file, no WAL beside it, so it can be copied
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    part.rename(path)
    log(f"built the {scale} spa in {time.perf_counter() - started:.1f} s: "
        + ", ".join(f"{count:,} {table}" for table, count in counts.items()))
    return path


def copy_of(path: Path, folder: Path, name: str = "spa.db") -> Path:
    """A copy of a built spa that a measurement may change."""
    target = folder / name
    shutil.copy(path, target)
    return target


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.dataset")
    parser.add_argument("--scale", default="100k", help="tiny, small, 100k or 1m customers, or a number")
    parser.add_argument("--rebuild", action="store_true", help="build again even if cached")
    args = parser.parse_args(None if argv is None else list(argv))
    scale = args.scale if args.scale in SCALES else int(args.scale)
    if args.rebuild:
        for old in cache_folder().glob(f"spa-{scale}-*.db"):
            old.unlink()
    print(sqlite_spa(scale))


if __name__ == "__main__":
    main()
