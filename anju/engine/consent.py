"""Owners' consent tally: did a vote of the owners pass, exactly as the Civil Code counts it?

Rules (Civil Code art. 278; SPC interpretation on building co-ownership arts. 8–9; DOMAIN.md
"Owners' voting law"):

* Participation, every matter: owners holding at least 2/3 of the exclusive area AND at least
  2/3 of the owners ("heads") take part. "以上" includes the boundary (art. 1259), so exactly
  2/3 passes.
* Major matters, art. 278 items 6–8: agreement of at least 3/4 of the PARTICIPATING area AND at
  least 3/4 of the participating heads (exactly 3/4 passes).
* Ordinary matters, items 1–5 and 9: agreement of MORE than 1/2 of the participating area AND
  more than 1/2 of the participating heads ("过半数": exactly 1/2 fails). Using the maintenance
  fund (item 5) is ordinary; raising it (item 6) is major.
* Abstentions count in participation, not in agreement (anju's default reading, configurable
  with `Rules.abstain_counts_as_participation`; when False an abstention counts as absence).

Counting:

* Area is per unit: the unit's registered exclusive area, converted exactly to `Fraction`
  (from `Decimal`, `int`, `str` or `Fraction`; floats are refused). Every comparison is exact
  (`Fraction`), so a ratio of exactly 2/3 or 3/4 is never lost to binary rounding.
* Heads: one per exclusive unit, except that one owner (same `owner_id`) of several units is
  one head, and the developer's unsold and sold-but-undelivered units together are one head.
  The developer is marked by the owner id `DEVELOPER` ("developer"; "开发商" is read as the
  same), so the developer rule is the same-owner rule applied to that id.
* An owner of several units votes once. Their units may carry only one way of voting (AGREE,
  DISAGREE or ABSTAIN); units the owner left ABSENT simply add no area. Two different ways for
  one owner is an error (`InconsistentOwnerVote`). The owner's head participates when any of
  their units participates and agrees when their vote is AGREE.
* Zero total area or zero heads: nothing can be measured, the vote does not pass, and the
  reasons say why (no division by zero).

`tally` is one pass over the ballots with a dictionary per owner: O(n) time and memory.
`published_rows_csv` / `parse_published_csv` are the per-unit inputs a closed vote publishes
(unit, pseudonymous owner, area, vote) so that anyone can re-tally it with
`retally_from_published`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

DEVELOPER = "developer"
DEVELOPER_ALIASES = frozenset({"developer", "开发商"})

TWO_THIRDS = Fraction(2, 3)
THREE_QUARTERS = Fraction(3, 4)
ONE_HALF = Fraction(1, 2)

PUBLISHED_COLUMNS = ("unit_id", "owner_id", "area", "vote")


class Vote(StrEnum):
    AGREE = "agree"
    DISAGREE = "disagree"
    ABSTAIN = "abstain"
    ABSENT = "absent"


class Matter(StrEnum):
    """How strong the agreement must be: MAJOR for art. 278 items 6–8, ORDINARY otherwise."""

    MAJOR = "major"
    ORDINARY = "ordinary"


@dataclass(frozen=True)
class Article278Item:
    number: int
    matter: Matter
    name_zh: str
    name_en: str


ARTICLE_278_ITEMS: dict[int, Article278Item] = {
    item.number: item
    for item in (
        Article278Item(
            1,
            Matter.ORDINARY,
            "制定和修改业主大会议事规则",
            "rules of procedure of the owners' assembly",
        ),
        Article278Item(2, Matter.ORDINARY, "制定和修改管理规约", "the management covenant"),
        Article278Item(
            3,
            Matter.ORDINARY,
            "选举业主委员会或者更换业主委员会成员",
            "electing or replacing the owners' committee",
        ),
        Article278Item(
            4,
            Matter.ORDINARY,
            "选聘和解聘物业服务企业或者其他管理人",
            "hiring or dismissing the property company or other manager",
        ),
        Article278Item(
            5, Matter.ORDINARY, "使用建筑物及其附属设施的维修资金", "using the maintenance fund"
        ),
        Article278Item(
            6, Matter.MAJOR, "筹集建筑物及其附属设施的维修资金", "raising the maintenance fund"
        ),
        Article278Item(
            7,
            Matter.MAJOR,
            "改建、重建建筑物及其附属设施",
            "rebuilding or altering buildings and their ancillary facilities",
        ),
        Article278Item(
            8,
            Matter.MAJOR,
            "改变共有部分的用途或者利用共有部分从事经营活动",
            "changing the use of common parts or running a business on them",
        ),
        Article278Item(
            9,
            Matter.ORDINARY,
            "有关共有和共同管理权利的其他重大事项",
            "other major matters of common ownership and management",
        ),
    )
}


def matter_of_item(number: int) -> Matter:
    """The matter kind of art. 278 item `number` (1–9)."""
    if number not in ARTICLE_278_ITEMS:
        raise ValueError(f"Civil Code art. 278 has items 1 to 9, not {number!r}")
    return ARTICLE_278_ITEMS[number].matter


class InconsistentOwnerVote(ValueError):
    """One owner's units carry two different ways of voting."""

    def __init__(self, owner_id: str, first: Vote, second: Vote):
        self.owner_id = owner_id
        self.first = first
        self.second = second
        super().__init__(f"owner {owner_id!r} voted both {first.value} and {second.value}")


