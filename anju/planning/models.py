"""Plans lead, plans fix projects (规划引领计划、计划明确项目).

A five-year plan sets targets per district; annual plans under it carry district budgets and
the year's projects. An annual plan moves draft → submitted (by the districts) → consolidated
(by the city) → approved; an approved plan is frozen. Selecting a compound (or a package of
adjacent compounds) into an approved plan creates its Project, the unit of delivery.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anju.territory.models import Compound, Node


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
