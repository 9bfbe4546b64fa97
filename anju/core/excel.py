"""Spreadsheet plumbing: read .xlsx/.xls/.csv into numbered rows, write .xlsx and .csv.

Reading uses python-calamine (Rust, about ten times faster than openpyxl). Each sheet is kept
from cell A1 (`skip_empty_area=False`), so `rows[i]` is the sheet's row `i + 1` and messages can
name the row a person sees in Excel. calamine returns every numeric cell as a float: an 18-digit
identifier typed as a number arrives already rounded to 15 significant digits, and callers must
reject it rather than "repair" it (see `anju.core.importing.identifier`). Merged cells are not
expanded. CSV files are read as UTF-8 with or without BOM, falling back to GB18030 (what Excel
on a Chinese Windows writes for "CSV").

Reading is bounded (`ReadLimits`, issue 13 defect 14): calamine allocates a sheet's whole range
up front, so before it sees an .xlsx the zip is checked for bombs and each sheet to read is
scanned for its last cell; CSV rows and columns are capped as they are read; only the sheets
asked for are read. A refusal is a `FileTooLarge` naming the sheet and cell. Zips that are not
.xlsx workbooks (.ods included) are refused; legacy .xls (at most 65,536 × 256 cells by format)
is checked after calamine has read a sheet and before its cells become Python objects.

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
import posixpath
import re
import struct
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.parsers import expat

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


MB = 1 << 20
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
MAIN_PART = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
CHUNK = 1 << 16


class FileTooLarge(SpreadsheetError):
    """The file or one of its sheets is bigger than the importer reads; nothing was read.
    `sheet`, `row` and `column` (0-based) name where, when a cell broke the limit."""

    code = "file_too_large"
    default_message = gettext_lazy("文件太大，请删除多余的行和列或分批导入。")

    def __init__(self, message=None, *, sheet: str = "", row: int | None = None,
                 column: int | None = None):  # fmt: skip
        super().__init__(message)
        self.sheet = sheet
        self.row = row
        self.column = column


@dataclass(frozen=True)
class ReadLimits:
    """How much of a file is read, checked before calamine sees a cell.

    calamine allocates a sheet's whole range, from A1 (with `skip_empty_area=False`) to its
    last cell, at 32 bytes a cell: one cell at XFD1048576 asks for 512 GiB and aborts the
    process, one at ALL20000 takes 776 MB. So every sheet to read is scanned first (a
    streaming XML parse, stopping at the first cell beyond a limit), and the zip itself is
    checked against its declared sizes (zip bombs). The defaults bound any read to about
    10 million cells (~400 MB); importers declare tighter limits from their columns
    (`Importer.read_limits`).

    max_rows / max_columns: the last row and column (1-based) a sheet may use;
    max_cells: rows × columns of the range read; max_file_bytes: the upload; max_unzipped_bytes:
    all parts of an .xlsx once unzipped; max_ratio: unzipped/zipped of a part over 8 MB;
    max_parts: entries in the zip.
    """

    max_rows: int = 1_048_576
    max_columns: int = 16_384
    max_cells: int = 10_000_000
    max_file_bytes: int = 100 * MB
    max_unzipped_bytes: int = 500 * MB
    max_ratio: int = 100
    max_parts: int = 10_000

    def check(
        self, sheet: str, rows: int, columns: int, *, cells: int | None = None, at=None
    ) -> None:
        """Refuse a sheet whose range (from A1) ends at row `rows`, column `columns` (1-based);
        `at` is the (row, column) of the cell that took it there, when known, and `cells` the
        cells held when they are not the full range (CSV rows are not padded)."""
        row, column = at or (rows, columns)
        held = rows * columns if cells is None else cells
        if row <= self.max_rows and column <= self.max_columns and held <= self.max_cells:
            return  # called once a CSV row: the message is built only for a refusal
        where = {"sheet": sheet, "cell": xl_rowcol_to_cell(row - 1, column - 1)}
        if row > self.max_rows or column > self.max_columns:
            message = _(
                "工作表“%(sheet)s”在 %(cell)s 还有内容，超出了可读取的范围"
                "（最多到第 %(rows)d 行、第 %(columns)d 列即 %(last)s 列）。"
                "请删除多余的行和列，或分批导入。"
            ) % {
                **where,
                "rows": self.max_rows,
                "columns": self.max_columns,
                "last": column_letter(self.max_columns - 1),
            }
            raise FileTooLarge(message, sheet=sheet, row=row, column=column - 1)
        if held > self.max_cells:
            message = _(
                "工作表“%(sheet)s”的数据到 %(cell)s 已超过可读取的 %(cells)d 个单元格"
                "（%(rows)d 行 × %(columns)d 列）。请删除多余的行和列或分批导入。"
            ) % {**where, "rows": rows, "columns": columns, "cells": self.max_cells}
            raise FileTooLarge(message, sheet=sheet, row=row, column=column - 1)


DEFAULT_LIMITS = ReadLimits()


def not_a_spreadsheet() -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "无法读取该文件：它不是有效的 .xlsx 表格（可能已损坏，或是其他格式改了扩展名）。"
            "请在 Excel 中另存为 .xlsx 后重新上传。"
        )
    )


def zip_bomb(limits: ReadLimits) -> FileTooLarge:
    return FileTooLarge(
        _("文件解压后超过 %(limit)d MB，不像正常的表格文件。请删除多余内容或分批导入。")
        % {"limit": limits.max_unzipped_bytes // MB}
    )


def inspect_xlsx(data: bytes, sheets: Iterable[str] | None, limits: ReadLimits) -> list[str]:
    """Check an .xlsx before calamine reads it and return the names of the sheets to read.

    Refused (FileTooLarge or SpreadsheetError, nothing read into cells): more than
    `max_parts` zip entries, declared unzipped sizes over `max_unzipped_bytes` or a part over
    8 MB that unzips more than `max_ratio` times its size (zip bombs), a zip that is not a
    workbook (no xl/workbook.xml, e.g. .ods or .docx), XML with a DOCTYPE (entity
    expansion), and any sheet to read that has a cell beyond the limits. The `<dimension>`
    element is not trusted: it is optional, may lie, and calamine ignores it; the cells' own
    references (or their positions, where `r` is left out) are what sizes the range. Every
    part is unzipped through zipfile, which stops at the declared size and checks the CRC, so
    a part that lies about its size is refused too. Cost: O(unzipped bytes) ≤ the limit.
    """
    try:
        entries = central_directory_entries(data)
        if entries is None or entries > limits.max_parts:
            raise not_a_spreadsheet()
        book = zipfile.ZipFile(io.BytesIO(data))
        parts = {info.filename: info for info in book.infolist()}
        if sum(info.file_size for info in parts.values()) > limits.max_unzipped_bytes:
            raise zip_bomb(limits)
        for info in parts.values():
            if info.file_size > 8 * MB and info.file_size > limits.max_ratio * max(
                info.compress_size, 1
            ):
                raise zip_bomb(limits)
        if MAIN_PART not in parts:
            raise not_a_spreadsheet()
        declared = workbook_sheets(book, parts)
        names = wanted_names(declared, sheets)
        scanned = set()
        for name in names:
            part = declared[name]
            if part not in parts:
                raise not_a_spreadsheet()
            with book.open(part) as stream:
                scan_sheet(stream, name, limits)
            scanned.add(part)
        for name, info in parts.items():
            if name not in scanned:
                with book.open(info) as stream:
                    while stream.read(CHUNK * 16):
                        pass
    except SpreadsheetError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, RuntimeError,
            NotImplementedError, OSError, expat.ExpatError) as exc:  # fmt: skip
        raise not_a_spreadsheet() from exc
    return names


def central_directory_entries(data: bytes) -> int | None:
    """The entry count in the zip's end-of-central-directory record, read before zipfile
    builds an object per entry; None when there is no record or it is a zip64 one."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or len(data) < end + 22:
        return None
    (count,) = struct.unpack_from("<H", data, end + 10)
    return None if count == 0xFFFF else count