def exact_area(value: Any) -> Fraction:
    """An area as an exact Fraction: Decimal, int, Fraction or decimal text; never a float."""
    if isinstance(value, bool | float):
        raise TypeError("areas must be exact (Decimal, int, Fraction or text), not float")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"area is not a finite number: {value}")
        result = Fraction(value)
    elif isinstance(value, int | Fraction):
        result = Fraction(value)
    elif isinstance(value, str):
        result = Fraction(value.strip())
    else:
        raise TypeError(f"unsupported area type: {type(value).__name__}")
    if result < 0:
        raise ValueError(f"area cannot be negative: {value}")
    return result


def is_developer(owner_id: str) -> bool:
    return owner_id.strip().casefold() in DEVELOPER_ALIASES


def head_key(owner_id: str) -> str:
    """The person a unit's vote belongs to: the owner id, with all developer ids as one."""
    return DEVELOPER if is_developer(owner_id) else owner_id.strip()


@dataclass(frozen=True)
class UnitBallot:
    """One exclusive unit's vote. `area` is given as Decimal, int, Fraction or decimal text and
    kept exactly as a Fraction; ids are stripped; the developer's units share `DEVELOPER`."""

    unit_id: str
    owner_id: str
    area: Fraction
    vote: Vote

    def __post_init__(self):
        object.__setattr__(self, "unit_id", str(self.unit_id).strip())
        object.__setattr__(self, "owner_id", str(self.owner_id).strip())
        object.__setattr__(self, "area", exact_area(self.area))
        object.__setattr__(self, "vote", Vote(self.vote))
        if not self.unit_id:
            raise ValueError("unit_id is empty")
        if not self.owner_id:
            raise ValueError(f"owner_id of unit {self.unit_id!r} is empty")


@dataclass(frozen=True)
class Rules:
    abstain_counts_as_participation: bool = True


