"""A district officer's journey in a real browser, at office size: sign in, see the district,
find a compound, open it with its map; and the other district's compound answers 404."""

import pytest

from anju.conftest import PASSWORD
from anju.testing.browser import assert_no_external_requests, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_district_officer_journey(office_page, live_server, city, jiangan_officer):
    page = office_page
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(live_server.url + "/")
    screenshot(page, "office-home")
    page.get_by_role("link", name="工作台登录").first.click()
    page.get_by_label("用户名").fill("jiangan-officer")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/")
    assert "江岸区" in page.content()
    assert "武昌区" not in page.content()
    screenshot(page, "office-workbench")

    page.get_by_role("button", name="统筹").click()  # the menu groups pages by movement
    page.get_by_role("link", name="小区台账").click()
    page.get_by_placeholder("小区名称、地址或编码").fill("铭新")
    page.wait_for_timeout(800)
    assert page.get_by_role("link", name="铭新街小区").is_visible()
    screenshot(page, "office-compound-list")
    page.get_by_role("link", name="铭新街小区").click()
    page.wait_for_selector("#compound-map .leaflet-interactive")
    assert "138****0001" in page.content()
    screenshot(page, "office-compound-detail")

    response = page.goto(f"{live_server.url}/workbench/compounds/{city.wuchang_compound.code}/")
    assert response.status == 404
    assert "积玉桥宿舍" not in page.content()
    assert_no_external_requests(page, live_server.url, requests)


def test_language_switch_to_english(office_page, live_server, city):
    page = office_page
    page.goto(live_server.url + "/")
    page.select_option("#language-select", "en")
    page.get_by_role("button", name="切换").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, "office-home-english")
