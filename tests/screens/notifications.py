"""The notifications an app posts while a test runs it (`run_test` does not show them on screen)."""

from __future__ import annotations

from textual.message import Message
from textual.notifications import Notify


class Notifications:
    """Pass `hook` as `run_test(message_hook=...)`; `messages` then lists every notification's
    text, oldest first."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def hook(self, message: Message) -> None:
        if isinstance(message, Notify):
            self.messages.append(message.notification.message)

    def __str__(self) -> str:
        return " | ".join(self.messages)
