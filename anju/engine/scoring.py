"""Comprehensive scoring of candidate compounds (综合评估打分): who is renovated first, and why.

A scoring model is a versioned list of indicators. Each indicator has a key, a Chinese and an
English name, a weight, a direction and a normalisation:

* Direction (MCDA's benefit and cost criteria). `HIGHER_RAISES_PRIORITY` is a benefit
  criterion: a higher raw value puts the compound earlier, either because it is worse off
  (older buildings, more hazards) or because it is readier (stronger will, organised owners).
  `HIGHER_LOWERS_PRIORITY` is a cost criterion. The names say what the number does to the
  priority, so that "a high response rate" is never called "worse off"; `Direction.parse` also
  reads "benefit"/"higher_is_worse_off" and "cost"/"higher_is_better".
* Normalisation to a share s in [0, 1] of the indicator's points, computed over the candidates
  of the round that have a value:
  - MIN_MAX: s = (x − min) / (max − min), or (max − x) / (max − min) for a cost criterion;
  - RANK (percentile with mid-ranks): s = (L + (T − 1)/2) / (m − 1), where L candidates have a
    strictly lower value, T (including this one) the same value, m have a value; reversed
    (strictly higher values) for a cost criterion. Tied values get the same share;
  - BANDS: a list of (lower bound, points); the value takes the points of the highest bound at
    or below it (values below the first bound fall in the first band), s = points / max(points).
    Points must not decrease with the bound for a benefit criterion, nor increase for a cost
    criterion, so the bands carry the direction themselves.
  When every candidate has the same value (or only one has a value), MIN_MAX and RANK give each
  of them s = 1/2: the indicator neither lifts nor sinks anybody.
* Missing values (no survey yet, no vote yet) contribute 0 points and are flagged, so that a
  district knows what to fill in; they do not enter the min, max or ranks of the others.

Weights are typed (any non-negative numbers, normalised to sum 1) or derived by the analytic
hierarchy process (AHP, Saaty 1980) from a pairwise comparison matrix on Saaty's 1/9..9 scale,
which must be reciprocal (a_ji·a_ij within 5% of 1, so that reciprocals typed to two
decimals, 0.33, 0.14 or 0.13, are read as 1/3, 1/7 or 1/8; the upper triangle is then taken as
given). Weights are the principal right eigenvector of the matrix (`numpy.linalg.eig`, Saaty's
method, the default) or the normalised row geometric means (`AhpMethod.GEOMETRIC_MEAN`,
Crawford–Williams). Either way λmax is the principal eigenvalue,
CI = (λmax − n)/(n − 1), CR = CI/RI with Saaty's random index RI (n = 1..15: 0, 0, 0.58, 0.90,
1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59; CR = 0 for n ≤ 2), and a
matrix with CR > 0.1 is refused. The refusal names the most inconsistent judgements: with
ε_ij = a_ij·w_j/w_i, λmax − n = (1/n)·Σ_{i<j} (ε_ij + 1/ε_ij − 2) exactly for eigenvector
weights, so each pair's term is its share of the inconsistency; the three largest are reported
with the judgement given and the one the weights imply.

Scores: with weights w (sum 1) and shares s, an indicator contributes c = 100·w·s points and a
candidate's total is the sum of its contributions, added column by column in the model's order
(so equal inputs give bit-identical totals wherever the row sits), then rounded to
`TOTAL_DECIMALS` places. Ranks are competition ranks on the rounded total (1, 2, 2, 4): equal
totals share a rank, and the published order breaks ties by candidate id. Each candidate's
result depends only on the multiset of candidates, never on their input order.

The shipped `DEFAULT_MODEL` follows Wuhan's three criteria (问题集中突出, 群众意愿强,
党建基础好; Hanyang also scores house condition and urgency) plus households benefited. No
published points table was found (DOMAIN.md), so its weights are anju's own default:

    问题集中突出 problems concentrated and severe           45
      building_age 楼龄, bands on years                      15
      safety_hazards 安全隐患 (severity-weighted), rank       12
      facility_gaps 设施短板 (severity-weighted), rank         8
      urgent_need_share 急难愁盼占比, min-max                  5
      vulnerable_share 困难群体占比, min-max                   5
    群众意愿强 residents' will                              30
      response_rate 问需回应率, min-max                       10
      consent_agreement_area 表决同意面积比例, bands          12
      willing_share 出资出力意愿, min-max                      8
    党建基础好 community organisation                        15
      party_organisation 党组织, bands                          6
      owners_committee 业委会, bands                            4
      management_status 物业管理, bands                         5
    households_benefited 受益户数, rank                       10

Complexity: scoring n candidates on k indicators is O(n·k) for MIN_MAX and BANDS plus
O(n log n) per RANK indicator and O(n log n) for the ranking, in numpy; memory O(n·k) floats.
AHP is O(n³) on an n × n matrix (n ≤ 15).
"""

from __future__ import annotations

import itertools
import math
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from fractions import Fraction
from typing import Any

import numpy as np

TOTAL_POINTS = 100
TOTAL_DECIMALS = 6
MAX_CONSISTENCY_RATIO = 0.1
RECIPROCAL_TOLERANCE = 0.05
SAATY_MIN = 1 / 9
SAATY_MAX = 9.0
# Saaty's random consistency index for n = 1..15 (Saaty, The Analytic Hierarchy Process, 1980).
RANDOM_INDEX = (
    0.0,
    0.0,
    0.58,
    0.90,
    1.12,
    1.24,
    1.32,
    1.41,
    1.45,
    1.49,
    1.51,
    1.48,
    1.56,
    1.57,
    1.59,
)
MOST_INCONSISTENT_REPORTED = 3


class Direction(StrEnum):
    HIGHER_RAISES_PRIORITY = "higher_raises_priority"
    HIGHER_LOWERS_PRIORITY = "higher_lowers_priority"

    @classmethod
    def parse(cls, value: str) -> Direction:
        """The direction from its value or an MCDA synonym ("benefit", "cost",
        "higher_is_worse_off", "higher_is_better")."""
        text = str(value).strip().lower()
        if text in DIRECTION_SYNONYMS:
            return DIRECTION_SYNONYMS[text]
        return cls(text)


DIRECTION_SYNONYMS = {
    "benefit": Direction.HIGHER_RAISES_PRIORITY,
    "higher_is_worse_off": Direction.HIGHER_RAISES_PRIORITY,
    "cost": Direction.HIGHER_LOWERS_PRIORITY,
    "higher_is_better": Direction.HIGHER_LOWERS_PRIORITY,
}


