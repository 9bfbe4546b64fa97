"""Named constructors for construction's audit events, a section per chapter."""

from django.utils.translation import gettext_lazy as _

from anju.core.audit import (
    changed_fields,
    record_event,
    register_described_model,
    register_field_labels,
    register_verbs,
)

from .models import (
    AcceptanceSession,
    ConstructionNotice,
    Finding,
    Inspection,
    Milestone,
    ProgressReport,
    ProjectParty,
    SatisfactionSurvey,
    Task,
)

# Events are recorded against their project (its page lists them); their before/after read
# with the labels and choices of the model they describe.
register_described_model("construction.party_", ProjectParty)
register_described_model("construction.task_", Task)
register_described_model("construction.milestone_", Milestone)
register_described_model("construction.progress_", ProgressReport)
register_described_model("construction.notice_", ConstructionNotice)
register_described_model("inspection.", Inspection)
register_described_model("finding.", Finding)
register_described_model("acceptance.opened", AcceptanceSession)
register_described_model("acceptance.decided", AcceptanceSession)
register_described_model("acceptance.conditions_cleared", AcceptanceSession)
register_described_model("satisfaction.drawn", SatisfactionSurvey)
register_field_labels(
    {
        "task": _("施工任务"),
        "milestone": _("进度节点"),
        "percent": _("各任务完成(%)"),
        "credit_code": _("统一社会信用代码"),
        "results": _("检查结果"),
        "step": _("步骤"),
    }
)

# --- parties and schedule ---

register_verbs(
    {
        "construction.party_named": _("确定参建单位"),
        "construction.party_changed": _("变更参建单位"),
        "construction.party_removed": _("撤销参建单位"),
        "construction.milestone_saved": _("保存进度节点"),
        "construction.milestone_removed": _("删除进度节点"),
        "construction.task_saved": _("保存施工任务"),
        "construction.task_removed": _("删除施工任务"),
        "construction.progress_submitted": _("提交进度周报"),
        "construction.progress_confirmed": _("监理确认进度周报"),
        "construction.progress_disputed": _("监理对进度周报有异议"),
    }
)


def party_snapshot(party) -> dict:
    return {
        "role": party.role,
        "organisation": party.organisation.name,
        "credit_code": party.organisation.credit_code,
        "responsible_person": party.responsible_person,
        "responsible_phone": party.responsible_phone,
        "contract_sum": party.contract_sum,
        "contract_signed_on": party.contract_signed_on,
        "starts_on": party.starts_on,
        "ends_on": party.ends_on,
    }


def _project_event(*, actor, verb, project, before=None, after=None):
    return record_event(
        actor=actor,
        verb=verb,
        target=project,
        territory_path=project.path,
        summary=project.code,
        before=before,
        after=after,
    )


def party_named(*, actor, party):
    return _project_event(
        actor=actor,
        verb="construction.party_named",
        project=party.project,
        after=party_snapshot(party),
    )


def party_changed(*, actor, party, before: dict):
    old, new = changed_fields(before, party_snapshot(party))
    return _project_event(
        actor=actor,
        verb="construction.party_changed",
        project=party.project,
        before={"role": party.role, **old},
        after={"role": party.role, **new},
    )


def party_removed(*, actor, party):
    return _project_event(
        actor=actor,
        verb="construction.party_removed",
        project=party.project,
        before=party_snapshot(party),
    )


def schedule_entry_snapshot(entry) -> dict:
    if hasattr(entry, "weight"):
        return {
            "task": entry.name,
            "milestone": entry.milestone.name if entry.milestone_id else "",
            "planned_start": entry.planned_start,
            "planned_end": entry.planned_end,
            "weight": entry.weight,
        }
    return {"milestone": entry.name, "planned_on": entry.planned_on, "reached_on": entry.reached_on}


def schedule_entry_saved(*, actor, entry, before: dict | None = None):
    verb = "construction.task_saved" if hasattr(entry, "weight") else "construction.milestone_saved"
    after = schedule_entry_snapshot(entry)
    if before:
        before, after = changed_fields(before, after)
    return _project_event(actor=actor, verb=verb, project=entry.project, before=before, after=after)


def schedule_entry_removed(*, actor, entry):
    verb = (
        "construction.task_removed"
        if hasattr(entry, "weight")
        else "construction.milestone_removed"
    )
    return _project_event(
        actor=actor, verb=verb, project=entry.project, before=schedule_entry_snapshot(entry)
    )


def progress_snapshot(report) -> dict:
    return {
        "week_ending": report.week_ending,
        "status": report.status,
        "note": report.note,
        "percent": {line.task.name: line.percent for line in report.lines.select_related("task")},
        "photos": report.photos.count(),
    }


