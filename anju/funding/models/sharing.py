"""Who benefits, pays (谁受益、谁出资): a plan item's cost charged to the utility that owns the
network, or its residents' part split among the benefiting households — by exclusive area,
per household, or by a floor-coefficient table — exact to the fen (`anju.engine.cost_sharing`).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from anju.access.models import Organisation
from anju.design.models import PlanItem
from anju.planning.models import Project
from anju.territory.models import Building, Household

MONEY = {"max_digits": 16, "decimal_places": 2}


class CoefficientTable(models.Model):
    """A floor-coefficient template (e.g. for elevators: lower floors pay little or nothing).
    Several may coexist; a share names the one it used."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=80)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    multiply_by_area = models.BooleanField(
        _("乘以专有面积"), default=False, help_text=_("分摊权重 = 楼层系数 × 专有面积")
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("楼层系数表")
        verbose_name_plural = _("楼层系数表")

    def __str__(self) -> str:
        return self.name


class FloorCoefficient(models.Model):
    table = models.ForeignKey(CoefficientTable, on_delete=models.CASCADE, related_name="floors")
    floor = models.SmallIntegerField(_("楼层"), validators=[MinValueValidator(-3)])
    coefficient = models.DecimalField(
        _("系数"),
        max_digits=6,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        ordering = ["table", "floor"]
        constraints = [
            models.UniqueConstraint(fields=["table", "floor"], name="one_coefficient_per_floor")
        ]

    def __str__(self) -> str:
        return f"{self.table} {self.floor}: {self.coefficient}"


class CostShare(models.Model):
    """How one plan item's cost is shared. Recomputing replaces the household lines."""

    class Method(models.TextChoices):
        BY_AREA = "by_area", _("按专有面积")
        PER_HOUSEHOLD = "per_household", _("按户均摊")
        BY_FLOOR_COEFFICIENTS = "by_floor_coefficients", _("按楼层系数")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="cost_shares")
    plan_item = models.OneToOneField(PlanItem, on_delete=models.CASCADE, related_name="cost_share")
    utility_owner = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("产权专营单位"),
        help_text=_("小区内由专营单位所有的管网，费用由其承担"),
    )
    method = models.CharField(_("分摊方式"), max_length=24, choices=Method.choices, blank=True)
    residents_share = models.DecimalField(
        _("居民分摊比例"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    residents_amount = models.DecimalField(_("居民分摊金额(元)"), null=True, blank=True, **MONEY)
    table = models.ForeignKey(
        CoefficientTable,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("楼层系数表"),
    )
    buildings = models.ManyToManyField(
        Building, blank=True, related_name="+", verbose_name=_("受益楼栋")
    )
    utility_part = models.DecimalField(_("专营单位承担(元)"), default=0, **MONEY)
    residents_part = models.DecimalField(_("居民承担(元)"), default=0, **MONEY)
    others_part = models.DecimalField(_("其他出资方承担(元)"), default=0, **MONEY)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("费用分摊")
        verbose_name_plural = _("费用分摊")

    def __str__(self) -> str:
        return str(self.plan_item)


class HouseholdContribution(models.Model):
    share = models.ForeignKey(CostShare, on_delete=models.CASCADE, related_name="contributions")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    weight = models.DecimalField(max_digits=20, decimal_places=6)
    exact_amount = models.DecimalField(max_digits=20, decimal_places=6)
    amount = models.DecimalField(_("分摊金额(元)"), **MONEY)
    rounded_up = models.BooleanField(default=False)
    floor = models.SmallIntegerField(null=True, blank=True)
    coefficient = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True)
    area = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["share", "household"]
        constraints = [
            models.UniqueConstraint(fields=["share", "household"], name="one_contribution_each")
        ]

    def __str__(self) -> str:
        return f"{self.household}: {self.amount}"
