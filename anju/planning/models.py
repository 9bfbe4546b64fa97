"""Plans lead, plans fix projects (规划引领计划、计划明确项目).

A five-year plan sets targets per district; annual plans under it carry district budgets and
the year's projects. An annual plan moves draft → submitted (by the districts) → consolidated
(by the city) → approved; an approved plan is frozen. Selecting a compound (or a package of
adjacent compounds) into an approved plan creates its Project, the unit of delivery.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anju.territory.models import Compound, Node, Stage


class FiveYearPlan(models.Model):
    name = models.CharField(_("名称"), max_length=120)
    start_year = models.PositiveSmallIntegerField(_("起始年"))
    end_year = models.PositiveSmallIntegerField(_("终止年"))
    node = models.ForeignKey(
        Node, on_delete=models.PROTECT, related_name="+", verbose_name=_("编制辖区")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("五年规划")
        verbose_name_plural = _("五年规划")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="five_year_plan_years_ordered",
            ),
            models.UniqueConstraint(fields=["node", "start_year"], name="one_plan_per_period"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def territory_path(self) -> str:
        return self.node.path


class DistrictTarget(models.Model):
    """What a district promises over the five years."""

    plan = models.ForeignKey(FiveYearPlan, on_delete=models.CASCADE, related_name="targets")
    district = models.ForeignKey(
        Node, on_delete=models.PROTECT, related_name="+", verbose_name=_("区")
    )
    compounds = models.PositiveIntegerField(_("小区数"), default=0)
    households = models.PositiveIntegerField(_("户数"), default=0)
    floor_area = models.DecimalField(
        _("建筑面积(m²)"),
        max_digits=14,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    investment = models.DecimalField(
        _("投资(元)"), max_digits=16, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("规划目标")
        verbose_name_plural = _("规划目标")
        constraints = [
            models.UniqueConstraint(fields=["plan", "district"], name="one_target_per_district")
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.district}"


class AnnualPlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("各区已报送")
    CONSOLIDATED = "consolidated", _("市级已汇总")
    APPROVED = "approved", _("已批准")


class AnnualPlan(models.Model):
    five_year_plan = models.ForeignKey(
        FiveYearPlan, on_delete=models.PROTECT, related_name="annual_plans"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(
        _("状态"),
        max_length=14,
        choices=AnnualPlanStatus.choices,
        default=AnnualPlanStatus.DRAFT,
        editable=False,
    )
    total_budget = models.DecimalField(
        _("总预算(元)"),
        max_digits=16,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    adopted_scenario = models.ForeignKey(
        "Scenario",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("年度计划")
        verbose_name_plural = _("年度计划")
        constraints = [
            models.UniqueConstraint(fields=["five_year_plan", "year"], name="one_annual_plan")
        ]

    def __str__(self) -> str:
        return f"{self.year}"

    @property
    def is_frozen(self) -> bool:
        return self.status == AnnualPlanStatus.APPROVED

    @property
    def territory_path(self) -> str:
        return self.five_year_plan.node.path


class DistrictBudget(models.Model):
    """A district's cap and minimum number of projects in an annual plan, and its report."""

    annual_plan = models.ForeignKey(
        AnnualPlan, on_delete=models.CASCADE, related_name="district_budgets"
    )
    district = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    max_cost = models.DecimalField(
        _("预算上限(元)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    min_count = models.PositiveIntegerField(_("最少项目数"), null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("区级预算")
        verbose_name_plural = _("区级预算")
        constraints = [
            models.UniqueConstraint(
                fields=["annual_plan", "district"], name="one_budget_per_district"
            )
        ]

    def __str__(self) -> str:
        return f"{self.annual_plan} {self.district}"


class Project(models.Model):
    """The unit of delivery: one compound, or a package of adjacent compounds (连片改造)."""

    annual_plan = models.ForeignKey(AnnualPlan, on_delete=models.PROTECT, related_name="projects")
    code = models.CharField(_("项目编号"), max_length=40, unique=True)
    name = models.CharField(_("项目名称"), max_length=160)
    district = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=120, db_index=True, editable=False)
    compounds = models.ManyToManyField(Compound, related_name="projects")
    estimated_cost = models.DecimalField(
        _("估算投资(元)"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )
    is_carry_over = models.BooleanField(_("上年结转"), default=False)
    # From `planned` on the stage belongs to the project (ARCHITECTURE.md); only the owning
    # app's service changes it (design: designed → noticed → approved), and its compounds
    # follow through `territory.services.move_compounds`.
    stage = models.CharField(
        _("阶段"), max_length=16, choices=Stage.choices, default=Stage.PLANNED, db_index=True
    )
    starts_on = models.DateField(_("计划开工"), null=True, blank=True)
    ends_on = models.DateField(_("计划完工"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("项目")
        verbose_name_plural = _("项目")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.path = self.district.path
        super().save(*args, **kwargs)

    @property
    def territory_path(self) -> str:
        return self.path


# --- Scoring (综合评估打分) -----------------------------------------------------------------


class ScoringModelVersion(models.Model):
    """One frozen version of a scoring model: the engine's `ScoringModel.as_dict()`.

    Versions are never edited: new weights, an AHP matrix or an added manual indicator make a
    new version, so a published round always points at exactly the weights it used."""

    key = models.CharField(_("模型标识"), max_length=40)
    version = models.PositiveIntegerField(_("版本"))
    definition = models.JSONField(editable=False)
    weighting = models.JSONField(
        default=dict, editable=False, help_text="how the weights were set: typed or AHP"
    )
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key", "-version"]
        verbose_name = _("评分模型版本")
        verbose_name_plural = _("评分模型版本")
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="one_model_version")]

    def __str__(self) -> str:
        return f"{self.definition.get('name_zh', self.key)} v{self.version}"

    def engine_model(self):
        from anju.engine.scoring import ScoringModel

        return ScoringModel.from_dict(self.definition)


class ManualIndicator(models.Model):
    """An indicator the city office adds and the districts fill in, one value per compound,
    each with its evidence (a scan, a photo, a report)."""

    key = models.SlugField(_("指标标识"), max_length=40, unique=True)
    name_zh = models.CharField(_("中文名称"), max_length=60)
    name_en = models.CharField(_("英文名称"), max_length=80)
    guidance = models.TextField(_("填报说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("人工指标")
        verbose_name_plural = _("人工指标")

    def __str__(self) -> str:
        return self.name_zh


class ManualValue(models.Model):
    indicator = models.ForeignKey(ManualIndicator, on_delete=models.CASCADE, related_name="values")
    compound = models.ForeignKey(Compound, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=150, db_index=True, editable=False)
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=4)
    evidence = models.FileField(_("佐证材料"), upload_to="evidence/%Y/%m/")
    note = models.CharField(_("备注"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("人工指标值")
        verbose_name_plural = _("人工指标值")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "compound"], name="one_manual_value")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.compound}"

    @property
    def territory_path(self) -> str:
        return self.path


class SurveyIndicators(models.Model):
    """What the survey (摸底调查) found in a compound, as a scoring round reads it.

    `safety_hazards` and `facility_gaps` count the survey's findings of each kind by severity,
    e.g. {"critical": 1, "major": 2}; the engine weighs them (`engine.scoring.severity_points`:
    critical 5, major 3, minor 1), so the indicators are severity-weighted counts of the
    compound's hazards and shortfalls, compared by rank. A count per compound, not per
    building: compound-wide findings (roads, refuse, parking) name no building, and size is
    scored on its own (households benefited). A row means the compound was surveyed, so no
    findings scores 0 rather than missing.

    Design keeps the findings and writes this row through
    `services.record_survey_indicators` after every change (planning sits below design and
    never reads its tables)."""

    compound = models.OneToOneField(
        Compound, on_delete=models.CASCADE, related_name="survey_indicators"
    )
    safety_hazards = models.JSONField(_("安全隐患（按严重程度计数）"), default=dict, blank=True)
    facility_gaps = models.JSONField(_("设施短板（按严重程度计数）"), default=dict, blank=True)
    surveyed_at = models.DateTimeField(_("调查更新时间"))

    class Meta:
        verbose_name = _("摸底调查指标")
        verbose_name_plural = _("摸底调查指标")

    def __str__(self) -> str:
        return str(self.compound)

    def clean(self):
        from anju.engine.scoring import SEVERITY_POINTS

        for name in ("safety_hazards", "facility_gaps"):
            counts = getattr(self, name)
            valid = isinstance(counts, dict) and all(
                key in SEVERITY_POINTS and type(n) is int and n >= 0 for key, n in counts.items()
            )
            if not valid:
                raise ValidationError({name: _("应为各严重程度的非负整数计数。")})


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已公布")


class ScoringRound(models.Model):
    """Every candidate compound of a territory scored with one model version. A draft can be
    re-scored; a published round is frozen and shown to residents."""

    annual_plan = models.ForeignKey(AnnualPlan, on_delete=models.PROTECT, related_name="rounds")
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=150, db_index=True, editable=False)
    name = models.CharField(_("名称"), max_length=120)
    model = models.ForeignKey(ScoringModelVersion, on_delete=models.PROTECT, related_name="+")
    cost_per_m2 = models.DecimalField(
        _("估算单价(元/m²)"),
        max_digits=8,
        decimal_places=2,
        default=400,
        validators=[MinValueValidator(0)],
    )
    status = models.CharField(
        max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT, editable=False
    )
    scored_at = models.DateTimeField(null=True, editable=False)
    candidate_count = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("评分轮次")
        verbose_name_plural = _("评分轮次")

    def __str__(self) -> str:
        return self.name

    @property
    def is_published(self) -> bool:
        return self.status == RoundStatus.PUBLISHED

    @property
    def territory_path(self) -> str:
        return self.path


class RoundEntry(models.Model):
    """One compound's line of a round: rank, total, and per indicator (in the model's order)
    its raw value (None when missing) and its contribution in points."""

    round = models.ForeignKey(ScoringRound, on_delete=models.CASCADE, related_name="entries")
    compound = models.ForeignKey(Compound, on_delete=models.PROTECT, related_name="round_entries")
    district = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=150, editable=False)
    rank = models.PositiveIntegerField()
    total = models.FloatField()
    raw = models.JSONField()
    contributions = models.JSONField()
    cost = models.DecimalField(max_digits=16, decimal_places=2)
    package = models.CharField(max_length=40, blank=True)
    mandatory = models.BooleanField(default=False)

    class Meta:
        ordering = ["rank", "compound_id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "compound"], name="one_entry_per_compound")
        ]
        indexes = [models.Index(fields=["round", "rank"])]

    def __str__(self) -> str:
        return f"{self.round} #{self.rank} {self.compound}"

    @property
    def territory_path(self) -> str:
        return self.path


