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
