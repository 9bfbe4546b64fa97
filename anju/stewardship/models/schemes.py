"""The management scheme each compound needs before its works start (提前谋划长效管理).

The scheme says how the compound is looked after once the works end: the management model
(a professional property company, "red property" custody, a bundle of small compounds given
to one company, owners' self-management, or the street as the fallback), who pays the upkeep,
the yearly upkeep budget, and whether and where that budget is entered in the district's
annual budget (one `BudgetLine` per year). Design refuses to notice a plan until each of its
compounds has a scheme.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anju.access.models import Organisation
from anju.territory.models import Compound


class ManagementModel(models.TextChoices):
    PROPERTY_COMPANY = "property_company", _("专业物业服务")
    RED_PROPERTY = "red_property", _("红色物业托管")
    BUNDLED = "bundled", _("片区打包物业")
    SELF_MANAGEMENT = "self_management", _("业主自治管理")
    STREET_FALLBACK = "street_fallback", _("街道兜底管理")


# The models in which a company looks after the compound (the scheme names it).
COMPANY_MODELS = frozenset(
    {ManagementModel.PROPERTY_COMPANY, ManagementModel.RED_PROPERTY, ManagementModel.BUNDLED}
)


class UpkeepSource(models.TextChoices):
    """Who pays the upkeep once the works end."""

    PROPERTY_FEES = "property_fees", _("物业服务费")
    PUBLIC_INCOME = "public_income", _("小区公共收益")
    DISTRICT_BUDGET = "district_budget", _("区级财政预算")
    STREET_BUDGET = "street_budget", _("街道经费")
    ORIGINAL_UNIT = "original_unit", _("原产权单位")


def validate_upkeep_sources(value) -> None:
    if not isinstance(value, list) or any(v not in UpkeepSource.values for v in value):
        raise ValidationError(_("维护经费来源无效。"), code="invalid_upkeep_source")
    if len(set(value)) != len(value):
        raise ValidationError(_("维护经费来源重复。"), code="duplicate_upkeep_source")


class ManagementScheme(models.Model):
    compound = models.OneToOneField(
        Compound, on_delete=models.CASCADE, related_name="management_scheme"
    )
    management_model = models.CharField(
        _("管理模式"), max_length=20, choices=ManagementModel.choices
    )
    property_company = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.PROPERTY},
        verbose_name=_("物业企业"),
    )
    bundle_name = models.CharField(
        _("打包片区"), max_length=100, blank=True, help_text=_("片区打包物业时，片区的名称")
    )
    upkeep_sources = models.JSONField(
        _("维护经费来源"), default=list, blank=True, validators=[validate_upkeep_sources]
    )
    yearly_upkeep_budget = models.DecimalField(
        _("年度维护经费(元)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    starts_on = models.DateField(_("实施日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("长效管理方案")
        verbose_name_plural = _("长效管理方案")

    def __str__(self) -> str:
        return f"{self.compound}: {self.get_management_model_display()}"

    def clean(self) -> None:
        if self.property_company_id and self.property_company.kind != Organisation.Kind.PROPERTY:
            raise ValidationError({"property_company": _("请选择物业企业。")})
        if self.management_model == ManagementModel.BUNDLED and not self.bundle_name:
            raise ValidationError({"bundle_name": _("片区打包物业需要填写片区名称。")})

    @property
    def upkeep_source_labels(self) -> list[str]:
        labels = dict(UpkeepSource.choices)
        return [str(labels[v]) for v in self.upkeep_sources if v in labels]


class BudgetLine(models.Model):
    """The scheme's upkeep entered in the district's annual budget: year, amount, reference."""

    scheme = models.ForeignKey(
        ManagementScheme, on_delete=models.CASCADE, related_name="budget_lines"
    )
    year = models.PositiveSmallIntegerField(
        _("预算年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    amount = models.DecimalField(
        _("列入预算金额(元)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    reference = models.CharField(
        _("预算文号或科目"), max_length=120, help_text=_("如区财政预算批复文号、预算科目编码")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "year"]
        verbose_name = _("预算安排")
        verbose_name_plural = _("预算安排")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "year"], name="budget_line_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.scheme.compound} {self.year}: {self.amount}"
