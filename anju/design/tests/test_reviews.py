"""Joint review and permits (联合审查、简化审批): the rules of submitting, assigning, deciding
and recording permits, and what an approval or a return does to the project."""

import datetime as dt
from decimal import Decimal

import pytest

from anju.access.scope import scope_for
from anju.core.calendar import today
from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.models import AuditEvent
from anju.design.models import PermitStep, PlanVersion, Review, ReviewDecision, ReviewerAssignment
from anju.design.selectors.reviews import get_review, pending_decisions_for
from anju.design.services import reviews
from anju.territory.models import Stage

from .reviewing import assign, noticed_version, reviewer

pytestmark = pytest.mark.django_db


def submit(officer, version):
    return reviews.submit_for_review(actor=officer, scope=scope_for(officer), version=version)


def decide(user, review, department, decision="approved", comments=""):
    return reviews.decide_review(
        actor=user,
        scope=scope_for(user),
        review=review,
        department_code=department,
        decision=decision,
        comments=comments,
    )


def record(officer, project, procedure, number="江岸发改〔2027〕12号", on=None):
    return reviews.record_permit_step(
        actor=officer,
        scope=scope_for(officer),
        project=project,
        procedure=procedure,
        document_number=number,
        done_on=on or today() - dt.timedelta(days=1),
    )


def departments(review):
    return list(review.decisions.values_list("department__code", flat=True))


# --- submitting ------------------------------------------------------------------------------


def test_submitting_with_an_unanswered_objection_is_refused_and_writes_nothing(
    jiangan_officer, jiangan_project
):
    version = noticed_version(jiangan_project, objections=2, answered=1)
    events_before = AuditEvent.objects.count()

    with pytest.raises(DomainError) as refused:
        submit(jiangan_officer, version)

    assert refused.value.status == 400
    assert "尚有 1 条异议未答复" in str(refused.value.message)
    version.refresh_from_db()
    assert version.status == PlanVersion.Status.NOTICED
    assert not Review.objects.exists()
    assert not PermitStep.objects.exists()
    assert AuditEvent.objects.count() == events_before


def test_submitting_while_the_notice_period_is_open_is_refused(jiangan_officer, jiangan_project):
    version = noticed_version(jiangan_project, closes_in_days=0)

    with pytest.raises(DomainError) as refused:
        submit(jiangan_officer, version)

    assert "尚未届满" in str(refused.value.message)
    assert not Review.objects.exists()


def test_answered_objections_and_a_closed_period_open_the_review(jiangan_officer, jiangan_project):
    version = noticed_version(jiangan_project, objections=2, answered=2)

    review = submit(jiangan_officer, version)

    version.refresh_from_db()
    assert version.status == PlanVersion.Status.IN_REVIEW
    assert review.status == Review.Status.OPEN
    assert AuditEvent.objects.filter(verb="review.submitted").count() == 1


def test_a_draft_version_cannot_go_to_review(jiangan_officer, jiangan_project):
    version = noticed_version(jiangan_project)
    PlanVersion.objects.filter(pk=version.pk).update(status=PlanVersion.Status.DRAFT)
    version.refresh_from_db()

    with pytest.raises(DomainError, match="只有已公示的方案"):
        submit(jiangan_officer, version)


def test_the_departments_are_those_of_the_items_rules_plus_housing(
    jiangan_officer, jiangan_project
):
    # B14 roofs → planning; B06 gas pipes → gas; B13 overhead cables → power and telecom.
    version = noticed_version(
        jiangan_project, items=[("B14", "100", "150"), ("B06", "80", "300"), ("B13", "50", "90")]
    )

    review = submit(jiangan_officer, version)

    assert departments(review) == ["housing", "planning", "power", "gas", "telecom"]
    assert set(ReviewDecision.objects.values_list("decision", flat=True)) == {"pending"}


def test_only_the_projects_district_submits(designer, jiangan_project, wuchang_officer):
    version = noticed_version(jiangan_project)
    with pytest.raises(PermissionDenied):
        submit(designer, version)
    with pytest.raises(PermissionDenied):
        submit(wuchang_officer, version)
    assert not Review.objects.exists()


# --- permits ---------------------------------------------------------------------------------


def test_the_checklist_needs_approval_planning_and_construction_permits(
    jiangan_officer, jiangan_project
):
    submit(jiangan_officer, noticed_version(jiangan_project, items=[("B14", "100", "150")]))

    steps = {s.procedure: s for s in PermitStep.objects.filter(project=jiangan_project)}
    assert set(steps) == {"approval", "planning_permit", "construction_permit"}
    assert all(step.is_required for step in steps.values())


