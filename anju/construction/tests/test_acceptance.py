"""Joint completion acceptance (联合竣工验收): who takes part, the checklist, defects, the
outcome and the stage it moves the project to, and the planning carry-over it ends."""

# ruff: noqa: F811 (the fixtures imported from accepting.py are the test arguments)

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings

from anju.core.actors import CLI
from anju.core.errors import Conflict, DomainError, PermissionDenied
from anju.core.models import AuditEvent
from anju.core.scope import Scope
from anju.planning import scenarios
from anju.planning.models import AnnualPlan, AnnualPlanStatus
from anju.territory.models import Stage

from ..models import AcceptanceSession, Finding, Inspection, Participant, Severity, WorkType
from ..selectors import acceptance as selectors
from ..services import acceptance as services
from .accepting import (  # noqa: F401
    acceptance_project,
    accepted_project,
    all_pass,
    approve_plan,
    building_project,
    decide,
    invite_residents,
    named_project,
    open_session,
    ready,
    ready_session,
    sign_everyone,
)
from .delivering import district_scope

pytestmark = pytest.mark.django_db


def state(project):
    """What a refused change must leave as it was."""
    project.refresh_from_db()
    return (
        project.stage,
        list(project.compounds.values_list("stage", flat=True)),
        list(AcceptanceSession.objects.values_list("outcome", "certificate_number")),
        AuditEvent.objects.count(),
    )


def critical_finding(project):
    party = project.parties.get(role="construction")
    inspection = Inspection.objects.create(
        project=project,
        work_type=WorkType.objects.first(),
        kind=Inspection.Kind.values[0],
        inspected_on=dt.date(2027, 10, 1),
    )
    return Finding.objects.create(
        inspection=inspection,
        project=project,
        severity=Severity.CRITICAL,
        description="脚手架连墙件缺失",
        responsible_party=party,
        order_number="ZG-2027-0001",
        deadline_days=1,
        due_on=dt.date(2027, 10, 2),
    )


# --- opening and participants ------------------------------------------------------------------


def test_a_session_invites_the_parties_and_the_office_and_its_checklist_is_the_approved_plan(
    acceptance_project,
):
    session = open_session(acceptance_project)
    kinds = sorted(session.participants.values_list("kind", flat=True))
    assert kinds == ["office", "party", "party", "party"]
    labels = [line.label for line in selectors.checklist(acceptance_project)]
    assert len(labels) == 2
    assert labels[0].startswith("屋面修缮（420") and labels[1].startswith("外墙修缮（1200")


def test_only_a_building_project_gets_a_session(named_project):
    approve_plan(named_project)
    with pytest.raises(DomainError) as refused:
        open_session(named_project)
    assert refused.value.code == "wrong_stage"
    assert not AcceptanceSession.objects.exists()


def test_another_districts_officer_may_not_organise_it(acceptance_project, city):
    wuchang = Scope(roles=frozenset({"district_task_force"}), node_paths=(city.wuchang.path,))
    with pytest.raises(PermissionDenied):
        services.open_session(
            actor=CLI, scope=wuchang, project=acceptance_project, scheduled_on=dt.date(2027, 11, 1)
        )


def test_a_second_session_waits_until_the_first_failed(acceptance_project):
    session = ready(acceptance_project)
    with pytest.raises(Conflict):
        open_session(acceptance_project)
    decide(session, "failed")
    acceptance_project.refresh_from_db()
    assert acceptance_project.stage == Stage.BUILDING
    assert open_session(acceptance_project).pk != session.pk


def test_representatives_are_chosen_from_the_projects_own_households(acceptance_project, city):
    session = open_session(acceptance_project)
    elsewhere = city.wuchang_compound.households.first()
    with pytest.raises(DomainError) as refused:
        services.invite_participants(
            actor=CLI,
            scope=district_scope(acceptance_project),
            session=session,
            invitations=[services.Invitation(kind="resident", household=elsewhere, name="赵某")],
        )
    assert "households" in refused.value.fields
    assert not session.participants.filter(kind="resident").exists()


def test_a_household_is_invited_once(acceptance_project):
    session = open_session(acceptance_project)
    invite_residents(session, 1)
    with pytest.raises(Conflict):
        invite_residents(session, 1)
    assert session.participants.filter(kind="resident").count() == 1


def test_a_department_is_an_organisation_of_kind_department(acceptance_project, builder_firm):
    session = open_session(acceptance_project)
    with pytest.raises(DomainError):
        services.invite_participants(
            actor=CLI,
            scope=district_scope(acceptance_project),
            session=session,
            invitations=[services.Invitation(kind="department", organisation=builder_firm)],
        )


def test_a_session_needs_at_least_the_configured_number_of_residents_representatives(
    acceptance_project,
):
    session = ready(acceptance_project, residents=2)
    before = state(acceptance_project)
    with pytest.raises(DomainError) as refused:
        decide(session)
    assert refused.value.code == "too_few_representatives"
    assert "3" in str(refused.value.message)
    assert state(acceptance_project) == before
    third = acceptance_project.compounds.get().households.order_by("pk")[2]
    services.invite_participants(
        actor=CLI,
        scope=district_scope(acceptance_project),
        session=session,
        invitations=[services.Invitation(kind="resident", household=third, name="王桂芳")],
    )
    sign_everyone(session)
    assert decide(session).outcome == "passed"


