"""Unit reporting (单位报到) and member reporting (个人报到) to a community.

A report is a request the community confirms; its region is the community (or, for a member, the compound)
reported to, so community staff see the reports to them. The unit's admin sees its own unit's reports and
members by organisation, whatever their region (selectors handle both).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.scope import RegionScopedModel, ScopedQuerySet
from grassroots.frontline.enums import (
    LIVE_REPORT_STATUSES,
    ProjectStatus,
    ReportChannel,
    ReportStatus,
    ResourceKind,
)


class _Decision(models.Model):
    """Fields every report shares: who submitted it, and the community's decision."""

    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.PENDING, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        abstract = True


class UnitReport(RegionScopedModel, _Decision):
    """A unit's party organisation reports to a community under a co-construction agreement."""

    unit = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="unit_reports", verbose_name=_("unit")
    )
    region = models.ForeignKey(
        "territory.Region", on_delete=models.PROTECT, related_name="unit_reports", verbose_name=_("community")
    )
    agreement_title = models.CharField(_("agreement"), max_length=150)
    agreement_start = models.DateField(_("agreement starts"))
    agreement_end = models.DateField(_("agreement ends"))
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)

    objects = ScopedQuerySet.as_manager()

    SCOPE_CAPABILITY: ClassVar[str] = "view_frontline"

    class Meta:
        verbose_name = _("unit report")
        verbose_name_plural = _("unit reports")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "region"],
                condition=Q(status__in=LIVE_REPORT_STATUSES),
                name="unit_report_one_live_per_community",
            ),
            models.CheckConstraint(
                condition=Q(agreement_end__gte=models.F("agreement_start")), name="unit_report_agreement_order"
            ),
        ]
        indexes = [models.Index(fields=["community", "status"])]

    def __str__(self) -> str:
        return f"{self.unit} → {self.region}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.copy_scope_from(self.region)
        super().save(*args, **kwargs)


class UnitCommitment(models.Model):
    """What the unit promises, e.g. "每年为社区办实事3件": a yearly target counted against done projects."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="commitments")
    text = models.CharField(_("commitment"), max_length=200)
    yearly_target = models.PositiveSmallIntegerField(_("per year"), default=1)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["report", "id"]

    def __str__(self) -> str:
        return self.text


class UnitResource(models.Model):
    """One line of the unit's resource list (资源清单)."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(_("kind"), max_length=12, choices=ResourceKind.choices)
    description = models.CharField(_("description"), max_length=200)
    quantity = models.CharField(_("quantity"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["report", "kind", "id"]

    def __str__(self) -> str:
        return self.description


class UnitProject(models.Model):
    """A project the unit takes on for the community (项目清单), optionally against a commitment."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="projects")
    commitment = models.ForeignKey(
        UnitCommitment, on_delete=models.SET_NULL, null=True, blank=True, related_name="projects"
    )
    title = models.CharField(_("project"), max_length=150)
    description = models.CharField(_("description"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True, db_index=True)
    residents_served = models.PositiveIntegerField(_("residents served"), default=0)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["report", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ProjectStatus.DONE) | Q(done_on__isnull=False), name="unit_project_done_has_date"
            )
        ]

    def __str__(self) -> str:
        return self.title


class MemberReport(RegionScopedModel, _Decision):
    """An in-service party member reports to the community or compound where they live, taking service posts."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="member_reports")
    home_unit = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="member_reports",
        verbose_name=_("home unit"),
    )
    region = models.ForeignKey(
        "territory.Region",
        on_delete=models.PROTECT,
        related_name="member_reports",
        verbose_name=_("community or compound"),
    )
    posts = models.ManyToManyField(
        "catalogue.ServiceCategory", blank=True, related_name="member_reports", verbose_name=_("service posts")
    )
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    channel = models.CharField(_("how reported"), max_length=8, choices=ReportChannel.choices)

    objects = ScopedQuerySet.as_manager()

    SCOPE_CAPABILITY: ClassVar[str] = "view_frontline"

    class Meta:
        verbose_name = _("member report")
        verbose_name_plural = _("member reports")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status__in=LIVE_REPORT_STATUSES), name="member_report_one_live"
            )
        ]
        indexes = [
            models.Index(fields=["community", "status"]),
            models.Index(fields=["home_unit", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.region}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.copy_scope_from(self.region)
        super().save(*args, **kwargs)