@dataclass(frozen=True)
class Ratio:
    """An exact ratio; a zero denominator (nothing to measure) reads as 0 and `is_defined` False."""

    numerator: Fraction
    denominator: Fraction

    @property
    def is_defined(self) -> bool:
        return self.denominator != 0

    @property
    def fraction(self) -> Fraction:
        if not self.is_defined:
            return Fraction(0)
        return Fraction(self.numerator) / Fraction(self.denominator)

    def as_string(self) -> str:
        """Reduced "p/q", always with a denominator: "2/3", "1/1", "0/1"."""
        value = self.fraction
        return f"{value.numerator}/{value.denominator}"

    @property
    def decimal(self) -> float:
        """For display only: rounded half-up to 4 places (2/3 → 0.6667)."""
        return float(round_half_up(self.fraction, 4))

    @property
    def percent(self) -> float:
        """For display only: percent rounded half-up to 2 places (2/3 → 66.67)."""
        return float(round_half_up(self.fraction * 100, 2))

    def at_least(self, threshold: Fraction) -> bool:
        return self.is_defined and self.fraction >= threshold

    def more_than(self, threshold: Fraction) -> bool:
        return self.is_defined and self.fraction > threshold


@dataclass(frozen=True)
class Check:
    """One threshold tested on area and on heads; `strict` means "more than", else "at least"."""

    area_ratio: Ratio
    head_ratio: Ratio
    threshold: Fraction
    strict: bool

    def _meets(self, ratio: Ratio) -> bool:
        return ratio.more_than(self.threshold) if self.strict else ratio.at_least(self.threshold)

    @property
    def area_met(self) -> bool:
        return self._meets(self.area_ratio)

    @property
    def head_met(self) -> bool:
        return self._meets(self.head_ratio)

    @property
    def met(self) -> bool:
        return self.area_met and self.head_met


