"""The main paths of the workbench and portal, in a real browser (Debian's Chromium through Playwright)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from grassroots.people.models import Person
from tests.browser.conftest import login, screenshot
from tests.conftest import PASSWORD, World
from tests.factories import make_id_number

pytestmark = pytest.mark.django_db(transaction=True)

WORKBENCH_TEXT = {
    "district_admin": "全区概览",
    "street_staff": "今日待办",
    "community_staff": "今日待办",
    "grid_worker": "我的网格",
    "compound_secretary": "我的小区",
    "party_member": "我的社区",
    "resident": "居民门户",
    "department_staff": "部门工作人员",
    "unit_admin": "单位党组织管理员",
    "sibling_staff": "北辰第一网格",
}


@pytest.mark.parametrize("persona", list(WORKBENCH_TEXT))
def test_each_role_lands_on_its_workbench(page: Any, live_server: Any, world: World, persona: str) -> None:
    login(page, live_server, persona, PASSWORD)
    assert page.url.rstrip("/") == live_server.url
    assert WORKBENCH_TEXT[persona] in page.content()
    if persona == "community_staff":
        assert "北辰" not in page.content()
    if persona in ("district_admin", "community_staff", "grid_worker", "resident"):
        screenshot(page, f"workbench_{persona}")


def test_filter_and_export_the_person_list(page: Any, live_server: Any, world: World, tmp_path: Path) -> None:
    login(page, live_server, "community_staff", PASSWORD)
    page.goto(f"{live_server.url}/persons/")
    page.fill("input[name=q]", "dy")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "东岳张伟" in page.content() and "北辰" not in page.content()
    screenshot(page, "person_list")
    with page.expect_download() as info:
        page.click("text=导出Excel")
    path = tmp_path / "persons.xlsx"
    info.value.save_as(path)
    rows = list(openpyxl.load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    body = [r for r in rows[1:] if any(r)]
    column = rows[0].index("姓名")
    assert {row[column] for row in body} == {"东岳张伟", "东岳李娜"}
    flat = " ".join(str(c) for row in rows for c in row if c)
    for person in Person.objects.filter(community=world.communities["dongyue"].region):
        assert person.mobile not in flat and person.id_number not in flat
        assert person.mobile_masked in flat


def _roster(world: World, *, bad_row: bool) -> bytes:
    dy = world.communities["dongyue"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "性别", "民族", "身份证号", "手机号", "住址", "所在单元编码", "户号"])
    for i in range(3):
        number = make_id_number(dt.date(1990, 1, 1 + i))
        if bad_row and i == 1:
            number = number[:-1] + ("0" if number[-1] != "0" else "1")
        ws.append([f"新居民{i}", "男", "汉族", number, f"1370000000{i}", "东岳花园1栋", dy.entrance.code, f"20{i}"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(page: Any, live_server: Any, content: bytes) -> None:
    page.goto(f"{live_server.url}/imports/new/")
    page.select_option("select[name=kind]", "persons")
    page.set_input_files(
        "input[name=file]",
        {
            "name": "roster.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": content,
        },
    )
    page.click("form:has(input[name=file]) [type=submit]")
    page.wait_for_load_state("networkidle")


def test_import_refuses_a_bad_row_then_imports_the_fixed_roster(page: Any, live_server: Any, world: World) -> None:
    login(page, live_server, "community_staff", PASSWORD)
    before = Person.objects.count()
    _upload(page, live_server, _roster(world, bad_row=True))
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("text=第3行", timeout=15000)
    assert "校验位" in page.content()
    screenshot(page, "import_errors")
    assert page.locator("form[action$='/commit/'] button").count() == 0
    assert Person.objects.count() == before

    _upload(page, live_server, _roster(world, bad_row=False))
    page.click("form[action$='/commit/'] button")
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => !document.body.innerText.includes('正在')", timeout=15000)
    assert Person.objects.count() == before + 3
    assert Person.objects.filter(name="新居民1", community=world.communities["dongyue"].region).exists()


def test_switch_language(page: Any, live_server: Any, world: World) -> None:
    login(page, live_server, "community_staff", PASSWORD)
    page.goto(f"{live_server.url}/persons/")
    assert "人员" in page.content()
    page.select_option("#language-select", "en")
    page.click("form.lang-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Persons" in page.content() and "Log out" in page.content()
    screenshot(page, "person_list_en")


def test_portal_home_on_a_phone(phone: Any, live_server: Any, world: World) -> None:
    phone.goto(f"{live_server.url}/portal/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    assert "使用手机号登录" in phone.content()
    screenshot(phone, "portal_home_phone")
