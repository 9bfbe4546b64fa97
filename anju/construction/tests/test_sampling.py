"""The random satisfaction check's rules (services/sampling.py): who draws, from whom, how
many, once; who answers, once, while open; non-response reported; closing and the move to
长效管理."""

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from django.utils import timezone

from anju.construction.models import (
    ProjectParty,
    SampledHousehold,
    SatisfactionAnswer,
    SatisfactionSurvey,
)
from anju.construction.selectors import sampling as selectors
from anju.construction.services import sampling as services
from anju.core.audit import events_for
from anju.core.errors import Conflict, DomainError, PermissionDenied
from anju.core.models import AuditEvent
from anju.core.scope import Scope
from anju.engine import sampling as engine
from anju.territory.models import Household, Stage

from .sampling import accept, district_scope, drawn_survey, give_scheme, grow_compound

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted_project(city, approved_project):
    grow_compound(city.jiangan_compound)
    return accept(approved_project)


@pytest.fixture
def survey(accepted_project, jiangan_officer):
    return drawn_survey(accepted_project, jiangan_officer)


def community_scope(city):
    return Scope(roles=frozenset({"community_worker"}), node_paths=(city.jiangan_community.path,))


def outsider(survey):
    sampled = SampledHousehold.objects.filter(survey=survey).values("household_id")
    return (
        Household.objects.filter(compound__projects=survey.project, is_developer_unsold=False)
        .exclude(pk__in=sampled)
        .first()
    )


def sampled_households(survey):
    return [row.household for row in SampledHousehold.objects.filter(survey=survey)]


def answer(survey, household, overall=5, **extra):
    return services.answer_survey(
        survey=survey, household=household, overall=overall, quality=4, conduct=4, **extra
    )


# --- the draw ---------------------------------------------------------------------------------


def test_the_sample_is_drawn_by_building_from_the_residents_households_only(survey):
    assert survey.population == 32  # 4 + 20 + 10, less 3栋's 2 developer-unsold rooms
    assert survey.sample_size == engine.sample_size(32, 0.95, 0.2).n == 14
    rows = SampledHousehold.objects.filter(survey=survey).select_related("building", "household")
    assert not any(row.household.is_developer_unsold for row in rows)
    per_building = {}
    for row in rows:
        per_building[row.building.number] = per_building.get(row.building.number, 0) + 1
    assert per_building == engine.allocate({"1栋": 4, "2栋": 20, "3栋": 8}, 14)
    assert {row.household_code for row in rows if row.building.number == "2栋"} <= {
        f"2栋-1单元-{101 + i}" for i in range(20)
    }


def test_the_size_follows_the_formula_with_the_default_confidence_and_margin(
    accepted_project, jiangan_officer
):
    survey = services.draw_sample(
        actor=jiangan_officer, scope=district_scope(accepted_project), project=accepted_project
    )
    assert (survey.confidence, survey.margin) == (Decimal("0.950"), Decimal("0.050"))
    assert survey.n0 == Decimal("384.16")
    # n = 384.16 / (1 + 383.16 / 32) = 29.61 → 30
    assert survey.sample_size == 30
    assert selectors.draw_figures(survey).formula_lines[1].endswith("= 29.61 → 30")


def test_the_recorded_sample_is_redrawn_identically_from_its_seed(survey):
    frame = selectors.sampling_frame(survey.project)
    again = engine.draw(frame.strata, survey.seed, survey.sample_size)
    rows = SampledHousehold.objects.filter(survey=survey)
    assert sorted(row.household_code for row in rows) == sorted(again.households)
    for row in rows:
        digest = hashlib.sha256((survey.seed + row.household_code).encode()).hexdigest()
        assert row.rank_key == digest
    assert selectors.verify_survey(survey) == []


def test_labels_carry_the_compound_code_when_a_project_has_several_compounds(
    city, accepted_project, jiangan_officer
):
    from anju.conftest import make_compound

    second = make_compound(city.jiangan_community, "420102001001002", "二号院", lon=1, lat=1)
    accepted_project.compounds.add(second)
    survey = drawn_survey(accepted_project, jiangan_officer)
    frame = selectors.sampling_frame(accepted_project)
    assert "420102001001002-1栋" in frame.strata
    assert "420102001001002-1栋-1单元-101" in frame.households
    assert survey.population == 36
    assert selectors.verify_survey(survey) == []


