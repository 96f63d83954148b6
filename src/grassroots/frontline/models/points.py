"""Service records and points (积分): versioned rules and a ledger whose every entry names its source.

A rule set is never edited once it has taken effect: a new version is added with the date it applies from,
and each ledger entry records the rule (hence the version) that priced it. An entry's ``source_key`` (e.g.
``case:812:fulfilled``) is unique per person, so awarding twice is a no-op and a recomputation from the source
records gives the same ledger.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.scope import RegionScopedModel, ScopedQuerySet
from grassroots.frontline.enums import PointsSource, ServiceKind


class PointsRuleSet(models.Model):
    version = models.PositiveIntegerField(_("version"), unique=True)
    effective_from = models.DateTimeField(_("applies from"), db_index=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("points rule set")
        verbose_name_plural = _("points rule sets")
        ordering = ["-effective_from", "-version"]

    def __str__(self) -> str:
        return f"v{self.version}"


class PointsRule(models.Model):
    rule_set = models.ForeignKey(PointsRuleSet, on_delete=models.PROTECT, related_name="rules")
    source = models.CharField(_("for"), max_length=20, choices=PointsSource.choices)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("points rule")
        verbose_name_plural = _("points rules")
        ordering = ["rule_set", "source"]
        constraints = [models.UniqueConstraint(fields=["rule_set", "source"], name="points_rule_one_per_source")]

    def __str__(self) -> str:
        return f"{self.rule_set} {self.get_source_display()} {self.points}"


class ServiceRecord(RegionScopedModel):
    """Service a community records by hand: an activity joined or a post's duty, with the hours served."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="service_records")
    region = models.ForeignKey("territory.Region", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=ServiceKind.choices, default=ServiceKind.ACTIVITY)
    title = models.CharField(_("what"), max_length=150)
    served_on = models.DateField(_("date"), db_index=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    SCOPE_CAPABILITY: ClassVar[str] = "view_frontline"

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-served_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gte=0, hours__lte=24), name="service_record_hours")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.copy_scope_from(self.region)
        super().save(*args, **kwargs)


class PointsEntry(RegionScopedModel):
    """One ledger line. The region is the community the member reported to when it was earned."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="points_entries")
    home_unit = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("home unit"),
    )
    source = models.CharField(_("for"), max_length=20, choices=PointsSource.choices, db_index=True)
    source_key = models.CharField(max_length=60, editable=False)
    quantity = models.DecimalField(_("quantity"), max_digits=7, decimal_places=2, default=1)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2)
    rule = models.ForeignKey(PointsRule, on_delete=models.PROTECT, related_name="entries")
    at = models.DateTimeField(_("earned at"), db_index=True)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    booking = models.ForeignKey(
        "frontline.ShiftBooking", on_delete=models.CASCADE, null=True, blank=True, related_name="points_entries"
    )
    service_record = models.ForeignKey(
        ServiceRecord, on_delete=models.CASCADE, null=True, blank=True, related_name="points_entries"
    )
    member_report = models.ForeignKey(
        "frontline.MemberReport", on_delete=models.CASCADE, null=True, blank=True, related_name="points_entries"
    )

    objects = ScopedQuerySet.as_manager()

    SCOPE_CAPABILITY: ClassVar[str] = "view_frontline"

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "source_key"], name="points_entry_once_per_source"),
        ]
        indexes = [
            models.Index(fields=["person", "at"]),
            models.Index(fields=["community", "at"]),
            models.Index(fields=["home_unit", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.points:+} {self.get_source_display()}"
