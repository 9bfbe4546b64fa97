"""Cost sharing (谁受益、谁出资): who pays how much of a renovation item, down to the fen?

The rule (DOMAIN.md "Money: who pays"; issue 12)
    * A network inside the compound that a utility owns (water, power, gas, telecom) is
      charged wholly to that utility: the residents and the public funds pay nothing of it.
    * Any other item: the funding plan decides the residents' part, as a share of the cost
      (0 ≤ share ≤ 1, rounded half up to the fen) or as a fixed amount (≤ the cost). The rest
      of the cost stays with the other payers (government budgets, property units, social
      capital…), which the funding plan and its ledger divide, not this module.
    * The residents' part is split among the households that benefit, by one of
      - exclusive area (按专有面积): weight = the household's exclusive area in m²;
      - per household (按户均摊): weight = 1 each;
      - a floor-coefficient table (按楼层系数, elevators): weight = the coefficient of the
        household's floor, or coefficient × exclusive area when areas are given (the
        published Guangzhou community example: share = coefficient × area × total ÷
        Σ(coefficient × area)). Tables are data; several may coexist; a coefficient may be
        0 (floors 1–2 often pay nothing). A floor missing from the table is an input error
        unless the caller gives a default coefficient.
    * Every household's amount is in fen (0.01 yuan) and the amounts add up EXACTLY to the
      part being split (largest remainder, Hamilton's method). A household of weight 0 pays
      0.00. Every amount differs from the exact proportional share by less than 0.01.

How it is computed (`split_largest_remainder`)
    With T the total in fen, w_i the weights and W = Σ w_i, all exact (Decimal weights are
    brought to integers over their common denominator, so nothing is lost to binary
    fractions): household i's exact share is q_i = T·w_i / W fen. Each household first gets
    ⌊q_i⌋ fen; the R = T − Σ⌊q_i⌋ fens left over (R is less than the number of households
    with a fractional share) go one each to the households with the largest fractional part
    q_i − ⌊q_i⌋. Ties go to the larger weight, then to the household given first (the order
    of the mapping or sequence passed in). Consequences, tested with hypothesis:
      - a household with a larger weight never pays less than one with a smaller weight;
        equal weights pay the same or differ by 0.01, the first given paying more;
      - when all weights differ, the answer does not depend on the order of the input;
      - multiplying every weight by the same positive number changes nothing.
    O(n log n) for n households (one sort of the remainders).

"How it was computed" is data, for the residents' portal: a `Split` holds, per household, a
`HouseholdShare` with its weight (and floor, coefficient, area where they apply), its exact
fraction of the total and exact amount (`Fraction`s), the amount rounded down to the fen and
whether it received one of the leftover fens. The engine writes no sentences; the Django
caller words and translates them. Bad input raises `CostSharingInputError` with an English
message, a `code` and `params` for the caller's translation; floats (and bools) are refused
with `TypeError`, since money and areas must be exact.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, Inexact, InvalidOperation, localcontext
from enum import StrEnum
from fractions import Fraction
from functools import cached_property
from typing import Any

FEN_PER_YUAN = 100
WORKING_PRECISION = 60  # significant digits for exact Decimal sums and products


class CostSharingInputError(ValueError):
    """The input cannot be shared out. `code` and `params` let the caller translate."""

    def __init__(self, message: str, *, code: str, **params: Any):
        self.code = code
        self.params = params
        super().__init__(message)


class SplitMethod(StrEnum):
    BY_AREA = "by_area"
    PER_HOUSEHOLD = "per_household"
    BY_FLOOR_COEFFICIENTS = "by_floor_coefficients"


@dataclass(frozen=True)
class HouseholdShare:
    """One household's part of a split and how it was computed.

    amount = floored_amount + (0.01 if is_rounded_up else 0); exact_amount = total × fraction;
    fraction = weight ÷ Σweights (0 when every weight is 0 and the total is 0)."""

    household: Hashable
    weight: Decimal
    fraction: Fraction
    exact_amount: Fraction
    floored_amount: Decimal
    is_rounded_up: bool
    amount: Decimal
    floor: int | None = None
    coefficient: Decimal | None = None
    area: Decimal | None = None


@dataclass(frozen=True)
class Split:
    """A total split among households: `shares` in the order the households were given."""

    method: SplitMethod
    total: Decimal
    weight_total: Decimal
    shares: tuple[HouseholdShare, ...]

    @cached_property
    def amounts(self) -> dict[Hashable, Decimal]:
        return {share.household: share.amount for share in self.shares}

    @cached_property
    def weights(self) -> dict[Hashable, Decimal]:
        return {share.household: share.weight for share in self.shares}

    @cached_property
    def _by_household(self) -> dict[Hashable, HouseholdShare]:
        return {share.household: share for share in self.shares}

    def share_of(self, household: Hashable) -> HouseholdShare:
        """The household's share; KeyError when it is not part of this split."""
        return self._by_household[household]


