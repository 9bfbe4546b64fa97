"""Investment contracts and loans API: contracts (list, record, one contract, change it), its
revenue rights (add, read, change, remove), its yearly flows (list, record, remove), its
payback view, and loans (list, record, one loan with its interest summary, change it).

Scoped like the pages: another district's contract or loan answers 404 like a missing one;
projects are named by id and fetched through the caller's projects (on recording, one outside
the caller's territory answers 404; on a change, where the path already names the record, 400
`project_not_found` on the `projects` field, the same for absent and elsewhere); the enterprise
and borrower by organisation id; districts by code. Money is a decimal string of yuan.

A change is a PATCH: what is sent changes, what is left out stays, through the same services
as the workbench (`change_contract`, `change_loan`), which check the role and write the audit.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from anju.access.models import Organisation
from anju.core.api import Pagination
from anju.core.errors import DomainError
from anju.planning.models import Project

from ..selectors import contracts as selectors
from ..selectors.projects import get_project, projects_in_scope
from ..services import contracts as services

MONEY = {"max_digits": 16, "decimal_places": 2}
RIGHT_KINDS = "parking / charging / advertising / facilities / user_fees / property"


def projects_named(scope, ids: list[int]) -> list[Project]:
    """The caller's projects of `ids` (in their order, once each) in one query; any the caller
    cannot see, absent or elsewhere alike, is a 400 on the `projects` field."""
    ids = list(dict.fromkeys(ids))
    found = projects_in_scope(scope).filter(pk__in=ids).in_bulk()
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise DomainError(
            _("找不到项目 %(ids)s，或它不在您的辖区内。") % {"ids": "、".join(missing)},
            code="project_not_found",
            fields={"projects": [_("找不到或不在您的辖区内")]},
        )
    return [found[pk] for pk in ids]


def _changed_projects(scope, data: dict, record) -> list[Project]:
    """A PATCH's projects: those the body names (taken out of `data`), else the record's."""
    if "projects" in data:
        return projects_named(scope, data.pop("projects"))
    return list(record.projects.all())


class ContractProjectOutput(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class ContractRightOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(max_length=12, help_text=RIGHT_KINDS)
    expected_yearly_revenue = serializers.DecimalField(**MONEY)
    note = serializers.CharField()


class ContractFlowOutput(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    kind = serializers.CharField(max_length=12, help_text="investment / revenue")
    amount = serializers.DecimalField(**MONEY)


class ContractOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField(max_length=12, help_text="irm / epc_o / ppp / facility")
    enterprise = serializers.CharField(source="enterprise.name")
    enterprise_id = serializers.IntegerField()
    district = serializers.CharField(source="district.code")
    investment_committed = serializers.DecimalField(**MONEY)
    signed_on = serializers.DateField()
    term_years = serializers.IntegerField()


class ContractDetailOutput(ContractOutput):
    obligations = serializers.CharField()
    projects = ContractProjectOutput(many=True)
    revenue_rights = ContractRightOutput(many=True)
    flows = ContractFlowOutput(many=True)


class ContractPaybackOutput(serializers.Serializer):
    class ContractPaybackRowOutput(serializers.Serializer):
        index = serializers.IntegerField(help_text=_("合同第几年，签订当年为 1"))
        year = serializers.IntegerField()
        investment = serializers.DecimalField(**MONEY)
        revenue = serializers.DecimalField(**MONEY)
        cumulative_investment = serializers.DecimalField(**MONEY)
        cumulative_revenue = serializers.DecimalField(**MONEY)
        investment_is_actual = serializers.BooleanField()
        revenue_is_actual = serializers.BooleanField(help_text=_("false 表示按收益权预计年收益"))

    rows = ContractPaybackRowOutput(many=True)
    payback_year = serializers.IntegerField(
        allow_null=True, help_text=_("累计收益首次不低于累计投资的年份；合作期内收不回为 null")
    )
    payback_index = serializers.IntegerField(allow_null=True)
    investment_is_planned = serializers.BooleanField(
        help_text=_("未记录实际投资时，按承诺投资全部计入第 1 年")
    )
    expected_yearly_revenue = serializers.DecimalField(**MONEY)


class ContractsAPI(APIView):
    pagination_class = Pagination

    class ContractInput(serializers.Serializer):
        number = serializers.CharField(max_length=40)
        name = serializers.CharField(max_length=120)
        kind = serializers.CharField(max_length=12, help_text="irm / epc_o / ppp / facility")
        enterprise = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
        projects = serializers.ListField(
            child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
            min_length=1,
            max_length=100,
            help_text=_("同一个区的项目 id"),
        )
        investment_committed = serializers.DecimalField(**MONEY)
        signed_on = serializers.DateField()
        term_years = serializers.IntegerField(min_value=1, max_value=50)
        obligations = serializers.CharField(max_length=3000)

    @extend_schema(
        parameters=[
            OpenApiParameter("district", str, description=_("区代码")),
            OpenApiParameter("kind", str, description=_("irm / epc_o / ppp / facility")),
        ],
        responses=ContractOutput(many=True),
        summary=_("投资运营合同"),
    )
    def get(self, request):
        contracts = selectors.contract_list(
            request.scope,
            district=request.query_params.get("district", ""),
            kind=request.query_params.get("kind", ""),
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(contracts, request, view=self)
        return paginator.get_paginated_response(ContractOutput(page, many=True).data)

    @extend_schema(
        request=ContractInput,
        responses={201: ContractDetailOutput},
        summary=_("登记投资运营合同（所在区工作专班、市改造办）"),
    )
    def post(self, request):
        body = self.ContractInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        projects = [get_project(request.scope, pk) for pk in dict.fromkeys(data.pop("projects"))]
        contract = services.record_contract(
            actor=request.user, scope=request.scope, projects=projects, **data
        )
        contract = selectors.get_contract(request.scope, contract.pk)
        return Response(ContractDetailOutput(contract).data, status=status.HTTP_201_CREATED)


class ContractAPI(APIView):
    @extend_schema(responses=ContractDetailOutput, summary=_("一份投资运营合同"))
    def get(self, request, pk: int):
        return Response(ContractDetailOutput(selectors.get_contract(request.scope, pk)).data)

    @extend_schema(
        request=ContractsAPI.ContractInput,
        responses=ContractDetailOutput,
        summary=_("修改投资运营合同（所在区工作专班、市改造办）"),
        description=_("只改所发送的字段；项目须属于合同所属区，合作期限须容纳已记录的年度数据。"),
    )
    def patch(self, request, pk: int):
        contract = selectors.get_contract(request.scope, pk)
        body = ContractsAPI.ContractInput(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        projects = _changed_projects(request.scope, data, contract)
        services.change_contract(
            actor=request.user, scope=request.scope, contract=contract, projects=projects, **data
        )
        return Response(ContractDetailOutput(selectors.get_contract(request.scope, pk)).data)


class ContractRightsAPI(APIView):
    class ContractRightInput(serializers.Serializer):
        kind = serializers.CharField(max_length=12, help_text=RIGHT_KINDS)
        expected_yearly_revenue = serializers.DecimalField(**MONEY)
        note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    @extend_schema(responses=ContractRightOutput(many=True), summary=_("合同的收益权"))
    def get(self, request, pk: int):
        contract = selectors.get_contract(request.scope, pk)
        return Response(ContractRightOutput(contract.revenue_rights.all(), many=True).data)

    @extend_schema(
        request=ContractRightInput,
        responses={201: ContractRightOutput},
        summary=_("增加收益权"),
    )
    def post(self, request, pk: int):
        contract = selectors.get_contract(request.scope, pk)
        body = self.ContractRightInput(data=request.data)
        body.is_valid(raise_exception=True)
        right = services.add_right(
            actor=request.user, scope=request.scope, contract=contract, **body.validated_data
        )
        return Response(ContractRightOutput(right).data, status=status.HTTP_201_CREATED)


class ContractRightAPI(APIView):
    class ContractRightChangeInput(serializers.Serializer):
        expected_yearly_revenue = serializers.DecimalField(**MONEY)
        note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    @extend_schema(responses=ContractRightOutput, summary=_("一项收益权"))
    def get(self, request, pk: int, right_id: int):
        contract = selectors.get_contract(request.scope, pk)
        return Response(ContractRightOutput(selectors.get_right(contract, right_id)).data)

    @extend_schema(
        request=ContractRightChangeInput,
        responses=ContractRightOutput,
        summary=_("修改收益权的预计年收益和说明"),
    )
    def put(self, request, pk: int, right_id: int):
        contract = selectors.get_contract(request.scope, pk)
        right = selectors.get_right(contract, right_id)
        body = self.ContractRightChangeInput(data=request.data)
        body.is_valid(raise_exception=True)
        right = services.change_right(
            actor=request.user, scope=request.scope, right=right, **body.validated_data
        )
        return Response(ContractRightOutput(right).data)

    @extend_schema(responses={204: None}, summary=_("删除收益权"))
    def delete(self, request, pk: int, right_id: int):
        contract = selectors.get_contract(request.scope, pk)
        right = selectors.get_right(contract, right_id)
        services.remove_right(actor=request.user, scope=request.scope, right=right)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ContractFlowsAPI(APIView):
    class ContractFlowInput(serializers.Serializer):
        year = serializers.IntegerField(min_value=2000, max_value=2100)
        kind = serializers.CharField(max_length=12, help_text="investment / revenue")
        amount = serializers.DecimalField(**MONEY)

    @extend_schema(responses=ContractFlowOutput(many=True), summary=_("合同的年度投资与收益"))
    def get(self, request, pk: int):
        contract = selectors.get_contract(request.scope, pk)
        return Response(ContractFlowOutput(contract.flows.all(), many=True).data)

    @extend_schema(
        request=ContractFlowInput,
        responses={201: ContractFlowOutput},
        summary=_("记录某年的实际投资或收益（同年同类再次记录即替换金额）"),
    )
    def post(self, request, pk: int):
        contract = selectors.get_contract(request.scope, pk)
        body = self.ContractFlowInput(data=request.data)
        body.is_valid(raise_exception=True)
        flow = services.record_flow(
            actor=request.user, scope=request.scope, contract=contract, **body.validated_data
        )
        return Response(ContractFlowOutput(flow).data, status=status.HTTP_201_CREATED)


class ContractFlowAPI(APIView):
    @extend_schema(responses=ContractFlowOutput, summary=_("某年的投资或收益记录"))
    def get(self, request, pk: int, flow_id: int):
        contract = selectors.get_contract(request.scope, pk)
        return Response(ContractFlowOutput(selectors.get_flow(contract, flow_id)).data)

    @extend_schema(responses={204: None}, summary=_("删除某年的投资或收益记录"))
    def delete(self, request, pk: int, flow_id: int):
        contract = selectors.get_contract(request.scope, pk)
        flow = selectors.get_flow(contract, flow_id)
        services.remove_flow(actor=request.user, scope=request.scope, flow=flow)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ContractPaybackAPI(APIView):
    @extend_schema(responses=ContractPaybackOutput, summary=_("投资回收：累计投资与累计收益"))
    def get(self, request, pk: int):
        contract = selectors.get_contract(request.scope, pk)
        return Response(ContractPaybackOutput(selectors.contract_payback(contract)).data)


# --- loans ----------------------------------------------------------------------------------


class LoanOutput(serializers.Serializer):
    id = serializers.IntegerField()
    lender = serializers.CharField()
    kind = serializers.CharField(max_length=12, help_text="policy_bank / commercial")
    borrower = serializers.CharField(source="borrower.name", allow_null=True, default=None)
    district = serializers.CharField(source="district.code")
    amount = serializers.DecimalField(**MONEY)
    annual_rate = serializers.DecimalField(max_digits=5, decimal_places=3, help_text=_("百分比"))
    term_months = serializers.IntegerField()
    starts_on = serializers.DateField()


class LoanScheduleOutput(serializers.Serializer):
    annual_interest = serializers.DecimalField(**MONEY)
    total_interest = serializers.DecimalField(**MONEY, help_text=_("按到期一次还本、按年付息估算"))
    matures_on = serializers.DateField()
    total_repayment = serializers.DecimalField(**MONEY)


class LoanDetailOutput(LoanOutput):
    projects = ContractProjectOutput(many=True)
    schedule = serializers.SerializerMethodField()

    @extend_schema_field(LoanScheduleOutput)
    def get_schedule(self, loan) -> dict:
        return LoanScheduleOutput(selectors.schedule_of(loan)).data


class LoansAPI(APIView):
    pagination_class = Pagination

    class LoanInput(serializers.Serializer):
        lender = serializers.CharField(max_length=120)
        kind = serializers.CharField(max_length=12, help_text="policy_bank / commercial")
        borrower = serializers.PrimaryKeyRelatedField(
            queryset=Organisation.objects.all(), required=False, allow_null=True, default=None
        )
        district = serializers.CharField(max_length=20, help_text=_("区代码"))
        amount = serializers.DecimalField(**MONEY)
        annual_rate = serializers.DecimalField(
            max_digits=5, decimal_places=3, min_value=Decimal(0), max_value=Decimal(30)
        )
        term_months = serializers.IntegerField(min_value=1, max_value=600)
        starts_on = serializers.DateField()
        projects = serializers.ListField(
            child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
            required=False,
            default=list,
            max_length=100,
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("district", str, description=_("区代码")),
            OpenApiParameter("kind", str, description=_("policy_bank / commercial")),
        ],
        responses=LoanOutput(many=True),
        summary=_("贷款"),
    )
    def get(self, request):
        loans = selectors.loan_list(
            request.scope,
            district=request.query_params.get("district", ""),
            kind=request.query_params.get("kind", ""),
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(loans, request, view=self)
        return paginator.get_paginated_response(LoanOutput(page, many=True).data)

    @extend_schema(request=LoanInput, responses={201: LoanDetailOutput}, summary=_("登记贷款"))
    def post(self, request):
        body = self.LoanInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        district = selectors.get_district(request.scope, data.pop("district"))
        projects = [get_project(request.scope, pk) for pk in dict.fromkeys(data.pop("projects"))]
        loan = services.record_loan(
            actor=request.user, scope=request.scope, district=district, projects=projects, **data
        )
        loan = selectors.get_loan(request.scope, loan.pk)
        return Response(LoanDetailOutput(loan).data, status=status.HTTP_201_CREATED)


class LoanAPI(APIView):
    class LoanChangeInput(LoansAPI.LoanInput):
        """A loan's input without its district, which a change keeps."""

        district = None

    @extend_schema(responses=LoanDetailOutput, summary=_("一笔贷款及其利息估算"))
    def get(self, request, pk: int):
        return Response(LoanDetailOutput(selectors.get_loan(request.scope, pk)).data)

    @extend_schema(
        request=LoanChangeInput,
        responses=LoanDetailOutput,
        summary=_("修改贷款（所在区工作专班、市改造办）"),
        description=_("只改所发送的字段；所属区不变，支持的项目须属于该区。"),
    )
    def patch(self, request, pk: int):
        loan = selectors.get_loan(request.scope, pk)
        body = self.LoanChangeInput(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        projects = _changed_projects(request.scope, data, loan)
        services.change_loan(
            actor=request.user, scope=request.scope, loan=loan, projects=projects, **data
        )
        return Response(LoanDetailOutput(selectors.get_loan(request.scope, pk)).data)