def test_an_elevator_only_plan_is_exempt_from_the_planning_permit(jiangan_officer, jiangan_project):
    submit(jiangan_officer, noticed_version(jiangan_project, items=[("I13", "2", "450000")]))

    planning = PermitStep.objects.get(project=jiangan_project, procedure="planning_permit")
    assert not planning.is_required
    assert "加装电梯" in planning.exemption and "武汉" in planning.exemption
    assert planning.is_done
    with pytest.raises(DomainError, match="免办"):
        record(jiangan_officer, jiangan_project, "planning_permit")


def test_one_item_needing_a_permit_makes_the_whole_plan_need_it(jiangan_officer, jiangan_project):
    version = noticed_version(jiangan_project, items=[("I13", "2", "450000"), ("B15", "9", "8")])
    submit(jiangan_officer, version)

    assert PermitStep.objects.get(project=jiangan_project, procedure="planning_permit").is_required


def test_a_permit_needs_a_number_and_a_date_not_in_the_future(jiangan_officer, jiangan_project):
    submit(jiangan_officer, noticed_version(jiangan_project))

    with pytest.raises(DomainError) as refused:
        record(jiangan_officer, jiangan_project, "approval", number=" ")
    assert "document_number" in refused.value.fields
    with pytest.raises(DomainError) as refused:
        record(jiangan_officer, jiangan_project, "approval", on=today() + dt.timedelta(days=1))
    assert "done_on" in refused.value.fields
    assert not PermitStep.objects.get(project=jiangan_project, procedure="approval").is_done


def test_permits_are_recorded_only_once_the_review_is_opened(jiangan_officer, jiangan_project):
    with pytest.raises(DomainError, match="提交联合审查后"):
        record(jiangan_officer, jiangan_project, "approval")


# --- reviewers -------------------------------------------------------------------------------


def assign_by(officer, project, department, username):
    return reviews.assign_reviewer(
        actor=officer,
        scope=scope_for(officer),
        project=project,
        department_code=department,
        reviewer_username=username,
    )


def test_the_district_assigns_a_reviewer_for_a_department_of_the_plan(
    city, jiangan_officer, jiangan_project
):
    noticed_version(jiangan_project)
    planner = reviewer("planning-reviewer", city.jiangan)

    assignment = assign_by(jiangan_officer, jiangan_project, "planning", "planning-reviewer")

    assert assignment.reviewer == planner
    assert AuditEvent.objects.filter(verb="review.reviewer_assigned").count() == 1


def test_a_reviewer_for_a_department_the_plan_does_not_touch_is_refused(
    city, jiangan_officer, jiangan_project
):
    noticed_version(jiangan_project, items=[("B14", "100", "150")])
    reviewer("fire-reviewer", city.jiangan)

    with pytest.raises(DomainError) as refused:
        assign_by(jiangan_officer, jiangan_project, "fire", "fire-reviewer")

    assert refused.value.status == 400
    assert refused.value.code == "department_not_in_plan"
    assert "消防救援" in str(refused.value.message)
    assert not ReviewerAssignment.objects.exists()


def test_a_reviewer_must_hold_the_role_inside_the_projects_territory(
    city, jiangan_officer, jiangan_project, jiangan_community_worker
):
    noticed_version(jiangan_project)
    reviewer("wuchang-planning", city.wuchang)

    for username in ("wuchang-planning", jiangan_community_worker.username, "nobody"):
        with pytest.raises(DomainError, match="不是本项目辖区内的部门审查人"):
            assign_by(jiangan_officer, jiangan_project, "planning", username)
    assert not ReviewerAssignment.objects.exists()


def test_a_city_level_reviewer_may_review_a_district_project(
    city, jiangan_officer, jiangan_project
):
    noticed_version(jiangan_project)
    reviewer("city-planning", city.city)

    assert assign_by(jiangan_officer, jiangan_project, "planning", "city-planning").pk


# --- deciding --------------------------------------------------------------------------------


@pytest.fixture
def in_review(city, jiangan_officer, jiangan_project):
    """A roofs plan (housing and planning review it) submitted, each department's reviewer
    assigned."""
    version = noticed_version(jiangan_project, items=[("B14", "1000", "150.00")])
    housing = reviewer("housing-reviewer", city.jiangan)
    planning = reviewer("planning-reviewer", city.jiangan)
    assign(jiangan_project, "housing", housing)
    assign(jiangan_project, "planning", planning)
    review = submit(jiangan_officer, version)
    return review, housing, planning


