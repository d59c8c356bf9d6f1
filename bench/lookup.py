"""Customer lookup per keystroke: through the use case, and through the real screen.

The use case `search_customers(session, query, limit=50)` runs through `Desk.read`, as the home
screen's worker calls it, against raw FTS5 on a raw sqlite3 copy of the same customers. On the
screen, Pilot types into the signed-in app's lookup and waits for the table to show the match,
against a bare Textual app (Input + DataTable) that runs the raw FTS5 query on each key.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time

from textual.pilot import Pilot

from bench.floors import BareLookup, fts_copy, fts_lookup
from bench.harness import Report, interleaved, p95
from bench.setting import Setting, facing, home_of, signed_in_app
from frontdesk.services.customers import search_customers

TYPED = ["a", "an", "ann", "anna"]  # a name typed letter by letter


def queries(setting: Setting) -> list[tuple[str, str]]:
    """(what it is, query): the name typed letter by letter, a phone and an email fragment of a
    customer who is there."""
    with sqlite3.connect(f"file:{setting.spa}?mode=ro", uri=True) as connection:
        phone, email = connection.execute(
            "SELECT phone, email FROM customer WHERE id = (SELECT max(id) / 2 FROM customer)").fetchone()
    digits = "".join(char for char in phone if char.isdigit())
    return ([(f"name '{query}'", query) for query in TYPED]
            + [("phone fragment", f"{digits[3:6]}-{digits[6:8]}"), ("email fragment", email.split("@")[0][-12:])])


def target_ms(setting: Setting) -> float:
    return 25.0 if setting.customers >= 1_000_000 else 10.0


def use_case(report: Report, setting: Setting) -> None:
    desk = setting.desk()
    raw = sqlite3.connect(fts_copy(setting.spa, setting.fts_path))
    limit = target_ms(setting)
    for label, query in queries(setting):
        timings = interleaved(lambda: desk.read(search_customers, query, limit=50),
                              lambda: fts_lookup(raw, query), setting.rounds(40))
        ratio = timings.p95 / timings.floor_p95
        report.add(f"lookup use case, {label}: p95", timings.p95 * 1000, "ms p95", baseline="raw FTS5 query",
                   baseline_value=timings.floor_p95 * 1000, ratio=ratio,
                   target=f"≤ 1.0× and ≤ {limit:g} ms p95", met=ratio <= 1.0 and timings.p95 * 1000 <= limit)
    raw.close()
    desk.engine.dispose()


async def _key_to_match(pilot: Pilot, key: str, shown: callable) -> float:  # type: ignore[valid-type]
    facing(pilot.app)
    started = time.perf_counter()
    await pilot.press(key)
    while not shown():
        await pilot.pause()
    return time.perf_counter() - started


async def _screen(setting: Setting) -> tuple[list[float], list[float]]:
    app = signed_in_app(setting.desk())
    bare = BareLookup(fts_copy(setting.spa, setting.fts_path))
    samples: list[float] = []
    floor: list[float] = []
    async with app.run_test(size=(100, 32)) as pilot, bare.run_test(size=(100, 32)) as bare_pilot:
        home = await home_of(pilot)
        for round_ in range(setting.rounds(10) + 1):
            typed = ""
            for key in TYPED[-1]:
                typed += key
                took = await _key_to_match(pilot, key, lambda: home.shown_for == typed and home.results
                                           and home.query_one("#results").row_count)
                bare_took = await _key_to_match(bare_pilot, key, lambda: bare.shown_for == typed
                                                and bare.query_one("#results").row_count)
                if round_:  # the first round warms both
                    samples.append(took)
                    floor.append(bare_took)
            facing(app)
            await pilot.press("escape")  # empties the lookup
            while home.query_text:
                await pilot.pause()
            facing(bare)
            await bare_pilot.press(*["backspace"] * len(typed))
            while bare.shown_for:
                await bare_pilot.pause()
    app.desk.engine.dispose()
    return samples, floor


def screen(report: Report, setting: Setting) -> None:
    samples, floor = asyncio.run(_screen(setting))
    ratio = p95(samples) / p95(floor)
    report.add("lookup on the screen, key → match shown: p95", p95(samples) * 1000, "ms p95",
               baseline="bare Textual Input+DataTable, raw FTS5", baseline_value=p95(floor) * 1000, ratio=ratio,
               target="≤ 1.0× p95", met=ratio <= 1.0)


def run(report: Report, setting: Setting) -> None:
    use_case(report, setting)
    screen(report, setting)