def progress_submitted(*, actor, report, before: dict | None = None):
    return _project_event(
        actor=actor,
        verb="construction.progress_submitted",
        project=report.project,
        before=before,
        after=progress_snapshot(report),
    )


def progress_reviewed(*, actor, report):
    verb = (
        "construction.progress_confirmed"
        if report.status == report.Status.CONFIRMED
        else "construction.progress_disputed"
    )
    return _project_event(
        actor=actor,
        verb=verb,
        project=report.project,
        before={"status": report.Status.SUBMITTED},
        after={
            "week_ending": report.week_ending,
            "status": report.status,
            "review_note": report.review_note,
        },
    )


# --- end of parties and schedule ---

# --- notices ---

register_verbs(
    {
        "construction.notice_published": _("发布施工公示"),
        "construction.notice_republished": _("更新施工公示"),
    }
)


def notice_snapshot(notice) -> dict:
    return {
        "scope_summary": notice.scope_summary,
        "working_hours": notice.working_hours,
        "complaint_phone": notice.complaint_phone,
        "safety_note": notice.safety_note,
    }


def notice_published(*, actor, notice, before: dict | None = None):
    """First publication (everything after), or a republication (the fields that changed)."""
    after = notice_snapshot(notice)
    verb = "construction.notice_published"
    if before is not None:
        verb = "construction.notice_republished"
        before, after = changed_fields(before, after)
    return _project_event(
        actor=actor, verb=verb, project=notice.project, before=before, after=after
    )


# --- end of notices ---

# --- inspections ---

register_verbs(
    {
        "inspection.recorded": _("记录质量安全检查"),
        "finding.issued": _("下发整改通知"),
        "finding.answered": _("整改回复"),
        "finding.closed": _("复查销项"),
        "finding.reopened": _("复查未通过"),
        "finding.escalated": _("整改超期督办"),
    }
)


def inspection_recorded(*, actor, inspection, results: dict):
    return record_event(
        actor=actor,
        verb="inspection.recorded",
        target=inspection.project,
        territory_path=inspection.project.path,
        summary=inspection.project.code,
        after={
            "inspection": inspection.pk,
            "work_type": inspection.work_type.code,
            "kind": inspection.kind,
            "inspected_on": inspection.inspected_on,
            "results": results,
        },
    )


def finding_issued(*, actor, finding):
    return record_event(
        actor=actor,
        verb="finding.issued",
        target=finding,
        territory_path=finding.project.path,
        summary=finding.order_number,
        after={
            "project": finding.project.code,
            "item": finding.item.code if finding.item_id else "",
            "severity": finding.severity,
            "responsible_party": finding.responsible_party.organisation.name,
            "deadline_days": finding.deadline_days,
            "due_on": finding.due_on,
            "photos": len(finding.photos.all()),
        },
    )


def finding_stepped(*, actor, finding, step, before_status: str, before_escalation=None):
    """An answer, close, reopen or escalation: the step and the status it moved."""
    before = {"status": before_status}
    after = {"status": finding.status, "step": step.kind, "note": step.note}
    if before_escalation is not None:
        before["escalation"] = before_escalation
        after["escalation"] = finding.escalation
    return record_event(
        actor=actor,
        verb=f"finding.{step.kind}",
        target=finding,
        territory_path=finding.project.path,
        summary=finding.order_number,
        before=before,
        after=after,
    )


# The checklists are city-wide reference data: their events carry no territory.
register_verbs(
    {
        "checklist.work_type_added": _("新增作业类型"),
        "checklist.item_added": _("新增检查项"),
        "checklist.item_changed": _("修改检查项"),
    }
)


def inspection_item_snapshot(item) -> dict:
    return {
        "work_type": item.work_type.code,
        "code": item.code,
        "text": item.text,
        "is_safety": item.is_safety,
        "position": item.position,
        "is_active": item.is_active,
    }


def work_type_added(*, actor, work_type):
    return record_event(
        actor=actor,
        verb="checklist.work_type_added",
        target=work_type,
        summary=work_type.code,
        after={"code": work_type.code, "name": work_type.name, "name_en": work_type.name_en},
    )


def inspection_item_added(*, actor, item):
    return record_event(
        actor=actor,
        verb="checklist.item_added",
        target=item,
        summary=item.code,
        after=inspection_item_snapshot(item),
    )


def inspection_item_changed(*, actor, item, before: dict):
    before, after = changed_fields(before, inspection_item_snapshot(item))
    return record_event(
        actor=actor,
        verb="checklist.item_changed",
        target=item,
        summary=item.code,
        before=before,
        after=after,
    )


# --- end of inspections ---

# --- acceptance ---

