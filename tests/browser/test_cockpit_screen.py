"""The big screen in Chromium at 1920×1080: charts drawn, no console errors, no scrolling, numbers readable from
across the room, new figures shown in place on the next refresh, and the last figures kept when a refresh fails."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import login, screenshot
from tests.cases.conftest import cases_world  # noqa: F401
from tests.cockpit.conftest import _done, figures_world  # noqa: F401
from tests.conftest import PASSWORD, World

pytestmark = pytest.mark.django_db(transaction=True)


def _figure(page: Any, key: str, which: str = "total") -> str:
    return str(page.locator(f".kpi[data-key='{key}'] [data-figure='{which}']").inner_text()).strip()


def test_the_big_screen_fits_1920_by_1080_and_refreshes_in_place(
    browser: Any,
    live_server: Any,
    figures_world: World,  # noqa: F811
) -> None:
    w = figures_world
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    try:
        login(page, live_server, "district_admin", PASSWORD)
        page.goto(f"{live_server.url}/cockpit/screen/?refresh=600")
        for chart in ("#chart-trend", "#chart-categories"):
            page.wait_for_selector(f"{chart} canvas")
        page.wait_for_function(
            "() => { const m = document.getElementById('grid-map'); return !m.dataset.url || m.dataset.rendered }"
        )
        page.wait_for_timeout(800)  # the charts' opening animation
        assert page.locator("h1").inner_text().startswith("玉州区")
        assert _figure(page, "residents_served") == "16"  # 3 + 2 + 7 + 4, all time
        assert _figure(page, "grids", "main") == "4"
        assert page.locator("[data-list='deeds_done'] .ranking li").count() == 2  # 名山街道, 南江街道
        size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.kpi-value')).fontSize)")
        assert size >= 48
        assert page.evaluate("document.documentElement.scrollHeight") <= 1080
        assert page.evaluate("document.documentElement.scrollWidth") <= 1920
        assert page.evaluate("document.body.scrollHeight") <= 1080
        assert not problems, problems
        screenshot(page, "cockpit_big_screen")

        # A deed done meanwhile appears on the next refresh, without reloading the page.
        page.evaluate("window.__sameDocument = true")
        _done(w, "nanguan", served=5, rating="satisfied")
        page.evaluate("window.GrassrootsScreen.update()")
        page.wait_for_function(
            "() => document.querySelector(\".kpi[data-key='residents_served'] [data-figure='total']\").textContent === '21'"
        )
        assert page.evaluate("window.__sameDocument") is True
        assert page.locator("#screen-updated").inner_text().strip() != ""
        assert page.locator("#screen-warning").is_hidden()
        assert not problems, problems

        # The server cannot be reached: the figures stay, with a discreet warning.
        page.route("**/cockpit/screen/data.json*", lambda route: route.abort())
        page.evaluate("window.GrassrootsScreen.update()")
        page.wait_for_selector("#screen-warning", state="visible")
        assert _figure(page, "residents_served") == "21"
        assert all("Failed to load resource" in p for p in problems), problems
    finally:
        context.close()
