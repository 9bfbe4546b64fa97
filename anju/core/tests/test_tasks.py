"""Background jobs: progress recorded, failures kept with their message, stalled jobs reaped."""

from datetime import timedelta

import pytest
from django.utils import timezone

from anju.core.models import TaskProgress
from anju.core.tasks import claim, reap_stalled, start_job

pytestmark = pytest.mark.django_db


def counting_job(progress, *, upto):
    for step in range(upto):
        progress.report("counting", int(100 * (step + 1) / upto), f"{step + 1}/{upto}")
    return {"counted": upto}


def failing_job(progress):
    progress.report("trying", 10)
    raise ValueError("the file has no sheet named 小区")


def test_job_runs_and_records_its_result(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        progress = start_job(job=f"{__name__}.counting_job", label="计数", arguments={"upto": 4})
    progress.refresh_from_db()
    assert progress.state == TaskProgress.State.SUCCEEDED
    assert progress.percent == 100
    assert progress.result == {"counted": 4}
    assert progress.attempts == 1


def test_failed_job_keeps_the_message(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        progress = start_job(job=f"{__name__}.failing_job", label="失败", arguments={})
    progress.refresh_from_db()
    assert progress.state == TaskProgress.State.FAILED
    assert "小区" in progress.error
    assert progress.stage == "trying"


def test_a_job_is_claimed_once():
    progress = TaskProgress.objects.create(task_name="x", label="x")
    assert claim(progress.pk) is True
    assert claim(progress.pk) is False


def test_reaper_requeues_a_job_whose_worker_died(django_capture_on_commit_callbacks):
    stale = timezone.now() - timedelta(minutes=10)
    progress = TaskProgress.objects.create(
        task_name=f"{__name__}.counting_job",
        label="x",
        arguments={"upto": 2},
        state=TaskProgress.State.RUNNING,
        heartbeat_at=stale,
        attempts=1,
    )
    counts = reap_stalled()
    progress.refresh_from_db()
    assert counts == {"requeued": 1, "failed": 0}
    # the immediate test backend ran the re-queued job at once
    assert progress.state == TaskProgress.State.SUCCEEDED
    assert progress.attempts == 2


def test_reaper_fails_a_job_out_of_attempts():
    stale = timezone.now() - timedelta(minutes=10)
    progress = TaskProgress.objects.create(
        task_name="x",
        label="x",
        state=TaskProgress.State.RUNNING,
        heartbeat_at=stale,
        attempts=3,
        max_attempts=3,
    )
    assert reap_stalled() == {"requeued": 0, "failed": 1}
    progress.refresh_from_db()
    assert progress.state == TaskProgress.State.FAILED


def test_reaper_leaves_a_beating_job_alone():
    TaskProgress.objects.create(
        task_name="x",
        label="x",
        state=TaskProgress.State.RUNNING,
        heartbeat_at=timezone.now(),
        attempts=1,
    )
    assert reap_stalled() == {"requeued": 0, "failed": 0}


def test_progress_page_polls_until_finished(client_as, jiangan_officer, city):
    progress = TaskProgress.objects.create(
        task_name="x",
        label="导入台账",
        percent=40,
        state=TaskProgress.State.RUNNING,
        territory_path=city.jiangan.path,
    )
    client = client_as(jiangan_officer)
    response = client.get(f"/workbench/tasks/{progress.pk}/", HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in response.text
    assert "40%" in response.text
    TaskProgress.objects.filter(pk=progress.pk).update(
        state=TaskProgress.State.SUCCEEDED, percent=100
    )
    response = client.get(f"/workbench/tasks/{progress.pk}/", HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in response.text
