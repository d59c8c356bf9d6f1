"""The package form: every field of a package (DESIGN §1), filled from terms and read back as terms.

`PackageForm` lays the fields out (title, contents, services, value, fixed lines, price, provider,
expiry, weekdays, time of day, dates), shows only those that apply to the choices made, and
reads what staff typed through the domain's parsers (`ParsedInput`): `read()` gives the terms and
the fields it could not read. The screen that holds it checks the terms and shows the messages
(`show_messages`), each under its field.

What shows follows a choice at once, in the same key press (unticking "All services" shows the
service list before the next key is read), so Tab always walks the fields as they are on
screen; a field that a choice hides gives the focus back to that choice, so no key ever lands
in a field nobody can see. Enter moves to the next field at once, too (`field_after`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, RadioButton, RadioSet, Select, Static

from frontdesk.domain.money import Currency, format_money
from frontdesk.domain.parsing import (
    parse_amount,
    parse_clock,
    parse_count,
    parse_date,
    parse_dates,
    parse_minutes,
    typed_money,
)
from frontdesk.domain.periods import Period, PeriodUnit
from frontdesk.domain.terms import Contents, Terms, ValueType
from frontdesk.services.views import ProviderView, ServiceView
from frontdesk.widgets.fields import field_error, sentence
from frontdesk.widgets.fixed_lines import FixedLinesEditor
from frontdesk.widgets.keys_in_order import FieldInput
from frontdesk.widgets.parsed_input import ParsedInput
from frontdesk.widgets.service_checklist import ServiceChecklist
from frontdesk.widgets.weekday_picker import WeekdayPicker

FIELD_ORDER = ("title", "value_type", "services", "quantity", "fixed_lines", "price", "provider",
               "expires_in", "weekdays", "window", "date_range", "fixed_dates", "cancel_notice_hours")
FOCUS_TARGETS = {
    "title": "#title", "value_type": "#value-type", "quantity": "#quantity", "price": "#price",
    "provider": "#provider", "expires_in": "#expires-count", "weekdays": "#weekdays",
    "window": "#window-from", "date_range": "#date-from", "fixed_dates": "#fixed-dates",
    "cancel_notice_hours": "#notice-hours",
}
QUANTITY_HINTS = {ValueType.VISITS: "visits", ValueType.MINUTES: "minutes: 90, 1h30 or 1:30"}


def _row(label: str, *widgets: Widget, id: str | None = None) -> Horizontal:
    """One line of the form: a label, then the field's widgets."""
    return Horizontal(Label(label, classes="field-label"), *widgets, classes="field-row", id=id)


def _hint(text: str, id: str | None = None) -> Static:
    return Static(text, classes="field-hint", id=id)


def set_text(static: Static, text: str | Text, hide_empty: bool = True) -> None:
    """Update a Static only when its text changes (each update lays the form out again)."""
    if static.content != text:
        static.update(text)
    if hide_empty:
        show(static, bool(str(text)))


def show(widget: Widget, visible: bool) -> None:
    if widget.display != visible:
        widget.display = visible


