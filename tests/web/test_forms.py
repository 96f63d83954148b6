"""Create and edit forms: success, translated field errors, scope refusals, and nothing written on error."""

from __future__ import annotations

from typing import Any

from grassroots.core.models import AuditEvent
from grassroots.organizations.models import Organization
from grassroots.people.models import Ethnicity, Person
from grassroots.territory.models import Grid, Region
from tests.conftest import SIBLING_MARK, World
from tests.factories import make_id_number, make_mobile
from tests.web.helpers import html


def person_post(world: World, **overrides: Any) -> dict[str, Any]:
    data = {
        "name": "东岳王芳",
        "gender": "",
        "ethnicity": Ethnicity.objects.get(code="01").pk,
        "id_number": make_id_number(male=False),
        "mobile": make_mobile(),
        "address": "东岳花园1栋1单元101",
        "household": world.communities["dongyue"].household.pk,
    }
    data.update(overrides)
    return data


def counts() -> tuple[int, int, int, int, int]:
    return (
        Person.objects.count(),
        Region.objects.count(),
        Grid.objects.count(),
        Organization.objects.count(),
        AuditEvent.objects.count(),
    )


# Persons


def test_person_create(world: World) -> None:
    client = world.client("community_staff")
    form = client.get("/persons/new/")
    assert form.status_code == 200
    assert SIBLING_MARK not in html(form)  # households of the sibling community are no choice
    data = person_post(world)
    response = client.post("/persons/new/", data)
    person = Person.objects.get(name="东岳王芳")
    assert response.status_code == 302 and response["Location"] == f"/persons/{person.pk}/"
    assert person.gender == "female"
    assert person.mobile == data["mobile"]
    assert person.community_id == world.communities["dongyue"].region.pk
    assert AuditEvent.objects.filter(action="create", target_id=str(person.pk), target_repr=person.name).count() == 1


