"""Spreadsheets built to hurt the process that reads them (issue 13, defect 14).

Each is written by hand with zipfile, the way an attacker (or a broken exporter) would, so the
tests do not depend on a library refusing to write them:

* `far_cell`: a 2 KB .xlsx whose only data cell is XFD1048576; python-calamine sizes a sheet
  from its cells and allocated 1,048,576 × 16,384 × 32 bytes = 512 GiB for it, which aborted
  the process (the web worker through the API, the task worker through the upload page);
* `wide_cell`: one cell at ALL20000 (1,000 columns × 20,000 rows: 776 MB before the fix);
* `garbage_rows`: 20,000 rows of random text under the right headers, one problem per cell;
* `zip_bomb`: a sheet of 64 MB of spaces that deflates to about 60 KB;
* `not_a_zip`: random bytes to be uploaded under an .xlsx name.

`peak_mb(call)` runs `call()` and returns (result or exception, seconds, peak growth of the
process's resident memory in MB).
"""

from __future__ import annotations

import functools
import io
import os
import random
import threading
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'


def column_letters(index: int) -> str:
    """1 → "A", 16384 → "XFD"."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell(row: int, column: int, value) -> str:
    ref = f"{column_letters(column)}{row}"
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def row_xml(number: int, values: Sequence, first_column: int = 1) -> str:
    cells = "".join(
        cell(number, first_column + offset, value)
        for offset, value in enumerate(values)
        if value is not None
    )
    return f'<row r="{number}">{cells}</row>'


def workbook(sheets: dict[str, Iterable[str] | bytes], *, dimension: str = "") -> bytes:
    """An .xlsx whose sheets are given as row XML strings (or a whole sheet part as bytes)."""
    names = list(sheets)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        )
        book.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
            f'<Relationship Id="rId1" Type="{DOC_RELS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        entries = "".join(
            f'<sheet name="{escape(name)}" sheetId="{index}" r:id="rId{index}"/>'
            for index, name in enumerate(names, start=1)
        )
        book.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" '
            f'xmlns:r="{DOC_RELS}"><sheets>{entries}</sheets></workbook>',
        )
        targets = "".join(
            f'<Relationship Id="rId{index}" Type="{DOC_RELS}/worksheet" '
            f'Target="worksheets/sheet{index}.xml"/>'
            for index in range(1, len(names) + 1)
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
            f"{targets}</Relationships>",
        )
        for index, name in enumerate(names, start=1):
            rows = sheets[name]
            with book.open(f"xl/worksheets/sheet{index}.xml", "w") as part:
                if isinstance(rows, bytes):
                    part.write(rows)
                    continue
                head = f'<dimension ref="{dimension}"/>' if dimension else ""
                part.write(f"{SHEET_HEAD}{head}<sheetData>".encode())
                for row in rows:
                    part.write(row.encode())
                part.write(b"</sheetData></worksheet>")
    return output.getvalue()


def far_cell(sheet: str, headers: Sequence[str], row: int = 1_048_576, column: int = 16_384):
    """The headers in row 1 and one cell at (row, column): XFD1048576 unless told."""
    return workbook(
        {sheet: [row_xml(1, headers), row_xml(row, ["x"], first_column=column)]},
        dimension=f"A1:{column_letters(column)}{row}",
    )


def wide_cell(sheet: str, headers: Sequence[str]) -> bytes:
    """One cell at ALL20000: 1,000 columns by 20,000 rows."""
    return far_cell(sheet, headers, row=20_000, column=1_000)


def garbage_rows(sheet: str, headers: Sequence[str], rows: int = 20_000, seed: int = 14) -> bytes:
    """The right headers, then `rows` rows of random punctuation-and-letters in every column
    (about 3 MB): every cell fails its parser, most rows fail the cross-row rules too."""
    chance = random.Random(seed)
    alphabet = "坏数据#@!?甲乙丙丁abcXYZ-=/"

    def junk() -> str:
        return "".join(chance.choice(alphabet) for _ in range(chance.randint(6, 14)))

    def body():
        yield row_xml(1, headers)
        for number in range(2, rows + 2):
            yield row_xml(number, [junk() for _ in headers])

    return workbook({sheet: body()})


def zip_bomb(sheet: str, headers: Sequence[str], megabytes: int = 64) -> bytes:
    """A sheet part padded with `megabytes` MB of spaces inside the sheet's XML, which
    deflates about a thousand to one."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as book:
        source = zipfile.ZipFile(io.BytesIO(workbook({sheet: [row_xml(1, headers)]})))
        for info in source.infolist():
            if not info.filename.startswith("xl/worksheets/"):
                book.writestr(info.filename, source.read(info.filename))
                continue
            with book.open(info.filename, "w") as part:
                part.write(f"{SHEET_HEAD}<sheetData>{row_xml(1, headers)}".encode())
                chunk = b" " * (1 << 20)
                for _ in range(megabytes):
                    part.write(chunk)
                part.write(b"</sheetData></worksheet>")
    return output.getvalue()


def not_a_zip(size: int = 9_000, seed: int = 14) -> bytes:
    """Random bytes (with no NUL, so they are not obviously binary) under an .xlsx name."""
    chance = random.Random(seed)
    return bytes(chance.randrange(1, 256) for _ in range(size))


HOSTILE = ("XFD1048576", "ALL20000", "zip-bomb", "not-a-zip", "garbage")


@functools.cache
def hostile_file(name: str, sheet: str, headers: tuple[str, ...]) -> bytes:
    """One of the HOSTILE files for an importer's first sheet, built once per test run (and
    only when a test asks: the garbage and the bomb take a second or two)."""
    build = {
        "XFD1048576": lambda: far_cell(sheet, headers),
        "ALL20000": lambda: wide_cell(sheet, headers),
        "zip-bomb": lambda: zip_bomb(sheet, headers),
        "not-a-zip": not_a_zip,
        "garbage": lambda: garbage_rows(sheet, headers),
    }
    return build[name]()


def resident_mb() -> float:
    """This process's resident memory now (Linux /proc), in MB."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb(call: Callable[[], object]) -> tuple[object, float, float]:
    """(what `call()` returned or raised, seconds, peak growth of resident memory in MB).

    Resident memory is sampled every few milliseconds by a thread, so it counts what
    calamine allocates in Rust as well as Python's objects (tracemalloc would see only the
    latter)."""
    baseline = resident_mb()
    peak = baseline
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, resident_mb())
            done.wait(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    try:
        outcome = call()
    except Exception as exc:  # the caller asserts what it expected
        outcome = exc
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    peak = max(peak, resident_mb())
    return outcome, seconds, peak - baseline
