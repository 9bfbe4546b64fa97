"""A ledger per project: the funding plan by source, then commitments, receipts and
disbursements as posted lines that are never changed (a correction is a reversing line).

Every posting locks its `SourceAccount` row (project × source), whose running totals are
updated in the same transaction, so concurrent postings are serialised by the database and a
source can never pay out more than it received. Money is `Decimal` yuan with two places.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anju.access.models import Organisation
from anju.construction.models import Milestone
from anju.planning.models import Project

from .sources import FundingSource

MONEY = {"max_digits": 16, "decimal_places": 2}
ZERO = Decimal("0.00")


class FundingPlan(models.Model):
    """How the project's approved total is to be paid, source by source. It is confirmed only
    when the lines add up to the approved plan's total exactly; until then the shortfall shows."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("编制中")
        CONFIRMED = "confirmed", _("已确认")

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="funding_plan")
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    confirmed_total = models.DecimalField(_("确认总额(元)"), null=True, blank=True, **MONEY)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("资金筹措方案")
        verbose_name_plural = _("资金筹措方案")

    def __str__(self) -> str:
        return str(self.project)


class FundingPlanLine(models.Model):
    plan = models.ForeignKey(FundingPlan, on_delete=models.CASCADE, related_name="lines")
    source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, related_name="+", verbose_name=_("资金来源")
    )
    payer = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("出资单位"),
        help_text=_("专营单位、原产权单位或社会资本方"),
    )
    amount = models.DecimalField(
        _("金额(元)"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "source__position", "pk"]
        verbose_name = _("筹资明细")
        verbose_name_plural = _("筹资明细")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "source", "payer"], name="plan_line_once_per_source_and_payer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.amount}"


class SourceAccount(models.Model):
    """Running totals of one source on one project; the row every posting locks."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="source_accounts")
    source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, related_name="+", verbose_name=_("资金来源")
    )
    committed = models.DecimalField(_("已承诺"), default=ZERO, **MONEY)
    received = models.DecimalField(_("已到位"), default=ZERO, **MONEY)
    disbursed = models.DecimalField(_("已拨付"), default=ZERO, **MONEY)

    class Meta:
        ordering = ["project", "source__position"]
        constraints = [
            models.UniqueConstraint(fields=["project", "source"], name="one_account_per_source"),
            models.CheckConstraint(
                condition=Q(disbursed__lte=models.F("received")),
                name="source_never_pays_out_more_than_it_received",
            ),
            models.CheckConstraint(
                condition=Q(committed__gte=0) & Q(received__gte=0) & Q(disbursed__gte=0),
                name="source_totals_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} / {self.source}"

    @property
    def available(self) -> Decimal:
        return self.received - self.disbursed


class LedgerEntry(models.Model):
    class Kind(models.TextChoices):
        COMMITMENT = "commitment", _("资金承诺")
        RECEIPT = "receipt", _("资金到位")
        DISBURSEMENT = "disbursement", _("资金拨付")

    number = models.CharField(_("凭证号"), max_length=24, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="ledger_entries")
    account = models.ForeignKey(SourceAccount, on_delete=models.PROTECT, related_name="entries")
    source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, related_name="+", verbose_name=_("资金来源")
    )
    kind = models.CharField(_("类型"), max_length=14, choices=Kind.choices)
    # Positive for a posting; a reversal carries the negated amount of the line it reverses.
    amount = models.DecimalField(_("金额(元)"), **MONEY)
    reverses = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
        verbose_name=_("冲正凭证"),
    )
    entry_date = models.DateField(_("业务日期"))
    payer = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("出资单位"),
    )
    payee = models.CharField(_("收款单位"), max_length=120, blank=True)
    milestone = models.ForeignKey(
        Milestone,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("对应进度节点"),
    )
    document = models.CharField(_("依据文件"), max_length=200, blank=True)
    note = models.CharField(_("摘要"), max_length=300, blank=True)
    override_reason = models.CharField(
        _("超进度拨付理由"), max_length=300, blank=True, help_text=_("超出已确认进度的拨付需说明")
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    posted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "posted_at", "pk"]
        verbose_name = _("资金台账")
        verbose_name_plural = _("资金台账")
        indexes = [models.Index(fields=["kind", "entry_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0)
                | Q(reverses__isnull=False, amount__lt=0),
                name="postings_positive_reversals_negative",
            )
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("已记账的凭证不能修改，请用冲正凭证更正。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("已记账的凭证不能删除，请用冲正凭证更正。"))

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class LedgerDocument(models.Model):
    """A file behind a posting (the commitment's approval document, a bank slip): attached in
    the posting's own transaction and, like the line it belongs to, never changed afterwards.
    Its type is decided by its content (PDF, JPEG or PNG); `original_name` is what the uploader
    called it, the stored name is random so that no one can guess another file's address."""

    entry = models.ForeignKey(
        LedgerEntry, on_delete=models.PROTECT, related_name="documents", verbose_name=_("凭证")
    )
    file = models.FileField(_("文件"), upload_to="funding/documents/%Y/%m/", max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小(字节)"))
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entry", "pk"]
        verbose_name = _("凭证附件")
        verbose_name_plural = _("凭证附件")

    def __str__(self) -> str:
        return self.original_name

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("已记账凭证的附件不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("已记账凭证的附件不能删除。"))
