"""Snapshots of checkout (several holdings, ✓ and ✗ with reasons, the default preselected; split
mode; at 100×32 and 80×24), the sell dialog and the receipt, on the demo day spa at the fixed
clock (Mon 2 Mar 2026, 10:00 in New York)."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from frontdesk.app import FrontDeskApp
from frontdesk.screens.checkout import CheckoutScreen
from frontdesk.services import appointments, checkout
from frontdesk.services.desk import Desk
from frontdesk.services.views import AppointmentView, Option
from tests.conftest import NOW
from tests.screens.settle import settle


def unpaid_today(desk: Desk) -> list[tuple[AppointmentView, list[Option]]]:
    """Today's unpaid appointments in time order, each with its customer's holdings judged."""
    business = desk.business
    day = NOW.astimezone(business.tz).date()
    return [(row, desk.read(checkout.options, business, appointment_id=row.id))
            for row in desk.read(appointments.day_appointments, business, day=day)
            if not row.is_paid and row.status != "cancelled"]


def with_reasons(desk: Desk) -> int:
    """The unpaid appointment whose customer has the most holdings, some covering it, some not
    (chosen by what it shows, so the snapshot stays meaningful when the demo grows)."""
    both = [(row, found) for row, found in unpaid_today(desk)
            if any(o.coverage.ok for o in found) and any(not o.coverage.ok for o in found)]
    return max(both, key=lambda pair: len(pair[1]))[0].id


def uncovered_massage(desk: Desk, service: str = "Massage") -> int:
    """The first unpaid massage today that none of its customer's holdings covers."""
    return next(row.id for row, found in unpaid_today(desk)
                if service in row.service_name and not any(o.coverage.ok for o in found))


def checkout_of(choose: Callable[[Desk], int], *keys: str):  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.app.push_screen(CheckoutScreen(choose(pilot.app.desk)))
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
    return run_before


# Holdings that cover it (the default preselected) and holdings that do not, with their reasons.
def uncovered_swedish(desk: Desk) -> int:
    return uncovered_massage(desk, "Swedish Massage")


def test_checkout_holdings_with_reasons_default_preselected(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=(100, 32),
                        run_before=checkout_of(with_reasons))


def test_checkout_holdings_80x24(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=(80, 24),
                        run_before=checkout_of(with_reasons))


# A massage no package covers: $40 in cash, the card follows with the rest.
def test_checkout_split_mode(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=(100, 32),
                        run_before=checkout_of(uncovered_massage, "t", "4", "0"))


def test_checkout_split_mode_80x24(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=(80, 24),
                        run_before=checkout_of(uncovered_massage, "t", "4", "0"))


# Sell & apply at that checkout: the packages that would cover it first, each with its summary.
def test_sell_dialog_at_checkout(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=(100, 32),
                        run_before=checkout_of(uncovered_massage, "s"))


def test_sell_dialog_tender_step(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=(100, 32),
                        run_before=checkout_of(uncovered_massage, "s", "enter"))


# A Swedish Massage no package covers: s, Enter, Enter sells the most sold covering package
# (the Massage Pack in the demo) by card and applies it; the receipt shows both and the balance.
def test_receipt_after_sell_and_apply(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=(100, 32),
                        run_before=checkout_of(uncovered_swedish, "s", "enter", "enter"))


def test_receipt_after_sell_and_apply_80x24(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=(80, 24),
                        run_before=checkout_of(uncovered_swedish, "s", "enter", "enter"))
