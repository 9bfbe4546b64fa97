"""GET /api/v1/compounds/ and /api/v1/compounds/{code}/: scoped, filterable, paginated, 4xx."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_list_is_limited_to_the_district(api, jiangan_officer, city):
    api.force_authenticate(jiangan_officer)
    body = api.get("/api/v1/compounds/").json()
    assert [c["code"] for c in body["results"]] == [city.jiangan_compound.code]
    assert body["count"] == 1


def test_token_authentication_sees_the_same_scope(api, wuchang_officer, city):
    token = Token.objects.create(user=wuchang_officer)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    body = api.get("/api/v1/compounds/").json()
    assert [c["code"] for c in body["results"]] == [city.wuchang_compound.code]


def test_filters_and_bad_filter_answer_400(api, city_officer, city):
    api.force_authenticate(city_officer)
    body = api.get("/api/v1/compounds/", {"district": "420106"}).json()
    assert [c["code"] for c in body["results"]] == [city.wuchang_compound.code]
    response = api.get("/api/v1/compounds/", {"year_from": "old", "stage": "x"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert set(response.json()["fields"]) == {"year_from", "stage"}


def test_detail_of_other_district_is_404_like_a_missing_one(api, jiangan_officer, city):
    api.force_authenticate(jiangan_officer)
    other = api.get(f"/api/v1/compounds/{city.wuchang_compound.code}/")
    missing = api.get("/api/v1/compounds/999999999999999/")
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()


def test_detail_includes_buildings(api, jiangan_officer, city):
    api.force_authenticate(jiangan_officer)
    body = api.get(f"/api/v1/compounds/{city.jiangan_compound.code}/").json()
    assert body["buildings"] == [
        {"number": "1栋", "floors": 6, "has_elevator": False, "units": 1, "households": 4}
    ]


def test_anonymous_is_refused_with_a_message(api, city):
    response = api.get("/api/v1/compounds/")
    assert response.status_code in (401, 403)
    assert response.json()["message"]


def test_territory_endpoints_hide_other_districts(api, jiangan_officer, city):
    api.force_authenticate(jiangan_officer)
    codes = {n["code"] for n in api.get("/api/v1/territory/").json()["results"]}
    assert "420102" in codes and "4201" in codes
    assert "420106" not in codes and "420106001001" not in codes
    assert api.get("/api/v1/territory/420106/").status_code == 404
    assert float(api.get("/api/v1/territory/420102/").json()["totals"]["compounds"]) == 1


def test_list_query_count_does_not_grow_with_rows(
    api, city_officer, city, django_assert_max_num_queries
):
    api.force_authenticate(city_officer)
    with django_assert_max_num_queries(6):
        api.get("/api/v1/compounds/")


def test_schema_and_docs_are_served_offline(client):
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert "cdn" not in docs.text.lower() and "unpkg" not in docs.text.lower()
