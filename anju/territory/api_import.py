"""Registry import over the API: one multipart POST, imported synchronously.

For files up to `API_MAX_ROWS` rows; larger files go through the upload page (a background job
with progress). A rejected file answers 400 with every problem:
{"code": "import_rejected", "message", "fields": {}, "problems": [{sheet, row, column, …}]}.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from anju.core.api import ErrorOutput
from anju.core.importing import ImportParams

from .importers import RegistryImporter

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
