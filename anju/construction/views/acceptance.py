"""Workbench pages of joint completion acceptance (联合竣工验收): a project's sessions (and
opening one), the session page (participants, checklist progress, defects, the outcome), a
participant's checklist, and the certificate PDF (also the API's and, for the session's
residents' representatives, the portal's: `certificate_response`).

A screen each: one accessor (404 outside the viewer's territory, as for a missing record),
one service, render or redirect back to the session. The services check who may act
(`rules`); a refused form comes back with the service's reason (400).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anju.access.models import Organisation
from anju.access.views.portal import resident_required
from anju.core.decorators import staff_required
from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.forms import errors_on
from anju.territory import selectors as territory

from .. import rules
from ..forms import (
    AcceptanceChecklistForm,
    AcceptanceDecisionForm,
    AcceptanceDefectClearForm,
    AcceptanceDefectForm,
    AcceptanceInviteForm,
    AcceptanceOpenForm,
)
from ..models import AcceptanceSession
from ..pdf import certificate_pdf
from ..selectors import acceptance as selectors
from ..selectors.projects import get_project
from ..services import acceptance as services


def department_choices():
    return list(
        Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT)
        .order_by("name")
        .values_list("pk", "name")
    )


def household_choices(session):
    return [
        (household.pk, f"{household.compound.name} {selectors.household_address(household)}")
        for household in selectors.resident_candidates(session)
    ]


def party_choices(project):
    return [
        (party.pk, f"{party.get_role_display()} · {party.organisation.name}")
        for party in project.parties.select_related("organisation").order_by("role")
    ]


@staff_required
@require_http_methods(["GET", "POST"])
def project_acceptance(request, pk: int):
    """A project's acceptance sessions, and the form to open one (organisers only)."""
    scope = request.scope
    project = get_project(scope, pk)
    form = AcceptanceOpenForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with errors_on(form) as attempt:
                session = services.open_session(
                    actor=request.user,
                    scope=scope,
                    project=project,
                    scheduled_on=form.cleaned_data["scheduled_on"],
                    place=form.cleaned_data["place"],
                )
            if attempt.succeeded:
                messages.success(request, _("已组织竣工验收，请邀请行业部门和居民代表。"))
                return redirect("construction:acceptance-session", pk=session.pk)
        status = 400
    context = {
        "project": project,
        "sessions": selectors.sessions_of(project),
        "current": selectors.current_session(project),
        "form": form,
        "may_organise": rules.may_organise_acceptance(scope, project),
        "checklist": selectors.checklist(project),
    }
    return render(request, "construction/acceptance_list.html", context, status=status)


def session_context(request, session, **forms) -> dict:
    scope = request.scope
    project = session.project
    may_organise = rules.may_organise_acceptance(scope, project) and not session.outcome
    participants = [
        {
            "participant": participant,
            "name": selectors.shown_name(participant, scope),
            "address": selectors.household_address(participant.household),
            "may_fill": not session.outcome and rules.may_fill_checklist_for(scope, participant),
        }
        for participant in selectors.participants_of(session)
    ]
    defects = [
        (defect, AcceptanceDefectClearForm(prefix=f"d{defect.pk}"))
        for defect in selectors.defects_of(session)
    ]
    context = {
        "session": session,
        "project": project,
        "participants": participants,
        "progress": selectors.session_progress(session),
        "checklist": selectors.checklist(project),
        "defects": defects,
        "blockers": [message for _code, message in selectors.decision_blockers(session)],
        "critical_findings": list(selectors.open_critical_findings(project)),
        "may_organise": may_organise,
        "may_clear_defects": rules.may_clear_defect(scope, project),
        "may_clear_conditions": (
            rules.may_organise_acceptance(scope, project)
            and session.outcome == AcceptanceSession.Outcome.CONDITIONAL
            and session.conditions_cleared_at is None
        ),
        "has_certificate": bool(session.certificate_number),
    }
    if may_organise:
        context["invite_form"] = forms.get("invite_form") or AcceptanceInviteForm(
            departments=department_choices(), households=household_choices(session)
        )
        context["defect_form"] = forms.get("defect_form") or AcceptanceDefectForm(
            parties=party_choices(project)
        )
        context["decision_form"] = forms.get("decision_form") or AcceptanceDecisionForm()
    context["clear_form"] = forms.get("clear_form")
    context["conditions_error"] = forms.get("conditions_error")
    return context


def render_session(request, session, status=200, **forms):
    return render(
        request,
        "construction/acceptance_session.html",
        session_context(request, session, **forms),
        status=status,
    )


