"""Spreadsheet plumbing: read .xlsx/.xls/.csv into numbered rows, write .xlsx and .csv.

Reading uses python-calamine (Rust, about ten times faster than openpyxl). Each sheet is kept
from cell A1 (`skip_empty_area=False`), so `rows[i]` is the sheet's row `i + 1` and messages can
name the row a person sees in Excel. calamine returns every numeric cell as a float: an 18-digit
identifier typed as a number arrives already rounded to 15 significant digits, and callers must
reject it rather than "repair" it (see `anju.core.importing.identifier`). Merged cells are not
expanded. CSV files are read as UTF-8 with or without BOM, falling back to GB18030 (what Excel
on a Chinese Windows writes for "CSV").

Writing uses xlsxwriter. `write_table` writes a table with a frozen, bold header row, column
widths and text-formatted identifier columns (so codes typed later stay text);
`annotated_copy` rewrites an uploaded workbook with each problem cell highlighted and
commented, plus a "问题清单" sheet linking to every cell. Large exports use
`constant_memory`, which flushes each row as it is written. Reading and writing are O(cells).
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from python_calamine import CalamineError, CalamineWorkbook
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from .errors import DomainError

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls
UTF8_BOM = b"\xef\xbb\xbf"

PROBLEM_SHEET = "问题清单"
HEADER_FILL = "#E8EEF7"
PROBLEM_FILL = "#FFC7CE"
ROW_PROBLEM_FILL = "#FFEB9C"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBERLIKE = re.compile(r"^[+-]?[\d.\s-]+$")
COMMENT_OPTIONS = {"x_scale": 2, "y_scale": 1.5}


class SpreadsheetError(DomainError):
    code = "unreadable_file"
    default_message = gettext_lazy("无法读取该文件，请上传 .xlsx 或 .csv 格式的表格。")


def column_letter(index: int) -> str:
    """0 → "A", 26 → "AA"."""
    return xl_col_to_name(index)


@dataclass
class Sheet:
    """One sheet's cells as read: `rows[i]` is the sheet's row `i + 1`, cells from column A."""

    name: str
    rows: list[list[Any]]

    def numbered(self, first: int = 1) -> Iterable[tuple[int, list[Any]]]:
        """(row number, cells) from row `first` on."""
        for index in range(first - 1, len(self.rows)):
            yield index + 1, self.rows[index]

    @property
    def data_row_count(self) -> int:
        return sum(1 for row in self.rows if any(not is_blank(cell) for cell in row))


@dataclass
class Workbook:
    sheets: dict[str, Sheet] = field(default_factory=dict)
    format: str = "xlsx"

    def get(self, name: str) -> Sheet | None:
        sheet = self.sheets.get(name)
        if sheet is None:
            stripped = {key.strip(): value for key, value in self.sheets.items()}
            sheet = stripped.get(name.strip())
        return sheet

    @property
    def names(self) -> list[str]:
        return list(self.sheets)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_bytes(source) -> bytes:
    """The bytes of a path, bytes, or file-like object (an UploadedFile, a storage file)."""
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source)
    if isinstance(source, str | os.PathLike):
        return Path(source).read_bytes()
    if hasattr(source, "seek"):
        try:
            source.seek(0)
        except (OSError, ValueError):
            pass
    if hasattr(source, "chunks"):
        return b"".join(source.chunks())
    return source.read()


def read_workbook(source, *, csv_sheet_name: str = "Sheet1") -> Workbook:
    """Read every sheet of a workbook, or a CSV file as one sheet named `csv_sheet_name`.

    The format is recognised from the content (zip → .xlsx/.ods, OLE → .xls, else CSV), not from
    the file name, because browsers and users rename files freely.
    """
    data = read_bytes(source)
    if data.startswith((ZIP_MAGIC, OLE_MAGIC)):
        return read_excel_bytes(data)
    return Workbook(sheets={csv_sheet_name: read_csv_bytes(data, csv_sheet_name)}, format="csv")


def read_excel_bytes(data: bytes) -> Workbook:
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = {}
        for name in book.sheet_names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            sheets[name] = Sheet(name=name, rows=rows)
    except (CalamineError, ValueError, OSError) as exc:
        raise SpreadsheetError() from exc
    return Workbook(sheets=sheets, format="xls" if data.startswith(OLE_MAGIC) else "xlsx")


def decode_text(data: bytes) -> str:
    if data.startswith(UTF8_BOM):
        return data[len(UTF8_BOM) :].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise SpreadsheetError() from exc


def read_csv_bytes(data: bytes, name: str = "Sheet1") -> Sheet:
    text = decode_text(data)
    if "\x00" in text:
        raise SpreadsheetError()
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [list(row) for row in csv.reader(io.StringIO(text, newline=""), dialect)]
    return Sheet(name=name, rows=rows)


# --- writing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableColumn:
    """A column of a written table: header, width in characters, and whether it holds text
    (identifiers: formatted "@" so that what people type later stays text)."""

    header: str
    width: float = 12
    is_text: bool = False
    choices: tuple[str, ...] = ()


def new_workbook(output, *, constant_memory: bool = False) -> xlsxwriter.Workbook:
    options = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    if constant_memory:
        options["constant_memory"] = True
    else:
        options["in_memory"] = True
    return xlsxwriter.Workbook(output, options)


def workbook_bytes(
    build: Callable[[xlsxwriter.Workbook], None], *, constant_memory: bool = False
) -> bytes:
    """Build a workbook with `build(workbook)` and return the .xlsx bytes."""
    output = io.BytesIO()
    workbook = new_workbook(output, constant_memory=constant_memory)
    build(workbook)
    workbook.close()
    return output.getvalue()


class Formats:
    """The handful of cell formats anju's workbooks share, created once per workbook."""

    def __init__(self, workbook: xlsxwriter.Workbook):
        self.header = workbook.add_format(
            {
                "bold": True,
                "bg_color": HEADER_FILL,
                "bottom": 1,
                "text_wrap": True,
                "valign": "vcenter",
            }
        )
        self.text = workbook.add_format({"num_format": "@"})
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.bold = workbook.add_format({"bold": True})
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.problem = workbook.add_format(
            {"bg_color": PROBLEM_FILL, "border": 1, "border_color": "#9C0006"}
        )
        self.row_problem = workbook.add_format({"bg_color": ROW_PROBLEM_FILL})
        self.link = workbook.add_format({"font_color": "blue", "underline": 1})


