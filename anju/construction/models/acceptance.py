"""Joint completion acceptance (联合竣工验收): the departments, the parties and residents'
representatives (chosen from the compound's households; at least
`ANJU_ACCEPTANCE_MIN_RESIDENT_REPRESENTATIVES`) each fill the checklist; defects get an owner
and a deadline; the outcome is passed, passed with conditions, or failed, and a certificate
names the participants. Only a pass, or conditions all cleared, moves the project to
`accepted`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anju.access.models import Organisation
from anju.planning.models import Project
from anju.territory.models import Household

from .parties import ProjectParty


class AcceptanceSession(models.Model):
    class Outcome(models.TextChoices):
        PASSED = "passed", _("验收合格")
        CONDITIONAL = "conditional", _("有条件通过")
        FAILED = "failed", _("验收不合格")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="acceptance_sessions"
    )
    scheduled_on = models.DateField(_("验收日期"))
    place = models.CharField(_("地点"), max_length=120, blank=True)
    outcome = models.CharField(_("验收结论"), max_length=12, choices=Outcome.choices, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    conditions = models.TextField(_("整改条件"), max_length=3000, blank=True)
    conditions_cleared_at = models.DateTimeField(null=True, blank=True)
    certificate_number = models.CharField(_("验收证书编号"), max_length=30, blank=True)
    organised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "-scheduled_on", "-pk"]
        verbose_name = _("竣工验收")
        verbose_name_plural = _("竣工验收")

    def __str__(self) -> str:
        return f"{self.project} {self.scheduled_on}"


class Participant(models.Model):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("行业部门")
        PARTY = "party", _("参建单位")
        RESIDENT = "resident", _("居民代表")
        OFFICE = "office", _("改造办")

    session = models.ForeignKey(
        AcceptanceSession, on_delete=models.CASCADE, related_name="participants"
    )
    kind = models.CharField(_("参加方"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("姓名"), max_length=40)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    party = models.ForeignKey(
        ProjectParty, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opinion = models.CharField(
        _("意见"),
        max_length=12,
        blank=True,
        choices=[("agree", _("同意")), ("conditional", _("有条件同意")), ("disagree", _("不同意"))],
    )
    comment = models.CharField(_("说明"), max_length=500, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    # How the opinion reached anju: typed by the participant (workbench or portal), or
    # recorded by staff from a paper form the participant signed on site.
    channel = models.CharField(
        _("填报方式"),
        max_length=12,
        blank=True,
        choices=[
            ("workbench", _("工作台填报")),
            ("portal", _("居民端填报")),
            ("paper", _("纸质签字，工作人员录入")),
        ],
    )

    class Meta:
        ordering = ["session", "kind", "pk"]
        verbose_name = _("验收参加人")
        verbose_name_plural = _("验收参加人")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "household"],
                condition=models.Q(household__isnull=False),
                name="one_representative_per_household",
            )
        ]

    def __str__(self) -> str:
        return self.name


class AcceptanceCheck(models.Model):
    """One participant's verdict on one checklist line (the acceptance checklist is the
    project's plan items: each was built as planned, or not)."""

    class Result(models.TextChoices):
        PASS = "pass", _("合格")
        FAIL = "fail", _("不合格")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="checks")
    item_label = models.CharField(_("验收内容"), max_length=200)
    item_code = models.CharField(max_length=40, blank=True)
    result = models.CharField(_("结果"), max_length=4, choices=Result.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "item_label"], name="one_check_per_item_and_participant"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_label}: {self.result}"


class AcceptanceDefect(models.Model):
    session = models.ForeignKey(AcceptanceSession, on_delete=models.CASCADE, related_name="defects")
    description = models.CharField(_("问题"), max_length=500)
    owner = models.ForeignKey(
        ProjectParty, on_delete=models.PROTECT, related_name="+", verbose_name=_("责任单位")
    )
    due_on = models.DateField(_("整改期限"))
    cleared_on = models.DateField(_("整改完成"), null=True, blank=True)
    cleared_note = models.CharField(_("整改情况"), max_length=300, blank=True)

    class Meta:
        ordering = ["session", "due_on", "pk"]
        verbose_name = _("验收问题")
        verbose_name_plural = _("验收问题")

    def __str__(self) -> str:
        return self.description
