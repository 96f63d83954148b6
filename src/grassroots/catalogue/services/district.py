"""The district-wide catalogue: SLA policies, categories, items and their questions (MANAGE_CATALOGUE)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.catalogue.enums import AttributeType, FirstHandler, HoursKind, ProviderKind, ServiceMode
from grassroots.catalogue.models import ServiceAttribute, ServiceCategory, ServiceItem, SlaPolicy
from grassroots.catalogue.services.common import (
    MAX_RESOLUTION_HOURS,
    MAX_RESPONSE_HOURS,
    Errors,
    audit,
    check_manage,
    code_check,
    hours_check,
    text_check,
)
from grassroots.core.audit import audit_record, model_changes, snapshot
from grassroots.core.models import AuditAction

LIST_TYPES = (AttributeType.SINGLE, AttributeType.MULTI)


# SLA policies


def _sla_validate(
    errors: Errors, *, name: str, response_hours: Any, resolution_hours: Any, hours_kind: str
) -> tuple[str, int, int]:
    name = text_check(errors, "name", name, limit=60)
    response = hours_check(errors, "response_hours", response_hours, MAX_RESPONSE_HOURS)
    resolution = hours_check(errors, "resolution_hours", resolution_hours, MAX_RESOLUTION_HOURS)
    if response and resolution and resolution < response:
        errors.add("resolution_hours", _("The resolution time cannot be shorter than the response time."))
    if hours_kind not in HoursKind.values:
        errors.add("hours_kind", _("Choose how the hours are counted."))
    return name, response, resolution


@transaction.atomic
def sla_policy_create(
    *, actor: Any, code: str, name: str, response_hours: int, resolution_hours: int, hours_kind: str
) -> SlaPolicy:
    check_manage(actor)
    errors = Errors()
    code = code_check(errors, code, SlaPolicy.objects.all())
    name, response, resolution = _sla_validate(
        errors, name=name, response_hours=response_hours, resolution_hours=resolution_hours, hours_kind=hours_kind
    )
    errors.raise_if_any()
    policy = SlaPolicy.objects.create(
        code=code, name=name, response_hours=response, resolution_hours=resolution, hours_kind=hours_kind
    )
    audit(actor=actor, obj=policy, before=None)
    return policy


@transaction.atomic
def sla_policy_update(
    *, actor: Any, policy: SlaPolicy, name: str, response_hours: int, resolution_hours: int, hours_kind: str
) -> SlaPolicy:
    """Change a policy; it applies to cases submitted from now on (deadlines already set stay)."""
    check_manage(actor)
    policy = SlaPolicy.objects.select_for_update().get(pk=policy.pk)
    before = snapshot(policy)
    errors = Errors()
    name, response, resolution = _sla_validate(
        errors, name=name, response_hours=response_hours, resolution_hours=resolution_hours, hours_kind=hours_kind
    )
    errors.raise_if_any()
    policy.name, policy.response_hours, policy.resolution_hours, policy.hours_kind = (
        name,
        response,
        resolution,
        hours_kind,
    )
    policy.save()
    audit(actor=actor, obj=policy, before=before)
    return policy


# Categories


def _category_validate(
    errors: Errors,
    *,
    category: ServiceCategory | None,
    name: str,
    description: str,
    sla_policy: SlaPolicy | None,
    first_handler: str,
    order: int,
) -> tuple[str, str]:
    name = text_check(errors, "name", name, limit=40)
    others = ServiceCategory.objects.exclude(pk=category.pk) if category else ServiceCategory.objects.all()
    if name and others.filter(name=name).exists():
        errors.add("name", _("Already used."))
    description = text_check(errors, "description", description, limit=300, required=False)
    if sla_policy is None:
        errors.add("sla_policy", _("Choose an SLA policy."))
    if first_handler not in FirstHandler.values:
        errors.add("first_handler", _("Choose who handles new cases first."))
    if not 0 <= int(order or 0) <= 32767:
        errors.add("order", _("Enter a number from 0 to 32767."))
    return name, description


@transaction.atomic
def category_create(
    *,
    actor: Any,
    code: str,
    name: str,
    sla_policy: SlaPolicy | None,
    first_handler: str,
    description: str = "",
    order: int = 0,
) -> ServiceCategory:
    check_manage(actor)
    errors = Errors()
    code = code_check(errors, code, ServiceCategory.objects.all())
    name, description = _category_validate(
        errors,
        category=None,
        name=name,
        description=description,
        sla_policy=sla_policy,
        first_handler=first_handler,
        order=order,
    )
    errors.raise_if_any()
    assert sla_policy is not None  # checked above
    category = ServiceCategory.objects.create(
        code=code,
        name=name,
        description=description,
        sla_policy=sla_policy,
        first_handler=first_handler,
        order=order or 0,
    )
    audit(actor=actor, obj=category, before=None)
    return category


@transaction.atomic
def category_update(
    *,
    actor: Any,
    category: ServiceCategory,
    name: str,
    sla_policy: SlaPolicy | None,
    first_handler: str,
    description: str = "",
    order: int = 0,
    is_active: bool = True,
) -> ServiceCategory:
    """Edit a category; an inactive category offers none of its items to new requests (open cases go on)."""
    check_manage(actor)
    category = ServiceCategory.objects.select_for_update().get(pk=category.pk)
    before = snapshot(category)
    errors = Errors()
    name, description = _category_validate(
        errors,
        category=category,
        name=name,
        description=description,
        sla_policy=sla_policy,
        first_handler=first_handler,
        order=order,
    )
    errors.raise_if_any()
    category.name, category.description, category.first_handler = name, description, first_handler
    category.sla_policy = sla_policy  # type: ignore[assignment]
    category.order, category.is_active = order or 0, bool(is_active)
    category.save()
    audit(actor=actor, obj=category, before=before)
    return category


# Items


def _item_validate(
    errors: Errors,
    *,
    category: ServiceCategory | None,
    name: str,
    description: str,
    keywords: str,
    mode: str,
    provider_kinds: Sequence[str],
    slot_minutes: int | None,
    slot_capacity: int | None,
    order: int,
) -> dict[str, Any]:
    if category is None:
        errors.add("category", _("Choose a category."))
    clean: dict[str, Any] = {
        "name": text_check(errors, "name", name, limit=60),
        "description": text_check(errors, "description", description, limit=500, required=False),
        "keywords": text_check(errors, "keywords", keywords, limit=200, required=False),
        "provider_kinds": [str(k) for k in provider_kinds],
        "slot_minutes": None,
        "slot_capacity": None,
        "order": order or 0,
    }
    if mode not in ServiceMode.values:
        errors.add("mode", _("Choose a service mode."))
    unknown = [k for k in clean["provider_kinds"] if k not in ProviderKind.values]
    if unknown:
        errors.add("provider_kinds", _("Choose from the listed kinds of provider."))
    if mode == ServiceMode.APPOINTMENT:
        for name_, value, top in (("slot_minutes", slot_minutes, 24 * 60), ("slot_capacity", slot_capacity, 1000)):
            if value is None or not 1 <= int(value) <= top:
                errors.add(name_, _("An appointment service needs this: a number from 1 to %(top)s.") % {"top": top})
            else:
                clean[name_] = int(value)
    if not 0 <= int(order or 0) <= 32767:
        errors.add("order", _("Enter a number from 0 to 32767."))
    return clean


@transaction.atomic
def item_create(
    *,
    actor: Any,
    category: ServiceCategory | None,
    code: str,
    name: str,
    mode: str,
    description: str = "",
    keywords: str = "",
    provider_kinds: Sequence[str] = (),
    sla_policy: SlaPolicy | None = None,
    slot_minutes: int | None = None,
    slot_capacity: int | None = None,
    order: int = 0,
) -> ServiceItem:
    check_manage(actor)
    errors = Errors()
    code = code_check(errors, code, ServiceItem.objects.all())
    clean = _item_validate(
        errors,
        category=category,
        name=name,
        description=description,
        keywords=keywords,
        mode=mode,
        provider_kinds=provider_kinds,
        slot_minutes=slot_minutes,
        slot_capacity=slot_capacity,
        order=order,
    )
    errors.raise_if_any()
    assert category is not None  # checked above
    item = ServiceItem.objects.create(category=category, code=code, mode=mode, sla_policy=sla_policy, **clean)
    audit(actor=actor, obj=item, before=None)
    return item


@transaction.atomic
def item_update(
    *,
    actor: Any,
    item: ServiceItem,
    category: ServiceCategory | None,
    name: str,
    mode: str,
    description: str = "",
    keywords: str = "",
    provider_kinds: Sequence[str] = (),
    sla_policy: SlaPolicy | None = None,
    slot_minutes: int | None = None,
    slot_capacity: int | None = None,
    order: int = 0,
) -> ServiceItem:
    """Edit an item; its code (the Open311 ``service_code``) stays, so clients' references keep working."""
    check_manage(actor)
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    before = snapshot(item)
    errors = Errors()
    clean = _item_validate(
        errors,
        category=category,
        name=name,
        description=description,
        keywords=keywords,
        mode=mode,
        provider_kinds=provider_kinds,
        slot_minutes=slot_minutes,
        slot_capacity=slot_capacity,
        order=order,
    )
    errors.raise_if_any()
    for field_name, value in clean.items():
        setattr(item, field_name, value)
    item.category = category  # type: ignore[assignment]
    item.mode, item.sla_policy = mode, sla_policy
    item.save()
    audit(actor=actor, obj=item, before=before)
    return item


