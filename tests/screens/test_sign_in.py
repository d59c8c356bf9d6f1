"""Sign-in at the desk: the app opens at sign-in, a new database sets up its owner first, a wrong
PIN says how many tries are left, ctrl+l lets the next person sign in from any screen, and the
desk locks itself when left idle (a controlled clock), with nothing of the screen underneath
reachable while it is locked."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Static

from frontdesk.app import FrontDeskApp
from frontdesk.db import create_db_engine
from frontdesk.domain.business import Business
from frontdesk.screens.customer import CustomerScreen
from frontdesk.screens.home import HomeScreen
from frontdesk.screens.sign_in import OwnerSetupScreen, SignInScreen
from frontdesk.services import audit, customers, staff
from frontdesk.services.desk import Desk
from tests.conftest import NOW, fresh_database_url
from tests.screens.customer_data import Spa
from tests.screens.keys import burst, chars, type_text
from tests.screens.settle import settle, until

SIZE = (100, 32)


class Clock:
    """The desk's clock, moved by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def locked_spa(spa: Spa, clock: Clock) -> Spa:
    """The small spa with PINs (Grace 2468, Rita 1357), nobody at the desk, the clock the test's."""
    spa.desk.by(spa.grace.id).write(staff.set_pin, staff_id=spa.grace.id, pin="2468")
    spa.desk.by(spa.grace.id).write(staff.set_pin, staff_id=spa.rita.id, pin="1357")
    spa.desk.staff = None
    spa.desk.clock = clock
    return spa


def pin_message(app: FrontDeskApp) -> str:
    box = app.screen.query_one("#pin-error", Static)
    return str(box.content) if box.display else ""


async def sign_in(pilot, name_row: int, pin: str) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    assert isinstance(pilot.app.screen, SignInScreen)
    await pilot.press(*["down"] * name_row)
    await type_text(pilot, pin)
    await pilot.press("enter")
    await settle(pilot)


async def test_the_app_opens_at_sign_in_and_a_right_pin_lets_her_in(locked_spa: Spa) -> None:
    app = FrontDeskApp(locked_spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen) and app.sub_title == "locked"
        names = app.screen.query_one(OptionList)
        assert [str(names.get_option_at_index(i).prompt) for i in range(names.option_count)] == [
            "Grace Kim  · manager", "Rita Alvarez"]
        await sign_in(pilot, 1, "1357")
        assert isinstance(app.screen, HomeScreen)
        assert locked_spa.desk.staff is not None and locked_spa.desk.staff.name == "Rita Alvarez"
        assert app.sub_title == "Rita Alvarez · reception"
    kinds = [line.kind for line in locked_spa.desk.by(locked_spa.grace.id).read(audit.events,
                                                                                staff_id=locked_spa.rita.id)]
    assert kinds[0] == "sign-in"


async def test_a_pin_typed_the_moment_the_app_opens_is_not_lost(locked_spa: Spa) -> None:
    """The sign-in takes keys before the names are read (a cold start, a slow disk): the arrow,
    the PIN and Enter typed at once are kept, and she is signed in when the names arrive."""
    desk = locked_spa.desk
    names_wanted, names_may_go = threading.Event(), threading.Event()
    read = desk.read

    def held(use_case, *args, **kwargs):  # type: ignore[no-untyped-def]
        if use_case is staff.sign_in_list:  # the names come only once the keys are in
            names_wanted.set()
            assert names_may_go.wait(timeout=60)
        return read(use_case, *args, **kwargs)

    desk.read = held  # type: ignore[method-assign]
    app = FrontDeskApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, SignInScreen)
        await pilot.press("down", *chars("1357"), "enter")
        assert names_wanted.is_set() and not app.screen.named
        assert app.screen.query_one("#pin", Input).value == "1357"
        names_may_go.set()
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert desk.staff is not None and desk.staff.name == "Rita Alvarez"


async def test_the_sign_in_takes_keys_while_the_database_is_still_being_opened(locked_spa: Spa) -> None:
    """Opened from the command line, the app shows the sign-in before the database is open (the
    settings, the ORM and the file are read behind it): what is typed meanwhile is kept."""
    opened = threading.Event()

    def opening() -> tuple[Desk, timedelta]:
        assert opened.wait(timeout=60)
        return locked_spa.desk, timedelta(minutes=7)

    app = FrontDeskApp(opening=opening)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")  # nobody is at the desk: the areas stay closed
        assert isinstance(app.screen, SignInScreen) and app.current_mode == "opening"
        await pilot.press("down", *chars("1357"), "enter")
        assert isinstance(app.screen, SignInScreen) and app.desk is None and app.sub_title == "locked"
        opened.set()
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and app.idle_lock == timedelta(minutes=7)
        assert app.desk is locked_spa.desk and app.desk.staff is not None and app.desk.staff.name == "Rita Alvarez"


