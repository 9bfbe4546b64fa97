"""Named constructors for engagement's audit events."""

from django.utils.translation import gettext_lazy as _

from anju.core.audit import record_event, register_verbs

register_verbs(
    {
        "campaign.opened": _("发起需求征集"),
        "needs.submitted": _("提交需求"),
        "forum.recorded": _("登记座谈会"),
        "vote.opened": _("发起业主表决"),
        "ballot.cast": _("投票"),
        "ballot.replaced": _("替换表决票"),
        "vote.tallied": _("计票"),
        "campaign.summary_exported": _("导出需求征集汇总"),
        "needs.imported": _("导入纸质问卷"),
    }
)


def campaign_opened(*, actor, campaign, compound_codes):
    return record_event(
        actor=actor,
        verb="campaign.opened",
        target=campaign,
        territory_path=campaign.path,
        summary=campaign.title,
        after={
            "compounds": compound_codes,
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
        },
    )


def needs_submitted(*, actor, submission, before, after):
    return record_event(
        actor=actor,
        verb="needs.submitted",
        target=submission,
        territory_path=submission.household.compound.path,
        summary=submission.get_channel_display(),
        before=before,
        after=after,
    )


def forum_recorded(*, actor, forum):
    return record_event(
        actor=actor,
        verb="forum.recorded",
        target=forum,
        territory_path=forum.compound.path,
        summary=str(forum.held_on),
        after={"attendance": forum.attendance},
    )


def vote_opened(*, actor, vote):
    return record_event(
        actor=actor,
        verb="vote.opened",
        target=vote,
        territory_path=vote.compound.path,
        summary=vote.title,
        after={"matter": vote.matter, "opens_at": vote.opens_at, "closes_at": vote.closes_at},
    )


def ballot_cast(*, actor, ballot, before_choice):
    return record_event(
        actor=actor,
        verb="ballot.cast",
        target=ballot,
        territory_path=ballot.vote.compound.path,
        summary=ballot.get_channel_display(),
        before={"choice": before_choice} if before_choice else {},
        after={"choice": ballot.choice, "paper": ballot.paper_reference},
    )


def ballot_replaced(*, actor, ballot, before):
    """A household's ballot replaced by a later one (the old one is kept as a
    SupersededBallot): what it was, and how the new one came in."""
    return record_event(
        actor=actor,
        verb="ballot.replaced",
        target=ballot,
        territory_path=ballot.vote.compound.path,
        summary=ballot.get_channel_display(),
        before=before,
        after={"channel": ballot.channel, "paper": ballot.paper_reference},
    )


def vote_tallied(*, actor, vote):
    return record_event(
        actor=actor,
        verb="vote.tallied",
        target=vote,
        territory_path=vote.compound.path,
        summary=vote.title,
        after={"passed": (vote.result or {}).get("passed")},
    )


def summary_exported(*, actor, campaign, compound_codes):
    """A campaign's figures left the system as a spreadsheet (no personal data, but logged
    like every bulk export)."""
    return record_event(
        actor=actor,
        verb="campaign.summary_exported",
        target=campaign,
        territory_path=campaign.path,
        summary=campaign.title,
        after={"compounds": compound_codes},
    )


def needs_imported(*, actor, campaign, filename, counts):
    """One file of paper survey sheets imported; each answer has its own needs.submitted."""
    return record_event(
        actor=actor,
        verb="needs.imported",
        target=campaign,
        territory_path=campaign.path,
        summary=filename,
        after={"file": filename, **counts},
    )
