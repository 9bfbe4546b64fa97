"""Issue 13, defect 14: a file can make an import read no more than the importer declares.

A 9 KB .xlsx with one cell at XFD1048576 made python-calamine allocate 512 GiB for the sheet's
range and abort the process; one at ALL20000 took 776 MB; a 20,000-row garbage file took over
a minute, 1.2 GB and produced 260,000 problems. Now each sheet to be read is scanned for its
last cell (and the zip checked for bombs) before calamine sees it, CSV files are read within
the same limits, and problems stop at 200.
"""

import io
import struct
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from anju.core import excel
from anju.core.actors import CLI
from anju.core.importing import (
    PROBLEM_LIMIT,
    Column,
    Importer,
    ImportParams,
    ImportRejected,
    SheetSpec,
    import_upload,
    integer,
    text,
)
from anju.core.models import AuditEvent
from anju.core.scope import Scope

from .hostile_files import (
    SHEET_HEAD,
    far_cell,
    garbage_rows,
    not_a_zip,
    peak_mb,
    row_xml,
    wide_cell,
    workbook,
    zip_bomb,
)

SCOPE = Scope(roles=frozenset({"city_office"}), node_paths=("4201/",))
HEADERS = ["编号", "姓名", "年龄"]
SMALL = excel.ReadLimits(max_rows=100, max_columns=10, max_cells=500)


class PeopleImporter(Importer):
    """Three columns, so it reads at most 33 columns; writes one audit event per row."""

    sheets = (
        SheetSpec(
            name="人员",
            required=True,
            columns=(
                Column("编号", "code", text(10), required=True),
                Column("姓名", "name", text(10), required=True),
                Column("年龄", "age", integer(0, 150)),
            ),
        ),
    )
    max_sheet_rows = 1_000

    def __init__(self):
        self.validated = False

    def validate(self, tables, params, report, progress):
        self.validated = True
        return tables["人员"].rows

    def write(self, plan, params, report, progress):
        for row in plan:
            AuditEvent.objects.create(verb="person", summary=row.get("name"))


def run(data, filename="人员.xlsx"):
    return PeopleImporter().run(data, ImportParams(actor=CLI, scope=SCOPE, filename=filename))


def refusal(data, filename="人员.xlsx"):
    """Run an import that must be refused quickly, within 200 MB, writing nothing; return
    its one problem."""
    outcome, seconds, megabytes = peak_mb(lambda: run(data, filename))
    assert isinstance(outcome, ImportRejected), outcome
    assert seconds < 10 and megabytes < 200, (seconds, megabytes)
    assert not AuditEvent.objects.exists()
    assert len(outcome.problems) == 1, [str(p) for p in outcome.problems]
    assert outcome.message == outcome.problems[0].message
    return outcome.problems[0]


# --- through an importer ---


@pytest.mark.django_db
def test_a_cell_at_xfd1048576_is_refused_before_the_sheet_is_read():
    problem = refusal(far_cell("人员", HEADERS))

    assert (problem.sheet, problem.row, problem.letter) == ("人员", 1_048_576, "XFD")
    assert "工作表“人员”在 XFD1048576 还有内容" in problem.message
    assert "最多到第 1000 行、第 33 列即 AG 列" in problem.message


@pytest.mark.django_db
def test_a_cell_at_all20000_is_refused_by_the_column_limit():
    problem = refusal(wide_cell("人员", HEADERS))

    assert "在 ALL20000 还有内容" in problem.message


@pytest.mark.django_db
def test_a_zip_bomb_is_refused_without_unzipping_it():
    problem = refusal(zip_bomb("人员", HEADERS))

    assert "文件解压后超过" in problem.message


@pytest.mark.django_db
def test_random_bytes_named_xlsx_are_refused_as_not_a_spreadsheet():
    problem = refusal(not_a_zip(), "人员.xlsx")

    assert "文件名是 .xlsx，但内容不是 Excel 表格" in problem.message
    assert problem.sheet == "人员.xlsx"


