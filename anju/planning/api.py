"""Planning API: plans, budgets, scoring models, rounds, scenarios and overrides.

One APIView per operation, nested serializers, the pages' selectors and services. Plans and
rounds belong to the city and concern every district in it: a district officer reads them
but only their own district's rows, and a compound of another district answers 404 like a
missing one. Draft rounds and scenarios are the city office's working papers (404 for
anyone else); writes by another role answer 403 with the service's reason.

Clients name compounds and districts by their codes, never by database ids: the overrides'
bodies, the scenarios' caps and the scenarios' answers all use codes.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from anju.core.api import Pagination
from anju.core.errors import NotFound
from anju.engine.scoring import AhpMethod
from anju.territory import selectors as territory
from anju.territory.models import Compound, Node

from . import rounds, scenarios, selectors, services
from .models import AnnualPlanStatus, OverrideAction

DISTRICT_KINDS = (Node.Kind.DISTRICT, Node.Kind.ZONE)
SOLVER_FIGURES = ("objective", "bound", "gap", "total_cost", "seconds", "score_per_10k_yuan")
NOTHING_DONE = {"compounds": 0, "households": 0, "floor_area": Decimal(0), "investment": Decimal(0)}


PAGE_PARAMETERS = [OpenApiParameter("page", int), OpenApiParameter("page_size", int)]


def language() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh"


def code_of(path: str) -> str:
    """A node's code is the last segment of its path ('4201/420102/' → '420102')."""
    return path.rstrip("/").rsplit("/", 1)[-1]


def compound_codes(scope, ids) -> dict[int, str]:
    """Codes of those compounds among `ids` that the viewer may see; the others are left out."""
    return dict(territory.compound_list(scope=scope).filter(pk__in=ids).values_list("pk", "code"))


def district_codes(scope, ids) -> dict[int, str]:
    return dict(territory.node_list(scope=scope).filter(pk__in=ids).values_list("pk", "code"))


def with_compound_codes(projects):
    return projects.prefetch_related(
        Prefetch("compounds", queryset=Compound.objects.only("code").order_by("code"))
    )


# --- five-year plans -------------------------------------------------------------------------


class FiveYearPlanOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    start_year = serializers.IntegerField()
    end_year = serializers.IntegerField()
    territory = serializers.CharField(source="node.code")
    territory_name = serializers.CharField(source="node.name")


class FiveYearPlanListAPI(APIView):
    pagination_class = Pagination  # documented by the schema, used by the handler

    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=FiveYearPlanOutput(many=True),
        summary=_("五年规划列表"),
    )
    def get(self, request):
        plans = selectors.five_year_plans(scope=request.scope)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(plans, request, view=self)
        return paginator.get_paginated_response(FiveYearPlanOutput(page, many=True).data)


class MeasuresOutput(serializers.Serializer):
    compounds = serializers.IntegerField()
    households = serializers.IntegerField()
    floor_area = serializers.DecimalField(max_digits=None, decimal_places=2)
    investment = serializers.DecimalField(
        max_digits=None, decimal_places=2, help_text=_("元（估算投资）")
    )


class FiveYearPlanDetailAPI(APIView):
    class FiveYearPlanDetailOutput(FiveYearPlanOutput):
        class DistrictProgressOutput(serializers.Serializer):
            class YearDoneOutput(MeasuresOutput):
                year = serializers.IntegerField()

            class ShareOutput(serializers.Serializer):
                compounds = serializers.DecimalField(None, 4, allow_null=True)
                households = serializers.DecimalField(None, 4, allow_null=True)
                floor_area = serializers.DecimalField(None, 4, allow_null=True)
                investment = serializers.DecimalField(None, 4, allow_null=True)

            district = serializers.CharField(source="district.code")
            district_name = serializers.CharField(source="district.name")
            target = MeasuresOutput(help_text=_("五年目标"))
            by_year = YearDoneOutput(many=True, help_text=_("各年度已批准计划的完成量"))
            totals = MeasuresOutput(help_text=_("累计完成量"))
            share = ShareOutput(help_text=_("完成比例（1 为完成目标；目标为 0 时为空）"))

        years = serializers.ListField(child=serializers.IntegerField())
        progress = DistrictProgressOutput(many=True, help_text=_("各区目标与进度（本辖区）"))

    @extend_schema(responses=FiveYearPlanDetailOutput, summary=_("五年规划：各区目标与进度"))
    def get(self, request, pk: int):
        plan = selectors.get_five_year_plan(scope=request.scope, pk=pk)
        progress = selectors.five_year_progress(plan, request.scope)
        plan.years = progress["years"]
        plan.progress = [
            {
                **row,
                "by_year": [
                    {"year": year, **(cell or NOTHING_DONE)}
                    for year, cell in zip(progress["years"], row["by_year"], strict=True)
                ],
            }
            for row in progress["rows"]
        ]
        return Response(self.FiveYearPlanDetailOutput(plan).data)


