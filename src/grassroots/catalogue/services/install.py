"""Install the default catalogue a new district starts from."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from grassroots.catalogue import defaults
from grassroots.catalogue.models import ServiceAttribute, ServiceCategory, ServiceItem, SlaPolicy
from grassroots.core.audit import audit_record
from grassroots.core.models import AuditAction


@transaction.atomic
def catalogue_install_defaults(*, actor: Any = None) -> int:
    """Install the default SLA policies, 10 categories and 52 items; existing codes are left alone.

    Returns how many rows were created (0 when everything was already there).
    """
    created = 0
    policies: dict[str, SlaPolicy] = {}
    for code, name, response, resolution, kind in defaults.SLA_POLICIES:
        policies[code], new = SlaPolicy.objects.get_or_create(
            code=code,
            defaults={"name": name, "response_hours": response, "resolution_hours": resolution, "hours_kind": kind},
        )
        created += new
    for order, (code, name, sla, handler, items) in enumerate(defaults.CATEGORIES, start=1):
        category, new = ServiceCategory.objects.get_or_create(
            code=code,
            defaults={"name": name, "sla_policy": policies[sla], "first_handler": handler, "order": order},
        )
        created += new
        for item_order, (item_code, item_name, mode, providers, keywords) in enumerate(items, start=1):
            mode_value = defaults.MODES[mode]
            slots = {"slot_minutes": 30, "slot_capacity": 4} if mode_value == "appointment" else {}
            item, new = ServiceItem.objects.get_or_create(
                code=item_code,
                defaults={
                    "category": category,
                    "name": item_name,
                    "mode": mode_value,
                    "provider_kinds": providers,
                    "keywords": keywords,
                    "order": item_order,
                    **slots,
                },
            )
            created += new
            if new:
                for attr_order, (a_code, datatype, question, required, values) in enumerate(
                    defaults.ATTRIBUTES.get(item_code, []), start=1
                ):
                    ServiceAttribute.objects.create(
                        item=item,
                        code=a_code,
                        datatype=datatype,
                        description=question,
                        required=required,
                        order=attr_order,
                        values=values,
                    )
    if created:
        audit_record(actor=actor, action=AuditAction.IMPORT, detail=f"default service catalogue: {created} rows")
    return created
