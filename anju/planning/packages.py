"""Contiguous packages (连片改造) as planning sees them: accepted groups of adjacent compounds.

Coordination proposes packages; a district (or the city office) accepts one here, within its
territory. From then on every round scored gives the members the package's key, so selection
takes them together or not at all and approval makes them one Project. A compound belongs to
at most one package; a package stays inside one district (selection refuses packages split
across districts).
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from anju.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from anju.core.scope import Scope
from anju.territory.models import Compound, Node

from . import events
from .models import AreaPackage, AreaPackageMember

PACKAGE_ROLES = ("city_office", "district_task_force")
CONSTRUCTION_SEASON = ((3, 1), (11, 30))  # anju's default window until the schedule exists


def construction_window(year: int) -> tuple[date, date]:
    """The default construction window of a plan year (1 March – 30 November)."""
    (start_month, start_day), (end_month, end_day) = CONSTRUCTION_SEASON
    return date(year, start_month, start_day), date(year, end_month, end_day)


def district_of(compound: Compound) -> Node:
    return compound.community.parent.parent


def accept_package(
    *,
    actor,
    scope: Scope,
    key: str,
    name: str,
    level: str,
    compounds: list[Compound],
    hull: dict | None = None,
    is_model_project: bool = False,
) -> AreaPackage:
    if not scope.has_role(*PACKAGE_ROLES):
        raise PermissionDenied(_("只有市改造办和区工作专班可以确定连片改造片区。"))
    if not compounds:
        raise DomainError(_("片区至少要有一个小区。"), code="package_empty")
    if any(not scope.covers_path(compound.path) for compound in compounds):
        raise NotFound()
    districts = {district_of(compound).pk for compound in compounds}
    if len(districts) > 1:
        raise DomainError(_("一个片区的小区须在同一个区。"), code="package_across_districts")
    district = district_of(compounds[0])
    try:
        with transaction.atomic(durable=True):
            package = AreaPackage.objects.create(
                key=key,
                name=name,
                level=level,
                is_model_project=is_model_project,
                district=district,
                path=district.path,
                hull=hull,
                accepted_by=actor if getattr(actor, "pk", None) else None,
            )
            AreaPackageMember.objects.bulk_create(
                [AreaPackageMember(package=package, compound=compound) for compound in compounds]
            )
            events.package_accepted(actor=actor, package=package, compounds=compounds)
    except IntegrityError:
        raise Conflict(_("其中有小区已属于另一个片区，或片区编号已被使用。")) from None
    return package


def package_keys(compound_ids) -> dict[int, str]:
    """The accepted package of each compound that has one."""
    return dict(
        AreaPackageMember.objects.filter(compound_id__in=list(compound_ids)).values_list(
            "compound_id", "package__key"
        )
    )
