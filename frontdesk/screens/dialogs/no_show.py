"""Marking a no-show, for every screen that lists appointments (the customer, the day book): what
the package's cancellation policy will do is read first and said in the dialog (a manager may turn
it, with a reason), then `appointments.no_show` is written, its outcome said in one notification,
and the screen reads itself again."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual import on, work
from textual.message import Message

from frontdesk.domain.kinds import AppointmentStatus
from frontdesk.domain.periods import local_date
from frontdesk.screens.base import DeskScreen
from frontdesk.screens.dialogs.reason import ReasonDialog, Refunding
from frontdesk.services import appointments
from frontdesk.services.appointments import NoShow, PolicyPreview, policy_preview
from frontdesk.services.views import AppointmentView
from frontdesk.widgets.appointments import when_text


@dataclass
class NoShowPolicyRead(Message):
    """What the package's policy will do to `appointment` if it is marked a no-show."""

    appointment: AppointmentView
    preview: PolicyPreview


@dataclass
class NoShowMarked(Message):
    result: NoShow


class MarksNoShows(DeskScreen[None]):
    """For screens that mark a no-show: `mark_no_show` reads the policy and asks; once marked the
    screen's `reload` reads it again."""

    def may_be_no_show(self, appointment: AppointmentView) -> bool:
        """Booked, and begun: before it begins it is cancelled instead."""
        return appointment.status == AppointmentStatus.BOOKED and appointment.starts_at <= self.desk.now()

    def mark_no_show(self, appointment: AppointmentView) -> None:
        self._read_no_show_policy(appointment)

    @work(thread=True, exclusive=True, group="no-show-policy", exit_on_error=False)
    def _read_no_show_policy(self, appointment: AppointmentView) -> None:
        preview = self.desk.read(policy_preview, appointment_id=appointment.id, no_show=True)
        self.post_fresh(NoShowPolicyRead(appointment, preview))

    @on(NoShowPolicyRead)
    def _no_show_policy_read(self, message: NoShowPolicyRead) -> None:
        self.ask_no_show(message.appointment, message.preview)

    def override_label(self, preview: PolicyPreview) -> str | None:
        """A manager may turn the policy's outcome, with a reason."""
        if not self.desk.is_manager or preview.verdict is None or not preview.verdict.policy:
            return None
        return "Override: " + ("give the unit back" if preview.verdict.forfeits else "forfeit the unit")

    def ask_no_show(self, appointment: AppointmentView, preview: PolicyPreview) -> None:
        tz = self.desk.business.tz
        when = when_text(appointment.starts_at, tz, local_date(self.desk.now(), tz))
        prompt = f"{appointment.customer_name} did not come to {appointment.service_name} on {when}?"
        if preview.words:
            prompt += f"\n{preview.words}"
        self.ask("no-show", ReasonDialog(
            "Mark a no-show", prompt, required=False, confirm_label="Mark no-show", cancel_label="Keep it",
            override_label=self.override_label(preview),
        ), partial(self._no_show, appointment.id))

    @work(thread=True, exclusive=True, group="no-show", exit_on_error=False)
    def _no_show(self, appointment_id: int, answer: str | Refunding) -> None:
        desk = self.desk
        reason, override = (answer.reason, answer.override) if isinstance(answer, Refunding) else (answer, False)
        self.post_fresh(NoShowMarked(desk.write(appointments.no_show, desk.business,
                                                appointment_id=appointment_id, override=override,
                                                reason=reason)))

    @on(NoShowMarked)
    def _no_show_marked(self, message: NoShowMarked) -> None:
        self.answered("no-show")
        result = message.result
        words = [f"{result.appointment.service_name} marked a no-show."]
        for part in (result.forfeited, result.returned):
            if part:
                words.append(part[0].upper() + part[1:] + ".")
        self.notify(" ".join(words), timeout=8)
        self.reload()

    def reload(self) -> None:
        """Read the screen again (after a no-show is marked)."""
        raise NotImplementedError
