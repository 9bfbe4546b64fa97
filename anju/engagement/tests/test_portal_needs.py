"""The residents' needs pages: the household's campaigns, the questionnaire, the read-back."""

import datetime as dt
import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from anju.access.codes import issue_household_codes
from anju.core.actors import CLI
from anju.core.calendar import today
from anju.core.scope import Scope
from anju.engagement import services
from anju.engagement.models import Submission, SubmissionPhoto
from anju.engagement.services import NeedChoice

pytestmark = pytest.mark.django_db

TODAY = today()
DAY = dt.timedelta(days=1)


def district_scope(node):
    return Scope(roles=frozenset({"district_task_force"}), node_paths=(node.path,))


def open_campaign(officer, district, compound, *, title, starts_on, ends_on, **extra):
    return services.open_campaign(
        actor=officer,
        scope=district_scope(district),
        node=district,
        title=title,
        compounds=[compound],
        starts_on=starts_on,
        ends_on=ends_on,
        **extra,
    )


@pytest.fixture
def campaign(city, jiangan_officer):
    return open_campaign(
        jiangan_officer,
        city.jiangan,
        city.jiangan_compound,
        title="铭新街小区改造需求征集",
        starts_on=TODAY - DAY,
        ends_on=TODAY + 14 * DAY,
    )


@pytest.fixture
def wuchang_campaign(city, wuchang_officer):
    return open_campaign(
        wuchang_officer,
        city.wuchang,
        city.wuchang_compound,
        title="积玉桥宿舍需求征集",
        starts_on=TODAY - DAY,
        ends_on=TODAY + 14 * DAY,
    )


@pytest.fixture
def household(city):
    return city.jiangan_compound.households.order_by("room").first()


def signed_in_as(client, household):
    code = issue_household_codes(actor=CLI, compound=household.compound, households=[household])
    response = client.post("/portal/sign-in/", {"code": code[household.pk]})
    assert response.status_code == 302
    return client


@pytest.fixture
def resident(client, household):
    return signed_in_as(client, household)


def url(campaign):
    return reverse("engagement-portal:campaign", args=[campaign.pk])


def jpeg_with_gps(name="wall.jpg"):
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "SecretPhone 9"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update({1: "N", 2: (30.0, 35.0, 12.0)})
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (90, 90, 90)).save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_staff_are_sent_to_the_portal_sign_in(client_as, jiangan_officer, campaign):
    client = client_as(jiangan_officer)
    for address in (reverse("engagement-portal:home"), url(campaign)):
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"] == "/portal/sign-in/"
    assert client.post(url(campaign), {"items": ["B01"]}).status_code == 302
    assert not Submission.objects.exists()


def test_anonymous_visitors_are_sent_to_the_portal_sign_in(client, campaign):
    response = client.get(url(campaign))
    assert response.status_code == 302
    assert response["Location"] == "/portal/sign-in/"


def test_the_list_shows_the_households_campaigns_with_their_status(
    resident, city, jiangan_officer, campaign, wuchang_campaign
):
    open_campaign(
        jiangan_officer,
        city.jiangan,
        city.jiangan_compound,
        title="明年的征集",
        starts_on=TODAY + 30 * DAY,
        ends_on=TODAY + 40 * DAY,
    )
    open_campaign(
        jiangan_officer,
        city.jiangan,
        city.jiangan_compound,
        title="去年的征集",
        starts_on=TODAY - 400 * DAY,
        ends_on=TODAY - 370 * DAY,
    )
    html = resident.get(reverse("engagement-portal:home")).content.decode()
    assert "铭新街小区改造需求征集" in html
    assert "进行中" in html and "待填写" in html
    assert "明年的征集" in html and "未开始" in html
    assert "去年的征集" in html and "已于" in html
    assert "积玉桥宿舍需求征集" not in html


def test_the_list_costs_a_fixed_number_of_queries(
    resident, city, jiangan_officer, campaign, django_assert_num_queries
):
    for n in range(5):
        open_campaign(
            jiangan_officer,
            city.jiangan,
            city.jiangan_compound,
            title=f"征集 {n}",
            starts_on=TODAY - DAY,
            ends_on=TODAY + DAY,
        )
    with django_assert_num_queries(6):
        assert resident.get(reverse("engagement-portal:home")).status_code == 200


