"""Region tree, grids, accounts and the audit log in the admin: scope, services and read-only rules."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.test import Client
from django.urls import reverse

from grassroots.accounts.models import RoleAssignment
from grassroots.core.models import AuditEvent
from grassroots.territory.models import Grid, Region
from tests.admin.helpers import staff_client
from tests.conftest import SIBLING_MARK, World


def events_about(obj: Model) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk))


def superuser_client() -> Client:
    user = get_user_model().objects.create_superuser("root", password="Root-Passw0rd!")
    client = Client()
    client.force_login(user)
    return client


# Region tree


def test_region_tree_starts_at_the_users_top_region(world: World) -> None:
    client = staff_client(world, "community_staff")
    response = client.get(reverse("admin:territory_region_changelist"))
    assert [r.name for r in response.context["cl"].result_list] == ["东岳社区"]
    children = client.get(f"/admin/territory/region/children/{world.communities['dongyue'].region.pk}/")
    assert children.status_code == 200
    assert "东岳花园" in children.json()["result_html"]


def test_region_children_of_another_community_are_not_found(world: World) -> None:
    client = staff_client(world, "community_staff")
    for region in (world.communities["beichen"].region, world.streets["mingshan"], world.district):
        assert client.get(f"/admin/territory/region/children/{region.pk}/").status_code == 404
    assert client.get("/admin/territory/region/children/not-a-number/").status_code == 404


def test_region_search_is_scoped(world: World) -> None:
    client = staff_client(world, "street_staff")
    response = client.get(reverse("admin:territory_region_changelist"), {"q": "花园"})
    assert {r.name[:2] for r in response.context["cl"].result_list} == {"东岳", "北辰"}
    assert "江滨" not in response.content.decode()


def test_add_region_through_the_service(world: World) -> None:
    client = staff_client(world, "district_admin")
    dongyue = world.communities["dongyue"].region
    add = client.get(reverse("admin:territory_region_add"))
    assert add.status_code == 200
    data = {"treebeard_ref_node": dongyue.pk, "treebeard_position": "sorted-child", "kind": "compound",
            "name": "东岳新村", "code": "450902010102"}  # fmt: skip
    response = client.post(reverse("admin:territory_region_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    region = Region.objects.get(code="450902010102")
    assert Region.objects.get_parent(region) == dongyue
    assert (region.community_id, region.compound_id, region.street_id) == (dongyue.pk, region.pk, dongyue.street_id)
    event = events_about(region).get(action="create")
    assert event.actor == world.users["district_admin"]


def test_add_region_of_the_wrong_kind_is_a_form_error(world: World) -> None:
    client = staff_client(world, "district_admin")
    dongyue = world.communities["dongyue"].region
    before = Region.objects.count()
    data = {"treebeard_ref_node": dongyue.pk, "treebeard_position": "sorted-child", "kind": "building",
            "name": "错层", "code": "450902019999"}  # fmt: skip
    response = client.post(reverse("admin:territory_region_add"), data)
    assert response.status_code == 200
    assert "treebeard_ref_node" in response.context["adminform"].form.errors
    assert Region.objects.count() == before


def test_region_parent_choices_are_scoped(world: World) -> None:
    world.users["street_staff"].role_assignments.update(role="district_admin")  # manage_territory, at a street
    client = staff_client(world, "street_staff")
    world.users["street_staff"].refresh_scope()
    page = client.get(reverse("admin:territory_region_add")).content.decode()
    assert "北辰社区" in page
    assert "江滨社区" not in page
    assert "玉州区" not in page


def test_rename_region_through_the_service(world: World) -> None:
    client = staff_client(world, "district_admin")
    compound = world.communities["dongyue"].compound
    url = reverse("admin:territory_region_change", args=[compound.pk])
    assert client.post(url, {"name": "东岳花园小区", "kind": "building", "code": "x"}).status_code == 302
    compound.refresh_from_db()
    assert (compound.name, compound.kind, compound.code) == ("东岳花园小区", "compound", "450902010101")
    assert events_about(compound).filter(action="update").count() == 1


def test_moving_regions_is_refused(world: World) -> None:
    client = staff_client(world, "district_admin")
    compound = world.communities["dongyue"].compound
    response = client.post(
        "/admin/territory/region/move/",
        {"node": compound.pk, "target": world.communities["beichen"].region.pk, "relation": "child"},
    )
    assert response.status_code == 403
    compound.refresh_from_db()
    assert Region.objects.get_parent(compound) == world.communities["dongyue"].region


def test_community_staff_cannot_change_regions(world: World) -> None:
    client = staff_client(world, "community_staff")
    compound = world.communities["dongyue"].compound
    url = reverse("admin:territory_region_change", args=[compound.pk])
    assert client.get(url).status_code == 200  # view only
    assert client.post(url, {"name": "改名"}).status_code == 403
    assert client.get(reverse("admin:territory_region_add")).status_code == 403


# Grids


def test_add_grid_through_the_service_and_reject_foreign_areas(world: World) -> None:
    client = staff_client(world, "district_admin")
    dongyue, beichen = world.communities["dongyue"], world.communities["beichen"]
    data = {"community": dongyue.region.pk, "code": "G-NEW", "name": "东岳第二网格", "areas": [beichen.compound.pk],
            "boundary": "null"}  # fmt: skip
    response = client.post(reverse("admin:territory_grid_add"), data)
    assert response.status_code == 200
    assert "areas" in response.context["adminform"].form.errors
    assert not Grid.objects.filter(code="G-NEW").exists()

    data["areas"] = [dongyue.compound.pk]
    response = client.post(reverse("admin:territory_grid_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    grid = Grid.objects.get(code="G-NEW")
    assert (grid.district_id, grid.street_id) == (dongyue.region.district_id, dongyue.region.street_id)
    assert list(grid.areas.all()) == [dongyue.compound]
    assert events_about(grid).filter(action="create").count() == 1


def test_grid_change_is_audited(world: World) -> None:
    client = staff_client(world, "district_admin")
    grid = world.communities["dongyue"].grid
    url = reverse("admin:territory_grid_change", args=[grid.pk])
    data = {
        "code": grid.code,
        "name": "东岳一网格",
        "areas": [world.communities["dongyue"].compound.pk],
        "boundary": "null",
    }
    assert client.post(url, data).status_code == 302
    event = events_about(grid).get(action="update")
    assert event.changes["name"] == ["东岳第一网格", "东岳一网格"]
    assert event.community_id == grid.community_id


# Accounts


def test_user_and_role_lists_are_scoped(world: World) -> None:
    client = staff_client(world, "community_staff")
    users = {u.username for u in client.get(reverse("admin:accounts_user_changelist")).context["cl"].result_list}
    assert "sibling_staff" not in users
    assert "district_admin" not in users
    assert {"community_staff", "grid_worker", "compound_secretary", "party_member", "resident"} <= users
    roles = client.get(reverse("admin:accounts_roleassignment_changelist")).context["cl"].result_list
    assert {r.user.username for r in roles} == {"community_staff", "grid_worker", "compound_secretary", "party_member",
                                                 "resident"}  # fmt: skip
    sibling = world.users["sibling_staff"]
    assert client.get(reverse("admin:accounts_user_change", args=[sibling.pk])).status_code == 302
    assert client.get(reverse("admin:auth_user_password_change", args=[sibling.pk])).status_code in (403, 404)


def test_staff_cannot_grant_admin_rights(world: World) -> None:
    client = staff_client(world, "district_admin")
    page = client.get(reverse("admin:accounts_user_change", args=[world.users["resident"].pk]))
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()


def test_role_assignment_added_through_the_service(world: World) -> None:
    client = superuser_client()
    user = world.users["resident"]
    data = {"user": user.pk, "role": "grid_worker", "grid": world.communities["dongyue"].grid.pk}
    response = client.post(reverse("admin:accounts_roleassignment_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert RoleAssignment.objects.filter(user=user, role="grid_worker").count() == 1
    # The service's level rule becomes a form error.
    data = {"user": user.pk, "role": "district_admin", "region": world.communities["dongyue"].region.pk}
    response = client.post(reverse("admin:accounts_roleassignment_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    assert not RoleAssignment.objects.filter(user=user, role="district_admin").exists()


# Audit log


def test_audit_events_are_read_only_even_for_superusers(world: World) -> None:
    client = superuser_client()
    event = AuditEvent.objects.order_by("pk").first()
    assert event is not None
    assert client.get(reverse("admin:core_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:core_auditevent_add")).status_code == 403
    change = client.get(reverse("admin:core_auditevent_change", args=[event.pk]))
    assert change.status_code == 200
    assert not change.context["has_change_permission"]
    assert client.post(reverse("admin:core_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_audit_admin_is_for_view_audit_roles(world: World) -> None:
    assert staff_client(world, "community_staff").get(reverse("admin:core_auditevent_changelist")).status_code == 403
    response = staff_client(world, "district_admin").get(reverse("admin:core_auditevent_changelist"))
    assert response.status_code == 200
    assert SIBLING_MARK in response.content.decode()  # the district admin sees the whole district


def test_audit_event_page_hides_secrets_and_birth_dates(world: World) -> None:
    zhang = world.communities["dongyue"].persons[0]
    event = events_about(zhang).get(action="create")
    assert event.changes["birth_date"] == "***"  # never stored in clear: it would complete the masked ID
    page = staff_client(world, "district_admin").get(reverse("admin:core_auditevent_change", args=[event.pk]))
    content = page.content.decode()
    assert page.status_code == 200
    assert zhang.name in content
    for secret in (zhang.birth_date.isoformat(), zhang.mobile, zhang.id_number, zhang.address):  # type: ignore[union-attr]
        assert secret not in content
