"""`anju plan select --candidates FILE --budgets FILE --budget TOTAL [--time-limit S]
[--gap G] [--out result.json]`.

Chooses the year's projects with `anju.engine.selection` (maximum total score within the
total budget, district caps and minimums, mandatory projects, packages and exclusive groups)
and prints the answer as JSON (or writes it to --out). It needs no database: it reads two
files, computes and writes; system and migration checks are off.

Candidates (.csv or .xlsx, first sheet, header in the first non-blank row): id, district,
cost (yuan), score, and optionally package (group id: chosen together or not at all),
mandatory (0/1; carry-overs are mandatory at their remaining cost) and exclusive (group id:
at most one of the group). Budgets: district, max_cost (yuan), min_count; either may be
blank (no limit). Chinese headers work too (编号, 区, 投资额, 得分, 打包, 必选, 互斥组; 上限,
最少项目数).

Every problem in the files is collected and all are reported, one a line naming the file and
the spreadsheet row (the header is row 1), before exiting 1: a missing or non-numeric value,
a negative cost or score, a mandatory flag other than 0/1, a duplicate id or district, a
candidate whose district is not in the budgets file ("unknown district": a typo must not
silently lift that district's cap), a package whose members lie in two districts.

`--time-limit` bounds the whole command, wall clock, from the process's start: starting up,
reading the files, solving and writing the answer (defect 10 of issue 13: it bounded only
part of the solving, and a national run given 20 s took 130 s). What time is left after
reading goes to the solver, which keeps back a little for checking and writing the answer.

The exit status says whether the files could be read, not whether a selection exists: an
infeasible instance exits 0 with "status": "infeasible" and the conflicting constraints in
"explanation". Only a time limit that runs out before any feasible selection is known exits 1.
"""

from __future__ import annotations

import gc
import json
import math
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import compress
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from anju.core.cli_files import (
    cell_text,
    cell_texts,
    column,
    content_flags,
    header_key,
    paused_gc,
    read_rows,
)
from anju.core.importing import clean_cell, narrow
from anju.engine import selection

CANDIDATE_COLUMNS = {
    "id": ("id", "编号", "项目编号", "候选编号"),
    "district": ("district", "区", "所在区", "行政区"),
    "cost": ("cost", "投资额", "投资", "估算投资"),
    "score": ("score", "得分", "评分"),
    "package": ("package", "打包", "打包编号"),
    "mandatory": ("mandatory", "必选"),
    "exclusive": ("exclusive", "互斥组"),
}
REQUIRED_CANDIDATE_COLUMNS = ("id", "district", "cost", "score")
BUDGET_COLUMNS = {
    "district": ("district", "区", "所在区", "行政区"),
    "max_cost": ("max_cost", "上限", "预算上限"),
    "min_count": ("min_count", "最少项目数", "最少项目"),
}
REQUIRED_BUDGET_COLUMNS = ("district", "max_cost", "min_count")
MONEY_SUFFIXES = ("元",)
EXIT_SECONDS = 0.05  # kept back for writing the answer and the interpreter's exit …
EXIT_SECONDS_PER_ROW = 0.5e-6  # … which frees the candidates (0.11 s more at 220,000 rows)


@dataclass(frozen=True)
class Problem:
    file: str
    row: int
    reason: str

    def __str__(self) -> str:
        return _("%(file)s第%(row)d行：%(reason)s") % {
            "file": self.file,
            "row": self.row,
            "reason": self.reason,
        }


