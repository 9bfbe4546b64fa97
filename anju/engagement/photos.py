"""Residents' photos of a problem: checked by content, re-encoded, stored without metadata.

A phone photo carries EXIF: the GPS position of the resident's flat, the device, the time. The
portal publishes nothing of it: every upload is decoded by Pillow and re-encoded as a fresh
JPEG (after applying the EXIF orientation, so the picture still stands upright), and only the
pixels survive. The type is decided by the content, never by the file name or the browser's
content type, so a text file renamed ".jpg" is refused. Limits: JPEG, PNG or WebP, at most
5 MB and 4000 × 4000 pixels (checked from the header before any pixel is decoded, which also
keeps decompression bombs out), at most three photos per submission.

`prepare_photo(upload)` validates and re-encodes one upload (no database);
`replace_submission_photos(submission=…, photos=…)` swaps a submission's photos in one
transaction, with the submission row locked so that two edits never leave more than three.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .models import Submission, SubmissionPhoto

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 4000
MAX_PHOTOS = 3
ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
JPEG_QUALITY = 85


@dataclass(frozen=True)
class PreparedPhoto:
    """A re-encoded JPEG with no metadata, ready to store."""

    content: bytes
    width: int
    height: int


def prepare_photo(upload) -> PreparedPhoto:
    """Check one uploaded file by its content and re-encode it; ValidationError says why not."""
    name = getattr(upload, "name", "") or _("照片")
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("“%(name)s”超过 5 MB，请压缩后再上传。") % {"name": name}, code="photo_too_large"
        )
    too_big = ValidationError(
        _("“%(name)s”的尺寸超过 4000×4000 像素，请缩小后再上传。") % {"name": name},
        code="photo_too_big",
    )
    not_an_image = ValidationError(
        _("“%(name)s”不是可识别的图片，请上传 JPEG、PNG 或 WebP 格式的照片。") % {"name": name},
        code="photo_not_an_image",
    )
    data = _read(upload)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            if image_format not in ALLOWED_FORMATS:
                raise not_an_image
            if width > MAX_SIDE or height > MAX_SIDE:
                raise too_big
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            return _re_encode(upright)
    except ValidationError:
        raise
    except Image.DecompressionBombError as exc:
        raise too_big from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise not_an_image from exc


def _read(upload) -> bytes:
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    upload.seek(0)
    return data


def _re_encode(image: Image.Image) -> PreparedPhoto:
    """Pixels only: a new image (empty `info`: no EXIF, XMP, ICC profile or comment), with
    transparency flattened on white, saved as a plain JPEG."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        pixels = Image.new("RGB", rgba.size, (255, 255, 255))
        pixels.paste(rgba, mask=rgba.getchannel("A"))
    else:
        converted = image.convert("RGB")
        pixels = Image.new("RGB", converted.size)
        pixels.paste(converted)
    buffer = io.BytesIO()
    pixels.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return PreparedPhoto(content=buffer.getvalue(), width=pixels.width, height=pixels.height)


def replace_submission_photos(
    *, submission: Submission, photos: list[PreparedPhoto]
) -> list[SubmissionPhoto]:
    """Replace the submission's photos with `photos` (at most three). Old files are removed
    from storage once the transaction commits; new files are removed again if it fails."""
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(_("最多上传 3 张照片。"), code="too_many_photos")
    saved: list[SubmissionPhoto] = []
    try:
        with transaction.atomic():
            Submission.objects.select_for_update().get(pk=submission.pk)
            old = list(SubmissionPhoto.objects.filter(submission=submission))
            SubmissionPhoto.objects.filter(pk__in=[p.pk for p in old]).delete()
            for prepared in photos:
                photo = SubmissionPhoto(
                    submission=submission, width=prepared.width, height=prepared.height
                )
                photo.image.save(
                    uuid.uuid4().hex + ".jpg", ContentFile(prepared.content), save=False
                )
                saved.append(photo)
                photo.save()
            transaction.on_commit(lambda: _delete_files(old))
    except Exception:
        _delete_files(saved)
        raise
    return saved


def _delete_files(photos) -> None:
    for photo in photos:
        if photo.image.name:
            photo.image.storage.delete(photo.image.name)
