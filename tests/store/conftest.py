"""The small spa the use-case tests run against (see `tests/world.py`), on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from frontdesk.db import create_db_engine
from frontdesk.services.desk import Desk
from tests.conftest import NOW, TEMPLATE, new_business
from tests.pgserver import PostgresServer
from tests.world import World


class Spa(World):
    """Grace (manager) and Rita (reception); Swedish Massage (60 min, $80), Thai Massage (90 min,
    $100), Sauna (30 min, $25), Basic Lesson (60 min, $60); Anna and Ben. `manager` and
    `reception` are their staff ids. Rita is signed in at the desk."""

    def __init__(self, desk: Desk) -> None:
        super().__init__(desk, staff=("Grace (manager)", "Rita (reception)"),
                         services=("Swedish Massage", "Thai Massage", "Sauna", "Basic Lesson"))
        desk.staff = self.rita  # Rita is signed in at the desk; a manager's steps say `desk.by(spa.manager)`

    @property
    def manager(self) -> int:
        return self.grace.id

    @property
    def reception(self) -> int:
        return self.rita.id


def _spa_built(url: str) -> dict[str, Any]:
    """Build the spa in the database at `url`; what a Spa built there holds (its ids and views)."""
    engine = create_db_engine(url)
    built = Spa(Desk(engine, new_business(), clock=lambda: NOW))
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:  # everything in the main file, for a plain copy
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return {name: value for name, value in vars(built).items() if name != "desk"}


@pytest.fixture(scope="session")
def spa_sqlite_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with the spa built in it once; each spa test works on a copy."""
    path = tmp_path_factory.mktemp("spa") / "spa.db"
    shutil.copy(sqlite_template, path)
    _SPA_BUILT["sqlite"] = _spa_built(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def spa_postgresql_template(postgres: PostgresServer) -> str:
    """A PostgreSQL template database with the spa built in it once; each spa test gets a copy."""
    admin = create_db_engine(postgres.url())
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f"CREATE DATABASE {SPA_TEMPLATE} TEMPLATE {TEMPLATE} STRATEGY FILE_COPY"))
    admin.dispose()
    _SPA_BUILT["postgresql"] = _spa_built(postgres.url(SPA_TEMPLATE))
    return SPA_TEMPLATE


SPA_TEMPLATE = "frontdesk_spa_template"
_SPA_BUILT: dict[str, dict[str, Any]] = {}  # backend → what the spa built in its template holds


@pytest.fixture
def spa(desk: Desk) -> Spa:
    """The spa, as built once in the template this test's database is a copy of (the same rows, so
    the same ids): a Spa over this test's desk, without building it again."""
    spa = Spa.__new__(Spa)
    vars(spa).update(_SPA_BUILT[desk.engine.dialect.name], desk=desk)
    desk.staff = spa.rita  # as Spa() leaves it
    return spa


@pytest.fixture
def maria(spa: Spa) -> int:
    """Maria Lopez, a customer of the spa."""
    return spa.customer()
