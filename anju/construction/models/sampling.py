"""Random satisfaction checks after acceptance (满意度随机测评): a sample stratified by building
(`anju.engine.sampling`), drawn from a recorded seed so anyone can re-draw it, and the sampled
households' answers (portal, or phone recorded by staff)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from anju.planning.models import Project
from anju.territory.models import Building, Household


class SatisfactionSurvey(models.Model):
    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="satisfaction_survey"
    )
    seed = models.CharField(_("随机种子"), max_length=64)
    confidence = models.DecimalField(_("置信水平"), max_digits=4, decimal_places=3)
    margin = models.DecimalField(_("允许误差"), max_digits=4, decimal_places=3)
    population = models.PositiveIntegerField(_("总户数"))
    n0 = models.DecimalField(max_digits=10, decimal_places=2)
    sample_size = models.PositiveIntegerField(_("样本量"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    drawn_at = models.DateTimeField()
    closes_on = models.DateField(_("截止日期"))
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("满意度测评")
        verbose_name_plural = _("满意度测评")

    def __str__(self) -> str:
        return str(self.project)


class SampledHousehold(models.Model):
    survey = models.ForeignKey(SatisfactionSurvey, on_delete=models.CASCADE, related_name="sample")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="+")
    household_code = models.CharField(max_length=80)
    rank_key = models.CharField(max_length=64)

    class Meta:
        ordering = ["survey", "building", "rank_key"]
        constraints = [models.UniqueConstraint(fields=["survey", "household"], name="sampled_once")]

    def __str__(self) -> str:
        return self.household_code


class SatisfactionAnswer(models.Model):
    class Channel(models.TextChoices):
        PORTAL = "portal", _("居民端")
        PHONE = "phone", _("电话回访")
        VISIT = "visit", _("入户走访")

    survey = models.ForeignKey(SatisfactionSurvey, on_delete=models.CASCADE, related_name="answers")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    overall = models.PositiveSmallIntegerField(
        _("总体满意度"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    quality = models.PositiveSmallIntegerField(
        _("工程质量"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    conduct = models.PositiveSmallIntegerField(
        _("文明施工"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.CharField(_("意见建议"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField()

    class Meta:
        verbose_name = _("测评答卷")
        verbose_name_plural = _("测评答卷")
        constraints = [
            models.UniqueConstraint(fields=["survey", "household"], name="one_answer_per_household")
        ]

    def __str__(self) -> str:
        return f"{self.survey}: {self.overall}"

    @property
    def is_satisfied(self) -> bool:
        """4 or 5 of 5 counts as satisfied (anju's default reading of a five-point scale)."""
        return self.overall >= 4
