"""Workbench compound pages: search, filters, detail, masking, and the other district's 404."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_district_officer_lists_only_own_district(client_as, jiangan_officer, city):
    response = client_as(jiangan_officer).get(reverse("territory:compound-list"))
    assert response.status_code == 200
    assert city.jiangan_compound.name in response.text
    assert city.wuchang_compound.name not in response.text


def test_city_officer_lists_every_district(client_as, city_officer, city):
    response = client_as(city_officer).get(reverse("territory:compound-list"))
    assert city.jiangan_compound.name in response.text
    assert city.wuchang_compound.name in response.text


def test_search_and_district_filter(client_as, city_officer, city):
    client = client_as(city_officer)
    response = client.get(reverse("territory:compound-list"), {"q": "积玉"})
    assert city.wuchang_compound.name in response.text
    assert city.jiangan_compound.name not in response.text
    response = client.get(reverse("territory:compound-list"), {"district": "420102"})
    assert city.jiangan_compound.name in response.text
    assert city.wuchang_compound.name not in response.text


def test_bad_filter_values_do_not_break_the_list(client_as, city_officer):
    response = client_as(city_officer).get(
        reverse("territory:compound-list"), {"year_from": "abc", "stage": "nope", "page": "x"}
    )
    assert response.status_code == 200


def test_detail_masks_phones(client_as, jiangan_officer, city):
    response = client_as(jiangan_officer).get(
        reverse("territory:compound-detail", args=[city.jiangan_compound.code])
    )
    assert response.status_code == 200
    assert "13800000001" not in response.text
    assert "138****0001" in response.text


def test_other_districts_compound_is_not_found(client_as, jiangan_officer, city):
    response = client_as(jiangan_officer).get(
        reverse("territory:compound-detail", args=[city.wuchang_compound.code])
    )
    assert response.status_code == 404
    assert city.wuchang_compound.name not in response.text


def test_designer_sees_only_assigned_compound(client_as, designer, city):
    client = client_as(designer)
    assert (
        client.get(
            reverse("territory:compound-detail", args=[city.jiangan_compound.code])
        ).status_code
        == 200
    )
    assert (
        client.get(
            reverse("territory:compound-detail", args=[city.wuchang_compound.code])
        ).status_code
        == 404
    )


def test_anonymous_is_sent_to_sign_in(client, city):
    response = client.get(reverse("territory:compound-list"))
    assert response.status_code == 302
    assert reverse("web:sign-in") in response["Location"]


def test_compound_list_query_count_is_constant(
    client_as, city_officer, city, django_assert_max_num_queries
):
    client = client_as(city_officer)
    with django_assert_max_num_queries(12):
        client.get(reverse("territory:compound-list"))
