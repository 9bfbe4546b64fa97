"""Rectification orders: the responsible party answers with evidence, an inspector closes or
reopens, overdue orders escalate to the district and then the city."""

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from anju.access.scope import scope_for
from anju.core.calendar import SHANGHAI, today
from anju.core.duties import registered_duties
from anju.core.errors import Conflict, DomainError, PermissionDenied
from anju.core.models import AuditEvent, Holiday

from ..models import Finding, RectificationStep
from ..selectors.inspections import finding_actions, overdue_findings, party_records
from ..services import inspections as services
from .inspecting import inspect, jpeg, name_parties

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
def finding(approved_project, parties, supervisor):
    """A major order against the construction unit, issued by the supervision unit."""
    approved_project.refresh_from_db()
    return inspect(
        supervisor, scope_for(supervisor), approved_project, parties["construction"]
    ).findings.get()


def answer(user, finding, note="已满铺脚手板并设置挡脚板"):
    return services.answer_finding(
        actor=user, scope=scope_for(user), finding=finding, note=note, photos=[jpeg()]
    )


def refreshed(finding):
    finding.refresh_from_db()
    return finding


def written():
    return RectificationStep.objects.count(), AuditEvent.objects.count()


def test_the_party_answers_and_the_inspector_closes(finding, builder, supervisor):
    step = answer(builder, finding)
    assert step.photos.count() == 1
    assert refreshed(finding).status == Finding.Status.ANSWERED
    services.close_finding(actor=supervisor, scope=scope_for(supervisor), finding=finding)
    finding = refreshed(finding)
    assert finding.status == Finding.Status.CLOSED
    assert finding.closed_by == supervisor and finding.closed_at is not None
    assert list(finding.steps.values_list("kind", flat=True)) == ["answered", "closed"]
    assert set(AuditEvent.objects.values_list("verb", flat=True)) >= {
        "finding.answered",
        "finding.closed",
    }


def test_only_the_responsible_party_answers_an_order(
    finding, supervisor, jiangan_officer, unassigned_builder
):
    before = written()
    for user in (supervisor, jiangan_officer):
        with pytest.raises(PermissionDenied):
            answer(user, finding)
    assert written() == before
    assert refreshed(finding).status == Finding.Status.OPEN


def test_an_answer_needs_a_note_and_evidence(finding, builder):
    before = written()
    with pytest.raises(DomainError) as refused:
        services.answer_finding(
            actor=builder, scope=scope_for(builder), finding=finding, note="整改完成", photos=[]
        )
    assert refused.value.code == "evidence_required"
    with pytest.raises(DomainError) as refused:
        answer(builder, finding, note="  ")
    assert refused.value.code == "note_required"
    assert written() == before


def test_a_reopened_order_is_answered_again(finding, builder, jiangan_officer):
    scope = scope_for(jiangan_officer)
    answer(builder, finding)
    with pytest.raises(DomainError) as refused:
        services.reopen_finding(actor=jiangan_officer, scope=scope, finding=finding, reason=" ")
    assert refused.value.code == "reason_required"
    services.reopen_finding(
        actor=jiangan_officer, scope=scope, finding=finding, reason="挡脚板仍缺失"
    )
    assert refreshed(finding).status == Finding.Status.REOPENED
    assert finding.steps.get(kind="reopened").note == "挡脚板仍缺失"
    answer(builder, finding, note="已补齐挡脚板")
    assert refreshed(finding).status == Finding.Status.ANSWERED


def test_a_closed_finding_cannot_be_answered_again(finding, builder, supervisor):
    answer(builder, finding)
    services.close_finding(actor=supervisor, scope=scope_for(supervisor), finding=finding)
    before = written()
    with pytest.raises(Conflict) as refused:
        answer(builder, finding)
    assert refused.value.code == "finding_closed"
    with pytest.raises(Conflict):
        services.close_finding(actor=supervisor, scope=scope_for(supervisor), finding=finding)
    with pytest.raises(Conflict):
        services.reopen_finding(
            actor=supervisor, scope=scope_for(supervisor), finding=finding, reason="x"
        )
    assert written() == before


def test_an_order_not_yet_answered_cannot_be_closed_or_answered_twice(finding, builder, supervisor):
    with pytest.raises(Conflict) as refused:
        services.close_finding(actor=supervisor, scope=scope_for(supervisor), finding=finding)
    assert refused.value.code == "finding_open"
    answer(builder, finding)
    with pytest.raises(Conflict) as refused:
        answer(builder, finding)
    assert refused.value.code == "finding_answered"


def test_the_responsible_party_does_not_close_its_own_order(
    approved_project, parties, jiangan_officer, supervisor
):
    """An order against the supervision unit, issued by the district: the supervision unit
    answers it but may not sign it off, though it inspects the project."""
    approved_project.refresh_from_db()
    order = inspect(
        jiangan_officer, scope_for(jiangan_officer), approved_project, parties["supervision"]
    ).findings.get()
    answer(supervisor, order)
    actions = finding_actions(scope_for(supervisor), refreshed(order))
    assert not actions.close and not actions.reopen
    with pytest.raises(PermissionDenied):
        services.close_finding(actor=supervisor, scope=scope_for(supervisor), finding=order)
    services.close_finding(actor=jiangan_officer, scope=scope_for(jiangan_officer), finding=order)


