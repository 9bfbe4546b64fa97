"""/workbench/territory/ and /workbench/territory/{code}/: the city office adjusts the
territory on pages; a refused change shows its rule on the form; others get 403 or 404."""

import pytest
from django.urls import reverse

from anju.territory.models import Compound, Node

pytestmark = pytest.mark.django_db


def node_page(code):
    return reverse("territory:node-detail", args=[code])


def test_city_office_sees_the_tree(client_as, city_officer, city):
    response = client_as(city_officer).get(reverse("territory:territory-tree"))
    assert response.status_code == 200
    assert "大智街道" in response.text and "积玉桥街道" in response.text


def test_city_office_adds_a_zone_and_moves_a_street_into_it(client_as, city_officer, city):
    client = client_as(city_officer)
    added = client.post(node_page("4201"), {
        "action": "add", "add-kind": "zone", "add-code": "420171",
        "add-name": "东湖新技术开发区", "add-valid_from": "2025-01-01",
    })  # fmt: skip
    assert added.status_code == 302
    moved = client.post(node_page("420102001"), {
        "action": "move", "move-parent": "420171", "move-effective_on": "2025-01-01",
        "move-decision": "武政〔2025〕1号",
    })  # fmt: skip
    assert moved.status_code == 302
    assert Compound.objects.get(pk=city.jiangan_compound.pk).path.startswith("4201/420171/")
    page = client.get(node_page("420102001"))
    assert "江岸区" in page.text  # the old placement, in the change log
    assert "武政〔2025〕1号" in page.text


def test_a_refused_change_shows_the_rule_on_the_form(client_as, city_officer, city):
    response = client_as(city_officer).post(
        node_page("420102001001"), {"action": "end", "end-valid_to": "2025-01-01"}
    )
    assert response.status_code == 400
    assert "该区划下仍有小区" in response.text
    assert Node.objects.get(code="420102001001").valid_to is None


def test_district_officer_is_refused_and_others_nodes_are_not_found(
    client_as, jiangan_officer, city
):
    client = client_as(jiangan_officer)
    assert client.get(reverse("territory:territory-tree")).status_code == 403
    assert client.get(node_page("420102001")).status_code == 403
    response = client.post(
        node_page("420102001"),
        {"action": "rename", "rename-name": "x", "rename-effective_on": "2025-01-01"},
    )
    assert response.status_code == 403
    assert Node.objects.get(code="420102001").name == "大智街道"


def test_anonymous_is_sent_to_sign_in(client, city):
    assert client.get(reverse("territory:territory-tree")).status_code == 302
