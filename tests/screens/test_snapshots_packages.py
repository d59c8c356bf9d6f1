"""Snapshots of the package catalogue and the package editor at 100×32 on the demo day spa
(fixed clock, Grace Kim the manager at the desk)."""

from __future__ import annotations

from datetime import date, time

from textual.pilot import Pilot

from frontdesk.app import FrontDeskApp
from frontdesk.domain.terms import Contents, FixedLine, Period, PeriodUnit, Terms
from frontdesk.screens.package_editor import PackageEditorScreen
from frontdesk.screens.packages import PackagesScreen
from frontdesk.services import catalogue
from frontdesk.services.desk import Desk
from tests.screens.settle import settle

SIZE = (100, 32)


def package_id(desk: Desk, title: str) -> int:
    return next(p.id for p in desk.read(catalogue.list_packages, desk.business, include_archived=True)
                if p.title == title)


def test_package_list(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    async def open_list(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(pilot.app.screen, PackagesScreen)
        await pilot.press("down", "down")
        await settle(pilot)

    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=SIZE, run_before=open_list)


def test_new_any_package_with_validation_messages(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    async def typed(pilot: Pilot) -> None:
        await settle(pilot)
        pilot.app.push_screen(PackageEditorScreen(None))
        await settle(pilot)
        await pilot.press(*"Massage", "space", *"Pack", "tab", "tab", "space")  # taken title; services off
        await settle(pilot)
        await pilot.press("tab", "tab", "right", "space", "tab", "0")  # past the list; Minutes, 0
        await pilot.press("enter", *"90")  # price
        await settle(pilot)

    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=SIZE, run_before=typed)


def test_fixed_package_with_lines_and_restrictions(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    services = {s.name: s.id for s in demo_desk.read(catalogue.list_services)}
    anna = next(p.id for p in demo_desk.read(catalogue.list_providers) if p.name == "Anna")
    fixed = demo_desk.write(catalogue.save_package, demo_desk.business, terms=Terms(
        title="Spring Massage Journey", contents=Contents.FIXED, value_type=None, price=27500,
        fixed_lines=(FixedLine(services["Swedish Massage"], "", 1), FixedLine(services["Thai Massage"], "", 2),
                     FixedLine(services["Hot Stone Massage"], "", 1)),
        provider_id=anna, expires_in=Period(2, PeriodUnit.MONTHS), weekdays=frozenset({1, 2, 3}),
        window=(time(9), time(13)), date_range=(date(2026, 3, 20), date(2026, 6, 20)))).id

    async def edit(pilot: Pilot) -> None:
        await settle(pilot)
        pilot.app.push_screen(PackageEditorScreen(fixed))
        await settle(pilot)
        pilot.app.screen.query_one("#lines-table").focus()
        await pilot.press("down")
        await settle(pilot)

    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=SIZE, run_before=edit)


def test_sold_package_says_holders_keep_their_terms(snap_compare, demo_desk: Desk) -> None:  # noqa: ANN001
    pack = package_id(demo_desk, "Massage Pack")

    async def edit(pilot: Pilot) -> None:
        await settle(pilot)
        pilot.app.push_screen(PackageEditorScreen(pack))
        await settle(pilot)

    assert snap_compare(FrontDeskApp(demo_desk), terminal_size=SIZE, run_before=edit)