def test_a_second_draw_is_refused_and_the_first_sample_stands(survey, jiangan_officer):
    seed = survey.seed
    with pytest.raises(Conflict) as refused:
        drawn_survey(survey.project, jiangan_officer)
    assert refused.value.status == 409
    assert SatisfactionSurvey.objects.get().seed == seed


def test_only_an_accepted_project_is_sampled(city, approved_project, jiangan_officer):
    with pytest.raises(DomainError) as refused:
        drawn_survey(approved_project, jiangan_officer)
    assert refused.value.code == "not_accepted"
    assert not SatisfactionSurvey.objects.exists()


def test_only_the_district_task_force_or_city_office_draws(city, accepted_project, builder):
    with pytest.raises(PermissionDenied):
        services.draw_sample(actor=builder, scope=community_scope(city), project=accepted_project)
    assert not SatisfactionSurvey.objects.exists()
    assert not AuditEvent.objects.filter(verb="satisfaction.drawn").exists()


@pytest.mark.parametrize(
    ("confidence", "margin", "field"),
    [
        ("0.5", "0.05", "confidence"),
        ("1", "0.05", "confidence"),
        ("0.95", "0.5", "margin"),
        ("0.95", "abc", "margin"),
        ("0.95", "0", "margin"),
    ],
)
def test_parameters_outside_sensible_bounds_are_refused(
    accepted_project, jiangan_officer, confidence, margin, field
):
    with pytest.raises(DomainError) as refused:
        drawn_survey(accepted_project, jiangan_officer, confidence=confidence, margin=margin)
    assert field in refused.value.fields
    assert not SatisfactionSurvey.objects.exists()


def test_the_draw_is_audited_with_its_seed_and_allocation(survey):
    event = AuditEvent.objects.get(verb="satisfaction.drawn")
    assert event.after["seed"] == survey.seed
    assert event.after["allocation"] == {"1栋": 2, "2栋": 9, "3栋": 3}
    assert event.after["sample_size"] == 14


def test_the_survey_stays_open_for_the_configured_days(accepted_project, jiangan_officer, settings):
    settings.ANJU_SATISFACTION_OPEN_DAYS = 10
    now = dt.datetime(2027, 12, 1, 9, tzinfo=dt.UTC)
    survey = drawn_survey(accepted_project, jiangan_officer, now=now)
    assert survey.closes_on == dt.date(2027, 12, 11)


# --- answers ----------------------------------------------------------------------------------


def test_a_household_outside_the_sample_cannot_answer_and_nothing_is_written(survey):
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied) as refused:
        answer(survey, outsider(survey))
    assert refused.value.status == 403
    assert not SatisfactionAnswer.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_developer_unsold_room_is_never_in_the_sample(survey):
    unsold = Household.objects.filter(is_developer_unsold=True).first()
    with pytest.raises(PermissionDenied):
        answer(survey, unsold)


def test_a_sampled_household_answers_once(survey):
    household = sampled_households(survey)[0]
    first = answer(survey, household, comment="  楼道亮了  ")
    assert (first.channel, first.comment, first.recorded_by) == ("portal", "楼道亮了", None)
    with pytest.raises(Conflict) as refused:
        answer(survey, household, overall=1)
    assert refused.value.status == 409
    assert SatisfactionAnswer.objects.get().overall == 5


def test_no_answers_after_closes_on(survey):
    survey.closes_on = dt.date(2027, 1, 10)
    survey.save()
    later = dt.datetime(2027, 1, 11, 1, tzinfo=dt.UTC)
    with pytest.raises(DomainError) as refused:
        answer(survey, sampled_households(survey)[0], now=later)
    assert refused.value.code == "survey_closed"
    on_the_day = dt.datetime(2027, 1, 10, 1, tzinfo=dt.UTC)
    answer(survey, sampled_households(survey)[0], now=on_the_day)
    assert SatisfactionAnswer.objects.count() == 1


