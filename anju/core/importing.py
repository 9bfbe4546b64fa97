"""The one import core: declarative columns, every problem collected, all or nothing.

An importer (STYLE.md rule 11, after mySociety MapIt's `add_areas_from_file` and
UK-Polling-Stations' `data_importers`) is a small subclass of `Importer` that declares its
sheets as `SheetSpec`s of `Column`s and implements two steps:

* `validate(tables, params, report, progress)`: rules across rows and against the database;
  adds `Problem`s to the report and returns a plan of what to write;
* `write(plan, params, report, progress)`: the writes, run only when there is no problem at all.

`Importer.run(source, params)` reads the file (.xlsx/.xls/.csv, `anju.core.excel`), checks the
headers, parses every cell with its column's parser and validators, calls `validate`, and then
either raises `ImportRejected` carrying every problem (nothing written) or calls `write` and
records an audit event in one `transaction.atomic(durable=True)`. The upload page (through a
background job), the API and the CLI all call `run`; they differ only in how they show the
report. Cost: O(rows × columns) parsing plus whatever the subclass's queries cost; importers
prefetch what they look up, so queries do not grow with rows.

Each importer declares how much it reads (`max_sheet_rows`, `extra_columns` beyond its widest
sheet, `max_cells`, file sizes); a file beyond that is refused before a cell is read, as one
problem, and problems stop at PROBLEM_LIMIT with a last line saying there are more (a garbage
file made one per cell). Problems name the sheet, the 1-based row a person sees in Excel, the
column by header and letter, and a translated message. Blank optional cells mean "not
given": on create the model default applies, on update the stored value stays.
"""

from __future__ import annotations

import math
import re
import unicodedata
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import excel
from .audit import record_event
from .errors import Conflict, DomainError, PermissionDenied
from .progress import Progress, SilentProgress, StderrProgress
from .scope import Scope
from .tasks import DatabaseProgress

Parser = Callable[[Any], Any]

# A parser returns SKIP for a cell that must be treated as "not given" (e.g. a masked phone
# number from an export, "138****5678", which must never overwrite the real one).
SKIP = object()

# Excel keeps 15 significant digits; a longer number typed into a numeric cell is already
# rounded when it reaches us.
EXACT_DIGITS = 15
SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
TRUE_WORDS = {"是", "有", "y", "yes", "true", "t", "1", "√", "✓", "对"}
# The language of headers and choice labels in files: the format, not the interface.
FILE_LANGUAGE = "zh-hans"
FALSE_WORDS = {"否", "无", "没有", "n", "no", "false", "f", "0", "×", "✗", "不是"}


class CellError(ValueError):
    """A cell that cannot be read; the message is shown to the person who filled it in."""

    def __init__(self, message):
        self.message = str(message)
        super().__init__(self.message)


# At most this many problems are collected (then one line saying there are more).
PROBLEM_LIMIT = 200


def text_format_message() -> str:
    return _("该单元格是数字格式，超过15位的编号已被 Excel 改写。请将该列设为文本格式后重新填写。")


# --- cells and parsers -----------------------------------------------------------------------


def clean_cell(value: Any) -> Any:
    """Strip strings (also the ideographic space) and the apostrophe that CSV exports put
    before formula-like text (`excel.csv_safe`); empty strings become None."""
    if isinstance(value, str):
        value = value.replace("\u3000", " ").strip()
        if value[:1] == "'" and value[1:2] in excel.FORMULA_STARTS:
            value = value[1:]
        return value or None
    return value


def narrow(text: str) -> str:
    """Full-width digits, letters and punctuation to ASCII (NFKC), for numbers and codes."""
    return unicodedata.normalize("NFKC", text).strip()