# --- validation ----------------------------------------------------------------------------


def _exact_number(value: Any, label: str) -> Decimal:
    if isinstance(value, bool | float):
        raise TypeError(f"{label} must be a Decimal or an int, not {type(value).__name__}")
    if isinstance(value, int):
        return Decimal(value)
    if not isinstance(value, Decimal):
        raise TypeError(f"{label} must be a Decimal or an int, not {type(value).__name__}")
    if not value.is_finite():
        raise CostSharingInputError(
            f"{label} is not a finite number", code="not_finite", what=label
        )
    return value


def _non_negative(value: Any, label: str, code: str, **params: Any) -> Decimal:
    number = _exact_number(value, label)
    if number < 0:
        raise CostSharingInputError(
            f"{label} must not be negative (got {number})", code=code, value=number, **params
        )
    return number


def _fen(value: Any, what: str = "the total") -> int:
    """A non-negative amount of yuan in whole fen, as an int number of fen."""
    if not isinstance(value, Decimal):
        raise TypeError(f"{what} must be a Decimal amount of yuan, not {type(value).__name__}")
    number = _non_negative(value, what, "negative_amount", what=what)
    fen = Fraction(number) * FEN_PER_YUAN
    if fen.denominator != 1:
        raise CostSharingInputError(
            f"{what} must be in whole fen (0.01 yuan), got {number}",
            code="amount_not_in_fen",
            what=what,
            value=number,
        )
    return fen.numerator


def _yuan(fen: int) -> Decimal:
    """`fen` as Decimal yuan with two places (exact at any size)."""
    return Decimal(f"{fen}E-2")


def _household_list(households: Iterable[Hashable]) -> list[Hashable]:
    result = list(households)
    seen: set[Hashable] = set()
    for household in result:
        if household in seen:
            raise CostSharingInputError(
                f"household {household!r} is listed twice",
                code="duplicate_household",
                household=household,
            )
        seen.add(household)
    return result


def _exact_sum(values: Iterable[Decimal]) -> Decimal:
    with localcontext() as context:
        context.prec = WORKING_PRECISION
        context.traps[Inexact] = True
        try:
            return sum(values, Decimal(0))
        except (Inexact, InvalidOperation) as error:
            raise CostSharingInputError(
                "the weights have too many digits to add up exactly", code="too_many_digits"
            ) from error


def _exact_product(left: Decimal, right: Decimal) -> Decimal:
    with localcontext() as context:
        context.prec = WORKING_PRECISION
        context.traps[Inexact] = True
        try:
            return left * right
        except (Inexact, InvalidOperation) as error:
            raise CostSharingInputError(
                "a coefficient × area has too many digits to be exact", code="too_many_digits"
            ) from error


# --- the largest-remainder split -----------------------------------------------------------