def test_another_compounds_campaign_is_not_found(resident, wuchang_campaign):
    assert resident.get(url(wuchang_campaign)).status_code == 404
    response = resident.post(url(wuchang_campaign), {"items": ["B01"], "comment": "x"})
    assert response.status_code == 404
    assert not Submission.objects.exists()
    assert resident.get(reverse("engagement-portal:campaign", args=[999999])).status_code == 404


def test_the_form_groups_the_catalogue_by_category(resident, campaign):
    html = resident.get(url(campaign)).content.decode()
    assert html.index("基础类") < html.index("完善类") < html.index("提升类")
    assert 'name="items" value="B01"' in html
    assert 'name="urgent" value="B01"' in html
    assert 'name="willingness"' in html
    assert 'name="photos"' in html


def test_a_resident_submits_needs_and_reads_them_back(resident, campaign, household):
    response = resident.post(
        url(campaign),
        {
            "items": ["B01", "B15"],
            "urgent": ["B15", "I02"],
            "willingness": "some",
            "comment": "外墙掉皮，下雨渗水",
        },
    )
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.household == household
    assert submission.channel == "online"
    assert submission.recorded_by is None
    assert submission.willingness == "some"
    needs = {n.item.code: n.is_urgent for n in submission.needs.select_related("item")}
    assert needs == {"B01": False, "B15": True}  # "urgent" without the item is ignored

    html = resident.get(url(campaign)).content.decode()
    assert "我家提交的答卷" in html
    assert "供水设施" in html and "外墙修缮" in html and "急需" in html
    assert "愿意出一部分" in html
    assert "外墙掉皮，下雨渗水" in html
    assert 'name="items"' not in html
    assert "修改我家的答卷" in html


def test_editing_changes_the_one_answer(resident, campaign):
    resident.post(url(campaign), {"items": ["B01"], "willingness": "none"})
    html = resident.get(url(campaign) + "?edit=1").content.decode()
    assert re.search(r'<input[^>]*id="need-B01"[^>]* checked>', html)
    assert not re.search(r'<input[^>]*id="need-B02"[^>]* checked>', html)
    resident.post(url(campaign), {"items": ["I02"], "urgent": ["I02"], "willingness": "share"})
    submission = Submission.objects.get()
    assert [(n.item.code, n.is_urgent) for n in submission.needs.all()] == [("I02", True)]
    assert submission.willingness == "share"


def test_willingness_is_not_asked_when_the_campaign_does_not_ask(resident, city, jiangan_officer):
    campaign = open_campaign(
        jiangan_officer,
        city.jiangan,
        city.jiangan_compound,
        title="不问出资",
        starts_on=TODAY,
        ends_on=TODAY,
        asks_contribution=False,
    )
    assert 'name="willingness"' not in resident.get(url(campaign)).content.decode()
    resident.post(url(campaign), {"items": ["B01"], "willingness": "share"})
    assert Submission.objects.get().willingness == ""


def test_an_empty_answer_is_refused(resident, campaign):
    response = resident.post(url(campaign), {"comment": "  "})
    assert response.status_code == 400
    assert "请至少选择一项" in response.content.decode()
    assert not Submission.objects.exists()


def test_an_unknown_item_is_refused(resident, campaign):
    response = resident.post(url(campaign), {"items": ["ZZ9"]})
    assert response.status_code == 400
    assert not Submission.objects.exists()


def test_a_closed_campaign_is_read_only(resident, city, jiangan_officer, household):
    closed = open_campaign(
        jiangan_officer,
        city.jiangan,
        city.jiangan_compound,
        title="已结束的征集",
        starts_on=TODAY - 10 * DAY,
        ends_on=TODAY - DAY,
    )
    services.submit_needs(
        actor=None,
        campaign=closed,
        household=household,
        needs=[NeedChoice("B05", True)],
        on=TODAY - 5 * DAY,
    )
    for address in (url(closed), url(closed) + "?edit=1"):
        html = resident.get(address).content.decode()
        assert "道路" in html and "急需" in html
        assert "答卷不能再修改" in html
        assert 'name="items"' not in html
        assert "修改我家的答卷" not in html
    response = resident.post(url(closed), {"items": ["B01"]})
    assert response.status_code == 400
    assert "征集不在进行中" in response.content.decode()
    assert [n.item.code for n in Submission.objects.get().needs.all()] == ["B05"]


