"""``region_tree_load``: many regions at once, with treebeard paths and scope columns as ``region_create`` sets them."""

from __future__ import annotations

from typing import Any

import pytest

from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditEvent
from grassroots.territory.models import Region
from grassroots.territory.services import RegionNode, region_create, region_tree_load

NODES = [
    RegionNode("district", "玉州区", "450902"),
    RegionNode("street", "南江街道", "450902002", "450902"),
    RegionNode("street", "名山街道", "450902001", "450902"),
    RegionNode("community", "北辰社区", "450902001002", "450902001"),
    RegionNode("community", "东岳社区", "450902001001", "450902001"),
    RegionNode("compound", "乾隆苑小区", "450902001001001", "450902001001"),
    RegionNode("building", "乾隆苑小区1栋", "450902001001001001", "450902001001001"),
    RegionNode("entrance", "乾隆苑小区1栋1单元", "45090200100100100101", "450902001001001001"),
]


def test_loads_a_tree_like_region_create(db: Any) -> None:
    loaded = region_tree_load(actor=None, nodes=NODES)
    assert [r.code for r in loaded] == [n.code for n in NODES]
    assert all(not problems for problems in Region.objects.find_problems())
    by_code = {r.code: r for r in Region.objects.all()}
    district, street = by_code["450902"], by_code["450902001"]
    community, compound = by_code["450902001001"], by_code["450902001001001"]
    entrance = by_code["45090200100100100101"]
    # Siblings are ordered by code, as add_child orders them.
    assert [r.name for r in Region.objects.filter(depth=2)] == ["名山街道", "南江街道"]
    assert [r.name for r in Region.objects.filter(depth=3)] == ["东岳社区", "北辰社区"]
    assert (district.numchild, street.numchild, entrance.numchild) == (2, 2, 0)
    assert (entrance.district_id, entrance.street_id, entrance.community_id, entrance.compound_id) == (
        district.pk,
        street.pk,
        community.pk,
        compound.pk,
    )
    assert (street.district_id, street.street_id, street.community_id) == (district.pk, street.pk, None)
    # The tree keeps working with the one-at-a-time service.
    added = region_create(actor=None, kind="community", name="名山社区", code="450902001003", parent=street)
    assert added.path.startswith(street.path) and added.street_id == street.pk
    assert all(not problems for problems in Region.objects.find_problems())


def test_appends_under_a_stored_parent(db: Any) -> None:
    region_tree_load(actor=None, nodes=NODES[:5])
    region_tree_load(
        actor=None,
        nodes=[
            RegionNode("community", "名山社区", "450902001003", "450902001"),
            RegionNode("compound", "碧桂园小区", "450902001003001", "450902001003"),
        ],
    )
    assert all(not problems for problems in Region.objects.find_problems())
    street = Region.objects.get(code="450902001")
    assert street.numchild == 3
    assert [r.name for r in Region.objects.filter(depth=3, path__startswith=street.path)] == [
        "东岳社区",
        "北辰社区",
        "名山社区",
    ]
    compound = Region.objects.get(code="450902001003001")
    assert compound.street_id == street.pk and compound.compound_id == compound.pk
    # One audit row per load, scoped where it happened.
    event = AuditEvent.objects.filter(action="import").latest("pk")
    assert (event.detail, event.street_id, event.community_id) == ("regions: 2", street.pk, None)


@pytest.mark.parametrize(
    ("nodes", "code"),
    [
        ([RegionNode("district", "玉州区", "1"), RegionNode("compound", "小区", "2", "1")], "region_kind_mismatch"),
        ([RegionNode("district", "玉州区", "1"), RegionNode("street", "街道", "1", "1")], "region_code_taken"),
        ([RegionNode("district", "玉州区", "1"), RegionNode("street", " ", "2", "1")], "region_name_required"),
        ([RegionNode("street", "街道", "2", "9")], "region_parent_unknown"),
        ([RegionNode("street", "街道", "2", "3"), RegionNode("district", "玉州区", "3")], "region_parent_unknown"),
    ],
)
def test_refuses_bad_input_and_writes_nothing(db: Any, nodes: list[RegionNode], code: str) -> None:
    with pytest.raises(ApplicationError) as raised:
        region_tree_load(actor=None, nodes=nodes)
    assert raised.value.code == code
    assert not Region.objects.exists()


def test_refuses_a_child_that_would_sort_before_stored_siblings(db: Any) -> None:
    region_tree_load(actor=None, nodes=NODES[:3])
    with pytest.raises(ApplicationError) as raised:
        region_tree_load(actor=None, nodes=[RegionNode("street", "城西街道", "450902000", "450902")])
    assert raised.value.code == "region_bulk_order"
    assert Region.objects.count() == 3
