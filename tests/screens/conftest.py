"""Screen tests run the app on a fresh SQLite database with the fixed test clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from frontdesk.db import create_db_engine
from frontdesk.services.desk import Desk
from frontdesk.services.views import Business
from tests.conftest import NOW, fresh_database_url


@pytest.fixture
def screen_desk(request: pytest.FixtureRequest, tmp_path: Path, business: Business) -> Iterator[Desk]:
    url = next(fresh_database_url("sqlite", request, tmp_path))
    engine = create_db_engine(url)
    yield Desk(engine, business, clock=lambda: NOW)
    engine.dispose()


# the small spa and the demo spa, for every screen test
from tests.screens.customer_data import demo_desk, demo_file, spa  # noqa: E402,F401
