"""Where the money comes from (多元筹资): funding sources as data, in groups."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from anju.catalogue.models import Payer


class SourceGroup(models.TextChoices):
    GOVERNMENT = "government", _("政府资金")
    DEPARTMENT = "department", _("部门统筹资金")
    ORIGINAL_UNIT = "original_unit", _("原产权单位")
    UTILITY = "utility", _("专营单位")
    RESIDENTS = "residents", _("居民出资")
    SOCIAL_CAPITAL = "social_capital", _("社会资本")
    PPP = "ppp", _("政府和社会资本合作")
    LOAN = "loan", _("金融贷款")
    USER_PAYS = "user_pays", _("使用者付费")


# Which plan-item payer (design's "who benefits pays") a source group pays for.
PAYER_OF_GROUP = {
    SourceGroup.GOVERNMENT: Payer.GOVERNMENT,
    SourceGroup.DEPARTMENT: Payer.GOVERNMENT,
    SourceGroup.LOAN: Payer.GOVERNMENT,
    SourceGroup.ORIGINAL_UNIT: Payer.ORIGINAL_UNIT,
    SourceGroup.UTILITY: Payer.UTILITY,
    SourceGroup.RESIDENTS: Payer.RESIDENTS,
    SourceGroup.SOCIAL_CAPITAL: Payer.SOCIAL_CAPITAL,
    SourceGroup.PPP: Payer.SOCIAL_CAPITAL,
    SourceGroup.USER_PAYS: Payer.SOCIAL_CAPITAL,
}


class FundingSource(models.Model):
    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    name_en = models.CharField(_("英文名称"), max_length=80, blank=True)
    group = models.CharField(_("类别"), max_length=16, choices=SourceGroup.choices)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("资金来源")
        verbose_name_plural = _("资金来源")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name