@override_settings(ANJU_ACCEPTANCE_MIN_RESIDENT_REPRESENTATIVES=4)
def test_the_minimum_comes_from_the_setting(acceptance_project):
    session = ready(acceptance_project, residents=3)
    with pytest.raises(DomainError) as refused:
        decide(session)
    assert refused.value.code == "too_few_representatives"


def test_everyone_invited_gives_an_opinion_before_the_outcome(acceptance_project):
    session = open_session(acceptance_project)
    invite_residents(session, 3)
    sign_everyone(session)
    services.invite_participants(
        actor=CLI,
        scope=district_scope(acceptance_project),
        session=session,
        invitations=[services.Invitation(kind="department", name="区住建局 王工")],
    )
    with pytest.raises(DomainError) as refused:
        decide(session)
    assert refused.value.code == "opinions_missing"
    absent = session.participants.get(kind="department")
    services.remove_participant(
        actor=CLI, scope=district_scope(acceptance_project), participant=absent
    )
    assert decide(session).outcome == "passed"


# --- the checklist ------------------------------------------------------------------------------


def test_every_line_of_the_checklist_is_answered_and_a_fail_says_why(acceptance_project):
    session = open_session(acceptance_project)
    participant = session.participants.filter(kind="party").first()
    scope = district_scope(acceptance_project)
    first, second = all_pass(acceptance_project)
    with pytest.raises(DomainError):
        services.record_checklist(
            actor=CLI, scope=scope, participant=participant, answers=[first], opinion="agree"
        )
    failing = services.CheckAnswer(code=second.code, result="fail")
    with pytest.raises(DomainError):
        services.record_checklist(
            actor=CLI,
            scope=scope,
            participant=participant,
            answers=[first, failing],
            opinion="conditional",
        )
    participant.refresh_from_db()
    assert participant.signed_at is None and not participant.checks.exists()
    services.record_checklist(
        actor=CLI,
        scope=scope,
        participant=participant,
        answers=[first, services.CheckAnswer(code=second.code, result="fail", note="外墙空鼓")],
        opinion="conditional",
    )
    assert participant.checks.filter(result="fail").get().note == "外墙空鼓"


def test_staff_record_a_paper_signature_with_its_channel(acceptance_project):
    session = open_session(acceptance_project)
    (resident,) = invite_residents(session, 1)
    services.record_checklist(
        actor=CLI,
        scope=district_scope(acceptance_project),
        participant=resident,
        answers=all_pass(acceptance_project),
        opinion="agree",
        channel="paper",
    )
    resident.refresh_from_db()
    assert resident.channel == "paper" and resident.signed_at is not None


def test_a_party_fills_its_own_checklist_not_anothers(acceptance_project, builder):
    from anju.access.scope import scope_for

    session = open_session(acceptance_project)
    own = session.participants.get(party__role="construction")
    other = session.participants.get(party__role="supervision")
    scope = scope_for(builder)
    services.record_checklist(
        actor=builder,
        scope=scope,
        participant=own,
        answers=all_pass(acceptance_project),
        opinion="agree",
    )
    with pytest.raises(PermissionDenied):
        services.record_checklist(
            actor=builder,
            scope=scope,
            participant=other,
            answers=all_pass(acceptance_project),
            opinion="agree",
        )


def test_a_resident_answers_only_for_their_own_household(acceptance_project):
    session = open_session(acceptance_project)
    first, second = invite_residents(session, 2)
    with pytest.raises(PermissionDenied):
        services.submit_resident_checklist(
            household=second.household,
            participant=first,
            answers=all_pass(acceptance_project),
            opinion="agree",
        )
    services.submit_resident_checklist(
        household=first.household,
        participant=first,
        answers=all_pass(acceptance_project),
        opinion="agree",
    )
    first.refresh_from_db()
    assert first.channel == "portal"


def test_representatives_names_are_masked_for_roles_that_may_not_see_them(
    acceptance_project, builder, jiangan_community_worker
):
    from anju.access.scope import scope_for

    session = open_session(acceptance_project)
    (resident,) = invite_residents(session, 1)
    resident = Participant.objects.select_related("session__project").get(pk=resident.pk)
    assert selectors.shown_name(resident, scope_for(builder)) == "张**"
    assert selectors.shown_name(resident, scope_for(jiangan_community_worker)) == "张秀英"
    assert selectors.shown_name(resident, district_scope(acceptance_project)) == "张秀英"


# --- defects and the outcome ----------------------------------------------------------------------


def test_a_pass_moves_the_project_to_accepted_with_a_certificate_number(ready_session):
    session = decide(ready_session)
    project = session.project
    project.refresh_from_db()
    assert project.stage == Stage.ACCEPTED
    assert set(project.compounds.values_list("stage", flat=True)) == {Stage.ACCEPTED}
    assert session.certificate_number == f"YS-{project.code}-01"
    assert project.stage_changes.filter(to_stage=Stage.ACCEPTED).exists()


