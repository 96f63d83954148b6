"""Reads about people, always for an acting user; search by name, pinyin, initials or exact number."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from grassroots.core.personal_data import lookup_hash, normalize_id_number
from grassroots.people.models import Person

ID_RE = re.compile(r"^\d{17}[\dXx]$")
MOBILE_RE = re.compile(r"^1\d{10}$")
LATIN_RE = re.compile(r"^[A-Za-z]+$")


def person_search_q(q: str) -> Q:
    """How a search box query matches: exact ID or mobile (through the hash), pinyin, initials or name."""
    q = q.strip()
    if not q:
        return Q()
    compact = q.replace(" ", "").replace("-", "")
    if ID_RE.match(compact):
        return Q(id_number_hash=lookup_hash(normalize_id_number(compact)))
    if MOBILE_RE.match(compact):
        return Q(mobile_hash=lookup_hash(compact))
    if LATIN_RE.match(q):
        low = q.lower()
        return Q(name_initials__startswith=low) | Q(name_pinyin__startswith=low)
    return Q(name__contains=q)


def person_list(*, user: Any, q: str = "", region: int | None = None, grid: int | None = None) -> QuerySet[Person]:
    qs = Person.objects.visible_to(user).select_related("ethnicity", "community", "compound")
    if q:
        qs = qs.filter(person_search_q(q))
    if region:
        from grassroots.territory.models import Region

        node = Region.objects.filter(pk=region).only("kind").first()
        if node is None or node.kind not in ("district", "street", "community", "compound"):
            return qs.none()
        qs = qs.filter(**{f"{node.kind}_id": node.pk})
    if grid:
        qs = qs.filter(grid_id=grid)
    return qs.order_by("name_pinyin", "id")


def person_get(*, user: Any, pk: int) -> Person:
    """The person, or 404 when outside the user's scope."""
    return get_object_or_404(
        Person.objects.visible_to(user).select_related("ethnicity", "household", "community", "street", "compound"),
        pk=pk,
    )
