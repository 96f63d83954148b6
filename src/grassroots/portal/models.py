"""The residents' portal: public notices of a community, and one-time sign-in codes sent to a mobile number."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.scope import RegionScopedModel, ScopedQuerySet


class Notice(RegionScopedModel):
    """A notice a community publishes to everyone (通知公告): plain text, no personal data."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    is_published = models.BooleanField(_("published"), default=True, db_index=True)
    published_at = models.DateTimeField(_("published at"), db_index=True)

    objects = ScopedQuerySet.as_manager()

    SCOPE_CAPABILITY: ClassVar[str] = "view_territory"

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["community", "is_published", "published_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("portal:notice_detail", args=[self.pk])


class OtpRequest(models.Model):
    """One request for a sign-in code, registered number or not: what the send rate limit counts."""

    mobile_hash = models.CharField(max_length=64, db_index=True, editable=False)
    ip_address = models.GenericIPAddressField(null=True, blank=True, editable=False)
    requested_at = models.DateTimeField(db_index=True, editable=False)

    class Meta:
        verbose_name = _("sign-in code request")
        verbose_name_plural = _("sign-in code requests")
        indexes = [models.Index(fields=["mobile_hash", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.mobile_hash[:8]}… @ {self.requested_at:%Y-%m-%d %H:%M:%S}"


class OtpChallenge(models.Model):
    """A sign-in code sent to a registered person's mobile; only a keyed hash of the code is kept."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+", editable=False)
    mobile_hash = models.CharField(max_length=64, db_index=True, editable=False)
    salt = models.CharField(max_length=32, editable=False)
    code_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(editable=False)
    expires_at = models.DateTimeField(editable=False)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("sign-in code")
        verbose_name_plural = _("sign-in codes")
        indexes = [models.Index(fields=["mobile_hash", "created_at"])]

    def __str__(self) -> str:
        return f"{self.mobile_hash[:8]}… @ {self.created_at:%Y-%m-%d %H:%M:%S}"
