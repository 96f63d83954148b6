"""Builders for cases that go through the real services."""

from __future__ import annotations

from typing import Any

from grassroots.cases.enums import CaseKind, Channel, NeedGroup
from grassroots.cases.models import Case
from grassroots.cases.services import CaseInput, case_accept, case_submit
from grassroots.catalogue.models import ServiceCategory, ServiceItem
from tests.conftest import World


def make_case(
    world: World,
    *,
    community: str = "dongyue",
    kind: str = CaseKind.MICRO_WISH,
    category: str = "elderly",
    item: str | None = None,
    actor: Any = None,
    channel: str = Channel.PORTAL,
    accept: bool = False,
    description: str = "家里的灯坏了，想请人帮忙换一个灯泡",
    **extra: Any,
) -> Case:
    """Submit a case at the community's entrance (as the resident by default) and optionally accept it."""
    c = world.communities[community]
    if actor is None and channel == Channel.PORTAL:
        actor = world.users["resident"]
    data = CaseInput(
        kind=kind,
        place=c.entrance,
        description=description,
        channel=channel,
        category=ServiceCategory.objects.get(code=category),
        item=ServiceItem.objects.get(code=item) if item else None,
        need_group=extra.pop("need_group", NeedGroup.ELDERLY_ALONE if kind == CaseKind.MICRO_WISH else ""),
        **extra,
    )
    case = case_submit(actor=actor, data=data)
    if accept:
        staff = world.users["community_staff" if community == "dongyue" else "sibling_staff"]
        if community not in ("dongyue", "beichen"):
            staff = world.users["district_admin"]
        case = case_accept(case=case, actor=staff)
    return case
