"""Every write of engagement: campaigns, needs, forums, votes and ballots.

Concurrency is the database's: one submission and one ballot per household are unique
constraints; a second concurrent insert loses, and the loser updates the winner's row under
`select_for_update`, so 200 simultaneous ballots of one household leave exactly one ballot
and 200 households voting at once all count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.catalogue.models import CatalogueItem
from anju.core.audit import json_safe
from anju.core.calendar import today
from anju.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from anju.core.scope import Scope
from anju.engine import consent
from anju.territory.models import Compound, Household, Node, Stage
from anju.territory.services import advance_stage

from . import events
from .models import (
    Ballot,
    Campaign,
    Channel,
    Choice,
    Forum,
    NeedSelection,
    Submission,
    SupersededBallot,
    Vote,
    Willingness,
)
from .selectors import ORGANISERS


def require_organiser(scope: Scope, path: str) -> None:
    if not scope.has_role(*ORGANISERS):
        raise PermissionDenied(_("只有市、区、街道和社区工作人员可以组织征询和表决。"))
    if not scope.covers_path(path):
        raise NotFound()


# --- needs campaigns -------------------------------------------------------------------


def open_campaign(
    *,
    actor,
    scope: Scope,
    node: Node,
    title: str,
    compounds: Sequence[Compound],
    starts_on: dt.date,
    ends_on: dt.date,
    asks_contribution: bool = True,
    introduction: str = "",
) -> Campaign:
    require_organiser(scope, node.path)
    if not compounds:
        raise DomainError(_("请至少选择一个小区。"), fields={"compounds": [_("必填")]})
    outside = [c.name for c in compounds if not c.path.startswith(node.path)]
    if outside:
        raise DomainError(
            _("这些小区不在发起辖区内：%(names)s") % {"names": "、".join(outside)},
            fields={"compounds": [_("不在辖区内")]},
        )
    with transaction.atomic(durable=True):
        campaign = Campaign(
            title=title,
            node=node,
            starts_on=starts_on,
            ends_on=ends_on,
            asks_contribution=asks_contribution,
            introduction=introduction,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        campaign.path = node.path
        campaign.full_clean()
        campaign.save()
        campaign.compounds.set(compounds)
        events.campaign_opened(
            actor=actor, campaign=campaign, compound_codes=[c.code for c in compounds]
        )
    return campaign


@dataclass(frozen=True)
class NeedChoice:
    item_code: str
    is_urgent: bool = False


@dataclass(frozen=True)
class CheckedAnswer:
    """A household's answer that passed every rule of `check_needs`, ready for `write_needs`."""

    campaign: Campaign
    household: Household
    needs: tuple[NeedChoice, ...]
    items: dict[str, CatalogueItem]
    channel: str
    paper_reference: str
    willingness: str
    comment: str


