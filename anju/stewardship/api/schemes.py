"""Management schemes API: a compound's scheme with its budget lines (read, replace), its
budget lines (list, add, change, remove), and the district view of upkeep money.

Scoped like the pages: another district's compound answers 404 like a missing one; only the
compound's keepers write (403 otherwise). Bad input — a bundle without its name, a company that
is not a property company, a negative budget, a year already budgeted — answers 400 with
`{code, message, fields}` and writes nothing. Compounds are named by their codes, companies by
their organisation id.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from anju.core.errors import DomainError, PermissionDenied
from anju.territory.selectors import get_compound

from .. import rules
from ..models import ManagementModel, UpkeepSource
from ..selectors import schemes as selectors
from ..services import schemes as services


class StewardshipBudgetLineOutput(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, help_text=gettext_lazy("元"))
    reference = serializers.CharField(help_text=gettext_lazy("预算文号或科目"))
    recorded_at = serializers.DateTimeField()


class StewardshipSchemeFieldsOutput(serializers.Serializer):
    management_model = serializers.ChoiceField(choices=ManagementModel.choices)
    management_model_label = serializers.CharField(source="get_management_model_display")
    property_company = serializers.IntegerField(source="property_company_id", allow_null=True)
    property_company_name = serializers.CharField(
        source="property_company.name", allow_null=True, default=None
    )
    bundle_name = serializers.CharField()
    upkeep_sources = serializers.ListField(child=serializers.ChoiceField(UpkeepSource.choices))
    yearly_upkeep_budget = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text=gettext_lazy("元")
    )
    starts_on = serializers.DateField(allow_null=True)
    note = serializers.CharField()
    updated_at = serializers.DateTimeField()


class StewardshipSchemeOutput(serializers.Serializer):
    compound = serializers.CharField(help_text=gettext_lazy("小区编码"))
    scheme = StewardshipSchemeFieldsOutput(
        allow_null=True, help_text=gettext_lazy("尚无方案时为 null")
    )
    budget_lines = StewardshipBudgetLineOutput(many=True)


def scheme_answer(compound) -> dict:
    scheme = selectors.scheme_of(compound)
    return StewardshipSchemeOutput(
        {
            "compound": compound.code,
            "scheme": scheme,
            "budget_lines": list(selectors.budget_lines_of(scheme)),
        }
    ).data


class SchemeAPI(APIView):
    class StewardshipSchemeInput(serializers.Serializer):
        management_model = serializers.ChoiceField(choices=ManagementModel.choices)
        property_company = serializers.IntegerField(
            required=False,
            allow_null=True,
            min_value=1,
            help_text=gettext_lazy("物业企业的机构 id（专业物业、红色物业、片区打包；实施前必填）"),
        )
        bundle_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
        upkeep_sources = serializers.ListField(
            child=serializers.ChoiceField(choices=UpkeepSource.choices), required=False
        )
        yearly_upkeep_budget = serializers.DecimalField(max_digits=14, decimal_places=2)
        starts_on = serializers.DateField(required=False, allow_null=True)
        note = serializers.CharField(max_length=300, required=False, allow_blank=True)

    @extend_schema(
        responses=StewardshipSchemeOutput, summary=gettext_lazy("小区的长效管理方案及预算安排")
    )
    def get(self, request, code: str):
        return Response(scheme_answer(get_compound(request.scope, code)))

    @extend_schema(
        request=StewardshipSchemeInput,
        responses=StewardshipSchemeOutput,
        summary=gettext_lazy("填写或替换长效管理方案（小区所在的区、街道、社区）"),
    )
    def put(self, request, code: str):
        scope = request.scope
        compound = get_compound(scope, code)
        services.check_scheme_keeper(scope=scope, compound=compound)
        body = self.StewardshipSchemeInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        company_id = data.pop("property_company", None)
        company = None
        if company_id is not None:
            company = selectors.find_organisation(company_id)
            if company is None:
                raise DomainError(
                    _("找不到该物业企业。"), fields={"property_company": [_("找不到该机构")]}
                )
        services.save_management_scheme(
            actor=request.user,
            scope=scope,
            compound=compound,
            management_model=data["management_model"],
            yearly_upkeep_budget=data["yearly_upkeep_budget"],
            note=data.get("note", ""),
            property_company=company,
            bundle_name=data.get("bundle_name", ""),
            upkeep_sources=data.get("upkeep_sources", []),
            starts_on=data.get("starts_on"),
        )
        return Response(scheme_answer(compound))


class StewardshipBudgetLineInput(serializers.Serializer):
    year = serializers.IntegerField(help_text=gettext_lazy("预算年度"))
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, help_text=gettext_lazy("元"))
    reference = serializers.CharField(max_length=120, help_text=gettext_lazy("预算文号或科目"))


class BudgetLinesAPI(APIView):
    @extend_schema(
        responses=StewardshipBudgetLineOutput(many=True), summary=gettext_lazy("方案的预算安排")
    )
    def get(self, request, code: str):
        compound = get_compound(request.scope, code)
        lines = selectors.budget_lines_of(selectors.scheme_of(compound))
        return Response(StewardshipBudgetLineOutput(lines, many=True).data)

    @extend_schema(
        request=StewardshipBudgetLineInput,
        responses={201: StewardshipBudgetLineOutput},
        summary=gettext_lazy("登记一年的预算安排（每年一条）"),
    )
    def post(self, request, code: str):
        scope = request.scope
        compound = get_compound(scope, code)
        services.check_scheme_keeper(scope=scope, compound=compound)
        body = StewardshipBudgetLineInput(data=request.data)
        body.is_valid(raise_exception=True)
        scheme = selectors.scheme_of(compound)
        if scheme is None:
            raise DomainError(_("请先填写长效管理方案。"), code="no_scheme")
        line = services.add_budget_line(
            actor=request.user, scope=scope, scheme=scheme, **body.validated_data
        )
        return Response(StewardshipBudgetLineOutput(line).data, status=status.HTTP_201_CREATED)


class BudgetLineAPI(APIView):
    @extend_schema(responses=StewardshipBudgetLineOutput, summary=gettext_lazy("一条预算安排"))
    def get(self, request, code: str, pk: int):
        compound = get_compound(request.scope, code)
        line = selectors.get_budget_line(request.scope, compound, pk)
        return Response(StewardshipBudgetLineOutput(line).data)

    @extend_schema(
        request=StewardshipBudgetLineInput,
        responses=StewardshipBudgetLineOutput,
        summary=gettext_lazy("修改预算安排"),
    )
    def put(self, request, code: str, pk: int):
        compound = get_compound(request.scope, code)
        line = selectors.get_budget_line(request.scope, compound, pk)
        services.check_scheme_keeper(scope=request.scope, compound=compound)
        body = StewardshipBudgetLineInput(data=request.data)
        body.is_valid(raise_exception=True)
        line = services.change_budget_line(
            actor=request.user, scope=request.scope, line=line, **body.validated_data
        )
        return Response(StewardshipBudgetLineOutput(line).data)

    @extend_schema(responses={204: None}, summary=gettext_lazy("删除预算安排"))
    def delete(self, request, code: str, pk: int):
        compound = get_compound(request.scope, code)
        line = selectors.get_budget_line(request.scope, compound, pk)
        services.remove_budget_line(actor=request.user, scope=request.scope, line=line)
        return Response(status=status.HTTP_204_NO_CONTENT)


class StewardshipCompoundRefOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class StewardshipUpkeepYearOutput(serializers.Serializer):
    year = serializers.IntegerField()
    budgeted = serializers.DecimalField(
        max_digits=16, decimal_places=2, help_text=gettext_lazy("当年列入预算的金额之和（元）")
    )
    budgeted_compounds = serializers.IntegerField()
    promised = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        help_text=gettext_lazy("当年实施中方案的年度维护经费之和（元）"),
    )
    schemes_in_force = serializers.IntegerField()
    gap = serializers.DecimalField(max_digits=16, decimal_places=2)


class StewardshipMissingYearOutput(serializers.Serializer):
    year = serializers.IntegerField()
    compounds = StewardshipCompoundRefOutput(many=True)


class StewardshipUpkeepOutput(serializers.Serializer):
    years = StewardshipUpkeepYearOutput(many=True)
    missing_budget_line = StewardshipMissingYearOutput(
        many=True, help_text=gettext_lazy("有方案但该年度未列入预算的小区")
    )
    planned_without_scheme = StewardshipCompoundRefOutput(
        many=True, help_text=gettext_lazy("列入已批准年度计划但尚无方案的小区")
    )


class UpkeepAPI(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "year",
                int,
                many=True,
                description=gettext_lazy("查看未列入预算的年度，可重复；默认今年和明年"),
            )
        ],
        responses=StewardshipUpkeepOutput,
        summary=gettext_lazy("本辖区长效管理维护经费：按年度、未列入预算、计划内无方案"),
    )
    def get(self, request):
        if not rules.may_see_upkeep(request.scope):
            raise PermissionDenied()
        years = selectors.missing_years_from(request.query_params.getlist("year"))
        view = selectors.upkeep_view(request.scope, years)
        return Response(
            StewardshipUpkeepOutput(
                {
                    "years": view.years,
                    "missing_budget_line": [
                        {"year": year, "compounds": compounds}
                        for year, compounds in view.missing.items()
                    ],
                    "planned_without_scheme": view.unplanned,
                }
            ).data
        )
