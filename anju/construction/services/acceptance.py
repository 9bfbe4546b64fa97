"""Joint completion acceptance (联合竣工验收): the district task force (or the city office)
opens a session for a building project, invites the review departments, the parties, the
office and residents' representatives chosen from the compound's households; each fills the
checklist (the approved plan's items, pass or fail with a note) and signs an opinion; defects
get an owner (a party) and a due date; the outcome is passed, passed with conditions, or
failed.

Only a pass, or conditions all cleared, moves the project from building to accepted (design's
`move_project_stage`, in the same transaction), and never while a critical inspection finding
is open. A session is decided only with at least `ANJU_ACCEPTANCE_MIN_RESIDENT_REPRESENTATIVES`
residents' representatives who gave their opinion (ARCHITECTURE.md: "joint acceptance passed,
residents' representatives included"). A failed session leaves the project building; a new
session may then be opened.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.access.models import Organisation
from anju.core.errors import Conflict, DomainError, PermissionDenied
from anju.core.scope import Scope
from anju.design.services.projects import move_project_stage
from anju.planning.models import Project
from anju.territory.models import Household, Stage

from .. import events, rules
from ..models import (
    AcceptanceCheck,
    AcceptanceDefect,
    AcceptanceSession,
    Participant,
    ProjectParty,
)
from ..selectors import acceptance as selectors

Outcome = AcceptanceSession.Outcome
OPINIONS = ("agree", "conditional", "disagree")
CHANNELS = ("workbench", "portal", "paper")


def _full_clean(instance, message) -> None:
    try:
        instance.full_clean()
    except ValidationError as error:
        raise DomainError(message, fields=error.message_dict) from error


def _require_organiser(scope: Scope, project: Project) -> None:
    if not rules.may_manage_construction(scope, project):
        raise PermissionDenied(_("只有项目所在区的工作专班或市改造办可以组织竣工验收。"))
    if project.stage not in rules.ACCEPTANCE_STAGES:
        raise DomainError(
            _("项目处于“%(stage)s”阶段，只有施工中的项目可以组织竣工验收。")
            % {"stage": Stage(project.stage).label},
            code="wrong_stage",
        )


def _require_undecided(session: AcceptanceSession) -> None:
    if session.outcome:
        raise Conflict(_("本次验收已作出结论，不能再修改。"), code="already_decided")


def _actor_or_none(actor):
    return actor if getattr(actor, "pk", None) else None


# --- opening and inviting --------------------------------------------------------------------


def open_session(
    *, actor, scope: Scope, project: Project, scheduled_on: dt.date, place: str = ""
) -> AcceptanceSession:
    """Open a session; the project's parties and the office (the organiser) are invited at
    once. Refused while another session is undecided or has already accepted the project."""
    _require_organiser(scope, project)
    if not selectors.checklist(project):
        raise DomainError(
            _("项目没有审查通过的改造方案条目，无法形成验收清单。"), code="no_checklist"
        )
    with transaction.atomic(durable=True):
        Project.objects.select_for_update().filter(pk=project.pk).first()
        current = selectors.current_session(project)
        if current is not None:
            raise Conflict(
                _("本项目已有一次未完成或已通过的验收（%(day)s），不能再组织新的验收。")
                % {"day": current.scheduled_on.isoformat()},
                code="session_exists",
            )
        session = AcceptanceSession(
            project=project,
            scheduled_on=scheduled_on,
            place=place.strip(),
            organised_by=_actor_or_none(actor),
        )
        _full_clean(session, _("验收安排有误。"))
        session.save()
        events.acceptance_opened(actor=actor, session=session)
        for party in ProjectParty.objects.filter(project=project).select_related("organisation"):
            _invite(
                actor=actor,
                participant=Participant(
                    session=session,
                    kind=Participant.Kind.PARTY,
                    name=party.responsible_person,
                    party=party,
                    organisation=party.organisation,
                ),
            )
        organiser_name = (getattr(actor, "get_full_name", lambda: "")() or "").strip()
        organiser_name = organiser_name or getattr(actor, "username", "") or _("改造办")
        _invite(
            actor=actor,
            participant=Participant(
                session=session,
                kind=Participant.Kind.OFFICE,
                name=organiser_name[:40],
                user=_actor_or_none(actor),
            ),
        )
    return session


def _invite(*, actor, participant: Participant) -> Participant:
    # One representative per household is the database's to enforce (the constraint below).
    try:
        participant.full_clean(validate_constraints=False)
    except ValidationError as error:
        raise DomainError(_("参加人信息有误。"), fields=error.message_dict) from error
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError as error:
        raise Conflict(_("该住户已是本次验收的居民代表。"), code="already_invited") from error
    events.participant_invited(actor=actor, participant=participant)
    return participant


@dataclass(frozen=True)
class Invitation:
    """Who to invite: a department (an organisation of kind department, or a named person),
    the office, or a residents' representative (a household of the project's compounds)."""

    kind: str
    name: str = ""
    organisation: Organisation | None = None
    household: Household | None = None


def invite_participants(
    *, actor, scope: Scope, session: AcceptanceSession, invitations: list[Invitation]
) -> list[Participant]:
    """Invite participants to an undecided session (all of them, or none)."""
    project = session.project
    _require_organiser(scope, project)
    _require_undecided(session)
    if not invitations:
        raise DomainError(_("请选择要邀请的参加人。"), fields={"kind": [_("必填")]})
    compound_ids = set(project.compounds.values_list("pk", flat=True))
    participants = []
    for invitation in invitations:
        participants.append(_participant_for(session, invitation, compound_ids))
    with transaction.atomic(durable=True):
        return [_invite(actor=actor, participant=p) for p in participants]


def _participant_for(session, invitation: Invitation, compound_ids: set) -> Participant:
    kind = invitation.kind
    name = (invitation.name or "").strip()
    if kind == Participant.Kind.RESIDENT:
        household = invitation.household
        if household is None or household.compound_id not in compound_ids:
            raise DomainError(
                _("居民代表须从本项目小区的住户中选出。"),
                fields={"households": [_("不是本项目小区的住户")]},
            )
        name = name or household.owner_name
        if not name:
            raise DomainError(
                _("住户没有登记业主姓名，请填写居民代表姓名。"),
                fields={"name": [_("必填")]},
            )
        return Participant(session=session, kind=kind, name=name[:40], household=household)
    if kind == Participant.Kind.DEPARTMENT:
        organisation = invitation.organisation
        if organisation is not None and organisation.kind != Organisation.Kind.DEPARTMENT:
            raise DomainError(
                _("“%(organisation)s”不是行业审查部门。") % {"organisation": organisation.name},
                fields={"organisation": [_("机构类型不符")]},
            )
        if organisation is None and not name:
            raise DomainError(
                _("请选择部门或填写参加人姓名。"), fields={"organisation": [_("必填")]}
            )
        return Participant(
            session=session,
            kind=kind,
            name=(name or organisation.name)[:40],
            organisation=organisation,
        )
    if kind == Participant.Kind.OFFICE:
        if not name:
            raise DomainError(_("请填写参加人姓名。"), fields={"name": [_("必填")]})
        return Participant(session=session, kind=kind, name=name[:40])
    raise DomainError(
        _("参建单位在组织验收时已自动邀请；请选择部门、改造办或居民代表。"),
        fields={"kind": [_("参加方不符")]},
    )


def remove_participant(*, actor, scope: Scope, participant: Participant) -> None:
    """Take someone who did not come off an undecided session's list (their checks go too)."""
    session = participant.session
    _require_organiser(scope, session.project)
    _require_undecided(session)
    with transaction.atomic(durable=True):
        events.participant_removed(actor=actor, participant=participant)
        participant.delete()


