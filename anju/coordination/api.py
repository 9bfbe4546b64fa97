"""Works API for the utilities' own systems: one APIView per operation, the pages' services.

`PUT /api/v1/works/<external_id>/` is an idempotent upsert keyed by the owner's own id: 201
when it creates the work, 200 otherwise; the same body twice writes nothing the second time.
`DELETE` marks the work cancelled (conflicts refer to it: never deleted). An organisation's
caller (a service account made by `anju api-token`) always acts for its own organisation;
the city office names the organisation with `?organisation=<id, credit code or name>`.
Another organisation's work answers 404, like a missing one.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from anju.access.api_permissions import IsStaffOrOrganisation
from anju.core.api import Pagination
from anju.core.errors import DomainError
from anju.engine.geo import CRS
from anju.territory.models import Compound

from . import works
from .models import WorkKind, WorkStatus

ORGANISATION_PARAMETER = OpenApiParameter(
    "organisation",
    str,
    description=gettext_lazy("建设单位的编号、统一社会信用代码或名称（市改造办代建设单位操作时）"),
)


def with_compound_codes(queryset):
    return queryset.prefetch_related(
        Prefetch("compounds", queryset=Compound.objects.only("code").order_by("code"))
    )


class WorkOutput(serializers.Serializer):
    id = serializers.IntegerField()
    external_id = serializers.CharField()
    organisation = serializers.IntegerField(source="organisation_id")
    organisation_name = serializers.CharField(source="organisation.name")
    organisation_credit_code = serializers.CharField(source="organisation.credit_code")
    kind = serializers.CharField()
    kind_name = serializers.CharField(source="get_kind_display")
    name = serializers.CharField()
    status = serializers.CharField()
    status_name = serializers.CharField(source="get_status_display")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    geometry = serializers.JSONField(allow_null=True, help_text=gettext_lazy("GeoJSON，WGS84"))
    radius_m = serializers.FloatField()
    compounds = serializers.SerializerMethodField()
    district = serializers.SerializerMethodField(help_text=gettext_lazy("所在区的代码"))
    updated_at = serializers.DateTimeField()

    def get_compounds(self, work) -> list[str]:
        return [compound.code for compound in work.compounds.all()]

    def get_district(self, work) -> str:
        return work.path.rstrip("/").rsplit("/", 1)[-1] if work.path.count("/") >= 2 else ""


def work_output(scope, work):
    work = with_compound_codes(works.work_list(scope=scope)).get(pk=work.pk)
    return WorkOutput(work).data


class WorkListAPI(APIView):
    pagination_class = Pagination  # documented by the schema, used by the handler
    permission_classes = [IsStaffOrOrganisation]

    @extend_schema(
        parameters=[
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
            OpenApiParameter("kind", str, enum=WorkKind.values),
            OpenApiParameter("status", str, enum=WorkStatus.values),
            ORGANISATION_PARAMETER,
        ],
        responses=WorkOutput(many=True),
        summary=gettext_lazy("其他工程列表（可见范围内）"),
    )
    def get(self, request):
        scope = request.scope
        params = request.query_params
        organisation = works.acting_organisation(scope, params.get("organisation"))
        filters = works.WorkFilters(
            kind=params.get("kind", "")[:16],
            status=params.get("status", "")[:12],
            organisation_id=organisation.pk if organisation else None,
        )
        queryset = with_compound_codes(works.work_list(scope=scope, filters=filters))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(WorkOutput(page, many=True).data)


class WorkDetailAPI(APIView):
    """One work by its owner's id: read, upsert (PUT) or cancel (DELETE)."""

    permission_classes = [IsStaffOrOrganisation]

    class WorkInput(serializers.Serializer):
        kind = serializers.ChoiceField(choices=WorkKind.choices)
        name = serializers.CharField(max_length=works.NAME_LIMIT)
        status = serializers.ChoiceField(
            choices=WorkStatus.choices,
            required=False,
            help_text=gettext_lazy("不填时新工程为计划（planned），已有工程保持原状态"),
        )
        starts_on = serializers.DateField()
        ends_on = serializers.DateField()
        geometry = serializers.JSONField(
            required=False,
            allow_null=True,
            help_text=gettext_lazy("GeoJSON 几何（点、线、面及其多部件形式），坐标系见 crs"),
        )
        compounds = serializers.ListField(
            child=serializers.CharField(max_length=24),
            required=False,
            default=list,
            help_text=gettext_lazy("涉及的小区编码（没有几何时必填）"),
        )
        radius_m = serializers.FloatField(required=False, default=0, min_value=0)
        crs = serializers.ChoiceField(
            choices=[crs.value for crs in CRS],
            required=False,
            default=CRS.WGS84.value,
            help_text=gettext_lazy("geometry 的坐标系，默认 wgs84；保存时统一换算为 WGS84"),
        )

    @extend_schema(
        parameters=[ORGANISATION_PARAMETER],
        responses=WorkOutput,
        summary=gettext_lazy("查看一项其他工程"),
    )
    def get(self, request, external_id: str):
        scope = request.scope
        organisation = works.acting_organisation(scope, request.query_params.get("organisation"))
        work = works.find_work(scope, external_id, organisation)
        return Response(work_output(scope, work))

    @extend_schema(
        parameters=[ORGANISATION_PARAMETER],
        request=WorkInput,
        responses={200: WorkOutput, 201: WorkOutput},
        summary=gettext_lazy("登记或更新一项其他工程（幂等：同一编号重复提交即更新）"),
    )
    def put(self, request, external_id: str):
        scope = request.scope
        organisation = self.writing_organisation(request)
        body = self.WorkInput(data=request.data)
        body.is_valid(raise_exception=True)
        work, created = works.upsert_work(
            actor=request.user,
            scope=scope,
            organisation=organisation,
            external_id=external_id,
            values=body.validated_data,
        )
        answer = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(work_output(scope, work), status=answer)

    @extend_schema(
        parameters=[ORGANISATION_PARAMETER],
        responses={200: WorkOutput},
        summary=gettext_lazy("取消一项其他工程（标记为取消，不删除）"),
    )
    def delete(self, request, external_id: str):
        scope = request.scope
        organisation = self.writing_organisation(request)
        work = works.find_work(scope, external_id, organisation)
        work = works.cancel_work(actor=request.user, scope=scope, work=work)
        return Response(work_output(scope, work))

    def writing_organisation(self, request):
        works.require_writer_role(request.scope)
        organisation = works.acting_organisation(
            request.scope, request.query_params.get("organisation")
        )
        if organisation is None:
            raise DomainError(
                _("请用 organisation 参数指明建设单位（编号、统一社会信用代码或名称）。"),
                code="organisation_required",
                fields={"organisation": [_("请指明建设单位。")]},
            )
        return organisation