def check_needs(
    *,
    actor,
    campaign: Campaign,
    household: Household,
    needs: Iterable[NeedChoice],
    willingness: str = "",
    comment: str = "",
    channel: str = Channel.ONLINE,
    paper_reference: str = "",
    on: dt.date | None = None,
    catalogue: dict[str, CatalogueItem] | None = None,
    campaign_compound_ids: set[int] | None = None,
) -> CheckedAnswer:
    """Every rule of an answer, without writing: the window, the household's compound, the
    channel, the paper's reference, the willingness and the items.

    A bulk import passes `catalogue` (active items by code) and `campaign_compound_ids` that
    it read once, so checking a thousand rows costs no query per row.
    """
    day = on or today()
    needs = tuple(needs)
    if not campaign.is_open_on(day):
        raise DomainError(_("征集不在进行中，不能提交或修改。"), code="campaign_closed")
    if campaign_compound_ids is None:
        in_campaign = campaign.compounds.filter(pk=household.compound_id).exists()
    else:
        in_campaign = household.compound_id in campaign_compound_ids
    if not in_campaign:
        raise NotFound()
    if channel not in Channel.values:
        raise DomainError(_("未知的渠道。"), fields={"channel": [_("无效")]})
    if channel != Channel.ONLINE and not getattr(actor, "pk", None):
        raise PermissionDenied(_("代为登记须由工作人员办理。"))
    if channel in (Channel.DOOR_TO_DOOR, Channel.IMPORTED) and not paper_reference.strip():
        raise DomainError(
            _("代为登记纸质答卷须填写纸质表编号。"), fields={"paper_reference": [_("必填")]}
        )
    if willingness and willingness not in Willingness.values:
        raise DomainError(_("未知的出资意愿。"), fields={"willingness": [_("无效")]})
    codes = [n.item_code for n in needs]
    if len(set(codes)) != len(codes):
        raise DomainError(_("同一项需求只能选一次。"), fields={"needs": [_("重复")]})
    if catalogue is None:
        items = {i.code: i for i in CatalogueItem.objects.active().filter(code__in=codes)}
    else:
        items = {code: catalogue[code] for code in codes if code in catalogue}
    unknown = sorted(set(codes) - set(items))
    if unknown:
        raise DomainError(
            _("未知的改造内容：%(codes)s") % {"codes": ", ".join(unknown)},
            fields={"needs": unknown},
        )
    return CheckedAnswer(
        campaign=campaign,
        household=household,
        needs=needs,
        items=items,
        channel=channel,
        paper_reference=paper_reference.strip(),
        willingness=willingness,
        comment=comment.strip(),
    )


