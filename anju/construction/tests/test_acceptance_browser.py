"""The district holds the joint acceptance in a real browser: the session page with its
participants and checklist progress, the outcome decided from the form, the project accepted
and the certificate offered. Screenshot: build/screenshots/construction-acceptance.png.

Playwright drives Debian's chromium through the shared fixtures of anju/testing/browser.py."""

# ruff: noqa: F811 (the fixtures imported from accepting.py are the test arguments)

from __future__ import annotations

import pytest

from anju.conftest import PASSWORD
from anju.territory.models import Stage
from anju.testing.browser import screenshot

from .accepting import (  # noqa: F401
    acceptance_project,
    building_project,
    named_project,
    ready_session,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_district_decides_the_acceptance_in_the_browser(
    office_page, live_server, jiangan_officer, ready_session
):
    page = office_page
    page.goto(live_server.url + "/sign-in/")
    page.get_by_label("用户名").fill(jiangan_officer.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/")
    page.goto(f"{live_server.url}/workbench/construction/acceptance/{ready_session.pk}/")
    assert page.locator("#participants tbody tr").count() == 7
    assert "张秀英" in page.locator("#participants").inner_text()
    page.get_by_label("验收合格").check()
    page.get_by_role("button", name="作出验收结论").click()
    page.wait_for_selector("#outcome")
    assert page.locator("#outcome").inner_text() == "验收合格"
    assert page.get_by_role("link", name="验收证书（PDF）").count() == 1
    screenshot(page, "construction-acceptance")
    ready_session.project.refresh_from_db()
    assert ready_session.project.stage == Stage.ACCEPTED
