"""Waiting for a screen to be ready, the one way every screen test does it (never by sleeping)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import DataTable, Input
from textual.worker import WorkerCancelled, WorkerState

ROUNDS = 50  # workers that start more workers settle in a few rounds; this only bounds a runaway loop
TABLE_TIMEOUT_S = 30.0  # a table that never gets to its idle handler fails the test instead of hanging it


async def settle(pilot: Pilot) -> None:
    """Workers done, their results on screen, and every table (on every screen) has laid out its
    rows — a DataTable measures new rows when its message queue runs empty, which a busy machine
    can delay — and the cursor no longer blinks, so snapshots are stable."""
    app = pilot.app
    for _ in range(ROUNDS):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:  # a screen closed meanwhile (sign-in giving way to the owner's set-up) took its work
            pass
        await pilot.pause()
        await tables_laid_out(pilot)
        if not any(worker.state in (WorkerState.PENDING, WorkerState.RUNNING) for worker in app.workers):
            if not on_its_way(app):
                break
            await pilot.pause(0.01)  # a screen on its way (its page read, a timer to open it anyway)
    await pilot.pause()
    for field in app.screen.query(Input):
        field.cursor_blink = False


def on_its_way(app) -> bool:  # type: ignore[no-untyped-def]
    """A screen is on its way: a customer asked for and not opened yet, or keys held for a screen."""
    return getattr(app, "opening_customer", None) is not None or getattr(app, "held_keys", None) is not None


async def tables_laid_out(pilot: Pilot) -> None:
    """Return once every DataTable has processed what it was sent so far, its idle handler (where
    it measures new rows and cells) included: `call_next` runs a callback right after that."""
    tables = [table for screen in pilot.app.screen_stack for table in screen.query(DataTable)]
    await _drained(tables)
    # what the tables told their screens on the way (a section sized to its rows) is handled too
    await _drained(pilot.app.screen_stack)
    await pilot.pause()


async def refreshed(pilot: Pilot, node) -> None:
    """Once what `node` asked to run after its next refresh has run (`call_after_refresh` keeps
    order), and the screen has been drawn again with it, so regions read from the new layout."""
    for waiting in (node, pilot.app.screen):
        done = asyncio.Event()
        waiting.call_after_refresh(done.set)
        waiting.refresh()
        await asyncio.wait_for(done.wait(), TABLE_TIMEOUT_S)
    await pilot.pause()


async def _drained(nodes: list) -> None:
    """Once each node has processed what it was sent so far: `call_next` runs right after that."""
    done = [asyncio.Event() for _ in nodes]
    for node, event in zip(nodes, done, strict=True):
        node.call_next(event.set)
    await asyncio.wait_for(asyncio.gather(*(event.wait() for event in done)), TABLE_TIMEOUT_S)


PAUSES = 600  # × 50 ms: a bound on waiting (30 s on a busy machine), never a measure of how soon


async def until(pilot: Pilot, shown: Callable[[], bool], what: str) -> None:
    """Pause until `shown()` holds — what a timer, another desk or a chain of workers brings about
    without a key pressed, where `settle` may see a quiet moment between two of its steps."""
    for _ in range(PAUSES):
        if shown():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"never showed {what}")
