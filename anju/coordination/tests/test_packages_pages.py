"""The package pages: the district's proposals (map, table, proposal form), one proposal, and
the decisions posted from them. Another district's node or proposal answers 404, through the
URL and through the form's body alike."""

import pytest
from django.urls import reverse

from anju.coordination.models import PackageProposal, ProposalStatus
from anju.coordination.tests.test_packages import a_row, compound_at, proposal_of, propose
from anju.core.models import AuditEvent
from anju.planning.models import AreaPackage

pytestmark = pytest.mark.django_db

LIST = reverse("coordination:package-list")
PROPOSE = reverse("coordination:package-propose")


def url(name, proposal):
    return reverse(f"coordination:package-{name}", kwargs={"key": proposal.key})


def page_text(response) -> str:
    return response.content.decode()


@pytest.fixture
def jiangan_row(city, jiangan_officer):
    """Three neighbouring 江岸 compounds proposed as one package (plus the fixture's own)."""
    row = a_row(city.jiangan_community, 0, 150, 300)
    propose(jiangan_officer, city.jiangan)
    return row


@pytest.fixture
def wuchang_proposed(city, wuchang_officer):
    propose(wuchang_officer, city.wuchang)


# --- the list -------------------------------------------------------------------------------


@pytest.mark.usefixtures("wuchang_proposed")
def test_the_list_shows_the_district_s_packages_and_collapses_singles(
    city, jiangan_officer, jiangan_row, client_as, django_assert_max_num_queries
):
    package = proposal_of(jiangan_row[0])
    client = client_as(jiangan_officer)
    with django_assert_max_num_queries(16):  # none per row: sign-in 3, nodes 2, page 11
        response = client.get(LIST)
    text = page_text(response)
    assert response.status_code == 200
    assert package.key in text and jiangan_row[2].name in text
    assert 'id="packages-map-data"' in text and "packages_map.js" in text
    assert '<details class="mt-3" id="singles">' in text and city.jiangan_compound.name in text
    assert city.wuchang_compound.name not in text and city.wuchang.name not in text
    assert reverse("coordination:package-accept", kwargs={"key": package.key}) in text


def test_the_list_of_another_district_is_not_found(city, jiangan_officer, client_as):
    response = client_as(jiangan_officer).get(LIST, {"node": city.wuchang.code})
    assert response.status_code == 404


def test_a_community_worker_reads_the_list_but_may_not_propose(
    city, jiangan_community_worker, jiangan_row, client_as
):
    client = client_as(jiangan_community_worker)
    response = client.get(LIST)
    assert response.status_code == 200 and jiangan_row[0].name in page_text(response)
    assert PROPOSE not in page_text(response)
    response = client.post(PROPOSE, {"node": city.jiangan_community.code, "distance_m": 100})
    assert response.status_code == 403


# --- proposing ------------------------------------------------------------------------------


def propose_form(node, **values):
    return {"node": node.code, "distance_m": "100", "group_by": "street", "cost_per_m2": "400"} | (
        values
    )


def test_a_district_officer_runs_a_proposal_from_the_page(city, jiangan_officer, client_as):
    row = a_row(city.jiangan_community, 0, 150)
    client = client_as(jiangan_officer)
    response = client.post(PROPOSE, propose_form(city.jiangan, max_households="100"))
    assert response.status_code == 302
    assert response.url == f"{LIST}?node={city.jiangan.code}"
    package = proposal_of(row[0])
    assert package == proposal_of(row[1]) and package.parameters["max_households"] == 100
    follow = client.get(response.url)
    assert "已生成2条建议" in page_text(follow)


def test_proposing_for_another_district_s_node_is_not_found(city, jiangan_officer, client_as):
    events = AuditEvent.objects.count()
    response = client_as(jiangan_officer).post(PROPOSE, propose_form(city.wuchang))
    assert response.status_code == 404
    assert not PackageProposal.objects.exists() and AuditEvent.objects.count() == events


def test_a_bad_parameter_comes_back_on_the_form(city, jiangan_officer, client_as):
    response = client_as(jiangan_officer).post(PROPOSE, propose_form(city.jiangan, distance_m="-5"))
    assert response.status_code == 400
    assert "invalid-feedback" in page_text(response)
    assert not PackageProposal.objects.exists()


# --- one proposal ---------------------------------------------------------------------------


