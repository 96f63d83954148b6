"""Output and query-parameter serializers of the territory API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from grassroots.core.api import MaskedField
from grassroots.core.personal_data import mask_mobile
from grassroots.people.enums import Employment, PersonRoleKind
from grassroots.people.models import PersonRole
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Grid, Region

# ---------------------------------------------------------------------------------------------------- regions


class RegionFilterSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(
        choices=RegionKind.choices, required=False, help_text=_("Only regions of this kind.")
    )
    # A declared field named "parent" shadows Field.parent for the type checker only (DRF pops declared fields).
    parent = serializers.IntegerField(  # type: ignore[assignment]
        required=False, min_value=1, help_text=_("Only direct children of this region.")
    )
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text=_("Name contains."))


class RegionListSerializer(serializers.ModelSerializer[Region]):
    parent = serializers.IntegerField(source="parent_pk", read_only=True, allow_null=True)  # type: ignore[assignment]

    class Meta:
        model = Region
        fields = ["id", "kind", "name", "code", "depth", "parent"]
        read_only_fields = fields


class RegionCrumbSerializer(serializers.ModelSerializer[Region]):
    class Meta:
        model = Region
        fields = ["id", "name", "kind"]
        read_only_fields = fields


class RegionDetailSerializer(serializers.ModelSerializer[Region]):
    """A region with its breadcrumb (the ancestors, root first)."""

    parent = serializers.SerializerMethodField()  # type: ignore[assignment]
    ancestors = serializers.SerializerMethodField()
    children_count = serializers.IntegerField(source="numchild", read_only=True)

    class Meta:
        model = Region
        fields = ["id", "kind", "name", "code", "depth", "parent", "ancestors", "children_count"]
        read_only_fields = fields

    def _ancestors(self, obj: Region) -> list[Region]:
        """One query for both ``parent`` and ``ancestors``."""
        cache: dict[int, list[Region]] = self.__dict__.setdefault("_ancestor_cache", {})
        if obj.pk not in cache:
            cache[obj.pk] = list(Region.objects.get_ancestors(obj))
        return cache[obj.pk]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_parent(self, obj: Region) -> int | None:
        ancestors = self._ancestors(obj)
        return ancestors[-1].pk if ancestors else None

    @extend_schema_field(RegionCrumbSerializer(many=True))
    def get_ancestors(self, obj: Region) -> list[dict[str, Any]]:
        return list(RegionCrumbSerializer(self._ancestors(obj), many=True).data)


# ------------------------------------------------------------------------------------------------------ grids


class GridFilterSerializer(serializers.Serializer[Any]):
    community = serializers.IntegerField(required=False, min_value=1, help_text=_("Only grids of this community."))
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text=_("Name contains."))


class GridListSerializer(serializers.ModelSerializer[Grid]):
    community_name = serializers.CharField(source="community.name", read_only=True)

    class Meta:
        model = Grid
        fields = ["id", "code", "name", "community", "community_name"]
        read_only_fields = fields


class GridStaffSerializer(serializers.ModelSerializer[PersonRole]):
    """A grid head or grid worker: name and employment; the mobile number masked."""

    name = serializers.CharField(source="person.name", read_only=True)
    mobile_masked = MaskedField(mask_mobile, source="person.mobile")
    employment = serializers.ChoiceField(choices=Employment.choices, read_only=True)

    class Meta:
        model = PersonRole
        fields = ["person", "name", "employment", "mobile_masked"]
        read_only_fields = fields


class GridDetailSerializer(serializers.ModelSerializer[Grid]):
    """A grid with the compounds/buildings it covers, its GeoJSON boundary, its head and its workers.

    Expects ``person_roles`` prefetched with the grid heads and workers only (see ``GridViewSet.select_one``).
    """

    community_name = serializers.CharField(source="community.name", read_only=True)
    boundary = serializers.JSONField(read_only=True, help_text=_("GeoJSON Polygon or MultiPolygon (or a Feature)."))
    head = serializers.SerializerMethodField()
    workers = serializers.SerializerMethodField()

    class Meta:
        model = Grid
        fields = ["id", "code", "name", "street", "community", "community_name", "areas", "boundary", "head", "workers"]
        read_only_fields = fields

    @extend_schema_field(GridStaffSerializer(allow_null=True))
    def get_head(self, obj: Grid) -> dict[str, Any] | None:
        heads = [r for r in obj.person_roles.all() if r.kind == PersonRoleKind.GRID_HEAD]
        return dict(GridStaffSerializer(heads[0]).data) if heads else None

    @extend_schema_field(GridStaffSerializer(many=True))
    def get_workers(self, obj: Grid) -> list[dict[str, Any]]:
        workers = [r for r in obj.person_roles.all() if r.kind == PersonRoleKind.GRID_WORKER]
        return list(GridStaffSerializer(workers, many=True).data)
