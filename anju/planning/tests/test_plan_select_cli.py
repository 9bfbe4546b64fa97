"""`anju plan select`: candidate and budget files in, the selection as JSON out, no database."""

import json
import math
import os
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
import xlsxwriter
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st

from anju.core.importing import clean_cell
from anju.engine.selection import Candidate, DistrictBudget, is_feasible
from anju.planning.management.commands.plan import parse_number, parse_numbers, read_files

ROOT = Path(__file__).resolve().parents[3]
CANDIDATE_HEADER = ["id", "district", "cost", "score", "package", "mandatory", "exclusive"]
BUDGET_HEADER = ["district", "max_cost", "min_count"]

CANDIDATES = [
    ["JA-01", "江岸区", "50000000", "80", "", "1", ""],
    ["JA-02", "江岸区", "30000000", "70", "", "0", ""],
    ["JA-03", "江岸区", "40000000", "60", "", "", ""],
    ["QK-01", "硚口区", "20000000", "50", "P1", "0", ""],
    ["QK-02", "硚口区", "10000000", "20", "P1", "0", ""],
    ["QK-03a", "硚口区", "15000000", "40", "", "0", "X1"],
    ["QK-03b", "硚口区", "25000000", "55", "", "0", "X1"],
]
BUDGETS = [["江岸区", "100000000", ""], ["硚口区", "", "2"]]


