"""Residents' pages of construction (/portal/construction/), phone first.

Every page but the public construction notice needs a resident session (`resident_required`)
and finds its records through the household: a survey of a project that does not hold the
household's compound answers the same 404 as one that does not exist. Each chapter keeps its
views in its own section.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from anju.access.views.portal import resident_required
from anju.core.calendar import today
from anju.core.errors import DomainError, NotFound
from anju.core.forms import errors_on
from anju.engagement.photos import MAX_PHOTOS
from anju.stewardship.forms import ProblemReportForm
from anju.territory import selectors as territory

from ..forms import SatisfactionAnswerForm
from ..selectors import notices as notice_selectors
from ..selectors import sampling as sampling_selectors
from ..services import notices as notice_services
from ..services import sampling as sampling_services


def _household(request):
    return territory.get_household(request.scope, request.scope.household_id)


# --- notices ---
# The construction notice's page is public (it is what the board on site says, and its QR code
# opens it): anyone reads it without signing in. Complaining needs a household of one of the
# project's compounds: the complaint page is `resident_required`, so a visitor signs in with the
# household code and comes straight back to it (the sign-in's "next page"); a household of
# another compound is refused with a 403 and nothing is written.


def _notice_page_context(request, project) -> dict:
    notice = project.construction_notice
    viewer = None
    if request.scope.is_resident:
        household = territory.get_household(request.scope, request.scope.household_id)
        in_project = project.compounds.filter(pk=household.compound_id).exists()
        viewer = {"household": household, "in_project": in_project}
    return {
        "project": project,
        "notice": notice,
        "content": notice_selectors.notice_content(project, notice),
        "complaints": notice_selectors.public_complaints(project),
        "handler": notice_selectors.complaint_handler(project),
        "draw": sampling_selectors.public_draw(project),
        "viewer": viewer,
        "my_complaints": list(
            notice_selectors.complaints_of(project).filter(household=viewer["household"])
        )
        if viewer
        else [],
    }


@never_cache
@require_GET
def construction_notice(request, pk: int):
    """施工公示: parties, scope of works, schedule and confirmed progress, how to complain,
    the complaints filed here (number, category, status; nobody named) and, once drawn, the
    satisfaction sample with its seed (labels only, `sampling_selectors.public_draw`)."""
    project = notice_selectors.get_public_project(pk)
    return render(
        request, "construction/portal_notice.html", _notice_page_context(request, project)
    )


@never_cache
@resident_required
@require_http_methods(["GET", "POST"])
def notice_complain(request, pk: int):
    """A household of the project's compounds complains; the complaint becomes a problem
    report handled by the supervision unit, and the household follows it in 我的报告."""
    project = notice_selectors.get_public_project(pk)
    household = _household(request)
    context = {"project": project, "notice": project.construction_notice}
    if not project.compounds.filter(pk=household.compound_id).exists():
        context["message"] = _(
            "您家不在本项目的改造小区内，只有本项目小区的住户可以通过这份公示投诉。"
            "如有问题，请拨打公示上的投诉电话。"
        )
        return render(request, "construction/portal_notice_refused.html", context, status=403)
    posted = request.method == "POST"
    form = ProblemReportForm(
        *((request.POST, request.FILES) if posted else ()),
        buildings=territory.buildings_of(household.compound),
    )
    status = 200
    if posted:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            with errors_on(form) as attempt:
                report = notice_services.file_complaint(
                    actor=None,
                    scope=request.scope,
                    project=project,
                    category=data["category"],
                    description=data["description"],
                    photos=data["photos"],
                    building=data["building"],
                )
            if attempt.succeeded:
                messages.success(
                    request,
                    _("投诉已提交，编号 %(number)s，由监理单位办理。处理的每一步都会显示在这里。")
                    % {"number": report.number},
                )
                return redirect("stewardship-portal:report", pk=report.pk)
    context.update({"form": form, "compound": household.compound, "max_photos": MAX_PHOTOS})
    return render(request, "construction/portal_notice_complain.html", context, status=status)


# --- end of notices ---

# --- sampling ---


@never_cache
@resident_required
@require_GET
def satisfaction_list(request):
    """The satisfaction checks of the household's compound: whether the household was drawn,
    answered, or may still answer."""
    household = _household(request)
    rows = []
    for survey in sampling_selectors.surveys_for_household(household):
        rows.append(
            {
                "survey": survey,
                "sampled": sampling_selectors.is_sampled(survey, household),
                "answer": sampling_selectors.answer_of(survey, household),
                "is_open": sampling_selectors.is_open(survey, today()),
            }
        )
    return render(
        request,
        "construction/portal_satisfaction_list.html",
        {"rows": rows, "compound": household.compound},
    )


@never_cache
@resident_required
@require_http_methods(["GET", "POST"])
def satisfaction_answer(request, pk: int):
    """A sampled household's answer: three scores from 1 to 5 and a comment, once. A household
    outside the sample gets a 403 page saying so and nothing is written."""
    household = _household(request)
    survey = sampling_selectors.get_survey_for_household(household, pk)
    context = {"survey": survey, "project": survey.project, "compound": household.compound}
    if not sampling_selectors.is_sampled(survey, household):
        return _refused(request, context, _not_sampled_message(), status=403)
    answer = sampling_selectors.answer_of(survey, household)
    if answer is not None:
        context["answer"] = answer
        status = 409 if request.method == "POST" else 200
        if status == 409:
            messages.error(request, _("您家已经提交过答卷，每户只答一次。"))
        return render(request, "construction/portal_satisfaction_done.html", context, status=status)
    if not sampling_selectors.is_open(survey, today()):
        message = _("满意度测评已于 %(date)s 结束，不再接收答卷。") % {
            "date": survey.closes_on.isoformat()
        }
        return _refused(request, context, message, status=400 if request.method == "POST" else 200)
    form = SatisfactionAnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                sampling_services.answer_survey(
                    survey=survey,
                    household=household,
                    overall=data["overall"],
                    quality=data["quality"],
                    conduct=data["conduct"],
                    comment=data["comment"],
                )
            except NotFound:
                raise
            except DomainError as error:
                form.add_error(None, str(error.message))
                status = error.status
            else:
                messages.success(request, _("已提交，谢谢您的评价！"))
                return redirect("construction-portal:satisfaction-answer", pk=survey.pk)
        else:
            status = 400
    context["form"] = form
    return render(request, "construction/portal_satisfaction.html", context, status=status)


def _not_sampled_message() -> str:
    return _(
        "您家不在本次满意度测评的随机样本中，无需作答。样本按楼栋由公开的随机种子抽取，"
        "人人可复核；如对改造有意见，可向社区反映。"
    )


def _refused(request, context, message: str, *, status: int):
    context["message"] = message
    return render(request, "construction/portal_satisfaction_refused.html", context, status=status)


# --- end of sampling ---
