"""The construction workbench pages of parties and schedule: the project list (a construction
unit sees only its projects, the district sees which lag their plan), the project hub (parties,
schedule, the S-curve's data, the other chapters' panels) and its forms — naming, changing and
removing parties, milestones and tasks, the start of building, weekly progress and the
supervisor's review. A refusal comes back on the hub with the field named (400) and writes
nothing; another district gets 404; a role that may not act gets 403."""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from anju.access.models import CompoundAssignment, Organisation
from anju.core.models import AuditEvent
from anju.territory.models import Stage

from ..models import Milestone, ProgressReport, ProjectParty, Task, TaskProgress
from ..selectors.schedule import progress_of
from .conftest import make_company
from .delivering import (
    CONTRACT_END,
    CONTRACT_START,
    SIGNED_ON,
    district_scope,
    name_parties,
    on_day,
    report_week,
)

pytestmark = pytest.mark.django_db

# A Monday in April 2027: the week ending Sunday 4 April is reportable.
APRIL_5 = dt.date(2027, 4, 5)
APRIL_4 = dt.date(2027, 4, 4)


def hub(pk) -> str:
    return reverse("construction:project", args=[pk])


def party_post(firm, role=None, /, **overrides) -> dict:
    data = {
        "organisation": firm.pk,
        "responsible_person": "张建国",
        "responsible_phone": "13807100001",
        "contract_sum": "3200000.00",
        "contract_signed_on": SIGNED_ON.isoformat(),
        "starts_on": CONTRACT_START.isoformat(),
        "ends_on": CONTRACT_END.isoformat(),
    }
    if role is not None:
        data["role"] = role
    data.update(overrides)
    return data


def writes() -> tuple:
    """Everything this chapter writes, counted (a refusal leaves it as it was)."""
    return (
        ProjectParty.objects.count(),
        Milestone.objects.count(),
        Task.objects.count(),
        ProgressReport.objects.count(),
        TaskProgress.objects.count(),
        CompoundAssignment.objects.count(),
        AuditEvent.objects.count(),
    )


def element(html: str, element_id: str) -> str:
    """The opening tag of the element with this id (raises if absent)."""
    found = re.search(r"<[^>]*\bid=\"" + re.escape(element_id) + r"\"[^>]*>", html)
    assert found, element_id
    return found.group(0)


@pytest.fixture
def in_april(monkeypatch):
    on_day(monkeypatch, APRIL_5)


@pytest.fixture
def submitted(building_project, builder, in_april):
    return report_week(
        building_project, builder=builder, week_ending=APRIL_4, percents={"屋面防水": 40}
    )


# --- the project list --------------------------------------------------------------------------


def test_a_construction_unit_lists_only_the_projects_it_builds(  # noqa: PLR0917
    client_as, named_project, wuchang_approved_project, builder, other_builder, builder_firm
):
    # builder_firm also holds 武昌's compound directly: holding it is not being a party.
    CompoundAssignment.objects.create(
        organisation=builder_firm, compound=wuchang_approved_project.compounds.get()
    )
    name_parties(
        wuchang_approved_project,
        builder_firm=Organisation.objects.get(name="武昌建工集团"),
        supervisor_firm=make_company("武昌监理", "supervision", "91420100MA4K00009"),
    )
    response = client_as(builder).get(reverse("construction:project-list"))
    assert response.status_code == 200
    assert [row[0] for row in response.context["rows"]] == [named_project]
    text = response.content.decode()
    assert named_project.name in text and wuchang_approved_project.code not in text
    response = client_as(other_builder).get(reverse("construction:project-list"))
    assert [row[0] for row in response.context["rows"]] == [wuchang_approved_project]
    assert client_as(builder).get(hub(wuchang_approved_project.pk)).status_code == 404


