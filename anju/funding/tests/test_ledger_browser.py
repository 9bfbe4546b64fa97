"""The project funding page in a real browser (issue 12's "Done when"): the district's officer
adds the missing line to a funding plan that falls short, confirms it once it adds up, and
posts a receipt; the page shows the plan against the approved total, the accounts by source
and the ledger. Screenshot: build/screenshots/funding-project.png."""

import datetime as dt
from decimal import Decimal

import pytest

from anju.conftest import PASSWORD
from anju.funding.models import FundingPlan, LedgerEntry
from anju.funding.services import ledger as services
from anju.testing.browser import screenshot

from .ledgering import confirm_progress, district_scope, matching_lines, post

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_plan_confirm_and_post_on_the_funding_page(
    live_server, office_page, jiangan_officer, jiangan_funded_project, power_company
):
    project = jiangan_funded_project
    lines = matching_lines(power_company)
    services.save_funding_plan(
        actor=None, scope=district_scope(project), project=project, lines=lines[:-1]
    )
    office = office_page
    office.goto(live_server.url + "/sign-in/")
    office.get_by_label("用户名").fill(jiangan_officer.username)
    office.get_by_label("密码").fill(PASSWORD)
    office.get_by_role("button", name="登录").click()
    office.goto(f"{live_server.url}/workbench/funding/projects/{project.pk}/")
    assert "还差30.00万元" in office.locator("#plan-mismatch").inner_text()

    office.locator("select[name=line-source]").select_option(label="居民直接出资")
    office.locator("input[name=line-amount]").fill("300000.00")
    office.locator("#plan-line-form button[type=submit]").click()
    office.locator("#plan-confirm").click()
    assert office.locator("#plan-status").inner_text() == "筹资方案已确认"
    assert FundingPlan.objects.get(project=project).status == FundingPlan.Status.CONFIRMED

    confirm_progress(project, "40")
    post(project, "commitment", "city_special", "100000.00", entry_date=dt.date(2027, 3, 1))
    post(project, "receipt", "utility", "100000.00", payer=power_company)
    office.locator("select[name=post-kind]").select_option("receipt")
    office.locator("select[name=post-source]").select_option(label="市级专项资金")
    office.locator("input[name=post-amount]").fill("80000.00")
    office.locator("#posting-form button[type=submit]").click()
    office.locator("select[name=post-kind]").select_option("disbursement")
    office.locator("select[name=post-source]").select_option(label="市级专项资金")
    office.locator("input[name=post-amount]").fill("60000.00")
    office.locator("input[name=post-payee]").fill("武汉建工集团")
    office.locator("#posting-form button[type=submit]").click()
    assert LedgerEntry.objects.filter(project=project).count() == 4
    assert "市级专项资金" in office.locator("#source-accounts").inner_text()
    assert Decimal("60000.00") == LedgerEntry.objects.get(kind="disbursement").amount
    office.goto(f"{live_server.url}/workbench/funding/projects/{project.pk}/")
    screenshot(office, "funding-project")
