"""Quality and safety supervision (质量安全监管): inspections from checklists, findings with a
rectification order each, the responsible party's answers, and escalation when overdue.

A finding moves open → answered → closed, or answered → reopened → answered …; an open
finding past its due date is escalated to the district, later to the city. An open critical
finding blocks joint acceptance.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anju.planning.models import Project

from .parties import ProjectParty


class WorkType(models.Model):
    """A kind of work with its own checklist (scaffolding, hot work, trenching …): data."""

    code = models.SlugField(_("编码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    name_en = models.CharField(_("英文名称"), max_length=60, blank=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("作业类型")
        verbose_name_plural = _("作业类型")

    def __str__(self) -> str:
        return self.name


class InspectionItem(models.Model):
    work_type = models.ForeignKey(
        WorkType, on_delete=models.CASCADE, related_name="items", verbose_name=_("作业类型")
    )
    code = models.CharField(_("编码"), max_length=30, unique=True)
    text = models.CharField(_("检查内容"), max_length=200)
    is_safety = models.BooleanField(_("安全项"), default=False)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["work_type", "position", "code"]
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")

    def __str__(self) -> str:
        return self.text


class Inspection(models.Model):
    class Kind(models.TextChoices):
        QUALITY = "quality", _("质量检查")
        SAFETY = "safety", _("安全检查")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="inspections")
    work_type = models.ForeignKey(
        WorkType, on_delete=models.PROTECT, related_name="+", verbose_name=_("作业类型")
    )
    kind = models.CharField(_("检查类别"), max_length=10, choices=Kind.choices)
    inspected_on = models.DateField(_("检查日期"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("检查说明"), max_length=3000, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "-inspected_on", "-pk"]
        verbose_name = _("检查记录")
        verbose_name_plural = _("检查记录")

    def __str__(self) -> str:
        return f"{self.project} {self.inspected_on} {self.work_type}"


class CheckResult(models.Model):
    class Result(models.TextChoices):
        PASS = "pass", _("合格")
        FAIL = "fail", _("不合格")
        NOT_APPLICABLE = "na", _("不适用")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="results")
    item = models.ForeignKey(InspectionItem, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("结果"), max_length=4, choices=Result.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="one_result_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.result}"


class Severity(models.TextChoices):
    MINOR = "minor", _("一般")
    MAJOR = "major", _("较重")
    CRITICAL = "critical", _("严重")


class Finding(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("待整改")
        ANSWERED = "answered", _("已回复待复查")
        REOPENED = "reopened", _("复查未通过")
        CLOSED = "closed", _("已销项")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="inspection_findings"
    )
    item = models.ForeignKey(
        InspectionItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices)
    description = models.TextField(_("问题描述"), max_length=2000)
    responsible_party = models.ForeignKey(
        ProjectParty, on_delete=models.PROTECT, related_name="findings", verbose_name=_("责任单位")
    )
    order_number = models.CharField(_("整改通知单号"), max_length=30, unique=True)
    deadline_days = models.PositiveSmallIntegerField(_("整改时限(工作日)"))
    due_on = models.DateField(_("整改期限"), db_index=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    escalation = models.PositiveSmallIntegerField(_("督办"), default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "status", "due_on"]
        verbose_name = _("问题与整改")
        verbose_name_plural = _("问题与整改")
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.order_number

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    @property
    def status_tone(self) -> str:
        """The Bootstrap colour the status reads in: waiting on the party, on the inspector,
        sent back, or closed."""
        return {
            self.Status.OPEN: "warning",
            self.Status.ANSWERED: "info",
            self.Status.REOPENED: "danger",
            self.Status.CLOSED: "success",
        }.get(self.status, "secondary")


class FindingPhoto(models.Model):
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="construction/findings/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.image.name


class RectificationStep(models.Model):
    """The party's answer with evidence, the inspector's close or reopen, reminders and
    escalations: the finding's history, in order."""

    class Kind(models.TextChoices):
        ANSWERED = "answered", _("整改回复")
        CLOSED = "closed", _("复查销项")
        REOPENED = "reopened", _("复查未通过")
        ESCALATED = "escalated", _("超期督办")

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("说明"), max_length=1000, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["finding", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.finding}: {self.kind}"


class EvidencePhoto(models.Model):
    step = models.ForeignKey(RectificationStep, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="construction/evidence/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.image.name
