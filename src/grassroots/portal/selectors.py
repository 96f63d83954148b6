"""Reads of the residents' portal.

The public pages read only public information (region names, published notices), so these selectors take no
acting user; what belongs to one resident is read through their own user (``resident_person``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from grassroots.people.models import Person
from grassroots.portal.models import Notice
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Region


def street_list_public() -> QuerySet[Region]:
    return Region.objects.filter(kind=RegionKind.STREET).only("pk", "name", "path").order_by("path")


def community_list_public(*, street_id: int) -> QuerySet[Region]:
    return (
        Region.objects.filter(kind=RegionKind.COMMUNITY, street_id=street_id)
        .only("pk", "name", "path", "street")
        .order_by("path")
    )


def community_get_public(*, pk: int | None) -> Region | None:
    if not pk:
        return None
    return Region.objects.filter(kind=RegionKind.COMMUNITY, pk=pk).select_related("street").first()


def notice_list_public(*, community: Region) -> QuerySet[Notice]:
    """Published notices of one community, newest first."""
    return Notice.objects.filter(community=community, is_published=True).only(
        "pk", "title", "published_at", "community"
    )


def notice_get_public(*, pk: int) -> Notice:
    """A published notice, or 404 (an unpublished one does not exist for the public)."""
    return get_object_or_404(Notice.objects.filter(is_published=True).select_related("community"), pk=pk)


def resident_person(*, user: Any) -> Person | None:
    """The person the signed-in user is, with their compound and community."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "person_id", None):
        return None
    return Person.objects.select_related("compound", "community", "street").filter(pk=user.person_id).first()
