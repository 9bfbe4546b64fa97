"""Reads of residents' problem reports: who sees which reports, who handles a new one, what a
viewer may do next, the compound's public list, possible duplicates, overdue reports and the
handling figures.

Scope:
- territorial staff see the reports under their territory (the report's `path`, a copy of its
  compound's);
- a property company's staff see the reports of the compounds assigned to their company;
- any organisation's staff (a utility, a named unit) also see the reports handled by their
  organisation, wherever they are;
- a resident sees the reports of their own compound (the pages show another household's
  report without its reporter: `may_see_reporter`).
`get_report` answers NotFound for absent and out-of-scope alike.

Routing (`route_for`): the most specific rule wins. A rule on a deeper territory node beats one
on its ancestor (city-wide rules have no node and come last), and at the same node a rule for
the category beats one for every category. A "property company" rule falls through to the
next rule when the compound has no current property contract; with no rule left the
compound's community handles it.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from anju.access.models import Organisation
from anju.core.calendar import SHANGHAI, WorkingCalendar
from anju.core.calendar import today as calendar_today
from anju.core.errors import NotFound
from anju.core.scope import Scope
from anju.engine import geo
from anju.territory import paths
from anju.territory.models import Compound, Household, Node

from .. import rules
from ..models import (
    OPEN_STATUSES,
    TRANSITIONS,
    Escalation,
    HandlerKind,
    ProblemReport,
    PropertyContract,
    ReportCategory,
    ReportStep,
    RoutingRule,
    Status,
)

DUPLICATE_RADIUS_M = 50
HANDLER_STEPS = frozenset({Status.ACCEPTED, Status.IN_PROGRESS, Status.RESOLVED})


# --- who sees which reports -----------------------------------------------------------------


def reports_for(scope: Scope) -> QuerySet[ProblemReport]:
    reports = ProblemReport.objects.select_related(
        "compound", "category", "handler_organisation", "handler_node", "building"
    )
    if scope.is_resident:
        return reports.filter(compound_id__in=sorted(scope.compound_ids))
    if not scope.is_staff:
        return reports.none()
    q = scope.path_q("path")
    if scope.has_role(rules.PROPERTY_COMPANY) and scope.compound_ids:
        q |= Q(compound_id__in=sorted(scope.compound_ids))
    if scope.organisation_id:
        q |= Q(handler_organisation_id=scope.organisation_id)
    return reports.filter(q)


def get_report(scope: Scope, pk) -> ProblemReport:
    report = reports_for(scope).filter(pk=pk).first()
    if report is None:
        raise NotFound()
    return report


def my_reports(household: Household) -> QuerySet[ProblemReport]:
    return ProblemReport.objects.filter(household=household).select_related(
        "compound", "category", "building"
    )


def may_see_reporter(scope: Scope, report: ProblemReport) -> bool:
    """The reporting household itself, and staff (names and phones then masked unless
    `scope.may_see_personal_data`); other residents see the report without its reporter."""
    if scope.is_resident:
        return report.household_id is not None and report.household_id == scope.household_id
    return scope.is_staff


def steps_for(report: ProblemReport) -> QuerySet[ReportStep]:
    """Every step, reminder and escalation, oldest first: the reporter sees them all."""
    return (
        ReportStep.objects.filter(report=report)
        .select_related("actor")
        .prefetch_related("photos")
        .order_by("at", "pk")
    )


def next_steps(report: ProblemReport, scope: Scope) -> list[str]:
    """The statuses this viewer may move the report to now (pages and API offer exactly these;
    the service checks the same predicates)."""
    return [
        status
        for status in Status.values
        if status in TRANSITIONS[report.status] and may_take_step(scope, report, status)
    ]


def may_take_step(scope: Scope, report: ProblemReport, to_status: str) -> bool:
    if to_status in HANDLER_STEPS:
        return rules.is_handler_of(scope, report)
    if to_status == Status.CONFIRMED:
        return rules.may_confirm_report(scope, report)
    if to_status == Status.REOPENED:
        return rules.may_reopen_report(scope, report)
    return False


def categories() -> QuerySet[ReportCategory]:
    """The categories offered on the phone and staff forms (switched-off ones are not)."""
    return ReportCategory.objects.filter(is_active=True)


def all_categories() -> QuerySet[ReportCategory]:
    """Every category, switched-off ones too, for the city office's categories page."""
    return ReportCategory.objects.all()


def get_category(code: str) -> ReportCategory:
    """City-wide reference data, the same for every viewer: absent is NotFound."""
    category = ReportCategory.objects.filter(code=code).first()
    if category is None:
        raise NotFound()
    return category


# --- routing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    handler: str
    organisation: Organisation | None = None
    node: Node | None = None
    rule: RoutingRule | None = None


