"""What every screen shares: the desk, and database work in thread workers.

`run_db` runs a use case through the desk in a thread worker (never on the UI thread) and hands
the result — or the `FrontDeskError` — back on the UI thread as a message, so a locked database
or a balance spent at another desk becomes a message on screen, never a crash or a freeze.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual.message import Message
from textual.screen import ModalScreen, Screen

from frontdesk.services.desk import Desk
from frontdesk.services.errors import FrontDeskError


@dataclass
class DbDone(Message):
    """A use case finished in a worker; `deliver` calls the screen's handler with its result."""

    deliver: Callable[[], None]


class DeskWork:
    """Mixin for screens (and modal screens) that talk to the database."""

    @property
    def desk(self) -> Desk:
        return self.app.desk  # type: ignore[attr-defined]

    def run_db(
        self,
        use_case: Callable[..., Any],
        *args: Any,
        then: Callable[[Any], None],
        failed: Callable[[FrontDeskError], None] | None = None,
        write: bool = False,
        group: str = "db",
        **kwargs: Any,
    ) -> None:
        """Run `use_case(session, *args, **kwargs)` off the UI thread; call `then(result)` or
        `failed(error)` (default: `show_error`) back on the UI thread."""
        desk = self.desk
        failure = failed or self.show_error

        def job() -> None:
            try:
                result = (desk.write if write else desk.read)(use_case, *args, **kwargs)
            except FrontDeskError as error:
                self.post_message(DbDone(partial(failure, error)))  # type: ignore[attr-defined]
            except Exception as error:  # a bug: say so on screen rather than fail silently
                problem = FrontDeskError(f"Something went wrong: {type(error).__name__}: {error}")
                self.post_message(DbDone(partial(failure, problem)))  # type: ignore[attr-defined]
            else:
                self.post_message(DbDone(partial(then, result)))  # type: ignore[attr-defined]

        self.run_worker(job, thread=True, group=group, exit_on_error=False)  # type: ignore[attr-defined]

    def show_error(self, error: FrontDeskError) -> None:
        self.notify(error.message, severity="error", timeout=8)  # type: ignore[attr-defined]

    def on_db_done(self, message: DbDone) -> None:
        message.stop()
        message.deliver()


class DeskScreen(DeskWork, Screen[Any]):
    """A full screen of the app."""


class DeskModal(DeskWork, ModalScreen[Any]):
    """A dialog over the current screen; Escape cancels it."""
