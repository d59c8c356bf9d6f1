"""Who may do what: every use case that acts for someone checks it here, with a message to show."""

from __future__ import annotations

from sqlmodel import Session

from frontdesk.domain.kinds import Role
from frontdesk.models import Staff
from frontdesk.services.errors import NotAllowed


def require_staff(session: Session, actor: int | None) -> Staff:
    if actor is None:
        raise NotAllowed("Nobody is signed in at this desk.")
    staff = session.get(Staff, actor)
    if staff is None or not staff.active:
        raise NotAllowed("Unknown or inactive staff member.")
    return staff


def require_manager(session: Session, actor: int | None, action: str) -> Staff:
    staff = require_staff(session, actor)
    if staff.role != Role.MANAGER:
        raise NotAllowed(f"Only a manager can {action}.")
    return staff
