"""The project list and page in the workbench, the workbench home's 我的项目, the 项目 menu,
and the compound page's links panel.

Rules: a viewer sees the projects of their territory or of the compounds assigned to their
firm; another district's project answers 404 like a missing one; the list's queries do not
grow with its rows; the compound page links only to what the viewer may open.
"""

import datetime as dt

import pytest
from django.utils import timezone

from anju.access.models import Organisation, Role
from anju.access.scope import scope_for
from anju.conftest import make_user
from anju.core.calendar import today
from anju.core.scope import Scope
from anju.design.services.projects import assign_project, move_project_stage
from anju.design.tests.conftest import make_project
from anju.territory.models import Stage

pytestmark = pytest.mark.django_db


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.status_code
    return response.content.decode()


def test_the_list_shows_the_districts_projects_with_their_stage(
    jiangan_officer, jiangan_project, wuchang_project, client_as
):
    text = page(client_as(jiangan_officer), "/workbench/projects/")
    assert jiangan_project.code in text
    assert "列入年度计划" in text
    assert wuchang_project.code not in text


def test_the_list_filters_by_year_district_and_stage(
    city_officer, jiangan_project, wuchang_project, client_as
):
    client = client_as(city_officer)
    text = page(client, "/workbench/projects/?district=420106")
    assert wuchang_project.code in text
    assert jiangan_project.code not in text
    assert jiangan_project.code not in page(client, "/workbench/projects/?year=2026")
    assert jiangan_project.code not in page(client, "/workbench/projects/?stage=designed")
    assert jiangan_project.code in page(client, "/workbench/projects/?stage=planned&year=2027")
    # A filter it does not understand is ignored, not an error.
    assert jiangan_project.code in page(client, "/workbench/projects/?year=abc&stage=x")


@pytest.mark.usefixtures("jiangan_project")
def test_the_lists_queries_do_not_grow_with_its_rows(
    city, city_officer, approved_plan, client_as, django_assert_num_queries
):
    client = client_as(city_officer)
    client.get("/workbench/projects/")  # warm the session and content types
    with django_assert_num_queries(8) as one:
        page(client, "/workbench/projects/")
    for n in range(2, 8):
        make_project(approved_plan, city.jiangan, city.jiangan_compound, f"2027-420102-00{n}")
    with django_assert_num_queries(len(one.captured_queries)):
        page(client, "/workbench/projects/")


def test_the_project_page_shows_compounds_parties_history_and_audit(
    jiangan_officer, jiangan_project, city, client_as
):
    firm = Organisation.objects.create(name="长江设计院", kind=Organisation.Kind.DESIGNER)
    scope = scope_for(jiangan_officer)
    assign_project(
        actor=jiangan_officer,
        scope=scope,
        project=jiangan_project,
        organisation=firm,
        role="designer",
    )
    from django.db import transaction

    with transaction.atomic():
        move_project_stage(
            actor=jiangan_officer, project=jiangan_project, to_stage=Stage.DESIGNED, reason="测试"
        )

    text = page(client_as(jiangan_officer), f"/workbench/projects/{jiangan_project.pk}/")

    assert f"/workbench/compounds/{city.jiangan_compound.code}/" in text
    assert "长江设计院" in text
    assert 'id="assign"' in text  # the district's assign form
    assert "列入年度计划 → 一小区一方案" in text
    assert "委托项目" in text  # the audit event


def test_another_districts_project_page_is_not_found(wuchang_officer, jiangan_project, client_as):
    page(client_as(wuchang_officer), f"/workbench/projects/{jiangan_project.pk}/", status=404)
    page(client_as(wuchang_officer), "/workbench/projects/999999/", status=404)


def test_a_designer_sees_only_their_projects_and_no_assign_form(
    designer, jiangan_project, wuchang_project, client_as
):
    client = client_as(designer)
    text = page(client, "/workbench/projects/")
    assert jiangan_project.code in text
    assert wuchang_project.code not in text
    detail = page(client, f"/workbench/projects/{jiangan_project.pk}/")
    assert 'id="assign"' not in detail
    page(client, f"/workbench/projects/{wuchang_project.pk}/", status=404)


def test_the_workbench_home_lists_a_designers_projects(
    jiangan_officer, jiangan_project, wuchang_project, client_as
):
    firm = Organisation.objects.create(name="长江设计院", kind=Organisation.Kind.DESIGNER)
    user = make_user("changjiang", Role.DESIGNER, organisation=firm)
    assign_project(
        actor=jiangan_officer,
        scope=scope_for(jiangan_officer),
        project=jiangan_project,
        organisation=firm,
        role="planner",
    )
    text = page(client_as(user), "/workbench/")
    assert "我的项目" in text
    assert f"/workbench/projects/{jiangan_project.pk}/" in text
    assert f"/workbench/projects/{wuchang_project.pk}/" not in text
    assert "尚未分配辖区" not in text


