"""The catalogue: services, providers, packages and staff. Archived, never deleted once used."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, delete, select

from frontdesk.domain.bounds import duration_problem, text_problem
from frontdesk.domain.business import Business
from frontdesk.domain.money import amount_problem, format_money
from frontdesk.domain.terms import (
    CatalogueFacts,
    Contents,
    FixedLine,
    Period,
    PeriodUnit,
    Terms,
    ValueType,
    summary,
    validate_terms,
)
from frontdesk.models import (
    Holding,
    Package,
    PackageLine,
    PackageService,
    Provider,
    Service,
    Staff,
)
from frontdesk.services.audit import AuditKind, record
from frontdesk.services.errors import InvalidInput, NotFound
from frontdesk.services.roles import clock, require_manager
from frontdesk.services.views import (
    PackageView,
    ProviderView,
    ServiceView,
    StaffView,
    provider_view,
    service_view,
    staff_view,
)

# ---- staff ------------------------------------------------------------------------------------

def list_staff(session: Session) -> list[StaffView]:
    return [staff_view(row) for row in session.exec(select(Staff).order_by(Staff.name))]


# ---- services and providers -------------------------------------------------------------------
# The two work alike: a unique name (ignoring case), archived rather than deleted, managers only
# when an actor is given.

_Row = Service | Provider
_NOUNS: dict[type[_Row], str] = {Service: "service", Provider: "provider"}
NAME_MAX_LENGTH = 120  # the name column's size


def _name_errors(
    session: Session, table: type[_Row], name: str, own_id: int | None = None
) -> dict[str, str]:
    """A message for a missing name, or one another row of `table` has already (itself excepted)."""
    if not name:
        return {"name": "Enter a name."}
    if problem := text_problem(name, NAME_MAX_LENGTH):
        return {"name": problem}
    # compared here rather than by the database's lower(), which folds only ASCII letters on SQLite
    # and every letter on PostgreSQL: the same names are the same on both
    if any(row_id != own_id and other.casefold() == name.casefold()
           for row_id, other in session.exec(select(table.id, table.name))):
        return {"name": f"There is already a {_NOUNS[table]} called {name}."}
    return {}


def _change(session: Session, table: type[_Row]) -> int:
    """Only a manager changes services or providers; returns who."""
    return require_manager(session, f"change {_NOUNS[table]}s")


def _found(session: Session, table: type[_Row], row_id: int) -> _Row:
    row = session.get(table, row_id)
    if row is None:
        raise NotFound(f"No such {_NOUNS[table]}.")
    return row


def _saved(session: Session, row: _Row) -> _Row:
    session.add(row)
    session.flush()
    return row


def _archive(session: Session, table: type[_Row], row_id: int, archived: bool) -> _Row:
    actor = _change(session, table)
    row = _found(session, table, row_id)
    row.archived = archived
    record(session, kind=AuditKind.ARCHIVED if archived else AuditKind.RESTORED, at=clock(session),
           staff_id=actor, subject=f"{_NOUNS[table]} {row_id}", detail=row.name)
    return _saved(session, row)


def _listed(session: Session, table: type[_Row], include_archived: bool) -> list[_Row]:
    statement = select(table).order_by(table.name)
    if not include_archived:
        statement = statement.where(table.archived == False)  # noqa: E712
    return list(session.exec(statement))


def _service_errors(
    session: Session, business: Business, *, name: str, duration_min: int, price: int, service_id: int | None = None
) -> dict[str, str]:
    """A message per bad field of a service; the name is unique ignoring case (itself excepted)."""
    errors = _name_errors(session, Service, name, service_id)
    if problem := duration_problem(duration_min):
        errors["duration_min"] = problem
    if problem := amount_problem(price, business.currency, what="price"):
        errors["price"] = problem
    return errors


def add_service(session: Session, business: Business, *, name: str, duration_min: int, price: int) -> ServiceView:
    """A new service (managers)."""
    actor = _change(session, Service)
    name = name.strip()
    errors = _service_errors(session, business, name=name, duration_min=duration_min, price=price)
    if errors:
        raise InvalidInput(errors)
    service = _saved(session, Service(name=name, duration_min=duration_min, price=price))
    _service_saved(session, business, service, actor)
    return service_view(service)


def _service_saved(session: Session, business: Business, service: Service, actor: int) -> None:
    record(session, kind=AuditKind.SERVICE_SAVED, at=clock(session), staff_id=actor, subject=f"service {service.id}",
           detail=f"{service.name}, {service.duration_min} min, {format_money(service.price, business.currency)}")


def update_service(
    session: Session, business: Business, *, service_id: int, name: str, duration_min: int, price: int,
) -> ServiceView:
    """Change a service's name, duration and price (managers). Invalid input saves nothing."""
    actor = _change(session, Service)
    service = _found(session, Service, service_id)
    name = name.strip()
    errors = _service_errors(session, business, name=name, duration_min=duration_min, price=price,
                             service_id=service_id)
    if errors:
        raise InvalidInput(errors)
    service.name = name
    service.duration_min = duration_min
    service.price = price
    _service_saved(session, business, _saved(session, service), actor)
    return service_view(service)


