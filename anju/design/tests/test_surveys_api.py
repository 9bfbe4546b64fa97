"""Survey API: /api/v1/projects/<id>/findings/ (list, record with photos) and
/api/v1/findings/<id>/ (read, correct, delete), scoped like the pages."""

import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from anju.core.models import AuditEvent
from anju.design.models import SurveyFinding
from anju.design.tests.surveying import phone_photo, record, working_elsewhere
from anju.planning.models import Project
from anju.territory.models import Stage

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def findings_url(project):
    return reverse("api-project-findings", args=[project.pk])


def body(city, **extra):
    return {"compound": city.jiangan_compound.code, "item": "W2", "severity": "major", **extra}


def test_staff_record_a_finding_with_a_photo_and_read_it_back(
    city, jiangan_project, jiangan_officer
):
    client = api(jiangan_officer)
    created = client.post(
        findings_url(jiangan_project),
        body(city, building="1栋", note="外墙空鼓", photos=[phone_photo()]),
        format="multipart",
    )
    assert created.status_code == 201, created.json()
    answer = created.json()
    assert (answer["compound"], answer["building"], answer["kind"]) == (
        city.jiangan_compound.code,
        "1栋",
        "hazard",
    )
    assert answer["surveyor"] == jiangan_officer.get_username()
    photo = SurveyFinding.objects.get().photos.get()
    assert b"SecretPhone" not in default_storage.open(photo.image.name).read()
    listed = client.get(findings_url(jiangan_project)).json()
    assert [row["id"] for row in listed] == [answer["id"]]
    image = client.get(listed[0]["photos"][0]["photo_url"])
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    assert not Image.open(io.BytesIO(b"".join(image.streaming_content))).getexif()


def test_json_without_photos_is_accepted(city, jiangan_project, jiangan_officer):
    created = api(jiangan_officer).post(findings_url(jiangan_project), body(city), format="json")
    assert created.status_code == 201 and created.json()["building"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"building": "9栋"}, "building"),  # not a building of this compound
        ({"item": "NOPE"}, "item"),
        ({"severity": "apocalyptic"}, "severity"),
        ({"compound": "420106001001001"}, "compound"),  # 武昌's compound, not the project's
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(
    city, jiangan_project, jiangan_officer, change, field
):
    answer = api(jiangan_officer).post(
        findings_url(jiangan_project), body(city, **change), format="json"
    )
    assert answer.status_code == 400 and field in answer.json()["fields"]
    assert not SurveyFinding.objects.exists() and not AuditEvent.objects.exists()


def test_a_text_file_as_photo_is_a_400_with_the_photo_message(
    city, jiangan_project, jiangan_officer
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    answer = api(jiangan_officer).post(
        findings_url(jiangan_project),
        body(city, photos=[SimpleUploadedFile("wall.jpg", b"not a picture\n" * 20)]),
        format="multipart",
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "photo_not_an_image"
    assert "不是可识别的图片" in answer.json()["fields"]["photos"][0]
    assert not SurveyFinding.objects.exists()


def test_another_districts_project_and_finding_are_404(
    city, wuchang_project, wuchang_officer, jiangan_officer
):
    finding = record(wuchang_officer, wuchang_project, city.wuchang_compound)
    client = api(jiangan_officer)
    assert client.get(findings_url(wuchang_project)).status_code == 404
    other = {"compound": city.wuchang_compound.code, "item": "W2", "severity": "major"}
    assert client.post(findings_url(wuchang_project), other, format="json").status_code == 404
    detail = reverse("api-finding-detail", args=[finding.pk])
    assert client.get(detail).status_code == 404
    assert client.patch(detail, {"severity": "minor"}, format="json").status_code == 404
    assert client.delete(detail).status_code == 404
    assert SurveyFinding.objects.get().severity == "major"


def test_a_company_not_assigned_gets_404(city, jiangan_project, unassigned_builder):
    """A firm working on another compound sees its own work, not this project."""
    client = api(working_elsewhere(unassigned_builder, city))
    assert client.get(findings_url(jiangan_project)).status_code == 404
    assert client.post(findings_url(jiangan_project), body(city), format="json").status_code == 404


def test_a_reader_who_may_not_survey_gets_403(city, jiangan_project, city_officer):
    answer = api(city_officer).post(findings_url(jiangan_project), body(city), format="json")
    assert answer.status_code == 403 and not SurveyFinding.objects.exists()


def test_correct_then_delete_and_after_notice_neither(city, jiangan_project, jiangan_officer):
    client = api(jiangan_officer)
    finding = record(jiangan_officer, jiangan_project, city.jiangan_compound)
    detail = reverse("api-finding-detail", args=[finding.pk])
    corrected = client.patch(detail, {"severity": "critical", "building": "1栋"}, format="json")
    assert corrected.status_code == 200
    assert (corrected.json()["severity"], corrected.json()["building"]) == ("critical", "1栋")
    Project.objects.filter(pk=jiangan_project.pk).update(stage=Stage.NOTICED)
    refused = client.patch(detail, {"severity": "minor"}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "survey_closed"
    assert client.delete(detail).status_code == 400
    created = client.post(findings_url(jiangan_project), body(city), format="json")
    assert created.status_code == 400
    assert SurveyFinding.objects.get().severity == "critical"
    Project.objects.filter(pk=jiangan_project.pk).update(stage=Stage.DESIGNED)
    assert client.delete(detail).status_code == 204
    assert not SurveyFinding.objects.exists()
