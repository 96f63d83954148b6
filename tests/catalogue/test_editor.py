"""The catalogue editor: who may read and edit what, validation that writes nothing, and the audit rows."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.urls import reverse

from grassroots.catalogue.models import ServiceAttribute, ServiceCategory, ServiceItem, SlaPolicy
from grassroots.catalogue.services import item_create
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditEvent
from tests.conftest import World
from tests.web.helpers import html

pytestmark = pytest.mark.usefixtures("catalogue")


def audits(obj: Model) -> list[str]:
    ct = ContentType.objects.get_for_model(type(obj))
    return list(AuditEvent.objects.filter(target_type=ct, target_id=str(obj.pk)).values_list("action", flat=True))


def category_data(**extra: object) -> dict[str, object]:
    return {
        "code": "elder-care",
        "name": "长者关爱",
        "description": "",
        "sla_policy": SlaPolicy.objects.get(code="standard").pk,
        "first_handler": "community",
        "order": 11,
        **extra,
    }


@pytest.mark.parametrize("persona", ["district_admin", "street_staff", "community_staff", "grid_worker"])
def test_everyone_who_views_cases_reads_the_catalogue(world: World, persona: str) -> None:
    client = world.client(persona)
    for name in ("catalogue:category_list", "catalogue:item_list", "catalogue:sla_list"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
    assert "摘除马蜂窝" in html(client.get(reverse("catalogue:item_list"), {"q": "马蜂"}))
    item = ServiceItem.objects.get(code="appliance-repair")
    page = html(client.get(reverse("catalogue:item_detail", args=[item.pk])))
    assert "需要维修的家电" in page and "洗衣机" in page


@pytest.mark.parametrize("persona", ["party_member", "resident", "unit_admin"])
def test_roles_without_cases_cannot_read_it(world: World, persona: str) -> None:
    assert world.client(persona).get(reverse("catalogue:category_list")).status_code == 403


def test_district_admin_adds_and_edits_a_category(world: World) -> None:
    client = world.client("district_admin")
    response = client.post(reverse("catalogue:category_create"), category_data())
    assert response.status_code == 302
    category = ServiceCategory.objects.get(code="elder-care")
    assert category.name == "长者关爱" and category.is_active
    response = client.post(
        reverse("catalogue:category_update", args=[category.pk]),
        category_data(name="长者关爱服务", is_active=""),
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.name == "长者关爱服务" and not category.is_active and category.code == "elder-care"
    assert audits(category) == ["update", "create"]


@pytest.mark.parametrize("persona", ["community_staff", "street_staff"])
def test_community_staff_cannot_edit_categories(world: World, persona: str) -> None:
    client = world.client(persona)
    category = ServiceCategory.objects.get(code="elderly")
    before = ServiceCategory.objects.count()
    assert client.get(reverse("catalogue:category_create")).status_code == 403
    assert client.post(reverse("catalogue:category_create"), category_data()).status_code == 403
    response = client.post(reverse("catalogue:category_update", args=[category.pk]), category_data(name="改名"))
    assert response.status_code == 403
    item = ServiceItem.objects.get(code="hornet-nest")
    assert client.post(reverse("catalogue:item_active", args=[item.pk]), {"active": "0"}).status_code == 403
    assert ServiceCategory.objects.count() == before
    assert ServiceCategory.objects.get(pk=category.pk).name == category.name
    assert ServiceItem.objects.get(pk=item.pk).is_active
    assert reverse("catalogue:category_create") not in html(client.get(reverse("catalogue:category_list")))


def test_the_service_refuses_a_non_admin_too(world: World) -> None:
    with pytest.raises(ApplicationError) as err:
        item_create(
            actor=world.users["community_staff"],
            category=ServiceCategory.objects.first(),
            code="x",
            name="x",
            mode="order",
        )
    assert err.value.status == 403


def test_invalid_category_shows_errors_and_changes_nothing(world: World) -> None:
    client = world.client("district_admin")
    before = ServiceCategory.objects.count()
    response = client.post(reverse("catalogue:category_create"), category_data(code="elderly", name="环境卫生"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "code" in errors and "name" in errors
    assert ServiceCategory.objects.count() == before
    assert not AuditEvent.objects.filter(action="create", target_type__model="servicecategory").exists()


def test_sla_policy_resolution_shorter_than_response_is_refused(world: World) -> None:
    client = world.client("district_admin")
    policy = SlaPolicy.objects.get(code="standard")
    data = {"name": "一般", "response_hours": 40, "resolution_hours": 8, "hours_kind": "working"}
    response = client.post(reverse("catalogue:sla_update", args=[policy.pk]), data)
    assert response.status_code == 200
    assert "resolution_hours" in response.context["form"].errors
    policy.refresh_from_db()
    assert (policy.response_hours, policy.resolution_hours) == (8, 40)
    data.update(response_hours=4, resolution_hours=24)
    assert client.post(reverse("catalogue:sla_update", args=[policy.pk]), data).status_code == 302
    policy.refresh_from_db()
    assert (policy.response_hours, policy.resolution_hours) == (4, 24)


def test_item_create_edit_and_deactivate(world: World) -> None:
    client = world.client("district_admin")
    category = ServiceCategory.objects.get(code="elderly")
    data = {
        "category": category.pk,
        "code": "haircut",
        "name": "上门理发",
        "mode": "appointment",
        "provider_kinds": ["volunteer_team", "party_member"],
        "order": 9,
    }
    response = client.post(reverse("catalogue:item_create"), data)
    assert response.status_code == 200  # an appointment service needs its slots
    assert {"slot_minutes", "slot_capacity"} <= set(response.context["form"].errors)
    assert not ServiceItem.objects.filter(code="haircut").exists()
    response = client.post(reverse("catalogue:item_create"), {**data, "slot_minutes": 30, "slot_capacity": 2})
    item = ServiceItem.objects.get(code="haircut")
    assert response["Location"] == reverse("catalogue:item_detail", args=[item.pk])
    assert item.provider_kinds == ["volunteer_team", "party_member"] and item.slot_minutes == 30
    response = client.post(reverse("catalogue:item_active", args=[item.pk]), {"active": "0"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert not item.is_active
    assert ServiceItem.objects.filter(pk=item.pk).exists()  # deactivated, never deleted
    assert "上门理发" in html(client.get(reverse("catalogue:item_list"), {"is_active": "false"}))
    assert "上门理发" not in html(client.get(reverse("catalogue:item_list"), {"is_active": "true"}))
    assert audits(item) == ["update", "create"]


def test_item_questions_are_edited_with_their_answers(world: World) -> None:
    client = world.client("district_admin")
    item = ServiceItem.objects.get(code="hornet-nest")
    url = reverse("catalogue:attribute_create", args=[item.pk])
    bad = {"code": "floor", "description": "几楼？", "datatype": "singlevaluelist", "order": 2, "values": "没有冒号"}
    response = client.post(url, bad)
    assert response.status_code == 200 and "values" in response.context["form"].errors
    response = client.post(url, {**bad, "values": ""})
    assert response.status_code == 200 and "values" in response.context["form"].errors  # a list needs answers
    response = client.post(url, {**bad, "order": 1, "values": "low: 1-3楼\nhigh：4楼以上"})
    assert response.status_code == 200 and "order" in response.context["form"].errors  # position 1 is taken
    assert item.attributes.count() == 1
    response = client.post(url, {**bad, "values": "low: 1-3楼\nhigh：4楼以上", "required": "on"})
    assert response.status_code == 302
    attribute = item.attributes.get(code="floor")
    assert attribute.values == [["low", "1-3楼"], ["high", "4楼以上"]] and attribute.required
    response = client.post(
        reverse("catalogue:attribute_update", args=[attribute.pk]),
        {"description": "住几楼？", "datatype": "string", "order": 2, "values": "ignored: x"},
    )
    assert response.status_code == 302
    attribute.refresh_from_db()
    assert attribute.description == "住几楼？" and attribute.values == [] and not attribute.required
    assert client.post(reverse("catalogue:attribute_delete", args=[attribute.pk])).status_code == 302
    assert not ServiceAttribute.objects.filter(pk=attribute.pk).exists()
    assert AuditEvent.objects.filter(target_type__model="serviceitem", target_id=str(item.pk)).count() == 3


def test_community_staff_cannot_edit_questions(world: World) -> None:
    client = world.client("community_staff")
    item = ServiceItem.objects.get(code="appliance-repair")
    attribute = item.attributes.first()
    assert attribute is not None
    data = {"code": "x", "description": "x", "datatype": "string", "order": 9}
    assert client.post(reverse("catalogue:attribute_create", args=[item.pk]), data).status_code == 403
    assert client.post(reverse("catalogue:attribute_delete", args=[attribute.pk])).status_code == 403
    assert item.attributes.count() == 2