def test_a_construction_unit_not_yet_named_lists_nothing(
    client_as, approved_project, builder, builder_firm
):
    # Without any compound the account has no scope: the workbench answers 404.
    assert client_as(builder).get(reverse("construction:project-list")).status_code == 404
    # Holding the project's compound (for other work) is not being its construction unit.
    CompoundAssignment.objects.create(
        organisation=builder_firm, compound=approved_project.compounds.get()
    )
    response = client_as(builder).get(reverse("construction:project-list"))
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert client_as(builder).get(hub(approved_project.pk)).status_code == 404


def test_the_district_sees_which_projects_lag_their_plan(  # noqa: PLR0917
    client_as, building_project, builder, supervisor, jiangan_officer, wuchang_officer, monkeypatch
):
    on_day(monkeypatch, dt.date(2027, 5, 3))
    report_week(
        building_project,
        builder=builder,
        week_ending=dt.date(2027, 5, 2),
        percents={"屋面防水": 20},
        confirm_by=supervisor,
    )
    response = client_as(jiangan_officer).get(reverse("construction:project-list"))
    assert response.status_code == 200
    [(project, progress, behind)] = response.context["rows"]
    assert project == building_project and behind
    # planned on 3 May ≈ 28.5 %, confirmed 20 % of a task weighing 30 of 100 = 6 %.
    assert progress.actual == Decimal("6.0") and progress.planned_now > Decimal("16")
    text = response.content.decode()
    assert "behind-flag" in text and 'class="table-warning"' in text
    assert "6.0%" in text
    # Filtered by stage, the building project is still there; approved lists none.
    building = client_as(jiangan_officer).get(
        reverse("construction:project-list") + "?stage=building"
    )
    assert [row[0] for row in building.context["rows"]] == [building_project]
    approved = client_as(jiangan_officer).get(
        reverse("construction:project-list") + "?stage=approved"
    )
    assert approved.context["rows"] == []
    # Another district sees neither the project nor its flag.
    other = client_as(wuchang_officer).get(reverse("construction:project-list"))
    assert other.context["rows"] == [] and "behind-flag" not in other.content.decode()


def test_a_project_on_schedule_carries_no_flag(  # noqa: PLR0917
    client_as, building_project, builder, supervisor, jiangan_officer, monkeypatch
):
    on_day(monkeypatch, APRIL_5)
    report_week(
        building_project,
        builder=builder,
        week_ending=APRIL_4,
        percents={"屋面防水": 40, "外墙保温": 5},
        confirm_by=supervisor,
    )
    response = client_as(jiangan_officer).get(reverse("construction:project-list"))
    [(_, _, behind)] = response.context["rows"]
    assert not behind
    assert "behind-flag" not in response.content.decode()


def test_an_unknown_stage_filter_lists_every_stage(client_as, named_project, jiangan_officer):
    response = client_as(jiangan_officer).get(reverse("construction:project-list") + "?stage=x")
    assert response.status_code == 200
    assert [row[0] for row in response.context["rows"]] == [named_project]


# --- the hub -----------------------------------------------------------------------------------


