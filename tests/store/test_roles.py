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
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import inspect as schema, text

import frontdesk.services
from frontdesk.domain.kinds import Role
from frontdesk.domain.terms import Terms, ValueType
from frontdesk.services import appointments, audit, catalogue, checkout, ledger, sales, staff
from frontdesk.services.errors import NotAllowed
from tests.conftest import NOW
from tests.store.conftest import Spa
from tests.store.test_examples import TUE, at

# what reception does at the counter (DESIGN §7), and the building blocks use cases are made of
RECEPTION_MAY = {"appointments.book", "appointments.cancel", "appointments.no_show", "checkout.checkout",
                 "customers.create_customer", "customers.update_customer",
                 "checkout.pay", "sales.sell"}
PARTS = {"ledger.append_entry", "tenders.record_refunds", "roles.require_manager", "roles.require_staff",
         "sales.open_holding"}

PACK = Terms(title="Massage Pack", value_type=ValueType.VISITS, quantity=5, all_services=False, price=35000)


def manager_only(spa: Spa) -> dict[str, tuple[Callable[..., Any], dict[str, Any]]]:
    """Each manager-only use case with arguments that a manager's call would accept."""
    business = spa.desk.business
    pack = spa.package(PACK, service_ids=(spa.swedish,))
    maria = spa.customer()
    holding = spa.sell(maria, pack)
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    spa.desk.write(checkout.checkout, business, key="paid", appointment_id=visit, actor=spa.reception,
                   package=holding, now=NOW)
    return {
        "catalogue.add_service": (catalogue.add_service, {"name": "Facial", "duration_min": 45, "price": 5000}),
        "catalogue.update_service": (catalogue.update_service, {"service_id": spa.sauna, "name": "Sauna",
                                                                 "duration_min": 30, "price": 1}),
        "catalogue.archive_service": (catalogue.archive_service, {"service_id": spa.sauna}),
        "catalogue.add_provider": (catalogue.add_provider, {"name": "Carla"}),
        "catalogue.archive_provider": (catalogue.archive_provider, {"provider_id": spa.ben}),
        "catalogue.save_package": (catalogue.save_package, {"business": business,
                                                             "terms": Terms(title="Sauna Week", quantity=5)}),
        "catalogue.archive_package": (catalogue.archive_package, {"business": business, "package_id": pack}),
        "sales.assign": (sales.assign, {"business": business, "customer_id": maria, "package_id": pack,
                                        "reason": "goodwill", "now": NOW}),
        "ledger.adjust": (ledger.adjust, {"business": business, "holding_id": holding, "delta": 1,
                                          "reason": "miscounted", "now": NOW}),
        "ledger.void": (ledger.void, {"business": business, "holding_id": holding, "reason": "sold by mistake",
                                      "now": NOW}),
        "appointments.reverse_redemption": (appointments.reverse_redemption, {
            "business": business, "appointment_id": visit, "reason": "forgiven", "now": NOW + timedelta(days=1)}),
        "staff.add_staff_member": (staff.add_staff_member, {"name": "Eve", "role": Role.MANAGER, "pin": None,
                                                            "now": NOW}),
        "staff.set_pin": (staff.set_pin, {"staff_id": spa.manager, "pin": "0000", "now": NOW}),
        "audit.audit_page": (audit.audit_page, {}),
        "staff.staff_rows": (staff.staff_rows, {"now": NOW}),
        "staff.change_role": (staff.change_role, {"staff_id": spa.reception, "role": Role.MANAGER, "now": NOW}),
        "staff.set_active": (staff.set_active, {"staff_id": spa.reception, "active": False, "now": NOW}),
    }


def use_cases_that_act() -> set[str]:
    """Every public function of frontdesk.services that takes `actor`."""
    found = set()
    for module_info in pkgutil.iter_modules(frontdesk.services.__path__):
        module = importlib.import_module(f"frontdesk.services.{module_info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_") \
                    and "actor" in inspect.signature(function).parameters:
                found.add(f"{module_info.name}.{name}")
    return found


def counts(spa: Spa) -> dict[str, int]:
    """The number of rows of every table: what "wrote nothing" is checked against."""
    def read(session: Any) -> dict[str, int]:
        tables = schema(session.connection()).get_table_names()
        return {table: session.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
                for table in tables if not table.startswith("customer_fts") and table != "alembic_version"}
    return spa.desk.read(read)


def test_every_use_case_that_acts_is_either_receptions_or_listed_as_managers_only(spa: Spa) -> None:
    listed = set(manager_only(spa))
    acting = use_cases_that_act()
    undecided = acting - listed - RECEPTION_MAY - PARTS
    assert not undecided, f"decide who may do these (add to MANAGER_ONLY or RECEPTION_MAY): {sorted(undecided)}"
    assert listed <= acting  # nothing listed that does not exist


@pytest.mark.parametrize("name", sorted([
    "catalogue.add_service", "catalogue.update_service", "catalogue.archive_service", "catalogue.add_provider",
    "catalogue.archive_provider", "catalogue.save_package", "catalogue.archive_package", "sales.assign",
    "ledger.adjust", "ledger.void", "appointments.reverse_redemption", "staff.add_staff_member", "staff.set_pin",
    "audit.audit_page", "staff.staff_rows", "staff.change_role", "staff.set_active",
]))
def test_a_managers_use_case_refuses_reception_and_writes_nothing(spa: Spa, name: str) -> None:
    use_case, kwargs = manager_only(spa)[name]
    before = counts(spa)
    with pytest.raises(NotAllowed, match="Only a manager can"):
        spa.desk.write(use_case, **kwargs, actor=spa.reception)
    assert counts(spa) == before
    spa.desk.write(use_case, **kwargs, actor=spa.manager)  # the same call from a manager goes through
    assert counts(spa) != before or name in {"audit.audit_page", "staff.staff_rows"}  # a change is saved


def test_a_use_case_refuses_when_nobody_is_signed_in(spa: Spa) -> None:
    pack = spa.package(PACK, service_ids=(spa.swedish,))
    maria = spa.customer()
    with pytest.raises(NotAllowed, match="Nobody is signed in"):
        spa.desk.write(sales.sell, spa.desk.business, customer_id=maria, package_id=pack, tenders=[], actor=None)
