"""Uploading works (.xlsx or GeoJSON) on the workbench: a background job, all or nothing,
problems by sheet/row/column (with an annotated copy) or by feature id."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from anju.coordination.models import Work
from anju.core.excel import read_workbook
from anju.core.models import AuditEvent, TaskProgress
from anju.engine.geo import distance_m, from_wgs84

from .works_helpers import (
    IN_JIANGAN,
    WORK_HEADERS,
    assign,
    nothing_written,
    row,
    utility_in,
    xlsx,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def water(city):
    return utility_in(city, "江城水务", "water-user")


@pytest.fixture
def gas(city):
    return utility_in(city, "江城燃气", "gas-user")


def upload(client, data: bytes, name="工程.xlsx", **fields):
    return client.post(
        reverse("coordination:work-upload"),
        {"file": SimpleUploadedFile(name, data), "crs": "wgs84", **fields},
    )


def run_upload(client, capture, data: bytes, name="工程.xlsx", **fields) -> TaskProgress:
    with capture(execute=True):
        response = upload(client, data, name, **fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    task = TaskProgress.objects.order_by("-created_at").first()
    assert response["Location"] == reverse("coordination:work-upload-progress", args=[task.pk])
    task.refresh_from_db()
    return task


def feature(identifier, **properties) -> dict:
    return {
        "type": "Feature",
        "geometry": properties.pop("geometry", {"type": "LineString", "coordinates": IN_JIANGAN}),
        "properties": {
            "id": identifier,
            "kind": "gas",
            "name": "燃气管线",
            "start": "2026-03-01",
            "end": "2026-05-31",
            **properties,
        },
    }


def geojson(*features, **members) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features), **members}).encode()


def test_an_xlsx_upload_creates_the_works_once(
    client_as, water, django_capture_on_commit_callbacks
):
    client = client_as(water[1])
    data = xlsx([row(), row(工程编号="GS-002", 类别="排水", 状态="在建")])

    task = run_upload(client, django_capture_on_commit_callbacks, data)
    again = run_upload(client, django_capture_on_commit_callbacks, data)

    assert task.state == TaskProgress.State.SUCCEEDED, task.error
    assert task.result["counts"]["works_created"] == 2
    assert again.result["counts"] == {"works_created": 0, "works_updated": 0, "works_unchanged": 2}
    assert set(Work.objects.values_list("external_id", "kind", "status", "organisation")) == {
        ("GS-001", "water_supply", "planned", water[0].pk),
        ("GS-002", "drainage", "under_way", water[0].pk),
    }
    assert AuditEvent.objects.filter(verb="work.created").count() == 2
    assert AuditEvent.objects.filter(verb="works.imported").count() == 2
    assert not AuditEvent.objects.filter(verb="work.changed").exists()


def test_an_xlsx_upload_is_all_or_nothing_with_an_annotated_copy(
    client_as, water, django_capture_on_commit_callbacks
):
    client = client_as(water[1])
    data = xlsx(
        [
            row(),
            row(工程编号="GS-002", 计划开工="2026-07-01", 计划完工="2026-03-01"),
            row(工程编号="GS-003", 类别="下水道"),
            row(工程编号="GS-004", **{"几何(WKT)": None, "涉及小区": "NO-SUCH"}),
            row(工程编号="GS-005", **{"几何(WKT)": "LINESTRING (114.29 30.59)"}),
        ]
    )
    before = nothing_written()

    task = run_upload(client, django_capture_on_commit_callbacks, data)

    assert task.state == TaskProgress.State.FAILED
    assert nothing_written() == before
    problems = [(p["row"], p["column"], p["letter"]) for p in task.result["problems"]]
    assert problems == [
        (3, "计划完工", "E"),
        (4, "类别", "B"),
        (5, "涉及小区", "M"),
        (6, "几何(WKT)", "G"),
    ]
    assert all(p["sheet"] == "工程" for p in task.result["problems"])
    assert "下水道" in task.result["problems"][1]["message"]
    marked = task.result["annotated_url"]
    assert marked == reverse("coordination:work-upload-annotated", args=[task.pk])
    response = client.get(marked)
    assert read_workbook(b"".join(response.streaming_content)).names == ["问题清单", "工程"]
    page = client.get(reverse("coordination:work-upload-progress", args=[task.pk]))
    assert "NO-SUCH" in page.content.decode()


def test_coordinates_columns_make_a_line_converted_from_the_declared_system(
    client_as, water, django_capture_on_commit_callbacks
):
    (start_lon, start_lat), (end_lon, end_lat) = (
        from_wgs84(lon, lat, "bd09") for lon, lat in IN_JIANGAN
    )
    data = xlsx(
        [
            row(
                **{"几何(WKT)": None},
                起点经度=start_lon,
                起点纬度=start_lat,
                终点经度=end_lon,
                终点纬度=end_lat,
            )
        ]
    )

    task = run_upload(client_as(water[1]), django_capture_on_commit_callbacks, data, crs="bd09")

    assert task.state == TaskProgress.State.SUCCEEDED, task.error
    stored = Work.objects.get().geometry
    assert stored["type"] == "LineString"
    for got, expected in zip(stored["coordinates"], IN_JIANGAN, strict=True):
        assert distance_m(tuple(got), tuple(expected)) < 1


def test_half_a_coordinate_pair_or_both_layouts_are_refused(
    client_as, water, django_capture_on_commit_callbacks
):
    data = xlsx(
        [
            row(**{"几何(WKT)": None}, 起点经度=114.29),
            row(工程编号="GS-002", 起点经度=114.29, 起点纬度=30.59),
        ]
    )

    task = run_upload(client_as(water[1]), django_capture_on_commit_callbacks, data)

    problems = [(p["row"], p["column"]) for p in task.result["problems"]]
    assert problems == [(2, "起点纬度"), (3, "起点经度")]
    assert not Work.objects.exists()


def test_a_geojson_upload_reports_problems_by_feature_id_and_writes_nothing(
    client_as, water, django_capture_on_commit_callbacks
):
    data = geojson(
        feature("RQ-1"),
        feature("RQ-2", end="2026-01-01"),
        feature("RQ-3", kind="steam"),
        feature("RQ-4", geometry={"type": "Polygon", "coordinates": [[[114.29, 30.59]]]}),
        feature("RQ-5", geometry=None, compounds=["NO-SUCH"]),
        feature("RQ-1"),
    )

    task = run_upload(
        client_as(water[1]), django_capture_on_commit_callbacks, data, name="燃气.geojson"
    )

    assert task.state == TaskProgress.State.FAILED
    assert task.result["format"] == "geojson"
    assert task.result["annotated_file"] == ""
    problems = [(p["sheet"], p["row"], p["column"]) for p in task.result["problems"]]
    assert problems == [
        ("RQ-2", 2, "end"),
        ("RQ-3", 3, "kind"),
        ("RQ-4", 4, "geometry"),
        ("RQ-5", 5, "compounds"),
        ("RQ-1", 6, "id"),
    ]
    assert not Work.objects.exists()


def test_a_geojson_upload_creates_works_named_by_compounds(
    client_as, water, city, django_capture_on_commit_callbacks
):
    assign(water[0], city.wuchang_compound)
    data = geojson(
        feature("RQ-1", kind="燃气", radius=15),
        feature("RQ-2", geometry=None, compounds=[city.wuchang_compound.code]),
    )

    task = run_upload(
        client_as(water[1]), django_capture_on_commit_callbacks, data, name="燃气.geojson"
    )

    assert task.state == TaskProgress.State.SUCCEEDED, task.error
    named = Work.objects.get(external_id="RQ-2")
    assert named.path == city.wuchang.path
    assert list(named.compounds.all()) == [city.wuchang_compound]
    assert Work.objects.get(external_id="RQ-1").radius_m == 15


def test_an_upload_naming_a_compound_outside_the_utilitys_assignment_is_refused_as_unknown(
    client_as, water, city, django_capture_on_commit_callbacks
):
    data = geojson(
        feature("RQ-1", geometry=None, compounds=[city.wuchang_compound.code]),
        feature("RQ-2", geometry=None, compounds=["420106001001999"]),
    )

    task = run_upload(
        client_as(water[1]), django_capture_on_commit_callbacks, data, name="燃气.geojson"
    )

    assert task.state == TaskProgress.State.FAILED
    outside, unknown = (p["message"] for p in task.result["problems"])
    assert outside.replace(city.wuchang_compound.code, "420106001001999") == unknown
    assert not Work.objects.exists()


def test_a_geojson_file_declaring_another_system_is_refused(
    client_as, water, django_capture_on_commit_callbacks
):
    declared = {"type": "name", "properties": {"name": "gcj02"}}
    data = geojson(feature("RQ-1"), crs=declared)

    task = run_upload(
        client_as(water[1]), django_capture_on_commit_callbacks, data, name="燃气.geojson"
    )

    assert task.state == TaskProgress.State.FAILED
    assert "GCJ-02" in task.result["problems"][0]["message"]


def test_a_utility_uploads_only_for_itself(
    client_as, water, gas, django_capture_on_commit_callbacks
):
    task = run_upload(
        client_as(water[1]),
        django_capture_on_commit_callbacks,
        xlsx([row()]),
        organisation=gas[0].pk,
    )

    assert task.state == TaskProgress.State.SUCCEEDED
    assert Work.objects.get().organisation == water[0]


def test_the_city_office_picks_the_organisation(
    client_as, water, city_officer, django_capture_on_commit_callbacks
):
    client = client_as(city_officer)
    assert upload(client, xlsx([row()])).status_code == 200  # no organisation chosen

    task = run_upload(
        client, django_capture_on_commit_callbacks, xlsx([row()]), organisation=water[0].pk
    )

    assert task.state == TaskProgress.State.SUCCEEDED
    assert Work.objects.get().organisation == water[0]


@pytest.mark.parametrize("persona", ["jiangan_officer", "designer"])
def test_staff_without_a_writing_role_cannot_upload(client_as, request, persona, water):
    client = client_as(request.getfixturevalue(persona))

    assert client.get(reverse("coordination:work-upload")).status_code in (403, 404)
    assert upload(client, xlsx([row()]), organisation=water[0].pk).status_code in (403, 404)
    assert not TaskProgress.objects.exists()


def test_other_file_types_are_refused(client_as, water):
    response = upload(client_as(water[1]), b"hello", name="notes.txt")

    assert response.status_code == 200
    assert "请上传 .xlsx、.xls、.csv 或 .geojson 文件。" in response.content.decode()


def test_the_template_has_instructions_and_the_works_sheet(client):
    response = client.get(reverse("coordination:work-upload-template"))
    workbook = read_workbook(response.content)

    assert workbook.names == ["填写说明", "工程"]
    assert workbook.get("工程").rows[0][: len(WORK_HEADERS)] == WORK_HEADERS
    example = client.get(reverse("coordination:work-upload-template"), {"format": "geojson"})
    assert json.loads(example.content)["type"] == "FeatureCollection"


def test_the_example_row_of_the_template_imports(
    client_as, water, django_capture_on_commit_callbacks
):
    client = client_as(water[1])
    data = client.get(reverse("coordination:work-upload-template")).content
    assert read_workbook(data).get("工程").rows[1][0] == "GS-2026-001"

    task = run_upload(client, django_capture_on_commit_callbacks, data)

    assert task.state == TaskProgress.State.SUCCEEDED, task.result
    assert Work.objects.get().external_id == "GS-2026-001"