@pytest.mark.django_db
def test_a_sheet_past_the_importers_rows_is_refused_at_the_first_row_beyond():
    data = workbook({"人员": [row_xml(1, HEADERS), row_xml(1_001, ["A1", "张三"])]})

    problem = refusal(data)

    assert (problem.row, problem.letter) == (1_001, "A")


@pytest.mark.django_db
def test_problems_stop_at_the_limit_and_say_so():
    importer = PeopleImporter()
    data = garbage_rows("人员", HEADERS, rows=900)

    outcome, seconds, megabytes = peak_mb(
        lambda: importer.run(data, ImportParams(actor=CLI, scope=SCOPE, filename="人员.xlsx"))
    )

    assert isinstance(outcome, ImportRejected)
    assert len(outcome.problems) == PROBLEM_LIMIT + 1
    assert outcome.problems[-1].row is None
    assert "还有更多问题，已在第 200 处后停止检查" in outcome.problems[-1].message
    assert "问题超过 200 处" in outcome.message
    assert not importer.validated  # cross-row rules are not run over a file this bad
    listing = excel.read_workbook(outcome.annotated_copy()).sheets["问题清单"]
    assert len(listing.rows) == PROBLEM_LIMIT + 2
    assert seconds < 10 and megabytes < 200


@pytest.mark.django_db
def test_a_few_problems_are_all_listed_as_before():
    data = workbook({"人员": [row_xml(1, HEADERS), row_xml(2, ["A1", "张三", "老"])]})

    with pytest.raises(ImportRejected) as caught:
        run(data)

    assert [p.letter for p in caught.value.problems] == ["C"]
    assert caught.value.message == "文件中有 1 处问题，没有导入任何数据。请修改后重新上传。"


@pytest.mark.django_db
def test_sheets_the_importer_does_not_import_are_not_read():
    data = workbook({"说明": [row_xml(60_000, ["x"])], "人员": [row_xml(1, HEADERS),
                     row_xml(2, ["A1", "张三", 30])]})  # fmt: skip

    run(data)

    assert AuditEvent.objects.filter(verb="person").count() == 1


@pytest.mark.django_db
def test_the_upload_job_turns_a_refusal_into_a_rejected_result_and_deletes_the_upload():
    path = default_storage.save("imports/uploads/test.xlsx", ContentFile(far_cell("人员", HEADERS)))
    params = ImportParams(actor=CLI, scope=SCOPE, filename="人员.xlsx")

    with pytest.raises(ImportRejected) as caught:
        import_upload(PeopleImporter, upload_path=path, params=params, progress=None,
                      annotated_view="x", labelled=lambda counts: [], result={})  # fmt: skip

    assert caught.value.result["status"] == "rejected"
    assert caught.value.result["problem_count"] == 1
    assert caught.value.result["problems"][0]["letter"] == "XFD"
    assert caught.value.result["annotated_file"] == ""
    assert not default_storage.exists(path)


# --- the reader ---


def test_the_default_limits_refuse_the_512_gib_sheet_too():
    with pytest.raises(excel.FileTooLarge, match="XFD1048576"):
        excel.read_workbook(far_cell("S", ["a"]))


def test_the_dimension_element_is_not_trusted():
    """calamine sizes the range from the cells, so a small sheet that declares A1:XFD1048576
    is read, and a huge one that declares A1:A1 is refused."""
    honest_cells = workbook({"S": [row_xml(1, ["a", "b"])]}, dimension="A1:XFD1048576")
    lying = workbook({"S": [row_xml(1, ["a"]), row_xml(500, ["x"])]}, dimension="A1:A1")

    assert excel.read_workbook(honest_cells, limits=SMALL).sheets["S"].rows == [["a", "b"]]
    with pytest.raises(excel.FileTooLarge, match="A500"):
        excel.read_workbook(lying, limits=SMALL)


def test_cells_without_references_are_placed_as_calamine_places_them():
    cells = "".join(f'<c t="inlineStr"><is><t>{n}</t></is></c>' for n in range(11))
    data = workbook({"S": [f"<row>{cells}</row>"]})

    with pytest.raises(excel.FileTooLarge, match="K1"):
        excel.read_workbook(data, limits=SMALL)


