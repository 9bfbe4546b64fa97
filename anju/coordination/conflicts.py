"""Dig once (避免重复开挖): the plan's compounds against others' works, and their resolution.

For every compound of an annual plan (its approved Projects, or the draft plan's selection) the
footprint is its surveyed boundary, or its point with a radius of `POINT_RADIUS_M`; its window
is its Project's construction window, or the plan year's default (1 March – 30 November). A
work's footprint is its geometry, or the compounds it names when it has none. Planned and
under-way works only: a finished or cancelled work digs nothing. `anju.engine.conflicts`
finds every pair within `distance_m` metres and `months` calendar months and classifies it
(overlap: build together; after: the renewed compound would be dug again; before: sequence
them). Detection keeps what districts already decided: a pair found again keeps its status;
an undecided pair no longer found is removed; a decided one no longer found is kept, marked
not current. The district then confirms a joint window or records why not.
"""

from __future__ import annotations

import json
from collections import defaultdict

import numpy as np
import shapely
from django.db import transaction
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.scope import Scope
from anju.engine import geo
from anju.engine.conflicts import (
    DEFAULT_DISTANCE_M,
    DEFAULT_MONTHS,
    RELATIONS,
    ConflictInputError,
    Features,
    explain,
    find_conflicts,
)
from anju.planning.models import AnnualPlan, AnnualPlanStatus, Project
from anju.planning.packages import construction_window
from anju.planning.selectors import annual_plans
from anju.territory.models import Compound, Node
from anju.territory.paths import district_path

from . import events
from .models import Conflict, ConflictStatus, Work, WorkStatus

POINT_RADIUS_M = 80.0  # anju's default footprint of a compound without a surveyed boundary
DETECTING_ROLES = ("city_office", "district_task_force")
RESOLVING_ROLES = ("city_office", "district_task_force", "street_office")
ACTIVE_WORKS = (WorkStatus.PLANNED, WorkStatus.UNDER_WAY)


# --- footprints ----------------------------------------------------------------------------


def compound_footprints(compounds: list[Compound]) -> tuple[np.ndarray, np.ndarray]:
    """Metre geometries and radii: the boundary (radius 0) or the point (POINT_RADIUS_M)."""
    shapes, radii = [], []
    for compound in compounds:
        if compound.boundary:
            shapes.append(shapely.from_geojson(json.dumps(compound.boundary)))
            radii.append(0.0)
        else:
            shapes.append(shapely.Point(compound.longitude or 0.0, compound.latitude or 0.0))
            radii.append(POINT_RADIUS_M)
    metres = geo.project_geometries(np.array(shapes, dtype=object))
    return metres, np.array(radii, dtype=np.float64)


def plan_compounds(annual_plan: AnnualPlan) -> list[tuple[Compound, object, object]]:
    """(compound, start, end) of every compound of the plan: its Projects once approved,
    the draft selection before."""
    if annual_plan.status == AnnualPlanStatus.APPROVED:
        rows = []
        default = construction_window(annual_plan.year)
        for project in annual_plan.projects.prefetch_related("compounds"):
            start = project.starts_on or default[0]
            end = project.ends_on or default[1]
            rows.extend((compound, start, end) for compound in project.compounds.all())
        return rows
    start, end = construction_window(annual_plan.year)
    return [
        (selection.compound, start, end)
        for selection in annual_plan.selections.select_related("compound")
    ]


