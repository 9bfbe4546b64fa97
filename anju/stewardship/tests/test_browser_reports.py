"""A problem report handled to the end, in a real browser (issue 10's "Done when"): a resident
signs in on a phone with the household code, reports clutter in the stairwell with a photo and
a point on the compound's map (a neighbour's similar report is suggested first), the property
company accepts it, starts and resolves it with a photo of the fix on the workbench, and the
resident reads every step and confirms with a rating. Screenshots go to build/screenshots/
(stewardship-report-*.png)."""

import datetime as dt

import pytest
from django.urls import reverse
from PIL import Image

from anju.access.codes import issue_household_codes
from anju.access.scope import scope_for_household
from anju.conftest import PASSWORD
from anju.core.actors import DEMO
from anju.stewardship.models import Channel, ProblemReport, ReportCategory, ReportStep, Status
from anju.stewardship.services import reports as services
from anju.testing.browser import PHONE, assert_no_external_requests, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def resident(city, jiangan_contract):
    """The first household of 铭新街小区 (served by the property company) and its code."""
    household = city.jiangan_compound.households.order_by("room").first()
    codes = issue_household_codes(
        actor=DEMO, compound=city.jiangan_compound, households=[household]
    )
    return household, codes[household.pk]


@pytest.fixture
def neighbours_report(city, resident):
    """A neighbour reported boxes in the same building yesterday (suggested as a duplicate)."""
    household, _ = resident
    neighbour = city.jiangan_compound.households.exclude(pk=household.pk).first()
    report = services.file_report(
        actor=None,
        scope=scope_for_household(neighbour),
        compound=city.jiangan_compound,
        category=ReportCategory.objects.get(code="clutter"),
        description="1栋一楼大厅堆了旧家具",
        channel=Channel.PORTAL,
        building=city.jiangan_compound.buildings.get(),
    )
    ProblemReport.objects.filter(pk=report.pk).update(
        submitted_at=report.submitted_at - dt.timedelta(days=1)
    )
    return report


@pytest.fixture
def photos(tmp_path):
    problem = tmp_path / "stairwell.jpg"
    Image.new("RGB", (160, 120), (150, 120, 100)).save(problem, format="JPEG")
    fixed = tmp_path / "cleared.jpg"
    Image.new("RGB", (160, 120), (200, 210, 200)).save(fixed, format="JPEG")
    return problem, fixed


def assert_fits_the_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways ({width}px)"


def wait_for_photo(page, selector: str) -> int:
    """The thumbnail's natural width once decoded (0 while loading)."""
    return page.locator(selector).first.evaluate("img => img.decode().then(() => img.naturalWidth)")


@pytest.fixture
def journey(resident, neighbours_report, property_staff, property_company, photos):
    household, household_code = resident
    return {
        "household": household,
        "code": household_code,
        "neighbours_report": neighbours_report,
        "company": property_company,
        "photos": photos,
    }


