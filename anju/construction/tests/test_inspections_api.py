"""The inspections and rectification API: organisations act with their own accounts (token or
session alike), bad input answers 4xx with code, message and fields and changes nothing."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from anju.core.calendar import today
from anju.core.models import AuditEvent

from ..models import Finding, Inspection, WorkType
from .inspecting import jpeg, name_parties

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def parties(approved_project, builder_firm, supervisor_firm):
    return name_parties(approved_project, construction=builder_firm, supervision=supervisor_firm)


@pytest.fixture
def project(approved_project, parties):
    approved_project.refresh_from_db()
    return approved_project


def body(**findings_extra):
    scaffolding = WorkType.objects.get(code="scaffolding")
    results = [
        {"item": item.code, "result": "fail" if item.code == "scaffolding-04" else "pass"}
        for item in scaffolding.items.filter(is_active=True)
    ]
    finding = {
        "item": "scaffolding-04",
        "severity": "critical",
        "description": "安全网破损",
        "responsible_party": "construction",
        **findings_extra,
    }
    return {
        "work_type": "scaffolding",
        "kind": "safety",
        "inspected_on": (today() - dt.timedelta(days=1)).isoformat(),
        "results": results,
        "findings": [finding],
    }


def record(user, project, **extra):
    return api(user).post(
        f"/api/v1/construction/projects/{project.pk}/inspections/", body(**extra), format="json"
    )


def test_the_supervision_unit_records_an_inspection_through_the_api(project, supervisor):
    response = record(supervisor, project)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["findings"][0]["order_number"].startswith("ZG")
    assert data["findings"][0]["responsible_party"] == "construction"
    listed = api(supervisor).get(f"/api/v1/construction/projects/{project.pk}/findings/").json()
    assert listed["count"] == 1


def test_bad_input_answers_4xx_and_changes_nothing(project, supervisor, builder):
    events = AuditEvent.objects.count()
    for extra, code in (
        ({"responsible_party": "design"}, "party_not_in_project"),
        ({"item": "hot_work-01"}, "item_not_in_checklist"),
        ({"deadline_days": 0}, None),
    ):
        response = record(supervisor, project, **extra)
        assert response.status_code == 400, response.json()
        assert {"code", "message", "fields"} <= set(response.json())
        if code:
            assert response.json()["code"] == code
    future = body()
    future["inspected_on"] = (today() + dt.timedelta(days=3)).isoformat()
    response = api(supervisor).post(
        f"/api/v1/construction/projects/{project.pk}/inspections/", future, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "date_in_future"
    assert record(builder, project).status_code == 403
    assert not Inspection.objects.exists()
    assert AuditEvent.objects.count() == events


def test_the_party_answers_and_the_inspector_reopens_then_closes(
    project, supervisor, builder, wuchang_officer
):
    finding_id = record(supervisor, project).json()["findings"][0]["id"]
    detail = api(builder).get(f"/api/v1/construction/findings/{finding_id}/").json()
    assert detail["actions"] == {"answer": True, "close": False, "reopen": False}
    url = f"/api/v1/construction/findings/{finding_id}/"
    assert api(wuchang_officer).get(url).status_code == 404
    response = api(builder).post(url + "answer/", {"note": "已更换安全网", "photos": [jpeg()]})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "answered"
    assert response.json()["steps"][0]["photos"][0]["photo_url"].startswith(
        "/api/v1/construction/evidence-photos/"
    )
    again = api(builder).post(url + "answer/", {"note": "再次回复", "photos": [jpeg()]})
    assert again.status_code == 409 and again.json()["code"] == "finding_answered"
    assert api(supervisor).post(url + "reopen/", {"reason": ""}, format="json").status_code == 400
    response = api(supervisor).post(url + "reopen/", {"reason": "网目仍有破洞"}, format="json")
    assert response.json()["status"] == "reopened"
    api(builder).post(url + "answer/", {"note": "已整体更换", "photos": [jpeg()]})
    response = api(supervisor).post(url + "close/", {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    closed = api(builder).post(url + "answer/", {"note": "x", "photos": [jpeg()]})
    assert closed.status_code == 409 and closed.json()["code"] == "finding_closed"


def test_overdue_orders_and_party_records_through_the_api(project, supervisor, jiangan_officer):
    finding_id = record(supervisor, project).json()["findings"][0]["id"]
    Finding.objects.filter(pk=finding_id).update(escalation=2)
    overdue = api(jiangan_officer).get("/api/v1/construction/findings/overdue/?level=2").json()
    assert [row["id"] for row in overdue["results"]] == [finding_id]
    assert api(supervisor).get("/api/v1/construction/findings/overdue/").status_code == 403
    records = api(jiangan_officer).get("/api/v1/construction/party-records/").json()
    assert records[0]["role"] == "construction" and records[0]["by_severity"] == {"critical": 1}
    types = api(supervisor).get("/api/v1/construction/work-types/").json()
    assert {"scaffolding", "hot_work"} <= {row["code"] for row in types}
