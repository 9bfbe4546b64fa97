"""The parties and schedule API: the viewer's construction projects (`?behind=1` for those
lagging their plan), a project's parties, schedule, start of building, weekly progress with
the supervisor's review, and the S-curve. Bad input answers 4xx with code, message and fields
and writes nothing; another district gets 404; a role that may not act gets 403."""

import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from anju.access.models import CompoundAssignment
from anju.core.models import AuditEvent
from anju.territory.models import Stage

from ..models import Milestone, ProgressReport, ProjectParty, Task, TaskProgress
from ..selectors.schedule import progress_of
from .conftest import make_company
from .delivering import CONTRACT_END, CONTRACT_START, SIGNED_ON, on_day, report_week

pytestmark = pytest.mark.django_db

BASE = "/api/v1/construction/projects/"
APRIL_5 = dt.date(2027, 4, 5)
APRIL_4 = dt.date(2027, 4, 4)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def terms(firm, **overrides) -> dict:
    body = {
        "organisation": firm.pk,
        "responsible_person": "张建国",
        "responsible_phone": "13807100001",
        "contract_sum": "3200000.00",
        "contract_signed_on": SIGNED_ON.isoformat(),
        "starts_on": CONTRACT_START.isoformat(),
        "ends_on": CONTRACT_END.isoformat(),
    }
    body.update(overrides)
    return body


def writes() -> tuple:
    return (
        ProjectParty.objects.count(),
        Milestone.objects.count(),
        Task.objects.count(),
        ProgressReport.objects.count(),
        TaskProgress.objects.count(),
        CompoundAssignment.objects.count(),
        AuditEvent.objects.count(),
    )