def test_the_hub_shows_parties_schedule_and_the_s_curve_data(  # noqa: PLR0917
    client_as, building_project, builder, supervisor, jiangan_officer, monkeypatch
):
    on_day(monkeypatch, dt.date(2027, 4, 12))
    report_week(
        building_project,
        builder=builder,
        week_ending=APRIL_4,
        percents={"屋面防水": 50},
        confirm_by=supervisor,
    )
    response = client_as(jiangan_officer).get(hub(building_project.pk))
    assert response.status_code == 200
    text = response.content.decode()
    for party in ProjectParty.objects.filter(project=building_project):
        assert party.organisation.name in text
        assert party.organisation.credit_code in text
        assert party.responsible_person in text
    for task in Task.objects.filter(project=building_project):
        assert task.name in text
    assert "主体完工" in text and "竣工" in text
    # The S-curve's data travels through json_script, the same figures as the selector's.
    found = re.search(
        r'<script id="progress-curve-data" type="application/json">(.*?)</script>', text, re.S
    )
    assert found
    curve = json.loads(found.group(1))
    progress = progress_of(building_project)
    assert curve["weeks"] == [point.week_ending.isoformat() for point in progress.points]
    assert curve["weeks"][0] == "2027-03-07" and curve["weeks"][-1] == "2027-10-31"
    assert curve["planned"][-1] == 100.0
    april = curve["weeks"].index("2027-04-04")
    assert curve["planned"][april] == 12.7 and curve["actual"][april] == 15.0
    assert curve["actual"][0] is None and curve["actual"][-1] is None
    assert 'id="progress-curve"' in text and "progress_curve.js" in text
    assert 'id="behind-flag"' not in text
    # The other chapters' panels sit on the hub.
    for panel in ("notice-panel", "inspections-panel", "acceptance-panel", "sampling-panel"):
        assert f'id="{panel}"' in text, panel