def archive_service(session: Session, service_id: int, archived: bool = True) -> ServiceView:
    """Stop offering a service, or offer it again (managers)."""
    return service_view(_archive(session, Service, service_id, archived))


def list_services(session: Session, include_archived: bool = False) -> list[ServiceView]:
    return [service_view(row) for row in _listed(session, Service, include_archived)]


def add_provider(session: Session, *, name: str) -> ProviderView:
    """A new provider (managers)."""
    actor = _change(session, Provider)
    name = name.strip()
    errors = _name_errors(session, Provider, name)
    if errors:
        raise InvalidInput(errors)
    provider = _saved(session, Provider(name=name))
    record(session, kind=AuditKind.PROVIDER_SAVED, at=clock(session), staff_id=actor,
           subject=f"provider {provider.id}", detail=name)
    return provider_view(provider)


def archive_provider(session: Session, provider_id: int, archived: bool = True) -> ProviderView:
    """Stop booking a provider, or book them again (managers)."""
    return provider_view(_archive(session, Provider, provider_id, archived))


def list_providers(session: Session, include_archived: bool = False) -> list[ProviderView]:
    return [provider_view(row) for row in _listed(session, Provider, include_archived)]


# ---- packages ---------------------------------------------------------------------------------


def package_terms(session: Session, package: Package) -> Terms:
    """The catalogue package's current terms, with service and provider names filled in."""
    names = dict(session.exec(select(Service.id, Service.name)).all())
    service_ids = tuple(session.exec(
        select(PackageService.service_id).where(PackageService.package_id == package.id)
        .order_by(PackageService.service_id)
    ))
    lines = tuple(
        FixedLine(service_id=line.service_id, service_name=names[line.service_id], quantity=line.quantity)
        for line in session.exec(
            select(PackageLine).where(PackageLine.package_id == package.id).order_by(PackageLine.position)
        )
    )
    provider = session.get(Provider, package.provider_id) if package.provider_id else None
    return Terms(
        title=package.title,
        contents=Contents(package.contents),
        value_type=ValueType(package.value_type) if package.value_type else None,
        quantity=package.quantity,
        all_services=package.all_services,
        service_ids=service_ids,
        service_names=tuple(names[service_id] for service_id in service_ids),
        fixed_lines=lines,
        price=package.price,
        for_sale=package.for_sale,
        provider_id=package.provider_id,
        provider_name=provider.name if provider else None,
        expires_in=Period(package.expires_count, PeriodUnit(package.expires_unit))
        if package.expires_count is not None and package.expires_unit else None,
        weekdays=frozenset(int(day) for day in package.weekdays.split(",") if day)
        if package.weekdays is not None else None,
        window=(package.window_start, package.window_end)
        if package.window_start is not None and package.window_end is not None else None,
        date_range=(package.date_from, package.date_to)
        if package.date_from is not None and package.date_to is not None else None,
        fixed_dates=tuple(date.fromisoformat(day) for day in package.fixed_dates)
        if package.fixed_dates is not None else None,
        starts_on_first_visit=package.starts_on_first_visit,
        cancel_notice_hours=package.cancel_notice_hours,
        late_cancel_forfeits=package.late_cancel_forfeits,
        no_show_forfeits=package.no_show_forfeits,
    )


def _catalogue_facts(session: Session, package_id: int | None) -> CatalogueFacts:
    titles = select(Package.title).where(Package.archived == False)  # noqa: E712
    if package_id is not None:
        titles = titles.where(Package.id != package_id)
    return CatalogueFacts(
        other_active_titles=frozenset(title.strip().lower() for title in session.exec(titles)),
        archived_service_ids=frozenset(session.exec(select(Service.id).where(Service.archived == True))),  # noqa: E712
        archived_provider_ids=frozenset(session.exec(select(Provider.id).where(Provider.archived == True))),  # noqa: E712
        known_service_ids=frozenset(session.exec(select(Service.id))),
    )


def _with_names(session: Session, terms: Terms) -> Terms:
    """Terms with service and provider names taken from the catalogue (callers pass ids)."""
    names = dict(session.exec(select(Service.id, Service.name)).all())
    provider = session.get(Provider, terms.provider_id) if terms.provider_id else None
    return replace(
        terms,
        title=terms.title.strip(),
        service_names=tuple(names.get(service_id, "?") for service_id in terms.service_ids),
        fixed_lines=tuple(
            replace(line, service_name=names.get(line.service_id, "?")) for line in terms.fixed_lines
        ),
        provider_name=provider.name if provider else None,
    )


