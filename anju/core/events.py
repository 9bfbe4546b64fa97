"""Named constructors for core's own audit events: the holiday table.

Holidays belong to no territory (the State Council's schedule is national, the city office
keeps the table), so only the city office reads these in the audit log."""

from django.utils.translation import gettext_lazy as _

from .audit import changed_fields, record_event, register_verbs

register_verbs(
    {
        "holiday.saved": _("修改节假日"),
        "holiday.deleted": _("删除节假日"),
        "holiday.imported": _("导入节假日"),
    }
)


def holiday_saved(*, actor, holiday, before, after):
    before, after = changed_fields(before, after)
    return record_event(
        actor=actor,
        verb="holiday.saved",
        target=holiday,
        summary=str(holiday),
        before=before,
        after=after,
    )


def holiday_deleted(*, actor, holiday, before):
    return record_event(
        actor=actor, verb="holiday.deleted", target=holiday, summary=str(holiday), before=before
    )


def holidays_imported(*, actor, year, filename, counts):
    return record_event(
        actor=actor,
        verb="holiday.imported",
        summary=f"{year} {filename}",
        after={"year": year, "file": filename, **counts},
    )
