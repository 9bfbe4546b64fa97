"""One compound, one plan, in a real browser (issue 9, "Done when"): the district assigns a
designer on the project page; the designer surveys (with a photo), builds and prices plan v1
and answers the residents' needs; the district fills the management scheme and publishes the
notice; a resident reads it on a phone and objects; staff answer in public; once the period
is over the district submits the plan for joint review, records the permits and assigns the
reviewer, who approves for each department; the project reaches 联合审查 with the plan's
total as its estimated cost. The notice PDF is rendered to PNG with its Chinese text.

Screenshots: build/screenshots/design-*.png."""

import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from PIL import Image

from anju.access.codes import issue_household_codes
from anju.access.models import Role
from anju.catalogue import services as catalogue
from anju.conftest import PASSWORD, make_user
from anju.core.actors import DEMO
from anju.core.calendar import today
from anju.design.management.commands.demo_design import demo_prices
from anju.design.models import Notice
from anju.design.selectors.plans import plan_total
from anju.design.tests.conftest import make_project
from anju.design.tests.planning_helpers import CITY, ask_needs
from anju.planning.models import AnnualPlan, AnnualPlanStatus, FiveYearPlan
from anju.territory.models import Stage
from anju.testing.browser import OFFICE, PHONE, SCREENSHOTS, assert_no_external_requests, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def project(city):
    """An approved 2027 project of 铭新街小区 with the demo's 2027 prices published and a
    closed needs campaign (屋面 and 加装电梯 asked most, then 照明)."""
    five = FiveYearPlan.objects.create(
        name="十五五", start_year=2026, end_year=2030, node=city.city
    )
    plan = AnnualPlan.objects.create(
        five_year_plan=five, year=2027, status=AnnualPlanStatus.APPROVED
    )
    price_list = catalogue.create_price_list(
        actor=DEMO, scope=CITY, year=2027, note="安居演示单价", prices=demo_prices()
    )
    catalogue.publish_price_list(actor=DEMO, scope=CITY, price_list=price_list)
    compound = city.jiangan_compound
    ask_needs(city.jiangan, compound, [["B14", "I13"], ["B14", "I03"], ["I13", "B14"], ["I03"]])
    return make_project(plan, city.jiangan, compound, "2027-420102-001")


def new_page(browser, viewport=OFFICE, **options):
    context = browser.new_context(viewport=viewport, locale="zh-CN", **options)
    return context.new_page()


def sign_in(browser, live_server, username):
    page = new_page(browser)
    page.goto(live_server.url + "/sign-in/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/")
    return page


def jpeg_photo(path):
    """A small photo of a stained roof, as a phone would take it."""
    image = Image.new("RGB", (640, 480), (150, 150, 145))
    for x in range(200, 420):
        for y in range(150, 260):
            image.putpixel((x, y), (90, 80, 60))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    path.write_bytes(buffer.getvalue())
    return path


def select_by_text(page, selector, text):
    """Choose the option of `selector` whose label contains `text`."""
    options = page.locator(f"{selector} option")
    for index in range(options.count()):
        if text in options.nth(index).inner_text():
            return page.select_option(selector, value=options.nth(index).get_attribute("value"))
    raise AssertionError(f"no option with {text!r} in {selector}")