class Normalisation(StrEnum):
    MIN_MAX = "min_max"
    RANK = "rank"
    BANDS = "bands"


class Measure(StrEnum):
    """How a raw value reads to a person (for explanations only)."""

    NUMBER = "number"
    YEARS = "years"
    SHARE = "share"  # a ratio in [0, 1], shown as a percentage
    HOUSEHOLDS = "households"
    WEIGHTED_COUNT = "weighted_count"
    LEVEL = "level"  # a coded category; `labels` names each code


class AhpMethod(StrEnum):
    EIGENVECTOR = "eigenvector"
    GEOMETRIC_MEAN = "geometric_mean"


class ScoringError(ValueError):
    """A model, a matrix or an input the engine refuses; `messages(language)` says why."""

    def __init__(self, code: str, **params: Any):
        self.code = code
        self.params = params
        super().__init__(" ".join(self.messages("en")))

    def messages(self, language: str = "zh") -> list[str]:
        templates = ERROR_TEMPLATES[_language(language)]
        return [templates[self.code].format(**self.params)]


class InconsistentJudgements(ScoringError):
    """An AHP matrix whose consistency ratio exceeds 0.1; `judgements` are the worst pairs."""

    def __init__(self, result: AhpResult, judgements: Sequence[Judgement]):
        self.result = result
        self.judgements = tuple(judgements)
        super().__init__("inconsistent", ratio=f"{result.consistency_ratio:.3f}")

    def messages(self, language: str = "zh") -> list[str]:
        templates = ERROR_TEMPLATES[_language(language)]
        lines = [templates["inconsistent"].format(**self.params)]
        lines.extend(judgement.message(language) for judgement in self.judgements)
        return lines


@dataclass(frozen=True)
class Indicator:
    key: str
    name_zh: str
    name_en: str
    weight: float
    direction: Direction = Direction.HIGHER_RAISES_PRIORITY
    normalisation: Normalisation = Normalisation.MIN_MAX
    bands: tuple[tuple[float, float], ...] = ()
    criterion: str = ""
    measure: Measure = Measure.NUMBER
    labels: Mapping[float, tuple[str, str]] = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "direction", Direction.parse(self.direction))
        object.__setattr__(self, "normalisation", Normalisation(self.normalisation))
        object.__setattr__(self, "measure", Measure(self.measure))
        object.__setattr__(
            self, "bands", tuple((float(bound), float(points)) for bound, points in self.bands)
        )
        object.__setattr__(
            self, "labels", {float(code): tuple(names) for code, names in self.labels.items()}
        )
        if not self.key or not self.key.replace("_", "").isalnum():
            raise ScoringError("bad_key", key=self.key)
        weight = float(self.weight)
        if not math.isfinite(weight) or weight < 0:
            raise ScoringError("bad_weight", key=self.key, weight=self.weight)
        object.__setattr__(self, "weight", weight)
        if self.normalisation is Normalisation.BANDS:
            self._check_bands()
        elif self.bands:
            raise ScoringError("bands_without_bands", key=self.key)

    def _check_bands(self) -> None:
        bounds = [bound for bound, _ in self.bands]
        points = [value for _, value in self.bands]
        if not self.bands or not all(math.isfinite(v) for v in bounds + points):
            raise ScoringError("bands_empty", key=self.key)
        if any(b <= a for a, b in itertools.pairwise(bounds)):
            raise ScoringError("bands_not_increasing", key=self.key)
        if min(points) < 0 or max(points) <= 0:
            raise ScoringError("bands_points", key=self.key)
        pairs = list(itertools.pairwise(points))
        if self.direction is Direction.HIGHER_RAISES_PRIORITY:
            against = any(b < a for a, b in pairs)
        else:
            against = any(b > a for a, b in pairs)
        if against:
            raise ScoringError("bands_against_direction", key=self.key)

    def name(self, language: str = "zh") -> str:
        return self.name_en if _language(language) == "en" else self.name_zh

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "weight": self.weight,
            "direction": self.direction.value,
            "normalisation": self.normalisation.value,
            "bands": [list(band) for band in self.bands],
            "criterion": self.criterion,
            "measure": self.measure.value,
            "labels": [[code, *names] for code, names in self.labels.items()],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Indicator:
        values = dict(data)
        values["bands"] = tuple(tuple(band) for band in values.get("bands", ()))
        values["labels"] = {row[0]: (row[1], row[2]) for row in values.get("labels", ())}
        return cls(**values)


@dataclass(frozen=True)
class Criterion:
    """A group of indicators, as Wuhan's criteria group them (for subtotals in explanations)."""

    key: str
    name_zh: str
    name_en: str

    def name(self, language: str = "zh") -> str:
        return self.name_en if _language(language) == "en" else self.name_zh