def test_another_district_gets_404_on_the_hub_and_every_form(
    client_as, named_project, wuchang_officer, builder_firm
):
    party = ProjectParty.objects.filter(project=named_project).first()
    milestone = Milestone.objects.filter(project=named_project).first()
    task = Task.objects.filter(project=named_project).first()
    before = writes()
    client = client_as(wuchang_officer)
    assert client.get(hub(named_project.pk)).status_code == 404
    pk = named_project.pk
    posts = [
        (reverse("construction:party-name", args=[pk]), party_post(builder_firm, "construction")),
        (reverse("construction:party-change", args=[pk, party.pk]), party_post(builder_firm)),
        (reverse("construction:party-remove", args=[pk, party.pk]), {}),
        (
            reverse("construction:milestone-add", args=[pk]),
            {"name": "x", "planned_on": "2027-05-01"},
        ),
        (reverse("construction:milestone-remove", args=[pk, milestone.pk]), {}),
        (reverse("construction:task-remove", args=[pk, task.pk]), {}),
        (reverse("construction:start", args=[pk]), {}),
        (reverse("construction:progress-submit", args=[pk]), {f"task_{task.pk}": "10"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert writes() == before
    assert ProjectParty.objects.filter(project=named_project).count() == 3


def test_a_party_of_another_project_is_not_found_through_this_one(  # noqa: PLR0917
    client_as, named_project, wuchang_approved_project, city_officer, builder_firm, supervisor_firm
):
    other = name_parties(
        wuchang_approved_project, builder_firm=builder_firm, supervisor_firm=supervisor_firm
    )["construction"]
    response = client_as(city_officer).post(
        reverse("construction:party-remove", args=[named_project.pk, other.pk])
    )
    assert response.status_code == 404
    assert ProjectParty.objects.filter(pk=other.pk).exists()


# --- parties -----------------------------------------------------------------------------------


def test_the_district_names_a_party_on_the_hub(
    client_as, approved_project, jiangan_officer, builder_firm, builder
):
    page = client_as(jiangan_officer).get(hub(approved_project.pk))
    assert 'id="name-party"' in page.content.decode()
    response = client_as(jiangan_officer).post(
        reverse("construction:party-name", args=[approved_project.pk]),
        party_post(builder_firm, "construction"),
    )
    assert response.status_code == 302 and response.url == hub(approved_project.pk)
    party = ProjectParty.objects.get(project=approved_project)
    assert party.organisation == builder_firm and party.named_by == jiangan_officer
    assert party.contract_sum == Decimal("3200000.00")
    # Its staff now see the project.
    assert client_as(builder).get(hub(approved_project.pk)).status_code == 200


def test_the_name_form_offers_only_the_roles_still_open(
    client_as, approved_project, jiangan_officer, builder_firm, supervisor_firm
):
    name_parties(approved_project, builder_firm=builder_firm, supervisor_firm=supervisor_firm)
    response = client_as(jiangan_officer).get(hub(approved_project.pk))
    roles = [value for value, _ in response.context["party_form"].fields["role"].choices]
    assert roles == ["design"]


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("contract_sum", {"contract_sum": "-1"}),
        ("contract_sum", {"contract_sum": "很多"}),
        ("responsible_phone", {"responsible_phone": "call me"}),
        ("responsible_person", {"responsible_person": ""}),
        ("ends_on", {"ends_on": "2027-02-01"}),
        ("contract_signed_on", {"contract_signed_on": "2027-12-31"}),
        ("starts_on", {"starts_on": "2027-13-45"}),
        ("organisation", {"organisation": "999999"}),
        ("role", {"role": "painter"}),
    ],
)
def test_a_bad_party_form_answers_400_with_the_field_and_writes_nothing(  # noqa: PLR0917
    client_as, approved_project, jiangan_officer, builder_firm, field, overrides
):
    before = writes()
    response = client_as(jiangan_officer).post(
        reverse("construction:party-name", args=[approved_project.pk]),
        party_post(builder_firm, "construction", **overrides),
    )
    assert response.status_code == 400
    assert field in response.context["party_form"].errors
    assert 'id="name-party" open' in response.content.decode()
    assert writes() == before


def test_an_organisation_of_another_kind_is_refused_on_its_field(
    client_as, approved_project, jiangan_officer, supervisor_firm
):
    before = writes()
    response = client_as(jiangan_officer).post(
        reverse("construction:party-name", args=[approved_project.pk]),
        party_post(supervisor_firm, "construction"),
    )
    assert response.status_code == 400
    assert "organisation" in response.context["party_form"].errors
    assert writes() == before


def test_a_role_already_named_is_refused(client_as, named_project, jiangan_officer, builder_firm):
    before = writes()
    response = client_as(jiangan_officer).post(
        reverse("construction:party-name", args=[named_project.pk]),
        party_post(builder_firm, "construction"),
    )
    assert response.status_code == 400
    assert "role" in response.context["party_form"].errors
    assert writes() == before


def test_a_builder_cannot_name_a_party(client_as, named_project, builder, builder_firm):
    before = writes()
    response = client_as(builder).post(
        reverse("construction:party-name", args=[named_project.pk]),
        party_post(builder_firm, "design"),
    )
    assert response.status_code == 403
    assert writes() == before


def test_the_district_changes_a_party_on_the_hub(
    client_as, named_project, jiangan_officer, builder_firm, builder
):
    party = ProjectParty.objects.get(project=named_project, role="construction")
    page = client_as(jiangan_officer).get(hub(named_project.pk)).content.decode()
    # Each party has its own change form, with its own field ids, filled with its terms.
    form = element(page, f"change-party-{party.pk}")
    assert "open" not in form
    assert f'id="id_party{party.pk}_responsible_person"' in page
    assert 'value="张建国"' in page
    replacement = make_company("江汉建工", "construction", "91420100MA4K00008")
    response = client_as(jiangan_officer).post(
        reverse("construction:party-change", args=[named_project.pk, party.pk]),
        party_post(replacement, responsible_person="赵工"),
    )
    assert response.status_code == 302
    party.refresh_from_db()
    assert party.organisation == replacement and party.responsible_person == "赵工"
    # The old construction unit's staff no longer see the project.
    assert client_as(builder).get(hub(named_project.pk)).status_code == 404


def test_a_bad_change_answers_400_on_that_partys_form_and_writes_nothing(
    client_as, named_project, jiangan_officer, builder_firm
):
    party = ProjectParty.objects.get(project=named_project, role="construction")
    before = writes()
    response = client_as(jiangan_officer).post(
        reverse("construction:party-change", args=[named_project.pk, party.pk]),
        party_post(builder_firm, contract_sum="-5"),
    )
    assert response.status_code == 400
    [changed] = [p for p in response.context["parties"] if p.pk == party.pk]
    assert "contract_sum" in changed.change_form.errors
    text = response.content.decode()
    assert "open" in element(text, f"change-party-{party.pk}")
    # The blank naming form is not the one that came back.
    assert not response.context["party_form"].errors
    assert writes() == before
    party.refresh_from_db()
    assert party.contract_sum == Decimal("3200000.00")


def test_the_district_removes_a_party_before_building(
    client_as, named_project, jiangan_officer, builder
):
    party = ProjectParty.objects.get(project=named_project, role="construction")
    response = client_as(jiangan_officer).post(
        reverse("construction:party-remove", args=[named_project.pk, party.pk])
    )
    assert response.status_code == 302
    assert not ProjectParty.objects.filter(pk=party.pk).exists()
    assert client_as(builder).get(hub(named_project.pk)).status_code == 404


def test_parties_are_not_removed_once_building(client_as, building_project, jiangan_officer):
    party = ProjectParty.objects.get(project=building_project, role="construction")
    page = client_as(jiangan_officer).get(hub(building_project.pk)).content.decode()
    remove = reverse("construction:party-remove", args=[building_project.pk, party.pk])
    assert remove not in page and 'id="name-party"' not in page
    assert f'id="change-party-{party.pk}"' not in page
    before = writes()
    response = client_as(jiangan_officer).post(
        reverse("construction:party-remove", args=[building_project.pk, party.pk]), follow=True
    )
    assert writes() == before
    assert "参建单位只能在项目通过联合审查、开工之前确定或变更。" in response.content.decode()


# --- milestones and tasks ----------------------------------------------------------------------


def test_the_district_adds_and_removes_a_milestone(client_as, named_project, jiangan_officer):
    url = reverse("construction:milestone-add", args=[named_project.pk])
    response = client_as(jiangan_officer).post(
        url, {"name": "基础完工", "planned_on": "2027-05-15"}
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get(project=named_project, name="基础完工")
    assert milestone.planned_on == dt.date(2027, 5, 15)
    assert "基础完工" in client_as(jiangan_officer).get(hub(named_project.pk)).content.decode()
    response = client_as(jiangan_officer).post(
        reverse("construction:milestone-remove", args=[named_project.pk, milestone.pk])
    )
    assert response.status_code == 302
    assert not Milestone.objects.filter(pk=milestone.pk).exists()


@pytest.mark.parametrize(
    ("field", "data"),
    [
        ("planned_on", {"name": "太早", "planned_on": "2026-01-05"}),
        ("planned_on", {"name": "太晚", "planned_on": "2028-01-05"}),
        ("planned_on", {"name": "无日期", "planned_on": ""}),
        ("name", {"name": "", "planned_on": "2027-05-15"}),
    ],
)
def test_a_bad_milestone_answers_400_with_the_field(
    client_as, named_project, jiangan_officer, field, data
):
    before = writes()
    response = client_as(jiangan_officer).post(
        reverse("construction:milestone-add", args=[named_project.pk]), data
    )
    assert response.status_code == 400
    assert field in response.context["milestone_form"].errors
    assert 'id="add-milestone" open' in response.content.decode()
    assert writes() == before


def test_the_district_adds_and_removes_a_task(client_as, named_project, jiangan_officer):
    milestone = Milestone.objects.filter(project=named_project).first()
    response = client_as(jiangan_officer).post(
        reverse("construction:task-add", args=[named_project.pk]),
        {
            "name": "楼道照明",
            "milestone": milestone.pk,
            "planned_start": "2027-04-01",
            "planned_end": "2027-04-30",
            "weight": "5",
        },
    )
    assert response.status_code == 302
    task = Task.objects.get(project=named_project, name="楼道照明")
    assert task.milestone == milestone and task.weight == Decimal("5")
    response = client_as(jiangan_officer).post(
        reverse("construction:task-remove", args=[named_project.pk, task.pk])
    )
    assert response.status_code == 302
    assert not Task.objects.filter(pk=task.pk).exists()


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("planned_start", {"planned_start": "2026-12-01"}),
        ("planned_end", {"planned_end": "2027-12-31"}),
        ("planned_end", {"planned_end": "2027-03-15"}),
        ("weight", {"weight": "0"}),
        ("weight", {"weight": "abc"}),
        ("milestone", {"milestone": "999999"}),
    ],
)
def test_a_bad_task_answers_400_with_the_field_and_writes_nothing(
    client_as, named_project, jiangan_officer, field, overrides
):
    data = {
        "name": "楼道照明",
        "planned_start": "2027-04-01",
        "planned_end": "2027-04-30",
        "weight": "5",
        **overrides,
    }
    before = writes()
    response = client_as(jiangan_officer).post(
        reverse("construction:task-add", args=[named_project.pk]), data
    )
    assert response.status_code == 400
    assert field in response.context["task_form"].errors
    assert 'id="add-task" open' in response.content.decode()
    assert writes() == before


