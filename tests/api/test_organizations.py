"""Organisations through the API: scope, filters, detail, 404 outside scope."""

from __future__ import annotations

import pytest

from grassroots.organizations.models import Organization
from tests.api.conftest import Api, assert_error, names, results
from tests.conftest import SIBLING_MARK, World
from tests.factories import tracked_update


def test_community_staff_lists_only_their_communitys_organisations(api: Api) -> None:
    response = api("community_staff").get("/api/v1/organizations/")

    assert names(response) == {"东岳社区党委"}
    assert SIBLING_MARK not in response.content.decode()


def test_street_staff_lists_both_communities_but_not_the_other_street(api: Api) -> None:
    response = api("street_staff").get("/api/v1/organizations/")

    assert names(response) == {"东岳社区党委", "北辰社区党委"}


def test_unit_admin_at_district_level_sees_all_organisations(api: Api) -> None:
    assert len(results(api("unit_admin").get("/api/v1/organizations/"))) == 4


def test_organisation_list_row(api: Api, world: World) -> None:
    org = world.communities["dongyue"].organization

    assert results(api("community_staff").get("/api/v1/organizations/")) == [
        {
            "id": org.pk,
            "kind": "community_committee",
            "name": "东岳社区党委",
            "code": "O4509020101",
            "region": world.communities["dongyue"].region.pk,
            "region_name": "东岳社区",
            "grid": None,
            "parent": None,
        },
    ]


def test_organisation_filters(api: Api, world: World) -> None:
    dy = world.communities["dongyue"]
    Organization.objects.create(kind="property_company", name="东岳物业", code="P1", region=dy.compound)
    client = api("community_staff")

    assert names(client.get("/api/v1/organizations/", {"kind": "property_company"})) == {"东岳物业"}
    assert names(client.get("/api/v1/organizations/", {"q": "党委"})) == {"东岳社区党委"}
    assert names(client.get("/api/v1/organizations/", {"q": "p1"})) == {"东岳物业"}
    body = assert_error(client.get("/api/v1/organizations/", {"kind": "club"}), 400, "invalid")
    assert list(body["fields"]) == ["kind"]


def test_organisation_detail_names_the_parent_only_when_it_is_in_scope(api: Api, world: World) -> None:
    dy = world.communities["dongyue"]
    street_committee = Organization.objects.create(
        kind="street_committee", name="名山街道党工委", code="S1", region=world.streets["mingshan"]
    )
    branch = Organization.objects.create(
        kind="branch", name="东岳花园党支部", code="B1", region=dy.compound, parent=dy.organization, grid=dy.grid
    )
    tracked_update(Organization.objects.filter(pk=dy.organization.pk), parent=street_committee)

    branch_body = api("community_staff").get(f"/api/v1/organizations/{branch.pk}/").json()
    assert branch_body == {
        "id": branch.pk,
        "kind": "branch",
        "name": "东岳花园党支部",
        "code": "B1",
        "credit_code": "",
        "formation": "",
        "parent": dy.organization.pk,
        "parent_name": "东岳社区党委",
        "region": dy.compound.pk,
        "region_name": "东岳花园",
        "street": world.streets["mingshan"].pk,
        "community": dy.region.pk,
        "compound": dy.compound.pk,
        "grid": dy.grid.pk,
        "grid_name": "东岳第一网格",
        "served_compounds": [],
    }
    committee_body = api("community_staff").get(f"/api/v1/organizations/{dy.organization.pk}/").json()
    assert committee_body["parent"] == street_committee.pk
    assert committee_body["parent_name"] is None
    assert api("street_staff").get(f"/api/v1/organizations/{dy.organization.pk}/").json()["parent_name"] == (
        "名山街道党工委"
    )


def test_sibling_organisation_is_a_404(api: Api, world: World) -> None:
    org = world.communities["beichen"].organization

    assert_error(api("community_staff").get(f"/api/v1/organizations/{org.pk}/"), 404, "not_found")


@pytest.mark.parametrize("persona", ["resident", "grid_worker"])
def test_roles_without_organisation_capability_get_a_403(api: Api, persona: str) -> None:
    assert_error(api(persona).get("/api/v1/organizations/"), 403, "permission_denied")