# --- the checklist ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckAnswer:
    code: str
    result: str
    note: str = ""


def check_checklist(
    *, session: AcceptanceSession, answers: list[CheckAnswer], opinion: str, channel: str
) -> dict[str, CheckAnswer]:
    """Refuse a checklist before anything is written: every line of the approved plan answered
    pass or fail (a fail says why), no line that is not on it, and an opinion."""
    _require_undecided(session)
    lines = {line.code: line for line in selectors.checklist(session.project)}
    given = {}
    errors = {}
    for answer in answers:
        if answer.code not in lines:
            errors.setdefault("checks", []).append(
                _("“%(code)s”不在本项目的验收清单上。") % {"code": answer.code}
            )
            continue
        if answer.result not in AcceptanceCheck.Result.values:
            errors.setdefault("checks", []).append(
                _("“%(item)s”请选择合格或不合格。") % {"item": lines[answer.code].label}
            )
            continue
        if answer.result == AcceptanceCheck.Result.FAIL and not answer.note.strip():
            errors.setdefault("checks", []).append(
                _("“%(item)s”不合格，请说明原因。") % {"item": lines[answer.code].label}
            )
            continue
        given[answer.code] = answer
    missing = [line.label for code, line in lines.items() if code not in given]
    if missing and not errors:
        errors["checks"] = [
            _("还有 %(count)s 项未填写：%(items)s。")
            % {"count": len(missing), "items": "、".join(missing)}
        ]
    if opinion not in OPINIONS:
        errors["opinion"] = [_("请选择验收意见")]
    if channel not in CHANNELS:
        errors["channel"] = [_("未知的填报方式")]
    if errors:
        details = [str(message) for messages in errors.values() for message in messages]
        raise DomainError(
            _("验收意见未完成：%(details)s") % {"details": " ".join(details)}, fields=errors
        )
    return {code: given[code] for code in lines}


