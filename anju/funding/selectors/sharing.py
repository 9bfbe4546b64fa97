"""Cost shares as the viewer may see them: a project's shares (through the scoped project, so
404 outside the viewer's territory), a share's household lines, the contribution sheets by
household, a household's own lines with how they were computed (portal), and the tables."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import QuerySet, Sum

from anju.core.errors import NotFound
from anju.core.scope import Scope
from anju.design.models import PlanItem
from anju.planning.models import Project
from anju.territory.models import Household, Unit

from ..models import CoefficientTable, CostShare, HouseholdContribution
from . import projects as project_selectors


def share_snapshot(share: CostShare) -> dict:
    """What the audit records of a share (before and after a computation)."""
    if not share.pk:
        return {}
    return {
        "method": share.method,
        "utility_owner": share.utility_owner.name if share.utility_owner_id else "",
        "residents_share": str(share.residents_share) if share.residents_share is not None else "",
        "residents_amount": (
            str(share.residents_amount) if share.residents_amount is not None else ""
        ),
        "table": share.table.code if share.table_id else "",
        "buildings": sorted(share.buildings.values_list("number", flat=True)),
        "utility_part": str(share.utility_part),
        "residents_part": str(share.residents_part),
        "others_part": str(share.others_part),
        "households": share.contributions.count(),
    }


def approved_items(project: Project) -> QuerySet:
    version = project_selectors.approved_version(project)
    if version is None:
        return PlanItem.objects.none()
    return version.items.select_related("item", "compound").order_by("compound", "pk")


def shares_of(project: Project) -> QuerySet:
    return (
        CostShare.objects.filter(project=project)
        .select_related("plan_item__item", "plan_item__compound", "utility_owner", "table")
        .prefetch_related("buildings")
        .order_by("plan_item__compound", "plan_item__pk")
    )


def get_project(scope: Scope, pk) -> Project:
    return project_selectors.get_project(scope, pk)


def get_plan_item(scope: Scope, project_pk, item_pk) -> PlanItem:
    """An item of the project's approved version; NotFound otherwise (or outside scope)."""
    project = get_project(scope, project_pk)
    item = approved_items(project).filter(pk=item_pk).first()
    if item is None:
        raise NotFound()
    return item


def get_share(scope: Scope, pk) -> CostShare:
    share = shares_of_scope(scope).filter(pk=pk).first()
    if share is None:
        raise NotFound()
    return share


def shares_of_scope(scope: Scope) -> QuerySet:
    projects = project_selectors.projects_in_scope(scope)
    return CostShare.objects.filter(project__in=projects).select_related(
        "project", "plan_item__item", "plan_item__compound", "utility_owner", "table"
    )


def contributions_of(share: CostShare) -> QuerySet:
    return share.contributions.select_related("household__unit__building").order_by(
        "household__unit__building__number", "household__unit__number", "floor", "household__room"
    )


def weight_total(share: CostShare) -> Decimal:
    return share.contributions.aggregate(total=Sum("weight"))["total"] or Decimal(0)


# --- contribution sheets --------------------------------------------------------------------


@dataclass
class SheetLine:
    share: CostShare
    contribution: HouseholdContribution


@dataclass
class SheetHousehold:
    household: Household
    lines: list[SheetLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.contribution.amount for line in self.lines), Decimal("0.00"))


@dataclass
class Sheet:
    project: Project
    unit: Unit | None
    shares: list[CostShare]
    households: list[SheetHousehold]

    @property
    def total(self) -> Decimal:
        return sum((h.total for h in self.households), Decimal("0.00"))

    @property
    def spans_compounds(self) -> bool:
        """A contiguous package (连片) of several compounds: each household names its own."""
        return len({entry.household.unit.building.compound_id for entry in self.households}) > 1


def units_of(project: Project) -> QuerySet:
    """The units whose households carry a line of the project's shares."""
    return (
        Unit.objects.filter(
            pk__in=HouseholdContribution.objects.filter(share__project=project).values(
                "household__unit"
            )
        )
        .select_related("building__compound")
        .order_by("building__compound", "building__number", "number")
    )


