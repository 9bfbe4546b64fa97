"""Reads of management schemes: one compound's scheme and budget lines, the viewer's compounds
with their scheme status (the hub's list), and the district view of upkeep money.

The district view (`upkeep_view`) answers, for the viewer's territory:
- by year, the sum of the budget lines entered for that year (what the districts' annual
  budgets hold) beside the sum of `yearly_upkeep_budget` of the schemes in force that year
  (a scheme is in force in year Y when it has a start date on or before 31 December of Y) —
  the gap is upkeep promised but not budgeted;
- the compounds whose scheme has no budget line for a year asked (default this year and next);
- the compounds of an approved annual plan's projects that have no scheme at all.
Every queryset here is limited to the viewer's scope.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from anju.core.calendar import today
from anju.core.errors import NotFound
from anju.core.params import BadParameter
from anju.core.scope import Scope
from anju.planning.models import AnnualPlanStatus
from anju.territory.models import Compound
from anju.territory.selectors import CompoundFilters, compound_list

from ..models import BudgetLine, ManagementScheme


def schemes_in_scope(scope: Scope) -> QuerySet[ManagementScheme]:
    return ManagementScheme.objects.filter(
        scope.path_q("compound__path", "compound_id")
    ).select_related("compound", "property_company")


def scheme_of(compound: Compound) -> ManagementScheme | None:
    """The compound's scheme (the caller fetched the compound through its scope), or None."""
    return (
        ManagementScheme.objects.select_related("property_company", "updated_by")
        .filter(compound=compound)
        .first()
    )


def get_scheme(scope: Scope, compound: Compound) -> ManagementScheme:
    scheme = schemes_in_scope(scope).filter(compound=compound).first()
    if scheme is None:
        raise NotFound()
    return scheme


def budget_lines_of(scheme: ManagementScheme | None) -> QuerySet[BudgetLine]:
    if scheme is None:
        return BudgetLine.objects.none()
    return BudgetLine.objects.filter(scheme=scheme).order_by("year")


def get_budget_line(scope: Scope, compound: Compound, pk: int) -> BudgetLine:
    line = (
        BudgetLine.objects.filter(
            scope.path_q("scheme__compound__path", "scheme__compound_id"),
            scheme__compound=compound,
            pk=pk,
        )
        .select_related("scheme__compound")
        .first()
    )
    if line is None:
        raise NotFound()
    return line


def property_companies():
    from anju.access.models import Organisation

    return Organisation.objects.filter(kind=Organisation.Kind.PROPERTY).order_by("name")


# --- the hub's list ---------------------------------------------------------------------------


SCHEME_STATUSES = ("none", "unbudgeted", "budgeted")


def hub_compounds(scope: Scope, *, search: str = "", status: str = "", year: int | None = None):
    """The viewer's compounds with their scheme (or none) and whether it has a budget line
    for `year` (default this year): `has_scheme`, `has_budget_line`."""
    year = year or today().year
    lines = BudgetLine.objects.filter(scheme__compound=OuterRef("pk"), year=year)
    schemes = ManagementScheme.objects.filter(compound=OuterRef("pk"))
    qs = (
        compound_list(scope=scope, filters=CompoundFilters(search=search[:50]))
        .select_related("management_scheme", "management_scheme__property_company")
        .annotate(has_scheme=Exists(schemes), has_budget_line=Exists(lines))
    )
    if status == "none":
        qs = qs.filter(has_scheme=False)
    elif status == "unbudgeted":
        qs = qs.filter(has_scheme=True, has_budget_line=False)
    elif status == "budgeted":
        qs = qs.filter(has_budget_line=True)
    return qs


# --- the district view --------------------------------------------------------------------------


@dataclass(frozen=True)
class UpkeepYear:
    year: int
    budgeted: Decimal  # the budget lines entered for the year
    budgeted_compounds: int
    promised: Decimal  # yearly_upkeep_budget of the schemes in force that year
    schemes_in_force: int

    @property
    def gap(self) -> Decimal:
        return self.promised - self.budgeted


