"""Reads of the catalogue: reference data every staff member sees, in the published order."""

from __future__ import annotations

from django.db.models import QuerySet

from anju.core.errors import NotFound

from .models import CatalogueItem, Category, PriceList, PriceListEntry, catalogue_order_key


def item_list(*, include_retired: bool = True) -> QuerySet[CatalogueItem]:
    """Items in the catalogue's order (`CatalogueItemQuerySet.in_catalogue_order`)."""
    items = CatalogueItem.objects.all()
    if not include_retired:
        items = items.active()
    return items.in_catalogue_order()


def items_by_category(items) -> list[tuple[str, list[CatalogueItem]]]:
    """(category label, its items) for each category in the published order."""
    items = list(items)
    return [
        (label, [item for item in items if item.category == value])
        for value, label in Category.choices
    ]


def get_item(pk) -> CatalogueItem:
    item = CatalogueItem.objects.filter(pk=pk).first()
    if item is None:
        raise NotFound()
    return item


# --- price lists -----------------------------------------------------------------------------


def price_list_list() -> QuerySet[PriceList]:
    """Every year's versions, newest first; price lists are city-wide reference data."""
    return PriceList.objects.select_related("created_by").order_by("-year", "-version")


def get_price_list(pk) -> PriceList:
    price_list = PriceList.objects.filter(pk=pk).first()
    if price_list is None:
        raise NotFound()
    return price_list


def latest_published_price_list(year: int) -> PriceList | None:
    """The version plans of `year` are priced with: the year's latest published one."""
    return PriceList.objects.filter(year=year, is_published=True).order_by("-version").first()


def price_entries(price_list: PriceList) -> list[PriceListEntry]:
    """The list's entries in the catalogue's published order (基础类 → 完善类 → 提升类)."""
    entries = price_list.entries.select_related("item")
    return sorted(entries, key=lambda entry: catalogue_order_key(entry.item))


def prices_of(price_list: PriceList) -> dict[int, PriceListEntry]:
    """item id → entry, for pricing many plan lines with one query."""
    return {entry.item_id: entry for entry in price_list.entries.all()}
