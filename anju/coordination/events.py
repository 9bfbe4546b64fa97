"""Named constructors for coordination's audit events (one function per verb), by area: others'
works and their imports, dig-once conflicts, package proposals (连片改造建议). Each area's
service module is the only caller of its section."""

from django.utils.translation import gettext_lazy as _

from anju.core.audit import changed_fields, record_event, register_verbs

# Others' works and their imports (`works`, `importers`).

register_verbs(
    {
        "work.created": _("登记其他工程"),
        "work.changed": _("更新其他工程"),
        "work.cancelled": _("取消其他工程"),
        "works.imported": _("导入其他工程"),
    }
)


def work_created(*, actor, work, after: dict):
    return record_event(
        actor=actor,
        verb="work.created",
        target=work,
        territory_path=work.path,
        summary=f"{work.organisation} {work.external_id}",
        after=after,
    )


def work_changed(*, actor, work, before: dict, after: dict):
    before, after = changed_fields(before, after)
    return record_event(
        actor=actor,
        verb="work.changed",
        target=work,
        territory_path=work.path,
        summary=f"{work.organisation} {work.external_id}",
        before=before,
        after=after,
    )


def work_cancelled(*, actor, work, old_status: str):
    return record_event(
        actor=actor,
        verb="work.cancelled",
        target=work,
        territory_path=work.path,
        summary=f"{work.organisation} {work.external_id}",
        before={"status": old_status},
        after={"status": work.status},
    )


def works_imported(*, actor, organisation, filename: str, counts: dict, territory_path: str = ""):
    return record_event(
        actor=actor,
        verb="works.imported",
        target=organisation,
        territory_path=territory_path,
        summary=filename,
        after={"file": filename, **counts},
    )


# Dig-once conflicts (`conflicts`).

register_verbs(
    {
        "conflicts.detected": _("排查开挖冲突"),
        "conflicts.resolved": _("协调开挖冲突"),
    }
)


def detected(*, actor, annual_plan, scope, summary):
    return record_event(
        actor=actor,
        verb="conflicts.detected",
        target=annual_plan,
        territory_path=scope.node_paths[0] if len(scope.node_paths) == 1 else "",
        summary=str(annual_plan.year),
        after=summary,
    )


def resolved(*, actor, conflict, before):
    return record_event(
        actor=actor,
        verb="conflicts.resolved",
        target=conflict,
        territory_path=conflict.path,
        summary=str(conflict),
        before=before,
        after={
            "status": conflict.status,
            "note": conflict.note,
            "joint_starts_on": conflict.joint_starts_on,
            "joint_ends_on": conflict.joint_ends_on,
        },
    )


# Package proposals, 连片改造建议 (`packages`).

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
