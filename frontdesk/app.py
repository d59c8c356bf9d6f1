"""The Front Desk app: a thin shell that holds the desk and opens the home screen."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from frontdesk.screens.home import HomeScreen
from frontdesk.services.desk import Desk


class FrontDeskApp(App[None]):
    """Sell and redeem prepaid appointment packages at the reception counter."""

    CSS_PATH = "frontdesk.tcss"
    TITLE = "Front Desk"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", tooltip="Leave Front Desk", id="quit"),
    ]

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk

    def on_mount(self) -> None:
        self.push_screen(HomeScreen())