def test_the_proposal_page_shows_its_members_map_and_decisions(
    city, jiangan_officer, jiangan_row, client_as
):
    package = proposal_of(jiangan_row[0])
    response = client_as(jiangan_officer).get(url("detail", package))
    text = page_text(response)
    assert response.status_code == 200
    assert all(compound.name in text for compound in jiangan_row)
    assert 'id="packages-map-data"' in text
    for action in ("accept", "reject", "split"):
        assert url(action, package) in text
    assert f"{jiangan_row[0].name}等3个小区" in text  # the suggested name


def test_another_district_s_proposal_page_is_not_found(
    city, jiangan_row, wuchang_officer, client_as
):
    package = proposal_of(jiangan_row[0])
    client = client_as(wuchang_officer)
    assert client.get(url("detail", package)).status_code == 404
    assert client.post(url("accept", package), {"name": "越界"}).status_code == 404
    assert not AreaPackage.objects.exists()


# --- decisions ------------------------------------------------------------------------------


def test_accepting_from_the_page_hands_the_package_to_planning(
    city, jiangan_officer, jiangan_row, client_as
):
    package = proposal_of(jiangan_row[0])
    response = client_as(jiangan_officer).post(
        url("accept", package), {"name": "天声街片区", "is_model_project": "on", "confirm": "on"}
    )
    assert response.status_code == 302 and response.url == url("detail", package)
    accepted = AreaPackage.objects.get(key=package.key)
    assert accepted.name == "天声街片区" and accepted.is_model_project
    assert accepted.members.count() == 3


def test_rejecting_from_the_list_returns_to_the_list(city, jiangan_officer, jiangan_row, client_as):
    package = proposal_of(jiangan_row[0])
    back = f"{LIST}?node={city.jiangan.code}"
    response = client_as(jiangan_officer).post(
        url("reject", package), {"reason": "产权单位不同意", "next": back}
    )
    assert response.status_code == 302 and response.url == back
    package.refresh_from_db()
    assert package.status == ProposalStatus.REJECTED


def test_a_redirect_elsewhere_is_refused(city, jiangan_officer, jiangan_row, client_as):
    package = proposal_of(jiangan_row[0])
    response = client_as(jiangan_officer).post(
        url("reject", package), {"reason": "x", "next": "https://example.com/"}
    )
    assert response.url == url("detail", package)


def test_a_refused_split_is_a_message_on_the_page(city, jiangan_officer, jiangan_row, client_as):
    package = proposal_of(jiangan_row[0])
    west, _, east = jiangan_row
    client = client_as(jiangan_officer)
    response = client.post(url("split", package), {"members": [west.pk, east.pk]}, follow=True)
    assert "所选小区不连片" in page_text(response)
    assert package.compounds.count() == 3
    response = client.post(url("split", package), {"members": [west.pk]}, follow=True)
    assert "已拆分" in page_text(response) and package.compounds.count() == 2


def test_merging_with_another_district_s_proposal_is_not_found(
    city, jiangan_officer, wuchang_officer, jiangan_row, client_as
):
    propose(wuchang_officer, city.wuchang)
    ours = proposal_of(jiangan_row[0])
    theirs = proposal_of(city.wuchang_compound)
    response = client_as(jiangan_officer).post(url("merge", ours), {"other": theirs.key})
    assert response.status_code == 404
    assert PackageProposal.objects.filter(pk=theirs.pk).exists()
    assert ours.compounds.count() == 3


def test_merging_two_neighbours_from_the_page(city, jiangan_officer, client_as):
    west = compound_at(city.jiangan_community, 10, 0)
    east = compound_at(city.jiangan_community, 11, 150)
    propose(jiangan_officer, city.jiangan, max_households=4)
    first, second = proposal_of(west), proposal_of(east)
    response = client_as(jiangan_officer).post(
        url("merge", first), {"other": second.key}, follow=True
    )
    assert "已合并" in page_text(response)
    first.refresh_from_db()
    assert first.compounds.count() == 2 and first.is_over_cap


def test_only_neighbours_are_offered_for_merging(city, jiangan_officer, client_as):
    west = compound_at(city.jiangan_community, 10, 0)
    east = compound_at(city.jiangan_community, 11, 150)
    far = compound_at(city.jiangan_community, 12, 600)
    propose(jiangan_officer, city.jiangan, max_households=4)
    response = client_as(jiangan_officer).get(url("detail", proposal_of(west)))
    merge_form = page_text(response).split('id="merge-other"')[1].split("</select>")[0]
    assert f'value="{proposal_of(east).key}"' in merge_form
    assert f'value="{proposal_of(far).key}"' not in merge_form