def work_footprints(works: list[Work]) -> tuple[np.ndarray, np.ndarray]:
    """Metre geometries and radii of works; a work without geometry covers its compounds."""
    named = {
        compound.pk: compound
        for compound in Compound.objects.filter(works__in=[w.pk for w in works if not w.geometry])
    }
    members = defaultdict(list)
    for work_id, compound_id in Work.compounds.through.objects.filter(
        work_id__in=[w.pk for w in works if not w.geometry]
    ).values_list("work_id", "compound_id"):
        members[work_id].append(named[compound_id])
    with_geometry = [index for index, work in enumerate(works) if work.geometry]
    metres = np.empty(len(works), dtype=object)
    radii = np.zeros(len(works))
    if with_geometry:
        shapes = np.array(
            [shapely.from_geojson(json.dumps(works[i].geometry)) for i in with_geometry]
        )
        projected = geo.project_geometries(shapes)
        for index, shape in zip(with_geometry, projected, strict=True):
            metres[index], radii[index] = shape, works[index].radius_m
    for index, work in enumerate(works):
        if work.geometry:
            continue
        compounds = members.get(work.pk, [])
        if not compounds:
            metres[index] = None
            continue
        shapes, compound_radii = compound_footprints(compounds)
        covered = [s.buffer(r) if r else s for s, r in zip(shapes, compound_radii, strict=True)]
        metres[index] = shapely.union_all(covered)
    return metres, radii


# --- detection -----------------------------------------------------------------------------


def detect(
    *,
    actor,
    scope: Scope,
    annual_plan: AnnualPlan,
    distance_m: float = DEFAULT_DISTANCE_M,
    months: int = DEFAULT_MONTHS,
) -> dict:
    """Find the plan's conflicts for the compounds in the viewer's territory; returns counts."""
    if not scope.has_role(*DETECTING_ROLES):
        raise PermissionDenied(_("只有市改造办和区工作专班可以排查开挖冲突。"))
    rows = [row for row in plan_compounds(annual_plan) if scope.covers_path(row[0].path)]
    works = list(
        Work.objects.filter(status__in=ACTIVE_WORKS)
        .annotate(named=Count("compounds"))
        .filter(Q(geometry__isnull=False) | Q(named__gt=0))
        .order_by("pk")
    )
    found = pairs(rows, works, distance_m, months)
    now = timezone.now()
    compound_ids = [compound.pk for compound, _start, _end in rows]
    with transaction.atomic(durable=True):
        existing = {
            (conflict.compound_id, conflict.work_id): conflict
            for conflict in Conflict.objects.select_for_update().filter(
                annual_plan=annual_plan, compound_id__in=compound_ids
            )
        }
        created = updated = 0
        for key, values in found.items():
            conflict = existing.pop(key, None)
            if conflict is None:
                Conflict.objects.create(
                    annual_plan=annual_plan,
                    compound_id=key[0],
                    work_id=key[1],
                    detected_at=now,
                    **values,
                )
                created += 1
                continue
            changes = {**values, "is_current": True}
            if any(getattr(conflict, name) != value for name, value in changes.items()):
                for name, value in changes.items():
                    setattr(conflict, name, value)
                conflict.save()  # a history row only when something moved
            updated += 1
        gone = [c.pk for c in existing.values() if c.status == ConflictStatus.OPEN]
        Conflict.objects.filter(pk__in=gone).delete()
        kept = Conflict.objects.filter(pk__in=[c.pk for c in existing.values()]).exclude(
            pk__in=gone
        )
        stale = kept.update(is_current=False)
        summary = {
            "compounds": len(rows),
            "works": len(works),
            "pairs": len(found),
            "new": created,
            "again": updated,
            "removed": len(gone),
            "no_longer_found": stale,
            "distance_m": distance_m,
            "months": months,
        }
        events.detected(actor=actor, annual_plan=annual_plan, scope=scope, summary=summary)
    return summary