def test_no_answers_once_the_survey_is_closed_early(survey, jiangan_officer):
    services.close_survey(
        actor=jiangan_officer, scope=district_scope(survey.project), survey=survey
    )
    with pytest.raises(DomainError):
        answer(survey, sampled_households(survey)[0])
    assert not SatisfactionAnswer.objects.exists()


def test_staff_record_phone_answers_with_the_channel_and_recorder_logged(
    city, survey, jiangan_community_worker
):
    sampled = SampledHousehold.objects.filter(survey=survey).first()
    recorded = services.record_answer(
        actor=jiangan_community_worker,
        scope=community_scope(city),
        survey=survey,
        sampled=sampled,
        channel="phone",
        overall=3,
        quality=4,
        conduct=2,
    )
    assert (recorded.channel, recorded.recorded_by) == ("phone", jiangan_community_worker)
    event = AuditEvent.objects.get(verb="satisfaction.answered")
    assert event.after["channel"] == "phone"
    assert event.after["household"] == sampled.household_code
    assert event.actor == jiangan_community_worker


def test_staff_cannot_record_a_portal_answer_or_answer_twice(
    city, survey, jiangan_community_worker
):
    sampled = SampledHousehold.objects.filter(survey=survey).first()
    kwargs = dict(
        actor=jiangan_community_worker,
        scope=community_scope(city),
        survey=survey,
        sampled=sampled,
        overall=4,
        quality=4,
        conduct=4,
    )
    with pytest.raises(DomainError):
        services.record_answer(channel="portal", **kwargs)
    services.record_answer(channel="visit", **kwargs)
    with pytest.raises(Conflict):
        services.record_answer(channel="phone", **kwargs)
    assert SatisfactionAnswer.objects.count() == 1


def test_the_construction_unit_does_not_record_residents_answers(survey, builder, builder_firm):
    scope = Scope(
        roles=frozenset({"construction_unit"}),
        compound_ids=frozenset({survey.project.compounds.get().pk}),
        organisation_id=builder_firm.pk,
    )
    with pytest.raises(PermissionDenied):
        services.record_answer(
            actor=builder,
            scope=scope,
            survey=survey,
            sampled=SampledHousehold.objects.filter(survey=survey).first(),
            channel="phone",
            overall=5,
            quality=5,
            conduct=5,
        )
    assert not SatisfactionAnswer.objects.exists()


def test_scores_outside_one_to_five_are_refused(survey):
    with pytest.raises(DomainError) as refused:
        answer(survey, sampled_households(survey)[0], overall=6)
    assert "overall" in refused.value.fields
    assert not SatisfactionAnswer.objects.exists()


# --- satisfaction and non-response ------------------------------------------------------------


def test_non_response_is_reported(survey):
    households = sampled_households(survey)
    answer(survey, households[0], overall=5)
    answer(survey, households[1], overall=4)
    answer(survey, households[2], overall=2)
    stats = selectors.project_satisfaction(survey)
    assert (stats.sample_size, stats.responses, stats.non_responses) == (14, 3, 11)
    assert stats.non_response_rate == Decimal("78.6")
    assert stats.response_rate == Decimal("21.4")
    assert (stats.satisfied, stats.satisfied_share) == (2, Decimal("66.7"))
    assert stats.mean_overall == Decimal("3.67")
    assert stats.by_channel == {"portal": 3}


def test_with_no_answers_the_shares_are_unknown_not_zero(survey):
    stats = selectors.project_satisfaction(survey)
    assert stats.satisfied_share is None and stats.mean_overall is None
    assert stats.non_response_rate == Decimal("100.0")


