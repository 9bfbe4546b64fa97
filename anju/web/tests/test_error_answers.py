"""How pages and the API answer what they cannot serve: a wrong method gets the styled error
page, a caller without credentials is told to authenticate (401, not 403), and answers that
carry personal data are never stored by a browser or proxy cache."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_get_on_a_post_only_page_shows_the_styled_405_page(client_as, city_officer):
    response = client_as(city_officer).get("/sign-out/")

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "web/error.html" in [template.name for template in response.templates]
    assert "此页面不接受这种请求方式。" in response.content.decode()


def test_a_wrong_method_on_the_api_stays_json():
    response = APIClient().post("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_an_anonymous_api_caller_is_asked_to_authenticate():
    response = APIClient().get("/api/v1/compounds/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"


def test_a_signed_in_caller_without_scope_is_still_forbidden(unassigned_builder):
    client = APIClient()
    client.force_authenticate(unassigned_builder)

    assert client.get("/api/v1/compounds/").status_code == 403


def test_staff_pages_and_api_answers_are_not_cached(client_as, city_officer, city):
    client = client_as(city_officer)

    for url in ("/workbench/", f"/workbench/compounds/{city.jiangan_compound.code}/"):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, url
    api = APIClient()
    api.force_authenticate(city_officer)
    assert "no-store" in api.get("/api/v1/compounds/")["Cache-Control"]
    assert "no-store" in APIClient().get("/api/v1/compounds/")["Cache-Control"]


def test_a_residents_pages_are_not_cached(client, city):
    from anju.access.scope import RESIDENT_SESSION_KEY

    session = client.session
    session[RESIDENT_SESSION_KEY] = city.jiangan_compound.households.first().pk
    session.save()

    for url in ("/portal/", "/portal/engagement/"):
        cache_control = client.get(url).get("Cache-Control", "")
        assert "no-store" in cache_control and "private" in cache_control, url


def test_public_pages_stay_cacheable(city):
    assert "no-store" not in Client().get("/").get("Cache-Control", "")
