"""Residents' pages of construction (/portal/construction/), phone first.

Every page needs a resident session (`resident_required`) and finds its records through the
household: a survey of a project that does not hold the household's compound answers the
same 404 as one that does not exist. Each chapter keeps its views in its own section.
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
from anju.territory import selectors as territory

from ..forms import SatisfactionAnswerForm
from ..selectors import sampling as sampling_selectors
from ..services import sampling as sampling_services


def _household(request):
    return territory.get_household(request.scope, request.scope.household_id)


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