def is_number_cell(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def number_text(value: float | int) -> str:
    """A numeric cell as the text a person typed: 101.0 → "101", 1.5 → "1.5"."""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def text(max_length: int | None = None) -> Parser:
    def parse(value: Any) -> str:
        result = number_text(value) if is_number_cell(value) else str(value).strip()
        if max_length and len(result) > max_length:
            raise CellError(_("不能超过%(limit)d个字符。") % {"limit": max_length})
        return result

    return parse


def identifier(
    max_length: int | None = None,
    *,
    digits: int | None = None,
    pattern: str | None = None,
    pattern_message=None,
) -> Parser:
    """A code that must be text. A numeric cell is accepted only while it is exact (at most 15
    digits, no fraction); longer numbers and Excel's scientific notation ("4.20102E+17", what a
    numeric cell becomes in a CSV) are rejected with "set the column to text"."""

    regex = re.compile(pattern) if pattern else None

    def parse(value: Any) -> str:
        if isinstance(value, bool):
            raise CellError(_("应填写编号，不能是“%(value)s”。") % {"value": value})
        if is_number_cell(value):
            if not float(value).is_integer() or abs(value) >= 10**EXACT_DIGITS:
                raise CellError(text_format_message())
            result = str(int(value))
        else:
            result = narrow(str(value)).replace(" ", "")
            if SCIENTIFIC.match(result):
                raise CellError(text_format_message())
        if digits is not None and (len(result) != digits or not result.isdigit()):
            raise CellError(
                _("应为%(digits)d位数字，不能是“%(value)s”。") % {"digits": digits, "value": result}
            )
        if regex is not None and not regex.fullmatch(result):
            raise CellError(
                str(pattern_message or _("格式不正确：“%(value)s”。")) % {"value": result}
            )
        if max_length and len(result) > max_length:
            raise CellError(_("不能超过%(limit)d个字符。") % {"limit": max_length})
        return result

    return parse


def _number_source(value: Any) -> str:
    if isinstance(value, bool):
        raise ValueError
    if is_number_cell(value):
        return number_text(value)
    return narrow(str(value)).replace(",", "").replace(" ", "")


def integer(
    min_value: int | None = None, max_value: int | None = None, *, suffixes: tuple[str, ...] = ()
) -> Parser:
    def parse(value: Any) -> int:
        if isinstance(value, datetime | date):
            return value.year
        try:
            source = _number_source(value)
            for suffix in suffixes:
                source = source.removesuffix(suffix)
            number = Decimal(source)
            if not number.is_finite() or number != number.to_integral_value():
                raise ValueError
        except (ValueError, InvalidOperation):
            raise CellError(_("应填写整数，不能是“%(value)s”。") % {"value": value}) from None
        result = int(number)
        _check_range(result, min_value, max_value)
        return result

    return parse


def decimal(places: int = 2, min_value: Decimal | int | None = None) -> Parser:
    """A decimal rounded half-up to `places`; "1,234.5" and full-width digits are accepted."""
    quantum = Decimal(1).scaleb(-places)

    def parse(value: Any) -> Decimal:
        try:
            source = _number_source(value)
            for unit in ("m²", "m2", "㎡", "平方米", "平米"):
                source = source.removesuffix(unit)
            number = Decimal(source)
            if not number.is_finite():
                raise ValueError
        except (ValueError, InvalidOperation):
            raise CellError(_("应填写数字，不能是“%(value)s”。") % {"value": value}) from None
        if min_value == 0 and number < 0:
            raise CellError(_("不能为负数（填写的是%(value)s）。") % {"value": number})
        _check_range(number, min_value, None)
        return number.quantize(quantum, rounding=ROUND_HALF_UP)

    return parse


def number(min_value: float | None = None, max_value: float | None = None) -> Parser:
    def parse(value: Any) -> float:
        try:
            result = float(_number_source(value))
            if not math.isfinite(result):
                raise ValueError
        except ValueError:
            raise CellError(_("应填写数字，不能是“%(value)s”。") % {"value": value}) from None
        _check_range(result, min_value, max_value)
        return result

    return parse


def _check_range(value, min_value, max_value) -> None:
    if min_value is not None and value < min_value:
        raise CellError(
            _("不能小于%(limit)s（填写的是%(value)s）。") % {"limit": min_value, "value": value}
        )
    if max_value is not None and value > max_value:
        raise CellError(
            _("不能大于%(limit)s（填写的是%(value)s）。") % {"limit": max_value, "value": value}
        )


def boolean() -> Parser:
    def parse(value: Any) -> bool:
        if isinstance(value, bool):
            return value
        key = number_text(value) if is_number_cell(value) else narrow(str(value)).lower()
        if key in TRUE_WORDS:
            return True
        if key in FALSE_WORDS:
            return False
        raise CellError(_("请填写“是”或“否”，不能是“%(value)s”。") % {"value": value})

    return parse


DATE_PATTERN = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def day() -> Parser:
    """A date cell, or text "2026-03-01", "2026/3/1", "2026.3.1" or "2026年3月1日"."""

    def parse(value: Any) -> date:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        match = DATE_PATTERN.fullmatch(narrow(str(value)))
        if match:
            try:
                return date(*(int(part) for part in match.groups()))
            except ValueError:
                pass
        raise CellError(_("应填写日期（如 2026-03-01），不能是“%(value)s”。") % {"value": value})

    return parse


def sheet_rows(tables: dict, sheet: str, report) -> list:
    """The rows of `sheet`, or none with the file-level problem "no data rows" reported."""
    rows = tables[sheet].rows if sheet in tables else []
    if not rows:
        report.add(sheet, None, _("文件中没有数据行。"))
    return rows


def choice(choices) -> Parser:
    """A Django choices class (or (value, label) pairs): accepts the Chinese label, the label in
    the current language and the stored value; returns the stored value."""
    pairs = list(choices.choices if hasattr(choices, "choices") else choices)

    def parse(value: Any) -> str:
        key = squeeze(str(value))
        lookup = {}
        for (stored, label), source in zip(pairs, choice_labels(pairs), strict=True):
            lookup[squeeze(str(stored))] = stored
            lookup[squeeze(str(label))] = stored
            lookup[squeeze(source)] = stored
        if key in lookup:
            return lookup[key]
        raise CellError(
            _("“%(value)s”不是可选项，可选：%(choices)s。")
            % {"value": value, "choices": "、".join(choice_labels(pairs))}
        )

    return parse


def squeeze(text_value: str) -> str:
    return re.sub(r"\s+", "", narrow(text_value)).lower()


def choice_labels(choices) -> list[str]:
    """The labels of a choices class in the file format's language (Chinese), whatever the
    interface language."""
    pairs = list(choices.choices if hasattr(choices, "choices") else choices)
    with translation.override(FILE_LANGUAGE):
        return [str(label) for _stored, label in pairs]


def model_validators(model, field_name: str) -> tuple:
    """A model field's validators (max_length, ranges, custom rules such as "not in the future"),
    so a cell is checked by the same rules as a form (STYLE.md rule 7)."""
    return tuple(model._meta.get_field(field_name).validators)


# --- declarations ----------------------------------------------------------------------------


def normalise_header(header: Any) -> str:
    return squeeze(str(header or "")).strip("*")


@dataclass(frozen=True)
class Column:
    """One column of a sheet.

    `header` is part of the file format, not UI text: it stays Chinese in every interface
    language so files travel between users. `help` (gettext_lazy) explains it in the template.
    """

    header: str
    key: str
    parse: Parser = field(default_factory=text)
    required: bool = False
    help: Any = ""
    example: Any = None
    width: float = 12
    is_text: bool = False
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    validators: tuple = ()

    def table_column(self) -> excel.TableColumn:
        return excel.TableColumn(
            header=self.header, width=self.width, is_text=self.is_text, choices=self.choices
        )


@dataclass(frozen=True)
class SheetSpec:
    name: str
    columns: tuple[Column, ...]
    required: bool = False
    help: Any = ""

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    def table_columns(self) -> list[excel.TableColumn]:
        return [column.table_column() for column in self.columns]


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str = ""
    letter: str = ""
    message: str = ""
    index: int | None = field(default=None, compare=False)

    def as_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "letter": self.letter,
            "message": self.message,
        }

    def __str__(self) -> str:
        if self.row is None:
            return _("%(sheet)s：%(message)s") % {"sheet": self.sheet, "message": self.message}
        if not self.column:
            return _("%(sheet)s 第%(row)d行：%(message)s") % {
                "sheet": self.sheet,
                "row": self.row,
                "message": self.message,
            }
        column = f"{self.letter}（{self.column}）" if self.letter else self.column
        return _("%(sheet)s 第%(row)d行 列%(column)s：%(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "column": column,
            "message": self.message,
        }

    def note(self) -> excel.CellNote:
        return excel.CellNote(
            sheet=self.sheet,
            row=self.row,
            column=self.index,
            header=self.column,
            message=self.message,
        )


