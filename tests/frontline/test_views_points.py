"""Points pages: the rankings, a member's ledger with the source of every entry, the rule versions and their
publication, and recording a service. Another community sees nothing of 东岳's members."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from django.utils.translation import gettext

from grassroots.frontline.enums import PointsSource
from grassroots.frontline.models import MemberReport, PointsEntry, PointsRuleSet, ServiceRecord
from tests.conftest import SIBLING_MARK, World
from tests.frontline.test_points import wish_done
from tests.web.helpers import html

pytestmark = pytest.mark.django_db

RANKING = "/frontline/points/"
RULES = "/frontline/points/rules/"
RECORD = "/frontline/points/service/new/"


@pytest.fixture
def earned(duty_world: World, reported_member: MemberReport) -> dict[str, Any]:
    """王强 reported (5 points) and fulfilled a micro-wish the resident rated satisfied (10 + 5)."""
    case = wish_done(duty_world)
    return {"report": reported_member, "case": case, "person": reported_member.person}


def test_member_ranking_for_the_community(duty_world: World, earned: dict[str, Any]) -> None:
    w = duty_world
    response = w.client("community_staff").get(RANKING)
    assert response.status_code == 200
    members = response.context["members"]
    assert [(m.name, m.points, m.rank) for m in members] == [("东岳党员王强", Decimal("20"), 1)]
    body = html(response)
    assert f"/frontline/points/person/{earned['person'].pk}/" in body and "区税务局" in body
    units = w.client("community_staff").get(RANKING, {"tab": "units"})
    assert [(u.unit_name, u.members_reported, u.index) for u in units.context["units"]] == [
        ("区税务局", 1, Decimal("20.00"))
    ]
    # filters: a past year has nothing; an unknown unit is an invalid choice and shows nothing
    past = w.client("community_staff").get(RANKING, {"year": timezone.localdate().year - 1})
    assert past.context["members"] == []
    bad = w.client("community_staff").get(RANKING, {"unit": 999999})
    assert bad.context["members"] == [] and gettext("Correct the filters to search.") in html(bad)


def test_ranking_of_another_community_is_empty(duty_world: World, earned: dict[str, Any]) -> None:
    w = duty_world
    response = w.client("sibling_staff").get(RANKING)
    assert response.status_code == 200
    assert response.context["members"] == [] and response.context["units"] == []
    assert "东岳党员王强" not in html(response) and "区税务局" not in html(response)
    for persona in ("party_member", "resident", "department_staff", "unit_admin"):
        assert w.client(persona).get(RANKING).status_code == 403, persona


def test_ledger_shows_every_entry_with_its_source(duty_world: World, earned: dict[str, Any]) -> None:
    w = duty_world
    person = earned["person"]
    url = f"/frontline/points/person/{person.pk}/"
    response = w.client("community_staff").get(url)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert sorted(entry.source for entry, _label, _url in rows) == sorted(
        [PointsSource.MEMBER_REPORTED, PointsSource.WISH_FULFILLED, PointsSource.RATED_SATISFIED]
    )
    assert response.context["total"] == Decimal("20")
    body = html(response)
    assert f"/cases/{earned['case'].pk}/" in body
    assert f"/frontline/member-reports/{earned['report'].pk}/" in body
    # the unit's admin follows its member; nobody else does
    assert w.client("unit_admin").get(url).status_code == 200
    assert w.client("sibling_staff").get(url).status_code == 404
    assert w.client("party_member").get(url).status_code == 403
    # a person without a visible report or entry, and an unknown id
    beichen_person = w.communities["beichen"].persons[0]
    assert w.client("community_staff").get(f"/frontline/points/person/{beichen_person.pk}/").status_code == 404
    assert w.client("community_staff").get("/frontline/points/person/999999/").status_code == 404


def test_rules_page_and_publication(duty_world: World) -> None:
    w = duty_world
    staff = w.client("community_staff").get(RULES)
    assert staff.status_code == 200 and staff.context["form"] is None
    assert "v1" in html(staff)
    admin = w.client("district_admin")
    page = admin.get(RULES)
    assert page.context["form"] is not None
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    data = {f"points_{source}": "5" for source in PointsSource.values}
    data.update({"effective_from": f"{tomorrow}T00:00", "points_wish_fulfilled": "20", "note": "提高微心愿积分"})
    # refused: a negative figure, a past time, and a user who is not the district
    assert admin.post(RULES, {**data, "points_hour_served": "-1"}).status_code == 400
    assert admin.post(RULES, {**data, "effective_from": "2020-01-01T00:00"}).status_code == 400
    assert w.client("community_staff").post(RULES, data).status_code == 403
    assert PointsRuleSet.objects.count() == 1
    response = admin.post(RULES, data)
    assert response.status_code == 302
    latest = PointsRuleSet.objects.get(version=2)
    assert latest.note == "提高微心愿积分"
    assert latest.rules.get(source=PointsSource.WISH_FULFILLED).points == Decimal("20")
    assert w.client("party_member").get(RULES).status_code == 403


def test_record_a_service(duty_world: World, reported_member: MemberReport) -> None:
    w = duty_world
    person = reported_member.person
    dongyue = w.communities["dongyue"].region
    client = w.client("community_staff")
    page = client.get(RECORD, {"person": person.pk})
    assert page.status_code == 200 and "东岳党员王强" in html(page)
    assert SIBLING_MARK not in html(page)
    data = {
        "person": person.pk,
        "region": dongyue.pk,
        "kind": "activity",
        "title": "社区环境整治",
        "served_on": timezone.localdate().isoformat(),
        "hours": "2.5",
    }
    for bad in (
        {"hours": "25"},
        {"title": ""},
        {"served_on": "2999-01-01"},
        {"region": w.communities["beichen"].region.pk},
    ):
        assert client.post(RECORD, {**data, **bad}).status_code == 400, bad
    assert ServiceRecord.objects.count() == 0
    response = client.post(RECORD, data)
    assert response.status_code == 302 and response["Location"] == f"/frontline/points/person/{person.pk}/"
    record = ServiceRecord.objects.get()
    assert (record.title, record.hours, record.recorded_by) == (
        "社区环境整治",
        Decimal("2.5"),
        w.users["community_staff"],
    )
    assert PointsEntry.objects.filter(service_record=record).exists()
    # another community cannot pick 东岳's member; others may not record at all
    assert (
        w.client("sibling_staff").post(RECORD, {**data, "region": w.communities["beichen"].region.pk}).status_code
        == 400
    )
    assert ServiceRecord.objects.count() == 1
    for persona in ("compound_secretary", "party_member", "unit_admin"):
        assert w.client(persona).get(RECORD).status_code == 403, persona