@dataclass(frozen=True)
class Reason:
    """One step of the explanation as data: a code and its parameters (see `explain`)."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TallyResult:
    """What `tally` counted: totals (areas exact), both checks, and the reasons as data."""

    matter: Matter
    rules: Rules
    total_units: int
    total_area: Fraction
    total_heads: int
    participating_area: Fraction
    participating_heads: int
    agreeing_area: Fraction
    agreeing_heads: int
    not_voted_units: int
    participation: Check
    approval: Check
    reasons: tuple[Reason, ...]

    @property
    def passed(self) -> bool:
        return self.participation.met and self.approval.met

    @property
    def explanation(self) -> list[str]:
        return explain(self, "zh")

    @property
    def explanation_en(self) -> list[str]:
        return explain(self, "en")


def approval_threshold(matter: Matter) -> tuple[Fraction, bool]:
    """(threshold, strict) of agreement among participants for the matter."""
    if Matter(matter) is Matter.MAJOR:
        return THREE_QUARTERS, False
    return ONE_HALF, True


def tally(
    ballots: Iterable[UnitBallot], matter: Matter | str, rules: Rules | None = None
) -> TallyResult:
    """Count the ballots of one vote. Raises ValueError for a repeated unit and
    `InconsistentOwnerVote` for an owner who voted two ways."""
    matter = Matter(matter)
    rules = rules or Rules()
    participating_votes = {Vote.AGREE, Vote.DISAGREE}
    if rules.abstain_counts_as_participation:
        participating_votes.add(Vote.ABSTAIN)

    seen_units: set[str] = set()
    owner_vote: dict[str, Vote] = {}  # head → the one way they voted (absent when never voted)
    total_area = participating_area = agreeing_area = Fraction(0)
    total_units = not_voted_units = 0
    for ballot in ballots:
        if ballot.unit_id in seen_units:
            raise ValueError(f"unit {ballot.unit_id!r} appears twice")
        seen_units.add(ballot.unit_id)
        total_units += 1
        total_area += ballot.area
        head = head_key(ballot.owner_id)
        previous = owner_vote.get(head, Vote.ABSENT)
        if ballot.vote is Vote.ABSENT:
            not_voted_units += 1
            owner_vote[head] = previous
            continue
        if previous is not Vote.ABSENT and previous is not ballot.vote:
            raise InconsistentOwnerVote(head, previous, ballot.vote)
        owner_vote[head] = ballot.vote
        if ballot.vote in participating_votes:
            participating_area += ballot.area
        if ballot.vote is Vote.AGREE:
            agreeing_area += ballot.area

    total_heads = len(owner_vote)
    participating_heads = sum(1 for vote in owner_vote.values() if vote in participating_votes)
    agreeing_heads = sum(1 for vote in owner_vote.values() if vote is Vote.AGREE)

    participation = Check(
        area_ratio=Ratio(participating_area, total_area),
        head_ratio=Ratio(Fraction(participating_heads), Fraction(total_heads)),
        threshold=TWO_THIRDS,
        strict=False,
    )
    threshold, strict = approval_threshold(matter)
    approval = Check(
        area_ratio=Ratio(agreeing_area, participating_area),
        head_ratio=Ratio(Fraction(agreeing_heads), Fraction(participating_heads)),
        threshold=threshold,
        strict=strict,
    )
    unmeasured = TallyResult(
        matter=matter,
        rules=rules,
        total_units=total_units,
        total_area=total_area,
        total_heads=total_heads,
        participating_area=participating_area,
        participating_heads=participating_heads,
        agreeing_area=agreeing_area,
        agreeing_heads=agreeing_heads,
        not_voted_units=not_voted_units,
        participation=participation,
        approval=approval,
        reasons=(),
    )
    return replace(unmeasured, reasons=tuple(reasons_for(unmeasured)))


def reasons_for(result: TallyResult) -> list[Reason]:
    """The explanation of a result as data, in the order a reader checks the rules."""
    reasons = [Reason("matter", {"matter": result.matter.value})]
    if result.total_units == 0:
        reasons.append(Reason("no_ballots"))
    elif result.total_area == 0:
        reasons.append(Reason("zero_total_area"))
    participation = result.participation
    approval = result.approval
    if result.total_area:
        reasons.append(
            Reason(
                "participation_area",
                {
                    "area": area_text(result.participating_area),
                    "total": area_text(result.total_area),
                    "ratio": participation.area_ratio,
                    "met": participation.area_met,
                },
            )
        )
    if result.total_heads:
        reasons.append(
            Reason(
                "participation_heads",
                {
                    "heads": result.participating_heads,
                    "total": result.total_heads,
                    "ratio": participation.head_ratio,
                    "met": participation.head_met,
                },
            )
        )
    if result.participating_heads == 0 and result.total_units:
        reasons.append(Reason("nobody_participated"))
    else:
        if result.participating_heads and not result.participating_area:
            reasons.append(Reason("zero_participating_area"))
        code = "approval_major" if result.matter is Matter.MAJOR else "approval_ordinary"
        if result.participating_area:
            reasons.append(
                Reason(
                    code + "_area",
                    {
                        "area": area_text(result.agreeing_area),
                        "total": area_text(result.participating_area),
                        "ratio": approval.area_ratio,
                        "met": approval.area_met,
                    },
                )
            )
        if result.participating_heads:
            reasons.append(
                Reason(
                    code + "_heads",
                    {
                        "heads": result.agreeing_heads,
                        "total": result.participating_heads,
                        "ratio": approval.head_ratio,
                        "met": approval.head_met,
                    },
                )
            )
    reasons.append(Reason("passed" if result.passed else "failed"))
    return reasons


TEMPLATES = {
    "zh": {
        "matter": "表决事项：{matter}。",
        "matter.major": "《民法典》第二百七十八条第六至八项规定的重大事项（同意须达四分之三以上）",
        "matter.ordinary": "一般事项（同意须过半数）",
        "no_ballots": "没有任何表决记录，无法计票。",
        "zero_total_area": "专有部分总面积为零，无法按面积计票。",
        "participation_area": (
            "参与表决的专有面积 {area} ㎡，占总面积 {total} ㎡ 的 {ratio}（{percent}%），"
            "{met}三分之二以上。"
        ),
        "participation_heads": (
            "参与表决的业主 {heads} 人，占业主总人数 {total} 人的 {ratio}（{percent}%），"
            "{met}三分之二以上。"
        ),
        "nobody_participated": "没有业主参与表决。",
        "zero_participating_area": "参与表决的专有面积为零，无法按面积计算同意比例。",
        "approval_major_area": (
            "同意的专有面积 {area} ㎡，占参与表决面积 {total} ㎡ 的 {ratio}（{percent}%），"
            "{met}四分之三以上。"
        ),
        "approval_major_heads": (
            "同意的业主 {heads} 人，占参与表决业主 {total} 人的 {ratio}（{percent}%），"
            "{met}四分之三以上。"
        ),
        "approval_ordinary_area": (
            "同意的专有面积 {area} ㎡，占参与表决面积 {total} ㎡ 的 {ratio}（{percent}%），"
            "{met}半数。"
        ),
        "approval_ordinary_heads": (
            "同意的业主 {heads} 人，占参与表决业主 {total} 人的 {ratio}（{percent}%），{met}半数。"
        ),
        "passed": "表决通过。",
        "failed": "表决未通过。",
        "met.at_least": ("达到", "未达到"),
        "met.more_than": ("超过", "未超过"),
    },
    "en": {
        "matter": "Matter: {matter}.",
        "matter.major": "a major matter, Civil Code art. 278 items 6–8 (at least 3/4 must agree)",
        "matter.ordinary": "an ordinary matter (more than half must agree)",
        "no_ballots": "There are no ballots to count.",
        "zero_total_area": "The total exclusive area is zero; area cannot be counted.",
        "participation_area": (
            "Participating exclusive area {area} m² is {ratio} ({percent}%) of the total "
            "{total} m², {met} two-thirds."
        ),
        "participation_heads": (
            "{heads} participating owners are {ratio} ({percent}%) of all {total} owners, "
            "{met} two-thirds."
        ),
        "nobody_participated": "No owner took part in the vote.",
        "zero_participating_area": (
            "The participating area is zero; agreement by area cannot be measured."
        ),
        "approval_major_area": (
            "Agreeing area {area} m² is {ratio} ({percent}%) of the participating {total} m², "
            "{met} three-quarters."
        ),
        "approval_major_heads": (
            "{heads} agreeing owners are {ratio} ({percent}%) of {total} participating owners, "
            "{met} three-quarters."
        ),
        "approval_ordinary_area": (
            "Agreeing area {area} m² is {ratio} ({percent}%) of the participating {total} m², "
            "{met} half."
        ),
        "approval_ordinary_heads": (
            "{heads} agreeing owners are {ratio} ({percent}%) of {total} participating owners, "
            "{met} half."
        ),
        "passed": "The vote passed.",
        "failed": "The vote did not pass.",
        "met.at_least": ("reaching at least", "short of"),
        "met.more_than": ("more than", "not more than"),
    },
}


def explain(result: TallyResult, language: str = "zh") -> list[str]:
    """The reasons as short sentences in Chinese ("zh") or English ("en")."""
    templates = TEMPLATES["en" if language.lower().startswith("en") else "zh"]
    sentences = []
    for reason in result.reasons:
        params = dict(reason.params)
        if reason.code == "matter":
            params["matter"] = templates["matter." + params["matter"]]
        if isinstance(params.get("ratio"), Ratio):
            ratio = params["ratio"]
            params["percent"] = f"{ratio.percent:.2f}"
            params["ratio"] = ratio.as_string()
        if "met" in params:
            strict = reason.code.startswith("approval_ordinary")
            words = templates["met.more_than" if strict else "met.at_least"]
            params["met"] = words[0] if params["met"] else words[1]
        sentences.append(templates[reason.code].format(**params))
    return sentences


def ratio_as_dict(ratio: Ratio) -> dict[str, Any]:
    return {"fraction": ratio.as_string(), "decimal": ratio.decimal}


def result_as_dict(result: TallyResult, language: str = "zh") -> dict[str, Any]:
    """The result as JSON-ready data: ratios as exact "p/q" strings plus a display decimal,
    areas as exact decimal text, and the explanation in `language`."""

    def check(value: Check) -> dict[str, Any]:
        return {
            "area_ratio": ratio_as_dict(value.area_ratio),
            "head_ratio": ratio_as_dict(value.head_ratio),
            "threshold": f"{value.threshold.numerator}/{value.threshold.denominator}",
            "strict": value.strict,
            "met": value.met,
        }

    return {
        "matter": result.matter.value,
        "participation": check(result.participation),
        "approval": check(result.approval),
        "passed": result.passed,
        "explanation": explain(result, language),
        "totals": {
            "units": result.total_units,
            "area": area_text(result.total_area),
            "heads": result.total_heads,
            "participating_area": area_text(result.participating_area),
            "participating_heads": result.participating_heads,
            "agreeing_area": area_text(result.agreeing_area),
            "agreeing_heads": result.agreeing_heads,
            "not_voted_units": result.not_voted_units,
        },
        "rules": {"abstain_counts_as_participation": result.rules.abstain_counts_as_participation},
    }


# --- display helpers -------------------------------------------------------------------------


def round_half_up(value: Fraction, places: int) -> Decimal:
    scale = 10**places
    scaled = value * scale
    rounded = (scaled.numerator * 2 + scaled.denominator) // (scaled.denominator * 2)
    return Decimal(rounded).scaleb(-places)


def area_text(value: Fraction) -> str:
    """An exact area as decimal text ("66.66"); "p/q" when it has no finite decimal form."""
    twos = fives = 0
    rest = value.denominator
    while rest % 2 == 0:
        rest //= 2
        twos += 1
    while rest % 5 == 0:
        rest //= 5
        fives += 1
    if rest != 1:
        return f"{value.numerator}/{value.denominator}"
    places = max(twos, fives)
    scaled = value.numerator * 10**places // value.denominator
    return format(Decimal(scaled).scaleb(-places), "f")


# --- published inputs ------------------------------------------------------------------------


def published_rows_csv(ballots: Iterable[UnitBallot]) -> str:
    """The per-unit inputs of a closed vote as CSV text (unit_id, owner_id, area, vote), areas
    written exactly, so that anyone can re-tally with `parse_published_csv` + `tally`."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(PUBLISHED_COLUMNS)
    for ballot in ballots:
        writer.writerow([ballot.unit_id, ballot.owner_id, area_text(ballot.area), ballot.vote])
    return buffer.getvalue()


