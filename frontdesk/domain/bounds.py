"""How large (or how odd) a typed value may be: one bound per quantity, and what text may hold.

Everything typed at the desk is checked against these before it is saved, so that the same input
gets the same answer on SQLite and PostgreSQL, and nothing saves that fails later (an expiry
beyond the calendar, a date PostgreSQL cannot store, a string it refuses). Money's bound is
`money.MAX_MINOR`. Each `…_problem` function returns the message to show at the field, or None.
"""

from __future__ import annotations

import unicodedata
from datetime import date

MAX_VISITS = 10_000  # visits in a package, on a line, or in one change to a balance
MAX_MINUTES = 100_000  # minutes in a package (about 1,666 hours), or in one change to a balance
MAX_DURATION_MIN = 24 * 60  # a service or an appointment lasts at most a day
MAX_EXPIRY_YEARS = 10
MAX_EXPIRY = {"days": 3653, "weeks": 521, "months": 120}  # ten years in each unit of a validity period
MAX_VALID_YEARS_AHEAD = 20  # an expiry, however moved (extended, frozen), stays within this of today

FIRST_DAY = date(2000, 1, 1)  # appointments and a package's dates fall in these years
LAST_DAY = date(2100, 12, 31)

# characters refused in text (besides the line breaks a note may have): controls (NUL, escape …),
# lone surrogates, and the Unicode line and paragraph separators
_REFUSED_CATEGORIES = {"Cc", "Cs", "Zl", "Zp"}
_NOTE_BREAKS = {"\n", "\t"}


def text_problem(value: str, max_length: int, *, lines: bool = False) -> str | None:
    """Why `value` cannot be saved in a field of `max_length` characters: a control character
    (NUL, escape, …; a note (`lines`) may have line breaks and tabs), or too long."""
    allowed = _NOTE_BREAKS if lines else set()
    if any(unicodedata.category(char) in _REFUSED_CATEGORIES and char not in allowed for char in value):
        return ("Only letters, digits, punctuation, spaces and line breaks." if lines
                else "Only letters, digits, punctuation and spaces (no control characters or line breaks).")
    if len(value) > max_length:
        return f"At most {max_length} characters."
    return None


def count_problem(count: int, most: int, what: str, *, least: int = 1) -> str | None:
    """Why `count` (visits, minutes, …; `what` names them in the plural) is out of bounds."""
    if count < least:
        return f"At least {least:,} {what.removesuffix('s') if least == 1 else what}."
    if count > most:
        return f"At most {most:,} {what}."
    return None


def duration_problem(minutes: int) -> str | None:
    """Why a service's or an appointment's duration is no good."""
    if minutes < 1:
        return "The duration must be at least 1 minute."
    if minutes > MAX_DURATION_MIN:
        return f"The duration must be at most {MAX_DURATION_MIN // 60} hours."
    return None


def day_problem(day: date) -> str | None:
    """Why a date (an appointment's, a package's date range or fixed dates, a freeze) is out of bounds."""
    if not FIRST_DAY <= day <= LAST_DAY:
        return f"Choose a date from {FIRST_DAY.year} to {LAST_DAY.year}."
    return None


def last_valid_day(today: date) -> date:
    """The latest expiry a holding may be moved to on `today` (extend, freeze)."""
    try:
        return today.replace(year=today.year + MAX_VALID_YEARS_AHEAD)
    except ValueError:  # 29 February
        return date(today.year + MAX_VALID_YEARS_AHEAD, 2, 28)
