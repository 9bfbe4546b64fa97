"""The schedule, progress reports and the planned-vs-actual S-curve.

Planned progress on day d (weekly points, on each week's Sunday):

    planned(d) = Σ wᵢ · clamp((d − startᵢ + 1) / (endᵢ − startᵢ + 1), 0, 1) / Σ wᵢ × 100

— linear within a task over its planned days (both ends included). Actual progress after a
week is Σ wᵢ · pᵢ / Σ wᵢ where pᵢ is the percent of the latest *confirmed* report that reported
task i (0 before any). A project is behind when planned(today) − latest actual exceeds
`ANJU_PROGRESS_BEHIND_MARGIN` points; `behind_schedule(scope)` is the one selector the list,
the hub and the API use. Cost: one query for the tasks and one for the confirmed lines, for any
number of projects; the arithmetic is O(weeks × tasks) per project.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from anju.core.calendar import today
from anju.core.errors import NotFound
from anju.core.scope import Scope
from anju.planning.models import Project
from anju.territory.models import Stage

from ..models import Milestone, ProgressPhoto, ProgressReport, Task, TaskProgress
from .projects import get_project, projects_in_scope

ONE_PLACE = Decimal("0.1")
WEEK = dt.timedelta(days=7)


def milestones_of(project: Project) -> QuerySet:
    return Milestone.objects.filter(project=project).order_by("planned_on", "position", "pk")


def tasks_of(project: Project) -> QuerySet:
    return Task.objects.filter(project=project).select_related("milestone")


def reports_of(project: Project) -> QuerySet:
    """The project's reports, latest week first, with lines and photos (two prefetches)."""
    return (
        ProgressReport.objects.filter(project=project)
        .select_related("submitted_by", "reviewed_by")
        .prefetch_related(
            Prefetch("lines", queryset=TaskProgress.objects.select_related("task")), "photos"
        )
        .order_by("-week_ending")
    )


def get_report(scope: Scope, project_pk, pk) -> ProgressReport:
    project = get_project(scope, project_pk)
    report = reports_of(project).filter(pk=pk).first()
    if report is None:
        raise NotFound()
    report.project = project
    return report


def get_progress_photo(scope: Scope, project_pk, pk) -> ProgressPhoto:
    """A photo of one of the project's reports, for staff who see the project."""
    project = get_project(scope, project_pk)
    photo = ProgressPhoto.objects.filter(pk=pk, report__project=project).first()
    if photo is None:
        raise NotFound()
    return photo


def get_task(scope: Scope, project_pk, pk) -> Task:
    project = get_project(scope, project_pk)
    task = tasks_of(project).filter(pk=pk).first()
    if task is None:
        raise NotFound()
    task.project = project
    return task


def get_milestone(scope: Scope, project_pk, pk) -> Milestone:
    project = get_project(scope, project_pk)
    milestone = milestones_of(project).filter(pk=pk).first()
    if milestone is None:
        raise NotFound()
    milestone.project = project
    return milestone


def latest_confirmed_percents(project: Project) -> dict[int, Decimal]:
    """task id → the percent last confirmed by the supervisor (for the builder's form)."""
    found: dict[int, Decimal] = {}
    lines = TaskProgress.objects.filter(
        report__project=project, report__status=ProgressReport.Status.CONFIRMED
    ).order_by("report__week_ending")
    for task_id, percent in lines.values_list("task_id", "percent"):
        found[task_id] = percent
    return found


# --- the S-curve ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedTask:
    start: dt.date
    end: dt.date
    weight: Decimal


