"""The catalogue is seeded from 国办发〔2020〕23号; staff read it; only the city office edits."""

import pytest

from anju.catalogue.models import CatalogueItem, Category
from anju.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_three_categories_are_seeded():
    counts = {c: CatalogueItem.objects.filter(category=c).count() for c in Category.values}
    assert all(counts.values())
    assert CatalogueItem.objects.get(code="I13").name == "加装电梯"


def test_staff_read_the_catalogue(client_as, jiangan_officer):
    response = client_as(jiangan_officer).get("/workbench/catalogue/")
    assert response.status_code == 200
    assert "外墙修缮" in response.text
    assert "/workbench/catalogue/new/" not in response.text


def test_district_officer_cannot_edit(client_as, jiangan_officer):
    item = CatalogueItem.objects.get(code="B15")
    response = client_as(jiangan_officer).post(f"/workbench/catalogue/{item.pk}/", {})
    assert response.status_code == 403


def test_city_office_retires_an_item_and_it_is_audited(client_as, city_officer):
    item = CatalogueItem.objects.get(code="E08")
    response = client_as(city_officer).post(
        f"/workbench/catalogue/{item.pk}/",
        {"category": item.category, "name": item.name, "description": "", "position": 3},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.is_active is False
    event = AuditEvent.objects.get(verb="catalogue.item_changed")
    assert event.after["is_active"] is False


def test_bad_input_is_a_400_with_the_form(client_as, city_officer):
    response = client_as(city_officer).post(
        "/workbench/catalogue/new/", {"code": "", "category": "nope", "name": ""}
    )
    assert response.status_code == 400
    assert not CatalogueItem.objects.filter(name="").exists()
