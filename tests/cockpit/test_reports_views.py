"""Work-report pages: request form errors, progress polling, downloads, prose editing, and scope (北辰 staff
get 404 on 东岳's and 名山's reports; people without figures get 403)."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from grassroots.cockpit.models import ReportStatus, WorkReport
from grassroots.cockpit.reports.build import add_months
from grassroots.cockpit.reports.services import report_request
from grassroots.cockpit.reports.tasks import report_generate_task
from grassroots.core.models import AuditEvent
from tests.conftest import SIBLING_MARK, World

pytestmark = pytest.mark.usefixtures("midday")


def month() -> str:
    return f"{timezone.localdate():%Y-%m}"


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return gettext(message)


@pytest.fixture
def reports(figures_world: World) -> dict[str, WorkReport]:
    """A done monthly report of 东岳社区 and one of 名山街道."""
    w = figures_world
    made = {}
    for name, persona, region in (
        ("dongyue", "community_staff", w.communities["dongyue"].region),
        ("mingshan", "street_staff", w.streets["mingshan"]),
    ):
        report = report_request(
            actor=w.users[persona], region=region, kind="monthly", period_start=timezone.localdate().replace(day=1)
        )
        report_generate_task(report.pk)
        report.refresh_from_db()
        assert report.status == ReportStatus.DONE
        made[name] = report
    return made


def test_street_staff_generate_a_report_from_the_form(figures_world: World) -> None:
    w = figures_world
    client = w.client("street_staff")
    page = client.get(reverse("cockpit:report_create"))
    assert page.status_code == 200
    choices = [str(r) for r in page.context["form"].fields["region"].queryset]
    assert choices == ["名山街道", "东岳社区", "北辰社区"]
    response = client.post(
        reverse("cockpit:report_create"),
        {"region": w.streets["mingshan"].pk, "kind": "monthly", "month": month(), "quarter": ""},
    )
    report = WorkReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cockpit:report_detail", args=[report.pk])
    detail = client.get(response["Location"])
    body = detail.content.decode()
    assert report.status == ReportStatus.DONE
    assert reverse("cockpit:report_download", args=[report.pk, "pdf"]) in body
    assert reverse("cockpit:report_download", args=[report.pk, "xlsx"]) in body
    assert 'hx-trigger="every 2s"' not in body  # finished: no more polling
    assert zh("I. Overall situation") in body
    pdf = client.get(reverse("cockpit:report_download", args=[report.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages)
    assert "玉州区名山街道" in text.replace(" ", "").replace("\n", "")
    xlsx = client.get(reverse("cockpit:report_download", args=[report.pk, "xlsx"]))
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert book.sheetnames[0] == zh("Overall situation")
    assert AuditEvent.objects.filter(action="export", target_id=str(report.pk)).count() == 2


def test_a_quarterly_report_from_the_form(figures_world: World) -> None:
    w = figures_world
    today = timezone.localdate()
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    response = w.client("community_staff").post(
        reverse("cockpit:report_create"),
        {"region": w.communities["dongyue"].region.pk, "kind": "quarterly", "month": "", "quarter": quarter},
    )
    assert response.status_code == 302
    report = WorkReport.objects.get()
    assert (report.kind, report.period_start.month) == ("quarterly", 3 * ((today.month - 1) // 3) + 1)


@pytest.mark.parametrize(
    ("persona", "data", "field", "message"),
    [
        (
            "street_staff",
            {"kind": "monthly", "month": "next"},
            "month",
            "This period has not begun yet: choose the current or an earlier period.",
        ),
        (
            "street_staff",
            {"kind": "quarterly", "quarter": "next"},
            "quarter",
            "This period has not begun yet: choose the current or an earlier period.",
        ),
        ("street_staff", {"kind": "weekly", "month": "this"}, "kind", "Choose a monthly or a quarterly report."),
        ("street_staff", {"kind": "monthly", "month": "2026-13"}, "month", "Enter the month as 2026-10."),
        ("street_staff", {"kind": "monthly", "month": ""}, "month", "Choose the month."),
        (
            "sibling_staff",
            {"kind": "monthly", "month": "this", "region": "dongyue"},
            "region",
            "Choose a region whose work report you may request.",
        ),
        (
            "community_staff",
            {"kind": "monthly", "month": "this", "region": "mingshan"},
            "region",
            "Choose a region whose work report you may request.",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(
    figures_world: World, persona: str, data: dict[str, str], field: str, message: str
) -> None:
    w = figures_world
    today = timezone.localdate()
    values = {
        "this": month(),
        "next": f"{add_months(today.replace(day=1), 1):%Y-%m}",
    }
    next_quarter = add_months(today.replace(day=1, month=3 * ((today.month - 1) // 3) + 1), 3)
    regions = {"dongyue": w.communities["dongyue"].region.pk, "mingshan": w.streets["mingshan"].pk}
    post = {
        "region": regions[data.get("region", "mingshan")],
        "kind": data["kind"],
        "month": values.get(data.get("month", ""), data.get("month", "")),
        "quarter": f"{next_quarter.year}-Q{(next_quarter.month - 1) // 3 + 1}" if data.get("quarter") else "",
    }
    response = w.client(persona).post(reverse("cockpit:report_create"), post)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert zh(message) in errors, errors
    assert not WorkReport.objects.exists()


def test_progress_is_polled_every_two_seconds_while_queued(figures_world: World) -> None:
    w = figures_world
    report = report_request(
        actor=w.users["street_staff"],
        region=w.streets["mingshan"],
        kind="monthly",
        period_start=timezone.localdate().replace(day=1),
    )
    client = w.client("street_staff")
    page = client.get(reverse("cockpit:report_detail", args=[report.pk]))
    assert 'hx-trigger="every 2s"' in page.content.decode()
    assert reverse("cockpit:report_download", args=[report.pk, "pdf"]) not in page.content.decode()
    partial = client.get(reverse("cockpit:report_progress", args=[report.pk]), HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "HX-Refresh" not in partial
    assert partial.content.decode().lstrip().startswith('<div id="report-progress"')
    assert client.get(reverse("cockpit:report_download", args=[report.pk, "pdf"])).status_code == 404
    report_generate_task(report.pk)
    done = client.get(reverse("cockpit:report_progress", args=[report.pk]), HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true" and "100" in done.content.decode()


def test_prose_is_edited_on_its_page_and_the_files_follow(reports: dict[str, WorkReport], figures_world: World) -> None:
    w = figures_world
    report = reports["mingshan"]
    client = w.client("street_staff")
    url = reverse("cockpit:report_prose", args=[report.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"practices": "组建党员先锋队深入网格。", "problems": "", "plans": "推进微心愿常态化。"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.practices == "组建党员先锋队深入网格。"
    pdf = client.get(reverse("cockpit:report_download", args=[report.pk, "pdf"]))
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages)
    compact = text.replace(" ", "").replace("\n", "")
    assert "组建党员先锋队深入网格。" in compact and "推进微心愿常态化。" in compact
    # Community staff may read the street's report only if they see the street: 东岳 staff do not.
    assert w.client("community_staff").get(url).status_code == 404


@pytest.mark.parametrize("which", ["dongyue", "mingshan"])
def test_beichen_staff_get_404_on_other_reports(
    reports: dict[str, WorkReport], figures_world: World, which: str
) -> None:
    w = figures_world
    report = reports[which]
    client = w.client("sibling_staff")
    for name, args in (
        ("cockpit:report_detail", [report.pk]),
        ("cockpit:report_progress", [report.pk]),
        ("cockpit:report_download", [report.pk, "pdf"]),
        ("cockpit:report_download", [report.pk, "xlsx"]),
        ("cockpit:report_prose", [report.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 404, name
    assert client.post(reverse("cockpit:report_prose", args=[report.pk]), {"practices": "x"}).status_code == 404
    assert client.post(reverse("cockpit:report_cancel", args=[report.pk])).status_code == 404
    listing = client.get(reverse("cockpit:report_list")).content.decode()
    assert "东岳" not in listing and "名山街道" not in listing
    report.refresh_from_db()
    assert report.practices == "" and report.status == ReportStatus.DONE
    assert not AuditEvent.objects.filter(action="export", target_id=str(report.pk)).exists()


def test_the_list_is_scoped_and_filtered(reports: dict[str, WorkReport], figures_world: World) -> None:
    w = figures_world
    street = w.client("street_staff").get(reverse("cockpit:report_list"))
    assert {r.pk for r in street.context["reports"]} == {reports["dongyue"].pk, reports["mingshan"].pk}
    only = w.client("street_staff").get(reverse("cockpit:report_list"), {"region": w.streets["mingshan"].pk})
    assert [r.pk for r in only.context["reports"]] == [reports["mingshan"].pk]
    assert not w.client("street_staff").get(reverse("cockpit:report_list"), {"status": "failed"}).context["reports"]
    dongyue = w.client("community_staff").get(reverse("cockpit:report_list"))
    assert [r.pk for r in dongyue.context["reports"]] == [reports["dongyue"].pk]
    assert SIBLING_MARK not in dongyue.content.decode()
    # 东岳 staff do not see the street's figures: its report is a 404 for them.
    url = reverse("cockpit:report_detail", args=[reports["mingshan"].pk])
    assert w.client("community_staff").get(url).status_code == 404


@pytest.mark.parametrize("persona", ["resident", "party_member", "grid_worker", "compound_secretary"])
def test_people_without_figures_get_403(reports: dict[str, WorkReport], figures_world: World, persona: str) -> None:
    client = figures_world.client(persona)
    assert client.get(reverse("cockpit:report_list")).status_code == 403
    assert client.get(reverse("cockpit:report_create")).status_code == 403
    assert client.get(reverse("cockpit:report_detail", args=[reports["dongyue"].pk])).status_code == 403
