"""A customer's statement as an HTML page that prints cleanly, and the same page as a PDF.

The page is made from the `Statement` read model by a Jinja2 template (autoescaped: names and
notes are shown as typed, never as markup). The PDF is WeasyPrint's rendering of that same HTML.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from importlib.resources import files
from pathlib import Path

import platformdirs
from jinja2 import Environment, select_autoescape

from frontdesk.domain.business import Business
from frontdesk.domain.describe import entry_words
from frontdesk.domain.periods import to_local
from frontdesk.services.errors import FrontDeskError
from frontdesk.services.statement import Statement



def _when(moment: datetime, business: Business) -> str:
    return f"{to_local(moment, business.tz):%-d %b %Y %H:%M}"


def render_html(statement: Statement, business: Business, *, business_name: str = "Front Desk") -> str:
    """The statement page."""
    environment = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    template = environment.from_string(files("frontdesk.documents").joinpath("statement.html.j2")
                                       .read_text(encoding="utf-8"))
    customer = statement.customer
    return template.render(
        business_name=business_name, customer=customer,
        contact=[part for part in (customer.phone, customer.email) if part],
        at=_when(statement.at, business), zone=business.tz.key, prepared_by=statement.prepared_by,
        holdings=[{"title": view.title, "status": str(view.status), "balance": view.balance_text,
                   "expiry": view.expiry_text, "restrictions": view.restrictions_text,
                   "bought": f"{to_local(view.purchased_at, business.tz):%-d %b %Y}"}
                  for view in statement.holdings],
        history=[{"when": _when(line.at, business),
                  "what": f"{entry_words(line.kind)} {line.holding_title}"
                          + (f" — {line.note}" if line.note and str(line.kind) != "redeem" else ""),
                  "change": line.delta_text, "after": line.balance_text, "who": line.staff_name}
                 for line in statement.history],
    )


def file_name(statement: Statement, business: Business, suffix: str) -> str:
    """ "statement-maria-lopez-2026-03-02.pdf" """
    slug = re.sub(r"[^a-z0-9]+", "-", statement.customer.name.lower()).strip("-") or "customer"
    return f"statement-{slug}-{to_local(statement.at, business.tz):%Y-%m-%d}{suffix}"


def write(statement: Statement, business: Business, target: Path) -> Path:
    """Write the statement to `target`: a PDF when it ends in .pdf, else HTML."""
    html = render_html(statement, business)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.suffix.lower() == ".pdf":
        try:
            from weasyprint import HTML  # loaded only when a PDF is asked for: it takes a while
        except (ImportError, OSError) as error:  # the Pango libraries are missing
            raise FrontDeskError("PDF statements need the Pango libraries (Debian: libpango-1.0-0 and "
                                 "libpangoft2-1.0-0); the HTML page can be printed meanwhile.") from error
        HTML(string=html).write_pdf(target)
    else:
        target.write_text(html, encoding="utf-8")
    return target


def statements_folder() -> Path:
    """Where the desk writes statements: FRONTDESK_STATEMENTS_DIR, else "Front Desk statements" in
    the user's documents folder."""
    chosen = os.environ.get("FRONTDESK_STATEMENTS_DIR", "").strip()
    return Path(chosen).expanduser() if chosen else platformdirs.user_documents_path() / "Front Desk statements"


def write_both(statement: Statement, business: Business, folder: Path) -> tuple[Path, Path]:
    """The HTML page and its PDF, side by side in `folder`."""
    try:
        return (write(statement, business, folder / file_name(statement, business, ".html")),
                write(statement, business, folder / file_name(statement, business, ".pdf")))
    except OSError as error:
        raise FrontDeskError(f"Could not write the statement in {folder}: {error.strerror or error}. "
                             "Set FRONTDESK_STATEMENTS_DIR to a folder this desk can write to.") from error
