"""Controls at the counter: which cancellations a receptionist may do, and which need a manager.

Reception cancels what has not happened yet. Anything that gives a unit or money back after the
visit began, and any change to an appointment that took place or was missed, is a manager's, with
a reason. Refunds on cancelling a booked appointment before it begins, up to what was paid, are
the policy; more is never refunded.
"""

from __future__ import annotations

from datetime import datetime

from frontdesk.domain.kinds import AppointmentStatus


def cancel_needs_manager(
    status: AppointmentStatus, starts_at: datetime, now: datetime, *, gives_back: bool
) -> str | None:
    """What cancelling would do that only a manager may ("cancel an appointment that took
    place"), or None when reception may cancel it. `gives_back`: it was paid from a package or
    with money, so cancelling returns a unit or money."""
    if status == AppointmentStatus.COMPLETED:
        return "cancel an appointment that took place"
    if status == AppointmentStatus.NO_SHOW:
        return "cancel a no-show"
    if gives_back and starts_at <= now:
        return "give back a visit or money after the appointment began"
    return None
