"""Construction API: the viewer's construction projects (behind-schedule flag) and a project's
parties. Scoped like the pages (`selectors.projects`): a construction or supervision unit
sees only the projects it is a party to; elsewhere 404. Naming, changing and removing answer
403 to anyone but the project's district or the city office."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from anju.core.api import Pagination
from anju.core.errors import DomainError
from anju.territory.models import Stage

from .. import services
from ..models import PartyRole
from ..selectors import projects as selectors
from ..selectors import schedule as schedule_selectors


class DeliveryProjectOutput(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    district = serializers.CharField(source="district.code")
    stage = serializers.ChoiceField(choices=Stage.choices)
    planned_percent = serializers.DecimalField(max_digits=4, decimal_places=1)
    actual_percent = serializers.DecimalField(max_digits=4, decimal_places=1)
    is_behind = serializers.BooleanField(help_text=_("实际进度落后计划超过设定的百分点"))


class DeliveryPartyOutput(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.ChoiceField(choices=PartyRole.choices)
    organisation = serializers.IntegerField(source="organisation_id")
    organisation_name = serializers.CharField(source="organisation.name")
    credit_code = serializers.CharField(source="organisation.credit_code")
    responsible_person = serializers.CharField()
    responsible_phone = serializers.CharField()
    contract_sum = serializers.DecimalField(max_digits=16, decimal_places=2)
    contract_signed_on = serializers.DateField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class DeliveryPartyTermsInput(serializers.Serializer):
    organisation = serializers.IntegerField(help_text=_("机构 id"))
    responsible_person = serializers.CharField(max_length=40)
    responsible_phone = serializers.CharField(max_length=20)
    contract_sum = serializers.DecimalField(max_digits=16, decimal_places=2)
    contract_signed_on = serializers.DateField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class DeliveryPartyNameInput(DeliveryPartyTermsInput):
    role = serializers.ChoiceField(choices=PartyRole.choices)


def _terms(data) -> dict:
    terms = dict(data)
    terms.pop("role", None)
    terms["organisation"] = selectors.party_organisations().filter(pk=data["organisation"]).first()
    return terms


class DeliveryProjectListAPI(APIView):
    pagination_class = Pagination

    @extend_schema(
        parameters=[
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
            OpenApiParameter("stage", str, enum=[str(s) for s in selectors.CONSTRUCTION_STAGES]),
            OpenApiParameter("behind", bool, description=_("只列进度滞后的项目")),
        ],
        responses=DeliveryProjectOutput(many=True),
        summary=_("施工项目列表（含进度滞后标记）"),
    )
    def get(self, request):
        scope = request.scope
        stage = request.query_params.get("stage", "")
        projects = selectors.construction_projects(
            scope, stage=stage if stage in selectors.CONSTRUCTION_STAGES else ""
        )
        behind_ids = set(schedule_selectors.behind_schedule(scope).values_list("pk", flat=True))
        if request.query_params.get("behind") in ("1", "true"):
            projects = projects.filter(pk__in=behind_ids)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(projects, request, view=self)
        progress = schedule_selectors.progress_of_projects([p.pk for p in page])
        for project in page:
            project.planned_percent = progress[project.pk].planned_now
            project.actual_percent = progress[project.pk].actual
            project.is_behind = project.pk in behind_ids
        return paginator.get_paginated_response(DeliveryProjectOutput(page, many=True).data)


class DeliveryPartiesAPI(APIView):
    @extend_schema(responses=DeliveryPartyOutput(many=True), summary=_("项目的参建单位"))
    def get(self, request, pk: int):
        project = selectors.get_project(request.scope, pk)
        return Response(DeliveryPartyOutput(selectors.parties_of(project), many=True).data)

    @extend_schema(
        request=DeliveryPartyNameInput,
        responses={201: DeliveryPartyOutput},
        summary=_("确定参建单位（项目所在区或市改造办，开工前）"),
    )
    def post(self, request, pk: int):
        project = selectors.get_project(request.scope, pk)
        body = DeliveryPartyNameInput(data=request.data)
        body.is_valid(raise_exception=True)
        party = services.name_party(
            actor=request.user,
            scope=request.scope,
            project=project,
            role=body.validated_data["role"],
            **_terms(body.validated_data),
        )
        return Response(DeliveryPartyOutput(party).data, status=status.HTTP_201_CREATED)


class DeliveryPartyAPI(APIView):
    @extend_schema(responses=DeliveryPartyOutput, summary=_("一个参建单位"))
    def get(self, request, pk: int, party_id: int):
        party = selectors.get_party(request.scope, pk, party_id)
        return Response(DeliveryPartyOutput(party).data)

    @extend_schema(
        request=DeliveryPartyTermsInput,
        responses=DeliveryPartyOutput,
        summary=_("变更参建单位（开工前）"),
    )
    def put(self, request, pk: int, party_id: int):
        party = selectors.get_party(request.scope, pk, party_id)
        body = DeliveryPartyTermsInput(data=request.data)
        body.is_valid(raise_exception=True)
        terms = _terms(body.validated_data)
        if terms["organisation"] is None:
            raise DomainError(_("找不到该机构。"), fields={"organisation": [_("找不到该机构")]})
        party = services.change_party(actor=request.user, scope=request.scope, party=party, **terms)
        return Response(DeliveryPartyOutput(party).data)

    @extend_schema(responses={204: None}, summary=_("撤销参建单位（开工前）"))
    def delete(self, request, pk: int, party_id: int):
        party = selectors.get_party(request.scope, pk, party_id)
        services.remove_party(actor=request.user, scope=request.scope, party=party)
        return Response(status=status.HTTP_204_NO_CONTENT)
