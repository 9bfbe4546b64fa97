"""Named constructors for design's audit events, one section per chapter."""

from django.utils.translation import gettext_lazy as _

from anju.core.audit import changed_fields, record_event, register_verbs

# --- projects: stage and assignments ---------------------------------------------------------

register_verbs(
    {
        "project.stage_changed": _("项目阶段变更"),
        "project.assigned": _("委托项目"),
        "project.unassigned": _("取消项目委托"),
    }
)


def stage_changed(*, actor, project, old_stage, new_stage):
    return record_event(
        actor=actor,
        verb="project.stage_changed",
        target=project,
        territory_path=project.path,
        summary=project.code,
        before={"stage": old_stage},
        after={"stage": new_stage},
    )


def project_assigned(*, actor, assignment):
    return record_event(
        actor=actor,
        verb="project.assigned",
        target=assignment.project,
        territory_path=assignment.project.path,
        summary=assignment.project.code,
        after={"organisation": assignment.organisation.name, "role": assignment.role},
    )


def project_unassigned(*, actor, assignment):
    return record_event(
        actor=actor,
        verb="project.unassigned",
        target=assignment.project,
        territory_path=assignment.project.path,
        summary=assignment.project.code,
        before={"organisation": assignment.organisation.name, "role": assignment.role},
    )


# --- surveys ---------------------------------------------------------------------------------

register_verbs(
    {
        "survey.finding_recorded": _("记录调查发现"),
        "survey.finding_corrected": _("更正调查发现"),
        "survey.finding_deleted": _("删除调查发现"),
    }
)


def finding_snapshot(finding) -> dict:
    return {
        "project": finding.project.code,
        "compound": finding.compound.code,
        "building": finding.building.number if finding.building_id else "",
        "item": finding.checklist_item.code,
        "severity": finding.severity,
        "note": finding.note,
        "photos": finding.photos.count(),
    }


def _finding_event(*, actor, verb, finding, before=None, after=None):
    return record_event(
        actor=actor,
        verb=verb,
        target=finding.project,
        territory_path=finding.compound.path,
        summary=f"{finding.compound.name} {finding.checklist_item}",
        before=before,
        after=after,
    )


def finding_recorded(*, actor, finding):
    return _finding_event(
        actor=actor,
        verb="survey.finding_recorded",
        finding=finding,
        after=finding_snapshot(finding),
    )


def finding_corrected(*, actor, finding, before):
    after = finding_snapshot(finding)
    before, after = changed_fields(before, after)
    return _finding_event(
        actor=actor, verb="survey.finding_corrected", finding=finding, before=before, after=after
    )


def finding_deleted(*, actor, finding, before):
    return _finding_event(
        actor=actor, verb="survey.finding_deleted", finding=finding, before=before
    )


# --- price lists and plan versions -----------------------------------------------------------

register_verbs(
    {
        "plan.version_created": _("新建方案版本"),
        "plan.item_added": _("增加方案条目"),
        "plan.item_changed": _("修改方案条目"),
        "plan.item_removed": _("删除方案条目"),
        "plan.need_answered": _("回应居民需求"),
        "plan.workshop_recorded": _("记录共商会"),
        "plan.marked_ready": _("方案编制完成"),
    }
)


def _plan_event(*, actor, verb, version, summary="", before=None, after=None):
    project = version.project
    return record_event(
        actor=actor,
        verb=verb,
        target=version,
        territory_path=project.path,
        summary=f"{project.code} v{version.number} {summary}".strip(),
        before=before,
        after=after,
    )


def plan_version_created(*, actor, version, copied_from):
    return _plan_event(
        actor=actor,
        verb="plan.version_created",
        version=version,
        after={
            "number": version.number,
            "price_list": str(version.price_list),
            "copied_from": copied_from.number if copied_from else None,
            "changes": version.changes,
        },
    )


def plan_item_added(*, actor, item, after):
    return _plan_event(
        actor=actor,
        verb="plan.item_added",
        version=item.version,
        summary=item.item.code,
        after=after,
    )


def plan_item_changed(*, actor, item, before, after):
    before, after = changed_fields(before, after)
    return _plan_event(
        actor=actor,
        verb="plan.item_changed",
        version=item.version,
        summary=item.item.code,
        before=before,
        after=after,
    )


def plan_item_removed(*, actor, version, code, before):
    return _plan_event(
        actor=actor, verb="plan.item_removed", version=version, summary=code, before=before
    )


def need_answered(*, actor, response, before):
    return _plan_event(
        actor=actor,
        verb="plan.need_answered",
        version=response.version,
        summary=f"{response.compound.code} {response.item.code}",
        before=before,
        after={"reason": response.reason},
    )


