"""Named constructors for the audit events of package proposals (连片改造建议).

Kept apart from `events.py` (works and their imports) so that each area of coordination owns
its own verbs; `anju.coordination.packages` is the only caller.
"""

from django.utils.translation import gettext_lazy as _

from anju.core.audit import record_event, register_verbs

register_verbs(
    {
        "package.proposed": _("生成连片改造建议"),
        "package.accepted": _("采纳连片改造建议"),
        "package.acceptance_withdrawn": _("撤回采纳连片改造建议"),
        "package.rejected": _("不采纳连片改造建议"),
        "package.split": _("拆分连片改造建议"),
        "package.merged": _("合并连片改造建议"),
    }
)


def proposed(*, actor, node, parameters, created, replaced, left_out):
    return record_event(
        actor=actor,
        verb="package.proposed",
        target=node,
        territory_path=node.path,
        summary=node.name,
        after={
            "parameters": parameters,
            "proposals": created,
            "replaced": replaced,
            "left_out": left_out,
        },
    )


def accepted(*, actor, proposal, name):
    return record_event(
        actor=actor,
        verb="package.accepted",
        target=proposal,
        territory_path=proposal.path,
        summary=name,
        before={"status": "proposed"},
        after={
            "status": proposal.status,
            "name": name,
            "is_model_project": proposal.is_model_project,
        },
    )


def acceptance_withdrawn(*, actor, proposal, message):
    return record_event(
        actor=actor,
        verb="package.acceptance_withdrawn",
        target=proposal,
        territory_path=proposal.path,
        summary=message,
        before={"status": "accepted"},
        after={"status": proposal.status, "message": message},
    )


def rejected(*, actor, proposal, reason):
    return record_event(
        actor=actor,
        verb="package.rejected",
        target=proposal,
        territory_path=proposal.path,
        summary=reason,
        before={"status": "proposed"},
        after={"status": proposal.status, "reason": reason},
    )


def split(*, actor, proposal, before_members, part):
    """Recorded on both halves: the proposal that kept the rest and the new part."""
    after = {"kept": sorted(member_codes(proposal)), "split_off": part.key}
    for target in (proposal, part):
        record_event(
            actor=actor,
            verb="package.split",
            target=target,
            territory_path=target.path,
            summary=f"{proposal.key} → {proposal.key} + {part.key}",
            before={"key": proposal.key, "members": sorted(before_members)},
            after={**after, "part_members": sorted(member_codes(part))},
        )


def merged(*, actor, proposal, absorbed_key, absorbed_members):
    return record_event(
        actor=actor,
        verb="package.merged",
        target=proposal,
        territory_path=proposal.path,
        summary=f"{proposal.key} + {absorbed_key}",
        before={"absorbed": absorbed_key, "absorbed_members": sorted(absorbed_members)},
        after={"members": sorted(member_codes(proposal)), "is_over_cap": proposal.is_over_cap},
    )


def member_codes(proposal) -> list[str]:
    return list(proposal.compounds.values_list("code", flat=True))
