"""A package's terms: what it contains, what it costs and when it may be used; whether they are
valid, and how they read (amounts in their unit, restrictions, the one-line summary).

`Terms` is both the catalogue template's content and the frozen copy a customer's holding keeps
at the moment of sale. It is plain data: it converts to and from a JSON-safe dict so a holding
can store it unchanged forever.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, time
from enum import StrEnum
from typing import Any

from frontdesk.domain.bounds import (
    MAX_EXPIRY,
    MAX_EXPIRY_YEARS,
    MAX_MINUTES,
    MAX_VISITS,
    count_problem,
    day_problem,
    text_problem,
)
from frontdesk.domain.money import MAX_MINOR, Currency, amount_problem, currency_for, format_money
from frontdesk.domain.periods import Period, PeriodUnit
from frontdesk.domain.words import (
    format_date_range,
    format_day,
    format_days,
    format_duration,
    format_period,
    format_weekdays,
    format_window,
    join_words,
    plural,
    provider_only,
)


class Contents(StrEnum):
    """How a package's contents are defined."""

    ANY = "any"  # any service from a list (or all services), with a value type
    FIXED = "fixed"  # an ordered list of (service, quantity) lines


class ValueType(StrEnum):
    """What an *Any from list* package holds."""

    VISITS = "visits"
    MINUTES = "minutes"
    AMOUNT = "amount"  # money, in minor units
    UNLIMITED = "unlimited"


@dataclass(frozen=True, slots=True)
class FixedLine:
    """One line of a Fixed package: `quantity` appointments of one service."""

    service_id: int
    service_name: str
    quantity: int


