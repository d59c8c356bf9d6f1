"""Appointment checkout: pay from a package, with money, or both — or sell a package and apply it.

The screen shows the appointment, every holding of the customer judged against it (✓ and what it
takes, or ✗ and every reason), and a last row "No package — pay by money". The cursor starts on
the holding the appointment was booked to be covered by (if it covers), else on the default (the
one that expires first), else on "No package". Below: what the package pays, the rest and how
the rest is paid (card by default; cash, other, or split).

A checkout key is made when the screen is created and sent with every attempt, so a double press
or a retry after an error can never spend twice: the use case returns the first receipt for a
key it knows. The receipt opens on screen; closing it returns to the previous screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import uuid4

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Header, Input, Static

from frontdesk.app import FrontDeskApp
from frontdesk.domain.describe import format_duration
from frontdesk.domain.kinds import AppointmentStatus, Tender
from frontdesk.domain.money import format_money
from frontdesk.domain.periods import local_date
from frontdesk.screens.base import DeskScreen
from frontdesk.screens.dialogs.receipt import ReceiptDialog
from frontdesk.screens.dialogs.sell import Sale, SellDialog
from frontdesk.services.checkout import CheckoutPage, Paid, checkout_page, pay, unpayable
from frontdesk.services.errors import AlreadyPaid, FrontDeskError, NoBalanceLeft, NotCovered
from frontdesk.services.sales import TenderLine
from frontdesk.services.views import AppointmentView, Option, Receipt
from frontdesk.widgets.appointments import when_text
from frontdesk.widgets.keys_in_order import KeysInOrder
from frontdesk.widgets.tenders import TenderChooser, tender_bindings
from frontdesk.widgets.verdict import take_words
from frontdesk.widgets.footer import KeysFooter

NO_PACKAGE = "no-package"


class OptionsTable(KeysInOrder, DataTable):
    """The holdings table; Enter (the key, not a mouse click) asks to pay with the highlighted row.
    Keys typed after `t` in one burst go to the split's cash input (see `KeysInOrder`)."""

    @dataclass
    class Chosen(Message):
        table: OptionsTable

    def action_select_cursor(self) -> None:
        self.post_message(self.Chosen(self))


# ---- the screen ---------------------------------------------------------------------------------