def current_contract(compound: Compound, day: dt.date | None = None) -> PropertyContract | None:
    """The property contract serving the compound on `day` (today by default)."""
    day = day or calendar_today()
    return (
        PropertyContract.objects.filter(compound=compound, starts_on__lte=day)
        .filter(
            Q(ended_early_on__gte=day)
            | Q(ended_early_on__isnull=True, ends_on__gte=day)
            | Q(ended_early_on__isnull=True, ends_on__isnull=True)
        )
        .select_related("company")
        .order_by("-starts_on", "-pk")
        .first()
    )


def candidate_rules(compound: Compound, category: ReportCategory) -> list[RoutingRule]:
    """The rules that apply to the compound and category, most specific first."""
    ancestors = paths.ancestor_paths(compound.community.path)
    found = list(
        RoutingRule.objects.filter(Q(category=category) | Q(category__isnull=True))
        .filter(Q(node__isnull=True) | Q(node__path__in=ancestors))
        .select_related("node", "organisation", "category")
    )
    return sorted(
        found,
        key=lambda rule: (
            -(paths.depth(rule.node.path) if rule.node_id else -1),
            0 if rule.category_id else 1,
        ),
    )


def route_for(compound: Compound, category: ReportCategory, day: dt.date | None = None) -> Route:
    for rule in candidate_rules(compound, category):
        route = _resolve(rule.handler, compound, organisation=rule.organisation, day=day)
        if route is not None:
            return Route(route.handler, route.organisation, route.node, rule)
    return Route(HandlerKind.COMMUNITY, node=compound.community)


def resolve_handler(
    handler: str, compound: Compound, *, organisation=None, node=None, day=None
) -> Route | None:
    """The handler kind made concrete for this compound (None: a property company handler and
    no current contract)."""
    return _resolve(handler, compound, organisation=organisation, node=node, day=day)


def _resolve(handler, compound, *, organisation=None, node=None, day=None) -> Route | None:
    if handler == HandlerKind.PROPERTY_COMPANY:
        if organisation is None:
            contract = current_contract(compound, day)
            organisation = contract.company if contract else None
        return Route(handler, organisation=organisation) if organisation else None
    if handler == HandlerKind.COMMUNITY:
        return Route(handler, node=node or compound.community)
    if handler == HandlerKind.STREET:
        return Route(handler, node=node or compound.community.parent)
    if handler == HandlerKind.ORGANISATION:
        return Route(handler, organisation=organisation) if organisation else None
    return None


def routing_rules(scope: Scope) -> QuerySet[RoutingRule]:
    """City-wide rules (every staff member reads them) and the rules on nodes in the viewer's
    territory, city-wide first then by node."""
    q = Q(node__isnull=True) | scope.path_q("node__path")
    return (
        RoutingRule.objects.filter(q)
        .select_related("category", "node", "organisation")
        .order_by("node__path", "category__position", "pk")
    )


def get_routing_rule(scope: Scope, pk) -> RoutingRule:
    rule = routing_rules(scope).filter(pk=pk).first()
    if rule is None:
        raise NotFound()
    return rule


# --- the compound's public list, duplicates, overdue ----------------------------------------


@dataclass(frozen=True)
class PublicReport:
    """A report as the compound's notice board shows it: no household, no caller, no phone."""

    id: int
    number: str
    category: str
    description: str
    building: str
    status: str
    status_label: str
    submitted_on: dt.date
    due_on: dt.date
    resolved_on: dt.date | None
    is_overdue: bool


def public_reports(compound: Compound, day: dt.date | None = None) -> list[PublicReport]:
    day = day or calendar_today()
    reports = (
        ProblemReport.objects.filter(compound=compound, duplicate_of__isnull=True)
        .select_related("category", "building")
        .order_by("-submitted_at", "-pk")
    )
    return [
        PublicReport(
            id=report.pk,
            number=report.number,
            category=report.category.label,
            description=report.description,
            building=report.building.number if report.building_id else "",
            status=report.status,
            status_label=report.get_status_display(),
            submitted_on=_local_date(report.submitted_at),
            due_on=report.due_on,
            resolved_on=_local_date(report.resolved_at) if report.resolved_at else None,
            is_overdue=report.is_overdue(day),
        )
        for report in reports
    ]


def suggest_duplicates(  # noqa: PLR0917 (the contract's signature)
    compound: Compound,
    category: ReportCategory,
    building=None,
    longitude: float | None = None,
    latitude: float | None = None,
    since_days: int = 30,
) -> list[ProblemReport]:
    """Open reports, or reports resolved in the last `since_days` days, of the same compound
    and category; when a place is given, only those in the same building or within 50 m of the
    point. Newest first."""
    since = timezone.now() - dt.timedelta(days=since_days)
    candidates = (
        ProblemReport.objects.filter(compound=compound, category=category, duplicate_of=None)
        .filter(Q(status__in=OPEN_STATUSES) | Q(resolved_at__gte=since))
        .select_related("category", "building")
        .order_by("-submitted_at", "-pk")
    )
    has_point = longitude is not None and latitude is not None
    if building is None and not has_point:
        return list(candidates)
    found = []
    for report in candidates:
        if building is not None and report.building_id == building.pk:
            found.append(report)
        elif has_point and report.longitude is not None and report.latitude is not None:
            far = geo.distance_m((longitude, latitude), (report.longitude, report.latitude))
            if far <= DUPLICATE_RADIUS_M:
                found.append(report)
    return found


