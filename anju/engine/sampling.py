"""Satisfaction sampling (满意度随机测评): how many households to ask after joint completion
acceptance, how many from each building, and which ones, reproducibly from a published seed.

The rule
    * Sample size for a proportion (DOMAIN.md, "Satisfaction sampling"): at confidence level c
      with margin of error e and expected proportion p (0.5 when unknown, the largest size),
          n₀ = z² · p · (1 − p) / e²,
      then the finite-population correction for N households,
          n = n₀ / (1 + (n₀ − 1) / N),
      rounded UP (for N ≥ 1 it never exceeds N); N = 0 gives 0. z is the tabulated two-sided
      value for the three usual levels (90% → 1.645, 95% → 1.96, 99% → 2.576,
      `TABULATED_Z`), the values survey handbooks print and officials check by hand
      (95%, ±5% → n₀ = 384.16); any other level uses the exact normal quantile
      z = Φ⁻¹((1 + c) / 2) (`statistics.NormalDist().inv_cdf`). So 95% uses 1.96, not
      1.959964….
    * Allocation across strata (buildings) in proportion to their households by largest
      remainder (Hamilton), with at least one household from every non-empty building when the
      sample has room for that (n ≥ number of non-empty buildings). No building gets more than
      it has, and the shares sum to exactly min(n, N). When n ≥ N every household is asked.
    * The draw: within each building the households are ranked by
          rank_key = lowercase hex SHA-256 of the UTF-8 bytes of (seed + label)
      (plain concatenation, no separator), ascending, and the first `allocation[building]` are
      asked. A label is the household's public, stable identifier as published with the draw
      (e.g. "3-1-501": building-unit-room), NOT the secret sign-in household code (住户码),
      which is never stored in clear and must never be published.

How it is computed
    * Sizes in exact rational arithmetic (`fractions.Fraction`) from the decimal values of
      z, p and e as written (1.96, 0.5, 0.05), so "rounded up" never suffers from floating
      point: a corrected size of exactly 278 stays 278.
    * Allocation in integers. Let m be the seats left and D the households of the buildings
      not yet settled (at first m = n, D = N). A building of size Nᵢ has the quota m·Nᵢ/D.
      Every building whose quota is below 1 gets exactly 1 and is settled; m and D are reduced
      and the quotas recomputed, until no quota is below 1. Each remaining building then gets
      ⌊m·Nᵢ/D⌋ and the seats still left go one each to the largest remainders (m·Nᵢ mod D).
      Ties: larger remainder first, then larger building, then building name in ascending
      Unicode code-point order (the same as UTF-8 byte order). When n is smaller than the
      number of non-empty buildings there is no minimum: plain largest remainder over all.
      Settling a building at 1 never lets a later quota exceed a building's size (the ratio
      m/D can only fall), so no cap is needed; a building not raised to 1 gets at most
      ⌈n·Nᵢ/N⌉, and when no building was raised, ⌊n·Nᵢ/N⌋ or ⌈n·Nᵢ/N⌉.
    * Ranking: ties between digests are impossible in practice (distinct labels, SHA-256); they
      would be broken by the label in code-point order.
    Cost: O(S log S) for S buildings, O(H log H) for H households (one SHA-256 each).

Reproducing a draw (any language; see docs/sampling.md for a worked example)
    1. Take the published seed, buildings, and each building's household labels.
    2. Allocate with the integer rule above.
    3. For each label:  printf '%s%s' "$seed" "$label" | sha256sum  (UTF-8 locale); sort each
       building's labels by that digest ascending and take the first allocation[building].
    `verify` does exactly this and lists any difference from a recorded sample.

Inputs are validated (`SamplingInputError`, a `ValueError`, with an English, developer-facing
message; the Django caller translates what it shows): sizes and n non-negative integers,
confidence, margin and p strictly between 0 and 1, seed and labels non-empty strings without
control characters (a newline would make the shell recipe ambiguous), labels unique across the
whole draw.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from statistics import NormalDist

TABULATED_Z: Mapping[str, str] = {"0.9": "1.645", "0.95": "1.96", "0.99": "2.576"}
"""Two-sided z for the usual confidence levels, as printed in survey handbooks (decimal
strings, used exactly)."""

SEED_BYTES = 16


class SamplingInputError(ValueError):
    """The input cannot be sampled (negative size, duplicate label, confidence outside (0, 1),
    empty seed …). The message is English and meant for developers."""


# --- sample size ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SampleSize:
    """A sample size and the figures it came from.

    `n0` is the size for an infinite population, `n_corrected` after the finite-population
    correction (before rounding up), `n` the households to ask (⌈n_corrected⌉, at most N).
    """

    confidence: float
    z: float
    z_is_tabulated: bool
    p: float
    margin: float
    population: int
    n0: float
    n_corrected: float
    n: int

    def formula_lines(self) -> tuple[str, str]:
        """The computation with its figures, format-neutral (no words to translate), e.g.
        ("n0 = 1.96² × 0.5 × (1 − 0.5) / 0.05² = 384.16",
         "n = 384.16 / (1 + (384.16 − 1) / 1000) = 277.74 → 278")."""
        z, p, e = _figure(self.z), _figure(self.p), _figure(self.margin)
        first = f"n0 = {z}² × {p} × (1 − {p}) / {e}² = {self.n0:.2f}"
        if self.population == 0:
            return first, "N = 0 → n = 0"
        n0 = f"{self.n0:.2f}"
        second = (
            f"n = {n0} / (1 + ({n0} − 1) / {self.population}) = {self.n_corrected:.2f} → {self.n}"
        )
        return first, second


def sample_size(
    population: int,
    confidence: float = 0.95,
    margin: float = 0.05,
    p: float = 0.5,
) -> SampleSize:
    """Households to ask in a population of `population` households (see "The rule")."""
    _check_count(population, "population")
    c = _open_unit(confidence, "confidence")
    e = _open_unit(margin, "margin")
    proportion = _open_unit(p, "p")

    tabulated = next((z for level, z in TABULATED_Z.items() if Fraction(level) == c), None)
    if tabulated is not None:
        z = Fraction(tabulated)
    else:
        z = Fraction(NormalDist().inv_cdf((1 + float(c)) / 2))

    n0 = z * z * proportion * (1 - proportion) / (e * e)
    if population == 0:
        corrected = Fraction(0)
        n = 0
    else:
        corrected = n0 * population / (population + n0 - 1)
        n = min(math.ceil(corrected), population)
    return SampleSize(
        confidence=float(c),
        z=float(z),
        z_is_tabulated=tabulated is not None,
        p=float(proportion),
        margin=float(e),
        population=population,
        n0=float(n0),
        n_corrected=float(corrected),
        n=n,
    )


# --- allocation -------------------------------------------------------------------------------


def allocate(strata: Mapping[str, int], n: int) -> dict[str, int]:
    """Split a sample of `n` across strata of the given sizes (see "How it is computed").

    Returns every stratum (in the mapping's order) with its share, 0 for empty strata; the
    shares sum to min(n, Σ sizes).
    """
    _check_count(n, "n")
    sizes: dict[str, int] = {}
    for name, size in strata.items():
        _check_name(name)
        _check_count(size, f"size of stratum {name!r}")
        sizes[name] = size

    total = sum(sizes.values())
    if n >= total:
        return dict(sizes)

    shares = dict.fromkeys(sizes, 0)
    free = [name for name, size in sizes.items() if size > 0]
    seats = n
    if n >= len(free):
        while True:
            households = sum(sizes[name] for name in free)
            small = [name for name in free if seats * sizes[name] < households]
            if not small:
                break
            for name in small:
                shares[name] = 1
            seats -= len(small)
            settled = set(small)
            free = [name for name in free if name not in settled]
    _largest_remainder(shares, {name: sizes[name] for name in free}, seats)
    return shares


def _largest_remainder(shares: dict[str, int], sizes: Mapping[str, int], seats: int) -> None:
    households = sum(sizes.values())
    if seats == 0 or households == 0:
        return
    remainders = {}
    left = seats
    for name, size in sizes.items():
        whole, remainders[name] = divmod(seats * size, households)
        shares[name] += whole
        left -= whole
    order = sorted(sizes, key=lambda name: (-remainders[name], -sizes[name], name))
    for name in order[:left]:
        shares[name] += 1


# --- ranking and the draw ---------------------------------------------------------------------


def new_seed() -> str:
    """A fresh unpredictable seed: 32 lowercase hex characters (128 bits)."""
    return secrets.token_hex(SEED_BYTES)


def rank_key(seed: str, label: str) -> str:
    """Lowercase hex SHA-256 of the UTF-8 bytes of seed + label (plain concatenation):
    the same as  printf '%s%s' "$seed" "$label" | sha256sum."""
    _check_text(seed, "seed")
    _check_text(label, "household label")
    return hashlib.sha256((seed + label).encode("utf-8")).hexdigest()


def rank(seed: str, labels: Sequence[str]) -> list[tuple[str, str]]:
    """(label, rank_key) pairs in draw order: digest ascending, then label."""
    _check_text(seed, "seed")
    _check_unique(labels, "household labels")
    keyed = [(label, rank_key(seed, label)) for label in labels]
    keyed.sort(key=lambda pair: (pair[1], pair[0]))
    return keyed


@dataclass(frozen=True)
class Draw:
    """A reproducible sample. `allocation` and `chosen` hold every stratum in the order of the
    input mapping; `chosen[stratum]` lists the households in rank order."""

    seed: str
    n: int
    allocation: Mapping[str, int]
    chosen: Mapping[str, tuple[str, ...]]

    @property
    def households(self) -> tuple[str, ...]:
        """Every chosen household, stratum by stratum."""
        return tuple(label for labels in self.chosen.values() for label in labels)


def draw(strata: Mapping[str, Sequence[str]], seed: str, n: int) -> Draw:
    """Choose `n` households (at most all of them) from `strata` (stratum → household labels):
    allocate by `allocate`, then take each stratum's first households by `rank_key`."""
    _check_text(seed, "seed")
    _check_unique([label for labels in strata.values() for label in labels], "household labels")
    allocation = allocate({name: len(labels) for name, labels in strata.items()}, n)
    chosen = {
        name: tuple(label for label, _ in rank(seed, labels)[: allocation[name]])
        for name, labels in strata.items()
    }
    return Draw(seed=seed, n=n, allocation=allocation, chosen=chosen)


def verify(
    strata: Mapping[str, Sequence[str]],
    seed: str,
    n: int,
    recorded: Mapping[str, Sequence[str]],
) -> list[str]:
    """Re-draw and compare with a recorded sample, stratum by stratum, by membership (the order
    within a stratum is not compared). Returns the differences in English, empty when the
    record is exactly what the seed gives."""
    expected = draw(strata, seed, n)
    differences = []
    for name in recorded:
        if name not in strata:
            differences.append(f"stratum {name!r} is recorded but is not in the population")
    for name, chosen in expected.chosen.items():
        got = list(recorded.get(name, ()))
        duplicates = sorted(label for label, times in Counter(got).items() if times > 1)
        if duplicates:
            differences.append(f"stratum {name!r}: recorded more than once: {_list(duplicates)}")
        missing = [label for label in chosen if label not in got]
        extra = sorted(set(got) - set(chosen))
        if missing:
            differences.append(f"stratum {name!r}: drawn but not recorded: {_list(missing)}")
        if extra:
            differences.append(f"stratum {name!r}: recorded but not drawn: {_list(extra)}")
    return differences


# --- validation and formatting ----------------------------------------------------------------


def _check_count(value: object, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SamplingInputError(f"{what} must be an integer, got {value!r}")
    if value < 0:
        raise SamplingInputError(f"{what} must not be negative, got {value}")


def _open_unit(value: object, what: str) -> Fraction:
    """`value` as the exact decimal it is written as, checked to lie strictly in (0, 1)."""
    if isinstance(value, bool):
        raise SamplingInputError(f"{what} must be a number, got {value!r}")
    try:
        exact = Fraction(str(value))
    except (TypeError, ValueError):
        raise SamplingInputError(f"{what} must be a number, got {value!r}") from None
    if not 0 < exact < 1:
        raise SamplingInputError(f"{what} must lie strictly between 0 and 1, got {value}")
    return exact


def _check_name(name: object) -> None:
    if not isinstance(name, str):
        raise SamplingInputError(f"stratum names must be strings, got {name!r}")


def _check_text(value: object, what: str) -> None:
    if not isinstance(value, str) or value == "":
        raise SamplingInputError(f"{what} must be a non-empty string, got {value!r}")
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise SamplingInputError(f"{what} must not contain control characters, got {value!r}")


def _check_unique(labels: Sequence[str], what: str) -> None:
    seen: set[str] = set()
    duplicates: set[str] = set()
    for label in labels:
        _check_text(label, "household label")
        (duplicates if label in seen else seen).add(label)
    if duplicates:
        raise SamplingInputError(f"{what} must be unique; repeated: {_list(sorted(duplicates))}")


def _figure(value: float) -> str:
    """1.96 → "1.96", 0.5 → "0.5", an exact quantile → six decimals."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text or "0"


def _list(labels: Sequence[str]) -> str:
    return ", ".join(labels)