def test_a_milestone_of_another_project_is_not_offered_to_a_task(
    client_as, named_project, wuchang_approved_project, city_officer
):
    from anju.construction.services import save_milestone

    other = save_milestone(
        actor=city_officer,
        scope=district_scope(wuchang_approved_project),
        project=wuchang_approved_project,
        name="别处的节点",
        planned_on=dt.date(2027, 5, 1),
    )
    before = writes()
    response = client_as(city_officer).post(
        reverse("construction:task-add", args=[named_project.pk]),
        {
            "name": "x",
            "milestone": other.pk,
            "planned_start": "2027-04-01",
            "planned_end": "2027-04-30",
            "weight": "5",
        },
    )
    assert response.status_code == 400
    assert "milestone" in response.context["task_form"].errors
    assert writes() == before


def test_a_task_with_reported_progress_stays(client_as, submitted, building_project, builder):
    task = Task.objects.get(project=building_project, name="屋面防水")
    before = writes()
    response = client_as(builder).post(
        reverse("construction:task-remove", args=[building_project.pk, task.pk]), follow=True
    )
    assert response.status_code == 200
    assert "已有进度填报，不能删除" in response.content.decode()
    assert writes() == before


def test_the_builder_keeps_the_schedule_and_the_supervisor_may_not(
    client_as, building_project, builder, supervisor
):
    data = {
        "name": "补充",
        "planned_start": "2027-04-01",
        "planned_end": "2027-04-30",
        "weight": "1",
    }
    url = reverse("construction:task-add", args=[building_project.pk])
    assert client_as(builder).post(url, data).status_code == 302
    before = writes()
    assert client_as(supervisor).post(url, data).status_code == 403
    assert writes() == before
    page = client_as(supervisor).get(hub(building_project.pk)).content.decode()
    task = Task.objects.filter(project=building_project).first()
    remove = reverse("construction:task-remove", args=[building_project.pk, task.pk])
    assert 'id="add-task"' not in page and remove not in page


