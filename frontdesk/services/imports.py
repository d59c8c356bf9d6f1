"""Bringing customers, and the packages they still hold, over from another system (managers).

`plan_import` is the dry run: every row of the file with what it will create, or every reason it
is rejected (the rules are `frontdesk.domain.importing`), and the totals. `run_import` plans the
rows again inside the caller's transaction and writes them all there, or nothing: it refuses
while any row is rejected, unless the manager accepted the report (`skip_rejected`: the rejected
rows are left out).

An imported holding copies the catalogue package's terms as they are today. It is bought on the
purchase date given, at midnight in the business's time zone (so a purchase dated today is never
after the import, and the day of purchase is the date the file gives); it is valid through the
expiry given, or the one the package's terms give from that date. Its line starts from the units
the package is sold with (`initial`), its balance is what is left, and ONE `import` ledger entry
per line adds that balance (the ledger's sum is the balance), its note saying where it came from:
"imported from clients.csv, row 7". A price paid of 0 makes it complimentary (as if assigned).
What it is worth on the books is what is left of what was paid (`Movement.IMPORTED`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timezone

from sqlalchemy import func
from sqlmodel import Session, col, select

from frontdesk.domain.business import Business
from frontdesk.domain.contacts import phone_key
from frontdesk.domain.importing import (
    CataloguePackage,
    HoldingRecord,
    KnownCustomer,
    check_rows,
    name_key,
    source_rows,
)
from frontdesk.domain.kinds import EntryKind
from frontdesk.domain.money import format_money
from frontdesk.domain.periods import local_date
from frontdesk.domain.terms import describe_amount, opening_balances
from frontdesk.models import Customer, Holding, HoldingLine, Package
from frontdesk.services.audit import AuditKind, record
from frontdesk.services.catalogue import package_terms
from frontdesk.services.customers import customer_row, index_words
from frontdesk.services.errors import FrontDeskError, InvalidInput
from frontdesk.services.ledger import append_entry
from frontdesk.services.roles import clock, require_manager

SOURCE_MAX_LENGTH = 200  # the file's name, as the entries' notes and the audit trail give it
_CHUNK = 500  # values per IN (...) when looking for customers already on file


@dataclass(frozen=True, slots=True)
class PlannedRow:
    """A row of the file: the customer and package it brings, or every reason it is rejected."""

    row: int  # as a spreadsheet numbers it (the header is row 1)
    name: str
    phone: str
    email: str
    notes: str
    holding: HoldingRecord | None  # None: a customer only, or rejected
    left_text: str  # what is left, in words: "3 visits", "$50.00", "unlimited"; "" without a package
    reasons: tuple[str, ...]
    first_row: int  # her first row in the file (several rows, one customer)
    new_customer: bool  # the customer is added with this row (her first accepted one)

    @property
    def accepted(self) -> bool:
        return not self.reasons


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """The dry run of a file: every row, in file order."""

    rows: list[PlannedRow]
    ignored_columns: tuple[str, ...] = ()  # headings not understood, left out

    @property
    def accepted(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.accepted]

    @property
    def rejected(self) -> list[PlannedRow]:
        return [row for row in self.rows if not row.accepted]

    @property
    def customers(self) -> int:
        """Customers the import adds."""
        return sum(row.new_customer for row in self.rows)

    @property
    def holdings(self) -> int:
        """Packages the import opens."""
        return sum(row.holding is not None for row in self.accepted)

    @property
    def worth(self) -> int:
        """What the imported packages are worth: the liability they bring (minor units)."""
        return sum(row.holding.worth for row in self.accepted if row.holding is not None)


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import wrote."""

    plan: ImportPlan
    customer_ids: list[int]
    holding_ids: list[int]
    worth: int  # the liability brought over (minor units)
    left_out: int  # rejected rows left out


class ImportRefused(FrontDeskError):
    """Nothing was imported; `plan` says row by row why (the message says it in a sentence)."""

    def __init__(self, message: str, plan: ImportPlan) -> None:
        super().__init__(message)
        self.plan = plan


def _chunks(values: Iterable[str]) -> Iterator[list[str]]:
    values = sorted(values)
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]


def _known(session: Session, phones: set[str], emails: set[str]) -> list[KnownCustomer]:
    """The customers on file with one of these phone numbers (E.164 digits) or emails (lower case);
    not those merged into another."""
    found: dict[int, Customer] = {}
    for chunk in _chunks(phones):
        found.update((row.id, row) for row in session.exec(select(Customer).where(
            col(Customer.phone_digits).in_(chunk), col(Customer.merged_into_id).is_(None))))
    for chunk in _chunks(emails):
        found.update((row.id, row) for row in session.exec(select(Customer).where(
            func.lower(Customer.email).in_(chunk), col(Customer.merged_into_id).is_(None))))
    return [KnownCustomer(row.id, row.name, row.phone, row.email) for _, row in sorted(found.items())]


def _catalogue(session: Session, titles: set[str]) -> list[CataloguePackage]:
    """The catalogue's packages (archived ones too) with one of these titles (as `name_key` has them)."""
    rows = session.exec(select(Package).order_by(Package.id)).all() if titles else []
    return [CataloguePackage(row.id, package_terms(session, row), row.archived)
            for row in rows if name_key(row.title) in titles]


