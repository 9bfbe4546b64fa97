"""Engagement API: one APIView per operation, nested serializers, the pages' selectors.

Everything is scoped: a campaign or vote of another district answers 404 like a missing one.
Staff record a household's answer with an idempotent PUT on (campaign, household): the same
body twice leaves one submission (`services.submit_needs` replaces, never duplicates).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from anju.core.api import Pagination
from anju.core.calendar import today
from anju.territory import selectors as territory

from . import selectors, services
from .exports import campaign_figures, percent
from .forms import ON_BEHALF_CHANNELS, PAPER_BALLOT_CHANNELS
from .models import Choice, Willingness


def fraction_text(value) -> str:
    return f"{value.numerator}/{value.denominator}"


def rate_text(part: int, whole: int) -> str:
    """A rate as "answers/households", unreduced: 0 answers of 77 households read "0/77"
    (a reduced Fraction would say "0/1" and lose who was asked)."""
    return f"{part}/{whole}"


# --- campaigns -------------------------------------------------------------------------------


class CampaignOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    node_code = serializers.CharField(source="node.code")
    node_name = serializers.CharField(source="node.name")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    is_open = serializers.SerializerMethodField()
    asks_contribution = serializers.BooleanField()
    compounds = serializers.SerializerMethodField()

    def get_is_open(self, campaign) -> bool:
        return campaign.is_open_on(today())

    def get_compounds(self, campaign) -> list[str]:
        """Codes of the campaign's compounds inside the viewer's territory."""
        return [c.code for c in campaign.visible_compounds]


class CampaignListAPI(APIView):
    pagination_class = Pagination  # documented by the schema, used by the handler

    @extend_schema(
        parameters=[OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
        responses=CampaignOutput(many=True),
        summary=_("需求征集列表（本辖区）"),
    )
    def get(self, request):
        campaigns = selectors.with_visible_compounds(
            selectors.campaign_list(scope=request.scope), request.scope
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(campaigns, request, view=self)
        return paginator.get_paginated_response(CampaignOutput(page, many=True).data)


class CampaignDetailAPI(APIView):
    class CampaignDetailOutput(CampaignOutput):
        introduction = serializers.CharField()
        households = serializers.IntegerField()
        responses = serializers.IntegerField()
        response_rate = serializers.CharField(help_text="answers/households, unreduced, e.g. 6/16")
        response_percent = serializers.DecimalField(max_digits=5, decimal_places=1)
        channels = serializers.DictField(child=serializers.IntegerField())

    @extend_schema(responses=CampaignDetailOutput, summary=_("需求征集详情与总数"))
    def get(self, request, pk: int):
        scope = request.scope
        campaign = selectors.get_campaign(scope, pk)
        figures = campaign_figures(scope=scope, campaign=campaign)
        campaign.visible_compounds = [s.compound for s in figures.summaries]
        campaign.households = figures.households
        campaign.responses = figures.responses
        campaign.response_rate = rate_text(figures.responses, figures.households)
        campaign.response_percent = percent(figures.response_rate)
        campaign.channels = figures.channels
        return Response(self.CampaignDetailOutput(campaign).data)


class CampaignSummaryAPI(APIView):
    class CompoundSummaryOutput(serializers.Serializer):
        class NeedRankOutput(serializers.Serializer):
            item = serializers.CharField(source="item.code")
            name = serializers.CharField(source="item.name")
            households = serializers.IntegerField()
            urgent = serializers.IntegerField()
            share = serializers.SerializerMethodField(help_text="exact fraction")
            share_percent = serializers.SerializerMethodField()

            def get_share(self, rank) -> str:
                return fraction_text(rank.share)

            def get_share_percent(self, rank) -> str:
                return str(percent(rank.share))

        code = serializers.CharField(source="compound.code")
        name = serializers.CharField(source="compound.name")
        community_code = serializers.CharField(source="compound.community.code")
        households = serializers.IntegerField()
        responses = serializers.IntegerField()
        response_rate = serializers.SerializerMethodField(
            help_text="answers/households, unreduced, e.g. 0/77"
        )
        response_percent = serializers.SerializerMethodField()
        by_channel = serializers.DictField(child=serializers.IntegerField())
        willingness = serializers.DictField(child=serializers.IntegerField())
        needs = NeedRankOutput(many=True, help_text=_("按急需户数、提出户数排序（急难愁盼）"))

        def get_response_rate(self, summary) -> str:
            return rate_text(summary.responses, summary.households)

        def get_response_percent(self, summary) -> str:
            return str(percent(summary.response_rate))

    @extend_schema(responses=CompoundSummaryOutput(many=True), summary=_("各小区答卷与需求排序"))
    def get(self, request, pk: int):
        campaign = selectors.get_campaign(request.scope, pk)
        figures = campaign_figures(scope=request.scope, campaign=campaign)
        return Response(self.CompoundSummaryOutput(figures.summaries, many=True).data)


class SubmissionOutput(serializers.Serializer):
    class NeedSelectionOutput(serializers.Serializer):
        item = serializers.CharField(source="item.code")
        urgent = serializers.BooleanField(source="is_urgent")

    campaign = serializers.IntegerField(source="campaign_id")
    household = serializers.IntegerField(source="household_id")
    compound = serializers.CharField(source="compound.code")
    channel = serializers.CharField()
    paper_reference = serializers.CharField()
    willingness = serializers.CharField()
    comment = serializers.CharField()
    needs = NeedSelectionOutput(many=True)
    recorded_by = serializers.CharField(source="recorded_by.username", default=None)
    submitted_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class CampaignSubmissionAPI(APIView):
    """A household's answer to a campaign, read or recorded by the organisers on its behalf
    (`selectors.may_read_answers`); companies read the summary, and get 404 here."""

    class SubmissionInput(serializers.Serializer):
        class NeedInput(serializers.Serializer):
            item = serializers.CharField(max_length=20, help_text=_("改造内容编码，如 B15"))
            urgent = serializers.BooleanField(default=False)

        channel = serializers.ChoiceField(choices=[(c.value, c.label) for c in ON_BEHALF_CHANNELS])
        paper_reference = serializers.CharField(max_length=60, required=False, default="")
        needs = NeedInput(many=True, required=False, default=list)
        willingness = serializers.ChoiceField(
            choices=Willingness.choices, required=False, allow_blank=True, default=""
        )
        comment = serializers.CharField(
            max_length=2000, required=False, allow_blank=True, default=""
        )

    @extend_schema(responses=SubmissionOutput, summary=_("查看一户的答卷"))
    def get(self, request, pk: int, household_id: int):
        campaign = selectors.get_campaign(request.scope, pk)
        household = territory.get_household(request.scope, household_id)
        return Response(
            SubmissionOutput(selectors.get_submission(request.scope, campaign, household)).data
        )

    @extend_schema(
        request=SubmissionInput,
        responses=SubmissionOutput,
        summary=_("代为登记一户的答卷（幂等：同一户重复提交即替换）"),
    )
    def put(self, request, pk: int, household_id: int):
        scope = request.scope
        campaign = selectors.get_campaign(scope, pk)
        household = territory.get_household(scope, household_id)
        body = self.SubmissionInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.require_organiser(scope, household.compound.path)
        services.submit_needs(
            actor=request.user,
            campaign=campaign,
            household=household,
            needs=[services.NeedChoice(n["item"], n["urgent"]) for n in data["needs"]],
            willingness=data["willingness"],
            comment=data["comment"],
            channel=data["channel"],
            paper_reference=data["paper_reference"],
        )
        return Response(SubmissionOutput(selectors.get_submission(scope, campaign, household)).data)


# --- votes -----------------------------------------------------------------------------------


class VoteOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    matter = serializers.IntegerField(help_text=_("民法典第278条第几项"))
    matter_name = serializers.CharField(source="get_matter_display")
    is_major = serializers.BooleanField()
    compound = serializers.CharField(source="compound.code")
    compound_name = serializers.CharField(source="compound.name")
    building = serializers.CharField(source="building.number", default=None)
    unit = serializers.CharField(source="unit.number", default=None)
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    is_open = serializers.SerializerMethodField()
    tallied_at = serializers.DateTimeField(allow_null=True)
    passed = serializers.SerializerMethodField()

    def get_is_open(self, vote) -> bool:
        return vote.is_open_at(timezone.now())

    def get_passed(self, vote) -> bool | None:
        return (vote.result or {}).get("passed")


class VoteListAPI(APIView):
    pagination_class = Pagination  # documented by the schema, used by the handler

    @extend_schema(
        parameters=[OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
        responses=VoteOutput(many=True),
        summary=_("业主表决列表（本辖区）"),
    )
    def get(self, request):
        votes = selectors.vote_list(scope=request.scope)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(votes, request, view=self)
        return paginator.get_paginated_response(VoteOutput(page, many=True).data)


class VoteTurnoutOutput(serializers.Serializer):
    voted = serializers.IntegerField(source="turnout", help_text=_("已投票户数"))
    share = serializers.SerializerMethodField(help_text="voted/electorate, unreduced")
    by_channel = serializers.DictField(child=serializers.IntegerField())

    def get_share(self, figures) -> str:
        return rate_text(figures.turnout, figures.electorate)


class VoteDetailAPI(APIView):
    """A vote with the figures the caller may see (`selectors.vote_figures`): before the
    close no counts by choice for anyone and turnout for the organisers only; after the
    close turnout and counts for every staff role; never one household's choice."""

    class VoteDetailOutput(VoteOutput):
        description = serializers.CharField()
        electorate = serializers.IntegerField(
            source="figures.electorate", help_text=_("有表决权的户数")
        )
        turnout = serializers.SerializerMethodField(
            help_text=_("参与情况；截止前只对组织表决的工作人员提供，否则为 null")
        )
        ballots = serializers.DictField(
            source="figures.by_choice",
            child=serializers.IntegerField(),
            allow_null=True,
            help_text=_("各表决意见的票数；表决截止后才提供，截止前为 null"),
        )
        result = serializers.JSONField(
            allow_null=True,
            help_text=_("计票后：四个比例（精确分数）、门槛、是否通过和中英文说明"),
        )

        @extend_schema_field(VoteTurnoutOutput(allow_null=True))
        def get_turnout(self, vote) -> dict | None:
            if vote.figures.turnout is None:
                return None
            return VoteTurnoutOutput(vote.figures).data

    @extend_schema(responses=VoteDetailOutput, summary=_("业主表决详情（计票后含结果）"))
    def get(self, request, pk: int):
        vote = selectors.get_vote(request.scope, pk)
        vote.figures = selectors.vote_figures(scope=request.scope, vote=vote, moment=timezone.now())
        return Response(self.VoteDetailOutput(vote).data)


