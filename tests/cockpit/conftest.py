"""Fixtures of the cockpit tests: a few deeds and ratings in three communities of two streets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q
from django.utils import timezone

from grassroots.cases.enums import Channel
from grassroots.cases.models import Case
from grassroots.cockpit.rollups.engine import tracking
from tests.cases.conftest import cases_world  # noqa: F401
from tests.cases.factories import make_case
from tests.conftest import World
from tests.frontline.conftest import reported_member  # noqa: F401


def _done(world: World, community: str, *, served: int, rating: str | None, days_ago: int = 0) -> Case:
    """A micro-wish in ``community`` counted as a deed ``days_ago`` days ago, rated ``rating`` (or not)."""
    case = make_case(world, community=community, channel=Channel.WALK_IN, actor=world.users["district_admin"])
    at = timezone.now() - dt.timedelta(days=days_ago)
    with tracking(Case, Q(pk=case.pk)):  # a write past the services: the roll-ups follow it explicitly
        Case.objects.filter(pk=case.pk).update(
            status="closed" if rating else "fulfilled",
            deed_at=at,
            fulfilled_at=at,
            residents_served=served,
            claimed_at=at,
            rated_at=at if rating else None,
            satisfaction=rating or "",
        )
    return case


@pytest.fixture
def figures_world(db: None, request: pytest.FixtureRequest) -> World:
    """东岳: 2 deeds (3 + 2 served), 1 satisfied and 1 dissatisfied; 北辰: 1 deed (7 served), satisfied, 40 days
    ago; 江滨 (the other street): 1 deed (4 served), basically satisfied."""
    w: World = request.getfixturevalue("cases_world")
    _done(w, "dongyue", served=3, rating="satisfied")
    _done(w, "dongyue", served=2, rating="dissatisfied")
    _done(w, "beichen", served=7, rating="satisfied", days_ago=40)
    _done(w, "jiangbin", served=4, rating="basic")
    return w
