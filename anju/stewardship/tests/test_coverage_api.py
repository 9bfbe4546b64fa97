"""Coverage API: the figures, a compound's coverage, and the writes (contracts, status,
profile, committee members, party members and service hours) with their 4xx answers."""

import datetime as dt

import pytest

from anju.core.calendar import today
from anju.core.models import AuditEvent
from anju.stewardship.models import PartyMember, PropertyContract, ServiceRecord
from anju.territory.models import Compound

pytestmark = pytest.mark.django_db

BASE = "/api/v1/stewardship"


def past(days: int) -> str:
    return (today() - dt.timedelta(days=days)).isoformat()


def test_the_figures_answer_by_street_for_a_district_officer(city, jiangan_officer, client_as):
    body = client_as(jiangan_officer).get(f"{BASE}/coverage/").json()
    assert body["level"] == "street"
    assert [row["name"] for row in body["rows"]] == ["大智街道"]
    assert body["total"]["compounds"] == 1
    assert body["total"]["property_share"] == "0.0"
    assert len(body["over_time"]) == 9
    assert [row["code"] for row in body["uncovered"]] == [city.jiangan_compound.code]


def test_a_contract_recorded_through_the_api_covers_the_compound(
    city, jiangan_officer, property_company, client_as
):
    code = city.jiangan_compound.code
    client = client_as(jiangan_officer)
    response = client.post(
        f"{BASE}/compounds/{code}/coverage/contracts/",
        {"company": property_company.pk, "service_kind": "professional", "starts_on": past(1)},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    coverage = client.get(f"{BASE}/compounds/{code}/coverage/").json()
    assert coverage["management_status"] == "professional"
    assert coverage["contracts"][0]["company"] == property_company.name


def test_an_overlapping_contract_answers_409_and_changes_nothing(
    city, jiangan_officer, jiangan_contract, property_company, client_as
):
    events = AuditEvent.objects.count()
    response = client_as(jiangan_officer).post(
        f"{BASE}/compounds/{city.jiangan_compound.code}/coverage/contracts/",
        {"company": property_company.pk, "service_kind": "professional", "starts_on": past(0)},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "contract_overlap"
    assert PropertyContract.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_a_district_officer_cannot_record_a_contract_in_another_district(
    city, jiangan_officer, property_company, client_as
):
    response = client_as(jiangan_officer).post(
        f"{BASE}/compounds/{city.wuchang_compound.code}/coverage/contracts/",
        {"company": property_company.pk, "service_kind": "professional", "starts_on": past(1)},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not PropertyContract.objects.exists()


def test_a_property_company_reads_its_compounds_coverage_but_cannot_change_it(
    city, property_staff, client_as
):
    client = client_as(property_staff)
    code = city.jiangan_compound.code
    assert client.get(f"{BASE}/compounds/{code}/coverage/").status_code == 200
    response = client.post(
        f"{BASE}/compounds/{code}/coverage/status/",
        {"status": "self_managed"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert client.get(f"{BASE}/compounds/{city.wuchang_compound.code}/coverage/").status_code == 404


def test_bad_input_answers_400_with_the_fields_named(city, jiangan_officer, client_as):
    client = client_as(jiangan_officer)
    code = city.jiangan_compound.code
    response = client.put(
        f"{BASE}/compounds/{code}/coverage/profile/",
        {"party_organisation": "joint"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "party_branch_name" in response.json()["fields"]
    response = client.post(
        f"{BASE}/compounds/{code}/coverage/contracts/",
        {"company": 999999, "service_kind": "tenant", "starts_on": "soon"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"company", "service_kind", "starts_on"}
    assert Compound.objects.get(pk=city.jiangan_compound.pk).party_organisation == "none"


def test_party_members_and_their_hours_through_the_api(
    city, jiangan_officer, jiangan_community_worker, client_as
):
    code = city.jiangan_compound.code
    client = client_as(jiangan_community_worker)
    response = client.post(
        f"{BASE}/compounds/{code}/coverage/party-members/",
        {"name": "李党员", "phone": "13912345678", "registered_on": past(30)},
        content_type="application/json",
    )
    assert response.status_code == 201
    member = PartyMember.objects.get()
    response = client.post(
        f"{BASE}/party-members/{member.pk}/services/",
        {"served_on": past(2), "hours": "2.5", "activity": "垃圾分类宣传"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert ServiceRecord.objects.get().hours == 2.5
    rows = client_as(jiangan_officer).get(f"{BASE}/compounds/{code}/coverage/party-members/")
    (row,) = rows.json()
    assert row["phone"] == "139****5678"
    assert row["hours"] == "2.5"


def test_committee_members_are_added_and_removed(city, jiangan_officer, client_as):
    client = client_as(jiangan_officer)
    code = city.jiangan_compound.code
    client.put(
        f"{BASE}/compounds/{code}/coverage/profile/",
        {"party_organisation": "none", "owners_committee_elected_on": past(100)},
        content_type="application/json",
    )
    response = client.post(
        f"{BASE}/compounds/{code}/coverage/committee-members/",
        {"name": "张主任", "position": "chair"},
        content_type="application/json",
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    assert client.delete(f"{BASE}/committee-members/{pk}/").status_code == 204
    assert client.get(f"{BASE}/committee-members/{pk}/").status_code == 404
    assert Compound.objects.get(pk=city.jiangan_compound.pk).has_owners_committee is True