class VoteBallotAPI(APIView):
    """A household's ballot as the organisers handle it on the household's behalf.

    GET says whether the household has a ballot and how it came in (channel, paper
    reference, who recorded it, when; never its choice, ballot secrecy): what a PUT would
    replace. PUT records a paper ballot (idempotent on vote + household); it replaces an
    existing ballot only with `"replace": true` (409 `ballot_exists` otherwise), and the
    replaced ballot is kept and audited. Companies get 403, other districts 404."""

    class BallotInput(serializers.Serializer):
        choice = serializers.ChoiceField(choices=Choice.choices)
        channel = serializers.ChoiceField(
            choices=[(c.value, c.label) for c in PAPER_BALLOT_CHANNELS]
        )
        paper_reference = serializers.CharField(max_length=60)
        replace = serializers.BooleanField(
            default=False, help_text=_("该户已有表决票时须为 true，才会替换")
        )

    class BallotOutput(serializers.Serializer):
        vote = serializers.IntegerField(source="vote.pk")
        household = serializers.IntegerField(source="household.pk")
        has_ballot = serializers.SerializerMethodField()
        channel = serializers.CharField(source="ballot.channel", default=None)
        paper_reference = serializers.CharField(source="ballot.paper_reference", default=None)
        recorded_by = serializers.CharField(source="ballot.recorded_by.username", default=None)
        cast_at = serializers.DateTimeField(source="ballot.cast_at", default=None)
        replaced = serializers.IntegerField(help_text=_("该户被替换过的表决票张数"))

        def get_has_ballot(self, record) -> bool:
            return record["ballot"] is not None

    def _target(self, request, pk: int, household_id: int):
        scope = request.scope
        vote = selectors.get_vote(scope, pk)
        household = territory.get_household(scope, household_id)
        services.require_organiser(scope, vote.compound.path)
        return vote, household

    def _answer(self, vote, household, ballot):
        record = {
            "vote": vote,
            "household": household,
            "ballot": ballot,
            "replaced": selectors.superseded_count(vote, household),
        }
        return Response(self.BallotOutput(record).data)

    @extend_schema(responses=BallotOutput, summary=_("查看一户是否已有表决票（不含表决意见）"))
    def get(self, request, pk: int, household_id: int):
        vote, household = self._target(request, pk, household_id)
        return self._answer(vote, household, selectors.ballot_of(vote, household))

    @extend_schema(
        request=BallotInput,
        responses=BallotOutput,
        summary=_("代为登记一户的纸质票（替换已有的票须 replace: true）"),
    )
    def put(self, request, pk: int, household_id: int):
        vote, household = self._target(request, pk, household_id)
        body = self.BallotInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        ballot = services.cast_ballot(
            actor=request.user,
            vote=vote,
            household=household,
            choice=data["choice"],
            channel=data["channel"],
            paper_reference=data["paper_reference"],
            replace=data["replace"],
        )
        return self._answer(vote, household, ballot)
