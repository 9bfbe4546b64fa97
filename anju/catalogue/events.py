"""Named constructors for the catalogue's audit events."""

from django.utils.translation import gettext_lazy as _

from anju.core.audit import changed_fields, record_event, register_verbs

register_verbs({"catalogue.item_changed": _("修改改造内容清单")})


def item_changed(*, actor, item, before, after):
    before, after = changed_fields(before, after)
    return record_event(
        actor=actor,
        verb="catalogue.item_changed",
        target=item,
        summary=item.code,
        before=before,
        after=after,
    )
