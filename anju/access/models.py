"""Organisations, staff roles bound to territory, household codes and sign-in counters."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc

from anju.territory.models import Compound, Household, Node


class Role(models.TextChoices):
    CITY_OFFICE = "city_office", _("市改造办")
    DISTRICT_TASK_FORCE = "district_task_force", _("区工作专班")
    STREET_OFFICE = "street_office", _("街道办")
    COMMUNITY_WORKER = "community_worker", _("社区工作者")
    DEPARTMENT_REVIEWER = "department_reviewer", _("部门审查人")
    DESIGNER = "designer", _("设计单位")
    CONSTRUCTION_UNIT = "construction_unit", _("施工单位")
    SUPERVISION_UNIT = "supervision_unit", _("监理单位")
    UTILITY_COMPANY = "utility_company", _("专营单位")
    PROPERTY_COMPANY = "property_company", _("物业企业")


# Roles whose scope is a territory node; the others see the compounds assigned to them.
TERRITORIAL_ROLES = frozenset(
    {
        Role.CITY_OFFICE,
        Role.DISTRICT_TASK_FORCE,
        Role.STREET_OFFICE,
        Role.COMMUNITY_WORKER,
        Role.DEPARTMENT_REVIEWER,
    }
)


def validate_uscc(value: str) -> None:
    """Unified social credit code, GB 32100-2015 (python-stdnum `cn.uscc`)."""
    if not uscc.is_valid(value):
        raise ValidationError(_("统一社会信用代码无效。"), code="invalid_uscc")


class Organisation(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("政府部门")
        DEPARTMENT = "department", _("审查部门")
        DESIGNER = "designer", _("设计单位")
        CONSTRUCTION = "construction", _("施工单位")
        SUPERVISION = "supervision", _("监理单位")
        UTILITY = "utility", _("专营单位")
        PROPERTY = "property", _("物业企业")

    name = models.CharField(_("名称"), max_length=120, unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, validators=[validate_uscc]
    )
    department = models.CharField(_("所属部门"), max_length=60, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(credit_code=""), name="org_credit_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if self.credit_code:
            self.credit_code = uscc.compact(self.credit_code)
        super().save(*args, **kwargs)


class RoleAssignment(models.Model):
    """A staff member holds a role over a territory node, for an organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("角色"), max_length=24, choices=Role.choices)
    node = models.ForeignKey(
        Node,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("辖区"),
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("机构"),
    )

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "node"], name="role_once_per_node"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()} {self.node or self.organisation or ''}"

    def clean(self):
        if self.role in TERRITORIAL_ROLES and not self.node_id:
            raise ValidationError({"node": _("该角色必须绑定辖区。")})
        if self.role not in TERRITORIAL_ROLES and not self.organisation_id:
            raise ValidationError({"organisation": _("该角色必须属于一个机构。")})


class CompoundAssignment(models.Model):
    """A company (designer, builder, utility, property company) works on a compound."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="compound_assignments"
    )
    compound = models.ForeignKey(Compound, on_delete=models.CASCADE, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("项目委托")
        verbose_name_plural = _("项目委托")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "compound"], name="compound_assigned_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.compound_id}"


class HouseholdCode(models.Model):
    """The keyed hash of a household's current sign-in code. Regenerating replaces it."""

    household = models.OneToOneField(
        Household, on_delete=models.CASCADE, related_name="sign_in_code"
    )
    digest = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("住户码")
        verbose_name_plural = _("住户码")

    def __str__(self) -> str:
        return f"household {self.household_id}"


class SignInCounter(models.Model):
    """Failed sign-in attempts per key (a code digest or an address) in a fixed window.

    A database counter because django-ratelimit needs a shared cache anju does not run.
    """

    key = models.CharField(max_length=100)
    window_start = models.DateTimeField()
    failures = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="counter_per_window")
        ]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start}: {self.failures}"
