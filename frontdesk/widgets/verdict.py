"""Plain words for whether a package covers an appointment: "✓ covers — takes 1 visit" or
"✗ Mondays only; 10:00–13:00 only". Checkout, booking and the sell dialog all say it this way."""

from __future__ import annotations

from rich.text import Text

from frontdesk.domain.coverage import Coverage
from frontdesk.domain.terms import Contents, Terms, ValueType


def take_words(coverage: Coverage, terms: Terms) -> str:
    """What a covering holding takes: "takes 1 visit", "takes 1 h", "pays $40.00 of $80.00",
    "takes 1 × Thai Massage", "unlimited use"; with why other bookings' holds make it less:
    "pays $20.00 of $80.00 (only $20.00 free of $80.00 left: $60.00 held for …)"."""
    take = coverage.take
    if take is None:
        return ""
    if terms.contents is Contents.ANY and terms.value_type is ValueType.AMOUNT:
        return f"pays {take.description}" + (f" ({coverage.note})" if coverage.note else "")
    if terms.contents is Contents.ANY and terms.value_type is ValueType.UNLIMITED:
        return take.description
    return f"takes {take.description}"


def verdict(coverage: Coverage | None, terms: Terms) -> Text:
    """"✓ covers — takes 1 visit" / "✗ Mondays only; 10:00–13:00 only" (empty without a verdict)."""
    if coverage is None:
        return Text("")
    if coverage.ok:
        return Text.assemble(("✓ covers", "bold green"), f" — {take_words(coverage, terms)}")
    return Text.assemble(("✗ ", "bold red"), "; ".join(coverage.reasons))
