"""The desk: runs use cases in transactions and turns database trouble into plain messages.

Screens call `Desk.read` / `Desk.write` from thread workers; everything that can go wrong
arrives as a `FrontDeskError` whose text can be shown as it is.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlmodel import Session

from frontdesk.db import read_session, write_session
from frontdesk.domain.business import Business
from frontdesk.models import utcnow
from frontdesk.services.errors import AlreadyPaid, Busy, FrontDeskError, NoBalanceLeft
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


@cache
def _parameters(use_case: Callable[..., object]) -> frozenset[str]:
    return frozenset(inspect.signature(use_case).parameters)


class Desk:
    """The engine, the business settings and the clock, shared by every screen."""

    def __init__(self, engine: Engine, business: Business, clock: Callable[[], datetime] = utcnow,
                 staff: StaffView | None = None) -> None:
        self.engine = engine
        self.business = business
        self.clock = clock
        self.staff = staff  # who signed in at this desk (None while it is locked); acts in every use case

    @property
    def staff_id(self) -> int:
        if self.staff is None:
            raise FrontDeskError("Nobody is signed in at this desk.")
        return self.staff.id

    @property
    def is_manager(self) -> bool:
        return self.staff is not None and self.staff.is_manager

    def now(self) -> datetime:
        return self.clock()

    def _with_clock(self, use_case: Callable[..., object], kwargs: dict) -> dict:
        """Use cases that take `now` get the desk's clock, and those that act for someone
        (`actor`) the person signed in at the desk, unless the caller gave them."""
        parameters = _parameters(use_case)
        if "now" not in kwargs and "now" in parameters:
            kwargs["now"] = self.now()
        if "actor" not in kwargs and "actor" in parameters and self.staff is not None:
            kwargs["actor"] = self.staff.id
        return kwargs

    def read(self, use_case: Callable[Concatenate[Session, P], R], *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            with read_session(self.engine) as session:
                return use_case(session, *args, **self._with_clock(use_case, kwargs))
        except DBAPIError as error:
            raise translate(error) from error

    def write(self, use_case: Callable[Concatenate[Session, P], R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Run `use_case` in one write transaction: all of it is saved, or none of it."""
        try:
            with write_session(self.engine) as session:
                return use_case(session, *args, **self._with_clock(use_case, kwargs))
        except DBAPIError as error:
            raise translate(error) from error
