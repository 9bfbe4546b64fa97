"""A project's stage moves only through design's step, and its compounds show it."""

import pytest
from django.db import transaction

from anju.access.scope import scope_for
from anju.core.actors import CLI
from anju.core.errors import NotFound
from anju.core.models import AuditEvent
from anju.design.models import StageChange
from anju.design.selectors.projects import get_project, projects_in_scope
from anju.design.services.projects import move_project_stage
from anju.territory.models import Stage

pytestmark = pytest.mark.django_db


def test_an_approved_plan_makes_projects_at_planned(jiangan_project):
    assert jiangan_project.stage == Stage.PLANNED


@pytest.mark.django_db(transaction=True)
def test_the_step_refuses_to_run_outside_a_transaction(jiangan_project):
    with pytest.raises(RuntimeError):
        move_project_stage(actor=CLI, project=jiangan_project, to_stage=Stage.DESIGNED)


def test_moving_a_project_moves_its_compounds_records_history_and_audits(jiangan_project, city):
    city.jiangan_compound.stage = Stage.PLANNED
    city.jiangan_compound.save()
    with transaction.atomic():
        move_project_stage(actor=CLI, project=jiangan_project, to_stage=Stage.DESIGNED)

    jiangan_project.refresh_from_db()
    city.jiangan_compound.refresh_from_db()
    assert jiangan_project.stage == Stage.DESIGNED
    assert city.jiangan_compound.stage == Stage.DESIGNED
    change = StageChange.objects.get(project=jiangan_project)
    assert (change.from_stage, change.to_stage) == (Stage.PLANNED, Stage.DESIGNED)
    assert AuditEvent.objects.filter(verb="project.stage_changed").count() == 1


def test_a_return_moves_the_compounds_back_with_its_reason(jiangan_project, city):
    with transaction.atomic():
        move_project_stage(actor=CLI, project=jiangan_project, to_stage=Stage.NOTICED)
        move_project_stage(
            actor=CLI, project=jiangan_project, to_stage=Stage.DESIGNED, reason="消防部门退回"
        )
    city.jiangan_compound.refresh_from_db()
    assert city.jiangan_compound.stage == Stage.DESIGNED


def test_district_officers_see_their_districts_projects_only(
    jiangan_officer, jiangan_project, wuchang_project
):
    scope = scope_for(jiangan_officer)
    assert list(projects_in_scope(scope)) == [jiangan_project]
    with pytest.raises(NotFound):
        get_project(scope, wuchang_project.pk)


def test_a_designer_sees_the_projects_of_its_assigned_compounds(designer, city, approved_plan):
    from anju.design.tests.conftest import make_project

    scope = scope_for(designer)
    assigned = next(iter(scope.compound_ids))
    from anju.territory.models import Compound

    compound = Compound.objects.get(pk=assigned)
    project = make_project(approved_plan, city.jiangan, compound, "2027-X")
    assert list(projects_in_scope(scope_for(designer))) == [project]
