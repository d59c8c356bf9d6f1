"""The small spa the use-case tests run against (see `tests/world.py`), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from frontdesk.services.desk import Desk
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


@pytest.fixture
def spa(desk: Desk) -> Spa:
    return Spa(desk)


@pytest.fixture
def maria(spa: Spa) -> int:
    """Maria Lopez, a customer of the spa."""
    return spa.customer()
