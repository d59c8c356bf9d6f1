"""Keys that arrive in a burst (a paste, typing over SSH) take effect in the order they were typed.

Textual puts each key in the queue of the widget focused when the app reads it. A key that works
through a binding (backspace, Enter, Tab, a screen's letter key) then bubbles up to the app, which
runs the binding only when the key gets there: by then the widget has already taken the keys typed
after it. " $12.50 ", eight backspaces and "30" sent at once left " $" in a money field (the
backspaces ran after the "30"), and the keys typed after an Enter or a Tab still landed in the field
they followed, not in the one the Enter or Tab moved to.

`KeysInOrder` runs a key's binding as soon as its widget takes the key, and passes a key that
reaches it after the focus moved on to the widget focused now. `FieldInput` is an Input that does
this; in a form that walks its fields with Enter (`WalksFields`), Enter moves the focus at once,
so the rest of the burst goes to the next field. A key queued here while the app holds keys for a
screen on its way (Enter on a customer in the lookup) is held with them, for that screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from textual import events
from textual.widget import Widget
from textual.widgets import Input


# A plain mixin at run time: Textual inherits CSS along the first DOMNode base of each class.
_Mixin = Widget if TYPE_CHECKING else object


class KeysInOrder(_Mixin):
    """A mixin for a focusable widget, listed before it (`class X(KeysInOrder, DataTable)`):
    bindings run in the order keys were typed, and keys queued here after the focus moved on go
    to the widget focused now."""

    async def _on_key(self, event: events.Key) -> None:
        held = getattr(self.app, "held_keys", None)
        if held is not None:  # typed ahead of a screen on its way (`FrontDeskApp.hold_keys`): for it
            event.prevent_default()
            event.stop()
            held.append(event)
            return
        focused = self.screen.focused
        if focused is not None and focused is not self:
            event.prevent_default()
            event.stop()
            # a forwarded key, as the app sends it: one that bubbles back is not sent to the focus again
            focused._forward_event(events.Key(event.key, event.character))
            return
        if self.check_consume_key(event.key, event.character):
            return  # typed into the widget by its own handler, in turn
        # the binding the app would run once the key had bubbled up to it, run now, in turn
        if await self.app._check_bindings(event.key):
            event.prevent_default()
            event.stop()


@runtime_checkable
class WalksFields(Protocol):
    """A form (any ancestor of its fields) in which Enter moves to the next field."""

    def field_after(self, field: Widget) -> Widget | None:
        """The field Enter in `field` moves to; None when Enter there does something else (sends)."""
        ...


class FieldInput(KeysInOrder, Input):
    """An Input that takes a burst of keys in order; Enter in a form that walks its fields moves
    the focus before the next key is read, then posts `Input.Submitted` as usual."""

    async def action_submit(self) -> None:
        form = next((node for node in self.ancestors if isinstance(node, WalksFields)), None)
        following = form.field_after(self) if form is not None else None
        if following is not None:
            self.screen.set_focus(following)
        await super().action_submit()


def focus_chain_in_order(root: Widget) -> list[Widget]:
    """The widgets under `root` that Tab visits, in the order they are composed: shown (display and
    visibility), enabled, focusable. A form composed top to bottom is walked top to bottom.

    Textual orders its focus chain by where each widget was last laid out; a field that a key
    press has just shown has no place yet, so until the screen is laid out again Tab skipped it
    (unticking "All services" and pressing Tab at once jumped over the service list)."""
    chain: list[Widget] = []

    def walk(node: Widget, visible: bool) -> None:
        for child in node.displayed_children:
            if child.disabled:
                continue
            rule = child.styles.get_rule("visibility")
            child_visible = rule != "hidden" if rule else visible
            if child_visible and child.allow_focus():
                chain.append(child)
            if child.is_container and child.allow_focus_children():
                walk(child, child_visible)

    walk(root, root.visible)
    return chain
