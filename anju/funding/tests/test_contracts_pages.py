"""Contract and loan pages and API: a district officer records, reads the payback chart and
table; another district's project is refused with 4xx and nothing written; another district
answers 404."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from ..models import ContractFlow, InvestmentContract, Loan, RevenueRight
from .contracting import contract_over, enterprise, loan_for

pytestmark = pytest.mark.django_db


def contract_post(project_ids, **changes):
    data = {
        "number": "JA-IRM-001",
        "name": "停车楼投改管一体",
        "kind": "irm",
        "enterprise": enterprise().pk,
        "projects": project_ids,
        "investment_committed": "77000000.00",
        "signed_on": "2024-03-01",
        "term_years": "25",
        "obligations": "投资建设停车楼并运营。",
    }
    data.update(changes)
    return data


def test_a_district_officer_records_a_contract_and_reads_its_payback(
    client_as, jiangan_officer, jiangan_funded_project
):
    client = client_as(jiangan_officer)
    response = client.post(
        reverse("funding:contract-create"), contract_post([jiangan_funded_project.pk])
    )
    contract = InvestmentContract.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "funding:contract-detail", args=[contract.pk]
    )
    client.post(
        reverse("funding:contract-right-add", args=[contract.pk]),
        {"kind": "parking", "expected_yearly_revenue": "3300000.00", "note": "401个车位"},
    )
    page = client.get(reverse("funding:contract-detail", args=[contract.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="payback-chart"' in text and "funding/payback_chart.js" in text
    chart = json.loads(
        text.split('id="payback-chart-data" type="application/json">')[1].split("</script>")[0]
    )
    assert chart["payback_year"] == "2047"  # 3.3 M × 24 ≥ 77 M, 3.3 M × 23 < 77 M
    assert "<script>" not in text  # CSP: no inline script, data through json_script only


def test_a_contract_cannot_span_two_districts_on_the_form(
    client_as, city_officer, jiangan_funded_project, wuchang_funded_project
):
    response = client_as(city_officer).post(
        reverse("funding:contract-create"),
        contract_post([jiangan_funded_project.pk, wuchang_funded_project.pk]),
    )
    assert response.status_code == 400
    assert "同一个区" in response.content.decode()
    assert not InvestmentContract.objects.exists()


def test_a_project_outside_the_officers_district_is_refused(
    client_as, jiangan_officer, wuchang_funded_project
):
    response = client_as(jiangan_officer).post(
        reverse("funding:contract-create"), contract_post([wuchang_funded_project.pk])
    )
    assert response.status_code == 400
    assert not InvestmentContract.objects.exists()


def test_another_district_cannot_see_the_contract(
    client_as, city, wuchang_officer, jiangan_funded_project
):
    contract = contract_over(city, [jiangan_funded_project], rights=[("parking", "1.00")])
    client = client_as(wuchang_officer)
    assert client.get(reverse("funding:contract-detail", args=[contract.pk])).status_code == 404
    assert (
        client.get(reverse("api-funding-contract-payback", args=[contract.pk])).status_code == 404
    )
    assert contract.name not in client.get(reverse("funding:contract-list")).content.decode()


def test_a_community_worker_cannot_record_a_contract(client_as, jiangan_community_worker):
    response = client_as(jiangan_community_worker).get(reverse("funding:contract-create"))
    assert response.status_code == 403


def test_the_api_records_a_contract_its_rights_and_flows_and_answers_the_payback(
    client_as, jiangan_officer, jiangan_funded_project
):
    client = client_as(jiangan_officer)
    body = contract_post(
        [jiangan_funded_project.pk], term_years=5, investment_committed="1000000.00"
    )
    response = client.post(reverse("api-funding-contracts"), body, content_type="application/json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    right = client.post(
        reverse("api-funding-contract-rights", args=[pk]),
        {"kind": "charging", "expected_yearly_revenue": "300000.00"},
        content_type="application/json",
    )
    assert right.status_code == 201
    for year, kind, amount in (
        (2024, "investment", "600000.00"),
        (2025, "investment", "400000.00"),
        (2024, "revenue", "100000.00"),
        (2025, "revenue", "250000.00"),
    ):
        flow = client.post(
            reverse("api-funding-contract-flows", args=[pk]),
            {"year": year, "kind": kind, "amount": amount},
            content_type="application/json",
        )
        assert flow.status_code == 201
    payback = client.get(reverse("api-funding-contract-payback", args=[pk])).json()
    assert payback["payback_year"] == 2028 and payback["payback_index"] == 5
    assert payback["rows"][-1]["cumulative_revenue"] == "1250000.00"
    removed = client.delete(reverse("api-funding-contract-right", args=[pk, right.json()["id"]]))
    assert removed.status_code == 204 and not RevenueRight.objects.exists()


def test_bad_api_input_answers_400_and_writes_nothing(
    client_as, jiangan_officer, jiangan_funded_project, city
):
    client = client_as(jiangan_officer)
    response = client.post(
        reverse("api-funding-contracts"),
        contract_post([jiangan_funded_project.pk], investment_committed="-5"),
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["fields"]
    contract = contract_over(city, [jiangan_funded_project])
    flow = client.post(
        reverse("api-funding-contract-flows", args=[contract.pk]),
        {"year": 2040, "kind": "revenue", "amount": "1.00"},
        content_type="application/json",
    )
    assert flow.status_code == 400 and flow.json()["code"] == "flow_outside_term"
    assert not ContractFlow.objects.exists()


def test_a_project_from_another_district_in_the_api_answers_404(
    client_as, jiangan_officer, wuchang_funded_project
):
    response = client_as(jiangan_officer).post(
        reverse("api-funding-contracts"),
        contract_post([wuchang_funded_project.pk]),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not InvestmentContract.objects.exists()


def test_loans_are_recorded_and_show_the_interest_assumption(
    client_as, city, jiangan_officer, jiangan_funded_project
):
    client = client_as(jiangan_officer)
    response = client.post(
        reverse("funding:loan-create"),
        {
            "lender": "国家开发银行湖北省分行",
            "kind": "policy_bank",
            "district": city.jiangan.code,
            "amount": "10000000.00",
            "annual_rate": "3.2",
            "term_months": "60",
            "starts_on": "2024-01-15",
            "projects": [jiangan_funded_project.pk],
        },
    )
    loan = Loan.objects.get()
    assert response.status_code == 302
    text = client.get(reverse("funding:loan-detail", args=[loan.pk])).content.decode()
    assert "到期一次还本" in text and "160.00万元" in text
    api = client.get(reverse("api-funding-loan", args=[loan.pk])).json()
    assert api["schedule"]["total_interest"] == "1600000.00"


def test_a_loan_of_another_district_is_refused_by_the_api(
    client_as, city, jiangan_officer, jiangan_funded_project
):
    response = client_as(jiangan_officer).post(
        reverse("api-funding-loans"),
        {
            "lender": "x",
            "kind": "commercial",
            "district": city.wuchang.code,
            "amount": "1.00",
            "annual_rate": "4",
            "term_months": 12,
            "starts_on": "2024-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 404 and not Loan.objects.exists()


def test_the_projects_panel_lists_its_contracts_and_loans(
    city, jiangan_officer, jiangan_funded_project
):
    from django.template.loader import render_to_string

    from anju.access.scope import scope_for

    contract = contract_over(city, [jiangan_funded_project])
    loan = loan_for(city, city.jiangan, [jiangan_funded_project])
    html = render_to_string(
        "funding/_contracts_panel.html",
        {"project": jiangan_funded_project, "scope": scope_for(jiangan_officer)},
    )
    assert contract.name in html and loan.lender in html
    assert Decimal("1000000.00") == contract.investment_committed
