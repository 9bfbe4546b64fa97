"""Construction API: a project's schedule (milestones, tasks), the start of building, weekly
progress reports (submit by the construction unit; confirm or dispute by the supervision
unit) and the S-curve. Bad input answers 4xx with {"code","message","fields"} and writes
nothing (a percent over 100, dates outside the project's start and the contract's end).
A progress report is JSON, or multipart/form-data when it carries photos: then `lines` is
the same array as JSON text and `photos` the files (checked and re-encoded like the page's).
A PUT on a milestone or task takes the whole entry, as its POST does (a field left out is
cleared: `reached_on`, `milestone`); the entry keeps its place in the schedule."""

from __future__ import annotations

import json
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from anju.core.errors import DomainError

from .. import services
from ..models import ProgressReport
from ..selectors import projects as selectors
from ..selectors import schedule as schedule_selectors


class DeliveryMilestoneOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    planned_on = serializers.DateField()
    reached_on = serializers.DateField(allow_null=True)


class DeliveryTaskOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    milestone = serializers.IntegerField(source="milestone_id", allow_null=True)
    planned_start = serializers.DateField()
    planned_end = serializers.DateField()
    weight = serializers.DecimalField(max_digits=6, decimal_places=2)


class DeliveryScheduleOutput(serializers.Serializer):
    milestones = DeliveryMilestoneOutput(many=True)
    tasks = DeliveryTaskOutput(many=True)


class DeliveryTaskInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    planned_start = serializers.DateField()
    planned_end = serializers.DateField()
    weight = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=Decimal("0.01"))
    milestone = serializers.IntegerField(required=False, allow_null=True)


class DeliveryMilestoneInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    planned_on = serializers.DateField()
    reached_on = serializers.DateField(required=False, allow_null=True)


class DeliveryProgressLineOutput(serializers.Serializer):
    task = serializers.IntegerField(source="task_id")
    task_name = serializers.CharField(source="task.name")
    percent = serializers.DecimalField(max_digits=5, decimal_places=1)


class DeliveryProgressReportOutput(serializers.Serializer):
    id = serializers.IntegerField()
    week_ending = serializers.DateField()
    status = serializers.ChoiceField(choices=ProgressReport.Status.choices)
    note = serializers.CharField()
    review_note = serializers.CharField()
    lines = DeliveryProgressLineOutput(many=True)
    photos = serializers.IntegerField(source="photos.count")


class DeliveryProgressLineInput(serializers.Serializer):
    task = serializers.IntegerField()
    percent = serializers.DecimalField(max_digits=8, decimal_places=1)


class DeliveryProgressInput(serializers.Serializer):
    week_ending = serializers.DateField(required=False, help_text=_("该周任一天，默认本周"))
    note = serializers.CharField(required=False, allow_blank=True, max_length=3000)
    lines = DeliveryProgressLineInput(many=True)
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text=_("现场照片（multipart/form-data 时），最多 3 张"),
    )

    def validate_lines(self, lines):
        tasks = [line["task"] for line in lines]
        if len(tasks) != len(set(tasks)):
            raise serializers.ValidationError(_("每项任务只能填报一次。"))
        return lines


class DeliveryStageOutput(serializers.Serializer):
    stage = serializers.CharField()


class DeliveryDisputeInput(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class DeliveryCurvePointOutput(serializers.Serializer):
    week_ending = serializers.DateField()
    planned = serializers.DecimalField(max_digits=4, decimal_places=1)
    actual = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)


class DeliveryCurveOutput(serializers.Serializer):
    planned_now = serializers.DecimalField(max_digits=4, decimal_places=1)
    actual = serializers.DecimalField(max_digits=4, decimal_places=1)
    actual_week = serializers.DateField(allow_null=True)
    is_behind = serializers.BooleanField()
    points = DeliveryCurvePointOutput(many=True)


def _milestone_of(project, milestone_id):
    """The task's milestone named in the body (one of this project's), or None."""
    if milestone_id is None:
        return None
    milestone = schedule_selectors.milestones_of(project).filter(pk=milestone_id).first()
    if milestone is None:
        raise DomainError(_("找不到该进度节点。"), fields={"milestone": [_("不属于本项目")]})
    return milestone