def test_acceptance_with_an_open_critical_finding_is_refused_and_changes_nothing(ready_session):
    project = ready_session.project
    critical_finding(project)
    before = state(project)
    for outcome, conditions in (("passed", ""), ("conditional", "外墙修补")):
        with pytest.raises(DomainError) as refused:
            decide(ready_session, outcome, conditions)
        assert refused.value.code == "open_critical_findings"
        assert "ZG-2027-0001" in str(refused.value.message)
    assert state(project) == before
    decide(ready_session, "failed")  # failing is still possible
    project.refresh_from_db()
    assert project.stage == Stage.BUILDING


def test_a_closed_critical_finding_no_longer_blocks(ready_session):
    finding = critical_finding(ready_session.project)
    finding.status = Finding.Status.CLOSED
    finding.save()
    assert decide(ready_session).outcome == "passed"


def test_a_pass_with_a_defect_still_open_must_be_conditional(ready_session):
    project = ready_session.project
    services.record_defect(
        actor=CLI,
        scope=district_scope(project),
        session=ready_session,
        description="3栋屋面落水管未恢复",
        owner=project.parties.get(role="construction"),
        due_on=dt.date(2027, 12, 5),
    )
    with pytest.raises(DomainError) as refused:
        decide(ready_session, "passed")
    assert refused.value.code == "open_defects"


def test_a_defect_needs_an_owner_of_this_project_and_a_due_date_after_the_session(
    ready_session, wuchang_approved_project, other_builder
):
    project = ready_session.project
    scope = district_scope(project)
    with pytest.raises(DomainError) as refused:
        services.record_defect(
            actor=CLI,
            scope=scope,
            session=ready_session,
            description="x",
            owner=None,
            due_on=dt.date(2027, 11, 1),
        )
    assert set(refused.value.fields) == {"owner", "due_on"}
    assert not ready_session.defects.exists()


def test_conditions_are_cleared_only_when_every_defect_is_cleared(ready_session, supervisor):
    from anju.access.scope import scope_for

    project = ready_session.project
    scope = district_scope(project)
    defect = services.record_defect(
        actor=CLI,
        scope=scope,
        session=ready_session,
        description="3栋屋面落水管未恢复",
        owner=project.parties.get(role="construction"),
        due_on=dt.date(2027, 12, 5),
    )
    with pytest.raises(DomainError):
        decide(ready_session, "conditional", "")
    session = decide(ready_session, "conditional", "落水管恢复后通过")
    project.refresh_from_db()
    assert project.stage == Stage.BUILDING and session.certificate_number
    with pytest.raises(DomainError) as refused:
        services.clear_conditions(actor=CLI, scope=scope, session=session)
    assert refused.value.code == "open_defects"
    services.clear_defect(
        actor=supervisor, scope=scope_for(supervisor), defect=defect, note="已恢复，监理复核"
    )
    services.clear_conditions(actor=CLI, scope=scope, session=session)
    project.refresh_from_db()
    assert project.stage == Stage.ACCEPTED


def test_a_decided_session_does_not_change(accepted_project):
    session = accepted_project.acceptance_sessions.get()
    with pytest.raises(DomainError):
        decide(session, "failed")
    participant = session.participants.first()
    with pytest.raises(DomainError):
        services.record_checklist(
            actor=CLI,
            scope=district_scope(accepted_project),
            participant=participant,
            answers=all_pass(accepted_project),
            opinion="disagree",
        )


# --- planning: carry-overs --------------------------------------------------------------------


def next_year_of(project) -> AnnualPlan:
    return AnnualPlan.objects.create(
        five_year_plan=project.annual_plan.five_year_plan,
        year=project.annual_plan.year + 1,
        status=AnnualPlanStatus.DRAFT,
        total_budget=Decimal("0"),
    )


def test_a_building_project_is_carried_over_into_next_years_plan(acceptance_project):
    assert list(scenarios.carry_overs(next_year_of(acceptance_project))) == [acceptance_project]


def test_an_accepted_project_is_not_carried_over_into_next_years_plan(accepted_project):
    assert accepted_project.stage == Stage.ACCEPTED
    assert not scenarios.carry_overs(next_year_of(accepted_project)).exists()


def test_the_projects_own_stage_decides_not_a_compound_shared_with_a_later_project(
    accepted_project,
):
    """A compound's stage follows its newest project; the carry-over asks the project."""
    compound = accepted_project.compounds.get()
    compound.stage = Stage.PLANNED
    compound.save(update_fields=["stage"])
    assert not scenarios.carry_overs(next_year_of(accepted_project)).exists()


# --- demo ---------------------------------------------------------------------------------------


def test_the_demo_holds_an_acceptance_for_a_building_project_once(acceptance_project):
    from anju.construction.management.commands.demo_construction import Command

    Command().acceptance()
    Command().acceptance()
    session = acceptance_project.acceptance_sessions.get()
    progress = selectors.session_progress(session)
    assert progress.residents_signed == 4 and progress.signed == progress.participants
    assert session.outcome == ""  # the only building project is left for the visitor to decide
