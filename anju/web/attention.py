"""What needs a territorial official's attention, on the workbench's first screen: projects
behind schedule (issue 11: "flagged to its district"), rectification orders escalated for
supervision, residents' problem reports past their deadline, and projects short of funding.

Each line counts through the app's own scoped selector, so the figures are the viewer's
territory's, and links to the page where the list is; a line with nothing to count is left
out. Company accounts (no territory) see their own lists on their pages instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anju.construction import rules as construction_rules
from anju.construction.selectors import inspections as inspection_selectors
from anju.construction.selectors import schedule as schedule_selectors
from anju.core.calendar import today
from anju.core.scope import Scope
from anju.funding import rules as funding_rules
from anju.funding.selectors import ledger as ledger_selectors
from anju.stewardship import rules as stewardship_rules
from anju.stewardship.selectors import reports as report_selectors


@dataclass(frozen=True)
class Attention:
    label: object
    count: int
    url: str


def attention_for(scope: Scope) -> list[Attention]:
    if scope.is_resident or not scope.node_paths:
        return []
    lines = [
        Attention(
            _("进度滞后的施工项目"),
            schedule_selectors.behind_schedule(scope).count(),
            reverse("construction:project-list") + "?behind=1",
        )
    ]
    if construction_rules.may_see_overdue_findings(scope):
        lines.append(
            Attention(
                _("超期督办的整改通知"),
                inspection_selectors.overdue_findings(scope).count(),
                reverse("construction:findings-overdue"),
            )
        )
    if stewardship_rules.may_see_reports(scope):
        lines.append(
            Attention(
                _("超过办理时限的问题报告"),
                report_selectors.overdue_reports(scope, today()).count(),
                reverse("stewardship:report-list") + "?overdue=on",
            )
        )
    if funding_rules.may_see_funding(scope):
        lines.append(
            Attention(
                _("资金缺口项目"),
                len(ledger_selectors.short_of_funding(scope)),
                reverse("funding:index") + "#short-of-funding",
            )
        )
    return [line for line in lines if line.count]
