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


# --- price lists -----------------------------------------------------------------------------

register_verbs(
    {
        "catalogue.price_list_created": _("新建价格清单版本"),
        "catalogue.price_entry_changed": _("修改价格清单条目"),
        "catalogue.price_list_published": _("发布价格清单"),
        "catalogue.price_list_imported": _("导入价格清单"),
    }
)


def price_list_created(*, actor, price_list, copied_from, entries):
    return record_event(
        actor=actor,
        verb="catalogue.price_list_created",
        target=price_list,
        summary=str(price_list),
        after={
            "year": price_list.year,
            "version": price_list.version,
            "copied_from": str(copied_from) if copied_from else None,
            "entries": entries,
        },
    )


def price_entry_changed(*, actor, price_list, item, before, after):
    """An entry set or changed (only what changed is kept), or removed (`after` empty)."""
    if after:
        before, after = changed_fields(before, after)
    return record_event(
        actor=actor,
        verb="catalogue.price_entry_changed",
        target=price_list,
        summary=f"{price_list} {item.code}",
        before=before,
        after=after,
    )


def price_list_published(*, actor, price_list):
    return record_event(
        actor=actor,
        verb="catalogue.price_list_published",
        target=price_list,
        summary=str(price_list),
        before={"is_published": False},
        after={"is_published": True},
    )


def price_list_imported(*, actor, price_list, filename, counts):
    return record_event(
        actor=actor,
        verb="catalogue.price_list_imported",
        target=price_list,
        summary=f"{price_list} {filename}",
        after={"file": filename, **counts},
    )
