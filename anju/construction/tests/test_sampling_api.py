"""The satisfaction check's API and `anju sample show|verify`."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from anju.construction.models import SampledHousehold, SatisfactionAnswer, SatisfactionSurvey
from anju.territory.models import Household

from .sampling import accept, drawn_survey, grow_compound

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted_project(city, approved_project):
    grow_compound(city.jiangan_compound)
    return accept(approved_project)


@pytest.fixture
def survey(accepted_project, jiangan_officer):
    return drawn_survey(accepted_project, jiangan_officer)


def test_the_district_draws_through_the_api_once(client_as, accepted_project, jiangan_officer):
    client = client_as(jiangan_officer)
    url = reverse("api-construction-sampling", args=[accepted_project.pk])
    assert client.get(url).status_code == 404  # nothing drawn yet
    created = client.post(url, {"margin": "0.2"}, content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert (body["population"], body["sample_size"], body["confidence"]) == (32, 14, "0.950")
    assert body["formula"][1].endswith("→ 14")
    assert sum(row["allocated"] for row in body["strata"]) == 14
    assert body["satisfaction"]["non_responses"] == 14
    again = client.post(url, {}, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["code"] == "already_drawn"
    bad = client.post(url, {"confidence": "2"}, content_type="application/json")
    assert bad.status_code in (400, 409)
    assert SatisfactionSurvey.objects.count() == 1


def test_bad_parameters_answer_400_with_the_field(client_as, accepted_project, jiangan_officer):
    url = reverse("api-construction-sampling", args=[accepted_project.pk])
    response = client_as(jiangan_officer).post(
        url, {"confidence": "0.5"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "confidence" in response.json()["fields"]
    assert not SatisfactionSurvey.objects.exists()


def test_staff_record_answers_by_label_and_a_household_outside_the_sample_is_refused(
    client_as, survey, jiangan_community_worker
):
    client = client_as(jiangan_community_worker)
    url = reverse("api-construction-sampling-answers", args=[survey.project_id])
    sampled = SampledHousehold.objects.filter(survey=survey).first()
    answer = {"channel": "phone", "overall": 4, "quality": 4, "conduct": 5}
    created = client.post(
        url, {"household": sampled.household_code, **answer}, content_type="application/json"
    )
    assert created.status_code == 201
    assert created.json()["household"] == sampled.household_code
    assert created.json()["recorded_by"] == jiangan_community_worker.username
    drawn = SampledHousehold.objects.filter(survey=survey).values("household_id")
    other = Household.objects.filter(compound__projects=survey.project).exclude(pk__in=drawn)
    label = f"{other.first().unit.building.number}-1单元-{other.first().room}"
    refused = client.post(url, {"household": label, **answer}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "not_sampled"
    twice = client.post(
        url, {"household": sampled.household_code, **answer}, content_type="application/json"
    )
    assert twice.status_code == 409
    listed = client.get(url).json()
    assert listed["count"] == 1
    assert SatisfactionAnswer.objects.count() == 1


def test_stats_and_closing_through_the_api(client_as, survey, jiangan_officer, wuchang_officer):
    client = client_as(jiangan_officer)
    stats = client.get(reverse("api-construction-satisfaction")).json()
    assert [row["label"] for row in stats["by_district"]] == ["江岸区"]
    assert stats["by_district"][0]["non_response_rate"] == "100.0"
    close = reverse("api-construction-sampling-close", args=[survey.project_id])
    assert client_as(wuchang_officer).post(close).status_code == 404
    closed = client_as(jiangan_officer).post(close)
    assert closed.status_code == 200
    assert closed.json()["stewarded"] is False
    assert closed.json()["missing_schemes"] == [survey.project.compounds.get().code]


# --- anju sample ------------------------------------------------------------------------------


def test_the_command_verifies_a_recorded_sample_against_its_redraw(survey, capsys):
    call_command("sample", "verify", survey.project.code)
    assert "is exactly what seed" in capsys.readouterr().out


def test_a_tampered_sample_fails_verification_with_the_differences_listed(survey, capsys):
    row = SampledHousehold.objects.filter(survey=survey, building__number="2栋").first()
    drawn = SampledHousehold.objects.filter(survey=survey).values("household_id")
    swap = (
        Household.objects.filter(unit__building=row.building)
        .exclude(pk__in=drawn)
        .select_related("unit__building")
        .first()
    )
    row.household = swap
    row.household_code = f"2栋-1单元-{swap.room}"
    row.save()
    with pytest.raises(CommandError) as failed:
        call_command("sample", "verify", survey.project.code)
    assert failed.value.returncode == 1
    out = capsys.readouterr().out
    assert f"recorded but not drawn: {row.household_code}" in out
    assert "drawn but not recorded" in out


def test_the_command_shows_seed_size_allocation_and_labels(survey, capsys):
    call_command("sample", "show", survey.project.code)
    out = capsys.readouterr().out
    assert survey.seed in out
    assert "population  32   n  14" in out
    assert "2栋: 9 of 20" in out
    for row in SampledHousehold.objects.filter(survey=survey):
        assert f"{row.household_code}  {row.rank_key}" in out


def test_the_command_refuses_an_unknown_project():
    with pytest.raises(CommandError):
        call_command("sample", "verify", "2099-000000-999")


def test_the_demo_draws_accepted_projects_once_with_some_phone_answers(accepted_project):
    from anju.construction.management.commands.demo_construction import Command

    Command().sampling()
    survey = SatisfactionSurvey.objects.get(project=accepted_project)
    answers = SatisfactionAnswer.objects.filter(survey=survey)
    assert survey.sample_size == 30 and 0 < answers.count() < 30
    assert set(answers.values_list("channel", flat=True)) == {"phone"}
    Command().sampling()
    assert SatisfactionSurvey.objects.count() == 1
    assert SatisfactionAnswer.objects.count() == answers.count()


def test_closing_due_surveys_is_a_registered_duty():
    from anju.core.duties import registered_duties

    assert "construction.close_due_satisfaction_surveys" in {d.name for d in registered_duties()}
