"""`/api/docs/` (Swagger UI) works under the site's CSP, whose script-src is nonce-only: the
page runs no inline script, its start-up script is a same-origin file, and a real browser
renders the operations (drf-spectacular's default view put the start-up code inline, which
the CSP blocked: a blank page)."""

import re

import pytest
from django.test import Client

from anju.testing.browser import assert_no_external_requests, screenshot

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>")


def script_src(response) -> str:
    policy = response["Content-Security-Policy"]
    return next(part for part in policy.split(";") if part.strip().startswith("script-src"))


@pytest.mark.django_db
def test_the_docs_page_runs_no_inline_script_and_the_csp_stays_strict():
    client = Client()
    page = client.get("/api/docs/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "'unsafe-inline'" not in script_src(page)
    assert "'unsafe-eval'" not in script_src(page)
    assert not INLINE_SCRIPT.findall(html)
    start_up = re.search(r'<script src="(/api/docs/\?[^"]*script[^"]*)"', html).group(1)
    script = client.get(start_up.replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_swagger_ui_renders_the_operations(office_page, live_server):
    page = office_page
    requests: list[str] = []
    violations: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto(live_server.url + "/api/docs/")
    page.wait_for_selector(".opblock", timeout=15_000)

    assert page.locator(".opblock").count() > 10
    # With every app's operations in its one tag, Swagger UI lays out the first ones at once
    # and the rest as the page scrolls: the first are the proof that the page runs.
    assert page.locator(".opblock-summary-path").first.is_visible()
    assert not violations, violations
    screenshot(page, "api-docs")
    assert_no_external_requests(page, live_server.url, requests)
