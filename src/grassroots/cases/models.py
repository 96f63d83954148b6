"""Resident needs: one ``Case`` table for micro-wishes, difficulties, appointments and grid events.

One table because every kind shares the same life (intake, routing, SLA, claim or handling, fulfilment,
rating) and the same KPIs; the kind decides which transitions apply. Deadlines and the next escalation time
are columns, so the SLA sweep and the "overdue" filter are indexed range queries. Figures the dashboards read
(response and resolution minutes, the deed timestamp, residents served) are stored when they happen.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField

from grassroots.cases.enums import (
    ACTIVE_STATUSES,
    CaseKind,
    CaseLevel,
    CaseStatus,
    Channel,
    ClaimOutcome,
    EventKind,
    NeedGroup,
    PhotoStage,
    Satisfaction,
)
from grassroots.core.personal_data import mask_mobile, mask_name
from grassroots.core.scope import RegionScopedModel, ScopedQuerySet

DESCRIPTION_MAX = 4000


class CaseQuerySet(ScopedQuerySet):
    def active(self) -> CaseQuerySet:
        return self.filter(status__in=ACTIVE_STATUSES)

    def overdue(self, now: Any = None) -> CaseQuerySet:
        """Active cases past the deadline that applies now (response if not responded, else resolution)."""
        now = now or timezone.now()
        return self.filter(status__in=ACTIVE_STATUSES).filter(
            Q(responded_at__isnull=True, response_due__lt=now) | Q(resolution_due__lt=now)
        )

    def claimable(self) -> CaseQuerySet:
        return self.filter(status=CaseStatus.OPEN)


class Case(RegionScopedModel):
    number = models.CharField(_("case number"), max_length=20, unique=True, null=True, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=CaseKind.choices, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=CaseStatus.choices, db_index=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    need_group = models.CharField(_("resident group"), max_length=24, choices=NeedGroup.choices, blank=True)
    category = models.ForeignKey(
        "catalogue.ServiceCategory", on_delete=models.PROTECT, related_name="cases", verbose_name=_("category")
    )
    item = models.ForeignKey(
        "catalogue.ServiceItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("service item"),
    )
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), validators=[MaxLengthValidator(DESCRIPTION_MAX)])
    attributes = models.JSONField(_("answers"), default=dict, blank=True)

    # Where: a compound, building or entrance; the grid covering it; an optional map point.
    place = models.ForeignKey(
        "territory.Region", on_delete=models.PROTECT, related_name="cases", verbose_name=_("place")
    )
    grid = models.ForeignKey(
        "territory.Grid", on_delete=models.SET_NULL, null=True, blank=True, related_name="cases", editable=False
    )
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    address_text = models.CharField(_("address as given"), max_length=200, blank=True)
    station = models.ForeignKey(
        "catalogue.RedRopeStation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("Red Rope station"),
    )

    # Who asked. The name is shown masked in public; the mobile number and e-mail are encrypted.
    requester = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    requester_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="requested_cases"
    )
    requester_name = models.CharField(_("requester"), max_length=50, blank=True)
    contact_mobile = EncryptedCharField(_("contact mobile"), max_length=11, blank=True, null=True)
    contact_mobile_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    contact_email = EncryptedCharField(_("contact e-mail"), max_length=254, blank=True, null=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # Who handles it: the rung of the ladder, and an organisation when the first handler is one.
    level = models.PositiveSmallIntegerField(_("level"), choices=CaseLevel.choices, default=CaseLevel.GRID)
    assignee_org = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("handling organisation"),
    )
    claimer_person = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="claimed_cases"
    )
    claimer_org = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="claimed_cases",
    )
    claimer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="claimed_cases"
    )

    # Appointments
    slot_start = models.DateTimeField(_("appointment time"), null=True, blank=True)
    slot_end = models.DateTimeField(_("appointment ends"), null=True, blank=True)

    # Times and the SLA
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    verified_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    response_due = models.DateTimeField(_("respond by"), null=True, blank=True, db_index=True)
    resolution_due = models.DateTimeField(_("resolve by"), null=True, blank=True, db_index=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True, db_index=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    fulfilled_at = models.DateTimeField(_("fulfilled at"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, db_index=True)
    next_escalation_at = models.DateTimeField(null=True, blank=True, db_index=True, editable=False)
    escalation_count = models.PositiveSmallIntegerField(_("times escalated"), default=0)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    response_minutes = models.PositiveIntegerField(null=True, blank=True, editable=False)
    resolution_minutes = models.PositiveIntegerField(null=True, blank=True, editable=False)

    # Fulfilment: a practical deed (好事实事) and the residents served (服务人次), counted once.
    fulfilment_note = models.TextField(_("what was done"), blank=True)
    residents_served = models.PositiveIntegerField(_("residents served"), default=0)
    deed_at = models.DateTimeField(_("counted as a deed at"), null=True, blank=True, db_index=True)

    # The resident's rating
    rating_stars = models.PositiveSmallIntegerField(
        _("stars"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    satisfaction = models.CharField(_("satisfaction"), max_length=16, choices=Satisfaction.choices, blank=True)
    rating_resolved = models.BooleanField(_("resolved, as the resident says"), null=True, blank=True)
    rating_comment = models.CharField(_("comment"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True, db_index=True)

    reject_reason = models.CharField(_("reason not accepted"), max_length=200, blank=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    open311_client = models.ForeignKey(
        "cases.Open311Client", on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    open311_token = models.CharField(max_length=40, null=True, blank=True, unique=True, editable=False)
    media_url = models.URLField(_("media link"), blank=True, max_length=500)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    SCOPE_FIELDS: ClassVar[dict[str, str]] = {**RegionScopedModel.SCOPE_FIELDS, "grid": "grid"}
    SCOPE_CAPABILITY: ClassVar[str] = "view_cases"

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["community", "status", "kind"]),
            models.Index(fields=["street", "status"]),
            models.Index(fields=["grid", "status"]),
            models.Index(fields=["status", "next_escalation_at"]),
            # The inbox filters by kind or status and shows the newest first: no sort over the whole district.
            models.Index(fields=["kind", "-submitted_at", "-id"], name="case_kind_newest"),
            models.Index(fields=["status", "-submitted_at", "-id"], name="case_status_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating_stars__isnull=True) | Q(rating_stars__gte=1, rating_stars__lte=5),
                name="case_rating_stars_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number or ''} {self.title}".strip()

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cases:case_detail", args=[self.pk])

    @property
    def requester_masked(self) -> str:
        return mask_name(self.requester_name)

    @property
    def contact_mobile_masked(self) -> str:
        return mask_mobile(self.contact_mobile or "")

    @property
    def is_overdue(self) -> bool:
        if self.status not in ACTIVE_STATUSES:
            return False
        now = timezone.now()
        if self.responded_at is None and self.response_due and self.response_due < now:
            return True
        return bool(self.resolution_due and self.resolution_due < now)

    @property
    def claimer_label(self) -> str:
        if self.claimer_org_id:
            return str(self.claimer_org)
        if self.claimer_person_id:
            return str(self.claimer_person)
        return ""


class _CaseChildScope:
    SCOPE_FIELDS: ClassVar[dict[str, str]] = {
        "district": "case__district",
        "street": "case__street",
        "community": "case__community",
        "compound": "case__compound",
        "grid": "case__grid",
    }
    SCOPE_CAPABILITY: ClassVar[str] = "view_cases"


class CaseEvent(_CaseChildScope, models.Model):
    """One line of a case's timeline; written by the service that made the transition."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"), db_index=True)
    kind = models.CharField(_("event"), max_length=16, choices=EventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    actor_label = models.CharField(_("by"), max_length=100, blank=True)
    from_status = models.CharField(max_length=16, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=CaseStatus.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    public = models.BooleanField(_("shown to the resident"), default=True)
    data = models.JSONField(default=dict, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class CaseClaim(_CaseChildScope, models.Model):
    """Who claimed a case and what became of the claim (kept after release, for the member's record)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="claims")
    claimer_person = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="case_claims"
    )
    claimer_org = models.ForeignKey(
        "organizations.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="case_claims"
    )
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"))
    release_by = models.DateTimeField(_("may release until"), null=True, blank=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    release_reason = models.CharField(_("reason"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=ClaimOutcome.choices, default=ClaimOutcome.ACTIVE)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-claimed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(outcome="active"), name="case_claim_one_active_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.claimer_org or self.claimer_person}"


def photo_path(instance: CasePhoto, filename: str) -> str:
    now = timezone.now()
    return f"cases/{now:%Y/%m}/{instance.token}.{instance.extension}"


class CasePhoto(_CaseChildScope, models.Model):
    """A photo of a case; served only through a view that checks the case is visible to the reader."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos")
    stage = models.CharField(_("stage"), max_length=12, choices=PhotoStage.choices, default=PhotoStage.INTAKE)
    image = models.FileField(_("photo"), upload_to=photo_path)
    token = models.CharField(max_length=32, unique=True, editable=False)
    extension = models.CharField(max_length=5, editable=False)
    content_type = models.CharField(max_length=40, editable=False)
    size = models.PositiveIntegerField(editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("case photo")
        verbose_name_plural = _("case photos")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.case} · {self.token}"


class Open311Client(models.Model):
    """A client allowed to POST Open311 requests; the key is shown once and stored as a hash."""

    name = models.CharField(_("client name"), max_length=100)
    key_prefix = models.CharField(_("key starts with"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"