def record_checklist(
    *,
    actor,
    scope: Scope,
    participant: Participant,
    answers: list[CheckAnswer],
    opinion: str,
    comment: str = "",
    channel: str = "workbench",
) -> Participant:
    """A participant's checklist and opinion, typed by them in the workbench or recorded by
    the organisers from the paper form they signed (`channel="paper"`). Recording again
    replaces the earlier answers while the session is undecided."""
    if not rules.may_fill_checklist_for(scope, participant):
        raise PermissionDenied(_("您不能填写这位参加人的验收意见。"))
    if channel == "paper" and not rules.may_manage_construction(scope, participant.session.project):
        raise PermissionDenied(_("只有组织验收的工作人员可以录入纸质签字的意见。"))
    if channel == "portal":
        raise PermissionDenied(_("居民端的意见只能由居民本人在居民端填写。"))
    return _write_checklist(
        actor=actor,
        participant=participant,
        answers=answers,
        opinion=opinion,
        comment=comment,
        channel=channel,
    )


def submit_resident_checklist(
    *,
    household: Household,
    participant: Participant,
    answers: list[CheckAnswer],
    opinion: str,
    comment: str = "",
) -> Participant:
    """A residents' representative fills the checklist on the portal, signed in with the
    household's code: only their own participation, only while the session is undecided."""
    if participant.kind != Participant.Kind.RESIDENT or participant.household_id != household.pk:
        raise PermissionDenied(_("您不是本次验收的居民代表。"))
    if participant.session.project.stage not in rules.ACCEPTANCE_STAGES:
        raise DomainError(_("本次验收已结束。"), code="wrong_stage")
    return _write_checklist(
        actor=None,
        participant=participant,
        answers=answers,
        opinion=opinion,
        comment=comment,
        channel="portal",
    )


def _write_checklist(*, actor, participant, answers, opinion, comment, channel) -> Participant:
    session = participant.session
    given = check_checklist(session=session, answers=answers, opinion=opinion, channel=channel)
    labels = {line.code: line.label for line in selectors.checklist(session.project)}
    with transaction.atomic(durable=True):
        locked = AcceptanceSession.objects.select_for_update().get(pk=session.pk)
        _require_undecided(locked)
        participant.checks.all().delete()
        checks = [
            AcceptanceCheck(
                participant=participant,
                item_code=code,
                item_label=labels[code],
                result=answer.result,
                note=answer.note.strip()[:300],
            )
            for code, answer in given.items()
        ]
        for check in checks:
            _full_clean(check, _("验收意见有误。"))
        AcceptanceCheck.objects.bulk_create(checks)
        participant.opinion = opinion
        participant.comment = comment.strip()[:500]
        participant.channel = channel
        participant.signed_at = timezone.now()
        _full_clean(participant, _("验收意见有误。"))
        participant.save(update_fields=["opinion", "comment", "channel", "signed_at"])
        failed = sum(1 for check in checks if check.result == AcceptanceCheck.Result.FAIL)
        events.checklist_recorded(
            actor=actor, participant=participant, passed=len(checks) - failed, failed=failed
        )
    return participant


# --- defects ---------------------------------------------------------------------------------


def record_defect(
    *,
    actor,
    scope: Scope,
    session: AcceptanceSession,
    description: str,
    owner: ProjectParty | None,
    due_on: dt.date | None,
) -> AcceptanceDefect:
    """A defect found at the session: what, which party puts it right, by when."""
    project = session.project
    _require_organiser(scope, project)
    _require_undecided(session)
    errors = {}
    if owner is None or owner.project_id != project.pk:
        errors["owner"] = [_("请选择本项目的参建单位")]
    if due_on is None:
        errors["due_on"] = [_("必填")]
    elif due_on < session.scheduled_on:
        errors["due_on"] = [_("整改期限不能早于验收日期")]
    if not description.strip():
        errors["description"] = [_("必填")]
    if errors:
        raise DomainError(_("验收问题信息不完整。"), fields=errors)
    with transaction.atomic(durable=True):
        defect = AcceptanceDefect(
            session=session, description=description.strip(), owner=owner, due_on=due_on
        )
        _full_clean(defect, _("验收问题信息有误。"))
        defect.save()
        events.defect_recorded(actor=actor, defect=defect)
    return defect


