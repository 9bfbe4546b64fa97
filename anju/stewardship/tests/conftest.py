"""Shared stewardship fixtures: a property company serving 江岸's compound, its staff, and a
resident of that compound (personas come from anju/conftest.py)."""

import datetime as dt

import pytest

from anju.access.models import CompoundAssignment, Organisation, Role
from anju.access.scope import RESIDENT_SESSION_KEY
from anju.conftest import make_user
from anju.stewardship.models import PropertyContract


@pytest.fixture
def property_company(city):
    return Organisation.objects.create(
        name="江岸红色物业公司", kind=Organisation.Kind.PROPERTY, credit_code=""
    )


@pytest.fixture
def jiangan_contract(city, property_company):
    """The company serves 铭新街小区 since 2026; its staff see the compound."""
    CompoundAssignment.objects.create(organisation=property_company, compound=city.jiangan_compound)
    return PropertyContract.objects.create(
        compound=city.jiangan_compound,
        company=property_company,
        service_kind="red_property",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2028, 12, 31),
    )


@pytest.fixture
def property_staff(property_company, jiangan_contract):
    return make_user("property-staff", Role.PROPERTY_COMPANY, organisation=property_company)


@pytest.fixture
def other_property_staff(city):
    """A property company serving 武昌's compound only."""
    firm = Organisation.objects.create(name="武昌物业公司", kind=Organisation.Kind.PROPERTY)
    CompoundAssignment.objects.create(organisation=firm, compound=city.wuchang_compound)
    return make_user("other-property-staff", Role.PROPERTY_COMPANY, organisation=firm)


@pytest.fixture
def jiangan_household(city):
    return city.jiangan_compound.households.order_by("pk").first()


@pytest.fixture
def resident_of(client):
    """resident_of(household) signs the test client in as that household (the portal's session
    key, as the household-code sign-in sets it)."""

    def sign_in(household):
        session = client.session
        session[RESIDENT_SESSION_KEY] = household.pk
        session.save()
        return client

    return sign_in
