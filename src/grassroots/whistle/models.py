"""Community whistles (吹哨) and the calls to departments that must report (报到), handle and be rated.

A ``Whistle`` is blown by a community or street; it has one ``WhistleCall`` per department called, and each
call carries its own deadlines, progress, escalation and rating, because departments answer (and are scored)
one by one. On-time flags are stored when the report or feedback happens, so scorecards are plain counts.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.cases.enums import Satisfaction
from grassroots.core.scope import RegionScopedModel, ScopedQuerySet
from grassroots.whistle.enums import CallStatus, EscalationLevel, Urgency, WhistleEventKind, WhistleStatus


class Whistle(RegionScopedModel):
    number = models.CharField(_("whistle number"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("what the matter is"), max_length=4000)
    region = models.ForeignKey(
        "territory.Region",
        on_delete=models.PROTECT,
        related_name="whistles",
        verbose_name=_("blown by (community or street)"),
    )
    origin_case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="whistles",
        verbose_name=_("case it was blown for"),
    )
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    handle_due = models.DateTimeField(_("handle by"))
    status = models.CharField(
        _("status"), max_length=12, choices=WhistleStatus.choices, default=WhistleStatus.OPEN, db_index=True
    )
    raised_at = models.DateTimeField(_("blown at"), db_index=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    raised_by_label = models.CharField(_("blown by"), max_length=100, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    close_note = models.CharField(_("how it ended"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()

    SCOPE_CAPABILITY: ClassVar[str] = "view_whistles"

    class Meta:
        verbose_name = _("whistle")
        verbose_name_plural = _("whistles")
        ordering = ["-raised_at", "-id"]
        indexes = [
            models.Index(fields=["community", "status"]),
            models.Index(fields=["street", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("whistle:whistle_detail", args=[self.pk])

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.copy_scope_from(self.region)
        super().save(*args, **kwargs)


class WhistleCall(RegionScopedModel):
    """One department called by a whistle: what it must do, its deadlines, what it did and its rating."""

    whistle = models.ForeignKey(Whistle, on_delete=models.CASCADE, related_name="calls")
    department = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="whistle_calls",
        verbose_name=_("department"),
    )
    task = models.CharField(_("what it must do"), max_length=500)
    status = models.CharField(
        _("status"), max_length=12, choices=CallStatus.choices, default=CallStatus.CALLED, db_index=True
    )
    called_at = models.DateTimeField(_("called at"), db_index=True)
    report_due = models.DateTimeField(_("report on site by"), db_index=True)
    handle_due = models.DateTimeField(_("handle by"))

    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    reported_at = models.DateTimeField(_("on site at"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    on_site_people = models.CharField(_("who came"), max_length=200, blank=True)
    report_note = models.CharField(_("report note"), max_length=500, blank=True)
    report_photo = models.ImageField(_("photo on site"), upload_to="whistles/%Y/%m/", blank=True)
    reported_on_time = models.BooleanField(_("reported on time"), null=True, blank=True)

    fed_back_at = models.DateTimeField(_("fed back at"), null=True, blank=True)
    feedback_note = models.TextField(_("feedback"), max_length=2000, blank=True)
    handled_on_time = models.BooleanField(_("handled on time"), null=True, blank=True)

    rating = models.CharField(_("rating"), max_length=16, choices=Satisfaction.choices, blank=True)
    rating_reason = models.CharField(_("reason"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    escalation_level = models.PositiveSmallIntegerField(
        _("escalation"), choices=EscalationLevel.choices, default=EscalationLevel.NONE
    )
    next_escalation_at = models.DateTimeField(null=True, blank=True, db_index=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    SCOPE_CAPABILITY: ClassVar[str] = "view_whistles"

    class Meta:
        verbose_name = _("department called")
        verbose_name_plural = _("departments called")
        ordering = ["whistle", "id"]
        constraints = [
            models.UniqueConstraint(fields=["whistle", "department"], name="whistle_call_one_per_department"),
            models.CheckConstraint(condition=Q(report_due__gt=models.F("called_at")), name="whistle_call_due_after"),
        ]
        indexes = [
            models.Index(fields=["department", "called_at"]),
            models.Index(fields=["status", "next_escalation_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.whistle.number} · {self.department}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        for level in ("district", "street", "community", "compound"):
            setattr(self, f"{level}_id", getattr(self.whistle, f"{level}_id"))
        super().save(*args, **kwargs)


class WhistleEvent(models.Model):
    """One line of a whistle's timeline (for the whole whistle or one call)."""

    whistle = models.ForeignKey(Whistle, on_delete=models.CASCADE, related_name="events")
    call = models.ForeignKey(WhistleCall, on_delete=models.CASCADE, null=True, blank=True, related_name="events")
    at = models.DateTimeField(_("time"))
    kind = models.CharField(_("event"), max_length=16, choices=WhistleEventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    actor_label = models.CharField(_("by"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("whistle event")
        verbose_name_plural = _("whistle events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