# --- the start of building ---------------------------------------------------------------------


def test_the_district_starts_building_when_ready(client_as, named_project, jiangan_officer):
    page = client_as(jiangan_officer).get(hub(named_project.pk)).content.decode()
    assert 'id="missing-for-start"' not in page
    response = client_as(jiangan_officer).post(
        reverse("construction:start", args=[named_project.pk])
    )
    assert response.status_code == 302
    named_project.refresh_from_db()
    assert named_project.stage == Stage.BUILDING


def test_building_does_not_start_without_parties_and_a_schedule(
    client_as, approved_project, jiangan_officer
):
    page = client_as(jiangan_officer).get(hub(approved_project.pk)).content.decode()
    assert "尚未确定施工单位" in element(page, "missing-for-start") + page
    before = writes()
    response = client_as(jiangan_officer).post(
        reverse("construction:start", args=[approved_project.pk])
    )
    assert response.status_code == 400
    assert "还不能开工" in response.content.decode()
    approved_project.refresh_from_db()
    assert approved_project.stage == Stage.APPROVED
    assert writes() == before


def test_a_builder_cannot_start_building(client_as, named_project, builder):
    response = client_as(builder).post(reverse("construction:start", args=[named_project.pk]))
    assert response.status_code == 403
    named_project.refresh_from_db()
    assert named_project.stage == Stage.APPROVED


