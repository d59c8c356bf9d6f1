"""Who is acting, and when: every use case takes both from the desk it runs at, never from its
caller, and checks here who may do what, with a message to show.

`Desk` puts the person signed in and the desk's clock into the session it opens
(`session.info`); `acting`, `require_staff` and `require_manager` read the first, `clock` the
second. A use case therefore has no `actor` or `now` parameter: nobody can act for someone else
or backdate an entry through it.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from frontdesk.domain.kinds import Role
from frontdesk.models import Staff, utcnow
from frontdesk.services.errors import NotAllowed

STAFF_KEY = "frontdesk.staff_id"  # in session.info: who is signed in at the desk
CLOCK_KEY = "frontdesk.now"  # in session.info: the desk's clock when the transaction began


def at_desk(session: Session, staff_id: int | None, now: datetime) -> Session:
    """Mark `session` as run at a desk where `staff_id` is signed in (None: nobody) at `now`."""
    session.info[STAFF_KEY] = staff_id
    session.info[CLOCK_KEY] = now
    return session


def acting(session: Session) -> int | None:
    """The id of the person signed in at the desk, or None."""
    return session.info.get(STAFF_KEY)


def clock(session: Session) -> datetime:
    """The desk's time for this transaction (the real time outside a desk)."""
    return session.info.get(CLOCK_KEY) or utcnow()


def require_staff(session: Session) -> int:
    """The signed-in person's id, when they are an active member of staff."""
    actor = acting(session)
    if actor is None:
        raise NotAllowed("Nobody is signed in at this desk.")
    staff = session.get(Staff, actor)
    if staff is None or not staff.active:
        raise NotAllowed("Unknown or inactive staff member.")
    return actor


def require_manager(session: Session, action: str) -> int:
    """The signed-in person's id, when they are a manager; else why not ("Only a manager can …")."""
    actor = require_staff(session)
    if session.get(Staff, actor).role != Role.MANAGER:
        raise NotAllowed(f"Only a manager can {action}.")
    return actor
