"""The business the desk works for: what every rule needs to know about it."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from frontdesk.domain.contacts import DEFAULT_REGION
from frontdesk.domain.money import Currency


@dataclass(frozen=True, slots=True)
class Business:
    """Its time zone (every calendar rule is judged in local time), its one currency, and the
    region a phone number typed without a country code is read in (a two-letter code)."""

    tz: ZoneInfo
    currency: Currency
    phone_region: str = DEFAULT_REGION
