"""Quality and safety supervision (质量安全监管): inspections from a work type's checklist,
findings with a rectification order (整改通知单) each, the responsible party's answers, the
inspector's review, and escalation of overdue orders.

Rules:
- Who inspects: `rules.may_inspect` — the project's supervision unit, its district task force
  or the city office. Others 403.
- When: only while the project is `building` (an approved project has no site yet; an
  accepted one is finished); the project row is locked, so an inspection and the move to
  `accepted` cannot interleave.
- The inspection date is not in the future and not before the project's start (the
  construction contract's start, else the project's planned start).
- Every active item of the work type's checklist gets a result (pass / fail / n.a.), no item
  of another checklist; a finding raised on an item needs that item failed; extra findings
  (not on the checklist) are allowed. A finding's responsible party is one of the project's
  parties; its deadline is `ANJU_RECTIFICATION_DAYS[severity]` working days unless the
  inspector sets another (1–60), counted from the inspection date on the working calendar.
- Order numbers are "ZG" + year + a five-digit sequence per year; the unique constraint
  decides, a clash with a concurrent issue retries with the next number.
- A finding moves open → answered → closed, or answered → reopened → answered …: only the
  responsible party's staff answer (with a note and at least one evidence photo), only an
  inspector who is not that party closes or reopens (a reopen needs the reason). A reopened
  order keeps its due date: a failed rectification earns no extra time. Anything else is
  refused with nothing written.
- Escalation (the duty `escalate_overdue_findings`): an open or reopened order past its due
  date goes to the district (1), `ANJU_RECTIFICATION_CITY_ESCALATION_DAYS` working days after
  the due date to the city (2); answered orders wait for the inspector and are not escalated.
- Every step is a `RectificationStep` and an audit event in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.core.actors import WORKER
from anju.core.calendar import SHANGHAI, WorkingCalendar, today
from anju.core.errors import Conflict, DomainError, PermissionDenied
from anju.core.scope import Scope
from anju.design.services.surveys import check_photos
from anju.engagement.photos import PreparedPhoto
from anju.planning.models import Project
from anju.territory.models import Stage

from .. import events, rules
from ..models import (
    CheckResult,
    EvidencePhoto,
    Finding,
    FindingPhoto,
    Inspection,
    InspectionItem,
    PartyRole,
    ProjectParty,
    RectificationStep,
    Severity,
    WorkType,
)

MAX_DEADLINE_DAYS = 60
ORDER_PREFIX = "ZG"
ANSWERABLE = (Finding.Status.OPEN, Finding.Status.REOPENED)
ESCALATING = ANSWERABLE
DISTRICT, CITY = 1, 2


@dataclass
class FindingDraft:
    """One finding as the inspector writes it down: on a failed checklist item, or extra
    (`item` None)."""

    severity: str
    description: str
    responsible_party: ProjectParty
    item: InspectionItem | None = None
    deadline_days: int | None = None
    photos: Sequence = field(default_factory=tuple)


def default_deadline_days(severity: str) -> int:
    return settings.ANJU_RECTIFICATION_DAYS.get(severity, settings.ANJU_RECTIFICATION_DAYS["minor"])


def project_start(project: Project) -> dt.date | None:
    """When work may first be inspected: the construction contract's start, else the
    project's planned start."""
    starts = (
        ProjectParty.objects.filter(project=project, role=PartyRole.CONSTRUCTION)
        .values_list("starts_on", flat=True)
        .first()
    )
    return starts or project.starts_on


def record_inspection(
    *,
    actor,
    scope: Scope,
    project: Project,
    work_type: WorkType,
    kind: str,
    inspected_on: dt.date,
    results: Mapping[str, str],
    findings: Sequence[FindingDraft] = (),
    note: str = "",
) -> Inspection:
    """Record an inspection with a result for every item of the work type's checklist
    (`results`: item code → pass/fail/na) and issue a rectification order for each finding."""
    prepared = [check_photos(draft.photos) for draft in findings]
    saved: list = []
    try:
        with transaction.atomic(durable=True):
            project = _lock_building_project(project)
            _require_inspector(scope, project)
            _check_kind(kind)
            _check_date(project, inspected_on)
            items = _check_results(work_type, results)
            _check_findings(project, findings, results, items)
            inspection = Inspection(
                project=project,
                work_type=work_type,
                kind=kind,
                inspected_on=inspected_on,
                inspector=actor if getattr(actor, "pk", None) else None,
                note=note.strip(),
            )
            _full_clean(inspection, exclude=["inspector"])
            inspection.save()
            CheckResult.objects.bulk_create(
                [
                    CheckResult(inspection=inspection, item=items[code], result=result)
                    for code, result in sorted(results.items())
                ]
            )
            events.inspection_recorded(actor=actor, inspection=inspection, results=dict(results))
            calendar = WorkingCalendar.from_database()
            for draft, photos in zip(findings, prepared, strict=True):
                _issue(actor, inspection, draft, photos=photos, calendar=calendar, saved=saved)
    except Exception:
        _delete_files(saved)
        raise
    return inspection


