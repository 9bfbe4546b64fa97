"""A household on the portal sees its own amount per item and how it was computed — method,
its weight against the total, the exact share before rounding, whether it got a leftover fen —
and nothing of any other household; another household's line answers 404."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse

from anju.design.tests.noticing import signed_in_resident
from anju.funding.models import HouseholdContribution
from anju.territory.models import Household

from .sharing import computed, shared_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(city):
    return computed(shared_project(city.jiangan, city.jiangan_community, "2027-420102-S01", "S01"))


def household(project, room="601", unit="1单元", building="1栋"):
    return Household.objects.get(
        compound=project.compounds.first(),
        room=room,
        unit__number=unit,
        unit__building__number=building,
    )


def test_a_resident_sees_only_their_own_contribution(client, project):
    mine = household(project)
    neighbour = household(project, room="602")
    client = signed_in_resident(client, mine)
    page = client.get(reverse("funding-portal:share"))
    assert page.status_code == 200
    body = page.content.decode()
    own = HouseholdContribution.objects.get(household=mine)
    theirs = HouseholdContribution.objects.get(household=neighbour)
    assert f"{own.amount:,}" in body
    assert f"{theirs.amount:,}" not in body
    assert "602" not in body and "业主" not in body


def test_a_resident_reads_how_their_amount_was_computed(client, project):
    mine = household(project)
    line = HouseholdContribution.objects.get(household=mine)
    client = signed_in_resident(client, mine)
    page = client.get(reverse("funding-portal:contribution", args=[line.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    lines = HouseholdContribution.objects.filter(share=line.share)
    total_weight = sum(lines.values_list("weight", flat=True))
    exact = Fraction(Decimal("300000.01")) * Fraction(line.weight) / Fraction(total_weight)
    assert "按专有面积" in body
    assert f"{total_weight.normalize():f}" in body
    shown = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal("0.000001"))
    assert str(shown) in body
    if line.rounded_up:
        assert "尾差1分" in body
    else:
        assert "没有分到尾差" in body


def test_another_households_contribution_is_not_found(client, project):
    mine = household(project)
    neighbour_line = HouseholdContribution.objects.get(household=household(project, room="602"))
    client = signed_in_resident(client, mine)
    response = client.get(reverse("funding-portal:contribution", args=[neighbour_line.pk]))
    assert response.status_code == 404


def test_the_page_needs_a_resident_session(client, jiangan_officer, client_as, project):
    assert client.get(reverse("funding-portal:share")).status_code == 302


def test_the_portal_home_tells_the_household_what_it_is_asked_to_pay(client, project, city):
    mine = household(project)
    lines = HouseholdContribution.objects.filter(household=mine)
    total = sum(line.amount for line in lines)
    body = signed_in_resident(client, mine).get(reverse("portal:home")).content.decode()
    assert 'id="my-contribution"' in body
    assert f"{total:,.2f}元" in body and reverse("funding-portal:share") in body


def test_a_household_with_nothing_to_pay_gets_no_contribution_card(client, project, city):
    elsewhere = Household.objects.exclude(compound__in=project.compounds.all()).first()
    body = signed_in_resident(client, elsewhere).get(reverse("portal:home")).content.decode()
    assert 'id="my-contribution"' not in body
