"""Joint completion acceptance (联合竣工验收) as the viewer may see it.

Sessions, participants and defects are found through the project (`projects_in_scope`), so a
session of a project outside the viewer's territory (or, for a construction unit, a project
it is no party to) answers the same not-found as an absent one.

The checklist every participant fills is the project's approved plan: one line per item of
its approved plan version (design's PlanVersion with status approved, the newest), so the
acceptance asks of each item whether it was built as the residents were promised.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from anju.core.errors import NotFound
from anju.core.scope import Scope
from anju.design.models import PlanItem, PlanVersion
from anju.planning.models import Project
from anju.territory.models import Household

from .. import rules
from ..models import AcceptanceDefect, AcceptanceSession, Finding, Participant, Severity
from .projects import projects_in_scope

# --- accessors -------------------------------------------------------------------------------


def sessions_in_scope(scope: Scope) -> QuerySet[AcceptanceSession]:
    return AcceptanceSession.objects.filter(project__in=projects_in_scope(scope)).select_related(
        "project", "project__district", "decided_by", "organised_by"
    )


def get_session(scope: Scope, pk) -> AcceptanceSession:
    session = sessions_in_scope(scope).filter(pk=pk).first()
    if session is None:
        raise NotFound()
    return session


def get_representative(household: Household, session_pk) -> Participant:
    """The household's place as a residents' representative in the session, for the portal:
    a session it was not invited to answers the same NotFound as one that does not exist."""
    participant = (
        Participant.objects.filter(
            session_id=session_pk, kind=Participant.Kind.RESIDENT, household=household
        )
        .select_related("session", "session__project")
        .first()
    )
    if participant is None:
        raise NotFound()
    return participant


def get_participant(scope: Scope, pk) -> Participant:
    participant = (
        Participant.objects.filter(pk=pk, session__in=sessions_in_scope(scope))
        .select_related("session", "session__project", "party", "household", "organisation")
        .first()
    )
    if participant is None:
        raise NotFound()
    return participant


def get_defect(scope: Scope, pk) -> AcceptanceDefect:
    defect = (
        AcceptanceDefect.objects.filter(pk=pk, session__in=sessions_in_scope(scope))
        .select_related("session", "session__project", "owner", "owner__organisation")
        .first()
    )
    if defect is None:
        raise NotFound()
    return defect


def sessions_of(project: Project) -> QuerySet[AcceptanceSession]:
    return project.acceptance_sessions.select_related("decided_by").order_by("-scheduled_on", "-pk")


def participants_of(session: AcceptanceSession) -> QuerySet[Participant]:
    return session.participants.select_related(
        "party", "party__organisation", "organisation", "household", "household__unit__building"
    ).annotate(
        check_count=Count("checks"), failed_count=Count("checks", filter=Q(checks__result="fail"))
    )


def defects_of(session: AcceptanceSession) -> QuerySet[AcceptanceDefect]:
    return session.defects.select_related("owner", "owner__organisation")


def open_defects(session: AcceptanceSession) -> QuerySet[AcceptanceDefect]:
    return session.defects.filter(cleared_on__isnull=True)


def current_session(project: Project) -> AcceptanceSession | None:
    """The session that blocks opening another: one not yet decided, or one that accepted the
    project (passed, or passed with conditions). A failed session does not."""
    return (
        project.acceptance_sessions.filter(
            Q(outcome="")
            | Q(
                outcome__in=[
                    AcceptanceSession.Outcome.PASSED,
                    AcceptanceSession.Outcome.CONDITIONAL,
                ]
            )
        )
        .order_by("-pk")
        .first()
    )


# --- the checklist ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistLine:
    """One line of the acceptance checklist: an item of the approved plan."""

    code: str
    label: str


def approved_version(project: Project) -> PlanVersion | None:
    """The plan the project was approved with (the newest approved version)."""
    return (
        PlanVersion.objects.filter(project=project, status=PlanVersion.Status.APPROVED)
        .order_by("-number")
        .first()
    )


def checklist(project: Project) -> list[ChecklistLine]:
    version = approved_version(project)
    if version is None:
        return []
    items = (
        PlanItem.objects.filter(version=version)
        .select_related("item", "compound")
        .order_by("compound__code", "item__position", "item__code", "pk")
    )
    several = project.compounds.count() > 1
    lines = []
    for plan_item in items:
        label = _("%(item)s（%(quantity)s%(unit)s）") % {
            "item": plan_item.item.name,
            "quantity": f"{plan_item.quantity.normalize():f}",
            "unit": plan_item.unit,
        }
        if several:
            label = f"{plan_item.compound.name} · {label}"
        lines.append(
            ChecklistLine(
                code=f"{plan_item.item.code}-{plan_item.compound.code}", label=label[:200]
            )
        )
    return lines


def checks_by_code(participant: Participant) -> dict[str, object]:
    return {check.item_code: check for check in participant.checks.all()}


# --- residents' representatives ---------------------------------------------------------------


def min_resident_representatives() -> int:
    return int(settings.ANJU_ACCEPTANCE_MIN_RESIDENT_REPRESENTATIVES)


def resident_candidates(session: AcceptanceSession) -> QuerySet[Household]:
    """Households of the project's compounds not yet invited to this session."""
    invited = session.participants.filter(household__isnull=False).values("household_id")
    return (
        Household.objects.filter(compound__in=session.project.compounds.all())
        .exclude(pk__in=invited)
        .select_related("unit", "unit__building", "compound")
        .order_by("compound__code", "unit__building__number", "unit__number", "room")
    )


