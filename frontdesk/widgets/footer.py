"""The footer every screen shows: Textual's own, rebuilt only when the keys it shows change.

Textual's footer takes itself apart and builds its keys again each time a screen says its
bindings may have changed (`refresh_bindings`: on every focus move, every highlighted row, every
form state): a screen that has just read its data lays itself out again for it. This one
compares what it would show with what it shows after the next refresh (one check for many
calls): the same keys are kept, a key that can or cannot act now is lit or dimmed in place, and
only a key that appears, goes or changes its words rebuilds the footer. When it is rebuilt, each key
is made compact (or not) before it is mounted, so it is styled once, not again when it takes the
footer's `compact` (most of what a rebuild cost). Its first keys are built as soon as it is first
laid out, not after the screen's next refresh.
"""

from __future__ import annotations

from typing import Any

from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

Shown = tuple[object, ...]


class KeysFooter(Footer):
    """A `Footer` that is rebuilt only when a key it shows appears, goes, or changes its words;
    whether a key can act now, and its tooltip, change in place."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[Shown, tuple[tuple[bool, str], ...]] | None = None
        self._check_pending = False

    def _what_shows(self) -> tuple[Shown, tuple[tuple[bool, str], ...]]:
        """The keys shown (what rebuilds the footer), and whether each can act and its tooltip."""
        palette = self.app.COMMAND_PALETTE_BINDING if self.show_command_palette else None
        shown = [(binding, enabled, tooltip)
                 for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
                 if binding.show or key == palette]
        return ((self.compact, self.show_command_palette,
                 *((binding.key, binding.action, binding.description, binding.group) for binding, _, _ in shown)),
                tuple((enabled, tooltip) for _, enabled, tooltip in shown))

    def compose(self):  # noqa: ANN201  (Textual's own signature)
        self._shown = self._what_shows() if self._bindings_ready else None
        for widget in super().compose():
            yield self._styled_as_footer(widget)

    def _styled_as_footer(self, widget: Widget) -> Widget:
        """A key made compact (or not) as the footer is before it is mounted: Textual's key takes the
        footer's `compact` once mounted, its class with it, and is styled a second time for it
        (most of the time a rebuild of the footer takes)."""
        if isinstance(widget, FooterKey):
            compact = self.compact if "-command-palette" not in widget.classes else True  # that one is not bound
            widget.set_reactive(FooterKey.compact, compact)
            widget.set_class(compact, "-compact", update=False)
        return widget

    async def on_resize(self) -> None:
        """Laid out for the first time (its screen has painted once): its keys now, rather than
        after the screen's next refresh, as Textual's footer does — a layout and a paint sooner."""
        if self._shown is not None or not self.app.app_focus or not self.screen.is_current:
            return
        try:
            self._what_shows()
        except NoMatches:  # the screen's check_action looks for a part it is building again: as Textual does
            return
        self._bindings_ready = True
        await self.recompose()

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._check_pending:
            self._check_pending = True
            # after the screen's next refresh, as Textual's footer does: its widgets are all there
            # then for its check_action (a screen may be recomposing its parts meanwhile)
            self.call_after_refresh(self._rebuild_if_changed)

    async def _rebuild_if_changed(self) -> None:
        self._check_pending = False
        if not self.is_attached or self.screen not in self.app.screen_stack:  # its screen is closing
            return
        now = self._what_shows()
        if self._shown is not None and now[0] == self._shown[0]:
            if now[1] != self._shown[1]:
                self._relight(now)
            return
        await self.recompose()

    def _relight(self, now: tuple[Shown, tuple[tuple[bool, str], ...]]) -> None:
        """The same keys: dim those that cannot act now, light the others, as a rebuild would."""
        keys = list(self.query(FooterKey))
        palette = self.app.COMMAND_PALETTE_BINDING if self.show_command_palette else None
        active = [(binding, enabled, tooltip)
                  for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
                  if binding.show or key == palette]
        by_action = {(binding.key, binding.action): (binding, enabled, tooltip) for binding, enabled, tooltip in active}
        for footer_key in keys:
            found = by_action.get((footer_key.key, footer_key.action))
            if found is None:  # not one key per binding (grouped keys): build it as Textual does
                self.call_later(self.recompose)
                return
        for footer_key in keys:
            binding, enabled, tooltip = by_action[(footer_key.key, footer_key.action)]
            footer_key._disabled = not enabled
            footer_key.set_class(not enabled, "-disabled")
            grouped = footer_key.has_class("-grouped") or footer_key.has_class("-command-palette")
            footer_key.tooltip = (tooltip or binding.description) if grouped else (tooltip or None)
        self._shown = now
