"""The kinds of things the desk records: staff roles, ledger entry kinds, appointment statuses
and tenders. Their values are what the database stores."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a staff member may do: reception work, or everything a manager does too."""

    RECEPTION = "reception"
    MANAGER = "manager"


class EntryKind(StrEnum):
    """Why a ledger entry changed a holding's balance."""

    SALE = "sale"
    ASSIGN = "assign"
    REDEEM = "redeem"
    REVERSE = "reverse"
    ADJUST = "adjust"
    VOID = "void"
    EXTEND = "extend"  # a manager moves the expiry (the entry carries the new one)
    FREEZE = "freeze"  # the holding is frozen for a period; the expiry moves by the frozen days
    UNFREEZE = "unfreeze"  # a freeze ended early; the expiry moves back by the days not used
    TRANSFER = "transfer"  # the balance moved to another customer's holding (out) or arrived (in)
    IMPORT = "import"  # a holding brought over from another system, opening with what was left there


class AppointmentStatus(StrEnum):
    """Where an appointment stands; whether it is paid is a separate fact."""

    BOOKED = "booked"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no-show"


class Tender(StrEnum):
    """How a payment was made: from a package (a ledger entry), or money."""

    PACKAGE = "package"
    CASH = "cash"
    CARD = "card"
    OTHER = "other"
