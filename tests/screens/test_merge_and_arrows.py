"""The home search's arrows (the first ↓ highlights the first result, the next ↓ the second) and
the manager's merge of two records of one customer from her screen (issue points 1 and 11)."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static

from frontdesk.app import FrontDeskApp
from frontdesk.screens.dialogs.merge import MergeDialog
from frontdesk.services import customers
from tests.screens.customer_data import Spa
from tests.screens.keys import type_text
from tests.screens.notifications import Notifications
from tests.screens.settle import settle
from tests.screens.test_customer import open_customer

SIZE = (100, 32)


async def test_down_from_the_search_walks_the_results_one_by_one(spa: Spa) -> None:
    spa.customer("Mark Lee")
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        results = app.screen.query_one("#results", DataTable)
        search = app.screen.query_one("#search", Input)
        await type_text(pilot, "mar", then_settle=True)
        assert results.row_count >= 3
        await pilot.press("down")
        assert app.focused is results and results.cursor_row == 0
        await pilot.press("down", "down")
        assert results.cursor_row == 2
        await pilot.press("escape")  # back to the search, the results as they were
        assert app.focused is search
        await pilot.press("down")  # the first result again, not the one left highlighted
        assert app.focused is results and results.cursor_row == 0
        await pilot.press("down")
        assert results.cursor_row == 1


async def test_a_manager_merges_a_duplicate_and_sees_the_one_kept(spa: Spa) -> None:
    twin = spa.desk.by(spa.grace.id).write(customers.create_customer, spa.business, name="Maria Lopes",
                                           phone="555.201.3344", email="", note="allergic to nuts",
                                           allow_duplicate=True).id
    spa.sell(spa.massage_pack, customer=twin)
    spa.desk.staff = spa.grace
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customer(app, pilot, spa.maria)
        held = len(screen.page.holdings)
        await pilot.press("M")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, MergeDialog)
        table = dialog.query_one("#customer", DataTable)
        assert str(table.get_row_at(0)[0]) == "Maria Lopes · same phone or email"  # her likely duplicate first
        moves = str(dialog.query_one("#merge-moves", Static).content)
        assert f"Keeps Maria Lopez (#{spa.maria}); moves 1 package from Maria Lopes (#{twin})" in moves
        dialog.query_one("#reason", Input).focus()
        await type_text(pilot, "the same person")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog  # asked once more
        assert "Press ctrl+s again to merge: 1 package moved from Maria Lopes" in str(
            dialog.query_one("#form-error", Static).content)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen and screen.customer_id == spa.maria
        assert len(screen.page.holdings) == held + 1
        assert screen.page.customer.note == "Regular since 2019."  # her own note is never overwritten
        assert [c.id for c in spa.desk.read(customers.search_customers, "maria lopes")] == []


async def test_keeping_the_other_record_shows_her_after_the_merge(spa: Spa) -> None:
    twin = spa.desk.by(spa.grace.id).write(customers.create_customer, spa.business, name="Maria Lopez-Ruiz",
                                           email="maria.lopez@example.com", allow_duplicate=True).id
    spa.desk.staff = spa.grace
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customer(app, pilot, spa.maria)
        await pilot.press("M")
        await settle(pilot)
        dialog = app.screen
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert f"Keeps Maria Lopez-Ruiz (#{twin})" in str(dialog.query_one("#merge-moves", Static).content)
        dialog.query_one("#reason", Input).focus()
        await type_text(pilot, "kept her married name")
        await pilot.press("ctrl+s", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen and screen.customer_id == twin
        assert screen.page.customer.name == "Maria Lopez-Ruiz"
        assert screen.page.customer.phone == "(555) 201-3344"  # her empty phone filled from the other


async def test_reception_is_told_managers_merge(spa: Spa) -> None:
    assert spa.desk.staff == spa.rita
    seen = Notifications()
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE, message_hook=seen.hook) as pilot:
        screen = await open_customer(app, pilot, spa.maria)
        await pilot.press("M")
        await settle(pilot)
        assert app.screen is screen
        assert "Managers merge customers: ask a manager to sign in (ctrl+l)." in seen.messages
        assert "Merge" in [command.title for command in app.get_system_commands(screen)]
