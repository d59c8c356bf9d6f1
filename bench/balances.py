"""The managers' balances list at scale: `python -m bench.balances [--holdings N] [--sqlite-only]`.

Builds N holdings (100k by default) in bulk, spread over a third as many customers and a dozen
packages of every kind, with their balance lines, their opening entries and a use for two in
five; then times pages of `balances.balances_page` (the median of several runs) against the
baseline of a raw `SELECT … LIMIT 50` over the same tables, in the same run. Figures are ratios
because the machines are noisy.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, insert, text

from frontdesk.db import create_db_engine, migrate, read_session
from frontdesk.domain.business import Business
from frontdesk.domain.kinds import EntryKind, Role
from frontdesk.domain.money import currency_for
from frontdesk.domain.periods import local_date, valid_until
from frontdesk.domain.terms import Contents, FixedLine, Period, PeriodUnit, Terms, ValueType, opening_balances
from frontdesk.models import Customer, Holding, HoldingLine, LedgerEntry, Package, Provider, Service, Staff
from frontdesk.services.balances import balances_page
from frontdesk.services.matching import phone_digits
from frontdesk.services.roles import at_desk

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=timezone.utc)
BUSINESS = Business(tz=ZoneInfo("America/New_York"), currency=currency_for("USD"))
FIRST = ["Maria", "Anna", "John", "Li", "Sofia", "Omar", "Grace", "Ivan", "Chloe", "Dev", "Nora", "Paul"]
LAST = ["Lopez", "Smith", "Kim", "Patel", "Nguyen", "Garcia", "Brown", "Rossi", "Muller", "Silva", "Khan"]
CHUNK = 5000


def catalogue(engine: Engine) -> list[Terms]:
    """A manager, three services, two providers and the packages the holdings are made of."""
    with engine.begin() as connection:
        connection.execute(insert(Staff), [{"id": 1, "name": "Grace Kim", "role": Role.MANAGER, "active": True,
                                            "failed_pins": 0}])
        connection.execute(insert(Service), [
            {"id": 1, "name": "Swedish Massage", "duration_min": 60, "price": 8000, "archived": False},
            {"id": 2, "name": "Thai Massage", "duration_min": 90, "price": 10000, "archived": False},
            {"id": 3, "name": "Sauna", "duration_min": 30, "price": 2500, "archived": False}])
        connection.execute(insert(Provider), [{"id": 1, "name": "Anna", "archived": False},
                                              {"id": 2, "name": "Ben", "archived": False}])
    months = Period(2, PeriodUnit.MONTHS)
    packs = []
    for copy in range(3):  # four kinds, three of each
        packs += [
            Terms(title=f"Massage Pack {copy + 1}", quantity=5 + copy, price=35000, expires_in=months),
            Terms(title=f"Sauna Hours {copy + 1}", value_type=ValueType.MINUTES, quantity=180, price=9000,
                  provider_id=1 if copy == 0 else None, provider_name="Anna" if copy == 0 else None),
            Terms(title=f"Credit {copy + 1}", value_type=ValueType.AMOUNT, quantity=30000, price=27000,
                  expires_in=Period(12, PeriodUnit.MONTHS) if copy else None),
            Terms(title=f"Duo {copy + 1}", contents=Contents.FIXED, value_type=None, price=17000,
                  fixed_lines=(FixedLine(1, "Swedish Massage", 1), FixedLine(2, "Thai Massage", 1)),
                  expires_in=months),
        ]
    packs.append(Terms(title="Unlimited Month", value_type=ValueType.UNLIMITED, price=20000,
                       expires_in=Period(1, PeriodUnit.MONTHS)))
    with engine.begin() as connection:
        connection.execute(insert(Package), [
            {"id": number + 1, "title": terms.title, "contents": terms.contents, "value_type": terms.value_type,
             "quantity": terms.quantity, "all_services": True, "price": terms.price, "for_sale": True,
             "provider_id": terms.provider_id, "archived": False, "created_at": NOW, "updated_at": NOW}
            for number, terms in enumerate(packs)])
    return packs


def populate(engine: Engine, count: int) -> None:
    """`count` holdings over count / 3 customers, in bulk (no use case: this is about reading)."""
    rng = random.Random(1)
    packs = catalogue(engine)
    customers = max(1, count // 3)
    rows = []
    for number in range(customers):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        phone = f"({rng.randint(200, 999)}) {rng.randint(200, 999)}-{rng.randint(1000, 9999)}"
        email = f"{name.lower().replace(' ', '.')}{number}@example.com"
        digits = phone_digits(phone)
        rows.append({"id": number + 1, "name": name, "phone": phone, "email": email, "note": "",
                     "phone_digits": digits, "search_text": f"{name.lower()} {digits} {email}", "created_at": NOW})
    with engine.begin() as connection:
        for start in range(0, len(rows), CHUNK):
            connection.execute(insert(Customer), rows[start:start + CHUNK])
    holdings, lines, entries = [], [], []
    line_id = entry_id = 0
    for number in range(count):
        holding_id = number + 1
        package = rng.randrange(len(packs))
        terms = packs[package]
        bought = NOW - timedelta(days=rng.randint(0, 400), minutes=rng.randint(0, 600))
        until = valid_until(local_date(bought, BUSINESS.tz), terms.expires_in)
        holdings.append({"id": holding_id, "customer_id": rng.randint(1, customers), "package_id": package + 1,
                         "title": terms.title, "terms": terms.to_dict(), "purchased_at": bought, "valid_until": until,
                         "price_paid": terms.price, "assigned": False, "unit": terms.unit,
                         "provider_id": terms.provider_id,
                         "voided_at": bought + timedelta(days=1) if number % 97 == 0 else None, "created_by": 1})
        for position, (service_id, quantity) in enumerate(opening_balances(terms)):
            line_id += 1
            used = rng.randint(0, quantity) if quantity and rng.random() < 0.4 else 0
            lines.append({"id": line_id, "holding_id": holding_id, "position": position, "service_id": service_id,
                          "initial": quantity, "remaining": quantity - used})
            entry_id += 1
            entries.append({"id": entry_id, "holding_id": holding_id, "line_id": line_id, "kind": EntryKind.SALE,
                            "delta": quantity, "balance_after": quantity, "staff_id": 1, "created_at": bought,
                            "note": "", "seq": 0})
            if used:
                entry_id += 1
                entries.append({"id": entry_id, "holding_id": holding_id, "line_id": line_id,
                                "kind": EntryKind.REDEEM, "delta": -used, "balance_after": quantity - used,
                                "staff_id": 1, "created_at": bought + timedelta(days=rng.randint(1, 20)),
                                "note": "", "seq": 0})
    with engine.begin() as connection:
        for table, batch in ((Holding, holdings), (HoldingLine, lines), (LedgerEntry, entries)):
            for start in range(0, len(batch), CHUNK):
                connection.execute(insert(table), batch[start:start + CHUNK])
    # statistics, and on PostgreSQL the visibility map that index-only scans need (autovacuum's work)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))


def baseline(session) -> list:  # type: ignore[no-untyped-def]
    """The floor: a raw page of 50 holdings with their customers, no filter, no order, no count."""
    return session.execute(text(
        "SELECT h.id, c.name, c.phone, h.title, h.valid_until FROM holding h "
        "JOIN customer c ON c.id = h.customer_id LIMIT 50")).all()


def timed(work: Callable[[], object], repeat: int = 9) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


CASES: list[tuple[str, dict]] = [
    ("active, by expiry", {"status": "active", "sort": "expiry"}),
    ("every status, by expiry", {"sort": "expiry"}),
    ("active, page 200", {"status": "active", "sort": "expiry", "offset": 200 * 50}),
    ("by customer name", {"sort": "customer"}),
    ("by left, descending", {"status": "active", "sort": "left", "descending": True}),
    ("by last used", {"sort": "last used"}),
    ("customer 'maria'", {"customer": "maria", "sort": "customer"}),
    ("expiring in 14 days", {"expiring_within": 14, "sort": "expiry"}),
    ("package + at least 3", {"package_id": 1, "min_left": 3, "sort": "left"}),
    ("provider Anna", {"provider_id": 1, "sort": "expiry"}),
    ("grouped by customer", {"group": "customer", "sort": "customer"}),
    ("grouped by package", {"group": "package", "sort": "package"}),
]


def bench_pages(engine: Engine, label: str, count: int) -> None:
    started = time.perf_counter()
    populate(engine, count)
    print(f"\n{label}: {count:,} holdings loaded in {time.perf_counter() - started:.1f} s")
    print(f"  {'page':<26}{'page ms':>9}{'baseline ms':>13}{'page / baseline':>17}")
    ratios, pages = [], []
    with read_session(engine) as session:
        at_desk(session, 1, NOW)
        for name, options in CASES:
            page = lambda: balances_page(session, BUSINESS, limit=50, **options)  # noqa: E731
            floor = lambda: baseline(session)  # noqa: E731
            page()  # warm the cache for both
            floor()
            took, base = timed(page), timed(floor)
            ratios.append(took / base)
            pages.append(took)
            print(f"  {name:<26}{took * 1000:>9.2f}{base * 1000:>13.2f}{took / base:>16.1f}×")
    print(f"  median page {statistics.median(pages) * 1000:.1f} ms, slowest {max(pages) * 1000:.1f} ms; "
          f"geometric mean page / baseline: {statistics.geometric_mean(ratios):.1f}×")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.balances")
    parser.add_argument("--holdings", type=int, default=100_000)
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = create_db_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        migrate(engine)
        bench_pages(engine, "SQLite", args.holdings)
        engine.dispose()
    if args.sqlite_only:
        return
    from tests.pgserver import PostgresServer

    server = PostgresServer.start()
    try:
        engine = create_db_engine(server.url())
        migrate(engine)
        bench_pages(engine, "PostgreSQL", args.holdings)
        engine.dispose()
    finally:
        server.stop()


if __name__ == "__main__":
    main()


def run(report, setting) -> None:  # type: ignore[no-untyped-def]
    """The managers' overview in the harness: each page against the raw page, in turns, on
    SQLite at 100k holdings (5k with --quick); no target is set for it, the ratio is reported."""
    from bench.harness import interleaved

    count = 5_000 if setting.quick else 100_000
    path = setting.scratch / "balances.db"
    engine = create_db_engine(f"sqlite:///{path}")
    migrate(engine)
    populate(engine, count)
    with read_session(engine) as session:
        at_desk(session, 1, NOW)
        for name, options in CASES:
            timings = interleaved(lambda: balances_page(session, BUSINESS, limit=50, **options),  # noqa: B023
                                  lambda: baseline(session), setting.rounds(9))
            report.add(f"managers' overview, {name}: median ({count // 1000}k holdings)", timings.median * 1000,
                       "ms median", baseline="raw SELECT … LIMIT 50", baseline_value=timings.floor_median * 1000,
                       target="none set (figure reported)", met=None)
    engine.dispose()
    path.unlink(missing_ok=True)
