"""The demo spa of `frontdesk demo`: built through the use cases only, its ledger balances, and it
looks like a working day at the desk, on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
import sqlite3
from collections import Counter
from contextlib import closing
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

from frontdesk import cli
from frontdesk.db import create_db_engine
from frontdesk.demo import CUSTOMERS, DemoSummary, build_demo, populate
from frontdesk.domain.business import Business
from frontdesk.domain.periods import local_date
from frontdesk.services import appointments, catalogue, checkout, customers, ledger
from frontdesk.services.desk import Desk
from frontdesk.services.views import HoldingView
from tests.conftest import NOW, BuiltDemo

FEATURE_TITLES = {
    "Massage Pack", "4 Hours of Swedish Massage", "$200 Spa Credit", "Sauna Week", "Massage Journey",
    "10 Massages in 2 Months", "Five Basic Lessons", "Monday Massage", "Morning Yoga", "Spring Festival",
    "Open Days", "Anna's Regulars", "Goodwill Visit",
}


def all_customers(desk: Desk) -> list:
    """Every demo customer: they all have a (555) phone number."""
    return desk.read(customers.search_customers, "555", limit=10 * CUSTOMERS)


def all_holdings(desk: Desk, customer_ids: list[int]) -> list[HoldingView]:
    return [view for customer_id in customer_ids for view in desk.read(
        appointments.customer_holdings, desk.business, customer_id=customer_id)]


@pytest.fixture
def demo_summary(desk: Desk, built_demo: BuiltDemo) -> DemoSummary:
    """The demo spa at the test clock in the test's database: on SQLite a copy of the one built
    once for the session, on PostgreSQL built here, through the same use cases."""
    if desk.engine.dialect.name != "sqlite":
        return populate(desk)
    target = desk.engine.raw_connection()
    try:
        with closing(sqlite3.connect(built_demo.path)) as source:
            source.backup(target.driver_connection)
    finally:
        target.close()
    return built_demo.summary


def test_the_demo_spa(desk: Desk, demo_summary: DemoSummary) -> None:
    summary = demo_summary

    # the ledger balances, and there is plenty in it
    assert desk.read(ledger.check) == []
    assert 190 <= summary.customers <= 210
    assert 100 <= summary.holdings <= 250
    assert summary.ledger_entries > summary.holdings
    assert 12 <= summary.appointments_today <= 16

    # every example of the feature description is in the catalogue; Goodwill only by assignment
    packages = {view.title: view for view in desk.read(catalogue.list_packages, desk.business)}
    assert FEATURE_TITLES <= set(packages)
    for_sale = {view.title for view in desk.read(catalogue.list_packages, desk.business, for_sale_only=True)}
    assert "Goodwill Visit" not in for_sale and packages["Goodwill Visit"].sold_count >= 1
    assert packages["Five Basic Lessons"].terms.price == 25000
    assert "Grace Kim" in [member.name for member in desk.read(catalogue.list_staff) if member.is_manager]

    # search finds the customers, by phone, by a name fragment, and the near-duplicates together
    people = all_customers(desk)
    assert len(people) == summary.customers
    someone = people[len(people) // 2]
    fragment = someone.name.split()[-1][:4]
    assert someone.id in [found.id for found in desk.read(customers.search_customers, fragment, limit=500)]
    lopez = [found.name for found in desk.read(customers.search_customers, "lopez")]
    assert {"Maria Lopez", "Maria Lopez-Garcia"} <= set(lopez)
    assert sum(1 for person in people if not person.email) >= 10

    # holdings in every state a desk meets, each change with its ledger entry
    holdings = all_holdings(desk, [person.id for person in people])
    assert len(holdings) == summary.holdings
    statuses = Counter(view.status for view in holdings)
    assert statuses["active"] >= 30 and statuses["expired"] >= 5
    assert statuses["void"] >= 1 and statuses["used up"] >= 1
    today = local_date(NOW, desk.business.tz)
    assert any(view.status == "active" and view.valid_until and view.valid_until <= today + timedelta(days=7)
               for view in holdings), "something expires within the week"
    assert sum(1 for view in holdings if view.assigned) >= 3
    kinds = Counter(line.kind for person in people
                    for line in desk.read(ledger.history, desk.business, customer_id=person.id, limit=10_000))
    refunds = kinds.pop("refund", 0)  # the history shows money given back too
    assert sum(kinds.values()) == summary.ledger_entries
    assert {"sale", "assign", "redeem", "reverse", "adjust", "void"} <= set(kinds)
    assert refunds >= 1

    # the past is settled: nothing before today is still booked, everything completed is paid
    start_of_today = datetime.combine(today, time(0), desk.business.tz)
    past = [visit for person in people
            for visit in desk.read(appointments.customer_appointments, customer_id=person.id, limit=10_000)
            if visit.starts_at < start_of_today]
    assert len(past) >= 200
    assert all(visit.status != "booked" for visit in past)
    assert all(visit.is_paid for visit in past if visit.status == "completed")
    assert all(visit.paid_money == 0 for visit in past if visit.status == "cancelled")  # money went back
    assert Counter(visit.status for visit in past).keys() >= {"completed", "cancelled", "no-show"}

    # today: between 09:00 and 18:00, the early ones paid, several waiting, some on a package
    day = desk.read(appointments.day_appointments, desk.business, day=today)
    assert len(day) == summary.appointments_today
    opening, closing = (datetime.combine(today, moment, desk.business.tz) for moment in (time(9), time(18)))
    assert all(opening <= visit.starts_at and visit.starts_at + timedelta(minutes=visit.duration_min) <= closing
               for visit in day)
    unpaid = [visit for visit in day if not visit.is_paid and visit.status != "cancelled"]
    assert len(unpaid) == summary.unpaid_today >= 3
    assert any(visit.is_paid for visit in day)
    covered = [visit for visit in unpaid if any(option.is_default for option in desk.read(
        checkout.options, desk.business, appointment_id=visit.id))]
    assert len(covered) >= 2
    flagged = [visit for visit in unpaid if visit.cover_holding_id is not None]
    assert flagged and all(visit in covered for visit in flagged)

    # and the coming two weeks are booked
    upcoming = [visit for offset in range(1, 15) for visit in desk.read(
        appointments.day_appointments, desk.business, day=today + timedelta(days=offset))]
    assert len(upcoming) >= 30 and any(visit.cover_holding_id for visit in upcoming)


def _names(path: Path, business: Business) -> list[str]:
    engine = create_db_engine(f"sqlite:///{path}")
    try:
        return sorted(person.name for person in all_customers(Desk(engine, business, clock=lambda: NOW)))
    finally:
        engine.dispose()


def test_build_demo_replaces_the_file_and_is_repeatable(
    tmp_path: Path, business: Business, capsys: pytest.CaptureFixture[str], built_demo: BuiltDemo
) -> None:
    first, second = tmp_path / "demo.db", tmp_path / "again.db"
    first.write_text("not a database")  # an old file (and its WAL) is replaced
    Path(f"{first}-wal").write_text("stale")
    shutil.copy(built_demo.path, second)  # the same build, made earlier in the session

    summary = build_demo(first, business, now=NOW)
    assert isinstance(summary, DemoSummary) and summary.customers == CUSTOMERS
    assert built_demo.summary == summary
    assert _names(first, business) == _names(second, business)

    assert cli.main(["--db", f"sqlite:///{first}", "check"]) == 0  # `frontdesk check`
    assert "Ledger OK" in capsys.readouterr().out
