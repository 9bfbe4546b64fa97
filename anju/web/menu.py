"""The workbench menu: which role may use which page, declared once; the navbar reads it.

Each item names its page and the predicate of the viewer's scope under which the page answers
(the page's own check is the authority; this list only keeps people from being offered pages
that would refuse them, issue 13 defect 12). Company accounts (designers, builders,
supervisors, utilities, property companies) see the pages of their assigned compounds; the
city office and district task forces also get 管理 (administration).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from anju.access import rules
from anju.access.models import TERRITORIAL_ROLES, Role
from anju.construction import rules as construction_rules
from anju.core.scope import Scope
from anju.design import rules as design_rules
from anju.funding import rules as funding_rules
from anju.stewardship import rules as stewardship_rules
from anju.territory.services import REGISTRY_EDITORS


def anyone(scope: Scope) -> bool:
    return True


def has_territory_or_compounds(scope: Scope) -> bool:
    return not scope.is_empty


def territorial(scope: Scope) -> bool:
    return scope.has_role(*TERRITORIAL_ROLES) and bool(scope.node_paths)


def territorial_or(*roles: str) -> Callable[[Scope], bool]:
    def predicate(scope: Scope) -> bool:
        return territorial(scope) or (scope.has_role(*roles) and not scope.is_resident)

    return predicate


def registry_editor(scope: Scope) -> bool:
    return scope.has_role(*REGISTRY_EDITORS) and bool(scope.node_paths)


@dataclass(frozen=True)
class MenuItem:
    url_name: str
    label: Any
    may_use: Callable[[Scope], bool]


MENU = (
    MenuItem("web:workbench", _("工作台"), anyone),
    MenuItem("territory:compound-list", _("小区台账"), has_territory_or_compounds),
    MenuItem("engagement:campaign-list", _("问需问计"), territorial_or(Role.DESIGNER)),
    MenuItem("catalogue:item-list", _("改造清单"), has_territory_or_compounds),
    MenuItem("engagement:vote-list", _("业主表决"), territorial),
    MenuItem("planning:index", _("计划"), territorial),
    MenuItem("design:project-list", _("项目"), design_rules.may_see_projects),
    MenuItem("design:review-mine", _("待审事项"), design_rules.is_department_reviewer),
    MenuItem(
        "coordination:work-list",
        _("统筹协调"),
        territorial_or(Role.UTILITY_COMPANY, Role.CONSTRUCTION_UNIT),
    ),
    MenuItem("construction:project-list", _("施工"), construction_rules.may_see_construction),
    MenuItem("funding:index", _("资金"), funding_rules.may_see_funding),
    MenuItem("stewardship:index", _("长效管理"), stewardship_rules.may_see_stewardship),
    MenuItem("stewardship:report-list", _("问题报告"), stewardship_rules.may_see_reports),
    MenuItem("territory:import", _("导入导出"), registry_editor),
    MenuItem("core:audit-list", _("审计日志"), territorial),
    MenuItem("access:admin-people", _("管理"), rules.may_open_administration),
    MenuItem("api-docs", "API", anyone),
)


def menu_for(scope: Scope) -> list[dict]:
    """The items the viewer may use, with their addresses (apps not installed are left out)."""
    items = []
    for item in MENU:
        if not item.may_use(scope):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": item.label, "name": item.url_name})
    return items
