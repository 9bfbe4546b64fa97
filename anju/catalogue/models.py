"""The renovation content catalogue (国办发〔2020〕23号): three categories and their items.

Reference data, seeded by a data migration and edited by the city office. Residents pick from
it when they state their needs; later stages price and plan it.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    BASIC = "basic", _("基础类")
    IMPROVEMENT = "improvement", _("完善类")
    ENHANCEMENT = "enhancement", _("提升类")


def category_rank(category: str) -> int:
    """The published order of a category: 基础类 0, 完善类 1, 提升类 2 (unknown last)."""
    values = list(Category.values)
    return values.index(category) if category in values else len(values)


def catalogue_order_key(item) -> tuple:
    """Sort key for items already in memory, the same order as `in_catalogue_order()`."""
    return (category_rank(item.category), item.position, item.code)


class CatalogueItemQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def in_catalogue_order(self):
        """基础类 → 完善类 → 提升类 (国办发〔2020〕23号), then the catalogue's own position.

        The categories' stored values sort alphabetically as basic, enhancement, improvement,
        so ordering by the column would put 提升类 before 完善类 on every form."""
        rank = models.Case(
            *(
                models.When(category=value, then=models.Value(index))
                for index, value in enumerate(Category.values)
            ),
            default=models.Value(len(Category.values)),
            output_field=models.IntegerField(),
        )
        return self.order_by(rank, "position", "code")


class CatalogueItem(models.Model):
    code = models.CharField(_("编码"), max_length=20, unique=True)
    category = models.CharField(_("类别"), max_length=12, choices=Category.choices)
    name = models.CharField(_("名称"), max_length=60)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = CatalogueItemQuerySet.as_manager()

    class Meta:
        ordering = ["category", "position", "code"]
        verbose_name = _("改造内容")
        verbose_name_plural = _("改造内容")

    def __str__(self) -> str:
        return self.name


# --- Reference data for design (一小区一方案): payers, bundled works, reviews, permits ---------


class Payer(models.TextChoices):
    """Who pays for a plan item ("who benefits pays", DOMAIN.md "Money"); the funding ledger
    reads a plan's totals by payer."""

    GOVERNMENT = "government", _("政府")
    UTILITY = "utility", _("专营单位")
    RESIDENTS = "residents", _("居民")
    ORIGINAL_UNIT = "original_unit", _("原产权单位")
    SOCIAL_CAPITAL = "social_capital", _("社会资本")


class ReviewDepartment(models.Model):
    """A department that joins the joint review (联合审查) of plans touching its matters."""

    code = models.CharField(_("编码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    is_always_consulted = models.BooleanField(
        _("每个方案都参加"), default=False, help_text=_("如住房城市更新部门。")
    )
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("审查部门")
        verbose_name_plural = _("审查部门")

    def __str__(self) -> str:
        return self.name


class ItemRule(models.Model):
    """How design treats one catalogue item: its default unit and payer, the department whose
    money and procedures a bundled work brings in, the departments that review it, and whether
    it needs a construction-engineering planning permit (Wuhan exempts elevator additions,
    temporary construction buildings and small pipeline works; cities differ, so it is data)."""

    item = models.OneToOneField(
        CatalogueItem, on_delete=models.CASCADE, related_name="rule", verbose_name=_("改造内容")
    )
    unit = models.CharField(_("计量单位"), max_length=12, default="项")
    default_payer = models.CharField(
        _("默认出资方"), max_length=16, choices=Payer.choices, default=Payer.GOVERNMENT
    )
    bundled_department = models.CharField(
        _("统筹部门"),
        max_length=60,
        blank=True,
        help_text=_("海绵城市、园林绿化、雨污分流、二次供水、加装电梯、文体设施等统筹实施的部门。"),
    )
    review_departments = models.ManyToManyField(
        ReviewDepartment, blank=True, related_name="item_rules", verbose_name=_("审查部门")
    )
    is_exempt_from_planning_permit = models.BooleanField(_("免办建设工程规划许可"), default=False)

    class Meta:
        verbose_name = _("改造内容规则")
        verbose_name_plural = _("改造内容规则")

    def __str__(self) -> str:
        return str(self.item)


class ChecklistItem(models.Model):
    """One line of the survey checklist (摸底调查): a facility shortfall or a safety hazard, by
    area (water, drainage, power, gas, fire, roofs and facades, stairs, roads, lighting,
    security, refuse, barrier-free, parking, elevators, greening …)."""

    class Kind(models.TextChoices):
        SHORTFALL = "shortfall", _("设施短板")
        HAZARD = "hazard", _("安全隐患")

    code = models.CharField(_("编码"), max_length=20, unique=True)
    area = models.CharField(_("类别"), max_length=30)
    name = models.CharField(_("检查内容"), max_length=120)
    kind = models.CharField(_("性质"), max_length=12, choices=Kind.choices)
    remedy = models.ForeignKey(
        CatalogueItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checklist_items",
        verbose_name=_("对应改造内容"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("摸底调查检查项")
        verbose_name_plural = _("摸底调查检查项")

    def __str__(self) -> str:
        return f"{self.area}·{self.name}"


class PriceList(models.Model):
    """A year's unit prices, versioned: a published version is never edited; a correction is
    version n+1 (plans keep the version they were priced with)."""

    year = models.PositiveSmallIntegerField(_("年度"))
    version = models.PositiveSmallIntegerField(_("版本"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    is_published = models.BooleanField(_("已发布"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-version"]
        verbose_name = _("价格清单")
        verbose_name_plural = _("价格清单")
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="price_list_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.year} v{self.version}"


class PriceListEntry(models.Model):
    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(
        CatalogueItem, on_delete=models.PROTECT, related_name="prices", verbose_name=_("改造内容")
    )
    unit = models.CharField(_("计量单位"), max_length=12)
    unit_price = models.DecimalField(
        _("单价(元)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        ordering = ["price_list", "item__position", "item__code"]
        verbose_name = _("价格清单条目")
        verbose_name_plural = _("价格清单条目")
        constraints = [
            models.UniqueConstraint(fields=["price_list", "item"], name="one_price_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.unit_price}/{self.unit}"
