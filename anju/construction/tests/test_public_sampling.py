"""The satisfaction sample published on the public construction notice (issue 11: anyone
re-draws it from the recorded seed): after the draw the page and the public notice API show the
seed, the formula with its figures, each building's frame and share, the sampled labels, the
response rate once answers come in and how to re-draw; before the draw nothing; never a
sign-in code, a name, a phone or an answer. Screenshot: build/screenshots/construction-notice-
sampling.png (a 390px phone)."""

from __future__ import annotations

import html
import re
import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse

from anju.access.codes import issue_household_codes
from anju.core.actors import DEMO
from anju.territory.models import Household
from anju.testing.browser import PHONE, screenshot

from ..models import SampledHousehold
from ..services import sampling as sampling_services
from .noticing import publish
from .sampling import accept, district_scope, drawn_survey, grow_compound

pytestmark = pytest.mark.django_db

PUBLIC_API = "/api/v1/construction/public-notices/{pk}/"


@pytest.fixture
def noticed_project(city, named_project):
    """江岸's project with its notice published, its compound grown to 32 residents'
    households in three buildings, then accepted: ready for the draw."""
    publish(named_project)
    grow_compound(city.jiangan_compound)
    return accept(named_project)


@pytest.fixture
def survey(noticed_project, jiangan_officer):
    return drawn_survey(noticed_project, jiangan_officer)


def notice_page(project) -> str:
    response = Client().get(reverse("construction-portal:notice", args=[project.pk]))
    assert response.status_code == 200
    return response.content.decode()


def public_api(project) -> dict:
    response = Client().get(PUBLIC_API.format(pk=project.pk))
    assert response.status_code == 200
    return response.json()


def run(script: str) -> list[str]:
    """The labels a shell recipe prints (its second column)."""
    out = subprocess.run(
        [shutil.which("bash"), "-c", script], capture_output=True, text=True, check=True
    )
    return [line.split(" ", 1)[1] for line in out.stdout.splitlines()]


def test_before_the_draw_the_notice_shows_no_sample_and_the_api_says_null(noticed_project):
    text = notice_page(noticed_project)
    assert 'id="notice-sampling"' not in text and "data-seed" not in text
    assert public_api(noticed_project)["sampling"] is None


def test_after_the_draw_anyone_reads_the_seed_formula_frame_and_sampled_labels(survey):
    text = notice_page(survey.project)
    assert 'id="notice-sampling"' in text
    assert survey.seed in text
    assert "置信水平 0.950，允许误差 ±0.200，总体 N = 32 户" in text
    assert "n0 = 1.96² × 0.5 × (1 − 0.5) / 0.2² = 24.01" in text
    assert "n = 24.01 / (1 + (24.01 − 1) / 32) = 13.97 → 14" in text
    for building, households in (("1栋", 4), ("2栋", 20), ("3栋", 8)):
        row = re.search(rf'<tr data-building="{building}">(.*?)</tr>', text, re.S).group(1)
        allocated = SampledHousehold.objects.filter(survey=survey, building__number=building)
        assert f'<td class="text-end">{households}</td>' in row
        assert f'<td class="text-end" data-allocated>{allocated.count()}</td>' in row
        for sampled in allocated:
            assert sampled.household_code in row  # the public label, e.g. 2栋-1单元-105
    assert f"anju sample verify {survey.project.code}" in text
    assert "尚无答卷。" in text


def test_the_public_page_never_shows_sign_in_codes_names_or_phones(city, survey):
    households = list(Household.objects.filter(compound=city.jiangan_compound))
    codes = issue_household_codes(actor=DEMO, compound=city.jiangan_compound, households=households)
    text = notice_page(survey.project)
    body = str(public_api(survey.project)["sampling"])
    assert len(codes) == len(households) == 34
    for household in households:
        private = [codes[household.pk], household.phone, household.owner_name]
        for shown in (text, body):
            assert not [value for value in private if value and value in shown]


