"""Changes made at other desks: a watcher that wakes when the database changes, so each desk
shows what another one just did and nobody sells against a stale balance.

PostgreSQL: the watcher LISTENs on a connection of its own (autocommit, in a thread); each commit
that changes a table a desk shows sends a notice naming the table (the triggers of migration
0010), delivered only once the transaction has committed.
SQLite: the watcher reads ``PRAGMA data_version`` on a connection of its own every `poll`
seconds; the number changes whenever another connection has committed.

Either way the watcher calls `on_change` from its thread with the names of the tables that
changed (empty: not known, perhaps any), once per burst of commits: after the first it waits
`settle` seconds for the rest. A database it cannot reach (a stopped server) is tried again with
growing pauses, said once in the log when lost and once when back (a change is reported then:
some may have been missed); the watcher never raises. `stop()` ends it within a poll.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from urllib.parse import quote

from sqlalchemy import Engine

from frontdesk.db import sqlite_file

log = logging.getLogger("frontdesk")

CHANNEL = "frontdesk_changes"  # what migration 0010's triggers notify
POLL_SECONDS = 0.2  # SQLite: how often data_version is read; PostgreSQL: how often a stop is noticed
SETTLE_SECONDS = 0.1  # a burst of commits (a sale writes several tables) is reported once
RETRY_SECONDS = (0.5, 1.0, 2.0, 5.0, 10.0)  # pauses between tries to reach a lost database; then the last
CHECK_SECONDS = 5.0  # PostgreSQL: a quiet connection is checked this often, so a lost one is noticed
CONNECT_TIMEOUT_S = 3

OnChange = Callable[[frozenset[str]], None]


class ChangeWatcher:
    """Calls `on_change` (from its own thread) when another connection commits a change."""

    def __init__(self, engine: Engine, on_change: OnChange, *, poll: float = POLL_SECONDS,
                 settle: float = SETTLE_SECONDS, retry: Sequence[float] = RETRY_SECONDS) -> None:
        self.engine = engine
        self.on_change = on_change
        self.poll = poll
        self.settle = settle
        self.retry = tuple(retry)
        self.ready = threading.Event()  # set while it watches (again, after a lost connection)
        self.lost = threading.Event()  # set while the database cannot be reached: it is tried again
        self.tries = 0  # tries to reach it again since it was lost
        self._tried = threading.Condition()  # told after each try, for `wait_for_tries`
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> ChangeWatcher:
        self._thread = threading.Thread(target=self._run, name="frontdesk-changes", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        """Stop watching; returns once the thread has ended (or after `timeout`)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def wait_for_tries(self, count: int, timeout: float) -> bool:
        """Whether it has tried `count` times to reach a lost database, waiting up to `timeout`."""
        with self._tried:
            return self._tried.wait_for(lambda: self.tries >= count, timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # ---- inside the thread -------------------------------------------------------------------------

    def _run(self) -> None:
        watch = self._watch_sqlite if sqlite_file(self.engine) is not None else self._watch_postgres
        while not self._stop.is_set():
            try:
                watch()  # returns only when stopped
            except Exception as error:  # a lost server, a refused connection; a bug is logged in full
                self.ready.clear()
                if not self.lost.is_set():
                    self.lost.set()
                    driver = sys.modules.get("psycopg")  # loaded by the PostgreSQL watcher only
                    expected = isinstance(error, (sqlite3.Error, OSError)) or (
                        driver is not None and isinstance(error, driver.Error))
                    log.warning("Live updates paused: cannot reach the database (%s); trying again",
                                _first_line(error), exc_info=None if expected else error)
                pause = self.retry[min(self.tries, len(self.retry) - 1)]
                with self._tried:
                    self.tries += 1
                    self._tried.notify_all()
                self._stop.wait(pause)

    def _watching(self) -> None:
        """Connected and listening: say so if it was lost, and report a change (what changed
        while it was lost was not heard)."""
        self.tries = 0
        if self.lost.is_set():
            self.lost.clear()
            log.warning("Live updates resumed: the database is reachable again")
            self._emit(frozenset())
        self.ready.set()

    def _emit(self, tables: frozenset[str]) -> None:
        try:
            self.on_change(tables)
        except Exception:
            log.exception("Could not pass on a change made at another desk")

    def _watch_sqlite(self) -> None:
        path = sqlite_file(self.engine)
        # read-write (the file must exist, and a WAL file is read through its shared memory) but
        # it only ever reads one number
        with closing(sqlite3.connect(f"file:{quote(str(path))}?mode=rw", uri=True, timeout=1,
                                     isolation_level=None, check_same_thread=False)) as connection:
            version = _data_version(connection)
            self._watching()
            while not self._stop.wait(self.poll):
                now = _data_version(connection)
                if now == version:
                    continue
                if self._stop.wait(self.settle):
                    return
                version = _data_version(connection)  # the rest of the burst, in the same report
                self._emit(frozenset())

    def _watch_postgres(self) -> None:
        import psycopg  # here, in the watcher's thread: a SQLite desk never loads it

        conninfo = self.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S, keepalives=1,
                             keepalives_idle=10, keepalives_interval=5, keepalives_count=3) as connection:
            connection.execute(f"LISTEN {CHANNEL}")
            self._watching()
            checked = time.monotonic()
            while not self._stop.is_set():
                tables = {notice.payload for notice in connection.notifies(timeout=self.poll, stop_after=1)}
                if tables:
                    until = time.monotonic() + self.settle
                    while (left := until - time.monotonic()) > 0 and not self._stop.is_set():
                        tables.update(notice.payload for notice in connection.notifies(timeout=left))
                    if not self._stop.is_set():
                        self._emit(frozenset(tables))
                    checked = time.monotonic()
                elif time.monotonic() - checked >= CHECK_SECONDS:
                    connection.execute("SELECT 1")  # a server gone without a word is noticed here
                    checked = time.monotonic()


def _data_version(connection: sqlite3.Connection) -> int:
    return connection.execute("PRAGMA data_version").fetchone()[0]


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def wake_seconds(engine: Engine, commits: Iterable[Callable[[], object]], *, timeout: float = 5.0) -> list[float]:
    """For the bench: run each of `commits` (each commits a change, through another connection)
    and measure the seconds from its return to a watcher on `engine` being woken by it."""
    woke = threading.Event()
    watcher = ChangeWatcher(engine, lambda _tables: woke.set()).start()
    times = []
    try:
        if not watcher.ready.wait(timeout):
            raise TimeoutError("the change watcher did not start")
        for commit in commits:
            woke.clear()
            commit()
            started = time.perf_counter()
            if not woke.wait(timeout):
                raise TimeoutError(f"no change seen {timeout} s after a commit")
            times.append(time.perf_counter() - started)
    finally:
        watcher.stop()
    return times
