"""The managers' Owed screen (f7): what is owed and how it is valued, what moved this month, who
to call; and its snapshots on the demo spa."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from frontdesk.app import FrontDeskApp
from frontdesk.domain.kinds import Tender
from frontdesk.screens.home import HomeScreen
from frontdesk.screens.owed import OwedScreen
from frontdesk.services import ledger
from frontdesk.services.desk import Desk
from frontdesk.services.sales import TenderLine
from tests.screens.customer_data import Spa
from tests.screens.keys import type_text
from tests.screens.notifications import Notifications
from tests.screens.settle import settle
from tests.screens.test_customer import Maria

SIZE = (100, 32)


def figures(app: FrontDeskApp) -> dict[str, str]:
    table = app.screen.query_one("#owed-roll", DataTable)
    return {str(table.get_row_at(row)[0]): str(table.get_row_at(row)[1]) for row in range(table.row_count)}


def text(app: FrontDeskApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


async def test_reception_is_told_the_owed_screen_is_a_managers(spa: Spa) -> None:
    shown = Notifications()
    app = FrontDeskApp(spa.desk)  # Rita, reception
    async with app.run_test(size=SIZE, message_hook=shown.hook) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "Managers only: ask a manager to sign in (ctrl+l)." in shown.messages


async def test_a_manager_reads_what_is_owed_and_how(spa: Spa) -> None:
    Maria(spa)  # a $350 pack of 5 used twice; a $200 credit bought for $180, expired unused last month
    spa.desk.staff = spa.grace
    app = FrontDeskApp(spa.desk)
    shown = Notifications()
    async with app.run_test(size=SIZE, message_hook=shown.hook) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OwedScreen)
        owed = 35000 * 3 // 5
        assert text(app, "#owed-total").startswith(f"We owe ${owed // 100}.{owed % 100:02d} for prepaid service")
        # both uses were in February: March so far moved nothing, 3 visits of $70.00 are owed
        assert figures(app) == {"Owed on 1 Mar": "$210.00", "+ sold": "$0.00", "+ 0 given free": "$0.00",
                                "− used": "$0.00", "+ given back": "$0.00", "± adjusted": "$0.00",
                                "− voided": "$0.00", "− refunded": "$0.00", "− expired unused": "$0.00",
                                "= owed now": "$210.00"}
        assert text(app, "#owed-check") == "opening + movements = closing ✓"
        assert text(app, "#owed-expiring-title") == "Nothing with a balance expires within 14 days"
        # the pack was last used 3 days ago; the credit expired, so it is not counted
        assert text(app, "#owed-aging").splitlines()[1].split() == ["0–30", "days", "1", "$210.00"]

        await pilot.press("slash")
        assert screen.focused is screen.query_one("#owed-from", Input)
        await pilot.press("tab")
        screen.query_one("#owed-to", Input).value = ""
        await type_text(pilot, "someday")
        await settle(pilot)
        assert text(app, "#owed-filter-error").startswith("Enter a date like")
        assert figures(app)["= owed now"] == "$210.00"  # the figures stay until the day can be read
        await pilot.press(*["backspace"] * 7)
        await type_text(pilot, "28 feb")
        await settle(pilot)
        assert not screen.query_one("#owed-filter-error").display
        assert "The period ends before it begins: swap the days." in shown.messages
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def open_owed(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("f7")
    await settle(pilot)


def test_owed_snapshot(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=(100, 32), run_before=open_owed)


def test_owed_snapshot_80x24(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=(80, 24), run_before=open_owed)


def test_owed_in_the_light_theme(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    """The trends' sparklines and the figures read on a light terminal too."""
    async def run_before(pilot: Pilot) -> None:
        pilot.app.theme = "textual-light"
        await open_owed(pilot)

    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=(100, 32), run_before=run_before)


async def test_x_writes_the_csv_files_of_the_period(spa: Spa, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    from frontdesk.documents.tables import read_csv

    Maria(spa)
    monkeypatch.setenv("FRONTDESK_EXPORTS_DIR", str(tmp_path / "exports"))
    spa.desk.staff = spa.grace
    shown = Notifications()
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE, message_hook=shown.hook) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        written = sorted(path.name for path in (tmp_path / "exports").iterdir())
        assert written == ["balances-2026-03-02.csv", "call-list-14-days.csv", "ledger-2026-03-01-to-2026-03-02.csv",
                           "rollforward-2026-03-01-to-2026-03-02.csv"]
        figures = dict(read_csv(tmp_path / "exports" / "rollforward-2026-03-01-to-2026-03-02.csv")[1:])
        assert (figures["opening"], figures["closing"]) == ("210.00", "210.00")
        assert any(message.startswith(f"Written in {tmp_path / 'exports'}") for message in shown.messages)


async def test_enter_on_a_figure_shows_the_lines_behind_it(spa: Spa) -> None:
    from frontdesk.screens.dialogs.movement import MovementDialog

    maria = Maria(spa)
    spa.desk.staff = spa.grace
    spa.desk.by(spa.grace.id).write(ledger.void, spa.business, holding_id=maria.pack, reason="moving away",
                                    refunds=[TenderLine(Tender.CARD, 10000)])  # $210.00 written off, $100.00 back
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        assert figures(app)["− refunded"] == "-$100.00" and figures(app)["− voided"] == "-$110.00"
        table = app.screen.query_one("#owed-roll", DataTable)
        table.move_cursor(row=[str(table.get_row_at(row)[0]) for row in range(table.row_count)].index("− voided"))
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, MovementDialog)
        lines = dialog.query_one(DataTable)
        assert [[str(cell) for cell in lines.get_row_at(row)][1:] for row in range(lines.row_count)] == [
            ["Maria Lopez", "Massage Pack", "-$110.00", "moving away"]]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OwedScreen)


def test_movement_dialog_snapshot(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    async def run_before(pilot: Pilot) -> None:
        await open_owed(pilot)
        await pilot.press("down", "down", "down", "enter")  # "− used"
        await settle(pilot)

    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=(100, 32), run_before=run_before)
