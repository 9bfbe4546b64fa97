"""The workbench menu: which role may use which page, declared once; the navbar reads it.

Each item names its page and the predicate of the viewer's scope under which the page answers
(the page's own check is the authority; this list only keeps people from being offered pages
that would refuse them, issue 13 defect 12). Company accounts (designers, builders,
supervisors, utilities, property companies) see the pages of their assigned compounds; the
city office and district task forces also get 管理 (administration).

Items are grouped by the programme's movements (统筹, 问需, 施工, 资金, 长效) and the system's
own pages, so an official's navbar has seven entries, not sixteen; a group of which the viewer
may use one page shows as that page's link (a construction unit sees 施工, not a menu of one).
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


COORDINATE, ASK, BUILD, PAY, KEEP, SYSTEM = "coordinate", "ask", "build", "pay", "keep", "system"

GROUP_LABELS = {
    COORDINATE: _("统筹"),
    ASK: _("问需"),
    BUILD: _("施工"),
    PAY: _("资金"),
    KEEP: _("长效"),
    SYSTEM: _("系统"),
}


@dataclass(frozen=True)
class MenuItem:
    url_name: str
    label: Any
    may_use: Callable[[Scope], bool]
    group: str = ""


MENU = (
    MenuItem("web:workbench", _("工作台"), anyone),
    MenuItem("territory:compound-list", _("小区台账"), has_territory_or_compounds, COORDINATE),
    MenuItem("planning:index", _("计划"), territorial, COORDINATE),
    MenuItem("design:project-list", _("项目"), design_rules.may_see_projects, COORDINATE),
    MenuItem("design:review-mine", _("待审事项"), design_rules.is_department_reviewer, COORDINATE),
    MenuItem(
        "coordination:work-list",
        _("统筹协调"),
        territorial_or(Role.UTILITY_COMPANY, Role.CONSTRUCTION_UNIT),
        COORDINATE,
    ),
    MenuItem("catalogue:item-list", _("改造清单"), has_territory_or_compounds, COORDINATE),
    MenuItem("engagement:campaign-list", _("问需问计"), territorial_or(Role.DESIGNER), ASK),
    MenuItem("engagement:vote-list", _("业主表决"), territorial, ASK),
    MenuItem(
        "construction:project-list", _("施工项目"), construction_rules.may_see_construction, BUILD
    ),
    MenuItem(
        "construction:findings-overdue",
        _("超期督办"),
        construction_rules.may_see_overdue_findings,
        BUILD,
    ),
    MenuItem("construction:party-records", _("参建单位记录"), territorial, BUILD),
    MenuItem("construction:satisfaction", _("满意度测评"), territorial, BUILD),
    MenuItem("funding:index", _("资金"), funding_rules.may_see_funding, PAY),
    MenuItem("stewardship:index", _("长效管理"), stewardship_rules.may_see_stewardship, KEEP),
    MenuItem("stewardship:report-list", _("问题报告"), stewardship_rules.may_see_reports, KEEP),
    MenuItem("territory:import", _("导入导出"), registry_editor, SYSTEM),
    MenuItem("core:audit-list", _("审计日志"), territorial, SYSTEM),
    MenuItem("access:admin-people", _("管理"), rules.may_open_administration, SYSTEM),
    MenuItem("api-docs", "API", anyone, SYSTEM),
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
        items.append({"url": url, "label": item.label, "name": item.url_name, "group": item.group})
    return items


def menu_entries_for(scope: Scope, path: str = "") -> list[dict]:
    """The navbar's entries in MENU's order: an ungrouped item, or a group (label, children —
    not "items", which a template would take for dict.items);
    a group with a single usable item is that item. The item whose address is the longest
    prefix of `path` is `current`, and so is the group holding it."""
    items = menu_for(scope)
    current = max(
        (item["url"] for item in items if path.startswith(item["url"])), key=len, default=None
    )
    entries: list[dict] = []
    groups: dict[str, dict] = {}
    for item in items:
        item["current"] = item["url"] == current
        group = item["group"]
        if not group:
            entries.append(item)
            continue
        if group not in groups:
            groups[group] = {"label": GROUP_LABELS[group], "children": [], "current": False}
            entries.append(groups[group])
        groups[group]["children"].append(item)
        groups[group]["current"] |= item["current"]
    return [
        entry["children"][0] if "children" in entry and len(entry["children"]) == 1 else entry
        for entry in entries
    ]
