"""Joint review (联合审查) and simplified permits (简化审批) of a noticed plan.

The district submits a noticed version once its notice period is over and every objection is
answered; the review asks every department the plan touches (the catalogue rules of its items,
plus those consulted on every plan) and each department's assigned reviewer approves or
returns it with comments. A return sends the project back to design (a new version, noticed
again); all approvals with the permit steps recorded approve the plan, and the project's
estimated cost becomes the plan's total. Permits follow Wuhan's simplified approval: elevator
additions, temporary construction buildings and small pipeline works need no
construction-engineering planning permit (catalogue.ItemRule.is_exempt_from_planning_permit).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.catalogue.models import ReviewDepartment
from anju.core.calendar import today
from anju.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from anju.core.scope import Scope
from anju.planning.models import Project
from anju.territory.models import Stage

from .. import events
from ..models import PermitStep, PlanItem, PlanVersion, Review, ReviewDecision, ReviewerAssignment
from ..rules import is_department_reviewer, may_organise_review
from ..selectors import reviews as selectors
from ..selectors.notices import notice_blockers
from ..selectors.plans import plan_total
from .projects import move_project_stage

# The construction permit is obtained by the construction unit before works start; it does
# not hold up the plan's approval.
NOT_BLOCKING_APPROVAL = frozenset({PermitStep.Procedure.CONSTRUCTION_PERMIT})


def require_organiser(scope: Scope, project: Project) -> None:
    if not may_organise_review(scope, project):
        raise PermissionDenied(_("只有项目所在区的工作专班可以组织联合审查和登记审批手续。"))


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


# --- reviewers -------------------------------------------------------------------------------


def assign_reviewer(
    *, actor, scope: Scope, project: Project, department_code: str, reviewer_username: str
) -> ReviewerAssignment:
    """The district names the reviewer of one department for a project. The reviewer must hold
    the department-reviewer role on a node that holds the project, and the department must be
    one the plan touches (its current version's departments); naming another reviewer for the
    department replaces the first."""
    require_organiser(scope, project)
    department = ReviewDepartment.objects.filter(code=department_code).first()
    if department is None:
        raise DomainError(
            _("未知的审查部门：%(code)s") % {"code": department_code},
            code="unknown_department",
            fields={"department": [_("无效")]},
        )
    version = selectors.current_version(project)
    if version is None:
        raise DomainError(
            _("项目还没有改造方案，无法确定参加联合审查的部门。"),
            code="no_plan",
            fields={"department": [_("尚无方案")]},
        )
    touched = list(selectors.review_departments_for(version))
    if department not in touched:
        raise DomainError(
            _("方案不涉及%(department)s，只能为这些部门指派审查人：%(departments)s")
            % {"department": department.name, "departments": "、".join(d.name for d in touched)},
            code="department_not_in_plan",
            fields={"department": [_("方案不涉及该部门")]},
        )
    reviewer = (
        selectors.reviewer_candidates(project).filter(username=reviewer_username.strip()).first()
    )
    if reviewer is None:
        raise DomainError(
            _("该用户不是本项目辖区内的部门审查人。"),
            code="not_a_reviewer",
            fields={"reviewer": [_("须为本辖区的部门审查人")]},
        )
    with transaction.atomic(durable=True):
        assignment = (
            ReviewerAssignment.objects.select_for_update()
            .filter(project=project, department=department)
            .select_related("reviewer")
            .first()
        )
        previous = assignment.reviewer if assignment else None
        if assignment is None:
            assignment = ReviewerAssignment(project=project, department=department)
        elif previous == reviewer:
            return assignment
        assignment.reviewer = reviewer
        assignment.full_clean(validate_unique=False)
        assignment.save()
        events.reviewer_assigned(actor=actor, assignment=assignment, previous_reviewer=previous)
    return assignment


# --- submitting ------------------------------------------------------------------------------


def planning_permit_exemption(version: PlanVersion) -> str:
    """The reason the plan needs no construction-engineering planning permit, or "" when it
    does: every item's rule must be exempt (Wuhan: elevator additions, temporary construction
    buildings, small pipeline works); an item without a rule is not exempt."""
    items = PlanItem.objects.filter(version=version)
    if not items.exists():
        return ""
    if items.exclude(item__rule__is_exempt_from_planning_permit=True).exists():
        return ""
    return _(
        "方案只含加装电梯、临时施工建筑或小型管线等工程，按武汉市简化审批规定免办建设工程规划许可。"
    )


def submit_for_review(*, actor, scope: Scope, version: PlanVersion) -> Review:
    """Open the joint review of a noticed version: one decision per department the plan
    touches, the version in review, and the project's permit checklist (立项 always; 规划许可
    unless exempt; 施工许可 later, by construction). Refused, with nothing written, while the
    notice period is open or an objection is unanswered (notices.notice_blockers)."""
    project = version.project
    require_organiser(scope, project)
    with transaction.atomic(durable=True):
        version = (
            PlanVersion.objects.select_for_update().select_related("project").get(pk=version.pk)
        )
        project = version.project
        if version.status != PlanVersion.Status.NOTICED or project.stage != Stage.NOTICED:
            raise DomainError(
                _("只有已公示的方案才能提交联合审查（当前：%(status)s）。")
                % {"status": version.get_status_display()},
                code="not_noticed",
            )
        blockers = notice_blockers(version)
        if blockers:
            raise DomainError(
                _("暂不能提交联合审查：%(reasons)s") % {"reasons": "；".join(blockers)},
                code="notice_not_cleared",
                fields={"notice": [str(b) for b in blockers]},
            )
        if Review.objects.filter(version=version).exists():
            raise Conflict(_("该方案已提交联合审查。"), code="already_submitted")
        review = Review(version=version, opened_by=_user(actor))
        review.full_clean(exclude=["version"])
        review.save()
        departments = list(selectors.review_departments_for(version))
        ReviewDecision.objects.bulk_create(
            ReviewDecision(review=review, department=department) for department in departments
        )
        version.status = PlanVersion.Status.IN_REVIEW
        version.save(update_fields=["status"])
        steps = _open_permit_steps(project, planning_permit_exemption(version))
        events.review_submitted(
            actor=actor,
            review=review,
            department_codes=[d.code for d in departments],
            permit_steps={s.procedure: s.is_required for s in steps},
        )
    return review


def _open_permit_steps(project: Project, exemption: str) -> list[PermitStep]:
    """The checklist of procedures; a second round (after a return) keeps what was recorded
    and re-derives only whether the planning permit is needed."""
    wanted = {
        PermitStep.Procedure.APPROVAL: ("", True),
        PermitStep.Procedure.PLANNING_PERMIT: (exemption, not exemption),
        PermitStep.Procedure.CONSTRUCTION_PERMIT: ("", True),
    }
    steps = []
    for procedure, (reason, is_required) in wanted.items():
        step, _created = PermitStep.objects.select_for_update().get_or_create(
            project=project,
            procedure=procedure,
            defaults={"is_required": is_required, "exemption": reason},
        )
        if (step.is_required, step.exemption) != (is_required, reason):
            step.is_required, step.exemption = is_required, reason
            step.full_clean(validate_unique=False)
            step.save(update_fields=["is_required", "exemption"])
        steps.append(step)
    return steps


# --- deciding --------------------------------------------------------------------------------

DECISIONS = (ReviewDecision.Decision.APPROVED, ReviewDecision.Decision.RETURNED)


def decide_review(
    *,
    actor,
    scope: Scope,
    review: Review,
    department_code: str,
    decision: str,
    comments: str = "",
) -> ReviewDecision:
    """A department's reviewer approves the plan or returns it with comments. Only the
    reviewer assigned to that department on the project decides, once. A return closes the
    review and sends the project back to design; the last approval, with the permit steps
    recorded, approves it."""
    found = selectors.get_decision(review, department_code)
    project = review.version.project
    if (
        not is_department_reviewer(scope)
        or not ReviewerAssignment.objects.filter(
            project=project, department=found.department, reviewer=_user(actor)
        ).exists()
    ):
        raise PermissionDenied(_("只有该部门在本项目的指派审查人可以作出审查意见。"))
    if decision not in DECISIONS:
        raise DomainError(_("审查意见只能是同意或退回修改。"), fields={"decision": [_("无效")]})
    comments = comments.strip()
    if decision == ReviewDecision.Decision.RETURNED and not comments:
        raise DomainError(
            _("退回修改须写明审查意见。"),
            code="comments_required",
            fields={"comments": [_("必填")]},
        )
    with transaction.atomic(durable=True):
        review = (
            Review.objects.select_for_update().select_related("version__project").get(pk=review.pk)
        )
        if review.status != Review.Status.OPEN:
            raise DomainError(_("本轮联合审查已结束。"), code="review_closed")
        found = ReviewDecision.objects.select_related("department").get(pk=found.pk)
        if found.decision != ReviewDecision.Decision.PENDING:
            raise DomainError(
                _("%(department)s已作出审查意见。") % {"department": found.department.name},
                code="already_decided",
            )
        found.decision = decision
        found.comments = comments
        found.decided_by = _user(actor)
        found.decided_at = timezone.now()
        found.full_clean(exclude=["review", "department"])
        found.save()
        events.review_decided(actor=actor, decision=found)
        if decision == ReviewDecision.Decision.RETURNED:
            _return(actor=actor, review=review, decision=found)
        else:
            _approve_if_complete(actor=actor, review=review)
    return found


def _return(*, actor, review: Review, decision: ReviewDecision) -> None:
    review.status = Review.Status.RETURNED
    review.closed_at = timezone.now()
    review.save(update_fields=["status", "closed_at"])
    version = review.version
    version.status = PlanVersion.Status.RETURNED
    version.save(update_fields=["status"])
    reason = _("%(department)s退回修改：%(comments)s") % {
        "department": decision.department.name,
        "comments": decision.comments,
    }
    move_project_stage(
        actor=actor, project=version.project, to_stage=Stage.DESIGNED, reason=reason[:300]
    )
    events.review_returned(
        actor=actor,
        review=review,
        department_code=decision.department.code,
        comments=decision.comments,
    )


def approval_blockers(review: Review) -> list[str]:
    """What still holds the review open: departments not yet agreed, permit steps (other than
    the construction permit) not recorded."""
    waiting = [
        d.department.name
        for d in review.decisions.select_related("department")
        if d.decision != ReviewDecision.Decision.APPROVED
    ]
    blockers = []
    if waiting:
        blockers.append(_("待部门审查：%(names)s") % {"names": "、".join(waiting)})
    steps = PermitStep.objects.filter(project_id=review.version.project_id).exclude(
        procedure__in=NOT_BLOCKING_APPROVAL
    )
    missing = [str(s.get_procedure_display()) for s in steps if not s.is_done]
    if missing:
        blockers.append(_("待办理手续：%(names)s") % {"names": "、".join(missing)})
    return blockers


def _approve_if_complete(*, actor, review: Review) -> bool:
    if review.status != Review.Status.OPEN or approval_blockers(review):
        return False
    review.status = Review.Status.APPROVED
    review.closed_at = timezone.now()
    review.save(update_fields=["status", "closed_at"])
    version = review.version
    version.status = PlanVersion.Status.APPROVED
    version.save(update_fields=["status"])
    project = move_project_stage(
        actor=actor,
        project=version.project,
        to_stage=Stage.APPROVED,
        reason=_("联合审查通过"),
    )
    old_cost = project.estimated_cost
    project.estimated_cost = plan_total(version)
    project.save(update_fields=["estimated_cost"])
    version.project.estimated_cost = project.estimated_cost
    events.review_approved(
        actor=actor, review=review, old_cost=old_cost, new_cost=project.estimated_cost
    )
    return True


# --- permits ---------------------------------------------------------------------------------


def record_permit_step(
    *,
    actor,
    scope: Scope,
    project: Project,
    procedure: str,
    document_number: str,
    done_on: dt.date | None,
) -> PermitStep:
    """District staff record a procedure done (document number and date). The steps exist
    once the plan was submitted for review; an exempt step needs nothing. Recording the last
    step an all-approved review waited for approves the plan."""
    require_organiser(scope, project)
    if procedure not in PermitStep.Procedure.values:
        raise NotFound()
    document_number = document_number.strip()
    problems = {}
    if not document_number:
        problems["document_number"] = [_("必填")]
    if done_on is None:
        problems["done_on"] = [_("必填")]
    elif done_on > today():
        problems["done_on"] = [_("办结日期不能晚于今天")]
    if problems:
        raise DomainError(_("请填写文号和办结日期（不晚于今天）。"), fields=problems)
    with transaction.atomic(durable=True):
        step = (
            PermitStep.objects.select_for_update()
            .filter(project=project, procedure=procedure)
            .first()
        )
        if step is None:
            raise DomainError(_("方案提交联合审查后才能登记审批手续。"), code="no_permit_checklist")
        if not step.is_required:
            raise DomainError(
                _("%(procedure)s免办：%(reason)s")
                % {"procedure": step.get_procedure_display(), "reason": step.exemption},
                code="permit_exempt",
            )
        before = {"document_number": step.document_number, "done_on": step.done_on}
        step.document_number = document_number
        step.done_on = done_on
        step.full_clean(validate_unique=False)
        step.save(update_fields=["document_number", "done_on"])
        events.permit_recorded(actor=actor, step=step, before=before)
        review = (
            Review.objects.select_for_update()
            .select_related("version__project")
            .filter(version__project=project, status=Review.Status.OPEN)
            .first()
        )
        if review is not None:
            _approve_if_complete(actor=actor, review=review)
    return step
