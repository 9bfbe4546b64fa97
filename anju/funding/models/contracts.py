"""Investment-renovation-management (投改管一体), PPP and loans: who invests in which projects,
what revenue rights they get back, and the payback view (cumulative investment vs revenue)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from anju.access.models import Organisation
from anju.planning.models import Project

MONEY = {"max_digits": 16, "decimal_places": 2}


class InvestmentContract(models.Model):
    class Kind(models.TextChoices):
        IRM = "irm", _("投改管一体")
        EPC_O = "epc_o", _("EPC+O")
        PPP = "ppp", _("PPP")
        FACILITY = "facility", _("增设设施投资")

    number = models.CharField(_("合同编号"), max_length=40, unique=True)
    name = models.CharField(_("合同名称"), max_length=120)
    kind = models.CharField(_("模式"), max_length=10, choices=Kind.choices)
    enterprise = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("实施主体")
    )
    district = models.ForeignKey(
        "territory.Node", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属区")
    )
    path = models.CharField(max_length=120, db_index=True, editable=False)
    projects = models.ManyToManyField(Project, related_name="investment_contracts")
    investment_committed = models.DecimalField(
        _("承诺投资(元)"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY
    )
    signed_on = models.DateField(_("签订日期"))
    term_years = models.PositiveSmallIntegerField(
        _("合作期限(年)"), validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    obligations = models.TextField(_("主要义务"), max_length=3000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-signed_on", "number"]
        verbose_name = _("投资运营合同")
        verbose_name_plural = _("投资运营合同")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.path = self.district.path
        super().save(*args, **kwargs)


class RevenueRight(models.Model):
    class Kind(models.TextChoices):
        PARKING = "parking", _("停车")
        CHARGING = "charging", _("充电桩")
        ADVERTISING = "advertising", _("广告")
        FACILITIES = "facilities", _("增设设施经营")
        USER_FEES = "user_fees", _("使用者付费")
        PROPERTY = "property", _("物业服务")

    contract = models.ForeignKey(
        InvestmentContract, on_delete=models.CASCADE, related_name="revenue_rights"
    )
    kind = models.CharField(_("收益类型"), max_length=12, choices=Kind.choices)
    expected_yearly_revenue = models.DecimalField(
        _("预计年收益(元)"), validators=[MinValueValidator(Decimal("0"))], **MONEY
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["contract", "kind"]
        verbose_name = _("收益权")
        verbose_name_plural = _("收益权")

    def __str__(self) -> str:
        return self.get_kind_display()


class ContractFlow(models.Model):
    """What was actually invested or earned under a contract in a year (for the payback view)."""

    class Kind(models.TextChoices):
        INVESTMENT = "investment", _("投资")
        REVENUE = "revenue", _("收益")

    contract = models.ForeignKey(InvestmentContract, on_delete=models.CASCADE, related_name="flows")
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    amount = models.DecimalField(
        _("金额(元)"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY
    )

    class Meta:
        ordering = ["contract", "year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "year", "kind"], name="one_flow_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.contract} {self.year} {self.kind}"


class Loan(models.Model):
    class Kind(models.TextChoices):
        POLICY_BANK = "policy_bank", _("政策性银行贷款")
        COMMERCIAL = "commercial", _("商业银行贷款")

    lender = models.CharField(_("贷款机构"), max_length=120)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    borrower = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        "territory.Node", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属区")
    )
    path = models.CharField(max_length=120, db_index=True, editable=False)
    amount = models.DecimalField(
        _("贷款金额(元)"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY
    )
    annual_rate = models.DecimalField(
        _("年利率(%)"),
        max_digits=5,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("30"))],
    )
    term_months = models.PositiveSmallIntegerField(
        _("期限(月)"), validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    starts_on = models.DateField(_("放款日期"))
    projects = models.ManyToManyField(Project, related_name="loans")

    class Meta:
        ordering = ["-starts_on", "lender"]
        verbose_name = _("贷款")
        verbose_name_plural = _("贷款")

    def __str__(self) -> str:
        return f"{self.lender} {self.amount}"

    def save(self, *args, **kwargs):
        self.path = self.district.path
        super().save(*args, **kwargs)
