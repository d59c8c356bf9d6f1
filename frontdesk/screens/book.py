"""Book an appointment for a customer, optionally "to be covered by" one of her packages.

The form: service, provider (optional), date, time, duration and price (both default from the
service and stay editable), and "cover with" (one of her active holdings, or none). While staff
type, the coverage check runs (`appointments.preview_cover`) and shows its verdict before
anything is saved: "✓ covers — takes 1 visit" or "✗ Mondays only; 10:00–13:00 only". ctrl+s
books; when the package would not cover it, the first ctrl+s says why and a second ctrl+s books
anyway (the package is tried again at checkout, money pays otherwise). Escape cancels.

Dates and times are read forgivingly by two small pure functions, `parse_day` and `parse_clock`:

- date: "" or "today", "tomorrow" (or "tmrw"), a weekday ("mon", "tuesday": the next one after
  today), "+3" (in 3 days), "2026-03-03", "3/3" or "3/3/2026" (month first), "3 Mar" or
  "Mar 3" (with an optional year). Without a year it is this year's date, or next year's when
  this year's is more than 60 days past (in December "1/5" is next January; on 2 March "3/1"
  is yesterday).
- time: "14:00", "14.30", "1430", "14", "2pm", "2:30 pm", "noon". A one-digit hour from 1 to 7
  without am/pm means the afternoon ("2" → 14:00, "5:30" → 17:30): nobody books a spa at 2 in
  the morning; a two-digit hour is taken as written ("05:00" → 05:00).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from rich.text import Text
from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Header, Input, Label, Select, Static

from frontdesk.domain.coverage import Coverage
from frontdesk.domain.describe import format_duration
from frontdesk.domain.money import format_money
from frontdesk.domain.periods import local_date, to_local
from frontdesk.screens.base import DeskScreen
from frontdesk.screens.sell import take_words
from frontdesk.services.appointments import Booking, book, customer_holdings, preview_cover
from frontdesk.services.catalogue import list_providers, list_services
from frontdesk.services.customers import get_customer
from frontdesk.services.errors import FrontDeskError, InvalidInput
from frontdesk.services.views import Business, CustomerView, HoldingView, ProviderView, ServiceView
from frontdesk.widgets.money_input import MoneyInput

# ---- reading what staff type (pure) -------------------------------------------------------------

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


# ---- what the screen reads ----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class BookingFacts:
    customer: CustomerView
    services: list[ServiceView]
    providers: list[ProviderView]
    holdings: list[HoldingView]  # her active ones


def load_booking(session: Session, business: Business, *, customer_id: int, now: datetime) -> BookingFacts:
    """The customer, what can be booked, and her active holdings, in one read."""
    return BookingFacts(
        customer=get_customer(session, customer_id),
        services=list_services(session),
        providers=list_providers(session),
        holdings=[view for view in customer_holdings(session, business, customer_id=customer_id, now=now)
                  if view.status == "active"],
    )


@dataclass(frozen=True, slots=True)
class Request:
    """The form read as a booking; `errors` maps a field to what is wrong with it."""

    service_id: int | None
    provider_id: int | None
    starts_at: datetime | None
    duration_min: int | None
    price: int | None
    cover_holding_id: int | None
    errors: dict[str, str]

    @property
    def key(self) -> tuple[Any, ...]:
        return (self.service_id, self.provider_id, self.starts_at, self.duration_min, self.price,
                self.cover_holding_id)


FIELDS = ("service", "provider", "date", "time", "duration", "price", "cover")  # each has #<field>-error


class BookScreen(DeskScreen):
    """Book a new appointment for one customer."""

    TITLE = "Book"
    BINDINGS = [
        Binding("ctrl+s", "book", "Book", tooltip="Save the appointment", id="book-save"),
        Binding("escape", "cancel", "Cancel", tooltip="Leave without booking", id="book-cancel"),
    ]

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.facts: BookingFacts | None = None
        self.verdict: tuple[tuple[Any, ...], Coverage] | None = None  # (request key, coverage)
        self.confirming: tuple[Any, ...] | None = None  # request key shown "book anyway?" for
        self.saving = False
        self._previews = 0

    def compose(self) -> ComposeResult:
        business = self.desk.business
        now = to_local(self.desk.now(), business.tz)
        yield Header()
        yield Static("Book an appointment", id="book-title")
        with VerticalScroll(id="book-form"):
            with Horizontal(classes="book-row"):
                with Vertical(classes="book-field book-wide"):
                    yield Label("Service")
                    yield Select([], prompt="Choose a service", id="service")
                    yield Static(classes="field-error", id="service-error")
                with Vertical(classes="book-field book-wide"):
                    yield Label("Provider (optional)")
                    yield Select([], prompt="Any provider", id="provider")
                    yield Static(classes="field-error", id="provider-error")
            with Horizontal(classes="book-row"):
                with Vertical(classes="book-field"):
                    yield Label("Date")
                    yield Input(now.date().isoformat(), placeholder="today, 3/3, mon", id="date")
                    yield Static(classes="field-hint", id="date-error")
                with Vertical(classes="book-field"):
                    yield Label("Time")
                    yield Input(next_half_hour(now).strftime("%H:%M"), placeholder="14:00", id="time")
                    yield Static(classes="field-hint", id="time-error")
                with Vertical(classes="book-field"):
                    yield Label("Duration (min)")
                    yield Input(placeholder="60", type="integer", id="duration")
                    yield Static(classes="field-error", id="duration-error")
                with Vertical(classes="book-field"):
                    yield Label("Price")
                    yield MoneyInput(id="price", placeholder="80.00", border_message=False)
                    yield Static(classes="field-error", id="price-error")
            with Horizontal(classes="book-row"):
                with Vertical(classes="book-field book-wide"):
                    yield Label("Cover with (optional)")
                    yield Select([], prompt="No package", id="cover")
                    yield Static(classes="field-error", id="cover-error")
                with Vertical(classes="book-field book-wide"):
                    yield Label("Coverage check")
                    yield Static("Choose a package to check it covers this appointment.", id="verdict")
        yield Static(id="book-message")
        yield Footer()

    def on_mount(self) -> None:
        business = self.desk.business
        self.run_db(load_booking, business, customer_id=self.customer_id, now=self.desk.now(),
                    then=self._loaded, failed=lambda error: self._say(error.message, error=True))
        self._show_hints()

    def _loaded(self, facts: BookingFacts) -> None:
        business = self.desk.business
        self.facts = facts
        self.query_one("#book-title", Static).update(
            Text.assemble("Book an appointment for ", (facts.customer.name, "bold")))
        self.query_one("#service", Select).set_options(
            (f"{service.name} · {format_duration(service.duration_min)} · "
             f"{format_money(service.price, business.currency)}", service.id)
            for service in facts.services)
        self.query_one("#provider", Select).set_options((provider.name, provider.id) for provider in facts.providers)
        self.query_one("#cover", Select).set_options(
            (f"{holding.title} · {holding.balance_text}", holding.id)
            for holding in facts.holdings)
        if not facts.holdings:
            self.query_one("#verdict", Static).update("She has no active package: paid at checkout.")
        self.query_one("#service", Select).focus()

    # ---- reading the form ---------------------------------------------------------------------------

    def _service(self, service_id: int | None) -> ServiceView | None:
        if self.facts is None or service_id is None:
            return None
        return next((service for service in self.facts.services if service.id == service_id), None)

    @staticmethod
    def _selected(select: Select) -> int | None:
        return None if select.value is Select.NULL else select.value  # type: ignore[return-value]

    def read_form(self) -> Request:
        business = self.desk.business
        errors: dict[str, str] = {}
        service_id = self._selected(self.query_one("#service", Select))
        if service_id is None:
            errors["service"] = "Choose a service."
        today = local_date(self.desk.now(), business.tz)
        day = moment = None
        try:
            day = parse_day(self.query_one("#date", Input).value, today)
        except ValueError as error:
            errors["date"] = str(error).capitalize() + "."
        try:
            moment = parse_clock(self.query_one("#time", Input).value)
        except ValueError as error:
            errors["time"] = str(error).capitalize() + "."
        starts_at = datetime.combine(day, moment, business.tz) if day and moment else None
        duration = None
        text = self.query_one("#duration", Input).value.strip()
        if text:
            if text.isdigit():
                duration = int(text)
            else:
                errors["duration"] = "Minutes as a whole number, e.g. 60."
        price_box = self.query_one("#price", MoneyInput)
        if price_box.error:
            errors["price"] = price_box.error.capitalize() + "."
        return Request(
            service_id=service_id,
            provider_id=self._selected(self.query_one("#provider", Select)),
            starts_at=starts_at, duration_min=duration, price=price_box.amount,
            cover_holding_id=self._selected(self.query_one("#cover", Select)),
            errors=errors,
        )

    def _show_errors(self, errors: dict[str, str]) -> None:
        """Each message under its field; date and time show how they read when they are fine."""
        mapped = dict(errors)
        if "starts_at" in mapped:  # the use case's name for date and time together
            mapped.setdefault("date", mapped.pop("starts_at"))
        for field in FIELDS:
            box = self.query_one(f"#{field}-error", Static)
            if field in mapped:
                box.update(mapped[field])
                box.add_class("-error")
            elif field in ("date", "time", "price"):
                self._show_hints()
            else:
                box.update("")
                box.remove_class("-error")

    def _show_hints(self) -> None:
        """Under the date and the time: how they read ("Tue 3 Mar 2026", "14:00"), or why
        they cannot be read; under the price, why it cannot be read."""
        today = local_date(self.desk.now(), self.desk.business.tz)
        for field, read, words in (
            ("date", lambda text: parse_day(text, today), lambda day: f"{day:%a} {day.day} {day:%b %Y}"),
            ("time", parse_clock, lambda moment: moment.strftime("%H:%M")),
        ):
            box = self.query_one(f"#{field}-error", Static)
            try:
                value = read(self.query_one(f"#{field}", Input).value)
            except ValueError as error:
                box.update(str(error).capitalize() + ".")
                box.add_class("-error")
            else:
                box.update(words(value))
                box.remove_class("-error")
        price, box = self.query_one("#price", MoneyInput), self.query_one("#price-error", Static)
        box.update(price.error.capitalize() + "." if price.error else "")
        box.set_class(price.error is not None, "-error")

    # ---- live: defaults from the service, the coverage check ------------------------------------

    @on(Select.Changed, "#service")
    def _service_changed(self, event: Select.Changed) -> None:
        service = self._service(self._selected(event.select))
        if service is not None:
            duration = self.query_one("#duration", Input)
            with duration.prevent(Input.Changed):
                duration.value = str(service.duration_min)
            self.query_one("#price", MoneyInput).set_amount(service.price)
        self._changed()

    @on(Select.Changed, "#provider")
    @on(Select.Changed, "#cover")
    def _select_changed(self) -> None:
        self._changed()

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        if event.input.id in ("date", "time", "price"):
            self._show_hints()
        self._changed()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def _changed(self) -> None:
        """Something changed: clear the "book anyway?" question and check the cover again."""
        self.confirming = None
        if not self.saving:
            self._say("")
        self._check_cover()

    def _check_cover(self, then: Any = None) -> None:
        verdict = self.query_one("#verdict", Static)
        request = self.read_form()
        verdict.remove_class("-ok", "-off")
        if request.cover_holding_id is None:
            self.verdict = None
            if self.facts is not None and self.facts.holdings:
                verdict.update("No package: paid at checkout.")
            if then:
                then(request)
            return
        if request.service_id is None or request.starts_at is None:
            verdict.update("Choose a service, a date and a time to check it.")
            return
        self._previews += 1
        number = self._previews
        verdict.update("Checking…")

        def show(coverage: Coverage) -> None:
            if number != self._previews:
                return  # an older check: the form has changed since
            self.verdict = (request.key, coverage)
            self._show_verdict(coverage)
            self._show_errors(request.errors)
            if then:
                then(request)

        def failed(error: FrontDeskError) -> None:
            if number != self._previews:
                return
            verdict.update(Text("Cannot check: " + error.message))
            verdict.add_class("-off")
            if isinstance(error, InvalidInput):
                self._show_errors({**request.errors, **error.fields})

        business = self.desk.business
        self.run_db(preview_cover, business, customer_id=self.customer_id, service_id=request.service_id,
                    holding_id=request.cover_holding_id, starts_at=request.starts_at,
                    provider_id=request.provider_id, duration_min=request.duration_min,
                    price=request.price, now=self.desk.now(), then=show, failed=failed, group="preview")

    def _show_verdict(self, coverage: Coverage) -> None:
        holding = self._holding(coverage.holding_id)
        box = self.query_one("#verdict", Static)
        terms = holding.terms if holding else None
        if coverage.ok:
            words = take_words(coverage, terms) if terms else ""
            box.update(Text(f"✓ covers — {words}" if words else "✓ covers"))
        else:
            box.update(Text("✗ " + "; ".join(coverage.reasons)))
        box.set_class(coverage.ok, "-ok")
        box.set_class(not coverage.ok, "-off")

    def _holding(self, holding_id: int) -> HoldingView | None:
        if self.facts is None:
            return None
        return next((holding for holding in self.facts.holdings if holding.id == holding_id), None)

    # ---- saving -------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "book":
            return None if self.saving or self.facts is None else True
        return True

    def action_book(self) -> None:
        if self.saving or self.facts is None:
            return
        request = self.read_form()
        self._show_errors(request.errors)
        if request.errors:
            self._say("Correct the fields marked in red, then ctrl+s.", error=True)
            return
        if request.cover_holding_id is not None and (self.verdict is None or self.verdict[0] != request.key):
            self._check_cover(then=lambda fresh: self._book_checked(fresh))
            return
        self._book_checked(request)

    def _book_checked(self, request: Request) -> None:
        if request.cover_holding_id is not None and self.verdict is not None:
            key, coverage = self.verdict
            if key == request.key and not coverage.ok and self.confirming != request.key:
                holding = self._holding(request.cover_holding_id)
                title = holding.title if holding else "The package"
                self.confirming = request.key
                self._say(f"{title} would not cover it: {'; '.join(coverage.reasons)}. "
                          "ctrl+s again books it anyway (paid another way at checkout if still not covered); "
                          "or change the package.", error=True)
                return
        try:
            actor = self.desk.staff_id
        except FrontDeskError as error:
            self._say(error.message, error=True)
            return
        self.saving = True
        self._say("Booking…")
        self.refresh_bindings()
        business = self.desk.business
        self.run_db(book, business, customer_id=self.customer_id, service_id=request.service_id,
                    starts_at=request.starts_at, actor=actor, provider_id=request.provider_id,
                    duration_min=request.duration_min, price=request.price,
                    cover_holding_id=request.cover_holding_id, now=self.desk.now(), write=True,
                    then=self._booked, failed=self._book_failed)

    def _booked(self, booking: Booking) -> None:
        business = self.desk.business
        appointment = booking.appointment
        text = f"Booked {when_words(to_local(appointment.starts_at, business.tz))} {appointment.service_name}"
        if booking.coverage is not None:
            holding = self._holding(booking.coverage.holding_id)
            title = holding.title if holding else "the package"
            text += (f", to be covered by {title}" if booking.coverage.ok
                     else f" — not covered by {title}: {'; '.join(booking.coverage.reasons)}")
        self.notify(text, severity="information" if booking.coverage is None or booking.coverage.ok
                    else "warning")
        self.dismiss(booking)

    def _book_failed(self, error: FrontDeskError) -> None:
        self.saving = False
        self.refresh_bindings()
        if isinstance(error, InvalidInput):
            self._show_errors(error.fields)
            self._say("Correct the fields marked in red, then ctrl+s.", error=True)
        else:
            self._say(error.message, error=True)

    def action_cancel(self) -> None:
        if not self.saving:
            self.dismiss(None)

    def _say(self, text: str, error: bool = False) -> None:
        message = self.query_one("#book-message", Static)
        message.update(text)
        message.set_class(error, "-error")
