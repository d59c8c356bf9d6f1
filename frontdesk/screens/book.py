"""Book an appointment for a customer, optionally "to be covered by" one of her packages.

The form: service, provider (optional), date, time, duration and price (both default from the
service and stay editable), and "cover with" (one of her active holdings, or none). While staff
type, the coverage check runs (`appointments.preview_cover`) and shows its verdict before
anything is saved: "✓ covers — takes 1 visit" or "✗ Mondays only; 10:00–13:00 only". ctrl+s
books; when the package would not cover it, the first ctrl+s says why and a second ctrl+s books
anyway (the package is tried again at checkout, money pays otherwise). A booking holds what it
will take until its checkout: when the package has nothing free for it (what is left is held by
other bookings), the cover field says so and it is not booked that way. Escape leaves (asking
first when something was changed).

The day book's checks run live too (`schedule.check_booking`): a provider busy then or who does
not give the service shows under the provider, a time outside the hours or gone by under the
date, the customer's own overlap as a warning. Once a service is chosen, the date and time are
the next free start for it (`schedule.suggest_start`), with the provider chosen or the earliest
of those who give it, until staff type a time themselves; the provider list offers only those
who give the service. A time gone by or outside the hours a manager enters anyway with ctrl+o,
giving the reason. `RescheduleScreen` is the same form moving a booked appointment: its date,
time and provider change, with the same checks.

Dates and times are read by the domain's parsers (`frontdesk.domain.parsing`), the same for every
form: "tomorrow", "wed", "3/3", "2pm", "1430"; each field says under it how it was read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Header, Input, Label, Select, Static

from frontdesk.domain.coverage import Coverage, cover_refusal
from frontdesk.domain.describe import format_duration
from frontdesk.domain.money import format_money
from frontdesk.domain.parsing import next_half_hour, parse_clock, parse_day, parse_minutes
from frontdesk.domain.periods import local_date, to_local
from frontdesk.screens.base import DeskScreen
from frontdesk.screens.dialogs.confirm import ConfirmDialog
from frontdesk.screens.dialogs.reason import ReasonDialog
from frontdesk.services.appointments import (
    Booking,
    BookingForm,
    Rescheduled,
    book,
    booking_form,
    get_appointment,
    preview_cover,
    reschedule,
)
from frontdesk.services.schedule import BookingCheck, Suggestion, check_booking, suggest_start
from frontdesk.services.errors import FrontDeskError, InvalidInput
from frontdesk.services.views import AppointmentView, HoldingView, ServiceView
from frontdesk.widgets.appointments import when_text
from frontdesk.widgets.fields import sentence
from frontdesk.widgets.money_input import MoneyInput
from frontdesk.widgets.parsed_input import ParsedInput
from frontdesk.widgets.verdict import take_words
from frontdesk.widgets.footer import KeysFooter


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
        Binding("escape", "cancel", "Cancel", tooltip="Leave without booking (asks first if you changed something)",
                id="book-cancel"),
        Binding("ctrl+o", "override", "Anyway", tooltip="A manager books a time gone by or outside the opening "
                "hours, giving the reason", id="book-override"),
    ]
    SAVE_WORDS = ("Book", "Booking…")

    @dataclass
    class FormRead(Message):
        form: BookingForm
        appointment: AppointmentView | None = None  # the one being moved

    @dataclass
    class Suggested(Message):
        """The next free start for (service, provider, day typed) `key`."""

        key: tuple[Any, ...]
        suggestion: Suggestion | None

    @dataclass
    class ScheduleChecked(Message):
        """The day book's verdict on `request`: clashes, hours, a time gone by, warnings."""

        request: Request
        check: BookingCheck

    @dataclass
    class Moved(Message):
        moved: Rescheduled

    @dataclass
    class Checked(Message):
        """The coverage check of `request`; `then_book` when ctrl+s waits for it."""

        request: Request
        coverage: Coverage
        then_book: bool

    @dataclass
    class Booked(Message):
        booking: Booking

    def __init__(self, customer_id: int | None, *, appointment_id: int | None = None) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.appointment_id = appointment_id  # moving this one, rather than booking a new one
        self.appointment: AppointmentView | None = None
        self.facts: BookingForm | None = None
        self.time_typed = appointment_id is not None  # staff chose the time: no more suggestions
        self.day_typed = appointment_id is not None
        self.pristine: tuple[Any, ...] | None = None  # the form as it opened, to know when it changed
        self.schedule: tuple[tuple[Any, ...], BookingCheck] | None = None  # (request key, the check)
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
        yield Static(id="book-warnings", classes="field-hint")
        yield Static(id="book-message")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.load()
        self._show_hints()

    @work(thread=True, exclusive=True, group="read", exit_on_error=False)
    def load(self) -> None:
        desk = self.desk
        appointment = None
        if self.appointment_id is not None:
            appointment = desk.read(get_appointment, self.appointment_id)
            self.customer_id = appointment.customer_id
        self.post_fresh(self.FormRead(desk.read(booking_form, desk.business, customer_id=self.customer_id),
                                      appointment))

    def work_failed(self, group: str, error: FrontDeskError) -> None:
        if group == "preview":
            self._preview_failed(error)
        elif group == "book":
            self._book_failed(error)
        elif group in ("schedule", "suggest"):
            pass  # the form says what is wrong with itself; ctrl+s gets the use case's own answer
        else:
            self._say(error.message, error=True)

    @on(FormRead)
    def _loaded(self, message: FormRead) -> None:
        business = self.desk.business
        self.facts = facts = message.form
        self.appointment = appointment = message.appointment
        self.query_one("#book-title", Static).update(self.title_text(facts, appointment))
        self.query_one("#service", Select).set_options(
            (f"{service.name} · {format_duration(service.duration_min)} · "
             f"{format_money(service.price, business.currency)}", service.id)
            for service in facts.services)
        self._offer_providers(None)
        self.query_one("#cover", Select).set_options(
            (f"{holding.title} · {holding.balance_text}", holding.id)
            for holding in facts.holdings)
        if not facts.holdings:
            self.query_one("#verdict", Static).update(f"{facts.customer.name} has no active package: paid at checkout.")
        if appointment is not None:
            self._prefill(appointment)
        self.pristine = self.read_form().key
        (self.query_one("#date", Input) if appointment else self.query_one("#service", Select)).focus()

    def title_text(self, facts: BookingForm, appointment: AppointmentView | None) -> Text:
        return Text.assemble("Book an appointment for ", (facts.customer.name, "bold"))

    def _prefill(self, appointment: AppointmentView) -> None:
        """The appointment being moved, as it stands: only its date, time and provider change."""
        local = to_local(appointment.starts_at, self.desk.business.tz)
        service = self.query_one("#service", Select)
        with service.prevent(Select.Changed):
            service.value = appointment.service_id
        self._offer_providers(appointment.service_id)
        provider = self.query_one("#provider", Select)
        with provider.prevent(Select.Changed):
            provider.value = appointment.provider_id if appointment.provider_id is not None else Select.NULL
        for selector, value in (("#date", local.date().isoformat()), ("#time", local.strftime("%H:%M")),
                                ("#duration", str(appointment.duration_min))):
            box = self.query_one(selector, Input)
            with box.prevent(Input.Changed):
                box.value = value
        self.query_one("#price", MoneyInput).set_amount(appointment.price)
        cover = self.query_one("#cover", Select)
        if appointment.cover_holding_id is not None and self._holding(appointment.cover_holding_id):
            with cover.prevent(Select.Changed):
                cover.value = appointment.cover_holding_id
        for selector in ("#service", "#duration", "#price", "#cover"):
            self.query_one(selector).disabled = True
        self._show_hints()
        self._changed()

    def _offer_providers(self, service_id: int | None) -> None:
        """The provider list: those who give the service (everyone before one is chosen); the one
        chosen stays when they give it."""
        if self.facts is None:
            return
        select = self.query_one("#provider", Select)
        chosen = self._selected(select)
        gives = self.facts.gives
        offered = [provider for provider in self.facts.providers
                   if service_id is None or gives.get(provider.id) is None or service_id in gives[provider.id]]
        with select.prevent(Select.Changed):
            select.set_options((provider.name, provider.id) for provider in offered)
            if chosen is not None and any(provider.id == chosen for provider in offered):
                select.value = chosen

    @property
    def changed(self) -> bool:
        return self.pristine is not None and self.read_form().key != self.pristine

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
        self._show_hints()
        for field in FIELDS:
            box = self.query_one(f"#{field}-error", Static)
            if field in mapped:
                box.update(mapped[field])
                box.add_class("-error")
            elif field not in ("date", "time", "price"):
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
        self._offer_providers(service.id if service else None)
        self._changed()
        self._suggest()

    @on(Select.Changed, "#provider")
    def _provider_changed(self) -> None:
        self._changed()
        self._suggest()

    @on(Select.Changed, "#cover")
    def _select_changed(self) -> None:
        self._changed()

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        typed = self.pristine is not None and event.input.has_focus  # staff typing, not the form opening
        if typed and event.input.id == "time":
            self.time_typed = True
        elif typed and event.input.id == "date":
            self.day_typed = True
        if event.input.id in ("date", "time", "price"):
            self._show_hints()
        self._changed()
        if event.input.id in ("date", "duration"):
            self._suggest()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def _changed(self) -> None:
        """Something changed: clear the "book anyway?" question and check the cover and the day
        book again."""
        self.confirming = None
        if not self.saving:
            self._say("")
        self._check_cover()
        self._check_schedule()

    # ---- the next free start ----------------------------------------------------------------------

    def _suggestion_key(self) -> tuple[Any, ...] | None:
        request = self.read_form()
        if request.service_id is None or self.time_typed:
            return None
        day = None
        if self.day_typed:
            try:
                day = self._day(self.query_one("#date", ParsedInput).value)
            except ValueError:
                return None
        return request.service_id, request.provider_id, day, request.duration_min

    def _suggest(self) -> None:
        """Once a service is chosen, and until staff type a time: the next free start."""
        key = self._suggestion_key()
        if key is not None:
            self._find_start(key)

    @work(thread=True, exclusive=True, group="suggest", exit_on_error=False)
    def _find_start(self, key: tuple[Any, ...]) -> None:
        desk = self.desk
        service_id, provider_id, day, duration = key
        after = datetime.combine(day, time(0), desk.business.tz) if day is not None else None
        suggestion = desk.read(suggest_start, desk.business, service_id=service_id, provider_id=provider_id,
                               after=after, duration_min=duration, ignore_id=self.appointment_id)
        self.post_fresh(self.Suggested(key, suggestion))

    @on(Suggested)
    def _suggested(self, message: Suggested) -> None:
        if message.key != self._suggestion_key():
            return  # the form changed since, or staff typed a time
        suggestion = message.suggestion
        box = self.query_one("#time-error", Static)
        if suggestion is None:
            box.update("Nothing free in the next weeks: type a time.")
            return
        local = to_local(suggestion.starts_at, self.desk.business.tz)
        day = message.key[2]
        if day is not None and local.date() != day:  # staff chose the day: it stays
            box.update(f"Nothing free that day; next {local:%a} {local.day} {local:%b %H:%M}.")
            return
        fields = [("#time", local.strftime("%H:%M"))] + ([] if day else [("#date", local.date().isoformat())])
        for selector, value in fields:
            field = self.query_one(selector, Input)
            with field.prevent(Input.Changed):
                field.value = value
        self._show_hints()
        who = f" with {suggestion.provider_name}" if suggestion.provider_name and message.key[1] is None else ""
        box.update(f"{local:%H:%M} · next free{who}")
        self._changed()

    # ---- the day book's check -----------------------------------------------------------------------

    def _check_schedule(self) -> None:
        request = self.read_form()
        if request.service_id is None or request.starts_at is None or self.customer_id is None:
            self.workers.cancel_group(self, "schedule")
            self.schedule = None
            self._show_warnings(())
            return
        self._judge(request)

    @work(thread=True, exclusive=True, group="schedule", exit_on_error=False)
    def _judge(self, request: Request) -> None:
        desk = self.desk
        check = desk.read(check_booking, desk.business, customer_id=self.customer_id, service_id=request.service_id,
                          starts_at=request.starts_at, provider_id=request.provider_id,
                          duration_min=request.duration_min, appointment_id=self.appointment_id)
        self.post_fresh(self.ScheduleChecked(request, check))

    @on(ScheduleChecked)
    def _schedule_checked(self, message: ScheduleChecked) -> None:
        request = message.request
        if request.key != self.read_form().key:
            return  # the form changed since: its own check is on its way
        self.schedule = (request.key, message.check)
        self._show_errors(self._found_errors(request))
        self._show_warnings(message.check.warnings)
        self.refresh_bindings()
        if message.check.overridable and not self.saving:
            self._say(self.override_words(), error=True)

    def override_words(self) -> str:
        if self.desk.is_manager:
            return "ctrl+o enters it anyway, with the reason."
        return "Only a manager can enter a time gone by or outside the opening hours."

    def _show_warnings(self, warnings: tuple[str, ...]) -> None:
        box = self.query_one("#book-warnings", Static)
        box.update(Text("⚠ " + " ".join(warnings)) if warnings else "")
        box.set_class(bool(warnings), "-error")

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
        self._show_errors(self._found_errors(request))
        if message.then_book:
            self._book_checked(request)

    def _found_errors(self, request: Request) -> dict[str, str]:
        """What is wrong with the form as it is now: its own fields, and what the two checks made
        of it — the day book's (provider, time) and the package's (cover) — whichever came back
        last, so neither's message is lost when the other arrives after it."""
        errors = dict(request.errors)
        if self.schedule is not None and self.schedule[0] == request.key:
            errors.update(self.schedule[1].errors)
        if self.verdict is not None and self.verdict[0] == request.key:
            coverage = self.verdict[1]
            holding = self._holding(coverage.holding_id)
            refusal = cover_refusal(holding.title if holding else "The package", coverage)
            if refusal:
                errors["cover"] = refusal
        return errors

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
        if action == "override":
            return True if self.desk.is_manager and self._overridable() and not self.saving else None
        return True

    def _overridable(self) -> bool:
        """The form as it is now was checked, and only its start stops it."""
        return (self.schedule is not None and self.schedule[0] == self.read_form().key
                and self.schedule[1].overridable)

    def why_not(self, action: str) -> str | None:
        if action == "override":
            if not self.desk.is_manager:
                return "Only a manager can enter a time gone by or outside the opening hours."
            return "Nothing to enter anyway: the time is open (or something else needs correcting first)."
        return super().why_not(action)

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

    def action_override(self) -> None:
        if not self._overridable() or not self.desk.is_manager or self.saving:
            return
        request = self.read_form()
        if request.errors:
            self._show_errors(request.errors)
            return
        problem = self.schedule[1].errors.get("starts_at", "") if self.schedule else ""

        def answered(reason: object) -> None:
            if isinstance(reason, str) and reason.strip():
                self._save(request, override=True, reason=reason)

        self.app.push_screen(ReasonDialog(
            "Enter it anyway", f"{problem}\nWhy is it entered anyway? (on the audit trail)",
            confirm_label=self.SAVE_WORDS[0] + " anyway"), answered)

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
        self._save(request)

    def _save(self, request: Request, *, override: bool = False, reason: str = "") -> None:
        self.saving = True
        self._say(self.SAVE_WORDS[1])
        self.refresh_bindings()
        self._book(request, override, reason)

    @work(thread=True, exclusive=True, group="book", exit_on_error=False)
    def _book(self, request: Request, override: bool = False, reason: str = "") -> None:
        desk = self.desk
        self.post_fresh(self.Booked(desk.write(
            book, desk.business, customer_id=self.customer_id, service_id=request.service_id,
            starts_at=request.starts_at, provider_id=request.provider_id,
            duration_min=request.duration_min, price=request.price, cover_holding_id=request.cover_holding_id,
            override=override, reason=reason)))

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
        if booking.warnings:
            text += " · " + " ".join(booking.warnings)
        fine = (booking.coverage is None or booking.coverage.ok) and not booking.warnings
        self.notify(text, severity="information" if fine else "warning")
        self.dismiss(booking)

    def _book_failed(self, error: FrontDeskError) -> None:
        self.saving = False
        self.refresh_bindings()
        if isinstance(error, InvalidInput):
            self._show_errors(error.fields)
            if set(error.fields) == {"starts_at"} and error.fields["starts_at"] != "The start time needs a time zone.":
                self._say(self.override_words(), error=True)
            else:
                self._say("Correct the fields marked in red, then ctrl+s.", error=True)
        else:
            self._say(error.message, error=True)

    def action_cancel(self) -> None:
        if self.saving:
            return
        if not self.changed:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog(self.DISCARD, confirm_label="Discard", cancel_label="Keep editing"),
                             answered)

    DISCARD = "Discard this booking?"

    def _say(self, text: str, error: bool = False) -> None:
        message = self.query_one("#book-message", Static)
        message.update(text)
        message.set_class(error, "-error")


