"""The kinds and statuses the rules and the screens compare against: staff roles, ledger entry
kinds, appointment statuses and tenders."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    RECEPTION = "reception"
    MANAGER = "manager"


class EntryKind(StrEnum):
    SALE = "sale"
    ASSIGN = "assign"
    REDEEM = "redeem"
    REVERSE = "reverse"
    ADJUST = "adjust"
    VOID = "void"


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no-show"


class Tender(StrEnum):
    PACKAGE = "package"
    CASH = "cash"
    CARD = "card"
    OTHER = "other"