# --- Scenarios and the plan's selection (竞争性生成) -----------------------------------------


class ScenarioStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class SolverStatus(models.TextChoices):
    """What the solver proved (`engine.selection.Selection.status`, or "failed")."""

    OPTIMAL = "optimal", _("已证明最优")
    FEASIBLE = "feasible", _("可行解（未证明最优，见差距）")
    INFEASIBLE = "infeasible", _("无可行解")
    FAILED = "failed", _("求解失败")


class Scenario(models.Model):
    """One selection over a round: a budget, district caps and minimums, optionally other
    weights. Solved in the background; the answer (the engine's `result_as_dict` plus totals
    by district) is kept as it was."""

    round = models.ForeignKey(ScoringRound, on_delete=models.CASCADE, related_name="scenarios")
    name = models.CharField(_("方案名称"), max_length=120)
    total_budget = models.DecimalField(
        _("总预算(元)"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )
    caps = models.JSONField(default=dict, blank=True)
    weights = models.JSONField(default=dict, blank=True)
    time_limit = models.FloatField(_("求解时限(秒)"), default=10)
    status = models.CharField(
        max_length=10,
        choices=ScenarioStatus.choices,
        default=ScenarioStatus.QUEUED,
        editable=False,
    )
    result = models.JSONField(null=True, editable=False)
    job = models.ForeignKey(
        "core.TaskProgress", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    adopted_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("比选方案")
        verbose_name_plural = _("比选方案")

    def __str__(self) -> str:
        return self.name

    @property
    def territory_path(self) -> str:
        return self.round.path

    @property
    def selected_ids(self) -> list[str]:
        return list((self.result or {}).get("selected", []))

    @property
    def solver_status_label(self) -> str:
        """The solver's status in words ("optimal" → 已证明最优); '' before it is solved."""
        status = (self.result or {}).get("status", "")
        return str(SolverStatus(status).label) if status in SolverStatus.values else status


class PlanSelection(models.Model):
    """A compound chosen into an annual plan (from the adopted scenario, as re-solved after
    overrides). On approval each compound, or each package, becomes a Project."""

    annual_plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="selections")
    compound = models.ForeignKey(Compound, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=150, editable=False)
    score = models.FloatField()
    cost = models.DecimalField(max_digits=16, decimal_places=2)
    package = models.CharField(max_length=40, blank=True)
    forced = models.BooleanField(default=False)

    class Meta:
        ordering = ["district__path", "-score", "compound_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["annual_plan", "compound"], name="one_selection_per_compound"
            )
        ]

    def __str__(self) -> str:
        return f"{self.annual_plan} {self.compound}"


