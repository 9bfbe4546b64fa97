"""Builders for the joint-review tests: a noticed plan version (its notice period, objections
answered or not, priced items) made directly with the models, and department reviewers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from anju.access.models import Role
from anju.catalogue.models import CatalogueItem, PriceList, ReviewDepartment
from anju.conftest import make_user
from anju.core.actors import CLI
from anju.core.calendar import today
from anju.core.scope import Scope
from anju.design.models import (
    Notice,
    Objection,
    PlanItem,
    PlanVersion,
    Review,
    ReviewerAssignment,
)
from anju.design.services.projects import move_project_stage
from anju.design.services.reviews import submit_for_review
from anju.planning.models import AnnualPlan, AnnualPlanStatus, FiveYearPlan, Project
from anju.territory.models import Stage


def price_list() -> PriceList:
    found, _ = PriceList.objects.get_or_create(
        year=2027, version=1, defaults={"is_published": True}
    )
    return found


def noticed_version(
    project,
    items=(("B14", "100", "150.00"),),
    *,
    closes_in_days: int = -1,
    objections: int = 0,
    answered: int = 0,
    number: int = 1,
) -> PlanVersion:
    """A version noticed from ten days ago until `closes_in_days` from today (by default
    closed yesterday), with `objections` objections of which `answered` have an answer, and
    the project moved to `noticed`."""
    version = PlanVersion.objects.create(
        project=project, number=number, status=PlanVersion.Status.NOTICED, price_list=price_list()
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
    day = today()
    notice = Notice.objects.create(
        version=version,
        opens_on=day - dt.timedelta(days=10),
        closes_on=day + dt.timedelta(days=closes_in_days),
    )
    households = list(compound.households.all())
    for index in range(objections):
        Objection.objects.create(
            notice=notice,
            household=households[index % len(households)],
            kind=Objection.Kind.OBJECTION,
            text="加装电梯影响底层采光",
            answer="已调整电梯井位置" if index < answered else "",
        )
    project.refresh_from_db()
    if project.stage != Stage.NOTICED:
        with transaction.atomic():
            move_project_stage(actor=CLI, project=project, to_stage=Stage.NOTICED)
    return version


def project_in(district, compound, code: str = ""):
    """A project of an approved 2027 plan for the compound (for tests outside design that
    have no design fixtures)."""
    five, _ = FiveYearPlan.objects.get_or_create(
        name="十五五", defaults={"start_year": 2026, "end_year": 2030, "node": district.parent}
    )
    annual, _ = AnnualPlan.objects.get_or_create(
        five_year_plan=five, year=2027, defaults={"status": AnnualPlanStatus.APPROVED}
    )
    project = Project.objects.create(
        annual_plan=annual,
        code=code or f"2027-{district.code}-R01",
        name=compound.name,
        district=district,
        estimated_cost=Decimal("1000000"),
    )
    project.compounds.add(compound)
    return project


def submitted_review(district, compound, code: str = "") -> Review:
    """A cleared noticed plan of a new project in the district, submitted by the city office;
    asked again for the same district, the same review (the URL walkers build every URL's
    records in one database)."""
    code = code or f"2027-{district.code}-R01"
    existing = Review.objects.filter(version__project__code=code).first()
    if existing is not None:
        return existing
    project = project_in(district, compound, code)
    version = noticed_version(project)
    city_scope = Scope(roles=frozenset({"city_office"}), node_paths=(district.parent.path,))
    return submit_for_review(actor=CLI, scope=city_scope, version=version)


def reviewer(username: str, node):
    return make_user(username, Role.DEPARTMENT_REVIEWER, node=node)


def assign(project, department_code: str, user) -> ReviewerAssignment:
    return ReviewerAssignment.objects.create(
        project=project,
        department=ReviewDepartment.objects.get(code=department_code),
        reviewer=user,
    )
