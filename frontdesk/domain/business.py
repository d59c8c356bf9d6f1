"""The business the desk works for: what every rule needs to know about it."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from frontdesk.domain.money import Currency


@dataclass(frozen=True, slots=True)
class Business:
    """Its time zone (every calendar rule is judged in local time) and its one currency."""

    tz: ZoneInfo
    currency: Currency
