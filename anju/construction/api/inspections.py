"""Quality and safety supervision API: the checklists (read by all staff, edited by the city
office: a work type, an item at the end of a checklist, an item reworded or switched off), a
project's inspections (list, record with orders), its rectification orders (filtered list),
one order with its steps and the actions the caller may take, answering (multipart, with
evidence photos), closing, reopening, the order's photos, the overdue orders (督办) and the
per-party records.

Scoped like the pages: projects and orders are fetched through the projects the caller may
see, so another district's order answers 404 like a missing one; organisations use their
token and see the projects they are a party to. Checklist items are named by code, parties by
their role on the project ("construction", "supervision", "design"). Photos are served to
staff who may see the project at `photo_url`, never as public media.
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from anju.core.api import Pagination
from anju.core.errors import DomainError

from ..models import Finding, InspectionItem, Severity, WorkType
from ..selectors import inspections as selectors
from ..selectors.projects import get_project
from ..services import checklists
from ..services import inspections as services


class InspectionPhotoOutput(serializers.Serializer):
    id = serializers.IntegerField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    photo_url = serializers.SerializerMethodField()

    def get_photo_url(self, photo) -> str:
        name = "api-construction-finding-photo"
        if hasattr(photo, "step_id"):
            name = "api-construction-evidence-photo"
        return reverse(name, args=[photo.pk])


class InspectionWorkTypeOutput(serializers.Serializer):
    class InspectionItemOutput(serializers.Serializer):
        id = serializers.IntegerField()
        code = serializers.CharField()
        text = serializers.CharField()
        is_safety = serializers.BooleanField()

    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    items = InspectionItemOutput(many=True, source="active_items")


class InspectionFindingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    order_number = serializers.CharField()
    project = serializers.CharField(source="project.code")
    inspection = serializers.IntegerField(source="inspection_id")
    item = serializers.CharField(source="item.code", allow_null=True, default=None)
    severity = serializers.ChoiceField(choices=Severity.choices)
    description = serializers.CharField()
    responsible_party = serializers.CharField(
        source="responsible_party.role", help_text=_("construction / supervision / design")
    )
    responsible_organisation = serializers.CharField(source="responsible_party.organisation.name")
    deadline_days = serializers.IntegerField()
    due_on = serializers.DateField()
    status = serializers.CharField(help_text=_("open / answered / reopened / closed"))
    escalation = serializers.IntegerField(help_text=_("0 未督办，1 区级督办，2 市级督办"))
    closed_at = serializers.DateTimeField(allow_null=True)


class InspectionStepOutput(serializers.Serializer):
    kind = serializers.CharField()
    note = serializers.CharField()
    actor = serializers.CharField(source="actor.get_username", allow_null=True, default=None)
    at = serializers.DateTimeField()
    photos = InspectionPhotoOutput(many=True)


class InspectionFindingDetailOutput(InspectionFindingOutput):
    class InspectionActionsOutput(serializers.Serializer):
        answer = serializers.BooleanField()
        close = serializers.BooleanField()
        reopen = serializers.BooleanField()

    photos = InspectionPhotoOutput(many=True)
    steps = InspectionStepOutput(many=True)
    actions = serializers.SerializerMethodField()

    @extend_schema_field(InspectionActionsOutput)
    def get_actions(self, finding) -> dict:
        actions = selectors.finding_actions(self.context["scope"], finding)
        return {"answer": actions.answer, "close": actions.close, "reopen": actions.reopen}


class InspectionOutput(serializers.Serializer):
    class InspectionResultOutput(serializers.Serializer):
        item = serializers.CharField(source="item.code")
        result = serializers.CharField(help_text=_("pass / fail / na"))

    id = serializers.IntegerField()
    project = serializers.CharField(source="project.code")
    work_type = serializers.CharField(source="work_type.code")
    kind = serializers.CharField(help_text=_("quality / safety"))
    inspected_on = serializers.DateField()
    inspector = serializers.CharField(
        source="inspector.get_username", allow_null=True, default=None
    )
    note = serializers.CharField()
    results = InspectionResultOutput(many=True)
    findings = InspectionFindingOutput(many=True)


def _photos_response(photo):
    response = FileResponse(default_storage.open(photo.image.name, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


JPEG = {
    (200, "image/jpeg"): OpenApiResponse(OpenApiTypes.BINARY, description=_("去除元数据后的 JPEG"))
}


def _finding_detail(request, pk) -> dict:
    finding = selectors.get_finding(request.scope, pk)
    return InspectionFindingDetailOutput(finding, context={"scope": request.scope}).data


class InspectionWorkTypesAPI(APIView):
    class WorkTypeInput(serializers.Serializer):
        code = serializers.CharField(max_length=30, help_text=_("小写字母和下划线，如 fire_safety"))
        name = serializers.CharField(max_length=40)
        name_en = serializers.CharField(max_length=60, required=False, allow_blank=True)

    @extend_schema(responses=InspectionWorkTypeOutput(many=True), summary=_("作业类型与检查表"))
    def get(self, request):
        return Response(InspectionWorkTypeOutput(selectors.work_types(), many=True).data)

    @extend_schema(
        request=WorkTypeInput,
        responses={201: InspectionWorkTypeOutput},
        summary=_("新增作业类型（市改造办）"),
    )
    def post(self, request):
        body = self.WorkTypeInput(data=request.data)
        body.is_valid(raise_exception=True)
        work_type = checklists.add_work_type(
            actor=request.user, scope=request.scope, **body.validated_data
        )
        work_type = selectors.work_types().get(pk=work_type.pk)
        return Response(InspectionWorkTypeOutput(work_type).data, status=status.HTTP_201_CREATED)


class InspectionItemDetailOutput(serializers.Serializer):
    id = serializers.IntegerField()
    work_type = serializers.CharField(source="work_type.code")
    code = serializers.CharField()
    text = serializers.CharField()
    is_safety = serializers.BooleanField()
    position = serializers.IntegerField()
    is_active = serializers.BooleanField()


class WorkTypeItemsAPI(APIView):
    class InspectionItemInput(serializers.Serializer):
        text = serializers.CharField(max_length=200)
        is_safety = serializers.BooleanField(required=False, default=False)

    @extend_schema(
        request=InspectionItemInput,
        responses={201: InspectionItemDetailOutput},
        summary=_("在检查表末尾新增检查项（市改造办）"),
    )
    def post(self, request, code: str):
        work_type = selectors.get_work_type(code)
        body = self.InspectionItemInput(data=request.data)
        body.is_valid(raise_exception=True)
        item = checklists.add_inspection_item(
            actor=request.user, scope=request.scope, work_type=work_type, **body.validated_data
        )
        return Response(InspectionItemDetailOutput(item).data, status=status.HTTP_201_CREATED)


class InspectionItemAPI(APIView):
    class InspectionItemChangeInput(serializers.Serializer):
        text = serializers.CharField(max_length=200, required=False)
        is_active = serializers.BooleanField(
            required=False, help_text=_("false：新检查不再列出此项，已记录的结果保留")
        )

    @extend_schema(
        request=InspectionItemChangeInput,
        responses=InspectionItemDetailOutput,
        summary=_("修改或停用检查项（市改造办）"),
    )
    def patch(self, request, pk: int):
        item = selectors.get_inspection_item(pk)
        body = self.InspectionItemChangeInput(data=request.data)
        body.is_valid(raise_exception=True)
        item = checklists.change_inspection_item(
            actor=request.user, scope=request.scope, item=item, **body.validated_data
        )
        return Response(InspectionItemDetailOutput(item).data)


class ProjectInspectionsAPI(APIView):
    class InspectionRecordInput(serializers.Serializer):
        class InspectionResultInput(serializers.Serializer):
            item = serializers.CharField(max_length=30, help_text=_("检查项编码"))
            result = serializers.CharField(max_length=4, help_text=_("pass / fail / na"))

        class InspectionFindingInput(serializers.Serializer):
            item = serializers.CharField(
                max_length=30,
                required=False,
                allow_blank=True,
                help_text=_("不合格的检查项编码；不填为检查表以外的问题"),
            )
            severity = serializers.ChoiceField(choices=Severity.choices)
            description = serializers.CharField(max_length=2000)
            responsible_party = serializers.CharField(
                max_length=16,
                help_text=_("责任单位在本项目的参建角色：construction / supervision / design"),
            )
            deadline_days = serializers.IntegerField(
                min_value=1, max_value=services.MAX_DEADLINE_DAYS, required=False, allow_null=True
            )

        work_type = serializers.SlugRelatedField(slug_field="code", queryset=WorkType.objects.all())
        kind = serializers.CharField(max_length=10, help_text=_("quality / safety"))
        inspected_on = serializers.DateField()
        note = serializers.CharField(max_length=3000, required=False, allow_blank=True)
        results = InspectionResultInput(many=True)
        findings = InspectionFindingInput(many=True, required=False)

    @extend_schema(responses=InspectionOutput(many=True), summary=_("项目的质量安全检查"))
    def get(self, request, pk: int):
        project = get_project(request.scope, pk)
        inspections = (
            selectors.project_inspections(project)
            .select_related("project")
            .prefetch_related(
                "results__item",
                "findings__responsible_party__organisation",
                "findings__item",
                "findings__project",
            )
        )
        return Response(InspectionOutput(inspections, many=True).data)

    @extend_schema(
        request=InspectionRecordInput,
        responses={201: InspectionOutput},
        summary=_("记录检查并下发整改通知（监理单位、区工作专班、市改造办）"),
    )
    def post(self, request, pk: int):
        project = get_project(request.scope, pk)
        body = self.InspectionRecordInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        work_type = data["work_type"]
        items = {item.code: item for item in InspectionItem.objects.filter(work_type=work_type)}
        parties = {party.role: party for party in selectors.project_parties(project)}
        drafts = []
        for row in data.get("findings", []):
            code = row.get("item") or ""
            if code and code not in items:
                message = _("检查项“%(item)s”不属于本次检查的检查表。") % {"item": code}
                raise DomainError(
                    message, code="item_not_in_checklist", fields={"findings": [message]}
                )
            party = parties.get(row["responsible_party"])
            if party is None:
                message = _("责任单位必须是本项目的参建单位。")
                raise DomainError(
                    message, code="party_not_in_project", fields={"responsible_party": [message]}
                )
            drafts.append(
                services.FindingDraft(
                    severity=row["severity"],
                    description=row["description"],
                    responsible_party=party,
                    item=items[code] if code else None,
                    deadline_days=row.get("deadline_days"),
                )
            )
        results = {}
        for row in data["results"]:
            if row["item"] in results:
                message = _("检查项 %(item)s 填写了两次。") % {"item": row["item"]}
                raise DomainError(message, code="duplicate_result", fields={"results": [message]})
            results[row["item"]] = row["result"]
        inspection = services.record_inspection(
            actor=request.user,
            scope=request.scope,
            project=project,
            work_type=work_type,
            kind=data["kind"],
            inspected_on=data["inspected_on"],
            results=results,
            findings=drafts,
            note=data.get("note", ""),
        )
        inspection = selectors.get_inspection(request.scope, inspection.pk)
        return Response(InspectionOutput(inspection).data, status=status.HTTP_201_CREATED)


class InspectionDetailAPI(APIView):
    @extend_schema(responses=InspectionOutput, summary=_("一次质量安全检查"))
    def get(self, request, pk: int):
        return Response(InspectionOutput(selectors.get_inspection(request.scope, pk)).data)


FINDING_FILTERS = [
    OpenApiParameter("status", str, enum=["open", *Finding.Status.values]),
    OpenApiParameter("severity", str, enum=Severity.values),
    OpenApiParameter("party", int, description=_("责任单位（参建单位 id）")),
    OpenApiParameter("overdue", str, enum=["1"]),
]


class ProjectFindingsListAPI(APIView):
    pagination_class = Pagination

    @extend_schema(
        parameters=FINDING_FILTERS,
        responses=InspectionFindingOutput(many=True),
        summary=_("项目的整改通知单"),
    )
    def get(self, request, pk: int):
        project = get_project(request.scope, pk)
        findings = selectors.project_findings(
            project, **selectors.findings_for_filters(request.GET)
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(findings, request, view=self)
        return paginator.get_paginated_response(InspectionFindingOutput(page, many=True).data)


class FindingDetailAPI(APIView):
    @extend_schema(
        responses=InspectionFindingDetailOutput, summary=_("整改通知单，含办理过程和可办理的操作")
    )
    def get(self, request, pk: int):
        return Response(_finding_detail(request, pk))


class InspectionPhotosInput(serializers.Serializer):
    photos = serializers.ListField(child=serializers.FileField(), help_text=_("照片，最多 3 张"))


class FindingPhotosAPI(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": InspectionPhotosInput},
        responses=InspectionFindingDetailOutput,
        summary=_("补充问题照片（回复前，检查人员）"),
    )
    def post(self, request, pk: int):
        finding = selectors.get_finding(request.scope, pk)
        body = InspectionPhotosInput(data=request.data)
        body.is_valid(raise_exception=True)
        services.add_finding_photos(
            actor=request.user,
            scope=request.scope,
            finding=finding,
            photos=body.validated_data["photos"],
        )
        return Response(_finding_detail(request, pk))


class FindingAnswerAPI(APIView):
    parser_classes = [MultiPartParser, FormParser]

    class InspectionAnswerInput(serializers.Serializer):
        note = serializers.CharField(max_length=1000)
        photos = serializers.ListField(
            child=serializers.FileField(), help_text=_("整改后照片，1 至 3 张")
        )

    @extend_schema(
        request={"multipart/form-data": InspectionAnswerInput},
        responses=InspectionFindingDetailOutput,
        summary=_("整改回复（责任单位）"),
    )
    def post(self, request, pk: int):
        finding = selectors.get_finding(request.scope, pk)
        body = self.InspectionAnswerInput(data=request.data)
        body.is_valid(raise_exception=True)
        services.answer_finding(
            actor=request.user,
            scope=request.scope,
            finding=finding,
            note=body.validated_data["note"],
            photos=body.validated_data["photos"],
        )
        return Response(_finding_detail(request, pk))


class FindingCloseAPI(APIView):
    class InspectionCloseInput(serializers.Serializer):
        note = serializers.CharField(max_length=1000, required=False, allow_blank=True)

    @extend_schema(
        request=InspectionCloseInput,
        responses=InspectionFindingDetailOutput,
        summary=_("复查销项（检查人员）"),
    )
    def post(self, request, pk: int):
        finding = selectors.get_finding(request.scope, pk)
        body = self.InspectionCloseInput(data=request.data)
        body.is_valid(raise_exception=True)
        services.close_finding(
            actor=request.user,
            scope=request.scope,
            finding=finding,
            note=body.validated_data.get("note", ""),
        )
        return Response(_finding_detail(request, pk))


class FindingReopenAPI(APIView):
    class InspectionReopenInput(serializers.Serializer):
        reason = serializers.CharField(max_length=1000)

    @extend_schema(
        request=InspectionReopenInput,
        responses=InspectionFindingDetailOutput,
        summary=_("复查未通过，退回重新整改（检查人员）"),
    )
    def post(self, request, pk: int):
        finding = selectors.get_finding(request.scope, pk)
        body = self.InspectionReopenInput(data=request.data)
        body.is_valid(raise_exception=True)
        services.reopen_finding(
            actor=request.user,
            scope=request.scope,
            finding=finding,
            reason=body.validated_data["reason"],
        )
        return Response(_finding_detail(request, pk))


class FindingPhotoAPI(APIView):
    @extend_schema(responses=JPEG, summary=_("问题照片"))
    def get(self, request, pk: int):
        return _photos_response(selectors.get_finding_photo(request.scope, pk))


class EvidencePhotoAPI(APIView):
    @extend_schema(responses=JPEG, summary=_("整改照片"))
    def get(self, request, pk: int):
        return _photos_response(selectors.get_evidence_photo(request.scope, pk))


class OverdueFindingsAPI(APIView):
    pagination_class = Pagination

    @extend_schema(
        parameters=[OpenApiParameter("level", int, enum=[1, 2])],
        responses=InspectionFindingOutput(many=True),
        summary=_("超期督办的整改通知单（区工作专班、市改造办）"),
    )
    def get(self, request):
        from anju.core.errors import PermissionDenied

        from .. import rules

        if not rules.may_see_overdue_findings(request.scope):
            raise PermissionDenied(_("超期督办清单供区工作专班和市改造办使用。"))
        level = request.GET.get("level", "")
        findings = selectors.overdue_findings(
            request.scope, level=int(level) if level in ("1", "2") else None
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(findings, request, view=self)
        return paginator.get_paginated_response(InspectionFindingOutput(page, many=True).data)


class InspectionPartyRecordOutput(serializers.Serializer):
    organisation = serializers.CharField()
    role = serializers.CharField(source="kind", help_text=_("construction / supervision / design"))
    by_severity = serializers.DictField(child=serializers.IntegerField())
    total = serializers.IntegerField()
    open = serializers.IntegerField()
    closed = serializers.IntegerField()
    closed_on_time = serializers.IntegerField()
    overdue_open = serializers.IntegerField()
    on_time_share = serializers.FloatField(allow_null=True)
    mean_days_to_close = serializers.FloatField(allow_null=True)


class PartyRecordsAPI(APIView):
    @extend_schema(
        responses=InspectionPartyRecordOutput(many=True),
        summary=_("参建单位的整改记录：按严重程度的问题数、按时销项率、平均整改用时"),
    )
    def get(self, request):
        return Response(
            InspectionPartyRecordOutput(selectors.party_records(request.scope), many=True).data
        )
