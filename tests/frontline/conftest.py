"""Fixtures shared by the frontline tests: reports made through the reporting services."""

from __future__ import annotations

from typing import Any

import pytest

from grassroots.catalogue.models import ServiceCategory
from grassroots.frontline.models import MemberReport
from grassroots.frontline.services.reporting import member_report_decide, member_report_submit
from tests.conftest import World


@pytest.fixture(autouse=True)
def _at_midday(midday: None) -> None:
    """Every frontline test runs from noon of today (see ``midday`` in tests/conftest.py)."""


# The two service posts the ``reported_member`` takes.
REPORTED_POSTS = ("policy", "safety")


@pytest.fixture
def reported_member(duty_world: World) -> MemberReport:
    """``party_member`` (王强 of 区税务局) reported to 东岳社区 with two posts, confirmed by ``community_staff``."""
    w = duty_world
    member: Any = w.users["party_member"]
    report = member_report_submit(
        actor=member,
        region=w.communities["dongyue"].region,
        posts=list(ServiceCategory.objects.filter(code__in=REPORTED_POSTS)),
        skills="税务咨询",
    )
    report = member_report_decide(report=report, actor=w.users["community_staff"], confirm=True)
    member.refresh_scope()
    return report
