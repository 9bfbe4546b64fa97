"""A report's photos through the API: each photo names its address, and the same token that
reads the report reads the photo (a company that may not see the report gets 404)."""

import io

import pytest
from PIL import Image

from anju.stewardship.tests.test_reports_api import REPORTS, call, png, with_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(city, jiangan_community_worker, jiangan_contract):
    answer = with_token(jiangan_community_worker).post(
        REPORTS, call(city.jiangan_compound, photos=[png()], building="1栋"), format="multipart"
    )
    assert answer.status_code == 201, answer.json()
    return answer.json()


def test_the_handling_company_downloads_the_photo_from_the_address_it_is_given(
    filed, property_staff
):
    api = with_token(property_staff)
    report = api.get(f"{REPORTS}{filed['id']}/").json()
    (photo,) = report["photos"]
    assert report["steps"][0]["photos"] == [photo]
    assert photo["url"].startswith("http://testserver/api/v1/stewardship/reports/")
    answer = api.get(photo["url"])
    assert answer.status_code == 200 and answer["Content-Type"] == "image/jpeg"
    image = Image.open(io.BytesIO(b"".join(answer.streaming_content)))
    assert image.format == "JPEG" and image.size == (30, 20)


def test_a_photo_of_a_report_out_of_reach_is_a_404(city, filed, property_staff):
    from anju.stewardship.models import ProblemReport

    ProblemReport.objects.filter(pk=filed["id"]).update(handler_organisation=None)
    wuchang = city.wuchang_compound
    ProblemReport.objects.filter(pk=filed["id"]).update(compound=wuchang)
    photo_url = filed["photos"][0]["url"]
    assert with_token(property_staff).get(photo_url).status_code == 404


def test_an_unknown_photo_of_a_visible_report_is_a_404(filed, property_staff):
    api = with_token(property_staff)
    assert api.get(f"{REPORTS}{filed['id']}/photos/999999/").status_code == 404
