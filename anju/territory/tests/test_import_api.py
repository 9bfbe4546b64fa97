"""POST /api/v1/registry/import/: the importer answered synchronously over the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from anju.territory import api
from anju.territory.models import Compound

from .registry_helpers import compound_row, registry_file, written_counts

pytestmark = pytest.mark.django_db


def post(client, data: bytes, **fields):
    upload = SimpleUploadedFile("台账.xlsx", data)
    return client.post(reverse("api-registry-import"), {"file": upload, **fields})


def jiangan_file(**overrides) -> bytes:
    values = {"小区编码": "JA-API", "社区编码": "420102001001", **overrides}
    return registry_file(compounds=[compound_row(**values)])


def test_import_answers_201_with_the_counts(client_as, jiangan_officer):
    response = post(client_as(jiangan_officer), jiangan_file())

    assert response.status_code == 201
    assert response.json()["counts"]["compounds_created"] == 1
    assert response.json()["rows"] == {"小区": 1}
    assert Compound.objects.filter(code="JA-API").exists()


def test_rejected_file_answers_400_with_every_problem(client_as, jiangan_officer):
    before = written_counts()

    response = post(client_as(jiangan_officer), jiangan_file(社区编码="420106001001", 建成年份=1))

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_rejected"
    assert body["fields"] == {}
    assert [(p["sheet"], p["row"], p["column"]) for p in body["problems"]] == [
        ("小区", 2, "社区编码"), ("小区", 2, "建成年份")
    ]  # fmt: skip
    assert body["problems"][0]["message"] == "社区编码“420106001001”不存在或不在您的辖区内。"
    assert written_counts() == before


def test_dry_run_answers_200_and_writes_nothing(client_as, jiangan_officer):
    before = written_counts()

    response = post(client_as(jiangan_officer), jiangan_file(), dry_run="true")

    assert response.status_code == 200
    assert response.json()["dry_run"] is True
    assert written_counts() == before


def test_companies_may_not_import(client_as, designer):
    response = post(client_as(designer), jiangan_file())

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Compound.objects.filter(code="JA-API").exists()


def test_anonymous_callers_are_refused(client, city):
    assert post(client, jiangan_file()).status_code in (401, 403)


def test_missing_file_is_a_field_error(client_as, jiangan_officer):
    response = client_as(jiangan_officer).post(reverse("api-registry-import"), {})

    assert response.status_code == 400
    assert "file" in response.json()["fields"]


def test_large_files_are_sent_to_the_upload_page(client_as, jiangan_officer, monkeypatch):
    monkeypatch.setattr(api, "API_MAX_ROWS", 1)
    data = registry_file(compounds=[compound_row(小区编码="A"), compound_row(小区编码="B")])

    response = post(client_as(jiangan_officer), data)

    assert response.status_code == 400
    assert response.json()["code"] == "too_many_rows"


def test_operation_is_in_the_schema(client, city):
    schema = client.get("/api/schema/?format=json").json()

    operation = schema["paths"]["/api/v1/registry/import/"]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert {"201", "400"} <= set(operation["responses"])
