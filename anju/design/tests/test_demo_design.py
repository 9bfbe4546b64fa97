"""`anju demo` prepares a project to design: its own approved plan (the planning demo's 2026
plan stays a draft for the visitor), price lists for the demo's plan years, the demo design
firm on the project, a department reviewer, and no management scheme yet. Re-running leaves
what exists as it was."""

import pytest
from django.contrib.auth import get_user_model

from anju.access.models import RoleAssignment
from anju.access.tests.test_demo_command import run_demo, small_city
from anju.catalogue.models import CatalogueItem, PriceList, PriceListEntry
from anju.core.actors import DEMO
from anju.core.scope import Scope
from anju.design.management.commands.demo_design import PLAN_YEAR
from anju.design.models import ProjectAssignment
from anju.design.services.projects import unassign_project
from anju.planning.models import AnnualPlan, Project
from anju.planning.scenarios import carry_overs
from anju.stewardship.models import ManagementScheme
from anju.territory.models import Stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_output():
    small_city()
    return run_demo()


def test_the_demo_project_is_approved_in_a_plan_of_its_own(demo_output):
    project = Project.objects.get()
    assert project.annual_plan.year == PLAN_YEAR
    assert project.annual_plan.status == "approved"
    assert project.annual_plan.five_year_plan.node.code == "420102"
    assert project.code == f"{PLAN_YEAR}-420102-001"
    assert project.stage == Stage.PLANNED
    # the compound whose household codes the demo prints, so a code holder reads its notice
    (compound,) = project.compounds.all()
    assert compound.name == "铭新街小区" and compound.stage == Stage.PLANNED
    assert "铭新街小区" in demo_output.split("住户码")[1]


def test_the_planning_demo_keeps_its_draft_plan_without_carry_overs(demo_output):
    draft = AnnualPlan.objects.get(year=2026)
    assert draft.status == "draft"
    assert not draft.projects.exists()
    assert not carry_overs(draft).exists()


def test_every_active_item_is_priced_in_a_published_list_for_each_demo_year(demo_output):
    active = CatalogueItem.objects.active().count()
    for year in (2026, PLAN_YEAR):
        price_list = PriceList.objects.get(year=year)
        assert price_list.is_published and price_list.version == 1
        assert "演示" in price_list.note
        entries = PriceListEntry.objects.filter(price_list=price_list)
        assert entries.count() == active
        assert all(entry.unit_price > 0 for entry in entries)
    elevator = PriceListEntry.objects.get(price_list__year=PLAN_YEAR, item__code="I13")
    assert elevator.unit == "部" and 300_000 <= elevator.unit_price <= 800_000


def test_the_designer_works_on_the_project_and_the_scheme_is_left_to_fill(demo_output):
    project = Project.objects.get()
    (assignment,) = ProjectAssignment.objects.filter(project=project)
    assert assignment.organisation.name == "江城规划设计研究院（演示）"
    assert assignment.role == "designer"
    assert not ManagementScheme.objects.filter(compound__in=project.compounds.all()).exists()


def test_a_department_reviewer_of_jiangan_is_a_demo_account(demo_output):
    reviewer = get_user_model().objects.get(username="reviewer")
    assert reviewer.check_password("anju-demo-2026")
    binding = RoleAssignment.objects.get(user=reviewer)
    assert (binding.role, binding.node.code) == ("department_reviewer", "420102")
    assert "reviewer" in demo_output.split("=== DEMO ACCOUNTS")[1]


def test_running_the_demo_again_leaves_the_design_demo_as_it_was(demo_output):
    project = Project.objects.get()
    city = Scope(roles=frozenset({"city_office"}), node_paths=("4201/",), label="visitor")
    unassign_project(actor=DEMO, scope=city, assignment=project.assignments.get())
    before = {
        "plans": list(AnnualPlan.objects.values_list("pk", "year", "status")),
        "projects": list(Project.objects.values_list("pk", "code", "stage")),
        "price_lists": list(PriceList.objects.values_list("pk", "year", "version")),
        "entries": PriceListEntry.objects.count(),
    }

    run_demo()

    after = {
        "plans": list(AnnualPlan.objects.values_list("pk", "year", "status")),
        "projects": list(Project.objects.values_list("pk", "code", "stage")),
        "price_lists": list(PriceList.objects.values_list("pk", "year", "version")),
        "entries": PriceListEntry.objects.count(),
    }
    assert after == before
    assert not ProjectAssignment.objects.exists()  # the visitor withdrew it; it stays withdrawn
