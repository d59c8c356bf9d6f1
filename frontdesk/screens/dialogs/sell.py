"""Sell a package: pick one of the packages for sale, then how its price is paid.

`SellDialog(customer_id, appointment_id=None)` has two steps. The list step offers only packages
that are for sale, in the order `sales.sale_page` gives (with an appointment, the ones that would
cover it first, each saying what it would take or why it would not cover). Enter picks; the
tender step shows the price paid by card (Enter accepts), `h` cash, `o` other, `t` split; Escape
goes back. It dismisses with a `Sale` (the package and how its price is paid) and writes
nothing: the customer screen sells it, the checkout sells and applies it in one transaction.
Cancelling dismisses with None.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from frontdesk.domain.money import format_money
from frontdesk.screens.base import DeskModal
from frontdesk.services.errors import FrontDeskError
from frontdesk.services.sales import SaleChoice, SalePage, TenderLine, sale_page
from frontdesk.widgets.tenders import TenderChooser, tender_bindings
from frontdesk.widgets.verdict import take_words, verdict
from frontdesk.widgets.footer import KeysFooter


@dataclass(frozen=True, slots=True)
class Sale:
    """What to sell: the package, how its price is paid, and (with an appointment) what the new
    holding would pay of it (minor units)."""

    package_id: int
    title: str
    price: int
    tenders: tuple[TenderLine, ...]
    pays: int


class SellDialog(DeskModal[Sale]):
    """Pick a package to sell to a customer (and, at checkout, apply to the appointment)."""

    BINDINGS = [
        Binding("enter", "confirm", "Sell", tooltip="Sell the package, paid as shown", id="sell-confirm"),
        *tender_bindings(group="Paid by", amount="the price", id_prefix="sell"),
        Binding("escape", "back", "Back", tooltip="Back to the list, or close without selling",
                id="sell-back"),
    ]

    @dataclass
    class PageRead(Message):
        page: SalePage

    def __init__(self, customer_id: int, appointment_id: int | None = None) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.appointment_id = appointment_id
        self.page: SalePage | None = None
        self.picked: SaleChoice | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="sell-box"):
            yield Static("Sell a package", id="sell-title")
            yield Static("Loading packages…", id="sell-for")
            yield OptionList(id="sell-packages")
            with Vertical(id="sell-tender-step"):
                yield Static(id="sell-picked")
                yield TenderChooser(lead="Price", id="sell-tenders")
            yield Static(id="sell-message")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#sell-box").border_title = "Sell & apply" if self.appointment_id else "Sell a package"
        self.query_one("#sell-tender-step").display = False
        self.read_page()

    @work(thread=True, exclusive=True, group="sale-page", exit_on_error=False)
    def read_page(self) -> None:
        desk = self.desk
        self.post_fresh(self.PageRead(desk.read(sale_page, desk.business, customer_id=self.customer_id,
                                                appointment_id=self.appointment_id)))

    def work_failed(self, group: str, error: FrontDeskError) -> None:
        self._say(error.message, error=True)

    @property
    def choices(self) -> list[SaleChoice]:
        return self.page.choices if self.page is not None else []

    # ---- the list step ----------------------------------------------------------------------------

    @on(PageRead)
    def _loaded(self, message: PageRead) -> None:
        self.page = page = message.page
        business = self.desk.business
        title = self.query_one("#sell-title", Static)
        if page.appointment is None:
            title.update(Text.assemble("Sell a package to ", (page.customer.name, "bold")))
            self.query_one("#sell-for", Static).update("Pick a package (↑↓, Enter).")
        else:
            appointment = page.appointment
            title.update(Text.assemble("Sell a package to ", (page.customer.name, "bold"),
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
            if action == "confirm":
                return self.query_one("#sell-tenders", TenderChooser).tenders is not None or None
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
        if self.picked is None:
            return
        chooser = self.query_one("#sell-tenders", TenderChooser)
        tenders = chooser.tenders
        if tenders is None:
            self._say(chooser.problem or "The payments do not add up to the price.", error=True)
            return
        package = self.picked.package
        coverage = self.picked.coverage
        pays = coverage.take.value if coverage is not None and coverage.take is not None else 0
        self.dismiss(Sale(package_id=package.id, title=package.title, price=package.terms.price,
                          tenders=tuple(tenders), pays=pays))

    def action_back(self) -> None:
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
