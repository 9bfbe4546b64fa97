"""The construction workbench: the viewer's construction projects (behind-schedule flag) and a
project's hub — parties, schedule, progress and the S-curve, then each chapter's panel.

Every page fetches through `selectors.projects.get_project` (404 outside the viewer's
territory; a construction or supervision unit sees only the projects it is a party to)."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from anju.core.audit import events_for
from anju.core.decorators import staff_required
from anju.territory.models import Stage

from .. import rules
from ..forms import DisputeForm, MilestoneForm, PartyForm, ProgressForm, TaskForm
from ..models import PartyRole
from ..selectors import projects as selectors
from ..selectors import schedule as schedule_selectors
from ..services.schedule import missing_for_start

PAGE_SIZE = 50

PARTY_TERMS = (
    "responsible_person",
    "responsible_phone",
    "contract_sum",
    "contract_signed_on",
    "starts_on",
    "ends_on",
)


@staff_required
@require_GET
def project_list(request):
    scope = request.scope
    stage = request.GET.get("stage", "")
    stage = stage if stage in selectors.CONSTRUCTION_STAGES else ""
    projects = selectors.construction_projects(scope, stage=stage)
    only_behind = request.GET.get("behind") == "1"
    if only_behind:
        projects = projects.filter(pk__in=schedule_selectors.behind_schedule(scope).values("pk"))
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    ids = [project.pk for project in page.object_list]
    progress = schedule_selectors.progress_of_projects(ids)
    behind = set(
        schedule_selectors.behind_schedule(scope).filter(pk__in=ids).values_list("pk", flat=True)
    )
    rows = [(project, progress[project.pk], project.pk in behind) for project in page.object_list]
    context = {
        "page": page,
        "rows": rows,
        "stage": stage,
        "only_behind": only_behind,
        "stages": [(value, Stage(value).label) for value in selectors.CONSTRUCTION_STAGES],
        "may_edit_checklists": rules.may_edit_checklists(scope),
    }
    return render(request, "construction/project_list.html", context)


def party_change_form(party, data=None) -> PartyForm:
    """A party's change form: organisations of its role's kind, its own field ids (several sit
    on the hub), filled with its current terms."""
    initial = {name: getattr(party, name) for name in PARTY_TERMS}
    initial["organisation"] = party.organisation_id
    return PartyForm(
        data,
        organisations=selectors.party_candidates(party.role),
        with_role=False,
        auto_id=f"id_party{party.pk}_%s",
        initial=initial,
    )


def hub_context(request, project, **forms) -> dict:
    """The hub's context; `forms` replaces a blank form with one that came back with errors
    (`change_form` is the form of the party `change_party`)."""
    scope = request.scope
    may_name = rules.may_name_parties(scope, project)
    may_schedule = rules.may_edit_schedule(scope, project)
    may_report = rules.may_report_progress(scope, project)
    may_review = rules.may_review_progress(scope, project)
    milestones = schedule_selectors.milestones_of(project)
    tasks = list(schedule_selectors.tasks_of(project))
    progress = schedule_selectors.progress_of(project)
    parties = list(selectors.parties_of(project))
    named = {party.role for party in parties}
    context = {
        "project": project,
        "scope": scope,
        "parties": parties,
        "milestones": milestones,
        "tasks": tasks,
        "reports": schedule_selectors.reports_of(project)[:20],
        "progress": progress,
        "curve": {
            "weeks": [point.week_ending.isoformat() for point in progress.points],
            "planned": [float(point.planned) for point in progress.points],
            "actual": [
                None if point.actual is None else float(point.actual) for point in progress.points
            ],
        },
        "is_behind": project.stage == Stage.BUILDING and progress.is_behind,
        "may_name": may_name,
        "may_schedule": may_schedule,
        "may_report": may_report,
        "may_review": may_review,
        "may_start": rules.may_start_construction(scope, project),
        "missing_for_start": missing_for_start(project) if project.stage == Stage.APPROVED else [],
        "events": events_for(project)[:30],
    }
    if may_name:
        open_roles = [role for role in PartyRole.values if role not in named]
        party_form = forms.get("party_form")
        if party_form is None:
            party_form = PartyForm(organisations=selectors.party_organisations())
            party_form.fields["role"].choices = [
                (value, label) for value, label in PartyRole.choices if value in open_roles
            ]
        context["party_form"] = party_form
        context["open_roles"] = open_roles
        for party in parties:
            if forms.get("change_party") == party.pk:
                party.change_form = forms["change_form"]
            else:
                party.change_form = party_change_form(party)
    if may_schedule:
        context["milestone_form"] = forms.get("milestone_form") or MilestoneForm()
        context["task_form"] = forms.get("task_form") or TaskForm(milestones=milestones)
    if may_report:
        context["progress_form"] = forms.get("progress_form") or ProgressForm(
            tasks=tasks, confirmed=schedule_selectors.latest_confirmed_percents(project)
        )
    if may_review:
        context["dispute_form"] = forms.get("dispute_form") or DisputeForm()
    return context


@staff_required
@require_GET
def progress_photo(request, pk, photo_id):
    """A report's photo (re-encoded without metadata), only to staff who see the project."""
    photo = schedule_selectors.get_progress_photo(request.scope, pk, photo_id)
    response = FileResponse(default_storage.open(photo.image.name, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@staff_required
@require_GET
def project_hub(request, pk):
    project = selectors.get_project(request.scope, pk)
    return render(request, "construction/project.html", hub_context(request, project))
