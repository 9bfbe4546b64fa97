"""Reading the one-table .csv/.xlsx files that anju's database-free commands take
(`anju consent tally`, `anju plan select`): the first sheet's rows, header keys and cell
text, with the same errors everywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from . import excel
from .importing import clean_cell, is_number_cell, narrow, number_text

SUFFIXES = (".csv", ".xlsx", ".xls")


def read_rows(path: Path) -> list[list[Any]]:
    """The first sheet's rows; a wrong type, a missing file or an unreadable one stops the
    command with a message."""
    if path.suffix.lower() not in SUFFIXES:
        raise CommandError(
            _("不支持的文件类型“%(suffix)s”，请使用 .csv 或 .xlsx 文件。")
            % {"suffix": path.suffix or path.name}
        )
    if not path.is_file():
        raise CommandError(_("找不到文件：%(path)s") % {"path": path})
    try:
        workbook = excel.read_workbook(path)
    except excel.SpreadsheetError as exc:
        raise CommandError(str(exc.message)) from None
    if not workbook.sheets:
        return []
    return next(iter(workbook.sheets.values())).rows


def header_key(value: Any) -> str:
    """A header as a lookup key: full-width folded, trimmed, '*' dropped, lower-case,
    spaces and dashes as underscores."""
    text = narrow(str(value or "")).strip().strip("*").lower()
    return text.replace(" ", "_").replace("-", "_")


def cell_text(value: Any) -> str:
    value = clean_cell(value)
    if value is None:
        return ""
    if is_number_cell(value):
        return number_text(value)
    return str(value)
