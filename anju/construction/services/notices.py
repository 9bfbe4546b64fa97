"""The construction notice (施工公示) and the complaints filed through it.

- Publishing: the project's district task force or the city office (`rules.may_publish_notice`)
  publishes the notice once the project is approved (or building) and its construction and
  supervision units are named: the scope of works (by default the approved plan's items,
  `selectors.notices.default_scope_summary`), working hours, the complaint phone and a safety
  note. Publishing again replaces the text (one notice per project, the board is reprinted);
  both are audited, a republication with the fields that changed.
- Complaints: a household of one of the project's compounds complains from the public page.
  It becomes stewardship's problem report (`file_report`, channel "construction_notice", the
  project named), handled by the project's supervision unit (监理) and seen by the district
  through its territory; the complainant follows it among their reports and the page lists it
  without personal data. A household of another compound, a project without a published
  notice or without a supervision unit is refused before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.scope import Scope
from anju.planning.models import Project
from anju.stewardship.models import Channel, HandlerKind
from anju.stewardship.selectors.reports import Route
from anju.stewardship.services import file_report
from anju.territory.models import Building, Compound, Household

from .. import events, rules
from ..models import ConstructionNotice, PartyRole, ProjectParty
from ..selectors import notices as selectors

PHONE = re.compile(r"^\+?[0-9][0-9\- ]{4,18}[0-9]$")
NEEDED_PARTIES = (PartyRole.CONSTRUCTION, PartyRole.SUPERVISION)


# --- publishing ----------------------------------------------------------------------------


def check_may_publish(scope: Scope, project: Project) -> None:
    if not rules.may_manage_construction(scope, project):
        raise PermissionDenied(_("只有项目所在区的工作专班或市改造办可以发布施工公示。"))
    if not rules.may_publish_notice(scope, project):
        raise DomainError(_("施工公示在项目通过联合审查后、竣工验收前发布。"), code="wrong_stage")
    named = set(
        ProjectParty.objects.filter(project=project, role__in=NEEDED_PARTIES).values_list(
            "role", flat=True
        )
    )
    missing = [str(PartyRole(role).label) for role in NEEDED_PARTIES if role not in named]
    if missing:
        raise DomainError(
            _("请先确定%(roles)s，施工公示要写明参建单位。") % {"roles": "、".join(missing)},
            code="parties_missing",
        )


def check_notice_text(
    *, scope_summary: str, working_hours: str, complaint_phone: str, safety_note: str
) -> dict:
    """The notice's fields, stripped; a blank scope or a phone that cannot be dialled is
    refused with the field named."""
    values = {
        "scope_summary": (scope_summary or "").strip(),
        "working_hours": (working_hours or "").strip(),
        "complaint_phone": (complaint_phone or "").strip(),
        "safety_note": (safety_note or "").strip(),
    }
    errors = {}
    if not values["scope_summary"]:
        errors["scope_summary"] = [_("请写明施工内容。")]
    if not PHONE.match(values["complaint_phone"]):
        errors["complaint_phone"] = [_("请填写可以拨打的投诉电话。")]
    if errors:
        message = next(iter(errors.values()))[0]
        raise DomainError(message, code="invalid_notice", fields=errors)
    return values


def publish_notice(
    *,
    actor,
    scope: Scope,
    project: Project,
    scope_summary: str,
    working_hours: str,
    complaint_phone: str,
    safety_note: str = "",
) -> ConstructionNotice:
    """Publish the project's construction notice, or republish it with new text."""
    values = check_notice_text(
        scope_summary=scope_summary,
        working_hours=working_hours,
        complaint_phone=complaint_phone,
        safety_note=safety_note,
    )
    with transaction.atomic(durable=True):
        project = Project.objects.select_for_update().get(pk=project.pk)
        check_may_publish(scope, project)
        notice = ConstructionNotice.objects.filter(project=project).first()
        before = events.notice_snapshot(notice) if notice is not None else None
        if notice is None:
            notice = ConstructionNotice(project=project)
        for name, value in values.items():
            setattr(notice, name, value)
        notice.published_by = actor if getattr(actor, "pk", None) else None
        notice.published_at = timezone.now()
        try:
            notice.full_clean()
        except ValidationError as error:
            raise DomainError(
                next(iter(error.message_dict.values()))[0],
                code="invalid_notice",
                fields=error.message_dict,
            ) from error
        notice.save()
        events.notice_published(actor=actor, notice=notice, before=before)
    return notice


# --- complaints ----------------------------------------------------------------------------


def check_may_complain(scope: Scope, project: Project) -> tuple[Household, Compound]:
    """The complaining household and its compound, which must be one of the project's."""
    if not scope.is_resident:
        raise PermissionDenied(_("请先用住户码登录，再投诉。"))
    household = Household.objects.filter(pk=scope.household_id).select_related("compound").first()
    if household is None:
        raise NotFound()
    if not project.compounds.filter(pk=household.compound_id).exists():
        message = _("您家不在本项目的改造小区内，只有本项目小区的住户可以通过这份公示投诉。")
        raise PermissionDenied(message, code="not_in_project")
    return household, household.compound


def file_complaint(
    *,
    actor,
    scope: Scope,
    project: Project,
    category,
    description: str,
    photos: Sequence = (),
    building: Building | None = None,
):
    """A household's complaint from the project's notice → stewardship's problem report,
    routed to the project's supervision unit. Returns the ProblemReport."""
    if selectors.notice_of(project) is None:
        raise NotFound(_("本项目还没有发布施工公示。"))
    compound = check_may_complain(scope, project)[1]
    handler = selectors.complaint_handler(project)
    if handler is None:
        raise DomainError(
            _("本项目还没有确定监理单位，暂时无法受理投诉，请拨打公示上的投诉电话。"),
            code="no_supervision_unit",
        )
    # file_report runs its own durable transaction: the report, its first step and its audit.
    return file_report(
        actor=actor,
        scope=scope,
        compound=compound,
        category=category,
        description=description,
        channel=Channel.CONSTRUCTION_NOTICE,
        photos=photos,
        building=building,
        project=project,
        route=Route(handler=HandlerKind.ORGANISATION, organisation=handler.organisation),
    )
