"""Services and providers in the catalogue: editing a service, the manager check, archiving."""

from __future__ import annotations

import pytest

from frontdesk.services import catalogue
from frontdesk.services.errors import InvalidInput, NotAllowed, NotFound
from frontdesk.services.views import ServiceView
from tests.store.conftest import Spa


def services_by_name(spa: Spa) -> dict[str, ServiceView]:
    return {s.name: s for s in spa.desk.read(catalogue.list_services, include_archived=True)}


def test_update_service_changes_name_duration_and_price(spa: Spa) -> None:
    updated = spa.desk.by(spa.manager).write(catalogue.update_service, spa.desk.business, service_id=spa.sauna, name="  Infrared Sauna ",
                                             duration_min=45, price=3000)
    assert (updated.id, updated.name, updated.duration_min, updated.price) == (spa.sauna, "Infrared Sauna", 45, 3000)
    stored = services_by_name(spa)["Infrared Sauna"]
    assert stored == updated
    assert "Sauna" not in services_by_name(spa)


def test_update_service_may_keep_its_own_name_in_another_case(spa: Spa) -> None:
    updated = spa.desk.by(spa.manager).write(catalogue.update_service, spa.desk.business, service_id=spa.sauna, name="SAUNA",
                                             duration_min=30, price=2600)
    assert (updated.name, updated.price) == ("SAUNA", 2600)


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"name": "   "}, "name", "Enter a name."),
    ({"name": "thai massage"}, "name", "There is already a service called thai massage."),
    ({"duration_min": 0}, "duration_min", "The duration must be at least 1 minute."),
    ({"price": -1}, "price", "The price cannot be negative."),
])
def test_update_service_refuses_bad_input_and_saves_nothing(
    spa: Spa, changes: dict[str, object], field: str, message: str
) -> None:
    before = services_by_name(spa)
    values = {"name": "Swedish Massage", "duration_min": 75, "price": 9000, **changes}
    with pytest.raises(InvalidInput) as refused:
        spa.desk.by(spa.manager).write(catalogue.update_service, spa.desk.business, service_id=spa.swedish, **values)
    assert refused.value.fields == {field: message}
    assert services_by_name(spa) == before


def test_update_service_reports_every_bad_field_at_once(spa: Spa) -> None:
    with pytest.raises(InvalidInput) as refused:
        spa.desk.by(spa.manager).write(catalogue.update_service, spa.desk.business, service_id=spa.swedish, name="", duration_min=0,
                                       price=-5)
    assert set(refused.value.fields) == {"name", "duration_min", "price"}


def test_update_unknown_service_is_not_found(spa: Spa) -> None:
    with pytest.raises(NotFound):
        spa.desk.by(spa.manager).write(catalogue.update_service, spa.desk.business, service_id=999_999, name="Ghost", duration_min=30,
                                       price=0)


def test_duplicate_service_name_is_refused_on_add(spa: Spa) -> None:
    with pytest.raises(InvalidInput) as refused:
        spa.desk.by(spa.manager).write(catalogue.add_service, spa.desk.business, name="SAUNA", duration_min=30, price=2500)
    assert refused.value.fields == {"name": "There is already a service called SAUNA."}
    assert len(services_by_name(spa)) == 4


def test_reception_may_not_change_services_or_providers(spa: Spa) -> None:
    before_services = services_by_name(spa)
    before_providers = spa.desk.read(catalogue.list_providers, include_archived=True)
    attempts = [
        (catalogue.add_service, (spa.desk.business,), {"name": "Facial", "duration_min": 45, "price": 5000}),
        (catalogue.update_service, (spa.desk.business,), {"service_id": spa.sauna, "name": "Sauna", "duration_min": 30, "price": 1}),
        (catalogue.archive_service, (spa.sauna,), {}),
        (catalogue.add_provider, (), {"name": "Carla"}),
        (catalogue.archive_provider, (spa.ben,), {}),
    ]
    for use_case, args, kwargs in attempts:
        with pytest.raises(NotAllowed, match="Only a manager can change"):
            spa.desk.by(spa.reception).write(use_case, *args, **kwargs)
    assert services_by_name(spa) == before_services
    assert spa.desk.read(catalogue.list_providers, include_archived=True) == before_providers


