"""Changing a milestone or a task of the schedule, on its workbench page
(`construction:milestone-change`, `construction:task-change`) and by PUT on the API: the
construction unit marks a milestone reached, the district fixes a task's dates or weight. The
entry keeps its place in the schedule and the change is audited (only the fields that
changed). A date before the project's planned start or a reached date in the future answers
400 and changes nothing; another district or another company gets 404; a party that may not
schedule (the supervisor) is offered no link and gets 403."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from anju.core.models import AuditEvent

from ..models import Milestone, Task
from .delivering import on_day

pytestmark = pytest.mark.django_db

API = "/api/v1/construction/projects/"
APRIL_5 = dt.date(2027, 4, 5)


def hub(project) -> str:
    return reverse("construction:project", args=[project.pk])


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def entry_state(entry) -> tuple:
    """The entry's stored fields and the number of audit events (a refusal leaves both)."""
    fresh = type(entry).objects.get(pk=entry.pk)
    fields = [f.attname for f in fresh._meta.concrete_fields]
    return tuple(getattr(fresh, name) for name in fields), AuditEvent.objects.count()


@pytest.fixture
def in_april(monkeypatch):
    on_day(monkeypatch, APRIL_5)


@pytest.fixture
def milestone(named_project) -> Milestone:
    """主体完工, planned for 31 August 2027, third in the milestones' order."""
    milestone = Milestone.objects.get(project=named_project, name="主体完工")
    Milestone.objects.filter(pk=milestone.pk).update(position=3)
    milestone.refresh_from_db()
    return milestone


@pytest.fixture
def task(named_project) -> Task:
    """屋面防水, 1 March to 31 May 2027, weight 30, second in the tasks' order."""
    task = Task.objects.get(project=named_project, name="屋面防水")
    Task.objects.filter(pk=task.pk).update(position=2)
    task.refresh_from_db()
    return task


def milestone_url(milestone) -> str:
    return reverse("construction:milestone-change", args=[milestone.project_id, milestone.pk])


def task_url(task) -> str:
    return reverse("construction:task-change", args=[task.project_id, task.pk])


def task_body(task, **overrides) -> dict:
    body = {
        "name": task.name,
        "milestone": task.milestone_id,
        "planned_start": task.planned_start.isoformat(),
        "planned_end": task.planned_end.isoformat(),
        "weight": str(task.weight),
    }
    body.update(overrides)
    return body


# --- the workbench pages -----------------------------------------------------------------------


def test_the_construction_unit_marks_a_milestone_reached_and_the_hub_shows_it(
    client_as, named_project, builder, milestone, in_april
):
    client = client_as(builder)
    page = client.get(milestone_url(milestone))
    assert page.status_code == 200
    assert page.context["form"].initial["planned_on"] == dt.date(2027, 8, 31)
    assert f'href="{hub(named_project)}#schedule"' in page.content.decode()

    response = client.post(
        milestone_url(milestone),
        {"name": "主体完工", "planned_on": "2027-08-31", "reached_on": "2027-04-01"},
        follow=True,
    )
    assert response.redirect_chain == [(hub(named_project), 302)]
    text = response.content.decode()
    assert "主体完工 2027-08-31 ✓2027-04-01" in text
    assert "已修改进度节点“主体完工”。" in text
    milestone.refresh_from_db()
    assert milestone.reached_on == dt.date(2027, 4, 1) and milestone.position == 3
    assert Milestone.objects.filter(project=named_project).count() == 2


def test_the_change_is_audited_with_only_what_changed(
    client_as, named_project, builder, milestone, in_april
):
    client_as(builder).post(
        milestone_url(milestone),
        {"name": "主体完工", "planned_on": "2027-08-31", "reached_on": "2027-04-01"},
    )
    event = AuditEvent.objects.filter(verb="construction.milestone_saved").first()
    assert event.actor == builder
    assert event.object_id == str(named_project.pk)
    assert event.territory_path == named_project.path
    assert event.before == {"reached_on": None}
    assert event.after == {"reached_on": "2027-04-01"}


def test_the_district_fixes_a_tasks_weight_on_its_page(
    client_as, named_project, jiangan_officer, task
):
    client = client_as(jiangan_officer)
    page = client.get(task_url(task))
    assert page.status_code == 200
    assert page.context["form"].initial["weight"] == Decimal("30")
    assert page.context["form"].initial["milestone"] == task.milestone_id

    response = client.post(task_url(task), task_body(task, weight="35"))
    assert response.status_code == 302 and response.url == hub(named_project)
    task.refresh_from_db()
    assert task.weight == Decimal("35") and task.position == 2
    event = AuditEvent.objects.filter(verb="construction.task_saved").first()
    assert (event.actor, event.before, event.after) == (
        jiangan_officer,
        {"weight": "30.00"},
        {"weight": "35"},
    )


def test_the_hub_offers_the_change_links_only_to_who_may_schedule(  # noqa: PLR0917
    client_as, named_project, builder, supervisor, milestone, task
):
    links = (milestone_url(milestone), task_url(task))
    text = client_as(builder).get(hub(named_project)).content.decode()
    assert all(f'href="{link}"' in text for link in links)
    text = client_as(supervisor).get(hub(named_project)).content.decode()
    assert not any(link in text for link in links)
    assert client_as(supervisor).get(milestone_url(milestone)).status_code == 403


