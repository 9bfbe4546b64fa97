"""The schedule and the start of building."""

import datetime as dt
from decimal import Decimal

import pytest

from anju.access.scope import scope_for
from anju.construction.models import Task
from anju.construction.services import save_task, start_construction
from anju.construction.tests.delivering import (
    district_scope,
    name_parties,
)
from anju.core.errors import DomainError, PermissionDenied
from anju.territory.models import Stage

pytestmark = pytest.mark.django_db


def add_task(project, scope, start, end, actor=None):
    return save_task(
        actor=actor,
        scope=scope,
        project=project,
        name="楼道照明",
        planned_start=start,
        planned_end=end,
        weight=Decimal("5"),
    )


def test_a_task_starting_before_the_project_is_refused_with_a_clear_message(named_project):
    before = Task.objects.count()
    with pytest.raises(DomainError) as refused:
        add_task(
            named_project, district_scope(named_project), dt.date(2027, 2, 1), dt.date(2027, 4, 1)
        )
    assert "planned_start" in refused.value.fields
    assert "2027" in str(refused.value.message)
    assert Task.objects.count() == before


def test_a_task_ending_after_the_construction_contract_is_refused(named_project):
    with pytest.raises(DomainError) as refused:
        add_task(
            named_project, district_scope(named_project), dt.date(2027, 4, 1), dt.date(2027, 12, 31)
        )
    assert refused.value.code == "date_out_of_range"
    assert "planned_end" in refused.value.fields


def test_the_construction_unit_keeps_the_schedule_during_building(building_project, builder):
    task = add_task(building_project, scope_for(builder), dt.date(2027, 5, 1), dt.date(2027, 6, 1))
    assert task.project == building_project


def test_the_supervisor_does_not_edit_the_schedule(building_project, supervisor):
    with pytest.raises(PermissionDenied):
        add_task(building_project, scope_for(supervisor), dt.date(2027, 5, 1), dt.date(2027, 6, 1))


def test_building_needs_the_construction_and_supervision_units_and_a_task(
    approved_project, builder_firm, supervisor_firm
):
    scope = district_scope(approved_project)
    with pytest.raises(DomainError) as refused:
        start_construction(actor=None, scope=scope, project=approved_project)
    assert refused.value.code == "not_ready_to_build"
    name_parties(approved_project, builder_firm=builder_firm, supervisor_firm=supervisor_firm)
    with pytest.raises(DomainError):
        start_construction(actor=None, scope=scope, project=approved_project)
    add_task(approved_project, scope, dt.date(2027, 3, 1), dt.date(2027, 4, 1))
    start_construction(actor=None, scope=scope, project=approved_project)
    approved_project.refresh_from_db()
    assert approved_project.stage == Stage.BUILDING
    assert all(c.stage == Stage.BUILDING for c in approved_project.compounds.all())


def test_another_district_cannot_start_building(named_project, wuchang_officer):
    with pytest.raises(PermissionDenied):
        start_construction(
            actor=wuchang_officer, scope=scope_for(wuchang_officer), project=named_project
        )
    named_project.refresh_from_db()
    assert named_project.stage == Stage.APPROVED
