"""Reads of the construction notice (施工公示): the notice of a project the viewer sees, the
default scope of works from the approved plan, what the public page and the on-site board show,
and the complaints filed through it.

The public page is read by anyone (it is posted on site): `get_public_project` finds only a
project whose notice has been published, so an unpublished or unknown project answers the same
404. What it shows is what the board shows — parties with their responsible persons and phones
(public on such boards; no contract sums), the scope of works, the milestones, the confirmed
progress and how to complain — and the complaints with number, category, status and dates only
(no household, no caller, no description: a public list names nobody).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from anju.core.calendar import SHANGHAI
from anju.core.calendar import today as calendar_today
from anju.core.errors import NotFound
from anju.core.scope import Scope
from anju.design.models import PlanItem, PlanVersion
from anju.planning.models import Project
from anju.territory.models import Stage

from ..models import ConstructionNotice, Milestone, PartyRole, ProjectParty
from . import schedule as schedule_selectors
from .projects import get_project

# Where the board's and the page's figures come from (design's plan, construction's schedule).
PUBLIC_STAGES = (Stage.APPROVED, Stage.BUILDING, Stage.ACCEPTED, Stage.STEWARDED)
SCOPE_ITEMS_SHOWN = 30


def notice_of(project: Project) -> ConstructionNotice | None:
    return ConstructionNotice.objects.filter(project=project).select_related("published_by").first()


def get_notice(scope: Scope, project_pk) -> ConstructionNotice:
    """The notice of a project the viewer sees; absent or outside the scope → NotFound."""
    project = get_project(scope, project_pk)
    notice = notice_of(project)
    if notice is None:
        raise NotFound(_("本项目还没有发布施工公示。"))
    notice.project = project
    return notice


def get_public_project(pk) -> Project:
    """A project whose construction notice is published (anyone may read it); else NotFound."""
    project = (
        Project.objects.filter(pk=pk, stage__in=PUBLIC_STAGES, construction_notice__isnull=False)
        .select_related("district", "construction_notice")
        .first()
    )
    if project is None:
        raise NotFound()
    return project


def approved_version(project: Project) -> PlanVersion | None:
    """The plan the project was approved with (the newest approved version)."""
    return (
        PlanVersion.objects.filter(project=project, status=PlanVersion.Status.APPROVED)
        .order_by("-number")
        .first()
    )


def default_scope_summary(project: Project) -> str:
    """The approved plan's items, one a line ("屋面防水（1200m²）"), as the notice's scope of works
    until the district edits it."""
    version = approved_version(project)
    if version is None:
        return ""
    items = (
        PlanItem.objects.filter(version=version)
        .select_related("item", "compound")
        .order_by("compound__code", "item__position", "item__code", "pk")
    )
    several = project.compounds.count() > 1
    lines = []
    for plan_item in items[:SCOPE_ITEMS_SHOWN]:
        line = _("%(item)s（%(quantity)s%(unit)s）") % {
            "item": plan_item.item.name,
            "quantity": f"{plan_item.quantity.normalize():f}",
            "unit": plan_item.unit,
        }
        lines.append(f"{plan_item.compound.name} · {line}" if several else line)
    return "\n".join(lines)[:2000]


def complaint_handler(project: Project) -> ProjectParty | None:
    """The supervision unit (监理), who handles complaints from the notice (the district sees
    them through its territory)."""
    return (
        ProjectParty.objects.filter(project=project, role=PartyRole.SUPERVISION)
        .select_related("organisation")
        .first()
    )


@dataclass(frozen=True)
class PublicParty:
    role: str
    role_label: str
    organisation: str
    responsible_person: str
    responsible_phone: str


@dataclass(frozen=True)
class PublicMilestone:
    name: str
    planned_on: dt.date
    reached_on: dt.date | None


@dataclass
class NoticeContent:
    """What the public page and the board show (no contract sums, no personal data beyond the
    responsible persons a board names)."""

    project: Project
    notice: ConstructionNotice
    compounds: list = field(default_factory=list)
    parties: list[PublicParty] = field(default_factory=list)
    scope_lines: list[str] = field(default_factory=list)
    milestones: list[PublicMilestone] = field(default_factory=list)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    progress: object = None
    is_building: bool = False

    @property
    def actual_percent(self):
        return self.progress.actual if self.progress is not None else None

    @property
    def progress_week(self):
        return self.progress.actual_week if self.progress is not None else None


def notice_content(project: Project, notice: ConstructionNotice) -> NoticeContent:
    parties = [
        PublicParty(
            role=party.role,
            role_label=party.get_role_display(),
            organisation=party.organisation.name,
            responsible_person=party.responsible_person,
            responsible_phone=party.responsible_phone,
        )
        for party in ProjectParty.objects.filter(project=project)
        .select_related("organisation")
        .order_by("role")
    ]
    order = {PartyRole.CONSTRUCTION: 0, PartyRole.SUPERVISION: 1, PartyRole.DESIGN: 2}
    parties.sort(key=lambda party: order.get(party.role, 9))
    contract = ProjectParty.objects.filter(project=project, role=PartyRole.CONSTRUCTION).first()
    milestones = [
        PublicMilestone(m.name, m.planned_on, m.reached_on)
        for m in Milestone.objects.filter(project=project).order_by("planned_on", "position", "pk")
    ]
    return NoticeContent(
        project=project,
        notice=notice,
        compounds=list(project.compounds.order_by("code")),
        parties=parties,
        scope_lines=[line for line in notice.scope_summary.splitlines() if line.strip()],
        milestones=milestones,
        starts_on=contract.starts_on if contract else project.starts_on,
        ends_on=contract.ends_on if contract else project.ends_on,
        progress=schedule_selectors.progress_of(project),
        is_building=project.stage == Stage.BUILDING,
    )


# --- complaints ---------------------------------------------------------------------------------


def complaints_of(project: Project) -> QuerySet:
    """The problem reports filed through this project's notice, newest first."""
    from anju.stewardship.models import Channel, ProblemReport

    return (
        ProblemReport.objects.filter(project=project, channel=Channel.CONSTRUCTION_NOTICE)
        .select_related("category", "compound", "handler_organisation")
        .order_by("-submitted_at", "-pk")
    )


@dataclass(frozen=True)
class PublicComplaint:
    """A complaint as the public page lists it: no household, no caller, no description."""

    number: str
    category: str
    status: str
    status_label: str
    submitted_on: dt.date
    due_on: dt.date
    resolved_on: dt.date | None
    is_overdue: bool


def public_complaints(project: Project, day: dt.date | None = None) -> list[PublicComplaint]:

    day = day or calendar_today()
    return [
        PublicComplaint(
            number=report.number,
            category=report.category.label,
            status=report.status,
            status_label=report.get_status_display(),
            submitted_on=report.submitted_at.astimezone(SHANGHAI).date(),
            due_on=report.due_on,
            resolved_on=report.resolved_at.astimezone(SHANGHAI).date()
            if report.resolved_at
            else None,
            is_overdue=report.is_overdue(day),
        )
        for report in complaints_of(project).filter(duplicate_of__isnull=True)
    ]


def notices_during_works(compound) -> QuerySet[Project]:
    """Projects holding the compound whose construction notice is published while the works
    are on (approved or building): what the residents of that compound should be able to read."""
    return (
        Project.objects.filter(
            compounds=compound,
            stage__in=(Stage.APPROVED, Stage.BUILDING),
            construction_notice__isnull=False,
        )
        .select_related("construction_notice")
        .order_by("code")
    )
