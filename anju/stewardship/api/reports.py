"""Problem reports API under /api/v1/stewardship/: the reports a caller may see (filter, file,
read with every step, advance, reassign, mark duplicate), the categories (the city office adds
and changes them), the routing rules and the handling figures.

Utilities and property companies read and update the reports they handle with their token
(`Authorization: Token …`); a company sees the reports of its compounds and nothing else
(others answer 404, like missing ones). Compounds are named by code, buildings by their
number within the compound, categories by code, territory nodes by code. Callers' names and
phones are masked unless the caller's role works with residents directly (PIPL).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from anju.access.api_permissions import IsStaffOrOrganisation
from anju.access.models import Organisation
from anju.core.api import Pagination
from anju.core.calendar import today as calendar_today
from anju.core.errors import DomainError
from anju.territory.models import Compound, Node
from anju.territory.services import mask_phone

from ..models import Channel, Escalation, HandlerKind, ReportCategory, ReportStep, Status
from ..selectors import reports as selectors
from ..services import categories as category_services
from ..services import reports as services
from ..views.reports import report_photo_response


def _mask_name(name: str) -> str:
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


class ReportCategoryOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    deadline_days = serializers.IntegerField(help_text=_("办理时限(工作日)"))
    is_active = serializers.BooleanField(help_text=_("停用的类别不再供登记选择"))


class ReportPhotoOutput(serializers.Serializer):
    id = serializers.IntegerField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    url = serializers.SerializerMethodField(help_text=_("照片地址（同一令牌可读取）"))

    def get_url(self, photo) -> str:
        path = reverse("api-report-photo", args=[photo.report_id, photo.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class ReportStepOutput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReportStep.Kind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    note = serializers.CharField()
    by = serializers.SerializerMethodField()
    at = serializers.DateTimeField()
    photos = ReportPhotoOutput(many=True)

    def get_by(self, step) -> str:
        if step.actor_id:
            return step.actor.get_username()
        if step.household_id:
            return str(_("住户"))
        return str(_("系统"))


class ReportOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    compound = serializers.CharField(source="compound.code")
    compound_name = serializers.CharField(source="compound.name")
    category = serializers.CharField(source="category.code")
    category_name = serializers.CharField(source="category.label")
    description = serializers.CharField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    building = serializers.CharField(source="building.number", allow_null=True, default=None)
    longitude = serializers.FloatField(allow_null=True)
    latitude = serializers.FloatField(allow_null=True)
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    handler = serializers.ChoiceField(choices=HandlerKind.choices)
    handler_organisation = serializers.CharField(
        source="handler_organisation.name", allow_null=True, default=None
    )
    handler_node = serializers.CharField(source="handler_node.name", allow_null=True, default=None)
    submitted_at = serializers.DateTimeField()
    due_on = serializers.DateField()
    is_overdue = serializers.SerializerMethodField()
    escalation = serializers.ChoiceField(choices=Escalation.choices)
    resolved_at = serializers.DateTimeField(allow_null=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)
    reopen_count = serializers.IntegerField()
    rating = serializers.IntegerField(allow_null=True)
    rating_comment = serializers.CharField()
    duplicate_of = serializers.CharField(
        source="duplicate_of.number", allow_null=True, default=None
    )
    caller_name = serializers.SerializerMethodField()
    caller_phone = serializers.SerializerMethodField()

    def get_is_overdue(self, report) -> bool:
        return report.is_overdue(self.context["today"])

    def _personal(self, value: str, mask) -> str:
        scope = self.context["scope"]
        return value if scope.may_see_personal_data else mask(value)

    def get_caller_name(self, report) -> str:
        return self._personal(report.caller_name, _mask_name)

    def get_caller_phone(self, report) -> str:
        return self._personal(report.caller_phone, mask_phone)


class ReportDetailOutput(ReportOutput):
    steps = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()
    next_steps = serializers.SerializerMethodField()

    @extend_schema_field(ReportStepOutput(many=True))
    def get_steps(self, report) -> list:
        return ReportStepOutput(selectors.steps_for(report), many=True, context=self.context).data

    @extend_schema_field(ReportPhotoOutput(many=True))
    def get_photos(self, report) -> list:
        """Every photo of the report: the problem's and the fix's, in upload order."""
        return ReportPhotoOutput(report.photos.all(), many=True, context=self.context).data

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=Status.choices))
    )
    def get_next_steps(self, report) -> list[str]:
        return selectors.next_steps(report, self.context["scope"])


def _context(request) -> dict:
    return {"scope": request.scope, "today": calendar_today(), "request": request}


def _compound(scope, code: str) -> Compound:
    """The compound named in the body, among those the caller may see (else 400, the same for
    unknown and out-of-scope)."""
    compound = Compound.objects.filter(code=code).select_related("community__parent").first()
    if compound is None or not (
        scope.covers_path(compound.path) or compound.pk in scope.compound_ids
    ):
        message = _("找不到小区“%(code)s”。") % {"code": code}
        raise DomainError(message, code="unknown_compound", fields={"compound": [message]})
    return compound


def _building(compound, number: str):
    if not number:
        return None
    building = compound.buildings.filter(number=number).first()
    if building is None:
        message = _("小区“%(compound)s”没有楼栋“%(building)s”。") % {
            "compound": compound.name,
            "building": number,
        }
        raise DomainError(message, code="building_not_in_compound", fields={"building": [message]})
    return building


def _category(code: str) -> ReportCategory:
    category = ReportCategory.objects.filter(code=code).first()
    if category is None:
        message = _("未知的问题类别“%(code)s”。") % {"code": code}
        raise DomainError(message, code="unknown_category", fields={"category": [message]})
    return category


FILTERS = [
    OpenApiParameter("status", OpenApiTypes.STR, enum=Status.values, description=_("状态")),
    OpenApiParameter("category", OpenApiTypes.STR, description=_("问题类别编码")),
    OpenApiParameter("compound", OpenApiTypes.STR, description=_("小区编码")),
    OpenApiParameter("overdue", OpenApiTypes.BOOL, description=_("只看超期未办结的")),
    OpenApiParameter("escalated", OpenApiTypes.BOOL, description=_("只看已升级督办的")),
]


class ReportListAPI(APIView):
    permission_classes = [IsStaffOrOrganisation]
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    pagination_class = Pagination

    class ReportFileInput(serializers.Serializer):
        compound = serializers.CharField(max_length=30, help_text=_("小区编码"))
        category = serializers.CharField(max_length=30, help_text=_("问题类别编码"))
        description = serializers.CharField(max_length=2000)
        channel = serializers.ChoiceField(
            choices=Channel.choices, help_text=_("代为登记的渠道：phone、visit 或 hotline")
        )
        building = serializers.CharField(
            max_length=30, required=False, allow_blank=True, help_text=_("楼栋号")
        )
        longitude = serializers.FloatField(required=False, allow_null=True)
        latitude = serializers.FloatField(required=False, allow_null=True)
        caller_name = serializers.CharField(max_length=40, required=False, allow_blank=True)
        caller_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
        photos = serializers.ListField(
            child=serializers.FileField(), required=False, help_text=_("照片，最多 3 张")
        )

    @extend_schema(parameters=FILTERS, responses=ReportOutput(many=True), summary=_("问题报告列表"))
    def get(self, request):
        reports = selectors.reports_for(request.scope).select_related("duplicate_of")
        params = request.query_params
        if params.get("status"):
            if params["status"] not in Status.values:
                message = _("未知的状态。")
                raise DomainError(message, code="bad_parameter", fields={"status": [message]})
            reports = reports.filter(status=params["status"])
        if params.get("category"):
            reports = reports.filter(category__code=params["category"])
        if params.get("compound"):
            reports = reports.filter(compound__code=params["compound"])
        if params.get("overdue", "").lower() in ("1", "true", "yes"):
            reports = selectors.only_overdue(reports, calendar_today())
        if params.get("escalated", "").lower() in ("1", "true", "yes"):
            reports = selectors.only_escalated(reports)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(reports.order_by("-submitted_at", "-pk"), request, self)
        return paginator.get_paginated_response(
            ReportOutput(page, many=True, context=_context(request)).data
        )

    @extend_schema(
        request={"multipart/form-data": ReportFileInput, "application/json": ReportFileInput},
        responses={201: ReportDetailOutput},
        summary=_("代居民登记问题（小区所在的区、街道、社区）"),
    )
    def post(self, request):
        body = self.ReportFileInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        compound = _compound(request.scope, data["compound"])
        report = services.file_report(
            actor=request.user,
            scope=request.scope,
            compound=compound,
            category=_category(data["category"]),
            description=data["description"],
            channel=data["channel"],
            photos=data.get("photos", []),
            building=_building(compound, data.get("building", "").strip()),
            longitude=data.get("longitude"),
            latitude=data.get("latitude"),
            caller_name=data.get("caller_name", ""),
            caller_phone=data.get("caller_phone", ""),
        )
        report = selectors.get_report(request.scope, report.pk)
        return Response(
            ReportDetailOutput(report, context=_context(request)).data,
            status=status.HTTP_201_CREATED,
        )


class ReportSuggestionsAPI(APIView):
    """Reports that may be the same problem, before filing one for a caller: open or lately
    resolved reports of the compound and category, in the same building or within 50 m of the
    point (the portal's and the workbench's suggestion, `selectors.suggest_duplicates`),
    among those the caller may read."""

    permission_classes = [IsStaffOrOrganisation]

    class SuggestionQuery(serializers.Serializer):
        compound = serializers.CharField(max_length=30, help_text=_("小区编码"))
        category = serializers.CharField(max_length=30, help_text=_("问题类别编码"))
        building = serializers.CharField(
            max_length=30, required=False, allow_blank=True, help_text=_("楼栋号")
        )
        longitude = serializers.FloatField(required=False, min_value=-180, max_value=180)
        latitude = serializers.FloatField(required=False, min_value=-90, max_value=90)

    @extend_schema(
        parameters=[SuggestionQuery],
        responses=ReportOutput(many=True),
        summary=_("可能重复的问题报告（登记前查看）"),
    )
    def get(self, request):
        query = self.SuggestionQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        compound = _compound(request.scope, data["compound"])
        found = selectors.suggest_duplicates(
            compound,
            _category(data["category"]),
            building=_building(compound, data.get("building", "").strip()),
            longitude=data.get("longitude"),
            latitude=data.get("latitude"),
        )
        readable = set(
            selectors.reports_for(request.scope)
            .filter(pk__in=[report.pk for report in found])
            .values_list("pk", flat=True)
        )
        shown = [report for report in found if report.pk in readable]
        return Response(ReportOutput(shown, many=True, context=_context(request)).data)


class ReportDetailAPI(APIView):
    permission_classes = [IsStaffOrOrganisation]

    @extend_schema(responses=ReportDetailOutput, summary=_("问题报告及其办理记录"))
    def get(self, request, pk: int):
        report = selectors.get_report(request.scope, pk)
        return Response(ReportDetailOutput(report, context=_context(request)).data)


class ReportPhotoAPI(APIView):
    """A report's photo (JPEG, metadata stripped on upload) for a caller who may see the report:
    a property company's token reads the photos of its own reports."""

    permission_classes = [IsStaffOrOrganisation]

    @extend_schema(
        responses={(200, "image/jpeg"): OpenApiTypes.BINARY}, summary=_("问题报告的照片")
    )
    def get(self, request, pk: int, photo_id: int):
        return report_photo_response(selectors.get_report(request.scope, pk), photo_id)


