"""Cost sharing through the API: the district lists and recomputes a project's shares, sets an
item's terms, reads its household lines (owners' names masked for roles without personal
data); refusals answer 4xx with code and message and write nothing; other districts get 404."""

from decimal import Decimal

import pytest
from django.urls import reverse

from anju.funding.models import CostShare, HouseholdContribution

from .sharing import computed, shared_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(city):
    return computed(shared_project(city.jiangan, city.jiangan_community, "2027-420102-S01", "S01"))


def elevator_share(project):
    return CostShare.objects.get(project=project, plan_item__item__code="I13")


def test_the_district_lists_the_shares_with_their_parts(client_as, jiangan_officer, project):
    response = client_as(jiangan_officer).get(reverse("api-funding-shares", args=[project.pk]))
    assert response.status_code == 200
    by_item = {row["payer"]: row for row in response.json()}
    assert by_item["utility"]["utility_part"] == "100000.00"
    assert by_item["residents"]["residents_part"] == "300000.01"
    assert by_item["government"]["others_part"] == "150000.00"


def test_recomputing_through_the_api_keeps_the_sum_exact(client_as, jiangan_officer, project):
    response = client_as(jiangan_officer).post(
        reverse("api-funding-shares-compute", args=[project.pk])
    )
    assert response.status_code == 200
    lines = HouseholdContribution.objects.filter(share=elevator_share(project))
    assert sum(lines.values_list("amount", flat=True)) == Decimal("300000.01")


def test_setting_a_table_without_the_top_floor_answers_400_with_nothing_written(
    client_as, city_officer, jiangan_officer, project
):
    from anju.core.scope import Scope
    from anju.funding.services.sharing import create_coefficient_table

    create_coefficient_table(
        actor=None,
        scope=Scope(roles=frozenset({"city_office"}), node_paths=("4201",)),
        code="to-five",
        name="只到五层",
        rows={floor: Decimal(1) for floor in range(1, 6)},
    )
    share = elevator_share(project)
    before = list(share.contributions.values_list("pk", "amount"))
    response = client_as(jiangan_officer).put(
        reverse("api-funding-share", args=[share.pk]),
        {"method": "by_floor_coefficients", "table": "to-five"},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "sharing_floor_not_in_table"
    assert "第6层" in body["message"]
    assert list(share.contributions.values_list("pk", "amount")) == before
    share.refresh_from_db()
    assert share.method == ""


def test_a_residents_share_out_of_range_answers_400(client_as, jiangan_officer, project):
    share = elevator_share(project)
    response = client_as(jiangan_officer).put(
        reverse("api-funding-share", args=[share.pk]),
        {"residents_share": "1.5"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "residents_share" in response.json()["fields"]


def test_setting_per_household_through_the_api(client_as, jiangan_officer, project):
    share = elevator_share(project)
    response = client_as(jiangan_officer).put(
        reverse("api-funding-share", args=[share.pk]),
        {"method": "per_household"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["method"] == "per_household"
    amounts = set(share.contributions.values_list("amount", flat=True))
    assert amounts == {Decimal("6250.00"), Decimal("6250.01")}


def test_a_shares_lines_are_paged_and_owners_names_masked(client_as, jiangan_officer, project):
    share = elevator_share(project)
    response = client_as(jiangan_officer).get(
        reverse("api-funding-share-contributions", args=[share.pk])
    )
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 48
    row = body["results"][0]
    assert row["room"] == "101" and row["floor"] == 1
    assert row["owner_name"] == ""  # the district task force works without names (PIPL)


def test_the_street_office_reads_the_owners_names(client_as, city, project):
    from anju.access.models import Role
    from anju.conftest import make_user

    street = make_user("dazhi-street", Role.STREET_OFFICE, node=city.jiangan_street)
    share = elevator_share(project)
    response = client_as(street).get(reverse("api-funding-share-contributions", args=[share.pk]))
    assert response.status_code == 200
    assert response.json()["results"][0]["owner_name"] == "业主1111"


def test_another_district_gets_404_and_writes_nothing(client_as, wuchang_officer, project):
    client = client_as(wuchang_officer)
    share = elevator_share(project)
    assert client.get(reverse("api-funding-shares", args=[project.pk])).status_code == 404
    assert client.post(reverse("api-funding-shares-compute", args=[project.pk])).status_code == 404
    assert (
        client.put(
            reverse("api-funding-share", args=[share.pk]),
            {"method": "per_household"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("api-funding-share-contributions", args=[share.pk])).status_code == 404
    )
    share.refresh_from_db()
    assert share.method == ""