@dataclass(frozen=True, slots=True)
class Terms:
    """Everything that decides what a package is and when it covers an appointment.

    Optional restrictions use ``None`` for "off". An empty ``weekdays`` or ``fixed_dates`` means
    the restriction is on but nothing was chosen, which validation refuses.
    """

    title: str
    contents: Contents = Contents.ANY
    value_type: ValueType | None = ValueType.VISITS  # None for FIXED
    quantity: int | None = None  # visits, minutes or minor units; None for unlimited / fixed
    all_services: bool = True  # ANY only: every service, or only `service_ids`
    service_ids: tuple[int, ...] = ()
    service_names: tuple[str, ...] = ()  # same order as service_ids, for plain words
    fixed_lines: tuple[FixedLine, ...] = ()
    price: int = 0  # selling price in minor units
    for_sale: bool = True
    provider_id: int | None = None
    provider_name: str | None = None
    expires_in: Period | None = None
    weekdays: frozenset[int] | None = None  # 0 = Monday … 6 = Sunday
    window: tuple[time, time] | None = None  # local time of day, start < end
    date_range: tuple[date, date] | None = None  # inclusive local dates
    fixed_dates: tuple[date, ...] | None = None  # local dates
    starts_on_first_visit: bool = False  # the expiry runs from the first redemption, not the sale
    cancel_notice_hours: int | None = None  # the cancellation policy: None = none (a unit always comes back)
    late_cancel_forfeits: bool = False  # with less notice the unit is forfeited (else returned)
    no_show_forfeits: bool = False  # a no-show forfeits the unit (else it is returned)

    @property
    def unit(self) -> str:
        """The unit a holding of these terms counts in: visits, minutes, money or uses."""
        if self.contents is Contents.FIXED:
            return "visits"
        assert self.value_type is not None
        return {
            ValueType.VISITS: "visits",
            ValueType.MINUTES: "minutes",
            ValueType.AMOUNT: "money",
            ValueType.UNLIMITED: "uses",
        }[self.value_type]

    def to_dict(self) -> dict:
        """A JSON-safe dict (dates and times as ISO strings); `Terms.from_dict` gives it back equal."""
        return {
            "title": self.title,
            "contents": self.contents.value,
            "value_type": None if self.value_type is None else self.value_type.value,
            "quantity": self.quantity,
            "all_services": self.all_services,
            "service_ids": list(self.service_ids),
            "service_names": list(self.service_names),
            "fixed_lines": [
                {"service_id": line.service_id, "service_name": line.service_name, "quantity": line.quantity}
                for line in self.fixed_lines
            ],
            "price": self.price,
            "for_sale": self.for_sale,
            "provider_id": self.provider_id,
            "provider_name": self.provider_name,
            "expires_in": None
            if self.expires_in is None
            else {"count": self.expires_in.count, "unit": self.expires_in.unit.value},
            "weekdays": None if self.weekdays is None else sorted(self.weekdays),
            "window": None if self.window is None else [t.isoformat() for t in self.window],
            "date_range": None if self.date_range is None else [d.isoformat() for d in self.date_range],
            "fixed_dates": None if self.fixed_dates is None else [d.isoformat() for d in self.fixed_dates],
            "starts_on_first_visit": self.starts_on_first_visit,
            "cancel_notice_hours": self.cancel_notice_hours,
            "late_cancel_forfeits": self.late_cancel_forfeits,
            "no_show_forfeits": self.no_show_forfeits,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Terms:
        """Terms from `to_dict` output; a missing key takes its default (terms stored by older versions)."""

        def get(key: str, convert: Callable[[Any], Any]) -> Any:
            value = data.get(key)
            return None if value is None else convert(value)

        defaults = cls(title="")
        return cls(
            title=data["title"],
            contents=Contents(data.get("contents", defaults.contents)),
            value_type=get("value_type", ValueType) if "value_type" in data else defaults.value_type,
            quantity=data.get("quantity"),
            all_services=data.get("all_services", defaults.all_services),
            service_ids=tuple(data.get("service_ids", ())),
            service_names=tuple(data.get("service_names", ())),
            fixed_lines=tuple(
                FixedLine(line["service_id"], line["service_name"], line["quantity"])
                for line in data.get("fixed_lines", ())
            ),
            price=data.get("price", defaults.price),
            for_sale=data.get("for_sale", defaults.for_sale),
            provider_id=data.get("provider_id"),
            provider_name=data.get("provider_name"),
            expires_in=get("expires_in", lambda p: Period(p["count"], PeriodUnit(p["unit"]))),
            weekdays=get("weekdays", frozenset),
            window=get("window", lambda w: (time.fromisoformat(w[0]), time.fromisoformat(w[1]))),
            date_range=get("date_range", lambda r: (date.fromisoformat(r[0]), date.fromisoformat(r[1]))),
            fixed_dates=get("fixed_dates", lambda ds: tuple(date.fromisoformat(d) for d in ds)),
            starts_on_first_visit=data.get("starts_on_first_visit", False),
            cancel_notice_hours=data.get("cancel_notice_hours"),
            late_cancel_forfeits=data.get("late_cancel_forfeits", False),
            no_show_forfeits=data.get("no_show_forfeits", False),
        )


@lru_cache(maxsize=1024)
def terms_from_json(text: str) -> Terms:
    """`Terms.from_dict` of a holding's terms as stored (JSON text). A holding keeps a copy of its
    package's terms, so a few texts serve many holdings: each is read once (Terms are frozen)."""
    return Terms.from_dict(json.loads(text))


def most_units(unit: str) -> int:
    """The largest balance, or change to one, in `unit` (see `Terms.unit`): visits, minutes or money."""
    return {"visits": MAX_VISITS, "minutes": MAX_MINUTES, "money": MAX_MINOR}.get(unit, MAX_VISITS)


def opening_balances(terms: Terms) -> list[tuple[int | None, int]]:
    """The balance lines a new holding of `terms` starts with, as (service id, quantity): one per
    line of a Fixed package, else one line for any service (0 for unlimited)."""
    if terms.contents is Contents.FIXED:
        return [(line.service_id, line.quantity) for line in terms.fixed_lines]
    if terms.value_type is ValueType.UNLIMITED:
        return [(None, 0)]
    return [(None, terms.quantity or 0)]


MAX_NOTICE_HOURS = 720  # a cancellation notice of at most 30 days
TITLE_MAX_LENGTH = 120  # the title column's size
MAX_LINES = 50  # service lines of a Fixed package
MAX_FIXED_DATES = 366


@dataclass(frozen=True, slots=True)
class CatalogueFacts:
    """What validation needs to know about the rest of the catalogue."""

    other_active_titles: frozenset[str] = frozenset()  # compared case-insensitively, trimmed
    archived_service_ids: frozenset[int] = frozenset()
    archived_provider_ids: frozenset[int] = frozenset()
    known_service_ids: frozenset[int] | None = None  # None: don't check existence


@dataclass(frozen=True, slots=True)
class ValidationErrors:
    """Field name → message. Empty means valid."""

    messages: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.messages)


