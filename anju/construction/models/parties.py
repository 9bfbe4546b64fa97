"""Who builds, supervises and designs an approved project, under what contract."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anju.access.models import Organisation
from anju.planning.models import Project


class PartyRole(models.TextChoices):
    CONSTRUCTION = "construction", _("施工单位")
    SUPERVISION = "supervision", _("监理单位")
    DESIGN = "design", _("设计单位")


# The organisation kind each party role needs.
KIND_FOR_ROLE = {
    PartyRole.CONSTRUCTION: Organisation.Kind.CONSTRUCTION,
    PartyRole.SUPERVISION: Organisation.Kind.SUPERVISION,
    PartyRole.DESIGN: Organisation.Kind.DESIGNER,
}


class ProjectParty(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("参建角色"), max_length=16, choices=PartyRole.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="project_parties",
        verbose_name=_("单位"),
    )
    responsible_person = models.CharField(_("项目负责人"), max_length=40)
    responsible_phone = models.CharField(_("负责人电话"), max_length=20)
    contract_sum = models.DecimalField(
        _("合同金额(元)"),
        max_digits=16,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    contract_signed_on = models.DateField(_("合同签订日期"))
    starts_on = models.DateField(_("合同开始"))
    ends_on = models.DateField(_("合同结束"))
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    named_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "role"]
        verbose_name = _("参建单位")
        verbose_name_plural = _("参建单位")
        constraints = [
            models.UniqueConstraint(fields=["project", "role"], name="one_party_per_role"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="party_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.get_role_display()} {self.organisation}"

    def clean(self) -> None:
        errors = {}
        if self.organisation_id:
            if self.organisation.kind != KIND_FOR_ROLE.get(self.role):
                errors["organisation"] = _("机构类型与参建角色不符。")
            elif not self.organisation.credit_code:
                errors["organisation"] = _("该机构没有统一社会信用代码，请先在机构管理中补录。")
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("结束日期不能早于开始日期。")
        if errors:
            raise ValidationError(errors)
