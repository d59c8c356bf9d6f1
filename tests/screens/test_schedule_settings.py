"""Managers keep the opening hours (o) and what each provider gives (g) on the services screen:
each message under its field, nothing half-saved; reception is told managers do it."""

from __future__ import annotations

from datetime import time

from textual.widgets import Checkbox, Input

from frontdesk.app import FrontDeskApp
from frontdesk.domain.schedule import DayHours
from frontdesk.screens.dialogs.schedule import OpeningHoursDialog, ProviderServicesDialog
from frontdesk.services import schedule
from frontdesk.services.desk import Desk
from frontdesk.widgets.service_checklist import ServiceChecklist
from tests.screens.notifications import Notifications
from tests.screens.settle import settle
from tests.screens.test_services import SIZE, build, error_text, open_screen


async def test_a_manager_keeps_the_opening_hours(screen_desk: Desk) -> None:
    build(screen_desk)
    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        await open_screen(pilot)
        await pilot.press("o")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, OpeningHoursDialog)
        for index, text in enumerate(["9-20"] * 5 + ["10am to 5pm", "closed"]):
            box = dialog.query_one(f"#day-{index}", Input)
            box.value = text
        dialog.query_one("#day-2", Input).value = "18-9"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is dialog
        assert error_text(pilot, "day-2") == "Closing must be after opening."
        assert screen_desk.read(schedule.opening_hours) is None  # nothing saved
        dialog.query_one("#day-2", Input).value = "9:00–20:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, OpeningHoursDialog)
    week = screen_desk.read(schedule.opening_hours)
    assert week.days == (DayHours(time(9), time(20)),) * 5 + (DayHours(time(10), time(17)), None)


async def test_a_manager_says_what_a_provider_gives(screen_desk: Desk) -> None:
    spa = build(screen_desk)
    async with FrontDeskApp(screen_desk).run_test(size=SIZE) as pilot:
        await open_screen(pilot)
        await pilot.press("g")  # on the services table: a provider first
        await settle(pilot)
        assert not isinstance(pilot.app.screen, ProviderServicesDialog)
        await pilot.press("tab", "g")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ProviderServicesDialog)
        assert dialog.query_one("#every", Checkbox).value
        dialog.query_one("#every", Checkbox).value = False
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert error_text(pilot, "services") == "Tick at least one service, or every service."
        dialog.query_one("#services", ServiceChecklist).select(spa.swedish)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, ProviderServicesDialog)
    gives = screen_desk.read(schedule.provider_services, provider_id=spa.providers["Anna"])
    assert (gives.all_services, gives.service_ids) == (False, {spa.swedish})


async def test_reception_is_told_managers_keep_hours_and_services(screen_desk: Desk) -> None:
    spa = build(screen_desk)
    screen_desk.staff = spa.reception
    notifications = Notifications()
    async with FrontDeskApp(screen_desk).run_test(size=SIZE, message_hook=notifications.hook) as pilot:
        screen = await open_screen(pilot)
        await pilot.press("o", "tab", "g")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert len(notifications.messages) == 2 and all("Managers only" in text for text in notifications.messages)
