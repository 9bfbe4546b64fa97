"""Workbench pages of the random satisfaction check (满意度随机测评): a project's sample page
(the draw form before, the formula with its figures, the allocation per building, the seed
and how to re-draw after), staff recording phone or visit answers, closing the survey, and
satisfaction per district and construction unit.

Pages fetch through the scoped selectors (404 outside the viewer's territory); the services
decide who may draw, record and close, and a refusal comes back on the page with its status.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anju.core.calendar import today
from anju.core.decorators import staff_required
from anju.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from anju.core.forms import add_domain_error
from anju.territory.models import Stage

from .. import rules
from ..forms import SampleDrawForm, StaffSatisfactionAnswerForm
from ..models import SampledHousehold
from ..selectors import projects as project_selectors
from ..selectors import sampling as selectors
from ..services import sampling as services


def draw_form(data=None) -> SampleDrawForm:
    return SampleDrawForm(
        data,
        initial={
            "confidence": settings.ANJU_SATISFACTION_CONFIDENCE,
            "margin": settings.ANJU_SATISFACTION_MARGIN,
        },
    )


def answer_form(survey, data=None) -> StaffSatisfactionAnswerForm:
    return StaffSatisfactionAnswerForm(data, sampled=selectors.sample_choices(survey))


def render_sampling(request, project, *, form=None, answer=None, status=200):
    scope = request.scope
    survey = selectors.survey_of(project)
    context = {
        "project": project,
        "survey": survey,
        "may_draw": survey is None
        and project.stage == Stage.ACCEPTED
        and rules.may_draw_sample(scope, project),
        "open_days": settings.ANJU_SATISFACTION_OPEN_DAYS,
    }
    if survey is None:
        frame = selectors.sampling_frame(project)
        context.update(
            form=(form or draw_form()) if context["may_draw"] else None,
            population=frame.population,
            buildings=[(name, len(labels)) for name, labels in frame.strata.items()],
        )
    else:
        published = selectors.published_draw(survey)
        is_open = selectors.is_open(survey, today())
        may_record = is_open and rules.may_record_satisfaction_answer(scope, project)
        labels = selectors.answer_labels(survey)
        context.update(
            figures=published.figures,
            stats=published.stats,
            is_open=is_open,
            answers=[
                (answer, labels.get(answer.household_id, ""))
                for answer in selectors.answers_of(survey)
            ],
            answer_form=(answer or answer_form(survey)) if may_record else None,
            may_close=rules.may_draw_sample(scope, project)
            and (survey.closed_at is None or project.stage == Stage.ACCEPTED),
            recipe=published.recipe,
        )
    return render(request, "construction/sampling_detail.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def project_sampling(request, pk: int):
    """The sample page; POST draws the sample (once)."""
    project = project_selectors.get_project(request.scope, pk)
    if request.method == "GET":
        return render_sampling(request, project)
    form = draw_form(request.POST)
    if not form.is_valid():
        return render_sampling(request, project, form=form, status=400)
    try:
        services.draw_sample(
            actor=request.user,
            scope=request.scope,
            project=project,
            confidence=form.cleaned_data["confidence"],
            margin=form.cleaned_data["margin"],
        )
    except (NotFound, PermissionDenied):
        raise
    except DomainError as error:
        add_domain_error(form, error)
        if isinstance(error, Conflict):  # the sample page no longer shows the form
            messages.error(request, error.message)
        return render_sampling(request, project, form=form, status=error.status)
    messages.success(request, _("已抽取满意度测评样本，请公布随机种子和样本。"))
    return redirect("construction:sampling", pk=project.pk)


@staff_required
@require_POST
def sampling_answer(request, pk: int):
    """Staff record a sampled household's phone or visit answer."""
    project = project_selectors.get_project(request.scope, pk)
    survey = selectors.get_survey(request.scope, project.pk)
    form = answer_form(survey, request.POST)
    if not form.is_valid():
        return render_sampling(request, project, answer=form, status=400)
    data = form.cleaned_data
    sampled = SampledHousehold.objects.filter(survey=survey, pk=data["sampled"]).first()
    if sampled is None:
        form.add_error("sampled", _("不在样本中"))
        return render_sampling(request, project, answer=form, status=400)
    try:
        services.record_answer(
            actor=request.user,
            scope=request.scope,
            survey=survey,
            sampled=sampled,
            channel=data["channel"],
            overall=data["overall"],
            quality=data["quality"],
            conduct=data["conduct"],
            comment=data["comment"],
        )
    except NotFound:
        raise
    except DomainError as error:
        form.add_error(None, str(error.message))
        return render_sampling(request, project, answer=form, status=error.status)
    messages.success(
        request,
        _("已记录 %(household)s 的答卷（%(channel)s）。")
        % {
            "household": sampled.household_code,
            "channel": dict(form.fields["channel"].choices)[data["channel"]],
        },
    )
    return redirect("construction:sampling", pk=project.pk)


@staff_required
@require_POST
def sampling_close(request, pk: int):
    """Close the survey; the project moves to 长效管理 when its management schemes exist."""
    project = project_selectors.get_project(request.scope, pk)
    survey = selectors.get_survey(request.scope, project.pk)
    try:
        closing = services.close_survey(actor=request.user, scope=request.scope, survey=survey)
    except NotFound:
        raise
    except PermissionDenied as error:
        messages.error(request, error.message)
        return render_sampling(request, project, status=403)
    except DomainError as error:
        messages.error(request, error.message)
        return render_sampling(request, project, status=error.status)
    if closing.stewarded:
        messages.success(request, closing.message)
    else:
        messages.warning(request, closing.message)
    return redirect("construction:sampling", pk=project.pk)


@staff_required
@require_GET
def satisfaction_overview(request):
    """Satisfaction per district and per construction unit of the viewer's surveys."""
    scope = request.scope
    surveys = list(selectors.surveys_in_scope(scope).order_by("project__code"))
    context = {
        "by_project": [(survey, selectors.project_satisfaction(survey)) for survey in surveys],
        "by_district": selectors.satisfaction_by_district(scope),
        "by_unit": selectors.satisfaction_by_construction_unit(scope),
    }
    return render(request, "construction/sampling_overview.html", context)