# --- annual plans ----------------------------------------------------------------------------


class AnnualPlanOutput(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    five_year_plan = serializers.IntegerField(source="five_year_plan_id")
    five_year_plan_name = serializers.CharField(source="five_year_plan.name")
    territory = serializers.CharField(source="five_year_plan.node.code")
    status = serializers.CharField(help_text=_("draft、submitted、consolidated 或 approved"))
    status_name = serializers.CharField(source="get_status_display")
    total_budget = serializers.DecimalField(max_digits=16, decimal_places=2)
    approved_at = serializers.DateTimeField(allow_null=True)
    adopted_scenario = serializers.IntegerField(source="adopted_scenario_id", allow_null=True)


class BudgetOutput(serializers.Serializer):
    district = serializers.CharField(source="district.code")
    district_name = serializers.CharField(source="district.name")
    max_cost = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    min_count = serializers.IntegerField(allow_null=True)
    submitted_at = serializers.DateTimeField(
        allow_null=True, help_text=_("区工作专班报送的时间；市改造办代填时为空")
    )


class ProjectOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    district = serializers.CharField(source="district.code")
    district_name = serializers.CharField(source="district.name")
    estimated_cost = serializers.DecimalField(max_digits=16, decimal_places=2)
    is_carry_over = serializers.BooleanField()
    compounds = serializers.SerializerMethodField(help_text=_("项目所含小区编码"))

    def get_compounds(self, project) -> list[str]:
        return [compound.code for compound in project.compounds.all()]


class OverrideOutput(serializers.Serializer):
    compound = serializers.CharField(source="compound.code")
    compound_name = serializers.CharField(source="compound.name")
    action = serializers.CharField(help_text=_("add：调入；drop：调出"))
    action_name = serializers.CharField(source="get_action_display")
    reason = serializers.CharField()
    objective_before = serializers.FloatField()
    objective_after = serializers.FloatField()
    score_given_up = serializers.FloatField(help_text=_("调整前后最优总分之差"))
    added = serializers.ListField(
        source="added_codes",
        child=serializers.CharField(),
        help_text=_("重新求解后调入的小区编码（本辖区）"),
    )
    dropped = serializers.ListField(
        source="dropped_codes",
        child=serializers.CharField(),
        help_text=_("重新求解后调出的小区编码（本辖区）"),
    )
    created_by = serializers.CharField(source="created_by.username", default=None)
    created_at = serializers.DateTimeField()


def with_override_codes(overrides, scope) -> list:
    """Overrides with the compounds they added and dropped by code (those the viewer sees)."""
    overrides = list(overrides)
    codes = compound_codes(scope, {pk for o in overrides for pk in [*o.added, *o.dropped]})
    for override in overrides:
        override.added_codes = [codes[pk] for pk in override.added if pk in codes]
        override.dropped_codes = [codes[pk] for pk in override.dropped if pk in codes]
    return overrides


class AnnualPlanListAPI(APIView):
    pagination_class = Pagination  # documented by the schema, used by the handler

    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=AnnualPlanOutput(many=True),
        summary=_("年度计划列表"),
    )
    def get(self, request):
        plans = selectors.annual_plans(scope=request.scope)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(plans, request, view=self)
        return paginator.get_paginated_response(AnnualPlanOutput(page, many=True).data)


