"""Persons through the API: scope, search, masking everywhere, and the audited unmask action."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType

from grassroots.core.models import AuditEvent
from grassroots.core.personal_data import mask_id_number, mask_mobile
from grassroots.people.models import Person
from grassroots.people.services import party_membership_set, person_role_assign
from tests.api.conftest import Api, assert_error, names, results
from tests.conftest import SIBLING_MARK, World


def unmask_url(person: Person) -> str:
    return f"/api/v1/persons/{person.pk}/unmask/"


def clear_values(person: Person) -> list[str]:
    """Every clear form a number could leak in: the number, and the birth date that completes a masked ID."""
    assert person.birth_date is not None
    return [person.id_number, person.mobile, person.birth_date.isoformat(), f"{person.birth_date:%Y%m%d}"]


# ------------------------------------------------------------------------------------------------------ lists


def test_community_staff_lists_only_their_communitys_persons(api: Api) -> None:
    response = api("community_staff").get("/api/v1/persons/")

    assert names(response) == {"东岳张伟", "东岳李娜"}
    assert SIBLING_MARK not in response.content.decode()


def test_street_staff_lists_both_communities_but_not_the_other_street(api: Api) -> None:
    response = api("street_staff").get("/api/v1/persons/")

    assert names(response) == {"东岳张伟", "东岳李娜", "北辰张伟", "北辰李娜"}


def test_grid_worker_lists_their_grids_persons(api: Api) -> None:
    assert names(api("grid_worker").get("/api/v1/persons/")) == {"东岳张伟", "东岳李娜"}


@pytest.mark.parametrize("persona", ["resident", "unit_admin", "department_staff", "party_member"])
def test_roles_without_people_capability_get_a_403(api: Api, world: World, persona: str) -> None:
    person = world.communities["dongyue"].persons[0]

    assert_error(api(persona).get("/api/v1/persons/"), 403, "permission_denied")
    assert_error(api(persona).get(f"/api/v1/persons/{person.pk}/"), 403, "permission_denied")


def test_list_row_is_masked_and_has_no_address_or_birth_date(api: Api, world: World) -> None:
    dy = world.communities["dongyue"]
    zhang = dy.persons[0]

    response = api("community_staff").get("/api/v1/persons/", {"q": "东岳张"})

    assert results(response) == [
        {
            "id": zhang.pk,
            "name": "东岳张伟",
            "gender": "male",
            "ethnicity": "汉族",
            "age": _age(dt.date(1980, 5, 17)),
            "id_number_masked": mask_id_number(zhang.id_number),
            "mobile_masked": mask_mobile(zhang.mobile),
            "community": dy.region.pk,
            "community_name": "东岳社区",
            "compound": dy.compound.pk,
            "compound_name": "东岳花园",
            "grid": dy.grid.pk,
        }
    ]
    assert mask_id_number(zhang.id_number) == f"450902********{zhang.id_number[-4:]}"
    assert mask_mobile(zhang.mobile) == f"139****{zhang.mobile[-4:]}"


def test_no_clear_number_or_address_anywhere_in_the_list(api: Api, world: World) -> None:
    content = api("street_staff").get("/api/v1/persons/").content.decode()

    for community in ("dongyue", "beichen"):
        for person in world.communities[community].persons:
            for value in [*clear_values(person), person.address]:
                assert value not in content


def _age(born: dt.date) -> int:
    from django.utils import timezone

    today = timezone.localdate()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@pytest.mark.parametrize(
    ("query", "expected"),
    [("张伟", {"东岳张伟"}), ("dyzw", {"东岳张伟"}), ("dongyueli", {"东岳李娜"}), ("DYLN", {"东岳李娜"})],
)
def test_search_by_name_pinyin_and_initials(api: Api, query: str, expected: set[str]) -> None:
    assert names(api("community_staff").get("/api/v1/persons/", {"q": query})) == expected


def test_search_by_exact_mobile_and_id_number(api: Api, world: World) -> None:
    li = world.communities["dongyue"].persons[1]
    client = api("community_staff")

    assert names(client.get("/api/v1/persons/", {"q": li.mobile})) == {"东岳李娜"}
    assert names(client.get("/api/v1/persons/", {"q": li.id_number})) == {"东岳李娜"}
    assert names(client.get("/api/v1/persons/", {"q": li.mobile[:-1]})) == set()


def test_search_by_a_sibling_persons_number_finds_nothing(api: Api, world: World) -> None:
    sibling = world.communities["beichen"].persons[0]
    client = api("community_staff")

    assert names(client.get("/api/v1/persons/", {"q": sibling.mobile})) == set()
    assert names(client.get("/api/v1/persons/", {"q": sibling.id_number})) == set()


def test_region_and_grid_filters(api: Api, world: World) -> None:
    dy, bc = world.communities["dongyue"], world.communities["beichen"]
    client = api("street_staff")

    assert names(client.get("/api/v1/persons/", {"region": bc.compound.pk})) == {"北辰张伟", "北辰李娜"}
    assert names(client.get("/api/v1/persons/", {"grid": dy.grid.pk})) == {"东岳张伟", "东岳李娜"}
    assert names(client.get("/api/v1/persons/", {"region": world.streets["nanjiang"].pk})) == set()
    assert names(client.get("/api/v1/persons/", {"region": dy.building.pk})) == set()  # not a scope level
    body = assert_error(client.get("/api/v1/persons/", {"grid": "x"}), 400, "invalid")
    assert list(body["fields"]) == ["grid"]


# ----------------------------------------------------------------------------------------------------- detail


def test_detail_is_masked_and_complete(api: Api, world: World) -> None:
    dy = world.communities["dongyue"]
    zhang = dy.persons[0]
    person_role_assign(
        actor=None, person=zhang, kind="grid_worker", grid=dy.grid, employment="full_time", since=dt.date(2024, 3, 1)
    )
    party_membership_set(
        actor=None, person=zhang, organization=dy.organization, joined_on=dt.date(2005, 7, 1), category="resident"
    )

    response = api("community_staff").get(f"/api/v1/persons/{zhang.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body == {
        "id": zhang.pk,
        "name": "东岳张伟",
        "gender": "male",
        "ethnicity": "汉族",
        "age": _age(dt.date(1980, 5, 17)),
        "id_number_masked": mask_id_number(zhang.id_number),
        "mobile_masked": mask_mobile(zhang.mobile),
        "community": dy.region.pk,
        "community_name": "东岳社区",
        "compound": dy.compound.pk,
        "compound_name": "东岳花园",
        "grid": dy.grid.pk,
        "street": world.streets["mingshan"].pk,
        "household": {"id": dy.household.pk, "entrance": dy.entrance.pk, "number": "101"},
        "address_masked": "东岳张****",
        "party_membership": {
            "organization": dy.organization.pk,
            "organization_name": "东岳社区党委",
            "category": "resident",
            "joined_on": "2005-07-01",
            "home_unit": None,
        },
        "roles": [
            {
                "kind": "grid_worker",
                "employment": "full_time",
                "region": None,
                "grid": dy.grid.pk,
                "since": "2024-03-01",
            }
        ],
    }
    content = response.content.decode()
    for value in clear_values(zhang):
        assert value not in content


def test_detail_of_a_person_without_membership_or_roles(api: Api, world: World) -> None:
    li = world.communities["dongyue"].persons[1]

    body = api("grid_worker").get(f"/api/v1/persons/{li.pk}/").json()

    assert body["party_membership"] is None
    assert body["roles"] == []


@pytest.mark.parametrize("persona", ["community_staff", "grid_worker", "compound_secretary"])
def test_sibling_person_is_a_404(api: Api, world: World, persona: str) -> None:
    sibling = world.communities["beichen"].persons[0]

    assert_error(api(persona).get(f"/api/v1/persons/{sibling.pk}/"), 404, "not_found")


# ----------------------------------------------------------------------------------------------------- unmask


def test_unmask_returns_clear_numbers_and_writes_one_audit_row(api: Api, world: World) -> None:
    dy = world.communities["dongyue"]
    zhang = dy.persons[0]
    actor = world.users["community_staff"]

    response = api("community_staff").post(unmask_url(zhang), REMOTE_ADDR="10.1.2.3")

    assert response.status_code == 200
    assert response.json() == {"id_number": zhang.id_number, "mobile": zhang.mobile, "address": zhang.address}
    event = AuditEvent.objects.get(action="unmask")
    assert event.actor == actor
    assert event.target_type == ContentType.objects.get_for_model(Person)
    assert event.target_id == str(zhang.pk)
    assert event.target_repr == "东岳张伟"
    assert event.changes == {"fields": ["id_number", "mobile", "address"]}
    assert event.community_id == dy.region.pk
    assert event.street_id == world.streets["mingshan"].pk
    assert event.ip_address == "10.1.2.3"
    assert event.path == unmask_url(zhang)


def test_unmask_only_the_fields_asked_for(api: Api, world: World) -> None:
    zhang = world.communities["dongyue"].persons[0]

    response = api("community_staff").post(unmask_url(zhang), {"fields": ["mobile"]}, format="json")

    assert response.json() == {"mobile": zhang.mobile}
    assert zhang.id_number not in response.content.decode()
    assert AuditEvent.objects.get(action="unmask").changes == {"fields": ["mobile"]}


@pytest.mark.parametrize("body", [{"fields": ["name"]}, {"fields": []}, {"fields": "mobile"}])
def test_unmask_with_a_bad_field_list_is_a_400_and_not_audited(api: Api, world: World, body: dict[str, object]) -> None:
    zhang = world.communities["dongyue"].persons[0]

    response = api("community_staff").post(unmask_url(zhang), body, format="json")

    errors = assert_error(response, 400, "invalid")
    assert list(errors["fields"]) == ["fields"]
    assert zhang.mobile not in response.content.decode()
    assert not AuditEvent.objects.filter(action="unmask").exists()


def test_street_staff_may_unmask_in_either_community(api: Api, world: World) -> None:
    sibling = world.communities["beichen"].persons[1]

    response = api("street_staff").post(unmask_url(sibling))

    assert response.json() == {"id_number": sibling.id_number, "mobile": sibling.mobile, "address": sibling.address}
    assert AuditEvent.objects.filter(action="unmask", actor=world.users["street_staff"]).count() == 1


@pytest.mark.parametrize("persona", ["grid_worker", "compound_secretary"])
def test_unmask_by_a_role_that_may_see_but_not_unmask_is_a_403(api: Api, world: World, persona: str) -> None:
    zhang = world.communities["dongyue"].persons[0]
    before = AuditEvent.objects.count()

    response = api(persona).post(unmask_url(zhang))

    assert_error(response, 403, "permission_denied")
    for value in clear_values(zhang):
        assert value not in response.content.decode()
    assert not AuditEvent.objects.filter(action="unmask").exists()
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("persona", ["resident", "unit_admin"])
def test_unmask_by_a_role_without_people_capability_is_a_403(api: Api, world: World, persona: str) -> None:
    zhang = world.communities["dongyue"].persons[0]

    assert_error(api(persona).post(unmask_url(zhang)), 403, "permission_denied")
    assert not AuditEvent.objects.filter(action="unmask").exists()


def test_unmask_of_a_sibling_communitys_person_is_a_404(api: Api, world: World) -> None:
    sibling = world.communities["beichen"].persons[0]
    before = AuditEvent.objects.count()

    response = api("community_staff").post(unmask_url(sibling), {"fields": ["mobile"]}, format="json")

    assert_error(response, 404, "not_found")
    assert sibling.mobile not in response.content.decode()
    assert AuditEvent.objects.count() == before


def test_unmask_needs_a_post(api: Api, world: World) -> None:
    zhang = world.communities["dongyue"].persons[0]

    assert_error(api("community_staff").get(unmask_url(zhang)), 405, "method_not_allowed")
    assert not AuditEvent.objects.filter(action="unmask").exists()


def test_unmask_anonymously_is_a_401(api: Api, world: World) -> None:
    zhang = world.communities["dongyue"].persons[0]

    assert_error(api(None).post(unmask_url(zhang)), 401, "not_authenticated")
    assert not AuditEvent.objects.filter(action="unmask").exists()