# --- weekly progress ---------------------------------------------------------------------------


def test_the_builder_submits_the_weeks_progress(client_as, building_project, builder, in_april):
    tasks = {task.name: task for task in Task.objects.filter(project=building_project)}
    page = client_as(builder).get(hub(building_project.pk)).content.decode()
    assert 'id="report-progress"' in page and "/confirm/" not in page
    response = client_as(builder).post(
        reverse("construction:progress-submit", args=[building_project.pk]),
        {
            "week_ending": "2027-04-02",
            "note": "防水基层完成",
            f"task_{tasks['屋面防水'].pk}": "40",
            f"task_{tasks['外墙保温'].pk}": "",
        },
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get(project=building_project)
    assert report.week_ending == APRIL_4 and report.status == ProgressReport.Status.SUBMITTED
    assert [(line.task.name, line.percent) for line in report.lines.all()] == [
        ("屋面防水", Decimal("40.0"))
    ]


@pytest.mark.parametrize("percent", ["100.1", "150", "-1"])
def test_progress_outside_0_to_100_answers_400_and_writes_nothing(
    client_as, building_project, builder, in_april, percent
):
    tasks = list(Task.objects.filter(project=building_project))
    before = writes()
    response = client_as(builder).post(
        reverse("construction:progress-submit", args=[building_project.pk]),
        {f"task_{tasks[0].pk}": "30", f"task_{tasks[1].pk}": percent},
    )
    assert response.status_code == 400
    assert f"task_{tasks[1].pk}" in response.context["progress_form"].errors
    assert 'id="report-progress" open' in response.content.decode()
    assert writes() == before


def test_an_empty_report_answers_400(client_as, building_project, builder, in_april):
    before = writes()
    response = client_as(builder).post(
        reverse("construction:progress-submit", args=[building_project.pk]), {"note": "本周停工"}
    )
    assert response.status_code == 400
    assert response.context["progress_form"].non_field_errors()
    assert writes() == before


def test_the_supervisor_cannot_submit_progress(client_as, building_project, supervisor, in_april):
    task = Task.objects.filter(project=building_project).first()
    before = writes()
    page = client_as(supervisor).get(hub(building_project.pk)).content.decode()
    assert 'id="report-progress"' not in page
    response = client_as(supervisor).post(
        reverse("construction:progress-submit", args=[building_project.pk]),
        {f"task_{task.pk}": "30"},
    )
    assert response.status_code == 403
    assert writes() == before


def test_the_district_cannot_submit_progress(
    client_as, building_project, jiangan_officer, in_april
):
    task = Task.objects.filter(project=building_project).first()
    before = writes()
    response = client_as(jiangan_officer).post(
        reverse("construction:progress-submit", args=[building_project.pk]),
        {f"task_{task.pk}": "30"},
    )
    assert response.status_code == 403
    assert writes() == before


def test_the_supervisor_confirms_a_report(client_as, submitted, building_project, supervisor):
    page = client_as(supervisor).get(hub(building_project.pk)).content.decode()
    assert (
        reverse("construction:progress-confirm", args=[building_project.pk, submitted.pk]) in page
    )
    response = client_as(supervisor).post(
        reverse("construction:progress-confirm", args=[building_project.pk, submitted.pk])
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ProgressReport.Status.CONFIRMED
    # A second confirmation is refused with a message, not an error page.
    again = client_as(supervisor).post(
        reverse("construction:progress-confirm", args=[building_project.pk, submitted.pk]),
        follow=True,
    )
    assert "该周报已经审核过" in again.content.decode()


def test_the_builder_cannot_confirm_its_own_report(client_as, submitted, building_project, builder):
    before = writes()
    response = client_as(builder).post(
        reverse("construction:progress-confirm", args=[building_project.pk, submitted.pk])
    )
    assert response.status_code == 403
    response = client_as(builder).post(
        reverse("construction:progress-dispute", args=[building_project.pk, submitted.pk]),
        {"reason": "自己不认"},
    )
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == ProgressReport.Status.SUBMITTED
    assert writes() == before


def test_the_supervisor_disputes_a_report_with_a_reason(
    client_as, submitted, building_project, supervisor, builder
):
    url = reverse("construction:progress-dispute", args=[building_project.pk, submitted.pk])
    before = writes()
    response = client_as(supervisor).post(url, {"reason": ""})
    assert response.status_code == 400
    assert "reason" in response.context["dispute_form"].errors
    assert writes() == before
    response = client_as(supervisor).post(url, {"reason": "防水层未闭水试验"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ProgressReport.Status.DISPUTED
    assert submitted.review_note == "防水层未闭水试验"
    assert "防水层未闭水试验" in client_as(builder).get(hub(building_project.pk)).content.decode()


def test_another_district_gets_404_on_a_report(
    client_as, submitted, building_project, wuchang_officer
):
    for name in ("progress-confirm", "progress-dispute"):
        response = client_as(wuchang_officer).post(
            reverse(f"construction:{name}", args=[building_project.pk, submitted.pk]),
            {"reason": "x"},
        )
        assert response.status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == ProgressReport.Status.SUBMITTED


# --- what each viewer is offered ---------------------------------------------------------------


def test_the_district_is_offered_the_parties_and_schedule_but_not_progress(
    client_as, named_project, jiangan_officer
):
    response = client_as(jiangan_officer).get(hub(named_project.pk))
    text = response.content.decode()
    party = ProjectParty.objects.filter(project=named_project).first()
    assert 'id="add-task"' in text and 'id="add-milestone"' in text
    assert reverse("construction:party-remove", args=[named_project.pk, party.pk]) in text
    assert f'id="change-party-{party.pk}"' in text
    assert reverse("construction:start", args=[named_project.pk]) in text
    assert 'id="report-progress"' not in text
    assert 'id="funding-link"' in text


def test_a_builder_is_not_offered_the_districts_forms(client_as, named_project, builder):
    response = client_as(builder).get(hub(named_project.pk))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="name-party"' not in text and "change-party-" not in text
    for party in ProjectParty.objects.filter(project=named_project):
        assert reverse("construction:party-remove", args=[named_project.pk, party.pk]) not in text
    assert reverse("construction:start", args=[named_project.pk]) not in text
    assert 'id="funding-link"' not in text
    # The construction unit keeps the schedule with the district.
    assert 'id="add-task"' in text


def test_a_reports_photo_is_served_to_the_projects_staff_only(  # noqa: PLR0917
    client_as, building_project, builder, supervisor, wuchang_officer, in_april
):
    from anju.construction.services import submit_progress

    from .delivering import scope_of
    from .inspecting import jpeg

    task = Task.objects.filter(project=building_project).first()
    report = submit_progress(
        actor=builder,
        scope=scope_of(builder),
        project=building_project,
        percents={task: 10},
        photos=[jpeg()],
        week_ending=APRIL_4,
    )
    photo = report.photos.get()
    url = reverse("construction:progress-photo", args=[building_project.pk, photo.pk])
    assert url in client_as(supervisor).get(hub(building_project.pk)).content.decode()
    response = client_as(supervisor).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    assert client_as(wuchang_officer).get(url).status_code == 404
