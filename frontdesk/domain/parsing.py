"""Reading what staff type: dates, times of day, minutes, counts, money and balance changes.

Every parser returns the value or raises `ValueError` whose text is a full sentence to show under
the field ("Enter a time like 14:00 or 2pm."). They are forgiving in the same way everywhere:

- a date: "" or "today", "tomorrow" (or "tmrw"), a weekday ("mon", "tuesday": the next one after
  today), "+3" (in 3 days), "2026-03-03", "3/3" or "3/3/2026" (month first), "3 Mar" or "Mar 3"
  (with an optional year). Without a year it is this year's date, or next year's when this
  year's is more than 60 days past (in December "1/5" is next January; on 2 March "3/1" is
  yesterday).
- a time of day: "14:00", "14.30", "1430", "14", "10h30", "2pm", "2:30 pm", "9am", "noon". A
  one-digit hour from 1 to 7 without am/pm means the afternoon ("2" → 14:00, "5:30" → 17:30):
  nobody books a spa at 2 in the morning; a two-digit hour is taken as written ("05:00" → 05:00).
- minutes: "90", "90 min", "1h30", "1 h 30 min", "1:30", "2h".
- money: "40", "40.5", "$40.50", "1,250.00" read the desk's way ("40,50" and "1.234,50" at a euro
  desk that writes decimals with a comma); an entry the other way reads differently is refused
  with what to type (`money.parse_money`, in sentences by `parse_amount`).
- a change to a balance: a sign and an amount in the holding's unit, "+1", "-1h 30m", "-$10.00".
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from frontdesk.domain.bounds import MAX_MINUTES, MAX_VISITS
from frontdesk.domain.money import MAX_MINOR, Currency, format_money, parse_money
from frontdesk.domain.words import DAY_NAMES, MONTHS, format_duration

__all__ = [
    "MAX_MINOR",
    "PAST_DAYS",
    "delta_hint",
    "next_half_hour",
    "parse_amount",
    "parse_clock",
    "parse_count",
    "parse_date",
    "parse_dates",
    "parse_day",
    "parse_delta",
    "parse_minutes",
    "parse_money",
    "typed_money",
]

PAST_DAYS = 60  # a date without a year further back than this means next year

_DAY_WORDS = tuple(name.lower() for name in DAY_NAMES)
_MONTH_WORDS = tuple(name.lower() for name in MONTHS)
_DATE_EXAMPLES = "3/3, 3 Mar, 2026-03-03, tomorrow or mon"
_NO_DATE = "There is no such date."
_TIME_EXAMPLES = "14:00 or 2pm"


# ---- dates --------------------------------------------------------------------------------------

def _weekday(word: str) -> int | None:
    """0–6 for "mo", "tue", "thurs", "friday", "weds"…; None for anything else."""
    if word == "weds":
        return 2
    if len(word) < 2:
        return None
    return next((index for index, name in enumerate(_DAY_WORDS) if name.startswith(word)), None)


def _month(word: str) -> int | None:
    for index, name in enumerate(_MONTH_WORDS):
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
    raise ValueError(_NO_DATE)


def _dated(year: int | None, month: int, day: int, today: date) -> date:
    if year is None:
        return _without_year(today, month, day)
    if year < 100:
        year += 2000
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(_NO_DATE) from None


def parse_day(text: str, today: date) -> date:
    """The date staff typed (see the module docstring); "" is today."""
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
    raise ValueError(f"Enter a date like {_DATE_EXAMPLES}.")


def parse_date(text: str, today: date) -> date:
    """One date of a package's date range: every form `parse_day` reads, but never empty."""
    if not text.strip():
        raise ValueError(f"Enter a date like {_DATE_EXAMPLES}.")
    return parse_day(text, today)