def clear_defect(
    *, actor, scope: Scope, defect: AcceptanceDefect, note: str, cleared_on: dt.date | None = None
) -> AcceptanceDefect:
    """A defect put right (verified by the organisers or the supervision unit), with a note."""
    project = defect.session.project
    if not rules.may_clear_defect(scope, project):
        raise PermissionDenied(_("只有组织验收的工作人员或监理单位可以确认整改完成。"))
    if not note.strip():
        raise DomainError(_("请说明整改情况。"), fields={"note": [_("必填")]})
    with transaction.atomic(durable=True):
        locked = AcceptanceDefect.objects.select_for_update().get(pk=defect.pk)
        if locked.cleared_on is not None:
            raise Conflict(_("该问题已确认整改完成。"), code="already_cleared")
        locked.cleared_on = cleared_on or timezone.localdate()
        locked.cleared_note = note.strip()[:300]
        _full_clean(locked, _("整改情况有误。"))
        locked.save(update_fields=["cleared_on", "cleared_note"])
        events.defect_cleared(actor=actor, defect=locked)
    defect.cleared_on, defect.cleared_note = locked.cleared_on, locked.cleared_note
    return defect


# --- the outcome -----------------------------------------------------------------------------


def certificate_number(session: AcceptanceSession) -> str:
    """YS-<project code>-<n>: the n-th certificate of the project (one per accepted session)."""
    issued = (
        AcceptanceSession.objects.filter(project=session.project)
        .exclude(certificate_number="")
        .count()
    )
    return f"YS-{session.project.code}-{issued + 1:02d}"[:30]


def decide_outcome(
    *, actor, scope: Scope, session: AcceptanceSession, outcome: str, conditions: str = ""
) -> AcceptanceSession:
    """Record the session's outcome. Passed moves the project to accepted; passed with
    conditions waits for every defect to be cleared (`clear_conditions`); failed leaves it
    building. Refused, changing nothing, while the residents' representatives are too few,
    someone invited has not given an opinion, or (for any pass) a critical finding is open."""
    project = session.project
    _require_organiser(scope, project)
    if outcome not in Outcome.values:
        raise DomainError(_("请选择验收结论。"), fields={"outcome": [_("必填")]})
    conditions = conditions.strip()
    if outcome == Outcome.CONDITIONAL and not conditions:
        raise DomainError(_("有条件通过须写明整改条件。"), fields={"conditions": [_("必填")]})
    with transaction.atomic(durable=True):
        locked = AcceptanceSession.objects.select_for_update().get(pk=session.pk)
        locked.project = project
        blockers = selectors.decision_blockers(locked, outcome)
        if blockers:
            messages = [message for _code, message in blockers]
            raise DomainError(" ".join(messages), code=blockers[0][0], fields={"outcome": messages})
        locked.outcome = outcome
        locked.conditions = conditions if outcome == Outcome.CONDITIONAL else ""
        locked.decided_at = timezone.now()
        locked.decided_by = _actor_or_none(actor)
        if outcome != Outcome.FAILED:
            locked.certificate_number = certificate_number(locked)
        _full_clean(locked, _("验收结论有误。"))
        locked.save()
        events.acceptance_decided(actor=actor, session=locked)
        if outcome == Outcome.PASSED:
            move_project_stage(
                actor=actor,
                project=project,
                to_stage=Stage.ACCEPTED,
                reason=_("联合竣工验收合格（%(number)s）") % {"number": locked.certificate_number},
            )
    return locked


def clear_conditions(*, actor, scope: Scope, session: AcceptanceSession) -> AcceptanceSession:
    """A conditional pass becomes acceptance once every defect is cleared and no critical
    finding is open: the project moves to accepted."""
    project = session.project
    _require_organiser(scope, project)
    if session.outcome != Outcome.CONDITIONAL:
        raise DomainError(_("只有有条件通过的验收需要确认整改条件。"), code="not_conditional")
    with transaction.atomic(durable=True):
        locked = AcceptanceSession.objects.select_for_update().get(pk=session.pk)
        if locked.conditions_cleared_at is not None:
            raise Conflict(_("整改条件已确认完成。"), code="already_cleared")
        reasons = []
        left = selectors.open_defects(locked).count()
        if left:
            reasons.append(_("还有 %(count)s 项验收问题未整改。") % {"count": left})
        findings = list(
            selectors.open_critical_findings(project).values_list("order_number", flat=True)
        )
        if findings:
            reasons.append(
                _("存在未销项的严重质量安全问题，不能通过验收：%(orders)s。")
                % {"orders": "、".join(findings)}
            )
        if reasons:
            raise DomainError(
                " ".join(reasons),
                code="open_critical_findings" if findings else "open_defects",
                fields={"conditions": reasons},
            )
        locked.conditions_cleared_at = timezone.now()
        locked.save(update_fields=["conditions_cleared_at"])
        events.acceptance_conditions_cleared(actor=actor, session=locked)
        move_project_stage(
            actor=actor,
            project=project,
            to_stage=Stage.ACCEPTED,
            reason=_("竣工验收整改条件全部完成（%(number)s）")
            % {"number": locked.certificate_number},
        )
    return locked