class AnnualPlanDetailAPI(APIView):
    class AnnualPlanDetailOutput(AnnualPlanOutput):
        class SelectionTotalOutput(serializers.Serializer):
            district = serializers.SerializerMethodField()
            district_name = serializers.CharField(source="district__name")
            count = serializers.IntegerField()
            cost = serializers.DecimalField(max_digits=16, decimal_places=2)
            score = serializers.FloatField()
            max_cost = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
            min_count = serializers.IntegerField(allow_null=True)

            def get_district(self, row) -> str:
                return code_of(row["district__path"])

        class SelectionOutput(serializers.Serializer):
            compound = serializers.CharField(source="compound.code")
            compound_name = serializers.CharField(source="compound.name")
            district = serializers.CharField(source="district.code")
            district_name = serializers.CharField(source="district.name")
            score = serializers.FloatField()
            cost = serializers.DecimalField(max_digits=16, decimal_places=2)
            package = serializers.CharField()
            forced = serializers.BooleanField(help_text=_("因人工调入而入选"))

        budgets = BudgetOutput(many=True, help_text=_("区级预算与报送（本辖区）"))
        selection_totals = SelectionTotalOutput(many=True, help_text=_("各区入选合计（本辖区）"))
        selections = SelectionOutput(
            source="selections_seen", many=True, help_text=_("入选小区（本辖区）")
        )
        overrides = OverrideOutput(
            source="overrides_seen", many=True, help_text=_("人工调整（本辖区）")
        )
        projects = ProjectOutput(
            source="projects_seen", many=True, help_text=_("批准后生成的项目（本辖区）")
        )
        carry_overs = ProjectOutput(many=True, help_text=_("上年结转的未完工项目（本辖区）"))

    @extend_schema(
        responses=AnnualPlanDetailOutput, summary=_("年度计划详情：预算、入选、调整、项目")
    )
    def get(self, request, pk: int):
        scope = request.scope
        plan = selectors.get_annual_plan(scope=scope, pk=pk)
        plan.budgets = selectors.district_budgets(plan, scope)
        plan.selection_totals = selectors.selection_totals(plan, scope)
        plan.selections_seen = selectors.selections(plan, scope)
        plan.overrides_seen = with_override_codes(selectors.overrides(plan, scope), scope)
        plan.projects_seen = with_compound_codes(selectors.projects(plan, scope))
        plan.carry_overs = with_compound_codes(selectors.carry_overs(plan, scope))
        return Response(self.AnnualPlanDetailOutput(plan).data)


class AnnualPlanAdvanceAPI(APIView):
    class AdvanceInput(serializers.Serializer):
        to_status = serializers.ChoiceField(
            choices=AnnualPlanStatus.choices, help_text=_("下一状态：报送、汇总或批准")
        )
        confirm = serializers.BooleanField(
            default=False,
            help_text=_(
                "批准不可撤销（冻结计划并生成项目），须明确传 true；否则答 400，说明将发生什么"
            ),
        )

    @extend_schema(
        request=AdvanceInput,
        responses=AnnualPlanOutput,
        summary=_("推进年度计划（草稿→报送→汇总→批准，市改造办）"),
    )
    def post(self, request, pk: int):
        plan = selectors.get_annual_plan(scope=request.scope, pk=pk)
        body = self.AdvanceInput(data=request.data)
        body.is_valid(raise_exception=True)
        plan = services.advance_annual_plan(
            actor=request.user,
            scope=request.scope,
            annual_plan=plan,
            to_status=body.validated_data["to_status"],
            confirmed=body.validated_data["confirm"],
        )
        return Response(AnnualPlanOutput(plan).data)


def budget_district(scope, annual_plan, code: str) -> Node:
    """A district of the plan's territory that the viewer sees; anything else is not found."""
    district = territory.get_node(scope, code)
    if district.kind not in DISTRICT_KINDS or not district.path.startswith(
        annual_plan.territory_path
    ):
        raise NotFound()
    return district


class AnnualPlanBudgetAPI(APIView):
    class BudgetInput(serializers.Serializer):
        max_cost = serializers.DecimalField(
            max_digits=16,
            decimal_places=2,
            min_value=Decimal(0),
            allow_null=True,
            default=None,
            help_text=_("预算上限（元）；空为不设上限"),
        )
        min_count = serializers.IntegerField(
            min_value=0, allow_null=True, default=None, help_text=_("最少项目数；空为不设")
        )

    @extend_schema(
        request=BudgetInput,
        responses=BudgetOutput,
        summary=_("报送区级预算（区工作专班报本区，市改造办可代填）"),
    )
    def put(self, request, pk: int, district_code: str):
        scope = request.scope
        plan = selectors.get_annual_plan(scope=scope, pk=pk)
        district = budget_district(scope, plan, district_code)
        body = self.BudgetInput(data=request.data)
        body.is_valid(raise_exception=True)
        budget = services.set_district_budget(
            actor=request.user,
            scope=scope,
            annual_plan=plan,
            district=district,
            **body.validated_data,
        )
        return Response(BudgetOutput(budget).data)


