"""Issue 13, defect 14, for paper needs surveys: hostile files are refused quickly, in bounded
memory, with a clear problem, and nothing is written, through the importer and the page's job
(which the task worker used to die on, be retried by the reaper, and die on again)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from anju.core.importing import ImportParams, ImportRejected
from anju.core.models import AuditEvent, TaskProgress
from anju.core.scope import Scope
from anju.core.tests.hostile_files import HOSTILE, hostile_file, peak_mb
from anju.engagement import services
from anju.engagement.importers import HEADERS, SHEET, NeedsImporter
from anju.engagement.models import Submission

pytestmark = pytest.mark.django_db

EXPECTED = {
    "XFD1048576": f"工作表“{SHEET}”在 XFD1048576 还有内容",
    "ALL20000": f"工作表“{SHEET}”在 ALL20000 还有内容",
    "zip-bomb": "文件解压后超过",
    "not-a-zip": "内容不是 Excel 表格",
    # 20,000 rows: refused at the first row past the 5,000 answers allowed (and the margin)
    "garbage": f"工作表“{SHEET}”在 A6001 还有内容",
}


def hostile(name: str) -> bytes:
    return hostile_file(name, SHEET, tuple(HEADERS))


def district_scope(node):
    return Scope(roles=frozenset({"district_task_force"}), node_paths=(node.path,))


@pytest.fixture
def campaign(city, jiangan_officer):
    return services.open_campaign(
        actor=jiangan_officer,
        scope=district_scope(city.jiangan),
        node=city.jiangan,
        title="铭新街小区问需",
        compounds=[city.jiangan_compound],
        starts_on=services.today() - timedelta(days=1),
        ends_on=services.today() + timedelta(days=14),
    )


def written() -> tuple[int, int]:
    return Submission.objects.count(), AuditEvent.objects.filter(verb="needs.imported").count()


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_file_is_refused_quickly_in_bounded_memory(name, campaign, jiangan_officer, city):
    before = written()
    params = ImportParams(
        actor=jiangan_officer, scope=district_scope(city.jiangan), filename="问卷.xlsx"
    )

    outcome, seconds, megabytes = peak_mb(
        lambda: NeedsImporter(campaign).run(hostile(name), params)
    )

    assert isinstance(outcome, ImportRejected), outcome
    assert [EXPECTED[name] in p.message for p in outcome.problems] == [True]
    assert seconds < 10 and megabytes < 200, (seconds, megabytes)
    assert written() == before


def test_the_pages_job_fails_cleanly_with_the_message(
    client_as, jiangan_officer, campaign, django_capture_on_commit_callbacks
):
    before = written()
    upload = SimpleUploadedFile("问卷.xlsx", hostile("XFD1048576"))
    with django_capture_on_commit_callbacks(execute=True):
        client_as(jiangan_officer).post(
            reverse("engagement:needs-import", args=[campaign.pk]), {"file": upload}
        )

    task = TaskProgress.objects.get()
    assert task.state == TaskProgress.State.FAILED
    assert task.attempts == 1
    assert "XFD1048576" in task.message
    assert task.result["problems"][0]["letter"] == "XFD"
    assert written() == before
