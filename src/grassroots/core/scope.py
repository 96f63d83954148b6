"""Data scope: turns a user's role assignments into one indexed WHERE clause.

Every row that belongs to the territory carries the ids of its district, street, community and compound
(and grid where it applies). A role assignment anchors a user at one region (or grid); a user sees a row when
the row's column for the anchor's level equals the anchor's id. This is an equality on an indexed column, not a
tree walk, and every list, detail, count, export, API call and admin page goes through it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Self, cast

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from grassroots.accounts.roles import Capability

LEVELS = ("district", "street", "community", "compound", "grid")
NOTHING = Q(pk__in=[])
# Matches every row, and unlike an empty ``Q()`` it survives being OR-ed with another condition
# (``Q() | Q(person_id=1)`` is just ``Q(person_id=1)``: a superuser would see only their own rows).
EVERYTHING = ~Q(pk__in=[])


class ScopedQuerySet(models.QuerySet[Any]):
    """A queryset whose model declares ``SCOPE_FIELDS`` (level → lookup) and ``SCOPE_CAPABILITY``.

    A lookup names a foreign key to compare with the anchor's id (``"community"``, ``"person__community"``),
    or is ``"pk"`` when the row is the anchor itself (a grid).
    """

    def visible_to(self, user: Any, capability: Capability | str | None = None) -> Self:
        return self.filter(scope_q(self.model, user, capability))


def scope_q(model: type[models.Model], user: Any, capability: Capability | str | None = None) -> Q:
    """The filter that limits ``model`` rows to what ``user`` may see with ``capability``."""
    from grassroots.accounts.roles import anchors_for

    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    capability = capability or cast(str, getattr(model, "SCOPE_CAPABILITY"))  # noqa: B009
    fields = cast(dict[str, str], getattr(model, "SCOPE_FIELDS"))  # noqa: B009
    q = NOTHING
    for anchor in anchors_for(user, capability):
        level: str = anchor.level
        pk: int | None = anchor.pk
        if level == "grid" and "grid" not in fields:
            level, pk = "community", anchor.community_id
        if level == "compound" and "compound" not in fields:
            level, pk = "community", anchor.community_id
        lookup = fields.get(level)
        if lookup is None or pk is None:
            continue
        q |= Q(pk=pk) if lookup == "pk" else Q(**{f"{lookup}_id": pk})
    return q


def _scope_column(verbose_name: Any) -> Any:
    """A denormalised, indexed pointer to the region of one level; filled by services, never edited by hand."""
    return models.ForeignKey(
        "territory.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=verbose_name,
    )


class RegionScopedModel(models.Model):
    """Abstract base: the denormalised region columns that scope filters compare against."""

    district = _scope_column(_("district"))
    street = _scope_column(_("street"))
    community = _scope_column(_("community"))
    compound = _scope_column(_("compound"))

    SCOPE_FIELDS: ClassVar[dict[str, str]] = {
        "district": "district",
        "street": "street",
        "community": "community",
        "compound": "compound",
    }

    class Meta:
        abstract = True

    def copy_scope_from(self, region: Any) -> None:
        """Take the scope columns of ``region`` (or clear them when it is None)."""
        for level in ("district", "street", "community", "compound"):
            setattr(self, f"{level}_id", getattr(region, f"{level}_id", None) if region else None)
