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
from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.scope import Scope
from anju.engine import consent
from anju.territory.models import Compound, Household, Node

from . import events
from .models import (
    Ballot,
    Campaign,
    Channel,
    Choice,
    Forum,
    NeedSelection,
    Submission,
    Vote,
    Willingness,
)

ORGANISERS = ("city_office", "district_task_force", "street_office", "community_worker")


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
    day = on or today()
    needs = list(needs)
    if not campaign.is_open_on(day):
        raise DomainError(_("征集不在进行中，不能提交或修改。"), code="campaign_closed")
    if not campaign.compounds.filter(pk=household.compound_id).exists():
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
    items = {i.code: i for i in CatalogueItem.objects.active().filter(code__in=codes)}
    unknown = sorted(set(codes) - set(items))
    if unknown:
        raise DomainError(
            _("未知的改造内容：%(codes)s") % {"codes": ", ".join(unknown)},
            fields={"needs": unknown},
        )
    recorded_by = actor if channel != Channel.ONLINE else None
    with transaction.atomic(durable=True):
        submission, before = _lock_or_create_submission(campaign, household, channel)
        submission.channel = channel
        submission.recorded_by = recorded_by
        submission.paper_reference = paper_reference.strip()
        submission.willingness = willingness if campaign.asks_contribution else ""
        submission.comment = comment.strip()
        submission.full_clean(exclude=["household", "campaign"])
        submission.save()
        submission.needs.all().delete()
        NeedSelection.objects.bulk_create(
            NeedSelection(submission=submission, item=items[n.item_code], is_urgent=n.is_urgent)
            for n in needs
        )
        events.needs_submitted(
            actor=actor,
            submission=submission,
            before=before,
            after=_submission_snapshot(submission, needs),
        )
    return submission


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


def cast_ballot(
    *,
    actor,
    vote: Vote,
    household: Household,
    choice: str,
    channel: str = Channel.ONLINE,
    paper_reference: str = "",
    at: dt.datetime | None = None,
) -> Ballot:
    """Record or change a household's ballot while the vote is open: never two ballots."""
    moment = at or timezone.now()
    if choice not in Choice.values:
        raise DomainError(_("表决意见只能是同意、反对或弃权。"), fields={"choice": [_("无效")]})
    if not vote.is_open_at(moment):
        raise DomainError(_("表决不在进行中。"), code="vote_closed")
    if not vote.electorate().filter(pk=household.pk).exists():
        raise NotFound()
    if channel != Channel.ONLINE and not getattr(actor, "pk", None):
        raise PermissionDenied(_("纸质票须由工作人员登记。"))
    if channel != Channel.ONLINE and not paper_reference.strip():
        raise DomainError(
            _("登记纸质票须填写纸质票编号。"), fields={"paper_reference": [_("必填")]}
        )
    with transaction.atomic(durable=True):
        _align_ballots_of_the_same_owner(actor, vote, household, choice, moment)
        ballot = Ballot.objects.select_for_update().filter(vote=vote, household=household).first()
        before_choice = ballot.choice if ballot else ""
        if ballot is None:
            try:
                with transaction.atomic():
                    ballot = Ballot.objects.create(
                        vote=vote,
                        household=household,
                        choice=choice,
                        channel=channel,
                        paper_reference=paper_reference.strip(),
                        cast_at=moment,
                        recorded_by=actor if channel != Channel.ONLINE else None,
                    )
            except IntegrityError:
                ballot = Ballot.objects.select_for_update().get(vote=vote, household=household)
                before_choice = ballot.choice
        if before_choice:
            ballot.choice = choice
            ballot.channel = channel
            ballot.paper_reference = paper_reference.strip()
            ballot.recorded_by = actor if channel != Channel.ONLINE else None
            ballot.cast_at = moment
            ballot.save()
        events.ballot_cast(actor=actor, ballot=ballot, before_choice=before_choice)
    return ballot


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
        before_choice = other.choice
        other.choice = choice
        other.cast_at = moment
        other.save()
        events.ballot_cast(actor=actor, ballot=other, before_choice=before_choice)


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
    return locked.result
