"""The acceptance API: the same services and scope as the pages; bad input answers 4xx with
{code, message, fields} and changes nothing."""

# ruff: noqa: F811 (the fixtures imported from accepting.py are the test arguments)

from __future__ import annotations

import pytest

from anju.core.models import AuditEvent
from anju.territory.models import Stage

from ..models import AcceptanceSession
from .accepting import (  # noqa: F401
    acceptance_project,
    accepted_project,
    all_pass,
    building_project,
    named_project,
    ready_session,
)
from .test_acceptance import critical_finding

pytestmark = pytest.mark.django_db

API = "/api/v1/construction"


def test_the_whole_acceptance_through_the_api(client_as, jiangan_officer, acceptance_project):
    client = client_as(jiangan_officer)
    opened = client.post(
        f"{API}/projects/{acceptance_project.pk}/acceptance-sessions/",
        {"scheduled_on": "2027-11-20", "place": "议事厅"},
        content_type="application/json",
    )
    assert opened.status_code == 201, opened.json()
    session = opened.json()
    assert session["progress"]["min_residents"] == 3
    households = list(acceptance_project.compounds.get().households.values_list("pk", flat=True))
    for pk, name in zip(households[:3], ("张秀英", "李建华", "王桂芳"), strict=True):
        invited = client.post(
            f"{API}/acceptance-sessions/{session['id']}/participants/",
            {"kind": "resident", "households": [pk], "name": name},
            content_type="application/json",
        )
        assert invited.status_code == 201, invited.json()
    detail = client.get(f"{API}/acceptance-sessions/{session['id']}/").json()
    checks = [{"code": line["code"], "result": "pass"} for line in detail["checklist"]]
    for participant in detail["participants"]:
        signed = client.post(
            f"{API}/acceptance-participants/{participant['id']}/checks/",
            {"checks": checks, "opinion": "agree", "channel": "paper"},
            content_type="application/json",
        )
        assert signed.status_code == 200, signed.json()
    decided = client.post(
        f"{API}/acceptance-sessions/{session['id']}/decision/",
        {"outcome": "passed"},
        content_type="application/json",
    )
    assert decided.status_code == 200, decided.json()
    assert decided.json()["certificate_number"].startswith("YS-")
    acceptance_project.refresh_from_db()
    assert acceptance_project.stage == Stage.ACCEPTED


def test_too_few_representatives_answers_400(client_as, jiangan_officer, acceptance_project):
    from .accepting import open_session, sign_everyone

    session = open_session(acceptance_project)
    sign_everyone(session)
    response = client_as(jiangan_officer).post(
        f"{API}/acceptance-sessions/{session.pk}/decision/",
        {"outcome": "failed"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "too_few_representatives"


def test_an_open_critical_finding_answers_400_and_changes_nothing(
    client_as, jiangan_officer, ready_session
):
    critical_finding(ready_session.project)
    events = AuditEvent.objects.count()
    response = client_as(jiangan_officer).post(
        f"{API}/acceptance-sessions/{ready_session.pk}/decision/",
        {"outcome": "passed"},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "open_critical_findings" and "ZG-2027-0001" in body["message"]
    ready_session.refresh_from_db()
    assert ready_session.outcome == "" and AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    "body",
    [
        {"outcome": "maybe"},
        {},
        {"outcome": "conditional", "conditions": "x" * 3001},
    ],
)
def test_bad_decisions_answer_400(client_as, jiangan_officer, ready_session, body):
    response = client_as(jiangan_officer).post(
        f"{API}/acceptance-sessions/{ready_session.pk}/decision/",
        body,
        content_type="application/json",
    )
    assert response.status_code == 400
    assert {"code", "message", "fields"} <= set(response.json())


def test_a_checklist_line_not_on_the_plan_answers_400(client_as, jiangan_officer, ready_session):
    participant = ready_session.participants.first()
    response = client_as(jiangan_officer).post(
        f"{API}/acceptance-participants/{participant.pk}/checks/",
        {"checks": [{"code": "X99-1", "result": "pass"}], "opinion": "agree"},
        content_type="application/json",
    )
    assert response.status_code == 400


def test_another_districts_session_is_not_found(client_as, wuchang_officer, ready_session):
    client = client_as(wuchang_officer)
    assert client.get(f"{API}/acceptance-sessions/{ready_session.pk}/").status_code == 404
    assert AcceptanceSession.objects.get().outcome == ""


def test_a_builder_reads_representatives_masked(client_as, builder, ready_session):
    detail = client_as(builder).get(f"{API}/acceptance-sessions/{ready_session.pk}/").json()
    names = {p["name"] for p in detail["participants"] if p["kind"] == "resident"}
    assert names == {"张**", "李**", "王**"}
