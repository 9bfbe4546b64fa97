"""Inspections from a work type's checklist and the rectification orders they issue."""

import datetime as dt

import pytest
from django.test import override_settings

from anju.access.scope import scope_for
from anju.core.calendar import WorkingCalendar, today
from anju.core.errors import DomainError, PermissionDenied
from anju.core.models import AuditEvent
from anju.territory.models import Stage

from ..models import CheckResult, Finding, FindingPhoto, Inspection, WorkType
from ..selectors.inspections import open_critical_findings
from ..services import inspections as services
from .inspecting import inspect, jpeg, name_parties, results_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def parties(approved_project, builder_firm, supervisor_firm, design_firm):
    return name_parties(
        approved_project,
        construction=builder_firm,
        supervision=supervisor_firm,
        design=design_firm,
    )


@pytest.fixture
def project(approved_project, parties):
    approved_project.refresh_from_db()
    return approved_project


def nothing_written():
    return (Inspection.objects.count(), Finding.objects.count(), AuditEvent.objects.count())


def test_the_supervision_unit_records_an_inspection_with_a_result_per_checklist_item(
    project, parties, supervisor
):
    inspection = inspect(
        supervisor, scope_for(supervisor), project, parties["construction"], photos=[jpeg()]
    )
    scaffolding = WorkType.objects.get(code="scaffolding")
    assert inspection.results.count() == scaffolding.items.filter(is_active=True).count()
    assert inspection.results.get(item__code="scaffolding-03").result == CheckResult.Result.FAIL
    finding = inspection.findings.get()
    assert finding.status == Finding.Status.OPEN
    assert finding.responsible_party == parties["construction"]
    assert finding.photos.count() == 1
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"inspection.recorded", "finding.issued"} <= verbs


def test_the_district_and_the_city_inspect_too(project, parties, jiangan_officer, city_officer):
    for user in (jiangan_officer, city_officer):
        inspect(user, scope_for(user), project, parties["construction"])
    assert Inspection.objects.filter(project=project).count() == 2


def test_the_construction_unit_and_another_district_may_not_inspect(
    project, parties, builder, wuchang_officer
):
    before = nothing_written()
    for user in (builder, wuchang_officer):
        with pytest.raises(PermissionDenied):
            inspect(user, scope_for(user), project, parties["construction"])
    assert nothing_written() == before


def test_only_a_project_under_construction_is_inspected(project, parties, jiangan_officer):
    project.stage = Stage.APPROVED
    project.save(update_fields=["stage"])
    with pytest.raises(DomainError) as refused:
        inspect(jiangan_officer, scope_for(jiangan_officer), project, parties["construction"])
    assert refused.value.code == "project_not_building"
    assert not Inspection.objects.exists()


def test_an_inspection_date_in_the_future_or_before_the_start_is_refused(
    project, parties, jiangan_officer
):
    scope = scope_for(jiangan_officer)
    start = parties["construction"].starts_on
    for day, code in (
        (today() + dt.timedelta(days=1), "date_in_future"),
        (start - dt.timedelta(days=1), "date_before_start"),
    ):
        with pytest.raises(DomainError) as refused:
            inspect(jiangan_officer, scope, project, parties["construction"], inspected_on=day)
        assert refused.value.code == code
        assert "inspected_on" in refused.value.fields
    assert not Inspection.objects.exists()
    inspect(jiangan_officer, scope, project, parties["construction"], inspected_on=start)


def test_every_checklist_item_needs_a_result_and_no_other_checklists_item(project, jiangan_officer):
    scaffolding = WorkType.objects.get(code="scaffolding")
    results = results_for(scaffolding)
    missing = dict(results)
    missing.pop("scaffolding-01")
    foreign = {**results, "hot_work-01": "pass"}
    for given, code in ((missing, "results_incomplete"), (foreign, "item_not_in_checklist")):
        with pytest.raises(DomainError) as refused:
            services.record_inspection(
                actor=jiangan_officer,
                scope=scope_for(jiangan_officer),
                project=project,
                work_type=scaffolding,
                kind="safety",
                inspected_on=today(),
                results=given,
            )
        assert refused.value.code == code
    assert not Inspection.objects.exists()


def test_a_finding_on_a_passed_item_is_refused(project, parties, jiangan_officer):
    scaffolding = WorkType.objects.get(code="scaffolding")
    with pytest.raises(DomainError) as refused:
        services.record_inspection(
            actor=jiangan_officer,
            scope=scope_for(jiangan_officer),
            project=project,
            work_type=scaffolding,
            kind="quality",
            inspected_on=today(),
            results=results_for(scaffolding),
            findings=[
                services.FindingDraft(
                    severity="minor",
                    description="x",
                    responsible_party=parties["construction"],
                    item=scaffolding.items.get(code="scaffolding-01"),
                )
            ],
        )
    assert refused.value.code == "item_not_failed"
    assert not Inspection.objects.exists()