def plan_import(session: Session, business: Business, rows: Sequence[Sequence[str]]) -> ImportPlan:
    """The dry run (managers): each row of a table read from a CSV file (header first) with what it
    will create or every reason it is rejected. A file whose header will not do raises InvalidInput."""
    require_manager(session, "import customers")
    try:
        header, source = source_rows(rows)
    except ValueError as error:
        raise InvalidInput({"file": str(error)}) from None
    today = local_date(clock(session), business.tz)
    titles = {name_key(row.package) for row in source if row.package}
    region = business.phone_region
    known = _known(session, {key for row in source if (key := phone_key(row.phone, region))},
                   {row.email.strip().lower() for row in source if row.email.strip()})
    checked = check_rows(source, packages=_catalogue(session, titles), known=known, currency=business.currency,
                         today=today, region=region)
    added: set[int] = set()
    planned = []
    for row in checked:
        new = row.accepted and row.first_row not in added
        if new:
            added.add(row.first_row)
        holding = row.holding
        left = "" if holding is None else describe_amount(holding.terms, holding.remaining, business.currency)
        planned.append(PlannedRow(row.row, row.contact.name, row.contact.phone, row.contact.email, row.contact.notes,
                                  holding, left, row.reasons, row.first_row, new))
    return ImportPlan(planned, header.ignored)


def _open(session: Session, business: Business, *, customer_id: int, holding: HoldingRecord, actor: int,
          now: datetime, note: str) -> Holding:
    """The holding as it stood in the other system, with its `import` entry."""
    bought = datetime.combine(holding.purchased_on, time(0), business.tz).astimezone(timezone.utc)
    row = Holding(customer_id=customer_id, package_id=holding.package_id, title=holding.terms.title,
                  terms=holding.terms.to_dict(), purchased_at=bought, valid_until=holding.valid_until,
                  opened_until=holding.valid_until, price_paid=holding.price_paid, assigned=holding.complimentary,
                  created_by=actor, unit=holding.terms.unit, provider_id=holding.terms.provider_id)
    session.add(row)
    session.flush()
    (service_id, initial), = opening_balances(holding.terms)  # one line: bundles of several are refused
    line = HoldingLine(holding_id=row.id, position=0, service_id=service_id, initial=initial,
                       remaining=holding.remaining)
    session.add(line)
    session.flush()
    append_entry(session, holding_id=row.id, line_id=line.id, kind=EntryKind.IMPORT, delta=holding.remaining,
                 balance_after=holding.remaining, actor=actor, at=now, note=note)
    return row


def run_import(
    session: Session, business: Business, rows: Sequence[Sequence[str]], *, source: str,
    skip_rejected: bool = False, agreed: ImportPlan | None = None,
) -> ImportResult:
    """Import the rows (managers), all in the caller's transaction. `source` names where they came
    from (the file's name). The rows are planned again here: while any is rejected nothing is
    imported (ImportRefused, with the plan) unless `skip_rejected` — the manager accepted the
    report, and the rejected rows are left out. With `agreed` (the dry run the manager accepted),
    the import is refused when the rows it would import are no longer exactly those."""
    actor = require_manager(session, "import customers")
    source = " ".join(source.split())
    if not source:
        raise InvalidInput({"source": "Say where the rows come from (the file's name)."})
    if len(source) > SOURCE_MAX_LENGTH:
        raise InvalidInput({"source": f"At most {SOURCE_MAX_LENGTH} characters."})
    plan = plan_import(session, business, rows)
    if agreed is not None and agreed.accepted != plan.accepted:
        raise ImportRefused("The file or the customers on file changed since the dry run: nothing was imported. "
                            "Check it again.", plan)
    if plan.rejected and not skip_rejected:
        count = len(plan.rejected)
        raise ImportRefused(f"{count} row{'' if count == 1 else 's'} rejected: nothing was imported.", plan)
    if not plan.accepted:
        raise ImportRefused("No row can be imported: nothing was imported.", plan)

    now = clock(session)
    customers: dict[int, int] = {}  # her first row → her id
    holding_ids = []
    for row in plan.accepted:
        note = f"imported from {source}, row {row.row}"
        if row.new_customer:
            customer = customer_row(business, name=row.name, phone=row.phone, email=row.email, note=row.notes, at=now)
            session.add(customer)
            session.flush()
            index_words(session, customer)
            customers[row.first_row] = customer.id
            contact = " · ".join(part for part in (row.name, row.phone, row.email, row.notes) if part)
            record(session, kind=AuditKind.CUSTOMER_ADDED, at=now, staff_id=actor, customer_id=customer.id,
                   subject=f"customer {customer.id}", detail=f"{contact} · {note}")
        if row.holding is not None:
            holding_ids.append(_open(session, business, customer_id=customers[row.first_row], holding=row.holding,
                                     actor=actor, now=now, note=note).id)
    left_out = len(plan.rejected)
    record(session, kind=AuditKind.IMPORT, at=now, staff_id=actor, subject=f"import {source}",
           detail=f"{plan.customers} customers and {plan.holdings} packages worth "
                  f"{format_money(plan.worth, business.currency)} imported from {source}; "
                  f"{left_out} rejected row{'' if left_out == 1 else 's'} left out")
    session.flush()
    return ImportResult(plan, list(customers.values()), holding_ids, plan.worth, left_out)