def write_cell(worksheet, row: int, col: int, value: Any, formats: Formats, *, cell_format=None):
    """Write one value with the writer that keeps its type (strings stay strings)."""
    if value is None or value == "":
        if cell_format is not None:
            worksheet.write_blank(row, col, None, cell_format)
        return
    if isinstance(value, bool):
        worksheet.write_boolean(row, col, value, cell_format)
    elif isinstance(value, int | float | Decimal):
        worksheet.write_number(row, col, float(value), cell_format)
    elif isinstance(value, datetime):
        worksheet.write_datetime(
            row, col, value.replace(tzinfo=None), cell_format or formats.datetime
        )
    elif isinstance(value, date):
        worksheet.write_datetime(
            row, col, datetime(value.year, value.month, value.day), cell_format or formats.date
        )
    else:
        worksheet.write_string(row, col, str(value), cell_format)


def write_table(
    workbook: xlsxwriter.Workbook,
    name: str,
    columns: Sequence[TableColumn],
    rows: Iterable[Sequence[Any]],
    *,
    formats: Formats | None = None,
    choice_rows: int = 0,
):
    """A sheet with a frozen header row, column widths and text-formatted identifier columns.

    `rows` may be a generator (with constant_memory each row is flushed as written).
    `choice_rows` > 0 adds drop-down lists for columns with choices, for that many rows.
    """
    formats = formats or Formats(workbook)
    worksheet = workbook.add_worksheet(name)
    for index, column in enumerate(columns):
        worksheet.set_column(index, index, column.width, formats.text if column.is_text else None)
    worksheet.set_row(0, 20)
    for index, column in enumerate(columns):
        worksheet.write_string(0, index, column.header, formats.header)
    worksheet.freeze_panes(1, 0)
    count = 0
    for count, values in enumerate(rows, start=1):
        for index, value in enumerate(values):
            text_format = formats.text if columns[index].is_text else None
            write_cell(worksheet, count, index, value, formats, cell_format=text_format)
    if choice_rows:
        for index, column in enumerate(columns):
            if column.choices:
                worksheet.data_validation(
                    1,
                    index,
                    choice_rows,
                    index,
                    {"validate": "list", "source": list(column.choices), "error_type": "warning"},
                )
    worksheet.autofilter(0, 0, max(count, 1), len(columns) - 1)
    return worksheet


