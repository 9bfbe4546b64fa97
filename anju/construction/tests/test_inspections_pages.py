"""The workbench pages of inspections and rectification: the checklist form, an order with the
actions its viewer may take, answering, closing and reopening, the overdue list and the
per-party records."""

import datetime as dt

import pytest
from django.urls import reverse

from anju.access.scope import scope_for
from anju.core.calendar import today
from anju.core.models import AuditEvent

from ..models import Finding, Inspection, RectificationStep, WorkType
from .inspecting import inspect, jpeg, name_parties

pytestmark = pytest.mark.django_db


@pytest.fixture
def parties(approved_project, builder_firm, supervisor_firm):
    return name_parties(approved_project, construction=builder_firm, supervision=supervisor_firm)


@pytest.fixture
def project(approved_project, parties):
    approved_project.refresh_from_db()
    return approved_project


@pytest.fixture
def finding(project, parties, supervisor):
    return inspect(
        supervisor, scope_for(supervisor), project, parties["construction"], photos=[jpeg()]
    ).findings.get()


def inspection_post(work_type, parties, **extra):
    data = {
        "work_type": work_type.code,
        "kind": "safety",
        "inspected_on": (today() - dt.timedelta(days=1)).isoformat(),
        "note": "",
    }
    for item in work_type.items.filter(is_active=True):
        data[f"result_{item.code}"] = "pass"
    data.update(extra)
    return data


def test_the_inspection_form_shows_the_work_types_checklist(client_as, project, supervisor):
    response = client_as(supervisor).get(
        reverse("construction:inspection-create", args=[project.pk]) + "?work_type=hot_work"
    )
    assert response.status_code == 200
    text = response.content.decode()
    for item in WorkType.objects.get(code="hot_work").items.all():
        assert item.text in text
    assert "脚手架搭设有专项方案并经审批" not in text


def test_an_inspector_records_a_failed_item_with_its_order(client_as, project, parties, supervisor):
    scaffolding = WorkType.objects.get(code="scaffolding")
    data = inspection_post(
        scaffolding,
        parties,
        **{
            "result_scaffolding-02": "fail",
            "scaffolding-02_severity": "critical",
            "scaffolding-02_description": "立杆悬空，未设扫地杆",
            "scaffolding-02_party": parties["construction"].pk,
            "scaffolding-02_photos": jpeg(),
        },
    )
    response = client_as(supervisor).post(
        reverse("construction:inspection-create", args=[project.pk]), data
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    finding = Finding.objects.get()
    assert finding.item.code == "scaffolding-02" and finding.severity == "critical"
    assert finding.photos.count() == 1
    page = client_as(supervisor).get(reverse("construction:project", args=[project.pk]))
    assert finding.order_number in page.content.decode()


def test_a_missing_result_comes_back_on_the_form_and_writes_nothing(
    client_as, project, parties, supervisor
):
    scaffolding = WorkType.objects.get(code="scaffolding")
    data = inspection_post(scaffolding, parties)
    del data["result_scaffolding-01"]
    data["scaffolding-03_description"] = "缺挡脚板"
    response = client_as(supervisor).post(
        reverse("construction:inspection-create", args=[project.pk]), data
    )
    assert response.status_code == 400
    assert not Inspection.objects.exists()


def test_the_construction_unit_may_not_open_the_inspection_form(client_as, project, builder):
    response = client_as(builder).get(reverse("construction:inspection-create", args=[project.pk]))
    assert response.status_code == 403


def test_the_order_page_offers_the_viewer_their_next_step(client_as, finding, builder, supervisor):
    url = reverse("construction:finding-detail", args=[finding.pk])
    as_builder = client_as(builder).get(url).content.decode()
    assert 'id="answer-link"' in as_builder
    response = client_as(builder).post(
        reverse("construction:finding-answer", args=[finding.pk]),
        {"note": "已满铺脚手板", "photos": jpeg()},
    )
    assert response.status_code == 302
    as_supervisor = client_as(supervisor).get(url).content.decode()
    assert 'id="review-form"' in as_supervisor and 'id="answer-link"' not in as_supervisor
    response = client_as(supervisor).post(
        reverse("construction:finding-reopen", args=[finding.pk]), {"note": ""}
    )
    assert response.status_code == 400
    assert "请说明复查未通过的原因" in response.content.decode()
    assert response.context["review_form"].errors["note"]  # beside 复查意见, not only above
    response = client_as(supervisor).post(
        reverse("construction:finding-close", args=[finding.pk]), {"note": "复查合格"}
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.status == Finding.Status.CLOSED


def test_only_the_responsible_party_answers_on_the_page(client_as, finding, supervisor):
    before = (RectificationStep.objects.count(), AuditEvent.objects.count())
    response = client_as(supervisor).post(
        reverse("construction:finding-answer", args=[finding.pk]),
        {"note": "代为回复", "photos": jpeg()},
    )
    assert response.status_code == 403
    assert (RectificationStep.objects.count(), AuditEvent.objects.count()) == before


def test_the_photos_are_served_to_who_may_see_the_project(
    client_as, finding, builder, other_builder
):
    photo = finding.photos.get()
    url = reverse("construction:finding-photo", args=[photo.pk])
    assert client_as(builder).get(url).status_code == 200
    assert client_as(other_builder).get(url).status_code == 404


def test_the_district_sees_its_escalated_orders(
    client_as, finding, jiangan_officer, wuchang_officer, builder
):
    Finding.objects.filter(pk=finding.pk).update(escalation=1)
    url = reverse("construction:findings-overdue")
    assert finding.order_number in client_as(jiangan_officer).get(url).content.decode()
    assert finding.order_number not in client_as(wuchang_officer).get(url).content.decode()
    assert client_as(builder).get(url).status_code == 403


def test_the_party_records_page_lists_the_organisations(
    client_as, finding, jiangan_officer, wuchang_officer
):
    url = reverse("construction:party-records")
    name = finding.responsible_party.organisation.name
    assert name in client_as(jiangan_officer).get(url).content.decode()
    assert name not in client_as(wuchang_officer).get(url).content.decode()


def test_the_findings_list_filters_by_severity(client_as, project, parties, finding, supervisor):
    url = reverse("construction:findings", args=[project.pk])
    assert (
        finding.order_number in client_as(supervisor).get(url + "?severity=major").content.decode()
    )
    assert (
        finding.order_number
        not in client_as(supervisor).get(url + "?severity=critical").content.decode()
    )
    assert client_as(supervisor).get(url + "?party=abc&status=nonsense").status_code == 200
