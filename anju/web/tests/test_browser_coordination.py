"""Dig once in a real browser, as a district officer at office size: the plan's conflicts on a
map (no tiles: compounds and works drawn from the page), settling one with a joint window, and
proposing and accepting a contiguous package."""

import datetime as dt
import re

import pytest

from anju.conftest import PASSWORD, make_compound
from anju.coordination.models import Work
from anju.coordination.tests.factories import conflicts_in_both_districts
from anju.planning.models import AreaPackage
from anju.testing.browser import assert_no_external_requests, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username):
    page.goto(live_server.url + "/sign-in/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/")


def test_a_district_officer_sees_and_settles_conflicts_on_the_map(
    office_page, live_server, city, jiangan_officer
):
    own, _other = conflicts_in_both_districts(city)
    lon, lat = city.jiangan_compound.longitude, city.jiangan_compound.latitude
    Work.objects.filter(pk=own.work_id).update(
        geometry={
            "type": "LineString",
            "coordinates": [[lon - 0.002, lat + 0.0005], [lon + 0.002, lat + 0.0005]],
        }
    )
    page = office_page
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    sign_in(page, live_server, "jiangan-officer")
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + "/workbench/coordination/conflicts/")
    page.wait_for_timeout(1000)
    assert not errors, errors
    page.wait_for_selector("#conflict-map path.leaflet-interactive")
    assert city.jiangan_compound.name in page.content()
    assert city.wuchang_compound.name not in page.content()
    screenshot(page, "office-conflicts-map")

    page.get_by_role("link", name=city.jiangan_compound.name).first.click()
    page.get_by_label("约定同步施工").check()
    page.get_by_label("约定开工").fill("2027-05-01")
    page.get_by_label("约定完工").fill("2027-06-30")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=已记录协调结果")
    own.refresh_from_db()
    assert own.status == "joint" and own.joint_ends_on == dt.date(2027, 6, 30)
    screenshot(page, "office-conflict-settled")
    assert_no_external_requests(page, live_server.url, requests)


def test_a_district_officer_proposes_and_accepts_a_contiguous_package(
    office_page, live_server, city, jiangan_officer
):
    lon, lat = city.jiangan_compound.longitude, city.jiangan_compound.latitude
    for n, (dx, dy) in enumerate(((0.0008, 0.0003), (0.0016, 0.0)), start=2):
        make_compound(
            city.jiangan_community,
            f"42010200100100{n}",
            f"天声街{n}号院",
            lon=lon + dx,
            lat=lat + dy,
            households=20,
        )
    page = office_page
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    sign_in(page, live_server, "jiangan-officer")
    page.goto(live_server.url + "/workbench/coordination/packages/")
    page.get_by_role("button", name="生成建议").click()
    page.wait_for_selector("text=已生成")
    page.wait_for_selector("#packages-map canvas")  # drawn on a canvas: thousands of compounds
    screenshot(page, "office-packages-map")
    page.get_by_role("link", name=re.compile("PKG-")).first.click()
    page.get_by_label("片区名称").fill("天声街片区")
    page.get_by_label("我已知晓：采纳后不能撤销").check()
    page.get_by_role("button", name="采纳", exact=True).click()
    page.wait_for_selector("text=已采纳")
    package = AreaPackage.objects.get()
    assert package.name == "天声街片区" and package.members.count() == 3
    screenshot(page, "office-package-accepted")
    assert_no_external_requests(page, live_server.url, requests)