def test_a_reviewer_deciding_for_another_department_is_refused(in_review):
    review, housing, _planning = in_review

    with pytest.raises(PermissionDenied):
        decide(housing, review, "planning")
    with pytest.raises(NotFound):
        decide(housing, review, "fire")
    assert set(review.decisions.values_list("decision", flat=True)) == {"pending"}


def test_only_department_reviewers_decide(in_review, jiangan_officer, designer):
    review, _housing, _planning = in_review
    for user in (jiangan_officer, designer):
        with pytest.raises(PermissionDenied):
            decide(user, review, "housing")


def test_a_reviewer_sees_only_their_own_pending_decisions(in_review):
    _review, housing, _planning = in_review

    pending = list(pending_decisions_for(scope_for(housing), housing))

    assert [d.department.code for d in pending] == ["housing"]


def test_returning_needs_comments(in_review):
    review, housing, _planning = in_review
    with pytest.raises(DomainError) as refused:
        decide(housing, review, "housing", "returned", "  ")
    assert "comments" in refused.value.fields


def test_a_return_sends_the_project_back_to_design(in_review, jiangan_project, city):
    review, _housing, planning = in_review

    decide(planning, review, "planning", "returned", "屋面防水做法不符合规范")

    review.refresh_from_db()
    jiangan_project.refresh_from_db()
    city.jiangan_compound.refresh_from_db()
    assert review.status == Review.Status.RETURNED
    assert review.version.status == PlanVersion.Status.RETURNED
    assert jiangan_project.stage == Stage.DESIGNED
    assert city.jiangan_compound.stage == Stage.DESIGNED
    change = jiangan_project.stage_changes.last()
    assert "屋面防水做法不符合规范" in change.reason
    with pytest.raises(DomainError, match="已结束"):
        decide(_housing, review, "housing")


def test_all_approvals_and_permits_approve_and_the_estimate_becomes_the_plans_total(
    in_review, jiangan_officer, jiangan_project
):
    review, housing, planning = in_review
    decide(housing, review, "housing")
    decide(planning, review, "planning")
    review.refresh_from_db()
    assert review.status == Review.Status.OPEN, "the permits are not recorded yet"

    record(jiangan_officer, jiangan_project, "approval")
    record(jiangan_officer, jiangan_project, "planning_permit", number="武规建〔2027〕0031号")

    review.refresh_from_db()
    jiangan_project.refresh_from_db()
    assert review.status == Review.Status.APPROVED
    assert review.version.status == PlanVersion.Status.APPROVED
    assert jiangan_project.stage == Stage.APPROVED
    assert jiangan_project.estimated_cost == Decimal("150000.00")  # 1000 m² × 150 元
    assert not PermitStep.objects.get(
        project=jiangan_project, procedure="construction_permit"
    ).is_done, "the construction permit comes later and does not hold up the approval"
    approved = AuditEvent.objects.get(verb="review.approved")
    assert approved.before["estimated_cost"] == "1000000.00"


def test_the_last_approval_approves_when_the_permits_are_already_recorded(
    in_review, jiangan_officer, jiangan_project
):
    review, housing, planning = in_review
    record(jiangan_officer, jiangan_project, "approval")
    record(jiangan_officer, jiangan_project, "planning_permit")
    decide(housing, review, "housing")
    review.refresh_from_db()
    assert review.status == Review.Status.OPEN

    decide(planning, review, "planning")

    jiangan_project.refresh_from_db()
    assert jiangan_project.stage == Stage.APPROVED


def test_a_decision_is_given_once(in_review):
    review, housing, _planning = in_review
    decide(housing, review, "housing")
    with pytest.raises(DomainError, match="已作出审查意见"):
        decide(housing, review, "housing", "returned", "再看看")


def test_a_returned_plan_noticed_again_opens_a_new_round_keeping_permits(
    in_review, jiangan_officer, jiangan_project
):
    review, _housing, planning = in_review
    record(jiangan_officer, jiangan_project, "approval")
    decide(planning, review, "planning", "returned", "补充屋面节点详图")

    again = noticed_version(jiangan_project, items=[("B14", "1000", "150.00")], number=2)
    second = submit(jiangan_officer, again)

    assert second.pk != review.pk and second.status == Review.Status.OPEN
    assert PermitStep.objects.get(project=jiangan_project, procedure="approval").is_done


# --- scope -----------------------------------------------------------------------------------


def test_another_districts_review_is_not_found(in_review, wuchang_officer):
    review, _housing, _planning = in_review
    with pytest.raises(NotFound):
        get_review(scope_for(wuchang_officer), review.pk)


def test_a_designer_of_the_project_reads_its_review(in_review, designer):
    review, _housing, _planning = in_review
    assert get_review(scope_for(designer), review.pk) == review