def xml_events(stream, *, start=None, end=None) -> None:
    """Feed an XML part to expat in chunks, calling start(tag, attributes) / end(tag) with
    namespace-free tag names; a DOCTYPE or entity declaration is refused."""
    parser = expat.ParserCreate(namespace_separator="}")

    def refuse(*_args):
        raise ValueError("DOCTYPE in a spreadsheet part")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    if start is not None:
        parser.StartElementHandler = lambda tag, attributes: start(
            tag.rpartition("}")[2], attributes
        )
    if end is not None:
        parser.EndElementHandler = lambda tag: end(tag.rpartition("}")[2])
    while chunk := stream.read(CHUNK):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


def workbook_sheets(book: zipfile.ZipFile, parts) -> dict[str, str]:
    """Sheet name → its worksheet part, from xl/workbook.xml and its relationships, resolved
    the way calamine resolves them."""
    relation_ids: dict[str, str] = {}

    def on_sheet(tag, attributes):
        if tag == "sheet":
            rid = next((value for key, value in attributes.items() if key.endswith("}id")), "")
            relation_ids[attributes.get("name", "")] = rid

    with book.open(MAIN_PART) as stream:
        xml_events(stream, start=on_sheet)
    targets: dict[str, str] = {}

    def on_relationship(tag, attributes):
        if tag == "Relationship":
            targets[attributes.get("Id", "")] = attributes.get("Target", "")

    if WORKBOOK_RELS in parts:
        with book.open(WORKBOOK_RELS) as stream:
            xml_events(stream, start=on_relationship)
    sheets = {}
    for name, rid in relation_ids.items():
        target = targets.get(rid, "")
        if target.startswith("/"):
            target = target[1:]
        elif not target.startswith("xl/"):
            target = "xl/" + target
        sheets[name] = posixpath.normpath(target)
    return sheets


CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
# A start tag of <row> or <c> (any namespace prefix), with its `r` when that comes first (as
# every writer puts it), then the rest of the tag; <rowBreaks>, <cols>, <cfRule> … do not
# match.
SHEET_TAG = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])"
    rb'(?:\s+r="\$?([A-Za-z]{1,3})?\$?(\d{1,7})")?([^>]*)>'
)
R_ATTRIBUTE = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# No tag of a sheet is this long; a "tag" that is has been built to make the scan hold it.
LONGEST_TAG = 1 << 20


def column_number(letters: str) -> int:
    """ "A" → 1, "XFD" → 16384."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def tag_reference(rest: bytes) -> tuple[str, str] | None:
    """(letters, digits) of an `r` that is not the tag's first attribute; None when absent.
    A reference that is not plain (entities, spaces) is refused rather than guessed, and so
    is a tag whose quotes do not pair (a ">" inside a value, which no writer produces, would
    otherwise hide the attributes after it)."""
    if rest.count(b'"') % 2 or rest.count(b"'") % 2:
        raise ValueError("unpaired quotes in a tag")
    found = R_ATTRIBUTE.search(rest)
    if found is None:
        return None
    ref = (found[1] if found[1] is not None else found[2]).decode()
    cell = CELL_REF.match(ref) if ref else None
    if cell is None and ref.isdigit():
        return "", ref
    if cell is None:
        raise ValueError(ref)
    return cell[1], cell[2]


def scan_sheet(stream, name: str, limits: ReadLimits) -> tuple[int, int]:
    """The last row and column (1-based) of the cells calamine would read, stopping with
    FileTooLarge at the first cell that takes the range beyond the limits.

    A tokenising scan of the <row> and <c> start tags, not an XML parse: a parse makes a
    Python call per element (2 s for 20,000 rows × 16 columns on the test machine; this is
    about a third of it). Positions follow calamine: a cell's `r` ("B7") when given, else the
    column after the previous cell and the row's `r` (or the row after the previous row). A
    self-closing <c …/> has no value and does not count, as in calamine; any other cell counts
    even when empty, which errs on the safe side (as do tags inside comments or CDATA).
    Cost: O(bytes), memory O(chunk).
    """
    row = column = rows = columns = 0
    known_columns: dict[bytes, int] = {}
    carry = b""
    while True:
        chunk = stream.read(CHUNK * 4)
        buffer = carry + chunk
        cut = len(buffer)
        if chunk:
            opening = buffer.rfind(b"<")
            if opening >= 0 and buffer.find(b">", opening) < 0:
                cut = opening
        carry = buffer[cut:]
        if len(carry) > LONGEST_TAG:
            raise ValueError("unterminated tag")
        for kind, first_letters, first_digits, rest in SHEET_TAG.findall(buffer, 0, cut):
            letters, digits = first_letters, first_digits
            if not digits:
                found = tag_reference(rest)
                if found is not None:
                    letters, digits = found[0].encode(), found[1]
            elif rest.count(b'"') % 2 or rest.count(b"'") % 2:
                raise ValueError("unpaired quotes in a tag")
            if kind == b"row":
                row = int(digits) if digits else row + 1
                column = 0
                continue
            if not digits:
                column, cell_row = column + 1, row
            elif not letters:
                raise ValueError("a cell reference without a column")
            else:
                column = known_columns.get(letters) or known_columns.setdefault(
                    letters, column_number(letters.decode())
                )
                cell_row = int(digits)
            if rest[-1:] == b"/":  # <c …/>: no value
                continue
            if cell_row > rows or column > columns:
                rows, columns = max(rows, cell_row), max(columns, column)
                limits.check(name, rows, columns, at=(cell_row, column))
        if not chunk:
            return rows, columns


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
    # Sheets in the file that were not asked for, so not read.
    skipped: list[str] = field(default_factory=list)

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


def read_bytes(source, limit: int | None = None) -> bytes:
    """The bytes of a path, bytes, or file-like object (an UploadedFile, a storage file).

    With `limit`, a source larger than that is refused (FileTooLarge), before it is read when
    its size is known."""
    size = source_size(source)
    if limit is not None and size is not None and size > limit:
        raise too_large_file(size, limit)
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
        data = b"".join(source.chunks())
    else:
        data = source.read() if limit is None else source.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise too_large_file(len(data), limit)
    return data


def too_large_file(size: int, limit: int) -> FileTooLarge:
    return FileTooLarge(
        _("文件大小为 %(size).1f MB，超过上限 %(limit)d MB，请分批导入。")
        % {"size": size / MB, "limit": limit // MB}
    )


def source_size(source) -> int | None:
    if isinstance(source, bytes | bytearray | memoryview):
        return len(source)
    if isinstance(source, str | os.PathLike):
        return Path(source).stat().st_size
    size = getattr(source, "size", None)
    return size if isinstance(size, int) else None


def read_workbook(
    source,
    *,
    csv_sheet_name: str = "Sheet1",
    filename: str = "",
    sheets: Iterable[str] | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> Workbook:
    """Read the sheets of a workbook (only those named in `sheets`, when given; the others are
    listed in `Workbook.skipped`), or a CSV file as one sheet named `csv_sheet_name`.

    The format is recognised from the content (zip → .xlsx, OLE → .xls, else CSV), not from
    the file name, because browsers and users rename files freely; `filename` only words the
    refusal of a file named .xlsx that is not text either. Nothing is read beyond `limits`
    (see ReadLimits): FileTooLarge names the sheet and cell that broke one.
    """
    data = read_bytes(source, limits.max_file_bytes)
    if data.startswith(ZIP_MAGIC):
        names = inspect_xlsx(data, sheets, limits)
        return read_excel_bytes(data, names, limits)
    if data.startswith(OLE_MAGIC):
        return read_excel_bytes(data, sheets, limits)
    try:
        sheet = read_csv_bytes(data, csv_sheet_name, limits)
    except FileTooLarge:
        raise
    except SpreadsheetError:
        suffix = Path(filename).suffix.lower()
        if suffix not in EXCEL_SUFFIXES:
            raise
        raise SpreadsheetError(
            _(
                "无法读取该文件：文件名是 %(suffix)s，但内容不是 Excel 表格"
                "（可能已损坏或被改了扩展名）。"
                "请在 Excel 中另存为 .xlsx 后重新上传。"
            )
            % {"suffix": suffix}
        ) from None
    return Workbook(sheets={csv_sheet_name: sheet}, format="csv")


def wanted_names(available: Iterable[str], wanted: Iterable[str] | None) -> list[str]:
    """The workbook's sheet names that `Workbook.get` would find for the wanted names."""
    available = list(available)
    if wanted is None:
        return available
    keys = {name.strip() for name in wanted}
    return [name for name in available if name.strip() in keys]