def refused(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.content.decode()[:500]
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["message"]
    if field is not None:
        assert field in body["fields"], body
    return body


@pytest.fixture
def in_april(monkeypatch):
    on_day(monkeypatch, APRIL_5)


@pytest.fixture
def tasks(building_project) -> dict:
    return {task.name: task for task in Task.objects.filter(project=building_project)}


@pytest.fixture
def submitted(building_project, builder, in_april):
    return report_week(
        building_project, builder=builder, week_ending=APRIL_4, percents={"屋面防水": 40}
    )


# --- the project list --------------------------------------------------------------------------


def test_a_construction_unit_lists_only_its_projects(  # noqa: PLR0917
    named_project, wuchang_approved_project, builder, builder_firm, jiangan_officer, city_officer
):
    CompoundAssignment.objects.create(
        organisation=builder_firm, compound=wuchang_approved_project.compounds.get()
    )
    response = api(builder).get(BASE)
    assert response.status_code == 200
    assert [row["code"] for row in response.json()["results"]] == [named_project.code]
    assert [row["code"] for row in api(jiangan_officer).get(BASE).json()["results"]] == [
        named_project.code
    ]
    codes = {row["code"] for row in api(city_officer).get(BASE).json()["results"]}
    assert codes == {named_project.code, wuchang_approved_project.code}
    assert api(builder).get(f"{BASE}{wuchang_approved_project.pk}/parties/").status_code == 404


def test_behind_lists_only_the_projects_lagging_their_plan(  # noqa: PLR0917
    building_project,
    wuchang_approved_project,
    builder,
    supervisor,
    city_officer,
    wuchang_officer,
    monkeypatch,
):
    on_day(monkeypatch, dt.date(2027, 5, 3))
    report_week(
        building_project,
        builder=builder,
        week_ending=dt.date(2027, 5, 2),
        percents={"屋面防水": 20},
        confirm_by=supervisor,
    )
    everything = api(city_officer).get(BASE).json()
    assert everything["count"] == 2
    rows = {row["code"]: row for row in everything["results"]}
    row = rows[building_project.code]
    assert row["is_behind"] is True and row["stage"] == "building"
    assert Decimal(row["actual_percent"]) == Decimal("6.0")
    assert Decimal(row["planned_percent"]) == progress_of(building_project).planned_now
    assert row["district"] == "420102"
    assert rows[wuchang_approved_project.code]["is_behind"] is False
    for flag in ("1", "true"):
        behind = api(city_officer).get(BASE, {"behind": flag}).json()
        assert [r["code"] for r in behind["results"]] == [building_project.code]
    assert api(city_officer).get(BASE, {"behind": "0"}).json()["count"] == 2
    assert api(wuchang_officer).get(BASE, {"behind": "1"}).json()["count"] == 0
    staged = api(city_officer).get(BASE, {"stage": "approved"}).json()
    assert [r["code"] for r in staged["results"]] == [wuchang_approved_project.code]


def test_a_project_on_schedule_is_not_behind(
    building_project, builder, supervisor, jiangan_officer, monkeypatch
):
    on_day(monkeypatch, APRIL_5)
    report_week(
        building_project,
        builder=builder,
        week_ending=APRIL_4,
        percents={"屋面防水": 40, "外墙保温": 5},
        confirm_by=supervisor,
    )
    assert api(jiangan_officer).get(BASE, {"behind": "1"}).json()["count"] == 0
    [row] = api(jiangan_officer).get(BASE).json()["results"]
    assert row["is_behind"] is False


# --- parties -----------------------------------------------------------------------------------


def test_the_district_names_reads_changes_and_removes_a_party(
    city, approved_project, jiangan_officer, builder_firm, builder
):
    # The firm also works elsewhere, so losing this project leaves it a scope (404, not 403).
    CompoundAssignment.objects.create(organisation=builder_firm, compound=city.wuchang_compound)
    url = f"{BASE}{approved_project.pk}/parties/"
    response = api(jiangan_officer).post(
        url, {**terms(builder_firm), "role": "construction"}, format="json"
    )
    assert response.status_code == 201, response.content
    party = response.json()
    assert party["role"] == "construction" and party["organisation"] == builder_firm.pk
    assert party["credit_code"] == builder_firm.credit_code
    assert Decimal(party["contract_sum"]) == Decimal("3200000.00")
    assert [p["id"] for p in api(builder).get(url).json()] == [party["id"]]
    replacement = make_company("江汉建工", "construction", "91420100MA4K00008")
    response = api(jiangan_officer).put(
        f"{url}{party['id']}/", terms(replacement, responsible_person="赵工"), format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["organisation_name"] == "江汉建工"
    assert api(builder).get(url).status_code == 404  # the old unit lost the project
    assert api(jiangan_officer).get(f"{url}{party['id']}/").json()["responsible_person"] == "赵工"
    response = api(jiangan_officer).delete(f"{url}{party['id']}/")
    assert response.status_code == 204
    assert not ProjectParty.objects.filter(project=approved_project).exists()


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("contract_sum", {"contract_sum": "-1"}),
        ("contract_sum", {"contract_sum": "abc"}),
        ("responsible_phone", {"responsible_phone": "call me"}),
        ("ends_on", {"ends_on": "2027-02-01"}),
        ("contract_signed_on", {"contract_signed_on": "2027-12-31"}),
        ("starts_on", {"starts_on": "2027-13-45"}),
        ("organisation", {"organisation": 999999}),
        ("organisation", {"organisation": "x"}),
        ("role", {"role": "painter"}),
        ("role", {"role": None}),
    ],
)
def test_bad_party_input_answers_400_with_the_field_and_writes_nothing(
    approved_project, jiangan_officer, builder_firm, field, overrides
):
    before = writes()
    response = api(jiangan_officer).post(
        f"{BASE}{approved_project.pk}/parties/",
        {**terms(builder_firm), "role": "construction", **overrides},
        format="json",
    )
    refused(response, 400, field)
    assert writes() == before


def test_an_organisation_of_another_kind_or_a_named_role_is_refused(
    named_project, jiangan_officer, supervisor_firm, builder_firm
):
    url = f"{BASE}{named_project.pk}/parties/"
    party = ProjectParty.objects.get(project=named_project, role="construction")
    before = writes()
    refused(
        api(jiangan_officer).put(f"{url}{party.pk}/", terms(supervisor_firm), format="json"),
        400,
        "organisation",
    )
    refused(
        api(jiangan_officer).put(
            f"{url}{party.pk}/", terms(builder_firm, contract_sum="-3"), format="json"
        ),
        400,
        "contract_sum",
    )
    body = refused(
        api(jiangan_officer).post(
            url, {**terms(builder_firm), "role": "construction"}, format="json"
        ),
        400,
        "role",
    )
    assert body["code"] == "already_named"
    assert writes() == before


