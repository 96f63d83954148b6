"""A record's change history on its detail page: its audit rows that the user may see."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from grassroots.core.models import AuditEvent

HISTORY_LIMIT = 50


def record_history(
    *, user: Any, obj: models.Model, capability: str, limit: int = HISTORY_LIMIT
) -> QuerySet[AuditEvent]:
    """The latest audit rows about ``obj``, scoped like ``obj`` itself (by the capability that shows it).

    The audit page needs ``view_audit``; a record's own history only needs the right to see the record.
    """
    return (
        AuditEvent.objects.visible_to(user, capability)
        .filter(target_type=ContentType.objects.get_for_model(type(obj)), target_id=str(obj.pk))
        .select_related("actor")
        .order_by("-at", "-pk")[:limit]
    )
