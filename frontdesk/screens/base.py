"""What every screen and dialog shares (`DeskScreen`, and `DeskModal` for dialogs): the typed app
and its desk, database work in thread workers, one place where a worker's failure becomes a
message, and forms that the screen asks and then writes.

Database work runs in `@work(thread=True, exclusive=True, group=..., exit_on_error=False)`
methods that call a use case through the desk and post a typed message back (`post_fresh`
drops the result of a run that a newer one of the same group replaced). A `FrontDeskError` — a
locked database, a balance spent at another desk, a refusal — reaches `work_failed` with its
group, so each screen shows it where it belongs; any other exception is logged with its
traceback and shown as a plain message, never a crash or a freeze.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import events, getters
from textual.binding import ActiveBinding
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState, get_current_worker

from frontdesk.app import FrontDeskApp
from frontdesk.services.errors import FrontDeskError

log = logging.getLogger("frontdesk")

ResultType = TypeVar("ResultType")

if TYPE_CHECKING:
    from frontdesk.screens.dialogs.form import FormDialog
    from frontdesk.services.desk import Desk  # the ORM loads after the sign-in shows


def as_desk_error(error: BaseException | None) -> FrontDeskError:
    """A worker's failure as a message for the desk: refusals as they are, bugs logged."""
    if isinstance(error, FrontDeskError):
        return error
    log.error("Unexpected error in database work", exc_info=error)
    name = type(error).__name__ if error is not None else "unknown error"
    return FrontDeskError(f"Something went wrong ({name}); nothing more was done. Try again, "
                          "or tell a manager if it keeps happening.")


MANAGERS_ONLY = "Managers only: ask a manager to sign in (ctrl+l)."


class DeskScreen(Screen[ResultType]):
    """A screen of the app: the desk, database work in workers, and forms it asks and writes.

    `MANAGER_ACTIONS` are shown dimmed to reception (their `check_action` says so); pressing one
    says why instead of doing nothing."""

    app = getters.app(FrontDeskApp)
    MANAGER_ACTIONS: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._forms: dict[str, FormDialog[Any]] = {}  # forms open for answers being written, by group

    @property
    def desk(self) -> Desk:
        return self.app.desk

    def post_fresh(self, message: Message) -> None:
        """From a worker: deliver its result, unless a newer run of its group replaced it."""
        if not get_current_worker().is_cancelled:
            self.post_message(message)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state is WorkerState.ERROR and not worker.is_cancelled:
            event.stop()
            self.work_failed(worker.group, as_desk_error(worker.error))

    def work_failed(self, group: str, error: FrontDeskError) -> None:
        """A worker of `group` failed. When it was writing a form's answer, the form shows the
        refusal (and stays open); anything else shows as a notification."""
        form = self._forms.get(group)
        if form is not None and form.is_attached:
            form.refused(error)
        else:
            self.show_error(error)

    # ---- forms: the dialog asks, the screen writes ------------------------------------------------

    def ask(self, group: str, form: FormDialog[ResultType], write: Callable[[ResultType], object]) -> None:
        """Open `form`; its answer goes to `write`, which starts the write in a worker of `group`.
        The form stays open meanwhile: `answered(group)` closes it when the write is done; a
        refusal shows in it, under the fields, nothing typed lost."""
        form.answer_to = write
        self._forms[group] = form
        self.app.push_screen(form)

    def answered(self, group: str) -> None:
        """The write of `group`'s form is done: close the form."""
        form = self._forms.pop(group, None)
        if form is not None and form.is_attached:
            form.dismiss(form.answer)

    def on_key(self, event: events.Key) -> None:
        """A key whose action cannot act now (a manager's, pressed by reception; nothing selected
        to act on): say why instead of doing nothing."""
        active = self.active_bindings.get(event.key)
        if active is None or active.enabled:
            return
        why = self.why_not(active.binding.action.split("(")[0])
        if why:
            event.stop()
            event.prevent_default()
            self.notify(why, severity="warning")

    def why_not(self, action: str) -> str | None:
        """Why `action` cannot act now, when `check_action` has dimmed it: every one of
        `MANAGER_ACTIONS` for reception; a screen adds what depends on what is selected."""
        return MANAGERS_ONLY if action in self.MANAGER_ACTIONS and not self.desk.is_manager else None

    def show_error(self, error: FrontDeskError) -> None:
        self.notify(error.message, severity="error", timeout=8)


class DeskModal(ModalScreen[ResultType], DeskScreen[ResultType]):
    """A dialog over the current screen; it dismisses with its result (None when cancelled).

    `labels` renames this dialog's actions in its footer and the palette, e.g. {"submit": "Void
    package"} where the class says "Save"."""

    labels: Mapping[str, str] = {}

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        bindings = super().active_bindings
        return {
            key: active._replace(binding=replace(active.binding, description=self.labels[active.binding.action]))
            if active.binding.action in self.labels else active
            for key, active in bindings.items()
        }
