"""Two desks on one database (SQLite and PostgreSQL): what desk A does shows at desk B without a
key pressed there — a sale on B's customer view, a redemption at A's checkout on B's day book, a
booking on B's today list, a cancellation on B's day book — and B's cursor, focus and typing
stay where they were. A checkout open at B whose package A just spent shows why before Pay.

Desk B waits for what it shows by pausing until the table shows it, a bounded number of times:
how soon it shows is measured by the bench, not asserted here."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from frontdesk.app import FrontDeskApp
from frontdesk.db import create_db_engine
from frontdesk.domain.business import Business
from frontdesk.screens.checkout import CheckoutScreen
from frontdesk.screens.customer import CustomerScreen
from frontdesk.screens.day_book import DayBookScreen
from frontdesk.screens.dialogs.receipt import ReceiptDialog
from frontdesk.screens.home import HomeScreen
from frontdesk.services import appointments, checkout
from frontdesk.services.desk import Desk
from tests.conftest import BACKENDS, NOW, fresh_database_url
from tests.screens.customer_data import Spa
from tests.screens.keys import type_text
from tests.screens.settle import settle, until

SIZE = (100, 32)


@pytest.fixture(params=BACKENDS)
def desks(request: pytest.FixtureRequest, tmp_path: Path, business: Business) -> Iterator[tuple[Desk, Desk]]:
    """Desk A (with the small spa built through it) and desk B, each with its own engine, on one
    fresh database; Rita is signed in at both."""
    database = fresh_database_url(request.param, request, tmp_path)
    url = next(database)
    engines = [create_db_engine(url) for _ in range(2)]
    desk_a, desk_b = (Desk(engine, business, clock=lambda: NOW) for engine in engines)
    yield desk_a, desk_b
    for engine in engines:
        engine.dispose()
    next(database, None)  # the PostgreSQL database is dropped


def rows(app: FrontDeskApp, selector: str) -> list[list[str]]:
    table = app.screen.query_one(selector, DataTable)
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


def spa_on(desk_a: Desk, desk_b: Desk) -> Spa:
    spa = Spa(desk_a)
    desk_b.staff = spa.rita
    return spa


async def test_a_sale_at_desk_a_shows_on_desk_b_customer_view_where_it_was(desks: tuple[Desk, Desk]) -> None:
    desk_a, desk_b = desks
    spa = spa_on(desk_a, desk_b)
    for hour in (14, 15, 16):
        spa.book(spa.at(1, hour))
    app = FrontDeskApp(desk_b)
    async with app.run_test(size=SIZE) as b:
        b.app.open_customer(spa.maria)
        await settle(b)
        screen = b.app.screen
        assert isinstance(screen, CustomerScreen) and rows(b.app, "#holdings") == []
        await b.press("down")  # B is on the second appointment
        table = screen.query_one("#appointments", DataTable)
        focused, row = b.app.focused, table.cursor_row
        assert row == 1 and focused is table
        spa.sell(spa.massage_pack)  # at desk A
        await until(b, lambda: [r[:2] for r in rows(b.app, "#holdings")] == [["Massage Pack", "5 of 5 visits"]],
                    "the Massage Pack sold at desk A")
        assert b.app.screen is screen and b.app.focused is focused and table.cursor_row == row
    assert not app.watcher.running  # stopped with the app


async def test_a_redemption_at_desk_a_checkout_shows_on_desk_b_day_book(desks: tuple[Desk, Desk]) -> None:
    desk_a, desk_b = desks
    spa = spa_on(desk_a, desk_b)
    spa.sell(spa.massage_pack, days_ago=3)
    visit = spa.book(spa.at(0, 14), provider=spa.anna)
    spa.book(spa.at(0, 16), provider=spa.anna)
    async with FrontDeskApp(desk_a).run_test(size=SIZE) as a, FrontDeskApp(desk_b).run_test(size=SIZE) as b:
        b.app.action_open_day_book()
        await settle(b)
        assert isinstance(b.app.screen, DayBookScreen)
        book = b.app.screen.query_one("#daybook", DataTable)
        await b.press("down")  # B is on the 16:00 appointment
        kept = book.coordinate_to_cell_key(book.cursor_coordinate).row_key
        assert [r[3] for r in rows(b.app, "#daybook")[1:]] == ["unpaid $80.00", "unpaid $80.00"]

        # desk A: its checkout, paid from the package with one key (opened from A's own loop: the
        # test's code runs in B's context, the app entered last)
        a.app.call_later(a.app.open_checkout, visit)
        await settle(a)
        assert isinstance(a.app.screen, CheckoutScreen)
        await a.press("enter")
        await settle(a)
        assert isinstance(a.app.screen, ReceiptDialog)

        await until(b, lambda: rows(b.app, "#daybook")[1][3] == "paid from Massage Pack",
                    "the visit paid from the Massage Pack at desk A")
        assert book.coordinate_to_cell_key(book.cursor_coordinate).row_key == kept
        assert str(b.app.screen.query_one("#daybook-summary", Static).content) == "2 appointments, 1 unpaid"


async def test_a_booking_at_desk_a_shows_in_desk_b_today_list_and_its_search_stays(desks: tuple[Desk, Desk]) -> None:
    desk_a, desk_b = desks
    spa = spa_on(desk_a, desk_b)
    async with FrontDeskApp(desk_b).run_test(size=SIZE) as b:
        await settle(b)
        assert isinstance(b.app.screen, HomeScreen) and rows(b.app, "#today") == []
        await type_text(b, "Mar")  # B is typing a name
        await settle(b)
        search = b.app.screen.query_one("#search", Input)
        visit = spa.book(spa.at(0, 15), provider=spa.anna)  # at desk A
        await until(b, lambda: [r[:4] for r in rows(b.app, "#today")] == [["15:00", "Maria Lopez", "Swedish Massage",
                                                                           "Anna"]],
                    "the booking made at desk A")
        assert b.app.focused is search and search.value == "Mar"
        assert b.app.screen.query_one("#today", DataTable).coordinate_to_cell_key((0, 0)).row_key.value == str(visit)


async def test_a_cancellation_at_desk_a_shows_on_desk_b_day_book(desks: tuple[Desk, Desk]) -> None:
    desk_a, desk_b = desks
    spa = spa_on(desk_a, desk_b)
    first = spa.book(spa.at(0, 14), provider=spa.anna)
    spa.book(spa.at(0, 16), provider=spa.anna)
    async with FrontDeskApp(desk_b).run_test(size=SIZE) as b:
        b.app.action_open_day_book()
        await settle(b)
        book = b.app.screen.query_one("#daybook", DataTable)
        await b.press("down")
        kept = book.cursor_row
        desk_a.by(spa.rita.id).write(appointments.cancel, spa.business, appointment_id=first)  # at desk A
        await until(b, lambda: rows(b.app, "#daybook")[1][3] == "cancelled", "the cancellation made at desk A")
        assert book.cursor_row == kept and rows(b.app, "#daybook")[2][3] == "unpaid $80.00"


def one_visit_left(spa):  # type: ignore[no-untyped-def]
    """A Massage Pack with four of its five visits used yesterday, and two visits booked today:
    (the pack, the visit desk B checks out, the other visit desk A pays with its last one)."""
    pack = spa.sell(spa.massage_pack, days_ago=3)
    for hour in (9, 10, 11, 12):
        spa.pay_by_package(spa.book(spa.at(-1, hour)), pack)
    return pack, spa.book(spa.at(0, 14)), spa.book(spa.at(0, 16))


async def test_desk_b_checkout_shows_the_package_desk_a_just_spent_before_pay(desks: tuple[Desk, Desk]) -> None:
    desk_a, desk_b = desks
    spa = spa_on(desk_a, desk_b)
    pack, visit, other = one_visit_left(spa)
    async with FrontDeskApp(desk_b).run_test(size=SIZE) as b:
        b.app.open_checkout(visit)
        await settle(b)
        screen = b.app.screen
        assert isinstance(screen, CheckoutScreen)
        assert rows(b.app, "#checkout-options")[0][:3] == ["✓", "Massage Pack  default", "1 of 5 visits"]
        spa.pay_by_package(other, pack)  # desk A takes the last visit
        await until(b, lambda: rows(b.app, "#checkout-options")[0] == ["✗", "Massage Pack", "0 of 5 visits",
                                                                      "no visits left"],
                    "that the Massage Pack has no visit left")
        table = screen.query_one("#checkout-options", DataTable)
        assert table.cursor_row == 0 and b.app.focused is table  # still on the package, not moved to "pay by card"
        assert "does not cover this appointment: no visits left" in str(screen.query_one("#checkout-pays",
                                                                                         Static).content)
        assert screen.active_bindings["p"].enabled is False
        await b.press("enter")  # the key says why; nothing is tried, nothing is paid
        await settle(b)
        assert b.app.screen is screen
        assert "no visits left" in str(screen.query_one("#checkout-message", Static).content)
    assert desk_b.read(checkout.checkout_page, spa.business, appointment_id=visit).appointment.due == 8000


async def test_desk_b_checkout_under_a_dialog_reads_again_when_it_comes_back(desks: tuple[Desk, Desk]) -> None:
    """A change heard while the sell dialog is over B's checkout shows once the dialog closes."""
    from frontdesk.screens.dialogs.sell import SellDialog

    desk_a, desk_b = desks
    spa = spa_on(desk_a, desk_b)
    pack, visit, other = one_visit_left(spa)
    async with FrontDeskApp(desk_b).run_test(size=SIZE) as b:
        b.app.open_checkout(visit)
        await settle(b)
        screen = b.app.screen
        await b.press("s")
        await settle(b)
        assert isinstance(b.app.screen, SellDialog)
        heard = b.app.changes
        spa.pay_by_package(other, pack)  # desk A takes the last visit
        await until(b, lambda: b.app.changes > heard, "that something changed")
        assert screen.options[0].coverage.ok  # not read again under the dialog
        await b.press("escape")
        await until(b, lambda: b.app.screen is screen and rows(b.app, "#checkout-options")[0][3] == "no visits left",
                    "that the Massage Pack has no visit left, once back")
        assert screen.query_one("#checkout-options", DataTable).cursor_row == 0


