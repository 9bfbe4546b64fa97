"""The works list and a work's page: what each persona sees, filters, the map data and the
audit trail, with a fixed number of queries."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from anju.coordination import works

from .works_helpers import IN_JIANGAN, IN_WUCHANG, city_scope, line, utility_in, values

pytestmark = pytest.mark.django_db


@pytest.fixture
def water(city):
    return utility_in(city, "江城水务", "water-user")


@pytest.fixture
def gas(city):
    return utility_in(city, "江城燃气", "gas-user")


def add(city, organisation, external_id, **overrides):
    work, _ = works.upsert_work(
        actor=None,
        scope=city_scope(city),
        organisation=organisation,
        external_id=external_id,
        values=values(**overrides),
    )
    return work


@pytest.fixture
def two_works(city, water, gas):
    return (
        add(city, water[0], "JA-1", name="江岸供水管", geometry=line(IN_JIANGAN)),
        add(
            city,
            gas[0],
            "WC-1",
            kind="gas",
            name="武昌燃气管",
            geometry=line(IN_WUCHANG),
            compounds=[city.wuchang_compound.code],
        ),
    )


def test_the_city_office_lists_every_work_with_its_owner_window_and_compounds(
    client_as, city_officer, two_works
):
    body = client_as(city_officer).get(reverse("coordination:work-list")).content.decode()

    for text in ("江岸供水管", "武昌燃气管", "江城水务", "江城燃气", "JA-1", "2026-03-01"):
        assert text in body
    assert reverse("coordination:work-upload") in body


def test_a_utility_without_compounds_sees_its_own_works_only(client_as, water, two_works):
    response = client_as(water[1]).get(reverse("coordination:work-list"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "江岸供水管" in body and "武昌燃气管" not in body
    assert reverse("coordination:work-upload") in body


def test_a_district_officer_sees_its_district_and_cannot_upload(
    client_as, jiangan_officer, two_works
):
    body = client_as(jiangan_officer).get(reverse("coordination:work-list")).content.decode()

    assert "江岸供水管" in body and "武昌燃气管" not in body
    assert reverse("coordination:work-upload") not in body


@pytest.mark.parametrize(
    ("query", "shown_and_hidden"),
    [
        ({"kind": "gas"}, ("武昌燃气管", "江岸供水管")),
        ({"status": "planned", "district": "420102"}, ("江岸供水管", "武昌燃气管")),
    ],
)
def test_the_list_filters(client_as, city_officer, two_works, query, shown_and_hidden):
    shown, hidden = shown_and_hidden
    body = client_as(city_officer).get(reverse("coordination:work-list"), query).content.decode()

    assert shown in body and hidden not in body


def test_the_list_filters_by_organisation(client_as, city_officer, two_works, gas):
    query = {"organisation": gas[0].pk}
    body = client_as(city_officer).get(reverse("coordination:work-list"), query).content.decode()

    assert "武昌燃气管" in body and "江岸供水管" not in body


def test_htmx_asks_for_the_rows_only(client_as, city_officer, two_works):
    response = client_as(city_officer).get(
        reverse("coordination:work-list"), {"kind": "gas"}, HTTP_HX_REQUEST="true"
    )

    assert '<nav class="navbar' not in response.content.decode()
    assert "武昌燃气管" in response.content.decode()


def test_the_list_costs_the_same_queries_for_one_work_or_many(client_as, city_officer, city, water):
    client = client_as(city_officer)
    add(city, water[0], "A-0")
    client.get(reverse("coordination:work-list"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("coordination:work-list"))
    for number in range(1, 12):
        add(city, water[0], f"A-{number}", compounds=[city.jiangan_compound.code])
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("coordination:work-list"))

    assert len(many) == len(one)


def test_a_works_page_shows_its_fields_map_and_audit_trail(client_as, city_officer, two_works):
    gas_work = two_works[1]

    response = client_as(city_officer).get(reverse("coordination:work-detail", args=[gas_work.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    for text in ("武昌燃气管", "WC-1", "积玉桥宿舍", "登记其他工程", "coordination/works_map.js"):
        assert text in body
    data = json.loads(json.dumps(response.context["map_data"]))
    assert data["geometry"]["coordinates"] == IN_WUCHANG
    assert data["district"]["name"] == "武昌区"
    assert data["compounds"][0]["name"] == "积玉桥宿舍"


def test_another_districts_or_utilitys_work_is_not_found(
    client_as, jiangan_officer, water, two_works
):
    gas_work = two_works[1]
    address = reverse("coordination:work-detail", args=[gas_work.pk])

    assert client_as(jiangan_officer).get(address).status_code == 404
    assert client_as(water[1]).get(address).status_code == 404


def test_residents_scopeless_and_anonymous_visitors_are_kept_out(client, city, unassigned_builder):
    response = client.get(reverse("coordination:work-list"))

    assert response.status_code == 302 and "sign-in" in response["Location"]
    client.force_login(unassigned_builder, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("coordination:work-list")).status_code == 200  # an organisation
    assert client.get(reverse("coordination:work-upload")).status_code == 403


def test_the_navbar_links_the_works_list(client_as, jiangan_officer):
    body = client_as(jiangan_officer).get(reverse("coordination:work-list")).content.decode()

    link = f'href="{reverse("coordination:work-list")}" aria-current="page">统筹协调'
    assert link in body  # the current page is marked in the menu
