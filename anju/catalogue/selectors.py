"""Reads of the catalogue: reference data every staff member sees, in the published order."""

from __future__ import annotations

from django.db.models import QuerySet

from anju.core.errors import NotFound

from .models import CatalogueItem, Category


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
