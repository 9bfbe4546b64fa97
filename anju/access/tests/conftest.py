"""Personas with their scope built in (STYLE 16): a small Wuhan with one compound in 江岸区 and
one in 武昌区, officers of each district, a community worker, a designer and a resident."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from anju.access.codes import issue_household_codes
from anju.access.models import Organisation, Role
from anju.core.actors import CLI
from anju.territory.models import Compound, Household, Node

from .factories import (
    BuildingFactory,
    CityFactory,
    CommunityFactory,
    CompoundAssignmentFactory,
    CompoundFactory,
    DistrictFactory,
    HouseholdFactory,
    OrganisationFactory,
    RoleAssignmentFactory,
    StreetFactory,
    UnitFactory,
    UserFactory,
)


@dataclass
class Town:
    city: Node
    jiangan: Node
    wuchang: Node
    jiangan_community: Node
    wuchang_community: Node
    jiangan_compound: Compound
    wuchang_compound: Compound
    jiangan_households: list[Household]
    wuchang_households: list[Household]


def _compound_with_households(community, name, *, buildings=2, per_unit=3):
    compound = CompoundFactory(
        community=community,
        name=name,
        building_count=buildings,
        household_count=buildings * per_unit,
    )
    households = []
    for b in range(1, buildings + 1):
        unit = UnitFactory(building=BuildingFactory(compound=compound, number=str(b)), number="1")
        for floor in range(1, per_unit + 1):
            households.append(HouseholdFactory(unit=unit, floor=floor, room=f"{floor}01"))
    return compound, households


@pytest.fixture
def town(db) -> Town:
    city = CityFactory()
    jiangan = DistrictFactory(parent=city, code="420102", name="江岸区")
    wuchang = DistrictFactory(parent=city, code="420106", name="武昌区")
    jiangan_community = CommunityFactory(
        parent=StreetFactory(parent=jiangan, code="420102001", name="大智街道"),
        code="420102001001",
        name="三德里社区",
    )
    wuchang_community = CommunityFactory(
        parent=StreetFactory(parent=wuchang, code="420106001", name="积玉桥街道"),
        code="420106001001",
        name="和平社区",
    )
    jiangan_compound, jiangan_households = _compound_with_households(
        jiangan_community, "三德里铁路宿舍"
    )
    wuchang_compound, wuchang_households = _compound_with_households(
        wuchang_community, "和平大道机械厂宿舍"
    )
    return Town(
        city,
        jiangan,
        wuchang,
        jiangan_community,
        wuchang_community,
        jiangan_compound,
        wuchang_compound,
        jiangan_households,
        wuchang_households,
    )


def _staff(username, role, node=None, organisation=None):
    user = UserFactory(username=username)
    RoleAssignmentFactory(user=user, role=role, node=node, organisation=organisation)
    return user


@pytest.fixture
def city_officer(town):
    return _staff("city", Role.CITY_OFFICE, town.city)


@pytest.fixture
def jiangan_officer(town):
    return _staff("jiangan", Role.DISTRICT_TASK_FORCE, town.jiangan)


@pytest.fixture
def wuchang_officer(town):
    return _staff("wuchang", Role.DISTRICT_TASK_FORCE, town.wuchang)


@pytest.fixture
def jiangan_community_worker(town):
    return _staff("sandeli", Role.COMMUNITY_WORKER, town.jiangan_community)


@pytest.fixture
def jiangan_street_officer(town):
    return _staff("dazhi", Role.STREET_OFFICE, town.jiangan_community.parent)


@pytest.fixture
def designer(town):
    firm = OrganisationFactory(name="中南建筑设计院", kind=Organisation.Kind.DESIGNER)
    CompoundAssignmentFactory(organisation=firm, compound=town.jiangan_compound)
    return _staff("designer", Role.DESIGNER, organisation=firm)


@pytest.fixture
def jiangan_codes(town) -> dict[int, str]:
    """Codes issued to every 江岸 household: {household_id: clear code}."""
    return issue_household_codes(
        actor=CLI, compound=town.jiangan_compound, households=town.jiangan_households
    )


@pytest.fixture
def resident(town, jiangan_codes):
    """The first 江岸 household and its clear code."""
    household = town.jiangan_households[0]
    return household, jiangan_codes[household.pk]


@pytest.fixture
def resident_client(client, resident):
    """A browser signed in as the 江岸 resident, through the portal form."""
    _household, code = resident
    response = client.post("/portal/sign-in/", {"code": code}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302
    return client
