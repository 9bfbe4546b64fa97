"""The construction notice in a real browser: the district officer publishes it from the
project's construction hub (screenshot construction-project.png), anyone opens the public page
on a phone (construction-notice.png), and a resident of the compound signs in from it, comes
back to the complaint form and files a complaint that the supervision unit handles."""

import datetime as dt

import pytest

from anju.access.codes import issue_household_codes
from anju.conftest import PASSWORD
from anju.core.actors import DEMO
from anju.stewardship.models import ProblemReport
from anju.testing.browser import PHONE, screenshot

from .delivering import on_day, report_week
from .noticing import NOTICE_TEXT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_publish_read_on_a_phone_and_complain(  # noqa: PLR0917 (fixtures)
    office_page,
    phone_page,
    live_server,
    monkeypatch,
    building_project,
    jiangan_officer,
    builder,
    supervisor,
    project_household,
    supervisor_firm,
):
    project = building_project
    on_day(monkeypatch, dt.date(2027, 5, 9))
    report_week(
        project,
        builder=builder,
        week_ending=dt.date(2027, 5, 9),
        percents={"屋面防水": 60, "外墙保温": 20},
        confirm_by=supervisor,
    )

    office = office_page
    office.goto(live_server.url + "/sign-in/")
    office.get_by_label("用户名").fill(jiangan_officer.username)
    office.get_by_label("密码").fill(PASSWORD)
    office.get_by_role("button", name="登录").click()
    office.wait_for_url("**/workbench/")
    office.goto(f"{live_server.url}/workbench/construction/projects/{project.pk}/")
    office.locator("#notice-edit-link").click()
    office.locator("textarea[name=scope_summary]").fill(NOTICE_TEXT["scope_summary"])
    office.locator("input[name=working_hours]").fill(NOTICE_TEXT["working_hours"])
    office.locator("input[name=complaint_phone]").fill(NOTICE_TEXT["complaint_phone"])
    office.locator("input[name=safety_note]").fill(NOTICE_TEXT["safety_note"])
    office.get_by_role("button", name="发布公示").click()
    office.wait_for_selector("#notice-published")
    assert "027-82881234" in office.locator("#notice-panel").inner_text()
    screenshot(office, "construction-project")

    phone = phone_page
    phone.goto(f"{live_server.url}/portal/construction/notices/{project.pk}/")
    text = phone.locator("main").inner_text()
    assert "江城工程监理有限公司" in text and "13807100002" in text
    assert "监理确认" in text  # the confirmed progress: 0.3·60 + 0.5·20 = 28%
    assert "28.0%" in text
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the notice scrolls sideways ({width}px)"
    screenshot(phone, "construction-notice")

    code = issue_household_codes(
        actor=DEMO, compound=project_household.compound, households=[project_household]
    )[project_household.pk]
    phone.locator("#complain-sign-in").click()
    phone.wait_for_url("**/portal/sign-in/")
    phone.get_by_label("住户码").fill(code)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url(f"**/portal/construction/notices/{project.pk}/complain/")
    phone.locator("label.big-option", has_text="噪声扰民").click()
    phone.locator("textarea[name=description]").fill("晚上九点后还在切割钢材，很吵。")
    phone.get_by_role("button", name="提交投诉").click()
    phone.wait_for_url("**/portal/stewardship/reports/*/")
    report = ProblemReport.objects.get()
    assert report.channel == "construction_notice"
    assert report.handler_organisation_id == supervisor_firm.pk
    assert report.number in phone.content()
    phone.goto(f"{live_server.url}/portal/construction/notices/{project.pk}/")
    assert report.number in phone.locator("#notice-complaints").inner_text()
    screenshot(phone, "construction-notice-complained")
