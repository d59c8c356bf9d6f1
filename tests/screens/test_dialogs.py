"""The shared dialogs: confirm, reason (with a balance change in the holding's unit), the customer
form (duplicates warned before saving), and assign (managers). Escape always cancels."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from frontdesk.app import FrontDeskApp
from frontdesk.domain.money import currency_for
from frontdesk.domain.parsing import delta_hint, parse_delta
from frontdesk.screens.customer import CustomerScreen
from frontdesk.screens.dialogs.assign import AssignDialog
from frontdesk.screens.dialogs.confirm import ConfirmDialog
from frontdesk.screens.dialogs.customer import CustomerFormDialog
from frontdesk.screens.dialogs.reason import ReasonDialog
from frontdesk.screens.home import HomeScreen
from frontdesk.services import customers
from tests.screens.customer_data import Spa
from tests.screens.keys import type_text
from tests.screens.settle import settle

SIZE = (100, 32)
USD = currency_for("USD")


class Results:
    """What dialogs dismissed with."""

    def __init__(self) -> None:
        self.values: list[Any] = []

    def __call__(self, value: Any) -> None:
        self.values.append(value)


async def show(app: FrontDeskApp, pilot: Pilot, dialog: Any) -> Results:
    await settle(pilot)
    results = Results()
    app.push_screen(dialog, results)
    await settle(pilot)
    return results


def error(app: FrontDeskApp, field: str) -> str:
    widget = app.screen.query_one(f"#{field}-error", Static)
    return str(widget.content) if widget.display else ""


# ---- confirm ----------------------------------------------------------------------------------------

async def test_confirm_enter_says_yes_escape_says_no(spa: Spa) -> None:
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        results = await show(app, pilot, ConfirmDialog("Cancel the 14:00 massage?", "Cancel it"))
        await pilot.press("enter")
        await settle(pilot)
        results2 = await show(app, pilot, ConfirmDialog("Cancel the 14:00 massage?", "Cancel it"))
        await pilot.press("escape")
        await settle(pilot)
        results3 = await show(app, pilot, ConfirmDialog("Cancel the 14:00 massage?", "Cancel it"))
        await pilot.press("tab", "enter")  # the other button
        await settle(pilot)
        assert (results.values, results2.values, results3.values) == ([True], [False], [False])


# ---- reason ---------------------------------------------------------------------------------------------

async def test_reason_is_required_with_a_message_at_the_field(spa: Spa) -> None:
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        results = await show(app, pilot, ReasonDialog("Void Massage Pack", "Its balance goes to zero."))
        dialog = app.screen
        assert app.focused is dialog.query_one("#reason", Input)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog and "Give a reason" in error(app, "reason")
        await type_text(pilot, "refunded")
        await pilot.press("enter")
        await settle(pilot)
        assert results.values == ["refunded"]


async def test_reason_with_a_change_returns_both(spa: Spa) -> None:
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        results = await show(app, pilot, ReasonDialog(
            "Adjust $200 Spa Credit", "Balance now: $40.00 of $200.00.", unit_hint=delta_hint("money", USD),
            parse_delta=lambda text: parse_delta(text, "money", USD)))
        dialog = app.screen
        assert app.focused is dialog.query_one("#delta", Input)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Enter the change" in error(app, "delta") and "Give a reason" in error(app, "reason")
        await type_text(pilot, "-10.00")
        await pilot.press("enter")
        assert app.focused is dialog.query_one("#reason", Input)
        await type_text(pilot, "overcharged")
        await pilot.press("enter")
        await settle(pilot)
        assert results.values == [(-1000, "overcharged", False)]  # (no override box in this dialog)


async def test_an_optional_reason_may_stay_empty(spa: Spa) -> None:
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        results = await show(app, pilot, ReasonDialog("Cancel appointment", "Cancel it?", required=False))
        await pilot.press("enter")
        await settle(pilot)
        results2 = await show(app, pilot, ReasonDialog("Cancel appointment", "Cancel it?", required=False))
        await pilot.press("escape")
        await settle(pilot)
        assert (results.values, results2.values) == ([""], [None])


# ---- customer form ----------------------------------------------------------------------------------

async def new_customer(app: FrontDeskApp, pilot: Pilot, **prefill: str) -> CustomerFormDialog:
    """The customer form opened from home, which saves what it sends (a refusal shows in it)."""
    await settle(pilot)
    home = app.screen
    assert isinstance(home, HomeScreen)
    home.edit_customer(**prefill)
    await settle(pilot)
    assert isinstance(app.screen, CustomerFormDialog)
    return app.screen


def opened(app: FrontDeskApp) -> list[int]:
    """The customer whose page the form's answer opened, if any."""
    return [app.screen.customer_id] if isinstance(app.screen, CustomerScreen) else []


async def test_customer_form_same_email_warns_and_opens_the_existing_customer(spa: Spa) -> None:
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await new_customer(app, pilot, name="Johnny Carter", email="JOHN.CARTER@example.com")
        assert app.focused is dialog.query_one("#phone", Input)  # the first empty field
        assert not dialog.check_action("open_existing", ())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "John Carter" in str(dialog.query_one("#duplicate-warning", Static).content)
        assert dialog.check_action("open_existing", ())
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert opened(app) == [spa.john]
        assert spa.desk.read(customers.search_customers, "johnny") == []


async def test_customer_form_a_changed_phone_is_checked_again(spa: Spa) -> None:
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await new_customer(app, pilot, name="Mary Lopez", phone="555 201 3344")
        await pilot.press("ctrl+s")
        await settle(pilot)
        warning = dialog.query_one("#duplicate-warning", Static)
        assert warning.display
        dialog.query_one("#phone", Input).value = "555 300 1111"  # Marta's: a new warning, not a save
        await pilot.pause()
        assert not warning.display
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert warning.display and "Marta Jones" in str(warning.content) and app.screen is dialog
        dialog.query_one("#phone", Input).value = "555 999 0000"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [spa.desk.read(customers.get_customer, id).name for id in opened(app)] == ["Mary Lopez"]
        assert [c.phone for c in spa.desk.read(customers.search_customers, "mary")] == ["(555) 999-0000"]


# ---- assign ---------------------------------------------------------------------------------------------

async def test_assign_lists_not_for_sale_first_and_escape_assigns_nothing(spa: Spa) -> None:
    spa.desk.staff = spa.grace
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        results = await show(app, pilot, AssignDialog(spa.maria, "Maria Lopez"))
        table = app.screen.query_one("#package", DataTable)
        listed = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert [row[0] for row in listed] == ["Goodwill Visit", "$200 Spa Credit", "Massage Pack"]
        assert [row[1] for row in listed] == ["Not for sale", "$180.00", "$350.00"]
        await pilot.press("escape")
        await settle(pilot)
        assert results.values == [None] and spa.holdings() == []


async def test_assign_refused_to_reception_shows_why(spa: Spa) -> None:
    spa.desk.staff = spa.grace
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_customer(spa.maria)
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AssignDialog)
        spa.desk.staff = spa.rita  # the manager left the desk to reception meanwhile
        await pilot.press("down", "enter")
        await type_text(pilot, "loyalty")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert error(app, "form") == "Only a manager can assign a package."
        assert app.screen is dialog and spa.holdings() == []
