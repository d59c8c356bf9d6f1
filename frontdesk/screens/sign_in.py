"""Who is at the desk: pick your name, type your PIN.

`SignInScreen` opens when the app starts, when the desk locks itself after being left idle, and
when someone switches the person at the desk (ctrl+l from any screen). It is a full screen, so
nothing of the screen underneath shows. On a new database with nobody on the staff list,
`OwnerSetupScreen` asks for the owner (a manager) first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from frontdesk.screens.base import DeskScreen
from frontdesk.services.errors import FrontDeskError, InvalidInput
from frontdesk.widgets.fields import field_error, sentence
from frontdesk.widgets.keys_in_order import FieldInput
from frontdesk.widgets.footer import KeysFooter

if TYPE_CHECKING:  # the use cases (and the ORM under them) load in the workers, after the screen shows
    from frontdesk.services.staff import SignIn
    from frontdesk.services.views import StaffView


class PinInput(FieldInput):
    """The PIN: Enter sends it as typed then; keys typed after it (a receptionist going on with a
    customer's name while the PIN is checked) are held for the screen signing in opens."""

    sent: str | None = None  # the PIN as it was when Enter was pressed

    async def action_submit(self) -> None:
        self.sent = self.value
        if self.value:
            self.app.hold_keys()  # type: ignore[attr-defined]
        await super().action_submit()


class SignInScreen(DeskScreen["StaffView"]):
    """↑↓ picks a name, type the PIN, Enter. Dismisses with who signed in.

    The PIN field keeps the focus the whole time (↑↓ move the highlighted name), so keys that
    arrive in one burst — a fast typist over SSH — all land where they were meant to."""

    BINDINGS = [
        Binding("up", "move(-1)", "Name above", show=False),
        Binding("down", "move(1)", "Name below", show=False),
        Binding("escape", "clear", "Clear", tooltip="Clear the PIN typed so far", id="sign-in-clear"),
        Binding("ctrl+q", "app.quit", "Quit", tooltip="Leave Front Desk", id="sign-in-quit"),
    ]

    @dataclass
    class NamesRead(Message):
        staff: list[StaffView]

    @dataclass
    class Answered(Message):
        answer: SignIn

    def __init__(self, reason: str = "", *, last: StaffView | None = None) -> None:
        super().__init__()
        self.reason = reason  # why the desk asks ("Locked after 5 minutes without use.")
        self.last = last  # who was at the desk before: highlighted, as they are likely back
        self.staff: list[StaffView] = []
        self.named = False  # the names have been read
        self.send_when_named = False  # Enter came before the names: the PIN goes as soon as they do
        self.moved = 0  # ↑↓ pressed before the names arrived
        self.checking = False

    def compose(self) -> ComposeResult:
        with Vertical(id="sign-in-box"):
            yield Static("Front Desk", id="sign-in-title")
            yield Static(self.reason or "Who is at the desk?", id="sign-in-reason")
            yield OptionList(id="sign-in-names")
            yield Label("PIN", id="sign-in-pin-label")
            yield PinInput(id="pin", password=True, placeholder="↑↓ your name, then your PIN and Enter", max_length=8)
            yield field_error("pin")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#sign-in-box").border_title = "Sign in"
        self.query_one(OptionList).can_focus = False  # the PIN field keeps the focus; ↑↓ pick the name
        self.query_one("#pin", Input).focus()
        if self.app.desk is not None:  # else the app reads them once it has opened the database
            self.read_names()

    @work(thread=True, exclusive=True, group="names", exit_on_error=False)
    def read_names(self) -> None:
        from frontdesk.services import staff

        self.post_fresh(self.NamesRead(self.desk.read(staff.sign_in_list)))

    @on(NamesRead)
    def names_read(self, message: NamesRead) -> None:
        self.staff = message.staff
        self.named = True
        names = self.query_one(OptionList)
        names.clear_options()
        names.add_options(Option(Text(member.name + ("  · manager" if member.is_manager else "")), id=str(member.id))
                          for member in self.staff)
        last = self.last
        start = next((i for i, m in enumerate(self.staff) if last and m.id == last.id), 0)
        names.highlighted = (start + self.moved) % len(self.staff) if self.staff else 0
        self.query_one("#pin", Input).focus()
        if self.send_when_named:
            self.send_when_named = False
            self.pin_sent()

    @property
    def chosen(self) -> StaffView | None:
        highlighted = self.query_one(OptionList).highlighted
        return self.staff[highlighted] if highlighted is not None and 0 <= highlighted < len(self.staff) else None

    @on(OptionList.OptionSelected)
    def name_chosen(self) -> None:
        self.query_one("#pin", Input).focus()

    def action_move(self, step: int) -> None:
        names = self.query_one(OptionList)
        if not self.named:
            self.moved += step
        elif self.staff:
            names.highlighted = ((names.highlighted or 0) + step) % len(self.staff)

    def action_clear(self) -> None:
        self.query_one("#pin", Input).value = ""

    @on(Input.Submitted, "#pin")
    def pin_sent(self) -> None:
        if not self.named:  # typed at once when the app opened: sent when the names arrive
            self.send_when_named = True
            return
        member, box = self.chosen, self.query_one("#pin", PinInput)
        pin = box.value if box.sent is None else box.sent  # as it was at Enter, not with what came after
        box.sent = None
        if member is None or self.checking:
            self.app.release_keys()
            return
        if not pin:
            self._say("Type your PIN.")
            self.app.release_keys()
            return
        self.checking = True
        self._say("")
        self.check(member.id, pin)
        box.value = ""

    @work(thread=True, exclusive=True, group="sign-in", exit_on_error=False)
    def check(self, staff_id: int, pin: str) -> None:
        """The PIN is checked off the UI thread: its hash takes about 100 ms on purpose."""
        from frontdesk.services import staff

        desk = self.desk
        self.post_fresh(self.Answered(desk.write(staff.sign_in, staff_id=staff_id, pin=pin)))

    @on(Answered)
    def answered(self, message: Answered) -> None:
        self.checking = False
        answer = message.answer
        if answer.staff is None:
            self.app.drop_held_keys()  # typed ahead for home: in the PIN field they would cost a try
            self._say(answer.refusal)
            self.query_one("#pin", Input).focus()
            return
        self.dismiss(answer.staff)  # home gives the keys typed ahead to its search

    def work_failed(self, group: str, error: FrontDeskError) -> None:
        self.checking = False
        self.app.drop_held_keys()
        self._say(error.message)

    def _say(self, message: str) -> None:
        error = self.query_one("#pin-error", Static)
        error.update(sentence(message))
        error.display = bool(message)


class OwnerSetupScreen(DeskScreen["StaffView"]):
    """A new database: the owner's name and PIN (twice). The owner is a manager."""

    BINDINGS = [Binding("ctrl+q", "app.quit", "Quit", tooltip="Leave Front Desk", id="owner-quit")]
    FIELDS = ("name", "pin", "pin-again")

    @dataclass
    class Created(Message):
        owner: StaffView

    def compose(self) -> ComposeResult:
        with Vertical(id="sign-in-box"):
            yield Static("Front Desk", id="sign-in-title")
            yield Static("Nobody is on the staff list yet. Who is the owner? They manage the desk: "
                         "packages, staff, adjustments.", id="sign-in-reason")
            yield Label("Name")
            yield FieldInput(id="name", placeholder="First and last name")
            yield field_error("name")
            yield Label("PIN (4 to 8 digits)")
            yield FieldInput(id="pin", password=True, max_length=8)
            yield field_error("pin")
            yield Label("PIN again")
            yield FieldInput(id="pin-again", password=True, max_length=8)
            yield field_error("pin-again")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#sign-in-box").border_title = "Set up the owner"
        self.query_one("#name", Input).focus()

    def field_after(self, field: Widget) -> Widget | None:
        """Enter moves to the next field at once, before the next key is read (the fields are
        `FieldInput`s); in the last one it sets up the owner."""
        index = self.FIELDS.index(field.id) if field.id in self.FIELDS else len(self.FIELDS)
        return self.query_one(f"#{self.FIELDS[index + 1]}") if index + 1 < len(self.FIELDS) else None

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        following = self.field_after(event.input)
        if following is not None:
            if self.focused is event.input:
                following.focus()
            return
        values = {field: self.query_one(f"#{field}", Input).value for field in self.FIELDS}
        if values["pin"] != values["pin-again"]:
            self.show({"pin-again": "The two PINs differ: type the same PIN twice."})
            return
        self.show({})
        self.create(values["name"], values["pin"])

    @work(thread=True, exclusive=True, group="owner", exit_on_error=False)
    def create(self, name: str, pin: str) -> None:
        from frontdesk.services import staff

        desk = self.desk
        owner = desk.write(staff.create_owner, name=name, pin=pin)
        answer = desk.write(staff.sign_in, staff_id=owner.id, pin=pin)
        self.post_fresh(self.Created(answer.staff or owner))

    @on(Created)
    def created(self, message: Created) -> None:
        self.dismiss(message.owner)

    def work_failed(self, group: str, error: FrontDeskError) -> None:
        self.show(error.fields if isinstance(error, InvalidInput) else {"name": error.message})

    def show(self, errors: dict[str, str]) -> None:
        for field in self.FIELDS:
            box = self.query_one(f"#{field}-error", Static)
            box.update(sentence(errors.get(field, "")))
            box.display = field in errors
        first = next((field for field in self.FIELDS if field in errors), None)
        if first:
            self.query_one(f"#{first}", Input).focus()
