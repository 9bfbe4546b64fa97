"""Funding API, the ledger: a project's funding plan (get, replace, confirm), its postings
(list, post as JSON or multipart with up to three `documents` files, reverse; each file
downloadable by token), its source accounts, and the viewer's totals. Bad input answers 4xx with
{"code","message","fields"} and writes nothing (a negative amount, overspending a source,
posting to an unapproved project, a plan that does not add up)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from anju.access.models import Organisation
from anju.construction.models import Milestone
from anju.core.api import Pagination
from anju.core.errors import DomainError

from .. import documents as ledger_documents
from ..models import FundingSource, LedgerEntry
from ..selectors import ledger as selectors
from ..selectors import projects as project_selectors
from ..services import ledger as services

MONEY = {"max_digits": 16, "decimal_places": 2}


class LedgerPlanLineOutput(serializers.Serializer):
    id = serializers.IntegerField()
    source = serializers.CharField(source="source.code")
    source_name = serializers.CharField(source="source.label")
    payer = serializers.IntegerField(source="payer_id", allow_null=True)
    amount = serializers.DecimalField(**MONEY)
    note = serializers.CharField()


class LedgerPlanOutput(serializers.Serializer):
    status = serializers.CharField(allow_null=True)
    approved_total = serializers.DecimalField(allow_null=True, **MONEY)
    planned_total = serializers.DecimalField(**MONEY)
    shortfall = serializers.DecimalField(**MONEY)
    excess = serializers.DecimalField(**MONEY)
    confirmed_total = serializers.DecimalField(allow_null=True, **MONEY)
    lines = LedgerPlanLineOutput(many=True)


class LedgerPlanLineInput(serializers.Serializer):
    source = serializers.SlugRelatedField(slug_field="code", queryset=FundingSource.objects.all())
    payer = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    amount = serializers.DecimalField(**MONEY)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class LedgerPlanInput(serializers.Serializer):
    lines = LedgerPlanLineInput(many=True)


class LedgerDocumentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    uploaded_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    def get_url(self, document) -> str:
        return reverse(
            "api-funding-document",
            kwargs={"pk": document.entry.project_id, "document_id": document.pk},
        )


class LedgerEntryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    kind = serializers.ChoiceField(choices=LedgerEntry.Kind.choices)
    source = serializers.CharField(source="source.code")
    amount = serializers.DecimalField(**MONEY)
    entry_date = serializers.DateField()
    payer = serializers.IntegerField(source="payer_id", allow_null=True)
    payee = serializers.CharField()
    milestone = serializers.IntegerField(source="milestone_id", allow_null=True)
    document = serializers.CharField()
    note = serializers.CharField()
    override_reason = serializers.CharField()
    reverses = serializers.IntegerField(source="reverses_id", allow_null=True)
    posted_at = serializers.DateTimeField()
    documents = LedgerDocumentOutput(many=True, source="documents.all")


class LedgerEntryInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LedgerEntry.Kind.choices)
    source = serializers.SlugRelatedField(slug_field="code", queryset=FundingSource.objects.all())
    amount = serializers.DecimalField(**MONEY)
    entry_date = serializers.DateField(required=False)
    payer = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    payee = serializers.CharField(required=False, allow_blank=True, max_length=120, default="")
    milestone = serializers.IntegerField(required=False, allow_null=True)
    document = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    override_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=300, default=""
    )
    documents = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text=_("附件（multipart）：PDF、JPEG 或 PNG，最多 3 个，每个不超过 10 MB"),
    )


class LedgerReverseInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class LedgerAccountOutput(serializers.Serializer):
    source = serializers.CharField(source="source.code")
    source_name = serializers.CharField(source="source.label")
    committed = serializers.DecimalField(**MONEY)
    received = serializers.DecimalField(**MONEY)
    disbursed = serializers.DecimalField(**MONEY)
    available = serializers.DecimalField(**MONEY)


class LedgerFiguresOutput(serializers.Serializer):
    committed = serializers.DecimalField(**MONEY)
    received = serializers.DecimalField(**MONEY)
    disbursed = serializers.DecimalField(**MONEY)
    waiting = serializers.DecimalField(**MONEY)


class LedgerTotalsRowOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    figures = LedgerFiguresOutput()


class LedgerTotalsOutput(serializers.Serializer):
    by = serializers.CharField()
    rows = LedgerTotalsRowOutput(many=True)
    total = LedgerFiguresOutput()


def _plan_data(project) -> dict:
    summary = selectors.plan_summary(project)
    return {
        "status": summary.plan.status if summary.plan else None,
        "approved_total": summary.approved,
        "planned_total": summary.planned,
        "shortfall": summary.shortfall,
        "excess": summary.excess,
        "confirmed_total": summary.plan.confirmed_total if summary.plan else None,
        "lines": summary.lines,
    }


class LedgerPlanAPI(APIView):
    @extend_schema(responses=LedgerPlanOutput, summary=_("项目的资金筹措方案"))
    def get(self, request, pk: int):
        project = project_selectors.get_project(request.scope, pk)
        return Response(LedgerPlanOutput(_plan_data(project)).data)

    @extend_schema(
        request=LedgerPlanInput,
        responses=LedgerPlanOutput,
        summary=_("替换资金筹措方案的明细（已确认的方案退回编制）"),
    )
    def put(self, request, pk: int):
        project = project_selectors.get_project(request.scope, pk)
        body = LedgerPlanInput(data=request.data)
        body.is_valid(raise_exception=True)
        services.save_funding_plan(
            actor=request.user,
            scope=request.scope,
            project=project,
            lines=[
                services.PlanLineInput(
                    source=line["source"],
                    amount=line["amount"],
                    payer=line.get("payer"),
                    note=line.get("note", ""),
                )
                for line in body.validated_data["lines"]
            ],
        )
        return Response(LedgerPlanOutput(_plan_data(project)).data)


class LedgerPlanConfirmAPI(APIView):
    @extend_schema(
        request=None, responses=LedgerPlanOutput, summary=_("确认资金筹措方案（须等于审定总额）")
    )
    def post(self, request, pk: int):
        project = project_selectors.get_project(request.scope, pk)
        services.confirm_funding_plan(actor=request.user, scope=request.scope, project=project)
        return Response(LedgerPlanOutput(_plan_data(project)).data)


class LedgerEntriesAPI(APIView):
    pagination_class = Pagination
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(responses=LedgerEntryOutput(many=True), summary=_("项目的资金台账"))
    def get(self, request, pk: int):
        project = project_selectors.get_project(request.scope, pk)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.entries_of(project), request, view=self)
        return paginator.get_paginated_response(LedgerEntryOutput(page, many=True).data)

    @extend_schema(
        request={"application/json": LedgerEntryInput, "multipart/form-data": LedgerEntryInput},
        responses={201: LedgerEntryOutput},
        summary=_("记账：资金承诺、到位或拨付"),
    )
    def post(self, request, pk: int):
        project = project_selectors.get_project(request.scope, pk)
        body = LedgerEntryInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        milestone_id = data.pop("milestone", None)
        milestone = None
        if milestone_id is not None:
            milestone = Milestone.objects.filter(project=project, pk=milestone_id).first()
            if milestone is None:
                raise DomainError(
                    _("找不到该进度节点。"), fields={"milestone": [_("不属于本项目")]}
                )
        entry = services.post_entry(
            actor=request.user, scope=request.scope, project=project, milestone=milestone, **data
        )
        return Response(LedgerEntryOutput(entry).data, status=status.HTTP_201_CREATED)


class LedgerDocumentAPI(APIView):
    @extend_schema(
        responses={
            (200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description=_("凭证附件"))
            for _signature, content_type, _extension in ledger_documents.SIGNATURES
        },
        summary=_("下载凭证附件"),
    )
    def get(self, request, pk: int, document_id: int):
        document = selectors.get_document(request.scope, pk, document_id)
        return ledger_documents.file_response(document)


class LedgerReverseAPI(APIView):
    @extend_schema(
        request=LedgerReverseInput,
        responses={201: LedgerEntryOutput},
        summary=_("冲正一笔凭证（每笔只能冲正一次）"),
    )
    def post(self, request, pk: int, entry_id: int):
        entry = selectors.get_entry(request.scope, pk, entry_id)
        body = LedgerReverseInput(data=request.data)
        body.is_valid(raise_exception=True)
        reversal = services.reverse_entry(
            actor=request.user,
            scope=request.scope,
            entry=entry,
            reason=body.validated_data["reason"],
        )
        return Response(LedgerEntryOutput(reversal).data, status=status.HTTP_201_CREATED)


class LedgerAccountsAPI(APIView):
    @extend_schema(responses=LedgerAccountOutput(many=True), summary=_("项目的分来源资金账户"))
    def get(self, request, pk: int):
        project = project_selectors.get_project(request.scope, pk)
        return Response(LedgerAccountOutput(selectors.accounts_of(project), many=True).data)


class LedgerTotalsAPI(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("by", str, enum=list(selectors.BY_CHOICES)),
            OpenApiParameter("year", int),
            OpenApiParameter("district", str),
        ],
        responses=LedgerTotalsOutput,
        summary=_("资金汇总：按区、资金类别、来源或年度"),
    )
    def get(self, request):
        by = request.query_params.get("by", "district")
        year = request.query_params.get("year", "")
        totals = selectors.ledger_totals(
            request.scope,
            by=by,
            year=int(year) if year.isascii() and year.isdigit() and len(year) == 4 else None,
            district=request.query_params.get("district", "")[:12],
        )
        return Response(LedgerTotalsOutput(totals).data)
