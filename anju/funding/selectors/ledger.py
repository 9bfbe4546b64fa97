"""Reading the ledger: a project's funding plan against its approved total, its accounts by
source and its posted lines, and the city's and districts' totals by source group, source,
year and district. Every list is limited to the viewer's projects (design's scoped selector).

Totals add the posted lines' amounts, reversals included (they carry the negated amount), so
a reversed receipt counts nothing; "waiting to be disbursed" is received − disbursed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.db.models.functions import ExtractYear

from anju.core.errors import NotFound
from anju.core.scope import Scope
from anju.planning.models import Project

from ..models import (
    FundingPlan,
    FundingSource,
    LedgerDocument,
    LedgerEntry,
    SourceAccount,
    SourceGroup,
)
from . import projects as project_selectors

ZERO = Decimal("0.00")


def plan_of(project: Project) -> FundingPlan | None:
    return FundingPlan.objects.filter(project=project).first()


def plan_lines(plan: FundingPlan | None) -> list:
    if plan is None:
        return []
    return list(plan.lines.select_related("source", "payer"))


def planned_total(plan: FundingPlan | None) -> Decimal:
    if plan is None:
        return ZERO
    return plan.lines.aggregate(total=Sum("amount"))["total"] or ZERO


def accounts_of(project: Project) -> QuerySet:
    return SourceAccount.objects.filter(project=project).select_related("source")


def entries_of(project: Project) -> QuerySet:
    return (
        LedgerEntry.objects.filter(project=project)
        .select_related("source", "payer", "milestone", "reverses", "posted_by")
        .prefetch_related("documents")
        .order_by("-posted_at", "-pk")
    )


def disbursed_total(project: Project) -> Decimal:
    """Net disbursements of the project over all its sources (reversals subtract)."""
    found = LedgerEntry.objects.filter(
        project=project, kind=LedgerEntry.Kind.DISBURSEMENT
    ).aggregate(total=Sum("amount"))["total"]
    return found or ZERO


def get_entry(scope: Scope, project_pk, pk) -> LedgerEntry:
    project = project_selectors.get_project(scope, project_pk)
    entry = entries_of(project).filter(pk=pk).first()
    if entry is None:
        raise NotFound()
    entry.project = project
    return entry


def get_document(scope: Scope, project_pk, pk) -> LedgerDocument:
    """A posting's file on a project the viewer sees; NotFound for absent and not yours."""
    project = project_selectors.get_project(scope, project_pk)
    document = LedgerDocument.objects.filter(entry__project=project, pk=pk).first()
    if document is None:
        raise NotFound()
    return document


def reversed_ids(project: Project) -> set[int]:
    return set(
        LedgerEntry.objects.filter(project=project, reverses__isnull=False).values_list(
            "reverses_id", flat=True
        )
    )


@dataclass
class PlanSummary:
    """The funding plan against the approved plan total (None while no version is approved)."""

    plan: FundingPlan | None
    lines: list
    approved: Decimal | None
    planned: Decimal
    approved_by_payer: dict = field(default_factory=dict)

    @property
    def difference(self) -> Decimal | None:
        """approved − planned: positive is a shortfall, negative an excess."""
        return None if self.approved is None else self.approved - self.planned

    @property
    def shortfall(self) -> Decimal:
        return max(self.difference or ZERO, ZERO)

    @property
    def excess(self) -> Decimal:
        return max(-(self.difference or ZERO), ZERO)

    @property
    def adds_up(self) -> bool:
        return self.approved is not None and self.difference == 0

    @property
    def is_confirmed(self) -> bool:
        return self.plan is not None and self.plan.status == FundingPlan.Status.CONFIRMED


def plan_summary(project: Project) -> PlanSummary:
    from anju.design.selectors import plans as design_plans

    plan = plan_of(project)
    version = project_selectors.approved_version(project)
    by_payer = {}
    approved = None
    if version is not None:
        totals = design_plans.plan_totals(version)
        approved = totals.total
        by_payer = {label: amount for _value, label, amount in totals.payer_rows() if amount}
    return PlanSummary(
        plan=plan,
        lines=plan_lines(plan),
        approved=approved,
        planned=planned_total(plan),
        approved_by_payer=by_payer,
    )


def sources_grouped(*, active_only: bool = False) -> list[tuple[str, str, list]]:
    """[(group value, group label, [sources])] in the published order."""
    sources = FundingSource.objects.all()
    if active_only:
        sources = sources.filter(is_active=True)
    by_group = defaultdict(list)
    for source in sources:
        by_group[source.group].append(source)
    return [
        (value, label, by_group[value]) for value, label in SourceGroup.choices if by_group[value]
    ]


def get_source(pk) -> FundingSource:
    found = FundingSource.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


# --- totals ---------------------------------------------------------------------------------


@dataclass
class Figures:
    committed: Decimal = ZERO
    received: Decimal = ZERO
    disbursed: Decimal = ZERO

    @property
    def waiting(self) -> Decimal:
        """Received and not yet paid out."""
        return self.received - self.disbursed

    def add(self, kind: str, amount: Decimal) -> None:
        if kind == LedgerEntry.Kind.COMMITMENT:
            self.committed += amount
        elif kind == LedgerEntry.Kind.RECEIPT:
            self.received += amount
        else:
            self.disbursed += amount


@dataclass
class TotalsRow:
    key: tuple
    labels: tuple  # (code, name)
    figures: Figures

    @property
    def code(self) -> str:
        return self.labels[0]

    @property
    def name(self) -> str:
        return self.labels[1]


