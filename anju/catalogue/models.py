"""The renovation content catalogue (国办发〔2020〕23号): three categories and their items.

Reference data, seeded by a data migration and edited by the city office. Residents pick from
it when they state their needs; later stages price and plan it.
"""

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
