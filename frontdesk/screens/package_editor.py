"""The package editor (managers): create a package or edit one, every field on one form.

On every change it reads the form (`PackageForm`) into the domain's `Terms`, checks them with the
pure `validate_terms` and shows each message under its field, and the plain one-line summary
above the form follows along. ctrl+s saves only a valid form; Escape cancels (asking first when
something was changed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Header, Input, RadioSet, Select, Static

from frontdesk.domain.periods import local_date
from frontdesk.domain.terms import Contents, Terms, summary, validate_terms
from frontdesk.screens.base import DeskScreen
from frontdesk.screens.dialogs.confirm import ConfirmDialog
from frontdesk.services import catalogue
from frontdesk.services.catalogue import PackageEditor, package_editor
from frontdesk.services.errors import FrontDeskError, InvalidInput
from frontdesk.services.views import PackageView
from frontdesk.widgets.fixed_lines import FixedLinesEditor
from frontdesk.widgets.keys_in_order import focus_chain_in_order
from frontdesk.widgets.package_form import FIELD_ORDER, PackageForm, set_text
from frontdesk.widgets.service_checklist import ServiceChecklist
from frontdesk.widgets.weekday_picker import WeekdayPicker
from frontdesk.widgets.footer import KeysFooter

REQUIRED_BLANKS = {"title": "a title", "quantity": "the quantity", "price": "a price"}


def sold_note(sold_count: int) -> str:
    """What the editor says about a package customers already hold."""
    if sold_count == 1:
        return ("Sold or assigned once: that customer keeps the terms they bought — "
                "changes apply to future sales only.")
    return (f"Sold or assigned {sold_count} times: those customers keep the terms they bought — "
            "changes apply to future sales only.")


class PackageEditorScreen(DeskScreen[PackageView]):
    """Create a package (`package_id=None`) or edit one; dismisses with the saved PackageView."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Back to the list (asks first if you changed something)",
                id="cancel-edit"),
        Binding("ctrl+s", "save", "Save", tooltip="Save the package (only when every field is valid)",
                id="save-package"),
        Binding("f2", "cancel", "Packages", show=False),
    ]

    AUTO_FOCUS = "#title"

    @dataclass
    class EditorRead(Message):
        editor: PackageEditor

    @dataclass
    class Saved(Message):
        package: PackageView

    def __init__(self, package_id: int | None = None) -> None:
        super().__init__()
        self.package_id = package_id
        self.data: PackageEditor | None = None
        self.terms: Terms | None = None
        self.messages: dict[str, str] = {}  # every current problem, field → message
        self.server_messages: dict[str, str] = {}  # refusals from the last save, until the next change
        self.touched: set[str] = set()
        self.save_attempted = False
        self.saving = False
        self._initial_state: tuple[Any, ...] | None = None

    # ---- layout -----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        business = self.desk.business
        yield Header()
        with Vertical(id="editor-head"):
            yield Static("Loading…", id="editor-title")
            yield Static("", id="sold-note")
            yield Static("", id="summary")
            yield Static("", id="form-status")
        yield PackageForm(business.currency, local_date(self.desk.now(), business.tz), id="form")
        yield KeysFooter()

    @property
    def focus_chain(self) -> list[Widget]:
        """Tab walks the form's fields as they are shown, one just shown (by the key before) included."""
        return focus_chain_in_order(self)

    @property
    def form(self) -> PackageForm:
        return self.query_one(PackageForm)

    def on_mount(self) -> None:
        self.form.display = False
        self.load()

    @work(thread=True, exclusive=True, group="read", exit_on_error=False)
    def load(self) -> None:
        desk = self.desk
        self.post_fresh(self.EditorRead(desk.read(package_editor, desk.business, package_id=self.package_id)))

    def work_failed(self, group: str, error: FrontDeskError) -> None:
        if group == "save":
            self.save_failed(error)
            return
        if group == "read":
            self.query_one("#editor-title", Static).update(Text(error.message))
        self.show_error(error)

    @on(EditorRead)
    def loaded(self, message: EditorRead) -> None:
        """Fill the form from the package (or defaults for a new one)."""
        self.data = data = message.editor
        package = data.package
        terms = package.terms if package is not None else Terms(title="")
        title = f"Edit package · {package.title}" if package else "New package"
        self.query_one("#editor-title", Static).update(Text(title))
        note = self.query_one("#sold-note", Static)
        if package is not None and package.sold_count:
            note.update(sold_note(package.sold_count))
        note.display = bool(package and package.sold_count)
        form = self.form
        form.fill(terms, new=package is None, services=data.services, providers=data.providers)
        form.display = True
        self._initial_state = form.state()
        self.recheck()
        self.query_one("#title", Input).focus()
        self.refresh_bindings()

    @property
    def changed(self) -> bool:
        return self._initial_state is not None and self.form.state() != self._initial_state

    # ---- checking on every change -----------------------------------------------------------------

    def recheck(self) -> None:
        """Read the form, validate, show the messages, the summary and which parts apply."""
        if self.data is None:
            return
        terms, problems = self.form.read()
        self.terms = terms
        messages = dict(validate_terms(terms, self.data.facts, self.desk.business.currency).messages)
        messages.update(problems)
        fixed = terms.contents is Contents.FIXED
        if fixed and "services" in messages:  # e.g. an archived service among the lines
            messages.setdefault("fixed_lines", messages.pop("services"))
        if fixed:
            for key in ("quantity", "value_type", "services"):
                messages.pop(key, None)
        for key, message in self.server_messages.items():
            messages.setdefault(key, message)
        self.messages = messages
        self.form.show_parts()
        shown = self._shown_messages()
        self.form.show_messages(shown)
        summary_text = Text.assemble(("Summary  ", "bold"), summary(terms, self.desk.business.currency))
        set_text(self.query_one("#summary", Static), summary_text, hide_empty=False)
        self._show_status(shown)

    def _shown_messages(self) -> dict[str, str]:
        """The messages to show now: a new form does not scold fields nobody has filled in yet."""
        hidden = set()
        if self.data is not None and self.data.package is None and not self.save_attempted:
            hidden = {field for field in REQUIRED_BLANKS if field not in self.touched}
        return {field: message for field, message in self.messages.items() if field not in hidden}

    def _show_status(self, shown: dict[str, str]) -> None:
        status = self.query_one("#form-status", Static)
        waiting = [REQUIRED_BLANKS[field] for field in REQUIRED_BLANKS
                   if field in self.messages and field not in shown]
        if shown:
            count = len(shown)
            text = f"{count} field{'s' if count != 1 else ''} to fix before saving (marked below)."
            state = "-problem"
        elif waiting:
            listed = ", ".join(waiting[:-1]) + " and " + waiting[-1] if len(waiting) > 1 else waiting[0]
            text, state = f"Enter {listed}; ctrl+s saves.", ""
        else:
            text, state = "Ready: ctrl+s saves.", "-ready"
        set_text(status, text)
        for name in ("-problem", "-ready"):
            status.set_class(name == state, name)

    def _changed(self, field: str | None = None) -> None:
        if field is not None:
            self.touched.add(field)
        self.server_messages = {}
        self.recheck()

    @on(Input.Changed)
    def input_changed(self, event: Input.Changed) -> None:
        field = {"title": "title", "quantity": "quantity", "price": "price"}.get(event.input.id or "")
        self._changed(field)

    @on(Checkbox.Changed)
    @on(RadioSet.Changed)
    @on(Select.Changed)
    @on(ServiceChecklist.SelectedChanged)
    @on(WeekdayPicker.Changed)
    @on(FixedLinesEditor.Changed)
    def choice_changed(self) -> None:
        self._changed()

    # ---- saving -----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":
            return None if self.data is None or self.saving else True
        return True

    def action_save(self) -> None:
        if self.data is None or self.saving:
            return
        self.save_attempted = True
        self.recheck()
        if self.messages or self.terms is None:
            first = next(field for field in (*FIELD_ORDER, *self.messages) if field in self.messages)
            self.form.focus_problem(first)
            count = len(self.messages)
            self.notify(f"Not saved: {count} field{'s' if count != 1 else ''} to fix.", severity="warning")
            return
        self.saving = True
        self.refresh_bindings()
        self.save(self.terms)

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def save(self, terms: Terms) -> None:
        desk = self.desk
        self.post_fresh(self.Saved(desk.write(catalogue.save_package, desk.business, terms=terms,
                                              package_id=self.package_id)))

    @on(Saved)
    def saved(self, message: Saved) -> None:
        self.saving = False
        view = message.package
        self.notify(f"Saved {view.title}: {view.summary}.")
        self.dismiss(view)

    def save_failed(self, error: FrontDeskError) -> None:
        self.saving = False
        self.refresh_bindings()
        if isinstance(error, InvalidInput):
            self.server_messages = dict(error.fields)
            self.recheck()
            first = next((field for field in (*FIELD_ORDER, *error.fields) if field in error.fields), "title")
            self.form.focus_problem(first)
            self.notify(f"Not saved: {error.message}", severity="error", timeout=8)
        else:
            self.show_error(error)

    # ---- leaving ----------------------------------------------------------------------------------

    def action_cancel(self) -> None:
        if not self.changed:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog("Discard your changes to this package?", confirm_label="Discard",
                          cancel_label="Keep editing"),
            answered,
        )