class ReportAdvanceAPI(APIView):
    permission_classes = [IsStaffOrOrganisation]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    class ReportAdvanceInput(serializers.Serializer):
        to_status = serializers.ChoiceField(choices=Status.choices, help_text=_("下一步状态"))
        note = serializers.CharField(max_length=1000, required=False, allow_blank=True)
        rating = serializers.IntegerField(required=False, allow_null=True)
        rating_comment = serializers.CharField(max_length=300, required=False, allow_blank=True)
        photos = serializers.ListField(
            child=serializers.FileField(), required=False, help_text=_("照片，最多 3 张")
        )

    @extend_schema(
        request={"multipart/form-data": ReportAdvanceInput, "application/json": ReportAdvanceInput},
        responses=ReportDetailOutput,
        summary=_("办理问题报告：受理、处理、办结、确认或重新打开（一次一步）"),
    )
    def post(self, request, pk: int):
        report = selectors.get_report(request.scope, pk)
        body = self.ReportAdvanceInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.advance_report(
            actor=request.user,
            scope=request.scope,
            report=report,
            to_status=data["to_status"],
            note=data.get("note", ""),
            photos=data.get("photos", []),
            rating=data.get("rating"),
            rating_comment=data.get("rating_comment", ""),
        )
        report = selectors.get_report(request.scope, pk)
        return Response(ReportDetailOutput(report, context=_context(request)).data)


