"""Every backbone model is in the admin, scoped, with history where the model keeps it."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin

from grassroots.accounts.models import RoleAssignment, User
from grassroots.core.admin import ScopedAdminMixin
from grassroots.core.models import AuditEvent
from grassroots.organizations.models import CommitteeSeat, Organization, OrganizationMembership
from grassroots.people.models import Ethnicity, PartyMembership, Person, PersonRole
from grassroots.territory.models import Grid, Household, Region
from tests.admin.helpers import project_admins, staff_client
from tests.conftest import SIBLING_MARK, World

BACKBONE = [
    Region, Grid, Household, Organization, OrganizationMembership, CommitteeSeat, Ethnicity, Person,
    PartyMembership, PersonRole, User, RoleAssignment, AuditEvent,
]  # fmt: skip


def test_every_backbone_model_is_registered() -> None:
    assert set(BACKBONE) <= set(admin.site._registry)


@pytest.mark.parametrize("model", [m for m in BACKBONE if m is not Ethnicity], ids=lambda m: m.__name__)
def test_backbone_admins_are_scoped(model: type) -> None:
    model_admin = admin.site._registry[model]
    assert isinstance(model_admin, ScopedAdminMixin)
    if hasattr(model, "history"):
        assert isinstance(model_admin, SimpleHistoryAdmin)


def test_region_admin_is_a_tree() -> None:
    assert isinstance(admin.site._registry[Region], TreeAdmin)


def test_every_admin_page_renders_for_the_district_admin(world: World) -> None:
    client = staff_client(world, "district_admin")
    for model, _model_admin in project_admins():
        info = model._meta.app_label, model._meta.model_name
        urls = [reverse("admin:{}_{}_changelist".format(*info)), reverse("admin:{}_{}_add".format(*info))]
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            urls += [
                reverse("admin:{}_{}_change".format(*info), args=[obj.pk]),
                reverse("admin:{}_{}_history".format(*info), args=[obj.pk]),
            ]
        for url in urls:
            assert client.get(url).status_code in (200, 403), url


@pytest.mark.parametrize("persona", ["community_staff", "grid_worker", "compound_secretary"])
def test_admin_lists_of_a_community_worker_never_mention_the_sibling(world: World, persona: str) -> None:
    client = staff_client(world, persona)
    for model, _model_admin in project_admins():
        info = model._meta.app_label, model._meta.model_name
        for name in ("changelist", "add"):
            response = client.get(reverse(f"admin:{info[0]}_{info[1]}_{name}"))
            assert response.status_code in (200, 403)
            assert SIBLING_MARK not in response.content.decode(), (persona, model.__name__, name)


def test_admin_index_lists_only_what_the_role_may_see(world: World) -> None:
    response = staff_client(world, "community_staff").get("/admin/")
    models = {m["object_name"] for app in response.context["app_list"] for m in app["models"]}
    assert {"Person", "Region", "Grid"} <= models
    assert "AuditEvent" not in models  # view_audit belongs to district admins