def test_an_extra_finding_needs_a_party_of_this_project(
    project, parties, wuchang_approved_project, jiangan_officer, other_builder
):
    from anju.access.models import Organisation

    other_parties = name_parties(
        wuchang_approved_project,
        construction=Organisation.objects.get(name="武昌建工集团"),
    )
    scaffolding = WorkType.objects.get(code="scaffolding")

    def record(party):
        return services.record_inspection(
            actor=jiangan_officer,
            scope=scope_for(jiangan_officer),
            project=project,
            work_type=scaffolding,
            kind="safety",
            inspected_on=today(),
            results=results_for(scaffolding),
            findings=[
                services.FindingDraft(
                    severity="minor", description="工地围挡破损", responsible_party=party
                )
            ],
        )

    with pytest.raises(DomainError) as refused:
        record(other_parties["construction"])
    assert refused.value.code == "party_not_in_project"
    finding = record(parties["supervision"]).findings.get()
    assert finding.item is None
    assert finding.responsible_party.role == "supervision"


@override_settings(ANJU_RECTIFICATION_DAYS={"minor": 5, "major": 3, "critical": 1})
def test_the_deadline_defaults_by_severity_in_working_days_and_may_be_set(
    project, parties, jiangan_officer
):
    scope = scope_for(jiangan_officer)
    friday = today() - dt.timedelta(days=(today().weekday() - 4) % 7 or 7)
    calendar = WorkingCalendar.from_database()
    critical = inspect(
        jiangan_officer,
        scope,
        project,
        parties["construction"],
        severity="critical",
        inspected_on=friday,
    ).findings.get()
    assert critical.deadline_days == 1
    assert critical.due_on == calendar.add_working_days(friday, 1)
    assert critical.due_on.weekday() < 5
    chosen = inspect(
        jiangan_officer,
        scope,
        project,
        parties["construction"],
        deadline_days=10,
        inspected_on=friday,
    ).findings.get()
    assert chosen.deadline_days == 10
    assert chosen.due_on == calendar.add_working_days(friday, 10)
    with pytest.raises(DomainError) as refused:
        inspect(jiangan_officer, scope, project, parties["construction"], deadline_days=61)
    assert refused.value.code == "invalid_deadline"


def test_order_numbers_run_per_year(project, parties, jiangan_officer):
    scope = scope_for(jiangan_officer)
    numbers = [
        inspect(jiangan_officer, scope, project, parties["construction"]).findings.get()
        for _ in range(3)
    ]
    year = numbers[0].inspection.inspected_on.year
    assert [f.order_number for f in numbers] == [
        f"ZG{year}00001",
        f"ZG{year}00002",
        f"ZG{year}00003",
    ]


def test_an_order_number_taken_meanwhile_is_skipped(project, parties, jiangan_officer, monkeypatch):
    """A concurrent issue committed the next number after we read the last one: the unique
    constraint refuses ours and the service takes the number after it."""
    scope = scope_for(jiangan_officer)
    first = inspect(jiangan_officer, scope, project, parties["construction"]).findings.get()
    rival = inspect(jiangan_officer, scope, project, parties["construction"]).findings.get()
    stale = iter([first.order_number])
    real = services._last_order_number
    monkeypatch.setattr(
        services, "_last_order_number", lambda prefix: next(stale, None) or real(prefix)
    )
    third = inspect(jiangan_officer, scope, project, parties["construction"]).findings.get()
    year = first.inspection.inspected_on.year
    assert rival.order_number == f"ZG{year}00002"
    assert third.order_number == f"ZG{year}00003"


def test_a_bad_photo_writes_nothing(project, parties, jiangan_officer, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = nothing_written()
    with pytest.raises(DomainError):
        inspect(
            jiangan_officer,
            scope_for(jiangan_officer),
            project,
            parties["construction"],
            photos=[SimpleUploadedFile("x.jpg", b"not a picture", content_type="image/jpeg")],
        )
    assert nothing_written() == before
    assert not FindingPhoto.objects.exists()


def test_an_open_critical_finding_is_what_blocks_acceptance(project, parties, jiangan_officer):
    scope = scope_for(jiangan_officer)
    inspect(jiangan_officer, scope, project, parties["construction"], severity="major")
    assert not open_critical_findings(project).exists()
    critical = inspect(
        jiangan_officer, scope, project, parties["construction"], severity="critical"
    ).findings.get()
    assert list(open_critical_findings(project)) == [critical]
    Finding.objects.filter(pk=critical.pk).update(status=Finding.Status.ANSWERED)
    assert open_critical_findings(project).exists()
    Finding.objects.filter(pk=critical.pk).update(status=Finding.Status.CLOSED)
    assert not open_critical_findings(project).exists()


def test_the_demo_inspects_each_building_project_once(project, parties):
    from ..management.commands.demo_construction import Command

    Command().inspections()
    Command().inspections()
    assert Inspection.objects.filter(project=project).count() == 2
    assert list(open_critical_findings(project)) == []
    left_open = Finding.objects.get(project=project, status=Finding.Status.OPEN)
    assert left_open.severity == "major" and left_open.escalation >= 1