def write_csv(path: Path, rows: list[list[str]], header: list[str]) -> Path:
    lines = [",".join(header), *(",".join(str(cell) for cell in row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_xlsx(path: Path, rows: list[list], header: list[str]) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("候选")
    sheet.write_row(0, 0, header)
    for index, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if isinstance(value, int | float):
                sheet.write_number(index, column, value)
            elif value not in (None, ""):
                sheet.write_string(index, column, value)
    workbook.close()
    return path


def files(tmp_path, candidates=CANDIDATES, budgets=BUDGETS):
    return (
        write_csv(tmp_path / "candidates.csv", candidates, CANDIDATE_HEADER),
        write_csv(tmp_path / "budgets.csv", budgets, BUDGET_HEADER),
    )


def plan_select(candidates: Path, budgets: Path, total: str, *extra: str) -> dict:
    stdout = StringIO()
    call_command(
        "plan",
        "select",
        "--candidates",
        str(candidates),
        "--budgets",
        str(budgets),
        "--budget",
        total,
        *extra,
        stdout=stdout,
    )
    return json.loads(stdout.getvalue())


def rejection(candidates: Path, budgets: Path, total: str = "100000000") -> str:
    with pytest.raises(CommandError) as caught:
        plan_select(candidates, budgets, total)
    return str(caught.value)


def engine_input(rows=CANDIDATES, budgets=BUDGETS):
    candidates = [
        Candidate(r[0], r[1], float(r[2]), float(r[3]), r[4] or None, r[5] == "1", r[6] or None)
        for r in rows
    ]
    limits = [
        DistrictBudget(b[0], float(b[1]) if b[1] else None, int(b[2]) if b[2] else None)
        for b in budgets
    ]
    return candidates, limits


def test_csv_selection_prints_the_answer_and_its_baselines(tmp_path):
    result = plan_select(*files(tmp_path), "150000000")
    assert list(result) == [
        "status", "selected", "objective", "bound", "gap", "total_cost", "seconds",
        "explanation", "baselines",
    ]  # fmt: skip
    assert result["status"] == "optimal"
    assert result["gap"] == 0
    assert result["objective"] == result["bound"]
    candidates, budgets = engine_input()
    assert is_feasible(candidates, budgets, 150_000_000, result["selected"])
    assert "JA-01" in result["selected"]  # mandatory
    assert ("QK-01" in result["selected"]) == ("QK-02" in result["selected"])  # one package
    assert not {"QK-03a", "QK-03b"} <= set(result["selected"])  # alternatives
    assert result["selected"] == ["JA-01", "JA-02", "QK-01", "QK-02", "QK-03b"]
    assert result["objective"] == 275
    assert result["total_cost"] == 135_000_000
    assert result["explanation"][0] == (
        "共选中4个项目（5个候选），合计1.35亿元（总预算1.50亿元），总得分275.00。"
    )
    assert set(result["baselines"]) == {"greedy_score", "greedy_score_per_yuan"}
    assert set(result["baselines"]["greedy_score"]) == {
        "objective", "total_cost", "selected_count", "is_feasible",
    }  # fmt: skip


def test_xlsx_files_with_chinese_headers_and_numeric_cells(tmp_path):
    rows = [
        ["A1", "武昌区", 3_000_000, 50.5, None, 1, None],
        ["A2", "武昌区", 2_000_000, 40, None, 0, None],
        ["A3", "武昌区", 2_500_000, 45, None, None, None],
    ]
    candidates = write_xlsx(
        tmp_path / "c.xlsx", rows, ["编号", "区", "投资额", "得分", "打包", "必选", "互斥组"]
    )
    budgets = write_xlsx(
        tmp_path / "b.xlsx", [["武昌区", 6_000_000, 2]], ["区", "上限", "最少项目数"]
    )
    out = tmp_path / "result.json"
    stdout = StringIO()
    call_command(
        "plan", "select", "--candidates", str(candidates), "--budgets", str(budgets),
        "--budget", "10000000", "--out", str(out), stdout=stdout,
    )  # fmt: skip
    assert stdout.getvalue() == ""
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["selected"] == ["A1", "A3"]
    assert result["objective"] == 95.5


def test_an_infeasible_instance_is_an_answer_not_an_error(tmp_path):
    candidates = [
        ["Q1", "硚口区", "70000000", "80", "", "1", ""],
        ["Q2", "硚口区", "50000000", "70", "", "1", ""],
    ]
    result = plan_select(*files(tmp_path, candidates, [["硚口区", "100000000", ""]]), "500000000")
    assert result["status"] == "infeasible"
    assert result["selected"] == []
    assert result["objective"] is None and result["bound"] is None and result["gap"] is None
    assert result["explanation"] == [
        "无可行方案：约束相互冲突。",
        "硚口区的必选项目2个合计1.20亿元，超过该区上限1.00亿元。",
    ]


def test_every_problem_is_reported_with_its_row(tmp_path):
    candidates = [
        ["A", "江岸区", "-5", "10", "", "0", ""],
        ["B", "江岸区", "abc", "10", "", "2", ""],
        ["A", "江夏区", "100", "10", "", "", ""],
        ["C", "江岸区", "100", "10", "P1", "", ""],
        ["D", "硚口区", "100", "", "P1", "", ""],
    ]
    message = rejection(*files(tmp_path, candidates))
    assert message.splitlines() == [
        "输入文件有 7 处问题，未遴选：",
        "候选项目文件第2行：投资额不能为负数（填写的是-5）。",
        "候选项目文件第3行：投资额应为数字，不能是“abc”。",
        "候选项目文件第3行：必选（mandatory）应填 0 或 1，不能是“2”。",
        "候选项目文件第4行：编号“A”与第2行重复。",
        "候选项目文件第4行：未知的区“江夏区”：预算文件中没有这个区。",
        "候选项目文件第6行：得分为空。",
        "候选项目文件第6行：打包项目“P1”跨区：第5行在江岸区，本行在硚口区；同一打包项目必须在同一个区。",
    ]


def test_budget_file_problems_are_reported_first(tmp_path):
    budgets = [["江岸区", "-1", ""], ["江岸区", "", "1.5"], ["硚口区", "", "x"]]
    message = rejection(*files(tmp_path, budgets=budgets))
    assert message.splitlines() == [
        "输入文件有 4 处问题，未遴选：",
        "预算文件第2行：预算上限不能为负数（填写的是-1）。",
        "预算文件第3行：区“江岸区”与第2行重复。",
        "预算文件第3行：最少项目数应为整数，不能是“1.5”。",
        "预算文件第4行：最少项目数应为数字，不能是“x”。",
    ]


def test_a_missing_column_names_its_aliases(tmp_path):
    candidates = write_csv(tmp_path / "c.csv", [["A", "江岸区", "10"]], ["id", "district", "cost"])
    budgets = write_csv(tmp_path / "b.csv", BUDGETS, BUDGET_HEADER)
    assert "候选项目文件第1行：缺少“score”列（也可写作：得分、评分）。" in rejection(
        candidates, budgets
    )


def test_bad_total_budget_and_file_type(tmp_path):
    candidates, budgets = files(tmp_path)
    assert rejection(candidates, budgets, "-3") == "总预算不能为负数（填写的是-3）。"
    other = tmp_path / "candidates.txt"
    other.write_text("id\n", encoding="utf-8")
    assert "不支持的文件类型“.txt”" in rejection(other, budgets)


def test_cells_in_any_accepted_form_read_as_before(tmp_path):
    """The column-wise reader takes plain numbers straight through `float` and everything
    else through `parse_number`: thousands separators, 元, full-width digits, spaces, the
    apostrophe CSV exports put before formula-like text, short rows and blank rows."""
    candidates = tmp_path / "c.csv"
    candidates.write_text(
        "id,district,cost,score,package,mandatory,exclusive\n"
        '\'=A1,江岸区,"1,200,000",80,,1\n'
        "\n"
        "A\u30002, 江岸区 ,1200000元,７０\n"
        ",,,,,,\n"
        "A3,江岸区,  300000 ,1e1,,0,\n",
        encoding="utf-8",
    )
    budgets = write_csv(tmp_path / "b.csv", [["江岸区", "2000000", ""]], BUDGET_HEADER)
    _budgets, read = read_files(candidates, budgets)
    assert list(read) == [
        Candidate("=A1", "江岸区", 1_200_000, 80, None, True, None),
        Candidate("A 2", "江岸区", 1_200_000, 70, None, False, None),
        Candidate("A3", "江岸区", 300_000, 10, None, False, None),
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "id,district,cost,score\nA,江岸区,nan,1\n\nB,江岸区,1,inf\nC,江岸区,-0.5,\n",
        encoding="utf-8",
    )
    assert rejection(bad, budgets).splitlines() == [
        "输入文件有 4 处问题，未遴选：",
        "候选项目文件第2行：投资额应为数字，不能是“nan”。",
        "候选项目文件第4行：得分应为数字，不能是“inf”。",
        "候选项目文件第5行：投资额不能为负数（填写的是-0.5）。",
        "候选项目文件第5行：得分为空。",
    ]


def test_an_xlsx_true_is_not_a_number(tmp_path):
    workbook = xlsxwriter.Workbook(str(tmp_path / "c.xlsx"))
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["id", "district", "cost", "score"])
    sheet.write_row(1, 0, [101, "江岸区", 5, 1])
    sheet.write_boolean(2, 0, True)
    sheet.write_row(2, 1, ["江岸区", 5])
    sheet.write_boolean(2, 3, True)
    workbook.close()
    budgets = write_csv(tmp_path / "b.csv", [["江岸区", "", ""]], BUDGET_HEADER)
    assert rejection(tmp_path / "c.xlsx", budgets).splitlines() == [
        "输入文件有 1 处问题，未遴选：",
        "候选项目文件第3行：得分应为数字，不能是“True”。",
    ]


NUMBER_CELL = st.one_of(
    st.text(alphabet=st.sampled_from(list("0123456789.,-+e_ 元１\u3000'naif")), max_size=8),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**12), 10**12),
    st.just(10**400),
    st.booleans(),
    st.none(),
)


