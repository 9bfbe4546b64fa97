"""Background jobs of the registry: importing an uploaded workbook.

A job is a plain function run by `anju.core.tasks.run_tracked`, so it receives only JSON
arguments. The viewer's scope travels as its fields and is rebuilt by the import core
(`stage_upload`, `uploader`): territory sits below `access` and must not call `scope_for`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from anju.core.importing import (
    ImportParams,
    common_path,
    import_upload,
    stage_upload,
    uploader,
)
from anju.core.models import TaskProgress
from anju.core.scope import Scope
from anju.core.tasks import start_job

from .importers import RegistryImporter, labelled_counts

IMPORT_JOB = "anju.territory.jobs.import_registry_job"


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
