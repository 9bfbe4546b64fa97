"""POST /api/v1/territory/{code}/children|rename|move|end/ and GET …/history/: the city
office adjusts the territory; district officers get 403 (their own nodes) or 404 (others')."""

import pytest
from rest_framework.test import APIClient

from anju.territory.models import Compound, Node

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def add_zone(api):
    return api.post(
        "/api/v1/territory/4201/children/",
        {"kind": "zone", "code": "420171", "name": "东湖新技术开发区", "valid_from": "2025-01-01"},
        format="json",
    )


def test_city_office_moves_a_street_to_a_new_zone_and_the_history_shows_it(api, city_officer, city):
    api.force_authenticate(city_officer)
    assert add_zone(api).status_code == 201

    response = api.post(
        "/api/v1/territory/420102001/move/",
        {"parent": "420171", "effective_on": "2025-01-01", "decision": "武政〔2025〕1号"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["parent_code"] == "420171"
    compound = Compound.objects.get(pk=city.jiangan_compound.pk)
    assert compound.path.startswith("4201/420171/420102001/")
    history = api.get("/api/v1/territory/420102001/history/").json()["results"]
    assert history[0]["kind"] == "moved"
    assert history[0]["old_parent_code"] == "420102"
    assert history[0]["decision"] == "武政〔2025〕1号"


def test_a_bad_move_answers_400_with_the_rule(api, city_officer, city):
    api.force_authenticate(city_officer)
    response = api.post(
        "/api/v1/territory/420102001001/move/",
        {"parent": "4201", "effective_on": "2025-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parent_kind_not_allowed"
    assert "parent" in response.json()["fields"]


def test_ending_a_node_before_it_started_answers_400(api, city_officer, city):
    api.force_authenticate(city_officer)
    api.post(
        "/api/v1/territory/420102/children/",
        {"kind": "street", "code": "420102050", "name": "新街道", "valid_from": "2025-01-01"},
        format="json",
    )
    response = api.post(
        "/api/v1/territory/420102050/end/", {"valid_to": "2024-12-31"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "ends_before_start"


def test_district_officer_is_refused_on_own_nodes_and_does_not_see_others(
    api, jiangan_officer, city
):
    api.force_authenticate(jiangan_officer)
    rename = api.post(
        "/api/v1/territory/420102001/rename/",
        {"name": "改名街道", "effective_on": "2025-01-01"},
        format="json",
    )
    assert rename.status_code == 403
    assert rename.json()["code"] == "permission_denied"
    other = api.post(
        "/api/v1/territory/420106001/rename/",
        {"name": "改名街道", "effective_on": "2025-01-01"},
        format="json",
    )
    assert other.status_code == 404
    assert api.get("/api/v1/territory/420106001/history/").status_code == 404
    assert Node.objects.get(code="420102001").name == "大智街道"


def test_invalid_input_answers_400(api, city_officer, city):
    api.force_authenticate(city_officer)
    response = api.post("/api/v1/territory/420102001/end/", {"valid_to": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
