"""Edits to the renovation content catalogue: the city office's alone, audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from anju.core.audit import snapshot
from anju.core.errors import Conflict, DomainError, PermissionDenied
from anju.core.scope import Scope

from . import events
from .models import CatalogueItem, PriceList, PriceListEntry

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


# --- price lists (价格清单) -------------------------------------------------------------------


def may_keep_price_lists(scope: Scope) -> bool:
    """Unit prices are the city's reference data, like the catalogue: the city office keeps
    them; every staff member reads them."""
    return scope.has_role("city_office")


def _require_price_keeper(scope: Scope) -> None:
    if not may_keep_price_lists(scope):
        raise PermissionDenied(_("只有市改造办可以维护价格清单。"))


def _validated(instance, exclude=None) -> None:
    """`full_clean`, its refusal as a DomainError naming the fields (a 400, never a 500)."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise DomainError(_("输入有误。"), fields=exc.message_dict) from exc


def _lock_draft(price_list: PriceList) -> PriceList:
    """The list, locked; a published list is never edited (a correction is version n+1)."""
    locked = PriceList.objects.select_for_update().get(pk=price_list.pk)
    if locked.is_published:
        raise Conflict(
            _("价格清单已发布，不能再修改；如需更正，请新建下一版本。"), code="price_list_published"
        )
    return locked


def create_price_list(
    *, actor, scope: Scope, year: int, note: str = "", prices: dict | None = None
) -> PriceList:
    """Open the next version of a year's price list as a draft.

    Version 1 starts empty (or from `prices`: {CatalogueItem: (unit, unit_price)}); version
    n+1 is a correction and starts as a copy of version n, so only what changes is typed
    again. A year has at most one draft at a time: two would compete for the same number."""
    _require_price_keeper(scope)
    with transaction.atomic(durable=True):
        versions = PriceList.objects.select_for_update().filter(year=year).order_by("-version")
        latest = versions.first()
        if latest is not None and not latest.is_published:
            raise Conflict(
                _("%(year)d年已有未发布的价格清单（第%(version)d版），请先发布或修改它。")
                % {"year": year, "version": latest.version},
                code="price_list_draft_exists",
            )
        price_list = PriceList(
            year=year,
            version=latest.version + 1 if latest else 1,
            note=note,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        _validated(price_list)
        price_list.save()
        if latest is not None:
            entries = [
                PriceListEntry(
                    price_list=price_list,
                    item_id=entry.item_id,
                    unit=entry.unit,
                    unit_price=entry.unit_price,
                )
                for entry in latest.entries.all()
            ]
        else:
            entries = []
        for item, (unit, unit_price) in (prices or {}).items():
            entries = [e for e in entries if e.item_id != item.pk]
            entry = PriceListEntry(
                price_list=price_list, item=item, unit=unit, unit_price=unit_price
            )
            _validated(entry, exclude=["price_list"])
            entries.append(entry)
        PriceListEntry.objects.bulk_create(entries)
        events.price_list_created(
            actor=actor, price_list=price_list, copied_from=latest, entries=len(entries)
        )
    return price_list


def save_price_entry(
    *, actor, scope: Scope, price_list: PriceList, item: CatalogueItem, unit: str, unit_price
) -> PriceListEntry:
    """Set one item's unit and unit price (≥ 0) in a draft list."""
    _require_price_keeper(scope)
    with transaction.atomic(durable=True):
        price_list = _lock_draft(price_list)
        entry = PriceListEntry.objects.filter(price_list=price_list, item=item).first()
        before = snapshot(entry, ["unit", "unit_price"]) if entry else {}
        entry = entry or PriceListEntry(price_list=price_list, item=item)
        entry.unit, entry.unit_price = unit, unit_price
        _validated(entry)
        entry.save()
        events.price_entry_changed(
            actor=actor,
            price_list=price_list,
            item=item,
            before=before,
            after=snapshot(entry, ["unit", "unit_price"]),
        )
    return entry


def remove_price_entry(*, actor, scope: Scope, price_list: PriceList, item: CatalogueItem) -> None:
    _require_price_keeper(scope)
    with transaction.atomic(durable=True):
        price_list = _lock_draft(price_list)
        entry = PriceListEntry.objects.filter(price_list=price_list, item=item).first()
        if entry is None:
            return
        before = snapshot(entry, ["unit", "unit_price"])
        entry.delete()
        events.price_entry_changed(
            actor=actor, price_list=price_list, item=item, before=before, after={}
        )


def publish_price_list(*, actor, scope: Scope, price_list: PriceList) -> PriceList:
    """Publish a draft: from now on plans may be priced with it, and it is never edited."""
    _require_price_keeper(scope)
    with transaction.atomic(durable=True):
        price_list = _lock_draft(price_list)
        if not price_list.entries.exists():
            raise DomainError(_("价格清单没有任何条目，不能发布。"), code="price_list_empty")
        price_list.is_published = True
        price_list.save(update_fields=["is_published"])
        events.price_list_published(actor=actor, price_list=price_list)
    return price_list