def _service_names(terms: Terms) -> dict[int, str]:
    """Service id → name for every service the terms name (set or fixed lines)."""
    if terms.contents is Contents.FIXED:
        return {line.service_id: line.service_name for line in terms.fixed_lines}
    if terms.all_services:
        return {}
    names = dict(zip(terms.service_ids, terms.service_names))
    return {sid: names.get(sid, f"Service #{sid}") for sid in terms.service_ids}


def validate_terms(
    terms: Terms, facts: CatalogueFacts = CatalogueFacts(), currency: Currency | None = None,
) -> ValidationErrors:
    """Check every field of a package; one message per failing field, keyed by field name.

    Keys: title, value_type, quantity, services, fixed_lines, price, expires_in, window,
    date_range, fixed_dates, weekdays, provider, cancel_notice_hours.
    """
    messages: dict[str, str] = {}

    def fail(key: str, message: str) -> None:
        messages.setdefault(key, message)  # the first failing check of a field is the one shown

    currency = currency or currency_for("USD")
    title = terms.title.strip()
    if not title:
        fail("title", "Enter a title.")
    elif problem := text_problem(title, TITLE_MAX_LENGTH):
        fail("title", problem)
    elif title.casefold() in {t.strip().casefold() for t in facts.other_active_titles}:
        fail("title", f"Another active package is already called '{title}'.")

    any_list = terms.contents is Contents.ANY
    if any_list:
        quantity = terms.quantity
        if terms.value_type is None:
            fail("value_type", "Choose a value type.")
        elif terms.value_type is ValueType.VISITS and (quantity is None or quantity < 1):
            fail("quantity", "At least 1 visit.")
        elif terms.value_type is ValueType.MINUTES and (quantity is None or quantity < 1):
            fail("quantity", "At least 1 minute.")
        elif terms.value_type is ValueType.AMOUNT and (quantity is None or quantity <= 0):
            fail("quantity", "The amount must be more than 0.")
        elif terms.value_type is ValueType.VISITS and (problem := count_problem(quantity, MAX_VISITS, "visits")):
            fail("quantity", problem)
        elif terms.value_type is ValueType.MINUTES and (problem := count_problem(quantity, MAX_MINUTES, "minutes")):
            fail("quantity", problem)
        elif terms.value_type is ValueType.AMOUNT and (problem := amount_problem(quantity, currency)):
            fail("quantity", problem)
        elif terms.value_type is ValueType.UNLIMITED and not (
            terms.expires_in or terms.date_range or terms.fixed_dates
        ):
            fail("expires_in", "An unlimited package needs an expiry or dates.")
        if not terms.all_services and not terms.service_ids:
            fail("services", "Choose at least one service.")
    else:
        if not terms.fixed_lines:
            fail("fixed_lines", "Add at least one service line.")
        elif any(line.quantity < 1 for line in terms.fixed_lines):
            fail("fixed_lines", "Each line needs a quantity of at least 1.")
        elif any(line.quantity > MAX_VISITS for line in terms.fixed_lines):
            fail("fixed_lines", f"At most {MAX_VISITS:,} on a line.")
        elif len(terms.fixed_lines) > MAX_LINES:
            fail("fixed_lines", f"At most {MAX_LINES} lines.")

    names = _service_names(terms)
    archived = [name for sid, name in names.items() if sid in facts.archived_service_ids]
    if archived:
        fail("services", f"{join_words(archived)} {'is' if len(archived) == 1 else 'are'} archived.")
    if facts.known_service_ids is not None and any(sid not in facts.known_service_ids for sid in names):
        fail("services", "Unknown service.")

    if problem := amount_problem(terms.price, currency, what="price"):
        fail("price", problem)

    if terms.expires_in is not None:
        period = terms.expires_in
        if period.count < 1:
            fail("expires_in", f"Expiry must be at least 1 {period.unit.value.removesuffix('s')}.")
        elif period.count > MAX_EXPIRY[period.unit]:
            fail("expires_in", f"Expiry can be at most {MAX_EXPIRY[period.unit]:,} {period.unit.value} "
                               f"({MAX_EXPIRY_YEARS} years).")

    if terms.starts_on_first_visit and terms.expires_in is None:
        fail("expires_in", "Choose how long it lasts from the first visit.")
    if terms.cancel_notice_hours is not None and not 0 <= terms.cancel_notice_hours <= MAX_NOTICE_HOURS:
        fail("cancel_notice_hours", f"Notice is 0 to {MAX_NOTICE_HOURS} hours.")

    if terms.window is not None and terms.window[1] <= terms.window[0]:
        fail("window", "The end time must be after the start time.")

    if terms.date_range is not None:
        if problem := day_problem(terms.date_range[0]) or day_problem(terms.date_range[1]):
            fail("date_range", problem)
        elif terms.date_range[1] < terms.date_range[0]:
            fail("date_range", "The end date is before the start date.")
    if terms.fixed_dates is not None:
        if problem := next(filter(None, map(day_problem, terms.fixed_dates)), None):
            fail("fixed_dates", problem)
        elif len(terms.fixed_dates) > MAX_FIXED_DATES:
            fail("fixed_dates", f"At most {MAX_FIXED_DATES} dates.")
        if terms.date_range is not None:
            fail("fixed_dates", "Choose a date range or fixed dates, not both.")
        if not terms.fixed_dates:
            fail("fixed_dates", "Pick at least one date.")
        seen: set[date] = set()
        for day in terms.fixed_dates:
            if day in seen:
                fail("fixed_dates", f"{format_day(day)} is listed twice.")
            seen.add(day)

    if terms.weekdays is not None:
        if not terms.weekdays:
            fail("weekdays", "Pick at least one weekday.")
        elif any(not 0 <= d <= 6 for d in terms.weekdays):
            fail("weekdays", "Weekdays go from Monday (0) to Sunday (6).")

    if terms.provider_id is not None and terms.provider_id in facts.archived_provider_ids:
        fail("provider", f"{terms.provider_name or 'This provider'} is archived.")

    return ValidationErrors(messages)


