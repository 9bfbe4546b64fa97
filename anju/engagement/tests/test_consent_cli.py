"""`anju consent tally`: a per-unit file in, the Civil Code tally out as JSON, no database."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
import xlsxwriter
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

ROOT = Path(__file__).resolve().parents[3]
HEADER = ["unit_id", "owner_id", "area", "vote"]


def write_csv(path: Path, rows: list[list[str]], header=HEADER) -> Path:
    lines = [",".join(header), *(",".join(str(cell) for cell in row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_xlsx(path: Path, rows: list[list], header=HEADER) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("表决")
    sheet.write_row(0, 0, header)
    for index, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if isinstance(value, int | float):
                sheet.write_number(index, column, value)
            elif value is not None:
                sheet.write_string(index, column, value)
    workbook.close()
    return path


def tally(path: Path, matter: str = "major", *extra: str) -> dict:
    stdout = StringIO()
    call_command(
        "consent", "tally", "--ballots", str(path), "--matter", matter, *extra, stdout=stdout
    )
    return json.loads(stdout.getvalue())


def rejection(path: Path, matter: str = "major") -> str:
    with pytest.raises(CommandError) as caught:
        tally(path, matter)
    return str(caught.value)


# 0.7 + 0.6 + 0.2 of 2.25 m² is exactly 2/3 (floats say 0.6666666666666665); 3 of 4 owners.
TWO_THIRDS_ROWS = [
    ["1-101", "o1", "0.7", "agree"],
    ["1-102", "o2", "0.6", "Agree "],
    ["1-103", "o3", "0.2", "同意"],
    ["1-104", "o4", "0.75", "absent"],
]


def test_csv_tally_prints_exact_ratios(tmp_path):
    result = tally(write_csv(tmp_path / "votes.csv", TWO_THIRDS_ROWS))
    assert set(result) >= {"participation", "approval", "passed", "explanation", "totals"}
    assert result["participation"]["area_ratio"] == {"fraction": "2/3", "decimal": 0.6667}
    assert result["participation"]["head_ratio"] == {"fraction": "3/4", "decimal": 0.75}
    assert result["participation"]["met"] is True
    assert result["approval"]["area_ratio"] == {"fraction": "1/1", "decimal": 1.0}
    assert result["approval"]["met"] is True
    assert result["passed"] is True
    assert result["totals"]["area"] == "2.25"
    assert result["totals"]["heads"] == 4
    assert result["totals"]["not_voted_units"] == 1
    assert result["explanation"][-1] == "表决通过。"


def test_xlsx_tally_reads_numeric_cells_exactly(tmp_path):
    rows = [
        [101, "张", 0.7, "同意"],
        [102, "李", 0.6, "同意"],
        [103, "王", "0.2", "同意"],
        [104, "developer", 0.5, "反对"],
        [105, "开发商", 0.25, "未参与"],
    ]
    path = write_xlsx(
        tmp_path / "votes.xlsx", rows, header=["单元编号", "业主编号", "面积", "表决"]
    )
    out = tmp_path / "result.json"
    stdout = StringIO()
    call_command(
        "consent",
        "tally",
        "--ballots",
        str(path),
        "--matter",
        "major",
        "--out",
        str(out),
        stdout=stdout,
    )
    assert stdout.getvalue() == ""
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["totals"]["heads"] == 4  # the developer's two units are one head
    assert result["participation"]["area_ratio"]["fraction"] == "8/9"  # 2.0 of 2.25
    assert result["approval"]["area_ratio"] == {"fraction": "3/4", "decimal": 0.75}  # 1.5 of 2
    assert result["approval"]["head_ratio"] == {"fraction": "3/4", "decimal": 0.75}
    assert result["passed"] is True


def test_exactly_half_fails_an_ordinary_matter(tmp_path):
    rows = [["1", "a", "80", "agree"], ["2", "b", "80", "disagree"]]
    result = tally(write_csv(tmp_path / "votes.csv", rows), "ordinary")
    assert result["approval"]["area_ratio"]["fraction"] == "1/2"
    assert result["passed"] is False
    assert result["explanation"][-1] == "表决未通过。"


def test_owner_of_several_units_may_leave_some_absent(tmp_path):
    rows = [["1", "a", "80", "agree"], ["2", "a", "80", "未参与"], ["3", "b", "80", "agree"]]
    result = tally(write_csv(tmp_path / "votes.csv", rows))
    assert result["totals"]["heads"] == 2
    assert result["participation"]["head_ratio"]["fraction"] == "1/1"
    assert result["participation"]["area_ratio"]["fraction"] == "2/3"


def test_huge_areas_in_scientific_notation_parse(tmp_path):
    rows = [["1", "a", "1e20", "agree"], ["2", "b", "1E20", "agree"]]
    assert tally(write_csv(tmp_path / "votes.csv", rows))["totals"]["area"] == (
        "200000000000000000000"
    )
    xlsx_rows = [["1", "a", 1e20, "agree"], ["2", "b", 1e20, "agree"]]
    result = tally(write_xlsx(tmp_path / "votes.xlsx", xlsx_rows))
    assert result["totals"]["area"] == "200000000000000000000"


def test_explanation_follows_the_active_language(tmp_path):
    with translation.override("en"):
        result = tally(write_csv(tmp_path / "votes.csv", TWO_THIRDS_ROWS))
    assert result["explanation"][-1] == "The vote passed."


# --- bad files name the row and exit non-zero ------------------------------------------------


def test_missing_column_is_named_on_the_header_row(tmp_path):
    path = write_csv(tmp_path / "votes.csv", [["1", "a", "80"]], header=HEADER[:3])
    message = rejection(path)
    assert "第1行" in message
    assert "“vote”" in message


def test_unknown_vote_word_names_the_row(tmp_path):
    rows = [["1", "a", "80", "agree"], ["2", "b", "80", "maybe"]]
    message = rejection(write_csv(tmp_path / "votes.csv", rows))
    assert "第3行：无法识别的表决意见“maybe”" in message


def test_negative_area_names_the_row(tmp_path):
    rows = [["1", "a", "-80", "agree"]]
    assert "第2行：面积不能为负数" in rejection(write_csv(tmp_path / "votes.csv", rows))


def test_non_numeric_area_names_the_row(tmp_path):
    rows = [["1", "a", "80", "agree"], ["2", "b", "八十", "agree"], ["3", "c", "NaN", "agree"]]
    message = rejection(write_csv(tmp_path / "votes.csv", rows))
    assert "第3行：面积应为数字，不能是“八十”" in message
    assert "第4行：面积应为数字" in message


def test_duplicate_unit_names_both_rows(tmp_path):
    rows = [
        ["1-101", "a", "80", "agree"],
        ["1-102", "b", "80", "agree"],
        ["1-101", "c", "80", "agree"],
    ]
    assert "第4行：单元编号“1-101”与第2行重复" in rejection(write_csv(tmp_path / "votes.csv", rows))


def test_owner_voting_two_ways_names_both_rows(tmp_path):
    rows = [["1", "zhang", "80", "同意"], ["2", "li", "80", "agree"], ["3", "zhang", "80", "反对"]]
    message = rejection(write_csv(tmp_path / "votes.csv", rows))
    assert "第4行：业主“zhang”在第2行表决为“同意”，在本行（第4行）表决为“反对”" in message


def test_developer_voting_two_ways_is_rejected(tmp_path):
    rows = [["1", "developer", "80", "agree"], ["2", "开发商", "80", "abstain"]]
    assert "第3行：业主“开发商”在第2行" in rejection(write_csv(tmp_path / "votes.csv", rows))


def test_empty_file_is_rejected(tmp_path):
    path = tmp_path / "votes.csv"
    path.write_text("", encoding="utf-8")
    assert "第1行：文件为空" in rejection(path)


def test_header_without_ballots_is_rejected(tmp_path):
    assert "第2行：文件中没有表决记录" in rejection(write_csv(tmp_path / "votes.csv", []))


def test_unknown_file_type_is_rejected(tmp_path):
    path = tmp_path / "votes.pdf"
    path.write_bytes(b"%PDF-1.4")
    assert "不支持的文件类型“.pdf”" in rejection(path)


def test_missing_file_is_rejected(tmp_path):
    assert "找不到文件" in rejection(tmp_path / "nowhere.csv")


def test_a_corrupt_workbook_is_rejected(tmp_path):
    path = tmp_path / "votes.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    assert "无法读取该文件" in rejection(path)


def test_every_problem_is_reported_at_once(tmp_path):
    rows = [
        ["1", "a", "80", "agree"],
        ["", "b", "80", "agree"],
        ["3", "", "", ""],
        ["4", "d", "x", "no"],
    ]
    message = rejection(write_csv(tmp_path / "votes.csv", rows))
    lines = message.splitlines()
    assert lines[0] == "表决文件有 6 处问题，未计票："
    assert lines[1:] == [
        "第3行：单元编号为空。",
        "第4行：业主编号为空。",
        "第4行：面积为空。",
        "第4行：表决意见为空；未参与表决请填写“未参与”。",
        "第5行：面积应为数字，不能是“x”。",
        lines[6],
    ]
    assert lines[6].startswith("第5行：无法识别的表决意见“no”")


def test_xlsx_rows_are_spreadsheet_rows(tmp_path):
    rows = [[101, "a", 80, "agree"], None, [103, "c", -1.5, "agree"]]
    path = tmp_path / "votes.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    for index, row in enumerate(rows, start=1):
        if row:
            sheet.write_row(index, 0, row)
    workbook.close()
    assert "第4行：面积不能为负数（填写的是-1.5）" in rejection(path)


# --- no database -----------------------------------------------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "anju.settings.test",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
    }
    return subprocess.run(
        [sys.executable, "-m", "anju", "consent", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_command_needs_no_database(tmp_path):
    good = write_csv(tmp_path / "votes.csv", TWO_THIRDS_ROWS)
    done = run_cli("tally", "--ballots", str(good), "--matter", "major")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["participation"]["area_ratio"]["fraction"] == "2/3"

    bad = write_csv(tmp_path / "bad.csv", [["1", "a", "80", "agree"], ["1", "b", "80", "maybe"]])
    failed = run_cli("tally", "--ballots", str(bad), "--matter", "ordinary")
    assert failed.returncode == 1
    assert "第3行：单元编号“1”与第2行重复" in failed.stderr
    assert "第3行：无法识别的表决意见“maybe”" in failed.stderr
