"""The project page offers a new plan version only while the plan may still change: once the
joint review approved it, create_plan_version refuses (409), so the page does not offer it."""

import pytest

from anju.design.models import PlanVersion
from anju.design.tests.noticing import price_list
from anju.planning.models import Project
from anju.territory.models import Stage

pytestmark = pytest.mark.django_db


def test_an_approved_project_offers_no_new_plan_version(
    client_as, jiangan_officer, jiangan_project
):
    PlanVersion.objects.create(
        project=jiangan_project,
        number=1,
        price_list=price_list(),
        status=PlanVersion.Status.APPROVED,
    )
    Project.objects.filter(pk=jiangan_project.pk).update(stage=Stage.APPROVED)

    page = client_as(jiangan_officer).get(f"/workbench/projects/{jiangan_project.pk}/")

    assert page.status_code == 200
    assert "新建下一版本" not in page.content.decode()


def test_a_noticed_project_offers_the_next_version(client_as, jiangan_officer, jiangan_project):
    PlanVersion.objects.create(
        project=jiangan_project,
        number=1,
        price_list=price_list(),
        status=PlanVersion.Status.NOTICED,
    )
    Project.objects.filter(pk=jiangan_project.pk).update(stage=Stage.NOTICED)

    page = client_as(jiangan_officer).get(f"/workbench/projects/{jiangan_project.pk}/")

    assert "新建下一版本" in page.content.decode()