class RescheduleScreen(BookScreen):
    """Move a booked appointment: its date, time and provider, with the booking's checks;
    dismisses with the move (None: left as it was)."""

    TITLE = "Move"
    BINDINGS = [
        Binding("ctrl+s", "book", "Move", tooltip="Move the appointment here", id="book-save"),
        Binding("escape", "cancel", "Cancel", tooltip="Leave it where it is (asks first if you changed something)",
                id="book-cancel"),
        Binding("ctrl+o", "override", "Anyway", tooltip="A manager moves it to a time gone by or outside the "
                "opening hours, giving the reason", id="book-override"),
    ]
    SAVE_WORDS = ("Move", "Moving…")
    DISCARD = "Leave the appointment where it was?"

    def __init__(self, appointment_id: int) -> None:
        super().__init__(None, appointment_id=appointment_id)

    def title_text(self, facts: BookingForm, appointment: AppointmentView | None) -> Text:
        business = self.desk.business
        today = local_date(self.desk.now(), business.tz)
        when = when_text(appointment.starts_at, business.tz, today) if appointment else ""
        service = appointment.service_name if appointment else ""
        return Text.assemble("Move ", (facts.customer.name, "bold"), f"'s {service} from {when}")

    @work(thread=True, exclusive=True, group="book", exit_on_error=False)
    def _book(self, request: Request, override: bool = False, reason: str = "") -> None:
        desk = self.desk
        self.post_fresh(self.Moved(desk.write(
            reschedule, desk.business, appointment_id=self.appointment_id, starts_at=request.starts_at,
            provider_id=request.provider_id, override=override, reason=reason)))

    @on(BookScreen.Moved)
    def _moved(self, message: BookScreen.Moved) -> None:
        business = self.desk.business
        moved = message.moved
        appointment = moved.appointment
        today = local_date(self.desk.now(), business.tz)
        text = f"Moved {appointment.service_name} to {when_text(appointment.starts_at, business.tz, today)}"
        if appointment.provider_name:
            text += f" with {appointment.provider_name}"
        if moved.coverage is not None and not moved.coverage.ok:
            holding = self._holding(moved.coverage.holding_id)
            title = holding.title if holding else "its package"
            text += f" — not covered by {title} then: {'; '.join(moved.coverage.reasons)}"
        if moved.warnings:
            text += " · " + " ".join(moved.warnings)
        fine = (moved.coverage is None or moved.coverage.ok) and not moved.warnings
        self.notify(text, severity="information" if fine else "warning")
        self.dismiss(moved)