def test_satisfaction_per_district_and_per_construction_unit(
    city, survey, wuchang_approved_project, builder_firm, wuchang_officer
):
    ProjectParty.objects.create(
        project=survey.project,
        role="construction",
        organisation=builder_firm,
        responsible_person="张工",
        responsible_phone="13800000000",
        contract_sum=Decimal("900000"),
        contract_signed_on=dt.date(2027, 3, 1),
        starts_on=dt.date(2027, 3, 1),
        ends_on=dt.date(2027, 11, 30),
    )
    wuchang = drawn_survey(accept(wuchang_approved_project), wuchang_officer, margin="0.05")
    answer(survey, sampled_households(survey)[0], overall=5)
    answer(wuchang, sampled_households(wuchang)[0], overall=1)
    city_scope = Scope(roles=frozenset({"city_office"}), node_paths=(city.city.path,))

    districts = {row.label: row for row in selectors.satisfaction_by_district(city_scope)}
    assert set(districts) == {"江岸区", "武昌区"}
    assert (districts["江岸区"].responses, districts["江岸区"].satisfied) == (1, 1)
    assert (districts["武昌区"].sample_size, districts["武昌区"].satisfied) == (4, 0)

    units = {row.label: row for row in selectors.satisfaction_by_construction_unit(city_scope)}
    assert units[builder_firm.name].sample_size == 14
    assert units["未登记施工单位"].surveys == 1

    jiangan_only = selectors.satisfaction_by_district(district_scope(survey.project))
    assert [row.label for row in jiangan_only] == ["江岸区"]


# --- closing ----------------------------------------------------------------------------------


def test_closing_moves_the_project_to_stewarded_when_the_management_scheme_exists(
    city, survey, jiangan_officer
):
    give_scheme(city.jiangan_compound)
    closing = services.close_survey(
        actor=jiangan_officer, scope=district_scope(survey.project), survey=survey
    )
    assert closing.stewarded
    survey.project.refresh_from_db()
    city.jiangan_compound.refresh_from_db()
    assert survey.project.stage == Stage.STEWARDED
    assert city.jiangan_compound.stage == Stage.STEWARDED
    assert SatisfactionSurvey.objects.get().closed_at is not None
    verbs = {event.verb for event in events_for(survey.project)}
    assert {"satisfaction.closed", "project.stage_changed"} <= verbs
    with pytest.raises(Conflict):
        services.close_survey(
            actor=jiangan_officer, scope=district_scope(survey.project), survey=survey
        )


def test_closing_without_a_scheme_keeps_the_project_accepted_with_a_clear_message(
    city, survey, jiangan_officer
):
    closing = services.close_survey(
        actor=jiangan_officer, scope=district_scope(survey.project), survey=survey
    )
    assert not closing.stewarded
    assert closing.missing_schemes == [city.jiangan_compound]
    assert city.jiangan_compound.name in closing.message
    survey.project.refresh_from_db()
    assert survey.project.stage == Stage.ACCEPTED
    assert SatisfactionSurvey.objects.get().closed_at is not None
    # the scheme comes later: closing again moves it on
    give_scheme(city.jiangan_compound)
    again = services.close_survey(
        actor=jiangan_officer, scope=district_scope(survey.project), survey=survey
    )
    assert again.stewarded
    assert AuditEvent.objects.filter(verb="satisfaction.closed").count() == 2


def test_only_the_district_or_city_office_closes(city, survey, jiangan_community_worker):
    with pytest.raises(PermissionDenied):
        services.close_survey(
            actor=jiangan_community_worker, scope=community_scope(city), survey=survey
        )
    assert SatisfactionSurvey.objects.get().closed_at is None


def test_the_duty_closes_surveys_after_closes_on_and_retries_stewardship(city, survey):
    after = timezone.make_aware(
        dt.datetime.combine(survey.closes_on + dt.timedelta(days=1), dt.time(10))
    )
    on_the_day = after - dt.timedelta(days=1)
    assert services.close_due_surveys(on_the_day) == {"closed": 0, "stewarded": 0}
    assert services.close_due_surveys(after) == {"closed": 1, "stewarded": 0}
    assert services.close_due_surveys(after) == {"closed": 0, "stewarded": 0}
    give_scheme(city.jiangan_compound)
    assert services.close_due_surveys(after) == {"closed": 0, "stewarded": 1}
    survey.project.refresh_from_db()
    assert survey.project.stage == Stage.STEWARDED
    assert services.close_due_surveys(after) == {"closed": 0, "stewarded": 0}
