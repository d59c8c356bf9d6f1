"""A manager's keys for a package's life on the customer screen (d extend, f freeze, t move), the
no-show key, the policy said in the cancel and no-show dialogs, and extending every holding of a
package from the catalogue; reception is refused each with a reason. Each test asserts the screen
and the database. The desk's clock is Monday 2 March 2026, 10:00 in New York."""

from __future__ import annotations

from datetime import date

from textual.widgets import Checkbox, DataTable, Input, Static

from frontdesk.app import FrontDeskApp
from frontdesk.domain.terms import Terms, ValueType
from frontdesk.screens.dialogs.confirm import ConfirmDialog
from frontdesk.screens.dialogs.lifecycle import FreezeDialog, TransferDialog
from frontdesk.screens.dialogs.reason import ReasonDialog
from frontdesk.screens.packages import PackagesScreen
from frontdesk.services import appointments, ledger
from tests.screens.customer_data import Spa
from tests.screens.keys import burst, chars, type_text
from tests.screens.notifications import Notifications
from tests.screens.settle import settle
from tests.screens.test_customer import open_customer, rows, select_appointment, text_of

SIZE = (100, 32)
STRICT = Terms(title="Strict Pack", value_type=ValueType.VISITS, quantity=5, price=35000, cancel_notice_hours=24,
               late_cancel_forfeits=True, no_show_forfeits=True)


def prompt(app: FrontDeskApp) -> str:
    return str(app.screen.query_one("#prompt", Static).content)


async def test_a_manager_extends_the_selected_package_by_days_with_a_reason(spa: Spa) -> None:
    pack = spa.sell(spa.massage_pack, days_ago=20)  # bought 10 Feb: through 10 Aug
    spa.desk.staff = spa.grace
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customer(app, pilot, spa.maria)
        assert text_of(app, "#holdings-note") == "1 active · d extend, f freeze, t move"
        screen.query_one("#holdings", DataTable).focus()
        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ReasonDialog) and "expires 10 Aug" in prompt(app)
        await type_text(pilot, "0")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Extend by at least 1 day." in str(dialog.query_one("#delta-error", Static).content)
        dialog.query_one("#delta").value = ""
        await type_text(pilot, "14")
        await pilot.press("tab")
        await type_text(pilot, "closed for works")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert rows(app, "#holdings")[0][2].startswith("expires 24 Aug")
        assert rows(app, "#history")[0][1:3] == [
            "Extended Massage Pack — closed for works (expiry 10 Aug → 24 Aug)", "to 24 Aug 2026"]
    assert spa.holdings()[0].id == pack and spa.holdings()[0].valid_until == date(2026, 8, 24)


async def test_a_burst_typed_into_the_extend_dialog_fills_each_field_in_turn(spa: Spa) -> None:
    """"14", Enter, "closed for works" reaching the app at once: Enter moves to the reason before the
    keys after it are read, so the days are 14 and the reason is the words."""
    spa.sell(spa.massage_pack, days_ago=20)  # bought 10 Feb: through 10 Aug
    spa.desk.staff = spa.grace
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customer(app, pilot, spa.maria)
        screen.query_one("#holdings", DataTable).focus()
        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ReasonDialog)
        await burst(pilot, *chars("14"), "enter", *chars("closed for works"))
        assert dialog.query_one("#delta", Input).value == "14"
        assert dialog.query_one("#reason", Input).value == "closed for works"
        assert dialog.focused is dialog.query_one("#reason", Input)
        await burst(pilot, "enter")
        assert app.screen is screen
        assert rows(app, "#history")[0][1] == "Extended Massage Pack — closed for works (expiry 10 Aug → 24 Aug)"
    assert spa.holdings()[0].valid_until == date(2026, 8, 24)


async def test_a_manager_freezes_and_moves_a_package(spa: Spa) -> None:
    pack = spa.sell(spa.massage_pack, days_ago=20)  # through 10 Aug
    spa.desk.staff = spa.grace
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customer(app, pilot, spa.maria)
        screen.query_one("#holdings", DataTable).focus()
        await pilot.press("f")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FreezeDialog)
        await type_text(pilot, "2026-03-11")  # the last day: ten days from today
        assert str(dialog.query_one("#freeze-effect", Static).content) == \
            "10 days frozen, 2–11 Mar: expiry 10 Aug → 20 Aug"
        await pilot.press("enter")
        await type_text(pilot, "broken wrist")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert rows(app, "#holdings")[0][2].startswith("frozen 2–11 Mar · expires 20 Aug")

        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TransferDialog)
        await type_text(pilot, "john")
        await settle(pilot)
        await pilot.press("enter")  # the list: John Carter
        await pilot.press("enter")  # chosen: on to the reason
        await type_text(pilot, "a gift to her brother")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert text_of(app, "#holdings-note").startswith("no active package · 1 used up or closed")
        assert rows(app, "#history")[0][1:3] == ["Moved Massage Pack — moved to John Carter: a gift to her brother",
                                                  "-5 visits"]
    moved = spa.desk.read(ledger.history, spa.business, customer_id=spa.john)[0]
    assert (moved.kind, moved.delta, moved.note) == ("transfer", 5, "moved from Maria Lopez: a gift to her brother")
    assert pack != moved.holding_id