@dataclass
class SheetData:
    """A sheet as parsed: where the header was, where each known column is, the rows."""

    spec: SheetSpec
    name: str
    header_row: int
    positions: dict[str, int]
    rows: list[Row] = field(default_factory=list)

    def has_column(self, key: str) -> bool:
        return key in self.positions


@dataclass
class Row:
    sheet: str
    number: int
    values: dict[str, Any]
    ok: bool = True
    failed: set[str] = field(default_factory=set)  # keys of the cells already reported

    def get(self, key: str, default=None):
        return self.values.get(key, default)

    def has(self, key: str) -> bool:
        return key in self.values


@dataclass
class ImportReport:
    filename: str = ""
    rows: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False
    territory_path: str = ""
    # A sheet or header is wrong, so rows could not be read and cross-row rules are not run.
    structural: bool = False
    # Problems kept: beyond this many the report is `full` and the import stops checking,
    # because a garbage file would otherwise make one problem per cell (260,000 for 20,000
    # rows) and an annotated copy to match.
    problem_limit: int = PROBLEM_LIMIT
    truncated: bool = False
    _sheets: dict[str, SheetData] = field(default_factory=dict, repr=False)
    _closed: bool = field(default=False, repr=False)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def full(self) -> bool:
        return len(self.problems) >= self.problem_limit

    def add(
        self,
        sheet: str,
        row: int | None,
        message,
        *,
        key: str | None = None,
        header: str = "",
        structural: bool = False,
    ) -> Problem:
        """Add a problem; `key` names the column by its spec key (header and letter found)."""
        index = None
        letter = ""
        data = self._sheets.get(sheet)
        if key is not None and data is not None:
            header = header or data.spec.column(key).header
            index = data.positions.get(key)
            letter = excel.column_letter(index) if index is not None else ""
        problem = Problem(
            sheet=sheet, row=row, column=header, letter=letter, message=str(message), index=index
        )
        self.structural = self.structural or structural
        if self.full:
            self.truncated = True
        else:
            self.problems.append(problem)
        return problem

    def close_problems(self) -> None:
        """When problems were dropped, end the list with one line saying so (once)."""
        if self.truncated and not self._closed:
            self._closed = True
            message = _("……还有更多问题，已在第 %(limit)d 处后停止检查。") % {
                "limit": self.problem_limit
            }
            last = self.problems[-1].sheet if self.problems else self.filename
            self.problems.append(Problem(sheet=last, row=None, message=message))

    def reject(self, row: Row, key: str | None, message) -> None:
        row.ok = False
        if key is not None:
            row.failed.add(key)
        self.add(row.sheet, row.number, message, key=key)

    def count(self, name: str, amount: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + amount

    def as_dict(self) -> dict:
        return {
            "filename": self.filename,
            "dry_run": self.dry_run,
            "rows": dict(self.rows),
            "counts": dict(self.counts),
            "problems": [p.as_dict() for p in self.problems],
        }


class ImportRejected(DomainError):
    """The file has problems; nothing was written. Carries every problem and the workbook read,
    so a face can list them or hand back an annotated copy."""

    code = "import_rejected"
    status = 400

    def __init__(self, report: ImportReport, workbook: excel.Workbook | None = None, message=None):
        self.report = report
        self.workbook = workbook
        report.close_problems()
        if message is None and report.truncated:
            message = _(
                "文件中的问题超过 %(count)d 处，已停止检查，没有导入任何数据。"
                "请先修改列出的问题后重新上传。"
            ) % {"count": report.problem_limit}
        elif message is None:
            message = _("文件中有 %(count)d 处问题，没有导入任何数据。请修改后重新上传。") % {
                "count": len(report.problems)
            }
        super().__init__(message)

    @property
    def problems(self) -> list[Problem]:
        return self.report.problems

    def as_dict(self) -> dict:
        body = super().as_dict()
        body["problems"] = [problem.as_dict() for problem in self.problems]
        return body

    def annotated_copy(self) -> bytes:
        """The uploaded workbook with every problem cell marked, plus a 问题清单 sheet."""
        return excel.annotated_copy(
            self.workbook or excel.Workbook(), [problem.note() for problem in self.problems]
        )


@dataclass(frozen=True)
class ImportParams:
    actor: Any
    scope: Scope
    filename: str = ""
    dry_run: bool = False
    max_rows: int | None = None


def report_every(progress: Progress, stage: str, start: int, end: int, total: int):
    """A callback `tick()` that counts rows and reports percent between start and end, about
    every 2% of `total`."""
    step = max(total // 50, 1)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if total and (done % step == 0 or done == total):
            progress.report(stage, start + (end - start) * min(done, total) // total)

    return tick


def reporter_inside_transaction(progress: Progress) -> Progress:
    """The progress reporter to use while the import's transaction is open.

    A progress row written inside the import's transaction would only show at its commit, so
    the bar waits at "写入数据" until then; the CLI's stderr reporter goes on reporting.
    """
    if isinstance(progress, DatabaseProgress):
        return SilentProgress()
    return progress


class Importer(ABC):
    """Base of every importer; see the module docstring."""

    sheets: tuple[SheetSpec, ...] = ()
    csv_sheet: str | None = None
    audit_verb = "import"
    header_search_rows = 10
    # What one file may hold, checked before a cell is read (excel.ReadLimits): the last row
    # a sheet may use, columns beyond the widest sheet's declared ones (notes, an export's
    # extra columns), cells of one sheet (rows × columns from A1: 2 million is ~64 MB in
    # calamine and as much again in Python), and the file's size packed and unpacked.
    max_sheet_rows = 50_000
    extra_columns = 30
    max_cells = 2_000_000
    max_file_mb = 50
    max_unzipped_mb = 300

    def read_limits(self) -> excel.ReadLimits:
        return excel.ReadLimits(
            max_rows=self.max_sheet_rows,
            max_columns=max(len(spec.columns) for spec in self.sheets) + self.extra_columns,
            max_cells=self.max_cells,
            max_file_bytes=self.max_file_mb * excel.MB,
            max_unzipped_bytes=self.max_unzipped_mb * excel.MB,
        )

    def read(self, source, params: ImportParams, report: ImportReport) -> excel.Workbook:
        """The workbook's sheets that this importer imports, within `read_limits`; a file that
        cannot be read or is too large is rejected as one problem naming the sheet and cell."""
        try:
            return excel.read_workbook(
                source,
                csv_sheet_name=self.csv_sheet or self.sheets[0].name,
                filename=params.filename,
                sheets=[spec.name for spec in self.sheets],
                limits=self.read_limits(),
            )
        except excel.SpreadsheetError as exc:
            row, column = getattr(exc, "row", None), getattr(exc, "column", None)
            report.problems.append(
                Problem(
                    sheet=getattr(exc, "sheet", "") or params.filename,
                    row=row,
                    letter=excel.column_letter(column) if column is not None else "",
                    message=str(exc.message),
                    index=column,
                )
            )
            report.structural = True
            raise ImportRejected(report, message=exc.message) from exc

    def run(self, source, params: ImportParams, progress: Progress | None = None) -> ImportReport:
        progress = progress or SilentProgress()
        self.authorise(params)
        progress.report(_("读取文件"), 2, params.filename)
        report = ImportReport(filename=params.filename, dry_run=params.dry_run)
        workbook = self.read(source, params, report)
        tables = self.read_tables(workbook, report, params, progress)
        plan = None
        if report.full:
            report.truncated = True  # the rules across rows were not run
        elif not report.structural:
            plan = self.validate(tables, params, report, progress)
        if report.problems:
            self.sort_problems(report)
            progress.report(
                _("检查完毕"), 100, _("发现 %(count)d 处问题") % {"count": len(report.problems)}
            )
            raise ImportRejected(report, workbook)
        if params.dry_run:
            progress.report(_("检查完毕"), 100, _("未发现问题"))
            return report
        progress.report(_("写入数据"), 60)
        try:
            with transaction.atomic(durable=True):
                self.write(plan, params, report, reporter_inside_transaction(progress))
                self.record(params, report)
        except IntegrityError as exc:  # a concurrent change won a unique constraint
            raise Conflict(_("导入期间数据被他人修改，没有导入任何数据，请重新上传。")) from exc
        progress.report(_("完成"), 100)
        return report

    # --- steps a subclass may override ---

    def authorise(self, params: ImportParams) -> None:  # noqa: B027 - optional hook
        """Raise PermissionDenied when the actor may not import at all."""

    def validate(
        self,
        tables: dict[str, SheetData],
        params: ImportParams,
        report: ImportReport,
        progress: Progress,
    ):
        """Rules across rows and against the database; return the plan for `write`."""
        return tables

    @abstractmethod
    def write(self, plan, params: ImportParams, report: ImportReport, progress: Progress) -> None:
        """Write the validated plan; runs inside the import's single transaction."""

    def record(self, params: ImportParams, report: ImportReport) -> None:
        record_event(
            actor=params.actor,
            verb=self.audit_verb,
            summary=params.filename,
            territory_path=report.territory_path,
            after={"file": params.filename, **report.counts},
        )

    # --- reading ---

    def read_tables(
        self,
        workbook: excel.Workbook,
        report: ImportReport,
        params: ImportParams,
        progress: Progress,
    ) -> dict[str, SheetData]:
        found = [(spec, workbook.get(spec.name)) for spec in self.sheets]
        if workbook.format == "csv":
            found = [
                (spec, workbook.get(spec.name))
                for spec in self.sheets
                if spec.name == (self.csv_sheet or self.sheets[0].name)
            ]
        if not any(sheet for _spec, sheet in found):
            names = "、".join(spec.name for spec in self.sheets)
            message = _("文件中没有可导入的工作表，工作表应命名为：%(names)s。") % {"names": names}
            first = next(iter(workbook.names or workbook.skipped), "")
            report.add(first, None, message, structural=True)
            return {}
        total = sum(sheet.data_row_count for _spec, sheet in found if sheet)
        if params.max_rows and total > params.max_rows:
            message = _("文件有 %(rows)d 行，超过上限 %(limit)d 行，请改用页面上传或分批导入。") % {
                "rows": total,
                "limit": params.max_rows,
            }
            raise DomainError(message, code="too_many_rows")
        tick = report_every(progress, _("检查数据"), 5, 30, total)
        tables = {}
        for spec, sheet in found:
            if sheet is None:
                if spec.required:
                    message = _("缺少工作表“%(sheet)s”。") % {"sheet": spec.name}
                    report.add(spec.name, None, message, structural=True)
                continue
            data = self.read_sheet(spec, sheet, report, tick)
            if data is None:
                continue
            tables[spec.name] = data
            report.rows[spec.name] = len(data.rows)
        return tables

    def find_header(self, spec: SheetSpec, sheet: excel.Sheet) -> tuple[int, list[Any]] | None:
        """The first row (within the first few) that names at least one known column."""
        known = set()
        for column in spec.columns:
            known.add(normalise_header(column.header))
            known.update(normalise_header(alias) for alias in column.aliases)
        for number, cells in sheet.numbered():
            if number > self.header_search_rows:
                break
            if any(normalise_header(cell) in known for cell in cells if not excel.is_blank(cell)):
                return number, cells
        return None

    def read_sheet(
        self,
        spec: SheetSpec,
        sheet: excel.Sheet,
        report: ImportReport,
        tick: Callable[[], None] | None = None,
    ) -> SheetData | None:
        header = self.find_header(spec, sheet)
        if header is None:
            if sheet.data_row_count:
                report.add(
                    spec.name,
                    None,
                    _("找不到表头行，第一行应为列名：%(headers)s。")
                    % {"headers": "、".join(spec.headers)},
                    structural=True,
                )
            return None
        header_row, cells = header
        by_header = {}
        for column in spec.columns:
            for name in (column.header, *column.aliases):
                by_header[normalise_header(name)] = column
        positions: dict[str, int] = {}
        report._sheets[spec.name] = data = SheetData(
            spec=spec, name=sheet.name, header_row=header_row, positions=positions
        )
        for index, cell in enumerate(cells):
            column = by_header.get(normalise_header(cell))
            if column is None:
                continue
            if column.key in positions:
                report.add(
                    spec.name,
                    header_row,
                    _("列“%(header)s”出现了两次。") % {"header": column.header},
                    header=column.header,
                    structural=True,
                )
                continue
            positions[column.key] = index
        missing = [c for c in spec.columns if c.required and c.key not in positions]
        for column in missing:
            report.add(
                spec.name,
                header_row,
                _("缺少必填列“%(header)s”。") % {"header": column.header},
                header=column.header,
                structural=True,
            )
        if missing:
            return None
        present = [
            (column, positions[column.key]) for column in spec.columns if column.key in positions
        ]
        for number, cells in sheet.numbered(header_row + 1):
            if all(excel.is_blank(cell) for cell in cells):
                continue
            if report.full:  # stop checking: the rows left are not reported on
                report.truncated = True
                break
            row = Row(sheet=spec.name, number=number, values={})
            for column, index in present:
                value = clean_cell(cells[index]) if index < len(cells) else None
                if value is None:
                    if column.required:
                        report.reject(row, column.key, _("此项必填。"))
                    continue
                try:
                    parsed = column.parse(value)
                    if parsed is SKIP:
                        continue
                    for validator in column.validators:
                        validator(parsed)
                except CellError as exc:
                    report.reject(row, column.key, exc.message)
                    continue
                except ValidationError as exc:
                    report.reject(row, column.key, "；".join(exc.messages))
                    continue
                row.values[column.key] = parsed
            data.rows.append(row)
            if tick is not None:
                tick()
        return data

    def sort_problems(self, report: ImportReport) -> None:
        order = {spec.name: index for index, spec in enumerate(self.sheets)}
        report.problems.sort(
            key=lambda p: (order.get(p.sheet, -1), p.row or 0, -1 if p.index is None else p.index)
        )


# --- templates -------------------------------------------------------------------------------

INSTRUCTIONS_SHEET = "填写说明"


def write_instructions(
    workbook,
    formats: excel.Formats,
    *,
    title: str,
    paragraphs: Iterable[str],
    specs: Iterable[SheetSpec],
    subtitle: str = "",
):
    """The 填写说明 sheet every import template starts with: a title (and subtitle), numbered
    paragraphs, then one row per column of each sheet: sheet, header, required, example, help.
    Returns the worksheet (activate it once the other sheets are written)."""
    guide = workbook.add_worksheet(INSTRUCTIONS_SHEET)
    for index, width in enumerate((12, 16, 8, 22, 80)):
        guide.set_column(index, index, width)
    guide.write_string(0, 0, title, formats.title)
    if subtitle:
        guide.write_string(1, 0, subtitle, formats.bold)
    row = 3 if subtitle else 2
    for index, paragraph in enumerate(paragraphs, start=1):
        guide.write_string(row, 0, str(index), formats.bold)
        guide.merge_range(row, 1, row, 4, str(paragraph), formats.wrap)
        guide.set_row(row, 36)
        row += 1
    row += 1
    for col, header in enumerate((_("工作表"), _("列名"), _("必填"), _("示例"), _("说明"))):
        guide.write_string(row, col, header, formats.header)
    for spec in specs:
        for column in spec.columns:
            row += 1
            guide.write_string(row, 0, spec.name)
            guide.write_string(row, 1, column.header)
            guide.write_string(row, 2, _("是") if column.required else "")
            guide.write_string(row, 3, str(column.example if column.example is not None else ""))
            guide.write_string(row, 4, str(column.help), formats.wrap)
    return guide


# --- uploads imported in the background ------------------------------------------------------

UPLOAD_DIR = "imports/uploads"
ANNOTATED_DIR = "imports"
# The task result is a JSON column: keep the first problems there, the annotated copy has all.
RESULT_PROBLEM_LIMIT = 500


def stage_upload(upload, user, scope: Scope) -> dict:
    """Keep an uploaded file in default storage for a background import job and return the
    job's arguments for it: where it is, its name, and who uploaded it with what scope (a job
    receives only JSON, so the scope travels as its fields; `uploader` rebuilds it)."""
    suffix = Path(upload.name).suffix.lower()
    return {
        "upload_path": default_storage.save(f"{UPLOAD_DIR}/{uuid.uuid4().hex}{suffix}", upload),
        "filename": Path(upload.name).name,
        "user_id": user.pk,
        "node_paths": list(scope.node_paths),
        "compound_ids": sorted(scope.compound_ids),
        "roles": sorted(scope.roles),
        "scope_organisation_id": scope.organisation_id,
    }


def uploader(
    *, user_id: int, node_paths=(), compound_ids=(), roles=(), scope_organisation_id=None
) -> tuple[Any, Scope]:
    """The user who uploaded the file (still active) and the scope they had then."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise PermissionDenied()
    scope = Scope(
        roles=frozenset(roles),
        node_paths=tuple(node_paths),
        compound_ids=frozenset(compound_ids),
        organisation_id=scope_organisation_id,
        user_id=user_id,
        label=user.get_username(),
    )
    return user, scope


def import_upload(
    build_importer: Callable[[], Importer],
    *,
    upload_path: str,
    params: ImportParams,
    progress,
    annotated_view: str,
    labelled: Callable[[dict], list[tuple[str, int]]],
    result: dict,
) -> dict:
    """Run an importer over a staged upload and delete the upload whatever happens (it may
    hold personal data). Returns {"status": "imported" | "checked", "summary", "rows",
    "counts", **result}; the summary names the counts as `labelled(counts)` does. On
    rejection the ImportRejected propagates (the task ends failed) carrying `result`: the
    problems, and for spreadsheets the annotated copy's name in default storage and its
    address (`annotated_view` takes the task id)."""
    try:
        importer = build_importer()
        with default_storage.open(upload_path, "rb") as handle:
            data = handle.read()
        report = importer.run(data, params, progress)
    except ImportRejected as exc:
        annotated = ""
        if exc.workbook is not None:
            annotated = default_storage.save(
                f"{ANNOTATED_DIR}/{uuid.uuid4().hex}.xlsx", ContentFile(exc.annotated_copy())
            )
        exc.result = {
            "status": "rejected",
            **result,
            "problem_count": len(exc.problems),
            "problems": [p.as_dict() for p in exc.problems[:RESULT_PROBLEM_LIMIT]],
            "annotated_file": annotated,
            "annotated_url": task_url(annotated_view, progress) if annotated else "",
        }
        raise
    finally:
        default_storage.delete(upload_path)
    return {
        "status": "checked" if params.dry_run else "imported",
        **result,
        "summary": _("检查通过，未写入任何数据。")
        if params.dry_run
        else "，".join(f"{label} {count}" for label, count in labelled(report.counts)),
        "rows": report.rows,
        "counts": report.counts,
    }


def task_url(view: str, progress) -> str:
    """The address of a view that takes the tracked task's id, when the job runs as one."""
    task_id = getattr(progress, "progress_id", None)
    if task_id is None:
        return ""
    try:
        return reverse(view, args=[task_id])
    except NoReverseMatch:
        return ""


# --- the command line face ---------------------------------------------------------------------


def cli_city_scope() -> Scope:
    """The CLI acts for the whole city (its actor is the named system actor `CLI`)."""
    return Scope(
        roles=frozenset({"city_office"}), node_paths=(settings.ANJU_CITY_CODE + "/",), label="cli"
    )


def import_from_cli(
    command, importer: Importer, source, params: ImportParams, *, annotated=None, quiet=False
) -> ImportReport:
    """Run an importer for a management command: problems one a line on stderr, the
    annotated copy written where asked, and a non-zero exit (CommandError) on refusal."""
    try:
        return importer.run(source, params, None if quiet else StderrProgress())
    except ImportRejected as exc:
        for problem in exc.problems:
            command.stderr.write(str(problem))
        if annotated:
            Path(annotated).write_bytes(exc.annotated_copy())
            command.stderr.write(_("已写出标注问题的文件：%(path)s") % {"path": annotated})
        raise CommandError(str(exc.message)) from None
    except DomainError as exc:
        raise CommandError(str(exc.message)) from None
