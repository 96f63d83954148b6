"""Organisations: the party tree, units, departments, property companies, owners' committees and teams."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from grassroots.core.scope import RegionScopedModel, ScopedQuerySet
from grassroots.organizations.enums import Formation, MembershipRole, OrganizationKind


class Organization(RegionScopedModel):
    """Any organisation, placed at the region (and optionally the grid) it serves."""

    kind = models.CharField(_("kind"), max_length=32, choices=OrganizationKind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=150)
    code = models.CharField(_("code"), max_length=32, unique=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    region = models.ForeignKey(
        "territory.Region", on_delete=models.PROTECT, related_name="organizations", verbose_name=_("region served")
    )
    grid = models.ForeignKey(
        "territory.Grid",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name=_("grid"),
    )
    formation = models.CharField(_("how formed"), max_length=16, choices=Formation.choices, blank=True)
    served_compounds = models.ManyToManyField(
        "territory.Region",
        blank=True,
        related_name="property_companies",
        verbose_name=_("compounds served"),
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[served_compounds])

    SCOPE_FIELDS: ClassVar[dict[str, str]] = {**RegionScopedModel.SCOPE_FIELDS, "grid": "grid"}
    SCOPE_CAPABILITY: ClassVar[str] = "view_organizations"

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(kind=OrganizationKind.OWNERS_COMMITTEE),
                name="one_owners_committee_per_compound",
            )
        ]
        indexes = [models.Index(fields=["kind", "community"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.copy_scope_from(self.region)
        super().save(*args, **kwargs)


class OrganizationMembership(models.Model):
    """A person's place in a team-like organisation (vanguard squad, volunteer team, committee)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="organization_memberships")
    role = models.CharField(_("role"), max_length=16, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    since = models.DateField(_("since"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    SCOPE_FIELDS: ClassVar[dict[str, str]] = {
        level: f"organization__{level}" for level in ("district", "street", "community", "compound", "grid")
    }
    SCOPE_CAPABILITY: ClassVar[str] = "view_organizations"

    class Meta:
        verbose_name = _("organisation membership")
        verbose_name_plural = _("organisation memberships")
        constraints = [
            models.UniqueConstraint(fields=["organization", "person"], name="membership_unique_person"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.person}"


class CommitteeSeat(RegionScopedModel):
    """A part-time committee member (兼职委员): a unit or property leader on a community committee."""

    community_region = models.ForeignKey(
        "territory.Region",
        on_delete=models.PROTECT,
        related_name="committee_seats",
        verbose_name=_("community"),
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="committee_seats")
    from_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="committee_seats", verbose_name=_("from organisation")
    )
    position = models.CharField(_("position"), max_length=60, default="兼职委员")
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    SCOPE_CAPABILITY: ClassVar[str] = "view_organizations"

    class Meta:
        verbose_name = _("part-time committee member")
        verbose_name_plural = _("part-time committee members")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="committee_seat_term_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.community_region}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.copy_scope_from(self.community_region)
        super().save(*args, **kwargs)
