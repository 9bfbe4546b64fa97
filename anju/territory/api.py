"""Registry API: one APIView per operation, nested serializers, the same selectors as pages."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from anju.core.api import ErrorOutput, Pagination
from anju.core.importing import ImportParams

from . import selectors, services
from .importers import RegistryImporter
from .models import ManagementStatus, Node, Stage


class CompoundOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    community_code = serializers.CharField(source="community.code")
    community_name = serializers.CharField(source="community.name")
    district_code = serializers.CharField()
    address = serializers.CharField()
    longitude = serializers.FloatField(allow_null=True)
    latitude = serializers.FloatField(allow_null=True)
    year_built = serializers.IntegerField()
    property_rights = serializers.CharField()
    building_count = serializers.IntegerField()
    household_count = serializers.IntegerField()
    total_floor_area = serializers.DecimalField(max_digits=12, decimal_places=2)
    management_status = serializers.CharField()
    has_owners_committee = serializers.BooleanField()
    party_organisation = serializers.CharField()
    stage = serializers.CharField()


class CompoundListAPI(APIView):
    pagination_class = Pagination  # documented by the schema, used by the handler

    class FilterInput(serializers.Serializer):
        search = serializers.CharField(required=False, max_length=60, default="")
        district = serializers.CharField(required=False, max_length=20, default="")
        street = serializers.CharField(required=False, max_length=20, default="")
        community = serializers.CharField(required=False, max_length=20, default="")
        stage = serializers.ChoiceField(choices=Stage.choices, required=False, default="")
        management_status = serializers.ChoiceField(
            choices=ManagementStatus.choices, required=False, default=""
        )
        year_from = serializers.IntegerField(required=False, min_value=1900, max_value=2100)
        year_to = serializers.IntegerField(required=False, min_value=1900, max_value=2100)
        ordering = serializers.ChoiceField(
            choices=list(selectors.ORDERINGS), required=False, default="path"
        )

    @extend_schema(
        parameters=[FilterInput, OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
        responses=CompoundOutput(many=True),
        summary=_("小区列表（本辖区）"),
    )
    def get(self, request):
        params = self.FilterInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        filters = selectors.CompoundFilters(**params.validated_data)
        compounds = selectors.compound_list(scope=request.scope, filters=filters)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(compounds, request, view=self)
        return paginator.get_paginated_response(CompoundOutput(page, many=True).data)


class CompoundDetailAPI(APIView):
    class CompoundDetailOutput(CompoundOutput):
        boundary = serializers.JSONField(allow_null=True)
        original_property_unit = serializers.CharField()
        buildings = serializers.SerializerMethodField()

        def get_buildings(self, compound) -> list[dict]:
            return [
                {
                    "number": b.number,
                    "floors": b.floors,
                    "has_elevator": b.has_elevator,
                    "units": b.unit_total,
                    "households": b.household_total,
                }
                for b in selectors.buildings_of(compound)
            ]

    @extend_schema(responses=CompoundDetailOutput, summary=_("小区详情"))
    def get(self, request, code: str):
        compound = selectors.get_compound(request.scope, code)
        return Response(self.CompoundDetailOutput(compound).data)


class NodeOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    parent_code = serializers.CharField(source="parent.code", allow_null=True, default=None)
    valid_from = serializers.DateField(allow_null=True)
    valid_to = serializers.DateField(allow_null=True)


class NodeListAPI(APIView):
    pagination_class = Pagination  # documented by the schema, used by the handler

    class FilterInput(serializers.Serializer):
        kind = serializers.ChoiceField(choices=Node.Kind.choices, required=False)
        parent = serializers.CharField(required=False, max_length=20)

    @extend_schema(parameters=[FilterInput], responses=NodeOutput(many=True), summary=_("区划列表"))
    def get(self, request):
        params = self.FilterInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        nodes = selectors.node_list(
            scope=request.scope,
            kind=params.validated_data.get("kind"),
            parent_code=params.validated_data.get("parent"),
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(nodes, request, view=self)
        return paginator.get_paginated_response(NodeOutput(page, many=True).data)


class NodeDetailAPI(APIView):
    class NodeDetailOutput(NodeOutput):
        totals = serializers.DictField(
            child=serializers.DecimalField(max_digits=16, decimal_places=2)
        )

    @extend_schema(responses=NodeDetailOutput, summary=_("区划详情与统计"))
    def get(self, request, code: str):
        node = selectors.get_node(request.scope, code)
        totals = selectors.registry_totals(scope=request.scope, under=node.path)
        node.totals = {key: value or 0 for key, value in totals.items()}
        return Response(self.NodeDetailOutput(node).data)


# --- territory adjustments (区划调整): city office only -----------------------------------------


class NodeChangeOutput(serializers.Serializer):
    kind = serializers.CharField()
    effective_on = serializers.DateField()
    old_name = serializers.CharField()
    new_name = serializers.CharField()
    old_parent_code = serializers.CharField(source="old_parent.code", default=None)
    new_parent_code = serializers.CharField(source="new_parent.code", default=None)
    old_path = serializers.CharField()
    new_path = serializers.CharField()
    decision = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class NodeHistoryAPI(APIView):
    pagination_class = Pagination  # documented by the schema, used by the handler

    @extend_schema(responses=NodeChangeOutput(many=True), summary=_("区划调整记录"))
    def get(self, request, code: str):
        node = selectors.get_node(request.scope, code, include_ended=True)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.node_changes(node), request, view=self)
        return paginator.get_paginated_response(NodeChangeOutput(page, many=True).data)


class NodeAddAPI(APIView):
    class AddInput(serializers.Serializer):
        kind = serializers.ChoiceField(choices=Node.Kind.choices)
        code = serializers.CharField(max_length=20)
        name = serializers.CharField(max_length=80)
        valid_from = serializers.DateField()
        decision = serializers.CharField(max_length=200, required=False, default="")

    @extend_schema(
        request=AddInput, responses={201: NodeOutput}, summary=_("在该区划下新设下级区划")
    )
    def post(self, request, code: str):
        data = self.AddInput(data=request.data)
        data.is_valid(raise_exception=True)
        parent = selectors.get_node(request.scope, code)
        node = services.add_node(
            actor=request.user, scope=request.scope, parent=parent, **data.validated_data
        )
        return Response(NodeOutput(node).data, status=status.HTTP_201_CREATED)


class NodeRenameAPI(APIView):
    class RenameInput(serializers.Serializer):
        name = serializers.CharField(max_length=80)
        effective_on = serializers.DateField()
        decision = serializers.CharField(max_length=200, required=False, default="")

    @extend_schema(request=RenameInput, responses=NodeOutput, summary=_("区划更名"))
    def post(self, request, code: str):
        data = self.RenameInput(data=request.data)
        data.is_valid(raise_exception=True)
        node = selectors.get_node(request.scope, code)
        node = services.rename_node(
            actor=request.user, scope=request.scope, node=node, **data.validated_data
        )
        return Response(NodeOutput(node).data)


class NodeMoveAPI(APIView):
    class MoveInput(serializers.Serializer):
        parent = serializers.CharField(max_length=20, help_text=_("新上级的区划代码"))
        effective_on = serializers.DateField()
        decision = serializers.CharField(max_length=200, required=False, default="")

    @extend_schema(request=MoveInput, responses=NodeOutput, summary=_("调整区划隶属"))
    def post(self, request, code: str):
        data = self.MoveInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        node = selectors.get_node(request.scope, code)
        new_parent = selectors.get_node(request.scope, values.pop("parent"))
        node = services.move_node(
            actor=request.user, scope=request.scope, node=node, new_parent=new_parent, **values
        )
        return Response(NodeOutput(node).data)


class NodeEndAPI(APIView):
    class EndInput(serializers.Serializer):
        valid_to = serializers.DateField(help_text=_("最后有效日"))
        decision = serializers.CharField(max_length=200, required=False, default="")

    @extend_schema(request=EndInput, responses=NodeOutput, summary=_("撤销区划"))
    def post(self, request, code: str):
        data = self.EndInput(data=request.data)
        data.is_valid(raise_exception=True)
        node = selectors.get_node(request.scope, code)
        node = services.end_node(
            actor=request.user, scope=request.scope, node=node, **data.validated_data
        )
        return Response(NodeOutput(node).data)


# --- Registry import --------------------------------------------------------------------------
# Registry import over the API: one multipart POST, imported synchronously.
#
# For files up to `API_MAX_ROWS` rows; larger files go through the upload page (a background job
# with progress). A rejected file answers 400 with every problem:
# {"code": "import_rejected", "message", "fields": {}, "problems": [{sheet, row, column, …}]}.

API_MAX_ROWS = 20_000


class ProblemOutput(serializers.Serializer):
    sheet = serializers.CharField()
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(help_text=_("列名"))
    letter = serializers.CharField(help_text=_("Excel 列字母"))
    message = serializers.CharField()


class ImportRejectedOutput(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField()
    problems = ProblemOutput(many=True)


class RegistryImportAPI(APIView):
    parser_classes = [MultiPartParser, FormParser]

    class ImportInput(serializers.Serializer):
        file = serializers.FileField(help_text=_(".xlsx（小区、楼栋、住户工作表）或 .csv（小区）"))
        dry_run = serializers.BooleanField(required=False, default=False)

    class ImportOutput(serializers.Serializer):
        filename = serializers.CharField()
        dry_run = serializers.BooleanField()
        rows = serializers.DictField(child=serializers.IntegerField())
        counts = serializers.DictField(child=serializers.IntegerField())

    @extend_schema(
        request={"multipart/form-data": ImportInput},
        responses={
            201: ImportOutput,
            200: OpenApiResponse(ImportOutput, description=_("只检查（dry_run）：未写入")),
            400: OpenApiResponse(ImportRejectedOutput, description=_("文件有问题，未导入任何数据")),
            403: ErrorOutput,
        },
        summary=_("导入小区台账"),
    )
    def post(self, request):
        data = self.ImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        params = ImportParams(
            actor=request.user,
            scope=request.scope,
            filename=upload.name,
            dry_run=data.validated_data["dry_run"],
            max_rows=API_MAX_ROWS,
        )
        report = RegistryImporter().run(upload, params)
        answer = status.HTTP_200_OK if params.dry_run else status.HTTP_201_CREATED
        return Response(self.ImportOutput(report.as_dict()).data, status=answer)
