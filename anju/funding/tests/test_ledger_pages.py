"""The project funding page and its forms: the shortfall shown until the plan adds up, bad
postings answered 400 on the page with nothing written, another district's project 404."""

from decimal import Decimal

import pytest
from django.urls import reverse

from anju.funding.models import FundingPlan, LedgerEntry
from anju.territory.models import Stage

from .ledgering import confirm_progress, confirmed_plan, post, source

pytestmark = pytest.mark.django_db


@pytest.fixture
def jiangan_client(client, jiangan_officer):
    client.force_login(jiangan_officer)
    return client


def test_the_page_shows_the_shortfall_until_the_plan_adds_up(
    jiangan_client, jiangan_funded_project
):
    project = jiangan_funded_project
    url = reverse("funding:project", kwargs={"pk": project.pk})
    page = jiangan_client.get(url)
    assert page.status_code == 200
    assert "55.00万元" in page.content.decode()  # the approved total, all of it missing
    add = reverse("funding:plan-line-add", kwargs={"pk": project.pk})
    answer = jiangan_client.post(
        add, {"line-source": source("city_special").pk, "line-amount": "500000.00"}
    )
    assert answer.status_code == 302
    text = jiangan_client.get(url).content.decode()
    assert "还差5.00万元" in text
    refused = jiangan_client.post(reverse("funding:plan-confirm", kwargs={"pk": project.pk}))
    assert refused.status_code == 400
    assert "还差5.00万元" in refused.content.decode()
    assert FundingPlan.objects.get(project=project).status == FundingPlan.Status.DRAFT
    jiangan_client.post(add, {"line-source": source("district_fiscal").pk, "line-amount": "50000"})
    confirmed = jiangan_client.post(reverse("funding:plan-confirm", kwargs={"pk": project.pk}))
    assert confirmed.status_code == 302
    assert FundingPlan.objects.get(project=project).status == FundingPlan.Status.CONFIRMED
    assert "plan-mismatch" not in jiangan_client.get(url).content.decode()


@pytest.mark.parametrize("amount", ["-100.00", "0"])
def test_a_negative_posting_is_refused_on_the_page(
    jiangan_client, jiangan_funded_project, power_company, amount
):
    project = jiangan_funded_project
    confirmed_plan(project, power_company)
    answer = jiangan_client.post(
        reverse("funding:post", kwargs={"pk": project.pk}),
        {"post-kind": "receipt", "post-source": source("city_special").pk, "post-amount": amount},
    )
    assert answer.status_code == 400
    assert "必须大于零" in answer.content.decode()
    assert not LedgerEntry.objects.exists()


def test_overspending_a_source_is_refused_on_the_page(
    jiangan_client, jiangan_funded_project, power_company
):
    project = jiangan_funded_project
    confirmed_plan(project, power_company)
    confirm_progress(project, "100")
    post(project, "receipt", "city_special", "1000.00")
    answer = jiangan_client.post(
        reverse("funding:post", kwargs={"pk": project.pk}),
        {
            "post-kind": "disbursement",
            "post-source": source("city_special").pk,
            "post-amount": "1000.01",
            "post-payee": "武汉建工集团",
        },
    )
    assert answer.status_code == 400
    assert "超支" in answer.content.decode()
    assert LedgerEntry.objects.filter(kind="disbursement").count() == 0


def test_an_unapproved_project_says_why_and_takes_no_postings(
    jiangan_client, jiangan_funded_project
):
    project = jiangan_funded_project
    project.stage = Stage.DESIGNED
    project.save(update_fields=["stage"])
    page = jiangan_client.get(reverse("funding:project", kwargs={"pk": project.pk}))
    assert page.status_code == 200 and "not-approved" in page.content.decode()
    answer = jiangan_client.post(
        reverse("funding:plan-line-add", kwargs={"pk": project.pk}),
        {"line-source": source("city_special").pk, "line-amount": "100"},
    )
    assert answer.status_code == 400
    assert not FundingPlan.objects.exists()


def test_reversing_on_the_page_once(jiangan_client, jiangan_funded_project, power_company):
    project = jiangan_funded_project
    confirmed_plan(project, power_company)
    receipt = post(project, "receipt", "city_special", "1000.00")
    url = reverse("funding:reverse", kwargs={"pk": project.pk, "entry_id": receipt.pk})
    assert jiangan_client.post(url, {"reason": "误录"}).status_code == 302
    assert jiangan_client.post(url, {"reason": "再冲"}).status_code == 400
    assert LedgerEntry.objects.filter(reverses=receipt).count() == 1


def test_another_districts_funding_page_is_not_found(jiangan_client, wuchang_funded_project):
    url = reverse("funding:project", kwargs={"pk": wuchang_funded_project.pk})
    assert jiangan_client.get(url).status_code == 404


def test_the_ledger_exports_as_xlsx(jiangan_client, jiangan_funded_project, power_company):
    from anju.core.excel import read_excel_bytes

    project = jiangan_funded_project
    confirmed_plan(project, power_company)
    entry = post(project, "receipt", "city_special", "1234.56")
    answer = jiangan_client.get(reverse("funding:ledger-export", kwargs={"pk": project.pk}))
    book = read_excel_bytes(answer.content)
    rows = book.sheets[book.names[0]].rows
    assert rows[1][0] == entry.number and Decimal(str(rows[1][4])) == Decimal("1234.56")


def test_the_sources_page_lists_the_groups_and_the_city_office_switches_one_off(
    client, city_officer, jiangan_officer
):
    client.force_login(city_officer)
    page = client.get(reverse("funding:sources"))
    assert "中央补助资金" in page.content.decode() and "专营单位" in page.content.decode()
    greening = source("greening")
    toggle = reverse("funding:source-toggle", kwargs={"pk": greening.pk})
    assert client.post(toggle, {"is_active": "0"}).status_code == 302
    greening.refresh_from_db()
    assert not greening.is_active
    client.force_login(jiangan_officer)
    assert client.post(toggle, {"is_active": "1"}).status_code == 403
    greening.refresh_from_db()
    assert not greening.is_active
