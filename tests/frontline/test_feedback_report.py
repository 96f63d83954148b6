"""The unit feedback report (反馈到单位): one row per in-service member with their reporting and service, the
same few queries for any number of members, and the Excel and PDF files."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from openpyxl import load_workbook

from grassroots.catalogue.models import ServiceCategory
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditEvent
from grassroots.frontline.feedback import headers, unit_feedback_pdf, unit_feedback_rows, unit_feedback_xlsx
from grassroots.frontline.selectors.points import member_service_summary
from grassroots.frontline.services.points import points_award_for_booking, service_record_add
from grassroots.frontline.services.reporting import member_report_decide, member_report_submit
from grassroots.people.models import PartyMembership
from tests.conftest import World
from tests.factories import make_person
from tests.frontline.conftest import REPORTED_POSTS
from tests.frontline.test_points import checked_out_booking, wish_done
from tests.frontline.test_points_scope import _other_unit_admin

TODAY = timezone.localdate()
YEAR_START = dt.date(TODAY.year, 1, 1)


@pytest.fixture
def unit_world(duty_world: World, reported_member: Any) -> World:
    """区税务局: 王强 reported (confirmed) and served; 赵敏 reported (awaiting confirmation); 孙磊 not reported."""
    w = duty_world
    staff = w.users["community_staff"]
    member = w.duty.member
    wish_done(w)
    service_record_add(
        actor=staff, person=member, region=w.communities["dongyue"].region, title="政策宣讲", served_on=TODAY, hours="2"
    )
    points_award_for_booking(booking=checked_out_booking(w, member, "3"))
    member_report_submit(
        actor=staff,
        region=w.communities["dongyue"].compound,
        posts=list(ServiceCategory.objects.filter(code="safety")),
        person=w.duty.colleagues[0],
        channel="staff",
    )
    return w


def _posts() -> list[str]:
    return list(
        ServiceCategory.objects.filter(code__in=REPORTED_POSTS).order_by("order", "code").values_list("name", flat=True)
    )


def test_one_row_per_member_with_status_and_figures(unit_world: World) -> None:
    w = unit_world
    rows = {r.name: r for r in unit_feedback_rows(unit=w.duty.unit, date_from=YEAR_START, date_to=TODAY)}
    assert set(rows) == {"东岳党员王强", "东岳党员赵敏", "东岳党员孙磊"}
    wang, zhao, sun = rows["东岳党员王强"], rows["东岳党员赵敏"], rows["东岳党员孙磊"]
    assert (wang.status, zhao.status, sun.status) == (
        gettext("Reported"),
        gettext("Awaiting confirmation"),
        gettext("Not reported"),
    )
    assert wang.community == "东岳社区" and zhao.community == "东岳社区 / 东岳花园" and sun.community == ""
    assert wang.posts == _posts()
    figures = (
        wang.wishes_claimed,
        wang.wishes_fulfilled,
        wang.cases_fulfilled,
        wang.shifts,
        wang.hours,
        wang.activities,
        wang.points,
    )
    # Points: reported 5, wish 10 + satisfied 5, activity 3 + 2 h × 2, shift 3 h × 2.
    assert figures == (1, 1, 0, 1, Decimal("5.0"), 1, Decimal("33.00"))
    assert (sun.points, sun.hours, sun.posts) == (Decimal(0), Decimal(0), [])
    summary = member_service_summary(person=w.duty.member, date_from=YEAR_START, date_to=TODAY)
    assert (summary.points, summary.hours, summary.posts) == (wang.points, wang.hours, wang.posts)


def test_a_period_before_the_service_shows_the_members_with_nothing_done(unit_world: World) -> None:
    last_year = dt.date(TODAY.year - 1, 1, 1), dt.date(TODAY.year - 1, 12, 31)
    rows = unit_feedback_rows(unit=unit_world.duty.unit, date_from=last_year[0], date_to=last_year[1])
    assert len(rows) == 3
    assert all((r.points, r.hours, r.shifts, r.wishes_claimed) == (0, 0, 0, 0) for r in rows)


def test_the_same_queries_for_three_or_ten_members(unit_world: World) -> None:
    w = unit_world
    unit = w.duty.unit
    with CaptureQueriesContext(connection) as three:
        unit_feedback_rows(unit=unit, date_from=YEAR_START, date_to=TODAY)
    staff = w.users["community_staff"]
    for i in range(7):
        person = make_person(name=f"东岳党员{i}号", household=w.communities["dongyue"].household)
        PartyMembership.objects.create(
            person=person,
            organization=w.duty.unit_branch,
            joined_on=dt.date(2010, 1, 1),
            category="in_service",
            home_unit=unit,
        )
        report = member_report_submit(
            actor=staff,
            region=w.communities["dongyue"].region,
            posts=list(ServiceCategory.objects.filter(code="policy")),
            person=person,
            channel="staff",
        )
        member_report_decide(report=report, actor=staff, confirm=True)
        service_record_add(
            actor=staff, person=person, region=w.communities["dongyue"].region, title="巡逻", served_on=TODAY, hours="1"
        )
    with CaptureQueriesContext(connection) as ten:
        rows = unit_feedback_rows(unit=unit, date_from=YEAR_START, date_to=TODAY)
    assert len(rows) == 10
    assert len(ten.captured_queries) == len(three.captured_queries) <= 10


def test_another_units_report_has_none_of_these_members(unit_world: World) -> None:
    assert unit_feedback_rows(unit=unit_world.duty.other_unit, date_from=YEAR_START, date_to=TODAY) == []


def test_the_workbook(unit_world: World) -> None:
    w = unit_world
    data = unit_feedback_xlsx(unit=w.duty.unit, date_from=YEAR_START, date_to=TODAY)
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert "区税务局" in values[0][0] and YEAR_START.isoformat() in values[0][0]
    assert values[1] == headers()
    assert values[1][:2] == [pgettext("row number", "No."), pgettext("person", "Name")]
    by_name = {row[1]: row for row in values[2:5]}
    wang = by_name["东岳党员王强"]
    assert wang[2:5] == [gettext("Reported"), "东岳社区", "、".join(_posts())]
    assert wang[5:] == [1, 1, 0, 1, 5, 1, 33]
    assert by_name["东岳党员孙磊"][2] == gettext("Not reported")
    total = values[5]
    assert total[1] == gettext("Total") and total[5:] == [1, 1, 0, 1, 5, 1, 33]
    assert sheet.merged_cells.ranges and sheet.column_dimensions["B"].width >= 10


def test_the_pdf_has_the_unit_and_the_members(unit_world: World) -> None:
    w = unit_world
    data = unit_feedback_pdf(unit=w.duty.unit, date_from=YEAR_START, date_to=TODAY)
    assert data.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = reader.pages[0].extract_text()
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape
    for expected in ("区税务局", "东岳党员王强", "东岳党员孙磊", "33"):
        assert expected in text, expected


def test_downloading_for_a_unit_needs_its_admin_or_the_district(unit_world: World) -> None:
    w = unit_world
    other = _other_unit_admin(w)
    for user in (other, w.users["community_staff"], w.users["sibling_staff"]):
        with pytest.raises(ApplicationError) as caught:
            unit_feedback_xlsx(unit=w.duty.unit, date_from=YEAR_START, date_to=TODAY, actor=user)
        assert caught.value.status == 403
        with pytest.raises(ApplicationError):
            unit_feedback_pdf(unit=w.duty.unit, date_from=YEAR_START, date_to=TODAY, actor=user)
    assert not AuditEvent.objects.filter(action="export").exists()
    unit_feedback_xlsx(unit=w.duty.unit, date_from=YEAR_START, date_to=TODAY, actor=w.users["unit_admin"])
    unit_feedback_xlsx(unit=w.duty.unit, date_from=YEAR_START, date_to=TODAY, actor=w.users["district_admin"])
    assert AuditEvent.objects.filter(action="export", target_id=str(w.duty.unit.pk)).count() == 2
