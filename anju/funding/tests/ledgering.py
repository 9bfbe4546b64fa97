"""Helpers of the ledger tests: scopes, a funding plan that matches the approved total, and
confirmed construction progress written straight into construction's tables."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from anju.construction.models import ProgressReport, Task, TaskProgress
from anju.core.actors import CLI
from anju.core.scope import Scope
from anju.funding.models import FundingSource
from anju.funding.services import ledger as services
from anju.funding.services.ledger import PlanLineInput


def district_scope(project) -> Scope:
    return Scope(roles=frozenset({"district_task_force"}), node_paths=(project.district.path,))


def city_scope(city) -> Scope:
    return Scope(roles=frozenset({"city_office"}), node_paths=(city.city.path,))


def source(code: str) -> FundingSource:
    return FundingSource.objects.get(code=code)


def matching_lines(power_company) -> list[PlanLineInput]:
    """550,000.00 in all: the approved total of the funding fixtures."""
    return [
        PlanLineInput(source=source("city_special"), amount=Decimal("100000.00")),
        PlanLineInput(source=source("district_fiscal"), amount=Decimal("50000.00")),
        PlanLineInput(source=source("utility"), amount=Decimal("100000.00"), payer=power_company),
        PlanLineInput(source=source("residents_direct"), amount=Decimal("300000.00")),
    ]


def confirmed_plan(project, power_company, *, actor=CLI):
    scope = district_scope(project)
    services.save_funding_plan(
        actor=actor, scope=scope, project=project, lines=matching_lines(power_company)
    )
    return services.confirm_funding_plan(actor=actor, scope=scope, project=project)


def post(project, kind, code, amount, *, actor=CLI, scope=None, **extra):
    defaults = {
        "commitment": {"document": "江岸财〔2027〕12号"},
        "disbursement": {"payee": "武汉建工集团"},
    }.get(kind, {})
    return services.post_entry(
        actor=actor,
        scope=scope or district_scope(project),
        project=project,
        kind=kind,
        source=source(code),
        amount=Decimal(amount),
        **{**defaults, **extra},
    )


def confirm_progress(project, percent: str, *, week_ending=dt.date(2027, 3, 7)) -> None:
    """One task of weight 1 confirmed at `percent` % by the supervisor."""
    task = Task.objects.filter(project=project).first() or Task.objects.create(
        project=project,
        name="屋面防水",
        planned_start=dt.date(2027, 3, 1),
        planned_end=dt.date(2027, 6, 30),
        weight=Decimal("1"),
    )
    report = ProgressReport.objects.create(
        project=project, week_ending=week_ending, status=ProgressReport.Status.CONFIRMED
    )
    TaskProgress.objects.create(report=report, task=task, percent=Decimal(percent))
