"""Contribution sheets: per unit or for the whole compound, as a PDF with the Chinese font
embedded (a table per household and the method in the footer) and as .xlsx; another district
gets 404, a unit of another project 404, a malformed unit 400."""

import io
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from anju.funding.models import CoefficientTable, HouseholdContribution
from anju.territory.models import Unit

from .sharing import computed, district_scope, shared_project

pytestmark = pytest.mark.django_db
SCREENSHOTS = Path(__file__).resolve().parents[3] / "build" / "screenshots"


@pytest.fixture
def project(city):
    project = computed(
        shared_project(city.jiangan, city.jiangan_community, "2027-420102-S01", "S01")
    )
    from anju.design.models import PlanItem
    from anju.funding.services.sharing import ShareTerms, set_cost_share

    set_cost_share(
        actor=None,
        scope=district_scope(project),
        plan_item=PlanItem.objects.get(version__project=project, item__code="I13"),
        terms=ShareTerms(
            method="by_floor_coefficients",
            table=CoefficientTable.objects.get(code="elevator-guangzhou-example"),
        ),
    )
    set_cost_share(
        actor=None,
        scope=district_scope(project),
        plan_item=PlanItem.objects.get(version__project=project, item__code="B14"),
        terms=ShareTerms(residents_share=Decimal("0.1")),
    )
    return project


def first_unit(project):
    return Unit.objects.filter(building__compound=project.compounds.first()).order_by("pk")[0]


def pdf_text(pdf: bytes, tmp_path) -> str:
    pdftotext = shutil.which("pdftotext")
    if not pdftotext:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    source = tmp_path / "sheet.pdf"
    source.write_bytes(pdf)
    return subprocess.run(
        [pdftotext, "-layout", source, "-"], capture_output=True, check=True, timeout=60
    ).stdout.decode()


def test_a_units_sheet_lists_each_household_with_its_amount_per_item_and_total(
    client_as, jiangan_officer, project, tmp_path
):
    unit = first_unit(project)
    response = client_as(jiangan_officer).get(
        reverse("funding:sharing-sheet-pdf", args=[project.pk]), {"unit": unit.pk}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "分户费用分摊表" in text
    assert "1栋 1单元 601" in text
    assert "2栋" not in text.split("分摊方法")[0]
    line = HouseholdContribution.objects.get(
        household__unit=unit, household__room="601", share__plan_item__item__code="I13"
    )
    assert f"{line.amount:,}" in text
    assert "按楼层系数" in text and "最大余数法" in text


def test_the_compound_sheet_renders_to_png(client_as, jiangan_officer, project, tmp_path):
    pdftoppm = shutil.which("pdftoppm")
    if not pdftoppm:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftoppm is missing: scripts/system-deps.sh --test installs poppler-utils")
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    pdf = client_as(jiangan_officer).get(reverse("funding:sharing-sheet-pdf", args=[project.pk]))
    assert pdf.content.startswith(b"%PDF-")
    source = tmp_path / "sheet.pdf"
    source.write_bytes(pdf.content)
    if pdffonts := shutil.which("pdffonts"):  # the Chinese font is embedded, not substituted
        fonts = subprocess.run(
            [pdffonts, source], capture_output=True, check=True, timeout=60
        ).stdout.decode()
        assert "NotoSansCJK" in fonts.replace("-", "") or "NotoSerifCJK" in fonts.replace("-", "")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / "funding-contribution-sheet"
    subprocess.run(
        [pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", source, target],
        check=True,
        timeout=60,
    )
    assert (SCREENSHOTS / "funding-contribution-sheet.png").stat().st_size > 10_000


def test_the_xlsx_sheet_has_a_row_per_household_and_item_adding_up(
    client_as, jiangan_officer, project
):
    response = client_as(jiangan_officer).get(
        reverse("funding:sharing-sheet-xlsx", args=[project.pk])
    )
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    rows = book.get_sheet_by_index(0).to_python()[1:]
    assert len(rows) == 96  # 48 households × (elevator + roofs share)
    assert {row[0] for row in rows} == {project.compounds.get().name}  # the compound first
    amounts = [Decimal(str(row[10])) for row in rows]
    assert sum(amounts) == Decimal("300000.01") + Decimal("15000.00")


def test_another_district_gets_404(client_as, wuchang_officer, project):
    client = client_as(wuchang_officer)
    assert client.get(reverse("funding:sharing-sheet-pdf", args=[project.pk])).status_code == 404
    assert client.get(reverse("funding:sharing-sheet-xlsx", args=[project.pk])).status_code == 404


def test_a_unit_outside_the_project_is_404_and_a_malformed_one_400(
    client_as, jiangan_officer, city, project
):
    client = client_as(jiangan_officer)
    url = reverse("funding:sharing-sheet-pdf", args=[project.pk])
    other = Unit.objects.filter(building__compound=city.wuchang_compound).first()
    assert client.get(url, {"unit": other.pk}).status_code == 404
    assert client.get(url, {"unit": "1 OR 1=1"}).status_code == 400
