"""A micro-wish end to end in Chromium: a resident asks on the phone with a photo, the community accepts it, a
party member claims and fulfils it, the resident rates it, and the KPIs move."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image

from grassroots.cases.enums import CaseKind, CaseStatus
from grassroots.cases.kpis import kpi_total, month_bounds
from grassroots.cases.models import Case, CasePhoto
from grassroots.catalogue.models import ServiceCategory
from tests.browser.conftest import login, screenshot
from tests.cases.conftest import cases_world  # noqa: F401
from tests.conftest import PASSWORD, World

pytestmark = pytest.mark.django_db(transaction=True)

CODE_RE = re.compile(r"(?:验证码为|code is)\s*(\d{6})")


def _png(colour: tuple[int, int, int]) -> dict[str, Any]:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, format="PNG")
    return {"name": "photo.png", "mimeType": "image/png", "buffer": out.getvalue()}


def _watch(page: Any, problems: list[str]) -> None:
    page.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))


def _kpis(world: World) -> Any:
    now = timezone.localtime()
    start, end = month_bounds(now.year, now.month)
    return kpi_total(cases=Case.objects.filter(community=world.communities["dongyue"].region), start=start, end=end)


def test_a_wish_from_the_phone_to_the_rating(
    browser: Any,
    phone: Any,
    page: Any,
    live_server: Any,
    cases_world: World,  # noqa: F811
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    w = cases_world
    dy = w.communities["dongyue"]
    problems: list[str] = []
    for p in (phone, page):
        _watch(p, problems)
    before = _kpis(w)

    # The resident signs in with a text-message code (shown on the page in demo mode).
    phone.goto(f"{live_server.url}/portal/login/")
    phone.fill("input[name=mobile]", dy.persons[0].mobile)
    phone.click("main form [type=submit]")
    phone.wait_for_url("**/portal/verify/")
    match = CODE_RE.search(phone.content())
    assert match, phone.content()
    phone.fill("input[name=code]", match.group(1))
    phone.click("main form [type=submit]")
    phone.wait_for_url("**/portal/me/")

    # ... and asks for help: a micro-wish with a photo, at their own entrance (the form's default).
    phone.goto(f"{live_server.url}/portal/requests/new/")
    assert phone.locator("select[name=entrance]").input_value() == str(dy.entrance.pk)
    phone.select_option("select[name=category]", str(ServiceCategory.objects.get(code="elderly").pk))
    phone.wait_for_load_state("networkidle")
    phone.select_option("select[name=need_group]", "elderly_alone")
    phone.fill("textarea[name=description]", "家里的收音机坏了，想要一台新的收音机听戏")
    assert phone.locator(".js-count").inner_text() == "20"
    phone.set_input_files("input[name=photos]", [_png((200, 40, 40))])
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "portal_case_new")
    phone.click("#case-form button.primary")
    phone.wait_for_url(re.compile(r".*/portal/requests/\d+/$"))
    case = Case.objects.get()
    assert case.kind == CaseKind.MICRO_WISH and case.status == CaseStatus.PENDING
    assert case.requester_user == w.users["resident"] and CasePhoto.objects.filter(case=case).count() == 1
    phone.wait_for_function("() => { const i = document.querySelector('.photos img'); return i && i.naturalWidth > 0 }")

    # The community staff accepts it on the staff case page.
    login(page, live_server, "community_staff", PASSWORD)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    screenshot(page, "case_detail")
    page.click("form[action$='/accept/'] [type=submit]")
    page.wait_for_load_state("networkidle")
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN

    # The resident's page notices by itself (htmx polls every 15 s and reloads on a new status).
    phone.wait_for_selector("#live .status-open", timeout=25_000)

    # The party member claims it from the wall and records it done with a photo.
    member_context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN")
    member = member_context.new_page()
    _watch(member, problems)
    try:
        login(member, live_server, "party_member", PASSWORD)
        member.goto(f"{live_server.url}/portal/member/wall/")
        assert "北辰" not in member.content() and "东岳张伟" not in member.content()
        screenshot(member, "portal_member_wall")
        member.click(f"#case-{case.pk} button[type=submit]")
        member.wait_for_url("**/portal/member/claims/")
        case.refresh_from_db()
        assert case.status == CaseStatus.IN_PROGRESS and case.claimer_user == w.users["party_member"]
        claim = member.locator(f"#claim-{case.pk}")
        claim.locator("textarea[name=note]").fill("送去了一台新收音机，并教会老人使用")
        claim.locator("input[name=residents_served]").fill("2")
        claim.locator("input[name=photos]").set_input_files([_png((40, 160, 40))])
        claim.locator("form[action$='/fulfil/'] button[type=submit]").click()
        member.wait_for_url("**/portal/member/claims/")
        member.wait_for_load_state("networkidle")
    finally:
        member_context.close()
    case.refresh_from_db()
    assert case.status == CaseStatus.FULFILLED and case.residents_served == 2

    # The resident rates it: satisfied, five stars.
    phone.reload()
    phone.wait_for_selector("#rate")
    phone.check("input[name=stars][value='5']")
    phone.check("input[name=satisfaction][value=satisfied]")
    phone.check("input[name=resolved][value=yes]")
    phone.fill("textarea[name=comment]", "谢谢党员同志")
    screenshot(phone, "portal_case_rate")
    phone.click("#rate button[type=submit]")
    phone.wait_for_load_state("networkidle")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.rating_stars == 5
    assert phone.locator("#live .status-closed").count() == 1

    # The figures moved: one more deed, one more rated case (and it counts as resolved and satisfied).
    after = _kpis(w)
    assert after.deeds == before.deeds + 1
    assert after.rated == before.rated + 1
    assert after.residents_served == before.residents_served + 2
    assert after.resolved == before.resolved + 1 and after.satisfied == before.satisfied + 1

    # The staff see it closed in the inbox and counted on the KPI page.
    page.goto(f"{live_server.url}/cases/?status=closed")
    assert case.number in page.content()
    screenshot(page, "case_list")
    page.goto(f"{live_server.url}/kpis/")
    assert "东岳" in page.content()
    screenshot(page, "kpis")
    assert not problems, problems


def test_an_appointment_with_a_time_slot_and_the_phones_location(
    browser: Any,
    live_server: Any,
    cases_world: World,  # noqa: F811
) -> None:
    from django.test import Client

    from grassroots.catalogue.models import ServiceItem

    w = cases_world
    dy = w.communities["dongyue"]
    item = ServiceItem.objects.get(code="free-haircut")
    client = Client()
    client.force_login(w.users["resident"])
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        locale="zh-CN",
        geolocation={"latitude": 22.654321, "longitude": 110.154321},
        permissions=["geolocation"],
    )
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    phone = context.new_page()
    problems: list[str] = []
    _watch(phone, problems)
    try:
        phone.goto(f"{live_server.url}/portal/requests/new/")
        phone.check("input[name=kind][value=appointment]")
        phone.wait_for_load_state("networkidle")
        assert phone.locator("select[name=need_group]").count() == 0  # only asked for wishes
        phone.select_option("select[name=category]", str(item.category_id))
        phone.wait_for_selector(f"select[name=item] option[value='{item.pk}']", state="attached")
        phone.select_option("select[name=item]", str(item.pk))
        phone.wait_for_selector("#slot-picker input[name=slot_start]", state="attached")
        slot = phone.locator("#slot-picker input[name=slot_start]:not([disabled])").first
        chosen = slot.get_attribute("value")
        slot.check()
        phone.fill("textarea[name=description]", "想预约理发")
        # The place: another building would replace the entrance list; the resident keeps their own.
        phone.select_option("select[name=compound]", str(dy.compound.pk))
        phone.wait_for_load_state("networkidle")
        phone.select_option("select[name=building]", str(dy.building.pk))
        phone.wait_for_selector(f"select[name=entrance] option[value='{dy.entrance.pk}']", state="attached")
        phone.select_option("select[name=entrance]", str(dy.entrance.pk))
        phone.click(".js-locate")
        phone.wait_for_function("() => document.querySelector('input[name=lat]').value !== ''")
        screenshot(phone, "portal_case_appointment")
        phone.click("#case-form button.primary")
        phone.wait_for_url(re.compile(r".*/portal/requests/\d+/$"))
    finally:
        context.close()
    case = Case.objects.get()
    assert case.kind == CaseKind.APPOINTMENT and case.item == item and case.place == dy.entrance
    assert chosen and case.slot_start is not None and timezone.localtime(case.slot_start).isoformat() == chosen
    assert (float(case.lat or 0), float(case.long or 0)) == (22.654321, 110.154321)
    assert not problems, problems
