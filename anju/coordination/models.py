"""Dig once (一次开挖): others' works, their conflicts with the plan's projects, package proposals.

Utility companies and city departments load their annual works (水电气网、道路、城市更新) with
their own ids; anju stores them in WGS84 and finds, for every compound of a draft or approved
annual plan, the works close enough in space and time to be built together or put in order.
A district confirms a joint window or records why not. Package proposals group adjacent
compounds for contiguous renovation (连片改造); an accepted one becomes planning's AreaPackage.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from anju.access.models import Organisation
from anju.planning.models import AnnualPlan
from anju.territory.models import Compound


class WorkKind(models.TextChoices):
    WATER_SUPPLY = "water_supply", _("供水")
    DRAINAGE = "drainage", _("排水")
    POWER = "power", _("电力")
    GAS = "gas", _("燃气")
    TELECOM = "telecom", _("通信")
    HEATING = "heating", _("供热")
    ROAD = "road", _("道路")
    RENEWAL = "renewal", _("城市更新")
    OTHER = "other", _("其他")


class WorkStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("work status", "计划")
    UNDER_WAY = "under_way", pgettext_lazy("work status", "在建")
    DONE = "done", pgettext_lazy("work status", "完工")
    CANCELLED = "cancelled", pgettext_lazy("work status", "取消")


class Work(models.Model):
    """One work of another owner, keyed by that owner's own id (idempotent upserts)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="works", verbose_name=_("建设单位")
    )
    external_id = models.CharField(_("对方编号"), max_length=64)
    kind = models.CharField(_("类别"), max_length=16, choices=WorkKind.choices)
    name = models.CharField(_("名称"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=WorkStatus.choices, default=WorkStatus.PLANNED
    )
    geometry = models.JSONField(_("几何"), null=True, blank=True, help_text=_("GeoJSON，WGS84"))
    radius_m = models.FloatField(_("半径(米)"), default=0, validators=[MinValueValidator(0)])
    compounds = models.ManyToManyField(
        Compound, blank=True, related_name="works", verbose_name=_("涉及小区")
    )
    starts_on = models.DateField(_("计划开工"))
    ends_on = models.DateField(_("计划完工"))
    path = models.CharField(max_length=150, db_index=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["starts_on", "organisation_id", "external_id"]
        verbose_name = _("其他工程")
        verbose_name_plural = _("其他工程")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"], name="one_work_per_owner_id"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="work_window_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"{self.organisation} {self.external_id}"

    @property
    def territory_path(self) -> str:
        return self.path


class ConflictRelation(models.TextChoices):
    OVERLAP = "overlap", _("同期施工")
    AFTER = "after", _("改造后又要开挖")
    BEFORE = "before", _("先施工后改造")


class ConflictStatus(models.TextChoices):
    OPEN = "open", _("待协调")
    JOINT = "joint", _("已约定同步施工")
    DECLINED = "declined", _("不同步（已说明理由）")


class Conflict(models.Model):
    """A compound of an annual plan and a work close in space and time (engine.conflicts)."""

    annual_plan = models.ForeignKey(
        AnnualPlan, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("年度计划")
    )
    compound = models.ForeignKey(Compound, on_delete=models.CASCADE, related_name="conflicts")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="conflicts")
    path = models.CharField(max_length=150, db_index=True, editable=False)
    distance_m = models.FloatField(_("距离(米)"))
    relation = models.CharField(_("关系"), max_length=8, choices=ConflictRelation.choices)
    project_starts_on = models.DateField(_("改造开工"))
    project_ends_on = models.DateField(_("改造完工"))
    is_current = models.BooleanField(default=True, editable=False)
    detected_at = models.DateTimeField()
    status = models.CharField(
        _("协调结果"), max_length=10, choices=ConflictStatus.choices, default=ConflictStatus.OPEN
    )
    joint_starts_on = models.DateField(_("约定开工"), null=True, blank=True)
    joint_ends_on = models.DateField(_("约定完工"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["path", "distance_m"]
        verbose_name = _("开挖冲突")
        verbose_name_plural = _("开挖冲突")
        constraints = [
            models.UniqueConstraint(
                fields=["annual_plan", "compound", "work"], name="one_conflict_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.compound} × {self.work}"

    @property
    def territory_path(self) -> str:
        return self.path


class PackageLevel(models.TextChoices):
    SINGLE = "single", _("单个小区")
    STREET = "street", _("美丽街道（线）")
    AREA = "area", _("片区（面）")


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("proposal status", "建议")
    ACCEPTED = "accepted", pgettext_lazy("proposal status", "已采纳")
    REJECTED = "rejected", pgettext_lazy("proposal status", "不采纳")


class PackageProposal(models.Model):
    """A group of adjacent compounds of one street (or community) proposed for contiguous
    renovation, within caps on households and cost (engine.packaging)."""

    key = models.CharField(max_length=40, unique=True)
    path = models.CharField(max_length=150, db_index=True, editable=False)
    group_path = models.CharField(max_length=150, editable=False)
    level = models.CharField(_("层级"), max_length=8, choices=PackageLevel.choices)
    compounds = models.ManyToManyField(Compound, related_name="package_proposals")
    households = models.PositiveIntegerField(_("户数"))
    cost = models.DecimalField(_("估算投资(元)"), max_digits=16, decimal_places=2)
    hull = models.JSONField(null=True, help_text="GeoJSON, WGS84")
    is_over_cap = models.BooleanField(default=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    is_model_project = models.BooleanField(_("样板工程"), default=False)
    parameters = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["path", "key"]
        verbose_name = _("连片改造建议")
        verbose_name_plural = _("连片改造建议")

    def __str__(self) -> str:
        return self.key

    @property
    def territory_path(self) -> str:
        return self.path
