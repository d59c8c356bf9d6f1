"""Benchmarks at scale: `make bench` (or `python -m bench [--customers N] [--sqlite-only]`).

Customer search at 100k customers, indexed (FTS5 trigram on SQLite, pg_trgm on PostgreSQL)
against the baseline of the same query as a plain scan, measured in the same run; figures are
reported as ratios because the machines are noisy.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, func, insert, or_, select, text

from frontdesk.db import create_db_engine, migrate, read_session
from frontdesk.domain.contacts import DEFAULT_REGION, fold, kept_phone, phone_digits, phone_key, search_text
from frontdesk.models import Customer
from frontdesk.services.customers import search_customers

FIRST = ["Maria", "Anna", "John", "Li", "Sofia", "Omar", "Grace", "Ivan", "Chloe", "Dev", "Nora", "Paul",
         "Rita", "Sam", "Yuki", "Zoe", "Ben", "Ada", "Luis", "Mei", "Tom", "Ella", "Ravi", "Ines"]
LAST = ["Lopez", "Smith", "Kim", "Patel", "Nguyen", "Garcia", "Brown", "Rossi", "Muller", "Silva",
        "Khan", "Cohen", "Dubois", "Novak", "Ito", "Okafor", "Larsen", "Moreau", "Haddad", "Walsh"]
QUERIES = ["mar", "lopez", "soph", "maria lop", "555 20", "201-33", "example.com", "zoe.walsh", "ana"]


def populate(engine: Engine, count: int) -> None:
    rng = random.Random(1)
    rows = []
    for number in range(count):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}{'' if number % 3 else '-' + rng.choice(LAST)}"
        phone = kept_phone(f"({rng.randint(200, 999)}) {rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
                           DEFAULT_REGION)
        email = f"{name.lower().replace(' ', '.')}{number}@example.com"
        rows.append({"name": name, "phone": phone, "email": email, "note": "",
                     "phone_digits": phone_key(phone, DEFAULT_REGION), "search_name": fold(name),
                     "search_text": search_text(name, phone, email, DEFAULT_REGION)})
    with engine.begin() as connection:
        for start in range(0, count, 5000):
            connection.execute(insert(Customer), rows[start:start + 5000])
        if engine.dialect.name == "postgresql":
            connection.execute(text("ANALYZE customer"))


def scan(session, query: str, limit: int = 50) -> list:  # type: ignore[no-untyped-def]
    """The baseline: the same words matched by a plain scan of name, phone and email."""
    statement = select(Customer.id)
    for word in query.lower().split():
        pattern = f"%{phone_digits(word) or word}%" if phone_digits(word) == word.replace(" ", "") else f"%{word}%"
        statement = statement.where(or_(func.lower(Customer.name).like(pattern), Customer.phone_digits.like(pattern),
                                         func.lower(Customer.email).like(pattern)))
    return session.execute(statement.order_by(Customer.name).limit(limit)).all()


def timed(work: Callable[[], object], repeat: int = 7) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def bench_search(engine: Engine, label: str, count: int) -> None:
    started = time.perf_counter()
    populate(engine, count)
    print(f"\n{label}: {count:,} customers loaded in {time.perf_counter() - started:.1f} s")
    print(f"  {'query':<14}{'indexed ms':>12}{'scan ms':>10}{'scan / indexed':>16}")
    ratios = []
    with read_session(engine) as session:
        for query in QUERIES:
            search_customers(session, query)  # warm the cache for both
            scan(session, query)
            indexed = timed(lambda: search_customers(session, query))
            baseline = timed(lambda: scan(session, query))
            ratios.append(baseline / indexed)
            print(f"  {query!r:<14}{indexed * 1000:>12.2f}{baseline * 1000:>10.2f}{baseline / indexed:>15.1f}×")
    print(f"  geometric mean speed-up over the scan: {statistics.geometric_mean(ratios):.1f}×")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = create_db_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        migrate(engine)
        bench_search(engine, "SQLite", args.customers)
        engine.dispose()
    if args.sqlite_only:
        return
    from tests.pgserver import PostgresServer

    server = PostgresServer.start()
    try:
        engine = create_db_engine(server.url())
        migrate(engine)
        bench_search(engine, "PostgreSQL", args.customers)
        engine.dispose()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
