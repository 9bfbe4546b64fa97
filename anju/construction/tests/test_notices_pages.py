"""The construction notice's pages and API: the district publishes from the workbench, anyone
reads the public page on a phone, a household of the compound complains (after signing in, it
comes back), another compound's household gets a 403; the A3 board PDF with the CJK font and
the QR code, rendered to build/screenshots/construction-board.png."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from anju.access.tests.test_code_sheets import embedded_fonts, pdf_texts
from anju.core.models import AuditEvent
from anju.stewardship.models import ProblemReport, ReportCategory

from ..models import ConstructionNotice
from .noticing import NOTICE_TEXT, complain, publish

pytestmark = pytest.mark.django_db

SCREENSHOTS = Path(__file__).resolve().parents[3] / "build" / "screenshots"


def test_the_district_publishes_from_the_workbench(client_as, named_project, jiangan_officer):
    client = client_as(jiangan_officer)
    url = reverse("construction:notice-edit", args=[named_project.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, NOTICE_TEXT)
    assert response.status_code == 302
    assert ConstructionNotice.objects.get(project=named_project).safety_note
    hub = client.get(reverse("construction:project", args=[named_project.pk]))
    assert "027-82881234" in hub.content.decode()


def test_a_bad_phone_comes_back_on_the_form_with_400(client_as, named_project, jiangan_officer):
    url = reverse("construction:notice-edit", args=[named_project.pk])
    response = client_as(jiangan_officer).post(url, NOTICE_TEXT | {"complaint_phone": "abc"})
    assert response.status_code == 400
    assert "投诉电话" in response.content.decode()
    assert not ConstructionNotice.objects.exists()


def test_the_builder_may_not_publish(client_as, named_project, builder):
    url = reverse("construction:notice-edit", args=[named_project.pk])
    assert client_as(builder).post(url, NOTICE_TEXT).status_code == 403
    assert not ConstructionNotice.objects.exists()


def test_anyone_reads_the_public_page_without_signing_in(named_project):
    publish(named_project)
    page = Client().get(reverse("construction-portal:notice", args=[named_project.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "江城工程监理有限公司" in text and "13807100002" in text  # responsible phone public
    assert "96000" not in text and "96,000" not in text  # contract sums are not
    assert "027-82881234" in text
    assert "用住户码登录后投诉" in text


def test_an_unpublished_notice_is_not_found(named_project):
    assert (
        Client().get(reverse("construction-portal:notice", args=[named_project.pk])).status_code
        == 404
    )


def test_signing_in_from_the_notice_comes_back_to_the_complaint(
    client, named_project, project_household
):
    from anju.access.codes import issue_household_codes
    from anju.core.actors import DEMO

    publish(named_project)
    url = reverse("construction-portal:notice-complain", args=[named_project.pk])
    assert client.get(url).url == reverse("portal:sign-in")
    compound = project_household.compound
    code = issue_household_codes(actor=DEMO, compound=compound, households=[project_household])
    response = client.post(reverse("portal:sign-in"), {"code": code[project_household.pk]})
    assert response.url == url


def test_a_resident_complains_and_follows_it(resident_of, named_project, project_household):
    publish(named_project)
    client = resident_of(project_household)
    url = reverse("construction-portal:notice-complain", args=[named_project.pk])
    assert client.get(url).status_code == 200
    noise = ReportCategory.objects.get(code="noise")
    response = client.post(url, {"category": noise.pk, "description": "夜间施工噪声"})
    report = ProblemReport.objects.get()
    assert response.url == reverse("stewardship-portal:report", args=[report.pk])
    assert report.channel == "construction_notice"
    public = client.get(reverse("construction-portal:notice", args=[named_project.pk]))
    text = public.content.decode()
    assert report.number in text and "已提交" in text
    assert "夜间施工噪声" not in text  # the public list names no one and quotes nothing


def test_a_bad_complaint_answers_400_and_writes_nothing(
    resident_of, named_project, project_household
):
    publish(named_project)
    url = reverse("construction-portal:notice-complain", args=[named_project.pk])
    response = resident_of(project_household).post(url, {"category": "999", "description": ""})
    assert response.status_code == 400
    assert not ProblemReport.objects.exists()


def test_a_resident_of_another_compound_gets_403(resident_of, named_project, city):
    publish(named_project)
    client = resident_of(city.wuchang_compound.households.first())
    url = reverse("construction-portal:notice-complain", args=[named_project.pk])
    noise = ReportCategory.objects.get(code="noise")
    response = client.post(url, {"category": noise.pk, "description": "噪声"})
    assert response.status_code == 403
    assert "不在本项目" in response.content.decode()
    assert not ProblemReport.objects.exists()


# --- API --------------------------------------------------------------------------------------


def test_api_publish_read_and_complaints(
    client_as, named_project, jiangan_officer, project_household
):
    client = client_as(jiangan_officer)
    url = reverse("api-construction-notice", args=[named_project.pk])
    assert client.get(url).status_code == 404
    response = client.put(url, NOTICE_TEXT, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["parties"][0]["responsible_person"] == "张建国"
    assert response.json()["public_url"].startswith("http://testserver/portal/construction/")
    assert client.get(url).json()["complaint_phone"] == "027-82881234"
    report = complain(named_project, project_household)
    listed = client.get(reverse("api-construction-complaints", args=[named_project.pk])).json()
    assert [row["number"] for row in listed["results"]] == [report.number]
    public = Client().get(reverse("api-construction-public-notice", args=[named_project.pk]))
    assert public.status_code == 200
    body = public.json()
    assert body["complaints"][0]["number"] == report.number
    assert "household" not in body["complaints"][0]
    assert "contract_sum" not in str(body)


def test_api_bad_input_is_a_400_with_fields(client_as, named_project, jiangan_officer):
    url = reverse("api-construction-notice", args=[named_project.pk])
    response = client_as(jiangan_officer).put(
        url, NOTICE_TEXT | {"complaint_phone": "x"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "complaint_phone" in response.json()["fields"]
    assert not AuditEvent.objects.filter(verb__startswith="construction.notice").exists()


def test_api_another_district_gets_404(client_as, named_project, wuchang_officer):
    publish(named_project)
    client = client_as(wuchang_officer)
    for name in ("api-construction-notice", "api-construction-notice-board"):
        assert client.get(reverse(name, args=[named_project.pk])).status_code == 404
    response = client.put(
        reverse("api-construction-notice", args=[named_project.pk]),
        NOTICE_TEXT,
        content_type="application/json",
    )
    assert response.status_code == 404


# --- the A3 board ------------------------------------------------------------------------------


def test_the_board_is_an_a3_pdf_with_the_chinese_font_and_a_qr_code(
    client_as, named_project, builder, tmp_path
):
    publish(named_project)
    response = client_as(builder).get(reverse("construction:notice-board", args=[named_project.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    fonts = {name.split("+")[-1].replace("-", "") for name in embedded_fonts(pdf)}
    assert any(name.startswith(("NotoSansCJKSC", "NotoSerifCJKSC")) for name in fonts), fonts
    assert any(b"/Image" in text for text in pdf_texts(pdf))  # the QR code
    pdftoppm, pdftotext = shutil.which("pdftoppm"), shutil.which("pdftotext")
    if not pdftoppm:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftoppm is missing: scripts/system-deps.sh --test installs poppler-utils")
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    source = tmp_path / "board.pdf"
    source.write_bytes(pdf)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            pdftoppm,
            "-png",
            "-r",
            "50",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            source,
            SCREENSHOTS / "construction-board",
        ],
        check=True,
        timeout=60,
    )
    assert (SCREENSHOTS / "construction-board.png").stat().st_size > 10_000
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo:
        info = subprocess.run(
            [pdfinfo, source], capture_output=True, check=True, timeout=60
        ).stdout.decode()
        assert "(A3)" in info, info  # 297 × 420 mm, portrait
    if pdftotext:
        text = subprocess.run(
            [pdftotext, "-layout", source, "-"], capture_output=True, check=True, timeout=60
        ).stdout.decode()
        assert "施工公示" in text and "027-82881234" in text and "李监理" in text
        assert f"/portal/construction/notices/{named_project.pk}/" in text
