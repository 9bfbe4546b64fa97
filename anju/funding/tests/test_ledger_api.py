"""The ledger API: bad postings answer 4xx with {"code","message","fields"} and write nothing;
a second reversal is 409; another district's project is 404."""

import pytest
from rest_framework.test import APIClient

from anju.funding.models import FundingPlan, LedgerEntry

from .ledgering import confirm_progress, confirmed_plan, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(jiangan_officer):
    client = APIClient()
    client.force_authenticate(jiangan_officer)
    return client


def base(project):
    return f"/api/v1/funding/projects/{project.pk}"


def test_put_and_confirm_a_plan(api, jiangan_funded_project, power_company):
    project = jiangan_funded_project
    lines = [
        {"source": "city_special", "amount": "150000.00"},
        {"source": "utility", "amount": "100000.00", "payer": power_company.pk},
    ]
    answer = api.put(f"{base(project)}/plan/", {"lines": lines}, format="json")
    assert answer.status_code == 200
    assert answer.json()["shortfall"] == "300000.00"
    refused = api.post(f"{base(project)}/plan/confirm/")
    assert refused.status_code == 400
    assert refused.json()["code"] == "plan_does_not_add_up"
    assert "30.00万元" in refused.json()["message"]
    lines.append({"source": "residents_direct", "amount": "300000.00"})
    api.put(f"{base(project)}/plan/", {"lines": lines}, format="json")
    confirmed = api.post(f"{base(project)}/plan/confirm/")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"


def test_bad_postings_answer_4xx_and_write_nothing(api, jiangan_funded_project, power_company):
    project = jiangan_funded_project
    confirmed_plan(project, power_company)
    url = f"{base(project)}/entries/"
    negative = api.post(
        url, {"kind": "receipt", "source": "city_special", "amount": "-5.00"}, format="json"
    )
    assert negative.status_code == 400 and negative.json()["code"] == "amount_not_positive"
    overspent = api.post(
        url,
        {"kind": "disbursement", "source": "city_special", "amount": "5.00", "payee": "施工单位"},
        format="json",
    )
    assert overspent.status_code == 400 and overspent.json()["code"] == "overspending_source"
    assert not LedgerEntry.objects.exists()


def test_post_list_accounts_and_reverse_once(api, jiangan_funded_project, power_company):
    project = jiangan_funded_project
    confirmed_plan(project, power_company)
    confirm_progress(project, "50")
    created = api.post(
        f"{base(project)}/entries/",
        {"kind": "receipt", "source": "city_special", "amount": "80000.00"},
        format="json",
    )
    assert created.status_code == 201
    entry_id = created.json()["id"]
    listed = api.get(f"{base(project)}/entries/").json()
    assert listed["count"] == 1
    accounts = api.get(f"{base(project)}/accounts/").json()
    assert accounts == [
        {
            "source": "city_special",
            "source_name": "市级专项资金",
            "committed": "0.00",
            "received": "80000.00",
            "disbursed": "0.00",
            "available": "80000.00",
        }
    ]
    reverse_url = f"{base(project)}/entries/{entry_id}/reverse/"
    assert api.post(reverse_url, {"reason": "误录"}, format="json").status_code == 201
    again = api.post(reverse_url, {"reason": "再冲"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_reversed"


def test_posting_to_an_unapproved_project_is_refused(api, jiangan_funded_project):
    from anju.territory.models import Stage

    project = jiangan_funded_project
    project.stage = Stage.PLANNED
    project.save(update_fields=["stage"])
    answer = api.put(
        f"{base(project)}/plan/",
        {"lines": [{"source": "city_special", "amount": "1.00"}]},
        format="json",
    )
    assert answer.status_code == 400 and answer.json()["code"] == "project_not_approved"
    assert not FundingPlan.objects.exists()


def test_totals_and_another_districts_project(
    api, jiangan_funded_project, wuchang_funded_project, power_company
):
    confirmed_plan(jiangan_funded_project, power_company)
    post(jiangan_funded_project, "receipt", "city_special", "1000.00")
    totals = api.get("/api/v1/funding/totals/?by=group").json()
    assert totals["total"]["received"] == "1000.00"
    assert totals["rows"][0]["code"] == "government"
    assert api.get(f"{base(wuchang_funded_project)}/plan/").status_code == 404
