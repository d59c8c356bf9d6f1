"""Book an appointment for a customer, optionally "to be covered by" one of her packages.

The form: service, provider (optional), date, time, duration and price (both default from the
service and stay editable), and "cover with" (one of her active holdings, or none). While staff
type, the coverage check runs (`appointments.preview_cover`) and shows its verdict before
anything is saved: "✓ covers — takes 1 visit" or "✗ Mondays only; 10:00–13:00 only". ctrl+s
books; when the package would not cover it, the first ctrl+s says why and a second ctrl+s books
anyway (the package is tried again at checkout, money pays otherwise). A booking holds what it
will take until its checkout: when the package has nothing free for it (what is left is held by
other bookings), the cover field says so and it is not booked that way. Escape cancels.

Dates and times are read by the domain's parsers (`frontdesk.domain.parsing`), the same for every
form: "tomorrow", "wed", "3/3", "2pm", "1430"; each field says under it how it was read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Header, Input, Label, Select, Static

from frontdesk.domain.coverage import Coverage, cover_refusal
from frontdesk.domain.describe import format_duration
from frontdesk.domain.money import format_money
from frontdesk.domain.parsing import next_half_hour, parse_clock, parse_day, parse_minutes
from frontdesk.domain.periods import local_date, to_local
from frontdesk.screens.base import DeskScreen
from frontdesk.services.appointments import Booking, BookingForm, book, booking_form, preview_cover
from frontdesk.services.errors import FrontDeskError, InvalidInput
from frontdesk.services.views import HoldingView, ServiceView
from frontdesk.widgets.appointments import when_text
from frontdesk.widgets.fields import sentence
from frontdesk.widgets.money_input import MoneyInput
from frontdesk.widgets.parsed_input import ParsedInput
from frontdesk.widgets.verdict import take_words


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


class BookScreen(DeskScreen[Booking]):
    """Book a new appointment for one customer; dismisses with the booking (None: cancelled)."""

    TITLE = "Book"
    BINDINGS = [
        Binding("ctrl+s", "book", "Book", tooltip="Save the appointment", id="book-save"),
        Binding("escape", "cancel", "Cancel", tooltip="Leave without booking", id="book-cancel"),
    ]

    @dataclass
    class FormRead(Message):
        form: BookingForm

    @dataclass
    class Checked(Message):
        """The coverage check of `request`; `then_book` when ctrl+s waits for it."""

        request: Request
        coverage: Coverage
        then_book: bool

    @dataclass
    class Booked(Message):
        booking: Booking

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.facts: BookingForm | None = None
        self.verdict: tuple[tuple[Any, ...], Coverage] | None = None  # (request key, coverage)
        self.confirming: tuple[Any, ...] | None = None  # request key shown "book anyway?" for
        self.saving = False

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
                    yield ParsedInput(now.date().isoformat(), parse=self._day, placeholder="today, 3/3, mon", id="date")
                    yield Static(classes="field-hint", id="date-error")
                with Vertical(classes="book-field"):
                    yield Label("Time")
                    yield ParsedInput(next_half_hour(now).strftime("%H:%M"), parse=parse_clock, placeholder="14:00",
                                      id="time")
                    yield Static(classes="field-hint", id="time-error")
                with Vertical(classes="book-field"):
                    yield Label("Duration (min)")
                    yield ParsedInput(parse=parse_minutes, placeholder="60", id="duration")
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
        self.load()
        self._show_hints()

    @work(thread=True, exclusive=True, group="read", exit_on_error=False)
    def load(self) -> None:
        desk = self.desk
        self.post_fresh(self.FormRead(desk.read(booking_form, desk.business, customer_id=self.customer_id)))

    def work_failed(self, group: str, error: FrontDeskError) -> None:
        if group == "preview":
            self._preview_failed(error)
        elif group == "book":
            self._book_failed(error)
        else:
            self._say(error.message, error=True)

    @on(FormRead)
    def _loaded(self, message: FormRead) -> None:
        business = self.desk.business
        self.facts = facts = message.form
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
        day = moment = None
        try:
            day = self._day(self.query_one("#date", ParsedInput).value)
        except ValueError as error:
            errors["date"] = sentence(str(error))
        try:
            moment = parse_clock(self.query_one("#time", ParsedInput).value)
        except ValueError as error:
            errors["time"] = sentence(str(error))
        starts_at = datetime.combine(day, moment, business.tz) if day and moment else None
        duration_box = self.query_one("#duration", ParsedInput)
        if duration_box.error:
            errors["duration"] = sentence(duration_box.error)
        price_box = self.query_one("#price", MoneyInput)
        if price_box.error:
            errors["price"] = sentence(price_box.error)
        return Request(
            service_id=service_id,
            provider_id=self._selected(self.query_one("#provider", Select)),
            starts_at=starts_at, duration_min=duration_box.parsed, price=price_box.amount,
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

    def _day(self, text: str) -> date:
        """The date typed (empty: today), read against the desk's today."""
        return parse_day(text, local_date(self.desk.now(), self.desk.business.tz))

    def _show_hints(self) -> None:
        """Under the date and the time: how they read ("Tue 3 Mar 2026", "14:00"), or why
        they cannot be read; under the price, why it cannot be read."""
        for field, read, words in (
            ("date", self._day, lambda day: f"{day:%a} {day.day} {day:%b %Y}"),
            ("time", parse_clock, lambda moment: moment.strftime("%H:%M")),
        ):
            box = self.query_one(f"#{field}-error", Static)
            try:
                value = read(self.query_one(f"#{field}", ParsedInput).value)
            except ValueError as error:
                box.update(sentence(str(error)))
                box.add_class("-error")
            else:
                box.update(words(value))
                box.remove_class("-error")
        price, box = self.query_one("#price", MoneyInput), self.query_one("#price-error", Static)
        box.update(sentence(price.error or ""))
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

    def _check_cover(self, then_book: bool = False) -> None:
        verdict = self.query_one("#verdict", Static)
        request = self.read_form()
        verdict.remove_class("-ok", "-off")
        if request.cover_holding_id is None:
            self.workers.cancel_group(self, "preview")
            self.verdict = None
            if self.facts is not None and self.facts.holdings:
                verdict.update("No package: paid at checkout.")
            if then_book:
                self._book_checked(request)
            return
        if request.service_id is None or request.starts_at is None:
            verdict.update("Choose a service, a date and a time to check it.")
            return
        verdict.update("Checking…")
        self._preview(request, then_book)

    @work(thread=True, exclusive=True, group="preview", exit_on_error=False)
    def _preview(self, request: Request, then_book: bool) -> None:
        """Each change replaces the check before it: only the form as it is now is judged."""
        desk = self.desk
        coverage = desk.read(preview_cover, desk.business, customer_id=self.customer_id,
                             service_id=request.service_id, holding_id=request.cover_holding_id,
                             starts_at=request.starts_at, provider_id=request.provider_id,
                             duration_min=request.duration_min, price=request.price)
        self.post_fresh(self.Checked(request, coverage, then_book))

    @on(Checked)
    def _checked(self, message: Checked) -> None:
        request = message.request
        if request.key != self.read_form().key:
            return  # the form changed since: its own check is on its way
        self.verdict = (request.key, message.coverage)
        self._show_verdict(message.coverage)
        holding = self._holding(message.coverage.holding_id)
        refusal = cover_refusal(holding.title if holding else "The package", message.coverage)
        self._show_errors({**request.errors, "cover": refusal} if refusal else request.errors)
        if message.then_book:
            self._book_checked(request)

    def _preview_failed(self, error: FrontDeskError) -> None:
        verdict = self.query_one("#verdict", Static)
        verdict.update(Text("Cannot check: " + error.message))
        verdict.add_class("-off")
        if isinstance(error, InvalidInput):
            self._show_errors({**self.read_form().errors, **error.fields})

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
            self._check_cover(then_book=True)
            return
        self._book_checked(request)

    def _book_checked(self, request: Request) -> None:
        if request.cover_holding_id is not None and self.verdict is not None:
            key, coverage = self.verdict
            holding = self._holding(request.cover_holding_id)
            title = holding.title if holding else "The package"
            refusal = cover_refusal(title, coverage) if key == request.key else None
            if refusal is not None:  # it would hold more than is free: not booked this way at all
                self._show_errors({**request.errors, "cover": refusal})
                self._say("Correct the fields marked in red, then ctrl+s.", error=True)
                return
            if key == request.key and not coverage.ok and self.confirming != request.key:
                self.confirming = request.key
                self._say(f"{title} would not cover it: {'; '.join(coverage.reasons)}. "
                          "ctrl+s again books it anyway (paid another way at checkout if still not covered); "
                          "or change the package.", error=True)
                return
        self.saving = True
        self._say("Booking…")
        self.refresh_bindings()
        self._book(request)

    @work(thread=True, exclusive=True, group="book", exit_on_error=False)
    def _book(self, request: Request) -> None:
        desk = self.desk
        self.post_fresh(self.Booked(desk.write(
            book, desk.business, customer_id=self.customer_id, service_id=request.service_id,
            starts_at=request.starts_at, provider_id=request.provider_id,
            duration_min=request.duration_min, price=request.price, cover_holding_id=request.cover_holding_id)))

    @on(Booked)
    def _booked(self, message: Booked) -> None:
        business = self.desk.business
        booking = message.booking
        appointment = booking.appointment
        today = local_date(self.desk.now(), business.tz)
        text = f"Booked {when_text(appointment.starts_at, business.tz, today)} {appointment.service_name}"
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
