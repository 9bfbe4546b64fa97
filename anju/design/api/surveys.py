"""Survey API: a project's findings (list, record with photos) and one finding (read, correct,
delete).

Scoped like the pages: the project and the finding are fetched through the projects the viewer
may see, so another district's answer 404 like missing ones. Compounds are named by code,
buildings by their number within the compound, checklist items by code. Photos are sent as
multipart `photos` (up to three) and checked, re-encoded and stripped by the service; their
files are served to staff who may see the project at `photo_url`, never as public media.
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from anju.catalogue.models import ChecklistItem
from anju.core.errors import DomainError

from ..models import Severity
from ..selectors import projects as project_selectors
from ..selectors import surveys as selectors
from ..services import surveys as services


class FindingOutput(serializers.Serializer):
    class PhotoOutput(serializers.Serializer):
        id = serializers.IntegerField()
        width = serializers.IntegerField()
        height = serializers.IntegerField()
        photo_url = serializers.SerializerMethodField()

        def get_photo_url(self, photo) -> str:
            return reverse("api-finding-photo", args=[photo.pk])

    id = serializers.IntegerField()
    project = serializers.CharField(source="project.code")
    compound = serializers.CharField(source="compound.code")
    building = serializers.CharField(source="building.number", allow_null=True, default=None)
    item = serializers.CharField(source="checklist_item.code")
    item_name = serializers.CharField(source="checklist_item.name")
    area = serializers.CharField(source="checklist_item.area")
    kind = serializers.ChoiceField(source="checklist_item.kind", choices=ChecklistItem.Kind.choices)
    severity = serializers.ChoiceField(choices=Severity.choices)
    note = serializers.CharField()
    surveyor = serializers.CharField(source="surveyor.get_username", allow_null=True, default=None)
    recorded_at = serializers.DateTimeField()
    photos = PhotoOutput(many=True)


def _building(compound, number: str):
    """The compound's building by number; none named means the whole compound."""
    if not number:
        return None
    building = compound.buildings.filter(number=number).first()
    if building is None:
        raise DomainError(
            _("小区“%(compound)s”没有楼栋“%(building)s”。")
            % {"compound": compound.name, "building": number},
            code="building_not_in_compound",
            fields={"building": [_("不属于该小区")]},
        )
    return building


class ProjectFindingsAPI(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    class FindingInput(serializers.Serializer):
        compound = serializers.CharField(max_length=30, help_text=_("小区编码（本项目的小区）"))
        building = serializers.CharField(
            max_length=30, required=False, allow_blank=True, help_text=_("楼栋号；不填为全小区")
        )
        item = serializers.SlugRelatedField(
            slug_field="code",
            queryset=ChecklistItem.objects.all(),
            help_text=_("检查项编码"),
        )
        severity = serializers.ChoiceField(choices=Severity.choices)
        note = serializers.CharField(max_length=1000, required=False, allow_blank=True)
        photos = serializers.ListField(
            child=serializers.FileField(), required=False, help_text=_("照片，最多 3 张")
        )

    @extend_schema(responses=FindingOutput(many=True), summary=_("项目的摸底调查发现"))
    def get(self, request, pk: int):
        project = project_selectors.get_project(request.scope, pk)
        return Response(FindingOutput(selectors.project_findings(project), many=True).data)

    @extend_schema(
        request={"multipart/form-data": FindingInput, "application/json": FindingInput},
        responses={201: FindingOutput},
        summary=_("记录调查发现（受托设计单位或小区所在区、街道、社区）"),
    )
    def post(self, request, pk: int):
        project = project_selectors.get_project(request.scope, pk)
        body = self.FindingInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        compound = project.compounds.filter(code=data["compound"]).first()
        if compound is None:
            raise DomainError(
                _("该小区不属于本项目。"),
                code="compound_not_in_project",
                fields={"compound": [_("无效")]},
            )
        finding = services.record_finding(
            actor=request.user,
            scope=request.scope,
            project=project,
            compound=compound,
            building=_building(compound, data.get("building", "").strip()),
            checklist_item=data["item"],
            severity=data["severity"],
            note=data.get("note", ""),
            photos=data.get("photos", []),
        )
        finding = selectors.get_finding(request.scope, finding.pk)
        return Response(FindingOutput(finding).data, status=status.HTTP_201_CREATED)


class FindingDetailAPI(APIView):
    class CorrectInput(serializers.Serializer):
        """What is sent changes; what is left out stays as it was."""

        severity = serializers.ChoiceField(choices=Severity.choices, required=False)
        building = serializers.CharField(
            max_length=30, required=False, allow_blank=True, help_text=_("楼栋号；不填为全小区")
        )
        note = serializers.CharField(max_length=1000, required=False, allow_blank=True)

    @extend_schema(responses=FindingOutput, summary=_("一条调查发现"))
    def get(self, request, pk: int):
        return Response(FindingOutput(selectors.get_finding(request.scope, pk)).data)

    @extend_schema(
        request=CorrectInput,
        responses=FindingOutput,
        summary=_("更正调查发现（方案公示前）"),
    )
    def patch(self, request, pk: int):
        finding = selectors.get_finding(request.scope, pk)
        body = self.CorrectInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if "building" in data:
            building = _building(finding.compound, data["building"].strip())
        else:
            building = finding.building
        services.correct_finding(
            actor=request.user,
            scope=request.scope,
            finding=finding,
            severity=data.get("severity", finding.severity),
            note=data.get("note", finding.note),
            building=building,
        )
        return Response(FindingOutput(selectors.get_finding(request.scope, pk)).data)

    @extend_schema(responses={204: None}, summary=_("删除调查发现（方案公示前）"))
    def delete(self, request, pk: int):
        finding = selectors.get_finding(request.scope, pk)
        services.delete_finding(actor=request.user, scope=request.scope, finding=finding)
        return Response(status=status.HTTP_204_NO_CONTENT)


class FindingPhotoAPI(APIView):
    @extend_schema(
        responses={
            (200, "image/jpeg"): OpenApiResponse(
                OpenApiTypes.BINARY, description=_("去除元数据后的 JPEG")
            )
        },
        summary=_("调查照片"),
    )
    def get(self, request, pk: int):
        photo = selectors.get_finding_photo(request.scope, pk)
        response = FileResponse(
            default_storage.open(photo.image.name, "rb"), content_type="image/jpeg"
        )
        response["Cache-Control"] = "private, max-age=3600"
        return response
