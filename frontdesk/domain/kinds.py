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