def test_the_actions_offered_follow_the_rules(finding, builder, supervisor, jiangan_officer):
    assert finding_actions(scope_for(builder), finding).answer
    assert not finding_actions(scope_for(supervisor), finding).any
    answer(builder, finding)
    finding = refreshed(finding)
    assert not finding_actions(scope_for(builder), finding).any
    for user in (supervisor, jiangan_officer):
        actions = finding_actions(scope_for(user), finding)
        assert actions.close and actions.reopen and not actions.answer


def at_noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=SHANGHAI)


@override_settings(ANJU_RECTIFICATION_CITY_ESCALATION_DAYS=3)
def test_an_overdue_order_escalates_to_the_district_then_the_city(
    finding, jiangan_officer, city_officer
):
    """Due on a Friday; the next Monday and Tuesday are holidays: on Saturday the order goes
    to the district, and the city gets it three *working* days after the due date (Friday
    the following week), not on Wednesday."""
    friday = dt.date(2027, 4, 16)
    Finding.objects.filter(pk=finding.pk).update(due_on=friday)
    for day in (dt.date(2027, 4, 19), dt.date(2027, 4, 20)):
        Holiday.objects.update_or_create(date=day, defaults={"name": "测试假日"})

    assert services.escalate_overdue_findings(at_noon(friday)) == {"district": 0, "city": 0}
    assert refreshed(finding).escalation == 0

    assert services.escalate_overdue_findings(at_noon(dt.date(2027, 4, 17))) == {
        "district": 1,
        "city": 0,
    }
    assert refreshed(finding).escalation == 1
    assert list(overdue_findings(scope_for(jiangan_officer))) == [finding]

    for day in (dt.date(2027, 4, 17), dt.date(2027, 4, 21), dt.date(2027, 4, 22)):
        assert services.escalate_overdue_findings(at_noon(day)) == {"district": 0, "city": 0}
    assert refreshed(finding).escalation == 1

    assert services.escalate_overdue_findings(at_noon(dt.date(2027, 4, 23))) == {
        "district": 0,
        "city": 1,
    }
    assert refreshed(finding).escalation == 2
    assert list(overdue_findings(scope_for(city_officer), level=2)) == [finding]
    assert services.escalate_overdue_findings(at_noon(dt.date(2027, 4, 26))) == {
        "district": 0,
        "city": 0,
    }
    assert list(finding.steps.values_list("kind", flat=True)) == ["escalated", "escalated"]
    assert AuditEvent.objects.filter(verb="finding.escalated").count() == 2


def test_an_answered_or_closed_order_is_not_escalated(finding, builder, supervisor):
    Finding.objects.filter(pk=finding.pk).update(due_on=today() - dt.timedelta(days=20))
    answer(builder, finding)
    assert services.escalate_overdue_findings(timezone.now()) == {"district": 0, "city": 0}
    services.reopen_finding(
        actor=supervisor, scope=scope_for(supervisor), finding=finding, reason="未整改到位"
    )
    counts = services.escalate_overdue_findings(timezone.now())
    assert counts == {"district": 0, "city": 1}, "a reopened order keeps its due date"


def test_the_escalation_duty_is_registered():
    duty = {d.name: d for d in registered_duties()}["construction.escalate_overdue_findings"]
    assert duty.run is services.escalate_overdue_findings


def test_party_records_count_findings_and_timeliness(
    approved_project, parties, jiangan_officer, builder, supervisor
):
    approved_project.refresh_from_db()
    scope = scope_for(jiangan_officer)
    on_time, late, still_open = (
        inspect(
            jiangan_officer, scope, approved_project, parties["construction"], severity=s
        ).findings.get()
        for s in ("minor", "critical", "major")
    )
    for order in (on_time, late):
        answer(builder, order)
        services.close_finding(actor=supervisor, scope=scope_for(supervisor), finding=order)
    Finding.objects.filter(pk=late.pk).update(due_on=today() - dt.timedelta(days=30))
    Finding.objects.filter(pk=still_open.pk).update(due_on=today() - dt.timedelta(days=1))
    inspect(jiangan_officer, scope, approved_project, parties["design"])

    records = {record.kind: record for record in party_records(scope)}
    builders = records["construction"]
    assert builders.total == 3 and builders.closed == 2 and builders.open == 1
    assert builders.severity_counts == [1, 1, 1]
    assert builders.closed_on_time == 1 and builders.overdue_open == 1
    assert builders.on_time_share == pytest.approx(1 / 3)
    assert builders.mean_days_to_close is not None
    assert records["design"].total == 1 and records["design"].on_time_share is None
    assert "supervision" not in records
