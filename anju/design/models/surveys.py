"""The survey (摸底调查) of a project's compounds: facility shortfalls and safety hazards found
against the checklist (catalogue.ChecklistItem), each with its building, severity and photos."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anju.catalogue.models import ChecklistItem
from anju.planning.models import Project
from anju.territory.models import Building, Compound


class Severity(models.TextChoices):
    MINOR = "minor", _("一般")
    MAJOR = "major", _("较重")
    CRITICAL = "critical", _("严重")


class SurveyFinding(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="findings")
    compound = models.ForeignKey(Compound, on_delete=models.CASCADE, related_name="findings")
    building = models.ForeignKey(
        Building,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("楼栋"),
    )
    checklist_item = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("检查项")
    )
    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices)
    note = models.TextField(_("情况说明"), blank=True, max_length=1000)
    surveyor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("调查人"),
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        ordering = ["project", "compound", "checklist_item__position", "pk"]
        verbose_name = _("调查发现")
        verbose_name_plural = _("调查发现")

    def __str__(self) -> str:
        return f"{self.compound}: {self.checklist_item}"


class FindingPhoto(models.Model):
    """Re-encoded on upload (engagement.photos.prepare_photo) so GPS and device data are gone."""

    finding = models.ForeignKey(SurveyFinding, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="design/findings/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["finding", "pk"]
        verbose_name = _("调查照片")
        verbose_name_plural = _("调查照片")

    def __str__(self) -> str:
        return self.image.name
