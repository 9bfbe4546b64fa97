"""Registry import and export pages: upload (a background job), template, export, marked-up copy.

The upload page only saves the file and queues `anju.territory.jobs.import_registry_job`; the
progress page (`core:task-detail`) shows the stages and, on rejection, every problem with a link
to the annotated copy served here. Importing needs a registry-editing role; exporting needs a
territorial role, and personal data in the export is masked by role (PIPL).
"""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from anju.core.decorators import staff_required
from anju.core.errors import NotFound, PermissionDenied
from anju.core.excel import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from anju.core.models import TaskProgress
from anju.core.selectors import get_task_progress

from ..forms import CompoundFilterForm, RegistryUploadForm
from ..importers import RegistryExporter, export_registry, labelled_counts, registry_template
from ..jobs import (
    IMPORT_JOB,
    export_file,
    get_export,
    start_registry_export,
    start_registry_import,
)
from ..services import REGISTRY_EDITORS

EXPORT_ROLES = (*REGISTRY_EDITORS, "department_reviewer")


def require_roles(request, roles) -> None:
    if not request.scope.is_staff or not request.scope.has_role(*roles):
        raise PermissionDenied()


def attachment(data: bytes, filename: str, content_type: str) -> HttpResponse:
    return HttpResponse(
        data,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    require_roles(request, REGISTRY_EDITORS)
    form = RegistryUploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if form.is_bound and form.is_valid():
        progress = start_registry_import(
            upload=form.cleaned_data["file"],
            user=request.user,
            scope=request.scope,
            dry_run=form.cleaned_data["dry_run"],
        )
        return redirect(reverse("core:task-detail", args=[progress.pk]))
    recent = [
        {"task": task, "counts": labelled_counts((task.result or {}).get("counts") or {})}
        for task in TaskProgress.objects.filter(created_by=request.user, task_name=IMPORT_JOB)[:5]
    ]
    return render(request, "territory/import.html", {"form": form, "recent": recent})


@require_GET
def template_download(request):
    """The blank workbook with instructions: no data, open to anyone."""
    return attachment(registry_template(), _("小区台账导入模板.xlsx"), XLSX_CONTENT_TYPE)


def export_sync_max_rows() -> int:
    """Exports up to this many rows (all sheets) are built in the request; larger ones (the
    whole city: 327,600 household rows, 25–90 s) run as a background job with progress."""
    return settings.ANJU_EXPORT_SYNC_MAX_ROWS


@staff_required
@require_GET
def export(request):
    """The viewer's registry: ?format=xlsx (three sheets) or csv (compounds; the default).
    Filters are the compound list's (district, street, stage, …)."""
    require_roles(request, EXPORT_ROLES)
    file_format = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    filters = CompoundFilterForm(request.GET or None).to_filters()
    exporter = RegistryExporter(scope=request.scope, filters=filters)
    if sum(exporter.sheet_counts(file_format).values()) > export_sync_max_rows():
        task = start_registry_export(
            user=request.user, scope=request.scope, file_format=file_format, filters=filters
        )
        return redirect(reverse("territory:export-progress", args=[task.pk]))
    data = export_registry(
        actor=request.user, scope=request.scope, file_format=file_format, filters=filters
    )
    content_type = XLSX_CONTENT_TYPE if file_format == "xlsx" else CSV_CONTENT_TYPE
    return attachment(data, _("小区台账.%(ext)s") % {"ext": file_format}, content_type)


@staff_required
@require_GET
def export_progress(request, pk):
    """The export job's progress bar (htmx polls it), then its file, for its user only."""
    task = get_export(request.user, pk)
    context = {"task": task, "ready": bool(export_file(task))}
    template = "territory/_export_progress.html" if request.htmx else "territory/export.html"
    return render(request, template, context)


@staff_required
@require_GET
def export_download(request, pk):
    """The finished export, to the user who asked for it, while they may still export."""
    require_roles(request, EXPORT_ROLES)
    task = get_export(request.user, pk)
    name = export_file(task)
    if not name:
        raise NotFound()
    file_format = "xlsx" if name.endswith(".xlsx") else "csv"
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=_("小区台账.%(ext)s") % {"ext": file_format},
        content_type=XLSX_CONTENT_TYPE if file_format == "xlsx" else CSV_CONTENT_TYPE,
    )


@staff_required
@require_GET
def annotated_download(request, pk):
    """The rejected file with its problems marked, for whoever may see the import's task; a task
    without one sends the viewer to its progress page."""
    progress = get_task_progress(request.scope, request.user, pk)
    name = (progress.result or {}).get("annotated_file") if progress.task_name == IMPORT_JOB else ""
    if not name or not default_storage.exists(name):
        return redirect(reverse("core:task-detail", args=[progress.pk]))
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=_("问题标注-%(file)s.xlsx")
        % {"file": Path(progress.result.get("filename", "")).stem or "import"},
        content_type=XLSX_CONTENT_TYPE,
    )