def test_another_district_gets_404_on_parties(named_project, wuchang_officer, builder_firm):
    url = f"{BASE}{named_project.pk}/parties/"
    party = ProjectParty.objects.filter(project=named_project).first()
    before = writes()
    client = api(wuchang_officer)
    refused(client.get(url), 404)
    refused(client.post(url, {**terms(builder_firm), "role": "design"}, format="json"), 404)
    refused(client.get(f"{url}{party.pk}/"), 404)
    refused(client.put(f"{url}{party.pk}/", terms(builder_firm), format="json"), 404)
    refused(client.delete(f"{url}{party.pk}/"), 404)
    assert writes() == before


def test_parties_answer_403_to_a_builder_and_are_fixed_once_building(
    building_project, builder, jiangan_officer, builder_firm
):
    url = f"{BASE}{building_project.pk}/parties/"
    party = ProjectParty.objects.get(project=building_project, role="construction")
    before = writes()
    refused(api(builder).put(f"{url}{party.pk}/", terms(builder_firm), format="json"), 403)
    refused(api(builder).delete(f"{url}{party.pk}/"), 403)
    body = refused(api(jiangan_officer).delete(f"{url}{party.pk}/"), 400)
    assert body["code"] == "wrong_stage"
    assert writes() == before


# --- schedule and start ------------------------------------------------------------------------