def save_package(
    session: Session, business: Business, *, terms: Terms, package_id: int | None = None,
) -> PackageView:
    """Create or edit a catalogue package (managers). Invalid terms raise InvalidInput with a
    message per field and save nothing. Holdings already sold keep the terms they were sold with."""
    actor = require_manager(session, "edit packages")
    now = clock(session)
    terms = _with_names(session, terms)
    errors = dict(validate_terms(terms, _catalogue_facts(session, package_id), business.currency).messages)
    if errors:
        raise InvalidInput(errors)
    if package_id is None:
        package = Package(title=terms.title, contents=terms.contents, created_at=now)
    else:
        package = session.get(Package, package_id)
        if package is None:
            raise NotFound("No such package.")
    package.title = terms.title
    package.contents = terms.contents
    package.value_type = terms.value_type if terms.contents is Contents.ANY else None
    package.quantity = terms.quantity
    package.all_services = terms.all_services
    package.price = terms.price
    package.for_sale = terms.for_sale
    package.provider_id = terms.provider_id
    package.expires_count = terms.expires_in.count if terms.expires_in else None
    package.expires_unit = terms.expires_in.unit if terms.expires_in else None
    package.weekdays = ",".join(str(day) for day in sorted(terms.weekdays)) if terms.weekdays is not None else None
    package.window_start, package.window_end = terms.window or (None, None)
    package.date_from, package.date_to = terms.date_range or (None, None)
    package.fixed_dates = [day.isoformat() for day in terms.fixed_dates] if terms.fixed_dates is not None else None
    package.starts_on_first_visit = terms.starts_on_first_visit
    package.cancel_notice_hours = terms.cancel_notice_hours
    package.late_cancel_forfeits = terms.late_cancel_forfeits
    package.no_show_forfeits = terms.no_show_forfeits
    package.updated_at = now
    session.add(package)
    session.flush()
    session.exec(delete(PackageService).where(PackageService.package_id == package.id))  # type: ignore[call-overload]
    session.exec(delete(PackageLine).where(PackageLine.package_id == package.id))  # type: ignore[call-overload]
    if terms.contents is Contents.ANY and not terms.all_services:
        session.add_all(PackageService(package_id=package.id, service_id=service_id)
                        for service_id in sorted(set(terms.service_ids)))
    if terms.contents is Contents.FIXED:
        session.add_all(
            PackageLine(package_id=package.id, position=position, service_id=line.service_id,
                        quantity=line.quantity)
            for position, line in enumerate(terms.fixed_lines)
        )
    session.flush()
    record(session, kind=AuditKind.PACKAGE_SAVED, at=now, staff_id=actor, subject=f"package {package.id}",
           detail=summary(terms, business.currency))
    return package_view(session, business, package)


def package_view(session: Session, business: Business, package: Package) -> PackageView:
    terms = package_terms(session, package)
    sold = session.exec(select(func.count()).select_from(Holding).where(Holding.package_id == package.id)).one()
    return PackageView(id=package.id, terms=terms, summary=summary(terms, business.currency),
                       archived=package.archived, sold_count=sold)


def get_package(session: Session, business: Business, package_id: int) -> PackageView:
    package = session.get(Package, package_id)
    if package is None:
        raise NotFound("No such package.")
    return package_view(session, business, package)


def archive_package(
    session: Session, business: Business, *, package_id: int, archived: bool = True,
) -> PackageView:
    """Stop selling a package (or bring it back, if its title is still free)."""
    actor = require_manager(session, "archive packages")
    package = session.get(Package, package_id)
    if package is None:
        raise NotFound("No such package.")
    if not archived and package.title.strip().lower() in _catalogue_facts(session, package_id).other_active_titles:
        raise InvalidInput({"title": f"Another active package is already called '{package.title}'."})
    package.archived = archived
    session.add(package)
    session.flush()
    record(session, kind=AuditKind.ARCHIVED if archived else AuditKind.RESTORED, at=clock(session), staff_id=actor,
           subject=f"package {package_id}", detail=package.title)
    return package_view(session, business, package)


def list_packages(
    session: Session, business: Business, *, include_archived: bool = False, for_sale_only: bool = False
) -> list[PackageView]:
    statement = select(Package).order_by(Package.title)
    if not include_archived:
        statement = statement.where(Package.archived == False)  # noqa: E712
    if for_sale_only:
        statement = statement.where(Package.for_sale == True)  # noqa: E712
    return [package_view(session, business, row) for row in session.exec(statement)]


# ---- what the catalogue screens read ------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ServicesAndProviders:
    """Every service and provider, archived ones too (the services screen's two lists)."""

    services: list[ServiceView]
    providers: list[ProviderView]


def services_and_providers(session: Session) -> ServicesAndProviders:
    return ServicesAndProviders(list_services(session, include_archived=True),
                                list_providers(session, include_archived=True))


@dataclass(frozen=True, slots=True)
class PackageEditor:
    """What the package editor needs: the package (None for a new one), every service and
    provider (archived included, to name them), and the facts `validate_terms` checks against."""

    package: PackageView | None
    services: list[ServiceView]
    providers: list[ProviderView]
    facts: CatalogueFacts


def package_editor(session: Session, business: Business, *, package_id: int | None) -> PackageEditor:
    """The package (or None for a new one) and the catalogue around it."""
    package = get_package(session, business, package_id) if package_id is not None else None
    return PackageEditor(package=package, services=list_services(session, include_archived=True),
                         providers=list_providers(session, include_archived=True),
                         facts=_catalogue_facts(session, package_id))
