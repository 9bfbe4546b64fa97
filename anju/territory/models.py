"""The territory tree and the registry of compounds, buildings, units and households.

City → District (functional zones too) → Street → Community are `Node`s with official codes
and a materialised `path` ("4201/420102/420102001/420102001001/"), so "everything under 江岸区"
is one indexed prefix filter. Compounds carry the path of their community plus their own code,
and buildings, units and households carry their compound, so every registry row can be scoped
with one prefix filter. Nodes have validity dates: a merged district ends, lookups default to
today.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anju.core.calendar import today

from . import paths


class NodeQuerySet(models.QuerySet):
    def valid_on(self, day=None):
        day = day or today()
        return self.filter(Q(valid_from__lte=day) | Q(valid_from__isnull=True)).filter(
            Q(valid_to__gte=day) | Q(valid_to__isnull=True)
        )


class Node(models.Model):
    class Kind(models.TextChoices):
        CITY = "city", _("市")
        DISTRICT = "district", _("区")
        ZONE = "zone", _("功能区")
        STREET = "street", _("街道")
        COMMUNITY = "community", _("社区")

    kind = models.CharField(_("层级"), max_length=12, choices=Kind.choices)
    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=80)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("上级"),
    )
    path = models.CharField(max_length=120, unique=True)
    depth = models.PositiveSmallIntegerField(default=0)
    valid_from = models.DateField(_("生效日期"), null=True, blank=True)
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    outline = models.JSONField(_("边界"), null=True, blank=True, help_text=_("GeoJSON，WGS84"))

    objects = NodeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["path"]
        verbose_name = _("区划")
        verbose_name_plural = _("区划")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="node_validity_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.path = paths.child_path(self.parent.path if self.parent_id else "", self.code)
        self.depth = paths.depth(self.path)
        super().save(*args, **kwargs)

    @property
    def territory_path(self) -> str:
        return self.path


class PropertyRights(models.TextChoices):
    COMMODITY = "commodity", _("商品房")
    REFORM = "reform", _("房改房")
    UNIT_SELF_MANAGED = "unit", _("单位自管房")
    RESETTLEMENT = "resettlement", _("安置房")
    MIXED = "mixed", _("混合产权")


class ManagementStatus(models.TextChoices):
    PROFESSIONAL = "professional", _("专业物业")
    RED_PROPERTY = "red_property", _("红色物业")
    SELF_MANAGED = "self_managed", _("业主自治")
    STREET_MANAGED = "street_managed", _("街道托管")
    NONE = "none", _("无物业管理")


class PartyOrganisation(models.TextChoices):
    NONE = "none", _("未建立")
    JOINT = "joint", _("联合党支部")
    BRANCH = "branch", _("独立党支部")


class Stage(models.TextChoices):
    """The renovation lifecycle (ARCHITECTURE.md); changed only through the owning service."""

    REGISTERED = "registered", _("摸底入库")
    CONSULTED = "consulted", _("问需于民")
    CANDIDATE = "candidate", _("竞争性生成")
    PLANNED = "planned", _("列入年度计划")
    DESIGNED = "designed", _("一小区一方案")
    NOTICED = "noticed", _("方案公示")
    APPROVED = "approved", _("联合审查")
    BUILDING = "building", _("施工")
    ACCEPTED = "accepted", _("联合验收")
    STEWARDED = "stewarded", _("长效管理")


def validate_year_built(value: int) -> None:
    if value > today().year:
        raise ValidationError(_("建成年份不能晚于今年。"), code="future_year")


class Compound(models.Model):
    code = models.CharField(_("小区编码"), max_length=24, unique=True)
    name = models.CharField(_("小区名称"), max_length=100)
    community = models.ForeignKey(
        Node,
        on_delete=models.PROTECT,
        related_name="compounds",
        verbose_name=_("社区"),
        limit_choices_to={"kind": Node.Kind.COMMUNITY},
    )
    path = models.CharField(max_length=150, db_index=True, editable=False)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    longitude = models.FloatField(_("经度"), null=True, blank=True)
    latitude = models.FloatField(_("纬度"), null=True, blank=True)
    boundary = models.JSONField(_("边界"), null=True, blank=True, help_text=_("GeoJSON 面，WGS84"))
    year_built = models.PositiveSmallIntegerField(
        _("建成年份"), validators=[MinValueValidator(1900), validate_year_built]
    )
    property_rights = models.CharField(
        _("产权类型"),
        max_length=16,
        choices=PropertyRights.choices,
        default=PropertyRights.REFORM,
    )
    original_property_unit = models.CharField(_("原产权单位"), max_length=120, blank=True)
    building_count = models.PositiveIntegerField(_("楼栋数"), default=0)
    household_count = models.PositiveIntegerField(_("户数"), default=0)
    total_floor_area = models.DecimalField(
        _("建筑面积(m²)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    management_status = models.CharField(
        _("管理状态"),
        max_length=16,
        choices=ManagementStatus.choices,
        default=ManagementStatus.NONE,
    )
    has_owners_committee = models.BooleanField(_("已成立业委会"), default=False)
    party_organisation = models.CharField(
        _("党组织"),
        max_length=8,
        choices=PartyOrganisation.choices,
        default=PartyOrganisation.NONE,
    )
    stage = models.CharField(
        _("阶段"), max_length=12, choices=Stage.choices, default=Stage.REGISTERED, editable=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["path"]
        verbose_name = _("小区")
        verbose_name_plural = _("小区")
        indexes = [
            models.Index(fields=["stage"]),
            models.Index(fields=["year_built"]),
            models.Index(fields=["management_status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_floor_area__gte=0), name="compound_area_not_negative"
            ),
            models.CheckConstraint(
                condition=(Q(longitude__isnull=True) & Q(latitude__isnull=True))
                | (Q(longitude__isnull=False) & Q(latitude__isnull=False)),
                name="compound_point_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.path = paths.child_path(self.community.path, self.code)
        super().save(*args, **kwargs)

    @property
    def territory_path(self) -> str:
        return self.path

    @property
    def district_code(self) -> str:
        return paths.district_code(self.path)


class Building(models.Model):
    compound = models.ForeignKey(
        Compound, on_delete=models.CASCADE, related_name="buildings", verbose_name=_("小区")
    )
    number = models.CharField(_("楼栋号"), max_length=20)
    floors = models.PositiveSmallIntegerField(
        _("层数"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    has_elevator = models.BooleanField(_("有电梯"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["compound", "number"]
        verbose_name = _("楼栋")
        verbose_name_plural = _("楼栋")
        constraints = [
            models.UniqueConstraint(fields=["compound", "number"], name="building_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.compound.name} {self.number}"

    @property
    def territory_path(self) -> str:
        return self.compound.path


class Unit(models.Model):
    building = models.ForeignKey(
        Building, on_delete=models.CASCADE, related_name="units", verbose_name=_("楼栋")
    )
    number = models.CharField(_("单元号"), max_length=20)
    has_elevator = models.BooleanField(_("有电梯"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["building", "number"]
        verbose_name = _("单元")
        verbose_name_plural = _("单元")
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="unit_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.building} {self.number}"


class Household(models.Model):
    """One exclusive unit (户). `owner_key` recognises one owner of several units (SPC
    interpretation on building co-ownership, art. 9: they count as one head)."""

    compound = models.ForeignKey(
        Compound,
        on_delete=models.CASCADE,
        related_name="households",
        verbose_name=_("小区"),
        editable=False,
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="households", verbose_name=_("单元")
    )
    room = models.CharField(_("房号"), max_length=20)
    floor = models.SmallIntegerField(_("所在楼层"), validators=[MinValueValidator(-3)])
    exclusive_area = models.DecimalField(
        _("专有面积(m²)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    owner_key = models.CharField(_("业主标识"), max_length=64, blank=True, db_index=True)
    owner_name = models.CharField(_("业主姓名"), max_length=60, blank=True)
    is_developer_unsold = models.BooleanField(_("开发商未售"), default=False)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    is_elderly_living_alone = models.BooleanField(_("独居老人"), default=False)
    has_disability = models.BooleanField(_("残疾人"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["unit", "room"]
        verbose_name = _("住户")
        verbose_name_plural = _("住户")
        constraints = [
            models.UniqueConstraint(fields=["unit", "room"], name="household_room_unique"),
            models.CheckConstraint(
                condition=Q(exclusive_area__gte=0), name="household_area_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.room}"

    def save(self, *args, **kwargs):
        self.compound_id = self.unit.building.compound_id
        super().save(*args, **kwargs)

    @property
    def territory_path(self) -> str:
        return self.compound.path


class NodeChange(models.Model):
    """One adjustment of the territory (区划调整) as the city office recorded it: a node added,
    renamed, moved under another parent (a street handed to 东湖新技术开发区) or ended.

    The node itself always shows today's name and placement (lookups default to today,
    STYLE.md 12); this log keeps what it was before, from which day, and on whose decision,
    so the old placement stays visible. django-simple-history additionally keeps each row as
    it was saved, for `history.as_of(t)`.
    """

    class Kind(models.TextChoices):
        ADDED = "added", _("新设")
        RENAMED = "renamed", _("更名")
        MOVED = "moved", _("调整隶属")
        ENDED = "ended", _("撤销")

    node = models.ForeignKey(
        Node, on_delete=models.PROTECT, related_name="changes", verbose_name=_("区划")
    )
    kind = models.CharField(_("调整类型"), max_length=12, choices=Kind.choices)
    effective_on = models.DateField(_("生效日期"))
    old_name = models.CharField(_("原名称"), max_length=80, blank=True)
    new_name = models.CharField(_("新名称"), max_length=80, blank=True)
    old_parent = models.ForeignKey(
        Node,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("原上级"),
    )
    new_parent = models.ForeignKey(
        Node,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("新上级"),
    )
    old_path = models.CharField(max_length=120, blank=True)
    new_path = models.CharField(max_length=120, blank=True)
    decision = models.CharField(_("批准文件"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-effective_on", "-recorded_at", "-pk"]
        verbose_name = _("区划调整")
        verbose_name_plural = _("区划调整")
        indexes = [models.Index(fields=["node", "effective_on"])]

    def __str__(self) -> str:
        return f"{self.node} {self.get_kind_display()} {self.effective_on}"