def add_finding_photos(*, actor, scope: Scope, finding: Finding, photos: Sequence) -> Finding:
    """Add photos to an order still waiting for its answer (the API sends them after the
    inspection); at most three in all."""
    prepared = check_photos(photos)
    saved: list = []
    try:
        with transaction.atomic(durable=True):
            finding = _lock_finding(finding)
            _require_reviewer(scope, finding)
            if finding.status != Finding.Status.OPEN:
                raise Conflict(_("整改通知单已回复，不能再补充问题照片。"), code="finding_not_open")
            if finding.photos.count() + len(prepared) > 3:
                message = _("最多上传 3 张照片。")
                raise DomainError(message, code="too_many_photos", fields={"photos": [message]})
            _store(FindingPhoto, {"finding": finding}, prepared, saved)
    except Exception:
        _delete_files(saved)
        raise
    return finding


def answer_finding(
    *, actor, scope: Scope, finding: Finding, note: str, photos: Sequence
) -> RectificationStep:
    """The responsible party's answer (整改回复): what was done, with evidence photos."""
    prepared = check_photos(photos)
    saved: list = []
    try:
        with transaction.atomic(durable=True):
            finding = _lock_finding(finding)
            if not rules.is_responsible_for(scope, finding):
                raise PermissionDenied(_("只有整改通知单指定的责任单位可以回复整改情况。"))
            if finding.status not in ANSWERABLE:
                raise _wrong_status(finding)
            note = note.strip()
            if not note:
                message = _("请说明整改情况。")
                raise DomainError(message, code="note_required", fields={"note": [message]})
            if not prepared:
                message = _("请上传整改后的照片作为证据。")
                raise DomainError(message, code="evidence_required", fields={"photos": [message]})
            step = _step(
                finding, RectificationStep.Kind.ANSWERED, actor, note, Finding.Status.ANSWERED
            )
            _store(EvidencePhoto, {"step": step}, prepared, saved)
    except Exception:
        _delete_files(saved)
        raise
    return step


def close_finding(*, actor, scope: Scope, finding: Finding, note: str = "") -> RectificationStep:
    """The inspector's review passes the answer: the order is closed (销项)."""
    with transaction.atomic(durable=True):
        finding = _lock_finding(finding)
        _require_reviewer(scope, finding)
        if finding.status != Finding.Status.ANSWERED:
            raise _wrong_status(finding)
        finding.closed_at = timezone.now()
        finding.closed_by = actor if getattr(actor, "pk", None) else None
        return _step(
            finding,
            RectificationStep.Kind.CLOSED,
            actor,
            note.strip(),
            Finding.Status.CLOSED,
            extra_fields=["closed_at", "closed_by"],
        )


def reopen_finding(*, actor, scope: Scope, finding: Finding, reason: str) -> RectificationStep:
    """The inspector's review fails the answer: the order goes back to the party, with the
    reason, and keeps its due date."""
    with transaction.atomic(durable=True):
        finding = _lock_finding(finding)
        _require_reviewer(scope, finding)
        if finding.status != Finding.Status.ANSWERED:
            raise _wrong_status(finding)
        reason = reason.strip()
        if not reason:
            message = _("请说明复查未通过的原因。")
            raise DomainError(message, code="reason_required", fields={"reason": [message]})
        return _step(
            finding, RectificationStep.Kind.REOPENED, actor, reason, Finding.Status.REOPENED
        )


def escalate_overdue_findings(now: dt.datetime) -> dict:
    """The duty: an open or reopened order past its due date goes to the district (督办);
    `ANJU_RECTIFICATION_CITY_ESCALATION_DAYS` working days after the due date, to the city.
    Idempotent: each order is claimed with a conditional UPDATE, so a second run (or a second
    worker) changes nothing."""
    local_today = now.astimezone(SHANGHAI).date()
    calendar = WorkingCalendar.from_database()
    city_after = settings.ANJU_RECTIFICATION_CITY_ESCALATION_DAYS
    counts = {"district": 0, "city": 0}
    overdue = Finding.objects.filter(
        status__in=ESCALATING, due_on__lt=local_today, escalation__lt=CITY
    ).select_related("project", "responsible_party__organisation")
    for finding in overdue:
        level = (
            CITY
            if calendar.add_working_days(finding.due_on, city_after) <= local_today
            else DISTRICT
        )
        if finding.escalation < level:
            counts["city" if level == CITY else "district"] += _escalate(finding, level, now)
    return counts