async def test_a_database_that_cannot_be_opened_closes_the_app_with_why() -> None:
    def opening() -> tuple[Desk, timedelta]:
        raise RuntimeError("cannot use the database /tmp/notes.db: file is not a database\nmore")

    app = FrontDeskApp(opening=opening)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(500):  # until the app has closed itself (each round waits for the app to go idle)
            if app.return_code is not None:
                break
            await pilot.pause()
    assert (app.return_code, app.return_value) == (2, "cannot use the database /tmp/notes.db: file is not a database")


async def test_a_wrong_pin_says_how_many_tries_are_left_and_lets_nobody_in(locked_spa: Spa) -> None:
    app = FrontDeskApp(locked_spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, 1, "9999")
        assert isinstance(app.screen, SignInScreen)
        assert pin_message(app) == "Wrong PIN. 4 tries left before a lock."
        assert app.focused is app.screen.query_one("#pin", Input) and app.focused.value == ""
        assert locked_spa.desk.staff is None
        await pilot.press("f2")  # the areas stay closed while nobody is signed in
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen) and app.current_mode == "opening"  # no area opened


async def test_ctrl_l_lets_the_next_person_sign_in_over_the_screen_she_was_on(locked_spa: Spa) -> None:
    app = FrontDeskApp(locked_spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, 1, "1357")  # Rita
        app.open_customer(locked_spa.maria)
        await settle(pilot)
        customer = app.screen
        assert isinstance(customer, CustomerScreen)
        assert customer.check_action("assign", ()) is None  # reception: not hers to do
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen) and locked_spa.desk.staff is None
        assert app.screen.chosen is not None and app.screen.chosen.name == "Rita Alvarez"  # who was here
        await pilot.press("up")  # Grace, the name above
        await sign_in(pilot, 0, "2468")
        assert app.screen is customer and locked_spa.desk.staff.name == "Grace Kim"
        assert customer.check_action("assign", ()) is True


async def test_the_desk_locks_itself_when_left_idle(locked_spa: Spa, clock: Clock) -> None:
    app = FrontDeskApp(locked_spa.desk, idle_lock=timedelta(minutes=5))
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, 1, "1357")
        clock.now += timedelta(minutes=4, seconds=59)
        app.lock_if_idle()
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)  # not yet
        await pilot.press("down")  # a key: she is still here
        clock.now += timedelta(minutes=4, seconds=59)
        app.lock_if_idle()
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        clock.now += timedelta(seconds=1)
        app.lock_if_idle()
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen) and locked_spa.desk.staff is None
        reason = str(app.screen.query_one("#sign-in-reason", Static).content)
        assert reason == "Locked after 5 minutes without use. Who is at the desk?"


async def test_a_new_database_sets_up_its_owner_first(request: pytest.FixtureRequest, tmp_path: Path,
                                                      business: Business) -> None:
    engine = create_db_engine(next(fresh_database_url("sqlite", request, tmp_path)))
    desk = Desk(engine, business, clock=lambda: NOW)
    app = FrontDeskApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, OwnerSetupScreen)
        await type_text(pilot, "Grace Kim")
        await pilot.press("enter", *"2468", "enter", *"2469", "enter")
        await settle(pilot)
        error = app.screen.query_one("#pin-again-error", Static)
        assert str(error.content) == "The two PINs differ: type the same PIN twice." and desk.staff is None
        app.screen.query_one("#pin-again", Input).value = "2468"
        app.screen.query_one("#pin-again", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert desk.staff is not None and (desk.staff.name, desk.staff.is_manager) == ("Grace Kim", True)
    assert [member.name for member in desk.read(staff.sign_in_list)] == ["Grace Kim"]
    engine.dispose()


async def test_a_managers_key_pressed_by_reception_says_why_and_the_palette_does_not_offer_it(spa: Spa) -> None:
    from textual.command import CommandPalette

    from tests.screens.notifications import Notifications

    shown = Notifications()
    app = FrontDeskApp(spa.desk)  # Rita, reception
    async with app.run_test(size=SIZE, message_hook=shown.hook) as pilot:
        await settle(pilot)
        app.open_customer(spa.maria)
        await settle(pilot)
        for key in ("a", "j", "v"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, CustomerScreen)  # nothing opened
        assert shown.messages.count("Managers only: ask a manager to sign in (ctrl+l).") == 3
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        offered = [command.title for command in app.get_system_commands(app.screen_stack[-2])]
        assert "Book" in offered and not {"Give", "Adjust", "Void"} & set(offered)
        await pilot.press("escape")
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert shown.messages.count("Managers only: ask a manager to sign in (ctrl+l).") == 4


async def test_the_audit_trail_is_a_managers_area_that_reads_newest_first(spa: Spa) -> None:
    from textual.widgets import DataTable

    from frontdesk.screens.audit import AuditScreen
    from tests.screens.notifications import Notifications

    shown = Notifications()
    app = FrontDeskApp(spa.desk)  # Rita, reception
    async with app.run_test(size=SIZE, message_hook=shown.hook) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "Managers only: ask a manager to sign in (ctrl+l)." in shown.messages
        spa.desk.staff = spa.grace
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)
        table = app.screen.query_one(DataTable)
        kinds = [str(table.get_row_at(row)[2]) for row in range(table.row_count)]
        total = len(spa.desk.by(spa.grace.id).read(audit.events, limit=1000))
        assert len(kinds) == total and kinds[-1] == "staff added"  # the oldest event last
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_the_audit_trail_filters_by_customer_and_day(spa: Spa) -> None:
    from textual.widgets import DataTable, Static

    from frontdesk.screens.audit import AuditScreen

    zelda = spa.customer("Zelda Quist", phone="555 909 1111")
    spa.customer("Ben Okafor")
    spa.desk.by(spa.rita.id).write(customers.update_customer, spa.desk.business, customer_id=zelda,
                                   name="Zelda Quist-Moreno", phone="555 909 1111")
    spa.desk.staff = spa.grace
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AuditScreen)
        table = screen.query_one(DataTable)

        def customers_shown() -> list[str]:
            return [str(table.get_row_at(row)[3]) for row in range(table.row_count)]

        assert {"Zelda Quist-Moreno", "Ben Okafor"} <= set(customers_shown())
        await pilot.press("slash", "tab", "tab")  # the kind, the person, then the customer
        await type_text(pilot, "zelda")
        await settle(pilot)
        assert customers_shown() == ["Zelda Quist-Moreno", "Zelda Quist-Moreno"]  # edited, then added
        await pilot.press("tab")  # the first day
        await type_text(pilot, "someday")
        await settle(pilot)
        assert "Enter a date like" in str(screen.query_one("#audit-from").border_subtitle)
        assert customers_shown() == ["Zelda Quist-Moreno", "Zelda Quist-Moreno"]  # kept until it reads
        await pilot.press(*["backspace"] * 7)
        await type_text(pilot, "tomorrow")
        await settle(pilot)
        assert customers_shown() == []
        assert str(screen.query_one("#audit-note", Static).content) == "nothing recorded yet"
        await pilot.press("enter")  # back to the list
        assert screen.focused is table


