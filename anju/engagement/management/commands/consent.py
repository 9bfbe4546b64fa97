"""`anju consent tally --ballots FILE --matter major|ordinary [--out result.json]`.

Tallies an owners' vote from a per-unit file with `anju.engine.consent` (Civil Code art. 278)
and prints the result as JSON (or writes it to --out). It needs no database: it reads one file,
computes, and writes; system and migration checks are off, so anyone can re-tally a published
vote with a checkout and no server.

The file is .csv or .xlsx (first sheet), header in its first non-blank row, with the columns
unit_id, owner_id, area, vote (case-insensitive; 单元编号, 业主编号, 面积, 表决 also work). A
vote is agree/disagree/abstain/absent or 同意/反对/弃权/未参与. Areas are read exactly: CSV text
goes straight to Decimal; an .xlsx text cell is exact too, while a numeric cell arrives from
calamine as a float and is read as `Decimal(repr(value))`, the shortest decimal that is that
float (what Excel shows for up to 15 significant digits). Every problem is collected and all
are reported, one a line naming the spreadsheet row (the header is row 1), before exiting 1.

The exit status says whether the file could be tallied, not whether the vote passed: read
"passed" in the JSON for that.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from anju.core.cli_files import cell_text, header_key, read_rows
from anju.core.importing import clean_cell, narrow
from anju.engine import consent

COLUMNS = {
    "unit_id": ("unit_id", "unit", "单元编号", "房屋编号"),
    "owner_id": ("owner_id", "owner", "业主编号"),
    "area": ("area", "面积", "专有面积", "专有部分面积"),
    "vote": ("vote", "表决", "表决意见"),
}
VOTE_WORDS = {
    "agree": consent.Vote.AGREE,
    "同意": consent.Vote.AGREE,
    "disagree": consent.Vote.DISAGREE,
    "反对": consent.Vote.DISAGREE,
    "不同意": consent.Vote.DISAGREE,
    "abstain": consent.Vote.ABSTAIN,
    "弃权": consent.Vote.ABSTAIN,
    "absent": consent.Vote.ABSENT,
    "未参与": consent.Vote.ABSENT,
    "未参加": consent.Vote.ABSENT,
    "未表决": consent.Vote.ABSENT,
}
AREA_UNITS = ("m²", "m2", "㎡", "平方米", "平米")


HEADER_LOOKUP = {header_key(alias): name for name, aliases in COLUMNS.items() for alias in aliases}


@dataclass(frozen=True)
class Problem:
    row: int
    reason: str

    def __str__(self) -> str:
        return _("第%(row)d行：%(reason)s") % {"row": self.row, "reason": self.reason}


class BallotFileRejected(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def parse_area(value: Any) -> Decimal:
    """The exact area of a cell; ValueError carries the translated reason."""
    if isinstance(value, bool):
        raise ValueError(_("面积应为数字，不能是“%(value)s”。") % {"value": value})
    try:
        if isinstance(value, float):
            number = Decimal(repr(value))
        elif isinstance(value, int):
            number = Decimal(value)
        else:
            source = narrow(str(value)).replace(",", "").replace(" ", "")
            for unit in AREA_UNITS:
                source = source.removesuffix(unit)
            number = Decimal(source)
    except InvalidOperation:
        raise ValueError(_("面积应为数字，不能是“%(value)s”。") % {"value": value}) from None
    if not number.is_finite():
        raise ValueError(_("面积应为数字，不能是“%(value)s”。") % {"value": value})
    if number < 0:
        raise ValueError(_("面积不能为负数（填写的是%(value)s）。") % {"value": value})
    return number


def parse_vote(text: str) -> consent.Vote:
    key = unicodedata.normalize("NFKC", text).strip().lower()
    if key not in VOTE_WORDS:
        raise ValueError(
            _(
                "无法识别的表决意见“%(value)s”，应为 同意、反对、弃权、未参与"
                "（或 agree、disagree、abstain、absent）。"
            )
            % {"value": text}
        )
    return VOTE_WORDS[key]


def read_ballots(rows: list[list[Any]]) -> list[consent.UnitBallot]:
    """Per-unit ballots from sheet rows (rows[i] is spreadsheet row i + 1); raises
    `BallotFileRejected` with every problem found."""
    numbered = [
        (index + 1, row) for index, row in enumerate(rows) if any(cell_text(c) for c in row)
    ]
    if not numbered:
        raise BallotFileRejected(
            [Problem(1, _("文件为空，应有表头 unit_id、owner_id、area、vote。"))]
        )
    header_row, header = numbered[0]
    positions: dict[str, int] = {}
    for position, value in enumerate(header):
        name = HEADER_LOOKUP.get(header_key(cell_text(value)))
        if name and name not in positions:
            positions[name] = position
    missing = [name for name in COLUMNS if name not in positions]
    if missing:
        raise BallotFileRejected(
            [
                Problem(
                    header_row,
                    _("缺少“%(column)s”列（也可写作：%(aliases)s）。")
                    % {"column": name, "aliases": "、".join(COLUMNS[name][1:])},
                )
                for name in missing
            ]
        )
    if len(numbered) == 1:
        raise BallotFileRejected([Problem(header_row + 1, _("文件中没有表决记录。"))])

    problems: list[Problem] = []
    ballots: list[consent.UnitBallot] = []
    unit_rows: dict[str, int] = {}
    owner_votes: dict[str, tuple[int, consent.Vote, str]] = {}
    for row_number, row in numbered[1:]:

        def cell(name: str, row=row) -> Any:
            position = positions[name]
            return clean_cell(row[position]) if position < len(row) else None

        unit_id = cell_text(cell("unit_id"))
        owner_id = cell_text(cell("owner_id"))
        vote_text = cell_text(cell("vote"))
        area_value = cell("area")
        found = len(problems)
        if not unit_id:
            problems.append(Problem(row_number, _("单元编号为空。")))
        elif unit_id in unit_rows:
            problems.append(
                Problem(
                    row_number,
                    _("单元编号“%(unit)s”与第%(first)d行重复。")
                    % {"unit": unit_id, "first": unit_rows[unit_id]},
                )
            )
        else:
            unit_rows[unit_id] = row_number
        if not owner_id:
            problems.append(Problem(row_number, _("业主编号为空。")))
        area = None
        if area_value is None:
            problems.append(Problem(row_number, _("面积为空。")))
        else:
            try:
                area = parse_area(area_value)
            except ValueError as exc:
                problems.append(Problem(row_number, str(exc)))
        vote = None
        if not vote_text:
            problems.append(Problem(row_number, _("表决意见为空；未参与表决请填写“未参与”。")))
        else:
            try:
                vote = parse_vote(vote_text)
            except ValueError as exc:
                problems.append(Problem(row_number, str(exc)))
        if owner_id and vote is not None and vote is not consent.Vote.ABSENT:
            head = consent.head_key(owner_id)
            earlier = owner_votes.get(head)
            if earlier is None:
                owner_votes[head] = (row_number, vote, vote_text)
            elif earlier[1] is not vote:
                problems.append(
                    Problem(
                        row_number,
                        _(
                            "业主“%(owner)s”在第%(first)d行表决为“%(first_vote)s”，"
                            "在本行（第%(row)d行）表决为“%(vote)s”；同一业主只能有一种表决意见。"
                        )
                        % {
                            "owner": owner_id,
                            "first": earlier[0],
                            "first_vote": earlier[2],
                            "row": row_number,
                            "vote": vote_text,
                        },
                    )
                )
        if len(problems) == found:
            ballots.append(consent.UnitBallot(unit_id, owner_id, area, vote))
    if problems:
        raise BallotFileRejected(problems)
    return ballots


class Command(BaseCommand):
    requires_system_checks = []
    requires_migrations_checks = False

    @property
    def help(self) -> str:
        return _("业主表决计票（《民法典》第二百七十八条），不需要数据库。")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="tally")
        tally = actions.add_parser(
            "tally",
            help=_("从逐户表决文件（.csv 或 .xlsx）计票，输出 JSON。"),
            description=_(
                "列：unit_id、owner_id、area、vote；表决意见为 同意、反对、弃权、未参与。"
            ),
        )
        tally.add_argument(
            "--ballots", required=True, metavar="FILE", help=_(".csv 或 .xlsx 表决文件")
        )
        tally.add_argument(
            "--matter",
            required=True,
            choices=[matter.value for matter in consent.Matter],
            help=_("major：第六至八项重大事项（四分之三以上）；ordinary：其他事项（过半数）"),
        )
        tally.add_argument("--out", metavar="PATH", help=_("把 JSON 结果写到此文件"))

    def handle(self, *args, action, ballots, matter, out=None, **options):
        rows = read_rows(Path(ballots))
        try:
            unit_ballots = read_ballots(rows)
        except BallotFileRejected as exc:
            lines = [
                _("表决文件有 %(count)d 处问题，未计票：") % {"count": len(exc.problems)},
                *(str(problem) for problem in exc.problems),
            ]
            raise CommandError("\n".join(lines)) from None
        try:
            result = consent.tally(unit_ballots, consent.Matter(matter))
        except ValueError as exc:  # the reader already rejects what tally would
            raise CommandError(str(exc)) from None
        language = "en" if (translation.get_language() or "").startswith("en") else "zh"
        text = json.dumps(consent.result_as_dict(result, language), ensure_ascii=False, indent=2)
        if out:
            try:
                Path(out).write_text(text + "\n", encoding="utf-8")
            except OSError as exc:
                raise CommandError(
                    _("无法写出结果文件 %(path)s：%(error)s") % {"path": out, "error": exc}
                ) from None
        else:
            self.stdout.write(text)
