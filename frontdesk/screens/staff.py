"""The staff list (managers, f6): add people, change roles, reset PINs, deactivate and bring back.

`n` adds someone (name, role, PIN twice), `r` switches the highlighted person between reception
and manager, `p` sets a new PIN (which also lifts a lock), `d` deactivates or brings back. The
desk always keeps an active manager; every change is on the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Header, Input, Label, Static

from frontdesk.domain.kinds import Role
from frontdesk.domain.pins import pin_problem
from frontdesk.screens.base import DeskScreen
from frontdesk.screens.dialogs.form import FormDialog
from frontdesk.services import staff
from frontdesk.services.staff import StaffRow
from frontdesk.widgets.fields import field_error
from frontdesk.widgets.fitted import FitColumn, FittedTable
from frontdesk.widgets.keys_in_order import FieldInput
from frontdesk.widgets.footer import KeysFooter

COLUMNS = (FitColumn("Name", "name"), FitColumn("Role", "role"), FitColumn("Signs in", "pin"),
           FitColumn("State", "state"))


@dataclass(frozen=True, slots=True)
class NewPerson:
    name: str
    role: Role
    pin: str


class PinDialog(FormDialog[NewPerson]):
    """A name and role (for someone new) and a PIN typed twice; `name=None` asks only the PIN."""

    FIELDS = ("name", "pin", "pin-again")
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving", id="cancel"),
        Binding("ctrl+s", "submit", "Save", tooltip="Save", id="save"),
        Binding("ctrl+r", "switch_role", "Manager?", tooltip="Switch between reception and manager",
                id="switch-role"),
    ]

    def __init__(self, title: str, *, name: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.fixed_name = name
        self.role = Role.RECEPTION

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            if self.fixed_name is None:
                with Horizontal(classes="form-row"):
                    yield Label("Name", classes="field-label")
                    yield FieldInput(id="name", placeholder="First and last name")
                yield field_error("name")
                yield Static("", id="role-line", classes="dialog-prompt")
            with Horizontal(classes="form-row"):
                yield Label("PIN", classes="field-label")
                yield FieldInput(id="pin", password=True, max_length=8, placeholder="4 to 8 digits")
            yield field_error("pin")
            with Horizontal(classes="form-row"):
                yield Label("Again", classes="field-label")
                yield FieldInput(id="pin-again", password=True, max_length=8)
            yield field_error("pin-again")
            yield field_error("form")
            yield self.buttons()
        yield KeysFooter()

    def on_mount(self) -> None:
        self.show_role()
        super().on_mount()

    def focus_first(self) -> None:
        self.query_one("#name" if self.fixed_name is None else "#pin", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "switch_role":
            return self.fixed_name is None
        return True

    def show_role(self) -> None:
        if self.fixed_name is None:
            self.query_one("#role-line", Static).update(Text.assemble(
                "Role: ", (str(self.role), "bold"), "  (ctrl+r switches to ",
                "reception" if self.role == Role.MANAGER else "manager", ")"))

    def action_switch_role(self) -> None:
        self.role = Role.RECEPTION if self.role == Role.MANAGER else Role.MANAGER
        self.show_role()

    def action_submit(self) -> None:
        pin, again = self.value("pin"), self.value("pin-again")
        problems = {}
        if self.fixed_name is None and not self.value("name").strip():
            problems["name"] = "Enter a name."
        if problem := pin_problem(pin):
            problems["pin"] = problem
        elif pin != again:
            problems["pin-again"] = "The two PINs differ: type the same PIN twice."
        if problems:
            self.show_errors(problems)
            return
        self.finish(NewPerson(self.fixed_name or self.value("name"), self.role, pin))


class StaffScreen(DeskScreen[None]):
    """Everyone on the staff list (managers)."""

    MANAGER_ACTIONS = frozenset({"new", "role", "pin", "active"})
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to where you were", id="staff-back"),
        Binding("n", "new", "New", tooltip="Add someone (their PIN typed twice)", id="staff-new"),
        Binding("r", "role", "Role", tooltip="Switch the highlighted person between reception and manager",
                id="staff-role"),
        Binding("p", "pin", "PIN", tooltip="Set a new PIN for the highlighted person (lifts a lock)", id="staff-pin"),
        Binding("d", "active", "Leave/return", tooltip="Deactivate the highlighted person, or bring them back",
                id="staff-active"),
    ]

    @dataclass
    class RowsRead(Message):
        rows: list[StaffRow]

    @dataclass
    class Changed(Message):
        text: str
        form: str = ""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[StaffRow] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Staff", id="staff-title")
        yield FittedTable(id="staff")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(FittedTable).set_columns(COLUMNS)
        self.query_one(FittedTable).focus()
        self.load()

    @work(thread=True, exclusive=True, group="read", exit_on_error=False)
    def load(self) -> None:
        self.post_fresh(self.RowsRead(self.desk.read(staff.staff_rows)))

    @on(RowsRead)
    def rows_read(self, message: RowsRead) -> None:
        table = self.query_one(FittedTable)
        self.rows = message.rows
        tz = self.desk.business.tz
        table.set_rows([
            (str(row.member.id), [
                Text(row.member.name), Text(str(row.member.role)), Text("PIN" if row.has_pin else "no PIN yet"),
                Text("left" if not row.member.active else
                     f"locked until {row.locked_until.astimezone(tz):%H:%M}" if row.locked_until else "")])
            for row in self.rows
        ])  # the cursor stays on the same person
        active = sum(1 for row in self.rows if row.member.active)
        self.query_one("#staff-title", Static).update(f"Staff · {active} active")
        self.refresh_bindings()

    @property
    def current(self) -> StaffRow | None:
        row = self.query_one(DataTable).cursor_row
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.MANAGER_ACTIONS:
            return True if self.desk.is_manager and (action == "new" or self.current) else None
        return True

    # ---- changes: each a worker that writes, then reads the list again --------------------------

    def _write(self, done: str, use_case: Callable[..., Any], form: str = "", **kwargs: Any) -> None:
        self._run(done, use_case, form, kwargs)

    @work(thread=True, exclusive=True, group="change", exit_on_error=False)
    def _run(self, done: str, use_case: Callable[..., Any], form: str, kwargs: dict[str, Any]) -> None:
        self.desk.write(use_case, **kwargs)
        self.post_fresh(self.Changed(done, form))

    @on(Changed)
    def changed(self, message: Changed) -> None:
        if message.form:
            self.answered(message.form)
        self.notify(message.text)
        self.load()

    def action_new(self) -> None:
        def save(person: NewPerson) -> None:
            self._write(f"Added {person.name} ({person.role}).", staff.add_staff_member, form="change",
                        name=person.name, role=person.role, pin=person.pin)

        self.ask("change", PinDialog("Add someone to the staff list"), save)

    def action_role(self) -> None:
        if (row := self.current) is not None:
            role = Role.RECEPTION if row.member.role == Role.MANAGER else Role.MANAGER
            self._write(f"{row.member.name} is now {role}.", staff.change_role, staff_id=row.member.id, role=role)

    def action_pin(self) -> None:
        if (row := self.current) is not None:
            member = row.member

            def save(person: NewPerson) -> None:
                self._write(f"New PIN for {member.name}.", staff.set_pin, form="change", staff_id=member.id,
                            pin=person.pin)

            self.ask("change", PinDialog(f"New PIN for {member.name}", name=member.name), save)

    def action_active(self) -> None:
        if (row := self.current) is not None:
            active = not row.member.active
            self._write(f"{row.member.name} {'is back' if active else 'has left'}.", staff.set_active,
                        staff_id=row.member.id, active=active)

    def action_back(self) -> None:
        self.app.back_from_area()
