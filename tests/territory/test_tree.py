import pytest

from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditEvent
from grassroots.people.models import Person
from grassroots.territory.models import Region
from grassroots.territory.selectors import region_subtree
from grassroots.territory.services import grid_create, region_create
from tests.conftest import World


def test_compound_under_a_street_is_rejected_and_nothing_written(world: World) -> None:
    street = world.streets["mingshan"]
    before = (Region.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ApplicationError) as info:
        region_create(actor=None, kind="compound", name="错位小区", code="X1", parent=street)
    assert info.value.code == "region_kind_mismatch"
    assert "parent" in info.value.fields
    assert (Region.objects.count(), AuditEvent.objects.count()) == before
    assert not Region.objects.filter(code="X1").exists()


@pytest.mark.parametrize(
    ("kind", "parent_key"),
    [("street", None), ("district", "district"), ("community", "district"), ("entrance", "street"), ("building", None)],
)
def test_every_wrong_parent_kind_is_rejected(world: World, kind: str, parent_key: str | None) -> None:
    parent = world.district if parent_key == "district" else world.streets["mingshan"] if parent_key else None
    with pytest.raises(ApplicationError) as info:
        region_create(actor=None, kind=kind, name="x", code="BAD", parent=parent)
    assert info.value.code == "region_kind_mismatch"
    assert not Region.objects.filter(code="BAD").exists()


def test_duplicate_code_is_rejected(world: World) -> None:
    with pytest.raises(ApplicationError) as info:
        region_create(actor=None, kind="street", name="重复", code="45090201", parent=world.district)
    assert info.value.code == "region_code_taken"


def test_scope_columns_hold_ancestors_or_self(world: World) -> None:
    c = world.communities["dongyue"]
    assert (c.entrance.district_id, c.entrance.street_id, c.entrance.community_id, c.entrance.compound_id) == (
        world.district.pk,
        world.streets["mingshan"].pk,
        c.region.pk,
        c.compound.pk,
    )
    assert c.region.community_id == c.region.pk and c.region.compound_id is None


def test_subtree_is_one_prefix_query(world: World, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    street = world.streets["mingshan"]
    with django_assert_num_queries(1):
        names = set(region_subtree(region=street).filter(kind="community").values_list("name", flat=True))
    assert names == {"东岳社区", "北辰社区"}
    persons = Person.objects.filter(street_id=street.pk)
    assert {p.community_id for p in persons} == {
        world.communities["dongyue"].region.pk,
        world.communities["beichen"].region.pk,
    }


def test_grid_rejects_areas_of_another_community_and_bad_geojson(world: World) -> None:
    dy, bc = world.communities["dongyue"], world.communities["beichen"]
    with pytest.raises(ApplicationError) as info:
        grid_create(actor=None, community=dy.region, code="G-X", name="x", areas=[bc.compound])
    assert info.value.code == "grid_area_outside"
    with pytest.raises(ApplicationError) as info:
        grid_create(
            actor=None,
            community=dy.region,
            code="G-Y",
            name="y",
            boundary={"type": "Polygon", "coordinates": [[[110.1, 22.6], [110.2, 22.6], [110.2, 22.7]]]},
        )
    assert info.value.code == "grid_boundary_invalid"
    grid = grid_create(
        actor=None,
        community=dy.region,
        code="G-Z",
        name="z",
        boundary={"type": "Polygon", "coordinates": [[[110.1, 22.6], [110.2, 22.6], [110.2, 22.7], [110.1, 22.6]]]},
    )
    assert grid.street_id == world.streets["mingshan"].pk
