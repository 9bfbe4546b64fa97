"""The dig-once pages as a district officer uses them, and the weekly list."""

import datetime as dt
import io
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from anju.coordination.models import Conflict, Work
from anju.coordination.tests.factories import conflicts_in_both_districts
from anju.core.excel import read_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def both(city):
    return conflicts_in_both_districts(city)


def map_of(response) -> dict:
    text = response.content.decode()
    return json.loads(re.search(r'id="conflict-map-data">(.*?)</script>', text, re.S).group(1))


def test_a_district_officer_sees_its_conflicts_on_the_map_and_list(
    client_as, jiangan_officer, both, city
):
    response = client_as(jiangan_officer).get(reverse("coordination:conflict-list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert city.jiangan_compound.name in text and city.wuchang_compound.name not in text
    drawn = map_of(response)
    assert [c["name"] for c in drawn["compounds"]] == [city.jiangan_compound.name]
    assert drawn["works"][0]["relation"] == "overlap"


def test_detecting_from_the_page_finds_the_plans_pairs(client_as, city_officer, both, city):
    Conflict.objects.all().delete()
    response = client_as(city_officer).post(
        reverse("coordination:conflict-list"), {"distance_m": "50", "months": "12"}, follow=True
    )
    assert "发现 2 处冲突" in response.content.decode()
    assert Conflict.objects.count() == 2


def test_bad_detection_parameters_answer_400(client_as, city_officer, both):
    response = client_as(city_officer).post(
        reverse("coordination:conflict-list"), {"distance_m": "-1", "months": "x"}
    )
    assert response.status_code == 400


def test_resolving_on_the_page_needs_the_dates_or_a_reason(client_as, jiangan_officer, both):
    own, _other = both
    client = client_as(jiangan_officer)
    url = reverse("coordination:conflict-detail", args=[own.pk])
    response = client.post(url, {"status": "joint"})
    assert response.status_code == 400
    response = client.post(url, {"status": "declined", "note": ""})
    assert response.status_code == 400
    response = client.post(
        url, {"status": "joint", "joint_starts_on": "2027-05-01", "joint_ends_on": "2027-06-30"}
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == "joint" and own.joint_starts_on == dt.date(2027, 5, 1)
    assert "协调开挖冲突" in client.get(url).content.decode()  # the audit trail on the page


def test_the_weekly_list_and_its_export(client_as, city_officer, both, tmp_path):
    page = client_as(city_officer).get(reverse("coordination:conflict-weekly")).content.decode()
    assert "江岸区" in page and "武昌区" in page
    out = io.StringIO()
    target = tmp_path / "weekly.xlsx"
    call_command("conflicts_weekly", out=str(target), stdout=out)
    assert "江岸区：待协调 1" in out.getvalue()
    book = read_workbook(target.read_bytes())
    assert book.names == ["汇总", "逐条"]
    assert book.get("逐条").data_row_count == 3  # header and two conflicts


def test_a_conflict_whose_work_is_cancelled_drops_out_when_detected_again(
    client_as, city_officer, both
):
    Work.objects.update(status="cancelled")
    client_as(city_officer).post(
        reverse("coordination:conflict-list"), {"distance_m": "50", "months": "12"}
    )
    assert not Conflict.objects.exists()
