"""Builders for the acceptance tests (and the chapters after it): a building project whose
approved plan is the checklist, a session with residents' representatives who signed, and
an accepted project.

    from anju.construction.tests.accepting import accepted_project, ready_session, ...

All through construction's services, as the district task force of the project.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from anju.catalogue.models import CatalogueItem
from anju.core.actors import CLI
from anju.design.models import PlanItem, PlanVersion
from anju.design.tests.reviewing import price_list

from ..services import acceptance as services
from .delivering import building_project, district_scope, named_project  # noqa: F401

SESSION_DAY = dt.date(2027, 11, 20)
PLAN_ITEMS = (("B14", "420", "150.00"), ("B15", "1200", "85.00"))


def approve_plan(project, items=PLAN_ITEMS) -> PlanVersion:
    """The project's approved plan version (the acceptance checklist): 屋面修缮, 外墙修缮."""
    version = PlanVersion.objects.create(
        project=project,
        number=(project.plan_versions.count() + 1),
        status=PlanVersion.Status.APPROVED,
        price_list=price_list(),
    )
    compound = project.compounds.first()
    for code, quantity, unit_price in items:
        item = CatalogueItem.objects.get(code=code)
        PlanItem.objects.create(
            version=version,
            compound=compound,
            item=item,
            quantity=Decimal(quantity),
            unit=item.rule.unit,
            unit_price=Decimal(unit_price),
            payer=item.rule.default_payer,
        )
    return version


def open_session(project, *, actor=CLI, day=SESSION_DAY):
    return services.open_session(
        actor=actor,
        scope=district_scope(project),
        project=project,
        scheduled_on=day,
        place="小区议事厅",
    )


def invite_residents(session, count: int, *, names=("张秀英", "李建华", "王桂芳", "刘德明")):
    households = list(session.project.compounds.first().households.order_by("pk")[:count])
    invitations = [
        services.Invitation(kind="resident", household=h, name=names[i % len(names)])
        for i, h in enumerate(households)
    ]
    return services.invite_participants(
        actor=CLI, scope=district_scope(session.project), session=session, invitations=invitations
    )


def all_pass(project) -> list:
    from ..selectors.acceptance import checklist

    return [services.CheckAnswer(code=line.code, result="pass") for line in checklist(project)]


def sign_everyone(session, *, opinion="agree", channel="paper"):
    """Every participant's checklist recorded by the district from the paper forms."""
    scope = district_scope(session.project)
    for participant in session.participants.all():
        services.record_checklist(
            actor=CLI,
            scope=scope,
            participant=participant,
            answers=all_pass(session.project),
            opinion=opinion,
            channel=channel,
        )


def ready(project, residents: int = 3):
    """A session with `residents` representatives, everyone signed: ready to decide."""
    session = open_session(project)
    invite_residents(session, residents)
    sign_everyone(session)
    return session


def decide(session, outcome="passed", conditions=""):
    return services.decide_outcome(
        actor=CLI,
        scope=district_scope(session.project),
        session=session,
        outcome=outcome,
        conditions=conditions,
    )


@pytest.fixture
def acceptance_project(building_project):  # noqa: F811
    """江岸's project, building, with its approved plan (two items) as the checklist."""
    approve_plan(building_project)
    return building_project


@pytest.fixture
def ready_session(acceptance_project):
    return ready(acceptance_project)


@pytest.fixture
def accepted_project(ready_session):
    """The project after a passed joint acceptance (stage accepted)."""
    decide(ready_session)
    project = ready_session.project
    project.refresh_from_db()
    return project
