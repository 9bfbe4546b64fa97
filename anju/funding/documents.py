"""The files behind a posting (凭证附件): checked by content, stored under a random name, served
only through the scoped views.

A commitment names its document (a 文号 such as "江岸财〔2027〕12号"); the scan of that document,
a bank slip or a payment order may be attached to any posting. The type is decided by the
first bytes, never by the file name or the browser's content type, so a text file renamed
".pdf" is refused: PDF (`%PDF-`), JPEG (the SOI marker FF D8 FF) or PNG (its 8-byte
signature). Limits: at most 10 MB a file and three files a posting. A PDF is kept as
uploaded; a photo loses its metadata (a phone's EXIF carries where and when it was taken):
a PNG is re-written losslessly, a JPEG re-encoded at quality 95 so a scan stays legible.

`prepare_documents(uploads)` validates and reads the uploads (no database, no storage);
the ledger service stores them in the posting's transaction and deletes the stored files
again when that transaction fails, so a refusal leaves no file behind.
"""

from __future__ import annotations

import io
import posixpath
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from anju.core.errors import DomainError

from .models import LedgerDocument, LedgerEntry

MAX_BYTES = 10 * 1024 * 1024
MAX_DOCUMENTS = 3
# First bytes → (content type, extension of the stored file).
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)


@dataclass(frozen=True)
class PreparedDocument:
    """An accepted upload, read and typed, ready to store."""

    name: str
    content_type: str
    extension: str
    content: bytes


def _refuse(message: str, code: str) -> DomainError:
    return DomainError(message, code=code, fields={"documents": [message]})


def _original_name(upload) -> str:
    name = posixpath.basename(str(getattr(upload, "name", "") or "").replace("\\", "/")).strip()
    return name[-200:] or _("附件")


def _read(upload) -> bytes:
    if hasattr(upload, "seek"):
        upload.seek(0)
    if hasattr(upload, "chunks"):
        return b"".join(upload.chunks())
    return upload.read()


def prepare_document(upload) -> PreparedDocument:
    """Check one upload by its size and content; DomainError (`documents`) says why not."""
    name = _original_name(upload)
    if (getattr(upload, "size", None) or 0) > MAX_BYTES:
        raise _refuse(
            _("“%(name)s”超过%(limit)s，请压缩后再上传。")
            % {"name": name, "limit": filesizeformat(MAX_BYTES)},
            "document_too_large",
        )
    content = _read(upload)
    if len(content) > MAX_BYTES:
        raise _refuse(
            _("“%(name)s”超过%(limit)s，请压缩后再上传。")
            % {"name": name, "limit": filesizeformat(MAX_BYTES)},
            "document_too_large",
        )
    for signature, content_type, extension in SIGNATURES:
        if content.startswith(signature):
            if content_type != "application/pdf":
                content = _without_metadata(content, content_type, name)
            return PreparedDocument(name, content_type, extension, content)
    raise _refuse(
        _("“%(name)s”不是 PDF、JPEG 或 PNG 文件，请上传文件的扫描件或照片。") % {"name": name},
        "document_type",
    )


def _without_metadata(content: bytes, content_type: str, name: str) -> bytes:
    """The photo re-written without EXIF or text chunks, upright as it was shown."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if content_type == "image/png":
                upright.save(out, format="PNG", optimize=True)
            else:
                upright.convert("RGB").save(out, format="JPEG", quality=95, subsampling=0)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
        raise _refuse(
            _("“%(name)s”无法作为图片读取，请重新拍摄或扫描后上传。") % {"name": name},
            "document_unreadable",
        ) from None


def prepare_documents(uploads) -> list[PreparedDocument]:
    """All of a posting's uploads, or the refusal of the first one that fails."""
    uploads = [upload for upload in uploads or () if upload]
    if len(uploads) > MAX_DOCUMENTS:
        raise _refuse(
            _("每笔凭证最多附%(count)s个文件。") % {"count": MAX_DOCUMENTS}, "too_many_documents"
        )
    return [prepare_document(upload) for upload in uploads]


def store_documents(entry: LedgerEntry, prepared, saved: list) -> None:
    """Save each file and its row; `saved` collects them so the caller can delete the files
    when the transaction fails."""
    for document in prepared:
        row = LedgerDocument(
            entry=entry,
            original_name=document.name,
            content_type=document.content_type,
            size=len(document.content),
        )
        row.file.save(uuid.uuid4().hex + document.extension, ContentFile(document.content), False)
        saved.append(row)
        row.save()


def delete_files(documents) -> None:
    for document in documents:
        if document.file.name:
            document.file.storage.delete(document.file.name)


def file_response(document: LedgerDocument) -> FileResponse:
    """The file under its original name, for the browser to show; private to the viewer."""
    response = FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        filename=document.original_name,
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response