def test_a_resident_reports_the_company_handles_and_the_resident_confirms(
    phone_page,
    office_page,
    live_server,
    journey,
):
    household, household_code = journey["household"], journey["code"]
    neighbours_report = journey["neighbours_report"]
    problem_photo, fixed_photo = journey["photos"]
    requests: list[str] = []
    phone = phone_page
    phone.on("request", lambda request: requests.append(request.url))
    office_page.on("request", lambda request: requests.append(request.url))

    # --- the resident reports on the phone ---
    phone.goto(live_server.url + "/portal/sign-in/")
    phone.get_by_label("住户码").fill(household_code)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url("**/portal/")
    phone.get_by_role("link", name="报告问题").click()
    phone.wait_for_url("**/portal/stewardship/")
    phone.get_by_role("link", name="报告问题").click()
    phone.wait_for_url("**/portal/stewardship/new/")
    phone.wait_for_selector("#report-map .leaflet-interactive")

    phone.get_by_label("乱堆乱放").check()
    phone.get_by_label("问题描述").fill("1栋3楼楼道堆满纸箱和旧自行车，晚上看不清容易绊倒。")
    phone.get_by_label("楼栋", exact=True).select_option(label="1栋")
    map_area = phone.locator("#report-map")
    box = map_area.bounding_box()
    map_area.click(position={"x": box["width"] / 2 + 12, "y": box["height"] / 2 + 12})
    phone.get_by_text("已标出位置").wait_for()
    phone.get_by_label("照片（最多 3 张）").set_input_files(str(problem_photo))
    suggestion = phone.get_by_text("1栋一楼大厅堆了旧家具")
    suggestion.wait_for()
    assert phone.get_by_role("link", name="这是同一个问题，去看看").is_visible()
    assert_fits_the_phone(phone)
    screenshot(phone, "stewardship-report-form")

    phone.get_by_role("button", name="提交报告").click()
    phone.get_by_text("办理过程").wait_for()
    assert "已提交，编号" in phone.content()
    report = ProblemReport.objects.exclude(pk=neighbours_report.pk).get()
    assert report.household_id == household.pk and report.status == Status.SUBMITTED
    assert report.building is not None and report.longitude is not None
    assert report.handler_organisation == journey["company"]
    assert report.photos.count() == 1
    assert wait_for_photo(phone, ".photo-thumbs img") == 160
    assert_fits_the_phone(phone)

    # --- the property company handles it on the workbench ---
    office = office_page
    office.goto(live_server.url + reverse("web:sign-in"))
    office.get_by_label("用户名").fill("property-staff")
    office.get_by_label("密码").fill(PASSWORD)
    office.get_by_role("button", name="登录").click()
    office.wait_for_url("**/workbench/")
    office.get_by_role("button", name="长效").click()  # the menu groups pages by movement
    office.get_by_role("link", name="问题报告").first.click()
    office.wait_for_url("**/workbench/stewardship/reports/")
    assert neighbours_report.number in office.content()
    office.get_by_role("link", name=report.number).click()
    office.get_by_role("heading", name="现在可以办理").wait_for()
    assert office.get_by_role("button", name="开始处理").count() == 0  # one step at a time

    office.get_by_role("button", name="受理", exact=True).click()
    office.get_by_text("已更新为“已受理”").wait_for()
    office.get_by_label("说明（办结时写明处理结果；重新打开时写明原因）").fill("已通知保洁明早清理")
    office.get_by_role("button", name="开始处理").click()
    office.get_by_text("已更新为“处理中”").wait_for()
    office.get_by_label("说明（办结时写明处理结果；重新打开时写明原因）").fill(
        "纸箱已清运，旧自行车移到车棚，楼道已打扫。"
    )
    office.get_by_label("处理照片（最多 3 张）").set_input_files(str(fixed_photo))
    office.get_by_role("button", name="办结", exact=True).click()
    office.get_by_text("已更新为“已办结”").wait_for()
    assert office.get_by_role("button", name="受理", exact=True).count() == 0
    assert "等待报告人确认" in office.content()
    assert wait_for_photo(office, ".report-timeline .photo-thumbs img") == 160
    screenshot(office, "stewardship-report-workbench")

    # --- the resident reads every step and confirms with a rating ---
    phone.reload()
    phone.get_by_role("heading", name="问题解决了吗？").wait_for()
    timeline = phone.locator(".report-timeline").inner_text()
    for words in ("已提交", "已受理", "已通知保洁明早清理", "开始处理", "已办结", "纸箱已清运"):
        assert words in timeline, words
    assert "property-staff" not in phone.content()  # residents do not see staff accounts
    phone.locator("label[for=rating-4]").click()
    phone.get_by_label("评价意见（选填）").fill("处理得很快，谢谢！")
    phone.get_by_role("button", name="已解决，确认并评价").click()
    phone.get_by_text("谢谢您的评价").wait_for()
    timeline = phone.locator(".report-timeline").inner_text()
    assert "报告人确认解决" in timeline
    assert "★★★★☆" in phone.content()
    assert phone.get_by_role("heading", name="问题解决了吗？").count() == 0
    assert_fits_the_phone(phone)
    screenshot(phone, "stewardship-report-timeline")

    report.refresh_from_db()
    assert report.status == Status.CONFIRMED and report.rating == 4
    assert report.rating_comment == "处理得很快，谢谢！"
    kinds = list(ReportStep.objects.filter(report=report).values_list("kind", "to_status"))
    assert kinds[:5] == [
        ("submitted", "submitted"),
        ("status", "accepted"),
        ("status", "in_progress"),
        ("status", "resolved"),
        ("status", "confirmed"),
    ]
    assert_no_external_requests(phone, live_server.url, requests)
