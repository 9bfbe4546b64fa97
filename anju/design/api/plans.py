"""Plan versions API: a project's versions (list, create), one version with its items, totals
and answers to the residents' needs, and adding an item to a draft.

Scoped like the pages (`selectors.plans` through `projects_in_scope`): another district's
version answers 404 like a missing one, and so does the project of a designer not assigned
to it. Bad input (a quantity not above zero, an unknown or unpriced item) answers 400 with
`{code, message, fields}` and writes nothing; a version already noticed answers 409.
Compounds and catalogue items are named by their codes.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from anju.catalogue.models import CatalogueItem, Payer
from anju.core.api import Pagination
from anju.core.errors import DomainError

from ..models import PlanVersion
from ..selectors import plans as selectors
from ..selectors.projects import get_project
from ..services import plans as services


class PlanVersionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    project = serializers.IntegerField(source="project_id")
    number = serializers.IntegerField()
    status = serializers.ChoiceField(choices=PlanVersion.Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    price_list = serializers.CharField(source="price_list.__str__", help_text=_("年度 v版本"))
    changes = serializers.CharField()
    created_at = serializers.DateTimeField()


class PlanItemOutput(serializers.Serializer):
    id = serializers.IntegerField()
    compound = serializers.CharField(source="compound.code")
    item = serializers.CharField(source="item.code")
    item_name = serializers.CharField(source="item.name")
    category = serializers.CharField(source="item.category")
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2)
    unit = serializers.CharField()
    unit_price = serializers.DecimalField(max_digits=14, decimal_places=2)
    cost = serializers.DecimalField(max_digits=16, decimal_places=2)
    payer = serializers.ChoiceField(choices=Payer.choices)
    bundled_department = serializers.CharField()
    note = serializers.CharField()


class TotalsOutput(serializers.Serializer):
    by_category = serializers.DictField(
        child=serializers.DecimalField(max_digits=16, decimal_places=2),
        help_text=_("基础类/完善类/提升类 → 元"),
    )
    by_payer = serializers.DictField(
        child=serializers.DecimalField(max_digits=16, decimal_places=2),
        help_text=_("出资方 → 元"),
    )
    total = serializers.DecimalField(max_digits=16, decimal_places=2, help_text=_("元"))


class NeedAnswerOutput(serializers.Serializer):
    compound = serializers.CharField(source="compound.code")
    item = serializers.CharField(source="item.code")
    households = serializers.IntegerField()
    share = serializers.SerializerMethodField()
    is_covered = serializers.BooleanField()
    reason = serializers.CharField()

    def get_share(self, answer) -> float:
        return float(answer.share)


class PlanVersionDetailOutput(PlanVersionOutput):
    items = PlanItemOutput(many=True)
    totals = TotalsOutput()
    needs = NeedAnswerOutput(many=True)
    readiness_for_notice = serializers.ListField(
        child=serializers.CharField(), help_text=_("尚不能公示的原因；为空时可以公示")
    )


def version_detail(version: PlanVersion) -> dict:
    version.items_seen = list(selectors.plan_items(version))
    totals = selectors.plan_totals(version)
    return PlanVersionDetailOutput(
        {
            **{name: getattr(version, name) for name in ("id", "project_id", "number", "status")},
            "get_status_display": version.get_status_display(),
            "price_list": version.price_list,
            "changes": version.changes,
            "created_at": version.created_at,
            "items": version.items_seen,
            "totals": {
                "by_category": totals.by_category,
                "by_payer": totals.by_payer,
                "total": totals.total,
            },
            "needs": selectors.need_answers(version),
            "readiness_for_notice": selectors.readiness_for_notice(version)
            if version.is_editable
            else [],
        }
    ).data


class ProjectPlanVersionsAPI(APIView):
    pagination_class = Pagination  # documented by the schema, used by the handler

    class PlanVersionCreateInput(serializers.Serializer):
        changes = serializers.CharField(
            max_length=2000,
            required=False,
            allow_blank=True,
            help_text=_("与上一版相比改了什么、为什么（第2版起必填）"),
        )

    @extend_schema(
        parameters=[OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
        responses=PlanVersionOutput(many=True),
        summary=_("项目的方案版本列表"),
    )
    def get(self, request, pk: int):
        project = get_project(request.scope, pk)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.plan_versions(project), request, view=self)
        return paginator.get_paginated_response(PlanVersionOutput(page, many=True).data)

    @extend_schema(
        request=PlanVersionCreateInput,
        responses={201: PlanVersionOutput},
        summary=_("新建方案版本（第1版，或复制最新一版的第n+1版）"),
    )
    def post(self, request, pk: int):
        project = get_project(request.scope, pk)
        body = self.PlanVersionCreateInput(data=request.data)
        body.is_valid(raise_exception=True)
        version = services.create_plan_version(
            actor=request.user, scope=request.scope, project=project, **body.validated_data
        )
        return Response(PlanVersionOutput(version).data, status=status.HTTP_201_CREATED)


class PlanVersionDetailAPI(APIView):
    @extend_schema(
        responses=PlanVersionDetailOutput,
        summary=_("方案版本详情（条目、分类和出资方汇总、对居民需求的回应）"),
    )
    def get(self, request, pk: int):
        version = selectors.get_plan_version(request.scope, pk)
        return Response(version_detail(version))


class PlanVersionItemsAPI(APIView):
    class ItemInput(serializers.Serializer):
        compound = serializers.CharField(max_length=20, help_text=_("小区编码（本项目的小区）"))
        item = serializers.CharField(max_length=20, help_text=_("改造内容编码"))
        quantity = serializers.DecimalField(
            max_digits=12, decimal_places=2, help_text=_("数量，须大于零")
        )
        payer = serializers.ChoiceField(
            choices=Payer.choices, required=False, help_text=_("不填则按改造内容的默认出资方")
        )
        unit_price = serializers.DecimalField(
            max_digits=14,
            decimal_places=2,
            required=False,
            help_text=_("不填则按价格清单；与清单不同时须填写说明"),
        )
        note = serializers.CharField(max_length=300, required=False, allow_blank=True)

    @extend_schema(
        request=ItemInput,
        responses={201: PlanItemOutput},
        summary=_("在草稿方案中增加一条改造条目"),
    )
    def post(self, request, pk: int):
        version = selectors.get_plan_version(request.scope, pk)
        body = self.ItemInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        compound = version.project.compounds.filter(code=data.pop("compound")).first()
        if compound is None:
            raise DomainError(
                _("不是本项目的小区。"),
                code="compound_not_in_project",
                fields={"compound": [_("不是本项目的小区。")]},
            )
        code = data.pop("item")
        item = CatalogueItem.objects.filter(code=code).first()
        if item is None:
            raise DomainError(
                _("改造内容清单中没有编码“%(code)s”。") % {"code": code},
                code="unknown_item",
                fields={"item": [_("找不到该改造内容。")]},
            )
        line = services.add_plan_item(
            actor=request.user,
            scope=request.scope,
            version=version,
            compound=compound,
            item=item,
            **data,
        )
        return Response(PlanItemOutput(line).data, status=status.HTTP_201_CREATED)
