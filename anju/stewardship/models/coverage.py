"""Who looks after a compound and who organises its residents (物业服务覆盖、党组织全覆盖).

The registry's `Compound` carries the three facts every coverage figure counts —
`management_status`, `has_owners_committee`, `party_organisation` — and their history
(simple-history), so coverage at any past date is `Compound.history.as_of(date)`. The records
here are the detail behind them: the property-service contracts with their dates, the owners'
committee with its members, the residents' committee and party branch, and the party members
registered in the community (下沉党员) with their service hours. Stewardship's services keep
the compound's three fields in step with these records; nothing else writes them.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anju.access.models import Organisation
from anju.territory.models import Compound, Household, ManagementStatus

# Property service by a company: the statuses a contract may give a compound.
CONTRACT_STATUSES = (ManagementStatus.PROFESSIONAL, ManagementStatus.RED_PROPERTY)


class PropertyContract(models.Model):
    """A property company serves the compound from `starts_on` to `ends_on` (open-ended when
    blank). Its staff see the compound (an access `CompoundAssignment`) while it is current."""

    compound = models.ForeignKey(
        Compound, on_delete=models.CASCADE, related_name="property_contracts"
    )
    company = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="property_contracts",
        limit_choices_to={"kind": Organisation.Kind.PROPERTY},
        verbose_name=_("物业企业"),
    )
    service_kind = models.CharField(
        _("服务方式"),
        max_length=16,
        choices=[(s.value, s.label) for s in CONTRACT_STATUSES],
        default=ManagementStatus.PROFESSIONAL,
    )
    starts_on = models.DateField(_("合同开始"))
    ends_on = models.DateField(_("合同结束"), null=True, blank=True)
    ended_early_on = models.DateField(_("提前终止"), null=True, blank=True)
    monthly_fee_per_m2 = models.DecimalField(
        _("物业费(元/m²·月)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["compound", "-starts_on"]
        verbose_name = _("物业服务合同")
        verbose_name_plural = _("物业服务合同")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="contract_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.compound} ← {self.company}"

    def clean(self) -> None:
        if self.company_id and self.company.kind != Organisation.Kind.PROPERTY:
            raise ValidationError({"company": _("请选择物业企业。")})
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})

    @property
    def last_day(self):
        return self.ended_early_on or self.ends_on

    def is_current(self, day) -> bool:
        return self.starts_on <= day and (self.last_day is None or day <= self.last_day)


class GovernanceProfile(models.Model):
    """The compound's self-organisation: residents' committee, owners' committee, party branch."""

    compound = models.OneToOneField(
        Compound, on_delete=models.CASCADE, related_name="governance_profile"
    )
    residents_committee = models.CharField(_("居民委员会"), max_length=100, blank=True)
    owners_committee_elected_on = models.DateField(_("业委会成立日期"), null=True, blank=True)
    owners_committee_term_ends_on = models.DateField(_("业委会任期届满"), null=True, blank=True)
    party_branch_name = models.CharField(_("党组织名称"), max_length=100, blank=True)
    party_branch_secretary = models.CharField(_("党组织书记"), max_length=40, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("小区治理信息")
        verbose_name_plural = _("小区治理信息")

    def __str__(self) -> str:
        return str(self.compound)


class CommitteeMember(models.Model):
    """A member of the compound's owners' committee (names are publicly noticed on election)."""

    class Position(models.TextChoices):
        CHAIR = "chair", _("主任")
        VICE_CHAIR = "vice_chair", _("副主任")
        MEMBER = "member", _("委员")

    profile = models.ForeignKey(GovernanceProfile, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("姓名"), max_length=40)
    position = models.CharField(
        _("职务"), max_length=12, choices=Position.choices, default=Position.MEMBER
    )
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["profile", "position", "name"]
        verbose_name = _("业委会成员")
        verbose_name_plural = _("业委会成员")

    def __str__(self) -> str:
        return self.name


class PartyMember(models.Model):
    """A party member registered in the community to serve this compound (下沉党员)."""

    compound = models.ForeignKey(Compound, on_delete=models.CASCADE, related_name="party_members")
    name = models.CharField(_("姓名"), max_length=40)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    home_organisation = models.CharField(_("所在单位党组织"), max_length=120, blank=True)
    registered_on = models.DateField(_("报到日期"))
    left_on = models.DateField(_("离开日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["compound", "registered_on", "name"]
        verbose_name = _("下沉党员")
        verbose_name_plural = _("下沉党员")

    def __str__(self) -> str:
        return self.name


class ServiceRecord(models.Model):
    """Hours a registered party member served the compound, and on what."""

    member = models.ForeignKey(PartyMember, on_delete=models.CASCADE, related_name="services")
    served_on = models.DateField(_("服务日期"))
    hours = models.DecimalField(
        _("服务时长(小时)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("24"))],
    )
    activity = models.CharField(_("服务内容"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["member", "-served_on"]
        verbose_name = _("服务记录")
        verbose_name_plural = _("服务记录")

    def __str__(self) -> str:
        return f"{self.member} {self.served_on} {self.hours}h"