def _schedule(project) -> dict:
    return {
        "milestones": schedule_selectors.milestones_of(project),
        "tasks": schedule_selectors.tasks_of(project),
    }


class DeliveryScheduleAPI(APIView):
    @extend_schema(responses=DeliveryScheduleOutput, summary=_("项目的进度计划"))
    def get(self, request, pk: int):
        project = selectors.get_project(request.scope, pk)
        return Response(DeliveryScheduleOutput(_schedule(project)).data)


class DeliveryTasksAPI(APIView):
    @extend_schema(
        request=DeliveryTaskInput,
        responses={201: DeliveryTaskOutput},
        summary=_("添加施工任务（项目所在区或施工单位）"),
    )
    def post(self, request, pk: int):
        project = selectors.get_project(request.scope, pk)
        body = DeliveryTaskInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        milestone = _milestone_of(project, data.pop("milestone", None))
        task = services.save_task(
            actor=request.user, scope=request.scope, project=project, milestone=milestone, **data
        )
        return Response(DeliveryTaskOutput(task).data, status=status.HTTP_201_CREATED)


class DeliveryTaskAPI(APIView):
    @extend_schema(responses=DeliveryTaskOutput, summary=_("一项施工任务"))
    def get(self, request, pk: int, task_id: int):
        return Response(
            DeliveryTaskOutput(schedule_selectors.get_task(request.scope, pk, task_id)).data
        )

    @extend_schema(
        request=DeliveryTaskInput,
        responses=DeliveryTaskOutput,
        summary=_("修改施工任务：名称、所属节点、计划日期和权重"),
    )
    def put(self, request, pk: int, task_id: int):
        task = schedule_selectors.get_task(request.scope, pk, task_id)
        body = DeliveryTaskInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        milestone = _milestone_of(task.project, data.pop("milestone", None))
        task = services.save_task(
            actor=request.user,
            scope=request.scope,
            project=task.project,
            task=task,
            position=task.position,
            milestone=milestone,
            **data,
        )
        return Response(DeliveryTaskOutput(task).data)

    @extend_schema(responses={204: None}, summary=_("删除施工任务（尚无进度填报时）"))
    def delete(self, request, pk: int, task_id: int):
        task = schedule_selectors.get_task(request.scope, pk, task_id)
        services.remove_task(actor=request.user, scope=request.scope, task=task)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeliveryMilestoneAPI(APIView):
    @extend_schema(responses=DeliveryMilestoneOutput, summary=_("一个进度节点"))
    def get(self, request, pk: int, milestone_id: int):
        milestone = schedule_selectors.get_milestone(request.scope, pk, milestone_id)
        return Response(DeliveryMilestoneOutput(milestone).data)

    @extend_schema(
        request=DeliveryMilestoneInput,
        responses=DeliveryMilestoneOutput,
        summary=_("修改进度节点：名称、计划日期和实际完成日期"),
    )
    def put(self, request, pk: int, milestone_id: int):
        milestone = schedule_selectors.get_milestone(request.scope, pk, milestone_id)
        body = DeliveryMilestoneInput(data=request.data)
        body.is_valid(raise_exception=True)
        milestone = services.save_milestone(
            actor=request.user,
            scope=request.scope,
            project=milestone.project,
            milestone=milestone,
            position=milestone.position,
            **body.validated_data,
        )
        return Response(DeliveryMilestoneOutput(milestone).data)

    @extend_schema(responses={204: None}, summary=_("删除进度节点（其任务保留）"))
    def delete(self, request, pk: int, milestone_id: int):
        milestone = schedule_selectors.get_milestone(request.scope, pk, milestone_id)
        services.remove_milestone(actor=request.user, scope=request.scope, milestone=milestone)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeliveryMilestonesAPI(APIView):
    @extend_schema(
        request=DeliveryMilestoneInput,
        responses={201: DeliveryMilestoneOutput},
        summary=_("添加进度节点（项目所在区或施工单位）"),
    )
    def post(self, request, pk: int):
        project = selectors.get_project(request.scope, pk)
        body = DeliveryMilestoneInput(data=request.data)
        body.is_valid(raise_exception=True)
        milestone = services.save_milestone(
            actor=request.user, scope=request.scope, project=project, **body.validated_data
        )
        return Response(DeliveryMilestoneOutput(milestone).data, status=status.HTTP_201_CREATED)


