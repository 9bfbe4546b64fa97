"""The import page (upload → background job → progress page), template, export and the
annotated copy, for the personas of anju/conftest.py."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from anju.core.excel import read_workbook
from anju.core.models import AuditEvent, TaskProgress
from anju.territory.models import Compound, Household

from .registry_helpers import compound_row, registry_file

pytestmark = pytest.mark.django_db


def upload(client, data: bytes, name="台账.xlsx", **fields):
    return client.post(
        reverse("territory:import"), {"file": SimpleUploadedFile(name, data), **fields}
    )


def jiangan_file(**overrides) -> bytes:
    values = {"小区编码": "JA-NEW", "社区编码": "420102001001", **overrides}
    return registry_file(compounds=[compound_row(**values)])


def test_import_page_offers_template_upload_and_export(client_as, jiangan_officer):
    response = client_as(jiangan_officer).get(reverse("territory:import"))

    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("territory:import-template") in body
    assert reverse("territory:export") + "?format=xlsx" in body
    assert 'enctype="multipart/form-data"' in body


@pytest.mark.parametrize("persona", ["designer", "unassigned_builder"])
def test_companies_may_not_import(client_as, request, persona):
    user = request.getfixturevalue(persona)

    response = client_as(user).get(reverse("territory:import"))

    assert response.status_code in (403, 404)


def test_anonymous_visitors_are_sent_to_sign_in(client, city):
    response = client.get(reverse("territory:import"))

    assert response.status_code == 302
    assert "sign-in" in response["Location"]


def test_upload_runs_the_job_and_shows_the_progress_page(
    client_as, jiangan_officer, django_capture_on_commit_callbacks
):
    client = client_as(jiangan_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, jiangan_file())

    task = TaskProgress.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:task-detail", args=[task.pk])
    task.refresh_from_db()
    assert task.state == TaskProgress.State.SUCCEEDED, task.error
    assert task.result["counts"]["compounds_created"] == 1
    assert "新建小区 1" in task.result["summary"]
    assert task.created_by == jiangan_officer
    assert task.territory_path == "4201/420102/"
    assert Compound.objects.filter(code="JA-NEW").exists()
    assert AuditEvent.objects.get(verb="registry.imported").actor == jiangan_officer


def test_rejected_upload_fails_the_job_with_problems_and_a_marked_copy(
    client_as, jiangan_officer, wuchang_officer, django_capture_on_commit_callbacks
):
    client = client_as(jiangan_officer)
    compounds = Compound.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, jiangan_file(社区编码="420106001001"))

    task = TaskProgress.objects.get()
    assert task.state == TaskProgress.State.FAILED
    assert "1 处问题" in task.message
    assert task.result["problems"] == [
        {"sheet": "小区", "row": 2, "column": "社区编码", "letter": "C",
         "message": "社区编码“420106001001”不存在或不在您的辖区内。"}
    ]  # fmt: skip
    assert Compound.objects.count() == compounds
    marked = reverse("territory:import-annotated", args=[task.pk])
    assert task.result["annotated_url"] == marked

    response = client.get(marked)
    workbook = read_workbook(b"".join(response.streaming_content))
    assert workbook.names == ["问题清单", "小区"]

    assert client_as(wuchang_officer).get(marked).status_code == 404


def test_upload_rejects_other_file_types(client_as, jiangan_officer):
    response = upload(client_as(jiangan_officer), b"hello", name="notes.txt")

    assert response.status_code == 200
    assert "请上传 .xlsx、.xls 或 .csv 文件。" in response.content.decode()
    assert not TaskProgress.objects.exists()


def test_dry_run_upload_writes_nothing(
    client_as, jiangan_officer, django_capture_on_commit_callbacks
):
    before = Compound.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        upload(client_as(jiangan_officer), jiangan_file(), dry_run="on")

    task = TaskProgress.objects.get()
    assert task.state == TaskProgress.State.SUCCEEDED
    assert task.result["status"] == "checked"
    assert Compound.objects.count() == before


def test_recent_imports_are_listed_on_the_page(
    client_as, jiangan_officer, django_capture_on_commit_callbacks
):
    client = client_as(jiangan_officer)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, jiangan_file(建筑面积=-3))

    body = client.get(reverse("territory:import")).content.decode()

    assert "导入台账：台账.xlsx" in body
    assert reverse("territory:import-annotated", args=[TaskProgress.objects.get().pk]) in body


def test_template_download_is_an_xlsx_with_instructions(client):
    response = client.get(reverse("territory:import-template"))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert read_workbook(response.content).names[0] == "填写说明"


def test_export_csv_is_the_default_and_stays_in_the_district(client_as, jiangan_officer, city):
    response = client_as(jiangan_officer).get(reverse("territory:export"))

    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert city.jiangan_compound.code in text
    assert city.wuchang_compound.code not in text


def test_export_xlsx_masks_phones_for_the_district_officer(client_as, jiangan_officer, city):
    response = client_as(jiangan_officer).get(reverse("territory:export") + "?format=xlsx")

    workbook = read_workbook(response.content)
    phones = [row[7] for row in workbook.sheets["住户"].rows[1:]]
    assert phones and all("****" in phone for phone in phones)
    codes = {row[0] for row in workbook.sheets["住户"].rows[1:]}
    assert codes == {city.jiangan_compound.code}


def test_export_xlsx_shows_phones_to_the_community_worker(
    client_as, jiangan_community_worker, city
):
    response = client_as(jiangan_community_worker).get(reverse("territory:export") + "?format=xlsx")

    phones = [row[7] for row in read_workbook(response.content).sheets["住户"].rows[1:]]
    assert set(phones) == set(Household.objects.filter(
        compound=city.jiangan_compound).values_list("phone", flat=True))  # fmt: skip
    assert AuditEvent.objects.get(verb="registry.exported").after["personal_data"] is True


def test_export_follows_the_compound_list_filters(client_as, city_officer, city):
    response = client_as(city_officer).get(reverse("territory:export") + "?district=420106")

    text = response.content.decode("utf-8-sig")
    assert city.wuchang_compound.code in text
    assert city.jiangan_compound.code not in text


def test_companies_may_not_export(client_as, designer):
    response = client_as(designer).get(reverse("territory:export"))

    assert response.status_code in (403, 404)


def test_upload_without_a_file_shows_the_form_error(client_as, jiangan_officer):
    response = client_as(jiangan_officer).post(reverse("territory:import"), {})

    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert not TaskProgress.objects.exists()


def test_the_import_page_lists_recent_imports_with_their_marked_copies(
    client_as, jiangan_officer, django_capture_on_commit_callbacks
):
    client = client_as(jiangan_officer)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, jiangan_file(社区编码="420106001001"))
    task = TaskProgress.objects.get()
    page = client.get(reverse("territory:import")).content.decode()
    assert "最近的导入" in page
    assert reverse("core:task-detail", args=[task.pk]) in page
    assert reverse("territory:import-annotated", args=[task.pk]) in page