def test_person_create_shows_translated_field_errors_and_writes_nothing(world: World) -> None:
    client = world.client("community_staff")
    good = make_id_number()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    before = counts()
    response = client.post("/persons/new/", person_post(world, id_number=bad, mobile="12345"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["id_number"] == ["身份证号校验位错误。"]
    assert "mobile" in form.errors
    page = html(response)
    assert "身份证号校验位错误。" in page
    assert counts() == before


def test_person_create_refuses_an_out_of_scope_household(world: World) -> None:
    client = world.client("community_staff")
    before = counts()
    response = client.post("/persons/new/", person_post(world, household=world.communities["beichen"].household.pk))
    assert response.status_code == 200
    assert "household" in response.context["form"].errors
    assert counts() == before


def test_person_forms_need_the_manage_capability(world: World) -> None:
    zhang = world.communities["dongyue"].persons[0]
    client = world.client("grid_worker")
    before = counts()
    assert client.get("/persons/new/").status_code == 403
    assert client.post("/persons/new/", person_post(world)).status_code == 403
    assert client.post(f"/persons/{zhang.pk}/edit/", {"name": "改名"}).status_code == 403
    assert counts() == before


def test_person_edit_keeps_numbers_write_only(world: World) -> None:
    zhang = world.communities["dongyue"].persons[0]
    client = world.client("community_staff")
    page = html(client.get(f"/persons/{zhang.pk}/edit/"))
    assert zhang.mobile not in page and zhang.id_number not in page and zhang.address not in page
    assert zhang.mobile_masked in page  # as a placeholder only
    data = person_post(world, name="东岳张伟伟", id_number="", mobile="", address="", gender="")
    response = client.post(f"/persons/{zhang.pk}/edit/", data)
    assert response.status_code == 302
    fresh = Person.objects.get(pk=zhang.pk)
    assert fresh.name == "东岳张伟伟"
    assert (fresh.id_number, fresh.mobile, fresh.address) == (zhang.id_number, zhang.mobile, zhang.address)
    assert fresh.birth_date == zhang.birth_date
    new_mobile = make_mobile()
    client.post(f"/persons/{zhang.pk}/edit/", {**data, "mobile": new_mobile})
    assert Person.objects.get(pk=zhang.pk).mobile == new_mobile
    assert AuditEvent.objects.filter(action="update", target_id=str(zhang.pk)).count() == 2


def test_person_edit_errors_and_scope(world: World) -> None:
    zhang = world.communities["dongyue"].persons[0]
    client = world.client("community_staff")
    before = counts()
    response = client.post(f"/persons/{zhang.pk}/edit/", person_post(world, name="", gender="female"))
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"name"}
    # The gender must agree with the recorded ID number: the service's error lands under the field.
    response = client.post(f"/persons/{zhang.pk}/edit/", person_post(world, id_number="", gender="female"))
    assert response.context["form"].errors["gender"]
    assert Person.objects.get(pk=zhang.pk).name == zhang.name
    beichen = world.communities["beichen"].persons[0]
    assert client.get(f"/persons/{beichen.pk}/edit/").status_code == 404
    assert client.post(f"/persons/{beichen.pk}/edit/", person_post(world)).status_code == 404
    assert counts() == before


# Regions and grids


def test_region_create_and_rename(world: World) -> None:
    client = world.client("district_admin")
    compound = world.communities["dongyue"].compound
    assert client.get(f"/regions/new/?parent={compound.pk}").status_code == 200
    response = client.post(
        "/regions/new/", {"kind": "building", "parent": compound.pk, "name": "东岳花园2栋", "code": "450902010101X2"}
    )
    building = Region.objects.get(code="450902010101X2")
    assert response.status_code == 302
    assert building.community_id == world.communities["dongyue"].region.pk
    response = client.post(f"/regions/{building.pk}/edit/", {"name": "东岳花园二栋"})
    assert response.status_code == 302
    assert Region.objects.get(pk=building.pk).name == "东岳花园二栋"
    history = client.get(f"/regions/{building.pk}/").context["history"]
    assert [e.action for e in history] == ["update", "create"]


def test_region_create_errors_write_nothing(world: World) -> None:
    client = world.client("district_admin")
    compound = world.communities["dongyue"].compound
    before = counts()
    # A community under a compound: the service's kind rule becomes an error under "parent".
    response = client.post(
        "/regions/new/", {"kind": "community", "parent": compound.pk, "name": "错误社区", "code": "X1"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["parent"]
    # A taken code is an error under "code".
    response = client.post(
        "/regions/new/", {"kind": "building", "parent": compound.pk, "name": "重复", "code": compound.code}
    )
    assert response.context["form"].errors["code"]
    assert counts() == before


def test_region_forms_refuse_users_without_the_capability(world: World) -> None:
    client = world.client("community_staff")
    region = world.communities["dongyue"].region
    before = counts()
    assert client.get("/regions/new/").status_code == 403
    assert client.post(f"/regions/{region.pk}/edit/", {"name": "x"}).status_code == 403
    assert client.post("/grids/new/", {}).status_code == 403
    assert counts() == before


def test_grid_create_and_update(world: World) -> None:
    client = world.client("district_admin")
    dongyue = world.communities["dongyue"]
    response = client.post(
        "/grids/new/",
        {"community": dongyue.region.pk, "code": "G-NEW", "name": "东岳第二网格", "areas": [dongyue.building.pk]},
    )
    assert response.status_code == 302
    grid = Grid.objects.get(code="G-NEW")
    assert list(grid.areas.all()) == [dongyue.building]
    assert grid.street_id == world.streets["mingshan"].pk
    response = client.post(
        f"/grids/{grid.pk}/edit/", {"code": "G-NEW", "name": "东岳第二网格（改）", "areas": [dongyue.compound.pk]}
    )
    assert response.status_code == 302
    grid.refresh_from_db()
    assert grid.name == "东岳第二网格（改）"
    assert list(grid.areas.all()) == [dongyue.compound]
    assert [e.action for e in client.get(f"/grids/{grid.pk}/").context["history"]] == ["update", "create"]


def test_grid_errors_write_nothing(world: World) -> None:
    client = world.client("district_admin")
    dongyue, beichen = world.communities["dongyue"], world.communities["beichen"]
    before = counts()
    # An area of another community is not a choice on edit.
    response = client.post(
        f"/grids/{dongyue.grid.pk}/edit/", {"code": dongyue.grid.code, "name": "x", "areas": [beichen.compound.pk]}
    )
    assert response.status_code == 200 and "areas" in response.context["form"].errors
    # A code already used by another grid.
    response = client.post(f"/grids/{dongyue.grid.pk}/edit/", {"code": beichen.grid.code, "name": "x", "areas": []})
    assert response.context["form"].errors["code"]
    # A bad boundary.
    response = client.post(
        "/grids/new/",
        {"community": dongyue.region.pk, "code": "G-B", "name": "b", "boundary": '{"type": "Point"}'},
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert counts() == before
    assert Grid.objects.get(pk=dongyue.grid.pk).name == "东岳第一网格"


def test_a_manager_cannot_reach_another_district(world: World) -> None:
    """A manager's choices are their scope; an out-of-scope id is an invalid choice, an object a 404."""
    from grassroots.territory.services import grid_create, region_create

    other = region_create(actor=None, kind="district", name="兴业县", code="450924")
    street = region_create(actor=None, kind="street", name="石南镇", code="45092401", parent=other)
    community = region_create(actor=None, kind="community", name="石南社区", code="4509240101", parent=street)
    grid = grid_create(actor=None, community=community, code="GX1", name="石南网格")
    org = Organization.objects.create(kind="community_committee", name="石南社区党委", code="OX1", region=community)
    client = world.client("district_admin")
    before = counts()
    response = client.post("/regions/new/", {"kind": "community", "parent": street.pk, "name": "越界", "code": "OUT1"})
    assert response.status_code == 200 and "parent" in response.context["form"].errors
    response = client.post("/grids/new/", {"community": community.pk, "code": "OUT2", "name": "越界"})
    assert response.status_code == 200 and "community" in response.context["form"].errors
    response = client.post("/organizations/new/", org_post(world, region=community.pk, parent=org.pk, code="OUT3"))
    assert response.status_code == 200
    assert {"region", "parent"} <= set(response.context["form"].errors)
    assert client.get(f"/grids/{grid.pk}/edit/").status_code == 404
    assert client.post(f"/regions/{street.pk}/edit/", {"name": "x"}).status_code == 404
    assert client.post(f"/organizations/{org.pk}/edit/", org_post(world)).status_code == 404
    assert "石南" not in html(client.get("/organizations/new/"))
    assert counts() == before


# Organisations


def org_post(world: World, **overrides: Any) -> dict[str, Any]:
    dongyue = world.communities["dongyue"]
    data = {
        "kind": "branch",
        "name": "东岳花园党支部",
        "code": "OB-1",
        "credit_code": "",
        "parent": dongyue.organization.pk,
        "region": dongyue.compound.pk,
        "grid": "",
        "formation": "standalone",
    }
    data.update(overrides)
    return data


def test_organization_create_and_update(world: World) -> None:
    client = world.client("district_admin")
    response = client.post("/organizations/new/", org_post(world, credit_code="91110000600037341L"))
    assert response.status_code == 302
    org = Organization.objects.get(code="OB-1")
    assert org.community_id == world.communities["dongyue"].region.pk
    assert org.credit_code == "91110000600037341L"
    response = client.post(f"/organizations/{org.pk}/edit/", org_post(world, name="东岳花园第一党支部"))
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name == "东岳花园第一党支部"
    assert org.credit_code == ""
    detail = client.get(f"/organizations/{org.pk}/")
    assert [e.action for e in detail.context["history"]] == ["update", "create"]


def test_organization_form_errors_write_nothing(world: World) -> None:
    client = world.client("district_admin")
    before = counts()
    response = client.post("/organizations/new/", org_post(world, credit_code="91110000600037341X"))
    assert response.status_code == 200
    assert len(response.context["form"].errors["credit_code"]) == 1
    response = client.post("/organizations/new/", org_post(world, parent=""))
    assert response.context["form"].errors["parent"]
    assert counts() == before


def test_organization_forms_need_the_capability(world: World) -> None:
    client = world.client("community_staff")
    org = world.communities["dongyue"].organization
    before = counts()
    assert client.get("/organizations/new/").status_code == 403
    assert client.post(f"/organizations/{org.pk}/edit/", org_post(world)).status_code == 403
    assert counts() == before