async def test_desk_b_home_reads_today_again_on_return_only_when_something_changed(
        desks: tuple[Desk, Desk]) -> None:
    """Back from a customer, home reads a busy day again only if something may have changed: a
    write at this desk, a change heard from another, or a new day; the list shows it either way."""
    from frontdesk.services.appointments import day_page

    desk_a, desk_b = desks
    spa = spa_on(desk_a, desk_b)
    spa.book(spa.at(0, 11))  # Maria at 11:00
    reads: list[object] = []
    read = desk_b.read

    def counting(use_case, *args, **kwargs):  # type: ignore[no-untyped-def]
        if use_case is day_page:
            reads.append(use_case)
        return read(use_case, *args, **kwargs)

    desk_b.read = counting  # type: ignore[method-assign]
    async with FrontDeskApp(desk_b).run_test(size=SIZE) as b:
        await settle(b)
        home = b.app.screen
        assert isinstance(home, HomeScreen) and [r[:2] for r in rows(b.app, "#today")] == [["11:00", "Maria Lopez"]]
        first = len(reads)
        await type_text(b, "maria", then_settle=True)
        await b.press("enter")
        await settle(b)
        assert isinstance(b.app.screen, CustomerScreen)
        await b.press("escape")
        await settle(b)
        assert b.app.screen is home and len(reads) == first  # nothing changed: not read again
        assert [r[:2] for r in rows(b.app, "#today")] == [["11:00", "Maria Lopez"]]
        await b.press("enter")  # Maria again; meanwhile desk A books her for 15:00
        await settle(b)
        heard = b.app.changes
        spa.book(spa.at(0, 15), provider=spa.anna)
        await until(b, lambda: b.app.changes > heard, "that something changed")
        await b.press("escape")
        await until(b, lambda: [r[:2] for r in rows(b.app, "#today")] == [["11:00", "Maria Lopez"],
                                                                         ["15:00", "Maria Lopez"]],
                    "the booking made at desk A while her page was open")
        assert len(reads) == first + 1