def write_needs(*, actor, answer: CheckedAnswer) -> Submission:
    """Create or replace the checked answer, with its audit event. Runs inside the caller's
    transaction (`submit_needs`' own, or a whole file's import), never on its own."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("write_needs runs inside the caller's transaction")
    campaign, household = answer.campaign, answer.household
    submission, before = _lock_or_create_submission(campaign, household, answer.channel)
    submission.channel = answer.channel
    submission.recorded_by = actor if answer.channel != Channel.ONLINE else None
    submission.paper_reference = answer.paper_reference
    submission.willingness = answer.willingness if campaign.asks_contribution else ""
    submission.comment = answer.comment
    submission.full_clean(exclude=["household", "campaign"])
    submission.save()
    submission.needs.all().delete()
    NeedSelection.objects.bulk_create(
        NeedSelection(submission=submission, item=answer.items[n.item_code], is_urgent=n.is_urgent)
        for n in answer.needs
    )
    events.needs_submitted(
        actor=actor,
        submission=submission,
        before=before,
        after=_submission_snapshot(submission, answer.needs),
    )
    return submission


def submit_needs(
    *,
    actor,
    campaign: Campaign,
    household: Household,
    needs: Iterable[NeedChoice],
    willingness: str = "",
    comment: str = "",
    channel: str = Channel.ONLINE,
    paper_reference: str = "",
    on: dt.date | None = None,
) -> Submission:
    """Create or replace a household's answer (idempotent on campaign + household).

    Residents answer online while the window is open; staff record paper, door-to-door and
    phone answers on the household's behalf with the paper's reference, also only in the
    window (a late paper answer is refused, not silently dated back).
    """
    answer = check_needs(
        actor=actor,
        campaign=campaign,
        household=household,
        needs=needs,
        willingness=willingness,
        comment=comment,
        channel=channel,
        paper_reference=paper_reference,
        on=on,
    )
    with transaction.atomic(durable=True):
        return write_needs(actor=actor, answer=answer)


def _lock_or_create_submission(campaign, household, channel):
    existing = (
        Submission.objects.select_for_update()
        .filter(campaign=campaign, household=household)
        .first()
    )
    if existing is not None:
        return existing, _submission_snapshot(existing)
    try:
        with transaction.atomic():
            return Submission.objects.create(
                campaign=campaign, household=household, channel=channel
            ), {}
    except IntegrityError:
        existing = Submission.objects.select_for_update().get(
            campaign=campaign, household=household
        )
        return existing, _submission_snapshot(existing)


def _submission_snapshot(submission, needs=None) -> dict:
    if needs is None:
        needs = [
            NeedChoice(s.item.code, s.is_urgent) for s in submission.needs.select_related("item")
        ]
    return json_safe(
        {
            "channel": submission.channel,
            "willingness": submission.willingness,
            "needs": sorted(f"{n.item_code}{'!' if n.is_urgent else ''}" for n in needs),
            "paper_reference": submission.paper_reference,
        }
    )


def record_forum(
    *,
    actor,
    scope: Scope,
    campaign: Campaign,
    compound: Compound,
    held_on: dt.date,
    attendance: int,
    item_codes: Sequence[str],
    minutes: str,
) -> Forum:
    require_organiser(scope, compound.path)
    if not campaign.compounds.filter(pk=compound.pk).exists():
        raise NotFound()
    items = list(CatalogueItem.objects.filter(code__in=item_codes))
    with transaction.atomic(durable=True):
        forum = Forum(
            campaign=campaign,
            compound=compound,
            held_on=held_on,
            attendance=attendance,
            minutes=minutes,
            recorded_by=actor,
        )
        forum.full_clean()
        forum.save()
        forum.items.set(items)
        events.forum_recorded(actor=actor, forum=forum)
    return forum


# --- consent votes ---------------------------------------------------------------------


def open_vote(
    *,
    actor,
    scope: Scope,
    compound: Compound,
    title: str,
    matter: int,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    building=None,
    unit=None,
    description: str = "",
) -> Vote:
    require_organiser(scope, compound.path)
    if unit is not None and building is None:
        building = unit.building
    if building is not None and building.compound_id != compound.pk:
        raise DomainError(_("楼栋不属于该小区。"), fields={"building": [_("无效")]})
    if unit is not None and unit.building_id != building.pk:
        raise DomainError(_("单元不属于该楼栋。"), fields={"unit": [_("无效")]})
    with transaction.atomic(durable=True):
        vote = Vote(
            compound=compound,
            building=building,
            unit=unit,
            title=title,
            matter=matter,
            opens_at=opens_at,
            closes_at=closes_at,
            description=description,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        vote.full_clean()
        vote.save()
        events.vote_opened(actor=actor, vote=vote)
    return vote


class BallotReplacementUnconfirmed(Conflict):
    """A ballot recorded on a household's behalf would replace the household's ballot; the
    staff must see what it replaces and confirm (`replace=True`). `existing` says what would
    be replaced — channel, time, paper reference, who recorded it — but not its choice
    (ballot secrecy, `selectors.vote_figures`)."""

    code = "ballot_exists"

    def __init__(self, existing: Ballot):
        self.existing = {
            "channel": existing.channel,
            "channel_label": str(existing.get_channel_display()),
            "cast_at": existing.cast_at,
            "paper_reference": existing.paper_reference,
            "recorded_by": existing.recorded_by.get_username() if existing.recorded_by else "",
        }
        when = timezone.localtime(existing.cast_at).strftime("%Y-%m-%d %H:%M")
        super().__init__(
            _(
                "该户已有一张表决票（%(channel)s，%(at)s 登记）。如确认用这张纸质票替换它，"
                "请勾选“确认替换”后再提交；被替换的票会保留记录。"
            )
            % {"channel": self.existing["channel_label"], "at": when}
        )


def paper_reference_taken(reference: str) -> DomainError:
    return DomainError(
        _("纸质票编号“%(reference)s”已用于本次表决的另一户，请核对纸质票。")
        % {"reference": reference},
        code="paper_reference_taken",
        fields={"paper_reference": [_("已被使用")]},
    )


def cast_ballot(
    *,
    actor,
    vote: Vote,
    household: Household,
    choice: str,
    channel: str = Channel.ONLINE,
    paper_reference: str = "",
    replace: bool = False,
    at: dt.datetime | None = None,
) -> Ballot:
    """Record or change a household's ballot while the vote is open: never two ballots.

    A household changes its own online ballot at will until the close. A ballot recorded on
    its behalf (paper, door to door, at a meeting) that would replace an existing ballot is
    refused unless the staff confirm it (`replace=True`, after seeing what it replaces):
    otherwise a paper slip would silently overwrite the household's own vote. Entering the
    same paper again changes nothing. Every replaced ballot is kept as a `SupersededBallot`
    and audited (`ballot.replaced`); the tally reads only the current one. A paper reference
    serves one household per vote (a unique constraint; the service names the clash)."""
    moment = at or timezone.now()
    reference = paper_reference.strip()
    if choice not in Choice.values:
        raise DomainError(_("表决意见只能是同意、反对或弃权。"), fields={"choice": [_("无效")]})
    if not vote.is_open_at(moment):
        raise DomainError(_("表决不在进行中。"), code="vote_closed")
    if not vote.electorate().filter(pk=household.pk).exists():
        raise NotFound()
    if channel != Channel.ONLINE and not getattr(actor, "pk", None):
        raise PermissionDenied(_("纸质票须由工作人员登记。"))
    if channel != Channel.ONLINE and not reference:
        raise DomainError(
            _("登记纸质票须填写纸质票编号。"), fields={"paper_reference": [_("必填")]}
        )
    recorder = actor if channel != Channel.ONLINE else None
    with transaction.atomic(durable=True):
        if (
            reference
            and Ballot.objects.filter(vote=vote, paper_reference=reference)
            .exclude(household=household)
            .exists()
        ):
            raise paper_reference_taken(reference)
        _align_ballots_of_the_same_owner(actor, vote, household, choice, moment)
        ballot = Ballot.objects.select_for_update().filter(vote=vote, household=household).first()
        if ballot is None:
            try:
                with transaction.atomic():
                    ballot = Ballot.objects.create(
                        vote=vote,
                        household=household,
                        choice=choice,
                        channel=channel,
                        paper_reference=reference,
                        cast_at=moment,
                        recorded_by=recorder,
                    )
                created = True
            except IntegrityError:
                ballot = (
                    Ballot.objects.select_for_update()
                    .filter(vote=vote, household=household)
                    .first()
                )
                if ballot is None:  # the other constraint: a concurrent ballot took the paper
                    raise paper_reference_taken(reference) from None
                created = False
        else:
            created = False
        if not created:
            unchanged = (ballot.choice, ballot.channel, ballot.paper_reference) == (
                choice,
                channel,
                reference,
            )
            if channel != Channel.ONLINE and unchanged:
                return ballot
            if channel != Channel.ONLINE and not replace:
                raise BallotReplacementUnconfirmed(ballot)
            before = _supersede(ballot, actor=actor, channel=channel, moment=moment)
            ballot.choice = choice
            ballot.channel = channel
            ballot.paper_reference = reference
            ballot.recorded_by = recorder
            ballot.cast_at = moment
            try:
                with transaction.atomic():
                    ballot.save()
            except IntegrityError:
                raise paper_reference_taken(reference) from None
            events.ballot_replaced(actor=actor, ballot=ballot, before=before)
        events.ballot_cast(
            actor=actor, ballot=ballot, before_choice="" if created else before["choice"]
        )
    return ballot


def _supersede(ballot: Ballot, *, actor, channel: str, moment) -> dict:
    """Keep the ballot about to be replaced; return its state for the audit event."""
    SupersededBallot.objects.create(
        vote_id=ballot.vote_id,
        household_id=ballot.household_id,
        choice=ballot.choice,
        channel=ballot.channel,
        paper_reference=ballot.paper_reference,
        recorded_by_id=ballot.recorded_by_id,
        cast_at=ballot.cast_at,
        superseded_at=moment,
        superseded_by=actor if getattr(actor, "pk", None) else None,
        superseded_by_channel=channel,
    )
    return {
        "choice": ballot.choice,
        "channel": ballot.channel,
        "paper": ballot.paper_reference,
        "recorded_by": ballot.recorded_by_id,
        "cast_at": ballot.cast_at,
    }


def _align_ballots_of_the_same_owner(actor, vote, household, choice, moment) -> None:
    """One owner of several units is one head with one voice (SPC interpretation on building
    co-ownership, art. 9): a changed ballot changes the owner's other ballots in this vote,
    each change audited, so the tally never sees one owner voting two ways."""
    owner = consent.DEVELOPER if household.is_developer_unsold else household.owner_key
    if not owner:
        return
    siblings = vote.electorate().exclude(pk=household.pk)
    siblings = (
        siblings.filter(is_developer_unsold=True)
        if owner == consent.DEVELOPER
        else siblings.filter(owner_key=owner, is_developer_unsold=False)
    )
    for other in (
        Ballot.objects.select_for_update()
        .filter(vote=vote, household__in=siblings)
        .exclude(choice=choice)
    ):
        before = _supersede(other, actor=actor, channel=other.channel, moment=moment)
        other.choice = choice
        other.cast_at = moment
        other.save()
        events.ballot_replaced(actor=actor, ballot=other, before=before)
        events.ballot_cast(actor=actor, ballot=other, before_choice=before["choice"])


def vote_inputs(vote: Vote) -> list[consent.UnitBallot]:
    """The per-unit inputs of the tally: every household of the electorate, with its area,
    owner key (developer's unsold units share one) and ballot, absent when none."""
    choices = dict(Ballot.objects.filter(vote=vote).values_list("household_id", "choice"))
    rows = (
        vote.electorate()
        .values_list("pk", "owner_key", "exclusive_area", "is_developer_unsold")
        .order_by("pk")
    )
    inputs = []
    for pk, owner_key, area, is_developer in rows:
        owner = consent.DEVELOPER if is_developer else (owner_key or f"household-{pk}")
        inputs.append(
            consent.UnitBallot(
                unit_id=str(pk),
                owner_id=owner,
                area=area,
                vote=consent.Vote(choices.get(pk, "absent")),
            )
        )
    return inputs


def tally_vote(*, actor, vote: Vote, at: dt.datetime | None = None) -> dict:
    """Count a closed vote and keep the result; anyone can re-count from the published
    inputs (`published_inputs`)."""
    moment = at or timezone.now()
    if moment < vote.closes_at:
        raise DomainError(_("表决尚未截止，不能计票。"), code="vote_open")
    matter = consent.Matter.MAJOR if vote.is_major else consent.Matter.ORDINARY
    result = consent.tally(vote_inputs(vote), matter)
    with transaction.atomic(durable=True):
        locked = Vote.objects.select_for_update().get(pk=vote.pk)
        locked.result = {
            **consent.result_as_dict(result, "zh"),
            "explanation_en": consent.explain(result, "en"),
        }
        locked.tallied_at = moment
        locked.save(update_fields=["result", "tallied_at"])
        events.vote_tallied(actor=actor, vote=locked)
    advance_to_consulted_when_ready(actor=actor, compound=locked.compound)
    return locked.result


def advance_to_consulted_when_ready(*, actor, compound: Compound, on: dt.date | None = None):
    """Lifecycle (ARCHITECTURE.md): a registered compound becomes "consulted" once a needs
    campaign covering it has closed and a compound-wide consent vote has been tallied."""
    day = on or today()
    if compound.stage != Stage.REGISTERED:
        return compound
    campaign_closed = Campaign.objects.filter(compounds=compound, ends_on__lt=day).exists()
    vote_tallied = Vote.objects.filter(
        compound=compound, building__isnull=True, result__isnull=False
    ).exists()
    if not (campaign_closed and vote_tallied):
        return compound
    return advance_stage(
        actor=actor,
        compound=compound,
        to_stage=Stage.CONSULTED,
        reason="needs campaign closed; consent vote tallied",
    )
