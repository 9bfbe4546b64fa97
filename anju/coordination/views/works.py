"""Workbench pages of others' works: the list, a work's detail (its small map and audit
trail), and the upload (a background job with its own progress page and annotated copy).

Utility companies' users have no territory (their scope is their organisation), so these
pages admit an organisation's users as well as territorial staff; what each sees is decided
by `works.work_list`. Uploading needs a writing role (`works.require_writer_role`).
"""

from __future__ import annotations

from pathlib import Path

from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from anju.core.audit import events_for
from anju.core.decorators import staff_or_organisation_required
from anju.core.excel import XLSX_CONTENT_TYPE
from anju.core.models import TaskProgress
from anju.core.selectors import get_task_progress

from .. import conflicts, works
from ..forms import WorksFilterForm, WorksUploadForm
from ..importers import (
    IMPORT_JOB,
    geojson_example,
    labelled_counts,
    start_works_import,
    works_template,
)

PAGE_SIZE = 25


def attachment(data: bytes, filename: str, content_type: str) -> HttpResponse:
    return HttpResponse(
        data,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


@staff_or_organisation_required
@require_GET
def work_list(request):
    scope = request.scope
    form = WorksFilterForm(request.GET or None, organisations=works.filter_organisations(scope))
    page = Paginator(works.work_list(scope=scope, filters=form.to_filters()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "districts": works.district_choices(),
        "query": query.urlencode(),
        "may_upload": works.may_write(scope),
    }
    template = "coordination/works_rows.html" if request.htmx else "coordination/works_list.html"
    return render(request, template, context)


@staff_or_organisation_required
@require_GET
def work_detail(request, pk: int):
    work = works.get_work(request.scope, pk)
    compounds = list(works.compounds_of(work))
    context = {
        "work": work,
        "compounds": compounds,
        "conflicts": conflicts.conflict_list(scope=request.scope).filter(work=work),
        "events": events_for(work)[:50],
        "map_data": works.map_data_for(work, compounds),
    }
    return render(request, "coordination/works_detail.html", context)


@staff_or_organisation_required
@require_http_methods(["GET", "POST"])
def work_upload(request):
    scope = request.scope
    works.require_writer_role(scope)
    form = WorksUploadForm(
        *((request.POST, request.FILES) if request.method == "POST" else ()), scope=scope
    )
    if form.is_bound and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        works.require_writer(scope, organisation)
        progress = start_works_import(
            upload=form.cleaned_data["file"],
            user=request.user,
            scope=scope,
            organisation=organisation,
            crs=form.cleaned_data["crs"],
            dry_run=form.cleaned_data["dry_run"],
        )
        return redirect(reverse("coordination:work-upload-progress", args=[progress.pk]))
    recent = [
        {"task": task, "counts": labelled_counts((task.result or {}).get("counts") or {})}
        for task in TaskProgress.objects.filter(created_by=request.user, task_name=IMPORT_JOB)[:5]
    ]
    return render(request, "coordination/works_upload.html", {"form": form, "recent": recent})


@require_GET
def work_upload_template(request):
    """The blank workbook with instructions (or ?format=geojson, an example file): no data,
    open to anyone."""
    if request.GET.get("format") == "geojson":
        return attachment(geojson_example(), _("其他工程示例.geojson"), "application/geo+json")
    return attachment(works_template(), _("其他工程导入模板.xlsx"), XLSX_CONTENT_TYPE)


@staff_or_organisation_required
@require_GET
def work_upload_progress(request, pk):
    """The import's progress, polled by htmx until it ends; then its result or problems."""
    progress = get_task_progress(request.scope, request.user, pk)
    template = (
        "coordination/works_progress_panel.html"
        if request.htmx
        else "coordination/works_upload_progress.html"
    )
    return render(request, template, {"task": progress})


@staff_or_organisation_required
@require_GET
def work_upload_annotated(request, pk):
    """The rejected spreadsheet with its problems marked, for whoever may see the import's
    task; a task without one sends the viewer to its progress page."""
    progress = get_task_progress(request.scope, request.user, pk)
    result = progress.result or {}
    name = result.get("annotated_file") if progress.task_name == IMPORT_JOB else ""
    if not name or not default_storage.exists(name):
        return redirect(reverse("coordination:work-upload-progress", args=[progress.pk]))
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=_("问题标注-%(file)s.xlsx")
        % {"file": Path(result.get("filename", "")).stem or "import"},
        content_type=XLSX_CONTENT_TYPE,
    )


urlpatterns = [
    path("works/", work_list, name="work-list"),
    path("works/<id:pk>/", work_detail, name="work-detail"),
    path("works/upload/", work_upload, name="work-upload"),
    path("works/upload/template/", work_upload_template, name="work-upload-template"),
    path("works/upload/<uuid:pk>/", work_upload_progress, name="work-upload-progress"),
    path("works/upload/<uuid:pk>/annotated/", work_upload_annotated, name="work-upload-annotated"),
]