def planned_percent(tasks: list[PlannedTask], day: dt.date) -> Decimal:
    total = sum((task.weight for task in tasks), Decimal(0))
    if not total:
        return Decimal(0)
    done = Decimal(0)
    for task in tasks:
        days = (task.end - task.start).days + 1
        elapsed = min(max((day - task.start).days + 1, 0), days)
        done += task.weight * Decimal(elapsed) / Decimal(days)
    return (done / total * 100).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def actual_percent(weights: dict[int, Decimal], percents: dict[int, Decimal]) -> Decimal:
    total = sum(weights.values(), Decimal(0))
    if not total:
        return Decimal(0)
    done = sum((weights[pk] * percents.get(pk, Decimal(0)) for pk in weights), Decimal(0))
    return (done / total).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CurvePoint:
    week_ending: dt.date
    planned: Decimal
    actual: Decimal | None  # None: no confirmed report by then, or after the latest one


@dataclass
class Progress:
    """A project's planned and actual progress today, and its weekly S-curve."""

    planned_now: Decimal = Decimal(0)
    actual: Decimal = Decimal(0)
    actual_week: dt.date | None = None
    points: list[CurvePoint] = field(default_factory=list)

    @property
    def lag(self) -> Decimal:
        return self.planned_now - self.actual

    @property
    def is_behind(self) -> bool:
        return self.lag > Decimal(settings.ANJU_PROGRESS_BEHIND_MARGIN)


def _week_end(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=6 - day.weekday())


def _curve(tasks, confirmed_weeks, day: dt.date) -> Progress:
    """tasks: [(pk, PlannedTask)]; confirmed_weeks: [(week_ending, {task id: percent})] in week
    order, each the lines of one confirmed report."""
    planned = [task for _, task in tasks]
    weights = {pk: task.weight for pk, task in tasks}
    progress = Progress(planned_now=planned_percent(planned, day))
    actual_by_week: dict[dt.date, Decimal] = {}
    carried: dict[int, Decimal] = {}
    for week, lines in confirmed_weeks:
        carried.update(lines)
        actual_by_week[week] = actual_percent(weights, carried)
    if actual_by_week:
        progress.actual_week = max(actual_by_week)
        progress.actual = actual_by_week[progress.actual_week]
    if not planned:
        return progress
    first = _week_end(min(task.start for task in planned))
    last = _week_end(max([task.end for task in planned] + list(actual_by_week)))
    week, actual = first, None
    while week <= last:
        for reported in [w for w in actual_by_week if week - WEEK < w <= week]:
            actual = actual_by_week[reported]
        shown = actual if progress.actual_week and week <= _week_end(progress.actual_week) else None
        progress.points.append(CurvePoint(week, planned_percent(planned, week), shown))
        week += WEEK
    return progress


def progress_of_projects(project_ids, *, day: dt.date | None = None) -> dict[int, Progress]:
    """project id → Progress, in two queries whatever the number of projects."""
    day = day or today()
    tasks = defaultdict(list)
    for pk, project_id, start, end, weight in Task.objects.filter(
        project_id__in=project_ids
    ).values_list("pk", "project_id", "planned_start", "planned_end", "weight"):
        tasks[project_id].append((pk, PlannedTask(start, end, weight)))
    weeks: dict[int, dict[dt.date, dict[int, Decimal]]] = defaultdict(dict)
    lines = TaskProgress.objects.filter(
        report__project_id__in=project_ids, report__status=ProgressReport.Status.CONFIRMED
    ).values_list("report__project_id", "report__week_ending", "task_id", "percent")
    for project_id, week, task_id, percent in lines:
        weeks[project_id].setdefault(week, {})[task_id] = percent
    return {pk: _curve(tasks[pk], sorted(weeks[pk].items()), day) for pk in project_ids}


def progress_of(project: Project, *, day: dt.date | None = None) -> Progress:
    return progress_of_projects([project.pk], day=day)[project.pk]


def behind_schedule(scope: Scope, *, day: dt.date | None = None) -> QuerySet:
    """The viewer's projects under construction that lag their plan by more than the margin."""
    building = list(
        projects_in_scope(scope).filter(stage=Stage.BUILDING).values_list("pk", flat=True)
    )
    progress = progress_of_projects(building, day=day)
    behind = [pk for pk, found in progress.items() if found.is_behind]
    return projects_in_scope(scope).filter(pk__in=behind)