def _split(
    method: SplitMethod,
    total: Any,
    weights: Mapping[Hashable, Any],
    details: Mapping[Hashable, dict[str, Any]] | None = None,
) -> Split:
    total_fen = _fen(total)
    total_yuan = _yuan(total_fen)
    households = list(weights)
    decimals = [
        _non_negative(
            weights[household],
            f"the weight of household {household!r}",
            "negative_weight",
            household=household,
        )
        for household in households
    ]
    weight_total = _exact_sum(decimals)
    if weight_total == 0 and total_fen > 0:
        raise CostSharingInputError(
            f"{total_yuan} cannot be shared: no household has a weight above zero",
            code="no_weight",
            total=total_yuan,
            households=len(households),
        )

    fractions = [Fraction(weight) for weight in decimals]
    denominator = math.lcm(*(fraction.denominator for fraction in fractions)) if fractions else 1
    integers = [f.numerator * (denominator // f.denominator) for f in fractions]
    integer_total = sum(integers)

    floors: list[int] = []
    remainders: list[int] = []
    for integer in integers:
        if integer_total:
            whole, rest = divmod(total_fen * integer, integer_total)
        else:
            whole, rest = 0, 0
        floors.append(whole)
        remainders.append(rest)
    leftover = total_fen - sum(floors)
    order = sorted(
        range(len(households)), key=lambda index: (-remainders[index], -integers[index], index)
    )
    rounded_up = set(order[:leftover])

    shares = []
    for index, household in enumerate(households):
        fraction = Fraction(integers[index], integer_total) if integer_total else Fraction(0)
        extra = 1 if index in rounded_up else 0
        shares.append(
            HouseholdShare(
                household=household,
                weight=decimals[index],
                fraction=fraction,
                exact_amount=Fraction(total_yuan) * fraction,
                floored_amount=_yuan(floors[index]),
                is_rounded_up=bool(extra),
                amount=_yuan(floors[index] + extra),
                **(details or {}).get(household, {}),
            )
        )
    return Split(method, total_yuan, weight_total, tuple(shares))


def split_largest_remainder(
    total: Decimal, weights: Mapping[Hashable, Decimal | int]
) -> dict[Hashable, Decimal]:
    """`total` (Decimal yuan in whole fen, ≥ 0) split in proportion to `weights` (Decimal or
    int, ≥ 0), each amount in fen, summing exactly to `total`; ties by larger weight, then by
    the mapping's order. Every weight 0 (or no keys) with a total above 0 is an input error."""
    return _split(SplitMethod.BY_AREA, total, weights).amounts


def by_area(total: Decimal, areas: Mapping[Hashable, Decimal | int]) -> Split:
    """`total` split by the households' exclusive areas (m²)."""
    return _split(SplitMethod.BY_AREA, total, areas)


def per_household(total: Decimal, households: Sequence[Hashable]) -> Split:
    """`total` split equally among `households` (the first given take any leftover fens)."""
    listed = _household_list(households)
    return _split(SplitMethod.PER_HOUSEHOLD, total, dict.fromkeys(listed, 1))


def by_floor_coefficients(
    total: Decimal,
    floors: Mapping[Hashable, int],
    table: Mapping[int, Decimal | int],
    *,
    areas: Mapping[Hashable, Decimal | int] | None = None,
    default: Decimal | int | None = None,
) -> Split:
    """`total` split by the coefficient of each household's floor in `table` (floor → coefficient
    ≥ 0), times the household's exclusive area when `areas` is given (then every household
    needs one, and no other). A floor missing from `table` takes `default`, or is an error."""
    if default is not None:
        default = _non_negative(default, "the default coefficient", "negative_coefficient")
    if areas is not None:
        missing = [household for household in floors if household not in areas]
        extra = [household for household in areas if household not in floors]
        if missing:
            raise CostSharingInputError(
                f"household {missing[0]!r} has a floor but no area",
                code="missing_area",
                household=missing[0],
            )
        if extra:
            raise CostSharingInputError(
                f"household {extra[0]!r} has an area but no floor",
                code="missing_floor",
                household=extra[0],
            )
    weights: dict[Hashable, Decimal] = {}
    details: dict[Hashable, dict[str, Any]] = {}
    for household, floor in floors.items():
        if isinstance(floor, bool) or not isinstance(floor, int):
            raise TypeError(f"the floor of household {household!r} must be an int")
        if floor in table:
            coefficient = _non_negative(
                table[floor], f"the coefficient of floor {floor}", "negative_coefficient"
            )
        elif default is not None:
            coefficient = default
        else:
            raise CostSharingInputError(
                f"floor {floor} (household {household!r}) is not in the coefficient table",
                code="floor_not_in_table",
                floor=floor,
                household=household,
            )
        area = None
        weight = coefficient
        if areas is not None:
            area = _non_negative(
                areas[household],
                f"the area of household {household!r}",
                "negative_weight",
                household=household,
            )
            weight = _exact_product(coefficient, area)
        weights[household] = weight
        details[household] = {"floor": floor, "coefficient": coefficient, "area": area}
    return _split(SplitMethod.BY_FLOOR_COEFFICIENTS, total, weights, details)


# --- how the benefiting households are chosen and weighed (data a plan item stores) ---------


@dataclass(frozen=True)
class ByArea:
    areas: Mapping[Hashable, Decimal | int]

    def split(self, total: Decimal) -> Split:
        return by_area(total, self.areas)


@dataclass(frozen=True)
class PerHousehold:
    households: Sequence[Hashable]

    def split(self, total: Decimal) -> Split:
        return per_household(total, self.households)


@dataclass(frozen=True)
class ByFloorCoefficients:
    floors: Mapping[Hashable, int]
    table: Mapping[int, Decimal | int]
    areas: Mapping[Hashable, Decimal | int] | None = None
    default: Decimal | int | None = None

    def split(self, total: Decimal) -> Split:
        return by_floor_coefficients(
            total, self.floors, self.table, areas=self.areas, default=self.default
        )


SplitBasis = ByArea | PerHousehold | ByFloorCoefficients


# --- one plan item -------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemAllocation:
    """What one item's cost becomes: utility + residents + others == cost, exactly.

    `others` is what the funding plan's other sources (government budgets, property units,
    social capital…) must cover. `households` splits `residents` among the benefiting
    households (None for a utility-owned network, or when no basis was given and the
    residents pay nothing)."""

    cost: Decimal
    utility_owner: str | None
    utility: Decimal
    residents: Decimal
    others: Decimal
    households: Split | None


def allocate_item(
    cost: Decimal,
    *,
    utility_owner: str | None = None,
    residents_share: Decimal | Fraction | None = None,
    residents_amount: Decimal | None = None,
    basis: SplitBasis | None = None,
) -> ItemAllocation:
    """Charge one item's `cost` (Decimal yuan in fen): wholly to `utility_owner` when a utility
    owns the network (then no residents' part may be given); otherwise the residents pay
    `residents_share` of it (0..1, rounded half up to the fen) or the fixed `residents_amount`
    (≤ cost), or nothing when neither is given, split among the households by `basis`; the
    rest is `others`."""
    cost_fen = _fen(cost, "the cost")
    if utility_owner is not None:
        if not isinstance(utility_owner, str) or not utility_owner.strip():
            raise CostSharingInputError(
                "the utility owner must be a name (use None when no utility owns the item)",
                code="blank_utility_owner",
            )
        if residents_share is not None or residents_amount is not None:
            raise CostSharingInputError(
                f"a network owned by {utility_owner} is charged wholly to it: "
                "give no residents' share or amount",
                code="utility_item_with_residents_part",
                utility_owner=utility_owner,
            )
        whole = _yuan(cost_fen)
        return ItemAllocation(whole, utility_owner, whole, _yuan(0), _yuan(0), None)

    if residents_share is not None and residents_amount is not None:
        raise CostSharingInputError(
            "give the residents' part as a share or as an amount, not both",
            code="residents_share_and_amount",
        )
    if residents_share is not None:
        residents_fen = _residents_from_share(cost_fen, residents_share)
    elif residents_amount is not None:
        residents_fen = _fen(residents_amount, "the residents' amount")
        if residents_fen > cost_fen:
            raise CostSharingInputError(
                f"the residents' amount {_yuan(residents_fen)} is more than the cost "
                f"{_yuan(cost_fen)}",
                code="residents_amount_over_cost",
                amount=_yuan(residents_fen),
                cost=_yuan(cost_fen),
            )
    else:
        residents_fen = 0

    residents = _yuan(residents_fen)
    if basis is None:
        if residents_fen > 0:
            raise CostSharingInputError(
                f"the residents' part {residents} needs the households it is split among",
                code="no_households",
                amount=residents,
            )
        split = None
    else:
        split = basis.split(residents)
    return ItemAllocation(
        _yuan(cost_fen), None, _yuan(0), residents, _yuan(cost_fen - residents_fen), split
    )


def _residents_from_share(cost_fen: int, share: Any) -> int:
    """cost × share in fen, rounded half up (exactly, with integers)."""
    if isinstance(share, bool | float | int) or not isinstance(share, Decimal | Fraction):
        raise TypeError(
            f"the residents' share must be a Decimal or a Fraction, not {type(share).__name__}"
        )
    if isinstance(share, Decimal) and not share.is_finite():
        raise CostSharingInputError(
            "the residents' share is not a finite number", code="not_finite", what="share"
        )
    exact = Fraction(share)
    if not 0 <= exact <= 1:
        raise CostSharingInputError(
            f"the residents' share must be between 0 and 1, got {share}",
            code="residents_share_out_of_range",
            share=share,
        )
    fen = cost_fen * exact
    return (2 * fen.numerator + fen.denominator) // (2 * fen.denominator)


def household_totals(allocations: Iterable[ItemAllocation]) -> dict[Hashable, Decimal]:
    """Each household's total over several items (its contribution sheet's bottom line), in
    the order households first appear. The totals add up to the items' residents' parts."""
    totals: dict[Hashable, Decimal] = {}
    for allocation in allocations:
        if allocation.households is None:
            continue
        for share in allocation.households.shares:
            totals[share.household] = totals.get(share.household, _yuan(0)) + share.amount
    return totals
