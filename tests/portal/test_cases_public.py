"""The public wish wall: anyone can read a community's open wishes, with names masked and no address."""

from __future__ import annotations

from typing import Any

from django.test import Client

from grassroots.cases.enums import CaseKind, Channel
from grassroots.cases.services import case_claim, case_fulfil
from tests.cases.conftest import cases_world  # noqa: F401
from tests.cases.factories import make_case
from tests.conftest import World

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_the_wall_masks_names_and_shows_no_address(cases_world: World) -> None:  # noqa: F811
    w = cases_world
    dy, bc = w.communities["dongyue"], w.communities["beichen"]
    wish = make_case(w, accept=True, description="想要一台收音机", contact_mobile="13912345678")
    pending = make_case(w, description="还在审核的心愿")
    difficulty = make_case(w, kind=CaseKind.DIFFICULTY, accept=True, description="楼道灯坏了")
    make_case(
        w,
        community="beichen",
        actor=w.users["sibling_staff"],
        channel=Channel.WALK_IN,
        requester_name="北辰王芳",
        description="北辰的心愿",
        accept=True,
    )
    html = Client(**EN).get(f"/portal/wishes/?community={dy.region.pk}").content.decode()
    assert wish.title in html
    assert wish.requester_name == "东岳张伟"
    assert "东岳张伟" not in html and "东***" in html
    assert "13912345678" not in html and "5678" not in html
    assert dy.building.name not in html and dy.entrance.name not in html
    assert dy.compound.name in html  # the compound only
    assert pending.title not in html and difficulty.title not in html
    assert "北辰" not in html
    assert bc.region.name not in html


def test_the_wall_counts_wishes_fulfilled_this_month(cases_world: World) -> None:  # noqa: F811
    w = cases_world
    member = w.users["party_member"]
    for text in ("想要一副老花镜", "想要一个热水壶"):
        case = case_claim(case=make_case(w, accept=True, description=text), actor=member)
        case_fulfil(case=case, actor=member, note="送到了", residents_served=1)
    html = Client(**EN).get(f"/portal/wishes/?community={w.communities['dongyue'].region.pk}").content.decode()
    assert "2 wishes came true this month." in html


def test_the_wall_starts_with_the_community_picker(world: World, django_assert_max_num_queries: Any) -> None:
    client = Client(**EN)
    html = client.get("/portal/wishes/").content.decode()
    assert "Choose your community" in html and world.streets["mingshan"].name in html
    html = client.get(f"/portal/wishes/?street={world.streets['mingshan'].pk}").content.decode()
    assert "东岳社区" in html
    home = client.get(f"/portal/?community={world.communities['dongyue'].region.pk}").content.decode()
    assert f'href="/portal/wishes/?community={world.communities["dongyue"].region.pk}"' in home
    with django_assert_max_num_queries(10):
        client.get(f"/portal/wishes/?community={world.communities['dongyue'].region.pk}")
