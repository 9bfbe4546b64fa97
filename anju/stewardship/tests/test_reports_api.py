"""Problem reports through the API: companies and utilities read and update their reports with
their token, a company sees only its compounds' reports, bad input is a 4xx that changes
nothing; categories, routing rules and figures."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from anju.access.models import Organisation, Role
from anju.access.scope import scope_for, scope_for_household
from anju.conftest import make_user
from anju.core.models import AuditEvent
from anju.stewardship.models import (
    Channel,
    HandlerKind,
    ProblemReport,
    ReportCategory,
    RoutingRule,
    Status,
)
from anju.stewardship.services import file_report, reassign_report

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/stewardship/reports/"
RULES = "/api/v1/stewardship/routing-rules/"


def with_token(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def resident_report(household, code="clutter"):
    return file_report(
        actor=None,
        scope=scope_for_household(household),
        compound=household.compound,
        category=ReportCategory.objects.get(code=code),
        description="楼道堆放杂物",
        channel=Channel.PORTAL,
    )


@pytest.fixture
def reports(city, jiangan_household, jiangan_contract):
    return (
        resident_report(jiangan_household),
        resident_report(city.wuchang_compound.households.first()),
    )


def test_a_property_company_sees_only_its_compounds_reports(reports, property_staff):
    own, other = reports
    api = with_token(property_staff)
    listed = api.get(REPORTS).json()
    assert [row["number"] for row in listed["results"]] == [own.number]
    assert api.get(f"{REPORTS}{own.pk}/").status_code == 200
    assert api.get(f"{REPORTS}{other.pk}/").status_code == 404
    assert api.post(f"{REPORTS}{other.pk}/advance/", {"to_status": "accepted"}).status_code == 404
    assert ProblemReport.objects.get(pk=other.pk).status == Status.SUBMITTED


def test_the_company_handles_its_report_with_its_token(reports, property_staff):
    own, _ = reports
    api = with_token(property_staff)
    answer = api.post(f"{REPORTS}{own.pk}/advance/", {"to_status": "accepted"}, format="json")
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["status"] == "accepted" and body["next_steps"] == ["in_progress"]
    assert [step["to_status"] for step in body["steps"]] == ["submitted", "accepted"]


def test_a_status_jump_through_the_api_is_a_409_that_changes_nothing(reports, property_staff):
    own, _ = reports
    events = AuditEvent.objects.count()
    answer = with_token(property_staff).post(
        f"{REPORTS}{own.pk}/advance/", {"to_status": "resolved", "note": "好了"}, format="json"
    )
    assert answer.status_code == 409
    assert answer.json()["code"] == "status_skip" and answer.json()["message"]
    assert ProblemReport.objects.get(pk=own.pk).status == Status.SUBMITTED
    assert AuditEvent.objects.count() == events


def test_a_utility_reads_and_updates_the_reports_given_to_it(reports, jiangan_officer):
    own, other = reports
    utility = Organisation.objects.create(name="武汉供水公司", kind=Organisation.Kind.UTILITY)
    account = make_user("water-service", Role.UTILITY_COMPANY, organisation=utility)
    reassign_report(
        actor=jiangan_officer,
        scope=scope_for(jiangan_officer),
        report=own,
        handler=HandlerKind.ORGANISATION,
        organisation=utility,
        note="二次供水设施损坏",
    )
    api = with_token(account)
    assert [row["number"] for row in api.get(REPORTS).json()["results"]] == [own.number]
    assert api.get(f"{REPORTS}{other.pk}/").status_code == 404
    answer = api.post(f"{REPORTS}{own.pk}/advance/", {"to_status": "accepted"}, format="json")
    assert answer.status_code == 200 and answer.json()["handler_organisation"] == utility.name


def test_the_list_filters_by_status_compound_and_overdue(reports, city_officer):
    own, other = reports
    ProblemReport.objects.filter(pk=other.pk).update(due_on="2020-01-01")
    api = with_token(city_officer)
    numbers = lambda query: [r["number"] for r in api.get(REPORTS + query).json()["results"]]  # noqa: E731
    assert set(numbers("")) == {own.number, other.number}
    assert numbers(f"?compound={own.compound.code}") == [own.number]
    assert numbers("?overdue=true") == [other.number]
    assert numbers("?status=resolved") == []
    assert api.get(REPORTS + "?status=done").status_code == 400


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (0, 90, 200)).save(buffer, format="PNG")
    return SimpleUploadedFile("p.png", buffer.getvalue(), content_type="image/png")


def call(compound, **extra):
    body = {
        "compound": compound.code,
        "category": "noise",
        "description": "夜间施工噪声",
        "channel": "phone",
        "caller_name": "李先生",
        "caller_phone": "13912345678",
    }
    body.update(extra)
    return body


def test_the_community_files_for_a_caller_and_names_are_masked_for_others(
    city, jiangan_community_worker, property_staff
):
    answer = with_token(jiangan_community_worker).post(
        REPORTS, call(city.jiangan_compound, photos=[png()], building="1栋"), format="multipart"
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["channel"] == "phone" and body["caller_phone"] == "13912345678"
    assert body["steps"][0]["photos"][0]["width"] == 30
    seen_by_company = with_token(property_staff).get(f"{REPORTS}{body['id']}/").json()
    assert seen_by_company["caller_phone"] == "139****5678"
    assert seen_by_company["caller_name"] == "李**"


@pytest.mark.parametrize(
    ("photo", "code"),
    [
        (
            SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (5 * 1024 * 1024 + 1)),
            "photo_too_large",
        ),
        (SimpleUploadedFile("note.jpg", b"just text, not a photo\n" * 30), "photo_not_an_image"),
    ],
)
def test_an_oversized_or_non_image_upload_is_a_400_that_writes_nothing(
    city, jiangan_community_worker, photo, code
):
    answer = with_token(jiangan_community_worker).post(
        REPORTS, call(city.jiangan_compound, photos=[photo]), format="multipart"
    )
    assert answer.status_code == 400 and answer.json()["code"] == code
    assert "photos" in answer.json()["fields"]
    assert not ProblemReport.objects.exists()


def test_a_compound_of_another_district_in_the_body_is_a_400(city, jiangan_officer):
    answer = with_token(jiangan_officer).post(REPORTS, call(city.wuchang_compound), format="json")
    assert answer.status_code == 400 and "compound" in answer.json()["fields"]
    assert not ProblemReport.objects.exists()


def test_a_point_outside_wuhan_is_a_400(city, jiangan_officer):
    answer = with_token(jiangan_officer).post(
        REPORTS, call(city.jiangan_compound, longitude=121.47, latitude=31.23), format="json"
    )
    assert answer.status_code == 400 and answer.json()["code"] == "point_outside_city"
    assert not ProblemReport.objects.exists()


def test_categories_list_their_deadlines(city, property_staff):
    rows = with_token(property_staff).get("/api/v1/stewardship/report-categories/").json()
    assert {"code": "safety_hazard", "deadline_days": 1}.items() <= rows[6].items()


def test_only_the_city_office_changes_city_wide_rules(city, city_officer, jiangan_officer):
    body = {"category": "noise", "handler": "street"}
    refused = with_token(jiangan_officer).post(RULES, body, format="json")
    assert refused.status_code == 403
    answer = with_token(city_officer).post(RULES, body, format="json")
    assert answer.status_code == 201 and answer.json()["node"] is None
    assert RoutingRule.objects.get(category__code="noise", node=None).handler == "street"


def test_a_district_keeps_its_own_rules_and_not_another_districts(
    city, jiangan_officer, wuchang_officer
):
    api = with_token(jiangan_officer)
    answer = api.post(RULES, {"node": city.jiangan.code, "handler": "community"}, format="json")
    assert answer.status_code == 201, answer.json()
    rule_id = answer.json()["id"]
    elsewhere = api.post(RULES, {"node": city.wuchang.code, "handler": "street"}, format="json")
    assert elsewhere.status_code == 400 and "node" in elsewhere.json()["fields"]
    assert with_token(wuchang_officer).delete(f"{RULES}{rule_id}/").status_code == 404
    assert rule_id in [row["id"] for row in api.get(RULES).json()]
    assert api.delete(f"{RULES}{rule_id}/").status_code == 204
    assert not RoutingRule.objects.filter(pk=rule_id).exists()
    assert AuditEvent.objects.filter(verb="stewardship.routing_rule_deleted").count() == 1


def test_an_organisation_rule_needs_its_organisation(city, city_officer):
    answer = with_token(city_officer).post(RULES, {"handler": "organisation"}, format="json")
    assert answer.status_code == 400 and "organisation" in answer.json()["fields"]


def test_metrics_by_compound_leave_out_other_districts(reports, jiangan_officer):
    rows = with_token(jiangan_officer).get("/api/v1/stewardship/report-metrics/").json()
    assert [(row["label"], row["reports"], row["open"]) for row in rows] == [("铭新街小区", 1, 1)]
    bad = with_token(jiangan_officer).get("/api/v1/stewardship/report-metrics/?by=street")
    assert bad.status_code == 400


def test_the_list_costs_the_same_queries_for_one_report_or_many(
    city, jiangan_household, city_officer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = with_token(city_officer)
    resident_report(jiangan_household)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert api.get(REPORTS).status_code == 200
        return len(captured)

    one = queries()
    for _ in range(5):
        resident_report(jiangan_household)
    assert queries() == one <= 8


def test_the_list_filters_escalated_reports_like_the_page(reports, city_officer):
    from anju.stewardship.models import Escalation

    _own, other = reports
    ProblemReport.objects.filter(pk=other.pk).update(escalation=Escalation.DISTRICT)
    api = with_token(city_officer)
    listed = api.get(REPORTS + "?escalated=true").json()["results"]
    assert [row["number"] for row in listed] == [other.number]
    ProblemReport.objects.filter(pk=other.pk).update(status=Status.CONFIRMED)
    assert api.get(REPORTS + "?escalated=true").json()["results"] == []


SUGGESTIONS = "/api/v1/stewardship/reports/suggestions/"


def test_possible_duplicates_are_suggested_before_filing_for_a_caller(
    reports, city, jiangan_community_worker, wuchang_officer
):
    own, _other = reports
    api = with_token(jiangan_community_worker)
    query = f"?compound={own.compound.code}&category=clutter"
    assert [row["number"] for row in api.get(SUGGESTIONS + query).json()] == [own.number]
    assert api.get(SUGGESTIONS + query.replace("clutter", "noise")).json() == []
    # Another district's compound is refused like an unknown one, and nothing leaks.
    refused = with_token(wuchang_officer).get(SUGGESTIONS + query)
    assert refused.status_code == 400 and refused.json()["code"] == "unknown_compound"
    assert api.get(SUGGESTIONS + "?compound=" + own.compound.code).status_code == 400
