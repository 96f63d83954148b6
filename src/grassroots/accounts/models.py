"""Users (linked to persons) and their role assignments, each anchored at a region or a grid."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from grassroots.accounts.enums import Role


class User(AbstractUser):
    person = models.OneToOneField(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        verbose_name=_("person"),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def refresh_scope(self) -> None:
        """Forget cached anchors (after role assignments change)."""
        self.__dict__.pop("_anchor_cache", None)
        self.__dict__.pop("_org_cache", None)


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        "territory.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("region"),
    )
    grid = models.ForeignKey(
        "territory.Grid",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("grid"),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("organisation"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=(Q(region__isnull=False) & Q(grid__isnull=True))
                | (Q(region__isnull=True) & Q(grid__isnull=False)),
                name="role_assignment_one_anchor",
            ),
            models.UniqueConstraint(fields=["user", "role", "region", "grid"], name="role_assignment_unique"),
        ]

    def __str__(self) -> str:
        place: Any = self.grid or self.region
        return f"{self.get_role_display()} @ {place}"
