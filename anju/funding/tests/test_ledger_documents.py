"""Files behind a posting: a commitment posted with its PDF on the page and through the API
(multipart) is downloadable by its district and 404 for another; a file that is not PDF, JPEG
or PNG, one over the size limit and a fourth file are 400 with no row written and no file
left in storage, and a posting that fails after its files were stored deletes them."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from anju.core.errors import DomainError
from anju.core.models import AuditEvent
from anju.funding import documents
from anju.funding.models import LedgerDocument, LedgerEntry
from anju.funding.services import ledger as services

from .ledgering import confirmed_plan, district_scope, source

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def png_with_metadata() -> bytes:
    """A real PNG carrying a text chunk, as a phone's or scanner's metadata would."""
    import io

    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "30.58N 114.29E")
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), (200, 30, 30)).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


PNG = png_with_metadata()
DOCUMENT = "江岸财〔2027〕12号"


@pytest.fixture
def media(settings, tmp_path):
    """Files on disk under a MEDIA_ROOT of the test's own, so what is left can be counted."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def planned(jiangan_funded_project, power_company):
    confirmed_plan(jiangan_funded_project, power_company)
    return jiangan_funded_project


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def pdf(name="批复.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_commitment_posted_with_a_pdf_on_the_page(
    client, jiangan_officer, wuchang_officer, planned, media
):
    project = planned
    client.force_login(jiangan_officer)
    answer = client.post(
        reverse("funding:post", kwargs={"pk": project.pk}),
        {
            "post-kind": "commitment",
            "post-source": source("city_special").pk,
            "post-amount": "50000.00",
            "post-document": DOCUMENT,
            "post-documents": [pdf(), SimpleUploadedFile("到账.png", PNG)],
        },
    )
    assert answer.status_code == 302
    entry = LedgerEntry.objects.get()
    attached = list(entry.documents.all())
    assert [(d.original_name, d.content_type) for d in attached] == [
        ("批复.pdf", "application/pdf"),
        ("到账.png", "image/png"),
    ]
    assert attached[0].file.name.startswith("funding/documents/")
    assert len(stored_files(media)) == 2
    with attached[1].file.open("rb") as stored:
        assert b"30.58N" not in stored.read()  # the photo's metadata is gone
    event = AuditEvent.objects.get(verb="ledger.posted")
    assert event.after["documents"] == ["批复.pdf", "到账.png"]
    url = reverse("funding:document", kwargs={"pk": project.pk, "document_id": attached[0].pk})
    assert url in client.get(reverse("funding:project", kwargs={"pk": project.pk})).content.decode()
    download = client.get(url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "private" in download["Cache-Control"]
    assert body(download) == PDF
    client.force_login(wuchang_officer)
    assert client.get(url).status_code == 404


def test_a_commitment_posted_with_a_pdf_through_the_api(
    jiangan_officer, wuchang_officer, planned, media
):
    project = planned
    api = token_client(jiangan_officer)
    created = api.post(
        f"/api/v1/funding/projects/{project.pk}/entries/",
        {
            "kind": "commitment",
            "source": "city_special",
            "amount": "50000.00",
            "document": DOCUMENT,
            "documents": [pdf()],
        },
        format="multipart",
    )
    assert created.status_code == 201, created.content
    [listed] = created.json()["documents"]
    assert listed["name"] == "批复.pdf" and listed["size"] == len(PDF)
    entries = api.get(f"/api/v1/funding/projects/{project.pk}/entries/").json()
    assert entries["results"][0]["documents"] == [listed]
    download = api.get(listed["url"])
    assert download.status_code == 200
    assert body(download) == PDF
    assert token_client(wuchang_officer).get(listed["url"]).status_code == 404
    as_json = api.post(
        f"/api/v1/funding/projects/{project.pk}/entries/",
        {"kind": "receipt", "source": "city_special", "amount": "100.00"},
        format="json",
    )
    assert as_json.status_code == 201 and as_json.json()["documents"] == []


# case → (the uploads, the refusal's code); the size limit is 1 KB in these tests.
REFUSALS = {
    "not_a_document": (lambda: [pdf("批复.pdf", b"<html>not a pdf</html>")], "document_type"),
    "too_large": (lambda: [pdf("扫描.pdf", PDF + b"0" * 2048)], "document_too_large"),
    "a_fourth_file": (lambda: [pdf(f"{n}.pdf") for n in range(4)], "too_many_documents"),
}


@pytest.fixture
def send(client, jiangan_officer, planned):
    """A commitment with `uploads` through the page or the API: the answer."""

    def post(face, uploads):
        if face == "page":
            client.force_login(jiangan_officer)
            return client.post(
                reverse("funding:post", kwargs={"pk": planned.pk}),
                {
                    "post-kind": "commitment",
                    "post-source": source("city_special").pk,
                    "post-amount": "50000.00",
                    "post-document": DOCUMENT,
                    "post-documents": uploads,
                },
            )
        return token_client(jiangan_officer).post(
            f"/api/v1/funding/projects/{planned.pk}/entries/",
            {
                "kind": "commitment",
                "source": "city_special",
                "amount": "50000.00",
                "document": DOCUMENT,
                "documents": uploads,
            },
            format="multipart",
        )

    return post


@pytest.mark.parametrize("face", ["page", "api"])
@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_a_refused_file_writes_nothing_and_leaves_no_file(send, media, monkeypatch, face, case):
    monkeypatch.setattr(documents, "MAX_BYTES", 1024)
    make_uploads, code = REFUSALS[case]
    answer = send(face, make_uploads())
    assert answer.status_code == 400
    if face == "page":
        assert "posting-errors" in answer.content.decode()
    else:
        assert answer.json()["code"] == code
        assert answer.json()["fields"]["documents"]
    assert not LedgerEntry.objects.exists()
    assert not LedgerDocument.objects.exists()
    assert not AuditEvent.objects.filter(verb="ledger.posted").exists()
    assert stored_files(media) == []


def test_a_posting_that_fails_after_storing_its_files_deletes_them(
    jiangan_officer, planned, media, monkeypatch
):
    def refuse(**kwargs):
        raise DomainError("audit refused", code="test")

    monkeypatch.setattr(services.events, "ledger_posted", refuse)
    with pytest.raises(DomainError):
        services.post_entry(
            actor=jiangan_officer,
            scope=district_scope(planned),
            project=planned,
            kind="commitment",
            source=source("city_special"),
            amount=Decimal("50000.00"),
            document=DOCUMENT,
            documents=[pdf()],
        )
    assert not LedgerDocument.objects.exists()
    assert stored_files(media) == []