def test_a_closed_campaign_without_an_answer_says_so(resident, city, jiangan_officer):
    closed = open_campaign(
        jiangan_officer,
        city.jiangan,
        city.jiangan_compound,
        title="已结束的征集",
        starts_on=TODAY - 10 * DAY,
        ends_on=TODAY - DAY,
    )
    html = resident.get(url(closed)).content.decode()
    assert "没有提交答卷" in html
    assert 'name="items"' not in html


def test_an_upcoming_campaign_cannot_be_answered_yet(resident, city, jiangan_officer):
    upcoming = open_campaign(
        jiangan_officer,
        city.jiangan,
        city.jiangan_compound,
        title="下个月的征集",
        starts_on=TODAY + 30 * DAY,
        ends_on=TODAY + 40 * DAY,
    )
    html = resident.get(url(upcoming)).content.decode()
    assert "征集尚未开始" in html
    assert 'name="items"' not in html
    assert resident.post(url(upcoming), {"items": ["B01"]}).status_code == 400
    assert not Submission.objects.exists()


def test_a_photo_is_stored_without_gps_and_shown_only_to_the_household(
    resident, client, campaign, city
):
    response = resident.post(url(campaign), {"items": ["B15"], "photos": [jpeg_with_gps()]})
    assert response.status_code == 302
    photo = SubmissionPhoto.objects.get()
    assert photo.image.name.startswith("engagement/photos/")
    assert "wall" not in photo.image.name
    with default_storage.open(photo.image.name, "rb") as stored:
        data = stored.read()
    assert b"Exif" not in data and b"SecretPhone" not in data
    assert not Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert (photo.width, photo.height) == (60, 40)

    photo_url = reverse("engagement-portal:photo", args=[photo.pk])
    assert photo_url in resident.get(url(campaign)).content.decode()
    answer = resident.get(photo_url)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "image/jpeg"
    assert b"".join(answer.streaming_content) == data

    neighbour = city.jiangan_compound.households.order_by("room")[1]
    client.post("/portal/sign-out/")
    assert signed_in_as(client, neighbour).get(photo_url).status_code == 404


def test_new_photos_replace_the_old_ones_and_may_be_removed(resident, campaign):
    resident.post(url(campaign), {"items": ["B15"], "photos": [jpeg_with_gps(), jpeg_with_gps()]})
    assert SubmissionPhoto.objects.count() == 2
    resident.post(url(campaign), {"items": ["B15"], "photos": [jpeg_with_gps()]})
    assert SubmissionPhoto.objects.count() == 1
    resident.post(url(campaign), {"items": ["B15"]})
    assert SubmissionPhoto.objects.count() == 1  # no new photo: the old one stays
    resident.post(url(campaign), {"items": ["B15"], "clear_photos": "on"})
    assert not SubmissionPhoto.objects.exists()


def test_a_text_file_renamed_jpg_is_refused_with_a_clear_message(resident, campaign):
    fake = SimpleUploadedFile("wall.jpg", b"hello, I am text\n" * 20, content_type="image/jpeg")
    response = resident.post(url(campaign), {"items": ["B15"], "photos": [fake]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "“wall.jpg”不是可识别的图片，请上传 JPEG、PNG 或 WebP 格式的照片。" in html
    assert not Submission.objects.exists()


def test_an_oversize_photo_is_refused(resident, campaign):
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (5 * 1024 * 1024))
    response = resident.post(url(campaign), {"items": ["B15"], "photos": [big]})
    assert response.status_code == 400
    assert "超过 5 MB" in response.content.decode()
    assert not Submission.objects.exists()


def test_no_more_than_three_photos(resident, campaign):
    response = resident.post(
        url(campaign), {"items": ["B15"], "photos": [jpeg_with_gps() for _ in range(4)]}
    )
    assert response.status_code == 400
    assert "最多上传 3 张照片" in response.content.decode()
    assert not SubmissionPhoto.objects.exists()
