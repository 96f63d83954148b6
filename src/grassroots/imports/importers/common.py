"""Lookups the importers share: regions by code (cached) with the actor's scope."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from grassroots.territory.models import Region


class RegionLookup:
    """Regions by code, each remembered with whether the actor may write under it (``capability``)."""

    def __init__(self, *, actor: Any, capability: str) -> None:
        self.actor = actor
        self.capability = capability
        self.cache: dict[str, tuple[Region | None, bool]] = {}

    def get(self, code: str, *, kind: str | None = None) -> Region:
        """The region with ``code``, or ``RowInvalid`` if there is none, it is of another kind or out of scope."""
        from grassroots.imports.importers.base import RowInvalid
        from grassroots.territory.enums import RegionKind

        if code not in self.cache:
            region = Region.objects.filter(code=code).first()
            visible = (
                region is not None
                and Region.objects.visible_to(self.actor, self.capability).filter(pk=region.pk).exists()
            )
            if len(self.cache) > 20000:
                self.cache.clear()
            self.cache[code] = (region, visible)
        region, visible = self.cache[code]
        if region is None:
            raise RowInvalid([_("No region has the code %(code)s.") % {"code": code}])
        if kind is not None and region.kind != kind:
            raise RowInvalid(
                [
                    _("%(code)s is a %(actual)s, not a %(expected)s.")
                    % {"code": code, "actual": region.get_kind_display(), "expected": RegionKind(kind).label}
                ]
            )
        if not visible:
            raise RowInvalid([_("%(code)s is outside the area you may import into.") % {"code": code}])
        return region
