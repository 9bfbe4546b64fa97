"""Keeping it up (改管并重): the management scheme each compound needs before its works start.

The design issue needs only the scheme's minimal shape — the management model after renovation
and the yearly upkeep budget — before a plan may be noticed; the stewardship issue extends it
(who pays upkeep, the district budget line, coverage, problem reports).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anju.territory.models import Compound


class ManagementModel(models.TextChoices):
    PROPERTY_COMPANY = "property_company", _("专业物业服务")
    RED_PROPERTY = "red_property", _("红色物业托管")
    BUNDLED = "bundled", _("片区打包物业")
    SELF_MANAGEMENT = "self_management", _("业主自治管理")
    STREET_FALLBACK = "street_fallback", _("街道兜底管理")


class ManagementScheme(models.Model):
    compound = models.OneToOneField(
        Compound, on_delete=models.CASCADE, related_name="management_scheme"
    )
    management_model = models.CharField(
        _("管理模式"), max_length=20, choices=ManagementModel.choices
    )
    yearly_upkeep_budget = models.DecimalField(
        _("年度维护经费(元)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
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