def read_excel_bytes(
    data: bytes, sheets: Iterable[str] | None = None, limits: ReadLimits = DEFAULT_LIMITS
) -> Workbook:
    """Read the sheets with calamine. For .xlsx, `inspect_xlsx` has already bounded them; for
    .xls (at most 65,536 × 256 cells by format) the size calamine found is checked before the
    cells become Python objects."""
    skipped: list[str] = []
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = wanted_names(book.sheet_names, sheets)
        skipped = [name for name in book.sheet_names if name not in names]
        read = {}
        for name in names:
            sheet = book.get_sheet_by_name(name)
            if sheet.height:
                last_row, last_column = sheet.end
                limits.check(name, last_row + 1, last_column + 1)
            read[name] = Sheet(name=name, rows=sheet.to_python(skip_empty_area=False))
    except (CalamineError, ValueError, OSError) as exc:
        raise SpreadsheetError() from exc
    return Workbook(
        sheets=read, format="xls" if data.startswith(OLE_MAGIC) else "xlsx", skipped=skipped
    )


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


def read_csv_bytes(data: bytes, name: str = "Sheet1", limits: ReadLimits = DEFAULT_LIMITS) -> Sheet:
    """The rows of a CSV file, within `limits` like a sheet: a non-blank field beyond the last
    row or column allowed, or more fields than `max_cells`, is refused as it is met; blank
    trailing fields and lines are dropped, so they cost nothing. A field longer than the csv
    module's limit (131,072 characters) is refused too."""
    text = decode_text(data)
    if "\x00" in text:
        raise SpreadsheetError()
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[str]] = []
    blank_lines = cells = 0
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for number, fields in enumerate(reader, start=1):
            used = len(fields)
            while used and not fields[used - 1].strip():
                used -= 1
            if not used:
                blank_lines += 1
                continue
            kept = fields if len(fields) <= limits.max_columns else fields[:used]
            cells += len(kept)
            limits.check(name, number, used, cells=cells)
            if blank_lines:
                rows.extend([] for _ in range(blank_lines))
                blank_lines = 0
            rows.append(kept)
    except csv.Error as exc:
        raise SpreadsheetError(
            _("第%(row)d行无法读取（单元格过长或引号不成对）：%(error)s")
            % {"row": reader.line_num, "error": exc}
        ) from exc
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

    # Rows are written in order, so each is flushed as written: the copy of a 20,000-row
    # sheet holds one row in memory, not all of them (and takes half the time).
    return workbook_bytes(build, constant_memory=True)
