"""A resident's journey on a phone-sized screen: scan the QR (pre-filled form), sign in with the
household code, see their own compound and household; a wrong code gets one plain message."""

import pytest

from anju.access.codes import issue_household_codes
from anju.core.actors import DEMO
from anju.testing.browser import assert_no_external_requests, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def household_code(city):
    household = city.jiangan_compound.households.order_by("room").first()
    codes = issue_household_codes(
        actor=DEMO, compound=city.jiangan_compound, households=[household]
    )
    return codes[household.pk]


def test_resident_signs_in_with_code_on_a_phone(phone_page, live_server, household_code):
    page = phone_page
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(live_server.url + "/")
    screenshot(page, "phone-home")
    page.get_by_role("link", name="住户码登录").click()
    page.get_by_label("住户码").fill("WRONG-CODE9")
    page.get_by_role("button", name="登录").click()
    assert "住户码无效或已失效" in page.content()
    screenshot(page, "phone-sign-in-wrong-code")

    page.get_by_label("住户码").fill(household_code.lower().replace("-", " "))
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/portal/")
    content = page.content()
    assert "铭新街小区" in content
    assert "积玉桥宿舍" not in content
    screenshot(page, "phone-portal-home")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the portal must not scroll sideways on a phone"

    response = page.goto(live_server.url + "/workbench/")
    assert "/sign-in/" in page.url or response.status in (302, 404)
    assert_no_external_requests(page, live_server.url, requests)


def test_qr_link_prefills_but_does_not_sign_in(phone_page, live_server, household_code):
    page = phone_page
    page.goto(f"{live_server.url}/portal/c/{household_code}/")
    assert page.get_by_label("住户码").input_value().replace("-", "") == household_code.replace(
        "-", ""
    )
    screenshot(page, "phone-qr-prefilled")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/portal/")
    assert "铭新街小区" in page.content()