def parse_dates(text: str, today: date) -> tuple[date, ...]:
    """A package's fixed dates in the order typed, separated by commas or semicolons ("3/5, 12 Mar;
    2026-03-19"); dates without spaces in them may also be separated by spaces."""
    dates = []
    for chunk in re.split(r"[,;]", text):
        if not chunk.strip():
            continue
        try:
            dates.append(parse_date(chunk, today))
            continue
        except ValueError:
            parts = chunk.split()
        for part in parts:
            try:
                dates.append(parse_date(part, today))
            except ValueError:
                raise ValueError(f"'{part}' is not a date: enter dates like 3/5, 12 Mar or 2026-03-19, "
                                 "separated by commas.") from None
    return tuple(dates)


# ---- times of day -------------------------------------------------------------------------------

def parse_clock(text: str) -> time:
    """The time of day staff typed (see the module docstring): a booking's start, a package's
    time window."""
    word = text.strip().lower().replace(" ", "").replace(".", ":")
    if word in ("noon", "midday"):
        return time(12)
    match = re.fullmatch(r"(\d{1,2})(?:h|[:h]?(\d{2}))?(am|pm|a|p)?", word)
    if match is None:
        raise ValueError(f"Enter a time like {_TIME_EXAMPLES}.")
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if minute > 59:
        raise ValueError("There is no such time.")
    if half:
        if not 1 <= hour <= 12:
            raise ValueError("There is no such time.")
        hour = hour % 12 + (12 if half.startswith("p") else 0)
    elif 1 <= hour <= 7 and len(match.group(1)) == 1:
        hour += 12  # "2" is 2 in the afternoon; "02:00" is what it says
    if hour > 23:
        raise ValueError("There is no such time.")
    return time(hour, minute)


