"""Unit pages: the unit report form and page (commitments' progress, projects), the unit admin's members and
feedback report. Another unit's admin and another community's staff see none of it."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from urllib.parse import unquote

import pytest
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import load_workbook

from grassroots.accounts.enums import Role
from grassroots.accounts.services import role_assign, user_create
from grassroots.core.models import AuditEvent
from grassroots.frontline.enums import ProjectStatus, ReportStatus
from grassroots.frontline.models import UnitProject, UnitReport
from grassroots.frontline.services.reporting import (
    CommitmentInput,
    ResourceInput,
    unit_report_decide,
    unit_report_submit,
)
from tests.conftest import PASSWORD, SIBLING_MARK, World
from tests.web.helpers import html

pytestmark = pytest.mark.django_db

NEW = "/frontline/unit-reports/new/"


@pytest.fixture
def other_unit_admin(duty_world: World) -> Any:
    """The admin of 北辰机械厂, another unit."""
    w = duty_world
    user = user_create(actor=None, username="other_unit_admin", password=PASSWORD)
    role_assign(actor=None, user=user, role=Role.UNIT_ADMIN, region=w.district, organization=w.duty.other_unit)
    w.users["other_unit_admin"] = user
    return user


def confirmed_report(w: World) -> UnitReport:
    report = unit_report_submit(
        actor=w.users["unit_admin"],
        unit=w.duty.unit,
        community=w.communities["dongyue"].region,
        agreement_title="区税务局与东岳社区共驻共建协议",
        agreement_start=dt.date(2026, 1, 1),
        agreement_end=dt.date(2028, 12, 31),
        commitments=[CommitmentInput("每年为社区办实事3件", 3), CommitmentInput("每季度开展税法宣传", 4)],
        resources=[ResourceInput("venue", "三楼会议室", "1间")],
        contact_name="刘主任",
    )
    return unit_report_decide(report=report, actor=w.users["community_staff"], accept=True)


def form_data(w: World, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "unit": w.duty.unit.pk,
        "community": w.communities["dongyue"].region.pk,
        "agreement_title": "共驻共建协议",
        "agreement_start": "2026-01-01",
        "agreement_end": "2027-12-31",
        "contact_name": "刘主任",
        "commitments-TOTAL_FORMS": "3",
        "commitments-INITIAL_FORMS": "0",
        "commitments-0-text": "每年为社区办实事3件",
        "commitments-0-yearly_target": "3",
        "resources-TOTAL_FORMS": "4",
        "resources-INITIAL_FORMS": "0",
        "resources-0-kind": "vehicle",
        "resources-0-description": "公务用车",
        "resources-0-quantity": "2辆",
    }
    data.update(overrides)
    return data


def test_unit_admin_reports_the_unit(duty_world: World) -> None:
    w = duty_world
    client = w.client("unit_admin")
    page = client.get(NEW)
    assert page.status_code == 200
    assert "区税务局" in html(page) and 'name="commitments-0-text"' in html(page)
    response = client.post(NEW, form_data(w))
    report = UnitReport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/frontline/unit-reports/{report.pk}/"
    assert report.status == ReportStatus.PENDING and report.submitted_by == w.users["unit_admin"]
    assert list(report.commitments.values_list("text", "yearly_target")) == [("每年为社区办实事3件", 3)]
    assert list(report.resources.values_list("kind", "description", "quantity")) == [("vehicle", "公务用车", "2辆")]


@pytest.mark.parametrize(
    "overrides",
    [
        {"agreement_end": "2025-12-31"},  # ends before it starts
        {"commitments-0-text": ""},  # no commitment
        {"resources-0-kind": ""},  # a resource without its kind
        {"agreement_title": ""},
        {"commitments-0-yearly_target": "0"},
    ],
)
def test_the_unit_report_form_refuses_bad_input(duty_world: World, overrides: dict[str, Any]) -> None:
    w = duty_world
    response = w.client("unit_admin").post(NEW, form_data(w, **overrides))
    assert response.status_code == 400
    assert UnitReport.objects.count() == 0


def test_only_unit_admins_report_their_own_unit(duty_world: World, other_unit_admin: Any) -> None:
    w = duty_world
    for persona in ("community_staff", "sibling_staff", "party_member", "resident"):
        assert w.client(persona).get(NEW).status_code == 403, persona
    # another unit's admin is not offered 区税务局, and cannot submit for it
    client = w.client("other_unit_admin")
    assert "区税务局" not in html(client.get(NEW))
    assert client.post(NEW, form_data(w)).status_code == 400
    assert UnitReport.objects.count() == 0


def test_unit_report_page_shows_progress_and_takes_projects(duty_world: World) -> None:
    w = duty_world
    report = confirmed_report(w)
    url = f"/frontline/unit-reports/{report.pk}/"
    commitment = report.commitments.order_by("id").first()
    assert commitment is not None
    admin = w.client("unit_admin")
    page = admin.get(url)
    assert page.status_code == 200
    body = html(page)
    assert "每年为社区办实事3件" in body and "三楼会议室" in body and "0 / 3" in body
    # add a project, then mark it done
    response = admin.post(
        f"{url}projects/", {"add-title": "楼道灯更换", "add-commitment": commitment.pk, "add-started_on": "2026-03-01"}
    )
    assert response.status_code == 302
    project = UnitProject.objects.get()
    assert (project.title, project.status) == ("楼道灯更换", ProjectStatus.IN_PROGRESS)
    today = timezone.localdate()
    prefix = f"p{project.pk}"
    # done without a date: refused, nothing written
    response = admin.post(f"/frontline/projects/{project.pk}/", {f"{prefix}-status": "done"})
    assert response.status_code == 400
    project.refresh_from_db()
    assert project.status == ProjectStatus.IN_PROGRESS
    response = w.client("community_staff").post(
        f"/frontline/projects/{project.pk}/",
        {f"{prefix}-status": "done", f"{prefix}-done_on": today.isoformat(), f"{prefix}-residents_served": "30"},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.status, project.done_on, project.residents_served) == (ProjectStatus.DONE, today, 30)
    body = html(w.client("community_staff").get(url, {"year": today.year}))
    assert "1 / 3" in body and "楼道灯更换" in body
    # a project without a title: refused
    assert admin.post(f"{url}projects/", {"add-title": ""}).status_code == 400
    assert UnitProject.objects.count() == 1


def test_unit_report_page_is_hidden_from_others(duty_world: World, other_unit_admin: Any) -> None:
    w = duty_world
    report = confirmed_report(w)
    url = f"/frontline/unit-reports/{report.pk}/"
    assert w.client("sibling_staff").get(url).status_code == 404
    assert w.client("other_unit_admin").get(url).status_code == 404
    assert w.client("party_member").get(url).status_code == 403
    for client in (w.client("sibling_staff"), w.client("other_unit_admin")):
        assert client.post(f"{url}projects/", {"add-title": "越权项目"}).status_code == 404
        assert client.post(f"{url}withdraw/").status_code == 404
    assert UnitProject.objects.count() == 0
    assert w.client("street_staff").get(url).status_code == 200


def test_unit_admin_withdraws_a_pending_report(duty_world: World) -> None:
    w = duty_world
    report = unit_report_submit(
        actor=w.users["unit_admin"],
        unit=w.duty.unit,
        community=w.communities["dongyue"].region,
        agreement_title="协议",
        agreement_start=dt.date(2026, 1, 1),
        agreement_end=dt.date(2026, 12, 31),
        commitments=[CommitmentInput("办实事", 1)],
    )
    page = html(w.client("unit_admin").get(f"/frontline/unit-reports/{report.pk}/"))
    assert f"/frontline/unit-reports/{report.pk}/withdraw/" in page
    assert f"/frontline/unit-reports/{report.pk}/confirm/" not in page
    w.client("unit_admin").post(f"/frontline/unit-reports/{report.pk}/withdraw/")
    report.refresh_from_db()
    assert report.status == ReportStatus.WITHDRAWN


def test_unit_members_page(duty_world: World, other_unit_admin: Any) -> None:
    from tests.frontline.test_views_reporting import roster_report

    w = duty_world
    roster_report(w, w.duty.colleagues[0])  # 赵敏: awaiting confirmation
    client = w.client("unit_admin")
    response = client.get("/frontline/unit/members/")
    assert response.status_code == 200
    names = [row.person.name for row in response.context["page_obj"].object_list]
    assert sorted(names) == sorted(["东岳党员王强", "东岳党员赵敏", "东岳党员孙磊"])
    assert [count for _k, _l, count in response.context["statuses"]] == [0, 1, 2]
    pending = client.get("/frontline/unit/members/", {"status": "pending"})
    assert [row.person.name for row in pending.context["page_obj"].object_list] == ["东岳党员赵敏"]
    assert "kind=member_roster" in html(response)
    assert [row.person.name for row in client.get("/frontline/unit/members/", {"q": "孙"}).context["page_obj"]] == [
        "东岳党员孙磊"
    ]
    # another unit's admin sees only its own (no) members
    other = w.client("other_unit_admin").get("/frontline/unit/members/")
    assert other.status_code == 200 and list(other.context["page_obj"].object_list) == []
    assert "东岳党员" not in html(other)
    # ?unit= of a unit one does not administer is ignored
    other = w.client("other_unit_admin").get("/frontline/unit/members/", {"unit": w.duty.unit.pk})
    assert "东岳党员" not in html(other)
    for persona in ("community_staff", "sibling_staff", "party_member"):
        assert w.client(persona).get("/frontline/unit/members/").status_code == 403


def test_feedback_report_downloads(duty_world: World, reported_member: Any, other_unit_admin: Any) -> None:
    w = duty_world
    client = w.client("unit_admin")
    page = client.get("/frontline/unit/feedback/")
    assert page.status_code == 200
    year = timezone.localdate().year
    period = {"unit": w.duty.unit.pk, "date_from": f"{year}-01-01", "date_to": timezone.localdate().isoformat()}
    preview = client.get("/frontline/unit/feedback/", period)
    assert preview.status_code == 200 and "东岳党员王强" in html(preview)
    before = AuditEvent.objects.filter(action="export").count()
    response = client.get("/frontline/unit/feedback/", {**period, "format": "xlsx", "download": "1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "区税务局" in unquote(response["Content-Disposition"])
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    text = repr([tuple(r) for r in sheet.iter_rows(values_only=True)])
    assert "东岳党员王强" in text and SIBLING_MARK not in text
    assert AuditEvent.objects.filter(action="export").count() == before + 1
    # bad period: the form again, nothing downloaded
    bad = client.get("/frontline/unit/feedback/", {**period, "date_to": f"{year - 1}-01-01", "download": "1"})
    assert bad.status_code == 400 and bad["Content-Type"].startswith("text/html")
    # another unit's admin cannot ask for 区税务局's report
    other = w.client("other_unit_admin").get("/frontline/unit/feedback/", {**period, "format": "xlsx", "download": "1"})
    assert other.status_code == 400 and "东岳党员王强" not in html(other)
    assert w.client("community_staff").get("/frontline/unit/feedback/").status_code == 403
    assert gettext("Feedback report")


@pytest.mark.slow
def test_feedback_report_pdf(duty_world: World, reported_member: Any) -> None:
    w = duty_world
    year = timezone.localdate().year
    response = w.client("unit_admin").get(
        "/frontline/unit/feedback/",
        {
            "unit": w.duty.unit.pk,
            "date_from": f"{year}-01-01",
            "date_to": timezone.localdate().isoformat(),
            "format": "pdf",
            "download": "1",
        },
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
