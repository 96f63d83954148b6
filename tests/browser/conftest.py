"""Real-browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium), never a downloaded browser.

Where Chromium is missing the tests skip with the reason, except in CI (``CI`` set), where they fail:
`.ci/run` installs the Debian package first.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("GRASSROOTS_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between steps are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI and was not found at {CHROMIUM}")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
    yield page
    context.close()


def screenshot(page: Any, name: str) -> None:
    """Save a screenshot: into docs/screenshots/ for the README when GRASSROOTS_SCREENSHOTS=1, else a temp dir."""
    folder = (
        SCREENSHOTS if os.environ.get("GRASSROOTS_SCREENSHOTS") else Path(tempfile.gettempdir()) / "grassroots-shots"
    )
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=False)


def login(page: Any, live_server: Any, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form:has(input[name=password]) [type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.fixture(autouse=True)
def _reference_data(transactional_db: Any) -> None:
    """Transactional tests flush the database, data migrations included: put the 56 ethnic groups back."""
    from grassroots.people.data.ethnicities import ETHNICITIES
    from grassroots.people.models import Ethnicity

    Ethnicity.objects.bulk_create(
        [Ethnicity(code=code, name=name) for code, name in ETHNICITIES], ignore_conflicts=True
    )