async def test_a_manager_adds_someone_in_the_staff_screen_who_then_signs_in(locked_spa: Spa) -> None:
    from frontdesk.screens.staff import PinDialog, StaffScreen

    app = FrontDeskApp(locked_spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, 0, "2468")  # Grace, manager
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, StaffScreen)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PinDialog)
        await type_text(pilot, "Sam Patel")
        await pilot.press("enter", *"1470", "enter", *"1471", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PinDialog)  # the PINs differ: nothing saved
        assert "differ" in str(app.screen.query_one("#pin-again-error", Static).content)
        app.screen.query_one("#pin-again", Input).value = "1470"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, StaffScreen)
        await pilot.press("ctrl+l")
        await settle(pilot)
        await sign_in(pilot, 2, "1470")  # Grace, Rita, Sam
        assert locked_spa.desk.staff is not None and locked_spa.desk.staff.name == "Sam Patel"
        assert not locked_spa.desk.staff.is_manager
        assert isinstance(app.screen, HomeScreen)  # the staff list is not left open for reception


async def test_owner_set_up_typed_at_once_puts_each_answer_in_its_field(request: pytest.FixtureRequest,
                                                                        tmp_path: Path, business: Business) -> None:
    """Enter moves to the next field before the next key is read: name, PIN and PIN again typed in
    one burst land each in its field and set up the owner (the keys after an Enter used to land
    in the field before it, the focus following a moment later)."""
    engine = create_db_engine(next(fresh_database_url("sqlite", request, tmp_path)))
    desk = Desk(engine, business, clock=lambda: NOW)
    app = FrontDeskApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, OwnerSetupScreen)
        await burst(pilot, *chars("Grace Kim"), "enter", *"2468", "enter", *"2468")
        screen = app.screen
        assert [screen.query_one(f"#{field}", Input).value for field in ("name", "pin", "pin-again")] == \
            ["Grace Kim", "2468", "2468"]
        assert app.focused is screen.query_one("#pin-again")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert desk.staff is not None and desk.staff.name == "Grace Kim"
    engine.dispose()


async def test_a_name_typed_right_after_the_pin_goes_to_the_search(locked_spa: Spa) -> None:
    """The PIN, Enter and a customer's name typed at once: the PIN is the four digits typed before
    Enter, and the name lands in home's search once signed in (not in the PIN field, where it
    made the PIN wrong and cost a try)."""
    app = FrontDeskApp(locked_spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await burst(pilot, *"2468", "enter", *chars("maria"))
        await until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.shown_for == "maria",
                    "home with the name searched")
        assert locked_spa.desk.staff is not None and locked_spa.desk.staff.name == "Grace Kim"
        assert app.screen.query_one("#search", Input).value == "maria"
        assert [customer.name for customer in app.screen.results] == ["Maria Lopez"]


async def test_what_is_typed_after_a_wrong_pin_costs_no_second_try(locked_spa: Spa) -> None:
    app = FrontDeskApp(locked_spa.desk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await burst(pilot, *"9999", "enter", *chars("maria"), "enter")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen) and locked_spa.desk.staff is None
        assert pin_message(app) == "Wrong PIN. 4 tries left before a lock."  # one try, not two
        assert app.screen.query_one("#pin", Input).value == ""
