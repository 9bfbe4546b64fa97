"""Builders for the notice tests: a designed project with a draft version (priced items made
directly with the models), its compounds' management schemes, a fixed "today", and residents
signed in on the portal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from anju.access.codes import issue_household_codes
from anju.catalogue.models import CatalogueItem, PriceList
from anju.core.actors import CLI
from anju.design.models import PlanItem, PlanVersion
from anju.design.services.projects import move_project_stage
from anju.stewardship.models import ManagementModel, ManagementScheme
from anju.territory.models import Stage

# 屋面修缮 paid by the government, 加装电梯 paid by the residents.
ITEMS = (("B14", "100", "150.00"), ("I13", "1", "300000.00"))


def price_list() -> PriceList:
    found, _ = PriceList.objects.get_or_create(
        year=2027, version=1, defaults={"is_published": True}
    )
    return found


def give_schemes(project) -> None:
    for compound in project.compounds.all():
        ManagementScheme.objects.get_or_create(
            compound=compound,
            defaults={
                "management_model": ManagementModel.RED_PROPERTY,
                "yearly_upkeep_budget": Decimal("36000"),
            },
        )


def designed(project):
    """Planned → designed; a project already designed or noticed stays where it is."""
    if project.stage == Stage.PLANNED:
        with transaction.atomic():
            move_project_stage(actor=CLI, project=project, to_stage=Stage.DESIGNED)
    project.refresh_from_db()
    return project


def draft_version(project, *, number: int = 1, items=ITEMS, scheme: bool = True) -> PlanVersion:
    """A draft version of a `designed` project, its items priced, its schemes attached."""
    designed(project)
    if scheme:
        give_schemes(project)
    version = PlanVersion.objects.create(
        project=project, number=number, price_list=price_list(), changes=f"第 {number} 版"
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


def on_day(monkeypatch, day: dt.date) -> None:
    """Make `day` today for the notice code (no time-freezing library in the stack)."""
    monkeypatch.setattr("anju.design.services.notices.today", lambda: day)
    monkeypatch.setattr("anju.design.selectors.notices.today", lambda: day)


def signed_in_resident(client, household):
    code = issue_household_codes(actor=CLI, compound=household.compound, households=[household])
    response = client.post("/portal/sign-in/", {"code": code[household.pk]})
    assert response.status_code == 302
    return client


def published_notice(project, *, with_objection: bool = True):
    """A notice published through the service by the project's district (today, default
    period), with one household's objection; used by the scope-coverage tests too."""
    from anju.core.scope import Scope
    from anju.design.services.notices import publish_notice, submit_objection

    version = draft_version(project, number=project.plan_versions.count() + 1)
    answer_every_need(version)
    district = Scope(roles=frozenset({"district_task_force"}), node_paths=(project.path,))
    notice = publish_notice(actor=CLI, scope=district, version=version)
    if with_objection:
        submit_objection(
            actor=None,
            notice=notice,
            household=project.compounds.first().households.first(),
            kind="objection",
            text="电梯影响采光",
        )
    return notice


def answer_every_need(version) -> None:
    """Say why each of the compounds' top needs (engagement) the version leaves out is left
    out, so the version is ready whatever campaigns other builders ran."""
    from anju.design.models import NeedResponse
    from anju.design.selectors.plans import need_answers

    for answer in need_answers(version):
        if not answer.is_answered:
            NeedResponse.objects.update_or_create(
                version=version,
                compound=answer.compound,
                item=answer.item,
                defaults={"is_covered": False, "reason": "本批资金有限，列入下一批改造"},
            )