def pairs(rows, works: list[Work], distance_m: float, months: int) -> dict[tuple, dict]:
    """{(compound id, work id): fields} for every pair the engine finds."""
    if not rows or not works:
        return {}
    compounds = [compound for compound, _start, _end in rows]
    shapes, radii = compound_footprints(compounds)
    projects = Features.from_arrays(
        "project",
        ids=[str(compound.pk) for compound in compounds],
        geometries=shapes,
        starts=[start for _c, start, _e in rows],
        ends=[end for _c, _s, end in rows],
        radii=radii,
    )
    work_shapes, work_radii = work_footprints(works)
    present = [i for i, shape in enumerate(work_shapes) if shape is not None]
    others = Features.from_arrays(
        "work",
        ids=[str(works[i].pk) for i in present],
        geometries=work_shapes[present],
        starts=[works[i].starts_on for i in present],
        ends=[works[i].ends_on for i in present],
        radii=work_radii[present],
        kinds=[works[i].kind for i in present],
    )
    try:
        result = find_conflicts(projects, others, distance_m=distance_m, months=int(months))
    except ConflictInputError as error:
        raise DomainError(" ".join(explain(error, "zh")), code="conflict_input") from error
    by_id = {compound.pk: (compound, start, end) for compound, start, end in rows}
    found = {}
    for record in result.records(places=1):
        compound, start, end = by_id[int(record["project"])]
        found[(compound.pk, int(record["work"]))] = {
            "path": compound.path,
            "distance_m": record["distance_m"],
            "relation": record["relation"],
            "project_starts_on": start,
            "project_ends_on": end,
        }
    return found


# --- resolution ----------------------------------------------------------------------------


def resolve(
    *,
    actor,
    scope: Scope,
    conflict: Conflict,
    status: str,
    note: str = "",
    joint_starts_on=None,
    joint_ends_on=None,
) -> Conflict:
    """The district confirms a joint window (同步施工) or records why not (不同步的理由)."""
    if not scope.has_role(*RESOLVING_ROLES):
        raise PermissionDenied(_("只有市、区、街道工作人员可以协调开挖冲突。"))
    if not scope.covers_path(conflict.path):
        raise NotFound()
    note = (note or "").strip()
    if status == ConflictStatus.JOINT:
        if not joint_starts_on or not joint_ends_on:
            raise DomainError(
                _("请填写约定的同步施工时间。"),
                fields={"joint_starts_on": [_("必填")], "joint_ends_on": [_("必填")]},
            )
        if joint_ends_on < joint_starts_on:
            raise DomainError(
                _("约定完工不能早于约定开工。"), fields={"joint_ends_on": [_("无效")]}
            )
        check_joint_window(conflict, joint_starts_on, joint_ends_on)
    elif status == ConflictStatus.DECLINED:
        if len(note) < 4:
            raise DomainError(_("请写明不同步施工的理由。"), fields={"note": [_("必填")]})
        joint_starts_on = joint_ends_on = None
    else:
        raise DomainError(_("请选择协调结果。"), fields={"status": [_("无效")]})
    with transaction.atomic(durable=True):
        locked = Conflict.objects.select_for_update().get(pk=conflict.pk)
        before = {"status": locked.status, "note": locked.note}
        locked.status, locked.note = status, note
        locked.joint_starts_on, locked.joint_ends_on = joint_starts_on, joint_ends_on
        locked.resolved_by = actor if getattr(actor, "pk", None) else None
        locked.resolved_at = timezone.now()
        locked.save()
        events.resolved(actor=actor, conflict=locked, before=before)
    return locked


