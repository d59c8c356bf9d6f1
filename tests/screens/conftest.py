"""Screen tests run the app on a fresh SQLite database with the fixed test clock: an empty one
(`screen_desk`, for the small spas of the tests), or a copy of the demo day spa (`demo_desk`, for
snapshots that should look like a real day at the desk)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import textual._wait

from frontdesk.db import create_db_engine
from frontdesk.domain.business import Business
from frontdesk.services import catalogue
from frontdesk.services.desk import Desk
from tests.conftest import NOW, BuiltDemo, fresh_database_url

# `pilot.press` waits after each key until the process looks idle: it sleeps in steps of 20 ms and
# checks the CPU time used meanwhile. Steps of 4 ms (the same share of busy time for "idle") make a
# key cost ~8 ms of waiting instead of ~40 ms; what a test waits for deterministically (workers done,
# tables laid out) it waits for with `settle`, never with this heuristic.
textual._wait.SLEEP_GRANULARITY = 0.004
textual._wait.SLEEP_IDLE = textual._wait.SLEEP_GRANULARITY / 20


@pytest.fixture
def screen_desk(request: pytest.FixtureRequest, tmp_path: Path, business: Business) -> Iterator[Desk]:
    url = next(fresh_database_url("sqlite", request, tmp_path))
    engine = create_db_engine(url)
    yield Desk(engine, business, clock=lambda: NOW)
    engine.dispose()


@pytest.fixture
def demo_desk(built_demo: BuiltDemo, tmp_path: Path, business: Business) -> Iterator[Desk]:
    """A desk on a fresh copy of the demo, with the manager Grace Kim at the desk."""
    path = tmp_path / "demo.db"
    shutil.copy(built_demo.path, path)
    engine = create_db_engine(f"sqlite:///{path}")
    desk = Desk(engine, business, clock=lambda: NOW)
    desk.staff = next(member for member in desk.read(catalogue.list_staff) if member.name == "Grace Kim")
    yield desk
    engine.dispose()


# the small spa of the lookup, customer and dialog tests
from tests.screens.customer_data import spa  # noqa: E402,F401
