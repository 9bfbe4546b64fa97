"""Coverage in a real browser: the 江岸区 officer opens 长效管理, reads the coverage by street
and the uncovered list, opens an uncovered compound and records a red-property contract,
after which the compound counts as covered by property service; the compound's coverage page
fits a phone. Screenshots go to build/screenshots/ (stewardship-coverage-*.png)."""

import datetime as dt

import pytest
from django.urls import reverse

from anju.conftest import PASSWORD
from anju.core.calendar import today
from anju.territory.models import Compound
from anju.testing.browser import PHONE, assert_no_external_requests, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(base_url + reverse("web:sign-in"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


@pytest.fixture
def officer_and_company(city, jiangan_officer, property_company):
    return jiangan_officer, property_company


def test_a_district_officer_covers_a_compound_with_property_service(
    office_page,
    phone_page,
    live_server,
    city,
    officer_and_company,
):
    _officer, property_company = officer_and_company
    office = office_page
    requests: list[str] = []
    office.on("request", lambda request: requests.append(request.url))
    sign_in(office, live_server.url, "jiangan-officer")

    office.goto(live_server.url + reverse("stewardship:index"))
    assert "大智街道" in office.locator("#coverage-rows").inner_text()
    office.get_by_role("link", name="查看未覆盖小区和变化趋势").click()
    office.wait_for_url("**/coverage/")
    uncovered = office.locator("#uncovered-rows")
    assert city.jiangan_compound.name in uncovered.inner_text()
    screenshot(office, "stewardship-coverage-report")

    uncovered.get_by_role("link", name=city.jiangan_compound.name).click()
    office.wait_for_url(f"**/compounds/{city.jiangan_compound.code}/coverage/")
    office.get_by_label("物业企业").select_option(label=property_company.name)
    office.get_by_label("服务方式").select_option("red_property")
    office.get_by_label("合同开始").fill((today() - dt.timedelta(days=1)).isoformat())
    office.get_by_role("button", name="登记合同").click()
    office.wait_for_load_state()
    assert "红色物业" in office.locator("#management-status").inner_text()
    assert property_company.name in office.locator("#contract-rows").inner_text()
    screenshot(office, "stewardship-coverage-compound")
    compound = Compound.objects.get(pk=city.jiangan_compound.pk)
    assert compound.management_status == "red_property"

    office.goto(live_server.url + reverse("stewardship:coverage"))
    assert "100.0%" in office.locator("#coverage-total").inner_text()
    assert_no_external_requests(office, live_server.url, requests)

    phone = phone_page
    sign_in(phone, live_server.url, "jiangan-officer")
    phone.goto(
        live_server.url
        + reverse("stewardship:coverage-compound", args=[city.jiangan_compound.code])
    )
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the compound's coverage page scrolls sideways ({width}px)"
    screenshot(phone, "stewardship-coverage-phone")