def next_half_hour(now: datetime) -> time:
    """The next :00 or :30 strictly after `now` (local wall clock): 10:00 → 10:30, 10:10 → 10:30;
    never past 23:30. What a new booking's time starts at."""
    minutes = now.hour * 60 + now.minute
    following = (minutes // 30 + 1) * 30
    if following >= 24 * 60:
        following = 23 * 60 + 30
    return time(following // 60, following % 60)


# ---- minutes and counts -------------------------------------------------------------------------

_MIN_WORD = r"(?:m|min|mins|minutes?)"
_HOUR_WORD = r"(?:h|hr|hrs|hours?)"
_HOURS_MINUTES = re.compile(rf"(\d+)\s*{_HOUR_WORD}\s*(?:(\d+)\s*{_MIN_WORD}?)?")
_CLOCK_MINUTES = re.compile(r"(\d+):(\d{2})")
_PLAIN_MINUTES = re.compile(rf"(\d+)\s*{_MIN_WORD}?")
_MINUTES_EXAMPLES = "Enter minutes like 90, 1h30 or 1:30."
_MOST_DIGITS = len(str(MAX_MINOR))  # more digits than the largest amount of anything: a typing slip
_TOO_MANY = "That number is far too large."


def parse_minutes(text: str) -> int:
    """Minutes, never negative: "60", "90 min", "1h30", "1 h 30 min", "1:30", "2h" (a service's
    duration, a minutes package's quantity)."""
    cleaned = text.strip().lower()
    if sum(char.isdigit() for char in cleaned) > _MOST_DIGITS:
        raise ValueError(_TOO_MANY)
    if match := _PLAIN_MINUTES.fullmatch(cleaned):
        return int(match.group(1))
    if match := _HOURS_MINUTES.fullmatch(cleaned):
        minutes = int(match.group(2) or 0)
    elif match := _CLOCK_MINUTES.fullmatch(cleaned):
        minutes = int(match.group(2))
    else:
        raise ValueError(_MINUTES_EXAMPLES)
    if minutes > 59:
        raise ValueError(_MINUTES_EXAMPLES)
    return int(match.group(1)) * 60 + minutes


def parse_count(text: str, example: str = "5") -> int:
    """A whole number ≥ 0 (visits, an expiry's count)."""
    cleaned = text.strip()
    if not (cleaned.isascii() and cleaned.isdigit()):
        raise ValueError(f"Enter a whole number, like {example}.")
    if len(cleaned.lstrip("0")) > _MOST_DIGITS:
        raise ValueError(_TOO_MANY)
    return int(cleaned)


# ---- money --------------------------------------------------------------------------------------

def parse_amount(text: str, currency: Currency, *, what: str = "amount") -> int:
    """Minor units, never negative, as `parse_money` reads them, with its messages as sentences:
    "Enter an amount like 40.00.", "At most 2 decimals for USD.", "The price cannot be negative."
    (`what` names the field in the last two kinds of message)."""
    try:
        return parse_money(text, currency)
    except ValueError as error:
        raise ValueError(_money_sentence(str(error), what)) from None


def _money_sentence(message: str, what: str = "amount") -> str:
    """`parse_money`'s message as a sentence: "amount cannot be negative" → "The price cannot be
    negative.", "at most 2 decimals for USD" → "At most 2 decimals for USD."."""
    if message.startswith("amount "):  # "amount cannot be negative", "amount is too large"
        return f"The {what} {message.removeprefix('amount ')}."
    if message.endswith("."):  # "Did you mean 40.50 or 4,050.00? Type 40.50." is a sentence already
        return message
    return f"{message[:1].upper()}{message[1:]}."


def typed_money(amount: int, currency: Currency) -> str:
    """An amount as staff would type it, to fill a field: 25000 → "250.00" (no symbol)."""
    return format_money(amount, currency).replace(currency.symbol, "", 1).strip()


# ---- a change to a balance ------------------------------------------------------------------------

_SIGNED = re.compile(r"^\s*([+-]?)\s*(.+?)\s*$")


def _split_sign(text: str) -> tuple[int, str]:
    """-1 and the rest for "-…", else +1 (a change without a sign adds)."""
    match = _SIGNED.match(text)
    if match is None:
        raise ValueError("Enter + to add or - to take away, e.g. +1 or -1.")
    return (-1 if match.group(1) == "-" else 1), match.group(2)


def parse_delta(text: str, unit: str, currency: Currency) -> int:
    """A signed change to a balance counted in `unit` (see `Terms.unit`): "visits" ("+2", "-1"),
    "minutes" ("+30", "-1h", "+1 h 30 min": any form `parse_minutes` reads) or "money" ("-10.00",
    "+$5", in minor units). Without a sign the change adds."""
    sign, rest = _split_sign(text)
    if unit == "minutes":
        try:
            minutes = parse_minutes(rest)
        except ValueError:
            raise ValueError("Enter minutes, e.g. +30, -60 or +1h 30m.") from None
        if minutes > MAX_MINUTES:
            raise ValueError(f"At most {MAX_MINUTES:,} minutes in one change.")
        return sign * minutes
    if unit == "money":
        try:
            return sign * parse_money(rest, currency)
        except ValueError as error:
            if "decimal" in str(error) or "too large" in str(error) or str(error).startswith("Did you mean"):
                raise ValueError(_money_sentence(str(error))) from None
            example = format_money(1000, currency)
            raise ValueError(f"Enter an amount like +{example} or -{example}.") from None
    if not (rest.isascii() and rest.isdigit()):
        raise ValueError("Enter whole visits, e.g. +1 or -2.")
    if len(rest.lstrip("0")) > len(str(MAX_VISITS)) or int(rest) > MAX_VISITS:
        raise ValueError(f"At most {MAX_VISITS:,} visits in one change.")
    return sign * int(rest)


def delta_hint(unit: str, currency: Currency) -> str:
    """What to type for a change in `unit`, shown beside the field."""
    if unit == "minutes":
        return f"in minutes: +30, -60, +1h 30m ({format_duration(90)})"
    if unit == "money":
        example = format_money(1000, currency)
        return f"in money: +{example} or -{example}"
    return "in visits: +1 to add one, -1 to take one away"
