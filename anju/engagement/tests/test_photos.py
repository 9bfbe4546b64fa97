"""Residents' photos: checked by content, re-encoded without any metadata, limited in size."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageFile

from anju.core.calendar import today
from anju.core.scope import Scope
from anju.engagement import photos, services
from anju.engagement.models import SubmissionPhoto
from anju.engagement.services import NeedChoice

GPS = {1: "N", 2: (30.0, 35.0, 12.0), 3: "E", 4: (114.0, 17.0, 30.0)}
ROTATE_90_CLOCKWISE = 6


def image_bytes(size=(40, 20), image_format="JPEG", mode="RGB", exif=None) -> bytes:
    image = Image.new(mode, size, (200, 30, 30) if mode == "RGB" else None)
    buffer = io.BytesIO()
    extra = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=image_format, **extra)
    return buffer.getvalue()


def phone_photo_with_gps() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "SecretPhone 9"
    exif[ExifTags.Base.Orientation] = ROTATE_90_CLOCKWISE
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(GPS)
    return image_bytes(size=(40, 20), exif=exif)


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_the_test_photo_really_carries_gps():
    exif = Image.open(io.BytesIO(phone_photo_with_gps())).getexif()
    assert exif.get_ifd(ExifTags.IFD.GPSInfo) == GPS


def test_gps_and_every_other_exif_tag_are_gone_and_the_photo_stands_upright():
    prepared = photos.prepare_photo(upload(phone_photo_with_gps()))
    stored = Image.open(io.BytesIO(prepared.content))
    assert stored.format == "JPEG"
    assert not stored.getexif()
    assert not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert b"Exif" not in prepared.content
    assert b"SecretPhone" not in prepared.content
    assert (prepared.width, prepared.height) == stored.size == (20, 40)  # orientation applied


def test_a_text_file_renamed_jpg_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError) as error:
        photos.prepare_photo(upload(b"not a picture at all\n" * 10, name="wall.jpg"))
    assert error.value.code == "photo_not_an_image"
    assert "“wall.jpg”不是可识别的图片" in error.value.messages[0]
    assert "JPEG、PNG 或 WebP" in error.value.messages[0]


def test_a_real_image_of_another_format_is_refused():
    gif = image_bytes(image_format="GIF", mode="P")
    with pytest.raises(ValidationError) as error:
        photos.prepare_photo(upload(gif, name="animation.jpg"))
    assert error.value.code == "photo_not_an_image"


@pytest.mark.parametrize("load_truncated_images", [False, True])
def test_a_file_that_only_starts_like_a_jpeg_is_refused(load_truncated_images, monkeypatch):
    """WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process; a fake
    header is refused either way."""
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", load_truncated_images)
    with pytest.raises(ValidationError) as error:
        photos.prepare_photo(upload(b"\xff\xd8\xff\xe0" + b"<?php echo 1; ?>" * 40))
    assert error.value.code == "photo_not_an_image"


def test_a_file_over_5_mb_is_refused_before_it_is_decoded():
    oversize = upload(b"\xff\xd8" + b"0" * (5 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        photos.prepare_photo(oversize)
    assert error.value.code == "photo_too_large"
    assert "超过 5 MB" in error.value.messages[0]


def test_exactly_5_mb_is_not_refused_for_its_size():
    data = image_bytes(size=(10, 10), image_format="PNG")
    exact = upload(data + b"\0" * (5 * 1024 * 1024 - len(data)), name="x.png")
    assert exact.size == photos.MAX_BYTES
    assert photos.prepare_photo(exact).width == 10


def test_more_than_4000_pixels_on_a_side_is_refused():
    wide = image_bytes(size=(4001, 2), image_format="PNG")
    with pytest.raises(ValidationError) as error:
        photos.prepare_photo(upload(wide, name="wide.png"))
    assert error.value.code == "photo_too_big"
    assert photos.prepare_photo(upload(image_bytes(size=(4000, 2), image_format="PNG"))).width


def test_png_and_webp_become_jpeg_and_transparency_turns_white():
    transparent = image_bytes(size=(8, 8), image_format="PNG", mode="RGBA")
    prepared = photos.prepare_photo(upload(transparent, name="x.png"))
    stored = Image.open(io.BytesIO(prepared.content))
    assert stored.format == "JPEG"
    assert all(channel > 245 for channel in stored.convert("RGB").getpixel((4, 4)))
    webp = photos.prepare_photo(upload(image_bytes(image_format="WEBP"), name="x.webp"))
    assert Image.open(io.BytesIO(webp.content)).format == "JPEG"


@pytest.fixture
def submission(city, jiangan_officer):
    campaign = services.open_campaign(
        actor=jiangan_officer,
        scope=Scope(roles=frozenset({"district_task_force"}), node_paths=(city.jiangan.path,)),
        node=city.jiangan,
        title="照片测试",
        compounds=[city.jiangan_compound],
        starts_on=today() - dt.timedelta(days=1),
        ends_on=today() + dt.timedelta(days=7),
    )
    household = city.jiangan_compound.households.order_by("room").first()
    return services.submit_needs(
        actor=None, campaign=campaign, household=household, needs=[NeedChoice("B15")]
    )


def prepared(n):
    return [photos.prepare_photo(upload(image_bytes(size=(30 + i, 20)))) for i in range(n)]


@pytest.mark.django_db
def test_photos_are_stored_under_engagement_photos_and_replaced_on_edit(
    submission, django_capture_on_commit_callbacks
):
    first = photos.replace_submission_photos(submission=submission, photos=prepared(2))
    names = [p.image.name for p in first]
    assert all(name.startswith("engagement/photos/") and name.endswith(".jpg") for name in names)
    assert all(default_storage.exists(name) for name in names)
    assert [(p.width, p.height) for p in first] == [(30, 20), (31, 20)]

    with django_capture_on_commit_callbacks(execute=True):
        second = photos.replace_submission_photos(submission=submission, photos=prepared(1))
    assert list(SubmissionPhoto.objects.filter(submission=submission)) == second
    assert not any(default_storage.exists(name) for name in names)


@pytest.mark.django_db
def test_no_more_than_three_photos_per_submission(submission):
    with pytest.raises(ValidationError):
        photos.replace_submission_photos(submission=submission, photos=prepared(4))
    assert not SubmissionPhoto.objects.exists()
