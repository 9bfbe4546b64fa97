"""Plan versions as the viewer may see them, their totals, and how they answer the residents.

Every accessor goes through `projects_in_scope`, so a version, item or workshop of a project
the viewer cannot see answers the same not-found as an absent one. Totals are computed once,
here (`plan_totals`), in Decimal from the stored line costs, so the page, the API, the notice
and the review read the same figures, exact to the fen.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from anju.catalogue.models import CatalogueItem, Category, Payer
from anju.core.errors import NotFound
from anju.core.scope import Scope
from anju.engagement.models import Campaign
from anju.engagement.selectors import campaign_summaries
from anju.planning.models import Project
from anju.stewardship.models import ManagementScheme
from anju.territory.models import Compound

from ..models import NeedResponse, PlanItem, PlanVersion, Workshop
from .projects import projects_in_scope

# How many of a compound's needs (by share of households asking) a plan must answer.
TOP_NEEDS = 10


# --- accessors -------------------------------------------------------------------------------


def versions_in_scope(scope: Scope) -> QuerySet[PlanVersion]:
    return PlanVersion.objects.filter(project__in=projects_in_scope(scope)).select_related(
        "project", "project__district", "project__annual_plan", "price_list"
    )


def get_plan_version(scope: Scope, pk) -> PlanVersion:
    version = versions_in_scope(scope).filter(pk=pk).first()
    if version is None:
        raise NotFound()
    return version


def get_plan_item(scope: Scope, pk) -> PlanItem:
    item = (
        PlanItem.objects.filter(pk=pk, version__in=versions_in_scope(scope))
        .select_related("version", "version__project", "version__price_list", "item", "compound")
        .first()
    )
    if item is None:
        raise NotFound()
    return item


def plan_versions(project: Project) -> QuerySet[PlanVersion]:
    """A project's versions, newest first (the caller fetched the project through its scope)."""
    return project.plan_versions.select_related("price_list", "created_by").order_by("-number")


def latest_version(project: Project) -> PlanVersion | None:
    return plan_versions(project).first()


def plan_items(version: PlanVersion) -> QuerySet[PlanItem]:
    return version.items.select_related("item", "compound").order_by(
        "compound__code", "item__position", "item__code", "pk"
    )


def workshops(project: Project) -> QuerySet[Workshop]:
    return project.workshops.select_related("recorded_by")


def schemes_of(project: Project) -> dict[int, ManagementScheme]:
    """compound id → its management scheme, for the project's compounds that have one."""
    return {
        scheme.compound_id: scheme
        for scheme in ManagementScheme.objects.filter(compound__in=project.compounds.all())
    }


# --- totals ----------------------------------------------------------------------------------


@dataclass
class PlanTotals:
    """A version's money: by category (基础类/完善类/提升类), by payer, and the total. Every
    category and payer is present (zero when nothing falls in it), in the published order."""

    by_category: dict[str, Decimal] = field(default_factory=dict)
    by_payer: dict[str, Decimal] = field(default_factory=dict)
    total: Decimal = Decimal("0.00")
    item_count: int = 0

    def category_rows(self) -> list[tuple[str, str, Decimal]]:
        return [(value, label, self.by_category[value]) for value, label in Category.choices]

    def payer_rows(self) -> list[tuple[str, str, Decimal]]:
        return [(value, label, self.by_payer[value]) for value, label in Payer.choices]


def plan_totals(version: PlanVersion) -> PlanTotals:
    """One query; sums in Decimal from the line costs (quantity × unit price, to the fen), so
    the category totals and the payer totals each add up exactly to the grand total."""
    totals = PlanTotals(
        by_category=dict.fromkeys(Category.values, Decimal("0.00")),
        by_payer=dict.fromkeys(Payer.values, Decimal("0.00")),
    )
    for stored, category, payer in version.items.values_list("cost", "item__category", "payer"):
        cost = Decimal(stored)
        totals.by_category[category] = totals.by_category.get(category, Decimal("0.00")) + cost
        totals.by_payer[payer] = totals.by_payer.get(payer, Decimal("0.00")) + cost
        totals.total += cost
        totals.item_count += 1
    return totals


def plan_total(version: PlanVersion) -> Decimal:
    """The version's grand total in yuan: what the project's estimated cost becomes when the
    plan is approved (the review reads it here)."""
    return plan_totals(version).total


# --- how the plan answers the residents -------------------------------------------------------


