"""Organisation services: kind/parent rules, one owners' committee per compound, USCC validation, audit."""

from __future__ import annotations

from typing import Any

import pytest

from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditEvent
from grassroots.organizations.models import Organization
from grassroots.organizations.services import organization_create, organization_update
from tests.conftest import World


def create(world: World, **overrides: Any) -> Organization:
    dongyue = world.communities["dongyue"]
    fields: dict[str, Any] = {
        "actor": world.users["district_admin"],
        "kind": "branch",
        "name": "东岳花园党支部",
        "code": "B1",
        "region": dongyue.compound,
        "parent": dongyue.organization,
    }
    fields.update(overrides)
    return organization_create(**fields)


def refused(world: World, **overrides: Any) -> ApplicationError:
    before = (Organization.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ApplicationError) as info:
        create(world, **overrides)
    assert (Organization.objects.count(), AuditEvent.objects.count()) == before
    assert info.value.code == "organization_invalid"
    return info.value


def test_create_fills_scope_and_audits(world: World) -> None:
    org = create(world, credit_code=" 91110000600037341l ")
    dongyue = world.communities["dongyue"]
    assert (org.community_id, org.compound_id, org.street_id) == (
        dongyue.region.pk,
        dongyue.compound.pk,
        world.streets["mingshan"].pk,
    )
    assert org.credit_code == "91110000600037341L"
    event = AuditEvent.objects.get(action="create", target_repr=org.name)
    assert event.actor == world.users["district_admin"]
    assert event.community_id == dongyue.region.pk


def test_a_branch_needs_a_parent_of_an_allowed_kind(world: World) -> None:
    assert "parent" in refused(world, parent=None).fields
    team = Organization.objects.create(
        kind="volunteer_team", name="志愿队", code="V1", region=world.communities["dongyue"].region
    )
    assert "parent" in refused(world, parent=team).fields
    # A volunteer team has no parent rule.
    assert create(world, kind="volunteer_team", code="V2", parent=None).parent is None


def test_name_code_and_kind_are_checked(world: World) -> None:
    error = refused(world, name=" ", code=world.communities["dongyue"].organization.code, kind="nonsense")
    assert {"name", "code", "kind"} <= set(error.fields)


def test_credit_code_is_validated(world: World) -> None:
    assert "credit_code" in refused(world, credit_code="91110000600037341X").fields
    assert "credit_code" in refused(world, credit_code="123").fields


def test_one_owners_committee_per_compound(world: World) -> None:
    dongyue = world.communities["dongyue"]
    create(world, kind="owners_committee", code="OC1", parent=None)
    assert "region" in refused(world, kind="owners_committee", code="OC2", parent=None).fields
    # … and it serves a compound, not a community.
    assert "region" in refused(world, kind="owners_committee", code="OC3", parent=None, region=dongyue.region).fields


def test_grid_must_lie_in_the_region(world: World) -> None:
    assert "grid" in refused(world, grid=world.communities["beichen"].grid).fields
    assert create(world, grid=world.communities["dongyue"].grid).grid == world.communities["dongyue"].grid


def test_update_audits_changes_and_refuses_cycles(world: World) -> None:
    dongyue = world.communities["dongyue"]
    branch = create(world)
    group = create(world, kind="party_group", name="第一党小组", code="G1", parent=branch)
    actor = world.users["district_admin"]
    common = {"actor": actor, "kind": "branch", "code": "B1", "region": dongyue.compound}
    updated = organization_update(organization=branch, name="新名", parent=dongyue.organization, **common)
    assert updated.name == "新名"
    event = AuditEvent.objects.filter(action="update", target_repr="新名").get()
    assert event.changes["name"] == ["东岳花园党支部", "新名"]
    # Under its own party group: a cycle (and the group is no allowed parent kind either).
    with pytest.raises(ApplicationError) as info:
        organization_update(organization=branch, name="新名", parent=group, **{**common, "kind": "volunteer_team"})
    assert "parent" in info.value.fields
    assert Organization.objects.get(pk=branch.pk).kind == "branch"
    # Nothing changed: no audit row.
    before = AuditEvent.objects.count()
    organization_update(organization=branch, name="新名", parent=dongyue.organization, **common)
    assert AuditEvent.objects.count() == before


def test_update_keeps_owners_committee_unique(world: World) -> None:
    create(world, kind="owners_committee", code="OC1", parent=None)
    other = create(world, kind="volunteer_team", code="V9", parent=None)
    with pytest.raises(ApplicationError) as info:
        organization_update(
            actor=None,
            organization=other,
            kind="owners_committee",
            name=other.name,
            code=other.code,
            region=world.communities["dongyue"].compound,
        )
    assert "region" in info.value.fields
