"""Community service data: featured brands and Red Rope stations, managed by staff handling cases there."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.accounts.enums import Capability
from grassroots.catalogue.models import RedRopeStation, ServiceBrand, ServiceCategory
from grassroots.catalogue.services.common import Errors, audit, check_community, text_check
from grassroots.core.audit import snapshot
from grassroots.organizations.models import Organization
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Region

# Brands and Red Rope stations (community data)


def _providers_validate(errors: Errors, actor: Any, providers: Sequence[Organization]) -> list[Organization]:
    providers = list(providers)
    if actor is not None and providers:
        visible = (
            Organization.objects.visible_to(actor, Capability.HANDLE_CASES)
            .filter(pk__in=[p.pk for p in providers])
            .count()
        )
        if visible != len({p.pk for p in providers}):
            errors.add("providers", _("Choose providers from the list."))
    return providers


def _brand_validate(errors: Errors, *, name: str, description: str, region: Region | None) -> tuple[str, str]:
    name = text_check(errors, "name", name, limit=60)
    description = text_check(errors, "description", description, limit=500, required=False)
    if region is None or region.kind != RegionKind.COMMUNITY:
        errors.add("region", _("Choose the community."))
    return name, description


@transaction.atomic
def brand_create(
    *,
    actor: Any,
    name: str,
    region: Region | None,
    description: str = "",
    category: ServiceCategory | None = None,
    providers: Sequence[Organization] = (),
) -> ServiceBrand:
    check_community(actor, region)
    errors = Errors()
    name, description = _brand_validate(errors, name=name, description=description, region=region)
    provider_list = _providers_validate(errors, actor, providers)
    errors.raise_if_any()
    brand = ServiceBrand(name=name, description=description, region=region, category=category)
    brand.copy_scope_from(region)
    brand.save()
    brand.providers.set(provider_list)
    audit(actor=actor, obj=brand, before=None, extra={"providers": sorted(p.pk for p in provider_list)})
    return brand


@transaction.atomic
def brand_update(
    *,
    actor: Any,
    brand: ServiceBrand,
    name: str,
    region: Region | None,
    description: str = "",
    category: ServiceCategory | None = None,
    providers: Sequence[Organization] = (),
    is_active: bool = True,
) -> ServiceBrand:
    brand = ServiceBrand.objects.select_for_update().get(pk=brand.pk)
    check_community(actor, brand.region)
    check_community(actor, region)
    before = snapshot(brand)
    old_providers = sorted(brand.providers.values_list("pk", flat=True))
    errors = Errors()
    name, description = _brand_validate(errors, name=name, description=description, region=region)
    provider_list = _providers_validate(errors, actor, providers)
    errors.raise_if_any()
    brand.name, brand.description, brand.category, brand.is_active = name, description, category, bool(is_active)
    brand.region = region  # type: ignore[assignment]
    brand.copy_scope_from(region)
    brand.save()
    brand.providers.set(provider_list)
    new_providers = sorted(p.pk for p in provider_list)
    extra = {"providers": [old_providers, new_providers]} if new_providers != old_providers else {}
    audit(actor=actor, obj=brand, before=before, extra=extra)
    return brand


def _station_validate(
    errors: Errors, *, name: str, region: Region | None, location: str, opening_hours: str
) -> tuple[str, str, str]:
    name = text_check(errors, "name", name, limit=60)
    location = text_check(errors, "location", location, limit=120, required=False)
    opening_hours = text_check(errors, "opening_hours", opening_hours, limit=60, required=False)
    if region is None or region.kind not in (RegionKind.COMMUNITY, RegionKind.COMPOUND):
        errors.add("region", _("Choose the community or compound the station serves."))
    return name, location, opening_hours


@transaction.atomic
def station_create(
    *, actor: Any, name: str, region: Region | None, location: str = "", opening_hours: str = ""
) -> RedRopeStation:
    check_community(actor, region)
    errors = Errors()
    name, location, opening_hours = _station_validate(
        errors, name=name, region=region, location=location, opening_hours=opening_hours
    )
    errors.raise_if_any()
    station = RedRopeStation(name=name, region=region, location=location, opening_hours=opening_hours)
    station.copy_scope_from(region)
    station.save()
    audit(actor=actor, obj=station, before=None)
    return station


@transaction.atomic
def station_update(
    *,
    actor: Any,
    station: RedRopeStation,
    name: str,
    region: Region | None,
    location: str = "",
    opening_hours: str = "",
    is_active: bool = True,
) -> RedRopeStation:
    station = RedRopeStation.objects.select_for_update().get(pk=station.pk)
    check_community(actor, station.region)
    check_community(actor, region)
    before = snapshot(station)
    errors = Errors()
    name, location, opening_hours = _station_validate(
        errors, name=name, region=region, location=location, opening_hours=opening_hours
    )
    errors.raise_if_any()
    station.name, station.location, station.opening_hours = name, location, opening_hours
    station.region, station.is_active = region, bool(is_active)  # type: ignore[assignment]
    station.copy_scope_from(region)
    station.save()
    audit(actor=actor, obj=station, before=before)
    return station
