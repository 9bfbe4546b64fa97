"""/api/v1/plan-versions/<id>/notice/, /api/v1/notices/<id>/objections/ and
/api/v1/objections/<id>/answer/: the same services and scope as the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from anju.core.models import AuditEvent
from anju.design.models import Notice, Objection
from anju.design.services.notices import submit_objection

from .noticing import draft_version, on_day

pytestmark = pytest.mark.django_db

THURSDAY = dt.date(2027, 9, 30)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def notice_url(version):
    return f"/api/v1/plan-versions/{version.pk}/notice/"


@pytest.fixture
def version(monkeypatch, jiangan_project):
    on_day(monkeypatch, THURSDAY)
    return draft_version(jiangan_project)


def test_the_district_publishes_and_reads_the_notice(version, jiangan_officer):
    client = api(jiangan_officer)
    assert client.get(notice_url(version)).status_code == 404  # not noticed yet
    response = client.post(notice_url(version), {}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["opens_on"] == "2027-09-30"
    assert body["closes_on"] == "2027-10-11"
    assert body["total"] == "315000.00"
    assert body["residents_share"] == "300000.00"
    assert [c["category"] for c in body["categories"]] == ["basic", "improvement"]
    assert body["blockers"] and body["is_open"]
    assert client.get(notice_url(version)).json()["id"] == body["id"]


def test_publishing_without_a_scheme_answers_400_and_writes_nothing(
    jiangan_project, jiangan_officer
):
    version = draft_version(jiangan_project, scheme=False)
    events = AuditEvent.objects.count()
    response = api(jiangan_officer).post(notice_url(version), {}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "not_ready"
    assert "长效管理方案" in response.json()["message"]
    assert not Notice.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_too_short_period_answers_400_on_the_field(version, jiangan_officer):
    response = api(jiangan_officer).post(
        notice_url(version), {"closes_on": "2027-10-01"}, format="json"
    )
    assert response.status_code == 400
    assert "closes_on" in response.json()["fields"]
    assert not Notice.objects.exists()


def test_the_designer_sees_the_notice_but_may_not_publish(version, designer):
    response = api(designer).post(notice_url(version), {}, format="json")
    assert response.status_code == 403
    assert not Notice.objects.exists()


@pytest.fixture
def objection(version, jiangan_officer, city):
    api(jiangan_officer).post(notice_url(version), {}, format="json")
    return submit_objection(
        actor=None,
        notice=Notice.objects.get(),
        household=city.jiangan_compound.households.first(),
        kind="objection",
        text="电梯挡光",
    )


def test_staff_list_objections_and_answer(objection, jiangan_officer):
    client = api(jiangan_officer)
    listing = client.get(f"/api/v1/notices/{objection.notice_id}/objections/").json()
    assert listing["count"] == 1
    assert listing["results"][0]["household_label"] == "1栋1单元101室"
    assert listing["results"][0]["is_answered"] is False
    response = client.post(
        f"/api/v1/objections/{objection.pk}/answer/", {"answer": "井道北移"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["answer"] == "井道北移"
    empty = client.post(f"/api/v1/objections/{objection.pk}/answer/", {"answer": ""}, format="json")
    assert empty.status_code == 400
    objection.refresh_from_db()
    assert objection.answer == "井道北移"


def test_another_district_gets_404_everywhere(objection, wuchang_officer):
    client = api(wuchang_officer)
    version = objection.notice.version
    assert client.get(notice_url(version)).status_code == 404
    assert client.post(notice_url(version), {}, format="json").status_code == 404
    assert client.get(f"/api/v1/notices/{objection.notice_id}/objections/").status_code == 404
    answer = client.post(f"/api/v1/objections/{objection.pk}/answer/", {"answer": "x"})
    assert answer.status_code == 404
    assert Objection.objects.get().answer == ""


def test_an_unknown_id_looks_like_another_districts(jiangan_officer):
    client = api(jiangan_officer)
    assert client.get("/api/v1/plan-versions/999999/notice/").status_code == 404
    assert client.get("/api/v1/notices/999999/objections/").status_code == 404