def parse_published_csv(text: str) -> list[UnitBallot]:
    """Read `published_rows_csv` text back; ValueError names the 1-based line of a bad row."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header = next(reader, None)
    if header is None or tuple(cell.strip().lower() for cell in header) != PUBLISHED_COLUMNS:
        raise ValueError(f"line 1: expected the header {','.join(PUBLISHED_COLUMNS)}")
    ballots = []
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(PUBLISHED_COLUMNS):
            raise ValueError(f"line {line}: expected 4 values, got {len(row)}")
        unit_id, owner_id, area, vote = (cell.strip() for cell in row)
        try:
            ballots.append(UnitBallot(unit_id, owner_id, area, Vote(vote.lower())))
        except (ValueError, TypeError, ZeroDivisionError) as exc:
            raise ValueError(f"line {line}: {exc}") from None
    return ballots


def retally_from_published(
    rows: Iterable[Mapping[str, Any] | Sequence[Any]],
    matter: Matter | str,
    rules: Rules | None = None,
) -> TallyResult:
    """Re-tally a closed vote from its published per-unit rows: mappings with the keys
    unit_id, owner_id, area, vote, or sequences in that order. Areas must be exact."""
    ballots = []
    for row in rows:
        if isinstance(row, Mapping):
            values = [row[key] for key in PUBLISHED_COLUMNS]
        else:
            values = list(row)
        unit_id, owner_id, area, vote = values
        ballots.append(UnitBallot(str(unit_id), str(owner_id), area, Vote(str(vote).lower())))
    return tally(ballots, matter, rules)
