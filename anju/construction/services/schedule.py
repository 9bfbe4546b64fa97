"""The schedule, the start of building and the weekly progress reports.

- Milestones and tasks (planned dates, a weight each) are kept by the district or the
  construction unit, before and during building. No planned date may fall before the
  project's planned start or after the construction contract's end (the project's planned end
  while no construction unit is named). A task with reported progress is not removed.
- `start_construction` moves approved → building once the construction and supervision units
  are named and the schedule has a task (design's `move_project_stage`, same transaction).
- The construction unit reports progress once a week (the week ends on Sunday): a percent per
  task (0–100), notes and photos (checked and re-encoded without metadata). A percent below
  the last confirmed one for that task needs a note saying why. The supervision unit confirms
  or disputes (with a reason); a disputed report is corrected and submitted again. Only
  confirmed reports count as actual progress (selectors/schedule.py).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from anju.core.calendar import today
from anju.core.errors import Conflict, DomainError, PermissionDenied
from anju.core.scope import Scope
from anju.design.services.projects import move_project_stage
from anju.design.services.surveys import check_photos
from anju.planning.models import Project
from anju.territory.models import Stage

from .. import events, rules
from ..models import (
    Milestone,
    PartyRole,
    ProgressPhoto,
    ProgressReport,
    ProjectParty,
    Task,
    TaskProgress,
)

# --- the schedule ------------------------------------------------------------------------------


def check_may_edit_schedule(scope: Scope, project: Project) -> None:
    if not (
        rules.may_manage_construction(scope, project)
        or rules.is_construction_unit_of(scope, project)
    ):
        raise PermissionDenied(_("只有项目所在区的工作专班或施工单位可以编排进度计划。"))
    if not rules.may_edit_schedule(scope, project):
        raise DomainError(_("进度计划只能在开工前和施工期间编排。"), code="wrong_stage")


def schedule_bounds(project: Project) -> tuple[dt.date | None, dt.date | None]:
    """The earliest and latest planned date: the project's planned start, and the construction
    contract's end (the project's planned end while no construction unit is named)."""
    party = ProjectParty.objects.filter(project=project, role=PartyRole.CONSTRUCTION).first()
    return project.starts_on, (party.ends_on if party else project.ends_on)


def check_dates(project: Project, dates: Mapping[str, dt.date | None]) -> None:
    earliest, latest = schedule_bounds(project)
    errors: dict[str, list] = {}
    for field, day in dates.items():
        if day is None:
            continue
        if earliest and day < earliest:
            errors[field] = [
                _("日期不能早于项目计划开工日期（%(day)s）。")
                % {"day": date_format(earliest, "SHORT_DATE_FORMAT")}
            ]
        elif latest and day > latest:
            errors[field] = [
                _("日期不能晚于施工合同结束日期（%(day)s）。")
                % {"day": date_format(latest, "SHORT_DATE_FORMAT")}
            ]
    if errors:
        raise DomainError(next(iter(errors.values()))[0], code="date_out_of_range", fields=errors)


def _full_clean(entry, exclude=("project",)) -> None:
    try:
        entry.full_clean(exclude=list(exclude))
    except ValidationError as error:
        fields = error.message_dict
        raise DomainError(
            next(iter(fields.values()))[0], code="invalid_schedule", fields=fields
        ) from error


def _lock(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


def save_milestone(
    *,
    actor,
    scope: Scope,
    project: Project,
    name: str,
    planned_on: dt.date,
    reached_on: dt.date | None = None,
    position: int = 0,
    milestone: Milestone | None = None,
) -> Milestone:
    """Add a milestone, or change `milestone` (of this project)."""
    check_may_edit_schedule(scope, project)
    check_dates(project, {"planned_on": planned_on})
    if reached_on and reached_on > today():
        raise DomainError(
            _("实际完成日期不能晚于今天。"), fields={"reached_on": [_("不能晚于今天")]}
        )
    with transaction.atomic(durable=True):
        project = _lock(project)
        check_may_edit_schedule(scope, project)
        before = None
        if milestone is None:
            milestone = Milestone(project=project)
        else:
            milestone = Milestone.objects.get(pk=milestone.pk, project=project)
            before = events.schedule_entry_snapshot(milestone)
        milestone.name = name.strip()
        milestone.planned_on = planned_on
        milestone.reached_on = reached_on
        milestone.position = position
        _full_clean(milestone)
        milestone.save()
        events.schedule_entry_saved(actor=actor, entry=milestone, before=before)
    return milestone


def remove_milestone(*, actor, scope: Scope, milestone: Milestone) -> None:
    """Remove a milestone; its tasks stay in the schedule, outside any milestone."""
    check_may_edit_schedule(scope, milestone.project)
    with transaction.atomic(durable=True):
        project = _lock(milestone.project)
        check_may_edit_schedule(scope, project)
        events.schedule_entry_removed(actor=actor, entry=milestone)
        milestone.delete()


def save_task(
    *,
    actor,
    scope: Scope,
    project: Project,
    name: str,
    planned_start: dt.date,
    planned_end: dt.date,
    weight,
    milestone: Milestone | None = None,
    position: int = 0,
    task: Task | None = None,
) -> Task:
    """Add a task, or change `task` (of this project)."""
    check_may_edit_schedule(scope, project)
    check_dates(project, {"planned_start": planned_start, "planned_end": planned_end})
    if milestone is not None and milestone.project_id != project.pk:
        raise DomainError(_("找不到该进度节点。"), fields={"milestone": [_("不属于本项目")]})
    with transaction.atomic(durable=True):
        project = _lock(project)
        check_may_edit_schedule(scope, project)
        before = None
        if task is None:
            task = Task(project=project)
        else:
            task = Task.objects.select_related("milestone").get(pk=task.pk, project=project)
            before = events.schedule_entry_snapshot(task)
        task.name = name.strip()
        task.planned_start = planned_start
        task.planned_end = planned_end
        task.weight = weight
        task.milestone = milestone
        task.position = position
        _full_clean(task)
        task.save()
        events.schedule_entry_saved(actor=actor, entry=task, before=before)
    return task


def remove_task(*, actor, scope: Scope, task: Task) -> None:
    """Remove a task added in error; a task with reported progress stays (its history counts)."""
    check_may_edit_schedule(scope, task.project)
    with transaction.atomic(durable=True):
        project = _lock(task.project)
        check_may_edit_schedule(scope, project)
        if TaskProgress.objects.filter(task=task).exists():
            raise Conflict(
                _("“%(task)s”已有进度填报，不能删除。") % {"task": task.name},
                code="task_has_progress",
            )
        events.schedule_entry_removed(actor=actor, entry=task)
        task.delete()


# --- the start of building ---------------------------------------------------------------------


def missing_for_start(project: Project) -> list[str]:
    """What the project still lacks before building may start (empty when ready)."""
    roles = set(ProjectParty.objects.filter(project=project).values_list("role", flat=True))
    missing = []
    if PartyRole.CONSTRUCTION not in roles:
        missing.append(_("尚未确定施工单位"))
    if PartyRole.SUPERVISION not in roles:
        missing.append(_("尚未确定监理单位"))
    if not Task.objects.filter(project=project).exists():
        missing.append(_("进度计划中还没有施工任务"))
    return missing


def start_construction(*, actor, scope: Scope, project: Project) -> Project:
    """The district starts building: approved → building (design's stage move)."""
    if not rules.may_manage_construction(scope, project):
        raise PermissionDenied(_("只有项目所在区的工作专班或市改造办可以宣布开工。"))
    with transaction.atomic(durable=True):
        project = _lock(project)
        if project.stage != Stage.APPROVED:
            raise DomainError(_("只有通过联合审查的项目可以开工。"), code="wrong_stage")
        missing = missing_for_start(project)
        if missing:
            raise DomainError(
                _("还不能开工：%(missing)s。") % {"missing": "、".join(missing)},
                code="not_ready_to_build",
            )
        move_project_stage(actor=actor, project=project, to_stage=Stage.BUILDING, reason=_("开工"))
    project.refresh_from_db()
    return project


# --- weekly progress ---------------------------------------------------------------------------


def week_ending_of(day: dt.date) -> dt.date:
    """The Sunday that ends `day`'s week (reports are weekly, Monday to Sunday)."""
    return day + dt.timedelta(days=6 - day.weekday())


def last_confirmed_percents(project: Project, *, before: dt.date | None = None) -> dict:
    """task id → the percent of the latest confirmed report that reported it."""
    lines = TaskProgress.objects.filter(
        report__project=project, report__status=ProgressReport.Status.CONFIRMED
    )
    if before is not None:
        lines = lines.filter(report__week_ending__lt=before)
    found: dict[int, Decimal] = {}
    for task_id, percent in lines.order_by("report__week_ending").values_list("task_id", "percent"):
        found[task_id] = percent
    return found


def check_percents(project: Project, percents: Mapping, note: str, week_ending: dt.date) -> dict:
    """task → Decimal percent, refused as a whole on any bad value (fields `task_<id>`)."""
    tasks = {task.pk: task for task in Task.objects.filter(project=project)}
    errors: dict[str, list] = {}
    checked: dict[Task, Decimal] = {}
    for key, value in percents.items():
        task_id = key.pk if isinstance(key, Task) else int(key)
        field = f"task_{task_id}"
        task = tasks.get(task_id)
        if task is None:
            errors[field] = [_("该任务不属于本项目。")]
            continue
        if value is None or value == "":
            continue
        try:
            percent = Decimal(str(value))
        except InvalidOperation:
            errors[field] = [_("请填写 0 到 100 之间的数字。")]
            continue
        if not percent.is_finite() or percent < 0 or percent > 100:
            errors[field] = [_("“%(task)s”的完成百分比须在 0 到 100 之间。") % {"task": task.name}]
            continue
        checked[task] = percent.quantize(Decimal("0.1"))
    if not errors and not checked:
        raise DomainError(_("请至少填写一项任务的完成百分比。"), code="no_progress")
    if not errors and not note.strip():
        confirmed = last_confirmed_percents(project, before=week_ending)
        for task, percent in checked.items():
            if task.pk in confirmed and percent < confirmed[task.pk]:
                errors[f"task_{task.pk}"] = [
                    _("“%(task)s”低于上次监理确认的 %(percent)s%%，请在本周情况中说明原因。")
                    % {"task": task.name, "percent": confirmed[task.pk]}
                ]
                errors["note"] = [_("完成百分比下降时须说明原因。")]
    if errors:
        raise DomainError(next(iter(errors.values()))[0], code="invalid_progress", fields=errors)
    return checked


def submit_progress(
    *,
    actor,
    scope: Scope,
    project: Project,
    percents: Mapping,
    note: str = "",
    photos: Sequence = (),
    week_ending: dt.date | None = None,
) -> ProgressReport:
    """The construction unit's report for the week of `week_ending` (default this week): a new
    one, or a disputed one corrected and submitted again. Refused as a whole on bad input."""
    if not rules.may_report_progress(scope, project):
        raise PermissionDenied(_("只有本项目的施工单位可以在施工期间填报进度。"))
    day = week_ending or today()
    if day > today():
        raise DomainError(_("不能填报未来的进度。"), fields={"week_ending": [_("不能晚于今天")]})
    week = week_ending_of(day)
    checked = check_percents(project, percents, note, week)
    prepared = check_photos(photos)
    saved: list[ProgressPhoto] = []
    try:
        with transaction.atomic(durable=True):
            project = _lock(project)
            if not rules.may_report_progress(scope, project):
                raise PermissionDenied(_("只有本项目的施工单位可以在施工期间填报进度。"))
            report = (
                ProgressReport.objects.select_for_update()
                .filter(project=project, week_ending=week)
                .first()
            )
            before = None
            if report is None:
                report = ProgressReport(project=project, week_ending=week)
            elif report.status == ProgressReport.Status.DISPUTED:
                before = {"status": report.status, "review_note": report.review_note}
                report.lines.all().delete()
                report.status = ProgressReport.Status.SUBMITTED
                report.reviewed_by = None
                report.reviewed_at = None
            else:
                raise Conflict(
                    _("%(week)s 这一周的进度周报已经提交，不能重复填报。")
                    % {"week": date_format(week, "SHORT_DATE_FORMAT")},
                    code="already_reported",
                )
            report.note = note.strip()
            report.submitted_by = actor if getattr(actor, "pk", None) else None
            _full_clean(report, exclude=("project", "submitted_by", "reviewed_by"))
            report.save()
            TaskProgress.objects.bulk_create(
                [
                    TaskProgress(report=report, task=task, percent=percent)
                    for task, percent in checked.items()
                ]
            )
            _store_photos(report, prepared, saved)
            events.progress_submitted(actor=actor, report=report, before=before)
    except IntegrityError as error:
        _delete_files(saved)
        raise Conflict(_("这一周的进度周报已经提交。"), code="already_reported") from error
    except Exception:
        _delete_files(saved)
        raise
    return report


def confirm_progress(*, actor, scope: Scope, report: ProgressReport) -> ProgressReport:
    """The supervision unit confirms a submitted report: it now counts as actual progress."""
    return _review(actor=actor, scope=scope, report=report, status=ProgressReport.Status.CONFIRMED)


def dispute_progress(*, actor, scope: Scope, report: ProgressReport, reason: str) -> ProgressReport:
    """The supervision unit disputes a submitted report, saying why; the builder resubmits."""
    if not reason.strip():
        raise DomainError(
            _("请说明异议的理由。"), code="reason_required", fields={"reason": [_("请填写理由")]}
        )
    return _review(
        actor=actor,
        scope=scope,
        report=report,
        status=ProgressReport.Status.DISPUTED,
        note=reason.strip(),
    )


def _review(*, actor, scope: Scope, report: ProgressReport, status: str, note: str = ""):
    if not rules.may_review_progress(scope, report.project):
        raise PermissionDenied(_("只有本项目的监理单位可以确认或提出异议。"))
    with transaction.atomic(durable=True):
        locked = ProgressReport.objects.select_for_update().get(pk=report.pk)
        if locked.status != ProgressReport.Status.SUBMITTED:
            raise Conflict(_("该周报已经审核过，不能重复审核。"), code="already_reviewed")
        locked.project = report.project
        locked.status = status
        locked.review_note = note
        locked.reviewed_by = actor if getattr(actor, "pk", None) else None
        locked.reviewed_at = timezone.now()
        locked.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
        events.progress_reviewed(actor=actor, report=locked)
    return locked


def _store_photos(report: ProgressReport, photos, saved: list) -> None:
    for prepared in photos:
        photo = ProgressPhoto(report=report, width=prepared.width, height=prepared.height)
        photo.image.save(uuid.uuid4().hex + ".jpg", ContentFile(prepared.content), save=False)
        saved.append(photo)
        photo.save()


def _delete_files(photos) -> None:
    for photo in photos:
        if photo.image.name:
            photo.image.storage.delete(photo.image.name)