class ReportReassignAPI(APIView):
    permission_classes = [IsStaffOrOrganisation]

    class ReportReassignInput(serializers.Serializer):
        handler = serializers.ChoiceField(choices=HandlerKind.choices)
        organisation = serializers.IntegerField(
            required=False, allow_null=True, help_text=_("承办单位编号")
        )
        node = serializers.CharField(
            max_length=20, required=False, allow_blank=True, help_text=_("承办社区或街道的代码")
        )
        note = serializers.CharField(max_length=1000, help_text=_("改派原因"))

    @extend_schema(
        request=ReportReassignInput, responses=ReportDetailOutput, summary=_("改派问题报告")
    )
    def post(self, request, pk: int):
        report = selectors.get_report(request.scope, pk)
        body = self.ReportReassignInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.reassign_report(
            actor=request.user,
            scope=request.scope,
            report=report,
            handler=data["handler"],
            organisation=_organisation(data.get("organisation")),
            node=_node(data.get("node", "")),
            note=data["note"],
        )
        report = selectors.get_report(request.scope, pk)
        return Response(ReportDetailOutput(report, context=_context(request)).data)


def _organisation(pk):
    if pk is None:
        return None
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        message = _("找不到该单位。")
        raise DomainError(message, code="unknown_organisation", fields={"organisation": [message]})
    return organisation


