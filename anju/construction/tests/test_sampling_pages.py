"""The satisfaction check in the workbench (sample page, staff answers, closing, overview) and
on the portal (a sampled household answers once; anyone else is told so and nothing is
written)."""

import pytest
from django.urls import reverse

from anju.construction.models import SampledHousehold, SatisfactionAnswer, SatisfactionSurvey
from anju.core.models import AuditEvent
from anju.territory.models import Household, Stage

from .sampling import accept, drawn_survey, give_scheme, grow_compound

pytestmark = pytest.mark.django_db

SCORES = {"overall": "5", "quality": "4", "conduct": "3", "comment": "电梯很好"}


@pytest.fixture
def accepted_project(city, approved_project):
    grow_compound(city.jiangan_compound)
    return accept(approved_project)


@pytest.fixture
def survey(accepted_project, jiangan_officer):
    return drawn_survey(accepted_project, jiangan_officer)


def outsider(survey):
    sampled = SampledHousehold.objects.filter(survey=survey).values("household_id")
    return (
        Household.objects.filter(compound__projects=survey.project, is_developer_unsold=False)
        .exclude(pk__in=sampled)
        .first()
    )


# --- workbench --------------------------------------------------------------------------------


def test_the_district_draws_from_the_page_and_a_second_draw_is_a_conflict(
    client_as, accepted_project, jiangan_officer
):
    client = client_as(jiangan_officer)
    url = reverse("construction:sampling", args=[accepted_project.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "可抽取住户共 32 户" in page.content.decode()
    response = client.post(url, {"confidence": "0.95", "margin": "0.2"})
    assert response.status_code == 302
    survey = SatisfactionSurvey.objects.get()
    assert survey.sample_size == 14
    again = client.post(url, {"confidence": "0.95", "margin": "0.1"})
    assert again.status_code == 409
    assert SatisfactionSurvey.objects.get().seed == survey.seed


def test_a_draw_with_parameters_out_of_bounds_answers_400_and_draws_nothing(
    client_as, accepted_project, jiangan_officer
):
    url = reverse("construction:sampling", args=[accepted_project.pk])
    response = client_as(jiangan_officer).post(url, {"confidence": "0.5", "margin": "0.05"})
    assert response.status_code == 400
    assert "0.800" in response.content.decode()
    assert not SatisfactionSurvey.objects.exists()


def test_the_sample_page_shows_formula_allocation_seed_and_how_to_redraw_without_personal_data(
    client_as, survey, jiangan_officer
):
    page = client_as(jiangan_officer).get(
        reverse("construction:sampling", args=[survey.project_id])
    )
    text = page.content.decode()
    assert "n0 = 1.96² × 0.5 × (1 − 0.5) / 0.2² = 24.01" in text
    assert "n = 24.01 / (1 + (24.01 − 1) / 32) = 13.97 → 14" in text
    assert survey.seed in text
    assert f"anju sample verify {survey.project.code}" in text
    assert 'data-building="2栋"' in text
    for row in SampledHousehold.objects.filter(survey=survey):
        assert row.household_code in text
    for household in Household.objects.filter(compound__projects=survey.project):
        assert household.phone not in text
        if household.owner_name:
            assert household.owner_name not in text


def test_a_community_worker_records_a_phone_answer_on_the_page(
    client_as, survey, jiangan_community_worker
):
    sampled = SampledHousehold.objects.filter(survey=survey).first()
    client = client_as(jiangan_community_worker)
    url = reverse("construction:sampling-answer", args=[survey.project_id])
    response = client.post(url, {"sampled": sampled.pk, "channel": "phone", **SCORES})
    assert response.status_code == 302
    answer = SatisfactionAnswer.objects.get()
    assert (answer.channel, answer.recorded_by, answer.household) == (
        "phone",
        jiangan_community_worker,
        sampled.household,
    )
    twice = client.post(url, {"sampled": sampled.pk, "channel": "visit", **SCORES})
    assert twice.status_code == 409
    bad = client.post(url, {"sampled": sampled.pk, "channel": "phone", "overall": "9"})
    assert bad.status_code == 400
    assert SatisfactionAnswer.objects.count() == 1


def test_closing_on_the_page_moves_the_project_on_when_its_scheme_exists(
    city, client_as, survey, jiangan_officer
):
    client = client_as(jiangan_officer)
    url = reverse("construction:sampling-close", args=[survey.project_id])
    first = client.post(url, follow=True)
    assert "尚未制定长效管理方案" in first.content.decode()
    survey.project.refresh_from_db()
    assert survey.project.stage == Stage.ACCEPTED
    give_scheme(city.jiangan_compound)
    client.post(url)
    survey.project.refresh_from_db()
    assert survey.project.stage == Stage.STEWARDED


def test_another_district_does_not_see_the_survey(client_as, survey, wuchang_officer):
    client = client_as(wuchang_officer)
    assert client.get(reverse("construction:sampling", args=[survey.project_id])).status_code == 404
    url = reverse("construction:sampling-close", args=[survey.project_id])
    assert client.post(url).status_code == 404
    assert SatisfactionSurvey.objects.get().closed_at is None


def test_the_overview_shows_non_response_per_district_and_unit(client_as, survey, jiangan_officer):
    page = client_as(jiangan_officer).get(reverse("construction:satisfaction"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "江岸区" in text and "100.0%" in text  # nobody has answered yet: all non-response
    assert "未登记施工单位" in text


# --- portal -----------------------------------------------------------------------------------


def test_a_sampled_household_answers_on_the_portal_once(resident_of, survey):
    household = SampledHousehold.objects.filter(survey=survey).first().household
    client = resident_of(household)
    listing = client.get(reverse("construction-portal:satisfaction"))
    assert "您家被随机抽中" in listing.content.decode()
    url = reverse("construction-portal:satisfaction-answer", args=[survey.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, SCORES).status_code == 302
    answer = SatisfactionAnswer.objects.get()
    assert (answer.household, answer.channel, answer.overall) == (household, "portal", 5)
    again = client.post(url, {**SCORES, "overall": "1"})
    assert again.status_code == 409
    assert SatisfactionAnswer.objects.get().overall == 5


def test_a_household_outside_the_sample_gets_a_clear_refusal_and_nothing_is_written(
    resident_of, survey
):
    client = resident_of(outsider(survey))
    events = AuditEvent.objects.count()
    url = reverse("construction-portal:satisfaction-answer", args=[survey.pk])
    response = client.post(url, SCORES)
    assert response.status_code == 403
    assert "不在本次满意度测评的随机样本中" in response.content.decode()
    assert not SatisfactionAnswer.objects.exists()
    assert AuditEvent.objects.count() == events


def test_bad_scores_on_the_portal_answer_400(resident_of, survey):
    household = SampledHousehold.objects.filter(survey=survey).first().household
    url = reverse("construction-portal:satisfaction-answer", args=[survey.pk])
    response = resident_of(household).post(url, {"overall": "0", "quality": "x"})
    assert response.status_code == 400
    assert not SatisfactionAnswer.objects.exists()


def test_another_compounds_resident_does_not_find_the_survey(city, resident_of, survey):
    household = city.wuchang_compound.households.first()
    url = reverse("construction-portal:satisfaction-answer", args=[survey.pk])
    assert resident_of(household).post(url, SCORES).status_code == 404
    assert not SatisfactionAnswer.objects.exists()


def test_after_closes_on_the_portal_takes_no_answers(resident_of, survey):
    import datetime as dt

    survey.closes_on = dt.date(2020, 1, 1)
    survey.save()
    household = SampledHousehold.objects.filter(survey=survey).first().household
    url = reverse("construction-portal:satisfaction-answer", args=[survey.pk])
    response = resident_of(household).post(url, SCORES)
    assert response.status_code == 400
    assert "不再接收答卷" in response.content.decode()
    assert not SatisfactionAnswer.objects.exists()


def test_the_hub_shows_the_sampling_panel_with_non_response(client_as, survey, jiangan_officer):
    page = client_as(jiangan_officer).get(reverse("construction:project", args=[survey.project_id]))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="sampling-panel"' in text
    assert "从 32 户中按楼栋随机抽取 14 户" in text
    assert reverse("construction:sampling", args=[survey.project_id]) in text


def test_the_shell_recipe_on_the_sample_page_redraws_the_first_building(
    client_as, survey, jiangan_officer
):
    import html
    import re
    import shutil
    import subprocess

    page = client_as(jiangan_officer).get(
        reverse("construction:sampling", args=[survey.project_id])
    )
    recipe = re.search(r"<pre[^>]*data-recipe>(.*?)</pre>", page.content.decode(), re.S)
    script = html.unescape(recipe.group(1))
    bash = shutil.which("bash")
    out = subprocess.run([bash, "-c", script], capture_output=True, text=True, check=True)
    redrawn = [line.split(" ", 1)[1] for line in out.stdout.splitlines()]
    recorded = SampledHousehold.objects.filter(survey=survey, building__number="1栋")
    assert sorted(redrawn) == sorted(row.household_code for row in recorded)
    assert len(redrawn) == 2
