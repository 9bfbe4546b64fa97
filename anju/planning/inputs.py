"""What a scoring round reads about its candidates, turned into the engine's raw values.

Registry fields come from `territory` (building age, households, property management, owners'
committee, party organisation; the share of vulnerable households from the households
registered), engagement fields from `engagement.selectors.engagement_facts` (response rate,
willingness, the most urgent need, the latest tallied consent vote), and manual indicators
from the values the districts entered with evidence. Safety hazards and facility gaps come
from the survey (摸底调查, design) through `SurveyIndicators`: the counts of findings by
severity, which the engine weighs (critical 5, major 3, minor 1) into a severity-weighted
count per compound; a compound never surveyed has them missing (0 points, flagged).

A city of 1,103 compounds is read in eight queries, whatever the model.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from django.db.models import Count, Q

from anju.engagement.selectors import engagement_facts
from anju.engine.scoring import CompoundFacts, ScoringModel, default_raw_values
from anju.territory.models import Compound, Household

from .models import ManualIndicator, ManualValue

COMPOUND_FIELDS = (
    "pk",
    "year_built",
    "household_count",
    "party_organisation",
    "has_owners_committee",
    "management_status",
    # joined onto the same query (a LEFT JOIN on the one-to-one), so the survey costs nothing
    "survey_indicators__safety_hazards",
    "survey_indicators__facility_gaps",
)


def vulnerable_households(compound_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """Per compound with registered households: (households, elderly living alone or with a
    disability)."""
    rows = (
        Household.objects.filter(compound_id__in=compound_ids)
        .values_list("compound_id")
        .annotate(
            n=Count("id"),
            vulnerable=Count("id", filter=Q(is_elderly_living_alone=True) | Q(has_disability=True)),
        )
        .order_by()
    )
    return {compound_id: (n, vulnerable) for compound_id, n, vulnerable in rows}


def compound_facts(compound_ids: Sequence[int]) -> dict[int, CompoundFacts]:
    """The default model's facts for each compound."""
    ids = list(compound_ids)
    engagement = engagement_facts(ids)
    registered = vulnerable_households(ids)
    facts = {}
    rows = Compound.objects.filter(pk__in=ids).values_list(*COMPOUND_FIELDS)
    for pk, year_built, census, party, committee, management, hazards, gaps in rows:
        asked = engagement[pk]
        households, vulnerable = registered.get(pk, (census, None))
        urgent = max((row[2] for row in asked.top_needs), default=0)
        facts[pk] = CompoundFacts(
            compound_id=pk,
            year_built=year_built,
            households=households or census,
            vulnerable_households=vulnerable,
            most_urgent_households=urgent if asked.campaign_id else None,
            response_rate=asked.response_rate if asked.campaign_id else None,
            consent_agreement_area=asked.agreement_area,
            willing_share=asked.willing_share if asked.willingness else None,
            party_organisation=party,
            has_owners_committee=committee,
            management_status=management,
            safety_hazards=hazards,
            facility_gaps=gaps,
        )
    return facts


def manual_values(keys: Iterable[str], compound_ids: Sequence[int]) -> dict[str, dict[int, float]]:
    """Values of the manual indicators named `keys`, by indicator key and compound."""
    values: dict[str, dict[int, float]] = {key: {} for key in keys}
    rows = ManualValue.objects.filter(
        indicator__key__in=list(values), compound_id__in=compound_ids
    ).values_list("indicator__key", "compound_id", "value")
    for key, compound_id, value in rows:
        values[key][compound_id] = float(value)
    return values


def known_indicator_keys() -> set[str]:
    """Keys a model may use: the built-in ones and every manual indicator."""
    sample = default_raw_values(CompoundFacts(compound_id=0, year_built=2000, households=1), year=1)
    return (set(sample) - {"id"}) | set(ManualIndicator.objects.values_list("key", flat=True))


def raw_matrix(model: ScoringModel, compound_ids: Sequence[int], *, year: int) -> np.ndarray:
    """An (n × k) array of raw values in the model's indicator order, NaN where missing."""
    facts = compound_facts(compound_ids)
    manual = manual_values(model.keys, compound_ids)
    matrix = np.full((len(compound_ids), len(model.keys)), np.nan)
    for row, pk in enumerate(compound_ids):
        built_in = default_raw_values(facts[pk], year=year)
        for column, key in enumerate(model.keys):
            value = built_in[key] if key in built_in else manual[key].get(pk)
            if value is not None:
                matrix[row, column] = value
    return matrix
