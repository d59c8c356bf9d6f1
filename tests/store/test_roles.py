"""Roles that hold in the use cases, not only on screen: every manager-only use case, called as
reception, is refused and writes nothing. SQLite and PostgreSQL.

The list is checked against the use cases themselves: every public function of
`frontdesk.services` that acts for someone (takes `actor`) must be either reception's work or in
MANAGER_ONLY below with its arguments, so a use case added later without a decision fails here.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from datetime import datetime, time, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import inspect as schema, text

import frontdesk.services
from frontdesk.domain.kinds import Role, Tender
from frontdesk.domain.terms import Period, PeriodUnit, Terms, ValueType
from frontdesk.services import (
    appointments,
    audit,
    balances,
    catalogue,
    checkout,
    customers,
    exports,
    imports,
    ledger,
    liability,
    lifecycle,
    sales,
    schedule,
    staff,
)
from frontdesk.services.errors import NotAllowed
from frontdesk.services.sales import TenderLine
from tests.store.conftest import Spa
from tests.store.test_examples import TUE, at

# every use case (a public function of frontdesk.services taking a session) is one of these, or
# in MANAGER_ONLY below: a use case added later without a decision fails the test
RECEPTION_MAY = {  # what reception does at the counter (DESIGN §7)
    "appointments.book", "appointments.cancel", "appointments.no_show", "checkout.checkout", "checkout.pay",
    "customers.create_customer", "customers.update_customer", "sales.sell", "appointments.reschedule",
}
READS = {  # what anyone at the desk may read
    "appointments.booking_form", "appointments.customer_appointments", "appointments.customer_holdings",
    "appointments.day_appointments", "appointments.day_page", "daybook.day_book", "appointments.get_appointment", "appointments.preview_cover",
    "catalogue.get_package", "catalogue.list_packages", "catalogue.list_providers", "catalogue.list_services",
    "catalogue.list_staff", "catalogue.package_editor", "catalogue.package_terms", "catalogue.package_view",
    "catalogue.services_and_providers", "checkout.checkout_page", "checkout.options", "checkout.receipt",
    "customers.customer_page", "customers.find_duplicates", "customers.get_customer", "customers.search_customers",
    "appointments.policy_preview", "appointments.redemption_words", "ledger.check", "ledger.count_lines", "ledger.get_holding", "ledger.history", "sales.sale_page",
    "staff.sign_in_list", "staff.staff_count", "tenders.money_paid", "statement.statement",
    "checkup.balance_mismatches", "checkup.count_package_payments", "checkup.payment_problems",
    "checkup.stored_value_problems", "schedule.opening_hours", "schedule.provider_services",
    "schedule.check_booking", "schedule.suggest_start",
}
BEFORE_SIGN_IN = {  # the sign-in itself; the owner on a new database; the shell, which holds the database
    "staff.sign_in", "staff.create_owner", "staff.add_from_shell", "staff.shell_manager",
}
PARTS = {  # building blocks the use cases are made of, called inside them
    "appointments.lock_appointment", "audit.record", "ledger.append_entry", "ledger.credit", "ledger.lock_lines",
    "ledger.lock_holding", "ledger.write_entry", "audit.record_now",
    "ledger.spend", "roles.acting", "roles.at_desk", "roles.clock", "roles.require_manager", "roles.require_staff",
    "sales.open_holding", "tenders.record_refunds", "views.appointment_views", "views.holding_views",
    "views.next_round", "views.receipt_view", "views.standing_redemptions", "liability.worth_now",
    "appointments.hold_or_refuse", "views.with_holds",
    "schedule.booking_checks", "schedule.lock_provider", "customers.index_words",
}

PACK = Terms(title="Massage Pack", value_type=ValueType.VISITS, quantity=5, all_services=False, price=35000)
CUSTOMER_FILE = [["name", "phone", "package", "remaining", "purchased", "price_paid"],
                 ["Nia Park", "201-555-0999", "Massage Pack", "2", "2026-01-05", "350.00"]]


def manager_only(spa: Spa) -> dict[str, tuple[Callable[..., Any], dict[str, Any]]]:
    """Each manager-only use case with arguments that a manager's call would accept."""
    business = spa.desk.business
    pack = spa.package(PACK, service_ids=(spa.swedish,))
    maria = spa.customer()
    holding = spa.sell(maria, pack)
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    spa.desk.by(spa.reception).write(checkout.checkout, business, key="paid", appointment_id=visit, package=holding)
    came = spa.book(maria, spa.swedish, spa.desk.now() - timedelta(hours=2))  # began two hours ago
    spa.desk.by(spa.reception).write(checkout.checkout, business, key="came", appointment_id=came, package=holding)
    missed = spa.book(maria, spa.swedish, spa.desk.now() - timedelta(hours=4))
    spa.desk.by(spa.reception).write(appointments.no_show, spa.desk.business, appointment_id=missed)
    ben = spa.customer("Ben Lopez")
    frozen = spa.sell(maria, pack)
    week = spa.sell(maria, spa.package(PACK, title="Week Pack", expires_in=Period(1, PeriodUnit.WEEKS),
                                       service_ids=(spa.swedish,)))
    spa.desk.by(spa.manager).write(lifecycle.freeze, business, holding_id=frozen, first_day=spa.day(1),
                                   last_day=spa.day(3), reason="away")
    later = spa.book(maria, spa.swedish, at(TUE, 15), cover_holding_id=holding)
    return {
        # reception cancels booked appointments; these ones (the name after ":" says which) are a manager's
        "appointments.cancel: one that took place": (appointments.cancel, {
            "business": business, "appointment_id": came, "reason": "teacher ill"}),
        "appointments.cancel: a no-show": (appointments.cancel, {
            "business": business, "appointment_id": missed, "reason": "marked by mistake"}),
        "catalogue.add_service": (catalogue.add_service, {"business": business, "name": "Facial",
                                                          "duration_min": 45, "price": 5000}),
        "catalogue.update_service": (catalogue.update_service, {"business": business, "service_id": spa.sauna,
                                                                "name": "Sauna", "duration_min": 30, "price": 1}),
        "catalogue.archive_service": (catalogue.archive_service, {"service_id": spa.sauna}),
        "catalogue.add_provider": (catalogue.add_provider, {"name": "Carla"}),
        "catalogue.archive_provider": (catalogue.archive_provider, {"provider_id": spa.ben}),
        "catalogue.save_package": (catalogue.save_package, {"business": business,
                                                             "terms": Terms(title="Sauna Week", quantity=5)}),
        "catalogue.archive_package": (catalogue.archive_package, {"business": business, "package_id": pack}),
        "sales.assign": (sales.assign, {"business": business, "customer_id": maria, "package_id": pack,
                                        "reason": "goodwill"}),
        "ledger.adjust": (ledger.adjust, {"business": business, "holding_id": holding, "delta": 1,
                                          "reason": "miscounted"}),
        "ledger.void": (ledger.void, {"business": business, "holding_id": holding, "reason": "sold by mistake"}),
        "appointments.reverse_redemption": (appointments.reverse_redemption, {
            "business": business, "appointment_id": visit, "reason": "forgiven"}),
        "staff.add_staff_member": (staff.add_staff_member, {"name": "Eve", "role": Role.MANAGER, "pin": None}),
        "staff.set_pin": (staff.set_pin, {"staff_id": spa.manager, "pin": "0000"}),
        "audit.audit_page": (audit.audit_page, {"business": business}),
        "audit.events": (audit.events, {}),
        "liability.roll_forward": (liability.roll_forward, {"business": business, "first_day": spa.day(0),
                                                             "last_day": spa.day(0)}),
        "liability.owed_page": (liability.owed_page, {"business": business, "first_day": spa.day(0),
                                                       "last_day": spa.day(0)}),
        "exports.ledger_table": (exports.ledger_table, {"business": business, "first_day": spa.day(0),
                                                         "last_day": spa.day(0)}),
        "exports.balances_table": (exports.balances_table, {"business": business, "day": spa.day(0)}),
        "exports.call_list_table": (exports.call_list_table, {"business": business}),
        "liability.trends": (liability.trends, {"business": business, "weeks": 2}),
        "liability.movement_lines": (liability.movement_lines, {"business": business, "first_day": spa.day(0),
                                                                 "last_day": spa.day(0), "movement": "sold"}),
        "exports.roll_forward_table": (exports.roll_forward_table, {"business": business, "first_day": spa.day(0),
                                                                     "last_day": spa.day(0)}),
        "staff.staff_rows": (staff.staff_rows, {}),
        "lifecycle.extend": (lifecycle.extend, {"business": business, "holding_id": week, "days": 14,
                                                "reason": "closed for works"}),
        "lifecycle.bulk_extend": (lifecycle.bulk_extend, {"business": business, "days": 14,
                                                          "reason": "closed for works"}),
        "lifecycle.bulk_extend_preview": (lifecycle.bulk_extend_preview, {"business": business, "days": 14}),
        "lifecycle.freeze": (lifecycle.freeze, {"business": business, "holding_id": holding,
                                                "first_day": spa.day(1), "last_day": spa.day(7),
                                                "reason": "broken wrist"}),
        "lifecycle.unfreeze": (lifecycle.unfreeze, {"business": business, "holding_id": frozen,
                                                    "reason": "healed early"}),
        "lifecycle.transfer": (lifecycle.transfer, {"business": business, "holding_id": holding,
                                                    "to_customer_id": ben, "reason": "a gift to her husband"}),
        "appointments.cancel: overriding the policy": (appointments.cancel, {
            "business": business, "appointment_id": later, "override": True, "reason": "flat tyre"}),
        "appointments.no_show: overriding the policy": (appointments.no_show, {
            "business": business, "appointment_id": later, "override": True, "reason": "hospital"}),
        "imports.plan_import": (imports.plan_import, {"business": business, "rows": CUSTOMER_FILE}),
        "imports.run_import": (imports.run_import, {"business": business, "rows": CUSTOMER_FILE,
                                                    "source": "clients.csv"}),
        "balances.balances_page": (balances.balances_page, {"business": business, "status": "active",
                                                             "group": "customer"}),
        "staff.change_role": (staff.change_role, {"staff_id": spa.reception, "role": Role.MANAGER}),
        "staff.set_active": (staff.set_active, {"staff_id": spa.reception, "active": False}),
        "schedule.set_opening_hours": (schedule.set_opening_hours, {"days": [(time(9), time(18))] * 7}),
        "schedule.set_provider_services": (schedule.set_provider_services, {
            "provider_id": spa.ben, "all_services": False, "service_ids": [spa.swedish]}),
        "appointments.book: a time gone by": (appointments.book, {
            "business": business, "customer_id": maria, "service_id": spa.sauna,
            "starts_at": at(TUE, 8) - timedelta(days=7),
            "override": True, "reason": "entered late"}),
        "customers.merge_plan": (customers.merge_plan, {"keep_id": maria, "merge_id": ben}),
        "customers.merge_customers": (customers.merge_customers, {"business": business, "keep_id": maria,
                                                                  "merge_id": ben, "reason": "one person"}),
    }