@dataclass(frozen=True)
class ScoringModel:
    key: str
    version: int
    name_zh: str
    name_en: str
    indicators: tuple[Indicator, ...]
    criteria: tuple[Criterion, ...] = ()
    note_zh: str = ""
    note_en: str = ""

    def __post_init__(self):
        object.__setattr__(self, "indicators", tuple(self.indicators))
        object.__setattr__(self, "criteria", tuple(self.criteria))
        if not self.indicators:
            raise ScoringError("no_indicators")
        keys = [indicator.key for indicator in self.indicators]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            raise ScoringError("duplicate_indicator", key=duplicates[0])
        if sum(indicator.weight for indicator in self.indicators) <= 0:
            raise ScoringError("zero_weights")
        known = {criterion.key for criterion in self.criteria}
        for indicator in self.indicators:
            if indicator.criterion and indicator.criterion not in known:
                raise ScoringError(
                    "unknown_criterion", key=indicator.key, criterion=indicator.criterion
                )
        if int(self.version) < 1:
            raise ScoringError("bad_version", version=self.version)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(indicator.key for indicator in self.indicators)

    @property
    def label(self) -> str:
        return f"{self.key} v{self.version}"

    @property
    def weights(self) -> np.ndarray:
        """The weights normalised to sum 1, in indicator order."""
        raw = np.array([indicator.weight for indicator in self.indicators], dtype=float)
        return raw / raw.sum()

    def indicator(self, key: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.key == key:
                return indicator
        raise ScoringError("unknown_indicator", key=key)

    def name(self, language: str = "zh") -> str:
        return self.name_en if _language(language) == "en" else self.name_zh

    def with_weights(
        self, weights: Mapping[str, float] | Sequence[float], *, version: int | None = None
    ) -> ScoringModel:
        """A new version with typed weights (by key, or in indicator order)."""
        if isinstance(weights, Mapping):
            unknown = sorted(set(weights) - set(self.keys))
            if unknown:
                raise ScoringError("unknown_indicator", key=unknown[0])
            values = [weights.get(key, 0.0) for key in self.keys]
        else:
            values = list(weights)
            if len(values) != len(self.indicators):
                raise ScoringError("weight_count", given=len(values), expected=len(self.indicators))
        indicators = tuple(
            replace(indicator, weight=value)
            for indicator, value in zip(self.indicators, values, strict=True)
        )
        return replace(self, indicators=indicators, version=version or self.version + 1)

    def with_ahp(
        self,
        matrix: Sequence[Sequence[Any]],
        *,
        method: AhpMethod = AhpMethod.EIGENVECTOR,
        version: int | None = None,
    ) -> tuple[ScoringModel, AhpResult]:
        """A new version weighted by AHP over all indicators (rows and columns in indicator
        order); raises `InconsistentJudgements` when CR > 0.1."""
        names = [(indicator.name_zh, indicator.name_en) for indicator in self.indicators]
        result = ahp_weights(matrix, names=names, method=method)
        return self.with_weights(list(result.weights), version=version), result

    def with_grouped_ahp(
        self,
        criteria_matrix: Sequence[Sequence[Any]],
        within: Mapping[str, Sequence[Sequence[Any]]],
        *,
        method: AhpMethod = AhpMethod.EIGENVECTOR,
        version: int | None = None,
    ) -> tuple[ScoringModel, dict[str, AhpResult]]:
        """A new version weighted by a two-level AHP hierarchy (Saaty keeps each matrix to
        about 7 ± 2 items): one matrix over the criteria (in `criteria` order), one per
        criterion over its indicators (in model order); a criterion with one indicator needs
        none. An indicator's weight is its criterion's weight times its local weight."""
        groups = {criterion.key: [] for criterion in self.criteria}
        for position, indicator in enumerate(self.indicators):
            if not indicator.criterion:
                raise ScoringError("ungrouped_indicator", key=indicator.key)
            groups[indicator.criterion].append(position)
        criteria = [c for c in self.criteria if groups[c.key]]
        results = {
            "": ahp_weights(
                criteria_matrix, names=[(c.name_zh, c.name_en) for c in criteria], method=method
            )
        }
        weights = [0.0] * len(self.indicators)
        for criterion, criterion_weight in zip(criteria, results[""].weights, strict=True):
            members = groups[criterion.key]
            if len(members) == 1 and criterion.key not in within:
                weights[members[0]] = criterion_weight
                continue
            if criterion.key not in within:
                raise ScoringError("missing_matrix", criterion=criterion.name_en)
            names = [(self.indicators[p].name_zh, self.indicators[p].name_en) for p in members]
            local = ahp_weights(within[criterion.key], names=names, method=method)
            results[criterion.key] = local
            for position, local_weight in zip(members, local.weights, strict=True):
                weights[position] = criterion_weight * local_weight
        return self.with_weights(weights, version=version), results

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, so that a scoring round can freeze the exact model it used."""
        return {
            "key": self.key,
            "version": self.version,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "note_zh": self.note_zh,
            "note_en": self.note_en,
            "criteria": [[c.key, c.name_zh, c.name_en] for c in self.criteria],
            "indicators": [indicator.as_dict() for indicator in self.indicators],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScoringModel:
        return cls(
            key=data["key"],
            version=int(data["version"]),
            name_zh=data["name_zh"],
            name_en=data["name_en"],
            note_zh=data.get("note_zh", ""),
            note_en=data.get("note_en", ""),
            criteria=tuple(Criterion(*row) for row in data.get("criteria", ())),
            indicators=tuple(Indicator.from_dict(row) for row in data["indicators"]),
        )


# --- AHP -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Judgement:
    """One pairwise judgement, oriented so that `given` ≥ 1 ("a over b is `given`")."""

    more: int
    less: int
    given: float
    implied: float
    inconsistency: float
    names_zh: tuple[str, str]
    names_en: tuple[str, str]

    def message(self, language: str = "zh") -> str:
        names = self.names_en if _language(language) == "en" else self.names_zh
        return ERROR_TEMPLATES[_language(language)]["judgement"].format(
            more=names[0],
            less=names[1],
            given=_judgement_text(self.given),
            implied=_judgement_text(self.implied, approximate=True),
        )


@dataclass(frozen=True)
class AhpResult:
    weights: tuple[float, ...]
    method: AhpMethod
    lambda_max: float
    consistency_index: float
    random_index: float
    consistency_ratio: float

    @property
    def is_consistent(self) -> bool:
        return self.consistency_ratio <= MAX_CONSISTENCY_RATIO


def ahp_weights(
    matrix: Sequence[Sequence[Any]],
    *,
    names: Sequence[str | tuple[str, str]] | None = None,
    method: AhpMethod = AhpMethod.EIGENVECTOR,
    max_ratio: float = MAX_CONSISTENCY_RATIO,
) -> AhpResult:
    """Weights from a pairwise comparison matrix (see the module docstring). Entries may be
    numbers, Fractions or text such as "1/3". Raises `ScoringError` for a matrix that is not
    square, positive, on Saaty's scale or reciprocal, and `InconsistentJudgements` when
    CR > `max_ratio`."""
    method = AhpMethod(method)
    a = _comparison_matrix(matrix)
    n = a.shape[0]
    names_zh, names_en = _names(names, n)
    values, vectors = np.linalg.eig(a)
    principal = int(np.argmax(values.real))
    lambda_max = float(values[principal].real)
    eigenvector = np.abs(vectors[:, principal].real)
    eigenvector = eigenvector / eigenvector.sum()
    if method is AhpMethod.EIGENVECTOR:
        weights = eigenvector
    else:
        weights = np.exp(np.log(a).mean(axis=1))
        weights = weights / weights.sum()
    random_index = RANDOM_INDEX[n - 1]
    consistency_index = max(0.0, (lambda_max - n) / (n - 1)) if n > 1 else 0.0
    ratio = consistency_index / random_index if random_index else 0.0
    result = AhpResult(
        weights=tuple(float(w) for w in weights),
        method=method,
        lambda_max=lambda_max,
        consistency_index=consistency_index,
        random_index=random_index,
        consistency_ratio=ratio,
    )
    if ratio > max_ratio:
        worst = most_inconsistent(a, eigenvector, names_zh, names_en)
        raise InconsistentJudgements(result, worst[:MOST_INCONSISTENT_REPORTED])
    return result


def most_inconsistent(
    a: np.ndarray,
    weights: np.ndarray,
    names_zh: Sequence[str],
    names_en: Sequence[str],
) -> list[Judgement]:
    """All pairs i < j by their term (ε + 1/ε − 2)/n of λmax − n, largest first."""
    n = a.shape[0]
    judgements = []
    for i in range(n):
        for j in range(i + 1, n):
            implied = float(weights[i] / weights[j])
            epsilon = a[i, j] / implied
            share = (epsilon + 1 / epsilon - 2) / n
            more, less, given = (i, j, a[i, j]) if a[i, j] >= 1 else (j, i, a[j, i])
            if more != i:
                implied = 1 / implied
            judgements.append(
                Judgement(
                    more=more,
                    less=less,
                    given=float(given),
                    implied=implied,
                    inconsistency=float(share),
                    names_zh=(names_zh[more], names_zh[less]),
                    names_en=(names_en[more], names_en[less]),
                )
            )
    judgements.sort(key=lambda j: (-j.inconsistency, min(j.more, j.less), max(j.more, j.less)))
    return judgements


def comparison_matrix(
    keys: Sequence[str], judgements: Mapping[tuple[str, str], Any]
) -> list[list[float]]:
    """A full reciprocal matrix from judgements keyed (a, b) meaning "a over b"; pairs left
    out are equal (1). A pair judged both ways must be reciprocal."""
    position = {key: index for index, key in enumerate(keys)}
    n = len(keys)
    a = [[1.0] * n for _ in range(n)]
    given: dict[tuple[int, int], float] = {}
    for (first, second), value in judgements.items():
        if first not in position or second not in position:
            raise ScoringError("unknown_indicator", key=first if first not in position else second)
        i, j = position[first], position[second]
        number = _number(value)
        if (j, i) in given and abs(given[(j, i)] * number - 1) > RECIPROCAL_TOLERANCE:
            raise ScoringError("not_reciprocal", i=j + 1, j=i + 1, a=given[(j, i)], b=number)
        given[(i, j)] = number
        a[i][j] = number
        a[j][i] = 1 / number
    return a


def _comparison_matrix(matrix: Sequence[Sequence[Any]]) -> np.ndarray:
    rows = [list(row) for row in matrix]
    n = len(rows)
    if n == 0 or any(len(row) != n for row in rows):
        raise ScoringError("not_square")
    if n > len(RANDOM_INDEX):
        raise ScoringError("too_many", n=n, limit=len(RANDOM_INDEX))
    a = np.array([[_number(value) for value in row] for row in rows], dtype=float)
    for i in range(n):
        for j in range(n):
            value = a[i, j]
            if not math.isfinite(value) or value <= 0:
                raise ScoringError("not_positive", i=i + 1, j=j + 1, value=_plain(value))
            if i == j and abs(value - 1) > 1e-9:
                raise ScoringError("diagonal", i=i + 1, value=_plain(value))
            if value < SAATY_MIN * (1 - 1e-9) or value > SAATY_MAX * (1 + 1e-9):
                raise ScoringError("off_scale", i=i + 1, j=j + 1, value=_plain(value))
    for i in range(n):
        for j in range(i + 1, n):
            if abs(a[i, j] * a[j, i] - 1) > RECIPROCAL_TOLERANCE:
                raise ScoringError(
                    "not_reciprocal", i=i + 1, j=j + 1, a=_plain(a[i, j]), b=_plain(a[j, i])
                )
            a[j, i] = 1 / a[i, j]
    return a


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise ScoringError("not_a_number", value=value)
    try:
        if isinstance(value, str):
            return float(Fraction(value.strip()))
        return float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        raise ScoringError("not_a_number", value=value) from None


def _names(names: Sequence[str | tuple[str, str]] | None, n: int) -> tuple[list[str], list[str]]:
    if names is None:
        return [f"指标{i + 1}" for i in range(n)], [f"indicator {i + 1}" for i in range(n)]
    if len(names) != n:
        raise ScoringError("weight_count", given=len(names), expected=n)
    zh = [name if isinstance(name, str) else name[0] for name in names]
    en = [name if isinstance(name, str) else name[1] for name in names]
    return zh, en


def _plain(value: float) -> str:
    return f"{value:g}"


def _judgement_text(value: float, *, approximate: bool = False) -> str:
    if approximate:
        return f"{value:.1f}" if value >= 1 else f"1/{1 / value:.1f}"
    if abs(value - round(value)) < 1e-6:
        return str(round(value))
    return f"{value:.2f}"


# --- Scoring ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorScore:
    key: str
    name_zh: str
    name_en: str
    raw: float | None
    share: float
    contribution: float
    max_points: float

    @property
    def is_missing(self) -> bool:
        return self.raw is None


@dataclass(frozen=True)
class CandidateScore:
    """One candidate's line of the published table."""

    id: Any
    rank: int
    total: float
    indicators: tuple[IndicatorScore, ...]

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(score.key for score in self.indicators if score.is_missing)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "rank": self.rank,
            "total": self.total,
            "missing": list(self.missing),
            "indicators": [
                {
                    "key": score.key,
                    "raw": score.raw,
                    "share": score.share,
                    "contribution": score.contribution,
                    "max_points": score.max_points,
                }
                for score in self.indicators
            ],
        }


