"""Sell a package: pick one of the packages for sale, then how its price is paid.

`SellDialog(customer_id, appointment_id=None)` has two steps. The list step offers only packages
that are for sale (never Not-for-sale or archived ones), most sold first; with an appointment,
the ones that would cover it come first, each saying what it would take or why it would not
cover. Enter picks; the tender step shows the price paid by card (Enter accepts), `h` cash,
`o` other, `t` split; Escape goes back.

The contract:
- from the customer screen (`appointment_id` None) the dialog sells the package itself
  (`sales.sell`, one write) and dismisses with the new `HoldingView`;
- from checkout it writes nothing and dismisses with a `Sale` (package id and sale tenders), so
  the checkout sells and applies the package in ONE transaction (`appointments.checkout` with
  `sell_package_id` and `sale_tenders`).
Cancelling dismisses with None.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from rich.text import Text
from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from frontdesk.domain.coverage import Coverage, HoldingFacts, LineBalance, covers
from frontdesk.domain.money import format_money
from frontdesk.domain.periods import local_date, valid_until
from frontdesk.domain.terms import Contents, Terms, ValueType, opening_balances
from frontdesk.screens.base import DeskModal
from frontdesk.services import sales
from frontdesk.services.appointments import get_appointment
from frontdesk.services.catalogue import list_packages
from frontdesk.services.customers import get_customer
from frontdesk.services.errors import FrontDeskError, InvalidInput
from frontdesk.services.sales import TenderLine
from frontdesk.services.views import AppointmentView, Business, CustomerView, PackageView
from frontdesk.widgets.tenders import TenderChooser

TENDERS = Binding.Group("Paid by")


@dataclass(frozen=True, slots=True)
class Sale:
    """What the checkout sells and applies: the package, how its price is paid, and what the new
    holding would pay of the appointment (minor units)."""

    package_id: int
    title: str
    price: int
    tenders: tuple[TenderLine, ...]
    pays: int


@dataclass(frozen=True, slots=True)
class SaleChoice:
    """A package for sale and, with an appointment, whether a fresh holding of it would cover it."""

    package: PackageView
    coverage: Coverage | None

    @property
    def covers(self) -> bool:
        return self.coverage is not None and self.coverage.ok


@dataclass(frozen=True, slots=True)
class SaleFacts:
    customer: CustomerView
    appointment: AppointmentView | None
    packages: list[PackageView]


def load_sale(session: Session, business: Business, *, customer_id: int,
              appointment_id: int | None) -> SaleFacts:
    """The customer, the appointment (if any) and every package for sale, in one read."""
    return SaleFacts(
        customer=get_customer(session, customer_id),
        appointment=get_appointment(session, appointment_id) if appointment_id is not None else None,
        packages=[view for view in list_packages(session, business, for_sale_only=True)
                  if view.terms.for_sale and not view.archived],
    )


def would_be_holding(package: PackageView, customer_id: int, now: datetime, tz: ZoneInfo) -> HoldingFacts:
    """The holding a sale of `package` right now would create (full balance, terms as today)."""
    terms = package.terms
    lines = tuple(LineBalance(-(index + 1), service_id, quantity, quantity)
                  for index, (service_id, quantity) in enumerate(opening_balances(terms)))
    return HoldingFacts(
        id=-package.id, customer_id=customer_id, terms=terms, purchased_at=now,
        valid_until=valid_until(local_date(now, tz), terms.expires_in), voided=False, lines=lines,
    )


def _made_for(package: PackageView, appointment: AppointmentView | None) -> bool:
    """Does the package name the appointment's service (rather than any service, or money)?"""
    if appointment is None:
        return False
    terms = package.terms
    return (appointment.service_id in terms.service_ids
            or any(line.service_id == appointment.service_id for line in terms.fixed_lines))


def sale_choices(facts: SaleFacts, business: Business, now: datetime) -> list[SaleChoice]:
    """The packages in the order offered: those covering the appointment first, among them the
    ones made for its service (a massage pack for a massage), then the most sold, then by title."""
    choices = []
    for package in facts.packages:
        coverage = None
        if facts.appointment is not None:
            holding = would_be_holding(package, facts.customer.id, now, business.tz)
            coverage = covers(holding, facts.appointment.facts, now, tz=business.tz,
                              currency=business.currency)
        choices.append(SaleChoice(package, coverage))
    return sorted(choices, key=lambda c: (not c.covers, not _made_for(c.package, facts.appointment),
                                          -c.package.sold_count, c.package.title.lower()))


