"""The desk: runs use cases in transactions and turns database trouble into plain messages.

Screens call `Desk.read` / `Desk.write` from thread workers; everything that can go wrong
arrives as a `FrontDeskError` whose text can be shown as it is. Each transaction carries who is
signed in at the desk and the desk's clock (`roles.at_desk`): the use cases act for that person,
at that time, and take neither from their caller.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable
from datetime import datetime
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlmodel import Session

from frontdesk.db import read_session, write_session
from frontdesk.domain.business import Business
from frontdesk.models import utcnow
from frontdesk.services.errors import AlreadyPaid, Busy, FrontDeskError, NoBalanceLeft
from frontdesk.services.roles import at_desk
from frontdesk.services.views import StaffView

P = ParamSpec("P")
R = TypeVar("R")

LOCKED = ("database is locked", "lock timeout", "locknotavailable", "could not obtain lock",
          "deadlock detected", "could not serialize")


def translate(error: DBAPIError) -> FrontDeskError:
    """A database error as a message for the desk."""
    text = str(error.orig or error).lower()
    if isinstance(error, IntegrityError):
        if "ux_ledger_standing_redeem" in text or "ledger_entry.appointment_id" in text:
            return AlreadyPaid("This appointment has already been paid from a package.")
        if "ck_holding_line_remaining" in text:
            return NoBalanceLeft("No balance left on this package: it was just used, perhaps at another desk.")
        return FrontDeskError("The change clashed with another one and was not saved; try again.")
    if any(marker in text for marker in LOCKED):
        return Busy("Another desk is changing the same record; nothing was saved, try again.")
    if isinstance(error, OperationalError):
        return Busy("Cannot reach the database; nothing was saved, try again.")
    return FrontDeskError(f"The database refused the change: {str(error.orig or error).splitlines()[0]}")


_SIGNED_IN = object()  # `Desk._acting` when the person signed in acts (not one named by `by`)


class Desk:
    """The engine, the business settings and the clock, shared by every screen."""

    def __init__(self, engine: Engine, business: Business, clock: Callable[[], datetime] = utcnow,
                 staff: StaffView | None = None) -> None:
        self.engine = engine
        self.business = business
        self.clock = clock
        self.staff = staff  # who signed in at this desk (None while it is locked); acts in every use case
        self._acting: int | None | object = _SIGNED_IN
        # how many write transactions this desk (and its copies from `by` and `at`) has committed,
        # for screens that read again only when something may have changed
        self._committed = itertools.count(1)
        self._last_commit = [0]

    @property
    def writes(self) -> int:
        """A number that changes whenever this desk (or a copy of it) commits a write."""
        return self._last_commit[0]

    @property
    def is_manager(self) -> bool:
        return self.staff is not None and self.staff.is_manager

    def now(self) -> datetime:
        return self.clock()

    def by(self, staff_id: int | None, *, at: datetime | None = None) -> Desk:
        """This desk as if `staff_id` were signed in (None: nobody) and, with `at`, its clock
        stopped there. For the demo's history and for tests: the app's screens use the desk as
        it is, so what they write is always by the person signed in, at the desk's time."""
        other = copy.copy(self)
        other._acting = staff_id
        if at is not None:
            other.clock = lambda: at
        return other

    def at(self, moment: datetime) -> Desk:
        """This desk with its clock stopped at `moment` (see `by`)."""
        other = copy.copy(self)
        other.clock = lambda: moment
        return other

    @property
    def acting_id(self) -> int | None:
        """Who acts in the use cases: the person signed in (or the one `by` names)."""
        if self._acting is not _SIGNED_IN:
            return self._acting
        return self.staff.id if self.staff is not None else None

    def _session(self, session: Session) -> Session:
        return at_desk(session, self.acting_id, self.now())

    def read(self, use_case: Callable[Concatenate[Session, P], R], *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            with read_session(self.engine) as session:
                return use_case(self._session(session), *args, **kwargs)
        except DBAPIError as error:
            raise translate(error) from error

    def write(self, use_case: Callable[Concatenate[Session, P], R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Run `use_case` in one write transaction: all of it is saved, or none of it."""
        try:
            with write_session(self.engine) as session:
                result = use_case(self._session(session), *args, **kwargs)
        except DBAPIError as error:
            raise translate(error) from error
        self._last_commit[0] = next(self._committed)  # shared with the copies; `next` is atomic
        return result
