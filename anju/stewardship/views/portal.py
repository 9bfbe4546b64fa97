"""The residents' side of problem reports (/portal/stewardship/), phone first.

A resident signed in with the household code reports a problem in their own compound (the
category, a description, up to three photos, a building or a point on the compound's map),
sees possible duplicates before sending, follows every step of their reports, confirms a fix
with a rating or reopens it with a reason, and reads the compound's public list (no household,
no caller, no phone).

Every page needs a resident session (`resident_required`) and finds reports through the
household's scope: another compound's report answers the same 404 as one that does not exist.
Another household's report of the same compound is shown without its reporter, photos and
point on the map (the point of a problem at home would tell where the reporter lives).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anju.access.views.portal import resident_required
from anju.core.calendar import today
from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.forms import errors_on
from anju.engagement.photos import MAX_PHOTOS
from anju.territory import selectors as territory

from ..forms import ProblemReportForm, ReportConfirmForm, ReportReopenForm
from ..models import Channel, Status
from ..selectors import reports as selectors
from ..services import reports as services
from .reports import (
    compound_map_data,
    first_photos,
    place_from,
    point_map_data,
    report_photo_response,
    suggestions_for,
)


def _household(request):
    return territory.get_household(request.scope, request.scope.household_id)


def _report_form(compound, data=None, files=None) -> ProblemReportForm:
    return ProblemReportForm(data, files, buildings=territory.buildings_of(compound))


@never_cache
@resident_required
@require_GET
def reports_home(request):
    """我的报告: the household's reports with their status, newest first."""
    household = _household(request)
    reports = list(selectors.my_reports(household))
    return render(
        request,
        "stewardship/portal_reports.html",
        {"compound": household.compound, "reports": reports},
    )


@never_cache
@resident_required
@require_http_methods(["GET", "POST"])
def report_new(request):
    """报告问题: the form; POST files the report in the household's compound."""
    household = _household(request)
    compound = household.compound
    posted = request.method == "POST"
    form = _report_form(compound, *((request.POST, request.FILES) if posted else ()))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            with errors_on(form) as attempt:
                report = services.file_report(
                    actor=None,
                    scope=request.scope,
                    compound=compound,
                    category=data["category"],
                    description=data["description"],
                    channel=Channel.PORTAL,
                    photos=data["photos"],
                    building=data["building"],
                    longitude=data["longitude"],
                    latitude=data["latitude"],
                )
            if attempt.succeeded:
                messages.success(
                    request,
                    _("已提交，编号 %(number)s。处理的每一步都会显示在这里。")
                    % {"number": report.number},
                )
                return redirect("stewardship-portal:report", pk=report.pk)
    context = {
        "compound": compound,
        "form": form,
        "max_photos": MAX_PHOTOS,
        "map_data": compound_map_data(compound),
    }
    return render(request, "stewardship/portal_report_form.html", context, status=status)


@never_cache
@resident_required
@require_GET
def report_suggest(request):
    """The reports that may be the same problem (htmx, while the resident fills the form)."""
    household = _household(request)
    compound = household.compound
    category, building, longitude, latitude = place_from(request.GET, compound)
    reports = suggestions_for(compound, category, building, longitude, latitude)
    return render(
        request,
        "stewardship/portal_report_suggestions.html",
        {"reports": reports, "category": category},
    )


def _render_report(request, report, *, confirm_form=None, reopen_form=None, status=200):
    scope = request.scope
    own = selectors.may_see_reporter(scope, report)
    allowed = selectors.next_steps(report, scope)
    context = {
        "report": report,
        "own": own,
        "steps": list(selectors.steps_for(report)),
        "photos": first_photos(report) if own else [],
        "may_confirm": Status.CONFIRMED in allowed,
        "may_reopen": Status.REOPENED in allowed,
        "confirm_form": confirm_form or ReportConfirmForm(),
        "reopen_form": reopen_form or ReportReopenForm(),
        "is_overdue": report.is_overdue(today()),
        "ratings": range(1, 6),
        "point_map": point_map_data(report) if own else None,
    }
    return render(request, "stewardship/portal_report.html", context, status=status)


@never_cache
@resident_required
@require_GET
def report_detail(request, pk: int):
    """One report of the compound: status, the time line of every step; the household's own
    report also shows its photos, its point on the compound's map and, once resolved, the
    confirm and reopen forms."""
    report = selectors.get_report(request.scope, pk)
    return _render_report(request, report)


@resident_required
@require_POST
def report_confirm(request, pk: int):
    """The reporter confirms the fix, with a rating of 1–5 and an optional comment."""
    report = selectors.get_report(request.scope, pk)
    form = ReportConfirmForm(request.POST)
    if form.is_valid():
        with errors_on(form) as attempt:
            _advance(
                request,
                report,
                Status.CONFIRMED,
                rating=form.cleaned_data["rating"],
                rating_comment=form.cleaned_data["rating_comment"],
            )
        if attempt.succeeded:
            messages.success(request, _("谢谢您的评价！这份报告已办结确认。"))
            return redirect("stewardship-portal:report", pk=report.pk)
    return _render_report(request, report, confirm_form=form, status=400)


@resident_required
@require_POST
def report_reopen(request, pk: int):
    """Anyone in the compound reopens a resolved report, saying why."""
    report = selectors.get_report(request.scope, pk)
    form = ReportReopenForm(request.POST)
    if form.is_valid():
        with errors_on(form) as attempt:
            _advance(request, report, Status.REOPENED, note=form.cleaned_data["note"])
        if attempt.succeeded:
            messages.success(request, _("已重新打开，承办方会继续处理。"))
            return redirect("stewardship-portal:report", pk=report.pk)
    return _render_report(request, report, reopen_form=form, status=400)


def _advance(request, report, to_status, **kwargs):
    """A refusal of who-may (a resident of the compound who is not the reporter) becomes a
    message on the form like any other rule, not a bare 403 page."""
    try:
        services.advance_report(
            actor=None, scope=request.scope, report=report, to_status=to_status, **kwargs
        )
    except NotFound:
        raise
    except PermissionDenied as error:
        raise DomainError(error.message, code="not_allowed") from error


@never_cache
@resident_required
@require_GET
def public_list(request):
    """The compound's public list: what was reported and how far it is, without anyone's name,
    room or phone."""
    household = _household(request)
    return render(
        request,
        "stewardship/portal_public_list.html",
        {"compound": household.compound, "reports": selectors.public_reports(household.compound)},
    )


@resident_required
@require_GET
def report_photo(request, pk: int, photo_id: int):
    """A photo of the household's own report (re-encoded without metadata; never a public
    media URL). Another household's report's photos answer 404."""
    report = selectors.get_report(request.scope, pk)
    if not selectors.may_see_reporter(request.scope, report):
        raise NotFound()
    return report_photo_response(report, photo_id)
