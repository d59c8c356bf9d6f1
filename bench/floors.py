"""The floors the benchmarks are measured against: a bare Textual app, raw FTS5.

- `BareApp`: Header, DataTable, Footer and nothing else (cold start, memory, opening a customer);
- `BareLookup`: an Input over a DataTable that runs the raw FTS5 query on each key;
- `fts_copy`: a raw sqlite3 copy of the spa's customers with an FTS5 prefix index over name,
  phone and email, and `fts_lookup`, its query ranked by `rank` with LIMIT 50.

`python -m bench.floors app` runs the bare app until ctrl+q (the pty cold start's floor);
`python -m bench.floors memory FTS_DB QUERY` runs the bare lookup headless on one query and
prints its peak memory (kB).
"""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header, Input

FTS_COLUMNS = ("name", "phone", "email")


def fts_copy(spa: Path, target: Path) -> Path:
    """A raw sqlite3 copy of the spa's customers with an FTS5 index (built once per spa file)."""
    if target.exists():
        return target
    part = target.with_suffix(".part")
    part.unlink(missing_ok=True)
    with sqlite3.connect(part) as connection:
        connection.execute("CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT, phone TEXT, email TEXT)")
        source = sqlite3.connect(f"file:{spa}?mode=ro", uri=True)
        rows = source.execute("SELECT id, name, phone, email FROM customer WHERE merged_into_id IS NULL")
        while batch := rows.fetchmany(20_000):
            connection.executemany("INSERT INTO customer VALUES (?, ?, ?, ?)", batch)
        source.close()
        connection.execute("CREATE VIRTUAL TABLE customer_fts USING fts5(name, phone, email, content='customer', "
                           "content_rowid='id')")
        connection.execute("INSERT INTO customer_fts(customer_fts) VALUES ('rebuild')")
    part.rename(target)
    return target


def fts_terms(query: str) -> str:
    return " ".join('"%s"*' % word.replace('"', "") for word in query.split())


def fts_lookup(connection: sqlite3.Connection, query: str, limit: int = 50) -> list[tuple]:
    """The floor of a lookup: an FTS5 prefix query ranked by rank, LIMIT 50."""
    return connection.execute(
        "SELECT c.id, c.name, c.phone, c.email FROM customer_fts f JOIN customer c ON c.id = f.rowid "
        "WHERE customer_fts MATCH ? ORDER BY rank LIMIT ?", (fts_terms(query), limit)).fetchall()


class BareApp(App[None]):
    """A bare Textual app: Header, DataTable, Footer."""

    TITLE = "Bare"

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Name", "Phone", "Email")
        self.query_one(DataTable).add_row("Bare", "ready", "now")


class BareLookup(App[None]):
    """An Input over a DataTable: each key runs the raw FTS5 query and shows its rows."""

    def __init__(self, fts_db: Path) -> None:
        super().__init__()
        self.connection = sqlite3.connect(fts_db, check_same_thread=False)
        self.shown_for = ""

    def compose(self) -> ComposeResult:
        yield Input(id="search")
        yield DataTable(id="results")

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(*FTS_COLUMNS)

    def on_input_changed(self, event: Input.Changed) -> None:
        table = self.query_one(DataTable)
        table.clear()
        if event.value.strip():
            table.add_rows([row[1:] for row in fts_lookup(self.connection, event.value)])
        self.shown_for = event.value


def peak_kb() -> int:
    """This process's peak resident memory, from /proc (VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


async def _bare_memory(fts_db: Path, query: str) -> None:
    app = BareLookup(fts_db)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press(*query)
        while app.shown_for != query or not app.query_one(DataTable).row_count:
            await pilot.pause()


if __name__ == "__main__":
    if sys.argv[1:2] == ["app"]:
        BareApp().run()
    elif sys.argv[1:2] == ["memory"]:
        asyncio.run(_bare_memory(Path(sys.argv[2]), sys.argv[3]))
        print(peak_kb())
    else:
        raise SystemExit("usage: python -m bench.floors app | memory FTS_DB QUERY")