def describe_amount(terms: Terms, units: int, currency: Currency) -> str:
    """A quantity in the unit of `terms`: "5 visits", "2 h 30 min", "$40.00"; "unlimited" for unlimited."""
    if terms.contents is Contents.ANY:
        if terms.value_type is ValueType.MINUTES:
            return format_duration(units)
        if terms.value_type is ValueType.AMOUNT:
            return format_money(units, currency)
        if terms.value_type is ValueType.UNLIMITED:
            return "unlimited"
    return plural(units, "visit")


def restriction_parts(terms: Terms, current_year: int | None = None) -> list[str]:
    """When and with whom a package may be used, one phrase per restriction:
    ["Mondays 10:00–13:00", "1–31 Mar 2027", "with Anna only"]."""
    parts: list[str] = []
    when = " ".join(
        text
        for text in (
            format_weekdays(terms.weekdays) if terms.weekdays is not None else "",
            format_window(terms.window) if terms.window is not None else "",
        )
        if text
    )
    if when:
        parts.append(when)
    if terms.date_range is not None:
        parts.append(format_date_range(*terms.date_range, current_year))
    if terms.fixed_dates is not None:
        parts.append(f"on {format_days(terms.fixed_dates, current_year) or 'no dates'}")
    if terms.provider_id is not None:
        parts.append(provider_only(terms.provider_name))
    return parts


def summary(terms: Terms, currency: Currency) -> str:
    """One plain line for the package editor and the catalogue, parts joined by " · ":

    "5 visits · Swedish Massage · Mondays 10:00–13:00 · expires 2 months after purchase · $250.00".
    Order: contents, services, restrictions, expiry, then the price ("free" for price 0) or
    "not for sale".
    """
    if terms.contents is Contents.FIXED:
        parts = [", then ".join(f"{line.quantity} × {line.service_name}" for line in terms.fixed_lines)]
    else:
        if terms.value_type is ValueType.UNLIMITED:
            value = "unlimited"
        elif terms.value_type is ValueType.AMOUNT:
            value = f"{describe_amount(terms, terms.quantity or 0, currency)} of credit"
        else:
            value = describe_amount(terms, terms.quantity or 0, currency)
        services = "all services" if terms.all_services else ", ".join(_service_names(terms).values())
        parts = [value, services]
    parts += restriction_parts(terms)
    if terms.expires_in is not None:
        after = "the first visit" if terms.starts_on_first_visit else "purchase"
        parts.append(f"expires {format_period(terms.expires_in)} after {after}")
    if terms.cancel_notice_hours is not None:
        late = "forfeited" if terms.late_cancel_forfeits else "returned"
        missed = "forfeited" if terms.no_show_forfeits else "returned"
        parts.append(f"cancel {terms.cancel_notice_hours} h ahead (late: {late}, no-show: {missed})")
    if not terms.for_sale:
        parts.append("not for sale")
    else:
        parts.append(format_money(terms.price, currency) if terms.price else "free")
    return " · ".join(part for part in parts if part)