class CheckoutScreen(DeskScreen[Receipt]):
    """Check out one appointment; dismisses with the receipt (None when left unpaid)."""

    TITLE = "Checkout"
    BINDINGS = [
        Binding("p", "pay", "Pay", key_display="⏎/p", tooltip="Pay with the highlighted package and the rest as shown",
                id="pay"),
        *tender_bindings(group="Rest by", amount="the rest", id_prefix="rest"),
        Binding("s", "sell", "Sell & apply", tooltip="Sell a package and apply it to this appointment now",
                id="sell-apply"),
        Binding("escape", "back", "Back", tooltip="Back without paying (or leave split)", id="checkout-back"),
    ]

    @dataclass
    class PageRead(Message):
        page: CheckoutPage

    @dataclass
    class Done(Message):
        paid: Paid

    def __init__(self, appointment_id: int) -> None:
        super().__init__()
        self.appointment_id = appointment_id
        self.key = uuid4().hex  # one checkout, one key: every retry of it sends the same key
        self.appointment: AppointmentView | None = None
        self.options: list[Option] = []
        self.paying = False
        self._table_width = 0
        self.live = False  # the page on its way was read again for a change: the cursor and focus stay
        self.afresh = False  # ... unless it was also read again after a refusal: the cursor goes to the default
        # the app's count of changes when the page was last read; None: no longer read for changes
        # (paid, the receipt is next; or a payment's answer was lost, and its retry says what happened)
        self.heard: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading the appointment…", id="checkout-appointment")
        yield OptionsTable(id="checkout-options", cursor_type="row", zebra_stripes=False)
        yield Static(id="checkout-pays")
        yield TenderChooser(id="checkout-tenders")
        yield Static(id="checkout-message")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.heard = self.app.changes
        self.reload()

    def on_screen_resume(self) -> None:
        if self.heard is not None and self.heard != self.app.changes:  # changed while a dialog was open
            self.desk_changed()

    @on(FrontDeskApp.DeskChanged)
    def desk_changed(self) -> None:
        """Changed at another desk (a package spent, the appointment paid): read again, so Pay
        shows why it cannot go ahead before it is pressed. Not while paying: the receipt is next."""
        if self.appointment is not None and not self.paying and self.heard is not None:
            self.heard, self.live = self.app.changes, True
            self.reload()

    # ---- loading ----------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="read", exit_on_error=False)
    def reload(self) -> None:
        desk = self.desk
        self.post_fresh(self.PageRead(desk.read(checkout_page, desk.business, appointment_id=self.appointment_id)))

    def work_failed(self, group: str, error: FrontDeskError) -> None:
        if group == "pay":
            self._failed(error)
        else:
            self._say(error.message, error=True)
            self.app.release_keys()  # what was typed ahead meets the message, not a wait

    @on(PageRead)
    def _show_page(self, message: PageRead) -> None:
        business = self.desk.business
        money = lambda amount: format_money(amount, business.currency)  # noqa: E731
        page = message.page
        live = self.live and not self.afresh
        self.live = self.afresh = False
        before = self.chosen() if live else None
        self.appointment = appointment = page.appointment
        self.options = page.options
        today = local_date(self.desk.now(), business.tz)
        head = Text.assemble(
            (appointment.customer_name, "bold"), " · ", (appointment.service_name, "bold"), " · ",
            when_text(appointment.starts_at, business.tz, today), " · ", format_duration(appointment.duration_min),
            f" · with {appointment.provider_name}" if appointment.provider_name else "",
        )
        head.append("\n")
        if appointment.status == AppointmentStatus.CANCELLED:
            head.append("Cancelled: nothing to pay.", style="bold")
        elif appointment.is_paid:
            head.append(f"Paid in full ({money(appointment.price)}).", style="bold")
        else:
            head.append(f"Price {money(appointment.price)} · paid {money(appointment.paid)} · ")
            head.append(f"due {money(appointment.due)}", style="bold")
        self.query_one("#checkout-appointment", Static).update(head)

        default = page.default
        row = self.options.index(default) if default is not None else len(self.options)
        if live:  # the cursor stays on the holding (or "No package") it was on; its ✗ says what changed
            row = next((i for i, option in enumerate(self.options)
                        if before is not None and option.holding.id == before.holding.id),
                       row if before is not None else len(self.options))
        self._fill_table(row)
        if not live:
            self.query_one(OptionsTable).focus()
        self._update_choice()
        if not live:
            self.app.release_keys()  # read and focused: the keys typed ahead of it are its now

    def _fill_table(self, cursor_row: int) -> None:
        """One row per holding and a last "No package" row. The reasons column takes the width
        that is left and wraps, so every reason stays readable at 80 columns."""
        assert self.appointment is not None
        appointment = self.appointment
        table = self.query_one(OptionsTable)
        table.clear(columns=True)
        cells = []
        for option in self.options:
            holding, coverage = option.holding, option.coverage
            title = Text(holding.title)
            marks = (["default"] if option.is_default else []) + (
                ["booked"] if coverage.ok and holding.id == appointment.cover_holding_id else [])
            if marks:
                title.append("  " + " · ".join(marks), style="bold")
            if coverage.ok:
                mark, why = Text("✓", style="bold green"), Text(take_words(coverage, holding.terms))
            else:
                mark, why = Text("✗", style="bold red"), Text("; ".join(coverage.reasons))
            cells.append((str(holding.id), mark, title, Text(holding.balance_text), why))
        money = format_money(appointment.due, self.desk.business.currency)
        cells.append((NO_PACKAGE, Text("–"), Text("No package — pay by money", style="italic"), Text(""),
                      Text(money)))
        title_width = max(cell_len(row[2].plain) for row in cells)
        balance_width = max([cell_len("Balance")] + [cell_len(row[3].plain) for row in cells])
        width = table.size.width or self.size.width - 2
        why_width = max(24, width - 1 - title_width - balance_width - 4 * 2 - 2)
        table.add_column("", width=1)
        table.add_column("Package", width=title_width)
        table.add_column("Balance", width=balance_width)
        table.add_column("This appointment", width=why_width)
        for key, *row in cells:
            table.add_row(*row, key=key, height=None)
        self._table_width = width
        table.move_cursor(row=cursor_row, animate=False)

    def on_resize(self) -> None:
        table = self.query_one(OptionsTable)
        if self.appointment is not None and table.size.width and table.size.width != self._table_width:
            self._fill_table(table.cursor_row)

    # ---- the choice -------------------------------------------------------------------------------

    def chosen(self) -> Option | None:
        """The highlighted holding, or None for "No package"."""
        table = self.query_one(OptionsTable)
        if not self.options or table.cursor_row >= len(self.options) or table.cursor_row < 0:
            return None
        return self.options[table.cursor_row]

    def package_pays(self) -> int:
        option = self.chosen()
        if option is None or not option.coverage.ok or option.coverage.take is None:
            return 0
        return option.coverage.take.value

    def rest(self) -> int:
        if self.appointment is None:
            return 0
        return max(self.appointment.due - self.package_pays(), 0)

    @on(DataTable.RowHighlighted, "#checkout-options")
    def _highlighted(self) -> None:
        if self.appointment is not None:
            self._update_choice()

    def _update_choice(self) -> None:
        assert self.appointment is not None
        business = self.desk.business
        money = lambda amount: format_money(amount, business.currency)  # noqa: E731
        option = self.chosen()
        pays = self.query_one("#checkout-pays", Static)
        if not self.appointment.needs_payment:
            pays.update("")
        elif option is None:
            pays.update(Text.assemble(("No package: ", "bold"), f"{money(self.appointment.due)} to pay with money."))
        elif option.coverage.ok:
            holding = option.holding
            pays.update(Text.assemble(
                (holding.title, "bold"), f" pays {money(self.package_pays())}",
                f" ({take_words(option.coverage, holding.terms)})", f" · {holding.expiry_text}",
            ))
        else:
            pays.update(Text.assemble(
                ("✗ ", "bold red"), (option.holding.title, "bold"), " does not cover this appointment: ",
                "; ".join(option.coverage.reasons), ". Choose another row, or “No package”.",
            ))
        chooser = self.query_one(TenderChooser)
        chooser.set_due(self.rest(), lead="Pay" if option is None else "Rest")
        chooser.display = self.appointment.needs_payment and (option is None or option.coverage.ok)
        self.refresh_bindings()

    # ---- actions ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return None if self.paying else True
        if action not in ("pay", "tender", "sell"):
            return True
        appointment = self.appointment
        if appointment is None or self.paying or appointment.is_paid \
                or appointment.status == AppointmentStatus.CANCELLED:
            return None
        if action == "sell":
            return True
        option = self.chosen()
        if option is not None and not option.coverage.ok:
            return None
        if action == "tender":
            return True if self.rest() > 0 else None
        return True if self.query_one(TenderChooser).tenders is not None else None

    @on(OptionsTable.Chosen)
    def _enter_on_row(self) -> None:
        self.action_pay()

    @on(Input.Submitted)
    def _enter_in_split(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_pay()

    @on(TenderChooser.Changed)
    def _tenders_changed(self) -> None:
        self.refresh_bindings()

    def action_tender(self, mode: str) -> None:
        self.query_one(TenderChooser).set_mode(mode)
        if mode == "split":
            self._say("Type the amounts (Tab moves between them); Enter pays; Esc leaves split.")
        else:
            self.query_one(OptionsTable).focus()
            self._say("")
        self.refresh_bindings()

    def action_back(self) -> None:
        if self.paying:
            return
        chooser = self.query_one(TenderChooser)
        if chooser.mode == "split" and self.focused in chooser.split_inputs:
            chooser.set_mode("card")
            self.query_one(OptionsTable).focus()
            self._say("")
            return
        self.dismiss(None)

    def why_not(self, action: str) -> str | None:
        """A key that cannot act now says why: what Enter would say about Pay, the same for the
        rest's tenders and Sell, and that a payment is on its way."""
        if self.paying and action in ("pay", "tender", "sell", "back"):
            return "Paying… one moment: the receipt comes next."
        if action in ("pay", "tender", "sell"):
            appointment = self.appointment
            if appointment is None:
                return "Still loading the appointment."
            refusal = unpayable(appointment)
            if refusal is not None:
                return refusal.message
            if action == "tender" and self.rest() <= 0:
                return "The package pays it all: nothing is left to pay by money."
            if action == "sell":
                return None
            return self._problem()
        return super().why_not(action)

    def _problem(self) -> str | None:
        """Why Pay cannot go ahead now, in words; None when it can."""
        appointment = self.appointment
        if appointment is None:
            return "Still loading the appointment."
        refusal = unpayable(appointment)  # worded by the checkout itself, which refuses the same
        if refusal is not None:
            return refusal.message
        option = self.chosen()
        if option is not None and not option.coverage.ok:
            return NotCovered(option.holding.title, option.coverage.reasons).message + \
                " Choose another row, or “No package”."
        return self.query_one(TenderChooser).problem

    def action_pay(self) -> None:
        if self.paying:
            return
        problem = self._problem()
        if problem:
            self._say(problem, error=True)
            return
        option = self.chosen()
        tenders = self.query_one(TenderChooser).tenders or []
        self._checkout(package=option.holding.id if option else None, tenders=tenders,
                       doing=f"Paying with {option.holding.title}…" if option else "Paying…")

    def action_sell(self) -> None:
        if self.appointment is None or self.paying:
            return
        self.app.push_screen(SellDialog(self.appointment.customer_id, self.appointment_id), self._sold)

    def _sold(self, sale: Sale | None) -> None:
        if sale is None or self.appointment is None:
            self.query_one(OptionsTable).focus()
            return
        rest = max(self.appointment.due - sale.pays, 0)
        mode = self.query_one(TenderChooser).mode
        if rest and mode == "split":
            self._say(f"{sale.title} would pay {format_money(sale.pays, self.desk.business.currency)}: "
                      "choose card, cash or other for the rest (k, h, o), then sell again.", error=True)
            return
        tenders = [TenderLine(Tender(mode), rest)] if rest else []
        self._checkout(package=None, tenders=tenders, sell_package_id=sale.package_id,
                       sale_tenders=sale.tenders, doing=f"Selling {sale.title} and applying it…")

    def _checkout(self, *, doing: str, package: int | None, tenders: list[TenderLine],
                  sell_package_id: int | None = None, sale_tenders: tuple[TenderLine, ...] = ()) -> None:
        self.paying = True
        self._say(doing)
        self.refresh_bindings()
        self._pay(package, tenders, sell_package_id, sale_tenders)

    @work(thread=True, exclusive=True, group="pay", exit_on_error=False)
    def _pay(self, package: int | None, tenders: list[TenderLine], sell_package_id: int | None,
             sale_tenders: tuple[TenderLine, ...]) -> None:
        """One checkout, one key: a retry after an error sends the same key, so it never spends twice."""
        desk = self.desk
        paid = desk.write(pay, desk.business, key=self.key, appointment_id=self.appointment_id,
                          package=package, tenders=tenders,
                          sell_package_id=sell_package_id, sale_tenders=sale_tenders)
        self.post_fresh(self.Done(paid))

    @on(Done)
    def _paid(self, message: Done) -> None:
        self.paying = False
        self.heard = None
        self._say("")
        self.app.push_screen(ReceiptDialog(message.paid), self._receipt_closed)

    def _receipt_closed(self, receipt: Receipt | None) -> None:
        self.dismiss(receipt)

    def _failed(self, error: FrontDeskError) -> None:
        self.paying = False
        text = error.message
        if isinstance(error, (NotCovered, NoBalanceLeft, AlreadyPaid)):
            text += " The choices were read again: check the highlighted row, then pay."
            self.afresh = True
            self.reload()
        else:  # perhaps saved, its answer lost: only the retry (same key) can say
            self.heard = None
        self._say(text, error=True)
        self.refresh_bindings()

    def _say(self, text: str, error: bool = False) -> None:
        message = self.query_one("#checkout-message", Static)
        message.update(text)
        message.set_class(error, "-error")
