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

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from anju.catalogue.models import CatalogueItem
from anju.core.errors import NotFound
from anju.core.models import TaskProgress
from anju.core.scope import Scope
from anju.territory.models import Compound, Household

from .models import (
    Ballot,
    Campaign,
    Channel,
    Choice,
    NeedSelection,
    Submission,
    SupersededBallot,
    Vote,
)

# City, district, street and community staff: they organise campaigns and votes, record
# answers and paper ballots on a household's behalf, and see what organising needs.
ORGANISERS = ("city_office", "district_task_force", "street_office", "community_worker")


def is_organiser(scope: Scope) -> bool:
    return scope.has_role(*ORGANISERS)


# --- who may read one household's answer --------------------------------------------------


def may_read_answers(scope: Scope) -> bool:
    """Whether the viewer may read one household's answer to a campaign: its needs, its
    free-text comment and its willingness to pay.

    An answer is personal data (PIPL art. 6, minimum necessary). The organisers may record an
    answer on the household's behalf (door to door, by phone, at a forum), so they may read
    it back; companies assigned to the compound (designers, builders, supervisors,
    utilities, property companies) and department reviewers work from the totals
    (`campaign_summaries`), never from one household's answer."""
    return is_organiser(scope)


def get_submission(scope: Scope, campaign: Campaign, household: Household) -> Submission:
    """One household's answer, for viewers who `may_read_answers`; anyone else gets the same
    not-found as for a household that did not answer, so not even the fact leaks."""
    if not may_read_answers(scope):
        raise NotFound()
    submission = submission_detail(campaign, household)
    if submission is None:
        raise NotFound()
    return submission


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


def superseded_count(vote: Vote, household: Household) -> int:
    """How many of the household's ballots in this vote were replaced (kept, not counted)."""
    return SupersededBallot.objects.filter(vote=vote, household=household).count()


@dataclass
class EngagementFacts:
    """What later stages (scoring) read about one compound from asking its residents."""

    compound_id: int
    households: int
    campaign_id: int | None = None
    responses: int = 0
    top_needs: list[tuple[str, int, int]] = field(default_factory=list)  # (code, asked, urgent)
    willingness: dict[str, int] = field(default_factory=dict)
    vote_id: int | None = None
    consent_passed: bool | None = None
    participation_area: str | None = None
    agreement_area: str | None = None
    agreement_heads: str | None = None

    @property
    def response_rate(self) -> Fraction:
        return Fraction(self.responses, self.households) if self.households else Fraction(0)

    @property
    def willing_share(self) -> Fraction:
        """Share of the answers that offer to contribute something."""
        willing = sum(n for key, n in self.willingness.items() if key != "none")
        total = sum(self.willingness.values())
        return Fraction(willing, total) if total else Fraction(0)