def csv_safe(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula ("=HYPERLINK(…)") gets a leading
    apostrophe (OWASP "CSV injection"); numbers and phone numbers such as "+86…" are left
    alone. `anju.core.importing.clean_cell` removes the apostrophe again on import."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not NUMBERLIKE.match(value):
        return "'" + value
    return value


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """CSV with a UTF-8 BOM, so Excel on Windows opens the Chinese text correctly."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([csv_safe(value) for value in row])
    return UTF8_BOM + buffer.getvalue().encode("utf-8")


@dataclass(frozen=True)
class CellNote:
    """A problem to mark: sheet, 1-based row (None: the whole sheet), 0-based column (None:
    the whole row), the column's header for the list, and the message."""

    sheet: str
    row: int | None
    column: int | None
    header: str
    message: str


def annotated_copy(workbook: Workbook, notes: Iterable[CellNote]) -> bytes:
    """The uploaded workbook with each problem cell highlighted and commented, and a first
    sheet "问题清单" listing sheet, row, column and message with a link to the cell."""
    notes = list(notes)
    by_cell: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    by_row: dict[tuple[str, int], list[str]] = defaultdict(list)
    for note in notes:
        if note.row is None:
            continue
        if note.column is None:
            by_row[(note.sheet, note.row)].append(note.message)
        else:
            by_cell[(note.sheet, note.row, note.column)].append(note.message)

    def build(book: xlsxwriter.Workbook) -> None:
        formats = Formats(book)
        listing = book.add_worksheet(PROBLEM_SHEET)
        headers = [_("工作表"), _("行"), _("列"), _("问题")]
        for index, (header, width) in enumerate(zip(headers, (12, 8, 18, 70), strict=True)):
            listing.set_column(index, index, width)
            listing.write_string(0, index, header, formats.header)
        listing.freeze_panes(1, 0)
        for index, note in enumerate(notes, start=1):
            listing.write_string(index, 0, note.sheet)
            if note.row is not None:
                if note.sheet in workbook.sheets:
                    cell = xl_rowcol_to_cell(note.row - 1, note.column or 0)
                    listing.write_url(
                        index,
                        1,
                        f"internal:'{note.sheet}'!{cell}",
                        formats.link,
                        string=str(note.row),
                    )
                else:
                    listing.write_number(index, 1, note.row)
            column_text = note.header
            if note.column is not None:
                column_text = f"{column_letter(note.column)}（{note.header}）"
            listing.write_string(index, 2, column_text)
            listing.write_string(index, 3, note.message, formats.wrap)
        listing.activate()
        for sheet in workbook.sheets.values():
            worksheet = book.add_worksheet(sheet.name[:31])
            width = max((len(row) for row in sheet.rows), default=0)
            worksheet.set_column(0, max(width - 1, 0), 14)
            for row_index, row in enumerate(sheet.rows):
                row_messages = by_row.get((sheet.name, row_index + 1))
                for col_index, value in enumerate(row):
                    messages = by_cell.get((sheet.name, row_index + 1, col_index), [])
                    cell_format = None
                    if messages:
                        cell_format = formats.problem
                    elif row_messages:
                        cell_format = formats.row_problem
                    write_cell(
                        worksheet, row_index, col_index, value, formats, cell_format=cell_format
                    )
                    if col_index == 0 and row_messages:
                        messages = [*row_messages, *messages]
                    if messages:
                        worksheet.write_comment(
                            row_index, col_index, "\n".join(messages), COMMENT_OPTIONS
                        )
                if row_messages and not row:
                    worksheet.write_blank(row_index, 0, None, formats.row_problem)
                    worksheet.write_comment(row_index, 0, "\n".join(row_messages), COMMENT_OPTIONS)
            if sheet.rows:
                worksheet.freeze_panes(1, 0)

    return workbook_bytes(build)