class OverrideAction(models.TextChoices):
    ADD = "add", _("调入")
    DROP = "drop", _("调出")


class Override(models.Model):
    """An authorised change to the optimiser's choice, with its written reason and what it
    cost in score: the optimum before, the optimum with every override as a constraint, and
    the difference (the score given up)."""

    annual_plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="overrides")
    compound = models.ForeignKey(Compound, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("调整"), max_length=4, choices=OverrideAction.choices)
    reason = models.TextField(_("理由"))
    objective_before = models.FloatField()
    objective_after = models.FloatField()
    added = models.JSONField(default=list)
    dropped = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("人工调整")
        verbose_name_plural = _("人工调整")
        constraints = [
            models.UniqueConstraint(
                fields=["annual_plan", "compound"], name="one_override_per_compound"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.compound}"

    @property
    def score_given_up(self) -> float:
        return round(self.objective_before - self.objective_after, 6)


# --- Contiguous packages (连片改造) ----------------------------------------------------------


class AreaPackage(models.Model):
    """Adjacent compounds renovated together, as accepted by the district (proposed by
    coordination). Selection takes them together or not at all; approval makes them one
    Project. A compound belongs to at most one package."""

    class Level(models.TextChoices):
        SINGLE = "single", _("单个小区")
        STREET = "street", _("美丽街道（线）")
        AREA = "area", _("片区（面）")

    key = models.CharField(_("片区编号"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=160)
    level = models.CharField(_("层级"), max_length=8, choices=Level.choices)
    is_model_project = models.BooleanField(_("样板工程"), default=False)
    district = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=150, db_index=True, editable=False)
    hull = models.JSONField(null=True, blank=True, help_text="GeoJSON, WGS84")
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["path", "key"]
        verbose_name = _("连片改造片区")
        verbose_name_plural = _("连片改造片区")

    def __str__(self) -> str:
        return self.name

    @property
    def territory_path(self) -> str:
        return self.path


class AreaPackageMember(models.Model):
    package = models.ForeignKey(AreaPackage, on_delete=models.CASCADE, related_name="members")
    compound = models.OneToOneField(
        Compound, on_delete=models.CASCADE, related_name="area_package_member"
    )

    def __str__(self) -> str:
        return f"{self.package} {self.compound}"
