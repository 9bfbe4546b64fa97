"""Funding API, cost sharing: a project's shares (list, recompute), one share (read, set how it
is shared and recompute) and its household lines (staff of the project's territory; owners'
names only for roles that may see personal data). A household's own share is on the portal
only. Bad input answers 4xx with {"code","message","fields"} and writes nothing."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from anju.access.models import Organisation
from anju.core.api import Pagination
from anju.core.errors import NotFound
from anju.territory.models import Building

from .. import rules
from ..models import CoefficientTable, CostShare
from ..selectors import sharing as selectors
from ..services import sharing as services

MONEY = {"max_digits": 16, "decimal_places": 2}


class SharingShareOutput(serializers.Serializer):
    id = serializers.IntegerField()
    plan_item = serializers.IntegerField(source="plan_item_id")
    item = serializers.CharField(source="plan_item.item.name")
    compound = serializers.CharField(source="plan_item.compound.code")
    payer = serializers.CharField(source="plan_item.payer")
    cost = serializers.DecimalField(source="plan_item.cost", **MONEY)
    utility_owner = serializers.IntegerField(source="utility_owner_id", allow_null=True)
    method = serializers.CharField()
    residents_share = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    residents_amount = serializers.DecimalField(allow_null=True, **MONEY)
    table = serializers.CharField(source="table.code", allow_null=True, default=None)
    buildings = serializers.SerializerMethodField()
    utility_part = serializers.DecimalField(**MONEY)
    residents_part = serializers.DecimalField(**MONEY)
    others_part = serializers.DecimalField(**MONEY)
    computed_at = serializers.DateTimeField(allow_null=True)

    def get_buildings(self, share) -> list[int]:
        return [building.pk for building in share.buildings.all()]


class SharingTermsInput(serializers.Serializer):
    utility_owner = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True, default=None
    )
    method = serializers.ChoiceField(
        choices=CostShare.Method.choices, required=False, allow_blank=True, default=""
    )
    residents_share = serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        min_value=0,
        max_value=1,
        required=False,
        allow_null=True,
        default=None,
    )
    residents_amount = serializers.DecimalField(
        min_value=0, required=False, allow_null=True, default=None, **MONEY
    )
    table = serializers.SlugRelatedField(
        slug_field="code",
        queryset=CoefficientTable.objects.all(),
        required=False,
        allow_null=True,
        default=None,
    )
    buildings = serializers.PrimaryKeyRelatedField(
        queryset=Building.objects.all(), many=True, required=False, default=list
    )


class SharingContributionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    household = serializers.IntegerField(source="household_id")
    building = serializers.CharField(source="household.unit.building.number")
    unit = serializers.CharField(source="household.unit.number")
    room = serializers.CharField(source="household.room")
    owner_name = serializers.SerializerMethodField()
    floor = serializers.IntegerField(allow_null=True)
    area = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    coefficient = serializers.DecimalField(max_digits=6, decimal_places=3, allow_null=True)
    weight = serializers.DecimalField(max_digits=20, decimal_places=6)
    exact_amount = serializers.DecimalField(max_digits=20, decimal_places=6)
    amount = serializers.DecimalField(**MONEY)
    rounded_up = serializers.BooleanField()

    def get_owner_name(self, line) -> str:
        """Masked ("") unless the viewer may see personal data."""
        return line.household.owner_name if self.context.get("may_see_names") else ""


def _project(request, pk):
    project = selectors.get_project(request.scope, pk)
    if not rules.may_see_cost_shares(request.scope, project.path or project.district.path):
        raise NotFound()
    return project


def _share(request, pk):
    share = selectors.get_share(request.scope, pk)
    _project(request, share.project_id)
    return share


class SharingSharesAPI(APIView):
    @extend_schema(responses=SharingShareOutput(many=True), summary=_("项目各条目的费用分摊"))
    def get(self, request, pk: int):
        project = _project(request, pk)
        return Response(SharingShareOutput(selectors.shares_of(project), many=True).data)


class SharingComputeAPI(APIView):
    @extend_schema(
        request=None,
        responses=SharingShareOutput(many=True),
        summary=_("按当前住户重新计算项目全部条目的费用分摊"),
    )
    def post(self, request, pk: int):
        project = _project(request, pk)
        services.compute_cost_shares(actor=request.user, scope=request.scope, project=project)
        return Response(SharingShareOutput(selectors.shares_of(project), many=True).data)


class SharingShareAPI(APIView):
    @extend_schema(responses=SharingShareOutput, summary=_("一个条目的费用分摊"))
    def get(self, request, pk: int):
        share = _share(request, pk)
        return Response(SharingShareOutput(share).data)

    @extend_schema(
        request=SharingTermsInput,
        responses=SharingShareOutput,
        summary=_("设置条目的分摊方式并重新计算"),
    )
    def put(self, request, pk: int):
        share = _share(request, pk)
        body = SharingTermsInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        share = services.set_cost_share(
            actor=request.user,
            scope=request.scope,
            plan_item=share.plan_item,
            terms=services.ShareTerms(
                utility_owner=data["utility_owner"],
                method=data["method"],
                residents_share=data["residents_share"],
                residents_amount=data["residents_amount"],
                table=data["table"],
                buildings=list(data["buildings"]),
            ),
        )
        return Response(SharingShareOutput(share).data)


class SharingContributionsAPI(APIView):
    pagination_class = Pagination

    @extend_schema(
        responses=SharingContributionOutput(many=True), summary=_("一个条目分到每户的金额")
    )
    def get(self, request, pk: int):
        share = _share(request, pk)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.contributions_of(share), request, view=self)
        context = {"may_see_names": request.scope.may_see_personal_data}
        return paginator.get_paginated_response(
            SharingContributionOutput(page, many=True, context=context).data
        )