def test_the_district_adds_milestones_and_tasks(named_project, jiangan_officer):
    url = f"{BASE}{named_project.pk}/"
    response = api(jiangan_officer).post(
        f"{url}milestones/", {"name": "基础完工", "planned_on": "2027-05-15"}, format="json"
    )
    assert response.status_code == 201, response.content
    milestone = response.json()
    assert milestone["reached_on"] is None
    response = api(jiangan_officer).post(
        f"{url}tasks/",
        {
            "name": "楼道照明",
            "planned_start": "2027-04-01",
            "planned_end": "2027-04-30",
            "weight": "5",
            "milestone": milestone["id"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["milestone"] == milestone["id"]
    schedule = api(jiangan_officer).get(f"{url}schedule/").json()
    assert "基础完工" in [m["name"] for m in schedule["milestones"]]
    assert "楼道照明" in [t["name"] for t in schedule["tasks"]]
    assert len(schedule["tasks"]) == 4


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("planned_start", {"planned_start": "2026-12-01"}),
        ("planned_end", {"planned_end": "2027-12-31"}),
        ("planned_end", {"planned_end": "2027-03-15"}),
        ("weight", {"weight": "0"}),
        ("weight", {"weight": "-2"}),
        ("milestone", {"milestone": 999999}),
        ("name", {"name": ""}),
    ],
)
def test_a_bad_task_answers_400_with_the_field_and_writes_nothing(
    named_project, jiangan_officer, field, overrides
):
    body = {
        "name": "楼道照明",
        "planned_start": "2027-04-01",
        "planned_end": "2027-04-30",
        "weight": "5",
        **overrides,
    }
    before = writes()
    refused(
        api(jiangan_officer).post(f"{BASE}{named_project.pk}/tasks/", body, format="json"),
        400,
        field,
    )
    assert writes() == before


def test_a_bad_milestone_answers_400(named_project, jiangan_officer):
    before = writes()
    refused(
        api(jiangan_officer).post(
            f"{BASE}{named_project.pk}/milestones/",
            {"name": "太早", "planned_on": "2026-01-05"},
            format="json",
        ),
        400,
        "planned_on",
    )
    refused(
        api(jiangan_officer).post(
            f"{BASE}{named_project.pk}/milestones/",
            {"name": "未来完成", "planned_on": "2027-05-05", "reached_on": "2027-05-05"},
            format="json",
        ),
        400,
        "reached_on",
    )
    assert writes() == before


def test_the_schedule_answers_404_elsewhere_and_403_to_the_supervisor(
    building_project, wuchang_officer, supervisor
):
    body = {"name": "x", "planned_start": "2027-04-01", "planned_end": "2027-04-30", "weight": "1"}
    before = writes()
    refused(api(wuchang_officer).get(f"{BASE}{building_project.pk}/schedule/"), 404)
    refused(
        api(wuchang_officer).post(f"{BASE}{building_project.pk}/tasks/", body, format="json"), 404
    )
    refused(api(supervisor).post(f"{BASE}{building_project.pk}/tasks/", body, format="json"), 403)
    assert api(supervisor).get(f"{BASE}{building_project.pk}/schedule/").status_code == 200
    assert writes() == before


def test_the_district_starts_building(named_project, jiangan_officer, builder):
    url = f"{BASE}{named_project.pk}/start/"
    refused(api(builder).post(url), 403)
    response = api(jiangan_officer).post(url)
    assert response.status_code == 200
    assert response.json() == {"stage": "building"}
    named_project.refresh_from_db()
    assert named_project.stage == Stage.BUILDING
    assert refused(api(jiangan_officer).post(url), 400)["code"] == "wrong_stage"


def test_building_does_not_start_before_the_parties_and_schedule(
    approved_project, jiangan_officer, wuchang_officer
):
    before = writes()
    refused(api(wuchang_officer).post(f"{BASE}{approved_project.pk}/start/"), 404)
    body = refused(api(jiangan_officer).post(f"{BASE}{approved_project.pk}/start/"), 400)
    assert body["code"] == "not_ready_to_build"
    assert "尚未确定施工单位" in body["message"]
    approved_project.refresh_from_db()
    assert approved_project.stage == Stage.APPROVED
    assert writes() == before


# --- weekly progress ---------------------------------------------------------------------------


def test_the_builder_reports_and_the_supervisor_confirms(
    building_project, tasks, builder, supervisor, in_april
):
    url = f"{BASE}{building_project.pk}/progress-reports/"
    response = api(builder).post(
        url,
        {
            "week_ending": "2027-04-01",
            "note": "防水基层完成",
            "lines": [{"task": tasks["屋面防水"].pk, "percent": "40"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    report = response.json()
    assert report["week_ending"] == "2027-04-04" and report["status"] == "submitted"
    assert report["lines"] == [
        {"task": tasks["屋面防水"].pk, "task_name": "屋面防水", "percent": "40.0"}
    ]
    assert report["photos"] == 0
    refused(api(builder).post(f"{url}{report['id']}/confirm/"), 403)
    response = api(supervisor).post(f"{url}{report['id']}/confirm/")
    assert response.status_code == 200
    assert response.json()["status"] == "confirmed"
    assert refused(api(supervisor).post(f"{url}{report['id']}/confirm/"), 409)["code"] == (
        "already_reviewed"
    )
    assert [r["status"] for r in api(builder).get(url).json()] == ["confirmed"]


def test_the_builder_sends_site_photos_with_the_report_as_multipart(
    building_project, tasks, builder, in_april
):
    """Photos come as multipart files beside `lines` as JSON text; they are re-encoded (the
    EXIF a phone writes is gone) and a file that is not an image is a 400 that writes nothing."""
    import io
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    def photo(name="site.jpg"):
        buffer = io.BytesIO()
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"
        Image.new("RGB", (32, 24), (40, 90, 160)).save(buffer, format="JPEG", exif=exif)
        return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")

    url = f"{BASE}{building_project.pk}/progress-reports/"
    lines = json.dumps([{"task": tasks["屋面防水"].pk, "percent": "40"}])
    not_a_photo = SimpleUploadedFile("a.jpg", b"not a photo" * 40, content_type="image/jpeg")
    bad = api(builder).post(url, {"lines": lines, "photos": [not_a_photo]}, format="multipart")
    assert bad.status_code == 400 and not ProgressReport.objects.exists()
    assert refused(api(builder).post(url, {"lines": "[{"}, format="multipart"), 400)["fields"]
    response = api(builder).post(
        url,
        {"week_ending": "2027-04-01", "lines": lines, "photos": [photo(), photo("b.jpg")]},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()["photos"] == 2
    stored = ProgressReport.objects.get().photos.first()
    with stored.image.open("rb") as handle:
        assert not Image.open(handle).getexif()


@pytest.mark.parametrize("percent", ["100.1", "150", "-0.5"])
def test_progress_outside_0_to_100_answers_400_and_writes_nothing(
    building_project, tasks, builder, in_april, percent
):
    before = writes()
    body = refused(
        api(builder).post(
            f"{BASE}{building_project.pk}/progress-reports/",
            {
                "lines": [
                    {"task": tasks["屋面防水"].pk, "percent": "30"},
                    {"task": tasks["外墙保温"].pk, "percent": percent},
                ]
            },
            format="json",
        ),
        400,
        f"task_{tasks['外墙保温'].pk}",
    )
    assert body["code"] == "invalid_progress"
    assert writes() == before


@pytest.mark.parametrize(
    "body",
    [
        {"lines": []},
        {"lines": [{"task": "x", "percent": "10"}]},
        {"lines": [{"task": 999999, "percent": "10"}]},
        {"lines": [{"percent": "10"}]},
        {"lines": "all"},
        {},
        {"week_ending": "2027-05-10", "lines": [{"task": 0, "percent": "1"}]},
    ],
)
def test_malformed_progress_answers_400_and_writes_nothing(
    building_project, tasks, builder, in_april, body
):
    before = writes()
    refused(
        api(builder).post(f"{BASE}{building_project.pk}/progress-reports/", body, format="json"),
        400,
    )
    assert writes() == before


def test_a_task_of_another_project_is_refused(
    building_project, wuchang_approved_project, builder, in_april, city_officer
):
    from anju.construction.services import save_task

    from .delivering import district_scope

    other = save_task(
        actor=city_officer,
        scope=district_scope(wuchang_approved_project),
        project=wuchang_approved_project,
        name="别处",
        planned_start=dt.date(2027, 4, 1),
        planned_end=dt.date(2027, 4, 30),
        weight=Decimal("1"),
    )
    before = writes()
    refused(
        api(builder).post(
            f"{BASE}{building_project.pk}/progress-reports/",
            {"lines": [{"task": other.pk, "percent": "10"}]},
            format="json",
        ),
        400,
        f"task_{other.pk}",
    )
    assert writes() == before


def test_the_supervisor_and_the_district_cannot_submit_progress(  # noqa: PLR0917
    building_project, tasks, supervisor, jiangan_officer, wuchang_officer, in_april
):
    url = f"{BASE}{building_project.pk}/progress-reports/"
    body = {"lines": [{"task": tasks["屋面防水"].pk, "percent": "30"}]}
    before = writes()
    refused(api(supervisor).post(url, body, format="json"), 403)
    refused(api(jiangan_officer).post(url, body, format="json"), 403)
    refused(api(wuchang_officer).post(url, body, format="json"), 404)
    assert writes() == before


def test_the_supervisor_disputes_with_a_reason_and_the_builder_resubmits(  # noqa: PLR0917
    building_project, tasks, submitted, builder, supervisor, in_april
):
    url = f"{BASE}{building_project.pk}/progress-reports/{submitted.pk}/dispute/"
    before = writes()
    refused(api(supervisor).post(url, {"reason": ""}, format="json"), 400, "reason")
    refused(api(supervisor).post(url, {}, format="json"), 400, "reason")
    refused(api(builder).post(url, {"reason": "不认"}, format="json"), 403)
    assert writes() == before
    response = api(supervisor).post(url, {"reason": "防水层未闭水试验"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "disputed"
    assert response.json()["review_note"] == "防水层未闭水试验"
    response = api(builder).post(
        f"{BASE}{building_project.pk}/progress-reports/",
        {"week_ending": "2027-04-04", "lines": [{"task": tasks["屋面防水"].pk, "percent": "35"}]},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["id"] == submitted.pk and response.json()["status"] == "submitted"


def test_a_report_of_another_district_is_not_found(building_project, submitted, wuchang_officer):
    url = f"{BASE}{building_project.pk}/progress-reports/"
    refused(api(wuchang_officer).get(url), 404)
    refused(api(wuchang_officer).post(f"{url}{submitted.pk}/confirm/"), 404)
    refused(api(wuchang_officer).post(f"{url}{submitted.pk}/dispute/", {"reason": "x"}), 404)
    submitted.refresh_from_db()
    assert submitted.status == ProgressReport.Status.SUBMITTED


# --- the S-curve -------------------------------------------------------------------------------


def test_the_s_curve_counts_only_confirmed_reports(  # noqa: PLR0917
    building_project, builder, supervisor, wuchang_officer, jiangan_officer, monkeypatch
):
    on_day(monkeypatch, dt.date(2027, 4, 12))
    report_week(
        building_project,
        builder=builder,
        week_ending=APRIL_4,
        percents={"屋面防水": 50},
        confirm_by=supervisor,
    )
    report_week(
        building_project,
        builder=builder,
        week_ending=dt.date(2027, 4, 11),
        percents={"屋面防水": 90},
    )
    url = f"{BASE}{building_project.pk}/s-curve/"
    refused(api(wuchang_officer).get(url), 404)
    curve = api(jiangan_officer).get(url).json()
    assert Decimal(curve["actual"]) == Decimal("15.0")
    assert curve["actual_week"] == "2027-04-04"
    assert curve["is_behind"] is False
    points = {point["week_ending"]: point for point in curve["points"]}
    assert Decimal(points["2027-04-04"]["planned"]) == Decimal("12.7")
    assert Decimal(points["2027-04-04"]["actual"]) == Decimal("15.0")
    assert points["2027-04-11"]["actual"] is None  # the unconfirmed week does not count
    assert points["2027-03-07"]["actual"] is None
    assert curve["points"][-1] == {"week_ending": "2027-10-31", "planned": "100.0", "actual": None}
    assert Decimal(curve["planned_now"]) == progress_of(building_project).planned_now
    # The builder and the supervisor read the same curve.
    assert api(builder).get(url).json() == curve
    assert api(supervisor).get(url).json() == curve


def test_the_s_curve_flags_a_lagging_project(
    building_project, builder, supervisor, jiangan_officer, monkeypatch
):
    on_day(monkeypatch, dt.date(2027, 5, 3))
    report_week(
        building_project,
        builder=builder,
        week_ending=dt.date(2027, 5, 2),
        percents={"屋面防水": 20},
        confirm_by=supervisor,
    )
    curve = api(jiangan_officer).get(f"{BASE}{building_project.pk}/s-curve/").json()
    assert curve["is_behind"] is True


def test_a_project_not_yet_building_has_a_planned_curve_only(named_project, jiangan_officer):
    curve = api(jiangan_officer).get(f"{BASE}{named_project.pk}/s-curve/").json()
    assert curve["is_behind"] is False and curve["actual_week"] is None
    assert curve["points"] and all(point["actual"] is None for point in curve["points"])


def test_a_project_without_tasks_has_an_empty_curve(approved_project, jiangan_officer):
    curve = api(jiangan_officer).get(f"{BASE}{approved_project.pk}/s-curve/").json()
    assert curve["points"] == [] and curve["planned_now"] == "0.0"


# --- removing from the schedule ----------------------------------------------------------------


def test_the_district_reads_and_removes_a_task_and_a_milestone(named_project, jiangan_officer):
    task = Task.objects.filter(project=named_project).first()
    milestone = task.milestone
    url = f"{BASE}{named_project.pk}/"
    assert api(jiangan_officer).get(f"{url}tasks/{task.pk}/").json()["name"] == task.name
    assert api(jiangan_officer).delete(f"{url}tasks/{task.pk}/").status_code == 204
    assert not Task.objects.filter(pk=task.pk).exists()
    assert api(jiangan_officer).get(f"{url}milestones/{milestone.pk}/").json()["id"] == milestone.pk
    assert api(jiangan_officer).delete(f"{url}milestones/{milestone.pk}/").status_code == 204
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    # Its tasks stay in the schedule, outside any milestone.
    assert Task.objects.filter(project=named_project, milestone=None).exists()


def test_removing_answers_404_elsewhere_403_to_the_supervisor_and_409_with_progress(  # noqa: PLR0917
    building_project, tasks, submitted, wuchang_officer, supervisor, builder
):
    url = f"{BASE}{building_project.pk}/"
    milestone = Milestone.objects.filter(project=building_project).first()
    before = writes()
    refused(api(wuchang_officer).delete(f"{url}tasks/{tasks['外墙保温'].pk}/"), 404)
    refused(api(wuchang_officer).delete(f"{url}milestones/{milestone.pk}/"), 404)
    refused(api(supervisor).delete(f"{url}tasks/{tasks['外墙保温'].pk}/"), 403)
    body = refused(api(builder).delete(f"{url}tasks/{tasks['屋面防水'].pk}/"), 409)
    assert body["code"] == "task_has_progress"
    assert writes() == before


def test_a_task_reported_twice_in_one_report_is_refused(building_project, tasks, builder, in_april):
    before = writes()
    refused(
        api(builder).post(
            f"{BASE}{building_project.pk}/progress-reports/",
            {
                "lines": [
                    {"task": tasks["屋面防水"].pk, "percent": "150"},
                    {"task": tasks["屋面防水"].pk, "percent": "10"},
                ]
            },
            format="json",
        ),
        400,
        "lines",
    )
    assert writes() == before
