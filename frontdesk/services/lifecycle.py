"""A holding's life after its sale (managers): extend its expiry, one holding or many at once;
freeze it for a while; move what is left to another customer.

Each is a ledger entry in the same transaction as the change: an expiry that moves is carried by
the entry (`valid_until`), so the history, the statement and every past roll-forward read the
expiry as it stood at the time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from frontdesk.domain.business import Business
from frontdesk.domain.describe import HoldingStatus
from frontdesk.domain.kinds import EntryKind
from frontdesk.domain.lifecycle import Freeze, check_days, check_freeze, check_new_expiry, extended, unfrozen_days
from frontdesk.domain.money import format_money
from frontdesk.domain.periods import local_date
from frontdesk.domain.terms import Contents, Terms, ValueType
from frontdesk.domain.words import format_day, plural
from frontdesk.models import Customer, Holding, HoldingLine
from frontdesk.services.audit import AuditKind, record
from frontdesk.services.errors import InvalidInput, require_reason
from frontdesk.services.ledger import append_entry, credit, lock_holding, lock_lines, spend
from frontdesk.services.liability import worth_now
from frontdesk.services.roles import clock, require_manager
from frontdesk.services.views import HoldingView, holding_views


def _lock_holding(session: Session, holding_id: int) -> Holding:
    """The holding, locked for this transaction (and read fresh): two desks changing it queue here,
    and so does a checkout spending it. Its lines are locked first, then the holding, the order a
    checkout takes them in (its redemption updates the holding's cached balance)."""
    return lock_holding(session, holding_id)[0]


def _view(session: Session, business: Business, holding: Holding) -> HoldingView:
    return holding_views(session, [holding], business, clock(session))[0]


def _refuse_closed(view: HoldingView, field: str) -> None:
    if view.status is HoldingStatus.VOID:
        raise InvalidInput({field: "This package is void."})
    if view.status is HoldingStatus.MOVED:
        raise InvalidInput({field: "This package was moved to another customer."})


def _mark_expiry(session: Session, holding: Holding, *, kind: EntryKind, until: date | None, actor: int,
                 note: str) -> None:
    """An entry on the holding's first line that carries its new expiry (the balance is unchanged)."""
    first = session.exec(select(HoldingLine).where(HoldingLine.holding_id == holding.id)
                         .order_by(HoldingLine.position)).first()
    append_entry(session, holding_id=holding.id, line_id=first.id, kind=kind, delta=0,
                 balance_after=first.remaining, actor=actor, at=clock(session), note=note, valid_until=until)
    holding.valid_until = until
    session.add(holding)
    session.flush()


# ---- extend --------------------------------------------------------------------------------------

def extend(session: Session, business: Business, *, holding_id: int, days: int, reason: str) -> HoldingView:
    """A manager moves a holding's expiry `days` later, with a reason. An expired holding is usable
    again when its new expiry is today or later."""
    actor = require_manager(session, "extend a package")
    reason = require_reason(reason)
    problem = check_days(days)
    if problem:
        raise InvalidInput({"days": problem})
    holding = _lock_holding(session, holding_id)
    view = _view(session, business, holding)
    _refuse_closed(view, "days")
    if holding.valid_until is None:
        raise InvalidInput({"days": "This package has no expiry to extend."
                            if not view.terms.starts_on_first_visit else
                            "Its validity starts at the first visit: there is no expiry to extend yet."})
    before = holding.valid_until
    after = extended(before, days)
    today = local_date(clock(session), business.tz)
    if problem := check_new_expiry(after, today):
        raise InvalidInput({"days": problem})
    year = today.year
    _mark_expiry(session, holding, kind=EntryKind.EXTEND, until=after, actor=actor,
                 note=f"{reason} (expiry {format_day(before, year)} → {format_day(after, year)})")
    record(session, kind=AuditKind.EXTEND, at=clock(session), staff_id=actor, customer_id=holding.customer_id,
           subject=f"holding {holding.id}",
           detail=f"{holding.title}: {plural(days, 'day')} more, to {format_day(after, year)}: {reason}")
    return _view(session, business, holding)


def _extendable(session: Session, business: Business, package_id: int | None) -> list[Holding]:
    """Every holding still in use (not void, not moved, not expired, with something left) that has an
    expiry, of one package or of all: what a bulk extension moves."""
    statement = select(Holding).where(col(Holding.voided_at).is_(None), col(Holding.valid_until).is_not(None),
                                      col(Holding.valid_until) >= local_date(clock(session), business.tz))
    if package_id is not None:
        statement = statement.where(Holding.package_id == package_id)
    rows = list(session.exec(statement.order_by(Holding.id)))
    views = {view.id: view for view in holding_views(session, rows, business, clock(session))}
    return [row for row in rows if views[row.id].status is HoldingStatus.ACTIVE]


@dataclass(frozen=True, slots=True)
class BulkExtension:
    """What a bulk extension moves (before it is asked) or moved."""

    holdings: int
    customers: int
    days: int
    package_title: str | None  # None: every package


def bulk_extend_preview(
    session: Session, business: Business, *, days: int, package_id: int | None = None,
) -> BulkExtension:
    """How many holdings (and customers) a bulk extension would move (managers)."""
    require_manager(session, "extend packages")
    rows = _extendable(session, business, package_id)
    return BulkExtension(len(rows), len({row.customer_id for row in rows}), days, _package_title(rows, package_id))


def _package_title(rows: list[Holding], package_id: int | None) -> str | None:
    if package_id is None:
        return None
    return rows[0].title if rows else "this package"


def bulk_extend(
    session: Session, business: Business, *, days: int, reason: str, package_id: int | None = None,
) -> BulkExtension:
    """A manager extends every holding in use by `days` (of one package, or all), with one reason,
    in one transaction: "we were closed two weeks"."""
    actor = require_manager(session, "extend packages")
    reason = require_reason(reason)
    problem = check_days(days)
    if problem:
        raise InvalidInput({"days": problem})
    rows = _extendable(session, business, package_id)
    today = local_date(clock(session), business.tz)
    year = today.year
    for row in rows:
        holding = _lock_holding(session, row.id)
        before = holding.valid_until
        after = extended(before, days)
        if problem := check_new_expiry(after, today):
            raise InvalidInput({"days": f"{holding.title}: {problem}"})
        _mark_expiry(session, holding, kind=EntryKind.EXTEND, until=after, actor=actor,
                     note=f"{reason} (expiry {format_day(before, year)} → {format_day(after, year)}; all "
                          f"{'holdings' if package_id is None else holding.title} extended)")
    done = BulkExtension(len(rows), len({row.customer_id for row in rows}), days, _package_title(rows, package_id))
    record(session, kind=AuditKind.EXTEND, at=clock(session), staff_id=actor, customer_id=None,
           subject="every package in use" if package_id is None else f"package {package_id}",
           detail=f"{plural(done.holdings, 'holding')} of {plural(done.customers, 'customer')} extended by "
                  f"{plural(days, 'day')}: {reason}")
    return done


# ---- freeze --------------------------------------------------------------------------------------

def freeze(
    session: Session, business: Business, *, holding_id: int, first_day: date, last_day: date, reason: str,
) -> HoldingView:
    """A manager freezes a holding from `first_day` to `last_day` (local days, both included): it
    pays for nothing on those days, and its expiry moves by the days frozen."""
    actor = require_manager(session, "freeze a package")
    reason = require_reason(reason)
    holding = _lock_holding(session, holding_id)
    view = _view(session, business, holding)
    _refuse_closed(view, "first_day")
    today = local_date(clock(session), business.tz)
    if view.status is HoldingStatus.EXPIRED:
        raise InvalidInput({"first_day": "This package has expired: extend it instead."})
    current = Freeze(holding.frozen_from, holding.frozen_until) if holding.frozen_from and holding.frozen_until \
        else None
    errors = check_freeze(first_day, last_day, today, current=current)
    if errors:
        raise InvalidInput(errors)
    span = Freeze(first_day, last_day)
    after = extended(holding.valid_until, span.days) if holding.valid_until is not None else None
    if after is not None and (problem := check_new_expiry(after, today)):
        raise InvalidInput({"last_day": problem})
    holding.frozen_from, holding.frozen_until = first_day, last_day
    moved = f"; expiry → {format_day(after, today.year)}" if after else ""
    _mark_expiry(session, holding, kind=EntryKind.FREEZE, until=after, actor=actor,
                 note=f"{reason} (frozen {span.words(today.year)}, {plural(span.days, 'day')}{moved})")
    record(session, kind=AuditKind.FREEZE, at=clock(session), staff_id=actor, customer_id=holding.customer_id,
           subject=f"holding {holding.id}", detail=f"{holding.title}: frozen {span.words(today.year)}{moved}: {reason}")
    return _view(session, business, holding)


def unfreeze(session: Session, business: Business, *, holding_id: int, reason: str) -> HoldingView:
    """A manager ends a freeze early (today is usable again); the expiry moves back by the frozen
    days not used."""
    actor = require_manager(session, "unfreeze a package")
    reason = require_reason(reason)
    holding = _lock_holding(session, holding_id)
    today = local_date(clock(session), business.tz)
    if holding.frozen_from is None or holding.frozen_until is None or holding.frozen_until < today:
        raise InvalidInput({"reason": "This package is not frozen."})
    span = Freeze(holding.frozen_from, holding.frozen_until)
    back = unfrozen_days(span, today)
    after = extended(holding.valid_until, -back) if holding.valid_until is not None else None
    holding.frozen_from = holding.frozen_until = None
    moved = f"; expiry → {format_day(after, today.year)}" if after else ""
    _mark_expiry(session, holding, kind=EntryKind.UNFREEZE, until=after, actor=actor,
                 note=f"{reason} (freeze {span.words(today.year)} ended, {plural(back, 'day')} not used{moved})")
    record(session, kind=AuditKind.UNFREEZE, at=clock(session), staff_id=actor, customer_id=holding.customer_id,
           subject=f"holding {holding.id}", detail=f"{holding.title}: freeze ended{moved}: {reason}")
    return _view(session, business, holding)


# ---- transfer ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Transfer:
    """A balance moved: the holding it left (now "moved") and the one it arrived as."""

    source: HoldingView
    target: HoldingView
    worth: int  # what moved, in minor units: the liability is unchanged


def transfer(
    session: Session, business: Business, *, holding_id: int, to_customer_id: int, reason: str,
) -> Transfer:
    """A manager moves what is left of a holding to another customer, with a reason: a new holding
    of the same terms and expiry opens for her with that balance, worth what the old one was."""
    actor = require_manager(session, "move a package to another customer")
    reason = require_reason(reason)
    holding = _lock_holding(session, holding_id)
    view = _view(session, business, holding)
    _refuse_closed(view, "customer")
    if view.status is HoldingStatus.EXPIRED:
        raise InvalidInput({"customer": "This package has expired: extend it first."})
    terms = Terms.from_dict(holding.terms)
    unlimited = terms.contents is Contents.ANY and terms.value_type is ValueType.UNLIMITED
    if view.status is HoldingStatus.USED_UP and not unlimited:
        raise InvalidInput({"customer": "Nothing is left on this package to move."})
    if to_customer_id == holding.customer_id:
        raise InvalidInput({"customer": "Choose another customer: this package is already hers."})
    target_customer = session.get(Customer, to_customer_id)
    source_customer = session.get(Customer, holding.customer_id)
    if target_customer is None:
        raise InvalidInput({"customer": "No such customer."})
    worth = worth_now(session, business, holding)
    now = clock(session)
    moved = Holding(customer_id=to_customer_id, package_id=holding.package_id, title=holding.title,
                    terms=holding.terms, purchased_at=now, valid_until=holding.valid_until,
                    opened_until=holding.valid_until, price_paid=worth, assigned=worth == 0, created_by=actor,
                    frozen_from=holding.frozen_from, frozen_until=holding.frozen_until, source_holding_id=holding.id,
                    unit=holding.unit, provider_id=holding.provider_id)
    session.add(moved)
    session.flush()
    for line in lock_lines(session, holding.id):
        left = line.remaining  # read before spending: the ORM refreshes `line` on UPDATE
        after = spend(session, line.id, left)
        append_entry(session, holding_id=holding.id, line_id=line.id, kind=EntryKind.TRANSFER, delta=-left,
                     balance_after=after, actor=actor, at=now, note=f"moved to {target_customer.name}: {reason}")
        arrived = HoldingLine(holding_id=moved.id, position=line.position, service_id=line.service_id,
                              initial=left, remaining=0)
        session.add(arrived)
        session.flush()
        balance = credit(session, arrived.id, left)
        append_entry(session, holding_id=moved.id, line_id=arrived.id, kind=EntryKind.TRANSFER, delta=left,
                     balance_after=balance, actor=actor, at=now,
                     note=f"moved from {source_customer.name}: {reason}")
    amount = view.balance_text if not unlimited else "unlimited use"
    record(session, kind=AuditKind.TRANSFER, at=now, staff_id=actor, customer_id=holding.customer_id,
           subject=f"holding {holding.id}",
           detail=f"{holding.title} ({amount}, worth {format_money(worth, business.currency)}) moved to "
                  f"{target_customer.name}: {reason}")
    record(session, kind=AuditKind.TRANSFER, at=now, staff_id=actor, customer_id=to_customer_id,
           subject=f"holding {moved.id}", detail=f"{holding.title} moved from {source_customer.name}: {reason}")
    return Transfer(_view(session, business, holding), _view(session, business, moved), worth)

