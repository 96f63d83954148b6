"""The service catalogue: categories of service posts, service items, SLA policies, brands and stations.

Categories, items and SLA policies are district-wide data the district edits. Brands and Red Rope stations
belong to one community and are scoped like any territory row.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.catalogue.enums import AttributeType, FirstHandler, HoursKind, ServiceMode
from grassroots.core.scope import RegionScopedModel, ScopedQuerySet


class SlaPolicy(models.Model):
    """How long a handler has to respond to and to resolve a case, counted in working or calendar hours."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=60)
    response_hours = models.PositiveIntegerField(
        _("response within (hours)"), validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    resolution_hours = models.PositiveIntegerField(
        _("resolve within (hours)"), validators=[MinValueValidator(1), MaxValueValidator(24 * 365)]
    )
    hours_kind = models.CharField(_("counted in"), max_length=10, choices=HoursKind.choices, default=HoursKind.WORKING)

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["response_hours", "code"]

    def __str__(self) -> str:
        return self.name


class ServiceCategory(models.Model):
    """One of the categories of service posts (十大类服务岗位)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    sla_policy = models.ForeignKey(SlaPolicy, on_delete=models.PROTECT, related_name="+", verbose_name=_("SLA policy"))
    first_handler = models.CharField(
        _("first handler"), max_length=20, choices=FirstHandler.choices, default=FirstHandler.GRID_WORKER
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class ServiceItem(models.Model):
    """A service item residents can ask for; an Open311 "service" (``code`` is its ``service_code``)."""

    category = models.ForeignKey(
        ServiceCategory, on_delete=models.PROTECT, related_name="items", verbose_name=_("category")
    )
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=60)
    description = models.CharField(_("description"), max_length=500, blank=True)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    mode = models.CharField(_("service mode"), max_length=16, choices=ServiceMode.choices)
    provider_kinds = models.JSONField(_("provider kinds"), default=list, blank=True)
    providers = models.ManyToManyField(
        "organizations.Organization", blank=True, related_name="service_items", verbose_name=_("providers")
    )
    sla_policy = models.ForeignKey(
        SlaPolicy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("SLA policy"),
        help_text=_("Leave empty to use the category's policy."),
    )
    slot_minutes = models.PositiveSmallIntegerField(_("appointment slot (minutes)"), null=True, blank=True)
    slot_capacity = models.PositiveSmallIntegerField(_("bookings per slot"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["category__order", "order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def effective_sla(self) -> SlaPolicy:
        return self.sla_policy or self.category.sla_policy


class ServiceAttribute(models.Model):
    """An extra question asked when requesting an item (an Open311 service-definition attribute)."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="attributes")
    code = models.SlugField(_("code"), max_length=32)
    datatype = models.CharField(_("data type"), max_length=16, choices=AttributeType.choices)
    description = models.CharField(_("question"), max_length=200)
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    values = models.JSONField(_("values"), default=list, blank=True, help_text=_("[[key, name], …] for lists"))

    class Meta:
        verbose_name = _("service attribute")
        verbose_name_plural = _("service attributes")
        ordering = ["item", "order"]
        constraints = [
            models.UniqueConstraint(fields=["item", "code"], name="service_attribute_unique_code"),
            models.UniqueConstraint(fields=["item", "order"], name="service_attribute_unique_order"),
        ]

    def __str__(self) -> str:
        return self.description


class ServiceBrand(RegionScopedModel):
    """A featured service brand of a community (e.g. 蒲公英志愿者爱心服务站)."""

    name = models.CharField(_("name"), max_length=60)
    description = models.CharField(_("description"), max_length=500, blank=True)
    region = models.ForeignKey(
        "territory.Region", on_delete=models.PROTECT, related_name="service_brands", verbose_name=_("community")
    )
    category = models.ForeignKey(
        ServiceCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="brands"
    )
    providers = models.ManyToManyField(
        "organizations.Organization", blank=True, related_name="service_brands", verbose_name=_("providers")
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()

    SCOPE_CAPABILITY: ClassVar[str] = "view_cases"

    class Meta:
        verbose_name = _("service brand")
        verbose_name_plural = _("service brands")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RedRopeStation(RegionScopedModel):
    """A "为民红绳" service station where residents' needs are taken in (one or more per community)."""

    name = models.CharField(_("name"), max_length=60)
    region = models.ForeignKey(
        "territory.Region", on_delete=models.PROTECT, related_name="red_rope_stations", verbose_name=_("place")
    )
    location = models.CharField(_("location"), max_length=120, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=60, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()

    SCOPE_CAPABILITY: ClassVar[str] = "view_cases"

    class Meta:
        verbose_name = _("Red Rope station")
        verbose_name_plural = _("Red Rope stations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
