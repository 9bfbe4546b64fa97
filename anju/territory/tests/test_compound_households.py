"""The compound page's household table: every household reachable page by page (defect 2),
and the vulnerability flags masked for roles without personal data (defect 5, PIPL art. 28)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from anju.territory.models import Building, Household, Unit

pytestmark = pytest.mark.django_db


def add_households(compound, count: int) -> None:
    building = Building.objects.create(compound=compound, number="9栋", floors=30)
    unit = Unit.objects.create(building=building, number="1单元")
    Household.objects.bulk_create(
        Household(
            compound=compound,
            unit=unit,
            room=f"R{index:04d}",
            floor=1 + index % 30,
            exclusive_area=Decimal("60.00"),
        )
        for index in range(count)
    )


def detail(client, compound, **params):
    return client.get(reverse("territory:compound-detail", args=[compound.code]), params)


def test_every_household_of_a_large_compound_is_reachable_page_by_page(
    client_as, jiangan_community_worker, city
):
    compound = city.jiangan_compound
    add_households(compound, 567)  # 4 from the fixture: 571 like 黄浦里
    client = client_as(jiangan_community_worker)
    seen = set()
    page = 1
    while True:
        response = detail(client, compound, households_page=page)
        assert response.status_code == 200
        seen |= {f"R{i:04d}" for i in range(567) if f">R{i:04d}<" in response.text}
        if f"households_page={page + 1}" not in response.text:
            break
        page += 1
    assert len(seen) == 567
    assert "R0566" in seen


def test_household_pages_say_which_rows_they_show(client_as, jiangan_community_worker, city):
    add_households(city.jiangan_compound, 567)
    response = detail(client_as(jiangan_community_worker), city.jiangan_compound)
    assert "571" in response.text
    assert "households_page=2" in response.text


def test_household_page_alone_answers_an_htmx_request(client_as, jiangan_community_worker, city):
    add_households(city.jiangan_compound, 567)
    response = client_as(jiangan_community_worker).get(
        reverse("territory:compound-detail", args=[city.jiangan_compound.code]),
        {"households_page": 6},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="household-rows",
    )
    assert response.status_code == 200
    assert "R0566" in response.text
    assert "<html" not in response.text


def flag_first_household(compound) -> Household:
    household = compound.households.order_by("room").first()
    household.is_elderly_living_alone = True
    household.has_disability = True
    household.save()
    return household


def test_vulnerability_flags_are_masked_for_a_district_officer(client_as, jiangan_officer, city):
    flag_first_household(city.jiangan_compound)
    response = detail(client_as(jiangan_officer), city.jiangan_compound)
    assert response.status_code == 200
    assert "独居老人</span>" not in response.text
    assert "残疾人</span>" not in response.text


def test_vulnerability_flags_are_masked_for_the_city_office(client_as, city_officer, city):
    flag_first_household(city.jiangan_compound)
    response = detail(client_as(city_officer), city.jiangan_compound)
    assert "独居老人</span>" not in response.text


def test_vulnerability_flags_are_shown_to_the_community_worker(
    client_as, jiangan_community_worker, city
):
    flag_first_household(city.jiangan_compound)
    response = detail(client_as(jiangan_community_worker), city.jiangan_compound)
    assert "独居老人</span>" in response.text
    assert "残疾人</span>" in response.text
