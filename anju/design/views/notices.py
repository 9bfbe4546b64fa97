"""Workbench pages of the public notice (方案公示): publish a version, read the notice with
its comments and objections, answer them publicly, print the A4 notice.

A screen each: one accessor (`selectors.notices.get_version` / `get_notice` / `get_objection`,
404 outside the viewer's territory exactly as for a missing record), one service, render. The
services check who may publish and answer (`rules`).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from anju.access.services import household_label
from anju.core.calendar import today
from anju.core.decorators import staff_required
from anju.core.errors import NotFound
from anju.core.forms import errors_on

from .. import rules
from ..forms import NoticePublishForm, ObjectionAnswerForm
from ..pdf import notice_pdf
from ..selectors import notices as selectors
from ..selectors.plans import get_plan_version, readiness_for_notice
from ..selectors.projects import get_project
from ..services import notices as services


@staff_required
@require_http_methods(["GET", "POST"])
def notice_publish(request, pk: int):
    """Publish a draft version: the closing date (default 7 working days) and how to object."""
    scope = request.scope
    version = get_plan_version(scope, pk)
    earliest = selectors.default_closing_date(today())
    form = NoticePublishForm(request.POST or None, initial={"closes_on": earliest})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with errors_on(form) as attempt:
                notice = services.publish_notice(
                    actor=request.user,
                    scope=scope,
                    version=version,
                    closes_on=form.cleaned_data["closes_on"],
                    how_to_object=form.cleaned_data["how_to_object"],
                )
            if attempt.succeeded:
                messages.success(
                    request,
                    _("方案已公示，至 %(date)s 结束。") % {"date": notice.closes_on.isoformat()},
                )
                return redirect("design:notice-detail", pk=notice.pk)
        status = 400
    context = {
        "version": version,
        "project": version.project,
        "form": form,
        "earliest": earliest,
        "missing": readiness_for_notice(version) if version.is_editable else [],
        "may_publish": rules.may_publish_notice(scope, version.project),
    }
    return render(request, "design/notice_publish.html", context, status=status)


@staff_required
@require_GET
def notice_detail(request, pk: int):
    """The notice as staff see it: its content, the period, every comment and objection with
    the household's address (staff see who wrote; residents do not) and its answer."""
    scope = request.scope
    notice = selectors.get_notice(scope, pk)
    version = notice.version
    may_answer = rules.may_answer_objections(scope, version.project)
    objections = [
        (
            objection,
            household_label(objection.household),
            ObjectionAnswerForm(initial={"answer": objection.answer}, prefix=f"o{objection.pk}")
            if may_answer
            else None,
        )
        for objection in selectors.objections_of(notice)
    ]
    context = {
        "notice": notice,
        "version": version,
        "project": version.project,
        "content": selectors.notice_content(version),
        "how_to_object": selectors.how_to_object(notice),
        "is_open": selectors.is_open(notice),
        "blockers": selectors.notice_blockers(version),
        "objections": objections,
        "may_answer": may_answer,
        "is_current": selectors.current_notice(version.project) == notice,
    }
    return render(request, "design/notice_detail.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def objection_answer(request, pk: int):
    """Answer a comment or objection publicly, or amend the answer (never remove it)."""
    scope = request.scope
    objection = selectors.get_objection(scope, pk)
    prefix = f"o{objection.pk}"
    form = ObjectionAnswerForm(
        request.POST or None, initial={"answer": objection.answer}, prefix=prefix
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with errors_on(form) as attempt:
                services.answer_objection(
                    actor=request.user,
                    scope=scope,
                    objection=objection,
                    answer=form.cleaned_data["answer"],
                )
            if attempt.succeeded:
                messages.success(request, _("答复已公开。"))
                url = reverse("design:notice-detail", args=[objection.notice_id])
                return redirect(f"{url}#objection-{objection.pk}")
        status = 400
    context = {
        "objection": objection,
        "notice": objection.notice,
        "household_label": household_label(objection.household),
        "form": form,
    }
    return render(request, "design/notice_answer.html", context, status=status)


@staff_required
@require_GET
def notice_pdf_for_project(request, pk: int):
    """The project's current notice on A4, to print and post on the compound's board."""
    project = get_project(request.scope, pk)
    notice = selectors.current_notice(project)
    if notice is None:
        raise NotFound(_("本项目还没有公示的方案。"))
    return notice_pdf_response(request, notice)


def notice_pdf_response(request, notice) -> HttpResponse:
    portal_url = request.build_absolute_uri(reverse("design-portal:notice", args=[notice.pk]))
    pdf = notice_pdf(notice=notice, portal_url=portal_url)
    version = notice.version
    filename = f"notice-{version.project.code}-v{version.number}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["Cache-Control"] = "no-store"
    return response
