"""The A4 notice (方案公示) to post on the compound's board: a PDF with the CJK font embedded,
served to staff over the project and to the compound's residents, nobody else."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from anju.access.scope import scope_for
from anju.access.tests.test_code_sheets import embedded_fonts, pdf_texts
from anju.design.services.notices import publish_notice

from .noticing import draft_version, on_day, signed_in_resident

pytestmark = pytest.mark.django_db

SCREENSHOTS = Path(__file__).resolve().parents[3] / "build" / "screenshots"


@pytest.fixture
def notice(monkeypatch, jiangan_project, jiangan_officer):
    on_day(monkeypatch, dt.date(2027, 9, 30))
    version = draft_version(jiangan_project)
    return publish_notice(actor=jiangan_officer, scope=scope_for(jiangan_officer), version=version)


def pdf_url(project):
    return reverse("design:notice-pdf", args=[project.pk])


def test_staff_get_the_notice_as_a_pdf_with_the_chinese_font(
    client_as, jiangan_project, jiangan_officer, notice
):
    response = client_as(jiangan_officer).get(pdf_url(jiangan_project))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    fonts = {name.split("+")[-1].replace("-", "") for name in embedded_fonts(pdf)}
    assert any(name.startswith(("NotoSansCJKSC", "NotoSerifCJKSC")) for name in fonts), fonts
    assert any(b"/FontFile" in text for text in pdf_texts(pdf))
    assert any(b"/Image" in text for text in pdf_texts(pdf))  # the QR code


def test_the_pdf_renders_to_png_with_chinese_text(
    client_as, jiangan_project, jiangan_officer, notice, tmp_path
):
    pdftoppm, pdftotext = shutil.which("pdftoppm"), shutil.which("pdftotext")
    if not pdftoppm:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftoppm is missing: scripts/system-deps.sh --test installs poppler-utils")
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    pdf = client_as(jiangan_officer).get(pdf_url(jiangan_project)).content
    source = tmp_path / "notice.pdf"
    source.write_bytes(pdf)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / "notice-pdf"
    subprocess.run(
        [pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", source, target],
        check=True,
        timeout=60,
    )
    assert (SCREENSHOTS / "notice-pdf.png").stat().st_size > 10_000
    if pdftotext:
        text = subprocess.run(
            [pdftotext, "-layout", source, "-"], capture_output=True, check=True, timeout=60
        ).stdout.decode()
        assert "改造方案公示" in text
        assert "居民出资部分" in text
        assert "加装电梯" in text


def test_a_resident_of_the_compound_may_download_it(client, city, notice):
    resident = signed_in_resident(client, city.jiangan_compound.households.first())
    response = resident.get(reverse("design-portal:notice-pdf", args=[notice.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


def test_another_district_gets_404(jiangan_project, wuchang_officer, notice):
    client = Client()
    client.force_login(wuchang_officer)
    assert client.get(pdf_url(jiangan_project)).status_code == 404


def test_a_project_without_a_notice_has_no_pdf(client_as, jiangan_project, jiangan_officer):
    assert client_as(jiangan_officer).get(pdf_url(jiangan_project)).status_code == 404
