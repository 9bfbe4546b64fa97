"""A report's point drawn on a small read-only map of the compound: on the workbench report page
and on the reporting household's own portal page, with the same compound data as the form's
map. No point, no map; another household's page of the same report hides the point like it
hides the reporter and photos, and the compound's public list stays without it."""

import json
import re

import pytest
from django.urls import reverse

from anju.access.codes import issue_household_codes
from anju.access.scope import scope_for_household
from anju.conftest import PASSWORD
from anju.core.actors import DEMO
from anju.stewardship.models import Channel, ReportCategory
from anju.stewardship.services import reports as services
from anju.territory import selectors as territory
from anju.territory.models import Compound
from anju.testing.browser import PHONE, assert_no_external_requests, screenshot

pytestmark = pytest.mark.django_db

POINT = {"longitude": 114.2901, "latitude": 30.5902}
MAP = 'id="report-point-map"'
COORDINATES = 'data-longitude="114.2901" data-latitude="30.5902"'
BOUNDARY = {
    "type": "Polygon",
    "coordinates": [
        [
            [114.2893, 30.5894],
            [114.2908, 30.5894],
            [114.2908, 30.5908],
            [114.2893, 30.5908],
            [114.2893, 30.5894],
        ]
    ],
}


def file_as(household, compound, **place):
    return services.file_report(
        actor=None,
        scope=scope_for_household(household),
        compound=compound,
        category=ReportCategory.objects.get(code="clutter"),
        description="路灯不亮，晚上看不清",
        channel=Channel.PORTAL,
        **place,
    )


@pytest.fixture
def pointed(city, jiangan_household, jiangan_contract):
    return file_as(jiangan_household, city.jiangan_compound, **POINT)


@pytest.fixture
def unpointed(city, jiangan_household, jiangan_contract):
    return file_as(jiangan_household, city.jiangan_compound)


@pytest.fixture
def neighbour(city, jiangan_household):
    return city.jiangan_compound.households.exclude(pk=jiangan_household.pk).first()


def portal_page(client, report) -> str:
    response = client.get(reverse("stewardship-portal:report", args=[report.pk]))
    assert response.status_code == 200
    return response.content.decode()


def workbench_page(client, report) -> str:
    response = client.get(reverse("stewardship:report-detail", args=[report.pk]))
    assert response.status_code == 200
    return response.content.decode()


def assert_map_with_the_point(page: str) -> None:
    assert MAP in page and COORDINATES in page
    assert 'id="report-point-map-data"' in page
    assert "vendor/leaflet/leaflet.js" in page and "stewardship/report_point_map.js" in page


def assert_no_map(page: str) -> None:
    assert 'id="report-point-map' not in page and "data-longitude" not in page
    assert "leaflet" not in page and "114.2901" not in page


# --- portal ---------------------------------------------------------------------------------


def map_data(page: str) -> dict:
    found = re.search(
        r'<script id="report-point-map-data" type="application/json">(.*?)</script>', page
    )
    return json.loads(found.group(1))


def test_the_reporter_sees_the_point_on_the_compounds_map(
    city, pointed, jiangan_household, resident_of
):
    page = portal_page(resident_of(jiangan_household), pointed)
    assert_map_with_the_point(page)
    assert map_data(page) == territory.map_data_for(city.jiangan_compound)  # the form's data
    assert "<script>" not in page  # the CSP allows no inline script


def test_a_report_without_a_point_has_no_map_on_the_portal(
    unpointed, jiangan_household, resident_of
):
    assert_no_map(portal_page(resident_of(jiangan_household), unpointed))


def test_another_household_does_not_see_the_point(pointed, neighbour, resident_of):
    client = resident_of(neighbour)
    page = portal_page(client, pointed)
    assert "路灯不亮" in page and "我家报告" not in page  # the rule: no reporter, no photos
    assert_no_map(page)
    public = client.get(reverse("stewardship-portal:public-list")).content.decode()
    assert pointed.number in public
    assert_no_map(public)


# --- workbench ------------------------------------------------------------------------------


def test_the_workbench_report_page_draws_the_point(
    client_as, pointed, property_staff, jiangan_community_worker
):
    handler_page = workbench_page(client_as(property_staff), pointed)
    assert_map_with_the_point(handler_page)
    assert "114.290100, 30.590200" in handler_page  # the coordinates stay as text too
    assert_map_with_the_point(workbench_page(client_as(jiangan_community_worker), pointed))


def test_a_report_without_a_point_has_no_map_on_the_workbench(client_as, unpointed, property_staff):
    assert_no_map(workbench_page(client_as(property_staff), unpointed))


def test_another_territorys_staff_get_404_and_no_point(client_as, pointed, other_property_staff):
    url = reverse("stewardship:report-detail", args=[pointed.pk])
    response = client_as(other_property_staff).get(url)
    assert response.status_code == 404 and b"114.2901" not in response.content


# --- in a browser ---------------------------------------------------------------------------


def assert_fits_the_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways ({width}px)"


@pytest.fixture
def outlined_report(city, jiangan_household, jiangan_contract):
    """A point in 铭新街小区, whose outline is now drawn, and the reporter's household code."""
    Compound.objects.filter(pk=city.jiangan_compound.pk).update(boundary=BOUNDARY)
    report = file_as(jiangan_household, city.jiangan_compound, **POINT)
    codes = issue_household_codes(
        actor=DEMO, compound=city.jiangan_compound, households=[jiangan_household]
    )
    return report, codes[jiangan_household.pk]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("property_staff")
def test_the_point_is_drawn_on_the_phone_and_on_the_workbench(
    phone_page, office_page, live_server, outlined_report
):
    report, household_code = outlined_report
    requests: list[str] = []
    phone = phone_page
    phone.on("request", lambda request: requests.append(request.url))
    office_page.on("request", lambda request: requests.append(request.url))

    phone.goto(live_server.url + "/portal/sign-in/")
    phone.get_by_label("住户码").fill(household_code)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url("**/portal/")
    phone.goto(live_server.url + reverse("stewardship-portal:report", args=[report.pk]))
    marker = phone.locator("#report-point-map path.report-point-marker")
    marker.wait_for()
    assert marker.is_visible()
    assert phone.locator("#report-point-map path").count() == 2  # the boundary and the point
    assert_fits_the_phone(phone)
    screenshot(phone, "stewardship-report-point")

    office = office_page
    office.goto(live_server.url + reverse("web:sign-in"))
    office.get_by_label("用户名").fill("property-staff")
    office.get_by_label("密码").fill(PASSWORD)
    office.get_by_role("button", name="登录").click()
    office.wait_for_url("**/workbench/")
    office.goto(live_server.url + reverse("stewardship:report-detail", args=[report.pk]))
    office.locator("#report-point-map path.report-point-marker").wait_for()
    assert office.locator("#report-point-map path.report-point-marker").is_visible()
    screenshot(office, "stewardship-report-point-workbench")
    assert_no_external_requests(phone, live_server.url, requests)
