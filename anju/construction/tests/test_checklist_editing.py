"""The city office keeps the inspection checklists (the workbench page and the API): an item
added goes at the end of its checklist and onto the next inspection form; an item switched
off leaves new inspections but keeps its results in old ones; everyone else gets 403; bad
input is 400 and changes nothing; every change is audited."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from anju.access.scope import scope_for
from anju.core.models import AuditEvent

from ..models import CheckResult, InspectionItem, WorkType
from .inspecting import inspect, name_parties

pytestmark = pytest.mark.django_db

CHECKLISTS = reverse("construction:work-types")


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


def inspection_form(client, project, work_type="scaffolding") -> str:
    url = reverse("construction:inspection-create", args=[project.pk])
    response = client.get(url + f"?work_type={work_type}")
    assert response.status_code == 200
    return response.content.decode()


def checklist_state():
    return (
        list(WorkType.objects.values_list("code", "name", "position").order_by("code")),
        list(InspectionItem.objects.values_list("code", "text", "is_active").order_by("code")),
    )


def test_the_city_office_adds_an_item_and_the_next_inspection_form_asks_for_it(
    client_as, project, city_officer
):
    client = client_as(city_officer)
    assert "检查表维护" in client.get(reverse("construction:project-list")).content.decode()
    assert client.get(CHECKLISTS).status_code == 200
    response = client.post(
        reverse("construction:work-type-item-add", args=["scaffolding"]),
        {"text": "  拆除作业设置警戒区并专人监护  ", "is_safety": "on"},
    )
    assert response.status_code == 302
    item = InspectionItem.objects.get(text="拆除作业设置警戒区并专人监护")
    assert (item.code, item.is_safety, item.is_active) == ("scaffolding-05", True, True)
    last = WorkType.objects.get(code="scaffolding").items.exclude(pk=item.pk)
    assert item.position > max(last.values_list("position", flat=True))
    assert "拆除作业设置警戒区并专人监护" in inspection_form(client, project)
    event = AuditEvent.objects.get(verb="checklist.item_added")
    assert event.actor == city_officer and event.after["text"] == item.text


def test_a_switched_off_item_leaves_new_inspections_but_keeps_its_old_results(
    client_as, project, parties, supervisor, city_officer
):
    old = inspect(supervisor, scope_for(supervisor), project, parties["construction"])
    item = InspectionItem.objects.get(code="scaffolding-02")
    assert CheckResult.objects.filter(inspection=old, item=item).exists()

    response = api(city_officer).patch(
        f"/api/v1/construction/inspection-items/{item.pk}/", {"is_active": False}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["is_active"] is False
    listed = api(supervisor).get("/api/v1/construction/work-types/").json()
    scaffolding = next(row for row in listed if row["code"] == "scaffolding")
    assert "scaffolding-02" not in [row["code"] for row in scaffolding["items"]]

    client = client_as(supervisor)
    assert item.text not in inspection_form(client, project)
    detail = client.get(reverse("construction:inspection-detail", args=[old.pk]))
    assert f'data-item="{item.code}"' in detail.content.decode()
    assert item.text in detail.content.decode()
    new = inspect(supervisor, scope_for(supervisor), project, parties["construction"])
    assert not CheckResult.objects.filter(inspection=new, item=item).exists()

    event = AuditEvent.objects.get(verb="checklist.item_changed")
    assert (event.before, event.after) == ({"is_active": True}, {"is_active": False})


def test_the_city_office_rewords_an_item_and_adds_a_work_type_through_the_page(
    client_as, city_officer
):
    client = client_as(city_officer)
    item = InspectionItem.objects.get(code="gas-01")
    response = client.post(
        reverse("construction:inspection-item-change", args=[item.pk]),
        {"text": "燃气管道施工单位具备燃气工程资质", "is_active": "on"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.text, item.is_active) == ("燃气管道施工单位具备燃气工程资质", True)
    response = client.post(CHECKLISTS, {"code": "fire_safety", "name": "消防设施"})
    assert response.status_code == 302
    work_type = WorkType.objects.get(code="fire_safety")
    assert work_type.position > WorkType.objects.exclude(pk=work_type.pk).count() - 1
    page = client.get(CHECKLISTS).content.decode()
    assert "消防设施" in page and "燃气管道施工单位具备燃气工程资质" in page
    assert set(AuditEvent.objects.values_list("verb", flat=True)) == {
        "checklist.item_changed",
        "checklist.work_type_added",
    }


def test_the_api_adds_a_work_type_and_an_item_at_the_end(city_officer):
    client = api(city_officer)
    response = client.post(
        "/api/v1/construction/work-types/",
        {"code": "fire_safety", "name": "消防设施", "name_en": "Fire safety"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["items"] == []
    response = client.post(
        "/api/v1/construction/work-types/fire_safety/items/",
        {"text": "消防通道畅通"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["code"] == "fire_safety-01"
    assert response.json()["is_safety"] is False
    assert AuditEvent.objects.filter(verb__startswith="checklist.").count() == 2


def test_a_district_officer_gets_403_on_the_page_and_the_api(client_as, jiangan_officer):
    before = checklist_state()
    item = InspectionItem.objects.get(code="gas-01")
    client = client_as(jiangan_officer)
    assert "检查表维护" not in client.get(reverse("construction:project-list")).content.decode()
    assert client.get(CHECKLISTS).status_code == 403
    assert client.post(CHECKLISTS, {"code": "fire_safety", "name": "消防"}).status_code == 403
    add_item = reverse("construction:work-type-item-add", args=["gas"])
    assert client.post(add_item, {"text": "新项"}).status_code == 403
    change = reverse("construction:inspection-item-change", args=[item.pk])
    assert client.post(change, {"text": "改", "is_active": ""}).status_code == 403
    officer = api(jiangan_officer)
    answers = [
        officer.post("/api/v1/construction/work-types/", {"code": "x", "name": "x"}, format="json"),
        officer.post("/api/v1/construction/work-types/gas/items/", {"text": "新项"}),
        officer.patch(f"/api/v1/construction/inspection-items/{item.pk}/", {"is_active": False}),
    ]
    assert [answer.status_code for answer in answers] == [403, 403, 403]
    assert answers[0].json()["code"] == "permission_denied"
    assert checklist_state() == before
    assert not AuditEvent.objects.exists()


def test_bad_input_is_400_with_a_message_and_changes_nothing(client_as, city_officer):
    before = checklist_state()
    item = InspectionItem.objects.get(code="gas-01")
    client = api(city_officer)
    refusals = {
        "duplicate_code": client.post(
            "/api/v1/construction/work-types/", {"code": "gas", "name": "燃气"}, format="json"
        ),
        "invalid_code": client.post(
            "/api/v1/construction/work-types/", {"code": "Fire-1", "name": "消防"}, format="json"
        ),
        "text_required": client.patch(
            f"/api/v1/construction/inspection-items/{item.pk}/", {"text": "   "}, format="json"
        ),
    }
    for code, response in refusals.items():
        assert response.status_code == 400, (code, response.json())
        assert response.json()["code"] in (code, "invalid"), response.json()
        assert response.json()["message"]
    assert (
        client.post(
            "/api/v1/construction/work-types/gas/items/", {"text": ""}, format="json"
        ).status_code
        == 400
    )
    assert (
        client.post(
            "/api/v1/construction/work-types/nothing/items/", {"text": "x"}, format="json"
        ).status_code
        == 404
    )

    page = client_as(city_officer)
    response = page.post(CHECKLISTS, {"code": "gas", "name": "燃气"})
    assert response.status_code == 400
    assert "已被其他作业类型使用" in response.content.decode()
    response = page.post(reverse("construction:work-type-item-add", args=["gas"]), {"text": " "})
    assert response.status_code == 400
    response = page.post(
        reverse("construction:inspection-item-change", args=[item.pk]), {"text": ""}
    )
    assert response.status_code == 400
    assert checklist_state() == before
    assert not AuditEvent.objects.exists()
