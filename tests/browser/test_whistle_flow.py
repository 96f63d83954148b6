"""A whistle end to end in Chromium: the community staff blow the whistle on an overdue case, 区城市管理局 reports
on site with a photo and feeds back, the community rates it and closes the whistle (and with it the case), and
the department's scorecard counts it."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image

from grassroots.cases.enums import CaseStatus
from grassroots.cases.models import Case
from grassroots.whistle.enums import CallStatus, WhistleStatus
from grassroots.whistle.models import Whistle
from tests.browser.conftest import login, screenshot
from tests.cases.factories import make_case
from tests.conftest import PASSWORD, World
from tests.whistle.conftest import whistle_world  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def _png() -> dict[str, Any]:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 90, 200)).save(out, format="PNG")
    return {"name": "site.png", "mimeType": "image/png", "buffer": out.getvalue()}


def _watch(page: Any, problems: list[str]) -> None:
    page.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))


def _figure(page: Any, department_id: int, name: str) -> str:
    return str(page.locator(f"tr[data-department='{department_id}'] td[data-figure='{name}']").inner_text()).strip()


def test_a_whistle_from_an_overdue_case_to_the_scorecard(
    browser: Any,
    page: Any,
    phone: Any,
    live_server: Any,
    whistle_world: World,  # noqa: F811
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    w = whistle_world
    department = w.duty.department
    problems: list[str] = []
    _watch(page, problems)
    case = make_case(w, accept=True, description="东岳花园1栋门前的排水沟堵塞，雨天积水严重，社区无法独立处理")
    Case.objects.filter(pk=case.pk).update(response_due=timezone.now() - dt.timedelta(hours=3))

    # The community staff open the overdue case and blow the whistle from it.
    login(page, live_server, "community_staff", PASSWORD)
    scorecards = f"{live_server.url}/whistles/scorecards/"
    page.goto(scorecards)
    assert page.locator(f"tr[data-department='{department.pk}']").count() == 0
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.click("#blow-whistle")
    page.wait_for_url(re.compile(r".*/whistles/new/\?case=\d+$"))
    assert page.locator("textarea[name=description]").input_value().startswith("东岳花园1栋门前的排水沟堵塞")
    assert page.locator("#whistle-form select[name=region]").input_value() == str(w.communities["dongyue"].region.pk)
    # Only one department row until another is asked for (Alpine.js from our own static files).
    page.wait_for_selector(".call-row[data-row='2']", state="hidden")
    page.click(".js-add-call")
    page.wait_for_selector(".call-row[data-row='2']", state="visible")
    page.select_option("select[name=calls-0-department]", str(department.pk))
    page.fill("input[name=calls-0-task]", "疏通排水沟并清理积水")
    page.check("input[name=urgency][value=urgent]")
    page.click("#whistle-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/whistles/\d+/$"))
    whistle = Whistle.objects.get()
    call = whistle.calls.get()
    assert whistle.origin_case_id == case.pk and call.department == department
    page.goto(f"{live_server.url}/whistles/")
    assert whistle.number in page.content() and "区城市管理局" in page.content()
    screenshot(page, "whistle_board")

    # 区城市管理局's staff find it under "my whistles", report on site with a photo, and feed back.
    dept_context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    dept = dept_context.new_page()
    _watch(dept, problems)
    try:
        login(dept, live_server, "department_staff", PASSWORD)
        dept.goto(f"{live_server.url}/whistles/mine/")
        dept.click(f"a:text('{whistle.number}')")
        dept.wait_for_url(f"**/whistles/{whistle.pk}/")
        dept.click("form[action$='/acknowledge/'] button[type=submit]")
        dept.wait_for_load_state("networkidle")
        report = dept.locator("form[action$='/report/']")
        report.locator("input[name$='on_site_people']").fill("城管执法中队王队长等3人")
        report.locator("textarea[name$='-note']").fill("已到场查看")
        report.locator("input[type=file]").set_input_files([_png()])
        report.locator("button[type=submit]").click()
        dept.wait_for_load_state("networkidle")
        call.refresh_from_db()
        assert call.status == CallStatus.REPORTED and call.reported_on_time is True and call.report_photo
        dept.wait_for_function(
            "() => { const i = document.querySelector('.site-photo img'); return i && i.naturalWidth > 0 }"
        )
        feedback = dept.locator("form[action$='/feedback/']")
        feedback.locator("textarea").fill("排水沟已疏通，路面积水已清理")
        feedback.locator("button[type=submit]").click()
        dept.wait_for_load_state("networkidle")
    finally:
        dept_context.close()
    call.refresh_from_db()
    assert call.status == CallStatus.FED_BACK and call.handled_on_time is True

    # The community rates the department's work and closes the whistle.
    page.goto(f"{live_server.url}/whistles/{whistle.pk}/")
    rate = page.locator("form[action$='/rate/']")
    rate.locator("input[value=satisfied]").check()
    rate.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    page.locator("form[action$='/close/'] textarea").fill("排水沟已疏通，居民满意")
    page.click("form[action$='/close/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    whistle.refresh_from_db()
    call.refresh_from_db()
    assert whistle.status == WhistleStatus.CLOSED and call.rating == "satisfied"
    assert "城管执法中队王队长等3人" in page.content()
    screenshot(page, "whistle_detail")

    # The scorecard counts it: one call received, reported on time, rated.
    page.goto(scorecards)
    assert _figure(page, department.pk, "received") == "1"
    assert _figure(page, department.pk, "rated") == "1"
    screenshot(page, "whistle_scorecards")

    # The case shows the whistle on its timeline and is closed with it.
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    assert page.locator(f".timeline a[href='/whistles/{whistle.pk}/']").count() == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED

    # On a phone the board, the whistle and the scorecards fit the screen's width.
    login(phone, live_server, "community_staff", PASSWORD)
    _watch(phone, problems)
    for path in ("/whistles/", f"/whistles/{whistle.pk}/", "/whistles/scorecards/", "/whistles/new/"):
        phone.goto(f"{live_server.url}{path}")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path
    assert not problems, problems
