"""Background jobs on django-tasks' database queue, with what the backend lacks.

django-tasks (the backport of Django 6's `django.tasks`) with the `django-tasks-db` backend
queues work in the database, so the same queue works on SQLite and PostgreSQL. It keeps no
progress, does not notice a worker that died, and does not retry. anju adds:

* a `TaskProgress` row per job, updated in its own short transactions (a web bar polls it);
* a heartbeat written by a thread while the job runs;
* `reap_stalled()`, run by `anju worker` every few seconds, which re-queues a job whose
  heartbeat stopped (up to `max_attempts`) and otherwise marks it failed;
* one registered task, `run_tracked`, that runs any job function named by dotted path, so
  jobs themselves are plain functions that the CLI can also call directly.
"""

from __future__ import annotations

import logging
import threading
import traceback
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from .models import TaskProgress

logger = logging.getLogger(__name__)


class DatabaseProgress:
    """Writes progress to the TaskProgress row, at most a few times a second."""

    def __init__(self, progress_id):
        self.progress_id = progress_id
        self._last_percent = -1

    def report(self, stage: str, percent: int, message: str = "") -> None:
        percent = max(0, min(100, int(percent)))
        if percent == self._last_percent and not message:
            return
        self._last_percent = percent
        write_progress(
            self.progress_id,
            stage=str(stage)[:120],
            percent=percent,
            message=str(message)[:500],
            heartbeat_at=timezone.now(),
        )


def write_progress(progress_id, **fields) -> None:
    """Update the progress row. Jobs report before their final transaction, so this commits
    at once; a report made inside a transaction shows when that transaction commits."""
    TaskProgress.objects.filter(pk=progress_id).update(**fields)


class Heartbeat:
    """Touches `heartbeat_at` every few seconds from a thread with its own connection."""

    def __init__(self, progress_id, every: float | None = None):
        self.progress_id = progress_id
        self.every = every or settings.ANJU_TASK_HEARTBEAT_SECONDS
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="anju-heartbeat")

    def _run(self):
        try:
            while not self._stop.wait(self.every):
                try:
                    TaskProgress.objects.filter(
                        pk=self.progress_id, state=TaskProgress.State.RUNNING
                    ).update(heartbeat_at=timezone.now())
                except Exception:  # a busy database must not kill the job
                    logger.warning("heartbeat for %s missed", self.progress_id, exc_info=True)
        finally:
            close_old_connections()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=5)


def start_job(
    *,
    job: str,
    label: str,
    arguments: dict,
    actor=None,
    territory_path: str = "",
    max_attempts: int = 3,
) -> TaskProgress:
    """Record a job and queue it once the surrounding transaction commits."""
    progress = TaskProgress.objects.create(
        task_name=job,
        label=str(label)[:200],
        arguments=arguments,
        created_by=actor if getattr(actor, "pk", None) else None,
        territory_path=territory_path,
        max_attempts=max_attempts,
    )
    transaction.on_commit(lambda: run_tracked.enqueue(str(progress.pk)))
    return progress


def claim(progress_id) -> bool:
    """Move a queued job to running; the row count says whether this worker got it."""
    return bool(
        TaskProgress.objects.filter(pk=progress_id, state=TaskProgress.State.QUEUED).update(
            state=TaskProgress.State.RUNNING,
            heartbeat_at=timezone.now(),
            attempts=F("attempts") + 1,
        )
    )


@task()
def run_tracked(progress_id: str) -> None:
    """The one registered task: run the job that a TaskProgress row names."""
    if not claim(progress_id):
        logger.info("job %s was not queued (already taken or finished)", progress_id)
        return
    progress = TaskProgress.objects.get(pk=progress_id)
    job = import_string(progress.task_name)
    reporter = DatabaseProgress(progress.pk)
    try:
        with Heartbeat(progress.pk):
            result = job(reporter, **progress.arguments)
    except Exception as exc:
        message = getattr(exc, "message", None) or str(exc)
        TaskProgress.objects.filter(pk=progress.pk).update(
            state=TaskProgress.State.FAILED,
            error=str(message)[:5000],
            message=str(message)[:500],
            finished_at=timezone.now(),
            result=getattr(exc, "result", None),
        )
        logger.warning("job %s failed:\n%s", progress.pk, traceback.format_exc())
        return
    TaskProgress.objects.filter(pk=progress.pk).update(
        state=TaskProgress.State.SUCCEEDED,
        percent=100,
        result=result,
        finished_at=timezone.now(),
    )


def reap_stalled(now=None, stale_after: float | None = None) -> dict[str, int]:
    """Re-queue jobs whose worker stopped beating; fail those out of attempts.

    Each row is claimed with a conditional update on its old heartbeat, so two reapers never
    re-queue the same job twice.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=stale_after or settings.ANJU_TASK_STALE_SECONDS)
    counts = {"requeued": 0, "failed": 0}
    stalled = TaskProgress.objects.filter(
        state=TaskProgress.State.RUNNING, heartbeat_at__lt=cutoff
    ).values_list("pk", "attempts", "max_attempts", "heartbeat_at")
    for pk, attempts, max_attempts, heartbeat_at in list(stalled):
        same_row = TaskProgress.objects.filter(
            pk=pk, state=TaskProgress.State.RUNNING, heartbeat_at=heartbeat_at
        )
        if attempts < max_attempts:
            if same_row.update(state=TaskProgress.State.QUEUED, message="工作进程已停止，正在重试"):
                run_tracked.enqueue(str(pk))
                counts["requeued"] += 1
        elif same_row.update(
            state=TaskProgress.State.FAILED,
            finished_at=now,
            error="工作进程停止响应，且重试次数已用完。",
        ):
            counts["failed"] += 1
    return counts
