"""Staff and signing in: the owner on a new database, PINs stored as salted slow hashes, five wrong
PINs lock a person for five minutes, and every sign-in, wrong PIN and lock is on the append-only
audit trail. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from frontdesk.domain.kinds import Role
from frontdesk.models import Staff
from frontdesk.services import audit, catalogue, staff
from frontdesk.services.desk import Desk
from frontdesk.services.errors import InvalidInput, NotAllowed
from tests.conftest import NOW


def test_a_new_database_gets_its_owner_once(desk: Desk) -> None:
    assert desk.read(staff.staff_count) == 0
    owner = desk.write(staff.create_owner, name="  Grace   Kim ", pin="2468")
    assert (owner.name, owner.role, owner.is_manager) == ("Grace Kim", Role.MANAGER, True)
    with pytest.raises(InvalidInput) as refused:
        desk.write(staff.create_owner, name="Someone Else", pin="1357")
    assert "already set up" in refused.value.fields["name"]
    assert [member.name for member in desk.read(staff.sign_in_list)] == ["Grace Kim"]


def test_pins_are_digits_and_stored_only_as_salted_hashes(desk: Desk) -> None:
    owner = desk.write(staff.create_owner, name="Grace", pin="2468")
    for bad, message in (("12", "4 to 8 digits"), ("123456789", "4 to 8 digits"), ("12a4", "digits only"),
                         ("１２３４", "digits only")):
        with pytest.raises(InvalidInput) as refused:
            desk.by(owner.id).write(staff.add_staff_member, name="Rita", role=Role.RECEPTION, pin=bad)
        assert message in refused.value.fields["pin"]
    rita = desk.by(owner.id).write(staff.add_staff_member, name="Rita", role=Role.RECEPTION, pin="4321")
    sam = desk.by(owner.id).write(staff.add_staff_member, name="Sam", role=Role.RECEPTION, pin="4321")
    hashes = desk.read(lambda session: {row.id: row.pin_hash for row in session.exec(select(Staff))})
    assert all(stored.startswith("scrypt$") and "4321" not in stored for stored in hashes.values())
    assert len(hashes) == 3
    assert hashes[rita.id] != hashes[sam.id]  # the same PIN, salted differently
    assert staff.pin_matches("4321", hashes[rita.id]) and not staff.pin_matches("4322", hashes[rita.id])


def test_five_wrong_pins_lock_for_five_minutes_and_all_of_it_is_on_the_trail(desk: Desk) -> None:
    owner = desk.write(staff.create_owner, name="Grace", pin="2468")
    rita = desk.by(owner.id).write(staff.add_staff_member, name="Rita", role=Role.RECEPTION, pin="4321")
    answers = [desk.at(NOW + timedelta(seconds=second)).write(staff.sign_in, staff_id=rita.id, pin="0000")
               for second in range(5)]
    assert [answer.staff for answer in answers] == [None] * 5
    assert [answer.refusal for answer in answers[:4]] == [
        "Wrong PIN. 4 tries left before a lock.", "Wrong PIN. 3 tries left before a lock.",
        "Wrong PIN. 2 tries left before a lock.", "Wrong PIN. 1 try left before a lock."]
    assert "locked for 5 minutes" in answers[4].refusal

    # locked: even the right PIN is refused until five minutes after the fifth wrong one
    still = desk.at(NOW + timedelta(minutes=5, seconds=3)).write(staff.sign_in, staff_id=rita.id, pin="4321")
    assert still.staff is None and "try again in 1 min" in still.refusal
    after = desk.at(NOW + timedelta(minutes=5, seconds=4)).write(staff.sign_in, staff_id=rita.id, pin="4321")
    assert after.staff is not None and after.staff.id == rita.id

    # the count starts again after a good sign-in
    again = desk.at(NOW + timedelta(minutes=6)).write(staff.sign_in, staff_id=rita.id, pin="9999")
    assert again.refusal == "Wrong PIN. 4 tries left before a lock."

    kinds = [line.kind for line in reversed(desk.by(owner.id).read(audit.events, staff_id=rita.id))]
    assert kinds == [*["sign-in failed"] * 4, "locked out", "sign-in", "sign-in failed"]
    added = [(line.staff_name, line.detail)
             for line in desk.by(owner.id).read(audit.events, kind=audit.AuditKind.STAFF_ADDED)]
    assert added == [("Grace", "Rita, reception"), ("Grace", "Grace, manager")]  # who added whom


def test_a_new_pin_lifts_a_lock_and_only_a_manager_sets_someone_elses(desk: Desk) -> None:
    owner = desk.write(staff.create_owner, name="Grace", pin="2468")
    rita = desk.by(owner.id).write(staff.add_staff_member, name="Rita", role=Role.RECEPTION, pin="4321")
    sam = desk.by(owner.id).write(staff.add_staff_member, name="Sam", role=Role.RECEPTION, pin="1470")
    for _ in range(5):
        desk.write(staff.sign_in, staff_id=rita.id, pin="0000")
    with pytest.raises(NotAllowed, match="Only a manager can reset someone else's PIN"):
        desk.by(sam.id).write(staff.set_pin, staff_id=rita.id, pin="8642")
    desk.by(owner.id).write(staff.set_pin, staff_id=rita.id, pin="8642")
    assert desk.write(staff.sign_in, staff_id=rita.id, pin="8642").staff is not None
    assert desk.write(staff.sign_in, staff_id=rita.id, pin="4321").staff is None


def test_the_audit_trail_is_append_only(desk: Desk) -> None:
    owner = desk.write(staff.create_owner, name="Grace", pin="2468")
    for statement in ("UPDATE audit_event SET detail = 'changed'", "DELETE FROM audit_event"):
        with pytest.raises(DBAPIError, match="append-only"):
            with desk.engine.begin() as connection:
                connection.execute(text(statement))
    assert [line.detail for line in desk.by(owner.id).read(audit.events)] == ["Grace, manager"]


def test_the_first_person_is_the_owner_and_then_only_a_manager_adds_people(desk: Desk) -> None:
    with pytest.raises(InvalidInput, match="owner: a manager"):
        desk.by(None).write(staff.add_staff_member, name="Rita", role=Role.RECEPTION, pin=None)
    owner = desk.by(None).write(staff.add_staff_member, name="Grace", role=Role.MANAGER, pin=None)
    rita = desk.by(owner.id).write(staff.add_staff_member, name="Rita", role=Role.RECEPTION, pin=None)
    for actor in (None, rita.id):
        with pytest.raises(NotAllowed):
            desk.by(actor).write(staff.add_staff_member, name="Eve", role=Role.MANAGER, pin=None)
    assert sorted(member.name for member in desk.read(catalogue.list_staff)) == ["Grace", "Rita"]


def test_managers_change_roles_and_deactivate_but_the_desk_keeps_a_manager(desk: Desk) -> None:
    grace = desk.by(None).write(staff.add_staff_member, name="Grace", role=Role.MANAGER, pin=None)
    rita = desk.by(grace.id).write(staff.add_staff_member, name="Rita", role=Role.RECEPTION, pin="1357")
    with pytest.raises(InvalidInput, match="only manager"):
        desk.by(grace.id).write(staff.change_role, staff_id=grace.id, role=Role.RECEPTION)
    with pytest.raises(InvalidInput, match="deactivate yourself"):
        desk.by(grace.id).write(staff.set_active, staff_id=grace.id, active=False)
    desk.by(grace.id).write(staff.change_role, staff_id=rita.id, role=Role.MANAGER)
    desk.by(rita.id).write(staff.change_role, staff_id=grace.id, role=Role.RECEPTION)
    desk.by(rita.id).write(staff.set_active, staff_id=grace.id, active=False)
    rows = desk.by(rita.id).read(staff.staff_rows)
    assert [(row.member.name, row.member.role, row.member.active, row.has_pin) for row in rows] == [
        ("Rita", Role.MANAGER, True, True), ("Grace", Role.RECEPTION, False, False)]
    assert [member.name for member in desk.read(staff.sign_in_list)] == ["Rita"]  # Grace left
    kinds = [line.kind for line in desk.by(rita.id).read(audit.events, kind=None)][:4]
    assert kinds == ["deactivated", "role changed", "role changed", "staff added"]