def test_empty_styled_cells_far_away_do_not_count():
    data = workbook({"S": [row_xml(1, ["a"]), '<row r="99999"><c r="XFD99999" s="1"/></row>']})

    assert excel.read_workbook(data, limits=SMALL).sheets["S"].rows == [["a"]]


def test_a_reference_hidden_behind_a_quoted_bracket_is_refused():
    hidden = '<row r="1"><c t=">" r="XFD1048576"><v>1</v></c></row>'

    with pytest.raises(excel.SpreadsheetError, match=r"不是有效的 \.xlsx"):
        excel.read_workbook(workbook({"S": [hidden]}))


def test_a_part_that_lies_about_its_size_is_refused():
    """A bomb whose zip directory declares 1 KB: zipfile stops there and the CRC fails."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as book:
        source = zipfile.ZipFile(io.BytesIO(workbook({"S": [row_xml(1, ["a"])]})))
        for info in source.infolist():
            body = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                body = f"{SHEET_HEAD}<sheetData>".encode() + b" " * (4 << 20) + body[-40:]
            book.writestr(info.filename, body)
    data = bytearray(output.getvalue())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            (size,) = struct.unpack_from("<I", data, start + offset)
            if size > 1 << 20:
                struct.pack_into("<I", data, start + offset, 1024)
            start += 4

    with pytest.raises(excel.SpreadsheetError, match=r"不是有效的 \.xlsx"):
        excel.read_workbook(bytes(data))


def test_a_doctype_is_refused():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as book:
        source = zipfile.ZipFile(io.BytesIO(workbook({"S": [row_xml(1, ["a"])]})))
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "xl/workbook.xml":
                body = body.replace(b"?>", b'?><!DOCTYPE w [<!ENTITY a "aaaa">]>', 1)
            book.writestr(info.filename, body)

    with pytest.raises(excel.SpreadsheetError, match=r"不是有效的 \.xlsx"):
        excel.read_workbook(data.getvalue())


def test_a_zip_that_is_not_a_workbook_is_refused():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as book:
        book.writestr("content.xml", "<office:document-content/>")

    with pytest.raises(excel.SpreadsheetError, match=r"不是有效的 \.xlsx"):
        excel.read_workbook(data.getvalue())


def test_too_many_zip_entries_are_refused_before_zipfile_lists_them():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as book:
        for index in range(30):
            book.writestr(f"x{index}", "")

    with pytest.raises(excel.SpreadsheetError):
        excel.read_workbook(data.getvalue(), limits=excel.ReadLimits(max_parts=20))


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    upload = SimpleUploadedFile("big.csv", b"a,b\n" * 1000)

    with pytest.raises(excel.FileTooLarge, match="超过上限 0 MB"):
        excel.read_workbook(upload, limits=excel.ReadLimits(max_file_bytes=1000))


def test_csv_rows_and_columns_are_bounded_like_a_sheet():
    rows = "编号,姓名\n" + "A1,张三\n" * 100 + "A2,李四\n"
    wide = "编号,姓名" + ",x" * 10 + "\n"

    with pytest.raises(excel.FileTooLarge, match="B101"):
        excel.read_workbook(rows.encode(), limits=SMALL)
    with pytest.raises(excel.FileTooLarge, match="L1"):
        excel.read_workbook(wide.encode(), limits=SMALL)
    trailing = "编号,姓名" + "," * 5000 + "\n" + "\n" * 5000
    assert excel.read_workbook(trailing.encode(), limits=SMALL).sheets["Sheet1"].rows == [
        ["编号", "姓名"]
    ]


def test_a_csv_field_longer_than_the_csv_limit_is_a_clear_refusal():
    data = ("编号\n" + "x" * 200_000 + "\n").encode()

    with pytest.raises(excel.SpreadsheetError, match="第2行无法读取"):
        excel.read_workbook(data)