class DeliveryStartAPI(APIView):
    @extend_schema(
        request=None, responses=DeliveryStageOutput, summary=_("宣布开工（联合审查 → 施工）")
    )
    def post(self, request, pk: int):
        project = selectors.get_project(request.scope, pk)
        project = services.start_construction(
            actor=request.user, scope=request.scope, project=project
        )
        return Response({"stage": project.stage})


def _progress_data(request):
    """The report's fields from a JSON body, or from a multipart one whose `lines` is JSON
    text and whose `photos` are files."""
    data = request.data
    if not hasattr(data, "getlist") or "lines" not in data or not isinstance(data["lines"], str):
        return data
    try:
        lines = json.loads(data["lines"])
    except ValueError:
        raise DomainError(
            _('lines 须为 JSON 数组，例如 [{"task": 1, "percent": 40}]。'),
            fields={"lines": [_("须为 JSON 数组")]},
        ) from None
    fields = {key: data[key] for key in ("week_ending", "note") if key in data}
    return {**fields, "lines": lines, "photos": data.getlist("photos")}


class DeliveryProgressReportsAPI(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(responses=DeliveryProgressReportOutput(many=True), summary=_("项目的进度周报"))
    def get(self, request, pk: int):
        project = selectors.get_project(request.scope, pk)
        return Response(
            DeliveryProgressReportOutput(schedule_selectors.reports_of(project), many=True).data
        )

    @extend_schema(
        request={
            "application/json": DeliveryProgressInput,
            "multipart/form-data": DeliveryProgressInput,
        },
        responses={201: DeliveryProgressReportOutput},
        summary=_("提交进度周报（施工单位）"),
    )
    def post(self, request, pk: int):
        project = selectors.get_project(request.scope, pk)
        body = DeliveryProgressInput(data=_progress_data(request))
        body.is_valid(raise_exception=True)
        report = services.submit_progress(
            actor=request.user,
            scope=request.scope,
            project=project,
            percents={line["task"]: line["percent"] for line in body.validated_data["lines"]},
            note=body.validated_data.get("note", ""),
            photos=body.validated_data.get("photos", []),
            week_ending=body.validated_data.get("week_ending"),
        )
        report = schedule_selectors.reports_of(project).get(pk=report.pk)
        return Response(DeliveryProgressReportOutput(report).data, status=status.HTTP_201_CREATED)


class DeliveryProgressConfirmAPI(APIView):
    @extend_schema(
        request=None,
        responses=DeliveryProgressReportOutput,
        summary=_("确认进度周报（监理单位）"),
    )
    def post(self, request, pk: int, report_id: int):
        report = schedule_selectors.get_report(request.scope, pk, report_id)
        services.confirm_progress(actor=request.user, scope=request.scope, report=report)
        report = schedule_selectors.reports_of(report.project).get(pk=report.pk)
        return Response(DeliveryProgressReportOutput(report).data)


class DeliveryProgressDisputeAPI(APIView):
    @extend_schema(
        request=DeliveryDisputeInput,
        responses=DeliveryProgressReportOutput,
        summary=_("对进度周报提出异议（监理单位）"),
    )
    def post(self, request, pk: int, report_id: int):
        report = schedule_selectors.get_report(request.scope, pk, report_id)
        body = DeliveryDisputeInput(data=request.data)
        body.is_valid(raise_exception=True)
        services.dispute_progress(
            actor=request.user,
            scope=request.scope,
            report=report,
            reason=body.validated_data["reason"],
        )
        report = schedule_selectors.reports_of(report.project).get(pk=report.pk)
        return Response(DeliveryProgressReportOutput(report).data)


class DeliveryCurveAPI(APIView):
    @extend_schema(responses=DeliveryCurveOutput, summary=_("计划与实际进度 S 曲线（按周）"))
    def get(self, request, pk: int):
        project = selectors.get_project(request.scope, pk)
        progress = schedule_selectors.progress_of(project)
        return Response(
            DeliveryCurveOutput(
                {
                    "planned_now": progress.planned_now,
                    "actual": progress.actual,
                    "actual_week": progress.actual_week,
                    "is_behind": project.stage == "building" and progress.is_behind,
                    "points": progress.points,
                }
            ).data
        )
