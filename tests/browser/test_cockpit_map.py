"""The cockpit dashboard in Chromium: the cards, the charts and the grid map render without console errors, and a
click on a grid opens that grid's figures."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import login, screenshot
from tests.cases.conftest import cases_world  # noqa: F401
from tests.cockpit.conftest import _done
from tests.conftest import PASSWORD, World

pytestmark = pytest.mark.django_db(transaction=True)


def _square(west: float, south: float, size: float = 0.012) -> dict[str, Any]:
    ring = [[west, south], [west + size, south], [west + size, south + size], [west, south + size], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def map_world(cases_world: World) -> World:  # noqa: F811
    """Four grids side by side with boundaries, and deeds in three of them."""
    w = cases_world
    for i, (_name, community) in enumerate(sorted(w.communities.items())):
        community.grid.boundary = _square(110.10 + (i % 2) * 0.012, 22.60 + (i // 2) * 0.012)
        community.grid.save(update_fields=["boundary"])
    _done(w, "dongyue", served=3, rating="satisfied")
    _done(w, "dongyue", served=2, rating="basic")
    _done(w, "beichen", served=7, rating="satisfied")
    _done(w, "jiangbin", served=4, rating="dissatisfied")
    return w


def test_the_dashboard_and_its_grid_map_render_and_lead_into_a_grid(
    page: Any, live_server: Any, map_world: World
) -> None:
    w = map_world
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    login(page, live_server, "district_admin", PASSWORD)
    page.goto(f"{live_server.url}/cockpit/?period=this_month")
    page.wait_for_selector(".cockpit-cards .cockpit-card")
    grid_map = page.locator("#cockpit-map")
    page.wait_for_selector("#cockpit-map[data-rendered='1']", timeout=15000)
    assert grid_map.get_attribute("data-error") is None
    assert grid_map.get_attribute("data-features") == "4"
    assert grid_map.locator("canvas").count() >= 1
    assert page.locator('[data-chart="trend-main"] canvas').count() == 1
    assert page.locator('[data-chart="distribution"] canvas').count() >= 1
    deeds = page.locator('.cockpit-card[data-metric="deeds_done"] .value').inner_text().strip()
    assert deeds == "4"
    screenshot(page, "cockpit_dashboard")
    grid_map.scroll_into_view_if_needed()
    page.wait_for_timeout(400)  # the map's first animation
    screenshot_map(page)
    # click the middle of 东岳's grid: ECharts finds the feature under the pointer and goes to its dashboard
    ring = w.communities["dongyue"].grid.boundary["coordinates"][0]
    centre = [sum(p[0] for p in ring[:4]) / 4, sum(p[1] for p in ring[:4]) / 4]
    box = grid_map.bounding_box()
    pixel = page.evaluate(
        """(centre) => window.GrassrootsGridMap.chartOf(document.getElementById('cockpit-map'))
            .convertToPixel({seriesIndex: 0}, centre)""",
        centre,
    )
    page.mouse.click(box["x"] + pixel[0], box["y"] + pixel[1])
    page.wait_for_url(f"**grid={w.communities['dongyue'].grid.pk}**", timeout=10000)
    page.wait_for_selector(".cockpit-cards")
    assert "东岳第一网格" in page.locator("h1").inner_text()
    assert page.locator('.cockpit-card[data-metric="deeds_done"] .value').inner_text().strip() == "2"
    assert not problems, problems


def screenshot_map(page: Any) -> None:
    """The map panel alone."""
    import os
    import tempfile
    from pathlib import Path

    from tests.browser.conftest import SCREENSHOTS

    folder = (
        SCREENSHOTS if os.environ.get("GRASSROOTS_SCREENSHOTS") else Path(tempfile.gettempdir()) / "grassroots-shots"
    )
    folder.mkdir(parents=True, exist_ok=True)
    page.locator("section:has(#cockpit-map)").screenshot(path=str(folder / "cockpit_grid_map.png"))