class AnnualPlanOverridesAPI(APIView):
    class OverrideInput(serializers.Serializer):
        compound = serializers.CharField(max_length=20, help_text=_("小区编码"))
        action = serializers.ChoiceField(choices=OverrideAction.choices)
        reason = serializers.CharField(max_length=2000, help_text=_("调整理由（必填）"))

        def validate_compound(self, code: str) -> Compound:
            compound = (
                territory.compound_list(scope=self.context["scope"]).filter(code=code).first()
            )
            if compound is None:
                raise serializers.ValidationError(_("找不到该小区，或不在您的辖区内。"))
            return compound

    @extend_schema(
        request=OverrideInput,
        responses={201: OverrideOutput},
        summary=_("人工调入或调出一个小区（写明理由，重新求解，市改造办）"),
    )
    def post(self, request, pk: int):
        scope = request.scope
        plan = selectors.get_annual_plan(scope=scope, pk=pk)
        body = self.OverrideInput(data=request.data, context={"scope": scope})
        body.is_valid(raise_exception=True)
        override = scenarios.override_selection(
            actor=request.user, scope=scope, annual_plan=plan, **body.validated_data
        )
        (override,) = with_override_codes([override], scope)
        return Response(OverrideOutput(override).data, status=status.HTTP_201_CREATED)


# --- scoring models --------------------------------------------------------------------------


class ModelVersionOutput(serializers.Serializer):
    class IndicatorOutput(serializers.Serializer):
        key = serializers.CharField()
        name_zh = serializers.CharField()
        name_en = serializers.CharField()
        criterion = serializers.CharField()
        weight = serializers.FloatField(help_text=_("录入的权重"))
        share = serializers.FloatField(help_text=_("归一化后的权重（合计为 1）"))
        direction = serializers.CharField()
        normalisation = serializers.CharField()

    class CriterionOutput(serializers.Serializer):
        key = serializers.CharField()
        name_zh = serializers.CharField()
        name_en = serializers.CharField()

    class WeightingOutput(serializers.Serializer):
        method = serializers.CharField(help_text=_("typed：直接录入；ahp：层次分析法"))
        ahp_method = serializers.CharField(default=None)
        consistency_ratio = serializers.FloatField(default=None, help_text=_("一致性比率 CR"))
        lambda_max = serializers.FloatField(default=None)
        matrix = serializers.ListField(
            child=serializers.ListField(child=serializers.CharField()), default=None
        )

    id = serializers.IntegerField()
    key = serializers.CharField()
    version = serializers.IntegerField()
    name = serializers.CharField(source="definition.name_zh")
    name_en = serializers.CharField(source="definition.name_en")
    note = serializers.CharField()
    weighting = WeightingOutput()
    criteria = serializers.SerializerMethodField()
    indicators = serializers.SerializerMethodField()
    created_by = serializers.CharField(source="created_by.username", default=None)
    created_at = serializers.DateTimeField()

    @extend_schema_field(CriterionOutput(many=True))
    def get_criteria(self, version) -> list[dict]:
        return [
            {"key": key, "name_zh": name_zh, "name_en": name_en}
            for key, name_zh, name_en in version.definition.get("criteria", [])
        ]

    @extend_schema_field(IndicatorOutput(many=True))
    def get_indicators(self, version) -> list[dict]:
        indicators = version.definition["indicators"]
        total = sum(row["weight"] for row in indicators) or 1
        return [
            self.IndicatorOutput({**row, "share": round(row["weight"] / total, 6)}).data
            for row in indicators
        ]


class ScoringModelListAPI(APIView):
    pagination_class = Pagination  # documented by the schema, used by the handler

    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=ModelVersionOutput(many=True),
        summary=_("评分模型各版本（指标、权重、赋权方式）"),
    )
    def get(self, request):
        rounds.default_model_version()  # the shipped model is stored on first use
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.model_versions(), request, view=self)
        return paginator.get_paginated_response(ModelVersionOutput(page, many=True).data)


