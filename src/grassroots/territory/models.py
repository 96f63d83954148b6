"""The region tree (district → street → community → compound → building → entrance), grids and households."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from grassroots.core.scope import RegionScopedModel, ScopedQuerySet
from grassroots.territory.enums import RegionKind


class RegionQuerySet(MP_NodeQuerySet, ScopedQuerySet):  # type: ignore[misc]
    pass


class RegionManager(MP_NodeManager.from_queryset(RegionQuerySet)):  # type: ignore[misc]
    def get_queryset(self) -> RegionQuerySet:
        return RegionQuerySet(self.model, using=self._db).order_by("path")


class Region(MP_Node, RegionScopedModel):  # type: ignore[misc]
    """A node of the territory. Its scope columns hold its ancestors-or-self of each level.

    ``path`` (treebeard's materialised path, indexed) answers subtree queries with one ``LIKE 'prefix%'``;
    the scope columns answer "everything in 北辰社区" with one equality.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=RegionKind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=32, unique=True)

    node_order_by: ClassVar[list[str]] = ["code"]
    objects = RegionManager()
    history = HistoricalRecords(excluded_fields=["path", "depth", "numchild"])

    SCOPE_CAPABILITY: ClassVar[str] = "view_territory"

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("web:region_detail", args=[self.pk])


class Grid(models.Model):
    """A grid laid over one community: the compounds/buildings it covers, its boundary, its people."""

    community = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="grids",
        verbose_name=_("community"),
        limit_choices_to={"kind": RegionKind.COMMUNITY},
    )
    district = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", editable=False, null=True, verbose_name=_("district")
    )
    street = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", editable=False, null=True, verbose_name=_("street")
    )
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    areas = models.ManyToManyField(
        Region,
        related_name="covering_grids",
        blank=True,
        verbose_name=_("compounds and buildings covered"),
    )
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[areas])

    SCOPE_FIELDS: ClassVar[dict[str, str]] = {
        "district": "district",
        "street": "street",
        "community": "community",
        "grid": "pk",
    }
    SCOPE_CAPABILITY: ClassVar[str] = "view_territory"

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Household(RegionScopedModel):
    """A household at one entrance (户)."""

    entrance = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("entrance"),
        limit_choices_to={"kind": RegionKind.ENTRANCE},
    )
    grid = models.ForeignKey(Grid, on_delete=models.SET_NULL, null=True, blank=True, related_name="households")
    number = models.CharField(_("room number"), max_length=16)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    SCOPE_FIELDS: ClassVar[dict[str, str]] = {**RegionScopedModel.SCOPE_FIELDS, "grid": "grid"}
    SCOPE_CAPABILITY: ClassVar[str] = "view_people"

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [models.UniqueConstraint(fields=["entrance", "number"], name="household_unique_number")]

    def __str__(self) -> str:
        return f"{self.entrance} {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.copy_scope_from(self.entrance)
        super().save(*args, **kwargs)