def use_cases() -> set[str]:
    """Every public function of frontdesk.services whose first parameter is the session."""
    found = set()
    for module_info in pkgutil.iter_modules(frontdesk.services.__path__):
        module = importlib.import_module(f"frontdesk.services.{module_info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            parameters = list(inspect.signature(function).parameters)
            if function.__module__ == module.__name__ and not name.startswith("_") and parameters[:1] == ["session"]:
                found.add(f"{module_info.name}.{name}")
    return found


def counts(spa: Spa) -> dict[str, int]:
    """The number of rows of every table: what "wrote nothing" is checked against."""
    def read(session: Any) -> dict[str, int]:
        tables = schema(session.connection()).get_table_names()
        return {table: session.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
                for table in tables if not table.startswith("customer_fts") and table != "alembic_version"}
    return spa.desk.read(read)


def test_every_use_case_is_receptions_a_read_a_part_or_listed_as_managers_only(spa: Spa) -> None:
    assert sorted(manager_only(spa)) == MANAGER_ONLY
    listed = {name.split(":")[0] for name in MANAGER_ONLY}
    found = use_cases()
    undecided = found - listed - RECEPTION_MAY - READS - BEFORE_SIGN_IN - PARTS
    assert not undecided, f"decide who may do these (MANAGER_ONLY, RECEPTION_MAY, READS, …): {sorted(undecided)}"
    assert listed | RECEPTION_MAY | READS | BEFORE_SIGN_IN | PARTS <= found  # nothing listed that does not exist


def test_no_use_case_takes_who_acts_or_when_from_its_caller() -> None:
    """The desk gives both (`roles.acting`, `roles.clock`): no backdating, no acting for someone else."""
    for name in sorted(use_cases() - PARTS):
        module, function = name.split(".")
        parameters = inspect.signature(getattr(importlib.import_module(f"frontdesk.services.{module}"),
                                               function)).parameters
        assert not {"actor", "now", "at"} & set(parameters), name


READS_FOR_MANAGERS = {"audit.audit_page", "audit.events", "staff.staff_rows", "liability.roll_forward",
                      "liability.owed_page", "exports.ledger_table", "exports.balances_table",
                      "exports.roll_forward_table", "exports.call_list_table", "liability.trends",
                      "liability.movement_lines", "lifecycle.bulk_extend_preview", "imports.plan_import",
                      "balances.balances_page", "customers.merge_plan"}
MANAGER_ONLY = sorted([
    "catalogue.add_service", "catalogue.update_service", "catalogue.archive_service", "catalogue.add_provider",
    "catalogue.archive_provider", "catalogue.save_package", "catalogue.archive_package", "sales.assign",
    "ledger.adjust", "ledger.void", "appointments.reverse_redemption", "appointments.cancel: one that took place",
    "appointments.cancel: a no-show", "staff.add_staff_member", "staff.set_pin", "audit.audit_page",
    "audit.events", "staff.staff_rows", "staff.change_role", "staff.set_active", "liability.roll_forward",
    "liability.owed_page", "exports.ledger_table", "exports.balances_table", "exports.roll_forward_table",
    "exports.call_list_table", "liability.trends", "liability.movement_lines", "lifecycle.extend",
    "lifecycle.bulk_extend", "lifecycle.bulk_extend_preview", "lifecycle.freeze", "lifecycle.unfreeze",
    "lifecycle.transfer", "appointments.cancel: overriding the policy", "appointments.no_show: overriding the policy",
    "imports.plan_import", "imports.run_import",
    "balances.balances_page", "schedule.set_opening_hours", "schedule.set_provider_services",
    "appointments.book: a time gone by",
    "customers.merge_customers", "customers.merge_plan",
])


@pytest.mark.parametrize("name", MANAGER_ONLY)
def test_a_managers_use_case_refuses_reception_and_writes_nothing(spa: Spa, name: str) -> None:
    use_case, kwargs = manager_only(spa)[name]
    before = counts(spa)
    with pytest.raises(NotAllowed, match="Only a manager can"):
        spa.desk.by(spa.reception).write(use_case, **kwargs)
    assert counts(spa) == before
    spa.desk.by(spa.manager).write(use_case, **kwargs)  # the same call from a manager goes through
    assert counts(spa) != before or name in READS_FOR_MANAGERS  # saved


def test_a_use_case_refuses_when_nobody_is_signed_in(spa: Spa) -> None:
    pack = spa.package(PACK, service_ids=(spa.swedish,))
    maria = spa.customer()
    with pytest.raises(NotAllowed, match="Nobody is signed in"):
        spa.desk.by(None).write(sales.sell, spa.desk.business, customer_id=maria, package_id=pack, tenders=[])


def test_a_backdated_or_borrowed_checkout_is_impossible(spa: Spa) -> None:
    """The caller can't say when or for whom: the entry is stamped with the desk's clock and the
    person signed in (Rita), whatever the caller tries."""
    maria = spa.customer()
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    card = [TenderLine(Tender.CARD, 8000)]
    for trying in ({"now": datetime(2020, 1, 1, tzinfo=timezone.utc)}, {"actor": spa.manager}):
        with pytest.raises(TypeError):
            spa.desk.write(checkout.checkout, spa.desk.business, key="k", appointment_id=visit, package=None,
                           tenders=card, **trying)
    spa.desk.write(checkout.checkout, spa.desk.business, key="k", appointment_id=visit, package=None, tenders=card)
    stamped = spa.desk.read(lambda session: session.execute(text(
        "SELECT created_at, staff_id FROM payment WHERE appointment_id = :a"), {"a": visit}).one())
    stored = stamped[0] if isinstance(stamped[0], datetime) else datetime.fromisoformat(stamped[0])
    assert (stored.replace(tzinfo=timezone.utc) if stored.tzinfo is None else stored, stamped[1]) == (
        spa.desk.now(), spa.reception)
