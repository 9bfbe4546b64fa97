"""`anju plan select`: candidate and budget files in, the selection as JSON out, no database."""

import json
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

from anju.engine.selection import Candidate, DistrictBudget, is_feasible

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
    the process's start to the answer written (loosely here: ≤ 1.5 × 2 s; make bench measures
    the 10%), and the answer is feasible with the gap it proves."""
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
    assert wall <= 3.0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["status"] in ("optimal", "feasible")
    assert 0 <= result["gap"] < 1e-3
