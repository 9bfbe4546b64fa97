"""The joint-review API: submit, read, decide, assign reviewers, record permits; scoped like
the pages (another district 404; a designer reads but does not decide)."""

import pytest
from rest_framework.test import APIClient

from anju.core.calendar import today
from anju.core.models import AuditEvent
from anju.design.models import PermitStep, PlanVersion, Review, ReviewerAssignment
from anju.territory.models import Stage

from .reviewing import assign, noticed_version, reviewer

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def submit_url(version):
    return f"/api/v1/plan-versions/{version.pk}/review/"


@pytest.fixture
def submitted(city, jiangan_officer, jiangan_project):
    version = noticed_version(jiangan_project, items=[("I13", "1", "400000.00")])
    housing = reviewer("housing-reviewer", city.jiangan)
    planning = reviewer("planning-reviewer", city.jiangan)
    fire = reviewer("fire-reviewer", city.jiangan)
    for code, user in (("housing", housing), ("planning", planning), ("fire", fire)):
        assign(jiangan_project, code, user)
    response = api(jiangan_officer).post(submit_url(version))
    assert response.status_code == 201, response.json()
    return response.json(), {"housing": housing, "planning": planning, "fire": fire}


def test_submitting_answers_the_review_with_its_departments_and_permits(submitted):
    body, _ = submitted

    assert body["status"] == "open"
    assert [d["department"] for d in body["decisions"]] == ["housing", "planning", "fire"]
    assert body["decisions"][0]["reviewer"] == "housing-reviewer"
    permits = {p["procedure"]: p for p in body["permits"]}
    assert permits["planning_permit"]["is_required"] is False
    assert "武汉" in permits["planning_permit"]["exemption"]
    assert body["blockers"]


def test_submitting_with_an_unanswered_objection_is_a_400_that_writes_nothing(
    jiangan_officer, jiangan_project
):
    version = noticed_version(jiangan_project, objections=1)
    events_before = AuditEvent.objects.count()

    response = api(jiangan_officer).post(submit_url(version))

    assert response.status_code == 400
    assert response.json()["code"] == "notice_not_cleared"
    assert "异议未答复" in response.json()["message"]
    assert not Review.objects.exists()
    assert AuditEvent.objects.count() == events_before
    version.refresh_from_db()
    assert version.status == PlanVersion.Status.NOTICED


def test_reviewers_approve_and_the_permit_completes_the_approval(
    submitted, jiangan_officer, jiangan_project
):
    body, reviewers = submitted
    for code, user in reviewers.items():
        response = api(user).post(
            f"/api/v1/reviews/{body['id']}/decisions/{code}/", {"decision": "approved"}
        )
        assert response.status_code == 200, response.json()

    response = api(jiangan_officer).post(
        f"/api/v1/projects/{jiangan_project.pk}/permits/approval/",
        {"document_number": "江岸发改〔2027〕7号", "done_on": today().isoformat()},
    )

    assert response.status_code == 200, response.json()
    assert response.json()["is_done"] is True
    jiangan_project.refresh_from_db()
    assert jiangan_project.stage == Stage.APPROVED
    assert str(jiangan_project.estimated_cost) == "400000.00"
    detail = api(jiangan_officer).get(f"/api/v1/reviews/{body['id']}/").json()
    assert detail["status"] == "approved" and detail["blockers"] == []


def test_a_return_without_comments_is_a_400(submitted):
    body, reviewers = submitted
    response = api(reviewers["fire"]).post(
        f"/api/v1/reviews/{body['id']}/decisions/fire/", {"decision": "returned"}
    )
    assert response.status_code == 400
    assert "comments" in response.json()["fields"]


def test_a_designer_reads_the_review_but_cannot_decide(submitted, designer):
    body, _ = submitted
    client = api(designer)

    assert client.get(f"/api/v1/reviews/{body['id']}/").status_code == 200
    response = client.post(
        f"/api/v1/reviews/{body['id']}/decisions/housing/", {"decision": "approved"}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_a_reviewer_cannot_decide_for_another_department(submitted):
    body, reviewers = submitted
    response = api(reviewers["fire"]).post(
        f"/api/v1/reviews/{body['id']}/decisions/housing/", {"decision": "approved"}
    )
    assert response.status_code == 403
    assert Review.objects.get().decisions.get(department__code="housing").decision == "pending"


def test_assigning_a_reviewer_outside_the_plans_departments_is_a_400(
    city, jiangan_officer, jiangan_project
):
    noticed_version(jiangan_project, items=[("B14", "100", "150")])
    reviewer("gas-reviewer", city.jiangan)

    response = api(jiangan_officer).post(
        f"/api/v1/projects/{jiangan_project.pk}/reviewers/",
        {"department": "gas", "reviewer": "gas-reviewer"},
    )

    assert response.status_code == 400
    assert response.json()["code"] == "department_not_in_plan"
    assert "department" in response.json()["fields"]
    assert not ReviewerAssignment.objects.exists()


def test_assigning_a_reviewer_of_the_plans_department(city, jiangan_officer, jiangan_project):
    noticed_version(jiangan_project, items=[("B14", "100", "150")])
    reviewer("planning-reviewer", city.jiangan)
    client = api(jiangan_officer)

    response = client.post(
        f"/api/v1/projects/{jiangan_project.pk}/reviewers/",
        {"department": "planning", "reviewer": "planning-reviewer"},
    )

    assert response.status_code == 200, response.json()
    listed = client.get(f"/api/v1/projects/{jiangan_project.pk}/reviewers/").json()
    assert listed == [
        {
            "department": "planning",
            "department_name": "自然资源和规划",
            "reviewer": "planning-reviewer",
        }
    ]


def test_another_district_gets_404_everywhere(submitted, wuchang_officer, jiangan_project):
    body, _ = submitted
    client = api(wuchang_officer)
    version = jiangan_project.plan_versions.get()
    events_before = AuditEvent.objects.count()

    answers = [
        client.post(submit_url(version)),
        client.get(f"/api/v1/reviews/{body['id']}/"),
        client.post(f"/api/v1/reviews/{body['id']}/decisions/housing/", {"decision": "approved"}),
        client.get(f"/api/v1/projects/{jiangan_project.pk}/reviewers/"),
        client.post(
            f"/api/v1/projects/{jiangan_project.pk}/reviewers/",
            {"department": "housing", "reviewer": "housing-reviewer"},
        ),
        client.post(
            f"/api/v1/projects/{jiangan_project.pk}/permits/approval/",
            {"document_number": "1", "done_on": today().isoformat()},
        ),
    ]

    assert [a.status_code for a in answers] == [404] * len(answers)
    assert AuditEvent.objects.count() == events_before
    assert not PermitStep.objects.filter(document_number="1").exists()