@dataclass
class Totals:
    by: str
    rows: list[TotalsRow]
    total: Figures
    years: list[int]
    districts: list[tuple[str, str]]


BY_CHOICES = ("district", "group", "source", "year")


def entries_in_scope(scope: Scope) -> QuerySet:
    return LedgerEntry.objects.filter(
        project__in=project_selectors.projects_in_scope(scope).values("pk")
    )


def ledger_totals(scope: Scope, *, by: str = "district", year=None, district: str = "") -> Totals:
    """Committed, received and disbursed of the viewer's projects, grouped `by` district,
    source group, source or year (the entry date's); filtered by year and district code.
    One grouped query; sums in Decimal."""
    by = by if by in BY_CHOICES else "district"
    entries = entries_in_scope(scope).annotate(year=ExtractYear("entry_date"))
    years = sorted(set(entries.values_list("year", flat=True)), reverse=True)
    districts = sorted(
        set(entries.values_list("project__district__code", "project__district__name"))
    )
    if year:
        entries = entries.filter(year=year)
    if district:
        entries = entries.filter(project__district__code=district)
    keys = {
        "district": ("project__district__code", "project__district__name"),
        "group": ("source__group",),
        "source": ("source__code", "source__name", "source__name_en", "source__position"),
        "year": ("year",),
    }[by]
    grouped = entries.values(*keys, "kind").annotate(amount=Sum("amount")).order_by()
    rows: dict[tuple, TotalsRow] = {}
    total = Figures()
    group_labels = dict(SourceGroup.choices)
    for row in grouped:
        key = tuple(row[name] for name in keys)
        if key not in rows:
            if by == "group":
                labels = (row["source__group"], group_labels.get(row["source__group"], ""))
            elif by == "source":
                source = FundingSource(name=row["source__name"], name_en=row["source__name_en"])
                labels = (row["source__code"], source.label)
            elif by == "year":
                labels = (str(row["year"]), str(row["year"]))
            else:
                labels = key
            rows[key] = TotalsRow(key=key, labels=labels, figures=Figures())
        rows[key].figures.add(row["kind"], row["amount"])
        total.add(row["kind"], row["amount"])
    if by == "group":
        order = {value: index for index, value in enumerate(SourceGroup.values)}
        ordered = sorted(rows.values(), key=lambda r: order.get(r.key[0], 99))
    elif by == "source":
        ordered = sorted(rows.values(), key=lambda r: (r.key[3], r.key[0]))
    elif by == "year":
        ordered = sorted(rows.values(), key=lambda r: r.key[0])
    else:
        ordered = sorted(rows.values(), key=lambda r: r.key[0])
    return Totals(by=by, rows=ordered, total=total, years=years, districts=districts)


@dataclass
class ShortProject:
    project: Project
    approved: Decimal | None
    planned: Decimal
    received: Decimal

    @property
    def plan_shortfall(self) -> Decimal:
        return max((self.approved or ZERO) - self.planned, ZERO)

    @property
    def receipt_shortfall(self) -> Decimal:
        return max(self.planned - self.received, ZERO)


def short_of_funding(scope: Scope, *, district: str = "") -> list[ShortProject]:
    """The viewer's approved-or-later projects whose plan lines fall short of the approved
    total, or whose receipts fall short of the plan (four queries in all)."""
    projects = project_selectors.funded_projects(scope)
    if district:
        projects = projects.filter(district__code=district)
    projects = list(projects)
    ids = [project.pk for project in projects]
    approved = project_selectors.approved_totals(ids)
    planned = dict(
        FundingPlan.objects.filter(project_id__in=ids)
        .values("project_id")
        .annotate(total=Sum("lines__amount"))
        .values_list("project_id", "total")
    )
    received = dict(
        SourceAccount.objects.filter(project_id__in=ids)
        .values("project_id")
        .annotate(total=Sum("received"))
        .values_list("project_id", "total")
    )
    found = []
    for project in projects:
        row = ShortProject(
            project=project,
            approved=approved.get(project.pk),
            planned=planned.get(project.pk) or ZERO,
            received=received.get(project.pk) or ZERO,
        )
        if row.plan_shortfall > 0 or row.receipt_shortfall > 0:
            found.append(row)
    return found


def funding_overview(scope: Scope) -> list[dict]:
    """The viewer's approved-or-later projects with approved, planned, received, disbursed
    (for the index page)."""
    projects = list(project_selectors.funded_projects(scope)[:500])
    ids = [project.pk for project in projects]
    approved = project_selectors.approved_totals(ids)
    plans = {plan.project_id: plan for plan in FundingPlan.objects.filter(project_id__in=ids)}
    planned = dict(
        FundingPlan.objects.filter(project_id__in=ids)
        .values("project_id")
        .annotate(total=Sum("lines__amount"))
        .values_list("project_id", "total")
    )
    accounts = {
        row["project_id"]: row
        for row in SourceAccount.objects.filter(project_id__in=ids)
        .values("project_id")
        .annotate(received=Sum("received"), disbursed=Sum("disbursed"))
    }
    return [
        {
            "project": project,
            "plan": plans.get(project.pk),
            "approved": approved.get(project.pk),
            "planned": planned.get(project.pk) or ZERO,
            "received": (accounts.get(project.pk) or {}).get("received") or ZERO,
            "disbursed": (accounts.get(project.pk) or {}).get("disbursed") or ZERO,
        }
        for project in projects
    ]
