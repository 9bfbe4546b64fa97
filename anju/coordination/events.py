"""Named constructors for coordination's audit events (one function per verb)."""

from django.utils.translation import gettext_lazy as _

from anju.core.audit import changed_fields, record_event, register_verbs

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
