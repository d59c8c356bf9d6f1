"""The footer every screen shows: Textual's own, redrawn only when what it shows has changed.

Textual's footer takes itself apart and builds its keys again each time a screen says its
bindings may have changed (`refresh_bindings`: on every focus move, every highlighted row, every
form state). Most of those change nothing it shows, and rebuilding a dozen keys costs a layout
each time; this one compares what it would show with what it shows and keeps it when they agree.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class KeysFooter(Footer):
    """A `Footer` that is rebuilt only when a key it shows appears, goes, or changes its words,
    its tooltip or whether it can act."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[object, ...] | None = None

    def _what_shows(self) -> tuple[object, ...]:
        palette = self.app.COMMAND_PALETTE_BINDING if self.show_command_palette else None
        return (self.compact, self.show_command_palette, *(
            (binding.key, binding.action, binding.description, binding.group, enabled, tooltip)
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == palette))

    def compose(self):  # noqa: ANN201  (Textual's own signature)
        self._shown = self._what_shows() if self._bindings_ready else None
        yield from super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._rebuild_if_changed)

    async def _rebuild_if_changed(self) -> None:
        if self.is_attached and self._what_shows() != self._shown:
            await self.recompose()
