"""Notices API: a plan version's public notice (publish, read), the residents' comments and
objections for staff, and the staff's public answers.

Scoped like the pages (`selectors.notices`): another district's version, notice or objection
answers 404 like a missing one; publishing and answering answer 403 to anyone the rules do not
name (`rules.may_publish_notice`, `rules.may_answer_objections`) and 400 with the service's
reason when the plan is not ready or the period too short. Staff see who wrote (the household's
address); residents read posts on the portal without it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from anju.access.services import household_label
from anju.catalogue.models import Category, Payer
from anju.core.api import Pagination
from anju.core.errors import NotFound

from ..models import Objection
from ..selectors import notices as selectors
from ..selectors.plans import get_plan_version
from ..services import notices as services


class MoneyField(serializers.DecimalField):
    def __init__(self, **kwargs):
        super().__init__(max_digits=16, decimal_places=2, **kwargs)


class NoticeOutput(serializers.Serializer):
    class CategoryOutput(serializers.Serializer):
        category = serializers.ChoiceField(choices=Category.choices)
        label = serializers.CharField()
        total = MoneyField(help_text=_("元"))

    class PayerOutput(serializers.Serializer):
        payer = serializers.ChoiceField(choices=Payer.choices)
        label = serializers.CharField()
        total = MoneyField(help_text=_("元"))

    id = serializers.IntegerField()
    version = serializers.IntegerField(source="version_id")
    version_number = serializers.IntegerField(source="version.number")
    project = serializers.IntegerField(source="version.project_id")
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    is_open = serializers.BooleanField()
    how_to_object = serializers.CharField(source="how_to_object_text")
    total = MoneyField(source="content.total", help_text=_("元"))
    residents_share = MoneyField(source="content.residents_share", help_text=_("元，居民出资部分"))
    categories = CategoryOutput(source="content.categories", many=True)
    payers = PayerOutput(source="content.payers", many=True)
    objection_count = serializers.IntegerField(help_text=_("意见和异议条数"))
    unanswered_objections = serializers.IntegerField(source="unanswered")
    blockers = serializers.ListField(
        child=serializers.CharField(), help_text=_("提交联合审查前还需解决的事项")
    )


def notice_output(notice) -> dict:
    notice.is_open = selectors.is_open(notice)
    notice.how_to_object_text = selectors.how_to_object(notice)
    notice.content = selectors.notice_content(notice.version)
    notice.objection_count = notice.objections.count()
    notice.unanswered = notice.objections.filter(kind=Objection.Kind.OBJECTION, answer="").count()
    notice.blockers = selectors.notice_blockers(notice.version)
    return NoticeOutput(notice).data


class PlanVersionNoticeAPI(APIView):
    class NoticePublishInput(serializers.Serializer):
        closes_on = serializers.DateField(
            required=False,
            allow_null=True,
            default=None,
            help_text=_("公示结束日期；默认 7 个工作日，可延长，不可缩短"),
        )
        how_to_object = serializers.CharField(
            max_length=300, required=False, allow_blank=True, default=""
        )

    @extend_schema(responses=NoticeOutput, summary=_("方案版本的公示"))
    def get(self, request, pk: int):
        version = get_plan_version(request.scope, pk)
        notice = selectors.notice_of(version)
        if notice is None:
            raise NotFound(_("该方案版本尚未公示。"))
        return Response(notice_output(notice))

    @extend_schema(
        request=NoticePublishInput, responses={201: NoticeOutput}, summary=_("发布方案公示")
    )
    def post(self, request, pk: int):
        version = get_plan_version(request.scope, pk)
        body = self.NoticePublishInput(data=request.data)
        body.is_valid(raise_exception=True)
        notice = services.publish_notice(
            actor=request.user,
            scope=request.scope,
            version=version,
            closes_on=body.validated_data["closes_on"],
            how_to_object=body.validated_data["how_to_object"],
        )
        return Response(notice_output(notice), status=status.HTTP_201_CREATED)


class ObjectionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    notice = serializers.IntegerField(source="notice_id")
    kind = serializers.ChoiceField(choices=Objection.Kind.choices)
    household = serializers.IntegerField(source="household_id")
    household_label = serializers.SerializerMethodField()
    text = serializers.CharField()
    created_at = serializers.DateTimeField()
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)
    is_answered = serializers.BooleanField()

    def get_household_label(self, objection) -> str:
        return household_label(objection.household)


class NoticeObjectionsAPI(APIView):
    pagination_class = Pagination  # documented by the schema, used by the handler

    @extend_schema(
        parameters=[OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
        responses=ObjectionOutput(many=True),
        summary=_("公示意见列表"),
    )
    def get(self, request, pk: int):
        notice = selectors.get_notice(request.scope, pk)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.objections_of(notice), request, view=self)
        return paginator.get_paginated_response(ObjectionOutput(page, many=True).data)


class ObjectionAnswerAPI(APIView):
    class ObjectionAnswerInput(serializers.Serializer):
        answer = serializers.CharField(max_length=2000)

    @extend_schema(
        request=ObjectionAnswerInput, responses=ObjectionOutput, summary=_("公开答复公示意见")
    )
    def post(self, request, pk: int):
        objection = selectors.get_objection(request.scope, pk)
        body = self.ObjectionAnswerInput(data=request.data)
        body.is_valid(raise_exception=True)
        objection = services.answer_objection(
            actor=request.user,
            scope=request.scope,
            objection=objection,
            answer=body.validated_data["answer"],
        )
        return Response(ObjectionOutput(objection).data)