def engagement_facts(compound_ids) -> dict[int, EngagementFacts]:
    """Per compound: response rate, top needs and willingness from its latest campaign, and
    the result of its latest tallied compound-wide vote. Five queries for any number of
    compounds, so a whole district is scored at the cost of one."""
    ids = list(compound_ids)
    facts = {
        pk: EngagementFacts(compound_id=pk, households=census or 0)
        for pk, census in Compound.objects.filter(pk__in=ids).values_list("pk", "household_count")
    }
    registered = (
        Household.objects.filter(compound_id__in=ids)
        .values_list("compound_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for compound_id, n in registered:
        facts[compound_id].households = n
    latest = {}
    links = (
        Campaign.compounds.through.objects.filter(compound_id__in=ids)
        .values_list("compound_id", "campaign_id", "campaign__ends_on")
        .order_by("compound_id", "campaign__ends_on", "campaign_id")
    )
    for compound_id, campaign_id, _ends_on in links:
        latest[compound_id] = campaign_id
    for compound_id, campaign_id in latest.items():
        facts[compound_id].campaign_id = campaign_id
    pairs = Q(pk__in=[])
    for compound_id, campaign_id in latest.items():
        pairs |= Q(compound_id=compound_id, campaign_id=campaign_id)
    if latest:
        answers = (
            Submission.objects.filter(pairs)
            .values_list("compound_id", "willingness")
            .annotate(n=Count("id"))
            .order_by()
        )
        for compound_id, willingness, n in answers:
            facts[compound_id].responses += n
            if willingness:
                facts[compound_id].willingness[willingness] = n
        needs = (
            NeedSelection.objects.filter(submission__in=Submission.objects.filter(pairs))
            .values_list("submission__compound_id", "item__code")
            .annotate(n=Count("id"), urgent=Count("id", filter=Q(is_urgent=True)))
            .order_by()
        )
        ranked = defaultdict(list)
        for compound_id, code, n, urgent in needs:
            ranked[compound_id].append((code, n, urgent))
        for compound_id, rows in ranked.items():
            facts[compound_id].top_needs = sorted(rows, key=lambda r: (-r[2], -r[1], r[0]))[:5]
    votes = (
        Vote.objects.filter(compound_id__in=ids, building__isnull=True, result__isnull=False)
        .order_by("compound_id", "tallied_at", "pk")
        .values_list("compound_id", "pk", "result")
    )
    for compound_id, vote_id, result in votes:
        entry = facts[compound_id]
        entry.vote_id = vote_id
        entry.consent_passed = result.get("passed")
        entry.participation_area = result["participation"]["area_ratio"]["fraction"]
        entry.agreement_area = result["approval"]["area_ratio"]["fraction"]
        entry.agreement_heads = result["approval"]["head_ratio"]["fraction"]
    return facts


def with_compound_totals(campaigns: QuerySet[Campaign]) -> QuerySet[Campaign]:
    """Annotate each campaign with the number of compounds it covers (one subquery)."""
    totals = (
        Campaign.compounds.through.objects.filter(campaign_id=OuterRef("pk"))
        .values("campaign_id")
        .annotate(n=Count("compound_id"))
        .values("n")
    )
    return campaigns.annotate(compound_total=Coalesce(Subquery(totals), 0))


def with_visible_compounds(campaigns: QuerySet[Campaign], scope: Scope) -> QuerySet[Campaign]:
    """Prefetch, as `visible_compounds`, only the campaign's compounds inside the scope."""
    return campaigns.prefetch_related(
        Prefetch(
            "compounds",
            queryset=Compound.objects.filter(scope.path_q("path", "id")).order_by("path"),
            to_attr="visible_compounds",
        )
    )


def submission_detail(campaign: Campaign, household: Household) -> Submission | None:
    return (
        Submission.objects.filter(campaign=campaign, household=household)
        .select_related("compound", "recorded_by")
        .prefetch_related("needs__item")
        .first()
    )


def ballot_counts(vote: Vote, by: str = "choice") -> dict[str, int]:
    """Ballots of a vote counted by choice (or by channel). Not for pages or the API on its
    own: `vote_figures` decides who may see which count."""
    return dict(Ballot.objects.filter(vote=vote).values_list(by).annotate(n=Count("id")).order_by())


# --- who may see what of a vote (ballot secrecy) -------------------------------------------
#
# The rule, per role, written down once here and in docs/glossary.md ("Ballot secrecy"):
#
# - Before the close nobody sees counts by choice: they would tell each side how many
#   votes it still needs and invite pressure on the undecided. The organisers (city,
#   district, street, community) see the turnout: how many households took part, as a share
#   of the electorate, and through which channel, because they fetch the missing ballots.
#   Companies and department reviewers see that the vote exists and how big the electorate
#   is, nothing more.
# - After the close (no ballot can change any more) every staff role in scope sees the
#   turnout and the counts by choice, and after the tally the explained result.
# - Nobody sees how one household voted, before or after: the by-address list shows the
#   community and street staff (who go door to door, `Scope.may_see_personal_data`) which
#   households took part, how their ballot came in, its paper reference and who recorded
#   it, never its choice. A household sees its own ballot in the portal; the published
#   inputs of a tallied vote are pseudonymised.


def vote_is_closed(vote: Vote, moment) -> bool:
    return moment >= vote.closes_at


def may_see_turnout(scope: Scope, vote: Vote, moment) -> bool:
    return is_organiser(scope) or (scope.is_staff and vote_is_closed(vote, moment))


def may_see_choice_counts(scope: Scope, vote: Vote, moment) -> bool:
    return scope.is_staff and vote_is_closed(vote, moment)


def may_see_who_took_part(scope: Scope) -> bool:
    return is_organiser(scope) and scope.may_see_personal_data


@dataclass(frozen=True)
class VoteFigures:
    """What the viewer may see of a vote's ballots; None where the rule hides a figure."""

    electorate: int
    turnout: int | None = None
    by_channel: dict[str, int] | None = None
    by_choice: dict[str, int] | None = None

    @property
    def turnout_share(self) -> Fraction | None:
        if self.turnout is None:
            return None
        return Fraction(self.turnout, self.electorate) if self.electorate else Fraction(0)

    @property
    def not_voted(self) -> int | None:
        return None if self.turnout is None else max(self.electorate - self.turnout, 0)


def vote_figures(*, scope: Scope, vote: Vote, moment) -> VoteFigures:
    """The vote's figures as the viewer may see them (the rule above), for the page and the
    API alike: one query for the electorate, one per visible breakdown."""
    figures = VoteFigures(electorate=vote.electorate().count())
    if not may_see_turnout(scope, vote, moment):
        return figures
    by_channel = ballot_counts(vote, by="channel")
    by_choice = None
    if may_see_choice_counts(scope, vote, moment):
        counts = ballot_counts(vote)
        by_choice = {value: counts.get(value, 0) for value in Choice.values}
    return VoteFigures(
        electorate=figures.electorate,
        turnout=sum(by_channel.values()),
        by_channel=by_channel,
        by_choice=by_choice,
    )


def participation_rows(*, scope: Scope, vote: Vote) -> QuerySet[Ballot] | None:
    """Which households took part, in address order, without their choice (the column is
    not even loaded): only for viewers who `may_see_who_took_part`, else None."""
    if not may_see_who_took_part(scope):
        return None
    return (
        Ballot.objects.filter(vote=vote)
        .select_related("household__unit__building", "recorded_by")
        .defer("choice")
        .order_by("household__unit__building__number", "household__unit__number", "household__room")
    )


def with_ballot_totals(votes: QuerySet[Vote]) -> QuerySet[Vote]:
    """Annotate the turnout; a page shows it only where `may_see_turnout`."""
    totals = (
        Ballot.objects.filter(vote_id=OuterRef("pk"))
        .values("vote_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return votes.annotate(ballot_total=Coalesce(Subquery(totals), 0))


def recent_imports(*, campaign: Campaign, user, job: str, limit: int = 5):
    """The viewer's own recent paper-sheet imports into this campaign."""
    return TaskProgress.objects.filter(
        task_name=job, arguments__campaign_id=campaign.pk, created_by=user
    )[:limit]