@pytest.mark.usefixtures("jiangan_officer", "designer")
def test_one_compound_one_plan_from_assignment_to_approval(
    browser, live_server, city, project, tmp_path
):
    reviewer = make_user("reviewer", Role.DEPARTMENT_REVIEWER, node=city.jiangan)
    project_url = f"{live_server.url}/workbench/projects/{project.pk}/"
    compound = city.jiangan_compound

    # --- the district assigns the designer on the project page ---
    district = sign_in(browser, live_server, "jiangan-officer")
    requests: list[str] = []
    district.on("request", lambda request: requests.append(request.url))
    district.goto(project_url)
    district.locator("#assign summary").click()
    select_by_text(district, "#assign select[name=organisation]", "中南设计院")
    district.select_option("#assign select[name=role]", "designer")
    district.locator("#assign").get_by_role("button", name="委托").click()
    district.wait_for_selector("#project-assignments >> text=中南设计院")
    screenshot(district, "design-assign")

    # --- the designer surveys, with a photo ---
    firm = sign_in(browser, live_server, "designer")
    firm.goto(project_url)
    firm.get_by_role("link", name="开始摸底调查").click()
    form = firm.locator("#add-finding")
    select_by_text(firm, "#add-finding select[name=compound]", compound.name)
    select_by_text(firm, "#add-finding select[name=checklist_item]", "屋面渗漏")
    firm.select_option("#add-finding select[name=severity]", index=2)
    form.locator("textarea[name=note]").fill("顶层 6 户反映雨季渗水，防水层老化开裂。")
    form.locator("input[name=photos]").set_input_files(str(jpeg_photo(tmp_path / "roof.jpg")))
    form.get_by_role("button", name="记录").click()
    firm.wait_for_selector("[data-finding] img")
    assert "顶层 6 户反映雨季渗水" in firm.content()
    screenshot(firm, "design-survey")

    # --- plan v1: priced items, the residents' needs answered ---
    firm.goto(project_url)
    firm.get_by_role("button", name="开始编制方案").click()
    firm.wait_for_url("**/versions/*/")
    for item, quantity in (("屋面修缮", "1200"), ("加装电梯", "2")):
        select_by_text(firm, "form[action$='/items/'] select[name=compound]", compound.name)
        select_by_text(firm, "form[action$='/items/'] select[name=item]", item)
        firm.fill("input[name=quantity]", quantity)
        firm.get_by_role("button", name="增加", exact=True).click()
        firm.wait_for_selector(f"td:has-text('{item}')")
    lighting = firm.locator("tr", has_text="照明").filter(has=firm.locator("input[name=reason]"))
    lighting.locator("input[name=reason]").fill("已由市政路灯改造覆盖，本次不重复列支")
    lighting.get_by_role("button", name="保存").click()
    firm.wait_for_selector("text=已由市政路灯改造覆盖")
    assert "未回应" not in firm.content()
    expected_total = Decimal("1200") * Decimal("180") + 2 * Decimal("550000")
    assert "131.60万元" in firm.locator("#plan-total").inner_text()
    screenshot(firm, "design-plan-version")

    # --- the district fills the management scheme; the designer marks the plan ready ---
    district.goto(project_url)
    district.locator("#project-plans summary", has_text="长效管理方案").click()
    scheme = district.locator("form[action$='/schemes/']")
    select_by_text(district, "form[action$='/schemes/'] select[name=compound]", compound.name)
    scheme.locator("select[name=management_model]").select_option(index=1)
    scheme.locator("input[name=yearly_upkeep_budget]").fill("36000")
    scheme.get_by_role("button", name="保存").click()
    district.wait_for_selector("#project-plans >> text=年度维护经费")
    firm.goto(project_url)
    firm.get_by_role("button", name="方案编制完成").click()
    firm.wait_for_selector("h1 >> text=一小区一方案")
    screenshot(firm, "design-plan-ready")

    # --- the district publishes the notice ---
    district.goto(project_url)
    district.get_by_role("link", name="公示第 1 版方案").click()
    screenshot(district, "design-notice-publish")
    district.get_by_role("button", name="发布公示").click()
    district.wait_for_selector("text=公示中")
    notice = Notice.objects.get()

    # --- a resident reads it on a phone and objects ---
    household = compound.households.order_by("room").first()
    code = issue_household_codes(actor=DEMO, compound=compound, households=[household])
    resident = new_page(
        browser, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    resident.goto(live_server.url + "/portal/sign-in/")
    resident.get_by_label("住户码").fill(code[household.pk])
    resident.get_by_role("button", name="登录").click()
    resident.wait_for_url("**/portal/")
    link = resident.get_by_role("link", name="查看方案公示")
    if link.count():
        link.click()
    else:
        resident.goto(live_server.url + "/portal/plan/notice/")
    resident.wait_for_selector("text=改造方案公示")
    assert "居民出资部分" in resident.content() and "加装电梯" in resident.content()
    width = resident.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the notice scrolls sideways ({width}px)"
    screenshot(resident, "design-portal-notice")
    resident.locator("label.big-option", has_text="异议").click()
    resident.locator("textarea[name=text]").fill("2栋加装电梯会挡住一楼采光，请说明如何补偿。")
    resident.get_by_role("button", name="提交").click()
    resident.wait_for_selector("text=等待答复")
    screenshot(resident, "design-portal-objection")

    # --- staff answer it publicly ---
    district.goto(f"{live_server.url}/workbench/projects/notices/{notice.pk}/")
    district.locator("textarea[name$=answer]").fill(
        "电梯井道位于楼梯间北侧，经日照分析一楼冬至日照不少于 2 小时；如有影响将按协议补偿。"
    )
    district.get_by_role("button", name="公开答复").click()
    district.wait_for_selector("text=冬至日照")
    screenshot(district, "design-notice-answered")
    resident.reload()
    assert "冬至日照" in resident.content()
    screenshot(resident, "design-portal-answered")

    # --- the notice PDF, rendered ---
    pdf = district.request.get(f"{project_url}notice.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf_path = SCREENSHOTS / "design-notice.pdf"
    pdf_path.write_bytes(pdf.body())
    pdftoppm, pdftotext = shutil.which("pdftoppm"), shutil.which("pdftotext")
    if pdftoppm and pdftotext:
        subprocess.run(
            [pdftoppm, "-png", "-r", "80", "-singlefile", str(pdf_path),
             str(SCREENSHOTS / "design-notice-pdf")],
            check=True,
        )  # fmt: skip
        text = subprocess.run(
            [pdftotext, str(pdf_path), "-"], check=True, capture_output=True, text=True
        ).stdout
        assert compound.name in text and "加装电梯" in text

    # --- after the notice period: submit, permits, reviewers ---
    Notice.objects.filter(pk=notice.pk).update(
        opens_on=today() - dt.timedelta(days=14), closes_on=today() - dt.timedelta(days=1)
    )
    district.goto(project_url)
    district.locator("#review-submit-confirm").check()
    district.get_by_role("button", name="提交联合审查").click()
    district.wait_for_selector("text=参加审查的部门")
    for procedure, number in (
        ("approval", "岸发改〔2027〕12号"),
        ("planning_permit", "建字第2027-031号"),
    ):
        district.fill(f"#permit-{procedure}-number", number)
        district.fill(f"#permit-{procedure}-date", today().isoformat())
        district.locator(f"form[action$='/permits/{procedure}/']").get_by_role(
            "button", name="登记"
        ).click()
        district.wait_for_selector(f"text={number}")
    departments = district.locator("#review-assign-department option")
    codes = [departments.nth(i).get_attribute("value") for i in range(departments.count())]
    assert {"housing", "planning", "fire"} <= set(codes)
    for department in codes:
        district.select_option("#review-assign-department", department)
        district.select_option("#review-assign-reviewer", reviewer.username)
        district.get_by_role("button", name="指派审查人").click()
        district.wait_for_selector("#project-review")
    screenshot(district, "design-review-organised")

    # --- the reviewer approves for each department ---
    desk = sign_in(browser, live_server, "reviewer")
    desk.goto(f"{live_server.url}/workbench/projects/reviews/mine/")
    screenshot(desk, "design-review-mine")
    for _department in codes:
        card = desk.locator(".card").first
        card.get_by_label("同意").check()
        card.get_by_role("button", name="提交审查意见").click()
        desk.wait_for_load_state()
    assert "目前没有等待您审查的方案" in desk.content()

    # --- the project is approved, at the plan's cost ---
    project.refresh_from_db()
    assert project.stage == Stage.APPROVED
    assert project.estimated_cost == expected_total == plan_total(project.plan_versions.get())
    district.goto(project_url)
    assert "联合审查" in district.locator("h1").inner_text()
    assert "131.60万元" in district.content()
    screenshot(district, "design-project-approved")
    assert_no_external_requests(district, live_server.url, requests)
