"""Background jobs of the registry: importing an uploaded workbook.

A job is a plain function run by `anju.core.tasks.run_tracked`, so it receives only JSON
arguments. The viewer's scope travels as its fields (node paths, compound ids, roles) and is
rebuilt here: territory sits below `access` (ARCHITECTURE.md) and must not call `scope_for`.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from anju.core.errors import PermissionDenied
from anju.core.importing import ImportParams, ImportRejected, common_path
from anju.core.models import TaskProgress
from anju.core.scope import Scope
from anju.core.tasks import start_job

from .importers import RegistryImporter, labelled_counts

IMPORT_JOB = "anju.territory.jobs.import_registry_job"
UPLOAD_DIR = "imports/uploads"
ANNOTATED_DIR = "imports"
# The task result is a JSON column: keep the first problems there, the annotated copy has all.
RESULT_PROBLEM_LIMIT = 500


def start_registry_import(*, upload, user, scope: Scope, dry_run: bool = False) -> TaskProgress:
    """Keep the upload in default storage and queue the import job for it."""
    suffix = Path(upload.name).suffix.lower()
    upload_path = default_storage.save(f"{UPLOAD_DIR}/{uuid.uuid4().hex}{suffix}", upload)
    arguments = {
        "upload_path": upload_path,
        "user_id": user.pk,
        "filename": Path(upload.name).name,
        "node_paths": list(scope.node_paths),
        "compound_ids": sorted(scope.compound_ids),
        "roles": sorted(scope.roles),
        "dry_run": dry_run,
    }
    label = _("导入台账：%(file)s") % {"file": arguments["filename"]}
    return start_job(job=IMPORT_JOB, label=label, arguments=arguments, actor=user,
                     territory_path=common_path(scope.node_paths), max_attempts=2)  # fmt: skip


def import_registry_job(
    progress,
    *,
    upload_path: str,
    user_id: int,
    filename: str,
    node_paths=(),
    compound_ids=(),
    roles=(),
    dry_run: bool = False,
) -> dict:
    """Import the uploaded registry file as the user who uploaded it.

    Returns {"status": "imported" | "checked", "summary", "counts", "rows", ...}. On rejection
    the ImportRejected propagates (the task ends failed, with its message) carrying `result`:
    {"status": "rejected", "problem_count", "problems", "annotated_file", "annotated_url"},
    the marked-up copy's name in default storage and its download address.
    """
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise PermissionDenied()
    scope = Scope(
        roles=frozenset(roles),
        node_paths=tuple(node_paths),
        compound_ids=frozenset(compound_ids),
        user_id=user_id,
        label=user.get_username(),
    )
    params = ImportParams(actor=user, scope=scope, filename=filename, dry_run=dry_run)
    with default_storage.open(upload_path, "rb") as handle:
        data = handle.read()
    try:
        report = RegistryImporter().run(data, params, progress)
    except ImportRejected as exc:
        annotated = default_storage.save(
            f"{ANNOTATED_DIR}/{uuid.uuid4().hex}.xlsx", ContentFile(exc.annotated_copy())
        )
        exc.result = {
            "status": "rejected",
            "filename": filename,
            "problem_count": len(exc.problems),
            "problems": [p.as_dict() for p in exc.problems[:RESULT_PROBLEM_LIMIT]],
            "annotated_file": annotated,
            "annotated_url": annotated_url(progress),
        }
        raise
    finally:
        default_storage.delete(upload_path)  # personal data: keep the upload no longer
    summary = "，".join(f"{label} {count}" for label, count in labelled_counts(report.counts))
    return {
        "status": "checked" if dry_run else "imported",
        "filename": filename,
        "summary": _("检查通过，未写入任何数据。") if dry_run else summary,
        "rows": report.rows,
        "counts": report.counts,
    }


def annotated_url(progress) -> str:
    """The download address of the marked-up copy, when the job runs as a tracked task."""
    task_id = getattr(progress, "progress_id", None)
    if task_id is None:
        return ""
    try:
        return reverse("territory:import-annotated", args=[task_id])
    except NoReverseMatch:
        return ""
