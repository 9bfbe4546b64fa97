"""Who handles a new report: the most specific routing rule, with the property company falling
through to the next rule when the compound has no current contract."""

import datetime as dt

import pytest

from anju.access.models import Organisation
from anju.stewardship.models import HandlerKind, PropertyContract, ReportCategory, RoutingRule
from anju.stewardship.selectors.reports import route_for

pytestmark = pytest.mark.django_db


def category(code):
    return ReportCategory.objects.get(code=code)


def test_the_compounds_property_company_handles_by_default(city, jiangan_contract):
    route = route_for(city.jiangan_compound, category("clutter"))
    assert route.handler == HandlerKind.PROPERTY_COMPANY
    assert route.organisation == jiangan_contract.company


def test_a_compound_without_a_current_contract_falls_through_to_its_community(city):
    route = route_for(city.jiangan_compound, category("clutter"))
    assert route.handler == HandlerKind.COMMUNITY
    assert route.node == city.jiangan_community


def test_an_ended_contract_no_longer_handles(city, property_company):
    PropertyContract.objects.create(
        compound=city.jiangan_compound,
        company=property_company,
        starts_on=dt.date(2020, 1, 1),
        ends_on=dt.date(2022, 12, 31),
    )
    assert route_for(city.jiangan_compound, category("clutter")).handler == HandlerKind.COMMUNITY


def test_a_category_rule_beats_the_any_category_rule(city, jiangan_contract):
    route = route_for(city.jiangan_compound, category("illegal_building"))
    assert route.handler == HandlerKind.STREET
    assert route.node == city.jiangan_street


def test_a_rule_on_a_deeper_node_beats_the_city_wide_rule_for_the_category(city, jiangan_contract):
    bureau = Organisation.objects.create(name="江岸区城管局", kind=Organisation.Kind.GOVERNMENT)
    RoutingRule.objects.create(
        node=city.jiangan, handler=HandlerKind.ORGANISATION, organisation=bureau
    )
    route = route_for(city.jiangan_compound, category("illegal_building"))
    assert (route.handler, route.organisation) == (HandlerKind.ORGANISATION, bureau)
    # 武昌 keeps the city's rule
    assert route_for(city.wuchang_compound, category("illegal_building")).handler == "street"


def test_at_the_same_node_the_category_rule_beats_the_any_category_rule(city):
    RoutingRule.objects.create(node=city.jiangan_street, handler=HandlerKind.STREET)
    RoutingRule.objects.create(
        node=city.jiangan_street, category=category("noise"), handler=HandlerKind.COMMUNITY
    )
    assert route_for(city.jiangan_compound, category("noise")).handler == HandlerKind.COMMUNITY
    assert route_for(city.jiangan_compound, category("parking")).handler == HandlerKind.STREET


def test_a_district_property_company_rule_falls_through_without_a_contract(city):
    RoutingRule.objects.create(
        node=city.jiangan, category=category("noise"), handler=HandlerKind.PROPERTY_COMPANY
    )
    RoutingRule.objects.create(node=city.jiangan, handler=HandlerKind.STREET)
    route = route_for(city.jiangan_compound, category("noise"))
    assert (route.handler, route.node) == (HandlerKind.STREET, city.jiangan_street)
