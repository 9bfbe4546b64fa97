"""The district assigns designers and planners to a project; the firm then sees it.

Rules: only the project's district task force or the city office assigns (a designer gets 403,
another district 404, like a missing project); only design firms are assigned; the firm gets
each project compound through access's audited compound assignment, in the same
transaction; assigning and unassigning are audited on the project.
"""

import pytest

from anju.access.models import CompoundAssignment, Organisation, Role
from anju.access.scope import scope_for
from anju.conftest import make_user
from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.models import AuditEvent
from anju.design.models import ProjectAssignment
from anju.design.selectors.projects import get_project, projects_in_scope
from anju.design.services.projects import assign_project, unassign_project

pytestmark = pytest.mark.django_db


def new_firm(name="长江设计院", kind=Organisation.Kind.DESIGNER):
    firm = Organisation.objects.create(name=name, kind=kind)
    user = make_user(f"staff-of-{firm.pk}", Role.DESIGNER, organisation=firm)
    return firm, user


def assign_url(project):
    return f"/workbench/projects/{project.pk}/assignments/"


def test_the_district_assigns_a_designer_who_then_sees_the_project(
    jiangan_officer, jiangan_project, city, client_as
):
    firm, firm_user = new_firm()
    with pytest.raises(NotFound):
        get_project(scope_for(firm_user), jiangan_project.pk)

    response = client_as(jiangan_officer).post(
        assign_url(jiangan_project), {"organisation": firm.pk, "role": "designer"}
    )

    assert response.status_code == 302
    assignment = ProjectAssignment.objects.get(project=jiangan_project, organisation=firm)
    assert assignment.role == "designer"
    assert assignment.assigned_by == jiangan_officer
    assert CompoundAssignment.objects.filter(
        organisation=firm, compound=city.jiangan_compound
    ).exists()
    assert get_project(scope_for(firm_user), jiangan_project.pk) == jiangan_project
    event = AuditEvent.objects.get(verb="project.assigned")
    assert event.object_id == str(jiangan_project.pk)
    assert event.after == {"organisation": firm.name, "role": "designer"}
    assert AuditEvent.objects.filter(verb="compound.assigned").count() == 1


def test_a_planner_is_a_design_firm_assigned_as_planner(city_officer, jiangan_project):
    firm, _user = new_firm("社区规划工作室")
    assignment = assign_project(
        actor=city_officer,
        scope=scope_for(city_officer),
        project=jiangan_project,
        organisation=firm,
        role="planner",
    )
    assert assignment.get_role_display() == "规划师"


def test_another_district_gets_not_found_and_nothing_changes(
    wuchang_officer, jiangan_project, client_as
):
    firm, _user = new_firm()
    response = client_as(wuchang_officer).post(
        assign_url(jiangan_project), {"organisation": firm.pk, "role": "designer"}
    )
    assert response.status_code == 404
    assert not ProjectAssignment.objects.exists()
    assert not CompoundAssignment.objects.filter(organisation=firm).exists()
    assert not AuditEvent.objects.exists()


def test_a_designer_may_not_assign(designer, jiangan_project, client_as):
    """The designer sees the project (its compound is assigned to the firm) but may not
    assign anyone to it."""
    firm, _user = new_firm()
    response = client_as(designer).post(
        assign_url(jiangan_project), {"organisation": firm.pk, "role": "designer"}
    )
    assert response.status_code == 403
    assert not ProjectAssignment.objects.exists()
    assert not AuditEvent.objects.exists()
    with pytest.raises(PermissionDenied):
        assign_project(
            actor=designer,
            scope=scope_for(designer),
            project=jiangan_project,
            organisation=firm,
            role="designer",
        )


def test_only_design_firms_are_assigned(jiangan_officer, jiangan_project, client_as):
    builder, _user = new_firm("某建设公司", Organisation.Kind.CONSTRUCTION)
    response = client_as(jiangan_officer).post(
        assign_url(jiangan_project), {"organisation": builder.pk, "role": "designer"}
    )
    assert response.status_code == 400
    assert "找不到该机构" in response.content.decode()
    with pytest.raises(DomainError, match="只能委托设计单位"):
        assign_project(
            actor=jiangan_officer,
            scope=scope_for(jiangan_officer),
            project=jiangan_project,
            organisation=builder,
            role="designer",
        )
    assert not ProjectAssignment.objects.exists()
    assert not AuditEvent.objects.exists()


def test_assigning_twice_is_refused_with_a_message(jiangan_officer, jiangan_project, client_as):
    firm, _user = new_firm()
    client = client_as(jiangan_officer)
    client.post(assign_url(jiangan_project), {"organisation": firm.pk, "role": "designer"})
    events = AuditEvent.objects.count()

    response = client.post(
        assign_url(jiangan_project), {"organisation": firm.pk, "role": "designer"}
    )

    assert response.status_code == 400
    assert "已受托担任本项目的设计单位" in response.content.decode()
    assert ProjectAssignment.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_a_compound_the_firm_already_holds_stays_as_it_is(
    designer, jiangan_officer, jiangan_project, city
):
    firm = designer.role_assignments.get().organisation
    assign_project(
        actor=jiangan_officer,
        scope=scope_for(jiangan_officer),
        project=jiangan_project,
        organisation=firm,
        role="designer",
    )
    assert CompoundAssignment.objects.filter(organisation=firm).count() == 1
    assert not AuditEvent.objects.filter(verb="compound.assigned").exists()


def test_unassigning_withdraws_the_project_and_its_compounds(
    jiangan_officer, jiangan_project, city, client_as
):
    firm, firm_user = new_firm()
    client = client_as(jiangan_officer)
    client.post(assign_url(jiangan_project), {"organisation": firm.pk, "role": "designer"})
    assignment = ProjectAssignment.objects.get()

    response = client.post(
        f"/workbench/projects/{jiangan_project.pk}/assignments/{assignment.pk}/remove/"
    )

    assert response.status_code == 302
    assert not ProjectAssignment.objects.exists()
    assert not CompoundAssignment.objects.filter(organisation=firm).exists()
    assert not projects_in_scope(scope_for(firm_user)).exists()
    event = AuditEvent.objects.get(verb="project.unassigned")
    assert event.before == {"organisation": firm.name, "role": "designer"}
    assert AuditEvent.objects.filter(verb="compound.unassigned").count() == 1


def test_unassigning_one_role_keeps_the_compounds_another_role_needs(
    jiangan_officer, jiangan_project, city
):
    firm, firm_user = new_firm()
    scope = scope_for(jiangan_officer)
    as_designer = assign_project(
        actor=jiangan_officer,
        scope=scope,
        project=jiangan_project,
        organisation=firm,
        role="designer",
    )
    assign_project(
        actor=jiangan_officer,
        scope=scope,
        project=jiangan_project,
        organisation=firm,
        role="planner",
    )
    unassign_project(actor=jiangan_officer, scope=scope, assignment=as_designer)
    assert CompoundAssignment.objects.filter(organisation=firm).count() == 1
    assert get_project(scope_for(firm_user), jiangan_project.pk) == jiangan_project


def test_a_designer_may_not_unassign(designer, jiangan_officer, jiangan_project, client_as):
    firm, _user = new_firm()
    assignment = assign_project(
        actor=jiangan_officer,
        scope=scope_for(jiangan_officer),
        project=jiangan_project,
        organisation=firm,
        role="designer",
    )
    response = client_as(designer).post(
        f"/workbench/projects/{jiangan_project.pk}/assignments/{assignment.pk}/remove/"
    )
    assert response.status_code == 403
    assert ProjectAssignment.objects.filter(pk=assignment.pk).exists()
