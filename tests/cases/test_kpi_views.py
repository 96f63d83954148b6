"""The KPI page: its figures equal ``kpi_rows`` over the user's scope, and no other community's figure shows."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import load_workbook

from grassroots.accounts.enums import Capability
from grassroots.cases import kpis
from grassroots.cases.enums import CaseKind, Satisfaction
from grassroots.cases.models import Case
from grassroots.cases.services import case_claim, case_fulfil, case_rate
from grassroots.core.models import AuditEvent
from tests.cases.factories import make_case
from tests.conftest import SIBLING_MARK, World
from tests.web.helpers import html

ADDITIVE = ("submitted", "response_due", "responded_on_time", "rated", "resolved", "satisfied", "basic",
            "fulfilled", "fulfilled_on_time", "reopened", "overdue", "deeds", "residents_served")  # fmt: skip


@pytest.fixture
def activity(cases_world: World) -> World:
    """东岳: two wishes fulfilled and rated (one by the party member), one open difficulty; 北辰: three cases."""
    w = cases_world
    member = w.users["party_member"]
    for stars, satisfaction in ((5, Satisfaction.SATISFIED), (2, Satisfaction.DISSATISFIED)):
        case = case_claim(case=make_case(w, accept=True), actor=member)
        case = case_fulfil(case=case, actor=member, note="办好了", residents_served=3)
        case_rate(case=case, actor=w.users["resident"], stars=stars, satisfaction=satisfaction)
    make_case(w, kind=CaseKind.DIFFICULTY, category="environment", accept=True)
    beichen_staff = w.users["sibling_staff"]
    bc = w.communities["beichen"]
    for _ in range(3):
        case = make_case(w, community="beichen", actor=beichen_staff, channel="walk_in", accept=True)
        case = case_claim(case=case, actor=beichen_staff, on_behalf_of=bc.organization)
        case = case_fulfil(case=case, actor=beichen_staff, note="北辰办好了", residents_served=7)
        case_rate(case=case, actor=beichen_staff, stars=5, satisfaction=Satisfaction.SATISFIED)
    return w


def _month() -> tuple[Any, Any]:
    now = timezone.localtime()
    return kpis.month_bounds(now.year, now.month)


def _scope_total(w: World, persona: str) -> kpis.KpiRow:
    start, end = _month()
    cases = Case.objects.visible_to(w.users[persona], Capability.VIEW_KPIS)
    return kpis.kpi_total(cases=cases, start=start, end=end)


def _figures(row: kpis.KpiRow) -> dict[str, Any]:
    return {name: getattr(row, name) for name in ADDITIVE}


def test_community_staff_see_their_scope_and_never_beichen(activity: World) -> None:
    response = activity.client("community_staff").get(reverse("kpis:kpi_page"))
    assert response.status_code == 200
    total = response.context["total"]
    assert _figures(total) == _figures(_scope_total(activity, "community_staff"))
    assert (total.submitted, total.deeds, total.residents_served, total.rated) == (3, 2, 6, 2)
    assert total.satisfaction_rate == 50.0 and total.reopened == 1
    page = html(response)
    assert SIBLING_MARK not in page
    assert "21" not in [cell.text for cell in response.context["total_cells"]]  # 北辰's residents served (3 × 7)
    # Community staff see their grids; the rate shows its numerator and denominator on hover.
    labels = [line.label for line in response.context["group_lines"]]
    assert labels == ["东岳第一网格"]
    assert f'title="{gettext("%(num)s of %(den)s") % {"num": "1", "den": 2}}"' in page


def test_street_staff_rows_sum_to_the_street_total(activity: World) -> None:
    response = activity.client("street_staff").get(reverse("kpis:kpi_page"))
    total = response.context["total"]
    assert _figures(total) == _figures(_scope_total(activity, "street_staff"))
    lines = response.context["group_lines"]
    assert sorted(line.label for line in lines) == ["东岳社区", "北辰社区"]
    for name in ADDITIVE:
        assert sum(getattr(line.row, name) for line in lines) == getattr(total, name), name
    categories = response.context["category_lines"]
    assert sum(line.row.submitted for line in categories) == total.submitted == 6
    # Communities ranked this month by satisfaction: 北辰 (100 %) before 东岳 (50 %).
    assert [line.label for line in response.context["community_ranking"]] == ["北辰社区", "东岳社区"]
    orgs = [line.label for line in response.context["org_ranking"]]
    assert orgs == ["北辰社区党委"]
    assert [line.label for line in response.context["person_ranking"]] == ["东岳党员王强"]


def test_district_admin_sees_streets_and_rows_link_to_the_inbox(activity: World) -> None:
    response = activity.client("district_admin").get(reverse("kpis:kpi_page"))
    lines = response.context["group_lines"]
    assert [line.label for line in lines] == ["名山街道"]  # only streets with cases
    assert lines[0].row.submitted == 6
    try:
        inbox = reverse("cases:case_list")
    except Exception:  # the inbox is built elsewhere; without it counts are plain text
        return
    assert lines[0].href == f"{inbox}?region={activity.streets['mingshan'].pk}"
    overdue = lines[0].cells[5].href
    assert overdue is not None and "overdue=true" in overdue


def test_period_picker(activity: World) -> None:
    client = activity.client("community_staff")
    response = client.get(reverse("kpis:kpi_page"), {"period": "last_month"})
    assert response.context["total"].submitted == 0
    today = timezone.localdate().isoformat()
    response = client.get(reverse("kpis:kpi_page"), {"period": "custom", "start": today, "end": today})
    assert response.context["total"].submitted == 3
    response = client.get(reverse("kpis:kpi_page"), {"period": "this_quarter"})
    assert response.context["total"].submitted == 3
    response = client.get(reverse("kpis:kpi_page"), {"period": "custom", "start": today, "end": "2000-01-01"})
    assert response.status_code == 200 and "end" in response.context["form"].errors


def test_export_is_scoped_and_audited(activity: World) -> None:
    response = activity.client("community_staff").get(reverse("kpis:kpi_page"), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    text = " ".join(str(c) for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row if c)
    assert SIBLING_MARK not in text and "东岳第一网格" in text
    event = AuditEvent.objects.get(action="export")
    assert event.actor == activity.users["community_staff"]
    assert event.community_id == activity.communities["dongyue"].region.pk


@pytest.mark.parametrize("persona", ["party_member", "grid_worker", "resident", "unit_admin"])
def test_roles_without_view_kpis_get_403(activity: World, persona: str) -> None:
    assert activity.client(persona).get(reverse("kpis:kpi_page")).status_code == 403
