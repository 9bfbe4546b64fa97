"""Satisfaction check API: a project's survey (read the sample and its figures, draw it),
its answers (staff read them and record phone or visit answers), closing it, and satisfaction
per district and construction unit.

Scoped like the pages: the project is fetched through the projects the viewer may see, so
another district's answers 404 like a missing one. Sampled households are named by their
public label ("1栋-1单元-101"), never by a sign-in code, and carry no names or phones.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from anju.core.api import Pagination
from anju.core.errors import DomainError

from ..models import SampledHousehold, SatisfactionAnswer
from ..selectors import projects as project_selectors
from ..selectors import sampling as selectors
from ..services import sampling as services


class ConstructionSatisfactionOutput(serializers.Serializer):
    label = serializers.CharField()
    surveys = serializers.IntegerField()
    sample_size = serializers.IntegerField()
    responses = serializers.IntegerField()
    non_responses = serializers.IntegerField()
    response_rate = serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True, help_text=_("答卷数 / 样本量，百分数")
    )
    non_response_rate = serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True, help_text=_("未答户数 / 样本量，百分数")
    )
    satisfied = serializers.IntegerField(help_text=_("总体满意度 4 或 5 分的答卷数"))
    satisfied_share = serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True, help_text=_("满意答卷 / 答卷数，百分数")
    )
    mean_overall = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    mean_quality = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    mean_conduct = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    by_channel = serializers.DictField(child=serializers.IntegerField())


class ConstructionSampleStratumOutput(serializers.Serializer):
    building = serializers.CharField(source="name")
    households = serializers.IntegerField()
    allocated = serializers.IntegerField()
    labels = serializers.ListField(child=serializers.CharField(), help_text=_("按排序键升序"))


class ConstructionPublicSampleStratumOutput(ConstructionSampleStratumOutput):
    households = serializers.IntegerField(help_text=_("本楼可抽取的住户数（不含开发商未售房屋）"))
    labels = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("抽中住户的公开标识（楼栋-单元-房号），按排序键升序"),
    )
    frame_labels = serializers.ListField(
        source="population_labels",
        child=serializers.CharField(),
        help_text=_("本楼全部可抽取住户的公开标识，用于重新抽取"),
    )


class ConstructionPublicSamplingOutput(serializers.Serializer):
    """What the public construction notice publishes of a drawn sample
    (`selectors.sampling.published_draw`): labels and figures only, no answers."""

    class RecipeOutput(serializers.Serializer):
        building = serializers.CharField()
        share = serializers.IntegerField()
        script = serializers.CharField(help_text=_("在装有 GNU coreutils 的终端运行，重新抽取本楼"))

        class Meta:
            ref_name = "ConstructionSamplingRecipe"

    seed = serializers.CharField(source="survey.seed")
    confidence = serializers.DecimalField(
        source="survey.confidence", max_digits=4, decimal_places=3
    )
    margin = serializers.DecimalField(source="survey.margin", max_digits=4, decimal_places=3)
    population = serializers.IntegerField(source="survey.population")
    n0 = serializers.DecimalField(source="survey.n0", max_digits=10, decimal_places=2)
    sample_size = serializers.IntegerField(source="survey.sample_size")
    drawn_at = serializers.DateTimeField(source="survey.drawn_at")
    closes_on = serializers.DateField(source="survey.closes_on")
    formula = serializers.ListField(source="figures.formula_lines", child=serializers.CharField())
    strata = ConstructionPublicSampleStratumOutput(source="figures.rows", many=True)
    responses = serializers.IntegerField(source="stats.responses", help_text=_("已收答卷数"))
    response_rate = serializers.DecimalField(
        source="stats.response_rate",
        max_digits=5,
        decimal_places=1,
        allow_null=True,
        help_text=_("答卷数 / 样本量，百分数"),
    )
    recipe = RecipeOutput(allow_null=True)
    verify_command = serializers.CharField(help_text=_("服务器上重新抽取并逐户比对的命令"))


class ConstructionSurveyOutput(serializers.Serializer):
    project = serializers.CharField(source="project.code")
    seed = serializers.CharField()
    confidence = serializers.DecimalField(max_digits=4, decimal_places=3)
    margin = serializers.DecimalField(max_digits=4, decimal_places=3)
    population = serializers.IntegerField()
    n0 = serializers.DecimalField(max_digits=10, decimal_places=2)
    sample_size = serializers.IntegerField()
    drawn_at = serializers.DateTimeField()
    closes_on = serializers.DateField()
    closed_at = serializers.DateTimeField(allow_null=True)
    formula = serializers.SerializerMethodField()
    strata = serializers.SerializerMethodField()
    satisfaction = serializers.SerializerMethodField()

    def _figures(self, survey) -> selectors.DrawFigures:
        cache = self.__dict__.setdefault("_figures_cache", {})
        if survey.pk not in cache:
            cache[survey.pk] = selectors.draw_figures(survey)
        return cache[survey.pk]

    def get_formula(self, survey) -> list[str]:
        return list(self._figures(survey).formula_lines)

    @extend_schema(responses=ConstructionSampleStratumOutput(many=True))
    def get_strata(self, survey) -> list[dict]:
        return ConstructionSampleStratumOutput(self._figures(survey).rows, many=True).data

    def get_satisfaction(self, survey) -> dict:
        return ConstructionSatisfactionOutput(selectors.project_satisfaction(survey)).data


class ConstructionAnswerOutput(serializers.Serializer):
    id = serializers.IntegerField()
    household = serializers.SerializerMethodField(help_text=_("住户的公开标识"))
    channel = serializers.ChoiceField(choices=SatisfactionAnswer.Channel.choices)
    overall = serializers.IntegerField()
    quality = serializers.IntegerField()
    conduct = serializers.IntegerField()
    comment = serializers.CharField()
    recorded_by = serializers.CharField(
        source="recorded_by.get_username", allow_null=True, default=None
    )
    answered_at = serializers.DateTimeField()

    def get_household(self, answer) -> str:
        return self.context["labels"].get(answer.household_id, "")


class ProjectSamplingAPI(APIView):
    class ConstructionSamplingDrawInput(serializers.Serializer):
        confidence = serializers.DecimalField(
            max_digits=4, decimal_places=3, required=False, help_text=_("置信水平，默认 0.95")
        )
        margin = serializers.DecimalField(
            max_digits=4, decimal_places=3, required=False, help_text=_("允许误差，默认 0.05")
        )

    @extend_schema(responses=ConstructionSurveyOutput, summary=_("项目的满意度测评样本与结果"))
    def get(self, request, pk: int):
        project = project_selectors.get_project(request.scope, pk)
        survey = selectors.get_survey(request.scope, project.pk)
        return Response(ConstructionSurveyOutput(survey).data)

    @extend_schema(
        request=ConstructionSamplingDrawInput,
        responses={201: ConstructionSurveyOutput},
        summary=_("抽取满意度测评样本（联合验收后，每个项目一次）"),
    )
    def post(self, request, pk: int):
        project = project_selectors.get_project(request.scope, pk)
        body = self.ConstructionSamplingDrawInput(data=request.data)
        body.is_valid(raise_exception=True)
        survey = services.draw_sample(
            actor=request.user,
            scope=request.scope,
            project=project,
            confidence=body.validated_data.get("confidence"),
            margin=body.validated_data.get("margin"),
        )
        survey = selectors.get_survey(request.scope, project.pk)
        return Response(ConstructionSurveyOutput(survey).data, status=status.HTTP_201_CREATED)


class ProjectSamplingAnswersAPI(APIView):
    pagination_class = Pagination  # documented by the schema, used by the handler

    class ConstructionSamplingAnswerInput(serializers.Serializer):
        household = serializers.CharField(max_length=120, help_text=_("样本中住户的公开标识"))
        channel = serializers.ChoiceField(
            choices=[
                (SatisfactionAnswer.Channel.PHONE, SatisfactionAnswer.Channel.PHONE.label),
                (SatisfactionAnswer.Channel.VISIT, SatisfactionAnswer.Channel.VISIT.label),
            ]
        )
        overall = serializers.IntegerField(min_value=1, max_value=5)
        quality = serializers.IntegerField(min_value=1, max_value=5)
        conduct = serializers.IntegerField(min_value=1, max_value=5)
        comment = serializers.CharField(max_length=500, required=False, allow_blank=True)

    @extend_schema(
        responses=ConstructionAnswerOutput(many=True), summary=_("满意度测评答卷（工作人员）")
    )
    def get(self, request, pk: int):
        project = project_selectors.get_project(request.scope, pk)
        survey = selectors.get_survey(request.scope, project.pk)
        context = {"labels": selectors.answer_labels(survey)}
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.answers_of(survey), request, view=self)
        rows = ConstructionAnswerOutput(page, many=True, context=context).data
        return paginator.get_paginated_response(rows)

    @extend_schema(
        request=ConstructionSamplingAnswerInput,
        responses={201: ConstructionAnswerOutput},
        summary=_("代录样本住户的电话回访或入户走访答卷"),
    )
    def post(self, request, pk: int):
        project = project_selectors.get_project(request.scope, pk)
        survey = selectors.get_survey(request.scope, project.pk)
        body = self.ConstructionSamplingAnswerInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        sampled = SampledHousehold.objects.filter(
            survey=survey, household_code=data["household"].strip()
        ).first()
        if sampled is None:
            message = _("该住户不在本次满意度测评的样本中。")
            raise DomainError(message, code="not_sampled", fields={"household": [message]})
        answer = services.record_answer(
            actor=request.user,
            scope=request.scope,
            survey=survey,
            sampled=sampled,
            channel=data["channel"],
            overall=data["overall"],
            quality=data["quality"],
            conduct=data["conduct"],
            comment=data.get("comment", ""),
        )
        context = {"labels": selectors.answer_labels(survey)}
        return Response(
            ConstructionAnswerOutput(answer, context=context).data, status=status.HTTP_201_CREATED
        )


class ProjectSamplingCloseAPI(APIView):
    class ClosingOutput(serializers.Serializer):
        stewarded = serializers.BooleanField(help_text=_("项目是否已进入长效管理阶段"))
        missing_schemes = serializers.ListField(
            child=serializers.CharField(), help_text=_("尚无长效管理方案的小区编码")
        )
        message = serializers.CharField()

        class Meta:
            ref_name = "ConstructionSamplingClosing"

    @extend_schema(
        request=None,
        responses=ClosingOutput,
        summary=_("结束满意度测评（长效管理方案已落实时项目进入长效管理）"),
    )
    def post(self, request, pk: int):
        project = project_selectors.get_project(request.scope, pk)
        survey = selectors.get_survey(request.scope, project.pk)
        closing = services.close_survey(actor=request.user, scope=request.scope, survey=survey)
        body = {
            "stewarded": closing.stewarded,
            "missing_schemes": [compound.code for compound in closing.missing_schemes],
            "message": closing.message,
        }
        return Response(self.ClosingOutput(body).data)


class SatisfactionStatsAPI(APIView):
    class StatsOutput(serializers.Serializer):
        by_district = ConstructionSatisfactionOutput(many=True)
        by_construction_unit = ConstructionSatisfactionOutput(many=True)

        class Meta:
            ref_name = "ConstructionSatisfactionStats"

    @extend_schema(responses=StatsOutput, summary=_("满意度（按区、按施工单位），含未答率"))
    def get(self, request):
        scope = request.scope
        body = {
            "by_district": selectors.satisfaction_by_district(scope),
            "by_construction_unit": selectors.satisfaction_by_construction_unit(scope),
        }
        return Response(self.StatsOutput(body).data)
