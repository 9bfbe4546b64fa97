"""The construction notice (施工公示): a public page per project, and the on-site board."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anju.planning.models import Project


class ConstructionNotice(models.Model):
    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="construction_notice"
    )
    scope_summary = models.TextField(_("施工内容"), max_length=2000)
    working_hours = models.CharField(_("施工时间"), max_length=100, blank=True)
    complaint_phone = models.CharField(_("投诉电话"), max_length=40)
    safety_note = models.CharField(_("安全提示"), max_length=300, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("公示时间"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("施工公示")
        verbose_name_plural = _("施工公示")

    def __str__(self) -> str:
        return str(self.project)
