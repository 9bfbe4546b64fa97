"""Reads of engagement, limited to the viewer's scope, and the figures later stages use.

`campaign_summaries(campaign, compounds)` computes, for any number of compounds, the response
rate, the "急难愁盼" ranking (items by share of households asking, urgent first) and the
breakdown by channel in a constant number of queries (four), so a district's page and the
scoring of a whole district cost the same few queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Count, Q, QuerySet

from anju.catalogue.models import CatalogueItem
from anju.core.errors import NotFound
from anju.core.scope import Scope
from anju.territory.models import Compound, Household

from .models import Ballot, Campaign, Channel, NeedSelection, Submission, Vote


def campaign_list(*, scope: Scope) -> QuerySet[Campaign]:
    """Campaigns started in the viewer's territory or covering a compound in it."""
    visible = scope.path_q("path") | Q(
        compounds__in=Compound.objects.filter(scope.path_q("path", "id"))
    )
    return Campaign.objects.filter(visible).distinct().select_related("node")


def get_campaign(scope: Scope, pk: int) -> Campaign:
    campaign = campaign_list(scope=scope).filter(pk=pk).first()
    if campaign is None:
        raise NotFound()
    return campaign


def campaigns_for_household(household: Household) -> QuerySet[Campaign]:
    return Campaign.objects.filter(compounds=household.compound_id).order_by("-starts_on")


def submission_of(campaign: Campaign, household: Household) -> Submission | None:
    return (
        Submission.objects.filter(campaign=campaign, household=household)
        .prefetch_related("needs__item", "photos")
        .first()
    )


@dataclass
class NeedRank:
    item: CatalogueItem
    households: int
    urgent: int
    share: Fraction

    @property
    def urgent_share(self) -> Fraction:
        return Fraction(self.urgent, self.households) if self.households else Fraction(0)


@dataclass
class CompoundSummary:
    compound: Compound
    households: int
    responses: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)
    needs: list[NeedRank] = field(default_factory=list)
    willingness: dict[str, int] = field(default_factory=dict)

    @property
    def response_rate(self) -> Fraction:
        return Fraction(self.responses, self.households) if self.households else Fraction(0)

    @property
    def top_needs(self) -> list[NeedRank]:
        return self.needs[:5]


def campaign_summaries(campaign: Campaign, compounds=None) -> list[CompoundSummary]:
    """Per-compound figures of a campaign (four queries whatever the number of compounds)."""
    compounds = list(compounds if compounds is not None else campaign.compounds.all())
    ids = [c.pk for c in compounds]
    household_counts = dict(
        Household.objects.filter(compound_id__in=ids)
        .values_list("compound_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    summaries = {
        c.pk: CompoundSummary(
            compound=c, households=household_counts.get(c.pk) or c.household_count
        )
        for c in compounds
    }
    submissions = (
        Submission.objects.filter(campaign=campaign, compound_id__in=ids)
        .values_list("compound_id", "channel", "willingness")
        .annotate(n=Count("id"))
        .order_by()
    )
    for compound_id, channel, willingness, n in submissions:
        summary = summaries[compound_id]
        summary.responses += n
        summary.by_channel[channel] = summary.by_channel.get(channel, 0) + n
        if willingness:
            summary.willingness[willingness] = summary.willingness.get(willingness, 0) + n
    needs = (
        NeedSelection.objects.filter(submission__campaign=campaign, submission__compound_id__in=ids)
        .values_list("submission__compound_id", "item_id")
        .annotate(n=Count("id"), urgent=Count("id", filter=Q(is_urgent=True)))
        .order_by()
    )
    items = {i.pk: i for i in CatalogueItem.objects.all()}
    per_compound = defaultdict(list)
    for compound_id, item_id, n, urgent in needs:
        per_compound[compound_id].append((items[item_id], n, urgent))
    for compound_id, rows in per_compound.items():
        summary = summaries[compound_id]
        base = summary.households or 1
        summary.needs = sorted(
            (
                NeedRank(item=item, households=n, urgent=urgent, share=Fraction(n, base))
                for item, n, urgent in rows
            ),
            key=lambda r: (-r.urgent, -r.households, r.item.code),
        )
    return [summaries[c.pk] for c in compounds]


def channel_totals(summaries: list[CompoundSummary]) -> dict[str, int]:
    totals = dict.fromkeys(Channel.values, 0)
    for summary in summaries:
        for channel, n in summary.by_channel.items():
            totals[channel] += n
    return totals


def vote_list(*, scope: Scope) -> QuerySet[Vote]:
    return Vote.objects.filter(scope.path_q("compound__path", "compound_id")).select_related(
        "compound", "building", "unit"
    )


def get_vote(scope: Scope, pk: int) -> Vote:
    vote = vote_list(scope=scope).filter(pk=pk).first()
    if vote is None:
        raise NotFound()
    return vote


def votes_for_household(household: Household) -> QuerySet[Vote]:
    return (
        Vote.objects.filter(compound_id=household.compound_id)
        .filter(Q(unit__isnull=True) | Q(unit_id=household.unit_id))
        .filter(Q(building__isnull=True) | Q(building_id=household.unit.building_id))
        .order_by("-opens_at")
    )


def ballot_of(vote: Vote, household: Household) -> Ballot | None:
    return Ballot.objects.filter(vote=vote, household=household).first()
