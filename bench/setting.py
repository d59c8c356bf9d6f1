"""What every measurement shares: the scale, the built spa, a scratch folder, and desks on it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.balances import BUSINESS, NOW
from bench.dataset import SCALES, cache_folder, copy_of, fill, size
from frontdesk.db import create_db_engine, migrate
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


def facing(app) -> None:  # type: ignore[no-untyped-def]
    """Two apps run side by side in one event loop: Textual's "active app" is the one acted on."""
    from textual._context import active_app

    active_app.set(app)


def signed_in_app(desk: Desk):  # type: ignore[no-untyped-def]
    """The real app on `desk`, the manager signed in (as the screen tests build it)."""
    from frontdesk.app import FrontDeskApp

    return FrontDeskApp(signed_in(desk))


async def home_of(pilot):  # type: ignore[no-untyped-def]
    """The real app's home screen, once it is on top."""
    from frontdesk.screens.home import HomeScreen

    while not isinstance(pilot.app.screen, HomeScreen):
        await pilot.pause()
    return pilot.app.screen


class PostgresSpa:
    """A throwaway PostgreSQL server with a spa built in bulk (COPY) and copies of it."""

    def __init__(self, server, scale: str) -> None:  # type: ignore[no-untyped-def]
        self.server, self.scale = server, scale

    def copy(self, name: str) -> str:
        """A fresh copy of the spa (a database made from it as a template)."""
        engine = create_db_engine(self.server.url())
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
            # FILE_COPY copies the files; the default writes every page through the WAL
            connection.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE spa STRATEGY FILE_COPY')
        engine.dispose()
        return self.server.url(name)


@contextmanager
def postgres_spa(setting: Setting, scale: str | None = None) -> Iterator[PostgresSpa]:
    """A PostgreSQL spa, `small` (10k customers) unless told: enough for what is measured there."""
    from tests.pgserver import PostgresServer

    scale = scale or ("tiny" if setting.quick else "small")
    server = PostgresServer.start()
    try:
        engine = create_db_engine(server.url())
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("CREATE DATABASE spa")
        engine.dispose()
        engine = create_db_engine(server.url("spa"))
        migrate(engine)
        started = time.perf_counter()
        counts = fill(engine, size(scale))
        engine.dispose()
        print(f"built the {scale} spa on PostgreSQL in {time.perf_counter() - started:.1f} s: "
              + ", ".join(f"{count:,} {table}" for table, count in counts.items()), flush=True)
        yield PostgresSpa(server, scale)
    finally:
        server.stop()
