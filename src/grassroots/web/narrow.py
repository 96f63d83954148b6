"""The region switcher: a user with a wide scope narrows every page to one street/community/compound.

The chosen region lives in the session. It only ever narrows: lists still go through ``visible_to(user)`` first,
and a region the user may not see is ignored (and forgotten).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from grassroots.territory.models import Region

SESSION_KEY = "narrow_region_id"
M = TypeVar("M", bound=models.Model)


def current_region(request: HttpRequest) -> Region | None:
    """The region the user narrowed to, if it is (still) within their scope."""
    cached: Any = getattr(request, "_narrow_region", False)
    if cached is not False:
        return cached  # type: ignore[no-any-return]
    region = None
    pk = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if pk:
        region = Region.objects.visible_to(request.user).filter(pk=pk).first()
        if region is None:
            request.session.pop(SESSION_KEY, None)
    request._narrow_region = region  # type: ignore[attr-defined]
    return region


def set_region(request: HttpRequest, region: Region | None) -> None:
    if region is None:
        request.session.pop(SESSION_KEY, None)
    else:
        request.session[SESSION_KEY] = region.pk
    request._narrow_region = region  # type: ignore[attr-defined]


def narrow(request: HttpRequest, queryset: QuerySet[M]) -> QuerySet[M]:
    """Limit ``queryset`` (already scoped) to the chosen region, through the model's scope columns."""
    region = current_region(request)
    if region is None or region.kind not in ("district", "street", "community", "compound"):
        return queryset
    fields: dict[str, str] = getattr(queryset.model, "SCOPE_FIELDS", {})
    lookup = fields.get(region.kind)
    if lookup is None:
        # a compound chosen on a model without a compound column: narrow to its community
        lookup = fields.get("community")
        if lookup is None or region.community_id is None:
            return queryset
        return queryset.filter(**{f"{lookup}_id": region.community_id})
    if lookup == "pk":
        return queryset
    return queryset.filter(**{f"{lookup}_id": region.pk})