class PackageForm(VerticalScroll):
    """Every field of a package; `fill` it from terms, `read` terms back."""

    def __init__(self, currency: Currency, today: date, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.currency = currency
        self.today = today  # dates typed without a year are read against it
        self.providers: list[ProviderView] = []
        self._just_pressed: dict[str, str] = {}  # radio set → the button turned on last (its set turns the
        # one before it off a moment later, by a message)

    def on_mount(self) -> None:
        """Show and hide the fields in the key press that changes a choice (a value's watcher runs
        at once; the Changed messages come later, after keys that may already be queued)."""
        for selector in ("#all-services", "#weekdays-on", "#first-visit", "#expires-count", "#notice-hours"):
            self.watch(self.query_one(selector), "value", self._choice_changed, init=False)
        for radio_set in ("contents", "value-type", "dates-kind"):
            for button in self.query_one(f"#{radio_set}", RadioSet).query(RadioButton):
                self.watch(button, "value", self._button_watcher(radio_set, button), init=False)

    def _button_watcher(self, radio_set: str, button: RadioButton) -> Callable[[bool], None]:
        def turned(value: bool) -> None:
            if value:
                self._just_pressed[radio_set] = button.id or ""
            self._choice_changed()
        return turned

    def _choice_changed(self, _value: object = None) -> None:
        self.show_parts()

    def compose(self) -> ComposeResult:
        yield _row("Title", FieldInput(id="title", placeholder="e.g. Massage Pack", compact=True))
        yield field_error("title")
        yield _row("Contents", RadioSet(
            RadioButton("Any from a list", id="contents-any", value=True),
            RadioButton("Fixed lines", id="contents-fixed"),
            id="contents", compact=True))
        with Vertical(id="any-section"):
            yield _row("Services", Checkbox("All services", value=True, id="all-services", compact=True))
            yield ServiceChecklist(id="services")
            yield field_error("services")
            yield _row("Holds", RadioSet(
                RadioButton("Visits", id="vt-visits", value=True),
                RadioButton("Minutes", id="vt-minutes"),
                RadioButton("Amount", id="vt-amount"),
                RadioButton("Unlimited", id="vt-unlimited"),
                id="value-type", compact=True))
            yield field_error("value_type")
            yield _row("Quantity", ParsedInput(parse=self._quantity, id="quantity", compact=True),
                       _hint("", id="quantity-hint"), id="quantity-row")
            yield field_error("quantity")
        with Vertical(id="fixed-section"):
            yield _row("Lines", _hint("in the order they are used"))
            yield FixedLinesEditor(id="fixed-lines")
            yield field_error("fixed_lines")
        yield _row("Price", ParsedInput(parse=self._money, id="price", placeholder="0.00", compact=True),
                   Checkbox("Not for sale (a manager assigns it)", id="not-for-sale", compact=True))
        yield field_error("price")
        yield _row("Provider", Select[int]([], prompt="Any provider", id="provider", compact=True))
        yield field_error("provider")
        yield _row("Expires in", ParsedInput(parse=self._expiry_count, id="expires-count", placeholder="never",
                                             type="integer", compact=True),
                   Select([(unit.value, unit) for unit in PeriodUnit], allow_blank=False,
                          value=PeriodUnit.MONTHS, id="expires-unit", compact=True),
                   _hint("after purchase; empty: never"))
        yield _row("", Checkbox("Count it from the first visit, not the purchase", id="first-visit", compact=True),
                   id="first-visit-row")
        yield field_error("expires_in")
        yield _row("Weekdays", Checkbox("Only on some weekdays", id="weekdays-on", compact=True))
        yield WeekdayPicker(id="weekdays")
        yield field_error("weekdays")
        yield _row("Time of day", ParsedInput(parse=parse_clock, id="window-from", placeholder="hh:mm", compact=True),
                   _hint("to", id="window-to-label"),
                   ParsedInput(parse=parse_clock, id="window-to", placeholder="hh:mm", compact=True),
                   _hint("like 10:00 to 13:00; empty: any time"))
        yield field_error("window")
        yield _row("Dates", RadioSet(
            RadioButton("Any date", id="dates-none", value=True),
            RadioButton("Date range", id="dates-range"),
            RadioButton("Fixed dates", id="dates-fixed"),
            id="dates-kind", compact=True))
        yield _row("From", ParsedInput(parse=self._day, id="date-from", placeholder="2026-03-01", compact=True),
                   _hint("to", id="date-to-label"),
                   ParsedInput(parse=self._day, id="date-to", placeholder="2026-03-31", compact=True),
                   _hint("both days included"), id="date-range-row")
        yield field_error("date_range")
        yield _row("On", ParsedInput(parse=self._days, id="fixed-dates", placeholder="2026-03-05, 2026-03-12",
                                     compact=True), id="fixed-dates-row")
        yield field_error("fixed_dates")
        yield _row("Cancel notice", ParsedInput(parse=self._notice, id="notice-hours", placeholder="none",
                                                type="integer", compact=True),
                   _hint("hours ahead; empty: no policy, a unit always comes back"))
        yield field_error("cancel_notice_hours")
        yield _row("Late cancel", Checkbox("forfeits the unit (else it comes back)", id="late-forfeits",
                                           compact=True), id="late-row")
        yield _row("No-show", Checkbox("forfeits the unit (else it comes back)", id="no-show-forfeits",
                                       compact=True), id="no-show-row")

    # ---- the parsers of the typed fields ----------------------------------------------------------

    @property
    def value_type(self) -> ValueType:
        return ValueType(self._pressed("value-type").removeprefix("vt-") or "visits")

    def _quantity(self, text: str) -> int:
        if self.value_type is ValueType.MINUTES:
            return parse_minutes(text)
        if self.value_type is ValueType.AMOUNT:
            return parse_amount(text, self.currency, what="credit")
        return parse_count(text, "5")

    def _money(self, text: str) -> int:
        return parse_amount(text, self.currency, what="price")

    @staticmethod
    def _expiry_count(text: str) -> int:
        return parse_count(text, "2")

    @staticmethod
    def _notice(text: str) -> int:
        return parse_count(text, "24")

    def _day(self, text: str) -> date:
        return parse_date(text, self.today)

    def _days(self, text: str) -> tuple[date, ...]:
        return parse_dates(text, self.today)

    # ---- filling ----------------------------------------------------------------------------------

    def fill(self, terms: Terms, *, new: bool, services: list[ServiceView], providers: list[ProviderView]) -> None:
        """Show `terms` in the fields (a new package: defaults, price and quantity blank)."""
        self.providers = providers
        currency = self.currency
        self.query_one("#title", Input).value = terms.title
        self._press("contents", "contents-fixed" if terms.contents is Contents.FIXED else "contents-any")
        self.query_one("#all-services", Checkbox).value = terms.all_services
        self.query_one(ServiceChecklist).set_services(services, terms.service_ids)
        value_type = terms.value_type or ValueType.VISITS
        self._press("value-type", f"vt-{value_type.value}")
        quantity = ""
        if not new and terms.quantity is not None and terms.contents is Contents.ANY:
            quantity = (typed_money(terms.quantity, currency) if value_type is ValueType.AMOUNT
                        else str(terms.quantity))
        self.query_one("#quantity", Input).value = quantity
        lines = self.query_one(FixedLinesEditor)
        lines.set_services(services)
        lines.set_lines(terms.fixed_lines)
        self.query_one("#price", Input).value = "" if new else typed_money(terms.price, currency)
        self.query_one("#not-for-sale", Checkbox).value = not terms.for_sale
        provider = self.query_one("#provider", Select)
        provider.set_options(
            (p.name + ("  (archived)" if p.archived else ""), p.id)
            for p in providers if not p.archived or p.id == terms.provider_id
        )
        provider.value = terms.provider_id if terms.provider_id is not None else Select.NULL
        if terms.expires_in is not None:
            self.query_one("#expires-count", Input).value = str(terms.expires_in.count)
            self.query_one("#expires-unit", Select).value = terms.expires_in.unit
        self.query_one("#first-visit", Checkbox).value = terms.starts_on_first_visit
        self.query_one("#notice-hours", Input).value = "" if terms.cancel_notice_hours is None \
            else str(terms.cancel_notice_hours)
        self.query_one("#late-forfeits", Checkbox).value = terms.late_cancel_forfeits
        self.query_one("#no-show-forfeits", Checkbox).value = terms.no_show_forfeits
        self.query_one("#weekdays-on", Checkbox).value = terms.weekdays is not None
        self.query_one(WeekdayPicker).days = terms.weekdays or frozenset()
        if terms.window is not None:
            self.query_one("#window-from", Input).value = terms.window[0].strftime("%H:%M")
            self.query_one("#window-to", Input).value = terms.window[1].strftime("%H:%M")
        if terms.date_range is not None:
            self._press("dates-kind", "dates-range")
            self.query_one("#date-from", Input).value = terms.date_range[0].isoformat()
            self.query_one("#date-to", Input).value = terms.date_range[1].isoformat()
        elif terms.fixed_dates is not None:
            self._press("dates-kind", "dates-fixed")
            self.query_one("#fixed-dates", Input).value = ", ".join(d.isoformat() for d in terms.fixed_dates)
        else:
            self._press("dates-kind", "dates-none")

    def _press(self, radio_set: str, button_id: str) -> None:
        for button in self.query_one(f"#{radio_set}", RadioSet).query(RadioButton):
            button.value = button.id == button_id

    def _pressed(self, radio_set: str) -> str:
        latest = self._just_pressed.get(radio_set)
        if latest and self.query_one(f"#{latest}", RadioButton).value:
            return latest
        for button in self.query_one(f"#{radio_set}", RadioSet).query(RadioButton):
            if button.value:
                return button.id or ""
        return ""

    # ---- reading ----------------------------------------------------------------------------------

    def state(self) -> tuple[Any, ...]:
        """Everything typed or chosen, to tell whether the form changed since it was filled."""
        values: list[Any] = []
        for widget in self.query("Input, Checkbox, Select"):
            if widget.id in ("line-service", "line-quantity"):
                continue
            values.append((widget.id, getattr(widget, "value", None)))
        values += [self._pressed("contents"), self._pressed("value-type"), self._pressed("dates-kind"),
                   self.query_one(ServiceChecklist).selected_ids, tuple(self.query_one(FixedLinesEditor).lines),
                   self.query_one(WeekdayPicker).days]
        return tuple(values)

    def _read(self, box_id: str, field: str, problems: dict[str, str]) -> Any:
        """What the typed field `box_id` says (None when blank); a problem for `field` if unreadable."""
        box = self.query_one(f"#{box_id}", ParsedInput)
        if box.error:
            problems.setdefault(field, sentence(box.error))
        return box.parsed

    def _blank(self, box_id: str) -> bool:
        return not self.query_one(f"#{box_id}", Input).value.strip()

    def read(self) -> tuple[Terms, dict[str, str]]:
        """The domain terms the form describes, and the problems found while reading it (text
        that is not a number, a time or a date), field → message."""
        problems: dict[str, str] = {}
        currency = self.currency
        fixed = self._pressed("contents") == "contents-fixed"
        value_type = self.value_type
        quantity: int | None = None
        if not fixed and value_type is not ValueType.UNLIMITED:
            quantity = self._read("quantity", "quantity", problems)
            if self._blank("quantity"):
                problems["quantity"] = {
                    ValueType.VISITS: "Enter the number of visits, like 5.",
                    ValueType.MINUTES: "Enter the minutes, like 90 or 1h30.",
                    ValueType.AMOUNT: f"Enter the amount of credit, like {format_money(20000, currency)}.",
                }[value_type]

        price = self._read("price", "price", problems) or 0
        if self._blank("price"):
            problems["price"] = f"Enter a price, like {format_money(25000, currency)} (0 for free)."

        all_services = self.query_one("#all-services", Checkbox).value
        checklist = self.query_one(ServiceChecklist)
        service_ids = () if all_services else checklist.selected_ids

        provider_value = self.query_one("#provider", Select).value
        provider_id = None if provider_value is Select.NULL else int(provider_value)  # type: ignore[arg-type]
        provider_name = next((p.name for p in self.providers if p.id == provider_id), None)

        expires_in = None
        count = self._read("expires-count", "expires_in", problems)
        if count is not None:
            expires_in = Period(count, PeriodUnit(self.query_one("#expires-unit", Select).value))

        weekdays = self.query_one(WeekdayPicker).days if self.query_one("#weekdays-on", Checkbox).value else None

        window = None
        start, end = self._read("window-from", "window", problems), self._read("window-to", "window", problems)
        if self._blank("window-from") != self._blank("window-to"):
            problems["window"] = "Enter both times, like 10:00 and 13:00, or neither."
        elif start is not None and end is not None:
            window = (start, end)

        date_range = None
        fixed_dates = None
        kind = self._pressed("dates-kind")
        if kind == "dates-range":
            first, last = self._read("date-from", "date_range", problems), self._read("date-to", "date_range", problems)
            if self._blank("date-from") or self._blank("date-to"):
                problems["date_range"] = "Enter the first and the last day, like 2026-03-01 and 2026-03-31."
            elif first is not None and last is not None:
                date_range = (first, last)
        elif kind == "dates-fixed":
            fixed_dates = self._read("fixed-dates", "fixed_dates", problems) or ()

        notice = self._read("notice-hours", "cancel_notice_hours", problems)
        terms = Terms(
            title=self.query_one("#title", Input).value.strip(),
            contents=Contents.FIXED if fixed else Contents.ANY,
            value_type=None if fixed else value_type,
            quantity=quantity,
            all_services=all_services or fixed,
            service_ids=() if fixed else service_ids,
            service_names=() if fixed else checklist.names_of(service_ids),
            fixed_lines=tuple(self.query_one(FixedLinesEditor).lines) if fixed else (),
            price=price,
            for_sale=not self.query_one("#not-for-sale", Checkbox).value,
            provider_id=provider_id,
            provider_name=provider_name,
            expires_in=expires_in,
            weekdays=weekdays,
            window=window,
            date_range=date_range,
            fixed_dates=fixed_dates,
            starts_on_first_visit=self.query_one("#first-visit", Checkbox).value,
            cancel_notice_hours=notice,
            late_cancel_forfeits=notice is not None and self.query_one("#late-forfeits", Checkbox).value,
            no_show_forfeits=notice is not None and self.query_one("#no-show-forfeits", Checkbox).value,
        )
        return terms, problems

    # ---- showing ----------------------------------------------------------------------------------

    def show_parts(self) -> None:
        """Show only the fields that apply to the choices made. A field hidden while it has the
        focus gives it back to the choice that hid it."""
        fixed = self._pressed("contents") == "contents-fixed"
        value_type = self.value_type
        contents = self.query_one("#contents")
        self._show_part(self.query_one("#any-section"), not fixed, contents)
        self._show_part(self.query_one("#fixed-section"), fixed, contents)
        self._show_part(self.query_one(ServiceChecklist), not self.query_one("#all-services", Checkbox).value,
                        self.query_one("#all-services"))
        unlimited = value_type is ValueType.UNLIMITED
        self._show_part(self.query_one("#quantity-row"), not fixed and not unlimited, self.query_one("#value-type"))
        hints = {**QUANTITY_HINTS, ValueType.AMOUNT: f"of credit in {self.currency.code}"}
        if value_type in hints:
            set_text(self.query_one("#quantity-hint", Static), hints[value_type])
        self._show_part(self.query_one(WeekdayPicker), self.query_one("#weekdays-on", Checkbox).value,
                        self.query_one("#weekdays-on"))
        kind = self._pressed("dates-kind")
        dates_kind = self.query_one("#dates-kind")
        self._show_part(self.query_one("#date-range-row"), kind == "dates-range", dates_kind)
        self._show_part(self.query_one("#fixed-dates-row"), kind == "dates-fixed", dates_kind)
        expires = self.query_one("#expires-count", ParsedInput).parsed is not None
        self._show_part(self.query_one("#first-visit-row"), expires or self.query_one("#first-visit", Checkbox).value,
                        self.query_one("#expires-count"))
        notice = self.query_one("#notice-hours", ParsedInput).parsed is not None
        for row in ("#late-row", "#no-show-row"):
            self._show_part(self.query_one(row), notice, self.query_one("#notice-hours"))

    def _show_part(self, part: Widget, visible: bool, control: Widget) -> None:
        show(part, visible)
        focused = self.screen.focused if self.is_attached else None
        if not visible and focused is not None and part in focused.ancestors_with_self:
            self.screen.set_focus(control)  # at once: the next key goes to the choice

    def show_messages(self, shown: Mapping[str, str]) -> None:
        for field in FIELD_ORDER:
            set_text(self.query_one(f"#{field}-error", Static), shown.get(field, ""))

    def focus_problem(self, field: str) -> None:
        """Put the cursor where the problem with `field` can be fixed, its message in view."""
        target: Widget
        if field == "services":
            checkbox = self.query_one("#all-services", Checkbox)
            checklist = self.query_one(ServiceChecklist)
            target = checklist if checklist.display else checkbox
        elif field == "fixed_lines":
            lines = self.query_one(FixedLinesEditor)
            target = lines.query_one("#lines-table") if lines.lines else lines.query_one("#line-quantity")
        elif field == "expires_in" and self._blank("expires-count"):
            target = self.query_one("#expires-count")
        else:
            target = self.query_one(FOCUS_TARGETS.get(field, "#title"))
        target.focus()
        error = self.query_one(f"#{field}-error", Static) if field in FIELD_ORDER else None

        def into_view() -> None:
            # a scroll still gliding to the field focused before Save (Tab then Ctrl+S at once) would
            # carry the form away from the problem after this jump: it stops where it is
            for axis in ("scroll_x", "scroll_y"):
                self.app.animator.force_stop_animation(self, axis)
            if error is not None and error.display:
                self.scroll_to_widget(error, animate=False)  # the message under the field too
            self.scroll_to_widget(target, animate=False)

        self.call_after_refresh(into_view)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Keep a field's message in view with the field (Tab scrolls only to the field)."""
        row = next((node for node in event.widget.ancestors_with_self
                    if isinstance(node, Widget) and node.has_class("field-row")), None)
        if row is None or row.parent is None:
            return
        siblings = list(row.parent.children)
        following = siblings[siblings.index(row) + 1] if siblings.index(row) + 1 < len(siblings) else None
        if following is not None and following.has_class("field-error") and following.display:
            self.call_after_refresh(self.scroll_to_widget, following, animate=False)

    # ---- moving on --------------------------------------------------------------------------------

    def field_after(self, field: Widget) -> Widget | None:
        """Enter in a field moves on to the next one shown, like Tab, before the next key is read."""
        chain = self.screen.focus_chain
        if field not in chain:
            return None
        return chain[(chain.index(field) + 1) % len(chain)]

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        """Enter has moved the focus on already (`field_after`); an Input that does not walk the
        fields itself moves it here."""
        event.stop()
        if self.screen.focused is event.input:
            following = self.field_after(event.input)
            if following is not None:
                following.focus()