async def test_reception_is_told_why_the_managers_keys_do_nothing(spa: Spa) -> None:
    spa.sell(spa.massage_pack, days_ago=20)
    app = FrontDeskApp(spa.desk)
    notifications = Notifications()
    async with app.run_test(size=SIZE, message_hook=notifications.hook) as pilot:
        screen = await open_customer(app, pilot, spa.maria)
        assert text_of(app, "#holdings-note") == "1 active"  # the keys are not offered to reception
        screen.query_one("#holdings", DataTable).focus()
        for key in ("d", "f", "t"):
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is screen
        assert str(notifications).count("Managers only") == 3
    assert spa.holdings()[0].valid_until == date(2026, 8, 10)


async def test_the_no_show_dialog_says_what_the_policy_does_and_a_manager_may_override(spa: Spa) -> None:
    strict = spa.package(STRICT)
    held = spa.sell(strict)
    missed = spa.book(spa.at(0, 8), provider=None)  # two hours ago
    spa.desk.by(spa.grace.id, at=spa.at(0, 9)).write(  # booked before it began
        appointments.book, spa.business, customer_id=spa.maria, service_id=spa.swedish, starts_at=spa.at(0, 9),
        cover_holding_id=held)
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customer(app, pilot, spa.maria)
        covered = next(a.id for a in screen.page.appointments if a.id != missed)
        await select_appointment(pilot, screen, covered)
        assert text_of(app, "#appointments-note").endswith("· n no-show")
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ReasonDialog)
        assert "Strict Pack: a no-show, so the unit is forfeited." in prompt(app)
        assert not app.screen.query("#override")  # reception: no override offered
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert spa.holdings()[0].remaining == 4  # the visit forfeited

    spa.desk.staff = spa.grace
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customer(app, pilot, spa.maria)
        await select_appointment(pilot, screen, missed)  # not tied to a package: no policy said
        await pilot.press("n")
        await settle(pilot)
        assert "policy" not in prompt(app) and not app.screen.query("#override")
        await pilot.press("escape")
        await settle(pilot)


async def test_a_manager_overrides_a_late_cancel_forfeit_with_a_reason(spa: Spa) -> None:
    strict = spa.package(STRICT)
    held = spa.sell(strict)
    late = spa.desk.by(spa.grace.id).write(appointments.book, spa.business, customer_id=spa.maria,
                                           service_id=spa.swedish, starts_at=spa.at(0, 15),
                                           cover_holding_id=held).appointment.id
    spa.desk.staff = spa.grace
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customer(app, pilot, spa.maria)
        await select_appointment(pilot, screen, late)
        await pilot.press("x")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ReasonDialog)
        assert "Strict Pack: cancelled 5 hours before, under its 24-hour notice, so the unit is forfeited." \
            in prompt(app)
        override = dialog.query_one("#override", Checkbox)
        assert str(override.label) == "Override: give the unit back"
        override.value = True
        dialog.query_one("#reason").focus()
        await pilot.press("enter")  # no reason
        await settle(pilot)
        assert "Give a reason" in str(dialog.query_one("#reason-error", Static).content)
        await type_text(pilot, "her child was ill")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
    assert spa.holdings()[0].remaining == 5


async def test_a_manager_extends_every_holding_of_a_package_after_seeing_how_many(spa: Spa) -> None:
    spa.sell(spa.massage_pack, days_ago=20)
    spa.sell(spa.massage_pack, customer=spa.john, days_ago=10)
    spa.sell(spa.spa_credit, customer=spa.john)
    spa.desk.staff = spa.grace
    app = FrontDeskApp(spa.desk)
    notifications = Notifications()
    async with app.run_test(size=SIZE, message_hook=notifications.hook) as pilot:
        await pilot.press("f2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PackagesScreen)
        titles = [package.title for package in screen.packages]
        screen.query_one("#packages", DataTable).move_cursor(row=titles.index("Massage Pack"))
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ReasonDialog)
        await type_text(pilot, "14")
        await pilot.press("tab", "tab")  # past "every package": only the Massage Pack
        await type_text(pilot, "closed two weeks")
        await pilot.press("enter")
        await settle(pilot)
        confirm = app.screen
        assert isinstance(confirm, ConfirmDialog)
        assert "Extend [b]2 holdings[/b] of 2 customers (Massage Pack) by [b]14 days[/b]?" in str(
            confirm.query_one("#question", Static).content)
        await pilot.press("enter")
        await settle(pilot)
        assert "Extended 2 holdings of 2 customers by 14 days." in str(notifications)
    untils = sorted(h.valid_until for h in spa.holdings() + spa.holdings(spa.john)
                    if h.title == "Massage Pack")
    assert untils == [date(2026, 8, 24), date(2026, 9, 3)]  # 10 Aug and 20 Aug, 14 days on
    assert [h.valid_until for h in spa.holdings(spa.john) if h.title != "Massage Pack"] == [
        date(2026, 4, 2)]  # the credit was not extended
