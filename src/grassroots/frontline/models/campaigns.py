"""Mobilisation campaigns: places, shifts with the people needed, sign-ups, check-in and check-out.

``Shift.booked`` is a counter kept by the sign-up service with a conditional UPDATE (``booked < needed``), so
simultaneous sign-ups never overfill a shift on either database. Bookings copy their shift's times so that
"is this person already booked then?" is one indexed range query per person.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.core.scope import RegionScopedModel, ScopedQuerySet
from grassroots.frontline.enums import HOLDING_STATUSES, BookingStatus, CampaignStatus, PlaceKind


class Campaign(RegionScopedModel):
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    region = models.ForeignKey(
        "territory.Region", on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("region")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"), max_length=12, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    SCOPE_CAPABILITY: ClassVar[str] = "view_frontline"

    class Meta:
        verbose_name = _("mobilisation campaign")
        verbose_name_plural = _("mobilisation campaigns")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="campaign_dates_order"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.copy_scope_from(self.region)
        super().save(*args, **kwargs)


class _CampaignChildScope:
    SCOPE_FIELDS: ClassVar[dict[str, str]] = {
        level: f"campaign__{level}" for level in ("district", "street", "community", "compound")
    }
    SCOPE_CAPABILITY: ClassVar[str] = "view_frontline"


class CampaignPlace(_CampaignChildScope, models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="places")
    name = models.CharField(_("place"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=PlaceKind.choices)
    region = models.ForeignKey(
        "territory.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("where")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign place")
        verbose_name_plural = _("campaign places")
        ordering = ["campaign", "id"]

    def __str__(self) -> str:
        return self.name


class Shift(_CampaignChildScope, models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="shifts")
    place = models.ForeignKey(CampaignPlace, on_delete=models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    needed = models.PositiveSmallIntegerField(_("people needed"))
    booked = models.PositiveSmallIntegerField(_("signed up"), default=0, editable=False)
    duty = models.CharField(_("duty"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="shift_ends_after_start"),
            models.CheckConstraint(condition=Q(needed__gte=1), name="shift_needs_someone"),
            models.CheckConstraint(condition=Q(booked__lte=F("needed")), name="shift_never_overfilled"),
        ]

    def __str__(self) -> str:
        return f"{self.place} {timezone.localtime(self.starts_at):%m-%d %H:%M}"

    @property
    def fill_rate(self) -> float:
        return self.booked / self.needed if self.needed else 0.0


class ShiftBooking(_CampaignChildScope, models.Model):
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="bookings")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="bookings", editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="shift_bookings")
    squad = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shift_bookings",
        verbose_name=_("signed up with squad"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=BookingStatus.choices, default=BookingStatus.BOOKED, db_index=True
    )
    starts_at = models.DateTimeField(editable=False)
    ends_at = models.DateTimeField(editable=False)
    booked_at = models.DateTimeField(_("signed up at"))
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    hours = models.DecimalField(_("hours served"), max_digits=5, decimal_places=2, null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("shift sign-up")
        verbose_name_plural = _("shift sign-ups")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "person"], condition=Q(status__in=HOLDING_STATUSES), name="booking_once_per_shift"
            ),
        ]
        indexes = [models.Index(fields=["person", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.shift}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.campaign_id = self.shift.campaign_id
        self.starts_at, self.ends_at = self.shift.starts_at, self.shift.ends_at
        super().save(*args, **kwargs)


__all__ = ["BookingStatus", "Campaign", "CampaignPlace", "Shift", "ShiftBooking"]