@staff_required
@require_GET
def acceptance_session(request, pk: int):
    session = selectors.get_session(request.scope, pk)
    return render_session(request, session)


@staff_required
@require_POST
def acceptance_invite(request, pk: int):
    scope = request.scope
    session = selectors.get_session(scope, pk)
    form = AcceptanceInviteForm(
        request.POST, departments=department_choices(), households=household_choices(session)
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"] == "resident":
            households = {
                h.pk: h
                for h in selectors.resident_candidates(session).filter(pk__in=data["households"])
            }
            invitations = [
                services.Invitation(kind="resident", household=households[pk])
                for pk in data["households"]
                if pk in households
            ]
            if len(data["households"]) == 1 and data["name"]:
                invitations = [
                    services.Invitation(kind="resident", household=i.household, name=data["name"])
                    for i in invitations
                ]
        else:
            organisation = (
                Organisation.objects.filter(pk=data["organisation"]).first()
                if data["organisation"]
                else None
            )
            invitations = [
                services.Invitation(kind=data["kind"], name=data["name"], organisation=organisation)
            ]
        with errors_on(form) as attempt:
            services.invite_participants(
                actor=request.user, scope=scope, session=session, invitations=invitations
            )
        if attempt.succeeded:
            messages.success(request, _("已邀请参加人。"))
            return redirect("construction:acceptance-session", pk=session.pk)
    return render_session(request, session, status=400, invite_form=form)


@staff_required
@require_POST
def acceptance_participant_remove(request, pk: int):
    scope = request.scope
    participant = selectors.get_participant(scope, pk)
    session = participant.session
    services.remove_participant(actor=request.user, scope=scope, participant=participant)
    messages.success(request, _("已移出参加人。"))
    return redirect("construction:acceptance-session", pk=session.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def acceptance_checklist(request, pk: int):
    """A participant's checklist: the approved plan's items, pass or fail with a note, and the
    opinion; typed by the participant, or recorded from the paper form they signed."""
    scope = request.scope
    participant = selectors.get_participant(scope, pk)
    session = participant.session
    lines = selectors.checklist(session.project)
    existing = selectors.checks_by_code(participant)
    initial = {"opinion": participant.opinion, "comment": participant.comment}
    initial["channel"] = (
        "paper"
        if participant.kind == "resident" and participant.user_id != request.user.pk
        else "workbench"
    )
    for index, line in enumerate(lines):
        if line.code in existing:
            initial[f"result_{index}"] = existing[line.code].result
            initial[f"note_{index}"] = existing[line.code].note
    form = AcceptanceChecklistForm(request.POST or None, lines=lines, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with errors_on(form) as attempt:
                services.record_checklist(
                    actor=request.user,
                    scope=scope,
                    participant=participant,
                    answers=form.answers(),
                    opinion=form.cleaned_data["opinion"],
                    comment=form.cleaned_data["comment"],
                    channel=form.cleaned_data["channel"],
                )
            if attempt.succeeded:
                messages.success(request, _("验收意见已记录。"))
                return redirect("construction:acceptance-session", pk=session.pk)
        status = 400
    context = {
        "participant": participant,
        "name": selectors.shown_name(participant, scope),
        "address": selectors.household_address(participant.household),
        "session": session,
        "project": session.project,
        "form": form,
        "may_fill": not session.outcome and rules.may_fill_checklist_for(scope, participant),
    }
    return render(request, "construction/acceptance_checklist.html", context, status=status)


@staff_required
@require_POST
def acceptance_defect_add(request, pk: int):
    scope = request.scope
    session = selectors.get_session(scope, pk)
    project = session.project
    form = AcceptanceDefectForm(request.POST, parties=party_choices(project))
    if form.is_valid():
        owner = project.parties.filter(pk=form.cleaned_data["owner"]).first()
        with errors_on(form) as attempt:
            services.record_defect(
                actor=request.user,
                scope=scope,
                session=session,
                description=form.cleaned_data["description"],
                owner=owner,
                due_on=form.cleaned_data["due_on"],
            )
        if attempt.succeeded:
            messages.success(request, _("验收问题已登记。"))
            return redirect("construction:acceptance-session", pk=session.pk)
    return render_session(request, session, status=400, defect_form=form)


@staff_required
@require_POST
def acceptance_defect_clear(request, pk: int):
    scope = request.scope
    defect = selectors.get_defect(scope, pk)
    session = defect.session
    form = AcceptanceDefectClearForm(request.POST, prefix=f"d{defect.pk}")
    if not form.is_valid() and "note" in request.POST:
        form = AcceptanceDefectClearForm(request.POST)
    if form.is_valid():
        with errors_on(form) as attempt:
            services.clear_defect(
                actor=request.user, scope=scope, defect=defect, note=form.cleaned_data["note"]
            )
        if attempt.succeeded:
            messages.success(request, _("已确认整改完成。"))
            return redirect("construction:acceptance-session", pk=session.pk)
    return render_session(request, session, status=400, clear_form=form)


@staff_required
@require_POST
def acceptance_decide(request, pk: int):
    scope = request.scope
    session = selectors.get_session(scope, pk)
    form = AcceptanceDecisionForm(request.POST)
    if form.is_valid():
        with errors_on(form) as attempt:
            session = services.decide_outcome(
                actor=request.user,
                scope=scope,
                session=session,
                outcome=form.cleaned_data["outcome"],
                conditions=form.cleaned_data["conditions"],
            )
        if attempt.succeeded:
            messages.success(
                request,
                _("验收结论已记录：%(outcome)s。") % {"outcome": session.get_outcome_display()},
            )
            return redirect("construction:acceptance-session", pk=session.pk)
    return render_session(request, session, status=400, decision_form=form)


@staff_required
@require_POST
def acceptance_clear_conditions(request, pk: int):
    scope = request.scope
    session = selectors.get_session(scope, pk)
    try:
        session = services.clear_conditions(actor=request.user, scope=scope, session=session)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as error:
        return render_session(request, session, status=400, conditions_error=[error.message])
    messages.success(request, _("整改条件已全部完成，项目通过竣工验收。"))
    return redirect("construction:acceptance-session", pk=session.pk)


def certificate_response(session, scope) -> HttpResponse:
    """The certificate PDF of a passed (or conditionally passed) session, shared by the
    workbench, the API and the representatives' portal page; before the decision, or after a
    failed one, NotFound with the reason (the viewer already sees the session)."""
    if not session.outcome:
        raise NotFound(_("验收结论作出后才有验收证书。"), code="not_decided")
    if not session.certificate_number:
        raise NotFound(_("本次验收没有验收证书。"), code="no_certificate")
    pdf = certificate_pdf(session=session, scope=scope)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"acceptance-{session.certificate_number}.pdf"
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["Cache-Control"] = "no-store"
    return response


@staff_required
@require_GET
def acceptance_certificate(request, pk: int):
    """The certificate of a passed (or conditionally passed) session, as a PDF."""
    session = selectors.get_session(request.scope, pk)
    return certificate_response(session, request.scope)


# --- the residents' representative on the portal --------------------------------------------


@never_cache
@resident_required
@require_http_methods(["GET", "POST"])
def portal_acceptance(request, pk: int):
    """A residents' representative, signed in with the household's code, fills the checklist
    of the session they were invited to; any other household (or session) answers 404."""
    household = territory.get_household(request.scope, request.scope.household_id)
    participant = selectors.get_representative(household, pk)
    session = participant.session
    lines = selectors.checklist(session.project)
    existing = selectors.checks_by_code(participant)
    initial = {"opinion": participant.opinion, "comment": participant.comment}
    for index, line in enumerate(lines):
        if line.code in existing:
            initial[f"result_{index}"] = existing[line.code].result
            initial[f"note_{index}"] = existing[line.code].note
    form = AcceptanceChecklistForm(
        request.POST or None, lines=lines, initial=initial, with_channel=False
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with errors_on(form) as attempt:
                services.submit_resident_checklist(
                    household=household,
                    participant=participant,
                    answers=form.answers(),
                    opinion=form.cleaned_data["opinion"],
                    comment=form.cleaned_data["comment"],
                )
            if attempt.succeeded:
                messages.success(request, _("您的验收意见已提交，谢谢。"))
                return redirect("construction-portal:acceptance", pk=session.pk)
        status = 400
    context = {
        "participant": participant,
        "session": session,
        "project": session.project,
        "form": form,
        "is_open": not session.outcome,
        "has_certificate": bool(session.certificate_number),
    }
    return render(request, "construction/acceptance_portal.html", context, status=status)


@never_cache
@resident_required
@require_GET
def portal_certificate(request, pk: int):
    """The session's certificate for its residents' representatives, once decided (names of
    the other representatives masked as for any resident); any other household 404."""
    household = territory.get_household(request.scope, request.scope.household_id)
    participant = selectors.get_representative(household, pk)
    return certificate_response(participant.session, request.scope)
