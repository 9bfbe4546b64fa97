"""Joint review API: submit a noticed version, read a review, a department's decision, the
departments' reviewers and the permit steps.

Scoped like the pages: every record is reached through the viewer's projects, so another
district's version, review or project answers 404 like a missing one. Anyone who sees the
project reads its review (a designer too); only the department's assigned reviewer decides
(403 otherwise), and only the project's district submits, assigns and records permits.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import PermitStep, Review, ReviewDecision
from ..selectors import reviews as selectors
from ..selectors.plans import get_plan_version
from ..selectors.projects import get_project
from ..services import reviews as services


class DecisionOutput(serializers.Serializer):
    department = serializers.CharField(source="department.code")
    department_name = serializers.CharField(source="department.name")
    decision = serializers.ChoiceField(choices=ReviewDecision.Decision.choices)
    decision_label = serializers.CharField(source="get_decision_display")
    comments = serializers.CharField()
    reviewer = serializers.SerializerMethodField(help_text=_("指派的审查人用户名"))
    decided_at = serializers.DateTimeField(allow_null=True)

    def get_reviewer(self, decision) -> str | None:
        reviewer = getattr(decision, "reviewer", None)
        return reviewer.get_username() if reviewer else None


class PermitStepOutput(serializers.Serializer):
    procedure = serializers.ChoiceField(choices=PermitStep.Procedure.choices)
    procedure_label = serializers.CharField(source="get_procedure_display")
    is_required = serializers.BooleanField()
    exemption = serializers.CharField(help_text=_("免办依据"))
    document_number = serializers.CharField()
    done_on = serializers.DateField(allow_null=True)
    is_done = serializers.BooleanField()


class ReviewOutput(serializers.Serializer):
    id = serializers.IntegerField()
    project = serializers.IntegerField(source="version.project_id")
    project_code = serializers.CharField(source="version.project.code")
    version = serializers.IntegerField(source="version_id")
    version_number = serializers.IntegerField(source="version.number")
    status = serializers.ChoiceField(choices=Review.Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    opened_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    decisions = DecisionOutput(many=True, source="decisions_seen")
    permits = PermitStepOutput(many=True, source="permits_seen")
    blockers = serializers.ListField(
        child=serializers.CharField(), source="blockers_seen", help_text=_("尚待完成的事项")
    )


def review_output(review: Review) -> dict:
    review.decisions_seen = selectors.decisions_with_reviewers(review)
    review.permits_seen = list(selectors.permit_steps(review.version.project))
    review.blockers_seen = (
        services.approval_blockers(review) if review.status == Review.Status.OPEN else []
    )
    return ReviewOutput(review).data


class PlanVersionReviewAPI(APIView):
    @extend_schema(
        request=None,
        responses={201: ReviewOutput},
        summary=_("提交联合审查（公示期满且异议均已答复的方案，区工作专班）"),
    )
    def post(self, request, pk: int):
        version = get_plan_version(request.scope, pk)
        review = services.submit_for_review(
            actor=request.user, scope=request.scope, version=version
        )
        return Response(review_output(review), status=status.HTTP_201_CREATED)


class ReviewDetailAPI(APIView):
    @extend_schema(responses=ReviewOutput, summary=_("联合审查详情：各部门意见与审批手续"))
    def get(self, request, pk: int):
        return Response(review_output(selectors.get_review(request.scope, pk)))


class ReviewDecisionAPI(APIView):
    class DecisionInput(serializers.Serializer):
        decision = serializers.ChoiceField(
            choices=[
                (ReviewDecision.Decision.APPROVED, _("同意")),
                (ReviewDecision.Decision.RETURNED, _("退回修改")),
            ]
        )
        comments = serializers.CharField(
            max_length=3000, required=False, allow_blank=True, help_text=_("退回修改时必填")
        )

    @extend_schema(
        request=DecisionInput,
        responses=ReviewOutput,
        summary=_("部门审查意见：同意或退回修改（该部门指派的审查人）"),
    )
    def post(self, request, pk: int, department: str):
        review = selectors.get_review(request.scope, pk)
        body = self.DecisionInput(data=request.data)
        body.is_valid(raise_exception=True)
        services.decide_review(
            actor=request.user,
            scope=request.scope,
            review=review,
            department_code=department,
            decision=body.validated_data["decision"],
            comments=body.validated_data.get("comments", ""),
        )
        return Response(review_output(selectors.get_review(request.scope, pk)))


class ReviewerAssignmentOutput(serializers.Serializer):
    department = serializers.CharField(source="department.code")
    department_name = serializers.CharField(source="department.name")
    reviewer = serializers.CharField(source="reviewer.username")


class ProjectReviewersAPI(APIView):
    class ReviewerInput(serializers.Serializer):
        department = serializers.CharField(max_length=20, help_text=_("审查部门编码"))
        reviewer = serializers.CharField(max_length=150, help_text=_("审查人用户名"))

    @extend_schema(responses=ReviewerAssignmentOutput(many=True), summary=_("项目的各部门审查人"))
    def get(self, request, pk: int):
        project = get_project(request.scope, pk)
        assignments = selectors.reviewer_assignments(project)
        return Response(ReviewerAssignmentOutput(assignments, many=True).data)

    @extend_schema(
        request=ReviewerInput,
        responses=ReviewerAssignmentOutput,
        summary=_("指派部门审查人（须为方案涉及的部门和本辖区的部门审查人）"),
    )
    def post(self, request, pk: int):
        project = get_project(request.scope, pk)
        body = self.ReviewerInput(data=request.data)
        body.is_valid(raise_exception=True)
        assignment = services.assign_reviewer(
            actor=request.user,
            scope=request.scope,
            project=project,
            department_code=body.validated_data["department"],
            reviewer_username=body.validated_data["reviewer"],
        )
        return Response(ReviewerAssignmentOutput(assignment).data)


class ProjectPermitAPI(APIView):
    class PermitInput(serializers.Serializer):
        document_number = serializers.CharField(max_length=80)
        done_on = serializers.DateField()

    @extend_schema(
        request=PermitInput,
        responses=PermitStepOutput,
        summary=_("登记审批手续（立项、建设工程规划许可、施工许可）的文号和办结日期"),
    )
    def post(self, request, pk: int, procedure: str):
        project = get_project(request.scope, pk)
        body = self.PermitInput(data=request.data)
        body.is_valid(raise_exception=True)
        step = services.record_permit_step(
            actor=request.user,
            scope=request.scope,
            project=project,
            procedure=procedure,
            document_number=body.validated_data["document_number"],
            done_on=body.validated_data["done_on"],
        )
        return Response(PermitStepOutput(step).data)
