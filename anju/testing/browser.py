"""Playwright driving Debian's chromium (never a downloaded browser) for journey tests: the
fixtures `browser`, `office_page`, `phone_page` for every app's tests (a pytest plugin, `-p
anju.testing.browser` in pyproject's addopts), and `screenshot`, `assert_no_external_requests`.

With CI=true a missing chromium fails the run; elsewhere the browser tests are skipped with a
message. Screenshots go to build/screenshots/ (git-ignored).
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("ANJU_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
OFFICE = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
# itself (fixtures) are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"chromium not found at {CHROMIUM}; CI needs the browser tests")
        pytest.skip(f"chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield instance
        instance.close()


@pytest.fixture
def office_page(browser):
    context = browser.new_context(viewport=OFFICE, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(
        viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_no_external_requests(page, base_url: str, requests: list[str]) -> None:
    external = [url for url in requests if not url.startswith((base_url, "data:", "blob:"))]
    assert not external, f"pages loaded from outside: {external}"
