"""`/api/v1/works/`: the utilities' systems upsert their works by their own ids; another
utility's work answers 404; wrong bodies answer 400 naming the field and write nothing."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from anju.access.models import CompoundAssignment
from anju.coordination.models import Work, WorkStatus
from anju.core.models import AuditEvent
from anju.engine.geo import distance_m, from_wgs84

from .works_helpers import IN_JIANGAN, IN_WUCHANG, line, nothing_written, utility_in, values

pytestmark = pytest.mark.django_db


@pytest.fixture
def water(city):
    return utility_in(city, "江城水务", "water-user")


@pytest.fixture
def gas(city):
    return utility_in(city, "江城燃气", "gas-user")


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(external_id="GS-001", **query) -> str:
    address = reverse("api-work-detail", args=[external_id])
    if query:
        address += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return address


def body(**overrides) -> dict:
    return values(**overrides)


def test_the_same_put_twice_gives_one_work_and_no_second_event(water):
    client = api(water[1])

    first = client.put(url(), body(), format="json")
    second = client.put(url(), body(), format="json")

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    assert Work.objects.count() == 1
    assert AuditEvent.objects.filter(verb__startswith="work.").count() == 1
    answer = second.json()
    assert answer["external_id"] == "GS-001"
    assert answer["organisation_name"] == "江城水务"
    assert answer["status"] == "planned"
    assert answer["district"] == "420102"


def test_a_changed_body_updates_with_one_event(water):
    client = api(water[1])
    client.put(url(), body(), format="json")

    response = client.put(url(), body(status="under_way"), format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "under_way"
    assert AuditEvent.objects.get(verb="work.changed").after == {"status": "under_way"}


def test_a_utility_cannot_read_change_or_cancel_another_utilitys_work(water, gas):
    api(gas[1]).put(url(), body(), format="json")
    client = api(water[1])
    gas_work = Work.objects.get()

    assert client.get(url()).status_code == 404
    assert client.delete(url()).status_code == 404
    assert client.get(url(organisation=gas[0].pk)).status_code == 404
    assert client.put(url(organisation=gas[0].pk), body(), format="json").status_code == 404
    assert client.get(reverse("api-work-list")).json()["count"] == 0
    gas_work.refresh_from_db()
    assert gas_work.status == WorkStatus.PLANNED
    # Its own PUT with the same id creates its own work, not the gas company's.
    assert client.put(url(), body(), format="json").status_code == 201
    assert Work.objects.filter(external_id="GS-001").count() == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"starts_on": "2026-07-01", "ends_on": "2026-03-01"}, "ends_on"),
        ({"geometry": {"type": "LineString", "coordinates": [[114.29, 30.59]]}}, "geometry"),
        ({"geometry": {"type": "Circle", "coordinates": [114.29, 30.59]}}, "geometry"),
        ({"kind": "sewage"}, "kind"),
        ({"geometry": None, "compounds": ["NO-SUCH-CODE"]}, "compounds"),
        ({"geometry": None}, "geometry"),
        ({"crs": "utm"}, "crs"),
    ],
)
def test_a_wrong_body_answers_400_naming_the_field_and_writes_nothing(water, overrides, field):
    before = nothing_written()

    response = api(water[1]).put(url(), body(**overrides), format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["fields"], response.json()
    assert nothing_written() == before


def test_a_utility_names_only_its_assigned_compounds_and_cannot_probe_the_others(water, city):
    """A compound outside the caller's assignment answers exactly like a code that does not
    exist, so a token cannot learn which compound codes exist city-wide."""
    CompoundAssignment.objects.create(organisation=water[0], compound=city.jiangan_compound)
    client = api(water[1])
    missing = "420106001001999"

    outside = client.put(url("A"), body(compounds=[city.wuchang_compound.code]), format="json")
    unknown = client.put(url("B"), body(compounds=[missing]), format="json")
    own = client.put(
        url("C"), body(geometry=None, compounds=[city.jiangan_compound.code]), format="json"
    )

    assert (outside.status_code, unknown.status_code) == (400, 400)
    outside_says = outside.json()["fields"]["compounds"][0]
    unknown_says = unknown.json()["fields"]["compounds"][0]
    assert outside_says.replace(city.wuchang_compound.code, missing) == unknown_says
    assert Work.objects.filter(external_id__in=["A", "B"]).count() == 0
    assert own.status_code == 201, own.content
    assert own.json()["compounds"] == [city.jiangan_compound.code]


def test_a_gcj02_geometry_is_stored_in_wgs84(water):
    gcj = [list(from_wgs84(lon, lat, "gcj02")) for lon, lat in IN_WUCHANG]

    response = api(water[1]).put(url(), body(geometry=line(gcj), crs="gcj02"), format="json")

    stored = response.json()["geometry"]["coordinates"]
    assert all(distance_m(tuple(s), tuple(w)) < 1 for s, w in zip(stored, IN_WUCHANG, strict=True))
    assert response.json()["district"] == "420106"


@pytest.mark.parametrize(
    "coordinates",
    [
        [["114.2905", "30.5905"], ["114.2925", "30.5912"]],
        [[114.2905, 30.5905, 8], [114.2925, 30.5912, 9]],
    ],
)
def test_coordinates_as_text_or_with_heights_are_stored_as_2d_numbers(water, coordinates):
    response = api(water[1]).put(url(), body(geometry=line(coordinates)), format="json")

    assert response.status_code == 201, response.content
    assert response.json()["geometry"]["coordinates"] == IN_JIANGAN


def test_delete_marks_the_work_cancelled_and_keeps_it(water):
    client = api(water[1])
    client.put(url(), body(), format="json")

    response = client.delete(url())

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert Work.objects.get().status == WorkStatus.CANCELLED
    assert AuditEvent.objects.filter(verb="work.cancelled").count() == 1


def test_the_city_office_names_the_organisation(water, city_officer):
    client = api(city_officer)

    missing = client.put(url(), body(), format="json")
    created = client.put(url(organisation=water[0].pk), body(), format="json")

    assert missing.status_code == 400
    assert "organisation" in missing.json()["fields"]
    assert created.status_code == 201
    assert Work.objects.get().organisation == water[0]


def test_the_city_office_may_name_the_organisation_by_its_credit_code(water, city_officer):
    organisation = water[0]
    organisation.credit_code = "91420102100000030U"
    organisation.save()

    response = api(city_officer).put(
        url(organisation=organisation.credit_code), body(), format="json"
    )

    assert response.status_code == 201, response.content


def test_district_staff_may_read_but_not_write(water, jiangan_officer):
    api(water[1]).put(url(), body(), format="json")
    client = api(jiangan_officer)

    assert client.get(url()).status_code == 200
    assert client.put(url(), body(name="改名"), format="json").status_code == 403
    assert client.delete(url()).status_code == 403
    assert Work.objects.get().name == values()["name"]


def test_the_list_filters_and_pages_with_a_fixed_number_of_queries(
    water, django_assert_num_queries
):
    client = api(water[1])
    for number in range(3):
        client.put(url(f"A-{number}"), body(kind="water_supply"), format="json")
    client.put(url("B-1"), body(kind="drainage"), format="json")

    with django_assert_num_queries(6):  # scope (2), own organisation, count, page, compounds
        few = client.get(reverse("api-work-list"), {"page_size": 2})
    for number in range(3, 12):
        client.put(url(f"A-{number}"), body(), format="json")
    with django_assert_num_queries(6):
        many = client.get(reverse("api-work-list"), {"page_size": 20})
    drainage = client.get(reverse("api-work-list"), {"kind": "drainage"}).json()

    assert few.json()["count"] == 4 and len(few.json()["results"]) == 2
    assert many.json()["count"] == 13 and len(many.json()["results"]) == 13
    assert [w["external_id"] for w in drainage["results"]] == ["B-1"]


def test_anonymous_callers_are_refused(city):
    assert APIClient().get(reverse("api-work-list")).status_code in (401, 403)
