"""The residents' side of design (/portal/plan/): the compound's plan on public notice, on a
phone, and the household's comments and objections.

Every page needs a resident session (`resident_required`) and finds the notice through the
household: a notice of a project that does not hold the household's compound answers the same
404 as one that does not exist. Other households' posts are shown with their answers but
without their address ("住户"), the household's own as "我家".
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from anju.access.views.portal import resident_required
from anju.core.errors import DomainError, NotFound
from anju.territory import selectors as territory

from ..forms import ObjectionForm
from ..selectors import notices as selectors
from ..services import notices as services
from .notices import notice_pdf_response


def _household(request):
    return territory.get_household(request.scope, request.scope.household_id)


@never_cache
@resident_required
@require_GET
def current_notice(request):
    """The compound's newest notice, or a word that no plan is on notice yet."""
    household = _household(request)
    notice = selectors.current_notice_for_household(household)
    if notice is not None:
        return redirect("design-portal:notice", pk=notice.pk)
    return render(request, "design/portal/no_notice.html", {"compound": household.compound})


@never_cache
@resident_required
@require_http_methods(["GET", "POST"])
def notice_detail(request, pk: int):
    """The notice: items by category with costs, totals, the residents' share, the needs
    answered or not, the period, and every post with its answer; the form while it is open."""
    household = _household(request)
    notice = selectors.get_notice_for_household(household, pk)
    current = selectors.current_notice_for_household(household)
    is_current = current is not None and current.pk == notice.pk
    is_open = is_current and selectors.is_open(notice)
    form = ObjectionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.submit_objection(
                    actor=None,
                    notice=notice,
                    household=household,
                    kind=form.cleaned_data["kind"],
                    text=form.cleaned_data["text"],
                )
            except NotFound:
                raise
            except DomainError as error:
                if is_open:
                    form.add_error(None, error.message)
                else:
                    messages.error(request, error.message)
                status = error.status
            else:
                messages.success(request, _("已提交，谢谢您！工作人员会在本页公开答复。"))
                return redirect("design-portal:notice", pk=notice.pk)
        else:
            status = 400
    posts = [
        (objection, _("我家") if objection.household_id == household.pk else _("住户"))
        for objection in selectors.objections_of(notice)
    ]
    context = {
        "notice": notice,
        "version": notice.version,
        "project": notice.version.project,
        "content": selectors.notice_content(notice.version),
        "how_to_object": selectors.how_to_object(notice),
        "is_current": is_current,
        "current": current,
        "is_open": is_open,
        "form": form if is_open else None,
        "posts": posts,
        "compound": household.compound,
    }
    return render(request, "design/portal/notice.html", context, status=status)


@resident_required
@require_GET
def notice_pdf(request, pk: int):
    """The same A4 notice as on the compound's board."""
    notice = selectors.get_notice_for_household(_household(request), pk)
    return notice_pdf_response(request, notice)