def workshop_recorded(*, actor, workshop):
    project = workshop.project
    return record_event(
        actor=actor,
        verb="plan.workshop_recorded",
        target=project,
        territory_path=project.path,
        summary=f"{project.code} {workshop.held_on.isoformat()}",
        after={
            "held_on": workshop.held_on,
            "attendees": workshop.attendees,
            "attendee_groups": workshop.attendee_groups,
        },
    )


def plan_marked_ready(*, actor, version, total):
    return _plan_event(
        actor=actor, verb="plan.marked_ready", version=version, after={"total": total}
    )


# --- notices and objections ------------------------------------------------------------------

register_verbs(
    {
        "notice.published": _("发布方案公示"),
        "objection.submitted": _("住户提交公示意见"),
        "objection.answered": _("答复公示意见"),
        "objection.answer_amended": _("修改公示意见答复"),
    }
)


def notice_published(*, actor, notice, superseded):
    version = notice.version
    return record_event(
        actor=actor,
        verb="notice.published",
        target=notice,
        territory_path=version.project.path,
        summary=f"{version.project.code} v{version.number}",
        after={
            "version": version.number,
            "opens_on": notice.opens_on,
            "closes_on": notice.closes_on,
            "superseded_versions": superseded,
        },
    )


def objection_submitted(*, actor, objection, compound):
    return record_event(
        actor=actor,
        verb="objection.submitted",
        target=objection,
        territory_path=compound.path,
        summary=objection.get_kind_display(),
        after={"kind": objection.kind, "notice": objection.notice_id},
    )


def objection_answered(*, actor, objection, previous_answer):
    """The answer is public, so it is kept in the log in full, and so is the one it amends."""
    amended = bool(previous_answer)
    return record_event(
        actor=actor,
        verb="objection.answer_amended" if amended else "objection.answered",
        target=objection,
        territory_path=objection.notice.version.project.path,
        summary=objection.get_kind_display(),
        before={"answer": previous_answer} if amended else {},
        after={"answer": objection.answer},
    )


# --- joint review and permits ----------------------------------------------------------------

register_verbs(
    {
        "review.reviewer_assigned": _("指派审查人"),
        "review.submitted": _("提交联合审查"),
        "review.decided": _("部门审查意见"),
        "review.approved": _("联合审查通过"),
        "review.returned": _("联合审查退回"),
        "review.permit_recorded": _("登记审批手续"),
    }
)


def reviewer_assigned(*, actor, assignment, previous_reviewer=None):
    project = assignment.project
    return record_event(
        actor=actor,
        verb="review.reviewer_assigned",
        target=project,
        territory_path=project.path,
        summary=f"{project.code} {assignment.department.name}",
        before={"reviewer": previous_reviewer.get_username() if previous_reviewer else None},
        after={
            "department": assignment.department.code,
            "reviewer": assignment.reviewer.get_username(),
        },
    )


def review_submitted(*, actor, review, department_codes, permit_steps):
    project = review.version.project
    return record_event(
        actor=actor,
        verb="review.submitted",
        target=project,
        territory_path=project.path,
        summary=f"{project.code} v{review.version.number}",
        before={"status": "noticed"},
        after={
            "status": "in_review",
            "departments": department_codes,
            "permits": permit_steps,
        },
    )


def review_decided(*, actor, decision):
    review = decision.review
    project = review.version.project
    return record_event(
        actor=actor,
        verb="review.decided",
        target=project,
        territory_path=project.path,
        summary=f"{project.code} {decision.department.name}",
        before={"decision": "pending"},
        after={
            "department": decision.department.code,
            "decision": decision.decision,
            "comments": decision.comments,
        },
    )


def review_approved(*, actor, review, old_cost, new_cost):
    project = review.version.project
    return record_event(
        actor=actor,
        verb="review.approved",
        target=project,
        territory_path=project.path,
        summary=f"{project.code} v{review.version.number}",
        before={"status": "open", "estimated_cost": old_cost},
        after={"status": "approved", "estimated_cost": new_cost},
    )


def review_returned(*, actor, review, department_code, comments):
    project = review.version.project
    return record_event(
        actor=actor,
        verb="review.returned",
        target=project,
        territory_path=project.path,
        summary=f"{project.code} v{review.version.number}",
        before={"status": "open"},
        after={"status": "returned", "department": department_code, "comments": comments},
    )


def permit_recorded(*, actor, step, before):
    project = step.project
    return record_event(
        actor=actor,
        verb="review.permit_recorded",
        target=project,
        territory_path=project.path,
        summary=f"{project.code} {step.get_procedure_display()}",
        before=before,
        after={
            "procedure": step.procedure,
            "document_number": step.document_number,
            "done_on": step.done_on,
        },
    )
