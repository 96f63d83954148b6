"""People: persons (with encrypted ID and mobile numbers), party membership and the roles they hold."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from encrypted_fields.fields import EncryptedCharField
from simple_history.models import HistoricalRecords

from grassroots.core.personal_data import mask_address, mask_id_number, mask_mobile
from grassroots.core.scope import RegionScopedModel, ScopedQuerySet
from grassroots.people.enums import Employment, Gender, MemberCategory, PersonRoleKind


class Ethnicity(models.Model):
    """One of the 56 ethnic groups (GB/T 3304 code), as data."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=20, unique=True)

    class Meta:
        verbose_name = _("ethnic group")
        verbose_name_plural = _("ethnic groups")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Person(RegionScopedModel):
    """A person known to the district. ``id_number`` and ``mobile`` are encrypted; ``*_hash`` find them."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50, db_index=True)
    name_pinyin = models.CharField(_("pinyin"), max_length=200, blank=True, db_index=True)
    name_initials = models.CharField(_("pinyin initials"), max_length=50, blank=True, db_index=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    ethnicity = models.ForeignKey(Ethnicity, on_delete=models.PROTECT, verbose_name=_("ethnic group"))
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    id_number = EncryptedCharField(_("ID number"), max_length=18, blank=True, null=True)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False)
    mobile = EncryptedCharField(_("mobile number"), max_length=11, blank=True, null=True)
    mobile_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    address = EncryptedCharField(_("address"), max_length=200, blank=True, null=True)
    household = models.ForeignKey(
        "territory.Household",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("household"),
    )
    grid = models.ForeignKey(
        "territory.Grid",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("grid"),
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["name_pinyin", "name_initials"])

    SCOPE_FIELDS: ClassVar[dict[str, str]] = {**RegionScopedModel.SCOPE_FIELDS, "grid": "grid"}
    SCOPE_CAPABILITY: ClassVar[str] = "view_people"

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["name_pinyin", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"], condition=~Q(id_number_hash=""), name="person_unique_id_number"
            )
        ]
        indexes = [
            models.Index(fields=["community", "name_initials"]),
            models.Index(fields=["street", "name_pinyin"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def mobile_masked(self) -> str:
        return mask_mobile(self.mobile)

    @property
    def address_masked(self) -> str:
        return mask_address(self.address)

    @property
    def age(self) -> int | None:
        """Shown instead of the birth date, which with the masked ID would reveal the whole number."""
        if self.birth_date is None:
            return None
        import datetime as dt

        today = dt.date.today()
        return (
            today.year
            - self.birth_date.year
            - ((today.month, today.day) < (self.birth_date.month, self.birth_date.day))
        )

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("web:person_detail", args=[self.pk])


class PartyMembership(models.Model):
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="party_membership")
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="party_members",
        verbose_name=_("party organisation"),
    )
    joined_on = models.DateField(_("date joined"))
    category = models.CharField(_("category"), max_length=16, choices=MemberCategory.choices)
    home_unit = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="in_service_members",
        verbose_name=_("home unit"),
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    SCOPE_FIELDS: ClassVar[dict[str, str]] = {
        level: f"person__{level}" for level in ("district", "street", "community", "compound", "grid")
    }
    SCOPE_CAPABILITY: ClassVar[str] = "view_people"

    class Meta:
        verbose_name = _("party membership")
        verbose_name_plural = _("party memberships")
        constraints = [
            models.CheckConstraint(
                condition=~Q(category=MemberCategory.IN_SERVICE) | Q(home_unit__isnull=False),
                name="in_service_member_has_home_unit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.organization}"


class PersonRole(RegionScopedModel):
    """A role a person holds (grid worker, building head, community secretary …) and where it applies."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(_("role"), max_length=40, choices=PersonRoleKind.choices, db_index=True)
    employment = models.CharField(_("employment"), max_length=16, choices=Employment.choices, blank=True)
    region = models.ForeignKey(
        "territory.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="person_roles",
        verbose_name=_("region"),
    )
    grid = models.ForeignKey(
        "territory.Grid",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="person_roles",
        verbose_name=_("grid"),
    )
    since = models.DateField(_("since"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    SCOPE_FIELDS: ClassVar[dict[str, str]] = {**RegionScopedModel.SCOPE_FIELDS, "grid": "grid"}
    SCOPE_CAPABILITY: ClassVar[str] = "view_people"

    class Meta:
        verbose_name = _("person role")
        verbose_name_plural = _("person roles")
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=False) | Q(grid__isnull=False), name="person_role_has_place"
            ),
            models.UniqueConstraint(
                fields=["kind", "grid"], condition=Q(kind=PersonRoleKind.GRID_HEAD), name="one_head_per_grid"
            ),
            models.UniqueConstraint(
                fields=["kind", "region"],
                condition=Q(
                    kind__in=[
                        PersonRoleKind.BUILDING_HEAD,
                        PersonRoleKind.DEPUTY_BUILDING_HEAD_OWNER,
                        PersonRoleKind.DEPUTY_BUILDING_HEAD_PROPERTY,
                        PersonRoleKind.COMMUNITY_SECRETARY,
                    ]
                ),
                name="one_holder_per_place",
            ),
            models.UniqueConstraint(fields=["person", "kind", "region", "grid"], name="person_role_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_kind_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        place = self.region if self.region_id else (self.grid.community if self.grid_id and self.grid else None)
        self.copy_scope_from(place)
        super().save(*args, **kwargs)
