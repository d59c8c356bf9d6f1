"""What every measurement shares: the scale, the built spa, a scratch folder, and desks on it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bench.balances import BUSINESS, NOW
from bench.dataset import SCALES, cache_folder, copy_of
from frontdesk.db import create_db_engine
from frontdesk.services import catalogue
from frontdesk.services.desk import Desk


@dataclass
class Setting:
    scale: str
    spa: Path  # the built spa (read it; copy it before changing it)
    scratch: Path  # a folder for this run's copies
    quick: bool = False

    @property
    def customers(self) -> int:
        return SCALES[self.scale] if self.scale in SCALES else int(self.scale)

    @property
    def fts_path(self) -> Path:
        return cache_folder() / f"{self.spa.stem}-fts5.db"

    def rounds(self, full: int) -> int:
        return full if not self.quick else max(3, full // 5)

    def desk(self, path: Path | None = None, url: str | None = None) -> Desk:
        """A desk on the spa (or on `path` / `url`) at the spa's clock, nobody signed in."""
        engine = create_db_engine(url or f"sqlite:///{path or self.spa}")
        return Desk(engine, BUSINESS, clock=lambda: NOW)

    def copy(self, name: str) -> Path:
        return copy_of(self.spa, self.scratch, name)


def signed_in(desk: Desk, name: str = "Grace Kim") -> Desk:
    desk.staff = next(member for member in desk.read(catalogue.list_staff) if member.name == name)
    return desk


def signed_in_app(desk: Desk):  # type: ignore[no-untyped-def]
    """The real app on `desk`, the manager signed in (as the screen tests build it)."""
    from frontdesk.app import FrontDeskApp

    return FrontDeskApp(signed_in(desk))
