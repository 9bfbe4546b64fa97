"""Issue 13, defect 14, for others' works: hostile spreadsheets are refused quickly, in
bounded memory, with a clear problem, and nothing is written, through the importer and the
upload page's job (which the task worker used to die on, be retried, and die on again)."""

import importlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from anju.coordination.importers import SHEET, WorksImporter
from anju.core.importing import Importer, ImportParams, ImportRejected, ImportReport
from anju.core.models import TaskProgress
from anju.core.tests.hostile_files import HOSTILE, hostile_file, peak_mb

from .works_helpers import WORK_HEADERS, nothing_written, utility_in, utility_scope

pytestmark = pytest.mark.django_db

EXPECTED = {
    "XFD1048576": f"工作表“{SHEET}”在 XFD1048576 还有内容",
    "ALL20000": f"工作表“{SHEET}”在 ALL20000 还有内容",
    "zip-bomb": "文件解压后超过",
    "not-a-zip": "内容不是 Excel 表格",
    # 20,000 rows: refused at the first row past the 5,000 works allowed (and the margin)
    "garbage": f"工作表“{SHEET}”在 A6001 还有内容",
}


def hostile(name: str) -> bytes:
    return hostile_file(name, SHEET, tuple(WORK_HEADERS))


@pytest.fixture
def water(city):
    return utility_in(city, "江城水务", "water-user")


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_file_is_refused_quickly_in_bounded_memory(name, water):
    organisation, user = water
    before = nothing_written()
    params = ImportParams(actor=user, scope=utility_scope(organisation), filename="工程.xlsx")

    outcome, seconds, megabytes = peak_mb(
        lambda: WorksImporter(organisation).run(hostile(name), params)
    )

    assert isinstance(outcome, ImportRejected), outcome
    assert [EXPECTED[name] in p.message for p in outcome.problems] == [True]
    assert seconds < 10 and megabytes < 200, (seconds, megabytes)
    assert nothing_written() == before


def test_the_upload_pages_job_fails_cleanly_with_the_message(
    client_as, water, django_capture_on_commit_callbacks
):
    _organisation, user = water
    before = nothing_written()
    upload = SimpleUploadedFile("工程.xlsx", hostile("XFD1048576"))
    with django_capture_on_commit_callbacks(execute=True):
        client_as(user).post(reverse("coordination:work-upload"), {"file": upload, "crs": "wgs84"})

    task = TaskProgress.objects.get()
    assert task.state == TaskProgress.State.FAILED
    assert task.attempts == 1
    assert "XFD1048576" in task.message
    assert task.result["problems"][0]["letter"] == "XFD"
    assert nothing_written() == before


def all_importers() -> list[type[Importer]]:
    """Every Importer subclass of the apps (coordination sits above all the apps that have
    one, so this test can import them)."""
    for module in IMPORTER_MODULES:
        importlib.import_module(module)
    found, pending = [], list(Importer.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("anju.") and ".tests." not in cls.__module__:
            found.append(cls)
    return sorted(found, key=lambda cls: cls.__qualname__)


IMPORTER_MODULES = (
    "anju.core.holidays",
    "anju.territory.importers",
    "anju.access.onboarding",
    "anju.engagement.importers",
    "anju.coordination.importers",
)


@pytest.mark.parametrize("name", ["XFD1048576", "ALL20000"])
def test_every_importer_reads_within_its_declared_bounds(name):
    """Whatever an importer checks later, its read step refuses a cell beyond its limits
    before calamine sizes the sheet; a new importer inherits this from Importer."""
    importers = all_importers()
    assert {"RegistryImporter", "NeedsImporter", "WorksImporter"} <= {
        cls.__name__ for cls in importers
    }
    for cls in importers:
        importer = cls.__new__(cls)  # the read step needs only the class's declarations
        sheet = importer.sheets[0]
        data = hostile_file(name, sheet.name, tuple(sheet.headers))
        params = ImportParams(actor=None, scope=None, filename="x.xlsx")
        with pytest.raises(ImportRejected, match=f"在 {name} 还有内容"):
            importer.read(data, params, ImportReport())
