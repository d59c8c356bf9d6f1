"""Waiting for a screen to be ready, the one way every screen test does it (never by sleeping)."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import DataTable, Input


async def settle(pilot: Pilot) -> None:
    """Workers done, and every table (on every screen) has measured its new rows — a DataTable
    does that when its message queue runs empty, which a busy machine can delay — and the
    cursor no longer blinks, so snapshots are stable."""
    for _ in range(50):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        tables = [table for screen in pilot.app.screen_stack for table in screen.query(DataTable)]
        if not any(table._require_update_dimensions or table._updated_cells for table in tables):  # noqa: SLF001
            break
    await pilot.pause()
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
