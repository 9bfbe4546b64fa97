"""The survey as the viewer may read it: a project's findings, the checklist they answer, and
the counts the project page shows. Findings and photos are fetched through the projects the
viewer may see (`projects_in_scope`), so another district's answer the same 404 as absent."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet

from anju.catalogue.models import ChecklistItem
from anju.core.errors import NotFound
from anju.core.scope import Scope
from anju.planning.models import Project
from anju.territory.models import Building

from ..models import FindingPhoto, Severity, SurveyFinding
from .projects import projects_in_scope


def findings_in_scope(scope: Scope) -> QuerySet:
    return SurveyFinding.objects.filter(project__in=projects_in_scope(scope))


def get_finding(scope: Scope, pk) -> SurveyFinding:
    finding = (
        findings_in_scope(scope)
        .select_related("project__district", "compound", "building", "checklist_item")
        .filter(pk=pk)
        .first()
    )
    if finding is None:
        raise NotFound()
    return finding


def get_finding_photo(scope: Scope, pk) -> FindingPhoto:
    photo = FindingPhoto.objects.filter(
        pk=pk, finding__project__in=projects_in_scope(scope)
    ).first()
    if photo is None:
        raise NotFound()
    return photo


def project_findings(project: Project) -> QuerySet:
    """Every finding of the project, in checklist order, with what a row shows."""
    return (
        SurveyFinding.objects.filter(project=project)
        .select_related("project", "compound", "building", "checklist_item", "surveyor")
        .prefetch_related(Prefetch("photos", queryset=FindingPhoto.objects.order_by("pk")))
        .order_by("checklist_item__position", "checklist_item__code", "compound__code", "pk")
    )


def survey_buildings(project: Project) -> QuerySet:
    """The buildings a finding may name: those of the project's compounds."""
    return (
        Building.objects.filter(compound__in=project.compounds.all())
        .select_related("compound")
        .order_by("compound__code", "number")
    )


@dataclass
class ChecklistRow:
    item: ChecklistItem
    findings: list[SurveyFinding] = field(default_factory=list)


@dataclass
class ChecklistArea:
    name: str
    rows: list[ChecklistRow]

    @property
    def finding_count(self) -> int:
        return sum(len(row.findings) for row in self.rows)


def survey_checklist(project: Project) -> list[ChecklistArea]:
    """The active checklist grouped by area (in checklist order) with the project's findings
    under their item; an item since deactivated still shows if a finding names it. Two
    queries and a prefetch, whatever the number of findings."""
    findings = list(project_findings(project))
    named = {finding.checklist_item_id for finding in findings}
    items = ChecklistItem.objects.filter(is_active=True) | ChecklistItem.objects.filter(
        pk__in=named
    )
    rows = {item.pk: ChecklistRow(item) for item in items.order_by("position", "code")}
    for finding in findings:
        rows[finding.checklist_item_id].findings.append(finding)
    areas: dict[str, list[ChecklistRow]] = {}
    for row in rows.values():
        areas.setdefault(row.item.area, []).append(row)
    return [ChecklistArea(name, area_rows) for name, area_rows in areas.items()]


@dataclass(frozen=True)
class SurveyCounts:
    """Findings by kind (hazard / shortfall) and severity, for the project page."""

    by_kind: dict[str, dict[str, int]]
    compounds_surveyed: int

    @property
    def total(self) -> int:
        return sum(sum(row.values()) for row in self.by_kind.values())

    def table(self) -> list[tuple[str, list[int], int]]:
        """[(kind label, [count per severity in Severity order], row total)]."""
        rows = []
        for kind, label in ChecklistItem.Kind.choices:
            counts = [self.by_kind.get(kind, {}).get(severity, 0) for severity in Severity.values]
            rows.append((label, counts, sum(counts)))
        return rows


def survey_counts(project: Project) -> SurveyCounts:
    """One query: the project's findings counted by kind and severity, and by compound."""
    by_kind: dict[str, dict[str, int]] = {}
    compounds = set()
    rows = (
        SurveyFinding.objects.filter(project=project)
        .values_list("checklist_item__kind", "severity", "compound_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for kind, severity, compound_id, n in rows:
        by_kind.setdefault(kind, {}).setdefault(severity, 0)
        by_kind[kind][severity] += n
        compounds.add(compound_id)
    return SurveyCounts(by_kind=by_kind, compounds_surveyed=len(compounds))