def test_the_project_menu_is_offered_to_staff_with_projects_to_see(designer, client_as):
    text = page(client_as(designer), "/workbench/")
    assert 'href="/workbench/projects/"' in text


# --- the compound page's links panel ---------------------------------------------------------


def organiser_scope(node):
    return Scope(roles=frozenset({"district_task_force"}), node_paths=(node.path,))


def engagement_in(node, compound, organiser):
    from anju.engagement import services

    campaign = services.open_campaign(
        actor=organiser,
        scope=organiser_scope(node),
        node=node,
        title=f"{compound.name}需求征集",
        compounds=[compound],
        starts_on=today() - dt.timedelta(days=1),
        ends_on=today() + dt.timedelta(days=14),
    )
    now = timezone.now()
    vote = services.open_vote(
        actor=organiser,
        scope=organiser_scope(node),
        compound=compound,
        title=f"{compound.name}改造意愿表决",
        matter=7,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=14),
    )
    return campaign, vote


def conflict_at(project, compound, district):
    """A gas works overlapping the compound's renovation (coordination's dig-once check)."""
    from anju.coordination.models import Conflict, Work

    owner, _ = Organisation.objects.get_or_create(
        name="江城燃气（测试）", defaults={"kind": Organisation.Kind.UTILITY}
    )
    work = Work.objects.create(
        organisation=owner,
        external_id=f"gas-{compound.code}",
        kind="gas",
        name=f"{district.name}燃气管线",
        geometry={"type": "Point", "coordinates": [compound.longitude, compound.latitude]},
        starts_on=dt.date(2027, 5, 1),
        ends_on=dt.date(2027, 6, 30),
        path=district.path,
    )
    return Conflict.objects.create(
        annual_plan=project.annual_plan,
        compound=compound,
        work=work,
        path=compound.path,
        distance_m=0,
        relation="overlap",
        project_starts_on=dt.date(2027, 3, 1),
        project_ends_on=dt.date(2027, 11, 30),
        detected_at=dt.datetime(2027, 1, 4, tzinfo=dt.UTC),
    )


def test_the_compound_page_loads_the_links_panel(jiangan_officer, city, client_as):
    text = page(client_as(jiangan_officer), f"/workbench/compounds/{city.jiangan_compound.code}/")
    url = f"/workbench/projects/compound-links/{city.jiangan_compound.code}/"
    assert f'hx-get="{url}"' in text
    assert 'hx-trigger="load"' in text


def test_the_links_panel_links_project_campaigns_votes_and_conflicts(
    jiangan_officer, jiangan_project, city, client_as
):
    campaign, vote = engagement_in(city.jiangan, city.jiangan_compound, jiangan_officer)
    engagement_in(city.wuchang, city.wuchang_compound, jiangan_officer)
    jiangan_conflict = conflict_at(jiangan_project, city.jiangan_compound, city.jiangan)
    wuchang_conflict = conflict_at(jiangan_project, city.wuchang_compound, city.wuchang)

    code = city.jiangan_compound.code
    text = page(client_as(jiangan_officer), f"/workbench/projects/compound-links/{code}/")

    assert f"/workbench/projects/{jiangan_project.pk}/" in text
    assert f"/workbench/engagement/campaigns/{campaign.pk}/" in text
    assert f"/workbench/engagement/votes/{vote.pk}/" in text
    assert f"/workbench/coordination/conflicts/{jiangan_conflict.pk}/" in text
    assert f"/workbench/coordination/conflicts/?plan={jiangan_conflict.annual_plan_id}" in text
    assert "积玉桥宿舍" not in text
    assert f"/workbench/coordination/conflicts/{wuchang_conflict.pk}/" not in text


def test_the_links_panel_of_another_districts_compound_is_not_found(
    jiangan_officer, city, client_as
):
    code = city.wuchang_compound.code
    page(client_as(jiangan_officer), f"/workbench/projects/compound-links/{code}/", status=404)


def test_a_designer_gets_no_links_to_pages_they_may_not_open(
    designer, jiangan_project, city, jiangan_officer, client_as
):
    """Conflicts are staff pages of the territory; votes a designer's scope does not list."""
    engagement_in(city.jiangan, city.jiangan_compound, jiangan_officer)
    conflict_at(jiangan_project, city.jiangan_compound, city.jiangan)
    client = client_as(designer)
    code = city.jiangan_compound.code
    text = page(client, f"/workbench/projects/compound-links/{code}/")
    assert f"/workbench/projects/{jiangan_project.pk}/" in text
    for link in ("/workbench/engagement/votes/", "/workbench/coordination/conflicts/"):
        if link in text:
            target = text.split(link, 1)[1].split('"', 1)[0]
            assert client.get(link + target).status_code == 200, link + target
