"""The import core: cell parsers, header and row handling, all-or-nothing runs, the error's
API shape, the annotated copy, and the spreadsheet reader underneath."""

import io
import zipfile
from decimal import Decimal

import pytest
import xlsxwriter
from django.db import IntegrityError

from anju.core import excel
from anju.core.actors import CLI
from anju.core.api import exception_handler
from anju.core.errors import Conflict, DomainError
from anju.core.importing import (
    CellError,
    Column,
    Importer,
    ImportParams,
    ImportRejected,
    ImportReport,
    Problem,
    SheetSpec,
    boolean,
    choice,
    clean_cell,
    decimal,
    identifier,
    integer,
    normalise_header,
    text,
)
from anju.core.models import AuditEvent
from anju.core.scope import Scope

TEXT_FORMAT = "请将该列设为文本格式后重新填写"
SCOPE = Scope(roles=frozenset({"city_office"}), node_paths=("4201/",))


def xlsx(sheets: dict) -> bytes:
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, int | float):
                    sheet.write_number(r, c, value)
                elif value is not None:
                    sheet.write_string(r, c, value)
    book.close()
    return output.getvalue()


# --- parsers ---


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("ABC-1", "ABC-1"), (420102001001.0, "420102001001"), ("４２０１", "4201"), (" 12 3 ", "123")],
)
def test_identifier_keeps_codes_as_text(cell, expected):
    assert identifier()(cell) == expected


@pytest.mark.parametrize("cell", [420102199001011234.0, 1234567890123456.0, "4.20102E+17", 12.5])
def test_identifier_rejects_numbers_that_excel_has_rounded(cell):
    with pytest.raises(CellError, match=TEXT_FORMAT):
        identifier()(cell)


def test_identifier_checks_digit_count_and_length():
    with pytest.raises(CellError, match="12位数字"):
        identifier(digits=12)("420102")
    with pytest.raises(CellError, match="不能超过3个字符"):
        identifier(3)("ABCD")


@pytest.mark.parametrize(
    ("cell", "expected"), [("12", 12), (12.0, 12), ("1,998", 1998), ("1998年", 1998)]
)
def test_integer_accepts_whole_numbers(cell, expected):
    assert integer(suffixes=("年",))(cell) == expected


@pytest.mark.parametrize("cell", ["abc", 12.5, "12.5", True])
def test_integer_rejects_the_rest(cell):
    with pytest.raises(CellError, match="整数"):
        integer()(cell)


def test_integer_range_names_the_limit():
    with pytest.raises(CellError, match="不能大于60"):
        integer(max_value=60)(61)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("1,234.567", Decimal("1234.57")), (56.3, Decimal("56.30")), ("80㎡", Decimal("80.00")),
     ("８０．５", Decimal("80.50"))],
)  # fmt: skip
def test_decimal_rounds_to_places(cell, expected):
    assert decimal(2, min_value=0)(cell) == expected


def test_decimal_refuses_negative_and_words():
    with pytest.raises(CellError, match="不能为负数"):
        decimal(2, min_value=0)(-1)
    with pytest.raises(CellError, match="应填写数字"):
        decimal(2)("约一百")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("是", True), ("否", False), ("Y", True), ("no", False), (True, True), (1.0, True),
     ("0", False), ("有", True)],
)  # fmt: skip
def test_boolean_reads_yes_and_no(cell, expected):
    assert boolean()(cell) is expected


def test_boolean_rejects_other_words():
    with pytest.raises(CellError, match="“是”或“否”"):
        boolean()("可能")


def test_choice_accepts_labels_and_values_and_lists_the_labels():
    pairs = [("reform", "房改房"), ("commodity", "商品房")]
    parse = choice(pairs)
    assert parse("房改房") == "reform"
    assert parse("commodity") == "commodity"
    with pytest.raises(CellError, match="可选：房改房、商品房"):
        parse("集体产权")


def test_text_limits_length_and_writes_numbers_as_typed():
    assert text()(101.0) == "101"
    with pytest.raises(CellError, match="不能超过2个字符"):
        text(2)("abc")


def test_headers_match_despite_spaces_stars_and_full_width():
    assert normalise_header(" 小区 编码* ") == normalise_header("小区编码")
    assert normalise_header("建筑面积（㎡）") == normalise_header("建筑面积(㎡)")


# --- a small importer over one sheet ---

