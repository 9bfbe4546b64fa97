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


def test_history_shows_the_record_as_of_a_past_date(client_as, city_officer, city):
    import datetime as dt

    from anju.core.scope import Scope
    from anju.territory.services import update_compound

    compound = city.jiangan_compound
    scope = Scope(roles=frozenset({"city_office"}), node_paths=(city.city.path,))
    update_compound(
        actor=city_officer,
        scope=scope,
        compound=compound,
        changes={"management_status": "red_property"},
    )
    record = compound.history.latest()
    record.history_date -= dt.timedelta(days=30)
    record.save()
    update_compound(
        actor=city_officer,
        scope=scope,
        compound=compound,
        changes={"management_status": "professional"},
    )
    url = f"/workbench/compounds/{compound.code}/history/"
    client = client_as(city_officer)
    past = (dt.date.today() - dt.timedelta(days=20)).isoformat()
    assert "红色物业" in client.get(url, {"as_of": past}).text
    long_ago = client.get(url, {"as_of": "2000-01-01"}).text
    assert "该日期尚无记录" in long_ago
    assert client.get(url, {"as_of": "not-a-date"}).status_code == 200