@transaction.atomic
def item_set_active(*, actor: Any, item: ServiceItem, active: bool) -> ServiceItem:
    """Offer an item to new requests again, or stop offering it; items are never deleted (cases refer to them)."""
    check_manage(actor)
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    if item.is_active != active:
        before = snapshot(item)
        item.is_active = active
        item.save(update_fields=["is_active"])
        audit(actor=actor, obj=item, before=before)
    return item


# Item attributes (Open311 service-definition questions)


def _values_validate(errors: Errors, datatype: str, values: Any) -> list[list[str]]:
    if datatype not in LIST_TYPES:
        return []
    rows: list[list[str]] = []
    seen: set[str] = set()
    for entry in values or []:
        if not isinstance(entry, (list, tuple)) or len(entry) != 2:
            errors.add("values", _("Give each answer as a key and a name."))
            return rows
        key, name = str(entry[0]).strip(), str(entry[1]).strip()
        if not key or not name or len(key) > 32 or len(name) > 100:
            errors.add("values", _("Each answer needs a key (at most 32 characters) and a name."))
            return rows
        if key in seen:
            errors.add("values", _("The key %(key)s is used twice.") % {"key": key})
            return rows
        seen.add(key)
        rows.append([key, name])
    if not rows:
        errors.add("values", _("A list question needs at least one answer to choose from."))
    return rows