class FilesRejected(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def parse_number(value: Any, label: str) -> Decimal:
    """A non-negative number from a cell (text "1,200,000" or "1200000元" too); ValueError
    carries the translated reason naming the column `label`."""
    params = {"column": label, "value": value}
    if isinstance(value, bool):
        raise ValueError(_("%(column)s应为数字，不能是“%(value)s”。") % params)
    try:
        if isinstance(value, float):
            number = Decimal(repr(value))
        elif isinstance(value, int):
            number = Decimal(value)
        else:
            source = narrow(str(value)).replace(",", "").replace(" ", "")
            for suffix in MONEY_SUFFIXES:
                source = source.removesuffix(suffix)
            number = Decimal(source)
    except InvalidOperation:
        raise ValueError(_("%(column)s应为数字，不能是“%(value)s”。") % params) from None
    if not number.is_finite():
        raise ValueError(_("%(column)s应为数字，不能是“%(value)s”。") % params)
    if number < 0:
        raise ValueError(_("%(column)s不能为负数（填写的是%(value)s）。") % params)
    return number


def parse_numbers(values: list[Any], label: str) -> tuple[list[float], dict[int, str]]:
    """A column of non-negative numbers as floats (what the engine computes with) and the
    reason for each bad cell by position: "为空" for a blank one, else `parse_number`'s.
    A cell `float()` reads as a finite non-negative number is taken as is; `parse_number`
    reads it to the same float, so only the others go through it (and Decimal)."""
    if bool not in set(map(type, values)):  # float(True) would pass
        try:
            numbers = list(map(float, values))
        except (TypeError, ValueError, OverflowError):
            pass
        else:  # a NaN or an infinity makes the sum NaN or infinite
            if not numbers or (min(numbers) >= 0 and math.isfinite(sum(numbers))):
                return numbers, {}
    numbers, reasons = [], {}
    empty = _("%(column)s为空。") % {"column": label}
    for position, value in enumerate(values):
        if type(value) is not bool:
            try:
                number = float(value)
            except (TypeError, ValueError, OverflowError):
                pass
            else:
                if 0 <= number < math.inf:
                    numbers.append(number)
                    continue
        cleaned = clean_cell(value)
        if cleaned is None:
            reasons[position] = empty
        else:
            try:
                number = float(parse_number(cleaned, label))
            except ValueError as exc:
                reasons[position] = str(exc)
            else:
                if number < math.inf:
                    numbers.append(number)
                    continue
                # "1e999": a finite Decimal, no float; the engine would refuse it unexplained
                reasons[position] = _("%(column)s应为数字，不能是“%(value)s”。") % {
                    "column": label,
                    "value": cleaned,
                }
        numbers.append(math.nan)
    return numbers, reasons


def parse_flag(value: Any) -> bool:
    text = cell_text(value)
    if text in ("", "0"):
        return False
    if text == "1":
        return True
    raise ValueError(_("必选（mandatory）应填 0 或 1，不能是“%(value)s”。") % {"value": text})


def data_rows(
    rows: list[list[Any]], columns: dict[str, tuple[str, ...]], required: tuple[str, ...], file
) -> tuple[dict[str, int], Sequence[int], list[list[Any]]]:
    """Header positions, the spreadsheet row numbers of the non-blank data rows and those
    rows; raises `FilesRejected` when the file is empty or a required column is missing."""
    lookup = {header_key(alias): name for name, aliases in columns.items() for alias in aliases}
    flags = content_flags(rows)
    if all(flags):
        row_numbers: Sequence[int] = range(1, len(rows) + 1)
        kept = rows
    else:
        row_numbers = list(compress(range(1, len(rows) + 1), flags))
        kept = list(compress(rows, flags))
    if not kept:
        raise FilesRejected(
            [
                Problem(
                    file,
                    1,
                    _("文件为空，应有表头：%(columns)s。") % {"columns": "、".join(required)},
                )
            ]
        )
    header_row, header = row_numbers[0], kept[0]
    positions: dict[str, int] = {}
    for position, value in enumerate(header):
        name = lookup.get(header_key(cell_text(value)))
        if name and name not in positions:
            positions[name] = position
    missing = [name for name in required if name not in positions]
    if missing:
        raise FilesRejected(
            [
                Problem(
                    file,
                    header_row,
                    _("缺少“%(column)s”列（也可写作：%(aliases)s）。")
                    % {"column": name, "aliases": "、".join(columns[name][1:])},
                )
                for name in missing
            ]
        )
    return positions, row_numbers[1:], kept[1:]


def cell_of(row: list[Any], positions: dict[str, int], name: str) -> Any:
    position = positions.get(name)
    if position is None or position >= len(row):
        return None
    return clean_cell(row[position])


def read_budgets(rows: list[list[Any]]) -> list[selection.DistrictBudget]:
    file = _("预算文件")
    positions, row_numbers, data = data_rows(rows, BUDGET_COLUMNS, REQUIRED_BUDGET_COLUMNS, file)
    problems: list[Problem] = []
    budgets = []
    seen: dict[str, int] = {}
    for row_number, row in zip(row_numbers, data, strict=True):
        found = len(problems)
        district = cell_text(cell_of(row, positions, "district"))
        if not district:
            problems.append(Problem(file, row_number, _("区为空。")))
        elif district in seen:
            problems.append(
                Problem(
                    file,
                    row_number,
                    _("区“%(district)s”与第%(first)d行重复。")
                    % {"district": district, "first": seen[district]},
                )
            )
        else:
            seen[district] = row_number
        max_cost = min_count = None
        value = cell_of(row, positions, "max_cost")
        if value is not None:
            try:
                max_cost = parse_number(value, _("预算上限"))
            except ValueError as exc:
                problems.append(Problem(file, row_number, str(exc)))
        value = cell_of(row, positions, "min_count")
        if value is not None:
            try:
                number = parse_number(value, _("最少项目数"))
                if number != number.to_integral_value():
                    raise ValueError(
                        _("最少项目数应为整数，不能是“%(value)s”。") % {"value": value}
                    )
                min_count = int(number)
            except ValueError as exc:
                problems.append(Problem(file, row_number, str(exc)))
        if len(problems) == found:
            budgets.append(selection.DistrictBudget(district, max_cost, min_count))
    if problems:
        raise FilesRejected(problems)
    return budgets


def read_candidates(rows: list[list[Any]], districts: set[str]) -> selection.CandidateTable:
    """The candidates, column by column, handed to the engine as columns (220,000 rows in
    about 0.3 s: defect 10 of issue 13 counts reading in the time limit, and building as
    many `Candidate` objects took 0.2 s more); each problem is reported on its row in the
    order the columns are listed, all or nothing."""
    file = _("候选项目文件")
    positions, row_numbers, data = data_rows(
        rows, CANDIDATE_COLUMNS, REQUIRED_CANDIDATE_COLUMNS, file
    )
    if not data:
        raise FilesRejected([Problem(file, 2, _("文件中没有候选项目。"))])
    shortest = min(map(len, data))

    def cells(name: str) -> list[Any]:
        return column(data, positions.get(name), shortest)

    def texts(name: str) -> list[str]:
        return cell_texts(cells(name))

    problems: list[tuple[int, int, str]] = []  # (position, column order, reason)
    identifiers = texts("id")
    if len(set(identifiers)) != len(identifiers) or "" in identifiers:
        first: dict[str, int] = {}
        for position, identifier in enumerate(identifiers):
            if not identifier:
                problems.append((position, 0, _("编号为空。")))
            elif identifier in first:
                reason = _("编号“%(id)s”与第%(first)d行重复。") % {
                    "id": identifier,
                    "first": row_numbers[first[identifier]],
                }
                problems.append((position, 0, reason))
            else:
                first[identifier] = position
    district_texts = texts("district")
    if not set(district_texts) <= districts:
        for position, district in enumerate(district_texts):
            if not district:
                problems.append((position, 1, _("区为空。")))
            elif district not in districts:
                reason = _("未知的区“%(district)s”：预算文件中没有这个区。") % {
                    "district": district
                }
                problems.append((position, 1, reason))
    numbers = {}
    for order, (name, label) in enumerate((("cost", _("投资额")), ("score", _("得分"))), 2):
        numbers[name], reasons = parse_numbers(cells(name), label)
        problems.extend((position, order, reason) for position, reason in reasons.items())
    flags = texts("mandatory")
    if not set(flags) <= {"", "0", "1"}:
        for position, flag in enumerate(flags):
            try:
                parse_flag(flag)
            except ValueError as exc:
                problems.append((position, 4, str(exc)))
    mandatory = [flag == "1" for flag in flags]
    packages = [package or None for package in texts("package")]
    homes: dict[str, int] = {}
    for position in (index for index, package in enumerate(packages) if package):
        district = district_texts[position]
        if not district:
            continue
        home = homes.setdefault(packages[position], position)
        if district_texts[home] != district:
            reason = _(
                "打包项目“%(package)s”跨区：第%(first)d行在%(district)s，本行在"
                "%(other)s；同一打包项目必须在同一个区。"
            ) % {
                "package": packages[position],
                "first": row_numbers[home],
                "district": district_texts[home],
                "other": district,
            }
            problems.append((position, 5, reason))
    if problems:
        problems.sort(key=lambda problem: problem[:2])
        raise FilesRejected(
            [Problem(file, row_numbers[position], reason) for position, _order, reason in problems]
        )
    exclusives = [group or None for group in texts("exclusive")]
    return selection.CandidateTable.from_columns(
        ids=identifiers,
        district=district_texts,
        cost=numbers["cost"],
        score=numbers["score"],
        package=packages,
        mandatory=mandatory,
        exclusive=exclusives,
    )


def read_files(
    candidates: Path, budgets: Path
) -> tuple[list[selection.DistrictBudget], selection.CandidateTable]:
    """Both files, budgets first (candidates are checked against their districts); the rows
    are freed on return, and the cyclic collector is paused meanwhile (see `paused_gc`)."""
    with paused_gc():
        candidate_rows = read_rows(candidates)
        district_budgets = read_budgets(read_rows(budgets))
        known = {budget.district for budget in district_budgets}
        projects = read_candidates(candidate_rows, known)
        del candidate_rows
    return district_budgets, projects


def parse_total(text: str) -> Decimal:
    try:
        return parse_number(text, _("总预算"))
    except ValueError as exc:
        raise CommandError(str(exc)) from None


def process_started() -> float:
    """When this process started, as a `time.perf_counter()` instant (Linux: from
    /proc/self/stat and /proc/uptime), so the time limit counts Django's start-up too; now
    where that is not available."""
    now = time.perf_counter()
    try:
        with open("/proc/self/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime", encoding="ascii") as handle:
            uptime = float(handle.read().split()[0])
        age = uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return now
    return now - age if 0 <= age < 3600 else now


class Command(BaseCommand):
    requires_system_checks = []
    requires_migrations_checks = False

    @property
    def help(self) -> str:
        return _("年度计划项目遴选（竞争性生成），不需要数据库。")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="select")
        select = actions.add_parser(
            "select",
            help=_("在总预算和各区约束下选出总得分最高的项目，输出 JSON。"),
            description=_(
                "候选项目列：id、district、cost、score，可选 package、mandatory（0/1）、"
                "exclusive；预算列：district、max_cost、min_count（可留空）。"
                "无可行方案时仍正常退出，status 为 infeasible，explanation 说明冲突的约束。"
            ),
        )
        select.add_argument(
            "--candidates", required=True, metavar="FILE", help=_(".csv 或 .xlsx 候选项目文件")
        )
        select.add_argument(
            "--budgets", required=True, metavar="FILE", help=_(".csv 或 .xlsx 各区预算文件")
        )
        select.add_argument("--budget", required=True, metavar="TOTAL", help=_("总预算（元）"))
        select.add_argument(
            "--time-limit",
            type=float,
            default=selection.DEFAULT_TIME_LIMIT,
            metavar="S",
            help=_("时间限制（秒），默认 60"),
        )
        select.add_argument(
            "--gap",
            type=float,
            default=0.0,
            metavar="G",
            help=_("与上界的相对差距不超过 G 即停止，默认 0（求证最优）"),
        )
        select.add_argument("--out", metavar="PATH", help=_("把 JSON 结果写到此文件"))

    def handle(self, *args, action, candidates, budgets, budget, time_limit, gap, out=None,
               **options):  # fmt: skip
        # from the shell the clock starts with the process; from call_command, with this call
        from_shell = getattr(self, "_called_from_command_line", False)
        started = process_started() if from_shell else time.perf_counter()
        total = parse_total(budget)
        if time_limit <= 0:
            raise CommandError(_("时间限制应为正数。"))
        if not 0 <= gap < 1:
            raise CommandError(_("差距应在 0 与 1 之间。"))
        try:
            district_budgets, projects = read_files(Path(candidates), Path(budgets))
        except FilesRejected as exc:
            lines = [
                _("输入文件有 %(count)d 处问题，未遴选：") % {"count": len(exc.problems)},
                *(str(problem) for problem in exc.problems),
            ]
            raise CommandError("\n".join(lines)) from None
        try:
            result = selection.select(
                projects,
                district_budgets,
                total,
                time_limit=time_limit
                - min(0.05 * time_limit, EXIT_SECONDS + EXIT_SECONDS_PER_ROW * len(projects)),
                relative_gap=gap,
                started=started,
            )
        except selection.SelectionInputError as exc:  # the readers already reject these
            raise CommandError(str(exc)) from None
        except selection.NoSelectionFound:
            raise CommandError(
                _("在%(seconds)s秒内未找到可行方案，请放宽时间限制。") % {"seconds": time_limit}
            ) from None
        language = "en" if (translation.get_language() or "").startswith("en") else "zh"
        text = json.dumps(selection.result_as_dict(result, language), ensure_ascii=False, indent=2)
        if out:
            try:
                Path(out).write_text(text + "\n", encoding="utf-8")
            except OSError as exc:
                raise CommandError(
                    _("无法写出结果文件 %(path)s：%(error)s") % {"path": out, "error": exc}
                ) from None
        else:
            self.stdout.write(text)
        if from_shell:  # the process ends next: its last collections need not walk the heap
            gc.freeze()  # (0.15 s of a 2 s limit at 220,000 candidates)
