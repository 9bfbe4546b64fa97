"""Inspections and rectification orders as the viewer may read them.

Everything is fetched through the projects the viewer may see (`projects_in_scope`: a
territory's staff see its projects, a company the projects it is a party to), so another
district's order answers the same 404 as a missing one.

`open_critical_findings(project)` is the rule acceptance asks: an open critical finding
blocks the move to `accepted`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from statistics import mean

from django.db.models import Count, Prefetch, QuerySet

from anju.core.calendar import SHANGHAI, WorkingCalendar, today
from anju.core.errors import NotFound
from anju.core.params import is_id
from anju.core.scope import Scope
from anju.planning.models import Project

from .. import rules
from ..models import (
    CheckResult,
    EvidencePhoto,
    Finding,
    FindingPhoto,
    Inspection,
    InspectionItem,
    ProjectParty,
    RectificationStep,
    Severity,
    WorkType,
)
from .projects import projects_in_scope

OPEN_STATUSES = (Finding.Status.OPEN, Finding.Status.ANSWERED, Finding.Status.REOPENED)


def open_critical_findings(project: Project) -> QuerySet:
    """The project's critical findings not yet closed (they block joint acceptance)."""
    return Finding.objects.filter(
        project=project, severity=Severity.CRITICAL, status__in=OPEN_STATUSES
    ).order_by("due_on", "pk")


# --- reference data --------------------------------------------------------------------------


def work_types() -> QuerySet:
    """The work types with their active checklist items, in checklist order."""
    from ..models import InspectionItem

    return WorkType.objects.prefetch_related(
        Prefetch(
            "items",
            queryset=InspectionItem.objects.filter(is_active=True).order_by("position", "code"),
            to_attr="active_items",
        )
    ).order_by("position", "code")


def checklists() -> QuerySet:
    """Every work type with all its items, switched-off ones too, in checklist order: what
    the city office edits."""
    return WorkType.objects.prefetch_related(
        Prefetch("items", queryset=InspectionItem.objects.order_by("position", "code"))
    ).order_by("position", "code")


def get_work_type(code: str) -> WorkType:
    """A work type by its code (city-wide reference data: every viewer reads the same)."""
    work_type = WorkType.objects.filter(code=code).first()
    if work_type is None:
        raise NotFound()
    return work_type


def get_inspection_item(pk) -> InspectionItem:
    item = InspectionItem.objects.select_related("work_type").filter(pk=pk).first()
    if item is None:
        raise NotFound()
    return item


def project_parties(project: Project) -> QuerySet:
    """The parties an order may be addressed to."""
    return ProjectParty.objects.filter(project=project).select_related("organisation")


# --- accessors -------------------------------------------------------------------------------


def findings_in_scope(scope: Scope) -> QuerySet:
    return Finding.objects.filter(project__in=projects_in_scope(scope))


def _finding_rows(queryset: QuerySet) -> QuerySet:
    return queryset.select_related(
        "project__district", "inspection__work_type", "item", "responsible_party__organisation"
    )