# --- the rules, in the order they are checked ------------------------------------------------


def _lock_building_project(project: Project) -> Project:
    locked = Project.objects.select_for_update().select_related("district").get(pk=project.pk)
    if locked.stage != Stage.BUILDING:
        raise DomainError(
            _("项目处于“%(stage)s”阶段，只有施工中的项目可以记录质量安全检查。")
            % {"stage": locked.get_stage_display()},
            code="project_not_building",
        )
    return locked


def _require_inspector(scope: Scope, project: Project) -> None:
    if not rules.may_inspect(scope, project):
        raise PermissionDenied(
            _("只有本项目的监理单位、项目所在区工作专班和市改造办可以记录质量安全检查。")
        )


def _require_reviewer(scope: Scope, finding: Finding) -> None:
    if not rules.may_review_answer(scope, finding):
        if rules.is_responsible_for(scope, finding):
            raise PermissionDenied(_("责任单位不能复查自己的整改。"))
        raise PermissionDenied(
            _("只有本项目的监理单位、项目所在区工作专班和市改造办可以复查整改。")
        )


def _check_kind(kind: str) -> None:
    if kind not in Inspection.Kind.values:
        message = _("未知的检查类别。")
        raise DomainError(message, code="invalid_kind", fields={"kind": [message]})


def _check_date(project: Project, inspected_on: dt.date) -> None:
    if inspected_on > today():
        message = _("检查日期不能晚于今天。")
        raise DomainError(message, code="date_in_future", fields={"inspected_on": [message]})
    starts = project_start(project)
    if starts and inspected_on < starts:
        message = _("检查日期不能早于项目开工日期 %(date)s。") % {"date": starts.isoformat()}
        raise DomainError(message, code="date_before_start", fields={"inspected_on": [message]})


def _check_results(work_type: WorkType, results: Mapping[str, str]) -> dict[str, InspectionItem]:
    items = {item.code: item for item in work_type.items.filter(is_active=True)}
    unknown = sorted(set(results) - set(items))
    if unknown:
        message = _("检查项 %(items)s 不属于“%(work_type)s”的检查表。") % {
            "items": "、".join(unknown),
            "work_type": work_type.name,
        }
        raise DomainError(message, code="item_not_in_checklist", fields={"results": [message]})
    missing = [item for code, item in items.items() if code not in results]
    if missing:
        message = _("还有 %(count)s 个检查项没有填写结果：%(items)s") % {
            "count": len(missing),
            "items": "、".join(item.text for item in missing),
        }
        raise DomainError(message, code="results_incomplete", fields={"results": [message]})
    bad = sorted(
        code for code, result in results.items() if result not in CheckResult.Result.values
    )
    if bad:
        message = _("检查结果只能是合格、不合格或不适用。")
        raise DomainError(message, code="invalid_result", fields={"results": [message]})
    return items


def _check_findings(project, findings, results, items) -> None:
    for draft in findings:
        if draft.item is not None:
            if draft.item.code not in items:
                message = _("检查项“%(item)s”不属于本次检查的检查表。") % {"item": draft.item}
                raise DomainError(
                    message, code="item_not_in_checklist", fields={"findings": [message]}
                )
            if results.get(draft.item.code) != CheckResult.Result.FAIL:
                message = _("检查项“%(item)s”结果为合格或不适用，不能就此下发整改。") % {
                    "item": draft.item
                }
                raise DomainError(message, code="item_not_failed", fields={"findings": [message]})
        if draft.responsible_party.project_id != project.pk:
            message = _("责任单位必须是本项目的参建单位。")
            raise DomainError(
                message, code="party_not_in_project", fields={"responsible_party": [message]}
            )
        if draft.severity not in Severity.values:
            message = _("未知的严重程度。")
            raise DomainError(message, code="invalid_severity", fields={"severity": [message]})
        if not draft.description.strip():
            message = _("请描述发现的问题。")
            raise DomainError(
                message, code="description_required", fields={"description": [message]}
            )
        days = draft.deadline_days
        if days is not None and not 1 <= days <= MAX_DEADLINE_DAYS:
            message = _("整改时限应为 1 至 %(max)s 个工作日。") % {"max": MAX_DEADLINE_DAYS}
            raise DomainError(message, code="invalid_deadline", fields={"deadline_days": [message]})


