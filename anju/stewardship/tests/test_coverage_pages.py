"""Coverage pages: the stewardship index, the coverage report with the uncovered list, and a
compound's coverage page with its forms (bad input answers 400 and changes nothing; another
district answers 404; a viewer who may only read gets 403)."""

import datetime as dt

import pytest
from django.urls import reverse

from anju.core.calendar import today
from anju.stewardship.models import PartyMember, PropertyContract
from anju.territory.models import Compound

pytestmark = pytest.mark.django_db


def test_the_index_shows_the_viewers_coverage_by_street(city, jiangan_officer, client_as):
    response = client_as(jiangan_officer).get(reverse("stewardship:index"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "大智街道" in text and "积玉桥街道" not in text
    assert reverse("stewardship:coverage") in text


def test_the_index_is_in_the_menu_for_territorial_staff(city, jiangan_officer, client_as):
    response = client_as(jiangan_officer).get(reverse("web:workbench"))
    assert reverse("stewardship:index") in response.content.decode()


def test_a_property_company_sees_its_compounds_on_the_index(city, property_staff, client_as):
    response = client_as(property_staff).get(reverse("stewardship:index"))
    assert response.status_code == 200
    text = response.content.decode()
    assert city.jiangan_compound.name in text
    assert city.wuchang_compound.name not in text


def test_a_property_company_may_not_read_the_coverage_report(city, property_staff, client_as):
    assert client_as(property_staff).get(reverse("stewardship:coverage")).status_code == 403


def test_the_report_lists_the_uncovered_compounds_with_what_they_lack(
    city, jiangan_officer, client_as
):
    response = client_as(jiangan_officer).get(reverse("stewardship:coverage"), {"by": "district"})
    assert response.status_code == 200
    text = response.content.decode()
    assert city.jiangan_compound.name in text
    assert city.wuchang_compound.name not in text
    assert "江岸区" in text


def test_a_keeper_records_a_contract_from_the_compound_page(
    city, jiangan_officer, property_company, client_as
):
    client = client_as(jiangan_officer)
    url = reverse("stewardship:coverage-contract-add", args=[city.jiangan_compound.code])
    response = client.post(
        url,
        {
            "company": property_company.pk,
            "service_kind": "red_property",
            "starts_on": (today() - dt.timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert Compound.objects.get(pk=city.jiangan_compound.pk).management_status == "red_property"
    page = client.get(response["Location"]).content.decode()
    assert property_company.name in page


def test_an_overlapping_contract_comes_back_on_the_form(
    city, jiangan_officer, jiangan_contract, property_company, client_as
):
    url = reverse("stewardship:coverage-contract-add", args=[city.jiangan_compound.code])
    response = client_as(jiangan_officer).post(
        url,
        {"company": property_company.pk, "service_kind": "professional", "starts_on": "2027-01-01"},
    )
    assert response.status_code == 400
    assert "合同期不能重叠" in response.content.decode()
    assert PropertyContract.objects.count() == 1


def test_a_date_that_is_not_a_date_answers_400(city, jiangan_officer, client_as):
    url = reverse("stewardship:coverage-party-member-add", args=[city.jiangan_compound.code])
    response = client_as(jiangan_officer).post(url, {"name": "李", "registered_on": "昨天"})
    assert response.status_code == 400
    assert not PartyMember.objects.exists()


def test_a_district_officer_cannot_open_another_districts_compound(
    city, jiangan_officer, client_as
):
    url = reverse("stewardship:coverage-compound", args=[city.wuchang_compound.code])
    assert client_as(jiangan_officer).get(url).status_code == 404


def test_the_city_office_reads_a_compounds_coverage_but_does_not_change_it(
    city, city_officer, client_as
):
    client = client_as(city_officer)
    code = city.jiangan_compound.code
    page = client.get(reverse("stewardship:coverage-compound", args=[code]))
    assert page.status_code == 200
    assert reverse("stewardship:coverage-profile", args=[code]) not in page.content.decode()
    response = client.post(
        reverse("stewardship:coverage-profile", args=[code]), {"party_organisation": "none"}
    )
    assert response.status_code == 403


def test_the_governance_profile_form_sets_the_compounds_party_organisation(
    city, jiangan_officer, client_as
):
    url = reverse("stewardship:coverage-profile", args=[city.jiangan_compound.code])
    response = client_as(jiangan_officer).post(
        url,
        {
            "residents_committee": "天声街社区居委会",
            "owners_committee_elected_on": "2025-03-01",
            "owners_committee_term_ends_on": "2030-02-28",
            "party_organisation": "branch",
            "party_branch_name": "铭新街小区党支部",
            "party_branch_secretary": "王书记",
        },
    )
    assert response.status_code == 302
    compound = Compound.objects.get(pk=city.jiangan_compound.pk)
    assert (compound.party_organisation, compound.has_owners_committee) == ("branch", True)


def test_the_hub_panel_shows_the_compounds_coverage(
    city, jiangan_officer, jiangan_contract, client_as
):
    code = city.jiangan_compound.code
    text = client_as(jiangan_officer).get(reverse("stewardship:compound", args=[code])).content
    text = text.decode()
    assert 'id="coverage-panel"' in text
    assert jiangan_contract.company.name in text
    assert reverse("stewardship:coverage-compound", args=[code]) in text