def _node(code: str):
    code = (code or "").strip()
    if not code:
        return None
    node = Node.objects.filter(code=code).first()
    if node is None:
        message = _("找不到辖区“%(code)s”。") % {"code": code}
        raise DomainError(message, code="unknown_node", fields={"node": [message]})
    return node


class ReportDuplicateAPI(APIView):
    permission_classes = [IsStaffOrOrganisation]

    class ReportDuplicateInput(serializers.Serializer):
        of = serializers.IntegerField(help_text=_("原报告的编号(id)"))

    @extend_schema(
        request=ReportDuplicateInput, responses=ReportDetailOutput, summary=_("标记为重复报告")
    )
    def post(self, request, pk: int):
        report = selectors.get_report(request.scope, pk)
        body = self.ReportDuplicateInput(data=request.data)
        body.is_valid(raise_exception=True)
        original = selectors.reports_for(request.scope).filter(pk=body.validated_data["of"]).first()
        if original is None:
            message = _("找不到原报告。")
            raise DomainError(message, code="unknown_report", fields={"of": [message]})
        services.mark_duplicate(actor=request.user, scope=request.scope, report=report, of=original)
        report = selectors.get_report(request.scope, pk)
        return Response(ReportDetailOutput(report, context=_context(request)).data)


class ReportCategoryListAPI(APIView):
    permission_classes = [IsStaffOrOrganisation]

    class ReportCategoryAddInput(serializers.Serializer):
        code = serializers.CharField(max_length=30, help_text=_("小写字母和下划线，添加后不能修改"))
        name = serializers.CharField(max_length=40)
        name_en = serializers.CharField(max_length=60, required=False, allow_blank=True)
        deadline_days = serializers.IntegerField(help_text=_("办理时限，1 至 60 个工作日"))

    @extend_schema(responses=ReportCategoryOutput(many=True), summary=_("问题类别及办理时限"))
    def get(self, request):
        return Response(ReportCategoryOutput(selectors.categories(), many=True).data)

    @extend_schema(
        request=ReportCategoryAddInput,
        responses={201: ReportCategoryOutput},
        summary=_("添加问题类别（市改造办）"),
    )
    def post(self, request):
        body = self.ReportCategoryAddInput(data=request.data)
        body.is_valid(raise_exception=True)
        category = category_services.add_report_category(
            actor=request.user, scope=request.scope, **body.validated_data
        )
        return Response(ReportCategoryOutput(category).data, status=status.HTTP_201_CREATED)


class ReportCategoryAPI(APIView):
    """One category by code. A new deadline applies to reports filed afterwards; reports
    already filed keep their due dates."""

    permission_classes = [IsStaffOrOrganisation]

    class ReportCategoryChangeInput(serializers.Serializer):
        name = serializers.CharField(max_length=40)
        name_en = serializers.CharField(
            max_length=60, required=False, allow_blank=True, help_text=_("省略时不变")
        )
        deadline_days = serializers.IntegerField(help_text=_("办理时限，1 至 60 个工作日"))
        is_active = serializers.BooleanField(
            required=False, help_text=_("false 停用：不再供登记选择，已有报告保留；省略时不变")
        )

    @extend_schema(
        request=ReportCategoryChangeInput,
        responses=ReportCategoryOutput,
        summary=_("修改问题类别的名称、办理时限或停用（市改造办）"),
    )
    def put(self, request, code: str):
        category = selectors.get_category(code)
        body = self.ReportCategoryChangeInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        category = category_services.change_report_category(
            actor=request.user,
            scope=request.scope,
            category=category,
            name=data["name"],
            name_en=data.get("name_en", category.name_en),
            deadline_days=data["deadline_days"],
            is_active=data.get("is_active", category.is_active),
        )
        return Response(ReportCategoryOutput(category).data)


