"""The managers' balances list (from Owed, `b`): filtered, sorted and paged; Enter opens the
customer; reception cannot reach it; and its snapshots on the demo spa."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static

from frontdesk.app import FrontDeskApp
from frontdesk.screens.balances import BalancesScreen
from frontdesk.screens.customer import CustomerScreen
from frontdesk.screens.home import HomeScreen
from frontdesk.screens.owed import OwedScreen
from frontdesk.services.desk import Desk
from tests.screens.customer_data import Spa
from tests.screens.keys import type_text
from tests.screens.notifications import Notifications
from tests.screens.settle import settle
from tests.screens.test_customer import Maria

SIZE = (100, 32)


def status_line(app: FrontDeskApp) -> str:
    return str(app.screen.query_one("#balances-status-line", Static).content)


def column(app: FrontDeskApp, index: int) -> list[str]:
    table = app.screen.query_one(DataTable)
    return [str(table.get_row_at(row)[index]) for row in range(table.row_count)]


@pytest.fixture
def packs(spa: Spa) -> Spa:
    """Maria's pack (3 of 5 left) and expired credit; a pack each for John and Marta, bought earlier."""
    Maria(spa)  # her pack was bought 20 days ago, her credit 60 days ago (expired)
    spa.sell(spa.massage_pack, customer=spa.john, days_ago=40)
    spa.sell(spa.massage_pack, customer=spa.marta, days_ago=30)
    spa.desk.staff = spa.grace
    return spa


async def open_balances(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("f7")
    await settle(pilot)
    await pilot.press("b")
    await settle(pilot)


async def test_reception_cannot_reach_the_balances(spa: Spa) -> None:
    shown = Notifications()
    app = FrontDeskApp(spa.desk)  # Rita, reception
    async with app.run_test(size=SIZE, message_hook=shown.hook) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "Managers only: ask a manager to sign in (ctrl+l)." in shown.messages
        app.push_screen(BalancesScreen())  # even opened directly, the use case refuses her
        await settle(pilot)
        assert "Only a manager can see the balances." in shown.messages
        assert app.screen.query_one(DataTable).row_count == 0


async def test_a_manager_filters_sorts_pages_and_opens_a_customer(packs: Spa,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("frontdesk.screens.balances.PAGE", 2)
    shown = Notifications()
    app = FrontDeskApp(packs.desk)
    async with app.run_test(size=SIZE, message_hook=shown.hook) as pilot:
        await open_balances(pilot)
        screen = app.screen
        assert isinstance(screen, BalancesScreen)
        # active ones only, at first: three packs expiring 6 months after they were bought
        assert status_line(app) == "Holdings 1–2 of 3 · sorted by expiry ↑"
        assert column(app, 0) == ["John Carter", "Marta Jones"]  # bought 40 and 30 days ago
        assert column(app, 3) == ["5 of 5 visits", "5 of 5 visits"]
        await pilot.press("n")
        await settle(pilot)
        assert status_line(app) == "Holdings 3–3 of 3 · sorted by expiry ↑"
        assert column(app, 0) == ["Maria Lopez"] and column(app, 3) == ["3 of 5 visits"]
        await pilot.press("n")
        await settle(pilot)
        assert "This is the last page." in shown.messages
        await pilot.press("p")
        await settle(pilot)
        assert status_line(app) == "Holdings 1–2 of 3 · sorted by expiry ↑"

        await pilot.press("s")  # the next column: customer
        await settle(pilot)
        assert status_line(app) == "Holdings 1–2 of 3 · sorted by customer ↑"
        assert column(app, 0) == ["John Carter", "Maria Lopez"]
        await pilot.press("r")
        await settle(pilot)
        assert status_line(app) == "Holdings 1–2 of 3 · sorted by customer ↓"
        assert column(app, 0) == ["Marta Jones", "Maria Lopez"]

        screen.query_one("#balances-status", Select).clear()  # every status: her expired credit too
        await settle(pilot)
        assert status_line(app) == "Holdings 1–2 of 4 · sorted by customer ↓"

        await pilot.press("slash")
        assert screen.focused is screen.query_one("#balances-customer", Input)
        await type_text(pilot, "maria", then_settle=True)
        assert status_line(app) == "Holdings 1–2 of 2 · sorted by customer ↓"
        assert sorted(column(app, 6)) == ["active", "expired"]  # every status: the column says which
        await pilot.press("enter")  # back to the list
        assert screen.focused is screen.query_one(DataTable)
        await pilot.press("enter")  # her page
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen) and app.screen.customer_id == packs.maria
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and status_line(app) == "Holdings 1–2 of 2 · sorted by customer ↓"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OwedScreen)


async def test_g_shows_customers_then_packages_and_enter_on_a_package_lists_its_holdings(packs: Spa) -> None:
    app = FrontDeskApp(packs.desk)
    async with app.run_test(size=SIZE) as pilot:
        await open_balances(pilot)
        await pilot.press("g")
        await settle(pilot)
        assert status_line(app) == "Customers 1–3 of 3 · sorted by customer ↑"
        assert column(app, 0) == ["John Carter", "Maria Lopez", "Marta Jones"]
        assert column(app, 2) == ["1", "1", "1"]  # active holdings only (the filter)
        await pilot.press("g")
        await settle(pilot)
        assert status_line(app) == "Packages 1–1 of 1 · sorted by package ↑"
        assert [column(app, index) for index in range(4)] == [["Massage Pack"], ["3"], ["3"], ["13 visits"]]
        await pilot.press("enter")
        await settle(pilot)
        assert status_line(app) == "Holdings 1–3 of 3 · sorted by expiry ↑"
        assert str(app.screen.query_one("#balances-package").value) == str(packs.massage_pack)
        await pilot.press("g", "enter")  # a customer row opens her page too
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen) and app.screen.customer_id == packs.john


async def test_a_number_that_cannot_be_read_is_said_and_the_list_stays(packs: Spa) -> None:
    app = FrontDeskApp(packs.desk)
    async with app.run_test(size=SIZE) as pilot:
        await open_balances(pilot)
        app.screen.query_one("#balances-within", Input).focus()
        await type_text(pilot, "soon", then_settle=True)
        assert str(app.screen.query_one("#balances-filter-error", Static).content).startswith("Enter a whole number")
        assert status_line(app) == "Holdings 1–3 of 3 · sorted by expiry ↑"
        await pilot.press(*["backspace"] * 4)
        await type_text(pilot, "0", then_settle=True)  # nothing expires today
        assert status_line(app) == "No holdings · sorted by expiry ↑"


async def test_the_palette_offers_the_balances_from_anywhere(packs: Spa) -> None:
    from tests.screens.test_app import palette_hits

    app = FrontDeskApp(packs.desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        hits = await palette_hits(pilot, "balances")
        assert any(hit.startswith("Balances") for hit in hits)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BalancesScreen) and app.current_mode == "owed"


def test_balances_snapshot(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=(100, 32), run_before=open_balances)


def test_balances_snapshot_80x24(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=(80, 24), run_before=open_balances)


def test_balances_by_customer_snapshot_80x24(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    async def run_before(pilot: Pilot) -> None:
        await open_balances(pilot)
        await pilot.press("g")
        await settle(pilot)

    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=(80, 24), run_before=run_before)
