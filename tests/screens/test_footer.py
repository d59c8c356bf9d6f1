"""The footer every screen shows (`KeysFooter`): its keys are built once, styled once, and lit or
dimmed in place when what they can act on changes; a key that appears or goes rebuilds it."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.dom import DOMNode
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from frontdesk.widgets.footer import KeysFooter


class KeysScreen(Screen[None]):
    """Two keys always shown; "Pay" acts only when something is due; "Undo" shows only once armed."""

    BINDINGS = [
        Binding("c", "pay", "Pay", id="pay"),
        Binding("b", "book", "Book", id="book"),
        Binding("u", "undo", "Undo", id="undo"),
    ]

    def __init__(self, *, compact: bool) -> None:
        super().__init__()
        self.compact, self.due, self.armed = compact, False, False

    def compose(self) -> ComposeResult:
        yield KeysFooter(compact=self.compact, show_command_palette=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pay":
            return True if self.due else None  # shown, dimmed
        if action == "undo":
            return self.armed  # not shown until armed
        return True

    def action_book(self) -> None:
        pass


class KeysApp(App[None]):
    def __init__(self, *, compact: bool = True) -> None:
        super().__init__()
        self.compact = compact

    def on_mount(self) -> None:
        self.push_screen(KeysScreen(compact=self.compact))


def keys_of(footer: Footer) -> dict[str, FooterKey]:
    return {key.action: key for key in footer.query(FooterKey)}


async def checked(pilot: Pilot, seen: dict[str, list[object]]) -> KeysFooter:
    """The screen's footer once it has checked its keys again (`refresh_bindings` reaches it on its
    next turn, and it checks after the screen's next refresh)."""
    before = len(seen["checked"])
    for _ in range(500):
        await pilot.pause()
        if len(seen["checked"]) > before:
            return pilot.app.screen.query_one(KeysFooter)
    raise AssertionError("the footer never checked its keys")


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[object]]:
    """Each rebuild of a KeysFooter, and each time a footer key's styles are worked out again after
    it was mounted (a class added or removed)."""
    seen: dict[str, list[object]] = {"rebuilt": [], "restyled": [], "checked": []}
    recompose, update_node_styles, check = KeysFooter.recompose, DOMNode.update_node_styles, \
        KeysFooter._rebuild_if_changed

    async def counted_check(footer: KeysFooter) -> None:
        await check(footer)
        seen["checked"].append(footer)

    async def counted_recompose(footer: KeysFooter) -> None:
        seen["rebuilt"].append(footer)
        await recompose(footer)

    def counted_update(node: DOMNode, animate: bool = True) -> None:
        if isinstance(node, FooterKey):
            seen["restyled"].append(node)
        update_node_styles(node, animate)

    monkeypatch.setattr(KeysFooter, "recompose", counted_recompose)
    monkeypatch.setattr(KeysFooter, "_rebuild_if_changed", counted_check)
    monkeypatch.setattr(DOMNode, "update_node_styles", counted_update)
    return seen


@pytest.mark.parametrize("compact", [True, False])
async def test_keys_are_built_once_as_compact_as_the_footer_and_not_restyled(
    compact: bool, counted: dict[str, list[object]]
) -> None:
    app = KeysApp(compact=compact)
    async with app.run_test(size=(80, 10)) as pilot:
        footer = await checked(pilot, counted)
        keys = keys_of(footer)
        assert list(keys) == ["pay", "book"]
        assert all(key.has_class("-compact") is compact and key.compact is compact for key in keys.values())
        assert len(counted["rebuilt"]) == 1
        assert counted["restyled"] == []  # each key styled once, as it was mounted


async def test_a_key_that_can_act_now_is_lit_in_place_and_the_footer_is_not_rebuilt(
    counted: dict[str, list[object]]
) -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 10)) as pilot:
        footer = await checked(pilot, counted)
        screen = app.screen
        assert isinstance(screen, KeysScreen)
        pay = keys_of(footer)["pay"]
        assert pay.has_class("-disabled")
        built = len(counted["rebuilt"])

        screen.due = True
        screen.refresh_bindings()
        await checked(pilot, counted)
        assert keys_of(footer)["pay"] is pay and not pay.has_class("-disabled")
        assert len(counted["rebuilt"]) == built

        screen.refresh_bindings()  # nothing changed: nothing done
        await checked(pilot, counted)
        assert len(counted["rebuilt"]) == built


async def test_a_key_that_appears_rebuilds_the_footer_with_it(counted: dict[str, list[object]]) -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 10)) as pilot:
        footer = await checked(pilot, counted)
        screen = app.screen
        assert isinstance(screen, KeysScreen)
        built = len(counted["rebuilt"])

        screen.armed = True
        screen.refresh_bindings()
        await checked(pilot, counted)
        keys = keys_of(footer)
        assert list(keys) == ["pay", "book", "undo"]
        assert all(key.has_class("-compact") for key in keys.values())
        assert len(counted["rebuilt"]) == built + 1
