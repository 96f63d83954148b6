"""Work reports: figures gathered from the roll-ups into a PDF and a workbook in the background, bad requests refused
with nothing written, prose edits rendered again from the frozen figures."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pypdf
import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from grassroots.cockpit.compute import metric_values
from grassroots.cockpit.models import ReportStatus, WorkReport
from grassroots.cockpit.reports import services
from grassroots.cockpit.reports.build import add_months, period_end, window
from grassroots.cockpit.reports.services import (
    report_cancel,
    report_generate,
    report_prose_edit,
    report_request,
)
from grassroots.cockpit.reports.tasks import report_generate_task
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditEvent
from tests.conftest import World

pytestmark = pytest.mark.usefixtures("midday")


def this_month() -> dt.date:
    return timezone.localdate().replace(day=1)


def pdf_text(report: WorkReport) -> str:
    with report.pdf.open("rb") as handle:
        reader = pypdf.PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def workbook(report: WorkReport) -> Any:
    with report.xlsx.open("rb") as handle:
        return load_workbook(io.BytesIO(handle.read()))


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return gettext(message)


def generate(w: World, persona: str = "street_staff", region: Any = None, **kwargs: Any) -> WorkReport:
    report = report_request(
        actor=w.users[persona],
        region=region or w.streets["mingshan"],
        kind=kwargs.pop("kind", "monthly"),
        period_start=kwargs.pop("period_start", this_month()),
        **kwargs,
    )
    report_generate_task(report.pk)  # huey runs tasks immediately in the tests
    report.refresh_from_db()
    return report


def served(w: World, first: dt.date, last: dt.date) -> Decimal:
    return metric_values(
        user=w.users["street_staff"],
        key="residents_served",
        region=w.streets["mingshan"],
        date_from=first,
        date_to=last,
    )[0].value


def test_a_monthly_street_report_carries_the_figures_in_the_pdf_and_the_workbook(figures_world: World) -> None:
    w = figures_world
    report = generate(w)
    assert (report.status, report.progress, report.error) == (ReportStatus.DONE, 100, "")
    assert report.finished_at is not None and report.pdf and report.xlsx

    w_ = window("monthly", this_month(), timezone.localdate())
    now, before = served(w, w_.start, w_.as_of), served(w, w_.prev_start, w_.prev_end)
    assert now == 5 and before == 7  # 东岳 this month (3 + 2); 北辰 40 days ago

    text = pdf_text(report)
    compact = text.replace(" ", "").replace("\n", "")
    for heading in (
        "I. Overall situation",
        "II. Main practices",
        "III. Figures",
        "IV. Problems",
        "V. Next steps",
        "Headline figures",
    ):
        assert zh(heading).replace(" ", "") in compact, heading
    assert "玉州区名山街道" in compact
    assert "东岳社区" in compact and "北辰社区" in compact  # the street's parts
    assert zh("(please fill in)").replace(" ", "") in compact  # no prose yet
    with translation.override("zh-hans"):
        from grassroots.cockpit.registry import get_metric

        label = str(get_metric("residents_served").label)
    # The headline row: this period, the period before, the change.
    assert f"{label}{zh('person-times')}57-2" in compact
    # The overall paragraph names the figure in its sentence.
    period = zh("%(year)s, month %(month)s") % {"year": w_.start.year, "month": w_.start.month}
    assert period.replace(" ", "") in compact

    book = workbook(report)
    titles = book.sheetnames
    assert titles[0] == zh("Overall situation") and titles[1] == zh("Main practices")
    assert titles[-2:] == [zh("Problems"), zh("Next steps")]
    assert zh("Headline figures") in titles and zh("Whistle scorecard") in titles
    sheet = book[zh("Headline figures")]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0]}
    assert rows[label][2:5] == (5, 7, -2)
    assert sheet.cell(row=4, column=3).number_format in ("#,##0", "#,##0.00")
    parts = book[zh("By %(level)s") % {"level": zh("Community")}]
    by_part = {r[0]: r for r in parts.iter_rows(min_row=4, values_only=True) if r[0]}
    column = [c.value for c in parts[3]].index(label)
    assert by_part["东岳社区"][column] == 5 and by_part["北辰社区"][column] == 0
    assert by_part[zh("Total")][column] == 5
    overall = book[zh("Overall situation")]
    assert overall["A1"].value == report.figures["title"] and "玉州区名山街道" in overall["A1"].value


def test_progress_moves_after_each_section(figures_world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    w = figures_world
    seen: list[tuple[int, str]] = []
    advance = services._advance

    def recording(report_id: int, step: str) -> None:
        advance(report_id, step)
        row = WorkReport.objects.get(pk=report_id)
        seen.append((row.progress, row.status))

    monkeypatch.setattr(services, "_advance", recording)
    report = generate(w)
    progress = [p for p, _status in seen]
    assert progress == sorted(progress) and len(progress) == 6 and progress[-1] < 100
    assert {status for _p, status in seen} == {ReportStatus.RUNNING}
    assert (report.progress, report.status) == (100, ReportStatus.DONE)


def test_a_community_report_has_no_department_table(figures_world: World) -> None:
    w = figures_world
    report = generate(w, persona="community_staff", region=w.communities["dongyue"].region)
    assert report.status == ReportStatus.DONE
    assert report.figures["departments"] is None
    assert report.figures["parts"]["level"] == "compound"
    assert "北辰" not in pdf_text(report)
    assert zh("Whistle scorecard") not in workbook(report).sheetnames


def test_a_quarterly_report_spans_three_months(figures_world: World) -> None:
    w = figures_world
    today = timezone.localdate()
    start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    report = generate(w, kind="quarterly", period_start=start)
    assert report.period_end == period_end("quarterly", start) == add_months(start, 3) - dt.timedelta(days=1)
    rows = {r["key"]: r for r in report.figures["headline"]["rows"]}
    assert Decimal(rows["residents_served"]["value"]) == served(w, start, today)


@pytest.mark.parametrize(
    ("persona", "region", "kind", "start", "code"),
    [
        ("street_staff", "mingshan", "monthly", "next_month", "report_future"),
        ("street_staff", "mingshan", "quarterly", "next_quarter", "report_future"),
        ("street_staff", "mingshan", "weekly", "this_month", "report_kind"),
        ("street_staff", "mingshan", "monthly", "mid_month", "report_period"),
        ("street_staff", "mingshan", "quarterly", "february", "report_period"),
        ("sibling_staff", "dongyue", "monthly", "this_month", "not_found"),
        ("community_staff", "mingshan", "monthly", "this_month", "not_found"),
        ("street_staff", "nanjiang", "monthly", "this_month", "not_found"),
        ("street_staff", "dongyue_compound", "monthly", "this_month", "report_level"),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_written(
    figures_world: World, persona: str, region: str, kind: str, start: str, code: str
) -> None:
    w = figures_world
    month = this_month()
    starts = {
        "this_month": month,
        "next_month": add_months(month, 1),
        "next_quarter": add_months(month.replace(month=3 * ((month.month - 1) // 3) + 1), 3),
        "mid_month": month.replace(day=15),
        "february": month.replace(month=2),
    }
    regions = {
        "mingshan": w.streets["mingshan"],
        "nanjiang": w.streets["nanjiang"],
        "dongyue": w.communities["dongyue"].region,
        "dongyue_compound": w.communities["dongyue"].compound,
    }
    audit_before = AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as caught:
        report_request(actor=w.users[persona], region=regions[region], kind=kind, period_start=starts[start])
    assert caught.value.code == code
    assert not WorkReport.objects.exists()
    assert AuditEvent.objects.count() == audit_before


def test_staff_without_frontline_management_may_not_request(figures_world: World) -> None:
    w = figures_world
    with pytest.raises(ApplicationError) as caught:
        report_request(
            actor=w.users["compound_secretary"],
            region=w.communities["dongyue"].region,
            kind="monthly",
            period_start=this_month(),
        )
    assert caught.value.code == "not_found" and not WorkReport.objects.exists()


def test_asking_again_regenerates_the_same_report_and_keeps_its_prose(figures_world: World) -> None:
    w = figures_world
    report = generate(w)
    report_prose_edit(actor=w.users["street_staff"], report=report, practices="走访群众", problems="", plans="")
    report_generate(report_id=report.pk)
    first_files = (report.pdf.name, report.xlsx.name)
    computed = report.figures["computed_at"]
    again = generate(w)
    assert again.pk == report.pk and WorkReport.objects.count() == 1
    assert again.practices == "走访群众" and again.status == ReportStatus.DONE
    assert again.figures["computed_at"] != computed
    assert (again.pdf.name, again.xlsx.name) != first_files
    assert not again.pdf.storage.exists(first_files[0])  # the old files are gone


def test_a_report_being_generated_is_not_queued_twice(figures_world: World) -> None:
    w = figures_world
    report_request(
        actor=w.users["street_staff"], region=w.streets["mingshan"], kind="monthly", period_start=this_month()
    )
    with pytest.raises(ApplicationError) as caught:
        report_request(
            actor=w.users["street_staff"], region=w.streets["mingshan"], kind="monthly", period_start=this_month()
        )
    assert caught.value.code == "report_busy"


def test_prose_edit_renders_again_from_the_frozen_figures(figures_world: World) -> None:
    w = figures_world
    report = generate(w)
    figures = report.figures
    report = report_prose_edit(
        actor=w.users["street_staff"],
        report=report,
        practices="坚持党建引领，组织在职党员进社区报到服务。",
        problems="部分小区网格员力量不足。",
        plans="",
    )
    assert report.status == ReportStatus.QUEUED
    report_generate_task(report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.figures == figures  # not recomputed
    text = pdf_text(report).replace(" ", "").replace("\n", "")
    assert "坚持党建引领，组织在职党员进社区报到服务。" in text and "部分小区网格员力量不足。" in text
    assert text.count(zh("(please fill in)").replace(" ", "")) == 1  # only 下一步打算 is still blank
    book = workbook(report)
    assert book[zh("Main practices")]["A3"].value == "坚持党建引领，组织在职党员进社区报到服务。"


def test_another_street_may_not_edit(figures_world: World) -> None:
    w = figures_world
    report = generate(w, persona="community_staff", region=w.communities["dongyue"].region)
    with pytest.raises(ApplicationError) as caught:
        report_prose_edit(actor=w.users["sibling_staff"], report=report, practices="x", problems="", plans="")
    assert caught.value.code == "permission_denied"
    report.refresh_from_db()
    assert report.practices == ""


def test_a_cancelled_report_is_not_generated(figures_world: World) -> None:
    w = figures_world
    report = report_request(
        actor=w.users["street_staff"], region=w.streets["mingshan"], kind="monthly", period_start=this_month()
    )
    report_cancel(actor=w.users["street_staff"], report=report)
    report = report_generate(report_id=report.pk)
    assert report.status == ReportStatus.FAILED and not report.pdf and report.figures == {}


def test_a_failure_is_recorded_on_the_report(figures_world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    w = figures_world

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("grassroots.cockpit.reports.build.gather_categories", broken)
    report = generate(w)
    assert report.status == ReportStatus.FAILED and "disk full" in report.error and not report.pdf