@pytest.mark.parametrize(
    ("field", "data"),
    [
        ("planned_on", {"name": "主体完工", "planned_on": "2027-02-28"}),
        (
            "reached_on",
            {"name": "主体完工", "planned_on": "2027-08-31", "reached_on": "2027-04-06"},
        ),
        ("name", {"name": "", "planned_on": "2027-08-31"}),
    ],
)
def test_a_bad_milestone_comes_back_on_its_page_and_changes_nothing(  # noqa: PLR0917
    client_as, builder, milestone, in_april, field, data
):
    before = entry_state(milestone)
    response = client_as(builder).post(milestone_url(milestone), data)
    assert response.status_code == 400
    assert response.templates[0].name == "construction/schedule_entry_edit.html"
    assert field in response.context["form"].errors
    assert entry_state(milestone) == before


def test_a_task_starting_before_the_project_comes_back_on_its_page(
    client_as, jiangan_officer, task
):
    before = entry_state(task)
    response = client_as(jiangan_officer).post(
        task_url(task), task_body(task, planned_start="2027-02-28")
    )
    assert response.status_code == 400
    assert "planned_start" in response.context["form"].errors
    assert "日期不能早于项目计划开工日期" in response.content.decode()
    assert entry_state(task) == before


# --- the API -----------------------------------------------------------------------------------


def test_a_tasks_dates_change_by_put(named_project, builder, task):
    url = f"{API}{named_project.pk}/tasks/{task.pk}/"
    response = api(builder).put(
        url, task_body(task, planned_start="2027-03-15", planned_end="2027-06-15"), format="json"
    )
    assert response.status_code == 200, response.content.decode()
    body = response.json()
    assert (body["id"], body["planned_start"], body["planned_end"]) == (
        task.pk,
        "2027-03-15",
        "2027-06-15",
    )
    task.refresh_from_db()
    assert (task.planned_start, task.planned_end) == (dt.date(2027, 3, 15), dt.date(2027, 6, 15))
    assert task.position == 2 and task.weight == Decimal("30")
    assert api(builder).get(url).json()["planned_end"] == "2027-06-15"
    event = AuditEvent.objects.filter(verb="construction.task_saved").first()
    assert event.actor == builder
    assert event.after == {"planned_start": "2027-03-15", "planned_end": "2027-06-15"}


def test_a_milestone_is_marked_reached_by_put(named_project, builder, milestone, in_april):
    response = api(builder).put(
        f"{API}{named_project.pk}/milestones/{milestone.pk}/",
        {"name": "主体完工", "planned_on": "2027-08-31", "reached_on": "2027-04-01"},
        format="json",
    )
    assert response.status_code == 200, response.content.decode()
    assert response.json()["reached_on"] == "2027-04-01"
    milestone.refresh_from_db()
    assert milestone.reached_on == dt.date(2027, 4, 1) and milestone.position == 3


@pytest.mark.parametrize(
    ("field", "body"),
    [
        ("planned_on", {"name": "主体完工", "planned_on": "2027-02-28"}),
        (
            "reached_on",
            {"name": "主体完工", "planned_on": "2027-08-31", "reached_on": "2027-04-06"},
        ),
    ],
)
def test_a_bad_milestone_put_answers_400_and_changes_nothing(  # noqa: PLR0917
    named_project, builder, milestone, in_april, field, body
):
    before = entry_state(milestone)
    response = api(builder).put(
        f"{API}{named_project.pk}/milestones/{milestone.pk}/", body, format="json"
    )
    assert response.status_code == 400, response.content.decode()
    assert set(response.json()) == {"code", "message", "fields"}
    assert field in response.json()["fields"]
    assert entry_state(milestone) == before


@pytest.mark.parametrize(
    ("field", "overrides"),
    [("planned_start", {"planned_start": "2027-02-28"}), ("milestone", {"milestone": 10**9})],
)
def test_a_bad_task_put_answers_400_and_changes_nothing(
    named_project, jiangan_officer, task, field, overrides
):
    before = entry_state(task)
    response = api(jiangan_officer).put(
        f"{API}{named_project.pk}/tasks/{task.pk}/", task_body(task, **overrides), format="json"
    )
    assert response.status_code == 400, response.content.decode()
    assert field in response.json()["fields"]
    assert entry_state(task) == before


# --- someone else's schedule -------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["wuchang_officer", "other_builder"])
def test_another_district_or_company_gets_404_and_changes_nothing(  # noqa: PLR0917
    request, client_as, named_project, milestone, task, persona
):
    user = request.getfixturevalue(persona)
    before = entry_state(milestone), entry_state(task)
    page = client_as(user)
    assert page.get(milestone_url(milestone)).status_code == 404
    assert page.get(task_url(task)).status_code == 404
    assert (
        page.post(milestone_url(milestone), {"name": "x", "planned_on": "2027-08-31"}).status_code
        == 404
    )
    assert page.post(task_url(task), task_body(task, weight="99")).status_code == 404
    client = api(user)
    response = client.put(
        f"{API}{named_project.pk}/milestones/{milestone.pk}/",
        {"name": "x", "planned_on": "2027-08-31"},
        format="json",
    )
    assert response.status_code == 404
    response = client.put(
        f"{API}{named_project.pk}/tasks/{task.pk}/", task_body(task, weight="99"), format="json"
    )
    assert response.status_code == 404
    assert (entry_state(milestone), entry_state(task)) == before
