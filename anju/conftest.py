"""Personas with their territory built in (STYLE.md 16): a city officer, district officers of
江岸 and 武昌, a street and a community worker of 江岸, a designer assigned to one 江岸
compound, a construction unit with no assignment, and a resident of the 江岸 compound."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from pytest_django.plugin import blocking_manager_key

from anju.access.models import CompoundAssignment, Organisation, Role, RoleAssignment
from anju.catalogue.models import CatalogueItem
from anju.catalogue.seed import seed_catalogue, seed_design_reference
from anju.territory.models import Building, Compound, Household, Node, Unit

PASSWORD = "correct horse battery staple"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (live server, concurrency) ends by flushing every table, which
    also removes what data migrations seeded, and post_migrate re-creates content types
    under new ids. Once every fixture is torn down, put both back so the tests after it on
    the same worker see a migrated database. (After the last test the test database is
    already gone.) (Serialized rollback would do this, but not
    once Playwright has started.)"""
    result = yield
    marker = item.get_closest_marker("django_db")
    if nextitem is not None and marker is not None and marker.kwargs.get("transaction"):
        with item.config.stash[blocking_manager_key].unblock():
            ContentType.objects.clear_cache()
            seed_catalogue(CatalogueItem)
            seed_design_reference(django_apps)
            for config in django_apps.get_app_configs():  # apps above catalogue seed their own
                if hasattr(config, "seed_reference_data"):
                    config.seed_reference_data()
    return result


@dataclass
class City:
    city: Node
    jiangan: Node
    jiangan_street: Node
    jiangan_community: Node
    wuchang: Node
    wuchang_street: Node
    wuchang_community: Node
    jiangan_compound: Compound
    wuchang_compound: Compound


def make_node(kind, code, name, parent=None):
    return Node.objects.create(kind=kind, code=code, name=name, parent=parent)


def make_compound(community, code, name, *, lon, lat, households=4):
    compound = Compound.objects.create(
        code=code,
        name=name,
        community=community,
        address=name + "1号",
        longitude=lon,
        latitude=lat,
        year_built=1988,
        building_count=1,
        household_count=households,
        total_floor_area=Decimal("320.00"),
    )
    building = Building.objects.create(compound=compound, number="1栋", floors=6)
    unit = Unit.objects.create(building=building, number="1单元")
    for index in range(households):
        Household.objects.create(
            unit=unit,
            room=f"{index + 1}01",
            floor=index + 1,
            exclusive_area=Decimal("80.00"),
            owner_key=f"owner-{code}-{index}",
            phone=f"1380000{index:04d}",
        )
    return compound


@pytest.fixture
def city(db) -> City:
    wuhan = make_node(Node.Kind.CITY, "4201", "武汉市")
    jiangan = make_node(Node.Kind.DISTRICT, "420102", "江岸区", wuhan)
    jiangan_street = make_node(Node.Kind.STREET, "420102001", "大智街道", jiangan)
    jiangan_community = make_node(Node.Kind.COMMUNITY, "420102001001", "天声街社区", jiangan_street)
    wuchang = make_node(Node.Kind.DISTRICT, "420106", "武昌区", wuhan)
    wuchang_street = make_node(Node.Kind.STREET, "420106001", "积玉桥街道", wuchang)
    wuchang_community = make_node(Node.Kind.COMMUNITY, "420106001001", "和平社区", wuchang_street)
    return City(
        city=wuhan,
        jiangan=jiangan,
        jiangan_street=jiangan_street,
        jiangan_community=jiangan_community,
        wuchang=wuchang,
        wuchang_street=wuchang_street,
        wuchang_community=wuchang_community,
        jiangan_compound=make_compound(
            jiangan_community, "420102001001001", "铭新街小区", lon=114.29, lat=30.59
        ),
        wuchang_compound=make_compound(
            wuchang_community, "420106001001001", "积玉桥宿舍", lon=114.31, lat=30.56
        ),
    )


def make_user(username, role, *, node=None, organisation=None):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    RoleAssignment.objects.create(user=user, role=role, node=node, organisation=organisation)
    return user


@pytest.fixture
def city_officer(city):
    return make_user("city-officer", Role.CITY_OFFICE, node=city.city)


@pytest.fixture
def jiangan_officer(city):
    return make_user("jiangan-officer", Role.DISTRICT_TASK_FORCE, node=city.jiangan)


@pytest.fixture
def wuchang_officer(city):
    return make_user("wuchang-officer", Role.DISTRICT_TASK_FORCE, node=city.wuchang)


@pytest.fixture
def jiangan_community_worker(city):
    return make_user("jiangan-community", Role.COMMUNITY_WORKER, node=city.jiangan_community)


@pytest.fixture
def designer(city):
    firm = Organisation.objects.create(name="中南设计院", kind=Organisation.Kind.DESIGNER)
    CompoundAssignment.objects.create(organisation=firm, compound=city.jiangan_compound)
    return make_user("designer", Role.DESIGNER, organisation=firm)


@pytest.fixture
def unassigned_builder(city):
    firm = Organisation.objects.create(name="某建设公司", kind=Organisation.Kind.CONSTRUCTION)
    return make_user("builder", Role.CONSTRUCTION_UNIT, organisation=firm)


@pytest.fixture
def client_as(client):
    """client_as(user) signs the test client in as that user."""

    def sign_in(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in
