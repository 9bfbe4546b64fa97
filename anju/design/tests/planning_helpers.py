"""Builders for the plan-version tests: the 2027 price list, the designer assigned to the
江岸 project, a closed needs campaign whose answers rank the residents' needs, and scopes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from anju.access.scope import scope_for
from anju.catalogue import services as catalogue
from anju.catalogue.models import CatalogueItem
from anju.core.scope import Scope
from anju.design.models import ProjectAssignment
from anju.engagement import services as engagement

CITY = Scope(roles=frozenset({"city_office"}), node_paths=("4201/",))
# 供水 (utility, bundled 二次供水), 屋面修缮 (government), 绿化, 加装电梯 (residents), 便利店.
PRICES = {
    "B01": ("米", "120.50"),
    "B14": ("平方米", "150.00"),
    "I02": ("平方米", "80.00"),
    "I13": ("部", "300000.00"),
    "E08": ("项", "0.10"),
}


def item(code: str) -> CatalogueItem:
    return CatalogueItem.objects.get(code=code)


def publish_prices(year: int = 2027, prices=PRICES):
    price_list = catalogue.create_price_list(
        actor=None,
        scope=CITY,
        year=year,
        prices={item(code): (unit, Decimal(price)) for code, (unit, price) in prices.items()},
    )
    return catalogue.publish_price_list(actor=None, scope=CITY, price_list=price_list)


def assign(designer, project):
    ProjectAssignment.objects.create(
        project=project,
        organisation_id=scope_for(designer).organisation_id,
        role=ProjectAssignment.Role.DESIGNER,
    )
    return designer


def ask_needs(node, compound, answers):
    """A closed needs campaign: `answers` is one list of item codes per household."""
    campaign = engagement.open_campaign(
        actor=None,
        scope=Scope(roles=frozenset({"district_task_force"}), node_paths=(node.path,)),
        node=node,
        title="需求征集",
        compounds=[compound],
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    for household, codes in zip(compound.households.order_by("pk"), answers, strict=False):
        engagement.submit_needs(
            actor=None,
            campaign=campaign,
            household=household,
            needs=[engagement.NeedChoice(code) for code in codes],
            on=dt.date(2026, 6, 1),
        )
    return campaign
