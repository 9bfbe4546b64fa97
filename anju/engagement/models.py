"""Asking the residents (问需于民 / 问计 / 问效): needs campaigns and consent votes.

A needs campaign asks the households of some compounds which catalogue items they need, which
are urgent, and whether they would contribute. One submission per household per campaign
(a unique constraint), editable until the window closes; staff record paper and door-to-door
answers on a household's behalf with the paper's reference, and forums (座谈会) have minutes.

A consent vote asks the owners of a compound, a building or a building unit about one of the
nine matters of Civil Code art. 278; the tally is `anju.engine.consent`. One ballot per
household per vote (a unique constraint), one paper reference per vote (another); a household
may change its ballot until the vote closes, staff replace one with a paper ballot only when
they confirm it, and every replaced ballot is kept (`SupersededBallot`, and
django-simple-history) and audited.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anju.catalogue.models import CatalogueItem
from anju.territory.models import Building, Compound, Household, Node, Unit


class Channel(models.TextChoices):
    ONLINE = "online", _("线上")
    DOOR_TO_DOOR = "door_to_door", _("入户")
    FORUM = "forum", _("座谈会")
    PHONE = "phone", _("电话")
    IMPORTED = "imported", _("纸质导入")


class Willingness(models.TextChoices):
    NONE = "none", _("不愿出资")
    SOME = "some", _("愿意出一部分")
    FULL_SHARE = "share", _("愿意按要求分摊")


class Campaign(models.Model):
    title = models.CharField(_("标题"), max_length=120)
    node = models.ForeignKey(
        Node, on_delete=models.PROTECT, related_name="+", verbose_name=_("发起辖区")
    )
    path = models.CharField(max_length=120, db_index=True, editable=False)
    compounds = models.ManyToManyField(Compound, related_name="campaigns", verbose_name=_("小区"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("截止日期"))
    asks_contribution = models.BooleanField(_("询问出资意愿"), default=True)
    introduction = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("需求征集")
        verbose_name_plural = _("需求征集")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_window_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.path = self.node.path
        super().save(*args, **kwargs)

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("截止日期不能早于开始日期。")})

    def is_open_on(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on

    @property
    def territory_path(self) -> str:
        return self.path


class Submission(models.Model):
    """One household's answer to a campaign, whatever the channel."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="submissions")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    compound = models.ForeignKey(
        Compound, on_delete=models.CASCADE, related_name="+", editable=False
    )
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("代为登记人"),
    )
    paper_reference = models.CharField(_("纸质表编号"), max_length=60, blank=True)
    willingness = models.CharField(
        _("出资意愿"), max_length=8, choices=Willingness.choices, blank=True
    )
    comment = models.TextField(_("其他意见"), blank=True, max_length=2000)
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("需求答卷")
        verbose_name_plural = _("需求答卷")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "household"], name="one_submission_per_household"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.household_id}"

    def save(self, *args, **kwargs):
        self.compound_id = self.household.compound_id
        super().save(*args, **kwargs)


