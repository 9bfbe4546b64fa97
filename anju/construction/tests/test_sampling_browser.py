"""The satisfaction check in a real browser: the district draws the sample of an accepted
project and reads the formula, allocation and seed; a sampled resident answers on a phone;
a resident outside the sample is told so. Screenshots: build/screenshots/construction-
sampling-*.png (Debian's chromium through the shared fixtures of anju/testing/browser.py)."""

import pytest

from anju.access.codes import issue_household_codes
from anju.conftest import PASSWORD
from anju.construction.models import SampledHousehold, SatisfactionAnswer
from anju.core.actors import DEMO
from anju.territory.models import Household
from anju.testing.browser import PHONE, screenshot

from .sampling import accept, grow_compound

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def resident_page(browser, live_server):
    """Signs a household in on its own phone (a context of the shared browser, closed after)."""
    contexts = []

    def sign_in(compound, household):
        code = issue_household_codes(actor=DEMO, compound=compound, households=[household])
        context = browser.new_context(
            viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True, device_scale_factor=2
        )
        contexts.append(context)
        page = context.new_page()
        page.goto(live_server.url + "/portal/sign-in/")
        page.get_by_label("住户码").fill(code[household.pk])
        page.get_by_role("button", name="登录").click()
        page.wait_for_url("**/portal/")
        return page

    yield sign_in
    for context in contexts:
        context.close()


def test_district_draws_and_a_sampled_resident_answers_in_the_browser(  # noqa: PLR0917 (fixtures)
    office_page, resident_page, live_server, city, approved_project, jiangan_officer
):
    grow_compound(city.jiangan_compound)
    project = accept(approved_project)

    office = office_page
    office.goto(live_server.url + "/sign-in/")
    office.get_by_label("用户名").fill(jiangan_officer.username)
    office.get_by_label("密码").fill(PASSWORD)
    office.get_by_role("button", name="登录").click()
    office.wait_for_url("**/workbench/")
    office.goto(f"{live_server.url}/workbench/construction/projects/{project.pk}/sampling/")
    office.locator("input[name=margin]").fill("0.2")
    office.get_by_role("button", name="抽取样本").click()
    office.wait_for_selector("[data-seed]")
    text = office.content()
    assert "n = 24.01 / (1 + (24.01 − 1) / 32) = 13.97 → 14" in text
    assert office.locator("[data-allocation] tbody tr").count() == 3
    screenshot(office, "construction-sampling-page")

    sampled = SampledHousehold.objects.select_related("household").order_by("rank_key").first()
    resident = resident_page(city.jiangan_compound, sampled.household)
    resident.goto(live_server.url + "/portal/construction/satisfaction/")
    resident.get_by_role("link", name="去评价").click()
    for name, score in (("overall", "5"), ("quality", "4"), ("conduct", "4")):
        resident.locator(f"input[name={name}][value='{score}']").check()
    resident.locator("textarea[name=comment]").fill("楼道干净了，谢谢施工队。")
    screenshot(resident, "construction-sampling-portal-form")
    resident.get_by_role("button", name="提交评价").click()
    resident.wait_for_selector("[data-answer]")
    width = resident.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the answer page scrolls sideways ({width}px)"
    screenshot(resident, "construction-sampling-portal-done")
    answer = SatisfactionAnswer.objects.get()
    assert (answer.household, answer.overall, answer.channel) == (sampled.household, 5, "portal")

    drawn = SampledHousehold.objects.values("household_id")
    outsider = (
        Household.objects.filter(compound=city.jiangan_compound, is_developer_unsold=False)
        .exclude(pk__in=drawn)
        .first()
    )
    other = resident_page(city.jiangan_compound, outsider)
    other.goto(f"{live_server.url}/portal/construction/satisfaction/{answer.survey_id}/")
    other.wait_for_selector("[data-refusal]")
    assert "不在本次满意度测评的随机样本中" in other.content()
    screenshot(other, "construction-sampling-portal-refused")
    assert SatisfactionAnswer.objects.count() == 1

    office.goto(f"{live_server.url}/workbench/construction/satisfaction/")
    assert "92.9%" in office.content()  # 13 of 14 sampled households have not answered
    screenshot(office, "construction-sampling-overview")