register_verbs(
    {
        "acceptance.opened": _("组织竣工验收"),
        "acceptance.participant_invited": _("邀请验收参加人"),
        "acceptance.participant_removed": _("移出验收参加人"),
        "acceptance.checklist_recorded": _("填写验收意见"),
        "acceptance.defect_recorded": _("登记验收问题"),
        "acceptance.defect_cleared": _("验收问题整改完成"),
        "acceptance.decided": _("作出验收结论"),
        "acceptance.conditions_cleared": _("验收整改条件全部完成"),
    }
)


def _acceptance_event(*, actor, verb, session, before=None, after=None):
    return record_event(
        actor=actor,
        verb=verb,
        target=session,
        territory_path=session.project.path,
        summary=session.project.code,
        before=before,
        after=after,
    )


def acceptance_opened(*, actor, session):
    return _acceptance_event(
        actor=actor,
        verb="acceptance.opened",
        session=session,
        after={"scheduled_on": session.scheduled_on, "place": session.place},
    )


def participant_invited(*, actor, participant):
    # A representative's name is personal data: the event keeps the household, not the name.
    return _acceptance_event(
        actor=actor,
        verb="acceptance.participant_invited",
        session=participant.session,
        after={
            "kind": participant.kind,
            "household": participant.household_id,
            "organisation": participant.organisation.name if participant.organisation_id else "",
            "party": participant.party_id,
        },
    )


def participant_removed(*, actor, participant):
    return _acceptance_event(
        actor=actor,
        verb="acceptance.participant_removed",
        session=participant.session,
        before={"kind": participant.kind, "household": participant.household_id},
    )


def checklist_recorded(*, actor, participant, passed: int, failed: int):
    return _acceptance_event(
        actor=actor,
        verb="acceptance.checklist_recorded",
        session=participant.session,
        after={
            "participant": participant.pk,
            "kind": participant.kind,
            "opinion": participant.opinion,
            "channel": participant.channel,
            "passed": passed,
            "failed": failed,
        },
    )


def defect_recorded(*, actor, defect):
    return _acceptance_event(
        actor=actor,
        verb="acceptance.defect_recorded",
        session=defect.session,
        after={
            "description": defect.description,
            "owner": defect.owner.organisation.name,
            "due_on": defect.due_on,
        },
    )


def defect_cleared(*, actor, defect):
    return _acceptance_event(
        actor=actor,
        verb="acceptance.defect_cleared",
        session=defect.session,
        after={"defect": defect.pk, "cleared_on": defect.cleared_on, "note": defect.cleared_note},
    )


def acceptance_decided(*, actor, session):
    return _acceptance_event(
        actor=actor,
        verb="acceptance.decided",
        session=session,
        after={
            "outcome": session.outcome,
            "conditions": session.conditions,
            "certificate_number": session.certificate_number,
        },
    )


def acceptance_conditions_cleared(*, actor, session):
    return _acceptance_event(
        actor=actor,
        verb="acceptance.conditions_cleared",
        session=session,
        after={"conditions_cleared_at": session.conditions_cleared_at},
    )


# --- end of acceptance ---

# --- sampling ---

register_verbs(
    {
        "satisfaction.drawn": _("抽取满意度测评样本"),
        "satisfaction.answered": _("记录满意度测评答卷"),
        "satisfaction.closed": _("结束满意度测评"),
    }
)


def satisfaction_drawn(*, actor, survey, allocation):
    project = survey.project
    return record_event(
        actor=actor,
        verb="satisfaction.drawn",
        target=project,
        territory_path=project.path,
        summary=project.code,
        after={
            "seed": survey.seed,
            "confidence": str(survey.confidence),
            "margin": str(survey.margin),
            "population": survey.population,
            "sample_size": survey.sample_size,
            "allocation": dict(allocation),
            "closes_on": survey.closes_on.isoformat(),
        },
    )


def satisfaction_answered(*, actor, answer, label):
    """Scores and channel; the household by its public label (never its sign-in code)."""
    project = answer.survey.project
    return record_event(
        actor=actor,
        verb="satisfaction.answered",
        target=project,
        territory_path=project.path,
        summary=f"{project.code} {label}",
        after={
            "household": label,
            "channel": answer.channel,
            "overall": answer.overall,
            "quality": answer.quality,
            "conduct": answer.conduct,
        },
    )


def satisfaction_closed(*, actor, survey, responses, stewarded):
    project = survey.project
    return record_event(
        actor=actor,
        verb="satisfaction.closed",
        target=project,
        territory_path=project.path,
        summary=project.code,
        after={
            "sample_size": survey.sample_size,
            "responses": responses,
            "stage_moved_to_stewarded": stewarded,
        },
    )


# --- end of sampling ---