@dataclass(frozen=True)
class ScoringTable:
    """Every candidate's rank, total, raw values, shares and contributions, as arrays in input
    order; `order` lists the rows as published (rank, then id)."""

    model: ScoringModel
    ids: np.ndarray
    raw: np.ndarray  # n × k, NaN where missing
    shares: np.ndarray  # n × k in [0, 1], 0 where missing
    contributions: np.ndarray  # n × k points
    totals: np.ndarray  # n, rounded to TOTAL_DECIMALS
    ranks: np.ndarray  # n, competition ranks
    order: np.ndarray  # row indices in published order
    low: np.ndarray  # k, the lowest value present per indicator (NaN when none)
    high: np.ndarray  # k, the highest
    _rows: dict = field(default_factory=dict, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def missing(self) -> np.ndarray:
        return np.isnan(self.raw)

    def row_of(self, candidate_id: Any) -> int:
        if not self._rows:
            self._rows.update({key: row for row, key in enumerate(self.ids.tolist())})
        try:
            return self._rows[candidate_id]
        except KeyError:
            raise ScoringError("unknown_candidate", id=candidate_id) from None

    def candidate(self, candidate_id: Any) -> CandidateScore:
        return self._candidate_at(self.row_of(candidate_id))

    def rows(self) -> Iterable[CandidateScore]:
        """All candidates in published order."""
        for row in self.order.tolist():
            yield self._candidate_at(row)

    def _candidate_at(self, row: int) -> CandidateScore:
        points = self.model.weights * TOTAL_POINTS
        indicators = tuple(
            IndicatorScore(
                key=indicator.key,
                name_zh=indicator.name_zh,
                name_en=indicator.name_en,
                raw=None if math.isnan(self.raw[row, k]) else float(self.raw[row, k]),
                share=float(self.shares[row, k]),
                contribution=float(self.contributions[row, k]),
                max_points=float(points[k]),
            )
            for k, indicator in enumerate(self.model.indicators)
        )
        return CandidateScore(
            id=self.ids[row].item(),
            rank=int(self.ranks[row]),
            total=float(self.totals[row]),
            indicators=indicators,
        )


def score(model: ScoringModel, ids: Sequence[Any], raw: Any) -> ScoringTable:
    """Score and rank all candidates at once. `raw` is an (n × k) array-like of floats in the
    model's indicator order, NaN (or None) where a value is missing; `ids` are unique and
    mutually comparable (all integers or all text)."""
    keys = np.asarray(ids)
    if keys.ndim != 1 or keys.dtype == object:
        raise ScoringError("bad_ids")
    n = len(keys)
    values = np.array(raw, dtype=float, order="F")  # columns contiguous: one per indicator
    if values.size == 0:
        values = values.reshape(n, len(model.indicators))
    if values.shape != (n, len(model.indicators)):
        raise ScoringError("bad_shape", shape=values.shape, n=n, k=len(model.indicators))
    if np.isinf(values).any():
        raise ScoringError("infinite_value")
    id_order = np.argsort(keys, kind="stable")
    sorted_keys = keys[id_order]
    if n > 1 and (sorted_keys[1:] == sorted_keys[:-1]).any():
        duplicate = sorted_keys[1:][sorted_keys[1:] == sorted_keys[:-1]][0]
        raise ScoringError("duplicate_candidate", id=duplicate.item())

    points = model.weights * TOTAL_POINTS
    shares = np.zeros_like(values)
    contributions = np.zeros_like(values)
    totals = np.zeros(n)
    low = np.full(len(model.indicators), np.nan)
    high = np.full(len(model.indicators), np.nan)
    for k, indicator in enumerate(model.indicators):
        column = values[:, k]
        present = ~np.isnan(column)
        if present.any():
            low[k] = column[present].min()
            high[k] = column[present].max()
        share = normalise(indicator, column)
        shares[:, k] = share
        contribution = share * points[k]
        contributions[:, k] = contribution
        totals += contribution
    totals = np.round(totals, TOTAL_DECIMALS)

    order = id_order[np.argsort(-totals[id_order], kind="stable")]
    ranked = totals[order]
    starts = np.ones(n, dtype=bool)
    starts[1:] = ranked[1:] != ranked[:-1]
    first = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = first + 1
    return ScoringTable(
        model=model,
        ids=keys,
        raw=values,
        shares=shares,
        contributions=contributions,
        totals=totals,
        ranks=ranks,
        order=order,
        low=low,
        high=high,
    )


def score_records(
    model: ScoringModel, records: Sequence[Mapping[str, Any]], *, id_key: str = "id"
) -> ScoringTable:
    """`score` over one mapping per candidate: its id under `id_key` and a raw value (or None,
    or no entry, when missing) under each indicator's key."""
    keys = model.keys
    ids = [record[id_key] for record in records]
    getter = operator.itemgetter(*keys)
    try:
        rows = [getter(record) for record in records] if len(keys) > 1 else None
    except KeyError:
        rows = None
    if rows is None:
        rows = [[record.get(key) for key in keys] for record in records]
    try:
        raw = np.array(rows, dtype=float).reshape(len(records), len(keys))
    except (TypeError, ValueError):
        raise ScoringError("not_numbers") from None
    return score(model, ids, raw)


def normalise(indicator: Indicator, column: np.ndarray) -> np.ndarray:
    """Shares in [0, 1] for one indicator's column (0 where the value is missing)."""
    present = ~np.isnan(column)
    share = np.zeros(len(column))
    values = column[present]
    m = len(values)
    if m == 0:
        return share
    raises = indicator.direction is Direction.HIGHER_RAISES_PRIORITY
    if indicator.normalisation is Normalisation.BANDS:
        bounds = np.array([bound for bound, _ in indicator.bands])
        band_points = np.array([points for _, points in indicator.bands])
        band = np.maximum(np.searchsorted(bounds, values, side="right") - 1, 0)
        share[present] = band_points[band] / band_points.max()
        return share
    low, high = values.min(), values.max()
    if low == high:
        share[present] = 0.5
        return share
    if indicator.normalisation is Normalisation.MIN_MAX:
        if raises:
            share[present] = (values - low) / (high - low)
        else:
            share[present] = (high - values) / (high - low)
        return share
    sorter = np.argsort(values, kind="stable")
    ordered = values[sorter]
    starts_group = np.empty(m, dtype=bool)
    starts_group[0] = True
    starts_group[1:] = ordered[1:] != ordered[:-1]
    group = np.cumsum(starts_group) - 1
    starts = np.flatnonzero(starts_group)
    ends = np.append(starts[1:], m)
    below = np.empty(m, dtype=np.int64)
    up_to = np.empty(m, dtype=np.int64)
    below[sorter] = starts[group]
    up_to[sorter] = ends[group]
    ties = up_to - below
    beaten = below if raises else m - up_to
    share[present] = (beaten + (ties - 1) / 2) / (m - 1)
    return share


# --- Explanations ----------------------------------------------------------------------------


def explain(
    table: ScoringTable, candidate_id: Any, language: str = "zh", *, name: str | None = None
) -> list[str]:
    """One candidate's breakdown as sentences, for the resident and the officer: the rank and
    total, each criterion's subtotal, then each indicator from the largest contribution down,
    with the raw value and how it was scored. Missing values are said to be missing."""
    lang = _language(language)
    templates = TEMPLATES[lang]
    row = table.row_of(candidate_id)
    result = table._candidate_at(row)
    model = table.model
    ties = int((table.totals == table.totals[row]).sum()) - 1
    sentences = [
        templates["rank"].format(
            name=name if name is not None else candidate_id,
            count=len(table),
            rank=result.rank,
            total=_points(result.total),
            full=TOTAL_POINTS,
        )
    ]
    if ties:
        sentences.append(templates["tied"].format(others=ties))
    sentences.append(templates["model"].format(model=model.name(lang), version=model.version))
    for criterion in model.criteria:
        members = [
            score
            for score, indicator in zip(result.indicators, model.indicators, strict=True)
            if indicator.criterion == criterion.key
        ]
        if members:
            sentences.append(
                templates["criterion"].format(
                    criterion=criterion.name(lang),
                    points=_points(sum(s.contribution for s in members)),
                    full=_points(sum(s.max_points for s in members)),
                )
            )
    by_contribution = sorted(
        range(len(model.indicators)),
        key=lambda k: (-result.indicators[k].contribution, k),
    )
    for k in by_contribution:
        indicator = model.indicators[k]
        line = result.indicators[k]
        if line.is_missing:
            sentences.append(
                templates["missing"].format(
                    indicator=indicator.name(lang), full=_points(line.max_points)
                )
            )
            continue
        sentences.append(
            templates["indicator"].format(
                indicator=indicator.name(lang),
                raw=format_value(indicator, line.raw, lang),
                how=_how(table, k, line, lang),
                points=_points(line.contribution),
                full=_points(line.max_points),
            )
        )
    if result.missing:
        sentences.append(templates["missing_note"])
    return sentences


def _how(table: ScoringTable, k: int, line: IndicatorScore, lang: str) -> str:
    templates = TEMPLATES[lang]
    indicator = table.model.indicators[k]
    if indicator.normalisation is Normalisation.BANDS:
        if indicator.measure is Measure.LEVEL and line.raw in indicator.labels:
            return templates["how.level"]
        bounds = [bound for bound, _ in indicator.bands]
        position = max(0, int(np.searchsorted(bounds, line.raw, side="right")) - 1)
        if line.raw < bounds[0]:
            return templates["how.first_band"].format(
                bound=format_value(indicator, bounds[0], lang)
            )
        return templates["how.band"].format(bound=format_value(indicator, bounds[position], lang))
    if table.low[k] == table.high[k]:
        return templates["how.same"]
    low = format_value(indicator, float(table.low[k]), lang)
    high = format_value(indicator, float(table.high[k]), lang)
    raises = indicator.direction is Direction.HIGHER_RAISES_PRIORITY
    if indicator.normalisation is Normalisation.MIN_MAX:
        return templates["how.min_max" if raises else "how.min_max_cost"].format(low=low, high=high)
    return templates["how.rank" if raises else "how.rank_cost"].format(
        percent=f"{line.share * 100:.0f}"
    )


def format_value(indicator: Indicator, value: float, language: str = "zh") -> str:
    """A raw value as a person reads it: "38年", "62.5%", "1,200户", a level's name."""
    lang = _language(language)
    templates = TEMPLATES[lang]
    measure = indicator.measure
    if measure is Measure.LEVEL and float(value) in indicator.labels:
        names = indicator.labels[float(value)]
        return names[1] if lang == "en" else names[0]
    if measure is Measure.SHARE:
        return templates["value.share"].format(value=f"{value * 100:.1f}")
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    if measure in (Measure.YEARS, Measure.HOUSEHOLDS, Measure.WEIGHTED_COUNT):
        return templates["value." + measure.value].format(value=number)
    return number


def _points(value: float) -> str:
    return f"{value:.2f}"


def _language(language: str) -> str:
    return "en" if str(language).lower().startswith("en") else "zh"


TEMPLATES = {
    "zh": {
        "rank": "{name}在本轮{count}个候选小区中排第{rank}名，总分{total}分（满分{full}分）。",
        "tied": "与另外{others}个小区总分相同，名次并列。",
        "model": "评分模型：{model}（第{version}版）。",
        "criterion": "{criterion}：得{points}分，该组满分{full}分。",
        "indicator": "{indicator}为{raw}，{how}，得{points}分（该项满分{full}分）。",
        "missing": "{indicator}暂无数据，按规则计0分（该项满分{full}分）。",
        "missing_note": "标注“暂无数据”的指标待区里补充后重新评分。",
        "how.band": "落在“{bound}及以上”一档",
        "how.level": "按所属档次计分",
        "how.first_band": "低于最低一档的下限{bound}，按最低一档计",
        "how.same": "本轮候选小区此项数值相同，各得一半分值",
        "how.min_max": "按其在本轮最低值{low}至最高值{high}之间的位置计分，越高得分越多",
        "how.min_max_cost": "按其在本轮最低值{low}至最高值{high}之间的位置计分，越低得分越多",
        "how.rank": "按在本轮候选小区中的排位计分，高于约{percent}%的候选小区",
        "how.rank_cost": "按在本轮候选小区中的排位计分，低于约{percent}%的候选小区",
        "value.share": "{value}%",
        "value.years": "{value}年",
        "value.households": "{value}户",
        "value.weighted_count": "{value}（按严重程度加权）",
    },
    "en": {
        "rank": (
            "{name} ranks {rank} of {count} candidate compounds in this round with "
            "{total} of {full} points."
        ),
        "tied": "Its total equals that of {others} other compound(s), so they share the rank.",
        "model": "Scoring model: {model} (version {version}).",
        "criterion": "{criterion}: {points} of {full} points.",
        "indicator": "{indicator} is {raw}; {how}: {points} of {full} points.",
        "missing": "{indicator} has no data yet and counts 0 of {full} points.",
        "missing_note": (
            "Indicators without data are scored again once the district fills them in."
        ),
        "how.band": "it falls in the band from {bound}",
        "how.level": "scored by its level",
        "how.first_band": "it is below the lowest band's bound {bound} and counts in that band",
        "how.same": "every candidate has the same value, so each gets half the points",
        "how.min_max": (
            "scored by its place between this round's lowest {low} and highest {high}, "
            "higher scoring more"
        ),
        "how.min_max_cost": (
            "scored by its place between this round's lowest {low} and highest {high}, "
            "lower scoring more"
        ),
        "how.rank": "scored by rank among this round's candidates, above about {percent}% of them",
        "how.rank_cost": (
            "scored by rank among this round's candidates, below about {percent}% of them"
        ),
        "value.share": "{value}%",
        "value.years": "{value} years",
        "value.households": "{value} households",
        "value.weighted_count": "{value} (severity-weighted)",
    },
}

ERROR_TEMPLATES = {
    "zh": {
        "bad_key": "指标编码“{key}”只能由字母、数字和下划线组成。",
        "bad_weight": "指标“{key}”的权重{weight}必须是非负数。",
        "bands_without_bands": "指标“{key}”不是分档计分，不能设置分档。",
        "bands_empty": "指标“{key}”按分档计分，但没有有效的分档。",
        "bands_not_increasing": "指标“{key}”各档下限必须严格递增。",
        "bands_points": "指标“{key}”各档分值不能为负，且至少一档大于0。",
        "bands_against_direction": "指标“{key}”各档分值的增减方向与指标方向不一致。",
        "no_indicators": "评分模型至少需要一个指标。",
        "duplicate_indicator": "指标“{key}”重复。",
        "zero_weights": "权重之和必须大于0。",
        "unknown_criterion": "指标“{key}”所属的评价维度“{criterion}”不存在。",
        "bad_version": "模型版本号{version}必须是正整数。",
        "unknown_indicator": "没有指标“{key}”。",
        "weight_count": "给出了{given}个权重或名称，模型有{expected}个指标。",
        "ungrouped_indicator": "指标“{key}”未归入任何评价维度，不能分层计算权重。",
        "missing_matrix": "评价维度“{criterion}”缺少两两比较矩阵。",
        "not_square": "两两比较矩阵必须是方阵。",
        "too_many": "两两比较矩阵有{n}阶，超过{limit}阶，请先分组。",
        "not_positive": "第{i}行第{j}列的判断{value}必须是正数。",
        "diagonal": "第{i}行对角线上的判断{value}必须为1。",
        "off_scale": "第{i}行第{j}列的判断{value}超出1/9至9的标度。",
        "not_reciprocal": "第{i}行第{j}列（{a}）与第{j}行第{i}列（{b}）不互为倒数。",
        "not_a_number": "判断“{value}”不是数字。",
        "inconsistent": "判断矩阵的一致性比率CR = {ratio}，超过0.10，不能采用。请先修改以下判断：",
        "judgement": "{more}相对{less}的判断（{given}）与其他判断不一致，按权重推算约为{implied}。",
        "bad_ids": "候选小区编号须全部为整数或全部为文本。",
        "bad_shape": "原始数据为{shape}，应为{n}行{k}列。",
        "infinite_value": "原始数据中有无穷大的数值。",
        "duplicate_candidate": "候选小区{id}出现了两次。",
        "not_numbers": "原始数据中有不是数字的值。",
        "unknown_candidate": "本轮没有候选小区{id}。",
    },
    "en": {
        "bad_key": "Indicator key {key!r} may hold only letters, digits and underscores.",
        "bad_weight": "The weight {weight} of indicator {key!r} must be a non-negative number.",
        "bands_without_bands": "Indicator {key!r} is not scored by bands and cannot have bands.",
        "bands_empty": "Indicator {key!r} is scored by bands but has no valid bands.",
        "bands_not_increasing": "The lower bounds of indicator {key!r} must strictly increase.",
        "bands_points": (
            "The points of indicator {key!r} cannot be negative and at least one must be positive."
        ),
        "bands_against_direction": (
            "The points of indicator {key!r} run against the indicator's direction."
        ),
        "no_indicators": "A scoring model needs at least one indicator.",
        "duplicate_indicator": "Indicator {key!r} appears twice.",
        "zero_weights": "The weights must sum to more than zero.",
        "unknown_criterion": "Indicator {key!r} names an unknown criterion {criterion!r}.",
        "bad_version": "The model version {version} must be a positive integer.",
        "unknown_indicator": "There is no indicator {key!r}.",
        "weight_count": "{given} weights or names were given for {expected} indicators.",
        "ungrouped_indicator": (
            "Indicator {key!r} belongs to no criterion, so hierarchical weights are undefined."
        ),
        "missing_matrix": "The criterion {criterion} has no pairwise comparison matrix.",
        "not_square": "The pairwise comparison matrix must be square.",
        "too_many": "The matrix has {n} rows, more than {limit}; group the indicators first.",
        "not_positive": "The judgement {value} in row {i}, column {j} must be positive.",
        "diagonal": "The judgement {value} on the diagonal of row {i} must be 1.",
        "off_scale": "The judgement {value} in row {i}, column {j} is outside Saaty's 1/9 to 9.",
        "not_reciprocal": (
            "Row {i}, column {j} ({a}) and row {j}, column {i} ({b}) are not reciprocal."
        ),
        "not_a_number": "The judgement {value!r} is not a number.",
        "inconsistent": (
            "The consistency ratio CR = {ratio} exceeds 0.10, so these judgements cannot be "
            "used. Revise these first:"
        ),
        "judgement": (
            "The judgement of {more} over {less} ({given}) disagrees with the others; the "
            "weights imply about {implied}."
        ),
        "bad_ids": "Candidate ids must be all integers or all text.",
        "bad_shape": "The raw values have shape {shape}; expected {n} rows of {k}.",
        "infinite_value": "The raw values contain an infinite number.",
        "duplicate_candidate": "Candidate {id} appears twice.",
        "not_numbers": "The raw values contain something that is not a number.",
        "unknown_candidate": "Candidate {id} is not in this round.",
    },
}


# --- The default model and its inputs --------------------------------------------------------

SEVERITY_POINTS = {"critical": 5, "major": 3, "minor": 1}
PARTY_ORGANISATION_LEVEL = {"none": 0, "joint": 1, "branch": 2}
MANAGEMENT_LEVEL = {
    "none": 0,
    "street_managed": 1,
    "self_managed": 1,
    "red_property": 2,
    "professional": 2,
}

PROBLEMS = Criterion("problems", "问题集中突出", "problems concentrated and severe")
WILL = Criterion("will", "群众意愿强", "residents' will")
ORGANISATION = Criterion("organisation", "党建基础好", "party-building and self-organisation")
BENEFIT = Criterion("benefit", "受益面", "households benefited")

DEFAULT_MODEL = ScoringModel(
    key="anju-default",
    version=1,
    name_zh="anju 默认模型（参照武汉三项标准）",
    name_en="anju default (Wuhan's three criteria)",
    note_zh=(
        "参照武汉“问题集中突出、群众意愿强、党建基础好”三项标准，权重由 anju 自拟，"
        "并非官方公布的评分规则；市级可调整权重或发布新版本。"
    ),
    note_en=(
        "Follows Wuhan's three criteria (problems concentrated and severe, residents' will "
        "strong, party-building base good); the weights are anju's own default, not a "
        "published rule, and the city office may change them in a new version."
    ),
    criteria=(PROBLEMS, WILL, ORGANISATION, BENEFIT),
    indicators=(
        Indicator(
            "building_age", "楼龄", "building age", 15,
            normalisation=Normalisation.BANDS,
            bands=((0, 0), (20, 30), (26, 60), (30, 80), (40, 100)),
            criterion="problems", measure=Measure.YEARS,
        ),
        Indicator(
            "safety_hazards", "安全隐患", "safety hazards", 12,
            normalisation=Normalisation.RANK, criterion="problems",
            measure=Measure.WEIGHTED_COUNT,
        ),
        Indicator(
            "facility_gaps", "设施短板", "facility gaps", 8,
            normalisation=Normalisation.RANK, criterion="problems",
            measure=Measure.WEIGHTED_COUNT,
        ),
        Indicator(
            "urgent_need_share", "急难愁盼反映比例", "share asking for an urgent need", 5,
            criterion="problems", measure=Measure.SHARE,
        ),
        Indicator(
            "vulnerable_share", "困难群体住户占比", "share of vulnerable households", 5,
            criterion="problems", measure=Measure.SHARE,
        ),
        Indicator(
            "response_rate", "问需回应率", "needs survey response rate", 10,
            criterion="will", measure=Measure.SHARE,
        ),
        Indicator(
            "consent_agreement_area", "改造表决同意面积比例", "consent agreement by area", 12,
            normalisation=Normalisation.BANDS,
            bands=((0, 0), (0.5, 40), (2 / 3, 70), (0.75, 100)),
            criterion="will", measure=Measure.SHARE,
        ),
        Indicator(
            "willing_share", "愿意出资出力比例", "share willing to contribute", 8,
            criterion="will", measure=Measure.SHARE,
        ),
        Indicator(
            "party_organisation", "小区党组织", "party organisation", 6,
            normalisation=Normalisation.BANDS, bands=((0, 0), (1, 60), (2, 100)),
            criterion="organisation", measure=Measure.LEVEL,
            labels={0: ("未建立", "none"), 1: ("联合党支部", "joint branch"),
                    2: ("独立党支部", "own branch")},
        ),
        Indicator(
            "owners_committee", "业主委员会", "owners' committee", 4,
            normalisation=Normalisation.BANDS, bands=((0, 0), (1, 100)),
            criterion="organisation", measure=Measure.LEVEL,
            labels={0: ("未成立", "none"), 1: ("已成立", "in place")},
        ),
        Indicator(
            "management_status", "物业管理", "property management", 5,
            normalisation=Normalisation.BANDS, bands=((0, 0), (1, 50), (2, 100)),
            criterion="organisation", measure=Measure.LEVEL,
            labels={0: ("无物业管理", "none"),
                    1: ("街道托管或业主自治", "street-run or self-managed"),
                    2: ("专业物业或红色物业", "professional or red property")},
        ),
        Indicator(
            "households_benefited", "受益户数", "households benefited", 10,
            normalisation=Normalisation.RANK, criterion="benefit",
            measure=Measure.HOUSEHOLDS,
        ),
    ),
)  # fmt: skip


@dataclass(frozen=True)
class CompoundFacts:
    """What the default model reads about one compound. Registry fields come from
    `territory.Compound` and its households; engagement fields from
    `engagement.selectors.engagement_facts` (None where there was no campaign, no answer on
    willingness, or no tallied vote); hazards and gaps from surveys, as counts by severity
    ("critical", "major", "minor"), None before the survey."""

    compound_id: Any
    year_built: int | None
    households: int
    vulnerable_households: int | None = None
    safety_hazards: Mapping[str, int] | None = None
    facility_gaps: Mapping[str, int] | None = None
    most_urgent_households: int | None = None
    response_rate: Fraction | float | None = None
    consent_agreement_area: Fraction | str | float | None = None
    willing_share: Fraction | float | None = None
    party_organisation: str = "none"
    has_owners_committee: bool = False
    management_status: str = "none"


def severity_points(counts: Mapping[str, int] | None) -> float | None:
    """Hazards or gaps weighted by severity (critical 5, major 3, minor 1; anju's default)."""
    if counts is None:
        return None
    unknown = sorted(set(counts) - set(SEVERITY_POINTS))
    if unknown:
        raise ScoringError("unknown_indicator", key=unknown[0])
    return float(sum(SEVERITY_POINTS[severity] * n for severity, n in counts.items()))


def default_raw_values(facts: CompoundFacts, *, year: int) -> dict[str, float | None]:
    """The default model's raw values for one compound in the round of `year`."""

    def ratio(value: Any) -> float | None:
        if value is None:
            return None
        return float(Fraction(value) if isinstance(value, str) else value)

    def share_of_households(count: int | None) -> float | None:
        if count is None or not facts.households:
            return None
        return count / facts.households

    return {
        "id": facts.compound_id,
        "building_age": None if facts.year_built is None else float(year - facts.year_built),
        "safety_hazards": severity_points(facts.safety_hazards),
        "facility_gaps": severity_points(facts.facility_gaps),
        "urgent_need_share": share_of_households(facts.most_urgent_households),
        "vulnerable_share": share_of_households(facts.vulnerable_households),
        "response_rate": ratio(facts.response_rate),
        "consent_agreement_area": ratio(facts.consent_agreement_area),
        "willing_share": ratio(facts.willing_share),
        "party_organisation": float(PARTY_ORGANISATION_LEVEL[facts.party_organisation]),
        "owners_committee": float(facts.has_owners_committee),
        "management_status": float(MANAGEMENT_LEVEL[facts.management_status]),
        "households_benefited": float(facts.households),
    }