def mask_name(name: str) -> str:
    """张** : the family name only (PIPL minimum exposure)."""
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def shown_name(participant: Participant, scope: Scope) -> str:
    """A residents' representative's name as this viewer may see it; other participants'
    names (officials, the parties' responsible people) are shown as they are."""
    if participant.kind != Participant.Kind.RESIDENT:
        return participant.name
    if rules.may_see_representative_names(scope, participant.session.project):
        return participant.name
    return mask_name(participant.name)


def household_address(household: Household | None) -> str:
    if household is None:
        return ""
    from anju.access.services import household_label

    return household_label(household)


# --- progress and blockers -------------------------------------------------------------------


@dataclass
class SessionProgress:
    participants: int
    signed: int
    residents: int
    residents_signed: int
    min_residents: int
    checklist_lines: int
    open_defects: int
    defects: int

    @property
    def has_enough_residents(self) -> bool:
        return self.residents_signed >= self.min_residents


def session_progress(session: AcceptanceSession) -> SessionProgress:
    participants = list(session.participants.values_list("kind", "signed_at"))
    residents = [signed for kind, signed in participants if kind == Participant.Kind.RESIDENT]
    defects = list(session.defects.values_list("cleared_on", flat=True))
    return SessionProgress(
        participants=len(participants),
        signed=sum(1 for _kind, signed in participants if signed),
        residents=len(residents),
        residents_signed=sum(1 for signed in residents if signed),
        min_residents=min_resident_representatives(),
        checklist_lines=len(checklist(session.project)),
        open_defects=sum(1 for cleared in defects if cleared is None),
        defects=len(defects),
    )


def open_critical_findings(project: Project) -> QuerySet[Finding]:
    """The project's critical inspection findings not yet closed (each blocks acceptance).
    Inspections' own selector when it exists, so both chapters read one rule."""
    try:
        from .inspections import open_critical_findings as from_inspections
    except ImportError:
        return Finding.objects.filter(project=project, severity=Severity.CRITICAL).exclude(
            status=Finding.Status.CLOSED
        )
    return from_inspections(project)


def decision_blockers(session: AcceptanceSession, outcome: str = "") -> list[tuple[str, str]]:
    """Why the session cannot be decided (with `outcome`, if given) yet, as (code, words for
    the person trying); empty when it can. The decision service refuses with the same
    reasons, so the page shows beforehand what the service would say."""
    if session.outcome:
        return [("already_decided", _("本次验收已作出结论。"))]
    reasons = []
    if outcome in (AcceptanceSession.Outcome.PASSED, AcceptanceSession.Outcome.CONDITIONAL):
        findings = list(
            open_critical_findings(session.project).values_list("order_number", flat=True)
        )
        if findings:
            reasons.append(
                (
                    "open_critical_findings",
                    _("存在未销项的严重质量安全问题，不能通过验收：%(orders)s。")
                    % {"orders": "、".join(findings)},
                )
            )
    progress = session_progress(session)
    if progress.residents_signed < progress.min_residents:
        reasons.append(
            (
                "too_few_representatives",
                _("居民代表至少 %(min)s 人参加并签署意见，目前 %(count)s 人。")
                % {"min": progress.min_residents, "count": progress.residents_signed},
            )
        )
    unsigned = progress.participants - progress.signed
    if unsigned:
        reasons.append(
            (
                "opinions_missing",
                _("还有 %(count)s 名参加人未填写验收意见（未到场的请移出参加人名单）。")
                % {"count": unsigned},
            )
        )
    if outcome == AcceptanceSession.Outcome.PASSED and progress.open_defects:
        reasons.append(
            (
                "open_defects",
                _("还有 %(count)s 项验收问题未整改，只能有条件通过或不通过。")
                % {"count": progress.open_defects},
            )
        )
    if outcome == AcceptanceSession.Outcome.CONDITIONAL and not progress.open_defects:
        reasons.append(
            (
                "no_defects",
                _("有条件通过须登记至少一项待整改的验收问题（责任单位和期限）。"),
            )
        )
    return reasons


def invitations_of(household: Household) -> QuerySet[Participant]:
    """The household's seats as a residents' representative at sessions still undecided."""
    return (
        Participant.objects.filter(
            kind=Participant.Kind.RESIDENT, household=household, session__outcome=""
        )
        .select_related("session", "session__project")
        .order_by("session__scheduled_on", "pk")
    )
