"""Plain words for appointments in tables: when, and whether it is paid.

The payment state is always said in words ("UNPAID $80.00", "paid", "cancelled", "no-show"), the
colour only repeats it. Colours come from the current theme (`$text-error`, `$text-success`), so
they read well in light and dark themes.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import App

from frontdesk.domain.kinds import AppointmentStatus
from frontdesk.domain.money import Currency, format_money
from frontdesk.domain.periods import to_local
from frontdesk.services.views import AppointmentView


def tone(app: App, name: str) -> str:
    """A Rich style for text in the theme's `name` colour ("error", "success", "warning")."""
    return app.theme_variables.get(f"text-{name}") or app.theme_variables.get(name) or ""


def when_text(moment: datetime, tz: ZoneInfo, today: date) -> str:
    """ "Tue 3 Mar 14:00"; another year: "Wed 1 Jan 2025 03:00" (the same words, and its year)."""
    local = to_local(moment, tz)
    return f"{day_text(local.date(), today)} {local:%H:%M}"


def day_text(day: date, today: date) -> str:
    """ "Tue 3 Mar" this year, "Wed 1 Jan 2025" another year."""
    return f"{day:%a %-d %b}" if day.year == today.year else f"{day:%a %-d %b %Y}"


def state_text(appointment: AppointmentView, currency: Currency, app: App) -> Text:
    """ "UNPAID $80.00" (bold, error colour), "paid", "cancelled", "cancelled · refunded $80.00",
    "no-show", "no-show · charged"."""
    if appointment.status == AppointmentStatus.CANCELLED:
        refunded = f" · refunded {format_money(appointment.refunded, currency)}" if appointment.refunded else ""
        return Text(f"cancelled{refunded}", style="dim")
    if appointment.status == AppointmentStatus.NO_SHOW:
        return Text("no-show · charged" if appointment.paid else "no-show", style="dim")
    if appointment.is_paid:
        return Text("paid", style=tone(app, "success"))
    return Text(f"UNPAID {format_money(appointment.due, currency)}", style=f"bold {tone(app, 'error')}".strip())
