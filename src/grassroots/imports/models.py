"""Excel import jobs: the uploaded file, where the job stands, and the rows that failed."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.scope import RegionScopedModel, ScopedQuerySet


class ImportKind(models.TextChoices):
    REGIONS = "regions", _("Regions")
    GRIDS = "grids", _("Grids")
    ORGANIZATIONS = "organizations", _("Organisations")
    PERSONS = "persons", _("Persons")
    PARTY_MEMBERSHIPS = "party_memberships", _("Party memberships")
    HOTLINE_CASES = "hotline_cases", _("12345 hotline tickets")
    MEMBER_ROSTER = "member_roster", _("Party member roster (dual reporting)")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    VALIDATING = "validating", _("Checking")
    VALIDATED = "validated", _("Checked")
    COMMITTING = "committing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


RUNNING = frozenset({ImportStatus.UPLOADED, ImportStatus.VALIDATING, ImportStatus.COMMITTING})


class RowOutcome(models.TextChoices):
    """One character per row in ``ImportJob.outcomes``."""

    NEW = "n", _("New")
    UPDATE = "u", _("Update")
    ERROR = "e", _("Error")


class ImportJob(RegionScopedModel):
    """One uploaded workbook of one kind. Scoped at the region of the actor's role that may import it.

    Per-row results are kept compactly: ``outcomes`` holds one character per data row (``RowOutcome``) and
    only failed rows get an ``ImportRowError``; the rows' data stays in the file.
    """

    kind = models.CharField(_("kind"), max_length=24, choices=ImportKind.choices)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.UPLOADED, db_index=True
    )
    language = models.CharField(max_length=16, default="zh-hans", editable=False)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows processed"), default=0)
    count_new = models.PositiveIntegerField(_("new"), default=0)
    count_update = models.PositiveIntegerField(_("updates"), default=0)
    count_error = models.PositiveIntegerField(_("errors"), default=0)
    outcomes = models.TextField(blank=True, editable=False)
    message = models.TextField(_("message"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    # Seeing jobs needs people-viewing; starting one needs the kind's manage capability (``importer.capability``).
    SCOPE_CAPABILITY: ClassVar[str] = "view_people"

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.original_name}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("imports:job_detail", args=[self.pk])

    @property
    def running(self) -> bool:
        return self.status in RUNNING

    @property
    def percent(self) -> int:
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0


class ImportRowError(models.Model):
    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="errors")
    row = models.PositiveIntegerField(_("row"))
    message = models.TextField(_("message"))

    class Meta:
        verbose_name = _("import row error")
        verbose_name_plural = _("import row errors")
        ordering = ["row", "id"]
        indexes = [models.Index(fields=["job", "row"])]

    def __str__(self) -> str:
        return f"{self.row}: {self.message}"
