"""Admin for users and role assignments.

Neither model has scope columns, so their scope is derived: a role assignment is visible when its region or
grid is; a user is visible when one of their role assignments is, or their person is. Only superusers (or
holders of Django's model permissions) may change accounts; role assignments are given through
``role_assign`` and are not edited in place.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import path
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.enums import Capability
from grassroots.accounts.models import RoleAssignment, User
from grassroots.accounts.services import role_assign, user_create
from grassroots.core.admin import ScopedAdminMixin, ScopedHistoryAdmin, register_scope
from grassroots.core.scope import scope_q
from grassroots.people.models import Person
from grassroots.territory.models import Grid, Region


def _assignment_q(user: Any, prefix: str = "") -> Q:
    regions = Region.objects.filter(scope_q(Region, user, Capability.VIEW_TERRITORY)).values("pk")
    grids = Grid.objects.filter(scope_q(Grid, user, Capability.VIEW_TERRITORY)).values("pk")
    return Q(**{f"{prefix}region__in": regions}) | Q(**{f"{prefix}grid__in": grids})


def role_assignments_visible_to(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    return queryset.filter(_assignment_q(user))


def users_visible_to(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    assignments = role_assignments_visible_to(user, RoleAssignment.objects.all()).values("user_id")
    persons = Person.objects.filter(scope_q(Person, user, Capability.VIEW_PEOPLE)).values("pk")
    return queryset.filter(Q(pk__in=assignments) | Q(person__in=persons))


register_scope(User, users_visible_to)
register_scope(RoleAssignment, role_assignments_visible_to)


@admin.register(User)
class UserAdmin(ScopedAdminMixin, DjangoUserAdmin):  # type: ignore[misc]
    view_capability = Capability.VIEW_PEOPLE
    list_display = ("username", "first_name", "person", "is_staff", "is_active", "last_login")
    list_filter = ("is_staff", "is_active")
    list_select_related = ("person",)
    search_fields = ("username", "first_name", "last_name")
    autocomplete_fields = ("person",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email", "person")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )

    def get_urls(self) -> list[Any]:
        """Django's user URLs; the password page is re-wrapped so it names this admin (it is scoped by get_object)."""
        name = "auth_user_password_change"
        urls = [p for p in super().get_urls() if getattr(p, "name", None) != name]
        password = path("<id>/password/", self.wrap_view(self.user_change_password), name=name)
        return [password, *urls]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if request.user.is_superuser:
            return ("last_login", "date_joined")
        # Only a superuser hands out admin rights.
        return ("last_login", "date_joined", "is_staff", "is_superuser", "groups", "user_permissions")

    def service_save(self, request: HttpRequest, form: Any, change: bool) -> User | None:
        if change:
            return None
        return user_create(
            actor=request.user,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
            check_password=False,  # the add form has validated it already
        )


class RoleAssignmentForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = RoleAssignment
        fields = ("user", "role", "region", "grid")


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ScopedHistoryAdmin):
    form = RoleAssignmentForm
    view_capability = Capability.VIEW_TERRITORY
    list_display = ("user", "role", "region", "grid", "created_at")
    list_filter = ("role",)
    list_select_related = ("user", "region", "grid")
    search_fields = ("user__username", "user__first_name", "region__name", "grid__name")
    autocomplete_fields = ("user", "region", "grid")
    ordering = ("user__username", "role", "pk")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def audit_scope_region(self, obj: Any) -> Any:
        return obj.region or (obj.grid.community if obj.grid_id else None)

    def service_save(self, request: HttpRequest, form: Any, change: bool) -> RoleAssignment:
        data = form.cleaned_data
        return role_assign(
            actor=request.user, user=data["user"], role=data["role"], region=data.get("region"), grid=data.get("grid")
        )