class NeedSelection(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="needs")
    item = models.ForeignKey(CatalogueItem, on_delete=models.PROTECT, related_name="+")
    is_urgent = models.BooleanField(_("急需"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "item"], name="need_once_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}{'!' if self.is_urgent else ''}"


class SubmissionPhoto(models.Model):
    """A photo of the problem, re-encoded on upload so its metadata (GPS, device) is gone."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="engagement/photos/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.image.name


class Forum(models.Model):
    """Minutes of a residents' forum (座谈会): who came, which needs were raised."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="forums")
    compound = models.ForeignKey(Compound, on_delete=models.CASCADE, related_name="+")
    held_on = models.DateField(_("日期"))
    attendance = models.PositiveIntegerField(_("参会人数"))
    items = models.ManyToManyField(CatalogueItem, related_name="+", verbose_name=_("提出的需求"))
    minutes = models.TextField(_("纪要"), max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("座谈会")
        verbose_name_plural = _("座谈会")

    def __str__(self) -> str:
        return f"{self.compound} {self.held_on}"


class Matter(models.IntegerChoices):
    """The nine matters of Civil Code art. 278."""

    RULES_OF_PROCEDURE = 1, _("制定和修改业主大会议事规则")
    MANAGEMENT_COVENANT = 2, _("制定和修改管理规约")
    OWNERS_COMMITTEE = 3, _("选举业主委员会或者更换业主委员会成员")
    PROPERTY_MANAGER = 4, _("选聘和解聘物业服务企业或者其他管理人")
    USE_MAINTENANCE_FUND = 5, _("使用建筑物及其附属设施的维修资金")
    RAISE_MAINTENANCE_FUND = 6, _("筹集建筑物及其附属设施的维修资金")
    REBUILD_OR_ALTER = 7, _("改建、重建建筑物及其附属设施")
    CHANGE_COMMON_USE = 8, _("改变共有部分的用途或者利用共有部分从事经营活动")
    OTHER = 9, _("有关共有和共同管理权利的其他重大事项")


MAJOR_MATTERS = frozenset({6, 7, 8})


class Vote(models.Model):
    title = models.CharField(_("表决事项"), max_length=160)
    matter = models.PositiveSmallIntegerField(_("民法典第278条事项"), choices=Matter.choices)
    compound = models.ForeignKey(Compound, on_delete=models.PROTECT, related_name="votes")
    building = models.ForeignKey(
        Building, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    description = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    result = models.JSONField(_("计票结果"), null=True, blank=True, editable=False)
    tallied_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("业主表决")
        verbose_name_plural = _("业主表决")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="vote_window_ordered"
            ),
            models.CheckConstraint(
                condition=Q(unit__isnull=True) | Q(building__isnull=False),
                name="vote_unit_within_building",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_major(self) -> bool:
        return self.matter in MAJOR_MATTERS

    @property
    def territory_path(self) -> str:
        return self.compound.path

    def is_open_at(self, moment) -> bool:
        return self.opens_at <= moment < self.closes_at

    def electorate(self):
        """The households entitled to vote: those of the unit, building or compound."""
        households = Household.objects.filter(compound_id=self.compound_id)
        if self.unit_id:
            return households.filter(unit_id=self.unit_id)
        if self.building_id:
            return households.filter(unit__building_id=self.building_id)
        return households


class Choice(models.TextChoices):
    AGREE = "agree", _("同意")
    DISAGREE = "disagree", _("反对")
    ABSTAIN = "abstain", _("弃权")


class Ballot(models.Model):
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("表决意见"), max_length=8, choices=Choice.choices)
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    paper_reference = models.CharField(_("纸质票编号"), max_length=60, blank=True)
    cast_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("表决票")
        verbose_name_plural = _("表决票")
        constraints = [
            models.UniqueConstraint(fields=["vote", "household"], name="one_ballot_per_household"),
            models.UniqueConstraint(
                fields=["vote", "paper_reference"],
                condition=~Q(paper_reference=""),
                name="paper_reference_once_per_vote",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vote_id}/{self.household_id}: {self.choice}"


class SupersededBallot(models.Model):
    """A household's ballot that a later one replaced: kept with its choice, channel, paper
    reference, who recorded it and when, and who replaced it how and when. Never counted:
    the tally reads `Ballot`, the current one. A paper ballot replaces an existing one only
    when the staff confirm it (`services.cast_ballot(replace=True)`)."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="superseded_ballots")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("表决意见"), max_length=8, choices=Choice.choices)
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    paper_reference = models.CharField(_("纸质票编号"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cast_at = models.DateTimeField()
    superseded_at = models.DateTimeField()
    superseded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("替换人"),
    )
    superseded_by_channel = models.CharField(_("替换渠道"), max_length=16, choices=Channel.choices)

    class Meta:
        ordering = ["vote", "household", "superseded_at"]
        verbose_name = _("被替换的表决票")
        verbose_name_plural = _("被替换的表决票")

    def __str__(self) -> str:
        return f"{self.vote_id}/{self.household_id} @ {self.superseded_at:%Y-%m-%d %H:%M}"