class ReportRoutingRuleOutput(serializers.Serializer):
    id = serializers.IntegerField()
    category = serializers.CharField(source="category.code", allow_null=True, default=None)
    node = serializers.CharField(source="node.code", allow_null=True, default=None)
    node_name = serializers.CharField(source="node.name", allow_null=True, default=None)
    handler = serializers.ChoiceField(choices=HandlerKind.choices)
    organisation = serializers.IntegerField(source="organisation_id", allow_null=True)
    organisation_name = serializers.CharField(
        source="organisation.name", allow_null=True, default=None
    )


class ReportRoutingRuleListAPI(APIView):
    class ReportRoutingRuleInput(serializers.Serializer):
        category = serializers.CharField(
            max_length=30, required=False, allow_blank=True, help_text=_("留空表示所有类别")
        )
        node = serializers.CharField(
            max_length=20, required=False, allow_blank=True, help_text=_("辖区代码；留空表示全市")
        )
        handler = serializers.ChoiceField(choices=HandlerKind.choices)
        organisation = serializers.IntegerField(
            required=False, allow_null=True, help_text=_("承办单位编号（指定单位时）")
        )

    @extend_schema(responses=ReportRoutingRuleOutput(many=True), summary=_("分派规则"))
    def get(self, request):
        rules = selectors.routing_rules(request.scope)
        return Response(ReportRoutingRuleOutput(rules, many=True).data)

    @extend_schema(
        request=ReportRoutingRuleInput,
        responses={201: ReportRoutingRuleOutput},
        summary=_("保存分派规则（全市规则由市改造办，区内规则由区工作专班）"),
    )
    def post(self, request):
        body = self.ReportRoutingRuleInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        category_code = data.get("category", "").strip()
        node = _node(data.get("node", ""))
        if node is not None and not request.scope.covers_path(node.path):
            message = _("找不到辖区“%(code)s”。") % {"code": node.code}
            raise DomainError(message, code="unknown_node", fields={"node": [message]})
        rule = services.save_routing_rule(
            actor=request.user,
            scope=request.scope,
            category=_category(category_code) if category_code else None,
            node=node,
            handler=data["handler"],
            organisation=_organisation(data.get("organisation")),
        )
        return Response(ReportRoutingRuleOutput(rule).data, status=status.HTTP_201_CREATED)


class ReportRoutingRuleDetailAPI(APIView):
    @extend_schema(responses={204: None}, summary=_("删除分派规则"))
    def delete(self, request, pk: int):
        rule = selectors.get_routing_rule(request.scope, pk)
        services.delete_routing_rule(actor=request.user, scope=request.scope, rule=rule)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReportMetricsOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    reports = serializers.IntegerField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    resolved = serializers.IntegerField()
    median_days_to_resolve = serializers.FloatField(allow_null=True)
    mean_days_to_resolve = serializers.FloatField(allow_null=True)
    reopen_rate = serializers.FloatField(allow_null=True)
    mean_rating = serializers.FloatField(allow_null=True)
    ratings = serializers.IntegerField()


class ReportMetricsAPI(APIView):
    permission_classes = [IsStaffOrOrganisation]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "by",
                OpenApiTypes.STR,
                enum=list(selectors.METRIC_GROUPINGS),
                description=_("按小区、物业企业或区统计"),
            )
        ],
        responses=ReportMetricsOutput(many=True),
        summary=_("问题报告办理情况：数量、办结用时（工作日）、重新打开率、满意度"),
    )
    def get(self, request):
        by = request.query_params.get("by", "compound")
        if by not in selectors.METRIC_GROUPINGS:
            message = _("统计方式应为 compound、company 或 district。")
            raise DomainError(message, code="bad_parameter", fields={"by": [message]})
        rows = selectors.report_metrics(request.scope, by)
        return Response(ReportMetricsOutput(rows, many=True).data)
