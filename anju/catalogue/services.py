"""Edits to the renovation content catalogue: the city office's alone, audited."""

from django.db import transaction
from django.utils.translation import gettext as _

from anju.core.audit import snapshot
from anju.core.errors import PermissionDenied
from anju.core.scope import Scope

from . import events
from .models import CatalogueItem

EDITABLE_FIELDS = ["category", "name", "description", "is_active", "position"]


def may_edit_catalogue(scope: Scope) -> bool:
    """The catalogue is the city's reference data: the city office edits it, others read it."""
    return scope.has_role("city_office")


def save_catalogue_item(
    *, actor, scope: Scope, item: CatalogueItem | None, values: dict
) -> CatalogueItem:
    """Create (item None) or change a catalogue item. Items are retired (is_active False),
    never deleted, because residents' past answers point at them."""
    if not may_edit_catalogue(scope):
        raise PermissionDenied(_("只有市改造办可以修改改造内容清单。"))
    with transaction.atomic(durable=True):
        if item is None:
            item = CatalogueItem(code=values.pop("code", ""))
            before = {}
        else:
            item = CatalogueItem.objects.select_for_update().get(pk=item.pk)
            before = snapshot(item, EDITABLE_FIELDS)
        for name in EDITABLE_FIELDS:
            if name in values:
                setattr(item, name, values[name])
        item.full_clean()
        item.save()
        events.item_changed(
            actor=actor, item=item, before=before, after=snapshot(item, ["code", *EDITABLE_FIELDS])
        )
    return item