@dataclass
class NeedAnswer:
    """One of a compound's top needs and how the version answers it: covered by an item of the
    plan for that compound, or not, with the reason (required before notice)."""

    compound: Compound
    item: CatalogueItem
    households: int
    share: Fraction
    is_covered: bool
    reason: str = ""

    @property
    def is_answered(self) -> bool:
        return self.is_covered or bool(self.reason)


def latest_campaigns(compound_ids) -> dict[int, Campaign]:
    """compound id → its latest needs campaign (by closing date), as engagement_facts reads it."""
    links = (
        Campaign.compounds.through.objects.filter(compound_id__in=list(compound_ids))
        .select_related("campaign")
        .order_by("compound_id", "campaign__ends_on", "campaign_id")
    )
    latest = {}
    for link in links:
        latest[link.compound_id] = link.campaign
    return latest


def top_needs(compounds, limit: int = TOP_NEEDS) -> dict[int, list]:
    """compound id → its top `limit` needs (engagement NeedRank) from its latest campaign, by
    share of households asking (the most asked first; urgency, then code, break ties)."""
    compounds = list(compounds)
    campaigns = latest_campaigns(c.pk for c in compounds)
    result = {c.pk: [] for c in compounds}
    for compound in compounds:
        campaign = campaigns.get(compound.pk)
        if campaign is None:
            continue
        (summary,) = campaign_summaries(campaign, [compound])
        ranked = sorted(summary.needs, key=lambda r: (-r.share, -r.urgent, r.item.code))
        result[compound.pk] = ranked[:limit]
    return result


def need_answers(version: PlanVersion) -> list[NeedAnswer]:
    """For each compound of the project, its top needs and the version's answer to each."""
    compounds = list(version.project.compounds.order_by("code"))
    covered = set(version.items.values_list("compound_id", "item_id"))
    reasons = {
        (r.compound_id, r.item_id): r.reason
        for r in NeedResponse.objects.filter(version=version).exclude(reason="")
    }
    answers = []
    needs = top_needs(compounds)
    for compound in compounds:
        for rank in needs[compound.pk]:
            key = (compound.pk, rank.item.pk)
            answers.append(
                NeedAnswer(
                    compound=compound,
                    item=rank.item,
                    households=rank.households,
                    share=rank.share,
                    is_covered=key in covered,
                    reason=reasons.get(key, ""),
                )
            )
    return answers


# --- ready for notice? -----------------------------------------------------------------------


def readiness_for_notice(version: PlanVersion) -> list[str]:
    """Why this version cannot be noticed yet, in words for the person trying (empty when it
    can): it has priced items; every compound of the project has a management scheme (改管并重:
    the scheme is attached before the plan goes to notice); every top need is covered or says
    why not. The notice service calls it before publishing."""
    reasons = []
    if not version.items.exists():
        reasons.append(_("方案还没有任何改造条目。"))
    compounds = list(version.project.compounds.order_by("code"))
    schemes = set(
        ManagementScheme.objects.filter(compound__in=compounds).values_list(
            "compound_id", flat=True
        )
    )
    for compound in compounds:
        if compound.pk not in schemes:
            reasons.append(
                _("小区“%(compound)s”还没有长效管理方案。") % {"compound": compound.name}
            )
    for answer in need_answers(version):
        if not answer.is_answered:
            reasons.append(
                _("小区“%(compound)s”居民提出的“%(need)s”既未纳入方案，也未说明原因。")
                % {"compound": answer.compound.name, "need": answer.item.name}
            )
    return reasons


def readiness_for_design(project: Project) -> list[str]:
    """Why the project cannot be marked designed (一小区一方案) yet: its plan (the latest
    version) has priced items and every compound has a management scheme."""
    reasons = []
    latest = latest_version(project)
    if latest is None or not latest.items.exists():
        reasons.append(_("方案还没有任何改造条目。"))
    schemes = set(
        ManagementScheme.objects.filter(compound__in=project.compounds.all()).values_list(
            "compound_id", flat=True
        )
    )
    for compound in project.compounds.order_by("code"):
        if compound.pk not in schemes:
            reasons.append(
                _("小区“%(compound)s”还没有长效管理方案。") % {"compound": compound.name}
            )
    return reasons


def needs_by_compound(answers: list[NeedAnswer]) -> list[tuple[Compound, list[NeedAnswer]]]:
    grouped = defaultdict(list)
    order = []
    for answer in answers:
        if answer.compound.pk not in grouped:
            order.append(answer.compound)
        grouped[answer.compound.pk].append(answer)
    return [(compound, grouped[compound.pk]) for compound in order]
