"""Workbench pages of the construction notice (施工公示): publishing or republishing it (the
district or the city office), and the A3 board to print and post on site.

Pages fetch the project through `selectors.projects.get_project` (404 outside the viewer's
territory; a party sees only its projects); the service decides who may publish.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from anju.core.decorators import staff_required
from anju.core.errors import PermissionDenied
from anju.core.forms import errors_on

from .. import rules
from ..forms import NoticeForm
from ..pdf import board_pdf
from ..selectors import notices as selectors
from ..selectors.projects import get_project
from ..services import notices as services


def public_url(request, project) -> str:
    """The absolute address of the project's public notice page (the board's QR code)."""
    return request.build_absolute_uri(reverse("construction-portal:notice", args=[project.pk]))


@staff_required
@require_http_methods(["GET", "POST"])
def notice_edit(request, pk: int):
    """The notice's form, filled with the published text (or the approved plan's items)."""
    project = get_project(request.scope, pk)
    if not rules.may_manage_construction(request.scope, project):
        raise PermissionDenied(_("只有项目所在区的工作专班或市改造办可以发布施工公示。"))
    notice = selectors.notice_of(project)
    if notice is not None:
        initial = {
            "scope_summary": notice.scope_summary,
            "working_hours": notice.working_hours,
            "complaint_phone": notice.complaint_phone,
            "safety_note": notice.safety_note,
        }
    else:
        initial = {"scope_summary": selectors.default_scope_summary(project)}
    form = NoticeForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            with errors_on(form) as attempt:
                services.publish_notice(
                    actor=request.user, scope=request.scope, project=project, **form.cleaned_data
                )
            if attempt.succeeded:
                messages.success(
                    request, _("施工公示已更新。") if notice else _("施工公示已发布。")
                )
                hub = reverse("construction:project", args=[project.pk])
                return redirect(hub + "#notice-panel")
    context = {
        "project": project,
        "notice": notice,
        "form": form,
        "may_publish": rules.may_publish_notice(request.scope, project),
        "public_url": public_url(request, project),
    }
    return render(request, "construction/notice_edit.html", context, status=status)


@staff_required
@require_GET
def notice_board(request, pk: int):
    """The A3 board (施工公示牌) as a PDF, for anyone who sees the project (the builder posts
    it on site)."""
    notice = selectors.get_notice(request.scope, pk)
    return board_response(request, notice.project, notice)


def board_response(request, project, notice) -> HttpResponse:
    pdf = board_pdf(project=project, notice=notice, portal_url=public_url(request, project))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        False, f"construction-board-{project.code}.pdf"
    )
    response["Cache-Control"] = "no-store"
    return response
