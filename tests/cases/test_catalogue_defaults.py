"""The default catalogue: 10 categories of service posts, 52 items, installed once."""

from __future__ import annotations

from typing import Any

from grassroots.catalogue import defaults
from grassroots.catalogue.enums import FirstHandler, HoursKind, ServiceMode
from grassroots.catalogue.models import ServiceAttribute, ServiceCategory, ServiceItem, SlaPolicy
from grassroots.catalogue.services import catalogue_install_defaults
from grassroots.core.models import AuditEvent


def counts() -> tuple[int, int, int, int]:
    return (
        SlaPolicy.objects.count(),
        ServiceCategory.objects.count(),
        ServiceItem.objects.count(),
        ServiceAttribute.objects.count(),
    )


def test_install_creates_ten_categories_and_fifty_two_items_once(db: Any) -> None:
    attributes = sum(len(a) for a in defaults.ATTRIBUTES.values())
    created = catalogue_install_defaults()
    assert counts() == (4, 10, 52, attributes)
    assert created == 4 + 10 + 52  # policies, categories, items (attributes come with their item)
    assert AuditEvent.objects.filter(action="import").count() == 1

    assert catalogue_install_defaults() == 0
    assert counts() == (4, 10, 52, attributes)
    assert AuditEvent.objects.filter(action="import").count() == 1


def test_install_leaves_district_edits_alone_and_fills_gaps(db: Any) -> None:
    catalogue_install_defaults()
    ServiceItem.objects.filter(code="hornet-nest").update(name="摘除蜂巢")
    ServiceItem.objects.filter(code="vaccination").delete()
    assert catalogue_install_defaults() == 1
    assert ServiceItem.objects.get(code="hornet-nest").name == "摘除蜂巢"
    assert ServiceItem.objects.count() == 52
    assert ServiceItem.objects.get(code="vaccination").category.code == "health"


def test_defaults_are_consistent(db: Any) -> None:
    catalogue_install_defaults()
    assert len({c.name for c in ServiceCategory.objects.all()}) == 10
    assert [c.order for c in ServiceCategory.objects.all()] == list(range(1, 11))
    assert set(ServiceCategory.objects.values_list("first_handler", flat=True)) <= set(FirstHandler.values)
    assert set(ServiceItem.objects.values_list("mode", flat=True)) == set(ServiceMode.values)
    for item in ServiceItem.objects.select_related("category__sla_policy"):
        policy = item.effective_sla
        assert 1 <= policy.response_hours < policy.resolution_hours, item.code
        assert policy.hours_kind in HoursKind.values
        if item.mode == ServiceMode.APPOINTMENT:
            assert (item.slot_minutes, item.slot_capacity) == (30, 4), item.code
        else:
            assert item.slot_minutes is None and item.slot_capacity is None, item.code
    assert set(defaults.ATTRIBUTES) <= set(ServiceItem.objects.values_list("code", flat=True))
    nest = ServiceAttribute.objects.get(item__code="hornet-nest", code="nest_spot")
    assert nest.required and nest.datatype == "string"
