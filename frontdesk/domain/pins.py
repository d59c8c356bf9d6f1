"""Signing in with a PIN: what a PIN looks like, and when wrong PINs lock a person out."""

from __future__ import annotations

from datetime import datetime, timedelta

PIN_LENGTHS = range(4, 9)
FAILURES_BEFORE_LOCK = 5
LOCK_TIME = timedelta(minutes=5)


def pin_problem(pin: str) -> str | None:
    """Why `pin` can't be a PIN (4 to 8 digits), or None."""
    if not pin.isdigit() or not pin.isascii():
        return "A PIN is digits only."
    if len(pin) not in PIN_LENGTHS:
        return f"A PIN has {PIN_LENGTHS.start} to {PIN_LENGTHS.stop - 1} digits."
    return None


def locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and now < locked_until


def after_wrong_pin(failures_before: int, now: datetime) -> tuple[int, datetime | None]:
    """The count of wrong PINs in a row after one more, and until when that locks the person
    (None while they still have tries left)."""
    failures = failures_before + 1
    if failures >= FAILURES_BEFORE_LOCK:
        return failures, now + LOCK_TIME
    return failures, None


def tries_left(failures: int) -> int:
    return max(FAILURES_BEFORE_LOCK - failures, 0)
