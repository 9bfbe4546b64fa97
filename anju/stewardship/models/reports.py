"""Residents' problem reports, handled to the end (共同维护改造成果).

A resident (signed in with the household code) or staff for a caller reports a problem in a
compound: a category (data), a description, photos, a place (a building or a point on the
compound's map). Routing rules (data: category × territory → who handles it) give the report a
handler; the category's deadline in working days gives it a due date. It then moves through

    submitted → accepted → in_progress → resolved → confirmed
                                 ↑            │
                                 └─ reopened ←┘   (anyone in the compound, with a reason)

one step at a time (`TRANSITIONS`); a step that skips one is refused. Every step, reminder and
escalation is a `ReportStep`, which the reporter sees. An open report past its due date is
escalated to the district, and later to the city (`escalation_level`).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from anju.access.models import Organisation
from anju.planning.models import Project
from anju.territory.models import Building, Compound, Household, Node


class ReportCategory(models.Model):
    """What kind of problem, and how many working days its handler has (data, seeded)."""

    code = models.SlugField(_("编码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    name_en = models.CharField(_("英文名称"), max_length=60, blank=True)
    deadline_days = models.PositiveSmallIntegerField(
        _("办理时限(工作日)"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("问题类别")
        verbose_name_plural = _("问题类别")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class HandlerKind(models.TextChoices):
    PROPERTY_COMPANY = "property_company", _("小区物业企业")
    COMMUNITY = "community", _("社区")
    STREET = "street", _("街道")
    ORGANISATION = "organisation", _("指定单位")


class RoutingRule(models.Model):
    """Category × territory → handler. The most specific rule wins: a rule on a deeper node
    beats one on its ancestor, and a rule for the category beats one for every category. A
    compound with no property company falls through to the next rule (then to its community)."""

    category = models.ForeignKey(
        ReportCategory,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="routing_rules",
        verbose_name=_("问题类别"),
        help_text=_("留空表示所有类别"),
    )
    node = models.ForeignKey(
        Node,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("辖区"),
        help_text=_("留空表示全市"),
    )
    handler = models.CharField(_("承办方"), max_length=16, choices=HandlerKind.choices)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("承办单位"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("分派规则")
        verbose_name_plural = _("分派规则")
        constraints = [
            # One rule per (category or "every category", node or "the whole city"): NULLs
            # compare equal through Coalesce (SQLite has no NULLS NOT DISTINCT).
            models.UniqueConstraint(
                Coalesce("category", Value(0)),
                Coalesce("node", Value(0)),
                name="routing_rule_once",
            ),
            models.CheckConstraint(
                condition=Q(handler="organisation", organisation__isnull=False)
                | (~Q(handler="organisation") & Q(organisation__isnull=True)),
                name="routing_rule_organisation_iff_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category or '*'} @ {self.node or '*'} → {self.get_handler_display()}"

    def clean(self) -> None:
        if self.handler == HandlerKind.ORGANISATION and not self.organisation_id:
            raise ValidationError({"organisation": _("请选择承办单位。")})
        if self.handler != HandlerKind.ORGANISATION and self.organisation_id:
            raise ValidationError({"organisation": _("只有“指定单位”需要选择承办单位。")})


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("已受理")
    IN_PROGRESS = "in_progress", _("处理中")
    RESOLVED = "resolved", _("已办结")
    CONFIRMED = "confirmed", _("已确认")
    REOPENED = "reopened", _("已重新打开")


# One step at a time. Who may take each step is decided in `rules.py`.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.SUBMITTED: frozenset({Status.ACCEPTED}),
    Status.ACCEPTED: frozenset({Status.IN_PROGRESS}),
    Status.IN_PROGRESS: frozenset({Status.RESOLVED}),
    Status.RESOLVED: frozenset({Status.CONFIRMED, Status.REOPENED}),
    Status.REOPENED: frozenset({Status.IN_PROGRESS}),
    Status.CONFIRMED: frozenset(),
}
# A report in one of these is waiting for its handler: it has a due date and can be overdue.
OPEN_STATUSES = frozenset({Status.SUBMITTED, Status.ACCEPTED, Status.IN_PROGRESS, Status.REOPENED})


class Channel(models.TextChoices):
    PORTAL = "portal", _("居民端")
    PHONE = "phone", _("电话")
    VISIT = "visit", _("来访")
    HOTLINE = "hotline", _("12345 热线")
    CONSTRUCTION_NOTICE = "construction_notice", _("施工公示")


class Escalation(models.IntegerChoices):
    NONE = 0, _("未督办")
    DISTRICT = 1, _("区级督办")
    CITY = 2, _("市级督办")


class ProblemReport(models.Model):
    number = models.CharField(_("编号"), max_length=24, unique=True, editable=False)
    compound = models.ForeignKey(Compound, on_delete=models.PROTECT, related_name="problem_reports")
    path = models.CharField(max_length=150, db_index=True, editable=False)
    project = models.ForeignKey(
        Project,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problem_reports",
        help_text="set when the report comes from a project's construction notice",
    )
    household = models.ForeignKey(
        Household,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problem_reports",
        verbose_name=_("报告住户"),
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("代为登记"),
    )
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices)
    caller_name = models.CharField(_("来电人"), max_length=40, blank=True)
    caller_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    category = models.ForeignKey(
        ReportCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("问题类别")
    )
    description = models.TextField(_("问题描述"), max_length=2000)
    building = models.ForeignKey(
        Building,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("楼栋"),
    )
    longitude = models.FloatField(_("经度"), null=True, blank=True)
    latitude = models.FloatField(_("纬度"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    handler = models.CharField(_("承办方"), max_length=16, choices=HandlerKind.choices)
    handler_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problem_reports",
        verbose_name=_("承办单位"),
    )
    handler_node = models.ForeignKey(
        Node,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("承办辖区"),
    )
    submitted_at = models.DateTimeField(_("提交时间"))
    due_on = models.DateField(_("办理期限"), db_index=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("重新打开次数"), default=0)
    reminded_on = models.DateField(_("提醒日期"), null=True, blank=True)
    escalation = models.PositiveSmallIntegerField(
        _("督办"), choices=Escalation.choices, default=Escalation.NONE
    )
    escalated_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("满意度评价"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rating_comment = models.CharField(_("评价意见"), max_length=300, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        verbose_name=_("重复于"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("问题报告")
        verbose_name_plural = _("问题报告")
        indexes = [
            models.Index(fields=["compound", "status"]),
            models.Index(fields=["status", "due_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(longitude__isnull=True) & Q(latitude__isnull=True))
                | (Q(longitude__isnull=False) & Q(latitude__isnull=False)),
                name="report_point_complete",
            ),
            models.CheckConstraint(
                condition=Q(household__isnull=False) | Q(filed_by__isnull=False),
                name="report_has_a_reporter",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        self.path = self.compound.path
        super().save(*args, **kwargs)

    @property
    def territory_path(self) -> str:
        return self.path

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def may_move_to(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]

    def is_overdue(self, day) -> bool:
        return self.is_open and self.due_on < day


class ReportStep(models.Model):
    """One thing that happened to a report; the reporter sees them all, in order."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("提交")
        STATUS = "status", _("状态变更")
        REASSIGNED = "reassigned", _("改派")
        REMINDER = "reminder", _("到期提醒")
        ESCALATED = "escalated", _("超期督办")
        RATED = "rated", _("评价")
        NOTE = "note", _("备注")
        DUPLICATE = "duplicate", _("标记重复")

    report = models.ForeignKey(ProblemReport, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    note = models.CharField(_("说明"), max_length=1000, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("时间"))

    class Meta:
        ordering = ["report", "at", "pk"]
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")

    def __str__(self) -> str:
        return f"{self.report}: {self.kind} {self.to_status}"


class ReportPhoto(models.Model):
    """A photo of the problem or of the fix, re-encoded on upload (metadata gone)."""

    report = models.ForeignKey(ProblemReport, on_delete=models.CASCADE, related_name="photos")
    step = models.ForeignKey(
        ReportStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="photos"
    )
    image = models.FileField(upload_to="stewardship/reports/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return self.image.name