PEOPLE = SheetSpec(
    name="人员",
    required=True,
    columns=(
        Column("编号", "code", identifier(18), required=True, is_text=True),
        Column("姓名", "name", text(10), required=True),
        Column("年龄", "age", integer(0, 150)),
        Column("面积", "area", decimal(2, min_value=0), aliases=("面积(㎡)",)),
    ),
)
HEADERS = ["编号", "姓名", "年龄", "面积"]


class PeopleImporter(Importer):
    """Writes one audit event per person, so the test can count what was written."""

    sheets = (PEOPLE,)
    audit_verb = "people.imported"

    def __init__(self, fail_after: int | None = None):
        self.fail_after = fail_after
        self.validated = False

    def validate(self, tables, params, report, progress):
        self.validated = True
        seen = {}
        for row in tables["人员"].rows:
            code = row.get("code")
            if code in seen:
                report.reject(row, "code", f"dup of {seen[code]}")
            seen.setdefault(code, row.number)
        return tables["人员"].rows

    def write(self, plan, params, report, progress):
        for index, row in enumerate(plan):
            if self.fail_after is not None and index == self.fail_after:
                raise IntegrityError("disk on fire")
            AuditEvent.objects.create(verb="person", summary=row.get("name"))
            report.count("people")


class Recorder:
    def __init__(self):
        self.reports = []

    def report(self, stage, percent, message=""):
        self.reports.append((str(stage), percent))


def run(data, importer=None, **params):
    params = {"actor": CLI, "scope": SCOPE, "filename": "people.xlsx", **params}
    return (importer or PeopleImporter()).run(data, ImportParams(**params))


def rejected(data, importer=None):
    before = AuditEvent.objects.count()
    with pytest.raises(ImportRejected) as caught:
        run(data, importer)
    assert AuditEvent.objects.count() == before
    return caught.value


@pytest.mark.django_db
def test_a_clean_file_is_written_and_audited_once():
    data = xlsx({"人员": [HEADERS, ["A1", "张三", 30, 50.5], ["A2", "李四", None, None]]})
    progress = Recorder()

    report = PeopleImporter().run(data, ImportParams(actor=CLI, scope=SCOPE), progress)

    assert report.counts == {"people": 2}
    assert report.rows == {"人员": 2}
    assert AuditEvent.objects.filter(verb="person").count() == 2
    assert AuditEvent.objects.get(verb="people.imported").actor_label == "system:cli"
    percents = [percent for _stage, percent in progress.reports]
    assert percents == sorted(percents) and percents[-1] == 100


@pytest.mark.django_db
def test_every_problem_in_every_row_is_collected_before_rejecting():
    data = xlsx({"人员": [
        HEADERS, ["A1", None, "老", -1], ["A2", "李四", 200, 1], ["A1", "王五", 20, 1],
    ]})  # fmt: skip

    error = rejected(data)

    assert [(p.row, p.column, p.letter) for p in error.problems] == [
        (2, "姓名", "B"), (2, "年龄", "C"), (2, "面积", "D"), (3, "年龄", "C"), (4, "编号", "A"),
    ]  # fmt: skip
    assert error.problems[0].message == "此项必填。"


@pytest.mark.django_db
def test_nothing_is_written_when_the_write_fails_halfway():
    data = xlsx({"人员": [HEADERS, ["A1", "张三", 30, 1], ["A2", "李四", 31, 1]]})

    with pytest.raises(Conflict):
        run(data, PeopleImporter(fail_after=1))

    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_missing_required_header_is_reported_and_rows_are_not_checked():
    importer = PeopleImporter()
    error = rejected(xlsx({"人员": [["编号", "年龄"], ["A1", "老"]]}), importer)

    assert [(p.row, p.column, p.message) for p in error.problems] == [
        (1, "姓名", "缺少必填列“姓名”。")
    ]
    assert not importer.validated


@pytest.mark.django_db
def test_missing_required_sheet_is_reported():
    error = rejected(xlsx({"其他": [["x"]]}))

    assert "人员" in error.problems[0].message


@pytest.mark.django_db
def test_header_aliases_title_rows_and_extra_columns_are_tolerated():
    data = xlsx(
        {"人员": [["人员名单"], ["备注", "编号", "姓名", "面积(㎡)"], ["x", "A1", "张三", "-2"]]}
    )

    error = rejected(data)

    assert [(p.row, p.column, p.letter) for p in error.problems] == [(3, "面积", "D")]