def check_joint_window(conflict: Conflict, starts_on, ends_on) -> None:
    """Building together means both are on site at once: the joint window lies within the
    renovation's window and the work's, so within their overlap; without one it is refused."""
    work = conflict.work
    first = max(conflict.project_starts_on, work.starts_on)
    last = min(conflict.project_ends_on, work.ends_on)
    windows = {
        "project_starts": conflict.project_starts_on.isoformat(),
        "project_ends": conflict.project_ends_on.isoformat(),
        "work_starts": work.starts_on.isoformat(),
        "work_ends": work.ends_on.isoformat(),
    }
    if first > last:
        raise DomainError(
            _(
                "改造工期（%(project_starts)s至%(project_ends)s）与该工程工期（%(work_starts)s至"
                "%(work_ends)s）没有重叠，无法同步施工；请调整工期或选择“不同步”并说明理由。"
            )
            % windows,
            code="joint_window_outside",
            fields={"joint_starts_on": [_("无效")]},
        )
    if starts_on < first or ends_on > last:
        raise DomainError(
            _(
                "约定的同步施工时间须在改造工期与工程工期重叠的 %(first)s至%(last)s 之内"
                "（改造 %(project_starts)s至%(project_ends)s，"
                "工程 %(work_starts)s至%(work_ends)s）。"
            )
            % {**windows, "first": first.isoformat(), "last": last.isoformat()},
            code="joint_window_outside",
            fields={"joint_starts_on": [_("无效")], "joint_ends_on": [_("无效")]},
        )


# --- reads ---------------------------------------------------------------------------------


def conflict_list(*, scope: Scope) -> QuerySet[Conflict]:
    if not scope.is_staff:
        return Conflict.objects.none()
    return Conflict.objects.filter(scope.path_q("path", "compound_id")).select_related(
        "compound", "work__organisation", "annual_plan"
    )


def get_conflict(*, scope: Scope, pk) -> Conflict:
    conflict = conflict_list(scope=scope).filter(pk=pk).first()
    if conflict is None:
        raise NotFound()
    return conflict


def unresolved_by_district(*, scope: Scope) -> list[dict]:
    """The weekly list: per district, the open conflicts, how many by relation, and the
    oldest detection."""
    rows = (
        conflict_list(scope=scope)
        .filter(status=ConflictStatus.OPEN, is_current=True)
        .values("compound__community__parent__parent__name", "relation")
        .annotate(n=Count("id"), oldest=Min("detected_at"))
        .order_by("compound__community__parent__parent__name")
    )
    table: dict[str, dict] = {}
    for row in rows:
        name = row["compound__community__parent__parent__name"]
        entry = table.setdefault(
            name,
            {"district": name, "total": 0, "oldest": row["oldest"], **dict.fromkeys(RELATIONS, 0)},
        )
        entry[row["relation"]] += row["n"]
        entry["total"] += row["n"]
        entry["oldest"] = min(entry["oldest"], row["oldest"])
    return list(table.values())


def relation_counts(conflicts: QuerySet[Conflict]) -> dict[str, int]:
    counts = dict.fromkeys(RELATIONS, 0)
    for relation, n in conflicts.values_list("relation").annotate(n=Count("id")).order_by():
        counts[relation] = n
    return counts


def plans_with_work(*, scope: Scope) -> QuerySet[AnnualPlan]:
    """Annual plans whose compounds can be checked: a draft selection or approved projects."""
    return (
        annual_plans(scope=scope)
        .filter(Q(selections__isnull=False) | Q(projects__isnull=False))
        .distinct()
        .order_by("-year")
    )


def districts_in(scope: Scope) -> list[Node]:
    """The districts a viewer may filter by: those inside the scope or containing it."""
    visible = Node.objects.filter(kind__in=("district", "zone")).order_by("path")
    return [
        d
        for d in visible
        if scope.covers_path(d.path) or any(path.startswith(d.path) for path in scope.node_paths)
    ]


def project_codes(annual_plan: AnnualPlan, compound_ids) -> dict[int, str]:
    """The Project each compound belongs to in an approved plan (a package is one project)."""
    return dict(
        Project.compounds.through.objects.filter(
            project__annual_plan=annual_plan, compound_id__in=list(compound_ids)
        ).values_list("compound_id", "project__code")
    )


def district_outlines(paths) -> list[dict]:
    """The outlines (GeoJSON) of the districts holding these compound paths, for the map."""
    districts = {district_path(path) for path in paths} - {""}
    return [
        outline
        for outline in Node.objects.filter(path__in=sorted(districts)).values_list(
            "outline", flat=True
        )
        if outline
    ]
