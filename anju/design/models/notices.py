"""Public notice (方案公示): a noticed version on the portal and on paper, and the residents'
comments and objections, every objection answered publicly."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from anju.territory.models import Household

from .plans import PlanVersion


class Notice(models.Model):
    version = models.OneToOneField(PlanVersion, on_delete=models.PROTECT, related_name="notice")
    opens_on = models.DateField(_("公示开始"))
    closes_on = models.DateField(_("公示结束"))
    how_to_object = models.CharField(_("意见反映方式"), max_length=300, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("方案公示")
        verbose_name_plural = _("方案公示")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="notice_closes_after_opening"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version}: {self.opens_on}–{self.closes_on}"


class Objection(models.Model):
    class Kind(models.TextChoices):
        COMMENT = "comment", _("意见建议")
        OBJECTION = "objection", _("异议")

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="objections")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("内容"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("答复"), blank=True, max_length=2000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["notice", "created_at", "pk"]
        verbose_name = _("公示意见")
        verbose_name_plural = _("公示意见")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_answered(self) -> bool:
        return bool(self.answer)
