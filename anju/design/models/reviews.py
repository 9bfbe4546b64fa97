"""Joint review (联合审查) by the departments a plan touches, and the permits it needs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anju.catalogue.models import ReviewDepartment
from anju.planning.models import Project

from .plans import PlanVersion


class ReviewerAssignment(models.Model):
    """A department's reviewer for one project (assigned by the district)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reviewers")
    department = models.ForeignKey(ReviewDepartment, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments"
    )

    class Meta:
        verbose_name = _("审查人")
        verbose_name_plural = _("审查人")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "department"], name="one_reviewer_per_department"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department}: {self.reviewer}"


class Review(models.Model):
    """One round of joint review of a noticed version."""

    class Status(models.TextChoices):
        OPEN = "open", _("审查中")
        APPROVED = "approved", _("通过")
        RETURNED = "returned", _("退回")

    version = models.OneToOneField(PlanVersion, on_delete=models.PROTECT, related_name="review")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default="open")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("联合审查")
        verbose_name_plural = _("联合审查")

    def __str__(self) -> str:
        return f"{self.version}: {self.get_status_display()}"


class ReviewDecision(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("待审查")
        APPROVED = "approved", _("同意")
        RETURNED = "returned", _("退回修改")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="decisions")
    department = models.ForeignKey(ReviewDepartment, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(
        _("意见"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    comments = models.TextField(_("审查意见"), blank=True, max_length=3000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review", "department__position"]
        verbose_name = _("部门审查意见")
        verbose_name_plural = _("部门审查意见")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "department"], name="one_decision_per_department"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department}: {self.get_decision_display()}"


class PermitStep(models.Model):
    """A procedure the project must go through (立项, 规划许可, 施工许可), or is exempt from
    (Wuhan: elevator additions, temporary construction buildings and small pipeline works need
    no construction-engineering planning permit — catalogue.ItemRule)."""

    class Procedure(models.TextChoices):
        APPROVAL = "approval", _("立项")
        PLANNING_PERMIT = "planning_permit", _("建设工程规划许可")
        CONSTRUCTION_PERMIT = "construction_permit", _("施工许可")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="permit_steps")
    procedure = models.CharField(_("手续"), max_length=20, choices=Procedure.choices)
    is_required = models.BooleanField(_("需要办理"), default=True)
    exemption = models.CharField(_("免办依据"), max_length=300, blank=True)
    document_number = models.CharField(_("文号"), max_length=80, blank=True)
    done_on = models.DateField(_("办结日期"), null=True, blank=True)

    class Meta:
        ordering = ["project", "pk"]
        verbose_name = _("审批手续")
        verbose_name_plural = _("审批手续")
        constraints = [
            models.UniqueConstraint(fields=["project", "procedure"], name="one_step_per_procedure")
        ]

    def __str__(self) -> str:
        return self.get_procedure_display()

    @property
    def is_done(self) -> bool:
        return not self.is_required or bool(self.document_number and self.done_on)
