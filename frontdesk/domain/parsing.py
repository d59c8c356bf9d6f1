"""Reading what staff type: dates, times of day, durations, counts and balance changes.

One module for every form, so they all accept the same: a date as "today", "tomorrow", "mon",
"+3", "2026-03-03", "3/3" or "3 Mar"; a time as "14:00", "2pm", "1430" or "noon"; a duration as
"90", "90 min", "1h30" or "1:30". Each parser raises ValueError with a sentence to show under the
field. Money is read by `frontdesk.domain.money.parse_money`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from frontdesk.domain.describe import format_duration
from frontdesk.domain.money import Currency, format_money, parse_money

_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
DATE_HELP = "type a date like 2026-03-03, 3/3, 3 Mar, tomorrow or mon"
TIME_HELP = "type a time like 14:00, 2pm or 1430"
PAST_DAYS = 60  # a date without a year further back than this means next year


def _weekday(word: str) -> int | None:
    """0–6 for "mo", "tue", "thurs", "friday", "weds"…; None for anything else."""
    if word == "weds":
        return 2
    if len(word) < 2:
        return None
    return next((index for index, name in enumerate(_DAY_NAMES) if name.startswith(word)), None)


def _month(word: str) -> int | None:
    for index, name in enumerate(_MONTHS):
        if len(word) >= 3 and word.startswith(name):
            return index + 1
    return None


def _without_year(today: date, month: int, day: int) -> date:
    """This year's date, or next year's when this year's is more than two months past."""
    for year in (today.year, today.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if year > today.year or (today - candidate).days <= PAST_DAYS:
            return candidate
    raise ValueError("no such date")


def _dated(year: int | None, month: int, day: int, today: date) -> date:
    if year is None:
        return _without_year(today, month, day)
    if year < 100:
        year += 2000
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError("no such date") from None


def parse_day(text: str, today: date) -> date:
    """The date staff typed (see the module docstring); `ValueError` with a message to show."""
    word = " ".join(text.strip().lower().replace(",", " ").split())
    if word in ("", "today", "tod", "now"):
        return today
    if word in ("tomorrow", "tomorow", "tmrw", "tmr", "tom"):
        return today + timedelta(days=1)
    if word == "yesterday":
        return today - timedelta(days=1)
    if match := re.fullmatch(r"\+\s*(\d{1,3})\s*d?", word):
        return today + timedelta(days=int(match.group(1)))
    if (weekday := _weekday(word.removeprefix("next ").strip())) is not None:
        ahead = (weekday - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", word):
        return _dated(int(match.group(1)), int(match.group(2)), int(match.group(3)), today)
    if match := re.fullmatch(r"(\d{1,2})\s*[/.]\s*(\d{1,2})(?:\s*[/.]\s*(\d{2}|\d{4}))?", word):
        year = int(match.group(3)) if match.group(3) else None
        return _dated(year, int(match.group(1)), int(match.group(2)), today)
    if match := re.fullmatch(r"(?:[a-z]+\s+)?(\d{1,2})\s+([a-z]+)(?:\s+(\d{4}))?", word):
        month = _month(match.group(2))
        if month is not None:
            return _dated(int(match.group(3)) if match.group(3) else None, month, int(match.group(1)), today)
    if match := re.fullmatch(r"(?:[a-z]+\s+)?([a-z]+)\s+(\d{1,2})(?:\s+(\d{4}))?", word):
        month = _month(match.group(1))
        if month is not None:
            return _dated(int(match.group(3)) if match.group(3) else None, month, int(match.group(2)), today)
    raise ValueError(f"cannot read the date; {DATE_HELP}")


def parse_clock(text: str) -> time:
    """The time of day staff typed (see the module docstring); `ValueError` with a message."""
    word = text.strip().lower().replace(" ", "").replace(".", ":")
    if word in ("noon", "midday"):
        return time(12)
    match = re.fullmatch(r"(\d{1,2})(?::?(\d{2}))?(am|pm|a|p)?", word)
    if match is None:
        raise ValueError(f"cannot read the time; {TIME_HELP}")
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if minute > 59:
        raise ValueError(f"no such time; {TIME_HELP}")
    if half:
        if not 1 <= hour <= 12:
            raise ValueError(f"no such time; {TIME_HELP}")
        hour = hour % 12 + (12 if half.startswith("p") else 0)
    elif 1 <= hour <= 7 and len(match.group(1)) == 1:
        hour += 12  # "2" is 2 in the afternoon; "02:00" is what it says
    if hour > 23:
        raise ValueError(f"no such time; {TIME_HELP}")
    return time(hour, minute)


def next_half_hour(now: datetime) -> time:
    """The next :00 or :30 strictly after `now` (local wall clock): 10:00 → 10:30, 10:10 → 10:30."""
    minutes = now.hour * 60 + now.minute
    following = (minutes // 30 + 1) * 30
    if following >= 24 * 60:
        following = 23 * 60 + 30
    return time(following // 60, following % 60)


def when_words(moment: datetime) -> str:
    """"Tue 3 Mar 14:00" (a local datetime)."""
    return f"{moment:%a} {moment.day} {moment:%b %H:%M}"



_MIN_WORD = r"(?:m|min|mins|minutes?)"
_HOUR_WORD = r"(?:h|hr|hrs|hours?)"
_HOURS_MINUTES = re.compile(rf"(\d+)\s*{_HOUR_WORD}\s*(?:(\d+)\s*{_MIN_WORD}?)?")
_CLOCK_MINUTES = re.compile(r"(\d+):(\d{2})")
_PLAIN_MINUTES = re.compile(rf"(\d+)\s*{_MIN_WORD}?")


def parse_minutes(text: str) -> int:
    """ "90", "90 min", "1h30", "1 h 30 min", "1:30", "2h" → minutes. ValueError with a message."""
    cleaned = text.strip().lower()
    if match := _PLAIN_MINUTES.fullmatch(cleaned):
        return int(match.group(1))
    if match := _HOURS_MINUTES.fullmatch(cleaned):
        minutes = int(match.group(2) or 0)
    elif match := _CLOCK_MINUTES.fullmatch(cleaned):
        minutes = int(match.group(2))
    else:
        raise ValueError("Enter minutes like 90, 1h30 or 1:30.")
    if minutes > 59:
        raise ValueError("Enter minutes like 90, 1h30 or 1:30.")
    return int(match.group(1)) * 60 + minutes


def parse_count(text: str, example: str) -> int:
    """A whole number ≥ 0; ValueError("Enter a whole number, like 5.")."""
    cleaned = text.strip()
    if not cleaned.isdigit():
        raise ValueError(f"Enter a whole number, like {example}.")
    return int(cleaned)


_TIME = re.compile(r"(\d{1,2})(?:[:.h]?(\d{2}))?")


def parse_time(text: str) -> time:
    """ "10:00", "9:30", "10", "0930", "9.30" → a time of day; ValueError otherwise."""
    match = _TIME.fullmatch(text.strip())
    if match is None or int(match.group(1)) > 23 or int(match.group(2) or 0) > 59:
        raise ValueError("Enter a time like 10:00.")
    return time(int(match.group(1)), int(match.group(2) or 0))


_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_date(text: str) -> date:
    """ "2026-03-05" (or "2026-3-5") → a date; ValueError otherwise."""
    match = _DATE.fullmatch(text.strip())
    try:
        if match is None:
            raise ValueError
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise ValueError("Enter a date like 2026-03-05.") from None


def parse_dates(text: str) -> tuple[date, ...]:
    """ "2026-03-05, 2026-03-12" → the dates in the order typed (commas, semicolons or spaces)."""
    dates = []
    for part in re.split(r"[,;\s]+", text.strip()):
        if not part:
            continue
        try:
            dates.append(parse_date(part))
        except ValueError:
            raise ValueError(f"'{part}' is not a date: enter dates like 2026-03-05, 2026-03-12.") from None
    return tuple(dates)


def typed_money(amount: int, currency: Currency) -> str:
    """An amount as staff would type it: 25000 → "250.00" (no symbol)."""
    return format_money(amount, currency).replace(currency.symbol, "", 1).strip()


_SIGNED = re.compile(r"^\s*([+-]?)\s*(.+?)\s*$")
_DURATION = re.compile(r"^(?:(\d+)\s*h(?:ours?|rs?)?)?\s*(?:(\d+)\s*m(?:in(?:utes?)?)?)?$")


def _split_sign(text: str) -> tuple[int, str]:
    """-1 and the rest for "-…", else +1 (a change without a sign adds)."""
    match = _SIGNED.match(text)
    if match is None:
        raise ValueError("Enter + to add or - to take away, e.g. +1 or -1.")
    return (-1 if match.group(1) == "-" else 1), match.group(2)


def parse_visits(text: str) -> int:
    """ "+2" → 2, "-1" → -1."""
    sign, rest = _split_sign(text)
    if not rest.isdigit():
        raise ValueError("Enter whole visits, e.g. +1 or -2.")
    return sign * int(rest)


def parse_minutes_change(text: str) -> int:
    """ "+30" → 30, "-1h" → -60, "+1 h 30 min" → 90."""
    sign, rest = _split_sign(text)
    if rest.isdigit():
        return sign * int(rest)
    match = _DURATION.match(rest.lower())
    if match is None or not (match.group(1) or match.group(2)):
        raise ValueError("Enter minutes, e.g. +30, -60 or +1h 30m.")
    return sign * (int(match.group(1) or 0) * 60 + int(match.group(2) or 0))


def money_parser(currency: Currency) -> DeltaParser:
    """ "-10.00" → -1000 cents, "+$5" → 500."""

    def parse(text: str) -> int:
        sign, rest = _split_sign(text)
        try:
            return sign * parse_money(rest, currency)
        except ValueError as error:
            raise ValueError(f"Enter an amount like +{format_money(1000, currency)} or "
                             f"-{format_money(1000, currency)} ({error}).") from None

    return parse


def delta_parser(unit: str, currency: Currency) -> tuple[DeltaParser, str]:
    """The parser and a hint for a change to a balance counted in `unit` ("visits", "minutes",
    "money"; see `Terms.unit`)."""
    if unit == "minutes":
        return parse_minutes_change, f"in minutes: +30, -60, +1h 30m ({format_duration(90)})"
    if unit == "money":
        return money_parser(currency), f"in money: +{format_money(1000, currency)} or -{format_money(1000, currency)}"
    return parse_visits, "in visits: +1 to add one, -1 to take one away"


def parse_delta(text: str, unit: str, currency: Currency) -> int:
    """A signed change to a balance counted in `unit` ("visits", "minutes", "money")."""
    return delta_parser(unit, currency)[0](text)


def delta_hint(unit: str, currency: Currency) -> str:
    return delta_parser(unit, currency)[1]


def parse_duration(text: str) -> int:
    """Whole minutes ("60", "90 min"); ValueError with the message to show otherwise."""
    cleaned = text.strip().lower().removesuffix("minutes").removesuffix("min").strip()
    if not cleaned.isdigit():
        raise ValueError("Enter the duration in whole minutes, like 60.")
    return int(cleaned)
