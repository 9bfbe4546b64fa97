"""Joint governance API: a compound's meetings with their follow-up tasks (list, record),
marking a task done, and the overdue tasks of the viewer's territory.

Scoped like the pages: another district's compound, meeting or task answers 404 like a missing
one; only the compound's keepers write (403 otherwise). Bad input (no body present, a task due
before the meeting, a meeting in the future, a task already done) answers 400/409 with
`{code, message, fields}` and writes nothing.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from anju.core.api import Pagination
from anju.territory.selectors import get_compound

from ..models import Body
from ..selectors import governance as selectors
from ..services import governance as services


class StewardshipTaskOutput(serializers.Serializer):
    id = serializers.IntegerField()
    meeting = serializers.IntegerField(source="meeting_id")
    title = serializers.CharField()
    owner = serializers.CharField()
    owner_body = serializers.ChoiceField(choices=Body.choices)
    due_on = serializers.DateField()
    done_on = serializers.DateField(allow_null=True)
    done_note = serializers.CharField()


class StewardshipMeetingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    compound = serializers.CharField(source="compound.code")
    held_on = serializers.DateField()
    subject = serializers.CharField()
    bodies = serializers.ListField(child=serializers.ChoiceField(choices=Body.choices))
    attendees = serializers.CharField()
    decisions = serializers.CharField()
    tasks = StewardshipTaskOutput(many=True, source="tasks.all")


class StewardshipOverdueTaskOutput(StewardshipTaskOutput):
    compound = serializers.CharField(source="meeting.compound.code")
    compound_name = serializers.CharField(source="meeting.compound.name")


class MeetingsAPI(APIView):
    pagination_class = Pagination  # documented by the schema, used by the handler

    class StewardshipMeetingInput(serializers.Serializer):
        class StewardshipTaskInput(serializers.Serializer):
            title = serializers.CharField(max_length=200)
            owner = serializers.CharField(max_length=100)
            owner_body = serializers.ChoiceField(choices=Body.choices)
            due_on = serializers.DateField()

        held_on = serializers.DateField()
        subject = serializers.CharField(max_length=200)
        bodies = serializers.ListField(
            child=serializers.ChoiceField(choices=Body.choices), allow_empty=False
        )
        attendees = serializers.CharField(max_length=2000)
        decisions = serializers.CharField(max_length=5000)
        tasks = StewardshipTaskInput(many=True, required=False, max_length=50)

    @extend_schema(
        parameters=[OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
        responses=StewardshipMeetingOutput(many=True),
        summary=gettext_lazy("小区的联席会议及会议任务"),
    )
    def get(self, request, code: str):
        compound = get_compound(request.scope, code)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.meetings_of(compound), request, view=self)
        return paginator.get_paginated_response(StewardshipMeetingOutput(page, many=True).data)

    @extend_schema(
        request=StewardshipMeetingInput,
        responses={201: StewardshipMeetingOutput},
        summary=gettext_lazy("记录联席会议及会议任务（小区所在的区、街道、社区）"),
    )
    def post(self, request, code: str):
        compound = get_compound(request.scope, code)
        body = self.StewardshipMeetingInput(data=request.data)
        body.is_valid(raise_exception=True)
        meeting = services.record_meeting(
            actor=request.user, scope=request.scope, compound=compound, **body.validated_data
        )
        return Response(StewardshipMeetingOutput(meeting).data, status=status.HTTP_201_CREATED)


class TaskDoneAPI(APIView):
    class StewardshipTaskDoneInput(serializers.Serializer):
        done_on = serializers.DateField()
        note = serializers.CharField(max_length=300, required=False, allow_blank=True)

    @extend_schema(
        request=StewardshipTaskDoneInput,
        responses=StewardshipTaskOutput,
        summary=gettext_lazy("标记会议任务完成"),
    )
    def post(self, request, pk: int):
        task = selectors.get_task(request.scope, pk)
        body = self.StewardshipTaskDoneInput(data=request.data)
        body.is_valid(raise_exception=True)
        task = services.complete_follow_up_task(
            actor=request.user,
            scope=request.scope,
            task=task,
            done_on=body.validated_data["done_on"],
            note=body.validated_data.get("note", ""),
        )
        return Response(StewardshipTaskOutput(task).data)


class OverdueTasksAPI(APIView):
    pagination_class = Pagination  # documented by the schema, used by the handler

    @extend_schema(
        parameters=[OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
        responses=StewardshipOverdueTaskOutput(many=True),
        summary=gettext_lazy("本辖区逾期的会议任务"),
    )
    def get(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            selectors.overdue_tasks(request.scope), request, view=self
        )
        return paginator.get_paginated_response(StewardshipOverdueTaskOutput(page, many=True).data)