@pytest.mark.django_db
def test_dry_run_validates_and_writes_nothing():
    report = run(xlsx({"人员": [HEADERS, ["A1", "张三", 30, 1]]}), dry_run=True)

    assert report.ok and report.dry_run
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_row_limit_is_a_domain_error():
    data = xlsx({"人员": [HEADERS, ["A1", "张三"], ["A2", "李四"]]})

    with pytest.raises(DomainError, match="超过上限 1 行") as caught:
        run(data, max_rows=1)
    assert caught.value.code == "too_many_rows"


@pytest.mark.django_db
def test_csv_in_utf8_with_bom_or_gb18030_is_read():
    for encoding in ("utf-8-sig", "gb18030"):
        data = "编号,姓名\nA1,张三\nA2,李四\n".encode(encoding)
        assert run(data).counts == {"people": 2}
        AuditEvent.objects.all().delete()


def test_rejection_answers_the_api_with_every_problem():
    problem = Problem(sheet="人员", row=3, column="年龄", letter="C", message="不对", index=2)

    response = exception_handler(ImportRejected(ImportReport(problems=[problem])), {})

    assert response.status_code == 400
    assert response.data == {
        "code": "import_rejected",
        "message": "文件中有 1 处问题，没有导入任何数据。请修改后重新上传。",
        "fields": {},
        "problems": [
            {"sheet": "人员", "row": 3, "column": "年龄", "letter": "C", "message": "不对"}
        ],
    }


def test_problem_reads_as_sheet_row_column_message():
    assert str(Problem("小区", 3, "社区编码", "C", "未知")) == "小区 第3行 列C（社区编码）：未知"
    assert str(Problem("小区", 1, "社区编码", "", "缺少")) == "小区 第1行 列社区编码：缺少"
    assert str(Problem("小区", None, "", "", "缺少工作表")) == "小区：缺少工作表"


@pytest.mark.django_db
def test_annotated_copy_marks_the_cells_and_lists_the_problems():
    data = xlsx({"人员": [HEADERS, ["A1", "张三", "老", 1]]})
    error = rejected(data)

    copy = error.annotated_copy()

    workbook = excel.read_workbook(copy)
    assert workbook.names == ["问题清单", "人员"]
    assert workbook.sheets["问题清单"].rows[1][:3] == ["人员", "2", "C（年龄）"]
    assert workbook.sheets["人员"].rows[1] == ["A1", "张三", "老", 1.0]
    comments = zipfile.ZipFile(io.BytesIO(copy)).read("xl/comments1.xml").decode()
    assert 'ref="C2"' in comments and "整数" in comments


# --- the reader ---


def test_xlsx_rows_keep_their_sheet_numbers_and_numbers_arrive_as_floats():
    data = xlsx({"S": [[], [], ["a", 420102199001011234]]})

    sheet = excel.read_workbook(data).sheets["S"]

    assert sheet.rows[2][0] == "a"
    assert isinstance(sheet.rows[2][1], float)
    assert [number for number, _cells in sheet.numbered(3)] == [3]


def test_unreadable_bytes_are_a_domain_error():
    with pytest.raises(excel.SpreadsheetError):
        excel.read_workbook(b"PK\x03\x04broken")


def test_write_table_freezes_the_header_and_keeps_codes_as_text():
    def build(book):
        excel.write_table(
            book, "表", [excel.TableColumn("编码", is_text=True), excel.TableColumn("数")],
            [["420102199001011234", 3]],
        )  # fmt: skip

    data = excel.workbook_bytes(build, constant_memory=True)

    rows = excel.read_workbook(data).sheets["表"].rows
    assert rows == [["编码", "数"], ["420102199001011234", 3.0]]
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert 'ySplit="1"' in sheet_xml


def test_csv_export_defuses_formulas_and_the_import_restores_the_text():
    data = excel.csv_bytes(["编号", "姓名"], [["=HYPERLINK(1)", "+8613800000000"], [-5, None]])

    rows = excel.read_workbook(data).sheets["Sheet1"].rows

    assert rows[1] == ["'=HYPERLINK(1)", "+8613800000000"]
    assert rows[2] == ["-5", ""]
    assert clean_cell(rows[1][0]) == "=HYPERLINK(1)"
    assert clean_cell("'明确的文本") == "'明确的文本"
