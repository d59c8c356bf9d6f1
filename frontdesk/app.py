"""The Front Desk app: a thin shell that holds the desk and the top-level areas (home, packages,
services), opens screens, and offers in the command palette (ctrl+p) every shown key binding of
the current screen and a customer search."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from frontdesk.services.desk import Desk

if TYPE_CHECKING:
    from frontdesk.services.views import CustomerView


def _home() -> Screen:
    from frontdesk.screens.home import HomeScreen  # each area loads when it is first opened

    return HomeScreen()


def _packages() -> Screen:
    from frontdesk.screens.packages import PackagesScreen

    return PackagesScreen()


def _services() -> Screen:
    from frontdesk.screens.services import ServicesScreen

    return ServicesScreen()


def _customer_search() -> type:
    from frontdesk.commands import CustomerSearch

    return CustomerSearch


class FrontDeskApp(App[None]):
    """Sell and redeem prepaid appointment packages at the reception counter."""

    CSS_PATH = Path(__file__).parent / "frontdesk.tcss"  # one stylesheet for every screen
    TITLE = "Front Desk"
    MODES = {"home": _home, "packages": _packages, "services": _services}
    DEFAULT_MODE = "home"
    COMMANDS = App.COMMANDS | {_customer_search}
    BINDINGS = [
        # shown in the home screen's footer; elsewhere the keys work and the palette lists them
        Binding("ctrl+q", "quit", "Quit", tooltip="Leave Front Desk", id="quit", show=False),
        Binding("f2", "open_packages", "Packages", tooltip="The package catalogue (managers edit it)",
                id="packages", show=False),
        Binding("f3", "open_services", "Services", tooltip="Services and providers (managers edit them)",
                id="services", show=False),
    ]

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk
        self.came_from = self.DEFAULT_MODE  # the area to go back to from packages or services
        if desk.staff is not None:
            self.sub_title = f"{desk.staff.name} · {desk.staff.role}"

    # ---- navigation (screens call these; imports are local so each screen loads on demand) ----

    def open_customer(self, customer_id: int) -> None:
        from frontdesk.screens.customer import CustomerScreen

        self.push_screen(CustomerScreen(customer_id))

    def open_checkout(self, appointment_id: int) -> None:
        from frontdesk.screens.checkout import CheckoutScreen

        self.push_screen(CheckoutScreen(appointment_id))

    def open_booking(self, customer_id: int) -> None:
        from frontdesk.screens.book import BookScreen

        self.push_screen(BookScreen(customer_id))

    def open_area(self, mode: str) -> None:
        """Go to a top-level area; `back_from_area` returns to where this was pressed."""
        if self.current_mode != mode:
            if mode != self.DEFAULT_MODE:
                self.came_from = self.current_mode
            self.switch_mode(mode)

    def back_from_area(self) -> None:
        """Leave packages or services for the area they were opened from."""
        back = self.came_from if self.came_from != self.current_mode else self.DEFAULT_MODE
        self.came_from = self.DEFAULT_MODE
        self.switch_mode(back)

    def action_open_packages(self) -> None:
        self.open_area("packages")

    def action_open_services(self) -> None:
        self.open_area("services")

    def show_customer(self, customer: CustomerView) -> None:
        """Open a customer found in the command palette, from any screen."""
        if self.current_mode != self.DEFAULT_MODE:
            self.came_from = self.DEFAULT_MODE
            self.switch_mode(self.DEFAULT_MODE)
        self.open_customer(customer.id)

    # ---- command palette ------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every binding shown in the footer of `screen`, then Textual's own commands."""
        seen = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            global_key = active.node is self and binding.id is not None
            if not (binding.show or global_key) or not active.enabled or binding.description in seen:
                continue
            seen.add(binding.description)
            yield SystemCommand(
                binding.description,
                f"{binding.tooltip or binding.description} — key: {self.get_key_display(binding)}",
                partial(active.node.run_action, binding.action),
            )
        yield from super().get_system_commands(screen)
