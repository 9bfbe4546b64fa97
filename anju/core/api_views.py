"""Task progress over the API, for organisations' systems that start imports."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors


class TaskProgressAPI(APIView):
    class TaskProgressOutput(serializers.Serializer):
        id = serializers.UUIDField()
        label = serializers.CharField()
        state = serializers.CharField()
        stage = serializers.CharField()
        percent = serializers.IntegerField()
        message = serializers.CharField()
        result = serializers.JSONField(allow_null=True)
        error = serializers.CharField()
        attempts = serializers.IntegerField()

    @extend_schema(responses=TaskProgressOutput, summary=_("后台任务进度"))
    def get(self, request, pk):
        progress = selectors.get_task_progress(request.scope, request.user, pk)
        return Response(self.TaskProgressOutput(progress).data)