def test_manager_adds_services_and_providers_with_actor(spa: Spa) -> None:
    facial = spa.desk.by(spa.manager).write(catalogue.add_service, spa.desk.business, name="Facial", duration_min=45, price=5000)
    carla = spa.desk.by(spa.manager).write(catalogue.add_provider, name="Carla")
    assert services_by_name(spa)["Facial"] == facial
    assert carla in spa.desk.read(catalogue.list_providers)


def test_archive_and_restore_service_and_provider(spa: Spa) -> None:
    archived = spa.desk.by(spa.manager).write(catalogue.archive_service, spa.sauna)
    assert archived.archived
    assert "Sauna" not in {s.name for s in spa.desk.read(catalogue.list_services)}
    assert services_by_name(spa)["Sauna"].archived
    restored = spa.desk.by(spa.manager).write(catalogue.archive_service, spa.sauna, False)
    assert not restored.archived
    assert "Sauna" in {s.name for s in spa.desk.read(catalogue.list_services)}

    ben = spa.desk.by(spa.manager).write(catalogue.archive_provider, spa.ben)
    assert ben.archived and ben not in spa.desk.read(catalogue.list_providers)
    ben = spa.desk.by(spa.manager).write(catalogue.archive_provider, spa.ben, archived=False)
    assert not ben.archived and ben in spa.desk.read(catalogue.list_providers)


def test_archive_unknown_is_not_found(spa: Spa) -> None:
    with pytest.raises(NotFound):
        spa.desk.by(spa.manager).write(catalogue.archive_service, 999_999)
    with pytest.raises(NotFound):
        spa.desk.by(spa.manager).write(catalogue.archive_provider, 999_999)


def test_provider_names_are_required_and_unique_ignoring_case(spa: Spa) -> None:
    before = spa.desk.read(catalogue.list_providers, include_archived=True)
    for name, message in (("  ", "Enter a name."), ("ANNA", "There is already a provider called ANNA."),
                          (" ben ", "There is already a provider called ben.")):
        with pytest.raises(InvalidInput) as refused:
            spa.desk.by(spa.manager).write(catalogue.add_provider, name=name)
        assert refused.value.fields == {"name": message}
    assert spa.desk.read(catalogue.list_providers, include_archived=True) == before


def test_empty_service_name_is_refused(spa: Spa) -> None:
    with pytest.raises(InvalidInput) as refused:
        spa.desk.by(spa.manager).write(catalogue.add_service, spa.desk.business, name=" ", duration_min=0, price=-1)
    assert refused.value.fields == {"name": "Enter a name.", "duration_min": "The duration must be at least 1 minute.",
                                    "price": "The price cannot be negative."}


def test_unknown_service_or_provider_is_named_in_the_message(spa: Spa) -> None:
    with pytest.raises(NotFound, match="No such service."):
        spa.desk.by(spa.manager).write(catalogue.archive_service, 999_999)
    with pytest.raises(NotFound, match="No such provider."):
        spa.desk.by(spa.manager).write(catalogue.archive_provider, 999_999)


def test_lists_are_by_name_and_leave_out_the_archived(spa: Spa) -> None:
    spa.desk.by(spa.manager).write(catalogue.add_provider, name="Aaron")
    spa.desk.by(spa.manager).write(catalogue.archive_provider, spa.anna)
    assert [p.name for p in spa.desk.read(catalogue.list_providers)] == ["Aaron", "Ben"]
    assert [p.name for p in spa.desk.read(catalogue.list_providers, include_archived=True)] == ["Aaron", "Anna", "Ben"]
    names = [s.name for s in spa.desk.read(catalogue.list_services, include_archived=True)]
    assert names == sorted(names)
