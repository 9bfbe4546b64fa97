"""Construction notice API: a project's notice (read it, publish or republish it), its A3 board
as a PDF, the complaints filed through it, and the public notice anyone may read.

Staff operations fetch the project through the projects the viewer may see, so another
district's answers 404 like a missing one. The public read answers only for a published
notice and carries what the board shows (no contract sums), the complaints without any
personal data and, once drawn, the satisfaction sample as docs/sampling.md publishes it (seed,
figures, household labels; never a sign-in code, a name or an answer).
"""

from __future__ import annotations

import json

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from anju.core.api import Pagination

from ..selectors import notices as selectors
from ..selectors import sampling as sampling_selectors
from ..selectors.projects import get_project
from ..services import notices as services
from ..views.notices import board_response, public_url
from .sampling import ConstructionPublicSamplingOutput


class ConstructionNoticePartyOutput(serializers.Serializer):
    role = serializers.CharField()
    role_label = serializers.CharField()
    organisation = serializers.CharField()
    responsible_person = serializers.CharField()
    responsible_phone = serializers.CharField(help_text=_("施工公示牌上公开的负责人电话"))


class ConstructionNoticeMilestoneOutput(serializers.Serializer):
    name = serializers.CharField()
    planned_on = serializers.DateField()
    reached_on = serializers.DateField(allow_null=True)


class ConstructionNoticeOutput(serializers.Serializer):
    project = serializers.CharField(source="project.code")
    project_name = serializers.CharField(source="project.name")
    stage = serializers.CharField(source="project.stage")
    compounds = serializers.SerializerMethodField()
    scope_summary = serializers.CharField(source="notice.scope_summary")
    working_hours = serializers.CharField(source="notice.working_hours")
    complaint_phone = serializers.CharField(source="notice.complaint_phone")
    safety_note = serializers.CharField(source="notice.safety_note")
    published_at = serializers.DateTimeField(source="notice.published_at")
    starts_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)
    parties = ConstructionNoticePartyOutput(many=True)
    milestones = ConstructionNoticeMilestoneOutput(many=True)
    actual_percent = serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True, help_text=_("监理确认的实际进度，百分数")
    )
    progress_week = serializers.DateField(allow_null=True, help_text=_("实际进度所在周的周日"))
    public_url = serializers.SerializerMethodField(help_text=_("公开的施工公示页面"))

    def get_compounds(self, content) -> list[str]:
        return [compound.name for compound in content.compounds]

    def get_public_url(self, content) -> str:
        return public_url(self.context["request"], content.project)


class ConstructionPublicComplaintOutput(serializers.Serializer):
    number = serializers.CharField()
    category = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    submitted_on = serializers.DateField()
    due_on = serializers.DateField()
    resolved_on = serializers.DateField(allow_null=True)
    is_overdue = serializers.BooleanField()


class ConstructionPublicNoticeOutput(ConstructionNoticeOutput):
    complaints = serializers.SerializerMethodField(
        help_text=_("通过本公示提交的投诉：编号、类别、状态与日期，不含住户信息")
    )
    sampling = serializers.SerializerMethodField(
        help_text=_(
            "满意度随机测评样本：随机种子、算式、各楼栋户数与抽中住户的公开标识；抽取前为 null"
        )
    )

    @extend_schema_field(ConstructionPublicComplaintOutput(many=True))
    def get_complaints(self, content) -> list[dict]:
        rows = selectors.public_complaints(content.project)
        return ConstructionPublicComplaintOutput(rows, many=True).data

    @extend_schema_field(ConstructionPublicSamplingOutput(allow_null=True))
    def get_sampling(self, content) -> dict | None:
        draw = sampling_selectors.public_draw(content.project)
        return None if draw is None else ConstructionPublicSamplingOutput(draw).data


class ConstructionComplaintOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    compound = serializers.CharField(source="compound.code")
    category = serializers.CharField(source="category.code")
    status = serializers.CharField()
    handler = serializers.CharField(source="handler_organisation.name", default="")
    submitted_at = serializers.DateTimeField()
    due_on = serializers.DateField()
    escalation = serializers.IntegerField()


def _content(project, notice):
    return selectors.notice_content(project, notice)


class NoticeAPI(APIView):
    class ConstructionNoticeInput(serializers.Serializer):
        scope_summary = serializers.CharField(max_length=2000, help_text=_("施工内容，每行一项"))
        working_hours = serializers.CharField(max_length=100, required=False, allow_blank=True)
        complaint_phone = serializers.CharField(max_length=40)
        safety_note = serializers.CharField(max_length=300, required=False, allow_blank=True)

    @extend_schema(responses=ConstructionNoticeOutput, summary=_("项目的施工公示"))
    def get(self, request, pk: int):
        notice = selectors.get_notice(request.scope, pk)
        output = ConstructionNoticeOutput(
            _content(notice.project, notice), context={"request": request}
        )
        return Response(output.data)

    @extend_schema(
        request=ConstructionNoticeInput,
        responses={200: ConstructionNoticeOutput},
        summary=_("发布或更新施工公示（区工作专班、市改造办）"),
    )
    def put(self, request, pk: int):
        project = get_project(request.scope, pk)
        body = self.ConstructionNoticeInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        notice = services.publish_notice(
            actor=request.user,
            scope=request.scope,
            project=project,
            scope_summary=data["scope_summary"],
            working_hours=data.get("working_hours", ""),
            complaint_phone=data["complaint_phone"],
            safety_note=data.get("safety_note", ""),
        )
        output = ConstructionNoticeOutput(_content(project, notice), context={"request": request})
        return Response(output.data, status=status.HTTP_200_OK)


class PDFRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data, ensure_ascii=False).encode()


class NoticeBoardAPI(APIView):
    renderer_classes = [JSONRenderer, PDFRenderer]

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)},
        summary=_("A3 施工公示牌（PDF，含二维码）"),
    )
    def get(self, request, pk: int):
        notice = selectors.get_notice(request.scope, pk)
        return board_response(request, notice.project, notice)


class NoticeComplaintsAPI(APIView):
    pagination_class = Pagination  # documented by the schema, used by the handler

    @extend_schema(
        responses=ConstructionComplaintOutput(many=True),
        summary=_("通过施工公示提交的投诉（不含住户信息）"),
    )
    def get(self, request, pk: int):
        project = get_project(request.scope, pk)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.complaints_of(project), request, view=self)
        return paginator.get_paginated_response(ConstructionComplaintOutput(page, many=True).data)


class PublicNoticeAPI(APIView):
    """Anyone reads a published notice: it is posted on site."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        responses=ConstructionPublicNoticeOutput, summary=_("公开的施工公示（无需登录）")
    )
    def get(self, request, pk: int):
        project = selectors.get_public_project(pk)
        content = _content(project, project.construction_notice)
        output = ConstructionPublicNoticeOutput(content, context={"request": request})
        return Response(output.data)