def _attribute_validate(
    errors: Errors,
    *,
    item: ServiceItem,
    attribute: ServiceAttribute | None,
    datatype: str,
    description: str,
    order: int,
    values: Any,
) -> tuple[str, list[list[str]]]:
    if datatype not in AttributeType.values:
        errors.add("datatype", _("Choose a data type."))
    description = text_check(errors, "description", description, limit=200)
    others = item.attributes.exclude(pk=attribute.pk) if attribute else item.attributes.all()
    if not 1 <= int(order or 0) <= 32767:
        errors.add("order", _("Enter a number from 1 to 32767."))
    elif others.filter(order=order).exists():
        errors.add("order", _("Another question of this item has this position."))
    return description, _values_validate(errors, datatype, values)


@transaction.atomic
def attribute_create(
    *,
    actor: Any,
    item: ServiceItem,
    code: str,
    datatype: str,
    description: str,
    required: bool = False,
    order: int = 1,
    values: Any = None,
) -> ServiceAttribute:
    check_manage(actor)
    errors = Errors()
    code = code_check(errors, code, item.attributes.all())
    description, rows = _attribute_validate(
        errors, item=item, attribute=None, datatype=datatype, description=description, order=order, values=values
    )
    errors.raise_if_any()
    attribute = ServiceAttribute.objects.create(
        item=item, code=code, datatype=datatype, description=description, required=required, order=order, values=rows
    )
    audit_record(actor=actor, action=AuditAction.UPDATE, target=item, changes={"attribute": [None, code]})
    return attribute


@transaction.atomic
def attribute_update(
    *,
    actor: Any,
    attribute: ServiceAttribute,
    datatype: str,
    description: str,
    required: bool = False,
    order: int = 1,
    values: Any = None,
) -> ServiceAttribute:
    """Edit a question; its code stays, so answers already given keep their meaning."""
    check_manage(actor)
    attribute = ServiceAttribute.objects.select_for_update().select_related("item").get(pk=attribute.pk)
    before = snapshot(attribute)
    errors = Errors()
    description, rows = _attribute_validate(
        errors,
        item=attribute.item,
        attribute=attribute,
        datatype=datatype,
        description=description,
        order=order,
        values=values,
    )
    errors.raise_if_any()
    attribute.datatype, attribute.description, attribute.required = datatype, description, bool(required)
    attribute.order, attribute.values = order, rows
    attribute.save()
    changes = {f"attribute.{k}": v for k, v in model_changes(attribute, before).items()}
    audit_record(actor=actor, action=AuditAction.UPDATE, target=attribute.item, changes=changes)
    return attribute


@transaction.atomic
def attribute_delete(*, actor: Any, attribute: ServiceAttribute) -> None:
    """Stop asking a question; answers already given stay on their cases."""
    check_manage(actor)
    item = attribute.item
    code = attribute.code
    ServiceAttribute.objects.filter(pk=attribute.pk).delete()
    audit_record(actor=actor, action=AuditAction.UPDATE, target=item, changes={"attribute": [code, None]})