def get_finding(scope: Scope, pk) -> Finding:
    finding = (
        _finding_rows(findings_in_scope(scope))
        .prefetch_related(
            Prefetch("photos", queryset=FindingPhoto.objects.order_by("pk")),
            Prefetch(
                "steps",
                queryset=RectificationStep.objects.select_related("actor").prefetch_related(
                    Prefetch("photos", queryset=EvidencePhoto.objects.order_by("pk"))
                ),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if finding is None:
        raise NotFound()
    return finding


def get_inspection(scope: Scope, pk) -> Inspection:
    inspection = (
        Inspection.objects.filter(project__in=projects_in_scope(scope), pk=pk)
        .select_related("project__district", "work_type", "inspector")
        .prefetch_related(
            Prefetch(
                "results",
                queryset=CheckResult.objects.select_related("item").order_by(
                    "item__position", "item__code"
                ),
            ),
            Prefetch(
                "findings",
                queryset=Finding.objects.select_related(
                    "item", "responsible_party__organisation"
                ).order_by("pk"),
            ),
        )
        .first()
    )
    if inspection is None:
        raise NotFound()
    return inspection


def get_finding_photo(scope: Scope, pk) -> FindingPhoto:
    photo = FindingPhoto.objects.filter(
        pk=pk, finding__project__in=projects_in_scope(scope)
    ).first()
    if photo is None:
        raise NotFound()
    return photo


def get_evidence_photo(scope: Scope, pk) -> EvidencePhoto:
    photo = EvidencePhoto.objects.filter(
        pk=pk, step__finding__project__in=projects_in_scope(scope)
    ).first()
    if photo is None:
        raise NotFound()
    return photo


# --- lists -----------------------------------------------------------------------------------


def project_inspections(project: Project) -> QuerySet:
    return (
        Inspection.objects.filter(project=project)
        .select_related("work_type", "inspector")
        .annotate(finding_count=Count("findings"))
        .order_by("-inspected_on", "-pk")
    )


def project_findings(
    project: Project,
    *,
    status: str = "",
    severity: str = "",
    party: int | None = None,
    overdue: bool = False,
    on: dt.date | None = None,
) -> QuerySet:
    """The project's orders, filtered by status (or "open" for every unclosed one), severity,
    responsible party (its id) and whether they are past due."""
    findings = _finding_rows(Finding.objects.filter(project=project))
    if status == "open":
        findings = findings.filter(status__in=OPEN_STATUSES)
    elif status:
        findings = findings.filter(status=status)
    if severity:
        findings = findings.filter(severity=severity)
    if party:
        findings = findings.filter(responsible_party_id=party)
    if overdue:
        findings = findings.filter(status__in=OPEN_STATUSES, due_on__lt=on or today())
    return findings.order_by("due_on", "pk")


def overdue_findings(scope: Scope, *, level: int | None = None, district: str = "") -> QuerySet:
    """Orders escalated for supervision (督办) and not yet closed, in the viewer's
    territory: the district's list (level 1 and above) and the city's (level 2)."""
    findings = findings_in_scope(scope).filter(status__in=OPEN_STATUSES, escalation__gte=1)
    if level:
        findings = findings.filter(escalation=level)
    if district:
        findings = findings.filter(project__district__code=district)
    return _finding_rows(findings).order_by("-escalation", "due_on", "pk")


@dataclass(frozen=True)
class PanelSummary:
    """What the project's construction hub shows of its supervision."""

    inspections: int
    by_status: dict[str, int]
    open_critical: int
    overdue: int
    recent: list = field(default_factory=list)

    @property
    def open_total(self) -> int:
        return sum(self.by_status.get(status, 0) for status in OPEN_STATUSES)


def panel_summary(project: Project) -> PanelSummary:
    rows = dict(
        Finding.objects.filter(project=project)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("status", "n")
    )
    return PanelSummary(
        inspections=Inspection.objects.filter(project=project).count(),
        by_status=rows,
        open_critical=open_critical_findings(project).count(),
        overdue=project_findings(project, overdue=True).count(),
        recent=list(project_findings(project, status="open")[:5]),
    )


# --- what the viewer may do ------------------------------------------------------------------


@dataclass(frozen=True)
class FindingActions:
    answer: bool = False
    close: bool = False
    reopen: bool = False

    @property
    def any(self) -> bool:
        return self.answer or self.close or self.reopen


def finding_actions(scope: Scope, finding: Finding) -> FindingActions:
    """The steps the viewer may take next on the order (the services check the same rules)."""
    answered = finding.status == Finding.Status.ANSWERED
    may_review = answered and rules.may_review_answer(scope, finding)
    return FindingActions(
        answer=finding.status in (Finding.Status.OPEN, Finding.Status.REOPENED)
        and rules.is_responsible_for(scope, finding),
        close=may_review,
        reopen=may_review,
    )


# --- per-party records -----------------------------------------------------------------------


@dataclass
class PartyRecord:
    """One organisation's findings and timeliness across the projects the viewer sees."""

    organisation_id: int
    organisation: str
    kind: str
    by_severity: dict[str, int] = field(default_factory=dict)
    total: int = 0
    open: int = 0
    closed: int = 0
    closed_on_time: int = 0
    overdue_open: int = 0
    days_to_close: list[int] = field(default_factory=list)

    @property
    def severity_counts(self) -> list[int]:
        return [self.by_severity.get(severity, 0) for severity in Severity.values]

    @property
    def on_time_share(self) -> float | None:
        """Closed by the due date, out of the orders that are closed or already late."""
        due = self.closed + self.overdue_open
        return self.closed_on_time / due if due else None

    @property
    def mean_days_to_close(self) -> float | None:
        return round(mean(self.days_to_close), 1) if self.days_to_close else None


def party_records(scope: Scope, *, on: dt.date | None = None) -> list[PartyRecord]:
    """Each construction, supervision and design organisation with orders on the viewer's
    projects: counts by severity, the share closed on time and the mean working days from
    issue (the inspection date) to closing. One query for the orders."""
    on = on or today()
    calendar = WorkingCalendar.from_database()
    rows = (
        findings_in_scope(scope)
        .values_list(
            "responsible_party__organisation_id",
            "responsible_party__organisation__name",
            "responsible_party__role",
            "severity",
            "status",
            "due_on",
            "closed_at",
            "inspection__inspected_on",
        )
        .order_by()
    )
    records: dict[int, PartyRecord] = {}
    for org_id, name, role, severity, status, due_on, closed_at, issued_on in rows:
        record = records.setdefault(org_id, PartyRecord(org_id, name, role))
        record.total += 1
        record.by_severity[severity] = record.by_severity.get(severity, 0) + 1
        if status == Finding.Status.CLOSED and closed_at is not None:
            closed_on = closed_at.astimezone(SHANGHAI).date()
            record.closed += 1
            record.closed_on_time += closed_on <= due_on
            record.days_to_close.append(calendar.working_days_between(issued_on, closed_on))
        else:
            record.open += 1
            record.overdue_open += due_on < on
    return sorted(records.values(), key=lambda r: (r.kind, r.organisation))


def findings_for_filters(request_get) -> dict:
    """The list filters from a query string, each checked against its choices (an unknown
    value is ignored, never an error)."""
    status = request_get.get("status", "")
    severity = request_get.get("severity", "")
    party = request_get.get("party", "")
    return {
        "status": status if status in ("open", *Finding.Status.values) else "",
        "severity": severity if severity in Severity.values else "",
        "party": int(party) if is_id(party) else None,
        "overdue": request_get.get("overdue") == "1",
    }
