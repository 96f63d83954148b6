"""An in-service party member's frontline work end to end in Chromium, on a phone (390x844): they report to the
community where they live, the community confirms on the staff inbox, they claim a micro-wish, sign up for a
shift of an open campaign, check in and out, read their points, and their unit's admin downloads the feedback
report listing them with their figures."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from grassroots.cases.enums import CaseStatus, Channel
from grassroots.catalogue.models import ServiceCategory
from grassroots.frontline.enums import BookingStatus, PlaceKind, PointsSource, ReportStatus
from grassroots.frontline.feedback import FIGURES
from grassroots.frontline.models import MemberReport, PointsEntry, ShiftBooking
from grassroots.frontline.services.campaigns import campaign_create, campaign_open, place_add, shift_add
from tests.browser.conftest import login, screenshot
from tests.cases.factories import make_case
from tests.conftest import PASSWORD, World

pytestmark = pytest.mark.django_db(transaction=True)

COLUMNS = ["number", "name", "status", "community", "posts", *(name for name, _header in FIGURES)]


def _watch(page: Any, problems: list[str]) -> None:
    page.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))


def _fits(phone: Any) -> None:
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def _open_campaign(w: World) -> Any:
    staff = w.users["community_staff"]
    today = timezone.localdate()
    campaign = campaign_create(
        actor=staff,
        region=w.communities["dongyue"].region,
        title="东岳社区防汛值守",
        description="汛期沿河巡查，每班两小时。",
        starts_on=today,
        ends_on=today + dt.timedelta(days=7),
    )
    campaign = campaign_open(campaign=campaign, actor=staff)
    place = place_add(campaign=campaign, actor=staff, name="东岳河堤一号岗", kind=PlaceKind.CHECKPOINT)
    start = timezone.now() + dt.timedelta(minutes=10)  # check-in opens 30 minutes before
    shift_add(
        campaign=campaign,
        place=place,
        actor=staff,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        needed=3,
        duty="巡查堤岸",
    )
    shift_add(
        campaign=campaign,
        place=place,
        actor=staff,
        starts_at=start + dt.timedelta(days=1),
        ends_at=start + dt.timedelta(days=1, hours=2),
        needed=2,
        duty="巡查堤岸",
    )
    return campaign


def test_a_member_reports_serves_and_shows_up_in_the_units_feedback(
    browser: Any,
    phone: Any,
    page: Any,
    live_server: Any,
    duty_world: World,
) -> None:
    w = duty_world
    dy = w.communities["dongyue"]
    problems: list[str] = []
    for p in (phone, page):
        _watch(p, problems)
    wish = make_case(
        w,
        actor=w.users["community_staff"],
        channel=Channel.WALK_IN,
        requester_name="东岳居民陈阿婆",
        description="想要一台收音机听戏",
        accept=True,
    )
    campaign = _open_campaign(w)
    soon = campaign.shifts.order_by("starts_at").first()

    # The in-service party member reports on the phone to the community where they live.
    login(phone, live_server, "party_member", PASSWORD)
    phone.goto(f"{live_server.url}/portal/member/report/")
    assert phone.locator("input[name=region]:checked").input_value() == str(dy.region.pk)  # preselected
    for code in ("policy", "safety"):
        phone.check(f"input[name=posts][value='{ServiceCategory.objects.get(code=code).pk}']")
    phone.fill("input[name=skills]", "税务咨询、急救")
    _fits(phone)
    screenshot(phone, "member_report_phone")
    phone.click("#report-form button[type=submit]")
    phone.wait_for_url("**/portal/member/report/")
    report = MemberReport.objects.get()
    assert report.person == w.duty.member and report.status == ReportStatus.PENDING
    assert report.home_unit == w.duty.unit and report.skills == "税务咨询、急救"
    assert phone.locator("#my-report .status-pending").count() == 1

    # The community's staff confirm it in the reporting inbox.
    login(page, live_server, "community_staff", PASSWORD)
    page.goto(f"{live_server.url}/frontline/reports/")
    row = page.locator("tr", has_text="东岳党员王强")
    row.locator(f"form[action$='/member-reports/{report.pk}/confirm/'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    report.refresh_from_db()
    assert report.status == ReportStatus.CONFIRMED
    phone.reload()
    assert phone.locator("#my-report .status-closed").count() == 1

    # The member claims a micro-wish on the wall.
    phone.goto(f"{live_server.url}/portal/member/wall/")
    assert "北辰" not in phone.content()
    phone.click(f"#case-{wish.pk} button[type=submit]")
    phone.wait_for_url("**/portal/member/claims/")
    wish.refresh_from_db()
    assert wish.status == CaseStatus.IN_PROGRESS and wish.claimer_user == w.users["party_member"]

    # ... signs up for a shift of the open campaign, and checks in.
    phone.goto(f"{live_server.url}/portal/member/campaigns/")
    phone.click(f"#shift-{soon.pk} button[type=submit]")
    phone.wait_for_url("**/portal/member/campaigns/")
    booking = ShiftBooking.objects.get()
    assert booking.person == w.duty.member and booking.status == BookingStatus.BOOKED
    _fits(phone)
    screenshot(phone, "member_campaigns_phone")
    phone.click(f"#booking-{booking.pk} button[value=checkin]")
    phone.wait_for_url("**/portal/member/campaigns/")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN
    # Two hours on the dyke later, they check out.
    ShiftBooking.objects.filter(pk=booking.pk).update(checked_in_at=timezone.now() - dt.timedelta(hours=2))
    phone.click(f"#booking-{booking.pk} button[value=checkout]")
    phone.wait_for_url("**/portal/member/campaigns/")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_OUT and booking.hours == Decimal("2.00")

    # The points page shows the ledger lines with their sources.
    phone.goto(f"{live_server.url}/portal/member/points/")
    sources = set(PointsEntry.objects.filter(person=w.duty.member).values_list("source", flat=True))
    assert {PointsSource.MEMBER_REPORTED, PointsSource.HOUR_SERVED} <= sources
    lines = phone.locator("#ledger .ledger-line")
    assert lines.count() == PointsEntry.objects.filter(person=w.duty.member).count() >= 2
    assert "东岳河堤一号岗" in phone.locator("#ledger").inner_text()
    total = sum(PointsEntry.objects.filter(person=w.duty.member).values_list("points", flat=True), Decimal(0))
    assert Decimal(phone.locator("#points-total").inner_text()) == total
    _fits(phone)
    screenshot(phone, "member_points_phone")

    # The unit's admin downloads the feedback report: the member is there with their figures.
    page.context.clear_cookies()
    login(page, live_server, "unit_admin", PASSWORD)
    page.goto(f"{live_server.url}/frontline/unit/feedback/")
    with page.expect_download() as download_info:
        page.click("button[name=download]")
    content = open(download_info.value.path(), "rb").read()  # noqa: SIM115
    sheet = load_workbook(io.BytesIO(content)).active
    rows = [dict(zip(COLUMNS, r, strict=False)) for r in sheet.iter_rows(min_row=3, values_only=True)]
    (mine,) = [r for r in rows if r["name"] == "东岳党员王强"]
    assert mine["community"] == "东岳社区" and "、" in str(mine["posts"])
    assert mine["wishes_claimed"] == 1 and mine["shifts"] == 1
    assert Decimal(str(mine["hours"])) == Decimal(2) and Decimal(str(mine["points"])) == total
    assert {r["name"] for r in rows} >= {"东岳党员赵敏", "东岳党员孙磊"}  # the unreported colleagues too
    assert not problems, problems
