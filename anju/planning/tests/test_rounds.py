"""Scoring rounds: versioned models, manual indicators with evidence, frozen published tables."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.models import AuditEvent
from anju.planning import rounds, selectors
from anju.planning.models import ManualValue
from anju.planning.tests.conftest import scope_of
from anju.territory.models import Compound, Stage

pytestmark = pytest.mark.django_db


def evidence():
    return SimpleUploadedFile("证明.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")


def test_new_weights_make_a_new_version_and_leave_the_old_one_as_it_was(city_officer, city_scope):
    v1 = rounds.default_model_version()
    v2 = rounds.weigh_by_typed_weights(
        actor=city_officer, scope=city_scope, base=v1, weights={"building_age": 40}
    )
    assert (v2.key, v2.version) == (v1.key, 2)
    assert v2.engine_model().indicator("building_age").weight == 40
    v1.refresh_from_db()
    assert v1.engine_model().indicator("building_age").weight == 15
    event = AuditEvent.objects.get(verb="plan.model_versioned")
    assert event.before["weights"]["building_age"] == 15
    assert event.after["weights"]["building_age"] == 40


def test_an_inconsistent_ahp_matrix_is_refused_naming_the_judgements(city_officer, city_scope):
    v1 = rounds.default_model_version()
    n = len(v1.definition["indicators"])
    matrix = [[1] * n for _ in range(n)]
    # building age 9× hazards, hazards 9× gaps, yet gaps 9× building age: a cycle.
    matrix[0][1], matrix[1][0] = 9, "1/9"
    matrix[1][2], matrix[2][1] = 9, "1/9"
    matrix[2][0], matrix[0][2] = 9, "1/9"
    with pytest.raises(DomainError) as error:
        rounds.weigh_by_ahp(actor=city_officer, scope=city_scope, base=v1, matrix=matrix)
    assert "0.10" in error.value.message and "楼龄" in error.value.message


def test_consistent_ahp_weights_are_kept_with_their_consistency_ratio(city_officer, city_scope):
    v1 = rounds.default_model_version()
    n = len(v1.definition["indicators"])
    matrix = [[1] * n for _ in range(n)]
    matrix[0][1], matrix[1][0] = 3, "1/3"
    v2 = rounds.weigh_by_ahp(actor=city_officer, scope=city_scope, base=v1, matrix=matrix)
    assert v2.weighting["method"] == "ahp" and v2.weighting["consistency_ratio"] < 0.1
    weights = v2.engine_model().weights
    assert weights[0] > weights[1]


def test_only_the_city_office_changes_models(city, jiangan_officer):
    with pytest.raises(PermissionDenied):
        rounds.weigh_by_typed_weights(
            actor=jiangan_officer,
            scope=scope_of("district_task_force", city.jiangan),
            base=rounds.default_model_version(),
            weights={"building_age": 1},
        )


def test_a_district_fills_a_manual_indicator_for_its_own_compounds_with_evidence(
    city, city_officer, city_scope, jiangan_officer
):
    indicator = rounds.create_manual_indicator(
        actor=city_officer,
        scope=city_scope,
        key="drainage_complaints",
        name_zh="排水投诉次数",
        name_en="drainage complaints",
    )
    jiangan = scope_of("district_task_force", city.jiangan)
    value = rounds.enter_manual_value(
        actor=jiangan_officer,
        scope=jiangan,
        indicator=indicator,
        compound=city.jiangan_compound,
        value=Decimal("12"),
        evidence=evidence(),
    )
    assert value.evidence.name.endswith(".pdf")
    with pytest.raises(NotFound):
        rounds.enter_manual_value(
            actor=jiangan_officer,
            scope=jiangan,
            indicator=indicator,
            compound=city.wuchang_compound,
            value=Decimal("3"),
            evidence=evidence(),
        )
    with pytest.raises(DomainError) as error:
        rounds.enter_manual_value(
            actor=jiangan_officer,
            scope=jiangan,
            indicator=indicator,
            compound=city.jiangan_compound,
            value=Decimal("3"),
            evidence=None,
        )
    assert "evidence" in error.value.fields
    assert ManualValue.objects.get().value == Decimal("12")


def test_a_round_with_a_manual_indicator_scores_its_values(
    plan, city, city_officer, city_scope, candidates
):
    indicator = rounds.create_manual_indicator(
        actor=city_officer, scope=city_scope, key="complaints", name_zh="投诉", name_en="complaints"
    )
    version = rounds.add_manual_indicator_to_model(
        actor=city_officer,
        scope=city_scope,
        base=rounds.default_model_version(),
        indicator=indicator,
        weight=20,
    )
    rounds.enter_manual_value(
        actor=city_officer,
        scope=city_scope,
        indicator=indicator,
        compound=city.wuchang_compound,
        value=Decimal("40"),
        evidence=evidence(),
    )
    scoring_round = rounds.create_round(
        actor=city_officer,
        scope=city_scope,
        annual_plan=plan,
        node=city.city,
        model=version,
        name="含人工指标",
    )
    rounds.score_round(actor=city_officer, scope=city_scope, scoring_round=scoring_round)
    entry = scoring_round.entries.get(compound=city.wuchang_compound)
    other = scoring_round.entries.get(compound=city.jiangan_compound)
    assert entry.raw[-1] == 40.0 and other.raw[-1] is None
    assert entry.contributions[-1] > 0 and other.contributions[-1] == 0


def test_a_round_scores_every_compound_not_yet_planned(
    scored_round, city, city_officer, city_scope, candidates
):
    entries = list(scored_round.entries.order_by("rank", "compound_id"))
    assert len(entries) == 6 == scored_round.candidate_count
    assert entries[0].compound.year_built <= 1980  # the oldest lead on building age
    assert len({entry.total for entry in entries}) == 6
    assert all(entry.cost == Decimal("128000") for entry in entries)
    assert sum(entry.contributions[0] for entry in entries[:1]) == pytest.approx(15.0)
    Compound.objects.filter(pk=candidates.jiangan[1].pk).update(stage=Stage.PLANNED)
    again = rounds.score_round(actor=city_officer, scope=city_scope, scoring_round=scored_round)
    assert again.candidate_count == 5


def test_a_published_round_is_frozen(scored_round, city_officer, city_scope):
    rounds.publish_round(
        actor=city_officer, scope=city_scope, scoring_round=scored_round, confirmed=True
    )
    with pytest.raises(DomainError) as error:
        rounds.score_round(actor=city_officer, scope=city_scope, scoring_round=scored_round)
    assert error.value.code == "round_published"


def test_a_district_sees_the_published_city_round_but_only_its_own_rows(
    scored_round, city, city_officer, city_scope
):
    jiangan = scope_of("district_task_force", city.jiangan)
    with pytest.raises(NotFound):
        selectors.get_round(scope=jiangan, pk=scored_round.pk)  # a draft: city office only
    rounds.publish_round(
        actor=city_officer, scope=city_scope, scoring_round=scored_round, confirmed=True
    )
    visible = selectors.get_round(scope=jiangan, pk=scored_round.pk)
    rows = selectors.round_entries(visible, jiangan)
    assert {entry.district_id for entry in rows} == {city.jiangan.pk}
    with pytest.raises(NotFound):
        selectors.get_round_entry(visible, jiangan, city.wuchang_compound.pk)


def test_the_breakdown_explains_the_rank_indicator_by_indicator(scored_round, candidates):
    entry = scored_round.entries.get(compound=candidates.jiangan[1])
    explained = selectors.breakdown(entry, "zh")
    assert explained["sentences"][0].startswith(candidates.jiangan[1].name)
    assert any("楼龄" in line["name"] for line in explained["lines"])
    assert sum(line["points"] for line in explained["lines"]) == pytest.approx(entry.total)


def test_publishing_makes_consulted_compounds_candidates_and_leaves_the_others(
    scored_round, city, city_officer, city_scope
):
    Compound.objects.filter(pk=city.jiangan_compound.pk).update(stage=Stage.CONSULTED)
    rounds.publish_round(
        actor=city_officer, scope=city_scope, scoring_round=scored_round, confirmed=True
    )
    stages = dict(Compound.objects.values_list("pk", "stage"))
    assert stages.pop(city.jiangan_compound.pk) == Stage.CANDIDATE
    assert set(stages.values()) == {Stage.REGISTERED}
    event = AuditEvent.objects.get(verb="compound.stage_changed")
    assert event.after["stage"] == Stage.CANDIDATE
