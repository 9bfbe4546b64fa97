"""Background jobs of the registry: importing an uploaded workbook, exporting a large one.

A job is a plain function run by `anju.core.tasks.run_tracked`, so it receives only JSON
arguments. The viewer's scope travels as its fields and is rebuilt by the import core
(`stage_upload`, `uploader`): territory sits below `access` and must not call `scope_for`.
"""

from __future__ import annotations

import dataclasses
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from anju.core.errors import NotFound
from anju.core.importing import (
    ImportParams,
    import_upload,
    stage_upload,
    task_url,
    uploader,
)
from anju.core.models import TaskProgress
from anju.core.scope import Scope
from anju.core.tasks import start_job

from .importers import RegistryImporter, export_registry, labelled_counts
from .paths import common_path
from .selectors import CompoundFilters

IMPORT_JOB = "anju.territory.jobs.import_registry_job"
EXPORT_JOB = "anju.territory.jobs.export_registry_job"
EXPORT_DIR = "exports"


def start_registry_import(*, upload, user, scope: Scope, dry_run: bool = False) -> TaskProgress:
    """Keep the upload in default storage and queue the import job for it."""
    arguments = {**stage_upload(upload, user, scope), "dry_run": dry_run}
    label = _("导入台账：%(file)s") % {"file": arguments["filename"]}
    return start_job(job=IMPORT_JOB, label=label, arguments=arguments, actor=user,
                     territory_path=common_path(scope.node_paths), max_attempts=2)  # fmt: skip


def import_registry_job(
    progress, *, upload_path: str, filename: str, dry_run: bool = False, **uploaded_by
) -> dict:
    """Import the uploaded registry file as the user who uploaded it.

    Returns {"status": "imported" | "checked", "summary", "counts", "rows", ...}. On rejection
    the ImportRejected propagates (the task ends failed, with its message) carrying `result`:
    {"status": "rejected", "problem_count", "problems", "annotated_file", "annotated_url"},
    the marked-up copy's name in default storage and its download address.
    """
    user, scope = uploader(**uploaded_by)
    params = ImportParams(actor=user, scope=scope, filename=filename, dry_run=dry_run)
    return import_upload(
        RegistryImporter,
        upload_path=upload_path,
        params=params,
        progress=progress,
        annotated_view="territory:import-annotated",
        labelled=labelled_counts,
        result={"filename": filename},
    )


def scope_arguments(user, scope: Scope) -> dict:
    """Who asked, with what scope, as JSON job arguments (`uploader` rebuilds them)."""
    return {
        "user_id": user.pk,
        "node_paths": list(scope.node_paths),
        "compound_ids": sorted(scope.compound_ids),
        "roles": sorted(scope.roles),
        "scope_organisation_id": scope.organisation_id,
    }


def start_registry_export(
    *, user, scope: Scope, file_format: str, filters: CompoundFilters
) -> TaskProgress:
    """Queue an export too large to build in the request. The task has no territory path, so
    only the user who asked sees its progress and may download its file."""
    arguments = {
        **scope_arguments(user, scope),
        "file_format": file_format,
        "filters": dataclasses.asdict(filters),
    }
    label = _("导出台账（%(format)s）") % {"format": file_format.upper()}
    return start_job(job=EXPORT_JOB, label=label, arguments=arguments, actor=user,
                     territory_path="", max_attempts=2)  # fmt: skip


def export_registry_job(progress, *, file_format: str, filters: dict, **exported_by) -> dict:
    """Build the export with the scope the user had when asking, keep it in default storage
    and return {"status": "exported", "file", "filename", "summary", "download_url"}."""
    user, scope = uploader(**exported_by)
    data = export_registry(
        actor=user,
        scope=scope,
        file_format=file_format,
        filters=CompoundFilters(**filters),
        progress=progress,
    )
    progress.report(_("保存文件"), 98)
    name = default_storage.save(f"{EXPORT_DIR}/{uuid.uuid4().hex}.{file_format}", ContentFile(data))
    return {
        "status": "exported",
        "file": name,
        "filename": _("小区台账.%(ext)s") % {"ext": file_format},
        "summary": _("导出完成，请下载文件。"),
        "download_url": task_url("territory:export-download", progress),
    }


def get_export(user, pk) -> TaskProgress:
    """An export job, for the user who started it only (it holds their scope's data); anyone
    else, and an id that is not an export, get the same not-found."""
    task = TaskProgress.objects.filter(pk=pk, task_name=EXPORT_JOB, created_by=user).first()
    if task is None or user.pk is None:
        raise NotFound()
    return task


def export_file(task: TaskProgress) -> str:
    """The finished export's file in default storage, or "" while it is not ready."""
    name = (task.result or {}).get("file", "")
    ready = task.state == TaskProgress.State.SUCCEEDED and name and default_storage.exists(name)
    return name if ready else ""
