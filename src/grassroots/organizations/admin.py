"""Admin for organisations, their members and part-time committee seats, limited to the user's scope.

There is no organisation write service yet, so saves go through the model form (the models fill their own
scope columns) and the shared admin writes the audit row.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from grassroots.core.admin import CommunityListFilter, ScopedHistoryAdmin, community_filter
from grassroots.organizations.models import CommitteeSeat, Organization, OrganizationMembership


@admin.register(Organization)
class OrganizationAdmin(ScopedHistoryAdmin):
    list_display = ("code", "name", "kind", "region", "community")
    list_filter = ("kind", "formation", CommunityListFilter)
    list_select_related = ("region", "community")
    search_fields = ("code", "name", "credit_code")
    autocomplete_fields = ("parent", "region", "grid", "served_compounds")
    ordering = ("code",)


@admin.register(OrganizationMembership)
class OrganizationMembershipAdmin(ScopedHistoryAdmin):
    list_display = ("person", "organization", "role", "since")
    list_filter = ("role", community_filter("organization__community"))
    list_select_related = ("person", "organization")
    search_fields = ("person__name", "person__name_initials", "organization__name")
    autocomplete_fields = ("organization", "person")
    ordering = ("organization__code", "person__name_pinyin")

    def audit_scope_region(self, obj: Any) -> Any:
        return obj.organization.region


@admin.register(CommitteeSeat)
class CommitteeSeatAdmin(ScopedHistoryAdmin):
    list_display = ("person", "position", "community_region", "from_organization", "term_start", "term_end")
    list_filter = (CommunityListFilter,)
    list_select_related = ("person", "community_region", "from_organization")
    search_fields = ("person__name", "person__name_initials", "from_organization__name")
    autocomplete_fields = ("community_region", "person", "from_organization")
    ordering = ("community_region__path", "term_start", "pk")
