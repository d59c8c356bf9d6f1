"""Who works at the desk: the owner on a new database, PINs, and signing in.

PINs are stored as salted scrypt hashes (about 100 ms each on a 2-core machine), never in clear;
the hash carries its own cost so it can be raised later. Five wrong PINs in a row lock that person
for five minutes. Every sign-in, wrong PIN and lock is on the audit trail.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from frontdesk.domain.bounds import text_problem
from frontdesk.domain.kinds import Role
from frontdesk.domain.pins import FAILURES_BEFORE_LOCK, LOCK_TIME, after_wrong_pin, locked, pin_problem, tries_left
from frontdesk.models import Staff
from frontdesk.services.audit import AuditKind, record
from frontdesk.services.errors import InvalidInput, NotAllowed, NotFound
from frontdesk.services.roles import clock, require_manager, require_staff
from frontdesk.services.views import StaffView, staff_view

NAME_MAX_LENGTH = 120  # the name column's size
SCRYPT_COST = 2**15  # about 100 ms here; stored in each hash, so raising it later is safe
SCRYPT_BLOCK, SCRYPT_PARALLEL, KEY_BYTES = 8, 1, 32


@dataclass(frozen=True, slots=True)
class SignIn:
    """The person now at the desk, or why not (a wrong PIN is still counted and recorded)."""

    staff: StaffView | None
    refusal: str = ""


def hash_pin(pin: str, *, cost: int = SCRYPT_COST) -> str:
    """ "scrypt$<n>$<r>$<p>$<salt>$<key>", base64; a new salt each time."""
    salt = os.urandom(16)
    key = hashlib.scrypt(pin.encode(), salt=salt, n=cost, r=SCRYPT_BLOCK, p=SCRYPT_PARALLEL,
                         maxmem=256 * 1024 * 1024, dklen=KEY_BYTES)
    encode = lambda raw: base64.b64encode(raw).decode()  # noqa: E731
    return f"scrypt${cost}${SCRYPT_BLOCK}${SCRYPT_PARALLEL}${encode(salt)}${encode(key)}"


def pin_matches(pin: str, stored: str) -> bool:
    """Does `pin` hash to `stored` (compared in constant time)?"""
    try:
        scheme, cost, block, parallel, salt, key = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    expected = base64.b64decode(key)
    actual = hashlib.scrypt(pin.encode(), salt=base64.b64decode(salt), n=int(cost), r=int(block),
                            p=int(parallel), maxmem=256 * 1024 * 1024, dklen=len(expected))
    return hmac.compare_digest(actual, expected)


def _checked_pin(pin: str, field: str = "pin") -> str:
    problem = pin_problem(pin)
    if problem:
        raise InvalidInput({field: problem})
    return pin


# ---- who can sign in ------------------------------------------------------------------------------

def staff_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Staff)).one()


def sign_in_list(session: Session) -> list[StaffView]:
    """Everyone who can sign in (active, with a PIN), by name."""
    rows = session.exec(select(Staff).where(Staff.active == True, col(Staff.pin_hash).is_not(None))  # noqa: E712
                        .order_by(Staff.name))
    return [staff_view(row) for row in rows]


def create_owner(session: Session, *, name: str, pin: str) -> StaffView:
    """The first person on a new database: a manager. Refused once anyone is on the staff list."""
    if staff_count(session):
        raise InvalidInput({"name": "The owner is already set up: a manager adds staff in Staff."})
    return _add(session, name=name, role=Role.MANAGER, pin=pin, now=clock(session), actor=None)


def _add(session: Session, *, name: str, role: Role, pin: str | None, now: datetime,
         actor: int | None, from_shell: bool = False) -> StaffView:
    name = " ".join(name.split())
    errors = {}
    if not name:
        errors["name"] = "Enter a name."
    elif problem := text_problem(name, NAME_MAX_LENGTH):
        errors["name"] = problem
    elif any(other.casefold() == name.casefold() for other in session.exec(select(Staff.name))):
        # compared here: the database's lower() folds only ASCII on SQLite, every letter on PostgreSQL
        errors["name"] = f"{name} is already on the staff list."
    if pin is not None and (problem := pin_problem(pin)):
        errors["pin"] = problem
    if errors:
        raise InvalidInput(errors)
    row = Staff(name=name, role=role, pin_hash=hash_pin(pin) if pin is not None else None)
    session.add(row)
    session.flush()
    by = None if from_shell else actor if actor is not None else row.id  # the owner adds herself
    record(session, kind=AuditKind.STAFF_ADDED, at=now, staff_id=by, subject=f"staff {row.id}",
           detail=f"{name}, {role}" + (", from the shell" if from_shell else ""))
    return staff_view(row)


def add_staff_member(session: Session, *, name: str, role: Role, pin: str | None) -> StaffView:
    """A new person at the desk, with their PIN (without one they can't sign in yet). A manager
    adds people; only the very first person, the owner, is added by nobody, and is a manager."""
    actor = None
    if staff_count(session) == 0:
        if role != Role.MANAGER:
            raise InvalidInput({"role": "The first person on the staff list is the owner: a manager."})
    else:
        actor = require_manager(session, "add staff")
    return _add(session, name=name, role=role, pin=_checked_pin(pin) if pin is not None else None,
                now=clock(session), actor=actor)


def shell_manager(session: Session) -> int:
    """Who the shell acts as for a manager's read (`frontdesk export`): whoever runs the desk's
    machine holds the database, so the first active manager on the staff list."""
    manager = session.exec(select(Staff.id).where(Staff.role == Role.MANAGER, Staff.active == True)  # noqa: E712
                           .order_by(Staff.id)).first()
    if manager is None:
        raise NotAllowed("No active manager on the staff list: add one with 'frontdesk staff add NAME --role manager'.")
    return manager


def add_from_shell(session: Session, *, name: str, role: Role, pin: str) -> StaffView:
    """Someone added with `frontdesk staff add` by whoever runs the desk's machine (and so holds
    the database): the owner on a new database, or a manager when no manager can sign in. On the
    audit trail as added from the shell."""
    if staff_count(session) == 0 and role != Role.MANAGER:
        raise InvalidInput({"role": "The first person on the staff list is the owner: a manager."})
    return _add(session, name=name, role=role, pin=_checked_pin(pin), now=clock(session), actor=None,
                from_shell=True)


def set_pin(session: Session, *, staff_id: int, pin: str) -> StaffView:
    """A new PIN (which also lifts a lock): a manager sets anyone's, and each person their own."""
    actor = require_staff(session)
    if actor != staff_id:
        require_manager(session, "reset someone else's PIN")
    row = session.get(Staff, staff_id)
    if row is None:
        raise NotFound("No such staff member.")
    row.pin_hash = hash_pin(_checked_pin(pin))
    row.failed_pins, row.locked_until = 0, None
    session.add(row)
    record(session, kind=AuditKind.PIN_SET, at=clock(session), staff_id=actor, subject=f"staff {staff_id}",
           detail=row.name)
    return staff_view(row)