@given(st.lists(NUMBER_CELL, max_size=6))
def test_a_column_of_numbers_reads_as_each_cell_does(values):
    """`parse_numbers` (floats for the engine, bulk `float` when every cell is plain) agrees
    with `parse_number` cell by cell: the same number, or the same reason on the same cell."""
    numbers, reasons = parse_numbers(values, "投资额")
    for position, value in enumerate(values):
        cell = clean_cell(value)
        if cell is None:
            assert reasons[position] == "投资额为空。"
            continue
        try:
            expected = float(parse_number(cell, "投资额"))
        except ValueError as exc:
            assert reasons[position] == str(exc)
        else:
            if math.isfinite(expected):
                assert position not in reasons
                assert numbers[position] == expected
            else:  # "1e999" is a finite Decimal but no float
                assert reasons[position] == f"投资额应为数字，不能是“{cell}”。"


def test_reading_national_candidates_takes_well_under_a_second(tmp_path):
    """Defect 10: at national size reading the CSV took 6 s of CPU (cell by cell, Decimal,
    the cyclic collector walking the rows), so `--time-limit 2` or `5` could not hold. The
    readers now go column by column; 100,000 rows within 1 s of CPU (0.35 s measured, 2.2 s
    before)."""
    n = 100_000
    rng = np.random.default_rng(13)
    cost = rng.integers(2_000_000, 30_000_000, n).tolist()
    score = (rng.random(n) * 100).round(2).tolist()
    lines = ["id,district,cost,score,package,mandatory,exclusive"]
    lines.extend(
        f"C{i:06d},区{i // 20 % 300:03d},{c},{s},{f'P{i // 4}' if i % 20 < 4 else ''},"
        f"{int(i % 97 == 0)},{f'X{i // 2}' if i % 20 in (10, 11) else ''}"
        for i, (c, s) in enumerate(zip(cost, score, strict=True))
    )
    candidates = tmp_path / "c.csv"
    candidates.write_text("\n".join(lines) + "\n", encoding="utf-8")
    budgets = write_csv(
        tmp_path / "b.csv", [[f"区{d:03d}", "", ""] for d in range(300)], BUDGET_HEADER
    )
    started = time.process_time()
    _budgets, read = read_files(candidates, budgets)
    seconds = time.process_time() - started
    assert seconds < 1.0
    assert len(read) == n
    assert read[0] == Candidate("C000000", "区000", cost[0], score[0], "P0", True, None)
    assert read[30] == Candidate("C000030", "区001", cost[30], score[30], None, False, "X15")
    assert sum(candidate.mandatory for candidate in read) == len(range(0, n, 97))