def _issue(actor, inspection, draft: FindingDraft, *, photos, calendar, saved) -> Finding:
    days = draft.deadline_days or default_deadline_days(draft.severity)
    finding = Finding(
        inspection=inspection,
        project=inspection.project,
        item=draft.item,
        severity=draft.severity,
        description=draft.description.strip(),
        responsible_party=draft.responsible_party,
        deadline_days=days,
        due_on=calendar.add_working_days(inspection.inspected_on, days),
    )
    _full_clean(finding, exclude=["order_number"])
    _save_with_order_number(finding, inspection.inspected_on.year)
    _store(FindingPhoto, {"finding": finding}, photos, saved)
    events.finding_issued(actor=actor, finding=finding)
    return finding


def _save_with_order_number(finding: Finding, year: int, attempts: int = 5) -> None:
    """The next number of the year; a concurrent issue that took it first makes the unique
    constraint refuse, and the savepoint lets us take the one after."""
    prefix = f"{ORDER_PREFIX}{year}"
    for attempt in range(attempts):
        last = _last_order_number(prefix)
        number = int(last[len(prefix) :]) + 1 if last else 1
        finding.order_number = f"{prefix}{number:05d}"
        try:
            with transaction.atomic():
                finding.save()
            return
        except IntegrityError:
            if attempt == attempts - 1:
                raise
            finding.pk = None


def _last_order_number(prefix: str) -> str | None:
    return (
        Finding.objects.filter(order_number__startswith=prefix, order_number__regex=r"^ZG\d{9}$")
        .order_by("-order_number")
        .values_list("order_number", flat=True)
        .first()
    )


def _lock_finding(finding: Finding) -> Finding:
    return (
        Finding.objects.select_for_update(of=("self",))
        .select_related("project__district", "responsible_party__organisation")
        .get(pk=finding.pk)
    )


def _wrong_status(finding: Finding) -> Conflict:
    messages = {
        Finding.Status.OPEN: _("整改通知单 %(number)s 尚未回复，不能复查。"),
        Finding.Status.ANSWERED: _("整改通知单 %(number)s 已回复，等待复查，不能再次回复。"),
        Finding.Status.REOPENED: _("整改通知单 %(number)s 复查未通过，等待责任单位重新回复。"),
        Finding.Status.CLOSED: _("整改通知单 %(number)s 已销项，不能再办理。"),
    }
    return Conflict(
        messages[finding.status] % {"number": finding.order_number},
        code=f"finding_{finding.status}",
    )


def _step(finding, kind, actor, note, status, *, extra_fields=()) -> RectificationStep:
    before_status = finding.status
    step = RectificationStep(
        finding=finding,
        kind=kind,
        note=note,
        actor=actor if getattr(actor, "pk", None) else None,
        at=timezone.now(),
    )
    _full_clean(step, exclude=["actor"])
    step.save()
    finding.status = status
    finding.save(update_fields=["status", *extra_fields])
    events.finding_stepped(actor=actor, finding=finding, step=step, before_status=before_status)
    return step


def _escalate(finding: Finding, level: int, now: dt.datetime) -> int:
    with transaction.atomic(durable=True):
        before = finding.escalation
        claimed = Finding.objects.filter(
            pk=finding.pk, escalation__lt=level, status__in=ESCALATING
        ).update(escalation=level, escalated_at=now)
        if not claimed:
            return 0
        finding.escalation, finding.escalated_at = level, now
        if level == CITY:
            note = _("超过整改期限 %(due)s 仍未整改，已转市级督办。")
        else:
            note = _("超过整改期限 %(due)s，已转区级督办。")
        step = RectificationStep.objects.create(
            finding=finding,
            kind=RectificationStep.Kind.ESCALATED,
            note=note % {"due": finding.due_on.isoformat()},
            at=now,
        )
        events.finding_stepped(
            actor=WORKER,
            finding=finding,
            step=step,
            before_status=finding.status,
            before_escalation=before,
        )
    return 1


def _full_clean(instance, *, exclude=()) -> None:
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise DomainError(_("填写有误。"), code="invalid", fields=error.message_dict) from error


def _store(model, owner: dict, photos: list[PreparedPhoto], saved: list) -> None:
    """Files first, then rows; `saved` collects every file written, for removal on failure."""
    for prepared in photos:
        photo = model(**owner, width=prepared.width, height=prepared.height)
        photo.image.save(uuid.uuid4().hex + ".jpg", ContentFile(prepared.content), save=False)
        saved.append(photo)
        photo.save()


def _delete_files(photos) -> None:
    for photo in photos:
        if photo.image.name:
            photo.image.storage.delete(photo.image.name)
