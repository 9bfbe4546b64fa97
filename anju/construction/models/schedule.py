"""The project's schedule (milestones and weighted tasks) and the construction unit's weekly
progress reports, confirmed or disputed by the supervision unit.

Planned progress on a day is Σ weight × (the share of the task's planned days elapsed) /
Σ weight; actual progress is the same weighted sum over the percentages of the latest
*confirmed* report. Both are computed in the selectors, never stored.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anju.planning.models import Project


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(_("节点名称"), max_length=100)
    planned_on = models.DateField(_("计划完成"))
    reached_on = models.DateField(_("实际完成"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "planned_on", "position"]
        verbose_name = _("进度节点")
        verbose_name_plural = _("进度节点")

    def __str__(self) -> str:
        return self.name


class Task(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")
    milestone = models.ForeignKey(
        Milestone,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
        verbose_name=_("所属节点"),
    )
    name = models.CharField(_("任务名称"), max_length=100)
    planned_start = models.DateField(_("计划开始"))
    planned_end = models.DateField(_("计划结束"))
    weight = models.DecimalField(
        _("权重"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("任务在整个项目中的分量，如投资额占比"),
    )
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "planned_start", "position", "pk"]
        verbose_name = _("施工任务")
        verbose_name_plural = _("施工任务")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start")),
                name="task_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            raise ValidationError({"planned_end": _("结束日期不能早于开始日期。")})


class ProgressReport(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待监理确认")
        CONFIRMED = "confirmed", _("监理已确认")
        DISPUTED = "disputed", _("监理有异议")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="progress_reports")
    week_ending = models.DateField(_("周报截止日"))
    note = models.TextField(_("本周情况"), max_length=3000, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("监理意见"), max_length=1000, blank=True)

    class Meta:
        ordering = ["project", "-week_ending"]
        verbose_name = _("进度周报")
        verbose_name_plural = _("进度周报")
        constraints = [
            models.UniqueConstraint(fields=["project", "week_ending"], name="one_report_a_week")
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.week_ending}"


class TaskProgress(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="lines")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="+")
    percent = models.DecimalField(
        _("完成百分比"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    class Meta:
        ordering = ["report", "task"]
        constraints = [
            models.UniqueConstraint(fields=["report", "task"], name="one_line_per_task"),
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100), name="percent_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task}: {self.percent}%"


class ProgressPhoto(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="construction/progress/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.image.name
