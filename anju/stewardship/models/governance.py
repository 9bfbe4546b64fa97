"""Joint governance meetings (联席会议): the residents' committee, the owners' committee, the
property company and the party branch meet, decide, and give follow-up tasks an owner and a
due date, so "working together against illegal building, clutter and chaotic parking" leaves
a record that can be checked."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anju.territory.models import Compound


class Body(models.TextChoices):
    RESIDENTS_COMMITTEE = "residents_committee", _("居委会")
    OWNERS_COMMITTEE = "owners_committee", _("业委会")
    PROPERTY_COMPANY = "property_company", _("物业企业")
    PARTY_BRANCH = "party_branch", _("党组织")
    STREET = "street", _("街道")
    OTHER = "other", _("其他")


def validate_bodies(value) -> None:
    if not isinstance(value, list) or not value or any(v not in Body.values for v in value):
        raise ValidationError(_("请选择参会的组织。"), code="invalid_bodies")


class GovernanceMeeting(models.Model):
    compound = models.ForeignKey(
        Compound, on_delete=models.CASCADE, related_name="governance_meetings"
    )
    held_on = models.DateField(_("会议日期"))
    subject = models.CharField(_("议题"), max_length=200)
    bodies = models.JSONField(_("参会组织"), default=list, validators=[validate_bodies])
    attendees = models.TextField(_("参会人员"), max_length=2000, help_text=_("每行一人：单位 姓名"))
    decisions = models.TextField(_("议定事项"), max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["compound", "-held_on", "-pk"]
        verbose_name = _("联席会议")
        verbose_name_plural = _("联席会议")

    def __str__(self) -> str:
        return f"{self.compound} {self.held_on} {self.subject}"

    @property
    def body_labels(self) -> list[str]:
        labels = dict(Body.choices)
        return [str(labels[v]) for v in self.bodies if v in labels]


class FollowUpTask(models.Model):
    meeting = models.ForeignKey(GovernanceMeeting, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("任务"), max_length=200)
    owner = models.CharField(_("责任方"), max_length=100)
    owner_body = models.CharField(_("责任组织"), max_length=20, choices=Body.choices)
    due_on = models.DateField(_("完成期限"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    done_note = models.CharField(_("完成情况"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "due_on", "pk"]
        verbose_name = _("会议任务")
        verbose_name_plural = _("会议任务")

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, day) -> bool:
        return self.done_on is None and self.due_on < day
