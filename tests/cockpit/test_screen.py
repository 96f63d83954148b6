"""The big screen: its JSON is the roll-ups' figures for one region the user may see, in a bounded number of
queries; the page is standalone (no sidebar, only the project's static files); other regions are refused."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from grassroots.cockpit.compute import metric_values
from grassroots.cockpit.views import period_bounds
from tests.conftest import SIBLING_MARK, World
from tests.whistle.conftest import answer, call_of, make_whistle, whistle_world  # noqa: F401

pytestmark = pytest.mark.usefixtures("midday")

DONGYUE = "东岳"


def _data(w: World, persona: str, **params: Any) -> dict[str, Any]:
    response = w.client(persona).get(reverse("cockpit:screen_data"), params)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/json"
    return response.json()  # type: ignore[no-any-return]


def _value(points: list[Any]) -> float:
    return float(points[0].value) if points else 0.0


def test_the_figures_are_the_rollups_figures(figures_world: World) -> None:
    w = figures_world
    user, district = w.users["district_admin"], w.district
    data = _data(w, "district_admin")
    assert data["region"] == {"id": district.pk, "name": "玉州区", "kind": "district"}
    today = timezone.localdate()
    first = period_bounds("this_year", today)[0]
    cards = {c["key"]: c for c in data["cards"]}
    for key in ("deeds_done", "residents_served", "micro_wishes_fulfilled", "satisfaction_rate"):
        year = metric_values(user=user, key=key, region=district, date_from=first, date_to=today)
        ever = metric_values(user=user, key=key, region=district)
        assert cards[key]["year"] == _value(year), key
        assert cards[key]["total"] == _value(ever), key
    assert cards["residents_served"]["total"] == 3 + 2 + 7 + 4
    assert cards["satisfaction_rate"]["rate"] and cards["satisfaction_rate"]["denominator"] == 4
    assert cards["grids"]["stock"] and cards["grids"]["year"] is None and cards["grids"]["total"] == 4

    # The 12-month trend: the roll-ups by month, the months without any as 0.
    trend = data["trend"]
    assert len(trend["months"]) == 12 and trend["months"][-1] == today.strftime("%Y-%m")
    deeds = next(s for s in trend["series"] if s["key"] == "deeds_done")
    start = dt.date.fromisoformat(f"{trend['months'][0]}-01")
    by_month = {
        p.key[:7]: float(p.value)
        for p in metric_values(
            user=user, key="deeds_done", region=district, date_from=start, date_to=today, group_by="month"
        )
    }
    assert deeds["values"] == [by_month.get(m, 0) for m in trend["months"]]
    assert {s["key"] for s in trend["series"]} == {"deeds_done", "micro_wishes_fulfilled", "cases_submitted"}

    # Streets ranked by deeds done this year, as the roll-ups count them by region.
    ranking = next(r for r in data["rankings"]["lists"] if r["key"] == "deeds_done")
    assert data["rankings"]["level"] == "street"
    parts = metric_values(
        user=user, key="deeds_done", region=district, date_from=first, date_to=today, group_by="region"
    )
    assert {r["id"]: r["value"] for r in ranking["rows"]} == {int(p.key): float(p.value) for p in parts}
    assert [r["value"] for r in ranking["rows"]] == sorted((r["value"] for r in ranking["rows"]), reverse=True)
    assert {r["name"] for r in ranking["rows"]} <= {"名山街道", "南江街道"}


def test_the_page_shows_the_same_figures_standalone(figures_world: World) -> None:
    w = figures_world
    page = w.client("district_admin").get(reverse("cockpit:screen"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "玉州区" in html and 'class="gr-layout"' not in html and "_sidebar" not in html
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert url.startswith(("/static/", "/cockpit/")), url  # nothing from the internet
    embedded = json.loads(re.search(r'id="screen-data"[^>]*>(.*?)</script>', html, re.S).group(1))  # type: ignore[union-attr]
    cards = {c["key"]: c for c in embedded["cards"]}
    assert re.search(
        rf'data-key="residents_served".*?data-figure="total">{int(cards["residents_served"]["total"])}<', html, re.S
    )
    assert page.context["refresh"] == 60
    assert w.client("district_admin").get(reverse("cockpit:screen"), {"refresh": "3"}).context["refresh"] == 10
    assert w.client("district_admin").get(reverse("cockpit:screen"), {"refresh": "120"}).context["refresh"] == 120
    assert w.client("district_admin").get(reverse("cockpit:screen"), {"refresh": "9" * 40}).context["refresh"] == 3600


def test_street_staff_get_their_street(figures_world: World) -> None:
    w = figures_world
    data = _data(w, "street_staff")
    assert data["region"]["id"] == w.streets["mingshan"].pk
    ranking = next(r for r in data["rankings"]["lists"] if r["key"] == "deeds_done")
    assert data["rankings"]["level"] == "community"
    assert {r["name"] for r in ranking["rows"]} <= {"东岳社区", "北辰社区"}
    cards = {c["key"]: c for c in data["cards"]}
    assert cards["residents_served"]["total"] == 3 + 2 + 7  # not 江滨's 4
    assert _data(w, "street_staff", region=w.communities["dongyue"].region.pk)["region"]["name"] == "东岳社区"
    other = w.client("street_staff").get(reverse("cockpit:screen_data"), {"region": w.streets["nanjiang"].pk})
    assert other.status_code == 404


def test_beichen_staff_are_refused_dongyue_and_never_see_its_figures(
    figures_world: World,
    whistle_world: World,  # noqa: F811
) -> None:
    w = figures_world
    call = call_of(make_whistle(w))  # 东岳社区 calls 区城市管理局
    answer(w, call)
    dongyue, beichen = w.communities["dongyue"].region, w.communities["beichen"].region
    client = w.client("sibling_staff")
    for name in ("cockpit:screen", "cockpit:screen_data"):
        for region in (dongyue, w.streets["mingshan"], w.district):
            assert client.get(reverse(name), {"region": region.pk}).status_code == 404, (name, region.name)
    for junk in ("x", "9" * 30, "-1"):
        assert client.get(reverse("cockpit:screen_data"), {"region": junk}).status_code == 404

    data = _data(w, "sibling_staff")
    assert data["region"]["id"] == beichen.pk
    text = json.dumps(data, ensure_ascii=False)
    assert DONGYUE not in text and "区城市管理局" not in text
    assert data["departments"] == []
    cards = {c["key"]: c for c in data["cards"]}
    assert cards["residents_served"]["total"] == 7 and cards["deeds_done"]["total"] == 1  # 北辰's own
    assert cards["whistles_blown"]["total"] == 0
    page = client.get(reverse("cockpit:screen")).content.decode()
    assert DONGYUE not in page and "区城市管理局" not in page

    # 东岳's staff see the department they called (its on-time rate from the whistle scorecards), and no 北辰.
    mine = _data(w, "community_staff")
    assert [d["name"] for d in mine["departments"]] == ["区城市管理局"]
    assert mine["departments"][0]["received"] == 1 and mine["departments"][0]["on_time_rate"] == 100.0
    assert SIBLING_MARK not in json.dumps(mine, ensure_ascii=False)


def test_anonymous_users_go_to_the_login_page(figures_world: World, client: Any) -> None:
    for name in ("cockpit:screen", "cockpit:screen_data"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["resident", "grid_worker", "department_staff"])
def test_people_without_figures_get_403(figures_world: World, persona: str) -> None:
    assert figures_world.client(persona).get(reverse("cockpit:screen_data")).status_code == 403


def test_the_data_costs_a_fixed_number_of_queries(figures_world: World, django_assert_max_num_queries: Any) -> None:
    w = figures_world
    client = w.client("district_admin")
    client.get(reverse("cockpit:screen_data"))  # warm the session
    with django_assert_max_num_queries(16) as queries:  # 6 for the session and the user; one or two a section
        response = client.get(reverse("cockpit:screen_data"))
    assert response.status_code == 200
    # Read from the roll-up table, never from the source rows.
    sources = ("cases_case", "frontline_", "organizations_memberreport", 'whistle_whistle"')
    assert not [q["sql"] for q in queries.captured_queries if any(f'"{t}' in q["sql"] for t in sources)]
    assert {c["key"]: c["total"] for c in response.json()["cards"]}["deeds_done"] == 4
