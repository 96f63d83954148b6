"""Reads of the catalogue, always for an acting user.

Categories, items and SLA policies are district-wide: anyone who may view cases reads them. Brands and Red Rope
stations are community data, read through ``visible_to``; out-of-scope ones are a 404 (``DoesNotExist``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import has_capability
from grassroots.catalogue.models import (
    RedRopeStation,
    ServiceAttribute,
    ServiceBrand,
    ServiceCategory,
    ServiceItem,
    SlaPolicy,
)


def _reader(user: Any) -> bool:
    return has_capability(user, Capability.VIEW_CASES)


def category_list(*, user: Any, q: str = "") -> QuerySet[ServiceCategory]:
    if not _reader(user):
        return ServiceCategory.objects.none()
    qs = ServiceCategory.objects.select_related("sla_policy").annotate(
        item_count=Count("items", filter=Q(items__is_active=True))
    )
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(description__icontains=q))
    return qs.order_by("order", "code")


def category_get(*, user: Any, pk: int) -> ServiceCategory:
    return category_list(user=user).get(pk=pk)


def item_list(
    *, user: Any, q: str = "", category: int | None = None, mode: str = "", active: bool | None = None
) -> QuerySet[ServiceItem]:
    if not _reader(user):
        return ServiceItem.objects.none()
    qs = ServiceItem.objects.select_related("category", "sla_policy", "category__sla_policy").annotate(
        attribute_count=Count("attributes")
    )
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(code__icontains=q) | Q(keywords__icontains=q) | Q(description__icontains=q)
        )
    if category:
        qs = qs.filter(category_id=category)
    if mode:
        qs = qs.filter(mode=mode)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("category__order", "order", "code")


def item_get(*, user: Any, pk: int) -> ServiceItem:
    return item_list(user=user).get(pk=pk)


def item_attributes(*, item: ServiceItem) -> QuerySet[ServiceAttribute]:
    return item.attributes.order_by("order", "pk")


def sla_policy_list(*, user: Any) -> QuerySet[SlaPolicy]:
    if not _reader(user):
        return SlaPolicy.objects.none()
    return SlaPolicy.objects.order_by("response_hours", "code")


def brand_list(*, user: Any, q: str = "", capability: str | None = None) -> QuerySet[ServiceBrand]:
    qs = ServiceBrand.objects.visible_to(user, capability).select_related("region", "category")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(description__icontains=q))
    return qs.order_by("region__path", "name")


def brand_get(*, user: Any, pk: int, capability: str | None = None) -> ServiceBrand:
    return brand_list(user=user, capability=capability).get(pk=pk)


def station_list(*, user: Any, q: str = "", capability: str | None = None) -> QuerySet[RedRopeStation]:
    qs = RedRopeStation.objects.visible_to(user, capability).select_related("region")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(location__icontains=q))
    return qs.order_by("region__path", "name")


def station_get(*, user: Any, pk: int, capability: str | None = None) -> RedRopeStation:
    return station_list(user=user, capability=capability).get(pk=pk)
