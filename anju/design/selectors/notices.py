"""Notices (方案公示) as staff and residents may see them.

Staff reach a notice through its project (`projects_in_scope`): another district's notice
answers the same not-found as a missing one. Residents reach it through their household: a
notice of a project that holds their compound, nothing else. What a notice shows (items by
category, totals, the residents' share, the needs answered) is read from its version, which is
never edited once noticed, so the portal, the workbench and the PDF print the same figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from anju.catalogue.models import Payer, catalogue_order_key
from anju.core.calendar import today
from anju.core.errors import NotFound
from anju.core.scope import Scope
from anju.planning.models import Project
from anju.territory.models import Household

from ..models import Notice, Objection, PlanVersion
from .plans import need_answers, plan_totals
from .projects import projects_in_scope

# anju's default notice period for plans (DOMAIN.md: no national period was found; a city
# may set its own). Counted in working days from the holiday table, the opening day excluded.
DEFAULT_NOTICE_WORKING_DAYS = 7


# --- staff -----------------------------------------------------------------------------------


def notices_in_scope(scope: Scope) -> QuerySet:
    return Notice.objects.filter(version__project__in=projects_in_scope(scope)).select_related(
        "version", "version__project", "version__project__district"
    )


def get_notice(scope: Scope, pk) -> Notice:
    notice = notices_in_scope(scope).filter(pk=pk).first()
    if notice is None:
        raise NotFound()
    return notice


def get_objection(scope: Scope, pk) -> Objection:
    objection = (
        Objection.objects.filter(notice__in=notices_in_scope(scope), pk=pk)
        .select_related("notice__version__project", "household__unit__building")
        .first()
    )
    if objection is None:
        raise NotFound()
    return objection


def notice_of(version: PlanVersion) -> Notice | None:
    return Notice.objects.filter(version=version).first()


def current_notice(project: Project) -> Notice | None:
    """The project's newest notice: a new version noticed again replaces the one before."""
    return (
        Notice.objects.filter(version__project=project)
        .select_related("version", "version__project")
        .order_by("-published_at", "-pk")
        .first()
    )


def objections_of(notice: Notice) -> QuerySet:
    return notice.objections.select_related("household__unit__building", "answered_by").order_by(
        "created_at", "pk"
    )


def default_closing_date(opens_on: dt.date, calendar=None) -> dt.date:
    from anju.core.calendar import WorkingCalendar

    calendar = calendar or WorkingCalendar.from_database()
    return calendar.add_working_days(opens_on, DEFAULT_NOTICE_WORKING_DAYS)


def is_open(notice: Notice, day: dt.date | None = None) -> bool:
    """Objections are taken from the opening day through the closing day, both included."""
    day = day or today()
    return notice.opens_on <= day <= notice.closes_on


def notice_blockers(version: PlanVersion) -> list[str]:
    """What keeps a noticed version from joint review: no notice, the period still running,
    objections without an answer (comments need none). Empty when it may go to review."""
    notice = notice_of(version)
    if notice is None:
        return [_("方案尚未公示。")]
    blockers = []
    if today() <= notice.closes_on:
        blockers.append(
            _("公示期至 %(date)s 结束，尚未届满。") % {"date": date_format(notice.closes_on)}
        )
    unanswered = notice.objections.filter(kind=Objection.Kind.OBJECTION, answer="").count()
    if unanswered:
        blockers.append(_("尚有 %(count)s 条异议未答复。") % {"count": unanswered})
    return blockers


# --- residents -------------------------------------------------------------------------------


def notices_for_household(household: Household) -> QuerySet:
    return (
        Notice.objects.filter(version__project__compounds=household.compound_id)
        .select_related("version", "version__project")
        .distinct()
    )


def get_notice_for_household(household: Household, pk) -> Notice:
    """A notice of a project that holds the household's compound; any other: not found."""
    notice = notices_for_household(household).filter(pk=pk).first()
    if notice is None:
        raise NotFound()
    return notice


def current_notice_for_household(household: Household) -> Notice | None:
    return notices_for_household(household).order_by("-published_at", "-pk").first()


# --- what a notice shows ---------------------------------------------------------------------


@dataclass
class CategoryBlock:
    category: str
    label: str
    total: Decimal
    items: list = field(default_factory=list)


@dataclass
class PayerLine:
    payer: str
    label: str
    total: Decimal


@dataclass
class NoticeContent:
    """The printed content of a version: the lines, their sums, and the needs answered."""

    compounds: list
    categories: list[CategoryBlock]
    payers: list[PayerLine]
    total: Decimal
    residents_items: list
    residents_share: Decimal
    covered_needs: list
    uncovered_needs: list
    shows_compound: bool


def notice_content(version: PlanVersion) -> NoticeContent:
    """Items by category (基础类, 完善类, 提升类) with their costs, the totals by category and
    by payer (`plans.plan_totals`, the figures every page reads), the residents' share (the
    lines residents pay, 谁受益、谁出资), and which of the residents' top needs the plan covers
    and which not, with the reason (`plans.need_answers`)."""
    items = sorted(
        version.items.select_related("item", "compound"),
        key=lambda line: (catalogue_order_key(line.item), line.compound_id, line.pk),
    )
    totals = plan_totals(version)
    blocks = {
        value: CategoryBlock(value, str(label), amount)
        for value, label, amount in totals.category_rows()
    }
    for line in items:
        blocks[line.item.category].items.append(line)
    answers = need_answers(version)
    residents_items = [line for line in items if line.payer == Payer.RESIDENTS]
    compounds = list(version.project.compounds.order_by("code"))
    return NoticeContent(
        compounds=compounds,
        categories=[block for block in blocks.values() if block.items],
        payers=[
            PayerLine(value, str(label), amount)
            for value, label, amount in totals.payer_rows()
            if amount
        ],
        total=totals.total,
        residents_items=residents_items,
        residents_share=totals.by_payer[Payer.RESIDENTS],
        covered_needs=[answer for answer in answers if answer.is_covered],
        uncovered_needs=[answer for answer in answers if not answer.is_covered],
        shows_compound=len(compounds) > 1,
    )


def how_to_object(notice: Notice) -> str:
    """The notice's own instructions, or anju's default wording."""
    if notice.how_to_object:
        return notice.how_to_object
    return _(
        "公示期内，住户可凭住户码登录居民端，在本公示页面提出意见或异议；也可向社区居委会"
        "书面反映。每条异议都会得到公开答复。"
    )