def sheet(project: Project, unit: Unit | None = None) -> Sheet:
    """Every household's lines of the project's shares (one unit's households, or all)."""
    lines = (
        HouseholdContribution.objects.filter(share__project=project)
        .select_related(
            "household__unit__building__compound", "share__plan_item__item", "share__table"
        )
        .order_by(
            "household__unit__building__compound__name",
            "household__unit__building__number",
            "household__unit__number",
            "household__floor",
            "household__room",
            "share__plan_item__pk",
        )
    )
    if unit is not None:
        lines = lines.filter(household__unit=unit)
    households: OrderedDict[int, SheetHousehold] = OrderedDict()
    shares: OrderedDict[int, CostShare] = OrderedDict()
    for line in lines:
        entry = households.setdefault(line.household_id, SheetHousehold(line.household))
        entry.lines.append(SheetLine(line.share, line))
        shares.setdefault(line.share_id, line.share)
    ordered_shares = sorted(shares.values(), key=lambda s: s.plan_item_id)
    return Sheet(project, unit, ordered_shares, list(households.values()))


def get_unit(project: Project, pk) -> Unit:
    unit = units_of(project).filter(pk=pk).first()
    if unit is None:
        raise NotFound()
    return unit


# --- the household's own lines (portal) -----------------------------------------------------


@dataclass(frozen=True)
class Explanation:
    """How a household's amount was computed, for the resident."""

    contribution: HouseholdContribution
    share: CostShare
    weight_total: Decimal
    fraction: Fraction
    exact_amount: Fraction
    households: int

    @property
    def percent(self) -> Decimal:
        return (
            Decimal(self.fraction.numerator) * 100 / Decimal(self.fraction.denominator)
        ).quantize(Decimal("0.0001"))

    @property
    def exact_text(self) -> str:
        """The exact share before rounding, to 6 places ('≈' when not exact)."""
        value = Decimal(self.exact_amount.numerator) / Decimal(self.exact_amount.denominator)
        shown = value.quantize(Decimal("0.000001"))
        return str(shown) if Fraction(shown) == self.exact_amount else "≈" + str(shown)

    @property
    def floored_amount(self) -> Decimal:
        return self.contribution.amount - (Decimal("0.01") if self.contribution.rounded_up else 0)


def contributions_of_household(household: Household) -> QuerySet:
    return (
        HouseholdContribution.objects.filter(household=household)
        .select_related("share__plan_item__item", "share__project", "share__table")
        .order_by("share__project", "share__plan_item__pk")
    )


def get_own_contribution(household: Household, pk) -> HouseholdContribution:
    """The household's own line; another household's answers the same 404 as a missing one."""
    line = contributions_of_household(household).filter(pk=pk).first()
    if line is None:
        raise NotFound()
    return line


def explain(contribution: HouseholdContribution) -> Explanation:
    share = contribution.share
    aggregate = share.contributions.aggregate(total=Sum("weight"))
    total_weight = aggregate["total"] or Decimal(0)
    fraction = (
        Fraction(contribution.weight) / Fraction(total_weight) if total_weight else Fraction(0)
    )
    return Explanation(
        contribution=contribution,
        share=share,
        weight_total=total_weight,
        fraction=fraction,
        exact_amount=Fraction(share.residents_part) * fraction,
        households=share.contributions.count(),
    )


# --- coefficient tables ---------------------------------------------------------------------


def coefficient_tables() -> QuerySet:
    return CoefficientTable.objects.prefetch_related("floors").order_by("-is_active", "code")


def active_tables() -> QuerySet:
    return CoefficientTable.objects.filter(is_active=True).order_by("code")


def get_table(pk) -> CoefficientTable:
    table = CoefficientTable.objects.filter(pk=pk).first()
    if table is None:
        raise NotFound()
    return table
