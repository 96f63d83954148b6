"""The whistle pages: the board, blowing (from a case), a whistle's page and its actions, my whistles, the
scorecards with their export, and the links on the case page, side bar and workbench. Every page is also tried
by another community's staff and another department's staff."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import load_workbook

from grassroots.cases.enums import CaseStatus
from grassroots.cases.models import Case
from grassroots.core.models import AuditEvent
from grassroots.whistle.enums import CallStatus, WhistleStatus
from grassroots.whistle.models import Whistle, WhistleCall, WhistleEvent
from tests.cases.factories import make_case
from tests.conftest import World
from tests.whistle.conftest import answer, call_of, png

pytestmark = pytest.mark.usefixtures("_media")


def written() -> tuple[int, ...]:
    return (
        Whistle.objects.count(),
        WhistleCall.objects.count(),
        WhistleEvent.objects.count(),
        AuditEvent.objects.count(),
    )


def page(client: Client, url: str, expect: int = 200, **params: Any) -> str:
    response = client.get(url, params)
    assert response.status_code == expect, (response.status_code, response.content[:500])
    return response.content.decode()


def blow_form(world: World, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "region": world.communities["dongyue"].region.pk,
        "title": "东岳花园占道经营",
        "description": "东岳花园门口有人长期占道经营，需要城管到场处理。",
        "urgency": "normal",
        "handle_due": (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        "origin_case": "",
        "calls-TOTAL_FORMS": "6",
        "calls-INITIAL_FORMS": "0",
        "calls-MIN_NUM_FORMS": "0",
        "calls-MAX_NUM_FORMS": "6",
        "calls-0-department": world.duty.department.pk,
        "calls-0-task": "清理占道摊位",
    }
    data.update(extra)
    return data


# ----------------------------------------------------------------------------------------------- the board


def test_board_lists_whistles_with_their_calls_and_counts(
    whistle_world: World, blow_whistle: Callable[..., Whistle]
) -> None:
    late = blow_whistle(title="东岳北门路灯不亮", now=timezone.now() - dt.timedelta(days=2))
    fresh = blow_whistle(title="东岳花园污水外溢", departments=("department", "other_department"))
    staff = whistle_world.client("community_staff")

    html = page(staff, "/whistles/")

    assert late.number in html and fresh.number in html
    assert "区城市管理局" in html and "区住房和城乡建设局" in html
    assert gettext("Overdue") in html and gettext("Blow the whistle") in html
    only_late = page(staff, "/whistles/", overdue="yes")
    assert late.number in only_late and fresh.number not in only_late
    by_department = page(staff, "/whistles/", department=whistle_world.duty.other_department.pk)
    assert fresh.number in by_department and late.number not in by_department
    assert late.number in page(staff, "/whistles/", q="路灯") and fresh.number not in page(
        staff, "/whistles/", q="路灯"
    )
    assert gettext("No whistles match these filters.") in page(staff, "/whistles/", status="closed")
    partial = staff.get("/whistles/", {"status": "open"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and late.number in partial


def test_board_is_empty_for_another_community_and_refused_to_others(
    whistle_world: World, blow_whistle: Callable[..., Whistle]
) -> None:
    whistle = blow_whistle()
    html = page(whistle_world.client("sibling_staff"), "/whistles/")
    assert whistle.number not in html and "东岳" not in html
    empty = gettext(
        "No whistle has been blown here yet. When a matter needs departments on site, blow the whistle "
        "from its case or with the button above."
    )
    assert empty in html
    # Department staff are sent to their own list; residents may not look.
    response = whistle_world.client("department_staff").get("/whistles/")
    assert response.status_code == 302 and response["Location"] == "/whistles/mine/"
    assert whistle_world.client("resident").get("/whistles/").status_code == 403
    assert Client().get("/whistles/").status_code == 302


def test_board_export(whistle_world: World, blow_whistle: Callable[..., Whistle]) -> None:
    whistle = blow_whistle(departments=("department", "other_department"))

    response = whistle_world.client("community_staff").get("/whistles/", {"export": "xlsx"})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active  # type: ignore[attr-defined]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == whistle.number and "区住房和城乡建设局" in rows[1][7]
    assert AuditEvent.objects.filter(action="export").count() == 1


def test_board_query_count_does_not_grow_with_rows(
    whistle_world: World, blow_whistle: Callable[..., Whistle], django_assert_max_num_queries: Any
) -> None:
    staff = whistle_world.client("community_staff")
    blow_whistle()
    staff.get("/whistles/")  # warm the session and caches
    with django_assert_max_num_queries(30) as few:
        staff.get("/whistles/")
    for _ in range(5):
        blow_whistle(departments=("department", "other_department"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff.get("/whistles/")


# ------------------------------------------------------------------------------------------------- blowing


def test_blow_form_is_filled_from_the_case(whistle_world: World) -> None:
    case = make_case(whistle_world, accept=True, description="东岳花园1栋外墙瓷砖脱落，随时可能砸到行人")
    staff = whistle_world.client("community_staff")

    html = page(staff, "/whistles/new/", case=case.pk)

    assert case.number in html and "外墙瓷砖脱落" in html
    assert f'name="origin_case" value="{case.pk}"' in html
    assert "区城市管理局" in html and "区住房和城乡建设局" in html
    # Another community's staff get an empty form (the case is not theirs) and may only pick their community.
    sibling = page(whistle_world.client("sibling_staff"), "/whistles/new/", case=case.pk)
    assert "外墙瓷砖脱落" not in sibling and "东岳" not in sibling
    assert whistle_world.client("department_staff").get("/whistles/new/").status_code == 403


def test_blowing_from_a_case_calls_the_departments(whistle_world: World) -> None:
    case = make_case(whistle_world, accept=True)
    staff = whistle_world.client("community_staff")
    data = blow_form(
        whistle_world,
        origin_case=case.pk,
        urgency="urgent",
        **{"calls-1-department": whistle_world.duty.other_department.pk, "calls-1-task": "检查违建"},
    )

    response = staff.post("/whistles/new/", data)

    whistle = Whistle.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/whistles/{whistle.pk}/"
    assert whistle.origin_case == case and whistle.urgency == "urgent"
    assert sorted(whistle.calls.values_list("task", flat=True)) == ["检查违建", "清理占道摊位"]
    assert case.events.filter(kind="whistled").exists()


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"calls-0-department": "", "calls-0-task": ""}, "Call at least one department."),
        ({"calls-0-task": ""}, "Say what this department must do."),
        ({"calls-1-department": "DEPT", "calls-1-task": "again"}, "This department is already called above."),
        ({"title": ""}, "This field is required."),
        ({"handle_due": "PAST"}, "The handling deadline must be in the future."),
        ({"region": "BEICHEN"}, "Select a valid choice. That choice is not one of the available choices."),
    ],
)
def test_blow_form_errors_write_nothing(whistle_world: World, change: dict[str, Any], needle: str) -> None:
    values = {
        "DEPT": whistle_world.duty.department.pk,
        "PAST": (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "BEICHEN": whistle_world.communities["beichen"].region.pk,
    }
    data = blow_form(whistle_world, **{k: values.get(v, v) for k, v in change.items()})
    before = written()

    response = whistle_world.client("community_staff").post("/whistles/new/", data)

    assert response.status_code == 400
    assert gettext(needle).split("%")[0] in response.content.decode()
    assert written() == before


# ----------------------------------------------------------------------------------------- a whistle's page


def test_whistle_page_shows_calls_deadlines_and_timeline(
    whistle_world: World, blow_whistle: Callable[..., Whistle]
) -> None:
    case = make_case(whistle_world, accept=True)
    whistle = blow_whistle(origin_case=case, departments=("department", "other_department"))
    url = f"/whistles/{whistle.pk}/"

    html = page(whistle_world.client("community_staff"), url)

    assert whistle.title in html and "区城市管理局" in html and "区住房和城乡建设局" in html
    assert gettext("Report on site by") in html and gettext("Whistle blown") in html
    assert f"/cases/{case.pk}/" in html
    assert f"/whistles/{whistle.pk}/cancel/" in html and f"/whistles/{whistle.pk}/close/" not in html
    mine = page(whistle_world.client("department_staff"), url)
    assert f"/calls/{call_of(whistle).pk}/report/" in mine
    assert f"/calls/{call_of(whistle, 'other_department').pk}/report/" not in mine
    assert f"/whistles/{whistle.pk}/cancel/" not in mine
    for persona in ("sibling_staff",):
        assert whistle_world.client(persona).get(url).status_code == 404
    other = blow_whistle(departments=("department",))
    assert whistle_world.client("other_department_staff").get(f"/whistles/{other.pk}/").status_code == 404
    assert whistle_world.client("resident").get(url).status_code == 403


def test_the_whole_flow_through_the_pages(whistle_world: World, blow_whistle: Callable[..., Whistle]) -> None:
    case = make_case(whistle_world, accept=True)
    whistle = blow_whistle(origin_case=case)
    call = call_of(whistle)
    dept, staff = whistle_world.client("department_staff"), whistle_world.client("community_staff")
    base = f"/whistles/{whistle.pk}/calls/{call.pk}"
    prefix = f"call{call.pk}"

    assert dept.post(f"{base}/acknowledge/").status_code == 302
    response = dept.post(
        f"{base}/report/", {f"{prefix}-report-on_site_people": "李队长等3人", f"{prefix}-report-photo": png()}
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.status == CallStatus.REPORTED and call.report_photo
    assert dept.get(f"{base}/photo/").status_code == 200
    assert whistle_world.client("sibling_staff").get(f"{base}/photo/").status_code == 404
    assert dept.post(f"{base}/feedback/", {f"{prefix}-feedback-note": "已清理"}).status_code == 302
    assert staff.post(f"{base}/rate/", {f"{prefix}-rate-rating": "satisfied"}).status_code == 302
    assert staff.post(f"/whistles/{whistle.pk}/close/", {"close-note": "已解决"}).status_code == 302

    whistle.refresh_from_db()
    case.refresh_from_db()
    assert whistle.status == WhistleStatus.CLOSED and case.status == CaseStatus.CLOSED
    html = page(staff, f"/whistles/{whistle.pk}/")
    assert "李队长等3人" in html and "已清理" in html and gettext("Satisfied") in html


def test_page_actions_refuse_and_show_errors(whistle_world: World, blow_whistle: Callable[..., Whistle]) -> None:
    whistle = blow_whistle(departments=("department", "other_department"))
    call = call_of(whistle)
    base = f"/whistles/{whistle.pk}/calls/{call.pk}"
    before = written()

    # An empty report: the page again (400) with the error under the field.
    response = whistle_world.client("department_staff").post(f"{base}/report/", {})
    assert response.status_code == 400 and gettext("This field is required.") in response.content.decode()
    # Another department sees the whistle but may not answer for 区城市管理局 (a message, nothing written).
    response = whistle_world.client("other_department_staff").post(f"{base}/acknowledge/")
    assert response.status_code == 302
    # Another community: 404; a call of another whistle: 404.
    assert whistle_world.client("sibling_staff").post(f"{base}/acknowledge/").status_code == 404
    other = blow_whistle()
    url = f"/whistles/{other.pk}/calls/{call.pk}/acknowledge/"
    assert whistle_world.client("department_staff").post(url).status_code == 404
    before = (before[0] + 1, before[1] + 1, before[2] + 1, before[3] + 1)
    # Closing before the departments fed back: a message; rating needs a reason unless satisfied.
    staff = whistle_world.client("community_staff")
    response = staff.post(f"/whistles/{whistle.pk}/close/", {"close-note": "结束"}, follow=True)
    assert "区城市管理局" in response.content.decode()
    assert written() == before
    answer(whistle_world, call)
    response = staff.post(f"{base}/rate/", {f"call{call.pk}-rate-rating": "dissatisfied"})
    assert response.status_code == 400
    assert gettext("Say why the work was not fully satisfactory.") in response.content.decode()
    assert WhistleCall.objects.get(pk=call.pk).status == CallStatus.FED_BACK


# -------------------------------------------------------------------------------------------- my whistles


def test_my_whistles_lists_my_departments_calls_overdue_first(
    whistle_world: World, blow_whistle: Callable[..., Whistle]
) -> None:
    fresh = blow_whistle(title="新的哨")
    late = blow_whistle(title="超时的哨", now=timezone.now() - dt.timedelta(days=2))
    theirs = blow_whistle(title="住建的哨", departments=("other_department",))

    html = page(whistle_world.client("department_staff"), "/whistles/mine/")

    assert late.number in html and fresh.number in html and theirs.number not in html
    assert html.index(late.number) < html.index(fresh.number)
    assert gettext("Overdue") in html
    other = page(whistle_world.client("other_department_staff"), "/whistles/mine/")
    assert theirs.number in other and late.number not in other
    assert whistle_world.client("community_staff").get("/whistles/mine/").status_code == 403
    assert whistle_world.client("sibling_staff").get("/whistles/mine/").status_code == 403


# --------------------------------------------------------------------------------------------- scorecards


def test_scorecards_rank_the_departments_and_export(whistle_world: World, blow_whistle: Callable[..., Whistle]) -> None:
    whistle = blow_whistle(departments=("department", "other_department"))
    answer(whistle_world, call_of(whistle))
    staff = whistle_world.client("community_staff")

    html = page(staff, "/whistles/scorecards/")

    assert html.index("区城市管理局") < html.index("区住房和城乡建设局")
    month = f"{timezone.localdate():%Y-%m}"
    response = staff.get("/whistles/scorecards/", {"month": month, "export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active  # type: ignore[attr-defined]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][:3] == (1, "区城市管理局", 1) and rows[3][1] == "区住房和城乡建设局"
    assert page(staff, "/whistles/scorecards/", 400, month="2025-13")
    assert gettext("No department was called by a whistle you may see in this month.") in page(
        staff, "/whistles/scorecards/", month="2001-01"
    )
    # Another community sees no figure of 东岳's whistles.
    sibling = page(whistle_world.client("sibling_staff"), "/whistles/scorecards/")
    assert "区城市管理局" not in sibling
    assert whistle_world.client("resident").get("/whistles/scorecards/").status_code == 403


def test_department_scorecard_month_by_month(whistle_world: World, blow_whistle: Callable[..., Whistle]) -> None:
    whistle = blow_whistle()
    answer(whistle_world, call_of(whistle))
    department = whistle_world.duty.department
    url = f"/whistles/scorecards/{department.pk}/"

    html = page(whistle_world.client("community_staff"), url, months=3)

    assert department.name in html and f'data-month="{timezone.localdate():%Y-%m}"' in html
    assert page(whistle_world.client("department_staff"), url).count('data-figure="received">1<') == 1
    sibling = page(whistle_world.client("sibling_staff"), url)
    assert 'data-figure="received">1<' not in sibling
    community_org = whistle_world.communities["beichen"].organization.pk
    assert whistle_world.client("community_staff").get(f"/whistles/scorecards/{community_org}/").status_code == 404
    enterprise = whistle_world.duty.other_unit.pk  # 北辰机械厂: in 北辰社区, never called by 东岳
    assert whistle_world.client("community_staff").get(f"/whistles/scorecards/{enterprise}/").status_code == 404


# --------------------------------------------------------------------------------- case page, side bar, home


def test_case_page_offers_the_whistle_and_links_it(whistle_world: World, blow_whistle: Callable[..., Whistle]) -> None:
    case = make_case(whistle_world, accept=True)
    staff = whistle_world.client("community_staff")
    html = page(staff, f"/cases/{case.pk}/")
    assert f"/whistles/new/?case={case.pk}" in html

    whistle = blow_whistle(origin_case=case)
    html = page(staff, f"/cases/{case.pk}/")
    assert f'href="/whistles/{whistle.pk}/"' in html and whistle.number in html

    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    assert f"/whistles/new/?case={case.pk}" not in page(staff, f"/cases/{case.pk}/")


def test_side_bar_and_workbench(whistle_world: World, blow_whistle: Callable[..., Whistle]) -> None:
    blow_whistle()
    staff_home = page(whistle_world.client("community_staff"), "/")
    assert 'href="/whistles/"' in staff_home and 'href="/whistles/scorecards/"' in staff_home
    assert 'href="/whistles/mine/"' not in staff_home
    dept_home = page(whistle_world.client("department_staff"), "/")
    assert 'href="/whistles/mine/"' in dept_home and 'href="/whistles/"' not in dept_home
    assert gettext("Whistles awaiting our report") in dept_home
    assert 'href="/whistles/' not in page(whistle_world.client("resident"), "/")


def test_department_choices_leave_out_another_communitys_organisations(whistle_world: World) -> None:
    # 北辰机械厂 (an enterprise of 北辰社区) may be called by 北辰's staff, but 东岳's never see its name.
    html = page(whistle_world.client("community_staff"), "/whistles/new/")
    assert "区城市管理局" in html and "北辰" not in html
    assert "北辰" not in page(whistle_world.client("community_staff"), "/whistles/")
    assert "北辰机械厂" in page(whistle_world.client("sibling_staff"), "/whistles/new/")
    data = blow_form(whistle_world, **{"calls-0-department": whistle_world.duty.other_unit.pk})
    response = whistle_world.client("community_staff").post("/whistles/new/", data)
    assert response.status_code == 400 and not Whistle.objects.exists()
