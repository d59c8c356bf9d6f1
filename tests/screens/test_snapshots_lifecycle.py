"""Snapshots of a manager's lifecycle dialogs on the customer screen (freeze with the new expiry
worked out, move to another customer with the customers found, merge another record of her with her
likely duplicate first, a late cancel under a forfeiting
policy with the override) and of the bulk extension's question, at 100×32 and 80×24."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from frontdesk.app import FrontDeskApp
from frontdesk.domain.terms import Terms, ValueType
from frontdesk.services import appointments, customers
from tests.screens.customer_data import Spa
from tests.screens.keys import type_text
from tests.screens.settle import settle
from tests.screens.test_customer import open_customer, select_appointment

STRICT = Terms(title="Strict Pack", value_type=ValueType.VISITS, quantity=5, price=35000, cancel_notice_hours=24,
               late_cancel_forfeits=True, no_show_forfeits=True)


def managers_maria(spa: Spa) -> FrontDeskApp:
    spa.sell(spa.massage_pack, days_ago=20)
    spa.desk.staff = spa.grace
    return FrontDeskApp(spa.desk)


def test_freeze_dialog(snap_compare, spa: Spa) -> None:  # noqa: ANN001
    async def run_before(pilot: Pilot) -> None:
        screen = await open_customer(pilot.app, pilot, spa.maria)
        screen.query_one("#holdings", DataTable).focus()
        await pilot.press("f")
        await settle(pilot)
        await type_text(pilot, "2026-03-11")
        await settle(pilot)

    assert snap_compare(managers_maria(spa), terminal_size=(100, 32), run_before=run_before)


def test_transfer_dialog_80x24(snap_compare, spa: Spa) -> None:  # noqa: ANN001
    async def run_before(pilot: Pilot) -> None:
        screen = await open_customer(pilot.app, pilot, spa.maria)
        screen.query_one("#holdings", DataTable).focus()
        await pilot.press("t")
        await settle(pilot)
        await type_text(pilot, "car")
        await settle(pilot)

    assert snap_compare(managers_maria(spa), terminal_size=(80, 24), run_before=run_before)


def test_late_cancel_under_a_forfeiting_policy(snap_compare, spa: Spa) -> None:  # noqa: ANN001
    held = spa.sell(spa.package(STRICT))
    late = spa.desk.by(spa.grace.id).write(appointments.book, spa.business, customer_id=spa.maria,
                                           service_id=spa.swedish, starts_at=spa.at(0, 15),
                                           cover_holding_id=held).appointment.id

    async def run_before(pilot: Pilot) -> None:
        screen = await open_customer(pilot.app, pilot, spa.maria)
        await select_appointment(pilot, screen, late)
        await pilot.press("x")
        await settle(pilot)

    spa.desk.staff = spa.grace
    assert snap_compare(FrontDeskApp(spa.desk), terminal_size=(100, 32), run_before=run_before)


def test_bulk_extension_question(snap_compare, spa: Spa) -> None:  # noqa: ANN001
    spa.sell(spa.massage_pack, customer=spa.john, days_ago=10)

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("f2")
        await settle(pilot)
        screen = pilot.app.screen
        titles = [package.title for package in screen.packages]
        screen.query_one("#packages", DataTable).move_cursor(row=titles.index("Massage Pack"))
        await pilot.press("x")
        await settle(pilot)
        await type_text(pilot, "14")
        await pilot.press("tab", "tab")
        await type_text(pilot, "closed two weeks")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(managers_maria(spa), terminal_size=(100, 32), run_before=run_before)


def _merge_dialog(spa: Spa) -> FrontDeskApp:
    spa.desk.by(spa.grace.id).write(customers.create_customer, spa.business, name="Maria Lopes",
                                    phone="555.201.3344", note="allergic to nuts", allow_duplicate=True)
    return managers_maria(spa)


async def _open_merge(pilot: Pilot, spa: Spa) -> None:
    await open_customer(pilot.app, pilot, spa.maria)
    await pilot.press("M")
    await settle(pilot)
    pilot.app.screen.query_one("#reason", Input).focus()
    await type_text(pilot, "the same person")
    await settle(pilot)


def test_merge_dialog(snap_compare, spa: Spa) -> None:  # noqa: ANN001
    assert snap_compare(_merge_dialog(spa), terminal_size=(100, 32), run_before=lambda pilot: _open_merge(pilot, spa))


def test_merge_dialog_80x24(snap_compare, spa: Spa) -> None:  # noqa: ANN001
    assert snap_compare(_merge_dialog(spa), terminal_size=(80, 24), run_before=lambda pilot: _open_merge(pilot, spa))
