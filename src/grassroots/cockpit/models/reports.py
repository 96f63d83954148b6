"""Work reports (工作报告): a region's monthly or quarterly report, generated in the background as PDF and Excel.

The figures are gathered once from the roll-ups and frozen in ``figures`` (JSON), so a report can be rendered
again after the staff edit its prose without recomputing anything. One report per region, kind and period:
asking again regenerates it.
"""

from __future__ import annotations

import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.scope import RegionScopedModel, ScopedQuerySet


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Generating")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


ACTIVE_STATUSES = frozenset({ReportStatus.QUEUED, ReportStatus.RUNNING})


def report_file_path(instance: WorkReport, filename: str) -> str:
    """Files are kept under an unguessable name; they are only ever served through the scoped download view."""
    suffix = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"cockpit/reports/{instance.period_start:%Y}/{secrets.token_hex(12)}.{suffix}"


class WorkReport(RegionScopedModel):
    """One region's work report for one month or quarter: where its generation stands, its prose, its files."""

    region = models.ForeignKey("territory.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    kind = models.CharField(_("kind"), max_length=16, choices=ReportKind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    step = models.CharField(_("current step"), max_length=100, blank=True)
    language = models.CharField(max_length=16, default="zh-hans", editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    practices = models.TextField(_("main practices"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    plans = models.TextField(_("next steps"), blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True, editable=False)
    pdf = models.FileField(_("PDF file"), upload_to=report_file_path, blank=True)
    xlsx = models.FileField(_("Excel file"), upload_to=report_file_path, blank=True)

    objects = ScopedQuerySet.as_manager()

    # Seeing a report needs the region's figures; requesting and editing one needs MANAGE_FRONTLINE there too.
    SCOPE_CAPABILITY: ClassVar[str] = "view_kpis"

    class Meta:
        verbose_name = _("work report")
        verbose_name_plural = _("work reports")
        ordering = ["-period_start", "-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "kind", "period_start"], name="cockpit_report_one_per_period")
        ]

    def __str__(self) -> str:
        return str(self.figures.get("title") or f"{self.region} · {self.get_kind_display()} · {self.period_start}")

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cockpit:report_detail", args=[self.pk])

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def period_label(self) -> str:
        from grassroots.cockpit.reports.build import period_label

        return period_label(self.kind, self.period_start)

    def prose(self) -> dict[str, Any]:
        return {"practices": self.practices, "problems": self.problems, "plans": self.plans}
