"""List untranslated and fuzzy entries in anju's .po files; exit 1 if there are any.

Chinese (zh-hans) is the source language, so only the other catalogues are checked (today:
anju/locale/en/LC_MESSAGES/django.po). The usual round after adding or changing strings:

    cd anju && ../.venv/bin/anju makemessages -l en --ignore 'tests/*' --ignore '*/tests/*'
    # translate the new entries, drop "#, fuzzy" once a fuzzy guess is checked
    python scripts/translate_check.py
    cd anju && ../.venv/bin/anju compilemessages

Also reports entries whose %(name)s / %s placeholders differ between msgid and msgstr.

Usage: python scripts/translate_check.py [PO_FILE ...]
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "anju" / "locale"
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)


def parse(path: Path) -> list[Entry]:
    """A small .po reader: flags, msgctxt, msgid(_plural), msgstr([n]) and continuation lines.
    Obsolete entries ("#~") are skipped."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None
    pending_flags: set[str] = set()
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            pending_flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            if entry is None or target is None:
                raise ValueError(f"{path}:{number}: string without a keyword")
            append(entry, target, ast.literal_eval(line))
            continue
        keyword, _, rest = line.partition(" ")
        value = ast.literal_eval(rest.strip())
        opened_by_context = entry is not None and target == ("msgctxt", 0)
        if keyword == "msgctxt" or (keyword == "msgid" and not opened_by_context):
            entry = Entry(line=number, flags=pending_flags)
            entries.append(entry)
            pending_flags = set()
        if entry is None:
            raise ValueError(f"{path}:{number}: {keyword} before msgid")
        match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if keyword == "msgctxt":
            target = ("msgctxt", 0)
        elif keyword == "msgid":
            target = ("msgid", 0)
        elif keyword == "msgid_plural":
            target = ("msgid_plural", 0)
        elif keyword == "msgstr":
            target = ("msgstr", 0)
        elif match:
            target = ("msgstr", int(match.group(1)))
        else:
            raise ValueError(f"{path}:{number}: unknown keyword {keyword!r}")
        set_value(entry, target, value)
    return entries


def set_value(entry: Entry, target: tuple[str, int], value: str) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] = value
    else:
        setattr(entry, name, value)


def append(entry: Entry, target: tuple[str, int], value: str) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] += value
    else:
        setattr(entry, name, (getattr(entry, name) or "") + value)


def placeholders(text: str) -> list[str]:
    return sorted(p for p in PLACEHOLDER.findall(text) if p != "%%")


def problems(path: Path) -> list[str]:
    found = []
    for entry in parse(path):
        where = f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:{entry.line}"
        label = repr(entry.msgid) if entry.msgid else "(header)"
        if "fuzzy" in entry.flags:
            found.append(f"{where}: fuzzy: {label}")
        if not entry.msgid:
            continue
        forms = entry.msgstr or {0: ""}
        if any(not text for text in forms.values()):
            found.append(f"{where}: untranslated: {label}")
            continue
        if "python-format" in entry.flags:
            for index, text in forms.items():
                source = entry.msgid_plural if index and entry.msgid_plural else entry.msgid
                if placeholders(text) != placeholders(source) and not (
                    entry.msgid_plural and set(placeholders(text)) <= set(placeholders(source))
                ):
                    found.append(f"{where}: placeholders differ in msgstr[{index}]: {label}")
    return found


def main(argv: list[str]) -> int:
    paths = [Path(arg).resolve() for arg in argv] or sorted(
        p for p in LOCALE.glob("*/LC_MESSAGES/*.po") if p.parts[-3] not in ("zh_Hans", "zh_hans")
    )
    if not paths:
        print(f"no .po files under {LOCALE}; run makemessages first", file=sys.stderr)
        return 1
    found = [problem for path in paths for problem in problems(path)]
    for problem in found:
        print(problem)
    total = sum(len([e for e in parse(p) if e.msgid]) for p in paths)
    print(f"{len(found)} problem(s) in {total} entries of {len(paths)} file(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