@extend_schema_field({"oneOf": [{"type": "number"}, {"type": "string", "example": "1/3"}]})
class JudgementField(serializers.Field):
    """One cell of a pairwise matrix: a number or a fraction such as "1/3"; the engine checks
    Saaty's scale and the reciprocals."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float | str):
            raise serializers.ValidationError(_("判断值须为数字或分数，如 3 或 1/3。"))
        return data

    def to_representation(self, value):
        return value


class ScoringModelVersionsAPI(APIView):
    class VersionInput(serializers.Serializer):
        weights = serializers.DictField(
            child=serializers.FloatField(min_value=0),
            required=False,
            allow_empty=False,
            help_text=_("按指标标识录入权重；未列出的指标权重为 0"),
        )
        ahp_matrix = serializers.ListField(
            child=serializers.ListField(child=JudgementField()),
            required=False,
            allow_empty=False,
            help_text=_("AHP 两两比较判断矩阵，行列按模型指标顺序"),
        )
        ahp_method = serializers.ChoiceField(
            choices=[method.value for method in AhpMethod], default=AhpMethod.EIGENVECTOR
        )
        note = serializers.CharField(max_length=2000, allow_blank=True, default="")

        def validate(self, data):
            if ("weights" in data) == ("ahp_matrix" in data):
                message = _("请给出权重或 AHP 判断矩阵，二者选一。")
                raise serializers.ValidationError({"weights": message, "ahp_matrix": message})
            return data

    @extend_schema(
        request=VersionInput,
        responses={201: ModelVersionOutput},
        summary=_("由权重或 AHP 判断矩阵生成新版本（CR > 0.1 时拒绝并指出最不一致的判断）"),
    )
    def post(self, request, pk: int):
        base = selectors.get_model_version(pk)
        body = self.VersionInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        common = {"actor": request.user, "scope": request.scope, "base": base, "note": data["note"]}
        if "weights" in data:
            version = rounds.weigh_by_typed_weights(**common, weights=data["weights"])
        else:
            version = rounds.weigh_by_ahp(
                **common, matrix=data["ahp_matrix"], method=data["ahp_method"]
            )
        return Response(ModelVersionOutput(version).data, status=status.HTTP_201_CREATED)


# --- rounds ----------------------------------------------------------------------------------


class RoundOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    annual_plan = serializers.IntegerField(source="annual_plan_id")
    year = serializers.IntegerField(source="annual_plan.year")
    node = serializers.CharField(source="node.code")
    node_name = serializers.CharField(source="node.name")
    model = serializers.IntegerField(source="model_id")
    model_label = serializers.CharField(source="model")
    cost_per_m2 = serializers.DecimalField(max_digits=8, decimal_places=2)
    status = serializers.CharField()
    candidate_count = serializers.IntegerField()
    scored_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class ScenarioSummaryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    total_budget = serializers.DecimalField(max_digits=16, decimal_places=2)
    status = serializers.CharField()
    job = serializers.UUIDField(source="job_id", allow_null=True)
    created_at = serializers.DateTimeField()
    adopted_at = serializers.DateTimeField(allow_null=True)


class RoundListAPI(APIView):
    pagination_class = Pagination  # documented by the schema, used by the handler

    class RoundInput(serializers.Serializer):
        annual_plan = serializers.IntegerField()
        node = serializers.CharField(max_length=20, help_text=_("评分范围的辖区编码"))
        model = serializers.IntegerField(help_text=_("评分模型版本 id"))
        name = serializers.CharField(max_length=120)
        cost_per_m2 = serializers.DecimalField(
            max_digits=8, decimal_places=2, min_value=Decimal(0), default=Decimal("400")
        )

        def validate_annual_plan(self, pk: int):
            plan = selectors.annual_plans(scope=self.context["scope"]).filter(pk=pk).first()
            if plan is None:
                raise serializers.ValidationError(_("找不到该年度计划。"))
            return plan

        def validate_node(self, code: str) -> Node:
            node = territory.node_list(scope=self.context["scope"]).filter(code=code).first()
            if node is None:
                raise serializers.ValidationError(_("找不到该辖区，或不在您的辖区内。"))
            return node

        def validate_model(self, pk: int):
            version = selectors.model_versions().filter(pk=pk).first()
            if version is None:
                raise serializers.ValidationError(_("找不到该评分模型版本。"))
            return version

    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=RoundOutput(many=True),
        summary=_("评分轮次列表（非市改造办只见已公布的）"),
    )
    def get(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            selectors.rounds(scope=request.scope), request, view=self
        )
        return paginator.get_paginated_response(RoundOutput(page, many=True).data)

    @extend_schema(
        request=RoundInput, responses={201: RoundOutput}, summary=_("新建评分轮次（市改造办）")
    )
    def post(self, request):
        body = self.RoundInput(data=request.data, context={"scope": request.scope})
        body.is_valid(raise_exception=True)
        scoring_round = rounds.create_round(
            actor=request.user, scope=request.scope, **body.validated_data
        )
        return Response(RoundOutput(scoring_round).data, status=status.HTTP_201_CREATED)


def model_indicators(scoring_round) -> list[dict]:
    return [
        {"key": row["key"], "name_zh": row["name_zh"], "name_en": row["name_en"]}
        for row in scoring_round.model.definition["indicators"]
    ]


class RoundDetailAPI(APIView):
    class RoundDetailOutput(RoundOutput):
        class IndicatorNameOutput(serializers.Serializer):
            key = serializers.CharField()
            name_zh = serializers.CharField()
            name_en = serializers.CharField()

        indicators = IndicatorNameOutput(many=True, help_text=_("模型指标（评分表各列的顺序）"))
        scenarios = ScenarioSummaryOutput(
            source="scenarios_seen", many=True, help_text=_("比选方案（仅市改造办可见）")
        )

    @extend_schema(responses=RoundDetailOutput, summary=_("评分轮次详情"))
    def get(self, request, pk: int):
        scoring_round = selectors.get_round(scope=request.scope, pk=pk)
        scoring_round.indicators = model_indicators(scoring_round)
        scoring_round.scenarios_seen = selectors.scenarios(scoring_round, request.scope)
        return Response(self.RoundDetailOutput(scoring_round).data)


class RoundScoreAPI(APIView):
    @extend_schema(request=None, responses=RoundOutput, summary=_("评分（草稿可重新评分）"))
    def post(self, request, pk: int):
        scoring_round = selectors.get_round(scope=request.scope, pk=pk)
        scoring_round = rounds.score_round(
            actor=request.user, scope=request.scope, scoring_round=scoring_round
        )
        return Response(RoundOutput(scoring_round).data)


class RoundPublishAPI(APIView):
    class PublishInput(serializers.Serializer):
        confirm = serializers.BooleanField(
            default=False,
            help_text=_("公布不可撤销（冻结本轮并公示得分），须明确传 true；否则答 400"),
        )

    @extend_schema(
        request=PublishInput, responses=RoundOutput, summary=_("公布评分结果（此后不可更改）")
    )
    def post(self, request, pk: int):
        scoring_round = selectors.get_round(scope=request.scope, pk=pk)
        body = self.PublishInput(data=request.data)
        body.is_valid(raise_exception=True)
        scoring_round = rounds.publish_round(
            actor=request.user,
            scope=request.scope,
            scoring_round=scoring_round,
            confirmed=body.validated_data["confirm"],
        )
        return Response(RoundOutput(scoring_round).data)


class RoundEntriesAPI(APIView):
    pagination_class = Pagination  # documented by the schema, used by the handler

    class EntryOutput(serializers.Serializer):
        class IndicatorValueOutput(serializers.Serializer):
            raw = serializers.FloatField(allow_null=True, help_text=_("原始值；缺失为空"))
            points = serializers.FloatField()

        rank = serializers.IntegerField()
        total = serializers.FloatField()
        compound = serializers.CharField(source="compound.code")
        compound_name = serializers.CharField(source="compound.name")
        district = serializers.CharField(source="district.code")
        district_name = serializers.CharField(source="district.name")
        cost = serializers.DecimalField(max_digits=16, decimal_places=2)
        package = serializers.CharField()
        mandatory = serializers.BooleanField()
        indicators = serializers.SerializerMethodField()

        @extend_schema_field(serializers.DictField(child=IndicatorValueOutput()))
        def get_indicators(self, entry) -> dict:
            return {
                key: {"raw": raw, "points": points}
                for key, raw, points in zip(
                    self.context["keys"], entry.raw, entry.contributions, strict=True
                )
            }

    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=EntryOutput(many=True),
        summary=_("评分表：排名、总分、各指标原始值与得分（本辖区）"),
    )
    def get(self, request, pk: int):
        scoring_round = selectors.get_round(scope=request.scope, pk=pk)
        entries = selectors.round_entries(scoring_round, request.scope)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(entries, request, view=self)
        keys = [row["key"] for row in model_indicators(scoring_round)]
        output = self.EntryOutput(page, many=True, context={"keys": keys})
        return paginator.get_paginated_response(output.data)


class RoundEntryAPI(APIView):
    class BreakdownOutput(serializers.Serializer):
        class LineOutput(serializers.Serializer):
            key = serializers.CharField()
            name = serializers.CharField()
            criterion = serializers.CharField()
            value = serializers.CharField(allow_null=True, help_text=_("原始值（可读形式）"))
            points = serializers.FloatField()
            max_points = serializers.FloatField()
            percent = serializers.FloatField()

        round = serializers.IntegerField(source="entry.round_id")
        compound = serializers.CharField(source="entry.compound.code")
        compound_name = serializers.CharField(source="entry.compound.name")
        district = serializers.CharField(source="entry.district.code")
        rank = serializers.IntegerField(source="entry.rank")
        total = serializers.FloatField(source="entry.total")
        cost = serializers.DecimalField(source="entry.cost", max_digits=16, decimal_places=2)
        model = serializers.CharField(source="model.label")
        lines = LineOutput(many=True)
        sentences = serializers.ListField(child=serializers.CharField())

    @extend_schema(
        responses=BreakdownOutput,
        summary=_("一个小区的得分明细与说明（按请求语言）"),
    )
    def get(self, request, pk: int, compound_code: str):
        scope = request.scope
        scoring_round = selectors.get_round(scope=scope, pk=pk)
        compound = territory.get_compound(scope, compound_code)
        entry = selectors.get_round_entry(scoring_round, scope, compound.pk)
        explained = {**selectors.breakdown(entry, language()), "entry": entry}
        return Response(self.BreakdownOutput(explained).data)


# --- scenarios -------------------------------------------------------------------------------


class CapsField(serializers.DictField):
    """District caps keyed by district code, stored keyed by district id as the service does."""

    class CapInput(serializers.Serializer):
        max_cost = serializers.DecimalField(
            max_digits=16, decimal_places=2, min_value=Decimal(0), allow_null=True, default=None
        )
        min_count = serializers.IntegerField(min_value=0, allow_null=True, default=None)

    def __init__(self, **kwargs):
        super().__init__(child=self.CapInput(), **kwargs)


class ScenarioOutput(ScenarioSummaryOutput):
    class CapOutput(serializers.Serializer):
        max_cost = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
        min_count = serializers.IntegerField(allow_null=True)

    class ResultOutput(serializers.Serializer):
        class DistrictTotalOutput(serializers.Serializer):
            name = serializers.CharField()
            count = serializers.IntegerField()
            cost = serializers.FloatField()
            score = serializers.FloatField()
            carry_over_cost = serializers.FloatField()

        class BaselineOutput(serializers.Serializer):
            objective = serializers.FloatField()
            total_cost = serializers.FloatField()
            selected_count = serializers.IntegerField()
            is_feasible = serializers.BooleanField()

        status = serializers.CharField(help_text=_("optimal、feasible、infeasible 或 failed"))
        objective = serializers.FloatField(allow_null=True, help_text=_("入选小区总分"))
        bound = serializers.FloatField(allow_null=True, help_text=_("总分上界"))
        gap = serializers.FloatField(allow_null=True)
        total_cost = serializers.FloatField(allow_null=True)
        seconds = serializers.FloatField(allow_null=True)
        score_per_10k_yuan = serializers.FloatField(allow_null=True)
        selected = serializers.ListField(child=serializers.CharField(), help_text=_("小区编码"))
        carried_over = serializers.ListField(
            child=serializers.CharField(), help_text=_("上年结转项目编号")
        )
        by_district = serializers.DictField(
            child=DistrictTotalOutput(), help_text=_("按区编码的入选合计")
        )
        baselines = serializers.DictField(
            child=BaselineOutput(), help_text=_("贪心基准：按分数、按每元分数")
        )
        explanation = serializers.ListField(child=serializers.CharField())
        explanation_en = serializers.ListField(child=serializers.CharField())

    round = serializers.IntegerField(source="round_id")
    annual_plan = serializers.IntegerField(source="round.annual_plan_id")
    caps = serializers.DictField(source="caps_by_code", child=CapOutput())
    weights = serializers.DictField(child=serializers.FloatField())
    time_limit = serializers.FloatField()
    result = ResultOutput(source="result_by_code", allow_null=True)


def with_codes(scenario, scope):
    """The scenario's caps and answer with districts, compounds and projects by code."""
    result = scenario.result or {}
    chosen = result.get("selected", [])
    carried = [
        int(key.removeprefix(scenarios.CARRY_PREFIX))
        for key in chosen
        if key.startswith(scenarios.CARRY_PREFIX)
    ]
    compound_ids = [int(key) for key in chosen if not key.startswith(scenarios.CARRY_PREFIX)]
    by_district = result.get("by_district", {})
    compounds = compound_codes(scope, compound_ids)
    districts = district_codes(scope, {int(pk) for pk in [*scenario.caps, *by_district]})
    projects = selectors.project_codes(scope, carried)
    scenario.caps_by_code = {
        districts[int(pk)]: cap for pk, cap in scenario.caps.items() if int(pk) in districts
    }
    scenario.result_by_code = None
    if scenario.result is not None:
        scenario.result_by_code = {
            "status": result["status"],
            **{name: result.get(name) for name in SOLVER_FIGURES},
            "selected": [compounds[pk] for pk in compound_ids if pk in compounds],
            "carried_over": [projects[pk] for pk in carried if pk in projects],
            "by_district": {
                districts[int(pk)]: {"carry_over_cost": 0.0, **row}
                for pk, row in by_district.items()
                if int(pk) in districts
            },
            "baselines": result.get("baselines", {}),
            "explanation": result.get("explanation", []),
            "explanation_en": result.get("explanation_en", []),
        }
    return scenario


