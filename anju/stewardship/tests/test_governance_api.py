"""Governance API: meetings of a compound (list, record with tasks), marking a task done, the
territory's overdue tasks. Bad input answers 4xx with the fields and writes nothing; another
district answers 404."""

from datetime import timedelta

import pytest

from anju.core.calendar import today
from anju.stewardship.models import FollowUpTask, GovernanceMeeting

pytestmark = pytest.mark.django_db


def meeting_body(**kwargs):
    body = {
        "held_on": (today() - timedelta(days=20)).isoformat(),
        "subject": "停车秩序整治",
        "bodies": ["residents_committee", "owners_committee"],
        "attendees": "居委会 王主任",
        "decisions": "划定停车区",
        "tasks": [
            {
                "title": "划线",
                "owner": "物业",
                "owner_body": "property_company",
                "due_on": (today() - timedelta(days=2)).isoformat(),
            }
        ],
    }
    body.update(kwargs)
    return body


def url(compound):
    return f"/api/v1/stewardship/compounds/{compound.code}/meetings/"


def test_a_keeper_records_a_meeting_and_marks_its_task_done(city, jiangan_officer, client_as):
    client = client_as(jiangan_officer)
    answer = client.post(
        url(city.jiangan_compound), meeting_body(), content_type="application/json"
    )
    assert answer.status_code == 201, answer.json()
    task_id = answer.json()["tasks"][0]["id"]
    overdue = client.get("/api/v1/stewardship/tasks/overdue/").json()
    assert [row["title"] for row in overdue["results"]] == ["划线"]
    done = client.post(
        f"/api/v1/stewardship/tasks/{task_id}/done/",
        {"done_on": today().isoformat(), "note": "已划线"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["done_note"] == "已划线"
    again = client.post(
        f"/api/v1/stewardship/tasks/{task_id}/done/",
        {"done_on": today().isoformat()},
        content_type="application/json",
    )
    assert again.status_code == 409
    listed = client.get(url(city.jiangan_compound)).json()
    assert listed["count"] == 1 and listed["results"][0]["tasks"][0]["done_on"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"bodies": []}, "bodies"),
        ({"bodies": ["neighbours"]}, "bodies"),
        ({"held_on": "2026-13-01"}, "held_on"),
        ({"held_on": (today() + timedelta(days=3)).isoformat()}, "held_on"),
        (
            {
                "tasks": [
                    {"title": "x", "owner": "y", "owner_body": "street", "due_on": "2000-01-01"}
                ]
            },
            "tasks",
        ),
    ],
)
def test_bad_meetings_answer_400_with_the_field(city, jiangan_officer, client_as, change, field):
    answer = client_as(jiangan_officer).post(
        url(city.jiangan_compound), meeting_body(**change), content_type="application/json"
    )
    assert answer.status_code == 400
    assert field in answer.json()["fields"]
    assert not GovernanceMeeting.objects.exists() and not FollowUpTask.objects.exists()


def test_a_property_company_reads_but_may_not_record(city, property_staff, client_as):
    client = client_as(property_staff)
    assert client.get(url(city.jiangan_compound)).status_code == 200
    answer = client.post(
        url(city.jiangan_compound), meeting_body(), content_type="application/json"
    )
    assert answer.status_code == 403
    assert not GovernanceMeeting.objects.exists()


def test_another_districts_compound_is_not_found(city, wuchang_officer, client_as):
    answer = client_as(wuchang_officer).post(
        url(city.jiangan_compound), meeting_body(), content_type="application/json"
    )
    assert answer.status_code == 404
    assert not GovernanceMeeting.objects.exists()
