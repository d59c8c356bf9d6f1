"""Typing at the desk: text as the key presses a receptionist makes."""

from __future__ import annotations

from textual.pilot import Pilot

from tests.screens.settle import settle


async def type_text(pilot: Pilot, text: str, *, then_settle: bool = False) -> None:
    """Press the key of each character of `text` (a space is "space"); with `then_settle`, wait
    until the screen has done what the typing started."""
    await pilot.press(*("space" if char == " " else char for char in text))
    if then_settle:
        await settle(pilot)