# ---- signing in -----------------------------------------------------------------------------------

def sign_in(session: Session, *, staff_id: int, pin: str) -> SignIn:
    """Sign `staff_id` in when `pin` is theirs. A wrong PIN is counted and recorded (so it is a
    write that saves even when it refuses); the fifth in a row locks them for five minutes."""
    now = clock(session)
    row = session.exec(select(Staff).where(Staff.id == staff_id).with_for_update()).first()
    if row is None or not row.active or row.pin_hash is None:
        raise NotFound("That person can't sign in here; ask a manager.")
    if locked(row.locked_until, now):
        minutes = max(1, -(-int((row.locked_until - now).total_seconds()) // 60))
        return SignIn(None, f"{row.name} is locked after {FAILURES_BEFORE_LOCK} wrong PINs: try again in "
                            f"{minutes} min, or ask a manager to reset the PIN.")
    if not pin_matches(pin, row.pin_hash):
        row.failed_pins, row.locked_until = after_wrong_pin(row.failed_pins, now)
        session.add(row)
        if row.locked_until is not None:
            record(session, kind=AuditKind.LOCKED_OUT, at=now, staff_id=row.id, subject=f"staff {row.id}",
                   detail=f"{row.failed_pins} wrong PINs in a row")
            message = (f"Wrong PIN. {row.name} is now locked for {LOCK_TIME.seconds // 60} minutes; "
                       "a manager can reset the PIN.")
        else:
            record(session, kind=AuditKind.SIGN_IN_FAILED, at=now, staff_id=row.id, subject=f"staff {row.id}")
            left = tries_left(row.failed_pins)
            message = f"Wrong PIN. {left} {'try' if left == 1 else 'tries'} left before a lock."
        return SignIn(None, message)
    row.failed_pins, row.locked_until = 0, None
    session.add(row)
    record(session, kind=AuditKind.SIGN_IN, at=now, staff_id=row.id, subject=f"staff {row.id}")
    return SignIn(staff_view(row))


# ---- the Staff screen (managers) ------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class StaffRow:
    """Someone on the staff list as the Staff screen shows them."""

    member: StaffView
    has_pin: bool
    locked_until: datetime | None


def staff_rows(session: Session) -> list[StaffRow]:
    """Everyone, active first then by name (managers)."""
    require_manager(session, "see the staff list")
    now = clock(session)
    rows = session.exec(select(Staff).order_by(col(Staff.active).desc(), Staff.name))
    return [StaffRow(staff_view(row), row.pin_hash is not None,
                     row.locked_until if locked(row.locked_until, now) else None) for row in rows]


def _other_managers(session: Session, staff_id: int) -> int:
    return session.exec(select(func.count()).select_from(Staff).where(
        Staff.role == Role.MANAGER, Staff.active == True, Staff.id != staff_id)).one()  # noqa: E712


def change_role(session: Session, *, staff_id: int, role: Role) -> StaffView:
    """Make someone a manager or reception (managers); the desk always keeps an active manager."""
    actor = require_manager(session, "change someone's role")
    row = session.get(Staff, staff_id)
    if row is None:
        raise NotFound("No such staff member.")
    if role != Role.MANAGER and row.role == Role.MANAGER and not _other_managers(session, staff_id):
        raise InvalidInput({"role": f"{row.name} is the only manager: make someone else a manager first."})
    row.role = role
    session.add(row)
    record(session, kind=AuditKind.ROLE_CHANGED, at=clock(session), staff_id=actor, subject=f"staff {staff_id}",
           detail=f"{row.name}: {role}")
    return staff_view(row)


def set_active(session: Session, *, staff_id: int, active: bool) -> StaffView:
    """Deactivate someone who left (they can no longer sign in; their history stays), or bring
    them back (managers). Nobody deactivates themselves, nor the last active manager."""
    actor = require_manager(session, "deactivate staff")
    row = session.get(Staff, staff_id)
    if row is None:
        raise NotFound("No such staff member.")
    if not active and staff_id == actor:
        raise InvalidInput({"active": "You can't deactivate yourself: ask another manager."})
    if not active and row.role == Role.MANAGER and not _other_managers(session, staff_id):
        raise InvalidInput({"active": f"{row.name} is the only active manager."})
    row.active = active
    session.add(row)
    record(session, kind=AuditKind.DEACTIVATED if not active else AuditKind.REACTIVATED, at=clock(session),
           staff_id=actor,
           subject=f"staff {staff_id}", detail=row.name)
    return staff_view(row)
