"""A checklist of services: ↑/↓ move, space or Enter ticks a service on or off."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.text import Text
from textual.widgets import SelectionList
from textual.widgets.selection_list import Selection

from frontdesk.domain.describe import format_duration
from frontdesk.services.views import ServiceView


class ServiceChecklist(SelectionList[int]):
    """Services by id; archived ones appear only while they are ticked, marked "archived"."""

    DEFAULT_CSS = """
    ServiceChecklist {
        height: auto;
        max-height: 8;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, compact=True)
        self._names: dict[int, str] = {}

    def set_services(self, services: Sequence[ServiceView], selected: Iterable[int] = ()) -> None:
        """Offer every active service and any archived one in `selected`; tick `selected`."""
        chosen = set(selected)
        self.clear_options()
        self._names = {service.id: service.name for service in services}
        options = []
        for service in services:
            if service.archived and service.id not in chosen:
                continue
            label = Text(service.name)
            label.append(f"  {format_duration(service.duration_min)}", style="dim")
            if service.archived:
                label.append("  archived", style="italic")
            options.append(Selection(label, service.id, service.id in chosen))
        self.add_options(options)
        first = next((index for index, option in enumerate(options) if option.value in chosen), None)
        if first is not None:
            self.highlighted = first  # the first ticked service is in view

    def on_focus(self) -> None:
        if self.highlighted is None and self.option_count:
            self.highlighted = 0  # space ticks the first service straight away

    @property
    def selected_ids(self) -> tuple[int, ...]:
        """Ticked services in id order (the order the catalogue stores them)."""
        return tuple(sorted(self.selected))

    def names_of(self, service_ids: Iterable[int]) -> tuple[str, ...]:
        return tuple(self._names.get(service_id, f"Service #{service_id}") for service_id in service_ids)
