"""The Front Desk app: a thin shell that holds the desk, navigates between screens, and offers
every shown key binding of the current screen in the command palette (ctrl+p)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from frontdesk.services.desk import Desk

HERE = Path(__file__).parent


class FrontDeskApp(App[None]):
    """Sell and redeem prepaid appointment packages at the reception counter."""

    CSS_PATH = ["frontdesk.tcss", *sorted(str(path.relative_to(HERE)) for path in (HERE / "screens").glob("*.tcss"))]
    TITLE = "Front Desk"
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
        if desk.staff is not None:
            self.sub_title = f"{desk.staff.name} · {desk.staff.role}"

    def on_mount(self) -> None:
        from frontdesk.screens.home import HomeScreen

        self.push_screen(HomeScreen())

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

    def action_open_packages(self) -> None:
        from frontdesk.screens.packages import PackagesScreen

        if not any(isinstance(screen, PackagesScreen) for screen in self.screen_stack):
            self.push_screen(PackagesScreen())

    def action_open_services(self) -> None:
        from frontdesk.screens.services import ServicesScreen

        if not any(isinstance(screen, ServicesScreen) for screen in self.screen_stack):
            self.push_screen(ServicesScreen())

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
