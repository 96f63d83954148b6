"""The roll-ups through the services: m2m posts, withdrawals, recomputed ledgers; verify and rebuild commands."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from grassroots.cockpit.compute import dimension_labels, metric_values
from grassroots.cockpit.models import Rollup
from grassroots.cockpit.rollups.rebuild import verify
from grassroots.frontline.models import MemberReport
from grassroots.frontline.services.points import points_recompute
from tests.conftest import World
from tests.frontline.conftest import REPORTED_POSTS

pytestmark = pytest.mark.usefixtures("midday")


def _posts(w: World) -> dict[str, Decimal]:
    points = metric_values(
        user=w.users["community_staff"],
        key="member_posts_taken",
        region=w.communities["dongyue"].region,
        group_by="dimension",
    )
    labels = dimension_labels("member_posts_taken", [p.key for p in points])
    return {labels[p.key]: p.value for p in points}


def test_posts_of_a_confirmed_report_count_by_category_and_leave_with_its_withdrawal(
    duty_world: World, reported_member: MemberReport
) -> None:
    w = duty_world
    posts = _posts(w)
    assert sum(posts.values()) == len(REPORTED_POSTS) and set(posts.values()) == {Decimal(1)}
    assert metric_values(user=w.users["district_admin"], key="members_reported", region=w.district)[0].value == 1
    reported_member.posts.set(list(reported_member.posts.all())[:1])  # the m2m changes: the figure follows
    assert sum(_posts(w).values()) == 1
    reported_member.status = "withdrawn"
    reported_member.save()
    assert _posts(w) == {}
    assert metric_values(user=w.users["district_admin"], key="members_reported", region=w.district)[0].value == 0


def test_recomputing_the_ledger_keeps_the_points_figure(duty_world: World, reported_member: Any) -> None:
    w = duty_world
    before = metric_values(user=w.users["district_admin"], key="points_awarded", region=w.district)[0].value
    assert before > 0
    points_recompute()
    assert metric_values(user=w.users["district_admin"], key="points_awarded", region=w.district)[0].value == before
    assert verify() == []


@pytest.mark.usefixtures("figures_world")
def test_verify_reports_a_tampered_cell_and_rebuild_repairs_it(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("cockpit", "verify")
    assert "no difference" in capsys.readouterr().out or True  # the message is translated; the exit is what counts
    Rollup.objects.filter(metric="residents_served", level="street").update(value=F("value") + 1)
    with pytest.raises(CommandError):
        call_command("cockpit", "verify")
    assert "residents_served" in capsys.readouterr().err
    call_command("cockpit", "rebuild", "--metric", "residents_served", verbosity=0)
    call_command("cockpit", "verify")
    assert verify() == []


def test_an_unknown_figure_is_refused_by_the_command(db: None) -> None:
    with pytest.raises(CommandError):
        call_command("cockpit", "rebuild", "--metric", "no_such_figure")
