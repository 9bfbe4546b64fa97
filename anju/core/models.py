"""What every app stands on: audit events, task progress and the holiday table."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One change to the record: who, when, what, on which object, before and after.

    Written by a service in the same transaction as the change (see each app's events.py).
    `territory_path` lets the city office filter events by district and lets scope apply to
    the log itself.
    """

    occurred_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_label = models.CharField(_("操作人说明"), max_length=120, blank=True)
    verb = models.CharField(_("事件"), max_length=60, db_index=True)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    territory_path = models.CharField(max_length=120, blank=True, db_index=True)
    before = models.JSONField(_("修改前"), default=dict, blank=True)
    after = models.JSONField(_("修改后"), default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        indexes = [models.Index(fields=["content_type", "object_id", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.verb} {self.object_repr}"


class TaskProgress(models.Model):
    """What a user sees of a background task: stage, percent, message, result or error.

    django-tasks has no progress, no stalled-task recovery and no retries; this record adds them.
    It is written in its own short transactions (outside the task's final write) so the
    progress bar moves while the work is still uncommitted.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        SUCCEEDED = "succeeded", _("已完成")
        FAILED = "failed", _("失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task_name = models.CharField(max_length=200)
    label = models.CharField(_("任务"), max_length=200)
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    stage = models.CharField(_("阶段"), max_length=120, blank=True)
    percent = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    arguments = models.JSONField(default=dict)
    task_result_id = models.CharField(max_length=64, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    territory_path = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")

    def __str__(self) -> str:
        return f"{self.label} ({self.get_state_display()})"

    @property
    def is_finished(self) -> bool:
        return self.state in {self.State.SUCCEEDED, self.State.FAILED}


class Holiday(models.Model):
    """The State Council's holiday schedule, editable: a day off, or a make-up working weekend.

    Seeded from the `chinese-calendar` package, which stops at 2026; the city office adds each
    new year's schedule when it is announced.
    """

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("调休上班"), default=False)
    name = models.CharField(_("名称"), max_length=60, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"

    def clean(self) -> None:
        """A make-up working day (调休上班) is a weekend the State Council makes a working day;
        on a weekday it would mean nothing, so it is almost certainly a typing error."""
        if self.is_working_day and self.date and self.date.weekday() < 5:
            raise ValidationError({"is_working_day": _("调休上班日应为周六或周日。")})