def test_the_response_rate_appears_once_answers_exist_but_no_answer_does(survey):
    sampled = SampledHousehold.objects.filter(survey=survey).order_by("pk").first()
    sampling_services.record_answer(
        actor=DEMO,
        scope=district_scope(survey.project),
        survey=survey,
        sampled=sampled,
        channel="phone",
        overall=2,
        quality=3,
        conduct=4,
        comment="楼道灯还没修好",
    )
    text = notice_page(survey.project)
    response = re.search(r"<p [^>]*data-response>(.*?)</p>", text, re.S).group(1)
    assert "已收答卷 1 份（样本 14 户），应答率 7.1%" in response
    assert "楼道灯还没修好" not in text
    sampling = public_api(survey.project)["sampling"]
    assert (sampling["responses"], sampling["response_rate"]) == (1, "7.1")
    assert "楼道灯还没修好" not in str(sampling) and "overall" not in sampling


def test_the_api_carries_the_same_draw_as_the_page(survey):
    sampling = public_api(survey.project)["sampling"]
    assert sampling["seed"] == survey.seed
    assert (sampling["confidence"], sampling["margin"]) == ("0.950", "0.200")
    assert (sampling["population"], sampling["sample_size"], sampling["n0"]) == (32, 14, "24.01")
    assert sampling["formula"] == [
        "n0 = 1.96² × 0.5 × (1 − 0.5) / 0.2² = 24.01",
        "n = 24.01 / (1 + (24.01 − 1) / 32) = 13.97 → 14",
    ]
    strata = {row["building"]: row for row in sampling["strata"]}
    assert {name: row["households"] for name, row in strata.items()} == {
        "1栋": 4,
        "2栋": 20,
        "3栋": 8,
    }
    for name, row in strata.items():
        recorded = SampledHousehold.objects.filter(survey=survey, building__number=name)
        assert sorted(row["labels"]) == sorted(r.household_code for r in recorded)
        assert row["allocated"] == len(row["labels"])
        assert set(row["labels"]) <= set(row["frame_labels"])
        assert len(row["frame_labels"]) == row["households"]
    assert sampling["verify_command"] == f"anju sample verify {survey.project.code}"
    page = notice_page(survey.project)
    recipe = re.search(r"<pre[^>]*data-recipe>(.*?)</pre>", page, re.S).group(1)
    assert html.unescape(recipe) == sampling["recipe"]["script"]


def test_the_published_recipe_and_frame_redraw_the_recorded_sample(survey):
    from anju.engine import sampling as engine

    sampling = public_api(survey.project)["sampling"]
    recipe = sampling["recipe"]
    recorded = SampledHousehold.objects.filter(survey=survey, building__number=recipe["building"])
    assert sorted(run(recipe["script"])) == sorted(row.household_code for row in recorded)
    strata = {row["building"]: row["frame_labels"] for row in sampling["strata"]}
    published = {row["building"]: row["labels"] for row in sampling["strata"]}
    assert engine.verify(strata, sampling["seed"], sampling["sample_size"], published) == []


def test_a_label_a_shell_would_split_is_quoted_in_the_recipe():
    from ..selectors.sampling import shell_recipe

    script = shell_recipe("97cbfaab9decc99971ba3215c9fa61d3", ["1-101", "1栋 2单元-3'01"], 2)
    assert "for label in 1-101 '1栋 2单元-3'\\''01'; do" in script
    assert sorted(run(script)) == ["1-101", "1栋 2单元-3'01"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_published_sample_fits_a_phone_and_its_recipe_copies_as_is(
    phone_page, live_server, city, named_project, jiangan_officer
):
    publish(named_project)
    grow_compound(city.jiangan_compound)
    survey = drawn_survey(accept(named_project), jiangan_officer)
    page = phone_page
    page.goto(f"{live_server.url}/portal/construction/notices/{named_project.pk}/")
    page.wait_for_selector("#notice-sampling [data-seed]")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the notice scrolls sideways ({width}px)"
    page.locator("#notice-sampling").scroll_into_view_if_needed()
    screenshot(page, "construction-notice-sampling")
    copied = page.locator("#notice-sampling [data-recipe]").inner_text()
    recorded = SampledHousehold.objects.filter(survey=survey, building__number="1栋")
    assert sorted(run(copied)) == sorted(row.household_code for row in recorded)
