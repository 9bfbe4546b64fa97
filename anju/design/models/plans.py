"""Plan versions (方案版本): priced items from the catalogue, how the plan answers the residents'
needs, and the co-design workshops behind each change.

A version is a draft until it is noticed; from then on it is never edited (a change is a new
version, noticed again). Money is Decimal yuan; a line's cost is quantity × unit price.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anju.catalogue.models import CatalogueItem, Payer, PriceList
from anju.planning.models import Project
from anju.territory.models import Compound


class PlanVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        NOTICED = "noticed", _("公示中")
        IN_REVIEW = "in_review", _("联合审查中")
        RETURNED = "returned", _("退回修改")
        APPROVED = "approved", _("审查通过")
        SUPERSEDED = "superseded", _("已被新版本替代")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="plan_versions")
    number = models.PositiveSmallIntegerField(_("版本号"))
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    price_list = models.ForeignKey(
        PriceList, on_delete=models.PROTECT, related_name="+", verbose_name=_("价格清单")
    )
    changes = models.TextField(
        _("本版修改内容及原因"),
        blank=True,
        max_length=2000,
        help_text=_("与上一版相比改了什么、为什么。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "-number"]
        verbose_name = _("改造方案版本")
        verbose_name_plural = _("改造方案版本")
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="plan_version_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.project} v{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class PlanItem(models.Model):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="items")
    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, related_name="+", verbose_name=_("小区")
    )
    item = models.ForeignKey(
        CatalogueItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("改造内容")
    )
    quantity = models.DecimalField(
        _("数量"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    unit = models.CharField(_("计量单位"), max_length=12)
    unit_price = models.DecimalField(
        _("单价(元)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    cost = models.DecimalField(_("金额(元)"), max_digits=16, decimal_places=2, editable=False)
    payer = models.CharField(_("出资方"), max_length=16, choices=Payer.choices)
    bundled_department = models.CharField(_("统筹部门"), max_length=60, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["version", "compound", "item__position", "pk"]
        verbose_name = _("方案条目")
        verbose_name_plural = _("方案条目")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="plan_item_quantity_positive"),
            models.UniqueConstraint(
                fields=["version", "compound", "item"], name="plan_item_once_per_compound"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity}"

    def save(self, *args, **kwargs):
        self.cost = (self.quantity * self.unit_price).quantize(Decimal("0.01"))
        super().save(*args, **kwargs)


class NeedResponse(models.Model):
    """How a version answers one of the compound's top needs (engagement): covered by the plan,
    or not, with the reason the residents will read on the notice."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="responses")
    compound = models.ForeignKey(Compound, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(CatalogueItem, on_delete=models.PROTECT, related_name="+")
    share = models.DecimalField(
        _("提出该需求的住户比例"), max_digits=5, decimal_places=4, default=Decimal("0")
    )
    is_covered = models.BooleanField(_("已纳入方案"))
    reason = models.CharField(_("未纳入原因"), max_length=300, blank=True)

    class Meta:
        ordering = ["version", "compound", "-share"]
        verbose_name = _("需求回应")
        verbose_name_plural = _("需求回应")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "compound", "item"], name="need_response_once"
            ),
            models.CheckConstraint(
                condition=Q(is_covered=True) | ~Q(reason=""), name="uncovered_need_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {'✓' if self.is_covered else '✗'}"


class Workshop(models.Model):
    """A co-design workshop (共同缔造) with the residents."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="workshops")
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=120, blank=True)
    attendees = models.PositiveIntegerField(_("参加人数"))
    attendee_groups = models.CharField(
        _("参加人员"),
        max_length=300,
        blank=True,
        help_text=_("如居民代表、业委会、社区、设计单位。"),
    )
    suggestions = models.TextField(_("居民意见建议"), max_length=3000)
    outcome = models.TextField(_("方案据此作出的修改"), max_length=3000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "-held_on", "-pk"]
        verbose_name = _("共商会")
        verbose_name_plural = _("共商会")

    def __str__(self) -> str:
        return f"{self.project} {self.held_on}"