@dataclass(frozen=True)
class UpkeepView:
    years: list[UpkeepYear]
    missing_years: tuple[int, ...]
    missing: dict[int, list[Compound]] = field(default_factory=dict)
    unplanned: list[Compound] = field(default_factory=list)


def default_missing_years() -> tuple[int, ...]:
    year = today().year
    return (year, year + 1)


def upkeep_by_year(scope: Scope) -> list[UpkeepYear]:
    """One row per year that has a budget line or a scheme in force, up to next year."""
    lines = (
        BudgetLine.objects.filter(scope.path_q("scheme__compound__path", "scheme__compound_id"))
        .values("year")
        .annotate(total=Sum("amount"))
    )
    budgeted = {row["year"]: row["total"] for row in lines}
    counts: dict[int, int] = {}
    for row in (
        BudgetLine.objects.filter(scope.path_q("scheme__compound__path", "scheme__compound_id"))
        .values("year", "scheme__compound_id")
        .distinct()
    ):
        counts[row["year"]] = counts.get(row["year"], 0) + 1
    starts = list(
        schemes_in_scope(scope)
        .filter(starts_on__isnull=False)
        .values_list("starts_on", "yearly_upkeep_budget")
    )
    first_years = [day.year for day, _amount in starts] + list(budgeted)
    if not first_years:
        return []
    last = max([*budgeted, today().year + 1])
    rows = []
    for year in range(min(first_years), last + 1):
        in_force = [amount for day, amount in starts if day <= dt.date(year, 12, 31)]
        rows.append(
            UpkeepYear(
                year=year,
                budgeted=budgeted.get(year, Decimal("0")),
                budgeted_compounds=counts.get(year, 0),
                promised=sum(in_force, Decimal("0")),
                schemes_in_force=len(in_force),
            )
        )
    return rows


def compounds_missing_budget_line(scope: Scope, year: int) -> QuerySet[Compound]:
    """Compounds in the viewer's territory whose scheme has no budget line for `year`."""
    return (
        Compound.objects.filter(scope.path_q("path", "id"), management_scheme__isnull=False)
        .exclude(management_scheme__budget_lines__year=year)
        .select_related("community", "management_scheme")
        .order_by("path")
    )


def planned_compounds_without_scheme(scope: Scope) -> QuerySet[Compound]:
    """Compounds of an approved annual plan's projects that have no scheme at all (design
    will not notice their plans until they have one)."""
    approved = Q(projects__annual_plan__status=AnnualPlanStatus.APPROVED)
    return (
        Compound.objects.filter(scope.path_q("path", "id"), approved)
        .filter(management_scheme__isnull=True)
        .select_related("community")
        .distinct()
        .order_by("path")
    )


def missing_years_from(values) -> tuple[int, ...] | None:
    """`?year=2027&year=2028`: four-digit years, at most five; absent → the default."""
    years = []
    for value in values:
        text = value.strip()
        if not text:
            continue
        if not (text.isascii() and text.isdigit() and len(text) == 4 and 2000 <= int(text) <= 2100):
            raise BadParameter(
                _("参数 year 应为四位年份。"), fields={"year": [_("应为2000至2100之间的年份。")]}
            )
        years.append(int(text))
    return tuple(dict.fromkeys(years))[:5] or None


def upkeep_view(scope: Scope, missing_years: tuple[int, ...] | None = None) -> UpkeepView:
    years = tuple(missing_years or default_missing_years())
    return UpkeepView(
        years=upkeep_by_year(scope),
        missing_years=years,
        missing={year: list(compounds_missing_budget_line(scope, year)) for year in years},
        unplanned=list(planned_compounds_without_scheme(scope)),
    )


def find_organisation(pk: int):
    """An organisation named by id in the API (any kind: the service refuses one that is not a
    property company, naming the field)."""
    from anju.access.models import Organisation

    return Organisation.objects.filter(pk=pk).first()
