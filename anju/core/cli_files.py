"""Reading the one-table .csv/.xlsx files that anju's database-free commands take
(`anju consent tally`, `anju plan select`): the first sheet's rows, header keys and cell
text, with the same errors everywhere.

A national candidates file has 220,000 rows, and `anju plan select --time-limit 2` must
answer in 2 s including reading it (defect 10 of issue 13), so besides the per-cell
`cell_text` there are whole-column forms (`column`, `cell_texts`, `content_flags`) that take
one C-level pass in the common case (every cell plain text, as in any CSV) and fall back to
`cell_text` cell by cell otherwise: the same text either way, about 20 ms a column. Read
inside `paused_gc()`: the cyclic collector would otherwise walk the growing heap of rows over
and over, two thirds of the reading time."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from . import excel
from .importing import clean_cell, is_number_cell, narrow, number_text

SUFFIXES = (".csv", ".xlsx", ".xls")


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside: reading a table allocates millions of small
    objects, none in a cycle, and each collection the allocations trigger walks all of them
    (0.45 of 0.65 s reading 220,000 CSV rows). Reference counting still frees everything.
    What survives is then moved to the oldest generation in one step (freeze + unfreeze),
    not walked by the first young collection after (0.2 s more)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()


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


def cell_texts(values: Sequence[Any]) -> list[str]:
    """`cell_text` of every value. When all are strings without an ideographic space or an
    apostrophe (what `clean_cell` changes beyond stripping) that is just `str.strip`."""
    try:
        texts = list(map(str.strip, values))
    except TypeError:  # numbers or None (.xlsx): cell by cell
        return [cell_text(value) for value in values]
    joined = "".join(texts)
    if "\u3000" in joined or "'" in joined:
        return [cell_text(value) for value in values]
    return texts


def has_content(row: Sequence[Any]) -> bool:
    """Whether any `cell_text` of the row is non-empty (`clean_cell` blanks only None and
    whitespace), without building the texts."""
    for value in row:
        if value is None:
            continue
        if not isinstance(value, str) or value.strip():
            return True
    return False


def content_flags(rows: Sequence[Sequence[Any]]) -> list[bool]:
    """`has_content` of each row; in one pass over the first cells when they are all text
    (CSV), looking further only in rows whose first cell is blank."""
    try:
        filled = [bool(row[0].strip()) if row else False for row in rows]
    except AttributeError:  # a number or None first (.xlsx)
        return list(map(has_content, rows))
    if all(filled):
        return filled
    return [flag or has_content(row) for flag, row in zip(filled, rows, strict=True)]


def column(
    rows: Sequence[Sequence[Any]], position: int | None, shortest: int | None = None
) -> list[Any]:
    """The cells at `position` of each row; "" where a row is shorter or there is no such
    column (`cell_text` reads "" and None alike). `shortest`: the shortest row's length,
    when the caller knows it."""
    if position is None:
        return [""] * len(rows)
    if shortest is None:
        shortest = min(map(len, rows), default=0)
    if shortest > position:
        return list(map(itemgetter(position), rows))
    return [row[position] if position < len(row) else "" for row in rows]