def only_overdue(reports: QuerySet[ProblemReport], day: dt.date) -> QuerySet[ProblemReport]:
    """Open reports past their deadline on `day` (a duplicate is handled with its original)."""
    return reports.filter(status__in=OPEN_STATUSES, due_on__lt=day, duplicate_of__isnull=True)


def only_escalated(reports: QuerySet[ProblemReport]) -> QuerySet[ProblemReport]:
    """Open reports escalated to the district or the city (督办)."""
    return reports.filter(status__in=OPEN_STATUSES, escalation__gt=Escalation.NONE)


def overdue_reports(scope: Scope, today: dt.date) -> QuerySet[ProblemReport]:
    return only_overdue(reports_for(scope), today)


# --- figures --------------------------------------------------------------------------------

METRIC_GROUPINGS = ("compound", "company", "district")


@dataclass(frozen=True)
class MetricsRow:
    """Handling figures of one compound, property company or district.

    `reopen_rate`: reports reopened at least once ÷ reports resolved at least once (now
    resolved or confirmed, or reopened since). `days_to_resolve`: working days from submission
    to the (last) resolution, over the reports now resolved or confirmed.
    """

    key: str
    label: str
    reports: int
    open: int
    overdue: int
    resolved: int
    median_days_to_resolve: float | None
    mean_days_to_resolve: float | None
    reopen_rate: float | None
    mean_rating: float | None
    ratings: int


def report_metrics(
    scope: Scope,
    by: str = "compound",
    *,
    day: dt.date | None = None,
    calendar: WorkingCalendar | None = None,
) -> list[MetricsRow]:
    if by not in METRIC_GROUPINGS:
        raise ValueError(by)
    day = day or calendar_today()
    calendar = calendar or WorkingCalendar.from_database()
    reports = reports_for(scope).filter(duplicate_of__isnull=True)
    if by == "company":
        reports = reports.filter(
            handler=HandlerKind.PROPERTY_COMPANY, handler_organisation__isnull=False
        )
    rows = reports.values_list(
        "compound__code",
        "compound__name",
        "handler_organisation_id",
        "handler_organisation__name",
        "path",
        "status",
        "due_on",
        "submitted_at",
        "resolved_at",
        "reopen_count",
        "rating",
    )
    groups: dict[str, list] = defaultdict(list)
    labels: dict[str, str] = {}
    for row in rows:
        code, name, org_id, org_name, path, *_ = row
        if by == "compound":
            key, label = code, name
        elif by == "company":
            key, label = str(org_id), org_name
        else:
            key, label = paths.district_code(path), ""
        groups[key].append(row)
        labels[key] = label
    if by == "district":
        names = dict(Node.objects.filter(code__in=list(groups)).values_list("code", "name"))
        labels = {key: names.get(key, key) for key in groups}
    return [
        _metrics_row(key, labels[key], groups[key], day, calendar)
        for key in sorted(groups, key=lambda k: (labels[k], k))
    ]


def _metrics_row(key, label, rows, day, calendar) -> MetricsRow:
    open_count = overdue = 0
    days, ratings = [], []
    resolved_once = reopened = resolved_now = 0
    for *_, status, due_on, submitted_at, resolved_at, reopen_count, rating in rows:
        if status in OPEN_STATUSES:
            open_count += 1
            overdue += due_on < day
        if status in (Status.RESOLVED, Status.CONFIRMED):
            resolved_now += 1
            if resolved_at:
                days.append(
                    calendar.working_days_between(
                        _local_date(submitted_at), _local_date(resolved_at)
                    )
                )
        if status in (Status.RESOLVED, Status.CONFIRMED) or reopen_count:
            resolved_once += 1
        reopened += bool(reopen_count)
        if rating is not None:
            ratings.append(rating)
    return MetricsRow(
        key=key,
        label=label,
        reports=len(rows),
        open=open_count,
        overdue=overdue,
        resolved=resolved_now,
        median_days_to_resolve=float(statistics.median(days)) if days else None,
        mean_days_to_resolve=round(statistics.fmean(days), 1) if days else None,
        reopen_rate=round(reopened / resolved_once, 3) if resolved_once else None,
        mean_rating=round(statistics.fmean(ratings), 2) if ratings else None,
        ratings=len(ratings),
    )


def _local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(SHANGHAI).date()
