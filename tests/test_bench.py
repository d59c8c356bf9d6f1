"""The benchmarks' own parts, at a tiny scale: the spa the generator builds keeps a consistent
ledger, and the harness writes results.json with every field. No timing is asserted here."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from bench.dataset import HER_APPOINTMENTS, HER_ENTRIES, HER_ID, Size, fill
from bench.harness import Report, interleaved, p95
from frontdesk.db import read_session
from frontdesk.services import checkup, ledger

CUSTOMERS = 60


def test_the_generated_spa_keeps_a_consistent_ledger(engine: Engine) -> None:
    """On both databases: SQLite's rows go in by executemany, PostgreSQL's by COPY, each from a
    thread writing while the next rows are made."""
    counts = fill(engine, Size(CUSTOMERS))
    with read_session(engine) as session:
        assert ledger.check(session) == []
        assert checkup.payment_problems(session) == []
        assert checkup.stored_value_problems(session) == []
        connection = session.connection()
        # each entry's balance_after is the running sum of its line's deltas, in the order written
        running: dict[int, int] = defaultdict(int)
        for line_id, delta, after in connection.execute(text(
                "SELECT line_id, delta, balance_after FROM ledger_entry ORDER BY line_id, created_at, id")):
            running[line_id] += delta
            assert after == running[line_id]
        lines = dict(connection.execute(text("SELECT id, remaining FROM holding_line")).all())
        assert lines == dict(running)
        # a holding's cached total is its lines' sum (the schema's triggers kept it)
        assert connection.execute(text(
            "SELECT count(*) FROM holding h WHERE h.remaining <> "
            "(SELECT sum(remaining) FROM holding_line l WHERE l.holding_id = h.id)")).scalar_one() == 0
        # every redemption pays a completed appointment of the holding's customer
        assert connection.execute(text(
            "SELECT count(*) FROM ledger_entry e JOIN appointment a ON a.id = e.appointment_id "
            "JOIN holding h ON h.id = e.holding_id WHERE e.kind = 'redeem' "
            "AND (a.status <> 'completed' OR a.customer_id <> h.customer_id)")).scalar_one() == 0
        her_entries = connection.execute(text(
            "SELECT count(*) FROM ledger_entry e JOIN holding h ON h.id = e.holding_id "
            "WHERE h.customer_id = :her"), {"her": HER_ID}).scalar_one()
        her_appointments = connection.execute(text(
            "SELECT count(*) FROM appointment WHERE customer_id = :her"), {"her": HER_ID}).scalar_one()
        customers = connection.execute(text("SELECT count(*) FROM customer")).scalar_one()
    assert (her_entries, her_appointments) == (HER_ENTRIES, HER_APPOINTMENTS)
    assert customers == counts["customer"] == CUSTOMERS


def test_the_harness_writes_results_with_every_field(tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    report = Report("tiny", path)
    timings = interleaved(lambda: sum(range(100)), lambda: sum(range(10)), 5)
    report.add("a sum: p95", timings.p95 * 1000, "ms p95", baseline="a shorter sum",
               baseline_value=timings.floor_p95 * 1000, target="≤ 1.0× p95", met=timings.p95 <= timings.floor_p95)
    report.add("errors", 0, "errors", baseline="none", baseline_value=None, target="0 errors", met=True)
    report.add("a figure", 2.5, "ms", baseline="none", baseline_value=None, target="none set", met=None)
    report.write()
    written = json.loads(path.read_text())
    assert [row["name"] for row in written] == ["a sum: p95", "errors", "a figure"]
    for row in written:
        assert set(row) == {"name", "value", "unit", "baseline", "baseline_value", "ratio", "target", "met", "scale"}
        assert row["scale"] == "tiny"
    assert [row["met"] for row in written[1:]] == [True, None]  # a figure without a target is not "met"
    first = written[0]
    assert first["ratio"] == pytest.approx(timings.p95 / timings.floor_p95, abs=0.001)
    assert written[1]["ratio"] is None and written[1]["baseline_value"] is None
    assert len(timings.samples) == len(timings.floor) == 5
    assert p95([3.0, 1.0, 2.0]) == 3.0