# --- no database -----------------------------------------------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "anju.settings.test",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
    }
    return subprocess.run(
        [sys.executable, "-m", "anju", "plan", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_command_needs_no_database(tmp_path):
    candidates, budgets = files(tmp_path)
    done = run_cli(
        "select", "--candidates", str(candidates), "--budgets", str(budgets),
        "--budget", "150000000", "--time-limit", "5",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["objective"] == 275

    bad = write_csv(tmp_path / "bad.csv", [["A", "江夏区", "1", "1", "", "", ""]], CANDIDATE_HEADER)
    failed = run_cli("select", "--candidates", str(bad), "--budgets", str(budgets), "--budget", "1")
    assert failed.returncode == 1
    assert "候选项目文件第2行：未知的区“江夏区”：预算文件中没有这个区。" in failed.stderr


def test_the_time_limit_bounds_the_whole_command(tmp_path):
    """Defect 10: `--time-limit` bounded only part of the solving, so start-up, reading
    40,000 rows and a core too large for HiGHS came on top. Now it bounds the command from
    the process's start to the answer written (loosely here, as a correctness property:
    ≤ 2 s + 10% + 1 s of a busy machine's slack; make bench measures the 10% at 220,000
    rows), and the answer is feasible with the gap it proves."""
    rng = np.random.default_rng(10)
    n = 40_000
    cost = np.clip(rng.lognormal(np.log(8e6), 0.6, n), 2e6, 3e7).round(-3)
    score = np.clip(cost / 3e5 * rng.lognormal(0.0, 0.3, n), 0, 100).round(2)
    districts = [f"区{d:02d}" for d in range(30)]
    home = rng.integers(0, 30, n)
    rows = [
        [f"C{i:05d}", districts[d], f"{c:.0f}", f"{s:.2f}", "", "", ""]
        for i, (d, c, s) in enumerate(zip(home.tolist(), cost.tolist(), score.tolist(),
                                          strict=True))
    ]  # fmt: skip
    spend = np.bincount(home, cost, minlength=30)
    caps = [[name, "" if d % 10 == 0 else f"{0.3 * spend[d]:.0f}", "5"]
            for d, name in enumerate(districts)]  # fmt: skip
    candidates, budgets = files(tmp_path, rows, caps)
    out = tmp_path / "result.json"
    started = time.perf_counter()
    done = run_cli(
        "select", "--candidates", str(candidates), "--budgets", str(budgets),
        "--budget", f"{0.22 * cost.sum():.0f}", "--time-limit", "2", "--out", str(out),
    )  # fmt: skip
    wall = time.perf_counter() - started
    assert done.returncode == 0, done.stderr
    assert wall <= 2 * 1.1 + 1
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["status"] in ("optimal", "feasible")
    assert 0 <= result["gap"] < 1e-3
