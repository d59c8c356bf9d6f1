"""What can go wrong in a use case, each with a message a receptionist can act on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from frontdesk.domain.bounds import text_problem


class FrontDeskError(Exception):
    """Base of all expected failures; `str(error)` is the message to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(FrontDeskError):
    pass


class InvalidInput(FrontDeskError):
    """Bad input; `fields` maps each field to its message (shown next to the field)."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        self.fields = dict(fields)
        super().__init__(" ".join(self.fields.values()))


class NotAllowed(FrontDeskError):
    """The person at the desk may not do this (e.g. a manager's action)."""


class NotCovered(FrontDeskError):
    """The chosen package does not cover the appointment; `reasons` says why."""

    def __init__(self, title: str, reasons: Sequence[str]) -> None:
        self.reasons = tuple(reasons)
        super().__init__(f"{title} does not cover this appointment: {'; '.join(self.reasons)}.")


class NoBalanceLeft(FrontDeskError):
    """The balance was spent meanwhile (e.g. at another desk)."""


class AlreadyPaid(FrontDeskError):
    pass


class DuplicateCustomer(FrontDeskError):
    """A customer with the same phone or email exists; `matches` are their names and ids."""

    def __init__(self, matches: Sequence[tuple[int, str]]) -> None:
        self.matches = tuple(matches)
        names = ", ".join(name for _, name in self.matches)
        super().__init__(f"Same phone or email as {names}. Save anyway, or open the existing customer.")


class Busy(FrontDeskError):
    """The database is busy or unreachable; trying again is safe."""


REASON_MAX_LENGTH = 500  # the note column's size, enforced by PostgreSQL only: checked here for both


def reason_problem(reason: str) -> str | None:
    """Why a reason (kept as a ledger entry's or a payment's note) cannot be saved, or None; it may be empty."""
    return text_problem(reason.strip(), REASON_MAX_LENGTH, lines=True)


def require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise InvalidInput({"reason": "Give a reason."})
    if problem := reason_problem(reason):
        raise InvalidInput({"reason": problem})
    return reason
