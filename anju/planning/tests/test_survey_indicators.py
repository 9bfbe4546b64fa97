"""The survey's indicators as a scoring round reads them: severity-weighted counts of hazards
and facility gaps, missing only where no survey was made, read at no extra query."""

import math

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from anju.engine.scoring import DEFAULT_MODEL
from anju.planning import rounds, services
from anju.planning.inputs import raw_matrix
from anju.planning.models import SurveyIndicators

pytestmark = pytest.mark.django_db

HAZARDS = DEFAULT_MODEL.keys.index("safety_hazards")
GAPS = DEFAULT_MODEL.keys.index("facility_gaps")


def record(compound, hazards, gaps):
    with transaction.atomic():
        return services.record_survey_indicators(
            compound=compound, safety_hazards=hazards, facility_gaps=gaps
        )


def test_a_surveyed_compound_scores_its_severity_weighted_counts_and_the_others_are_missing(
    plan, city, city_officer, city_scope, candidates
):
    record(city.jiangan_compound, {"critical": 1, "major": 2}, {"minor": 3, "major": 0})
    record(city.wuchang_compound, {}, {})  # surveyed, nothing found: 0, not missing
    scoring_round = rounds.create_round(
        actor=city_officer,
        scope=city_scope,
        annual_plan=plan,
        node=city.city,
        model=rounds.default_model_version(),
        name="含摸底调查",
    )
    rounds.score_round(actor=city_officer, scope=city_scope, scoring_round=scoring_round)
    surveyed = scoring_round.entries.get(compound=city.jiangan_compound)
    assert surveyed.raw[HAZARDS] == 5 * 1 + 3 * 2
    assert surveyed.raw[GAPS] == 3.0
    assert surveyed.contributions[HAZARDS] > 0
    nothing_found = scoring_round.entries.get(compound=city.wuchang_compound)
    assert nothing_found.raw[HAZARDS] == 0.0 and nothing_found.raw[GAPS] == 0.0
    never_surveyed = scoring_round.entries.get(compound=candidates.jiangan[1])
    assert never_surveyed.raw[HAZARDS] is None and never_surveyed.raw[GAPS] is None


def test_recording_again_replaces_the_counts(city):
    record(city.jiangan_compound, {"critical": 2}, {})
    record(city.jiangan_compound, {"minor": 1}, {"major": 1})
    row = SurveyIndicators.objects.get()
    assert row.safety_hazards == {"minor": 1} and row.facility_gaps == {"major": 1}


@pytest.mark.parametrize("counts", [{"urgent": 1}, {"major": -1}, {"major": 1.5}])
def test_counts_of_unknown_severities_or_not_whole_numbers_are_refused(city, counts):
    with pytest.raises(ValidationError):
        record(city.jiangan_compound, counts, {})
    assert not SurveyIndicators.objects.exists()


def test_a_city_is_read_in_eight_queries_with_or_without_surveys(
    city, candidates, django_assert_max_num_queries
):
    ids = [compound.pk for compound in candidates.all]
    for compound in candidates.all[:3]:
        record(compound, {"major": 1}, {"minor": 2})
    with django_assert_max_num_queries(8):
        matrix = raw_matrix(DEFAULT_MODEL, ids, year=2027)
    assert sum(not math.isnan(value) for value in matrix[:, HAZARDS]) == 3