def verdict(coverage: Coverage | None, terms: Terms) -> Text:
    """"✓ covers — takes 1 visit" / "✗ Mondays only; 10:00–13:00 only"."""
    if coverage is None:
        return Text("")
    if coverage.ok:
        return Text.assemble(("✓ covers", "bold green"), f" — {take_words(coverage, terms)}")
    return Text.assemble(("✗ ", "bold red"), "; ".join(coverage.reasons))


def take_words(coverage: Coverage, terms: Terms) -> str:
    """What a covering holding takes: "takes 1 visit", "takes 1 h", "pays $40.00 of $80.00",
    "takes 1 × Thai Massage", "unlimited use"."""
    take = coverage.take
    if take is None:
        return ""
    if terms.contents is Contents.ANY and terms.value_type is ValueType.AMOUNT:
        return f"pays {take.description}"
    if terms.contents is Contents.ANY and terms.value_type is ValueType.UNLIMITED:
        return take.description
    return f"takes {take.description}"


class SellDialog(DeskModal):
    """Sell a package to a customer, or pick one to sell and apply at checkout."""

    BINDINGS = [
        Binding("enter", "confirm", "Sell", tooltip="Sell the package, paid as shown", id="sell-confirm"),
        Binding("k", "tender('card')", "Card", tooltip="The price by card", id="sell-card", group=TENDERS),
        Binding("h", "tender('cash')", "Cash", tooltip="The price in cash", id="sell-cash", group=TENDERS),
        Binding("o", "tender('other')", "Other", tooltip="The price by another tender", id="sell-other",
                group=TENDERS),
        Binding("t", "tender('split')", "Split", tooltip="Split the price between cash, card and other",
                id="sell-split", group=TENDERS),
        Binding("escape", "back", "Back", tooltip="Back to the list, or close without selling",
                id="sell-back"),
    ]

    def __init__(self, customer_id: int, appointment_id: int | None = None) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.appointment_id = appointment_id
        self.facts: SaleFacts | None = None
        self.choices: list[SaleChoice] = []
        self.picked: SaleChoice | None = None
        self.selling = False

    def compose(self) -> ComposeResult:
        with Vertical(id="sell-box"):
            yield Static("Sell a package", id="sell-title")
            yield Static("Loading packages…", id="sell-for")
            yield OptionList(id="sell-packages")
            with Vertical(id="sell-tender-step"):
                yield Static(id="sell-picked")
                yield TenderChooser(lead="Price", id="sell-tenders")
            yield Static(id="sell-message")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#sell-box").border_title = "Sell & apply" if self.appointment_id else "Sell a package"
        self.query_one("#sell-tender-step").display = False
        self.run_db(load_sale, self.desk.business, customer_id=self.customer_id,
                    appointment_id=self.appointment_id, then=self._loaded, failed=self._say_error)

    # ---- the list step ----------------------------------------------------------------------------

    def _loaded(self, facts: SaleFacts) -> None:
        self.facts = facts
        business = self.desk.business
        self.choices = sale_choices(facts, business, self.desk.now())
        title = self.query_one("#sell-title", Static)
        if facts.appointment is None:
            title.update(Text.assemble("Sell a package to ", (facts.customer.name, "bold")))
            self.query_one("#sell-for", Static).update("Pick a package (↑↓, Enter).")
        else:
            appointment = facts.appointment
            title.update(Text.assemble("Sell a package to ", (facts.customer.name, "bold"),
                                       " and apply it now"))
            start = appointment.starts_at.astimezone(business.tz)
            self.query_one("#sell-for", Static).update(Text.assemble(
                "For ", (appointment.service_name, "bold"), f" {start:%a} {start.day} {start:%b %H:%M}",
                f" · due {format_money(appointment.due, business.currency)}",
                " — packages that cover it first (↑↓, Enter).",
            ))
        packages = self.query_one("#sell-packages", OptionList)
        packages.clear_options()
        packages.add_options(Option(self._row(choice), id=str(choice.package.id)) for choice in self.choices)
        if not self.choices:
            self._say("No package is for sale. A manager can add one in Packages (F2).")
        else:
            packages.highlighted = 0
        packages.focus()
        self.refresh_bindings()

    def _row(self, choice: SaleChoice) -> Text:
        business = self.desk.business
        package = choice.package
        row = Text()
        if choice.coverage is not None:
            row.append("✓ " if choice.covers else "✗ ", style="bold green" if choice.covers else "bold red")
        row.append(package.title, style="bold")
        row.append(f"  {format_money(package.terms.price, business.currency)}")
        if choice.coverage is not None:
            row.append("  ")
            if choice.covers:
                row.append(f"covers — {take_words(choice.coverage, package.terms)}", style="green")
            else:
                row.append("; ".join(choice.coverage.reasons), style="red")
        row.append("\n  " if choice.coverage is not None else "\n")
        row.append(package.summary, style="dim")
        return row

    @on(OptionList.OptionSelected, "#sell-packages")
    def _pick(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        choice = next(c for c in self.choices if str(c.package.id) == event.option.id)
        if choice.coverage is not None and not choice.covers:
            self._say(f"{choice.package.title} would not cover this appointment: "
                      f"{'; '.join(choice.coverage.reasons)}. Pick one marked ✓ "
                      "(or sell it from the customer screen).", error=True)
            return
        self.picked = choice
        self._show_tender_step()

    # ---- the tender step --------------------------------------------------------------------------

    def _show_tender_step(self) -> None:
        choice = self.picked
        assert choice is not None
        business = self.desk.business
        package = choice.package
        self.query_one("#sell-packages").display = False
        self.query_one("#sell-for").display = False
        self.query_one("#sell-tender-step").display = True
        picked = Text.assemble((package.title, "bold"), "  ",
                               (format_money(package.terms.price, business.currency), "bold"), "\n",
                               (package.summary, "dim"))
        if choice.coverage is not None:
            picked.append("\n")
            picked.append_text(verdict(choice.coverage, package.terms))
            picked.append(" — sold and applied to this appointment in one go.")
        self.query_one("#sell-picked", Static).update(picked)
        chooser = self.query_one("#sell-tenders", TenderChooser)
        chooser.set_mode("card")
        chooser.set_due(package.terms.price)
        self.set_focus(None)
        self._say("Enter sells it" + (" and applies it" if self.appointment_id else "")
                  + ". k card · h cash · o other · t split · Esc back.")
        self.refresh_bindings()

    def _show_list_step(self) -> None:
        self.picked = None
        self.query_one("#sell-tender-step").display = False
        self.query_one("#sell-packages").display = True
        self.query_one("#sell-for").display = True
        self.query_one("#sell-packages", OptionList).focus()
        self._say("")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("confirm", "tender"):
            if self.picked is None:
                return False  # the list step: Enter picks in the list
            if self.selling:
                return None
            if action == "confirm":
                return self.query_one("#sell-tenders", TenderChooser).tenders is not None or None
        if action == "back" and self.selling:
            return None
        return True

    def action_tender(self, mode: str) -> None:
        self.query_one("#sell-tenders", TenderChooser).set_mode(mode)
        if mode != "split":
            self.set_focus(None)
        self.refresh_bindings()

    @on(TenderChooser.Changed)
    def _tenders_changed(self) -> None:
        self.refresh_bindings()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_confirm()

    def action_confirm(self) -> None:
        if self.picked is None or self.selling:
            return
        chooser = self.query_one("#sell-tenders", TenderChooser)
        tenders = chooser.tenders
        if tenders is None:
            self._say(chooser.problem or "The payments do not add up to the price.", error=True)
            return
        package = self.picked.package
        if self.appointment_id is not None:
            coverage = self.picked.coverage
            pays = coverage.take.value if coverage is not None and coverage.take is not None else 0
            self.dismiss(Sale(package_id=package.id, title=package.title, price=package.terms.price,
                              tenders=tuple(tenders), pays=pays))
            return
        try:
            actor = self.desk.staff_id
        except FrontDeskError as error:
            self._say_error(error)
            return
        self.selling = True
        self._say(f"Selling {package.title}…")
        self.refresh_bindings()
        self.run_db(sales.sell, self.desk.business, customer_id=self.customer_id, package_id=package.id,
                    tenders=tenders, actor=actor, now=self.desk.now(), write=True,
                    then=self.dismiss, failed=self._sell_failed)

    def _sell_failed(self, error: FrontDeskError) -> None:
        self.selling = False
        self._say_error(error)
        self.refresh_bindings()

    def action_back(self) -> None:
        if self.selling:
            return
        chooser = self.query_one("#sell-tenders", TenderChooser)
        if self.picked is not None and chooser.mode == "split":
            chooser.set_mode("card")
            self.set_focus(None)
            self.refresh_bindings()
        elif self.picked is not None:
            self._show_list_step()
        else:
            self.dismiss(None)

    # ---- messages ---------------------------------------------------------------------------------

    def _say(self, text: str, error: bool = False) -> None:
        message = self.query_one("#sell-message", Static)
        message.update(text)
        message.set_class(error, "-error")

    def _say_error(self, error: FrontDeskError) -> None:
        if isinstance(error, InvalidInput):
            self._say(" ".join(error.fields.values()), error=True)
        else:
            self._say(error.message, error=True)
