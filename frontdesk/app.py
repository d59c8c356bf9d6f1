"""The Front Desk app: a thin shell that holds the desk and the top-level areas (home, packages,
services), opens screens, and offers in the command palette (ctrl+p) every shown key binding of
the current screen and a customer search.

Nobody works at the desk without signing in: the app opens at sign-in (or, on a new database,
at setting up the owner), ctrl+l locks it for someone else to sign in, and it locks itself after
`idle_lock` without a key pressed. While it is locked nobody is at the desk and nothing of the
screen underneath shows."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker, WorkerState, get_current_worker

if TYPE_CHECKING:  # the services, the ORM under them and the database load after the sign-in shows
    from frontdesk.services.changes import ChangeWatcher
    from frontdesk.services.customers import CustomerPage
    from frontdesk.services.desk import Desk
    from frontdesk.services.views import CustomerView, StaffView

IDLE_LOCK = timedelta(minutes=5)
HOME = "home"  # the area the desk works in
_start_up_frozen = False  # see `FrontDeskApp.freeze_start_up`
_imports_frozen: set[str] = set()  # see `freeze_imports`


def freeze_imports(stage: str) -> None:
    """What start-up has imported so far (`stage`: "ui", then "desk"), frozen for the garbage
    collector: the full collections that imports set off while the app starts (and the one
    `FrontDeskApp.freeze_start_up` makes) no longer walk every module already loaded — about
    100 ms of a cold start. Nothing is collected first: only the little garbage of that moment
    stays. Once per stage per process."""
    if stage not in _imports_frozen:
        _imports_frozen.add(stage)
        gc.freeze()
OPENING = "opening"  # not an area: a blank screen under the first sign-in (home loads once someone signs in)
MANAGERS_AREAS = ("audit", "staff", "owed")
IDLE_CHECK_SECONDS = 10
OPEN_WAIT_SECONDS = 0.15  # her screen waits this long for her page, then opens and reads it itself
HOLD_KEYS_SECONDS = 2.0  # keys typed ahead of a screen on its way are held for it at most this long


def _home() -> Screen:
    from frontdesk.screens.home import HomeScreen  # each area loads when it is first opened

    return HomeScreen()


def _packages() -> Screen:
    from frontdesk.screens.packages import PackagesScreen

    return PackagesScreen()


def _services() -> Screen:
    from frontdesk.screens.services import ServicesScreen

    return ServicesScreen()


def _audit() -> Screen:
    from frontdesk.screens.audit import AuditScreen

    return AuditScreen()


def _owed() -> Screen:
    from frontdesk.screens.owed import OwedScreen

    return OwedScreen()


def _staff() -> Screen:
    from frontdesk.screens.staff import StaffScreen

    return StaffScreen()


def _day_book() -> Screen:
    from frontdesk.screens.day_book import DayBookScreen

    return DayBookScreen()


def _customer_search() -> type:
    from frontdesk.commands import CustomerSearch

    return CustomerSearch


class FrontDeskApp(App[str | None]):
    """Sell and redeem prepaid appointment packages at the reception counter.

    Given a desk, the app uses it; given `opening` instead, the sign-in shows (and takes keys)
    at once, while `opening` opens the database in a worker and returns the desk and its idle
    lock. If it fails, the app exits with code 2 and the one line saying why as its result."""

    CSS_PATH = Path(__file__).parent / "frontdesk.tcss"  # one stylesheet for every screen
    TITLE = "Front Desk"
    MODES = {"home": _home, "packages": _packages, "services": _services, "audit": _audit, "staff": _staff,
             "owed": _owed, "daybook": _day_book}
    DEFAULT_MODE = HOME
    COMMANDS = App.COMMANDS | {_customer_search}
    BINDINGS = [
        # shown in the home screen's footer; elsewhere the keys work and the palette lists them
        Binding("ctrl+q", "quit", "Quit", tooltip="Leave Front Desk", id="quit", show=False),
        Binding("f2", "open_packages", "Packages", tooltip="The package catalogue (managers edit it)",
                id="packages", show=False),
        Binding("f3", "open_services", "Services", tooltip="Services and providers (managers edit them)",
                id="services", show=False),
        Binding("f4", "open_audit", "Audit", tooltip="The audit trail: who did what, when (managers)",
                id="audit", show=False),
        Binding("f6", "open_staff", "Staff", tooltip="The staff list: add people, roles, PINs (managers)",
                id="staff", show=False),
        Binding("f7", "open_owed", "Owed", tooltip="What the business owes for prepaid service, how it moved, "
                "who to call (managers)", id="owed", show=False),
        Binding("f8", "open_balances", "Balances", tooltip="Outstanding balances by holding, customer or package "
                "(managers)", id="balances", show=False),
        Binding("f9", "open_day_book", "Day book", tooltip="A day's appointments by provider: turn the days, "
                "check out, mark a no-show", id="day-book", show=False),
        Binding("ctrl+l", "lock", "Lock", tooltip="Lock the desk: the next person signs in with their PIN",
                id="lock", show=False),
    ]

    @dataclass
    class StaffCounted(Message):
        """How many people are on the staff list: none means the owner is set up first."""

        count: int
        reason: str

    @dataclass
    class DeskOpened(Message):
        desk: Desk
        idle_lock: timedelta

    @dataclass
    class CustomerRead(Message):
        """Her page, read to open her screen with (`open_customer`)."""

        customer_id: int
        page: CustomerPage

    @dataclass
    class DeskChanged(Message, bubble=False):  # a screen's copy stays with the screen
        """A desk (another one, or this one) committed a change: what is shown may be stale. The
        app passes it to the screen on top, which reads what it shows again; a screen underneath
        reads again when it comes back. `tables` names what changed (empty: not known)."""

        tables: frozenset[str] = frozenset()

    def __init__(self, desk: Desk | None = None, *, idle_lock: timedelta = IDLE_LOCK,
                 opening: Callable[[], tuple[Desk, timedelta]] | None = None) -> None:
        if desk is None or desk.staff is None:  # Textual opens this mode first
            self.DEFAULT_MODE = OPENING
        super().__init__()
        self.desk: Desk = desk  # type: ignore[assignment]  # None only until `opening` has opened it
        self.opening = opening
        self.idle_lock = idle_lock
        self.last_key = desk.now() if desk is not None else None
        self.last_staff: StaffView | None = None  # who was at the desk before it locked
        self.came_from = HOME  # the area to go back to from packages or services
        self.changes = 0  # changes heard from the database: a screen compares it with what it read
        self.watcher: ChangeWatcher | None = None  # starts once the desk is open
        self.opening_customer: int | None = None  # her page is being read to open her screen with
        self.open_wait = OPEN_WAIT_SECONDS
        self.held_keys: list[events.Key] | None = None  # typed ahead of the screen on its way (see `hold_keys`)
        self.holds = 0  # which hold a timer ends
        self.keys_for_home = False  # the keys held at sign-in go to home once it shows
        self.open_anyway: Timer | None = None
        self.show_who()

    @property
    def nobody_at_desk(self) -> bool:
        return self.desk is None or self.desk.staff is None

    def on_mount(self) -> None:
        if self.nobody_at_desk:  # sign-in at once, before any database work: keys typed now are the PIN
            from frontdesk.screens.sign_in import SignInScreen

            self.push_screen(SignInScreen(), self.signed_in)
            if self.desk is None:
                self.call_after_refresh(self.open_desk)  # once the sign-in is on screen
            else:
                self.ask_who()  # a new database, with nobody to sign in, sets up its owner instead
        else:
            self.call_after_refresh(self.freeze_start_up)
        self.set_interval(IDLE_CHECK_SECONDS, self.lock_if_idle)
        if self.desk is not None:
            self.watch_changes()

    @staticmethod
    def freeze_start_up() -> None:
        """Once the desk is open and its first screen built, what start-up made (modules, styles,
        mappings) lives as long as the process: frozen, a full garbage collection no longer walks
        it, and opening a busy customer no longer pays for that (tens of milliseconds each time).
        Once per process (what is frozen is never collected: an app run after another, as in the
        tests, does not freeze the first one's leftovers)."""
        global _start_up_frozen
        if not _start_up_frozen:
            _start_up_frozen = True
            gc.collect()
            gc.freeze()

    def watch_changes(self) -> None:
        """Hear what other desks commit (and this one): the screen on top reads again."""
        from frontdesk.services.changes import ChangeWatcher

        self.watcher = ChangeWatcher(self.desk.engine, lambda tables: self.post_message(self.DeskChanged(tables)))
        self.watcher.start()

    def on_unmount(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()

    @on(DeskChanged)
    def desk_changed(self, message: DeskChanged) -> None:
        """Another desk changed something: the screen on top shows it now."""
        self.changes += 1
        self.screen.post_message(self.DeskChanged(message.tables))

    # ---- who is at the desk -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def open_desk(self) -> None:
        assert self.opening is not None
        try:
            desk, idle_lock = self.opening()
        except Exception as error:  # noqa: BLE001  (the opener says why in one line; anything else too)
            logging.getLogger("frontdesk").warning("The desk could not be opened", exc_info=error)
            self.call_from_thread(self.exit, (str(error).strip().splitlines() or [type(error).__name__])[0], 2)
            return
        self.post_message(self.DeskOpened(desk, idle_lock))
        import frontdesk.screens.home  # noqa: F401  (home, the first area, loads while the PIN is typed)

    @on(DeskOpened)
    def desk_opened(self, message: DeskOpened) -> None:
        from frontdesk.screens.sign_in import SignInScreen

        self.desk, self.idle_lock, self.last_key = message.desk, message.idle_lock, message.desk.now()
        freeze_imports("desk")  # the database's modules: loaded by now
        self.watch_changes()
        if isinstance(self.screen, SignInScreen):
            self.screen.read_names()
        self.ask_who()

    def show_who(self) -> None:
        staff = self.desk.staff if self.desk is not None else None
        self.sub_title = f"{staff.name} · {staff.role}" if staff is not None else "locked"

    @property
    def locked(self) -> bool:
        from frontdesk.screens.sign_in import OwnerSetupScreen, SignInScreen

        return isinstance(self.screen, (SignInScreen, OwnerSetupScreen))

    @work(thread=True, exclusive=True, group="who", exit_on_error=False)
    def ask_who(self, reason: str = "") -> None:
        from frontdesk.services.staff import staff_count

        self.post_message(self.StaffCounted(self.desk.read(staff_count), reason))

    @on(StaffCounted)
    def staff_counted(self, message: StaffCounted) -> None:
        from frontdesk.screens.sign_in import OwnerSetupScreen, SignInScreen

        if not message.count and isinstance(self.screen, SignInScreen):
            self.pop_screen()
            self.push_screen(OwnerSetupScreen(), self.signed_in)
        elif not self.locked:
            screen = SignInScreen(message.reason, last=self.last_staff) if message.count else OwnerSetupScreen()
            self.push_screen(screen, self.signed_in)

    def signed_in(self, member: StaffView | None) -> None:
        if member is None:
            return
        self.desk.staff = member
        self.last_key = self.desk.now()
        self.show_who()
        if self.current_mode == OPENING or (not member.is_manager and self.current_mode in MANAGERS_AREAS):
            self.came_from = HOME  # a manager's area is not left open for reception
            self.keys_for_home = True  # what was typed after the PIN is for its search
            self.switch_mode(HOME)
        else:
            self.call_after_refresh(self.release_keys)  # back where the desk was locked: its keys
        self.screen.refresh_bindings()
        self.call_after_refresh(self.freeze_start_up)

    def action_lock(self, reason: str = "") -> None:
        """Nobody is at the desk until someone signs in (the last person is highlighted)."""
        if self.locked:
            return
        self.last_staff = self.desk.staff
        self.desk.staff = None
        self.show_who()
        self.ask_who(reason)

    def lock_if_idle(self) -> None:
        if not self.nobody_at_desk and not self.locked and self.desk.now() - self.last_key >= self.idle_lock:
            minutes = int(self.idle_lock.total_seconds() // 60)
            self.action_lock(f"Locked after {minutes} minutes without use. Who is at the desk?")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the desk is locked, only signing in (and quitting) works."""
        if self.nobody_at_desk and action in ("open_packages", "open_services", "open_audit", "open_staff",
                                              "open_owed", "open_balances", "open_day_book", "lock",
                                              "command_palette"):
            return False
        return True

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)) and self.desk is not None:
            self.last_key = self.desk.now()
        if isinstance(event, events.Key) and self.held_keys is not None and not event.is_forwarded:
            self.held_keys.append(event)  # for the screen on its way (not one bubbling back: it has acted)
            return
        await super().on_event(event)

    def hold_keys(self) -> None:
        """Keys typed from now on belong to a screen on its way (Enter on a customer whose page is
        being read, or whose search has not come back yet): held until `release_keys`, then
        given in order to the screen on top — "maria⏎c" typed at once opens her and pays, as it
        would typed slowly. Never held longer than `HOLD_KEYS_SECONDS`."""
        if self.held_keys is None:
            self.held_keys = []
            self.holds += 1
            self.set_timer(HOLD_KEYS_SECONDS, partial(self.release_keys, self.holds))

    def drop_held_keys(self) -> None:
        """Forget the keys held: the screen they were typed for is not coming (a PIN refused)."""
        self.held_keys = None

    def release_keys(self, hold: int | None = None) -> None:
        """The keys held, to the screen on top now (`hold`: only if it is still that hold)."""
        if self.held_keys is None or (hold is not None and hold != self.holds):
            return
        held, self.held_keys = self.held_keys, None
        for key in sorted(held, key=lambda key: key.time):  # held here and in the widget that had them queued
            self.post_message(events.Key(key.key, key.character))

    # ---- navigation (screens call these; imports are local so each screen loads on demand) ----

    def open_customer(self, customer_id: int) -> None:
        """Her screen, opened once her page is read (a moment): it is laid out and painted with her
        rows at once, not empty first and again with them. A read that takes longer than
        `open_wait` (a busy server) does not leave the desk waiting with nothing to
        show: her screen opens then and reads her page itself. Keys typed meanwhile are hers."""
        self.hold_keys()
        self.stop_opening()  # a customer asked for before: this one instead
        self.opening_customer = customer_id
        self.open_anyway = self.set_timer(self.open_wait, partial(self.open_while_reading, customer_id))
        self.read_customer(customer_id)

    def stop_opening(self) -> None:
        """No customer on her way any more (opened, or given up): her timer stops too."""
        self.opening_customer = None
        if self.open_anyway is not None:
            self.open_anyway.stop()
            self.open_anyway = None

    def open_while_reading(self, customer_id: int) -> None:
        from frontdesk.screens.customer import CustomerScreen

        if self.opening_customer != customer_id:  # read and opened meanwhile, or given up
            return
        self.stop_opening()
        self.workers.cancel_group(self, "open-customer")
        self.push_screen(CustomerScreen(customer_id))  # it gives the keys typed ahead to her page once read

    @work(thread=True, exclusive=True, group="open-customer", exit_on_error=False)
    def read_customer(self, customer_id: int) -> None:
        from frontdesk.screens.customer import read_her_page

        page = read_her_page(self.desk, customer_id)
        if not get_current_worker().is_cancelled:  # another customer was asked for meanwhile
            self.post_message(self.CustomerRead(customer_id, page))

    @on(CustomerRead)
    async def customer_read(self, message: CustomerRead) -> None:
        from frontdesk.screens.customer import CustomerScreen

        if self.opening_customer != message.customer_id:  # her screen opened already, reading itself
            return
        self.stop_opening()
        await self.push_screen(CustomerScreen(message.customer_id, message.page))
        self.release_keys()  # mounted, its focus set: what was typed meanwhile is its

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Her page could not be read: said where the desk is, nothing opened."""
        worker = event.worker
        if worker.node is self and worker.group == "open-customer" and event.state is WorkerState.ERROR \
                and not worker.is_cancelled:
            from frontdesk.screens.base import as_desk_error

            self.stop_opening()
            self.release_keys()
            self.notify(as_desk_error(worker.error).message, severity="error", timeout=8)

    def open_checkout(self, appointment_id: int) -> None:
        """The checkout; keys typed until it has read the appointment are held for it ("c⏎" on her
        screen typed at once pays from the default package, not "still loading")."""
        from frontdesk.screens.checkout import CheckoutScreen

        self.hold_keys()
        self.push_screen(CheckoutScreen(appointment_id))

    def open_booking(self, customer_id: int, booked: Callable[[Any], None] | None = None) -> None:
        """Book for the customer; `booked` gets the booking (None when cancelled)."""
        from frontdesk.screens.book import BookScreen

        self.push_screen(BookScreen(customer_id), booked)

    def open_reschedule(self, appointment_id: int, done: Callable[[Any], None] | None = None) -> None:
        """Move a booked appointment to another time or provider; `done` gets the move (None when
        left as it was)."""
        from frontdesk.screens.book import RescheduleScreen

        self.push_screen(RescheduleScreen(appointment_id), done)

    def open_area(self, mode: str) -> None:
        """Go to a top-level area; `back_from_area` returns to where this was pressed."""
        if self.current_mode != mode:
            if mode != HOME:
                self.came_from = self.current_mode
            self.switch_mode(mode)

    def back_from_area(self) -> None:
        """Leave packages or services for the area they were opened from."""
        back = self.came_from if self.came_from != self.current_mode else HOME
        self.came_from = HOME
        self.switch_mode(back)

    def action_open_packages(self) -> None:
        self.open_area("packages")

    def action_open_services(self) -> None:
        self.open_area("services")

    def action_open_day_book(self) -> None:
        """The day book, open on today."""
        from frontdesk.screens.day_book import DayBookScreen

        if self.current_mode == "daybook":
            if isinstance(self.screen, DayBookScreen):
                self.screen.turn_to(None)
            else:
                self.notify("The day book is open under this screen: esc goes back to it.", severity="warning")
            return
        self.open_area("daybook")
        if isinstance(self.screen, DayBookScreen):
            self.screen.day = None  # shown again (or first), it reads today

    def action_open_audit(self) -> None:
        self._open_managers_area("audit")

    def action_open_staff(self) -> None:
        self._open_managers_area("staff")

    def action_open_owed(self) -> None:
        self._open_managers_area("owed")

    def action_open_balances(self) -> None:
        if not self.desk.is_manager:
            from frontdesk.screens.base import MANAGERS_ONLY

            self.notify(MANAGERS_ONLY, severity="warning")
            return
        self.open_area("owed")
        self.open_balances()

    def open_balances(self) -> None:
        """The balances list, over what is owed (Escape goes back to it)."""
        from frontdesk.screens.balances import BalancesScreen

        if not isinstance(self.screen, BalancesScreen):
            self.push_screen(BalancesScreen())

    def _open_managers_area(self, mode: str) -> None:
        if not self.desk.is_manager:
            from frontdesk.screens.base import MANAGERS_ONLY

            self.notify(MANAGERS_ONLY, severity="warning")
            return
        self.open_area(mode)

    def show_customer(self, customer: CustomerView) -> None:
        """Open a customer found in the command palette, from any screen."""
        if self.current_mode != HOME:
            self.came_from = HOME
            self.switch_mode(HOME)
        self.open_customer(customer.id)

    # ---- command palette ------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action of `screen` (shown in its footer, or named but left out of a full footer)
        and of the app, then Textual's own commands, each title once (our Quit, not Textual's too)."""
        seen = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            named = binding.id is not None  # an action of its own (a hidden one too); not a second key
            if not (binding.show or named) or not active.enabled or binding.description in seen:
                continue
            seen.add(binding.description)
            yield SystemCommand(
                binding.description,
                f"{binding.tooltip or binding.description} — key: {self.get_key_display(binding)}",
                partial(active.node.run_action, binding.action),
            )
        for command in super().get_system_commands(screen):
            if command.title not in seen:
                yield command
