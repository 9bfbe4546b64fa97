"""factory_boy factories for the territory, the registry and staff roles (reusable by any app).

Territory nodes are shared by code (`django_get_or_create`), so `CommunityFactory()` twice in
one test builds one city, one district and one street with two communities under it:

    jiangan = DistrictFactory(code="420102", name="江岸区")
    compound = CompoundFactory(community__parent__parent=jiangan)
    household = HouseholdFactory(unit__building__compound=compound)
    officer = RoleAssignmentFactory(role=Role.DISTRICT_TASK_FORCE, node=jiangan).user
"""

from __future__ import annotations

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from anju.access.models import (
    CompoundAssignment,
    Organisation,
    Role,
    RoleAssignment,
)
from anju.territory.models import Building, Compound, Household, Node, Unit

PASSWORD = "correct horse battery staple"


class CityFactory(DjangoModelFactory):
    class Meta:
        model = Node
        django_get_or_create = ("code",)

    kind = Node.Kind.CITY
    code = "4201"
    name = "武汉市"
    parent = None


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = Node
        django_get_or_create = ("code",)

    kind = Node.Kind.DISTRICT
    parent = factory.SubFactory(CityFactory)
    code = "420102"
    name = "江岸区"


class StreetFactory(DjangoModelFactory):
    class Meta:
        model = Node
        django_get_or_create = ("code",)

    kind = Node.Kind.STREET
    parent = factory.SubFactory(DistrictFactory)
    code = factory.LazyAttribute(lambda o: o.parent.code + "001")
    name = factory.LazyAttribute(lambda o: o.parent.name + "第一街道")


class CommunityFactory(DjangoModelFactory):
    class Meta:
        model = Node
        django_get_or_create = ("code",)

    kind = Node.Kind.COMMUNITY
    parent = factory.SubFactory(StreetFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.parent.code}{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"幸福社区{n}")


class CompoundFactory(DjangoModelFactory):
    class Meta:
        model = Compound

    code = factory.Sequence(lambda n: f"C{n:06d}")
    name = factory.Sequence(lambda n: f"建设新村{n}号院")
    community = factory.SubFactory(CommunityFactory)
    address = factory.LazyAttribute(lambda o: f"武汉市{o.community.name}附近")
    year_built = 1992
    building_count = 2
    household_count = 24
    total_floor_area = Decimal("3600.00")


class BuildingFactory(DjangoModelFactory):
    class Meta:
        model = Building

    compound = factory.SubFactory(CompoundFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    floors = 6


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    building = factory.SubFactory(BuildingFactory)
    number = "1"


class HouseholdFactory(DjangoModelFactory):
    """The compound is derived from the unit (Household.save), never set directly."""

    class Meta:
        model = Household

    unit = factory.SubFactory(UnitFactory)
    floor = factory.Sequence(lambda n: n % 6 + 1)
    room = factory.LazyAttributeSequence(lambda o, n: f"{o.floor}{n % 100:02d}")
    exclusive_area = Decimal("62.50")
    owner_name = factory.Sequence(lambda n: f"住户{n}")
    phone = factory.Sequence(lambda n: f"139{n:08d}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"staff{n}")
    password = factory.django.Password(PASSWORD)
    is_active = True


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"某某建筑设计院{n}")
    kind = Organisation.Kind.DESIGNER


class RoleAssignmentFactory(DjangoModelFactory):
    """Territorial by default (a district task force over 江岸区); pass `organisation` and
    `node=None` for a company role."""

    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.DISTRICT_TASK_FORCE
    node = factory.SubFactory(DistrictFactory)
    organisation = None


class CompoundAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = CompoundAssignment

    organisation = factory.SubFactory(OrganisationFactory)
    compound = factory.SubFactory(CompoundFactory)