class RoundScenariosAPI(APIView):
    class ScenarioInput(serializers.Serializer):
        name = serializers.CharField(max_length=120)
        total_budget = serializers.DecimalField(
            max_digits=16, decimal_places=2, min_value=Decimal(0), help_text=_("总预算（元）")
        )
        caps = CapsField(
            required=False,
            help_text=_("按区编码的预算上限和最少项目数；不给时用各区报送的数"),
        )
        weights = serializers.DictField(
            child=serializers.FloatField(min_value=0),
            required=False,
            allow_empty=False,
            help_text=_("另设权重重新计分；未列出的指标权重为 0"),
        )
        time_limit = serializers.FloatField(min_value=1, max_value=600, default=10)

        def validate_caps(self, caps: dict) -> dict:
            found = territory.node_list(scope=self.context["scope"]).filter(
                kind__in=DISTRICT_KINDS, code__in=list(caps)
            )
            ids = dict(found.values_list("code", "pk"))
            unknown = sorted(set(caps) - set(ids))
            if unknown:
                raise serializers.ValidationError(
                    _("找不到这些区，或不在您的辖区内：%(codes)s") % {"codes": "、".join(unknown)}
                )
            return {
                str(ids[code]): {
                    "max_cost": None if cap["max_cost"] is None else str(cap["max_cost"]),
                    "min_count": cap["min_count"],
                }
                for code, cap in caps.items()
            }

    class ScenarioQueuedOutput(serializers.Serializer):
        id = serializers.IntegerField()
        status = serializers.CharField()
        job = serializers.UUIDField(source="job_id")
        progress_url = serializers.SerializerMethodField(help_text=_("后台求解进度"))

        def get_progress_url(self, scenario) -> str:
            return reverse("api-task-detail", kwargs={"pk": scenario.job_id})

    @extend_schema(
        responses=ScenarioSummaryOutput(many=True),
        summary=_("本轮的比选方案（仅市改造办）"),
    )
    def get(self, request, pk: int):
        scoring_round = selectors.get_round(scope=request.scope, pk=pk)
        found = selectors.scenarios(scoring_round, request.scope)
        return Response(ScenarioSummaryOutput(found, many=True).data)

    @extend_schema(
        request=ScenarioInput,
        responses={202: ScenarioQueuedOutput},
        summary=_("新建比选方案并在后台求解（市改造办）"),
    )
    def post(self, request, pk: int):
        scope = request.scope
        scoring_round = selectors.get_round(scope=scope, pk=pk)
        body = self.ScenarioInput(data=request.data, context={"scope": scope})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        scenario = scenarios.create_scenario(
            actor=request.user,
            scope=scope,
            scoring_round=scoring_round,
            name=data["name"],
            total_budget=data["total_budget"],
            caps=data.get("caps"),
            weights=data.get("weights"),
            time_limit=data["time_limit"],
        )
        output = self.ScenarioQueuedOutput(scenario).data
        return Response(output, status=status.HTTP_202_ACCEPTED)


class ScenarioDetailAPI(APIView):
    @extend_schema(responses=ScenarioOutput, summary=_("比选方案与求解结果（仅市改造办）"))
    def get(self, request, pk: int):
        scenario = selectors.get_scenario(scope=request.scope, pk=pk)
        return Response(ScenarioOutput(with_codes(scenario, request.scope)).data)


class ScenarioAdoptAPI(APIView):
    @extend_schema(
        request=None,
        responses=AnnualPlanOutput,
        summary=_("采用方案为年度计划的入选名单（市改造办）"),
    )
    def post(self, request, pk: int):
        scenario = selectors.get_scenario(scope=request.scope, pk=pk)
        plan = scenarios.adopt_scenario(actor=request.user, scope=request.scope, scenario=scenario)
        return Response(AnnualPlanOutput(plan).data)
