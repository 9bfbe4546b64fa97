"""Who works on a project, and the project's stage history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anju.access.models import Organisation
from anju.planning.models import Project
from anju.territory.models import Stage


class ProjectAssignment(models.Model):
    """A designer or planner (an organisation) works on a project, assigned by its district.
    The organisation's scope gets the project's compounds (an access CompoundAssignment each)."""

    class Role(models.TextChoices):
        DESIGNER = "designer", _("设计单位")
        PLANNER = "planner", _("规划师")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assignments")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="project_assignments"
    )
    role = models.CharField(_("角色"), max_length=12, choices=Role.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "role", "organisation__name"]
        verbose_name = _("项目委托")
        verbose_name_plural = _("项目委托")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation", "role"], name="project_assigned_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.project}"


class StageChange(models.Model):
    """One step of a project's lifecycle, for its page's stage history."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("原阶段"), max_length=16, choices=Stage.choices)
    to_stage = models.CharField(_("新阶段"), max_length=16, choices=Stage.choices)
    reason = models.CharField(_("原因"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "changed_at", "pk"]
        verbose_name = _("阶段变更")
        verbose_name_plural = _("阶段变更")

    def __str__(self) -> str:
        return f"{self.project}: {self.from_stage} → {self.to_stage}"
