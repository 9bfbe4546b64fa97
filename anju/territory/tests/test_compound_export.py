"""Exporting the compound list: the export link follows the filters applied by htmx (defect
11), and a large export runs as a tracked background job whose file only the user who
started it may download (the job keeps that user's scope)."""

import re
from html import unescape

import pytest
from django.urls import reverse

from anju.core.excel import read_workbook
from anju.core.models import AuditEvent, TaskProgress

pytestmark = pytest.mark.django_db


def export_link(html: str) -> str:
    match = re.search(r'href="([^"]*/registry/export/\?[^"]*)"', html)
    assert match, "no export link"
    return unescape(match.group(1))


def exported_codes(response) -> set[str]:
    rows = read_workbook(response.content).sheets["小区"].rows[1:]
    return {row[0] for row in rows}


def test_export_link_of_an_htmx_filtered_list_carries_the_filters(client_as, city_officer, city):
    client = client_as(city_officer)
    rows = client.get(
        reverse("territory:compound-list"),
        {"district": "420106", "q": "积玉"},
        HTTP_HX_REQUEST="true",
    )
    link = export_link(rows.text)
    assert "district=420106" in link

    response = client.get(link)

    assert response.status_code == 200
    assert exported_codes(response) == {city.wuchang_compound.code}


def test_export_link_of_the_full_page_carries_the_filters(client_as, city_officer, city):
    client = client_as(city_officer)
    page = client.get(reverse("territory:compound-list"), {"district": "420102"})

    assert exported_codes(client.get(export_link(page.text))) == {city.jiangan_compound.code}


def test_small_exports_stay_in_the_request(client_as, city_officer, city):
    response = client_as(city_officer).get(reverse("territory:export"), {"format": "xlsx"})

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert not TaskProgress.objects.exists()


@pytest.fixture
def small_threshold(settings):
    settings.ANJU_EXPORT_SYNC_MAX_ROWS = 3  # each fixture compound has 4 households


def start_large_export(client, django_capture_on_commit_callbacks, **params):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("territory:export"), {"format": "xlsx", **params})
    assert response.status_code == 302
    return TaskProgress.objects.get(), response


def test_large_export_runs_as_a_job_and_offers_the_file_to_its_user(
    client_as, jiangan_officer, city, small_threshold, django_capture_on_commit_callbacks
):
    client = client_as(jiangan_officer)
    task, response = start_large_export(client, django_capture_on_commit_callbacks)

    assert response["Location"] == reverse("territory:export-progress", args=[task.pk])
    task.refresh_from_db()
    assert task.state == TaskProgress.State.SUCCEEDED
    page = client.get(response["Location"])
    assert page.status_code == 200
    download_url = reverse("territory:export-download", args=[task.pk])
    assert download_url in page.text

    download = client.get(download_url)

    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    workbook = read_workbook(b"".join(download.streaming_content))
    assert {row[0] for row in workbook.sheets["小区"].rows[1:]} == {city.jiangan_compound.code}
    phones = [row[7] for row in workbook.sheets["住户"].rows[1:]]
    assert phones and all("****" in phone for phone in phones)
    assert AuditEvent.objects.filter(verb="registry.exported").count() == 1


def test_large_export_job_keeps_the_filters(
    client_as, city_officer, city, small_threshold, django_capture_on_commit_callbacks
):
    client = client_as(city_officer)
    task, _ = start_large_export(client, django_capture_on_commit_callbacks, district="420106")

    download = client.get(reverse("territory:export-download", args=[task.pk]))

    workbook = read_workbook(b"".join(download.streaming_content))
    assert {row[0] for row in workbook.sheets["小区"].rows[1:]} == {city.wuchang_compound.code}


def test_another_user_may_not_see_or_download_the_export(
    client_as, jiangan_officer, city_officer, small_threshold, django_capture_on_commit_callbacks
):
    task, _ = start_large_export(client_as(jiangan_officer), django_capture_on_commit_callbacks)
    other = client_as(city_officer)

    assert other.get(reverse("territory:export-download", args=[task.pk])).status_code == 404
    assert other.get(reverse("territory:export-progress", args=[task.pk])).status_code == 404


def test_progress_page_polls_until_the_file_is_ready(client_as, jiangan_officer, city):
    from anju.territory.jobs import EXPORT_JOB

    task = TaskProgress.objects.create(
        task_name=EXPORT_JOB, label="x", created_by=jiangan_officer, percent=40, stage="住户"
    )
    client = client_as(jiangan_officer)
    page = client.get(reverse("territory:export-progress", args=[task.pk]))

    assert "hx-trigger" in page.text
    assert "40%" in page.text
    assert reverse("territory:export-download", args=[task.pk]) not in page.text
    assert client.get(reverse("territory:export-download", args=[task.pk])).status_code == 404
