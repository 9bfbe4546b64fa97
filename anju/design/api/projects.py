"""Projects API: the viewer's projects, one project's detail, and its designers and planners.

Scoped like the pages (`selectors.projects`): a designer sees the projects of the compounds
assigned to their firm, a district its own; another district's project answers 404 like a
missing one. Assigning answers 403 to anyone but the project's district or the city office,
with the service's reason. Compounds and districts are named by their codes.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from anju.core.api import Pagination
from anju.core.errors import DomainError
from anju.territory.models import Stage

from ..models import ProjectAssignment
from ..selectors import projects as selectors
from ..services import projects as services


class CompoundCodeField(serializers.ListField):
    child = serializers.CharField()

    def to_representation(self, data):
        return [compound.code for compound in data.all()]


class ProjectRowOutput(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    year = serializers.IntegerField(source="annual_plan.year")
    district = serializers.CharField(source="district.code")
    district_name = serializers.CharField(source="district.name")
    stage = serializers.ChoiceField(choices=Stage.choices)
    stage_label = serializers.CharField(source="get_stage_display")
    estimated_cost = serializers.DecimalField(
        max_digits=16, decimal_places=2, help_text=_("元（估算投资）")
    )
    compounds = CompoundCodeField(help_text=_("小区编码"))


class ProjectAssignmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    organisation = serializers.IntegerField(source="organisation_id")
    organisation_name = serializers.CharField(source="organisation.name")
    role = serializers.ChoiceField(choices=ProjectAssignment.Role.choices)
    assigned_at = serializers.DateTimeField()


class ProjectListAPI(APIView):
    pagination_class = Pagination  # documented by the schema, used by the handler

    @extend_schema(
        parameters=[
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
            OpenApiParameter("year", int),
            OpenApiParameter("district", str, description=_("区编码")),
            OpenApiParameter("stage", str, enum=Stage.values),
        ],
        responses=ProjectRowOutput(many=True),
        summary=_("项目列表（本辖区或受托的项目）"),
    )
    def get(self, request):
        year = request.query_params.get("year", "")
        stage = request.query_params.get("stage", "")
        projects = selectors.project_list(
            request.scope,
            year=int(year) if year.isdigit() and len(year) == 4 else None,
            district=request.query_params.get("district", "").strip()[:20],
            stage=stage if stage in Stage.values else "",
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(projects, request, view=self)
        return paginator.get_paginated_response(ProjectRowOutput(page, many=True).data)


class ProjectDetailAPI(APIView):
    class ProjectDetailOutput(ProjectRowOutput):
        class ProjectCompoundOutput(serializers.Serializer):
            code = serializers.CharField()
            name = serializers.CharField()
            stage = serializers.ChoiceField(choices=Stage.choices)

        class ProjectPlanVersionOutput(serializers.Serializer):
            id = serializers.IntegerField()
            number = serializers.IntegerField()
            status = serializers.CharField()

        compounds = ProjectCompoundOutput(many=True, source="visible_compounds")
        starts_on = serializers.DateField(allow_null=True)
        ends_on = serializers.DateField(allow_null=True)
        is_carry_over = serializers.BooleanField()
        assignments = ProjectAssignmentOutput(many=True, source="assignment_rows")
        plan_versions = ProjectPlanVersionOutput(many=True, source="plan_version_rows")

    @extend_schema(
        responses=ProjectDetailOutput, summary=_("项目详情：小区、阶段、参建单位、方案版本")
    )
    def get(self, request, pk: int):
        scope = request.scope
        project = selectors.get_project(scope, pk)
        project.visible_compounds = selectors.project_compounds(scope, project)
        project.assignment_rows = selectors.assignments_of(project)
        project.plan_version_rows = selectors.plan_versions_of(project)
        return Response(self.ProjectDetailOutput(project).data)


class ProjectAssignmentsAPI(APIView):
    @extend_schema(
        responses=ProjectAssignmentOutput(many=True), summary=_("项目的设计单位和规划师")
    )
    def get(self, request, pk: int):
        project = selectors.get_project(request.scope, pk)
        return Response(ProjectAssignmentOutput(selectors.assignments_of(project), many=True).data)

    class ProjectAssignInput(serializers.Serializer):
        organisation = serializers.IntegerField(help_text=_("设计单位的机构 id"))
        role = serializers.ChoiceField(choices=ProjectAssignment.Role.choices)

    @extend_schema(
        request=ProjectAssignInput,
        responses={201: ProjectAssignmentOutput},
        summary=_("委托设计单位或规划师（项目所在区或市改造办）"),
    )
    def post(self, request, pk: int):
        scope = request.scope
        project = selectors.get_project(scope, pk)
        body = self.ProjectAssignInput(data=request.data)
        body.is_valid(raise_exception=True)
        organisation = (
            selectors.assignable_organisations()
            .filter(pk=body.validated_data["organisation"])
            .first()
        )
        if organisation is None:
            # Who may assign is decided before whether the firm exists (a designer gets 403).
            services.check_assignment(
                scope=scope, project=project, organisation=None, role=body.validated_data["role"]
            )
            raise DomainError(_("找不到该设计单位。"), fields={"organisation": [_("找不到该机构")]})
        assignment = services.assign_project(
            actor=request.user,
            scope=scope,
            project=project,
            organisation=organisation,
            role=body.validated_data["role"],
        )
        return Response(ProjectAssignmentOutput(assignment).data, status=status.HTTP_201_CREATED)


class ProjectAssignmentAPI(APIView):
    @extend_schema(responses=ProjectAssignmentOutput, summary=_("一项委托"))
    def get(self, request, pk: int, assignment_id: int):
        assignment = selectors.get_assignment(request.scope, pk, assignment_id)
        return Response(ProjectAssignmentOutput(assignment).data)

    @extend_schema(responses={204: None}, summary=_("取消委托（项目所在区或市改造办）"))
    def delete(self, request, pk: int, assignment_id: int):
        assignment = selectors.get_assignment(request.scope, pk, assignment_id)
        services.unassign_project(actor=request.user, scope=request.scope, assignment=assignment)
        return Response(status=status.HTTP_204_NO_CONTENT)
