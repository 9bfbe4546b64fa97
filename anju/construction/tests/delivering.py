"""Builders for the construction tests: a project with its parties named and a schedule, then
building, with weekly progress reported and confirmed — all through construction's services.

Other chapters build on it:

    from anju.construction.tests.delivering import (
        building_project, named_project, on_day, report_week, scope_of,
    )

Plain functions take the conftest's objects (approved_project, builder_firm, …); the two
fixtures `named_project` (approved, parties and schedule) and `building_project` (building)
can be imported into a test module next to the conftest's fixtures. The schedule lies in the
project's year (2027), so tests that report progress make a day of it "today" with `on_day`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from anju.access.scope import scope_for
from anju.core.actors import CLI
from anju.core.scope import Scope

# Signed before the tests' real "today" (so never in the future); building in 2027.
SIGNED_ON = dt.date(2026, 11, 20)
CONTRACT_START = dt.date(2027, 3, 1)
CONTRACT_END = dt.date(2027, 11, 30)

# (name, planned start, planned end, weight): the project's three tasks, 2027-03-01..10-31.
TASKS = (
    ("屋面防水", dt.date(2027, 3, 1), dt.date(2027, 5, 31), Decimal("30")),
    ("外墙保温", dt.date(2027, 4, 1), dt.date(2027, 8, 31), Decimal("50")),
    ("雨污分流", dt.date(2027, 6, 1), dt.date(2027, 10, 31), Decimal("20")),
)
MILESTONES = (("主体完工", dt.date(2027, 8, 31)), ("竣工", dt.date(2027, 10, 31)))

PARTY_TERMS = {
    "construction": ("张建国", "13807100001", Decimal("3200000.00")),
    "supervision": ("李监理", "13807100002", Decimal("96000.00")),
    "design": ("王设计", "13807100003", Decimal("120000.00")),
}


def district_scope(project) -> Scope:
    """The project's district task force, as a scope (the services' `scope` argument)."""
    return Scope(roles=frozenset({"district_task_force"}), node_paths=(project.path,))


def scope_of(user) -> Scope:
    """A signed-in user's scope, computed afresh (a party's compounds arrive when named)."""
    return scope_for(user)


def on_day(monkeypatch, day: dt.date) -> None:
    """Make `day` today for construction's parties and schedule code."""
    monkeypatch.setattr("anju.construction.services.parties.today", lambda: day)
    monkeypatch.setattr("anju.construction.services.schedule.today", lambda: day)
    monkeypatch.setattr("anju.construction.selectors.schedule.today", lambda: day)


def name_parties(project, *, builder_firm, supervisor_firm, design_firm=None, actor=CLI) -> dict:
    """Name the construction and supervision units (and the design unit if given) through
    `name_party` as the district; role → ProjectParty."""
    from anju.construction.services import name_party

    firms = {"construction": builder_firm, "supervision": supervisor_firm}
    if design_firm is not None:
        firms["design"] = design_firm
    parties = {}
    for role, firm in firms.items():
        person, phone, contract_sum = PARTY_TERMS[role]
        parties[role] = name_party(
            actor=actor,
            scope=district_scope(project),
            project=project,
            role=role,
            organisation=firm,
            responsible_person=person,
            responsible_phone=phone,
            contract_sum=contract_sum,
            contract_signed_on=SIGNED_ON,
            starts_on=CONTRACT_START,
            ends_on=CONTRACT_END,
        )
    return parties


def give_schedule(project, *, actor=CLI, tasks=TASKS) -> list:
    """Two milestones and the three weighted tasks (TASKS); returns the tasks in order."""
    from anju.construction.services import save_milestone, save_task

    scope = district_scope(project)
    milestones = [
        save_milestone(actor=actor, scope=scope, project=project, name=name, planned_on=day)
        for name, day in MILESTONES
    ]
    return [
        save_task(
            actor=actor,
            scope=scope,
            project=project,
            name=name,
            planned_start=start,
            planned_end=end,
            weight=weight,
            milestone=milestones[0] if end <= milestones[0].planned_on else milestones[1],
        )
        for name, start, end, weight in tasks
    ]


def start_building(project, *, actor=CLI):
    from anju.construction.services import start_construction

    return start_construction(actor=actor, scope=district_scope(project), project=project)


def deliver(project, *, builder_firm, supervisor_firm, design_firm=None, start: bool = True):
    """Parties named, schedule given and (by default) building started; the project back."""
    name_parties(
        project,
        builder_firm=builder_firm,
        supervisor_firm=supervisor_firm,
        design_firm=design_firm,
    )
    give_schedule(project)
    if start:
        start_building(project)
    project.refresh_from_db()
    return project


def report_week(project, *, builder, week_ending: dt.date, percents, note="", confirm_by=None):
    """The builder (a user) reports `percents` (task name or Task → percent) for the week of
    `week_ending`; confirmed by `confirm_by` (the supervisor user) if given. Call inside a
    test where `week_ending` is not in the future (`on_day`)."""
    from anju.construction.models import Task
    from anju.construction.services import confirm_progress, submit_progress

    tasks = {task.name: task for task in Task.objects.filter(project=project)}
    by_task = {
        (tasks[key] if isinstance(key, str) else key): value for key, value in percents.items()
    }
    report = submit_progress(
        actor=builder,
        scope=scope_of(builder),
        project=project,
        percents=by_task,
        note=note,
        week_ending=week_ending,
    )
    if confirm_by is not None:
        report = confirm_progress(actor=confirm_by, scope=scope_of(confirm_by), report=report)
    return report


@pytest.fixture
def named_project(approved_project, builder_firm, supervisor_firm, design_firm):
    """江岸's approved project with all three parties named and the schedule given (not yet
    building)."""
    return deliver(
        approved_project,
        builder_firm=builder_firm,
        supervisor_firm=supervisor_firm,
        design_firm=design_firm,
        start=False,
    )


@pytest.fixture
def building_project(named_project):
    """The named project, building started (stage building)."""
    start_building(named_project)
    named_project.refresh_from_db()
    return named_project
