"""A construction or supervision unit sees the projects it is a party to, and nothing of the
others in the same compound: holding the compound (for another project) does not open another
project's inspections, orders, acceptance or satisfaction survey (issue 11's scope rule)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from anju.access.models import Role
from anju.conftest import make_user

from .conftest import make_company
from .inspecting import finding_in, name_parties

pytestmark = pytest.mark.django_db


@pytest.fixture
def rival(city, approved_project):
    """The builder of 铭新街小区's other project: it holds the compound, but is no party to the
    project whose order `finding_in` makes there."""
    firm = make_company("汉口建设集团", "construction", "91420100MA4K00077")
    name_parties(approved_project, construction=firm)
    return make_user("rival-builder", Role.CONSTRUCTION_UNIT, organisation=firm)


@pytest.fixture
def other_projects_finding(city, rival):
    return finding_in(city.jiangan, city.jiangan_compound)


def pages_of(finding) -> list[str]:
    project = finding.project
    return [
        reverse("construction:finding-detail", args=[finding.pk]),
        reverse("construction:inspection-detail", args=[finding.inspection_id]),
        reverse("construction:findings", args=[project.pk]),
        reverse("construction:acceptance", args=[project.pk]),
        reverse("construction:sampling", args=[project.pk]),
        reverse("construction:project", args=[project.pk]),
    ]


def api_of(finding) -> list[str]:
    project = finding.project
    return [
        reverse("api-construction-finding", args=[finding.pk]),
        reverse("api-construction-inspection", args=[finding.inspection_id]),
        reverse("api-construction-findings", args=[project.pk]),
        reverse("api-construction-acceptance-sessions", args=[project.pk]),
        reverse("api-construction-sampling", args=[project.pk]),
    ]


def test_a_unit_holding_the_compound_for_another_project_gets_404(
    client, rival, other_projects_finding, approved_project
):
    client.force_login(rival)
    assert (
        client.get(reverse("construction:project", args=[approved_project.pk])).status_code == 200
    )
    for url in pages_of(other_projects_finding):
        assert client.get(url).status_code == 404, url
    api = APIClient()
    api.force_authenticate(rival)
    for url in api_of(other_projects_finding):
        assert api.get(url).status_code == 404, url


def test_the_party_itself_reads_the_same_pages(client, other_projects_finding):
    builder = make_user(
        "party-builder",
        Role.CONSTRUCTION_UNIT,
        organisation=other_projects_finding.responsible_party.organisation,
    )
    client.force_login(builder)
    for url in pages_of(other_projects_finding):
        assert client.get(url).status_code == 200, url


def test_the_rivals_order_list_leaves_out_the_other_project(client, rival, other_projects_finding):
    client.force_login(rival)
    answer = client.get(reverse("construction:findings-overdue"))
    assert answer.status_code in (200, 403)
    assert other_projects_finding.order_number not in answer.content.decode()
