"""Typing at the desk: text as the key presses a receptionist makes, one by one or in a burst."""

from __future__ import annotations

import unicodedata

from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot

from tests.screens.settle import settle


async def type_text(pilot: Pilot, text: str, *, then_settle: bool = False) -> None:
    """Press the key of each character of `text` (a space is "space"); with `then_settle`, wait
    until the screen has done what the typing started."""
    await pilot.press(*chars(text))
    if then_settle:
        await settle(pilot)


def chars(text: str) -> list[str]:
    """The keys that type `text`, one a character (a space is "space")."""
    return ["space" if char == " " else char for char in text]


async def burst(pilot: Pilot, *keys: str) -> None:
    """Send `keys` (named as for `pilot.press`) all at once, as a paste or typing over SSH reaches
    the app: the app reads them one after another without waiting for any to take effect (where
    `pilot.press` waits for the app to go idle after each key). Then wait until the screen is done."""
    driver = pilot.app._driver
    assert driver is not None
    for key in keys:
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        try:
            char: str | None = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(pilot.app)
        driver.send_message(event)
    await settle(pilot)
